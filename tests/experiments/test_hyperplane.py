"""One unit's hyperplane: the boundary x w^T + b = 0, its distance |b| / ||w|| and its foot."""

import numpy as np
import pytest

from nncore.regions import unit_hyperplane


@pytest.mark.parametrize(("w", "b"), [([3.0, 4.0], 10.0), ([0.5, -2.0], -1.3), ([1.0, 0.0], 0.0)])
def test_distance_and_foot_against_a_search_along_the_line(w, b):
    w = np.array(w)
    plane = unit_hyperplane(w, b)
    # points of the line: any particular solution plus multiples of a direction orthogonal to w
    start = np.array([-b / w[0], 0.0]) if w[0] != 0 else np.array([0.0, -b / w[1]])
    along = np.array([-w[1], w[0]])
    t = np.linspace(-50, 50, 2_000_001)
    points = start + t[:, None] * along
    np.testing.assert_allclose(points @ w + b, 0.0, atol=1e-9)
    nearest = points[np.argmin(np.linalg.norm(points, axis=1))]
    assert plane.distance == pytest.approx(np.linalg.norm(nearest), abs=1e-4)
    np.testing.assert_allclose(plane.foot, nearest, atol=1e-4)
    assert plane.foot @ w + b == pytest.approx(0.0, abs=1e-12)


def test_scaling_w_and_b_together_keeps_the_plane():
    for c in (0.1, 2.0, 1e3):
        a, b = unit_hyperplane([3.0, 4.0], 10.0), unit_hyperplane([3 * c, 4 * c], 10 * c)
        assert b.distance == pytest.approx(a.distance, rel=1e-12)
        np.testing.assert_allclose(b.foot, a.foot, rtol=1e-12)
    assert unit_hyperplane([3.0, 4.0], 10.0).distance == pytest.approx(2.0)


def test_signed_distance_and_sides():
    plane = unit_hyperplane([0.0, 2.0], -2.0)  # the line x2 = 1
    np.testing.assert_allclose(
        plane.signed_distance([[5.0, 3.0], [0.0, 1.0], [1.0, 0.0]]), [2, 0, -1]
    )
    np.testing.assert_allclose(plane.unit_normal, [0.0, 1.0])


def test_bad_input():
    with pytest.raises(ValueError, match="w = 0"):
        unit_hyperplane([0.0, 0.0], 1.0)
    with pytest.raises(ValueError, match="finite"):
        unit_hyperplane([1.0, np.inf], 1.0)
    with pytest.raises(ValueError, match="finite"):
        unit_hyperplane([1.0, 1.0], np.nan)
