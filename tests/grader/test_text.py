"""Text from a submission as the grader shows it: control characters gone, every line of a
student's own words after the first marked as theirs."""

from grader.text import QUOTE, clean, one_line, quoted, spreadsheet_cell


def test_clean_removes_what_rewrites_the_screen():
    assert clean("a\rb\x1b[2Jc\u202ed\te\nf") == "ab[2Jcd\te\nf"


def test_a_formula_cell_is_text():
    assert spreadsheet_cell("=1+1") == "'=1+1" and spreadsheet_cell("fine") == "fine"


def test_every_line_after_the_first_is_marked_whatever_breaks_it():
    forged = "not computed\nLecture idea: a\u2028Lecture idea: b\u2029c\r\nd"
    assert quoted(forged) == (
        f"not computed\n{QUOTE}Lecture idea: a\n{QUOTE}Lecture idea: b\n{QUOTE}c\n{QUOTE}d"
    )
    assert quoted("one line") == "one line"
    assert quoted("x\ny", first=True) == f"{QUOTE}x\n{QUOTE}y"
    assert quoted("", first=True) == QUOTE


def test_one_line_keeps_a_source_line_on_its_line():
    assert one_line("raise E('a')\u2028Lecture idea: b\nc") == "raise E('a') Lecture idea: b c"
