"""The playground's own points: a CSV upload, points clicked onto the plane, the button that
copies a generated data set's points, and, until a run can start on them (two points, and for
classification two classes), an empty plane that takes clicks.

Your points live in st.session_state["pg_own"] (a viz.playground.OwnPoints), not in the URL;
st.session_state["pg_own_version"] counts their changes (a new version starts a new run).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from nncore.io import read_points_csv
from viz import grid, ui
from viz import playground as viz
from viz.playground_figures import CLASS_SYMBOLS, class_colour
from viz.playground_overlay import INVISIBLE, click_grid, clicked

PLANE_KEY = "pg_own_plane"
TYPED = ("pg_add_x1", "pg_add_x2")  # a point typed in (typed_point_controls)
NOT_ADDED = "pg_own_not_added"  # why the last point was not added, shown once


def load_csv(problem: str) -> None:
    """Upload callback: parse the file (errors name the row and column), start a new run."""
    uploaded = st.session_state.get("pg_csv")
    st.session_state.pop("pg_csv_error", None)
    if uploaded is None:
        return
    try:
        x, y = read_points_csv(uploaded.getvalue(), problem)
    except (ValueError, TypeError) as error:
        st.session_state["pg_csv_error"] = f"{uploaded.name}: {error}"
        return
    x, scale = viz.fit_to_plane(x)
    notes = [f"divided by {scale:.3g} to fit the plane"] if scale != 1 else []
    if problem == "regression":
        y, y_scale = viz.fit_to_targets(y)
        if y_scale != 1:
            notes.append(f"targets divided by {y_scale:.3g} into the playground's range [-1, 1]")
    st.session_state["pg_own"] = viz.OwnPoints(x, y, problem)
    st.session_state["pg_own_note"] = f"{len(x)} points from {uploaded.name}" + "".join(
        f", {note}" for note in notes
    )
    st.session_state["pg_own_version"] += 1


def edit_points() -> None:
    """Copy the current data set's points into your points and switch to them."""
    session = st.session_state.get("pg_session")
    if session is None or not session.settings.is_plane:
        return
    data = session.data
    x = np.vstack([data.p_train, data.p_test])
    y = np.concatenate([data.y_train, data.y_test])
    st.session_state["pg_own"] = viz.OwnPoints(x, y, session.settings.problem)
    st.session_state["pg_own_note"] = f"{len(x)} points copied from {session.settings.dataset}"
    st.session_state["pg_own_version"] += 1
    st.session_state["pg_data"] = viz.OWN


def own_points_controls(problem: str, dataset: str, generated: bool):
    """Your points: upload, the class or target of a new point, clear, a point typed in; on a
    generated data set the button that copies its points into yours. Returns your points (or
    None)."""
    st.session_state.setdefault("pg_own_version", 0)
    stored = st.session_state.get("pg_own")
    own = stored if stored is not None and stored.problem == problem else None
    if dataset == viz.OWN:
        cols = grid.cells([2, 1, 1])
        with cols[0]:
            third = "label" if problem == "classification" else "target"
            st.file_uploader(
                f"CSV with columns x1, x2, {third} (a header row is optional)",
                type=["csv", "txt"],
                key="pg_csv",
                on_change=load_csv,
                args=(problem,),
            )
        with cols[1]:
            if problem == "classification":
                ui.select("Class of a new point", list(range(10)), key="pg_click")
            else:
                ui.slider(
                    "Target of a new point",
                    -1.0,
                    1.0,
                    0.5,
                    step=viz.TARGET_STEP,
                    key="pg_click_target",
                )
        with cols[2]:
            if st.button("Clear your points", key="pg_clear", icon=":material/delete:"):
                st.session_state.pop("pg_own", None)
                st.session_state["pg_own_version"] += 1
                own = None
        typed_point_controls(problem)
        if "pg_csv_error" in st.session_state:
            st.error(st.session_state["pg_csv_error"], icon=":material/error:")
        if NOT_ADDED in st.session_state:
            st.warning(st.session_state.pop(NOT_ADDED), icon=":material/warning:")
        missing = viz.own_points_missing(stored, problem)
        if missing:
            empty_plane(own, problem, missing)
        note = st.session_state.get("pg_own_note")
        how = "Pause, then click the decision surface to add a point; they"
        if missing:
            how = "Your points"
        st.caption(
            (note + ". " if note and own is not None else "")
            + f"{how} live in this browser session, not in the URL."
        )
    elif generated:
        st.button(
            "Edit these points (click to add, export them)",
            key="pg_edit",
            icon=":material/edit:",
            on_click=edit_points,
        )
    return own


def click_label(problem: str, dataset: str) -> str | None:
    """What a click on the paused map adds ('a class-2 point'), or None: no clicks."""
    if dataset != viz.OWN:
        return None
    if problem == "classification":
        return f"a class-{st.session_state.get('pg_click', 0)} point"
    return f"a point with target {st.session_state.get('pg_click_target', 0.5):g}"


