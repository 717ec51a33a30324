"""nnlab dashboard: `streamlit run app.py`.

The entry point is the frame every page runs inside: page config, the navigation grouped by the
parts of the lecture, and the sidebar (presenter mode, projector theme). A page appears in the
navigation only when its file exists, so the app always runs while pages are being written.
"""

import streamlit as st

from viz import navigation, ui


def build_navigation() -> dict[str, list]:
    """Group the existing page files by lecture section, in lecture order."""
    sections: dict[str, list] = {}
    for section, filename, title, icon, _summary in navigation.existing_pages():
        page = st.Page(f"pages/{filename}", title=title, icon=icon, default=(filename == "home.py"))
        sections.setdefault(section, []).append(page)
    return sections


st.set_page_config(page_title="nnlab: the math of MLPs", page_icon="🧠", layout="wide")
current = st.navigation(build_navigation(), expanded=True)
ui.sidebar_controls()
current.run()
