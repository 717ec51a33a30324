"""What the page's CSS cannot do for a screen reader or a keyboard, done by one small script.

Streamlit draws its elements without these attributes and the app cannot pass them in, so one
script in the page (st.html, not iframed; it runs once per browser tab, however often the app
reruns or changes page) sets them, and again after every change to the page:

- A table wider than its frame scrolls sideways inside it (a phone, a half-screen window, 200 %
  zoom), and so does a chart wider than the page (ui.chart's frame, page_css.FRAME). Only the
  mouse could scroll it: the frame is not focusable and holds nothing that is (axe:
  scrollable-region-focusable, WCAG 2.1.1). Such a frame becomes a named region in the tab
  order, scrolled by the arrow keys; a frame that fits again leaves the tab order.
- The sidebar's link to the open page is bold; aria-current="page" says so to a screen reader.

Checks run in one animation frame after the page's DOM changed or a table frame was resized.
"""

from __future__ import annotations

import json

from viz import navigation, page_css

TABLE_FRAME = ".stTable > div"  # st.table's frame, which scrolls when the table is wider
TABLE_NAME = "Table, wider than the page: scroll it with the arrow keys"
CHART_FRAME = f'[class*="st-key-{page_css.FRAME}"]'  # ui.chart's frame around every chart
CHART_NAME = "Chart, wider than the page: scroll it with the arrow keys"
FRAMES = [(TABLE_FRAME, TABLE_NAME), (CHART_FRAME, CHART_NAME)]

SCRIPT = """
<script>
(() => {
  if (window.nnlabPageScript) return;
  window.nnlabPageScript = true;
  const kinds = @FRAMES@, here = ".st-key-@HERE@ a", nav = ".st-key-@NAV@ a";
  const watched = new WeakSet();
  const resized = new ResizeObserver(() => later());
  let queued = false;
  function fix() {
    queued = false;
    for (const [frames, name] of kinds) {
      for (const frame of document.querySelectorAll(frames)) {
        if (!watched.has(frame)) { watched.add(frame); resized.observe(frame); }
        const wider = frame.scrollWidth > frame.clientWidth + 1;
        if (wider && frame.getAttribute("role") !== "region") {
          frame.setAttribute("tabindex", "0");
          frame.setAttribute("role", "region");
          frame.setAttribute("aria-label", name);
        } else if (!wider && frame.getAttribute("role") === "region") {
          frame.removeAttribute("tabindex");
          frame.removeAttribute("role");
          frame.removeAttribute("aria-label");
        }
      }
    }
    const current = new Set(document.querySelectorAll(here));
    for (const link of document.querySelectorAll(nav)) {
      if (current.has(link)) link.setAttribute("aria-current", "page");
      else if (link.hasAttribute("aria-current")) link.removeAttribute("aria-current");
    }
  }
  function later() {
    if (!queued) { queued = true; requestAnimationFrame(fix); }
  }
  new MutationObserver(later).observe(document.body, {childList: true, subtree: true});
  later();
})();
</script>
"""
for _name, _value in [
    ("@FRAMES@", json.dumps(FRAMES)),
    ("@HERE@", navigation.HERE_KEY),
    ("@NAV@", navigation.NAV_KEY),
]:
    SCRIPT = SCRIPT.replace(_name, _value)
