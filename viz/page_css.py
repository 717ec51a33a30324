"""The page CSS behind presenter mode and the themes, CSS only: page(theme, presenter), which
ui.sidebar_controls adds to every page after the controls that choose it.

- BASE (every page, every theme): display formulas wrap between KaTeX's pieces and take at most
  1 / BUDGET_EM of their column's width per em (CSS container units; viz.formula keeps every
  piece within the budget); metric labels and values wrap and shrink with their column instead of
  ending in "..."; captions at 4.5:1 contrast; a visible keyboard focus ring; the chart text
  alternatives (viz.chart_text) and st.table styled.
- PRESENTER: large type; formulas, metrics and tables scale with their column.
- THEMES: Projector (black on white, heavy type) and Dark room, which restyles everything
  Streamlit draws light by default: alerts, metric deltas, the uploader, tabs, expanders, code,
  tables, tooltips and menus, dataframes (their canvas inverted), radio circles, checkboxes and
  toggles (the room's fill in a 3:1 ring), with 4.5:1 text everywhere.
"""

from __future__ import annotations

from viz.formula import BUDGET_EM
from viz.navigation import HERE_KEY, NAV_KEY

# text colours with at least 4.5:1 on their backgrounds (checked in tests/app/test_palette.py)
LIGHT_MUTED = "#595959"  # 7.0:1 on white, 6.3:1 on the sidebar's #f0f2f6
DARK_TEXT = "#F2F2F2"
DARK_MUTED = "#B8C0C8"  # 10:1 on #101418
DARK_BG = "#101418"
DARK_PANEL = "#1B2128"
DARK_FIELD = "#242B33"
DARK_BORDER = "#6B7683"
FOCUS_LIGHT = "#0072B2"
# what marks a control (a field's border, a radio circle, a toggle's track, a slider's rail) in
# every theme: 4.5:1 on white, 4.0:1 on the Dark room's background, 3.6:1 on its sidebar
# (WCAG 1.4.11 asks 3:1); .streamlit/config.toml gives Streamlit's borders the same colour
CONTROL = "#767676"
# the Dark room's radio circles, checkboxes and toggles (Streamlit fills the unchosen ones white:
# lit discs on a dark page): unchosen, the field's fill in a ring of DARK_RING (6.0:1 on the
# room's background, 5.3:1 on its sidebar); chosen, the chosen pills' DARK_ON in a ring of
# DARK_ON_RING (11:1 and 9.8:1), with a white dot, tick or knob (7.4:1 on DARK_ON)
DARK_RING = "#8A949E"
DARK_ON = "#005A8C"
DARK_ON_RING = "#8FD0FF"
FOCUS_DARK = "#F0E442"
# the sidebar links' containers (app.py), by the class Streamlit gives a keyed container
NAV = f"st-key-{NAV_KEY}"
HERE = f"st-key-{HERE_KEY}"

# The label of a disabled control (Streamlit gives it the disabled attribute).
DISABLED_LABEL = '[data-testid="stWidgetLabel"][disabled] p'
# What a disabled control holds: a field's text, a disabled slider's value.
DISABLED_VALUES = (
    '[data-testid="stApp"] input:disabled, [data-testid="stApp"] textarea:disabled, '
    '[data-testid="stSlider"]:has(input:disabled) [data-testid="stSliderThumbValue"] p'
)
# A slider's thumb while its (visually hidden) range input has the keyboard's focus: Streamlit
# 1.67's react-aria slider rings it in the primary colour at 50 % alpha, faint in the Dark room.
SLIDER_THUMB_FOCUSED = '[data-testid="stSlider"] div:has(> div > input[type="range"]:focus-visible)'
# A text field, number field or text area holding the keyboard's focus.
_FIELDS = ("stTextInputRootElement", "stNumberInputContainer", "stTextAreaRootElement")
FIELD_FOCUSED = ", ".join(
    f'[data-testid="stApp"] [data-testid="{field}"]:focus-within' for field in _FIELDS
)
# Chosen pills and segments (aria-pressed), and their labels.
_CHOSEN = (
    'button[data-variant="pills"][aria-pressed="true"]',
    'button[data-variant="segmented_control"][aria-pressed="true"]',
)
# (a disabled one keeps the dashed border of disabled_buttons, and its tick)
CHOSEN_PILLS = ", ".join(f'[data-testid="stApp"] {chosen}:not(:disabled)' for chosen in _CHOSEN)
CHOSEN_PILLS_TICK = ", ".join(f'[data-testid="stApp"] {chosen} p::before' for chosen in _CHOSEN)
# Disabled buttons, and the choices of disabled pills and segmented controls.
DISABLED_BUTTONS = (
    '[data-testid="stApp"] button[data-testid^="stBaseButton"]:disabled',
    '[data-testid="stApp"] [data-testid="stButtonGroup"] button:disabled',
)
PHONE_PX = 480  # below this window width, chart titles take the phone's smaller type
PHONE_TITLE_PX, PHONE_AXIS_TITLE_PX = 13, 12
# A chart keeps the least width it is readable at (viz.margins.narrowest: enough plot for each
# panel side by side, plus its tick labels, axis titles and a legend beside it), in a keyed frame
# (ui.chart). In a row of columns the chart's column keeps that width too, so the row wraps and
# the chart takes a line of its own instead of being squeezed (at 1024 px the hyperplane page's
# profile had a 58 px plot beside the plane); where even the main column is narrower (a phone),
# the chart scrolls sideways in its frame (squeezed into 288 px, the activation grid's panels
# were 70 px wide, titles running together, and a legend beside a plot left it 10 px).
# At NARROW_PX and below Streamlit stacks columns itself.
NARROW_PX = 640
FRAME = "nnlab_frame"
FRAME_STEP_PX, FRAME_MIN_PX, FRAME_MAX_PX = 20, 160, 1040  # frame widths: multiples of the step
# Above NARROW_PX a frame keeps at most what a 1024 px laptop's main column holds beside the
# sidebar (564 px): no chart scrolls there; one that needs more is drawn narrower, as before.
LAPTOP_MAIN_PX = 560
# The frames wider than that share one rule above NARROW_PX, by a name of their own.
WIDE_FRAME = f"{FRAME}_wide"


