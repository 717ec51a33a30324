"""AppTests for the quiz: feedback, scoring, URL-kept answers, live explanations."""

from pathlib import Path

import numpy as np
import pytest

import nncore as nn
from viz import quiz

PAGE = "pages/quiz.py"


def test_defaults_nothing_answered(open_page, assert_page_ok, metric):
    at = open_page(PAGE)
    assert_page_ok(at)
    questions = quiz.build_questions(0)
    assert metric(at, "Answered") == f"0 / {len(questions)}"
    assert metric(at, "Score") == "-"
    assert not at.success and not at.warning
    # no empty score chart before the first answer: a sentence instead
    keys = [chart.proto.id for chart in at.get("plotly_chart")]
    assert not any("quiz_score" in key for key in keys)
    assert any("Answer a question" in caption.value for caption in at.caption)


def test_score_chart_appears_with_the_first_answer(open_page, widget):
    at = open_page(PAGE)
    widget(at, "q_tanh").set_value("2σ(2x) − 1").run()
    assert any("quiz_score" in chart.proto.id for chart in at.get("plotly_chart"))


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
    assert sizes[1] != sizes[2]


def test_every_question_is_well_formed():
    for seed in range(30):
        questions = quiz.build_questions(seed)
        assert len({q.key for q in questions}) == len(questions)
        assert {q.section for q in questions} == set(quiz.SECTIONS)
        for question in questions:
            assert question.answer in question.options
            assert len(set(question.options)) == len(question.options) >= 3


def test_shape_question_always_offers_three_distinct_options_and_the_transpose():
    for seed in range(2001):
        sizes = quiz.quiz_network_sizes(seed)
        options = quiz._shape_options(sizes)
        n_1, n_2 = sizes[1], sizes[2]
        assert len(set(options)) >= 3, (seed, options)
        # W^2 is never square, so its transpose is always a distinct wrong option
        assert n_1 != n_2 and str((n_1, n_2)) in options, (seed, sizes)
        assert str((n_2, n_1)) in options
        if seed % 40 == 0:  # the page's question: these options, shuffled, W^2 as built
            (question,) = [q for q in quiz.build_questions(seed) if q.key == "q_shape"]
            assert sorted(question.options) == sorted(options)
            net = nn.MLP(sizes, seed=seed)
            assert question.answer == str(net.weights[1].shape) == str((n_2, n_1))


def test_answers_are_shuffled_by_the_seed():
    positions = []
    for seed in range(40):
        questions = quiz.build_questions(seed)
        assert questions == quiz.build_questions(seed)  # the same seed, the same order
        positions += [q.options.index(q.answer) for q in questions]
    counts = np.bincount(positions)
    # the right answer sits in every position, none of them in more than half the questions
    assert len(counts) >= 3 and counts[:3].min() > 0 and counts.max() < 0.5 * len(positions)
    # per question too: over the seeds, no question keeps its answer in one place
    for index in range(len(quiz.build_questions(0))):
        places = {quiz.build_questions(seed)[index].options.index(
            quiz.build_questions(seed)[index].answer) for seed in range(40)}  # fmt: skip
        assert len(places) >= 2, quiz.build_questions(0)[index].key
    # numeric options stay in increasing order
    for question in quiz.build_questions(3):
        if all(option.isdigit() for option in question.options):
            assert list(question.options) == sorted(question.options, key=int)
    first = [q.options for q in quiz.build_questions(0)]
    assert any(a != b for a, b in zip(first, [q.options for q in quiz.build_questions(1)],
                                      strict=True))  # fmt: skip


def _letters(text):
    return "".join(ch for ch in text.lower() if ch.isalnum())


def test_nothing_above_a_question_gives_its_answer(open_page, plotly_specs):
    """Formulas and chart titles drawn above the questions, before any answer, against the
    answers' text; and the two known give-aways stay out."""
    at = open_page(PAGE)
    specs = plotly_specs(at)
    titles = [spec["layout"].get("title", {}).get("text", "") or "" for spec in specs]
    above = [latex.value for latex in at.latex] + titles
    for seed in (0, 1, 7):
        for question in quiz.build_questions(seed):
            for text in [question.latex, *above]:
                if len(_letters(question.answer)) >= 4:  # a word, not a symbol such as |x|
                    assert _letters(question.answer) not in _letters(text), (question.key, text)
    # the z_0 curve shows its answer, so it is drawn only with the feedback
    assert not any("lowers" in title or "raises" in title for title in titles)
    assert len(specs) == 1  # only the network drawing, needed to count
    shift = next(q for q in quiz.build_questions(0) if q.key == "q_shift")
    assert "z + c" not in shift.latex and "c)" not in shift.latex
    assert r"$\sigma(z + c) = \sigma(z)$" in shift.explanation


def test_the_z0_curve_comes_with_the_feedback(open_page, widget):
    at = open_page(PAGE)
    widget(at, "q_z0").set_value("Yes, it increases").run()
    assert any("quiz_reveal_q_z0" in chart.proto.id for chart in at.get("plotly_chart"))


