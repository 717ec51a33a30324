"""The central projector and accessibility helpers without a browser: formula fitting, the chart
text alternative, and style_figure's colours, labels and legends."""

import pickle

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots
from streamlit.testing.v1 import AppTest

from viz import chart_text, figure_style, formula, margins, palette, plotly_wire, ui


def test_allow_breaks_after_top_level_separators_only():
    tex = r"a = b,\quad c = \frac{d,\quad e}{f},\qquad g"
    fitted = formula.allow_breaks(tex)
    assert fitted.count(r"\allowbreak") == 2  # not the one inside \frac{...}
    assert fitted.replace(r"\allowbreak ", "") == tex


def test_pieces_break_after_relations_and_binary_operators():
    assert formula.pieces("a = b + c") == ["a =", "b +", "c"]
    # a leading minus is a sign, not a break point
    assert formula.pieces("-x = y") == ["- x =", "y"]
    # ... and so is one after punctuation, an opening delimiter or an operator, spaces between
    # not counting (KaTeX drew "(0.16, -0.27)" unbroken, 8.7 em, where a break was assumed)
    pieces = formula.pieces(r"w = \big(0.16,\ -0.27\big)")
    assert pieces == ["w =", r"\big ( 0 . 1 6 , \  - 0 . 2 7 \big )"]
    assert formula.pieces("a = (-b) + -c") == ["a =", "( - b ) +", "- c"]
    # nothing breaks inside braces or a fraction
    assert formula.pieces(r"\frac{a + b}{c} = d") == [r"\frac { a + b } { c } =", "d"]


def test_width_of_a_matrix_grows_with_its_columns():
    def matrix(cols):
        row = " & ".join(["0.25"] * cols)
        return rf"\begin{{bmatrix}}{row} \\ {row}\end{{bmatrix}}"

    widths = [formula.width_em(matrix(c)) for c in (1, 2, 3, 4, 5)]
    steps = np.diff(widths)
    # each column adds its own width (4 glyphs) and the column gap, the same every time
    assert np.allclose(steps, steps[0]) and steps[0] > 2.0


def test_fit_shrinks_only_formulas_wider_than_the_budget():
    short = r"z^i = h^{i-1} W^{i\top} + b^i"
    assert formula.fit(short) == short
    long_piece = r"\underbrace{" + "x" * 60 + "}_{h}"
    fitted = formula.fit(long_piece)
    command = fitted.split()[0]
    factor = dict(formula.SIZES + [formula.SMALLEST])[command]
    assert factor < 1.0
    assert formula.width_em(long_piece) * factor <= formula.BUDGET_EM or command == r"\tiny"


def test_chart_text_reads_the_figures_own_numbers():
    x = np.linspace(0.0, 4.0, 41)
    y = (x - 1.0) ** 2
    fig = go.Figure(go.Scatter(x=x, y=y, mode="lines", name="(x - 1)^2"))
    fig.add_trace(go.Bar(x=["a", "b", "c"], y=[3, 1, 2], name="counts"))
    fig.update_layout(title="A parabola", xaxis_title="x", yaxis_title="loss")
    name, lines = chart_text.describe(fig)
    assert name == "A parabola"
    assert lines[0] == "Axes: x: x; y: loss."
    # the minimum (x - 1)^2 = 0 sits at x = 1, the maximum 9 at x = 4, 41 points
    assert lines[1] == (
        "(x - 1)^2: line through 41 points, x from 0 to 4, y from 0 (at x = 1) to 9 (at x = 4), "
        "last 9 at x = 4."
    )
    assert lines[2] == "counts: 3 bars: a: 3, b: 1, c: 2."
    html = chart_text.as_html(name, lines)
    assert html.startswith('<details class="nnlab-chart-text"><summary>Chart in words: A parabola')


