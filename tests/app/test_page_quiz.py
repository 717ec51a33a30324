"""AppTests for the quiz: feedback, scoring, URL-kept answers, live explanations."""

import numpy as np
import pytest

from viz import quiz

PAGE = "pages/quiz.py"


def test_defaults_nothing_answered(open_page, assert_page_ok, metric):
    at = open_page(PAGE)
    assert_page_ok(at)
    questions = quiz.build_questions(0)
    assert metric(at, "Answered") == f"0 / {len(questions)}"
    assert metric(at, "Score") == "-"
    assert not at.success and not at.warning


def test_all_right_then_cleared(open_page, widget, metric):
    at = open_page(PAGE)
    questions = quiz.build_questions(0)
    for question in questions:
        widget(at, question.key).set_value(question.answer).run()
    assert not at.exception and not at.error
    assert metric(at, "Correct") == str(len(questions))
    assert metric(at, "Score") == "100%"
    assert len(at.success) == len(questions) and not at.warning
    at.button[0].click().run()
    assert metric(at, "Answered") == f"0 / {len(questions)}"


def test_a_wrong_answer_gets_the_right_one_and_why(open_page, widget, metric):
    at = open_page(PAGE)
    widget(at, "q_z0").set_value("Yes, it increases").run()
    assert metric(at, "Correct") == "0"
    feedback = at.warning[0].value
    assert "No, it decreases" in feedback
    # the explanation's numbers are the closed form e^{z_1} / (e^{z_0} + e^{z_1})
    assert f"{np.exp(1) / (1 + np.exp(1)):.4f}" in feedback and "0.5000" in feedback


def test_answers_are_kept_in_the_url(open_page, metric):
    at = open_page(PAGE, {"q_z0": "No, it decreases", "q_abs": "relu"})
    assert metric(at, "Answered").startswith("2 /")
    assert metric(at, "Correct") == "1"


@pytest.mark.parametrize("seed", [0, 1, 9999])
def test_structure_questions_follow_the_drawn_network(open_page, widget, metric, seed):
    at = open_page(PAGE)
    widget(at, "quiz_seed").set_value(seed).run()
    assert not at.exception and not at.error
    sizes = quiz.quiz_network_sizes(seed)
    graph = [spec for spec in at.get("plotly_chart") if "quiz_fig_network" in spec.proto.id]
    assert graph, "the network is drawn"
    widget(at, "q_deep").set_value(str(len(sizes) - 1)).run()
    widget(at, "q_wide").set_value(str(max(sizes[1:-1]))).run()
    widget(at, "q_shape").set_value(str((sizes[2], sizes[1]))).run()
    assert metric(at, "Correct") == "3"


def test_every_question_is_well_formed():
    for seed in range(30):
        questions = quiz.build_questions(seed)
        assert len({q.key for q in questions}) == len(questions)
        assert {q.section for q in questions} == set(quiz.SECTIONS)
        for question in questions:
            assert question.answer in question.options
            assert len(set(question.options)) == len(question.options) >= 2


def test_score_counts():
    questions = quiz.build_questions(0)
    answers = {questions[0].key: questions[0].answer, questions[1].key: "wrong", "other": None}
    assert quiz.score(questions, answers) == (2, 1)
