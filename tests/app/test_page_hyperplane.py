"""One unit's hyperplane: distance |b| / ||w||, the nearest point, the drawn line, the values."""

import numpy as np
import pytest

PAGE = "pages/hyperplane.py"


def _metrics(at):
    return {element.label: element.value for element in at.metric}


def _pair(text):
    return np.array([float(v) for v in text.strip("()").split(",")])


def _check(at, plotly_specs, decode, theta, length, b, activation):
    w = length * np.array([np.cos(np.radians(theta)), np.sin(np.radians(theta))])
    values = _metrics(at)
    assert float(values["Distance |b| / ‖w‖"]) == pytest.approx(abs(b) / length, abs=5e-4)
    foot = _pair(values["Nearest point x* = −b w / ‖w‖²"])
    # the nearest point solves min ||x|| subject to x w^T + b = 0: least squares, by NumPy
    expected_foot = np.linalg.lstsq(w[None, :], np.array([-b]), rcond=None)[0]
    np.testing.assert_allclose(foot, expected_foot, atol=5e-4)
    plane, profile = plotly_specs(at)
    heatmap = plane["data"][0]
    xs, h = decode(heatmap["x"]), np.asarray(decode(heatmap["z"]), dtype=float)
    h = h.reshape(len(xs), len(xs))
    z = xs[None, :] * w[0] + xs[:, None] * w[1] + b  # rows: x2, columns: x1
    reference = {
        "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
        "relu": lambda v: np.maximum(v, 0),
        "tanh": np.tanh,
        "identity": lambda v: v,
    }[activation](z)
    np.testing.assert_allclose(h, reference, rtol=1e-12, atol=1e-12)
    lines = [trace for trace in plane["data"] if trace.get("name", "").startswith("boundary")]
    for line in lines:  # every drawn point of the boundary satisfies x w^T + b = 0
        points = np.column_stack([decode(line["x"]), decode(line["y"])])
        np.testing.assert_allclose(points @ w + b, 0.0, atol=1e-9)
    return lines, profile


def test_defaults(open_page, assert_page_ok, plotly_specs, decode):
    at = open_page(PAGE)
    assert_page_ok(at)
    lines, profile = _check(at, plotly_specs, decode, 30, 1.5, 2.0, "sigmoid")
    assert len(lines) == 1
    # the profile's curves (w, b), (2w, 2b), (w/2, b/2) all cross 1/2 at t = -b/||w|| = -4/3
    for trace in profile["data"]:
        t, h = decode(trace["x"]), decode(trace["y"])
        assert np.interp(0.5, h, t) == pytest.approx(-4 / 3, abs=0.02)


@pytest.mark.parametrize(
    ("theta", "length", "b", "activation"),
    [
        (0, 0.25, 0.0, "sigmoid"),
        (359, 8.0, 4.0, "relu"),
        (90, 2.0, -4.0, "tanh"),
        (200, 3.0, 2.5, "identity"),
    ],
)
def test_extremes(open_page, assert_page_ok, plotly_specs, decode, theta, length, b, activation):
    query = {"hp_theta": theta, "hp_length": length, "hp_bias": b, "hp_act": activation}
    at = open_page(PAGE, query)
    assert_page_ok(at)
    _check(at, plotly_specs, decode, theta, length, b, activation)


def test_boundary_outside_the_square_is_said(open_page, plotly_specs, decode):
    at = open_page(PAGE, {"hp_length": 0.25, "hp_bias": 4.0})
    assert not at.exception and not at.error
    assert any("outside the square" in info.value for info in at.info)
    lines, _ = _check(at, plotly_specs, decode, 30, 0.25, 4.0, "sigmoid")
    assert float(_metrics(at)["Distance |b| / ‖w‖"]) == 16.0
    assert lines == []  # distance 16: the line misses [-4, 4]^2 and is not drawn


def test_sigmoid_band_width_is_two_ln9_over_length(open_page):
    at = open_page(PAGE, {"hp_length": 4.0})
    band = float(_metrics(at)["Width of the switch"])
    # sigma(z) = 0.9 at z = ln 9: the band |z| < ln 9 is 2 ln 9 / ||w|| wide across the line
    z90 = np.log(0.9 / 0.1)
    assert band == pytest.approx(2 * z90 / 4.0, abs=5e-4)


@pytest.mark.parametrize("theta", [0, 31, 45, 137, 200, 359])
def test_turning_w_leaves_the_profile_untouched(open_page, theta):
    """The profile depends on ||w|| and b only. Turning w must leave its figure unchanged to the
    last byte: a chart whose figure changes at all is drawn again from scratch in the browser.
    (||w|| recomputed from length (cos, sin) differs in its last bits from one direction to
    another.)"""
    at_default = open_page(PAGE)
    at_turned = open_page(PAGE, {"hp_theta": theta})
    profile = [chart.proto.spec for chart in at_default.get("plotly_chart")][1]
    turned = [chart.proto.spec for chart in at_turned.get("plotly_chart")][1]
    assert turned == profile


@pytest.mark.parametrize(
    ("activation", "expected"),
    [("sigmoid", {"zmin": 0.0, "zmax": 1.0}), ("tanh", {"zmin": -1.0, "zmax": 1.0})],
)
def test_a_bounded_activation_keeps_its_whole_colour_range(
    open_page, plotly_specs, activation, expected
):
    # b = 4 with ||w|| = 0.25: h = sigma(x w^T + 4) lies in [0.98, 0.99] over the square; an
    # automatic range painted it from deep blue to deep red, as if the boundary crossed it
    at = open_page(PAGE, {"hp_length": 0.25, "hp_bias": 4.0, "hp_act": activation})
    heatmap = plotly_specs(at)[0]["data"][0]
    assert {key: heatmap.get(key) for key in expected} == expected


def test_an_unbounded_activation_is_white_at_the_boundary(open_page, plotly_specs):
    at = open_page(PAGE, {"hp_act": "relu"})
    heatmap = plotly_specs(at)[0]["data"][0]
    assert heatmap["zmid"] == 0.0 and "zmin" not in heatmap  # relu(0) = 0


@pytest.mark.parametrize(("theta", "length"), [(359, 0.25), (30, 1.5), (180, 8.0)])
def test_the_arrow_w_points_along_w_from_the_origin(open_page, plotly_specs, decode, theta, length):
    at = open_page(PAGE, {"hp_theta": theta, "hp_length": length, "hp_bias": -4.0})
    arrow = next(t for t in plotly_specs(at)[0]["data"] if t.get("name", "").startswith("w "))
    xs, ys = decode(arrow["x"]), decode(arrow["y"])
    assert (xs[0], ys[0]) == (0.0, 0.0)
    w = length * np.array([np.cos(np.radians(theta)), np.sin(np.radians(theta))])
    tip = np.array([xs[-1], ys[-1]])
    # the tip lies along w, at ||w|| (or 0.9 of the square's half-width for a long w)
    assert tip @ w / (np.linalg.norm(tip) * length) == pytest.approx(1.0, abs=1e-9)
    assert np.linalg.norm(tip) == pytest.approx(min(length, 0.9 * 4), abs=1e-9)
    assert arrow["marker"]["symbol"][-1] == "arrow" and arrow["marker"]["angleref"] == "previous"


def test_the_crossing_label_sits_above_the_profile_not_on_its_curves(open_page, plotly_specs):
    at = open_page(PAGE)
    label = next(
        a for a in plotly_specs(at)[1]["layout"]["annotations"] if a["text"].startswith("t =")
    )
    assert (label["y"], label["yref"], label["yanchor"]) == (1, "y domain", "bottom")