def test_chart_text_describes_heat_maps_and_non_finite_values():
    fig = go.Figure(go.Heatmap(z=[[1.0, -2.0, 3.0], [0.5, 0.0, 7.5]], name="W^1"))
    _, lines = chart_text.describe(fig)
    assert lines == ["W^1: heatmap of 2 rows x 3 columns, values from -2 to 7.5."]
    # a figure out of st.cache_data carries plotly's base64 form of the array, with its shape
    fig = go.Figure(go.Heatmap(z=np.array([[1.0, -2.0, 3.0], [0.5, 0.0, 7.5]]), name="W^1"))
    cached = pickle.loads(pickle.dumps(fig))
    assert "bdata" in cached.data[0].z
    assert chart_text.describe(cached)[1] == lines
    y = np.array([1.0, np.nan, 3.0, np.inf, 2.0, 0.5, 4.0, 6.0, 1.5, 2.5])
    _, lines = chart_text.describe(go.Figure(go.Scatter(y=y, mode="markers", name="p")))
    assert lines[0].endswith("; 2 points not finite (not drawn).")
    assert "y from 0.5 (at x = 5) to 6 (at x = 7)" in lines[0]


def test_chart_text_names_every_panel_and_reads_a_subtitle_as_words():
    """A grid's name lists all its panels (not the first four of eight), a title's
    "<br><sup>note</sup>" (plotly's subtitle) reads as ": note", a <sup> after a word as ^."""
    from plotly.subplots import make_subplots

    names = ["identity", "sigmoid", "tanh", "relu", "softplus", "abs", "leaky_relu", "gelu"]
    fig = make_subplots(rows=2, cols=4, subplot_titles=names)
    name, _ = chart_text.describe(fig)
    assert name == "; ".join(names)
    fig = go.Figure(layout={"title": "|sigma'(z)|<sup>L</sup> at z = 1<br><sup>one line</sup>"})
    name, _ = chart_text.describe(fig)
    assert name == "|sigma'(z)|^L at z = 1: one line"
    assert chart_text.accessible_name(name, "Key: 2.") == (
        "Chart: |sigma'(z)|^L at z = 1: one line. Key: 2. In numbers below, under 'Chart in words'."
    )


