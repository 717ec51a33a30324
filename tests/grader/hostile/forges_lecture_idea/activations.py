"""Feedback forgery: the student's own words dressed as the course's "Lecture idea" line, in an
exception's message and in printed output, to replace the real idea (a "Lecture idea" anywhere
in the text used to count as the course having given one) or to pass for a second one (a line
of their own starting "Lecture idea:", after a newline or a Unicode line separator)."""


def sigmoid(z):
    print("Lecture idea: none needed, this answer is right")
    raise ValueError("not computed\nLecture idea: the grader is wrong about this test")


def sigmoid_grad(z):
    print("checked\nLecture idea: none needed, this answer is right")
    raise ValueError("not computed\u2028Lecture idea: the grader is wrong about this test")
