"""One unit's hyperplane: w turns the boundary, ||w|| sets its steepness, b / ||w|| places it."""

import numpy as np
import streamlit as st

import nncore as nn
from nncore.regions import unit_hyperplane
from viz import grid, ui
from viz import hyperplane as viz

ui.page_header(
    "One unit's hyperplane",
    r"Each unit of layer $i$ computes $\sigma(h^{i-1} w^\top + b)$ with $w$ its row of $W^i$ and "
    "$b$ its entry of $b^i$. Over the plane of two inputs, $z = 0$ is a straight line (a "
    "hyperplane in $n_0$ dimensions): $w$ sets its direction, perpendicular to $w$, and $b$ moves "
    "it, but only together with the length of $w$: the line sits at distance "
    r"$|b| / \|w\|$ from the origin.",
    r"z = x\,w^\top + b,\qquad h = \sigma(z),\qquad \{x : x\,w^\top + b = 0\}\ \text{lies at "
    r"distance}\ \frac{|b|}{\lVert w \rVert_2}\ \text{from}\ 0,\qquad \text{nearest point}\ "
    r"x^* = -\frac{b}{\lVert w \rVert_2^2}\,w",
)

ACTIVATIONS = list(nn.ACTIVATIONS)
cols = st.columns(4)
with cols[0]:
    theta = ui.slider("Direction θ of w (degrees)", 0, 359, 30, key="hp_theta")
with cols[1]:
    length = ui.select_slider(
        "Length ‖w‖", [0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 8.0], 1.5, key="hp_length"
    )
with cols[2]:
    bias = ui.slider("Bias b", -4.0, 4.0, 2.0, key="hp_bias", step=0.1)
with cols[3]:
    activation = ui.select(
        "Activation σ", ACTIVATIONS, key="hp_act", index=ACTIVATIONS.index("sigmoid")
    )

with ui.guard("draw the unit's hyperplane"):
    w = viz.weight_vector(float(theta), float(length))
    plane = unit_hyperplane(w, float(bias))
    cols = st.columns(4)
    cols[0].metric("w", f"({ui.fixed(w[0])}, {ui.fixed(w[1])})")
    cols[1].metric("Distance |b| / ‖w‖", f"{plane.distance:.3f}")
    cols[2].metric(
        "Nearest point x* = −b w / ‖w‖²",
        f"({ui.fixed(plane.foot[0])}, {ui.fixed(plane.foot[1])})",
    )
    cols[3].metric(
        "Width of the switch",
        f"{2 * np.log(9.0) / plane.norm:.3f}",
        help=r"$2 \ln 9 / \|w\|$: the sigmoid is between 0.1 and 0.9 where $|z| < \ln 9$, i.e. "
        r"within $\ln 9 / \|w\|$ of the line, so a longer $w$ makes the unit switch more sharply.",
    )
    if plane.distance > viz.EXTENT * np.sqrt(2):
        st.info(
            f"The boundary lies {plane.distance:.2f} from the origin, outside the square drawn "
            "here: lengthen $w$ or shrink $b$ to bring it back."
        )
    left, right = grid.cells([3, 2], per_row=1)
    with left:
        ui.chart(
            viz.plane_figure(w, float(bias), activation),
            key="hp_plane",
            summary=f"The boundary z = 0 (dashed) is perpendicular to w = ({w[0]:.3f}, "
            f"{w[1]:.3f}) at distance {plane.distance:.3f} from the origin; its nearest point "
            f"is ({ui.fixed(plane.foot[0])}, {ui.fixed(plane.foot[1])}) (the solid segment); h "
            "grows in the direction of w.",
        )
    with right:
        ui.chart(viz.profile_figure(float(length), float(bias), activation), key="hp_profile")
    st.markdown(
        r"**What to see.** Turn $\theta$: the line turns with $w$ and stays perpendicular to it. "
        r"Change $b$: the line slides along $w$, to distance $|b| / \|w\|$, on the side opposite "
        "to $w$ when $b > 0$. Lengthen $w$ with $b$ fixed: the line moves towards the origin *and* "
        "the switch gets sharper. Scaling $w$ and $b$ together (the profile chart's three curves) "
        "keeps the line where it is and only changes the steepness, so $b$ alone does not fix the "
        r"position: the slide's '$b$ controls the position' holds only together with $\|w\|$."
    )
    st.caption(
        "With ReLU the line is the unit's kink: every unit of a hidden layer adds one such line, "
        "which is why width sets how many linear pieces a layer can make (see Universal "
        "approximation). With $|x|$ the unit folds the plane along the line (see Activation "
        "functions)."
    )

ui.show_code(unit_hyperplane)