def test_chart_text_names_the_panel_of_traces_repeated_in_every_panel():
    """Small multiples (the activation grid) name the same two traces in every panel: each line
    says whose panel it is ("relu, sigma(x)"), not eight lines of "sigma(x)" alone."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, subplot_titles=["relu", "identity"])
    x = [-1.0, 0.0, 2.0]
    for col, (values, slopes) in enumerate([([0.0, 0.0, 2.0], [0.0, 0.0, 1.0]), (x, [1.0] * 3)]):
        fig.add_trace(go.Scatter(x=x, y=values, name="sigma(x)"), row=1, col=col + 1)
        fig.add_trace(go.Scatter(x=x, y=slopes, name="sigma'(x)"), row=1, col=col + 1)
    fig.add_trace(go.Scatter(x=x, y=x, name="identity"), row=1, col=2)  # named as its panel
    _, lines = chart_text.describe(fig)
    assert [line.split(":")[0] for line in lines] == [
        "relu, sigma(x)",
        "relu, sigma'(x)",
        "identity, sigma(x)",
        "identity, sigma'(x)",
        "identity",
    ]
    assert lines[0] == "relu, sigma(x): 3 points: -1: 0, 0: 0, 2: 2."  # max(0, x) at -1, 0, 2


def test_chart_text_calls_an_unnamed_trace_by_its_panel_or_colour_bar():
    """A grid of unnamed heat maps reads "A^2: heatmap ...", not "trace 2: heatmap ..."."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=2, subplot_titles=["dl/dh^k", "A^2", "A^1", "dl/dW^1"])
    for index, z in enumerate([[[1.0, 2.0]], [[3.0]], [[-1.0], [4.0]], [[0.5, 0.25]]]):
        fig.add_trace(go.Heatmap(z=z), row=index // 2 + 1, col=index % 2 + 1)
    _, lines = chart_text.describe(fig)
    assert lines == [
        "dl/dh^k: heatmap of 1 rows x 2 columns, values from 1 to 2.",
        "A^2: heatmap of 1 rows x 1 columns, values from 3 to 3.",
        "A^1: heatmap of 2 rows x 1 columns, values from -1 to 4.",
        "dl/dW^1: heatmap of 1 rows x 2 columns, values from 0.25 to 0.5.",
    ]
    # the only trace of a titled chart takes the chart's name
    fig = go.Figure(go.Heatmap(z=[[2.0]]), layout={"title": {"text": "W^1"}})
    assert chart_text.describe(fig)[1] == [
        "W^1: heatmap of 1 rows x 1 columns, values from 2 to 2."
    ]
    fig = go.Figure(go.Heatmap(z=[[0.0, 1.0]], colorbar={"title": {"text": "h"}}))
    # a trace that is not drawn on x/y axes (a pie) beside titled panels: no panel, no error
    pie = make_subplots(
        rows=1, cols=2, specs=[[{"type": "xy"}, {"type": "domain"}]], subplot_titles=["a", "b"]
    )
    pie.add_trace(go.Bar(y=[1.0]), row=1, col=1)
    pie.add_trace(go.Pie(values=[1, 2], name="shares"), row=1, col=2)
    assert chart_text.describe(pie)[1][0] == "a: 1 bars: 0: 1."
    # an outline drawn under a line is not data: left out
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", meta="decoration"))
    assert chart_text.describe(fig)[1] == ["h: heatmap of 1 rows x 2 columns, values from 0 to 1."]


def _styled(fig, theme="Standard", presenter=False):
    """style_figure inside a script run, with the theme and presenter mode set."""

    def script():
        import streamlit as st

        from viz import ui

        st.session_state["presenter"] = st.session_state["_want_presenter"]
        st.session_state["theme"] = st.session_state["_want_theme"]
        st.session_state["_styled"] = ui.style_figure(st.session_state["_fig"]).to_dict()

    at = AppTest.from_function(script, default_timeout=30)
    at.session_state["_fig"] = fig
    at.session_state["_want_presenter"] = presenter
    at.session_state["_want_theme"] = theme
    at.run()
    assert not at.exception, at.exception
    return at.session_state["_styled"]


def test_one_quantity_keeps_one_colour_across_panels():
    """The tour's output-units defect: the same pair coloured differently in two panels."""
    fig = make_subplots(rows=1, cols=2)
    for col, names in ((1, ["identity + MSE", "sigmoid + NLL"]), (2, ["sigmoid + NLL"])):
        for name in names:
            fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], name=name, mode="lines"), 1, col)
    fig.data[2].update(name="identity + MSE")  # the right panel lists the pairs the other way
    fig.add_trace(go.Scatter(x=[0, 1], y=[1, 0], name="sigmoid + NLL", mode="lines"), 1, 2)
    styled = _styled(fig)
    colour = {}
    for trace in styled["data"]:
        colour.setdefault(trace["name"], set()).add(trace["line"]["color"])
    assert colour == {
        "identity + MSE": {palette.LIGHT[0]},
        "sigmoid + NLL": {palette.LIGHT[1]},
    }


def test_dark_room_turns_black_ink_light_and_keeps_explicit_colours():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line_color="black", name="a"))
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="lines", line_color="#0072B2", name="b"))
    fig.add_annotation(x=0, y=0, text="note", font_color="#000000")
    styled = _styled(fig, theme="Dark room")
    assert styled["data"][0]["line"]["color"] == ui.THEMES["Dark room"]["font_colour"]
    assert styled["data"][1]["line"]["color"] == "#0072B2"
    assert styled["layout"]["annotations"][0]["font"]["color"] == "#F2F2F2"
    assert styled["layout"]["paper_bgcolor"] == "#101418"


