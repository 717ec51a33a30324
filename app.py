"""nnlab dashboard: `streamlit run app.py`.

The entry point is the frame every page runs inside: page config, the navigation grouped by the
parts of the lecture, and the sidebar (presenter mode, projector theme). A page appears in the
navigation only when its file exists, so the app always runs while pages are being written.

The sidebar's links are drawn here (st.page_link under each part's name), not by st.navigation:
Streamlit's own sectioned navigation puts each section's <header> and links in a <div> directly
inside its <ul>, which axe-core reports as two serious violations (`list`, `listitem`) on every
page, and the app cannot change that markup. A flat st.navigation has no such markup but loses
the lecture's parts; these links keep both (tests/app/test_browser_a11y.py shows a bare
sectioned Streamlit app with the violations and this app without them).
"""

import streamlit as st

from viz import controls, navigation, ui


def build_navigation() -> dict[str, list]:
    """Group the existing page files by lecture section, in lecture order."""
    sections: dict[str, list] = {}
    for section, filename, title, icon, _summary in navigation.existing_pages():
        page = st.Page(f"pages/{filename}", title=title, icon=icon, default=(filename == "home.py"))
        sections.setdefault(section, []).append(page)
    return sections


def sidebar_links(sections: dict[str, list], current) -> None:
    """Each part's name, then a link to each of its pages; the open page's link in bold (and
    highlighted by Streamlit), so it is not told by colour alone."""
    with st.sidebar.container(key=navigation.NAV_KEY):
        for section, pages in sections.items():
            st.markdown(f"**{section}**")
            for page in pages:
                if page.url_path == current.url_path:
                    with st.container(key=navigation.HERE_KEY):
                        st.page_link(page, label=f"**{page.title}**")
                else:
                    st.page_link(page)


st.set_page_config(page_title="nnlab: the math of MLPs", page_icon="🧠", layout="wide")
sections = build_navigation()
current = st.navigation(sections, position="hidden")
st.sidebar.markdown(navigation.SKIP_LINK)
sidebar_links(sections, current)
controls.notices_at(st.container())  # what became of a link's values, above the page
ui.sidebar_controls()
current.run()
