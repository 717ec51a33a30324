"""A chart's titles on a projector: the title (and subtitle) in lines that fit the narrowest
column, in type no smaller than the page's small text, placed inside the chart above the
panels' titles; labels wrapped at spaces. viz.figure_style applies them with the rest of a
chart's styling.
"""

import re

import numpy as np
import plotly.graph_objects as go

from viz import chart_text, margins, plotly_wire

# characters per line of a chart title (axis titles a little fewer) at the narrowest column a
# lecture shows: 1024 px wide with the sidebar open; presenter type is larger
TITLE_CHARS = {False: 64, True: 38}
# The smallest type a chart's title or subtitle takes: no smaller than the page's small text
# (its captions: 14 px normally, 23.2 px in presenter type, viz.page_css). Long titles once
# shrank to 0.7 of their size (11.8 px) and plotly's "<br><sup>" subtitles to 0.7 of that (8 px).
SMALL_TEXT_PX = {False: 15, True: 24}
# A title's first line starts this far below the chart's top edge; the plot starts TITLE_GAP_PX
# below its last line (and below the panels' titles).
TITLE_PAD_PX, TITLE_GAP_PX = 8, 10


def wrap_label(text: str | None, width: int) -> str | None:
    """Break a plotly label into lines of at most `width` characters at spaces (<br>)."""
    if not text or "<br" in text or len(chart_text.plain(text)) <= width:
        return text
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return "<br>".join(lines)


# plotly's subtitle idiom, "Title<br><sup>note</sup>": the note drawn at 0.7 of the title's size
_SUP_NOTE = re.compile(r"<br\s*/?>\s*<sup>(.*?)</sup>", re.S)
_BREAK = re.compile(r"<br\s*/?>")


def subtitle_span(lines: list[str], scale: float) -> str:
    """A subtitle's lines as the title's last lines, at `scale` of the title's type size (in em,
    so that it follows the title where the page sets it smaller: a phone, viz.page_css). plotly
    keeps a span's style across the line breaks inside it; chart_text.plain reads it as
    ": note"."""
    return f'<span style="font-size:{scale:.3g}em">' + "<br>".join(lines) + "</span>"


def title_lines(layout: go.Layout, presenter: bool) -> None:
    """The chart's title (and subtitle) in lines that fit the narrowest column, never in type
    smaller than SMALL_TEXT_PX, placed so that every line lies inside the chart.

    A long title first shrinks (down to the small text size) to stay on one line, then wraps.
    The subtitle (plotly's title.subtitle, or the "<br><sup>note</sup>" idiom) becomes the
    title's last lines, in the small text size. The top margin is set here, not by plotly's
    title automargin: with it, plotly moves the lines of a title of two or more lines up by
    1.3 em a line plus 0.35 em once they need more room, and the first line left the chart
    (its top 16 px above the chart's edge on the playground's layer view)."""
    title = layout.title
    if not title or not title.text:
        return
    floor = SMALL_TEXT_PX[presenter]
    font = layout.font.size or floor
    base = (title.font.size if title.font else None) or 1.2 * font
    notes = _SUP_NOTE.findall(title.text)
    main = _SUP_NOTE.sub("", title.text)
    own = title.subtitle.text if title.subtitle else None
    if own:
        notes.append(own)
    # the share of the main column this chart gets (a chart in half a row has half the room)
    chars = max(12, int(TITLE_CHARS[presenter] * margins.column_share()))
    length = len(chart_text.plain(main))
    size = round(max(floor, min(base, base * chars / max(length, 1))), 1)
    # at a size shrunk to fit, the whole title is one line (rounding must not break its end)
    per_line = length if size > floor else int(chars * base / size)
    lines = _BREAK.split(balanced(main, per_line))
    # a subtitle line takes three quarters of a title line's room: it reads as a note, and on a
    # phone (the title in 13 px, page_css) one line still fits 320 px
    note_lines = [
        line
        for note in notes
        for part in _BREAK.split(note)
        for line in _BREAK.split(balanced(part, int(0.75 * chars * base / floor)))
    ]
    text = "<br>".join(lines)
    if note_lines:
        text += "<br>" + subtitle_span(note_lines, floor / size)
    count = len(lines) + len(note_lines)
    # chromium's glyph boxes: a lone line's top 0.2 em above the title's y, its bottom 0.95 em
    # below; with more lines the first baseline sits at y and each line is 1.3 em further down
    pad = TITLE_PAD_PX if count == 1 else TITLE_PAD_PX + round(0.95 * size)
    bottom = pad + (0.95 * size if count == 1 else (count - 1) * 1.3 * size + 0.3 * size)
    plotly_wire.merge_into(
        layout,
        "title",
        {
            "text": text,
            "font": {"size": size},
            "automargin": False,
            "yref": "container",
            "y": 1.0,
            "yanchor": "top",
            "pad": {"t": pad},
        },
    )
    if own:
        layout.title.subtitle.text = None
    top = layout.margin.t if layout.margin.t is not None else margins.PLOTLY_MARGIN["t"]
    need = int(np.ceil(bottom + TITLE_GAP_PX + panel_titles_height(layout)))
    if need > top:
        plotly_wire.merge_into(layout, "margin", {"t": need})


def balanced(text: str, width: int) -> str:
    """wrap_label's lines, as even as the same number of lines allows (a last line of one word
    under a full one reads as a stray)."""
    wrapped = wrap_label(text, width) or ""
    count = len(_BREAK.split(wrapped))
    if count == 1 or "<br" in (text or ""):
        return wrapped
    for narrower in range(-(-len(chart_text.plain(text)) // count), width):
        even = wrap_label(text, narrower) or ""
        if len(_BREAK.split(even)) == count:
            return even
    return wrapped


def panel_titles_height(layout: go.Layout) -> float:
    """How far the panels' titles (make_subplots's annotations standing on the top row's
    plots) reach above the plot area, in px."""
    font = layout.font.size or 12
    tallest = 0.0
    for note in layout.annotations or []:
        if note.xref != "paper" or note.yref != "paper" or note.showarrow:
            continue
        if note.y is None or note.y < 0.999 or note.yanchor != "bottom" or not note.text:
            continue
        size = (note.font.size if note.font else None) or font
        lines = len(_BREAK.split(note.text))
        tallest = max(tallest, lines * 1.3 * size + (note.yshift or 0) + 4)
    return tallest
