"""Gradients page, the map tab ("Where gradients vanish or explode") via AppTest: a cell
against a direct backprop, where sigmoid balances (caption and formula), and Stop and Continue
while the map's rows are measured."""

import numpy as np
import pytest
from gradients_helpers import MAP, PAGE

import nncore as nn
from nncore.digits import load_digits


def test_page_map_tab_matches_a_direct_backprop(open_page, assert_page_ok, plotly_specs, decode):
    at = open_page(PAGE, {"gr_view": MAP, "gr_act": "tanh", "gr_width": 16})
    assert_page_ok(at)
    (spec,) = plotly_specs(at)
    heat = spec["data"][0]
    z = decode(heat["z"])
    assert z.shape == (14, 6)
    x, y = load_digits(scale="standard")
    row, col = heat["y"].index("2"), heat["x"].index("4")
    net = nn.MLP(
        [64, 16, 16, 16, 16, 10],
        hidden="tanh",
        output="softmax",
        init=("glorot_normal", {"gain": 2.0}),
        seed=0,
    )
    dh = net.backprop(x[:128], y[:128]).dh
    assert z[row, col] == pytest.approx(np.log10(np.linalg.norm(dh[0]) / np.linalg.norm(dh[4])))


def test_page_map_says_where_sigmoid_balances(open_page, plotly_specs, decode):
    at = open_page(PAGE, {"gr_view": MAP, "gr_act": "sigmoid", "gr_width": 32})
    text = " ".join(md.value for md in at.markdown)
    assert "never balances" not in text
    assert "$g = 10$" in text and "half" in text
    # the map reaches the gains where sigmoid balances and explodes
    heat = plotly_specs(at)[0]["data"][0]
    gains = [float(g) for g in heat["y"]]
    assert max(gains) >= 16
    # the caption's balance point: where the depth-30 column crosses 0, interpolated in log g
    column = decode(heat["z"])[:, heat["x"].index("30")]
    i = int(np.flatnonzero(np.diff(np.sign(column)))[0])
    t = column[i] / (column[i] - column[i + 1])
    expected = np.exp(np.log(gains[i]) + t * (np.log(gains[i + 1]) - np.log(gains[i])))
    assert 6 < expected < 16
    captions = " ".join(caption.value for caption in at.caption)
    assert f"sigmoid balances near $g = {expected:.3g}$" in captions
    # the formula's norm is defined, with live numbers beside it
    assert any(r"\frac{\|A^j\|_F}{\sqrt{n_j}}" in latex.value for latex in at.latex)
    assert any(r"RMS gain $\|A^j\|_F / \sqrt{n_j}$" in md.value for md in at.markdown)


def test_page_map_stopped_shows_the_rows_measured_and_continue_measures_the_rest(
    open_page, assert_page_ok, plotly_specs, decode
):
    """The map's rows (one per gain) are a list of long jobs with Stop and Continue: after a
    Stop with 3 of 14 rows measured, the page draws those 3 rows, says so, and does not claim a
    balance point it has not reached; Continue measures the other 11 (the same cached rows)."""
    at = open_page(PAGE, {"gr_act": "sigmoid", "gr_width": 16})
    gains = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0, 16.0]
    # the state a Stop leaves after the third row (what viz.ui.stoppable_jobs keeps)
    jobs = [("sigmoid", 16, gain, 0) for gain in gains]
    at.session_state["gr_phase_rows"] = {"jobs": jobs, "done": 3, "stopped": True}
    at.session_state["gr_view"] = MAP
    at.run()
    assert_page_ok(at)
    (heat,) = [spec["data"][0] for spec in plotly_specs(at)]
    assert [float(g) for g in heat["y"]] == gains[:3]
    partial = decode(heat["z"])
    assert partial.shape == (3, 6)
    assert any("Stopped after 3 of 14" in info.value for info in at.info)
    captions = " ".join(caption.value for caption in at.caption)
    assert "no gain measured so far (up to $g = 0.75$) balances sigmoid" in captions
    (resume,) = [button for button in at.button if button.label == "Continue measuring"]
    resume.click().run()
    assert_page_ok(at)
    (heat,) = [spec["data"][0] for spec in plotly_specs(at)]
    assert [float(g) for g in heat["y"]] == gains
    np.testing.assert_array_equal(decode(heat["z"])[:3], partial)
    assert not any("Stopped after" in info.value for info in at.info)
    captions = " ".join(caption.value for caption in at.caption)
    # at width 16 sigmoid needs a gain beyond the map's 16 (the narrower, the larger)
    assert "no gain in this map balances sigmoid" in captions and "so far" not in captions