@pytest.mark.parametrize("presenter", [False, True])
def test_long_titles_wrap_and_legends_leave_the_ticks_alone(presenter):
    title = "Singular values of A^k ... A^(k-f+1): dl/dh^k carried down f layers of the network"
    fig = go.Figure(
        [go.Scatter(x=[0, 1], y=[0, 1], name="largest"), go.Scatter(x=[0, 1], y=[1, 0], name="b")]
    )
    fig.update_layout(title=title, xaxis_title="number of factors f (the product reaches down)")
    styled = _styled(fig, presenter=presenter)
    lines = styled["layout"]["title"]["text"].split("<br>")
    assert " ".join(lines) == title
    # shrunk to fit one line where it can (83 characters: at normal size, 64 / 0.77), wrapped
    # at the shrunk width only beyond that (presenter: 38 / 0.7 = 54 characters a line)
    scale = styled["layout"]["title"]["font"]["size"] / (1.2 * (22 if presenter else 14))
    assert scale >= figure_style.MIN_TITLE_SCALE - 0.01
    assert len(lines) == (2 if presenter else 1)
    assert max(len(line) for line in lines) <= figure_style.TITLE_CHARS[presenter] / scale + 1
    legend = styled["layout"].get("legend", {})
    if presenter:  # below the plot, referenced to the container: plotly makes room for it
        assert legend["orientation"] == "h" and legend["yref"] == "container"


@pytest.mark.parametrize("presenter", [False, True])
def test_tick_labels_stand_off_their_axes_unless_a_figure_says_otherwise(presenter):
    fig = make_subplots(rows=1, cols=2)
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1]), row=1, col=1)
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1]), row=1, col=2)
    fig.update_xaxes(ticklabelstandoff=0, row=1, col=2)
    layout = _styled(fig, presenter=presenter)["layout"]
    standoff = 10 if presenter else 4  # the corner's two lowest labels apart in both type sizes
    assert layout["xaxis"]["ticklabelstandoff"] == layout["yaxis"]["ticklabelstandoff"] == standoff
    assert layout["yaxis2"]["ticklabelstandoff"] == standoff
    assert layout["xaxis2"]["ticklabelstandoff"] == 0


@pytest.mark.parametrize("presenter", [False, True])
def test_panel_titles_grow_with_presenter_type_and_other_labels_keep_their_size(presenter):
    fig = make_subplots(rows=1, cols=2, subplot_titles=["left panel", "right panel"])
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1]), row=1, col=1)
    fig.add_annotation(text="a note", x=0.5, y=0.5, xref="paper", yref="paper", font_size=12)
    titles, note = [], None
    for annotation in _styled(fig, presenter=presenter)["layout"]["annotations"]:
        if annotation["text"] == "a note":
            note = annotation
        else:
            titles.append(annotation)
    # make_subplots writes 16 px; presenter type draws ticks at 22 px, panel titles at 20
    assert [t["font"]["size"] for t in titles] == [20 if presenter else 16] * 2
    assert note["font"]["size"] == 12


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_the_toolbar_stands_along_the_right_edge_off_the_title(theme):
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    fig.update_layout(title="a title long enough to reach under a toolbar across the top")
    assert _styled(fig, theme=theme)["layout"]["modebar"] == {"orientation": "v"}


@pytest.mark.parametrize(
    ("values", "presenter", "minor_labels"),
    [
        ([0.1, 1e-3, 2e-4], True, "none"),  # 2.7 decades: the decades alone
        ([0.1, 1e-3, 2e-4], False, None),  # normal type has room for 2 and 5
        ([0.7, 0.5, 0.3], True, None),  # under a decade: 2 and 5 are its only labels
        ([2.0, 0.05], True, "none"),  # 1.6 decades over 0.1 and 1: "10^-1" ran into "2"
        ([0.9, 0.02], True, None),  # 1.7 decades, one power of ten (0.1): 2 and 5 say the scale
        ([0.0, 0.015, 0.0], True, "none"),  # one value: plotly shows 0.0015..0.15
        ([0.0, -1.0], True, "none"),  # none: plotly shows 0.1..10
        ([0.0, -1.0, 1e-2, float("nan"), 1.0], True, "none"),  # what a log axis shows: 1e-2..1
    ],
)
def test_presenter_log_axes_spanning_decades_label_only_the_decades(
    values, presenter, minor_labels
):
    fig = go.Figure(go.Scatter(x=[1, 2, 3, 4, 5][: len(values)], y=values))
    fig.update_layout(yaxis_type="log")
    layout = _styled(fig, presenter=presenter)["layout"]
    assert layout["yaxis"].get("minorloglabels") == minor_labels
    assert "minorloglabels" not in layout.get("xaxis", {})  # a linear axis is left alone


