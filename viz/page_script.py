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
- A select box's chosen value longer than its field ("softmax_reduced.py: softmax_reduced" in
  half a row at presenter type) is set in a smaller type until it fits, down to MIN_SELECT_PX
  (an input holds one line: it cannot wrap as a multiselect's values do); one still longer
  widens its column, and the row of columns wraps (page_css), as a row of controls too narrow
  for their labels does ("momentum" in the playground's row of seven at 1024 px); a shorter
  value gives the column its own width back. Typing in the box (its list open) leaves it as it
  is; a new value or a resized field is fitted again.
- The playground's paused picture is a plotly chart of a fixed size (the picture's pixels, with
  its hover labels and click targets), shown narrower when its column is: plotly keeps the
  figure's height and draws the picture at the top, which left a blank band under it (330 px of
  a 662 px chart at 1024 x 768). The chart, its frame and its element take the picture's
  height, plus PICTURE_ROOM_PX for a hover label under its last row; not in fullscreen, where
  the chart fills the screen as Streamlit sizes it.
- A chart whose axes keep their scale (scaleanchor) has plotly shrink one axis's domain to fit,
  and plotly writes the shrunken domain into the figure's layout. Streamlit draws the chart
  afresh from that layout when its fullscreen opens or closes, so the shrunken domain became the
  chart's own and it came back smaller each time (the hyperplane's plane 380 -> 254 px). Before
  the fullscreen button or Escape acts, every axis gets its own domain back (plotly keeps it as
  the axis's _inputDomain).
- A page opened from the sidebar starts at its top. Streamlit swaps the page in without
  scrolling: when the old page's elements stay until the new one's arrive (a loaded server),
  the main area kept the old page's scroll, and the next page opened hundreds of pixels down,
  its title out of view (seen in CI). A new path (not a rerun of the same page, and not a link
  to a heading's anchor) scrolls the main area back to the top, once.

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
SELECT_VALUE = '[data-testid="stSelectbox"] input[role="combobox"]'
MIN_SELECT_PX = 14  # Streamlit's own size for a field's text (0.875rem)
# a plotly chart drawing a picture (a layout image: the playground's paused view)
PICTURE_CHART = '[data-testid="stPlotlyChart"]:has(.imagelayer image)'
PICTURE_ROOM_PX = 24
# Streamlit's fullscreen button in a plotly chart's toolbar, to open or to close it
FULLSCREEN_BUTTON = '[data-title="Fullscreen"], [data-title="Close fullscreen"]'

SCRIPT = """
<script>
(() => {
  if (window.nnlabPageScript) return;
  window.nnlabPageScript = true;
  const kinds = @FRAMES@, here = ".st-key-@HERE@ a", nav = ".st-key-@NAV@ a";
  const select = @SELECT@, picture = @PICTURE@;
  const watched = new WeakSet();
  const widened = new WeakMap();  // a column widened -> Map(select box -> the px it needs)
  const resized = new ResizeObserver(() => later());
  let queued = false;
  let path = location.pathname;
  function fix() {
    queued = false;
    if (location.pathname !== path) {  // another page: from its top (not on a rerun)
      path = location.pathname;
      const main = document.querySelector('[data-testid="stMain"]');
      if (main && !location.hash) main.scrollTo({top: 0, left: 0, behavior: "instant"});
    }
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
    for (const input of document.querySelectorAll(select)) {
      if (!watched.has(input)) { watched.add(input); resized.observe(input); }
      fit(input);
    }
    for (const chart of document.querySelectorAll(picture)) {
      // plotly sizes the picture after drawing it (an attribute change, no new element)
      const image = chart.querySelector(".imagelayer image");
      if (!watched.has(image)) { watched.add(image); resized.observe(image); }
      crop(chart, image);
    }
    const current = new Set(document.querySelectorAll(here));
    for (const link of document.querySelectorAll(nav)) {
      if (current.has(link)) link.setAttribute("aria-current", "page");
      else if (link.hasAttribute("aria-current")) link.removeAttribute("aria-current");
    }
  }
  function fit(input) {
    if (input.getAttribute("aria-expanded") === "true") return;  // typed in: as it is
    const over = () => input.scrollWidth > input.clientWidth + 1;
    const column = input.closest('[data-testid="stColumn"]');
    const needs = column && widened.get(column);  // what its select boxes asked of it
    if (needs) {  // a select box gone from the page asks for nothing
      const gone = [...needs.keys()].filter((box) => !box.isConnected);
      gone.forEach((box) => needs.delete(box));
      if (gone.length) widen(column, needs);
    }
    if (!input.style.fontSize && !(needs && needs.has(input)) && !over()) return;  // fits
    // fitted before: from the page's type and the column's own width again (a new value,
    // field or presenter mode)
    input.style.removeProperty("font-size");
    if (needs && needs.delete(input)) widen(column, needs);
    let size = parseFloat(getComputedStyle(input).fontSize);
    while (over() && size > @MIN@) {
      size = Math.max(@MIN@, size - 1);
      input.style.setProperty("font-size", size + "px", "important");
    }
    if (over() && column) {  // still cut: its column takes the width it needs, and the row wraps
      const need = column.getBoundingClientRect().width + input.scrollWidth - input.clientWidth;
      if (!widened.has(column)) widened.set(column, new Map());
      widen(column, widened.get(column).set(input, Math.ceil(need) + 2));
    }
  }
  function crop(chart, image) {  // to the picture's height (plotly kept the figure's)
    const element = chart.closest('[data-testid="stElementContainer"]');
    const frame = chart.closest('[data-testid="stFullScreenFrame"]');
    if (frame && getComputedStyle(frame).position === "fixed") {
      // fullscreen: the chart fills the screen as Streamlit sizes it (a tall picture cut to its
      // own height there ran off the screen, its close button with it)
      for (const [node, names] of [[chart, ["height", "overflow"]],
                                   [element, ["flex-basis", "height"]], [frame, ["height"]]]) {
        if (node) names.forEach((name) => node.style.removeProperty(name));
      }
      return;
    }
    // the picture as tall as it is drawn across the whole figure's width (plotly then fits the
    // figure to the chart's height; a picture it drew smaller for want of height grows to it)
    const box = image.getBoundingClientRect(), svg = chart.querySelector(".main-svg");
    if (!box.width) return;
    const top = box.top - chart.getBoundingClientRect().top;
    const width = svg.getBoundingClientRect().width;
    const cut = Math.ceil(top + (width * box.height) / box.width) + @ROOM@ + "px";
    if (chart.style.height !== cut) {
      chart.style.setProperty("height", cut);
      chart.style.setProperty("overflow", "hidden");
    }
    // and the element and frame around it, which Streamlit sizes to the figure's height (the
    // element by its flex basis)
    if (element && element.style.flexBasis !== cut) {
      element.style.setProperty("flex-basis", cut);
      element.style.setProperty("height", cut);
    }
    if (frame && frame.style.height !== cut) frame.style.setProperty("height", cut);
  }
  function widen(column, needs) {  // the widest any of its select boxes needs, or its own width
    if (needs.size) {
      column.style.setProperty("min-width", `min(100%, ${Math.max(...needs.values())}px)`);
    } else {
      column.style.removeProperty("min-width");
    }
  }
  function later() {
    if (!queued) { queued = true; requestAnimationFrame(fix); }
  }
  function keepDomains() {  // before fullscreen opens or closes: each axis's own domain again
    for (const gd of document.querySelectorAll(".js-plotly-plot")) {
      const full = gd._fullLayout;
      if (!full || !gd.layout) continue;
      for (const key of Object.keys(full)) {
        const axis = full[key];
        if (/^[xy]axis[0-9]*$/.test(key) && axis && axis._inputDomain && gd.layout[key]) {
          gd.layout[key].domain = axis._inputDomain.slice();
        }
      }
    }
  }
  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest(@FULLSCREEN@)) keepDomains();
  }, true);
  window.addEventListener("keydown", (event) => {
    if (event.key === "Escape") keepDomains();
  }, true);
  new MutationObserver(later).observe(document.body, {childList: true, subtree: true});
  later();
})();
</script>
"""
for _name, _value in [
    ("@FRAMES@", json.dumps(FRAMES)),
    ("@HERE@", navigation.HERE_KEY),
    ("@NAV@", navigation.NAV_KEY),
    ("@SELECT@", json.dumps(SELECT_VALUE)),
    ("@MIN@", str(MIN_SELECT_PX)),
    ("@PICTURE@", json.dumps(PICTURE_CHART)),
    ("@ROOM@", str(PICTURE_ROOM_PX)),
    ("@FULLSCREEN@", json.dumps(FULLSCREEN_BUTTON)),
]:
    SCRIPT = SCRIPT.replace(_name, _value)