def test_changing_the_seed_clears_old_answers(open_page, widget, metric):
    at = open_page(PAGE)
    widget(at, "q_deep").set_value(str(len(quiz.quiz_network_sizes(0)) - 1)).run()
    widget(at, "q_tanh").set_value("2σ(2x) − 1").run()
    assert metric(at, "Correct") == "2"
    widget(at, "quiz_seed").set_value(9999).run()
    assert not at.exception
    assert metric(at, "Answered") == f"0 / {len(quiz.build_questions(9999))}"
    assert not at.success and not at.warning


def test_the_right_answer_is_not_the_longest_option():
    """A classic give-away: over the text questions, the answer is the longest option in at
    most half of them."""
    questions = [q for q in quiz.build_questions(0) if len(q.answer) > 12]
    longest = [q.key for q in questions if max(q.options, key=len) == q.answer]
    assert len(longest) <= len(questions) // 2, longest


def test_corrected_explanations():
    questions = {q.key: q for q in quiz.build_questions(0)}
    wide = questions["q_wide_after_narrow"]
    assert "cannot restore" in wide.answer and "adds little" not in wide.answer
    assert "2.3e-1" in wide.explanation and "3.1e-2" in wide.explanation
    universal = questions["q_universal"]
    assert "maybe infinitely" not in universal.explanation
    assert "non-polynomial" in universal.explanation
    params = questions["q_params"]
    assert "no class has probability 0" in params.prompt
    assert r"$z_i = -\infty$" in params.explanation
    alpha = questions["q_alpha"]
    assert "tied" in alpha.answer and "[0.5, 0.5, 0.0]" in alpha.explanation
    design = questions["q_design"]
    assert "How wide? How deep?".lower() in design.prompt.lower()
    # the design question's numbers: a sawtooth of 6 layers of 2 ReLU units, counted by hand
    assert "64 linear pieces from 37 parameters" in design.explanation
    assert "63 units" in design.explanation


def test_softmax_reduced_reaches_a_positive_distribution():
    """q_params' claim, independently: z_i = ln(p_i / p_n) with z_n = 0 gives p back."""
    p = np.array([0.1, 0.2, 0.3, 0.15, 0.25])
    z = np.append(np.log(p[:-1] / p[-1]), 0.0)
    np.testing.assert_allclose(np.exp(z) / np.exp(z).sum(), p, rtol=1e-12)


@pytest.mark.slow
def test_a_narrow_layer_loses_what_a_wide_one_cannot_recover():
    """q_wide_after_narrow's measured numbers (median test MSE over seeds 0-2, 300 epochs,
    standardized targets as Choosing width and depth fits)."""
    from nncore.approximation import fit_architecture

    def median(sizes, target):
        fits = [fit_architecture(sizes, target=target, seed=s, standardize=True) for s in range(3)]
        return np.median([fit["test_mse"] for fit in fits])

    bottleneck, wide = median([2, 1, 64, 1], "polynomial"), median([2, 64, 1], "polynomial")
    assert bottleneck == pytest.approx(0.23, rel=0.3) and wide < 1e-3 and bottleneck > 100 * wide
    narrow, widened = median([1, 2, 2, 1], "sine"), median([1, 2, 32, 1], "sine")
    assert narrow == pytest.approx(0.16, rel=0.3) and widened == pytest.approx(0.031, rel=0.3)
    wide_first = median([1, 32, 2, 1], "sine")
    assert wide_first < widened / 30


def test_score_bars_differ_by_more_than_colour(open_page, widget):
    """'answered' and 'correct' differ in fill (hatched / solid) and print their counts: a
    reader who cannot tell the colours apart still reads the chart."""
    import json

    at = open_page(PAGE)
    questions = quiz.build_questions(0)
    right, wrong = questions[0], questions[1]
    widget(at, right.key).set_value(right.answer).run()
    widget(at, wrong.key).set_value(next(o for o in wrong.options if o != wrong.answer)).run()
    chart = next(c for c in at.get("plotly_chart") if "quiz_score" in c.proto.id)
    answered, correct = json.loads(chart.proto.spec)["data"]
    assert answered["name"] == "answered" and correct["name"] == "correct"
    assert answered["marker"]["pattern"]["shape"] == "/"
    assert not correct["marker"].get("pattern", {}).get("shape")
    expected = {s: (0, 0) for s in quiz.SECTIONS}
    for question, is_right in ((right, 1), (wrong, 0)):
        a, c = expected[question.section]
        expected[question.section] = (a + 1, c + is_right)
    assert answered["text"] == [str(expected[s][0]) for s in quiz.SECTIONS]
    assert correct["text"] == [str(expected[s][1]) for s in quiz.SECTIONS]


def test_formulas_fit_their_column():
    """Every formula above a question goes through ui.latex (viz.formula.fit), which keeps each
    unbreakable piece within the column's budget instead of scrolling sideways."""
    from viz import formula

    for question in quiz.build_questions(0):
        if question.latex:
            fitted = formula.fit(question.latex)
            assert max(formula.width_em(piece) for piece in formula.pieces(fitted)) <= (
                formula.BUDGET_EM
            ), question.key
    text = (Path(__file__).resolve().parents[2] / PAGE).read_text()
    assert "st.latex" not in text and "ui.latex(question.latex)" in text
