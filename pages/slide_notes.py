"""Notes on the slides: where the lecture's notation slips, and the form nnlab uses instead."""

import pandas as pd
import streamlit as st

from viz import grid, ui
from viz import slide_notes as viz

ui.page_header(
    "Notes on the slides",
    "nnlab follows the lecture's notation everywhere. Where a slide slips (a missing transpose, "
    "an index, a sentence that says more than is true), nnlab uses the correct form; this page "
    "lists each place, so that reading the slides beside the app never misleads. Line numbers "
    "refer to the lecture text, L1 to L649.",
    r"h^0 = x,\qquad z^i = h^{i-1}\,W^{i\top} + b^i,\qquad h^i = \sigma(z^i),\qquad "
    r"W^i \in \mathbb{R}^{n_i \times n_{i-1}},\qquad \theta = \{W^i, b^i\}_{i=1}^k",
)

KINDS = {  # kind -> the label shown (and kept in the URL)
    "notation": "typos and indices",
    "statement": "false or overstated as written",
    "gloss": "true, but easy to misread",
}

all_notes = []
with ui.guard("compute the numbers the notes quote"):
    all_notes = viz.notes(viz.note_numbers())


@st.fragment
def notes_section(all_notes: list) -> None:
    """The toggles, the grouping and the notes. A fragment: a toggle reruns this section
    only (the header's formula and the alpha chart below stay as they are)."""
    # one toggle per kind (each kept in the URL as sn_<kind>): a multiselect's chips were cut off at
    # the right of a presenter-mode column, hiding which kinds were shown
    st.markdown("**Show**")
    shown_kinds = []
    for kind, cell in zip(KINDS, grid.cells(len(KINDS)), strict=True):
        with cell:
            if ui.toggle(KINDS[kind], key=f"sn_{kind}", value=True):
                shown_kinds.append(kind)
    order = ui.radio("Group", ["by lecture part", "by kind"], key="sn_order", horizontal=True)
    chosen = [note for note in all_notes if note.kind in shown_kinds]
    counts = pd.Series([note.kind for note in all_notes], dtype=object).value_counts()
    st.caption(
        f"{len(all_notes)} notes: "
        + ", ".join(f"{counts.get(kind, 0)} {KINDS[kind]}" for kind in KINDS)
        + "."
    )
    if not chosen:
        st.info("Choose at least one kind of note above.")
    # Every note keeps its place on the page whether it is shown or not (a hidden one leaves an
    # empty placeholder): Streamlit matches elements by position, so notes moving up after a toggle
    # were all drawn again, their formulas typeset again (measured: 5.6x a bare page's repaint).
    if order == "by kind":
        groups = [
            (label, [n for n in all_notes if n.kind == kind]) for kind, label in KINDS.items()
        ]
    else:
        groups = [(part, [n for n in all_notes if n.part == part]) for part in viz.PART_ORDER]
    for heading, notes_in_group in groups:
        if not any(note.kind in shown_kinds for note in notes_in_group):
            st.empty()
            for _ in notes_in_group:
                st.empty()
            continue
        st.header(heading[0].upper() + heading[1:])
        for note in notes_in_group:
            if note.kind not in shown_kinds:
                st.empty()
                continue
            with st.container(border=True):
                # the slide's form above nnlab's, in one element: as two columns a note was five
                # elements more, and each is reconciled again on every toggle (measured: a
                # toggle's repaint 241 -> 151 ms)
                st.markdown(
                    f"**{note.lines}** · *{KINDS[note.kind]}*\n\nSlide: {note.slide}\n\n"
                    f"nnlab: {note.correct}"
                )
                st.caption(note.why)


notes_section(all_notes)

st.header(r"$\alpha$ is an inverse temperature (L328)")
ui.latex(
    r"\Pr(\hat Y = i \mid x) = \frac{e^{\alpha z_i}}{\sum_j e^{\alpha z_j}} = "
    r"\frac{e^{z_i / T}}{\sum_j e^{z_j / T}},\qquad T = \frac{1}{\alpha}"
)
with ui.guard("draw the softmax against α"):
    ui.chart(viz.temperature_figure(), key="sn_temperature")