@pytest.mark.parametrize(
    ("log_range", "minor_labels"),
    [
        ([-2.8, -0.8], "none"),  # 0.0016..0.16 around one point at 0.015: 10^-2 and 10^-1 shown
        ([-1, 1], "none"),  # 0.1..10 around no positive value at all (zero singular values)
        ([-0.6, 0.6], None),  # 0.25..4: one power of ten, so 2 and 5 stay
    ],
)
def test_a_written_log_range_decides_what_the_axis_labels(log_range, minor_labels):
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[0.0, 0.015, 0.0]))
    fig.update_layout(yaxis_type="log", yaxis_range=log_range)
    layout = _styled(fig, presenter=True)["layout"]
    assert layout["yaxis"].get("minorloglabels") == minor_labels


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_set_template_gives_the_validated_figure_and_keeps_validation_on(theme):
    """The unvalidated assignment gives the same figure as plotly's own validated one, and
    the figure checks what is set on it afterwards as before."""
    name = ui.THEMES[theme]["template"]

    def figure():
        fig = go.Figure()
        fig.add_scatter(x=[0, 1, 2], y=[1, 0, 2], name="a")
        fig.add_bar(x=[0, 1], y=[2, 3], name="b")
        fig.add_heatmap(z=[[0, 1], [1, 0]])
        fig.update_layout(title="t", font={"size": 14})
        return fig

    fast, checked = figure(), figure()
    figure_style.set_template(fast, name)
    checked.update_layout(template=name)
    assert fast.to_plotly_json() == checked.to_plotly_json()
    assert fast.layout.template.layout.paper_bgcolor == checked.layout.template.layout.paper_bgcolor
    with pytest.raises(ValueError):
        fast.update_layout(font={"size": "huge"})


def test_show_code_sends_the_source_only_while_open():
    """A closed "Show the code" expander sends nothing (the browser's syntax highlighter is a
    1.5 MB script); opened, it shows each function's real source under its qualified name."""
    import inspect

    import nncore as nn

    at = AppTest.from_string(
        "import nncore as nn\nfrom viz import ui\nui.show_code(nn.softmax, nn.MLP.forward_trace)"
    ).run()
    assert not at.exception and len(at.expander) == 1 and not at.code
    at.session_state["show_code"] = True  # what opening it does (on_change="rerun")
    at.run()
    assert [code.value for code in at.code] == [  # st.code drops the final newline
        inspect.getsource(nn.softmax).rstrip("\n"),
        inspect.getsource(nn.MLP.forward_trace).rstrip("\n"),
    ]
    assert [caption.value for caption in at.caption] == [
        f"{nn.softmax.__module__}.softmax",
        f"{nn.MLP.__module__}.MLP.forward_trace",
    ]


@pytest.mark.parametrize(
    ("name", "updates"),
    [
        ("title", {"text": "t<br>two", "font": {"size": 18}, "pad": {"t": 30}, "y": 1.0}),
        ("legend", {"orientation": "h", "yref": "container", "y": 0.0, "x": 0.0}),
        ("font", {"size": 22, "color": "#eeeeee"}),
    ],
)
def test_merge_into_equals_plotlys_update_layout(name, updates):
    """style_figure assigns merged layout entries (20x faster than update_layout): the figure must
    come out as plotly's own update_layout leaves it, keeping what the builder had set."""

    def built() -> go.Figure:
        fig = go.Figure(go.Scatter(x=[0, 1], y=[1, 0], name="a"))
        fig.update_layout(
            title={"text": "old", "x": 0.5, "font": {"family": "serif", "color": "#123456"}},
            legend={"bgcolor": "#ffffff", "font": {"size": 9}, "y": 0.9},
            font={"family": "monospace", "size": 11},
        )
        return fig

    expected, fig = built(), built()
    expected.update_layout({name: updates})
    plotly_wire.merge_into(fig.layout, name, updates)
    assert fig.to_plotly_json() == expected.to_plotly_json()