def add_point(current: viz.Session | None, point, problem: str) -> None:
    """Your points: add one at point (x_1, x_2) with the chosen class or target (a callback:
    a point past the limit is named on the page, not raised)."""
    if problem == "classification":
        value = st.session_state.get("pg_click", 0)
    else:
        value = st.session_state.get("pg_click_target", 0.5)
    try:
        stored, restart = viz.add_clicked_point(
            current, st.session_state.get("pg_own"), point, value, problem
        )
    except ValueError as error:
        st.session_state[NOT_ADDED] = f"The point was not added: {error}."
        return
    st.session_state["pg_own"] = stored
    if restart:
        st.session_state["pg_own_version"] += 1


def add_typed_point(problem: str) -> None:
    """The 'Add this point' button: the point typed into x_1 and x_2 (the keyboard's way to do
    what a click on the plane or the paused picture does)."""
    point = [float(st.session_state.get(key, 0.0)) for key in TYPED]
    add_point(st.session_state.get("pg_session"), point, problem)


def typed_point_controls(problem: str) -> None:
    """x_1, x_2 and a button: add a point from the keyboard."""
    what = "a class" if problem == "classification" else "a target"
    cols = grid.cells(3, vertical_alignment="bottom")
    for col, key, name in zip(cols, TYPED, ("x₁", "x₂"), strict=False):
        with col:
            ui.number(
                f"New point's {name}", -viz.EXTENT, viz.EXTENT, 0.0, key=key, step=0.1,
                help=f"Where a point of {what} chosen above goes; the plane shows "
                f"-{viz.EXTENT} to {viz.EXTENT}.",
            )  # fmt: skip
    cols[2].button(
        "Add this point",
        key="pg_add",
        icon=":material/add:",
        on_click=add_typed_point,
        args=(problem,),
    )


# ---------------------------------------------------------------- the plane before a run
def plane_figure(own: viz.OwnPoints | None, problem: str, click_what: str) -> go.Figure:
    """The plane [-EXTENT, EXTENT]^2 with your points so far (a class: its colour and shape; a
    target: its value written beside the point), over an invisible grid of click targets."""
    data = []
    if own is not None and len(own.x):
        if problem == "classification":
            for c in np.unique(own.y).astype(int):
                at = own.y == c
                data.append(
                    go.Scatter(
                        x=own.x[at, 0], y=own.x[at, 1], mode="markers", name=f"class {c}",
                        marker={"size": 12, "color": class_colour(c),
                                "symbol": CLASS_SYMBOLS[c % len(CLASS_SYMBOLS)],
                                "line": {"width": 1, "color": "black"}},
                    )
                )  # fmt: skip
        else:
            targets = own.y.reshape(-1)
            data.append(
                go.Scatter(
                    x=own.x[:, 0], y=own.x[:, 1], mode="markers+text", name="target",
                    text=[f"{t:.2g}" for t in targets], textposition="top center",
                    marker={"size": 10, "color": class_colour(0),
                            "line": {"width": 1, "color": "black"}},
                )
            )  # fmt: skip
    clicks = click_grid()
    data.append(
        go.Scatter(
            x=clicks[:, 0], y=clicks[:, 1], mode="markers", name="click targets",
            meta="decoration", marker={"size": 7, "color": INVISIBLE, "symbol": "square"},
            customdata=clicks,
            hovertemplate=f"click: add {click_what} at (%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
            showlegend=False,
        )
    )  # fmt: skip
    extent = [-viz.EXTENT, viz.EXTENT]
    return go.Figure(
        data,
        layout={
            "title": {"text": "Your points: click the plane to add one"},
            "xaxis": {"title": {"text": "x₁"}, "range": extent, "fixedrange": True,
                      "constrain": "domain"},
            "yaxis": {"title": {"text": "x₂"}, "range": extent, "fixedrange": True,
                      "scaleanchor": "x", "constrain": "domain"},
            "height": 460,
            "dragmode": False,
            "hovermode": "closest",
            "clickmode": "event+select",
        },
    )  # fmt: skip


def _add_clicked(problem: str) -> None:
    """The plane's on_select callback: a click on the grid adds a point there."""
    hit = clicked(st.session_state.get(PLANE_KEY))
    if hit is None or not hit[1]:
        return
    add_point(None, hit[1], problem)


def empty_plane(own: viz.OwnPoints | None, problem: str, missing: str) -> None:
    """Until a run can start on your points: what they lack, and the plane to click on."""
    st.info(
        f"Your points: {missing}. {viz.OWN_POINTS_NEED[problem]}: click the plane below, type "
        "a point in, or upload a CSV file.",
        icon=":material/touch_app:",
    )
    ui.chart(
        plane_figure(own, problem, click_label(problem, viz.OWN)),
        key=PLANE_KEY,
        on_select=lambda: _add_clicked(problem),
        selection_mode="points",
    )
