"""Grading page, the comparison against the reference (viz/grading_compare.py): which values
differ, the closed-form references, and the compare view's figure and verdict (a single differing
input shows, match or difference said in words and symbols, the theme's colours)."""

import numpy as np
import pytest

# sandbox_ready is autouse: every test here is skipped (failed in CI) where the sandbox cannot run
from grading_helpers import sandbox_ready  # noqa: F401

from viz import grading_compare as compare


def test_compare_marks_values_beyond_tolerance_and_nan():
    reference = np.array([[1.0], [2.0], [0.0], [np.inf]])
    student = np.array([1.0 + 1e-9, 2.1, np.nan, np.inf])
    difference = compare.compare(student, reference)
    assert difference.mismatch.tolist() == [False, True, True, False]
    assert difference.count == 2 and difference.worst == np.inf


def test_compare_rejects_wrong_sizes_with_both_shapes():
    with pytest.raises(ValueError, match=r"\(3,\).*\(4, 1\)"):
        compare.compare(np.zeros(3), np.zeros((4, 1)))


def test_references_are_the_closed_forms():
    x = np.linspace(-30, 30, 61)
    sigmoid = compare.COMPARABLES["activations.py: sigmoid"].reference(x, 1.0)[:, 0]
    np.testing.assert_allclose(sigmoid, 1 / (1 + np.exp(-x)), rtol=1e-12)
    tanh_grad = compare.COMPARABLES["activations.py: tanh_grad"].reference(x, 1.0)[:, 0]
    np.testing.assert_allclose(tanh_grad, 1 - np.tanh(x) ** 2, atol=1e-15)
    softmax = compare.COMPARABLES["output_units.py: softmax"].reference(x, 2.0)
    scores = 2.0 * np.stack([x, 0 * x, 0 * x + 1], axis=1)
    expected = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(softmax, expected / expected.sum(axis=1, keepdims=True))
    reduced = compare.COMPARABLES["output_units.py: softmax_reduced"].reference(x, 1.0)
    assert reduced.shape == (61, 3)
    np.testing.assert_allclose(reduced[:, 2], 1 / (1 + np.exp(x) + np.exp(0.5)))
    # the approximation assignment's exercise 4: scores [x, 1/2] and the fixed 0
    total = np.exp(x) + np.exp(0.5) + 1
    approx = compare.COMPARABLES["softmax_reduced.py: softmax_reduced"].reference(x, 1.0)
    np.testing.assert_allclose(
        approx, np.stack([np.exp(x), 0 * x + np.exp(0.5), 0 * x + 1], 1) / total[:, None]
    )
    logs = compare.COMPARABLES["softmax_reduced.py: log_softmax_reduced"].reference(x, 1.0)
    expected = np.stack([x, 0 * x + 0.5, 0 * x], axis=1) - np.log(total)[:, None]
    np.testing.assert_allclose(logs, expected, rtol=1e-12, atol=1e-12)
    reduced_scores = compare.COMPARABLES["softmax_reduced.py: reduce_scores"].reference(x, 1.0)
    np.testing.assert_array_equal(reduced_scores, np.stack([x - 1, 0 * x - 1], axis=1))


def test_a_difference_at_a_single_input_shows_in_the_difference_panel():
    """relu'(0) = 1 instead of 0 differs at one input only: the panel must show that point."""
    comparable = compare.COMPARABLES["activations.py: relu_grad"]
    x = np.linspace(-5, 5, 11)
    reference = comparable.reference(x, 1.0)
    student = (x >= 0).astype(float)  # the classic convention slip at z = 0
    difference = compare.compare(student, reference)
    assert difference.count == 1 and x[difference.mismatch][0] == 0
    fig = compare.comparison_figure(x, reference, student, difference, comparable)
    panel = next(trace for trace in fig.data if trace.name == "|yours − reference|")
    assert "markers" in panel.mode
    shown = np.asarray(panel.y, dtype=float)
    assert np.isfinite(shown).sum() == 1 and shown[x == 0][0] == 1.0


def test_before_an_upload_the_reference_has_its_own_x_axis_and_no_empty_panel():
    """The tour: before any upload the view drew an empty difference panel, which held the
    shared x axis: the reference had no x tick labels, no x title, and 250 px of blank below."""
    comparable = compare.COMPARABLES["activations.py: sigmoid"]
    x = np.linspace(-10, 10, 201)
    fig = compare.comparison_figure(x, comparable.reference(x, 1.0), None, None, comparable)
    layout = fig.layout
    assert len(list(fig.select_xaxes())) == len(list(fig.select_yaxes())) == 1
    assert (
        layout.xaxis.title.text == "x (the swept input)"
        and layout.xaxis.showticklabels is not False
    )
    assert {trace.xaxis or "x" for trace in fig.data} == {"x"} and layout.height <= 420


def test_compare_view_says_match_or_difference_in_words_and_symbols():
    comparable = compare.COMPARABLES["activations.py: relu_grad"]
    x = np.linspace(-5, 5, 11)
    reference = comparable.reference(x, 1.0)
    wrong = compare.compare((x >= 0).astype(float), reference)
    assert compare.verdict(wrong, x).startswith("✗ Differs")
    assert "at 1 of 11 inputs, first at x = 0" in compare.verdict(wrong, x)
    right = compare.compare((x > 0).astype(float), reference)
    assert compare.verdict(right, x) == "✓ Matches: yours equals the reference at all 11 inputs."
    fig = compare.comparison_figure(x, reference, (x >= 0).astype(float), wrong, comparable)
    marks = next(trace for trace in fig.data if "differs" in trace.name)
    assert marks.name.startswith("✗") and marks.marker.symbol == "x"


def test_compare_view_draws_in_the_themes_colours():
    """Dark room: every colour the figure sets comes from the dark palette (no black marker or
    fixed red on the dark background); a reference and the student's curve share a colour."""
    from viz import palette

    comparable = compare.COMPARABLES["output_units.py: softmax"]
    x = np.linspace(-800, 800, 9)
    reference = comparable.reference(x, 1.0)
    student = np.where(np.abs(x[:, None]) > 500, np.nan, reference)
    difference = compare.compare(student, reference)
    fig = compare.comparison_figure(x, reference, student, difference, comparable, palette.DARK)
    colours = set()
    for trace in fig.data:
        colours |= {trace.line.color, trace.marker.color} - {None}
    assert colours and colours <= set(palette.DARK), colours
    for label in comparable.columns:
        pair = [t.line.color for t in fig.data if t.name.endswith(label) and "|" not in t.name]
        assert len(pair) == 2 and pair[0] == pair[1]
