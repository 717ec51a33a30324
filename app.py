"""nnlab dashboard: `streamlit run app.py`.

The entry point is the frame every page runs inside: page config, the navigation grouped by the
parts of the lecture, and the sidebar (presenter mode, projector theme). A page appears in the
navigation only when its file exists, so the app always runs while pages are being written.
"""

from pathlib import Path

import streamlit as st

from viz import ui

APP_DIR = Path(__file__).resolve().parent

# (section, file in pages/, title, material icon); the order follows the lecture.
PAGES = [
    ("Start", "home.py", "Home: the lecture map", ":material/home:"),
    ("1 · Structure", "structure.py", "Structure and notation", ":material/account_tree:"),
    ("2 · Output units", "output_units.py", "Output units and losses", ":material/output:"),
    ("2 · Output units", "softmax.py", "Softmax", ":material/bar_chart:"),
    (
        "3 · Hidden units and gradients",
        "activations.py",
        "Activation functions",
        ":material/show_chart:",
    ),
    (
        "3 · Hidden units and gradients",
        "gradients.py",
        "Gradients through depth",
        ":material/layers:",
    ),
    ("4 · Width and depth", "approximation.py", "Universal approximation", ":material/timeline:"),
    ("5 · Practice", "playground.py", "Playground", ":material/sports_esports:"),
    ("5 · Practice", "quiz.py", "Quiz", ":material/quiz:"),
    ("5 · Practice", "grading.py", "Grading", ":material/grading:"),
]


def build_navigation() -> dict[str, list]:
    """Group the existing page files by lecture section, in lecture order."""
    sections: dict[str, list] = {}
    for section, filename, title, icon in PAGES:
        path = APP_DIR / "pages" / filename
        if not path.exists():
            continue
        page = st.Page(f"pages/{filename}", title=title, icon=icon, default=(filename == "home.py"))
        sections.setdefault(section, []).append(page)
    return sections


st.set_page_config(page_title="nnlab: the math of MLPs", page_icon="🧠", layout="wide")
navigation = st.navigation(build_navigation(), expanded=True)
ui.sidebar_controls()
navigation.run()