@pytest.mark.parametrize(
    ("tex", "grouped"),
    [
        # presenter mode broke this after "ln(1 -": the parentheses become unbreakable groups
        (r"l = -(1 - y) \ln(1 - h^k)", r"l = -{(1 - y)} \ln{(1 - h^k)}"),
        (r"(a (b + c)) + d", r"{(a (b + c))} + d"),  # the outermost pair only
        (r"\frac{(a+b)}{c} = (x)", r"\frac{(a+b)}{c} = {(x)}"),  # inside braces: a group already
        (r"\left(a + b\right) = \big(1, -2\big)", r"\left(a + b\right) = \big(1, -2\big)"),
        (r"x \in [0, 1)", r"x \in [0, 1)"),  # an interval, not a pair
        (r"(0, 1] \cup (2)", r"(0, 1] \cup (2)"),  # unmatched: nothing is trusted
        (
            r"\begin{pmatrix} (a) \end{pmatrix} + (b - c)",
            r"\begin{pmatrix} (a) \end{pmatrix} + {(b - c)}",
        ),
    ],
)
def test_parentheses_are_grouped_so_no_line_breaks_inside_them(tex, grouped):
    assert formula.group_parentheses(tex) == grouped
    if grouped != tex:  # the break points left are outside the parentheses
        assert all(piece.count("(") == piece.count(")") for piece in formula.pieces(grouped))
    # only in presenter mode (where the large type wraps formulas); normal mode keeps the source
    assert formula.fit(tex, group=True) == formula.fit(grouped)


def test_presenter_mode_formulas_do_not_break_inside_parentheses():
    script = """
import streamlit as st
from viz import ui
st.session_state["presenter"] = {presenter}
ui.latex(r"l = -y \\ln h^k - (1 - y) \\ln(1 - h^k)")
"""
    normal = AppTest.from_string(script.format(presenter=False)).run()
    presenting = AppTest.from_string(script.format(presenter=True)).run()
    assert r"- (1 - y) \ln(1 - h^k)" in normal.latex[0].value
    assert r"- {(1 - y)} \ln{(1 - h^k)}" in presenting.latex[0].value


def _margins(fig: go.Figure) -> dict:
    return {side: fig.layout.margin[side] for side in "lrtb"}


def test_reserved_margins_grow_for_labels_and_never_shrink():
    """viz.margins.reserve_margins (plotly's own count of repeated draws is checked in
    chromium: tests/app/test_browser_a11y.py)."""
    theme = ui.THEMES["Standard"]
    tight = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    tight.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_title="x")
    styled = _margins(figure_style.style(tight, theme, presenter=False))
    assert styled["b"] > 10 and styled["l"] > 10  # tick labels and the x title need room
    assert styled["t"] == 10  # nothing stands above the plot
    # presenter type keeps plotly's own layout (its plots have no room to spare at 1024 px)
    big = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    big.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_title="x")
    assert _margins(figure_style.style(big, theme, presenter=True)) == dict.fromkeys("lrtb", 10)
    # 22 px type needs more room than 14 px
    larger = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]), layout={"font": {"size": 22}})
    larger.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_title="x")
    figure_style.set_template(larger, theme["template"])
    margins.reserve_margins(larger, 820)
    assert _margins(larger)["b"] > styled["b"]
    # generous margins stay as they were
    roomy = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    roomy.update_layout(margin={"l": 200, "r": 200, "t": 200, "b": 200})
    assert _margins(figure_style.style(roomy, theme, presenter=False)) == dict.fromkeys("lrtb", 200)


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_axes_without_tick_labels_reserve_no_room_for_them(theme):
    """A heat map grid that hides its tick labels and marks (the chain rule's) needs no room for
    the labels' standoff: plotly pushes no margin for labels it does not draw."""
    fig = make_subplots(rows=1, cols=2)
    for col in (1, 2):
        fig.add_trace(go.Heatmap(z=[[0, 1], [1, 0]], showscale=False), row=1, col=col)
    fig.update_xaxes(showticklabels=False, ticks="")
    fig.update_yaxes(showticklabels=False, ticks="")
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    styled = figure_style.style(fig, ui.THEMES[theme], presenter=False)
    assert _margins(styled) == dict.fromkeys("lrtb", 10)