def frame_key(least_px: float, key: str) -> str:
    """The key of ui.chart's frame around a chart readable from `least_px` wide."""
    steps = -(-int(least_px) // FRAME_STEP_PX)
    width = min(max(steps * FRAME_STEP_PX, FRAME_MIN_PX), FRAME_MAX_PX)
    return f"{WIDE_FRAME if width > LAPTOP_MAIN_PX else FRAME}{width}_{key}"


def _frame_rules() -> str:
    element = '> [data-testid="stElementContainer"]'
    column = '[data-testid="stMain"] [data-testid="stColumn"]'
    wide_frame = f'[class*="st-key-{WIDE_FRAME}"]'
    frames = [
        f'[class*="st-key-{FRAME}"] {{ overflow-x: auto; }}',
        f"{wide_frame} {element} {{ min-width: {LAPTOP_MAIN_PX}px; }}",
    ]
    narrow = []
    wide = [f"  {column}:has({wide_frame}) {{ min-width: {LAPTOP_MAIN_PX}px; }}"]
    for width in range(FRAME_MIN_PX, FRAME_MAX_PX + 1, FRAME_STEP_PX):
        if width > LAPTOP_MAIN_PX:
            narrow.append(
                f'  [class*="st-key-{WIDE_FRAME}{width}_"] {element} {{ min-width: {width}px; }}'
            )
            continue
        frame = f'[class*="st-key-{FRAME}{width}_"]'
        frames.append(f"{frame} {element} {{ min-width: {width}px; }}")
        wide.append(f"  {column}:has({frame}) {{ min-width: {width}px; }}")
    return "\n".join(
        [
            *frames,
            f"@media (max-width: {NARROW_PX}px) {{",
            *narrow,
            "}",
            f"@media not all and (max-width: {NARROW_PX}px) {{",
            *wide,
            "}",
        ]
    )


LIGHT_CHOSEN = "#E6E6E6"  # a disabled chosen pill's fill: LIGHT_MUTED on it 5.6:1
DARK_CHOSEN = "#34404C"  # DARK_MUTED on it 5.8:1


def disabled_buttons(muted: str, chosen: str) -> str:
    """A disabled button looks disabled: no fill, a dashed border, the muted text colour; a
    disabled pill that is chosen keeps a (grey) fill, so that what was chosen still shows."""
    every = ", ".join(DISABLED_BUTTONS)
    text = ", ".join(f"{selector}, {selector} *" for selector in DISABLED_BUTTONS)
    chosen_pill = DISABLED_BUTTONS[1] + '[aria-pressed="true"]'
    return (
        f"{every} {{ background: transparent !important;\n"
        f"  border: 1px dashed {muted} !important; }}\n"
        f"{chosen_pill} {{ background: {chosen} !important; }}\n"
        f"{text} {{ color: {muted} !important; }}"
    )


MARKER = 'data-nnlab="page-css"'  # on BASE's style element: what the browser tests wait for

BASE = f"""
<style {MARKER}>
/* formulas: wrap between KaTeX's top-level pieces; at most 1/{BUDGET_EM:g} of the column per em */
[data-testid="stMarkdown"]:has(.katex-display) {{ container-type: inline-size; }}
.katex-display {{ overflow: visible !important; }}
.katex-display > .katex, .katex-display > .katex > .katex-html {{ white-space: normal !important; }}
.katex-display > .katex {{ font-size: min(1.21em, calc(100cqi / {BUDGET_EM:g})) !important;
  line-height: 1.5; }}
.katex-display > .katex > .katex-html > .base {{ margin: 0.15em 0; }}
/* metrics: labels and values wrap and shrink with their column, never "..." */
[data-testid="stMetric"] {{ container-type: inline-size; }}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important; }}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; }}
[data-testid="stMetricValue"] {{ font-size: min(2.25rem, 17cqi) !important; line-height: 1.2; }}
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
/* widget labels (a toggle's, a checkbox's) and button labels: wrap in a narrow column, never
   "..." ("Clear ..." for "Clear your points" at 1024 px) */
[data-testid="stWidgetLabel"] .stMarkdownEllipsis,
[data-testid="stWidgetLabel"] .stMarkdownEllipsis *,
button .stMarkdownEllipsis, button .stMarkdownEllipsis * {{ white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }}
/* the sidebar's links (app.py): each part's name above its pages, as compact as Streamlit's
   own navigation */
.{NAV} {{ gap: 0; }}
.{NAV} > [data-testid="stElementContainer"] {{ margin: 0 !important; }}
.{NAV} [data-testid="stMarkdown"] [data-testid="stMarkdownContainer"] {{
  margin: 0 !important; }}
.{NAV} [data-testid="stMarkdown"] p {{ font-size: 0.875rem; margin: 1rem 0 0.25rem; }}
.{NAV} > [data-testid="stElementContainer"]:first-child p {{ margin-top: 0; }}
.{NAV} a[data-testid="stPageLink-NavLink"] {{ margin: 3px 0; }}
/* captions: Streamlit draws them in the text colour at opacity 0.6 (3.9:1 on white) */
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{
  color: {LIGHT_MUTED} !important; }}
/* a disabled control's label: Streamlit draws it at 40 % opacity (2.3:1 on white). WCAG exempts
   inactive controls, but axe cannot tell the label belongs to one and a reader should see it: the
   muted text colour, only while the control is disabled */
{DISABLED_LABEL} {{ color: {LIGHT_MUTED} !important; }}
/* so does what a disabled control holds: a field's text (at 40 % opacity, 2.3:1) and a disabled
   slider's value (Streamlit's light grey, 2.4:1) */
{DISABLED_VALUES} {{
  color: {LIGHT_MUTED} !important; -webkit-text-fill-color: {LIGHT_MUTED} !important; }}
/* a disabled button looks disabled in every theme: no fill, a dashed border and the muted text
   colour (the Dark room's fill and text made the playground's disabled Play look enabled) */
{disabled_buttons(LIGHT_MUTED, LIGHT_CHOSEN)}
/* a visible keyboard focus on every control */
[data-testid="stApp"] :focus-visible {{ outline: 3px solid {FOCUS_LIGHT} !important;
  outline-offset: 2px !important; }}
[data-testid="stSlider"] [role="slider"]:focus, {SLIDER_THUMB_FOCUSED} {{
  box-shadow: 0 0 0 3px #FFFFFF, 0 0 0 6px {FOCUS_LIGHT} !important; }}
/* a field's ring (the input's own outline is cut by the field's box; Streamlit's focused
   border is the focus colour on a #767676 border, 1.1:1 apart) */
{FIELD_FOCUSED} {{ border-color: {FOCUS_LIGHT} !important;
  box-shadow: 0 0 0 2px {FOCUS_LIGHT} !important; }}
/* a chosen pill is told by more than its pale fill (1.1:1 against an unchosen one): a tick and
   a border in the focus colour (WCAG 1.4.1) */
{CHOSEN_PILLS} {{ border: 2px solid {FOCUS_LIGHT} !important; }}
{CHOSEN_PILLS_TICK} {{ content: "\\2713\\00a0"; font-weight: 700; }}
/* a page's sections are headings of the second level under its title (st.header: a screen
   reader's list of headings skips none; st.subheader's h3 did, axe's heading-order), set in the
   size and spacing Streamlit gives st.subheader */
[data-testid="stMain"] h2 {{ font-size: 1.75rem !important; padding: 0.75rem 0 1rem !important; }}
/* a sidebar still loading its controls does not scroll. On a page's first load the run can end
   while the page links, select box and toggle, whose code Streamlit loads lazily, are still
   placeholders: the sidebar was taller than a 900 px window with nothing in it to focus, a
   region only the mouse could scroll (axe: scrollable-region-focusable, serious); drawn, its
   links reach it from the keyboard */
[data-testid="stSidebarContent"]:has([data-testid="stSkeleton"]) {{ overflow-y: hidden; }}
/* controls (WCAG 1.4.11, 3:1): fields, radio circles and buttons take their border from
   config.toml's borderColor; a toggle's track when off and a slider's rail (a translucent beige,
   1.2:1 on white) take the same colour here, unless the control is disabled */
[data-testid="stApp"]
  label:has(> span input[role="switch"]:not(:checked):not(:disabled)) > span + div {{
  background-color: {CONTROL} !important; }}
[data-testid="stSlider"]:not(:has(input:disabled)) div:has(+ div input[type="range"]) {{
  background-color: {CONTROL}; }}
/* a row of columns narrower than a control needs wraps onto another line: seven controls in a
   row at 1024 px (the playground's training row) showed "ada" and "no" in their select boxes.
   At NARROW_PX and below Streamlit stacks every column at the column's full width; the minimum
   must not replace that there (it did: a phone showed the home page's two columns side by side,
   180 and 107 px wide, with the page links cut) */
[data-testid="stMain"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
@media not all and (max-width: {NARROW_PX}px) {{
  [data-testid="stMain"] [data-testid="stColumn"] {{ min-width: 6.25rem; }}
  /* a multiselect's chosen values (tags with a remove button) need more: at 800 px, beside the
     sidebar, the output units page's pairs were 145 px wide, each tag's remove button cut */
  [data-testid="stMain"] [data-testid="stColumn"]:has([data-testid="stMultiSelect"]) {{
    min-width: 12rem; }}
}}
/* a multiselect's chosen values wrap onto more lines: Streamlit 1.67 keeps them on one line
   that scrolls sideways, hiding four of the five pairs on the output units page */
[data-testid="stMultiSelectTagsContainer"] {{ flex-wrap: wrap !important; min-width: 0;
  overflow: visible !important; height: auto !important; row-gap: 4px; padding-top: 3px;
  padding-bottom: 3px; }}
[data-testid="stMultiSelect"] div:has(> [data-testid="stMultiSelectTagsContainer"]) {{
  height: auto !important; max-height: none !important; min-height: 40px; }}
[data-testid="stMultiSelectTagsContainer"] input {{ width: 3ch; min-width: 3ch; }}
/* a tag longer than its field wraps its text instead of ending in "..." */
[data-testid="stMultiSelectTagsContainer"] > span > span {{ height: auto !important;
  white-space: normal !important; }}
[data-testid="stMultiSelectTagsContainer"] span[title] {{ white-space: normal !important;
  text-overflow: clip !important; overflow: visible !important; }}
/* tables drawn as HTML (ui.table in presenter mode): wrap, never scroll sideways */
[data-testid="stTable"] table {{ width: 100%; table-layout: auto; }}
[data-testid="stTable"] th, [data-testid="stTable"] td {{ white-space: normal !important;
  overflow-wrap: anywhere; }}
/* a student's message quoted in an alert (markdown.block): long lines wrap, never scroll
   sideways (a scrolling box would need a keyboard stop of its own) */
[data-testid="stAlertContainer"] pre, [data-testid="stAlertContainer"] pre code {{
  white-space: pre-wrap !important; overflow-wrap: anywhere; overflow-x: visible !important; }}
[data-testid="stAlertContainer"] pre code {{ display: block; }}  /* one background, all lines */
/* code blocks: Streamlit's syntax colours read 2.6-3.8:1 on its light code background (strings
   (9, 171, 59) 3.0:1, numbers 2.6:1, keywords 3.8:1; axe's color-contrast, serious): darker
   ones of the same hues, 5.3:1 or more on white and on Streamlit's grey; any other token in the
   text colour. A long line wraps (a line past the column hid its end in a box that scrolled,
   axe's scrollable-region-focusable; st.code's wrap_lines=True, and here for a long word) */
[data-testid="stCode"] code .token {{ color: inherit !important; }}
[data-testid="stCode"] code .token.comment {{ color: #5A5F6E !important; }}
[data-testid="stCode"] code .token.keyword, [data-testid="stCode"] code .token.boolean {{
  color: #0B5CAD !important; }}
[data-testid="stCode"] code .token.operator, [data-testid="stCode"] code .token.builtin {{
  color: #8F4500 !important; }}
[data-testid="stCode"] code .token.string {{ color: #1A7333 !important; }}
[data-testid="stCode"] code .token.number {{ color: #006B62 !important; }}
[data-testid="stCode"] code .token.function, [data-testid="stCode"] code .token.class-name,
[data-testid="stCode"] code .token.decorator {{ color: #7A3E9D !important; }}
[data-testid="stCode"] pre code {{ overflow-wrap: anywhere; }}
/* tabs (viz.sections): wrap onto another line rather than scroll sideways with every label
   cut at the edges, as five tabs did in presenter mode at 1024 x 768 */
[data-testid="stTabs"] [role="tablist"] {{ flex-wrap: wrap; row-gap: 0.25rem; }}
/* a row of pills (st.pills) likewise: Streamlit 1.67 scrolls it sideways when it does not fit
   (the playground's seven input features on a phone) */
[data-testid="stButtonGroup"] > div {{ flex-wrap: wrap; overflow-x: visible; row-gap: 0.5rem; }}
/* and each pill as tall as its label: Streamlit fixes it at 32 px, which cut the presenter
   type's 37 px line (x₁²'s superscript) at the pill's top and bottom */
[data-testid="stButtonGroup"] button {{ height: auto !important; }}
/* the text alternative under every chart (ui.chart) */
details.nnlab-chart-text {{ margin: -0.5rem 0 0.5rem 0; font-size: 0.9rem; }}
details.nnlab-chart-text > summary {{ cursor: pointer; padding: 0.2rem 0; color: {LIGHT_MUTED}; }}
details.nnlab-chart-text ul {{ margin: 0.2rem 0 0.4rem 1.2rem; padding: 0; }}
details.nnlab-chart-text li {{ margin: 0; }}
/* a chart keeps the width it is readable at; so does its column (FRAME above) */
{_frame_rules()}
/* a phone (WCAG 1.4.10, reflow at 320 px): a chart's title and its axes' titles in smaller type,
   so that one line fits the chart's width; plotly cannot wrap them at a width only the browser
   knows, and at 16.8 px five pages' titles ran past their charts */
@media (max-width: {PHONE_PX}px) {{
  [data-testid="stPlotlyChart"] .gtitle {{ font-size: {PHONE_TITLE_PX}px !important; }}
  [data-testid="stPlotlyChart"] :is(.xtitle, .ytitle) {{
    font-size: {PHONE_AXIS_TITLE_PX}px !important; }}
}}
</style>
"""

# a column of a row of metrics: it holds one metric and nothing else
METRIC_COLUMN = (
    '[data-testid="stColumn"]:has(> [data-testid="stVerticalBlock"] > '
    '[data-testid="stElementContainer"]:only-child > [data-testid="stMetric"])'
)
# a row of controls with a field that shows its value as text (CSS cannot nest :has())
FIELD_ROW = (
    '[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] > '
    '[data-testid="stVerticalBlock"] > [data-testid="stElementContainer"] > '
    ':is([data-testid="stSelectbox"], [data-testid="stTextInput"], '
    '[data-testid="stNumberInput"], [data-testid="stMultiSelect"]))'
)
# a row of metrics (a column of one metric alone)
METRIC_ROW = (
    '[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] > '
    '[data-testid="stVerticalBlock"] > [data-testid="stElementContainer"]:only-child > '
    '[data-testid="stMetric"])'
)

PRESENTER = f"""
<style>
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] {{ font-size: 1.45rem !important; }}
[data-testid="stMain"] h1 {{ font-size: 3.2rem !important; }}
[data-testid="stMain"] h2 {{ font-size: 1.9rem !important; }}
[data-testid="stMain"] .katex {{ font-size: 1.3em !important; }}
[data-testid="stMain"] .katex-display > .katex {{
  font-size: min(1.5em, calc(100cqi / {BUDGET_EM:g})) !important; }}
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] * {{ font-size: min(3rem, 17cqi) !important; }}
[data-testid="stMain"] [data-testid="stMetricLabel"] p {{
  font-size: min(1.3rem, 11cqi) !important; line-height: 1.25; }}
[data-testid="stMain"] [data-testid="stSliderThumbValue"],
[data-testid="stMain"] [data-testid="stSliderThumbValue"] * {{ font-size: 1.1rem !important; }}
[data-testid="stMain"] [data-testid="stTable"] {{ container-type: inline-size; }}
[data-testid="stMain"] [data-testid="stTable"] th,
[data-testid="stMain"] [data-testid="stTable"] td {{
  font-size: min(1.3rem, 2.6cqi) !important; padding: 0.3rem 0.4rem !important; }}
/* st.table puts each cell's text in a Markdown paragraph, which the paragraph rule above set
   in 1.45rem: the table's columns then needed more than the column's width */
[data-testid="stMain"] [data-testid="stTable"] th p,
[data-testid="stMain"] [data-testid="stTable"] td p {{ font-size: min(1.3rem, 2.6cqi) !important; }}
[data-testid="stMain"] details.nnlab-chart-text {{ font-size: 1.2rem; }}
/* a row of metrics alone in their columns wraps at 15rem a metric instead of shrinking them: four
   in a 560 px column read 22 px, under the page's 23 px text; two to a row read 46 px */
[data-testid="stMain"] {METRIC_ROW} {{ row-gap: 0.75rem; }}
[data-testid="stMain"] {METRIC_COLUMN} {{ min-width: min(100%, 15rem); }}
/* likewise a row of controls with a field in it wraps at 12rem a column: four in a row at 1024 px
   left the chain rule's fields 63-127 px wide, their values at the 14 px floor below */
[data-testid="stMain"] {FIELD_ROW} {{ row-gap: 0.75rem; }}
[data-testid="stMain"] {FIELD_ROW} > [data-testid="stColumn"] {{ min-width: min(100%, 12rem); }}
/* what a control holds reads larger than the normal 14 px, up to 20 px as its field allows (a
   field narrower than 12rem, where "sigmoid" at 20 px would be cut, keeps less; a value still
   longer than its field is fitted by page_script) */
[data-testid="stMain"] [data-testid="stSelectbox"],
[data-testid="stMain"] [data-testid="stTextInput"],
[data-testid="stMain"] [data-testid="stNumberInput"] {{ container-type: inline-size; }}
[data-testid="stMain"] [data-testid="stSelectbox"] input,
[data-testid="stMain"] [data-testid="stTextInput"] input,
[data-testid="stMain"] [data-testid="stNumberInput"] input {{
  font-size: clamp(0.875rem, 11cqi, 1.25rem) !important; }}
/* and so does a multiselect's chosen value (its tag wraps in its field, see BASE) */
[data-testid="stMain"] [data-testid="stMultiSelectTagsContainer"] span[title] {{
  font-size: 1.25rem !important; }}
</style>
"""

PROJECTOR = """
<style>
[data-testid="stApp"], [data-testid="stMain"] { background: #ffffff; color: #000000; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] h1,
[data-testid="stMain"] h2, [data-testid="stMain"] h3, [data-testid="stMain"] .katex
  { color: #000000 !important; font-weight: 500; }
[data-testid="stSidebar"] { background: #f0f0f0; }
[data-testid="stMetric"] { border: 2px solid #000000; border-radius: 0.4rem; padding: 0.4rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {
  color: #333333 !important; }
/* the black text above must not reach a primary button's label (black on its blue: 4.0:1,
   1.9:1 while hovered) */
[data-testid="stMain"] [data-testid="stBaseButton-primary"] p { color: #ffffff !important; }
</style>
"""

# the marks before a radio option's text, a checkbox's text and a toggle's text (Streamlit 1.67)
RADIO_MARK = '[data-testid="stRadioOption"]{state} > span + div > div:first-child'
CHECKBOX_MARK = 'label:has(> span input[type="checkbox"]:not([role="switch"]){state}) > span + div'
TOGGLE_TRACK = 'label:has(> span input[role="switch"]{state}) > span + div'


def dark_marks() -> str:
    """The Dark room's radio circles, checkboxes and toggles in the room's colours (see
    DARK_RING): the state shows by fill and ring, never by a white disc."""
    off_radio = RADIO_MARK.format(state=":not(:has(input:checked)):not(:has(input:disabled))")
    on_radio = RADIO_MARK.format(state=":has(input:checked):not(:has(input:disabled))")
    off_box = CHECKBOX_MARK.format(state=":not(:checked):not(:disabled)")
    on_box = CHECKBOX_MARK.format(state=":checked:not(:disabled)")
    off_switch = TOGGLE_TRACK.format(state=":not(:checked):not(:disabled)")
    on_switch = TOGGLE_TRACK.format(state=":checked:not(:disabled)")
    app = '[data-testid="stApp"] '
    inactive = ", ".join(
        [
            app + RADIO_MARK.format(state=":has(input:disabled)"),
            app + CHECKBOX_MARK.format(state=":disabled"),
        ]
    )
    # an unchosen circle's inside: Streamlit paints it white, as a disc within the ring when
    # the control is disabled
    off_insides = ", ".join(
        [
            app + RADIO_MARK.format(state=":not(:has(input:checked))") + " > div",
            app + CHECKBOX_MARK.format(state=":not(:checked)") + " svg *",
        ]
    )
    inactive_dot = app + RADIO_MARK.format(state=":has(input:checked):has(input:disabled)")
    return f"""
{app}{off_radio}, {app}{off_box} {{ background: {DARK_FIELD} !important;
  border: 2px solid {DARK_RING} !important; }}
{app}{on_radio}, {app}{on_box} {{ background: {DARK_ON} !important;
  border: 2px solid {DARK_ON_RING} !important; }}
{app}{on_radio} > div {{ background: #FFFFFF !important; }}
{app}{on_box} svg * {{ stroke: #FFFFFF !important; }}
{inactive} {{ background: transparent !important;
  border: 1px dashed {DARK_BORDER} !important; }}
{off_insides} {{ background: transparent !important; stroke: transparent !important; }}
{inactive_dot} > div {{ background: {DARK_MUTED} !important; }}
{app}{off_switch} {{ background-color: {DARK_FIELD} !important;
  box-shadow: 0 0 0 2px {DARK_RING} !important; }}
{app}{off_switch} > div {{ background-color: {DARK_TEXT} !important; }}
{app}{on_switch} {{ background-color: {DARK_ON} !important;
  box-shadow: 0 0 0 2px {DARK_ON_RING} !important; }}
{app}{on_switch} > div {{ background-color: #FFFFFF !important; }}"""


DARK_ROOM = f"""
<style>
[data-testid="stApp"], [data-testid="stHeader"], [data-testid="stMain"] {{
  background: {DARK_BG} !important; color: {DARK_TEXT}; }}
[data-testid="stSidebar"], [data-testid="stSidebarContent"] {{
  background: {DARK_PANEL} !important; }}
/* a chart opened fullscreen: Streamlit's frame fills the screen in its own (white) background */
[data-testid="stFullScreenFrame"] {{ background: {DARK_BG} !important; }}
[data-testid="stApp"] p, [data-testid="stApp"] li, [data-testid="stApp"] h1,
[data-testid="stApp"] h2, [data-testid="stApp"] h3, [data-testid="stApp"] h4,
[data-testid="stApp"] label, [data-testid="stApp"] span, [data-testid="stApp"] .katex,
[data-testid="stApp"] summary, [data-testid="stApp"] th, [data-testid="stApp"] td,
[data-testid="stMetricValue"], [data-testid="stMetricLabel"] {{ color: {DARK_TEXT} !important; }}
[data-testid="stApp"] a {{ color: #8FD0FF !important; }}
/* a heading's link (shown on hover and focus): Streamlit strokes its icon in its own faded text
   colour, 1.0:1 on the room's background */
[data-testid="stHeaderActionElements"] a svg {{ stroke: {DARK_MUTED} !important; }}
[data-testid="stHeaderActionElements"] a:hover svg {{ stroke: {DARK_TEXT} !important; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *,
details.nnlab-chart-text > summary, {DISABLED_LABEL} {{ color: {DARK_MUTED} !important; }}
[data-testid="stApp"] :focus-visible {{ outline-color: {FOCUS_DARK} !important; }}
[data-testid="stSlider"] [role="slider"]:focus, {SLIDER_THUMB_FOCUSED} {{
  box-shadow: 0 0 0 3px {DARK_BG}, 0 0 0 6px {FOCUS_DARK} !important; }}
/* the room's field border below would hide Streamlit's focused border */
{FIELD_FOCUSED} {{ border-color: {FOCUS_DARK} !important;
  box-shadow: 0 0 0 2px {FOCUS_DARK} !important; }}
/* navigation */
.{NAV} a:hover, .{HERE} a {{ background: {DARK_FIELD} !important; }}
/* boxes Streamlit draws light: expanders, alerts, deltas, the uploader, tabs, code, tooltips */
[data-testid="stExpander"] details, [data-testid="stExpander"] summary {{
  background: {DARK_PANEL} !important; border-color: {DARK_BORDER} !important; }}
[data-testid="stAlertContainer"] {{ background: {DARK_PANEL} !important;
  border: 2px solid {DARK_BORDER} !important; }}
[data-testid="stAlertContainer"] *, [data-testid="stAlertContentInfo"] *,
[data-testid="stAlertContentWarning"] *, [data-testid="stAlertContentError"] *,
[data-testid="stAlertContentSuccess"] * {{ color: {DARK_TEXT} !important; }}
[data-testid="stAlert"]:has([data-testid="stAlertContentWarning"]) [data-testid="stAlertContainer"]
  {{ border-color: #E69F00 !important; }}
[data-testid="stAlert"]:has([data-testid="stAlertContentError"]) [data-testid="stAlertContainer"]
  {{ border-color: #FF8C8C !important; }}
[data-testid="stAlert"]:has([data-testid="stAlertContentSuccess"]) [data-testid="stAlertContainer"]
  {{ border-color: #00B287 !important; }}
[data-testid="stMetricDelta"] {{ background: {DARK_FIELD} !important; }}
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {{ color: {DARK_TEXT} !important;
  fill: {DARK_TEXT} !important; }}
[data-testid="stFileUploaderDropzone"], [data-testid="stFileUploader"] section {{
  background: {DARK_FIELD} !important; border: 1px dashed {DARK_BORDER} !important; }}
[data-testid="stFileUploader"] [data-testid="stFileChip"] {{
  background: {DARK_PANEL} !important; border: 1px solid {DARK_BORDER} !important; }}
[data-testid="stFileUploader"] *, [data-testid="stFileUploaderDropzoneInstructions"] * {{
  color: {DARK_TEXT} !important; }}
[data-testid="stFileUploader"] svg {{ fill: {DARK_TEXT} !important; }}
[data-testid="stTab"] p {{ color: {DARK_TEXT} !important; }}
[data-testid="stTab"][aria-selected="true"] p {{ color: #8FD0FF !important; }}
[data-testid="stCode"], [data-testid="stCode"] pre, [data-testid="stCode"] code {{
  background: {DARK_PANEL} !important; color: {DARK_TEXT} !important; }}
[data-testid="stApp"] [data-testid="stCode"] code span,
[data-testid="stApp"] [data-testid="stCode"] code span.token.token {{ color: inherit !important; }}
[data-testid="stMarkdownContainer"] code, [data-testid="stCaptionContainer"] code {{
  background: {DARK_FIELD} !important; color: {DARK_TEXT} !important; }}
[data-testid="stTooltipContent"], [data-testid="stTooltipContent"] * {{
  background: {DARK_FIELD} !important; color: {DARK_TEXT} !important; }}
/* the menus of select boxes and multiselects (drawn outside the app's tree) */
[data-testid$="VirtualDropdown"], [data-testid$="VirtualDropdown"] div {{
  background-color: {DARK_FIELD} !important; color: {DARK_TEXT} !important; }}
[data-testid$="VirtualDropdown"] [role="option"] * {{ color: {DARK_TEXT} !important; }}
[data-testid$="VirtualDropdown"] [role="option"][data-focused="true"],
[data-testid$="VirtualDropdown"] [role="option"][aria-selected="true"],
[data-testid$="VirtualDropdown"] [role="option"]:hover {{ background-color: #34404C !important; }}
[data-testid="stTable"] table, [data-testid="stTable"] th, [data-testid="stTable"] td {{
  background: {DARK_BG} !important; border-color: {DARK_BORDER} !important; }}
/* the data grid draws on a canvas in Streamlit's light theme: invert it (text stays 4.5:1) */
[data-testid="stDataFrame"] > div {{ filter: invert(0.92) hue-rotate(180deg); }}
[data-testid="stProgress"] p {{ color: {DARK_TEXT} !important; }}
/* controls */
[data-testid="stApp"] [data-testid^="stBaseButton"], [data-testid="stApp"] input[type="text"],
[data-testid="stApp"] input[type="number"], [data-testid="stApp"] textarea,
[data-testid="stApp"] [data-testid="stNumberInputContainer"] button,
[data-testid="stApp"] [data-testid="stTextInputRootElement"],
[data-testid="stApp"] [data-testid="stNumberInputContainer"],
[data-testid="stApp"] [data-testid="stTextAreaRootElement"]
  {{ background: {DARK_FIELD} !important; color: {DARK_TEXT} !important;
     border-color: {DARK_BORDER} !important; }}
[data-testid="stApp"] [data-testid^="stBaseButton"]:hover
  {{ border-color: #56B4E9 !important; color: #56B4E9 !important; }}
[data-testid="stApp"] [data-testid="stBaseButton-primary"] {{ background: #005A8C !important; }}
[data-testid="stApp"] [data-testid="stSelectbox"] > div > div,
[data-testid="stApp"] [data-testid="stMultiSelect"] > div > div
  {{ background: {DARK_FIELD} !important; color: {DARK_TEXT} !important; }}
/* pills and segmented controls: light by default; the chosen ones keep a distinct fill */
[data-testid="stApp"] button[data-variant="pills"],
[data-testid="stApp"] button[data-variant="segmented_control"] {{
  background: {DARK_FIELD} !important; border-color: {DARK_BORDER} !important; }}
[data-testid="stApp"] button[data-variant="pills"][aria-pressed="true"],
[data-testid="stApp"] button[data-variant="segmented_control"][aria-pressed="true"] {{
  background: #005A8C !important; border-color: #8FD0FF !important; }}
[data-testid="stApp"] [data-testid="stSelectbox"] svg,
[data-testid="stApp"] [data-testid="stMultiSelect"] svg {{ color: {DARK_TEXT} !important; }}
[data-testid="stApp"] input::placeholder, [data-testid="stApp"] textarea::placeholder {{
  color: {DARK_MUTED} !important; }}
/* what a disabled control holds: Streamlit fills a field's text in dark grey at 40 %, invisible
   on the dark field */
{DISABLED_VALUES} {{
  color: {DARK_MUTED} !important; -webkit-text-fill-color: {DARK_MUTED} !important; }}
[data-testid="stTooltipIcon"] button {{ background: transparent !important; }}
[data-testid="stTooltipIcon"] svg {{ fill: none !important; stroke: {DARK_MUTED} !important; }}
{disabled_buttons(DARK_MUTED, DARK_CHOSEN)}
[data-testid="stSliderTickBarMin"], [data-testid="stSliderTickBarMax"] {{
  color: {DARK_MUTED} !important; }}
/* radio circles, checkboxes and toggles: the room's fill in a ring, never a white disc */
{dark_marks()}
</style>
"""

THEME_CSS = {"Standard": "", "Projector (high contrast)": PROJECTOR, "Dark room": DARK_ROOM}


def page(theme: str, presenter: bool) -> str:
    """A page's whole CSS: BASE, the theme's (a name of THEME_CSS) and presenter mode's."""
    return BASE + THEME_CSS[theme] + (PRESENTER if presenter else "")
