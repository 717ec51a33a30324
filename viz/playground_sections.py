"""The playground's sections shown while paused: the test points, how the layers transform the
plane, and the export (weights and runnable code)."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from nncore.export import numpy_code, torch_code
from nncore.io import network_bytes
from viz import playground as viz
from viz import playground_transform as transform
from viz import ui

CODE_SHOWN = 6000  # characters of each script shown on the page (the download has all of it)


def test_points(session: viz.Session) -> None:
    """Regression: the losses; classification: test accuracy and the confusion matrix."""
    if session.data.is_regression:
        test = ui.magnitude(session.test_loss[-1], 4)
        train = ui.magnitude(session.train_loss[-1], 4)
        st.markdown(
            f"Regression: test loss (mean squared error) **{test}**, training loss {train}."
        )
        return
    counts = session.confusion()
    right, total = int(counts.trace()), int(counts.sum())
    st.markdown(
        f"Test accuracy **{right / max(total, 1):.1%}** ({right} of {total} test "
        "points). Confusion matrix: rows are the true classes, columns the predicted."
    )
    # rows and columns named by the class alone (the sentence above says which is which): ten
    # "predicted class c" headers did not fit a projector's column (the digits in presenter
    # mode at 1024 px needed 769 px of 562)
    classes = [str(c) for c in range(counts.shape[0])]
    table = pd.DataFrame(counts, columns=classes)
    table.insert(0, "true \\ predicted", classes)
    # a plain HTML table (as ui.table draws in presenter mode): a few counts need no data grid,
    # whose script is the heaviest thing a paused playground would load; screen readers read a
    # table's rows and headers directly (the grid draws on a canvas)
    st.table(table.style.hide(axis="index"))


def layer_view(session: viz.Session) -> None:
    """The data and a grid of the plane in a chosen layer's coordinates."""
    if not session.settings.is_plane:
        st.info("The digits have 64 inputs, not a plane: choose a 2-D data set.")
        return
    hidden = list(range(1, session.net.depth))
    if not hidden:
        st.info("No hidden layer: the output layer works on the input features directly.")
    options = [0, *hidden]
    chosen = ui.select(
        "Layer",
        options,
        key="pg_lview",
        index=len(options) - 1,
        format_func=lambda i: "input features" if i == 0 else f"layer {i}",
    )
    figure, summary = transform.transform_figure_and_summary(session, int(chosen))
    ui.chart(figure, key="pg_transform", summary=summary)
    st.caption(
        "Every training point and every line of a square grid of the plane, moved by "
        r"layers $1, \dots, i$: at their coordinates $h^i$ for a 2-unit layer, else along the "
        "two principal directions of $h^i$. The background shows what the rest of the network "
        "decides for the points of this plane; in the last hidden layer the classes are "
        "cut by straight lines $z_a = z_b$."
    )


def export(session: viz.Session, own_points: bool) -> None:
    """The URL, the weights (npz, JSON) and the run as NumPy + nncore and PyTorch code."""
    st.markdown(
        "**The URL** holds every setting (copy it from the address bar)"
        + (", except your points." if own_points else ".")
    )
    spec = session.run_spec()
    meta = {"playground_settings": asdict(session.settings), "epochs": session.epoch}
    cols = st.columns(4)
    cols[0].download_button(
        "Weights (.npz)",
        network_bytes(session.net, "npz", meta),
        "playground.npz",
        key="pg_dl_npz",
    )
    cols[1].download_button(
        "Weights (.json)",
        network_bytes(session.net, "json", meta),
        "playground.json",
        key="pg_dl_json",
    )
    numpy_source, torch_source = numpy_code(spec), torch_code(spec)
    cols[2].download_button(
        "NumPy + nncore (.py)", numpy_source, "playground_numpy.py", key="pg_dl_numpy"
    )
    cols[3].download_button("PyTorch (.py)", torch_source, "playground_torch.py", key="pg_dl_torch")
    st.caption(
        "Both scripts rebuild this run from the start and print its train and test loss "
        f"after {session.epoch} epochs: the NumPy one with nncore's Trainer (the same numbers "
        "as here), the PyTorch one with torch.nn and torch.optim (float64; the same starting "
        "weights and batch order, so the losses agree up to rounding)."
    )
    for note in spec.notes:
        st.warning(note)
    code_tabs = st.tabs(["NumPy + nncore", "PyTorch"])
    for tab, source in zip(code_tabs, (numpy_source, torch_source), strict=True):
        with tab:
            shown = source if len(source) < CODE_SHOWN else source[:CODE_SHOWN]
            st.code(
                shown + ("" if shown is source else "\n# ... (download it)"),
                language="python",
                wrap_lines=True,  # a line past the column would hide its end (see page_css)
            )


TABS = ["Test points", "How the layers transform the plane", "Export"]


def paused_sections(session: viz.Session, own_points: bool) -> None:
    """The three tabs under the picture. Only the open one is computed and sent (the layers'
    view and the export cost more than the rest of a paused page together); the open tab is
    kept in the URL (pg_tab)."""
    tabs = ui.tabs(TABS, key="pg_tab")
    if tabs[0].open:
        with tabs[0], ui.guard("show the test points"):
            test_points(session)
    if tabs[1].open:
        with tabs[1], ui.guard("draw the layers' view of the plane"):
            layer_view(session)
    if tabs[2].open:
        with tabs[2], ui.guard("export the run"):
            export(session, own_points)