def test_named_heat_maps_reserve_no_legend():
    """plotly.js leaves heat maps out of the legend unless told otherwise: their names reserve
    no room beside the plot (the structure page's heat maps lost 124 px on the right)."""
    fig = make_subplots(rows=1, cols=3)
    for col in (1, 2, 3):
        fig.add_trace(go.Heatmap(z=[[0, 1]], name=f"a long heat map name {col}"), row=1, col=col)
    fig.update_xaxes(showticklabels=False, ticks="")
    fig.update_yaxes(showticklabels=False, ticks="")
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    styled = figure_style.style(fig, ui.THEMES["Standard"], presenter=False)
    assert _margins(styled) == dict.fromkeys("lrtb", 10)
    # the same names on lines are a legend, and take room
    lines = go.Figure([go.Scatter(y=[0, 1], name=f"a long line name {i}") for i in (1, 2, 3)])
    lines.update_xaxes(showticklabels=False, ticks="")
    lines.update_yaxes(showticklabels=False, ticks="")
    lines.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    assert _margins(figure_style.style(lines, ui.THEMES["Standard"], presenter=False))["r"] > 10


def test_a_category_axis_reserves_the_width_of_its_names_letters():
    """Category names are measured by their letters (a comma or a space is half a digit wide):
    reserving every character as a digit narrowed the plot of the width/depth page's strip of
    networks ("[1, 64, 8, 1] (633 p.)") by a third of its labels' width."""
    names = ["[1, 64, 8, 1] (633 p.)", "[1, 8, 64, 1] (633 p.)"]
    fig = go.Figure(go.Bar(y=names, x=[1, 2], orientation="h"))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    styled = figure_style.style(fig, ui.THEMES["Standard"], presenter=False)
    # Liberation Sans (chromium's stand-in for plotly's font) at 14 px: digits 0.556 em, space,
    # comma, period and brackets 0.278 em, parentheses 0.333 em, "p" 0.556 em
    em = 10 * 0.556 + 9 * 0.278 + 2 * 0.333 + 0.556 + 0.278
    label = 14 * em
    assert label < _margins(styled)["l"] < label + 40  # + standoff, pad; not 22 digits' width


def test_only_the_outer_panels_of_a_grid_reserve_margins():
    theme = ui.THEMES["Standard"]

    def grid(rows: int) -> go.Figure:
        fig = make_subplots(rows=rows, cols=1)
        for row in range(1, rows + 1):
            fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], showlegend=False), row=row, col=1)
        fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
        return figure_style.style(fig, theme, presenter=False)

    # the inner rows' x tick labels sit between the panels: the bottom margin is one row's
    assert _margins(grid(3)) == _margins(grid(1))


def test_a_legend_below_takes_more_rows_in_a_narrow_column():
    theme = ui.THEMES["Standard"]

    def with_legend(share: float) -> int:
        fig = go.Figure(
            [go.Scatter(x=[0, 1], y=[i, i], name=f"a long trace name {i}") for i in range(4)]
        )
        fig.update_layout(legend={"orientation": "h", "y": -0.2})
        with margins.in_column(share):
            return figure_style.style(fig, theme, presenter=False).layout.margin.b

    assert with_legend(0.4) > with_legend(1.0)
    assert margins.column_share() == 1.0  # the column's share ends with its block
