"""Softmax: make positive, then normalise; its properties, live."""

import numpy as np
import pandas as pd
import streamlit as st

import nncore as nn
from viz import sections, ui
from viz import softmax as viz
from viz.symbols import sub

ui.page_header(
    "Softmax",
    "Softmax turns $n$ scores into a probability distribution: exponentiate to make them "
    r"positive, then normalise so they sum to one. The lecture's $\alpha$ multiplies the scores. "
    r"The lecture calls it the temperature, but it works the other way round: raising $\alpha$ "
    r"sharpens (cools) the distribution, so $\alpha$ is an inverse temperature. Most libraries "
    r"write $T = 1/\alpha$, where raising $T$ flattens it.",
    r"\Pr(\hat Y = i \mid X = x) = \frac{e^{\alpha z_i}}{\sum_{j=1}^{n} e^{\alpha z_j}},"
    r"\qquad T = \frac{1}{\alpha}",
)

DEFAULT_LOGITS = [2.0, 1.0, 0.1, -1.0, 0.5, -2.0]
MAX_CLASSES = len(DEFAULT_LOGITS)


def theme_colours() -> list[str]:
    """The current theme's categorical colours (the app's palette in viz.ui)."""
    return list(ui.THEMES[ui.theme_name()]["colorway"] or ui.OKABE_ITO)


def plus(value: float, minus: str = "-") -> str:
    """ "+ 5" or "- 1000": a shift written as it reads (never "+ -1000"); minus: the sign, "−"
    (U+2212) in plain text (a label, a chart's text), where KaTeX does not set it."""
    return f"{minus if value < 0 else '+'} {abs(value):g}"


n = ui.slider("Number of classes n", 2, MAX_CLASSES, 4, key="sm_n")
columns = st.columns(MAX_CLASSES)
logits = []
for i in range(n):
    with columns[i]:
        logits.append(
            ui.slider(
                f"z{sub(i + 1)}", -10.0, 10.0, DEFAULT_LOGITS[i], key=f"sm_z{i + 1}", step=0.1
            )
        )
z = np.array(logits)

# One tab per idea, kept in the URL; every tab's numbers are computed, only the open tab's
# chart is drawn (viz.sections).
parts = sections.tabs(
    ["Normalise", "Translation", "Scaling: α", "Over-parameterised", "Overflow"],
    key="sm_section",
    opened_by={
        "Translation": ["sm_c"],
        "Scaling: α": ["sm_alpha"],
        "Over-parameterised": ["sm_region_seed"],
        "Overflow": ["sm_big"],
    },
)

with parts[0]:
    with ui.guard("compute the softmax"):
        probs = nn.softmax(z)
        cols = st.columns(3)
        cols[0].metric(
            "Largest probability", f"{probs.max():.4f}", help=r"of the class with $\max z_i$"
        )
        cols[1].metric("Sum of probabilities", f"{probs.sum():.6f}")
        cols[2].metric("Predicted class", f"class {int(probs.argmax()) + 1}")
        ui.chart(
            lambda: viz.probability_bars_figure({"softmax(z)": probs}, "Pr(Y = i | x)"),
            key="sm_bars",
            summary=f"Class {int(probs.argmax()) + 1} has the largest probability, "
            f"{probs.max():.4f}; the {n} probabilities sum to {probs.sum():.6f}.",
        )
        ui.table(viz.softmax_table(z), key="sm_table", lead=["class", "zᵢ", "Pr(Y = i | x)"])

with parts[1]:
    st.header("Invariance to translation: softmax(z + c) = softmax(z)")
    ui.latex(
        r"\frac{e^{z_i + c}}{\sum_j e^{z_j + c}} = \frac{e^{c}\, e^{z_i}}{e^{c} \sum_j e^{z_j}}"
        r" = \frac{e^{z_i}}{\sum_j e^{z_j}}"
    )
    shift = ui.slider("Add c to every logit", -1000.0, 1000.0, 100.0, key="sm_c", step=1.0)
    with ui.guard("compare softmax(z + c) with softmax(z)"):
        shifted = nn.softmax(z + shift)
        st.metric(
            "maxᵢ |softmax(z + c)ᵢ − softmax(z)ᵢ|",
            f"{np.max(np.abs(shifted - probs)):.2e}",
            help=r"Zero up to rounding: this is why we may subtract $\max_i z_i$ before "
            "exponentiating.",
        )
        ui.chart(
            lambda: viz.probability_bars_figure(
                {"softmax(z)": probs, f"softmax(z {plus(shift, '−')})": shifted},
                "Same distribution",
            ),
            key="sm_shift_bars",
            summary=f"The bars of softmax(z) and softmax(z {plus(shift, '−')}) are the same: they "
            f"differ by at most {np.max(np.abs(shifted - probs)):.1e}.",
        )

with parts[2]:
    st.header(r"Not invariant to scaling: $\alpha$ from 1e-3 to 1e3")
    alpha = ui.select_slider("α (T = 1/α)", viz.ALPHAS, 1.0, key="sm_alpha")
    with ui.guard("sweep α"):
        scaled = nn.softmax(z, alpha=alpha)
        cols = st.columns(4)
        cols[0].metric("α", f"{alpha:g}")
        cols[1].metric("T = 1/α", f"{1 / alpha:g}")
        cols[2].metric("Largest probability", f"{scaled.max():.4f}")
        cols[3].metric("Uniform would be", f"{1 / n:.4f}")
        sweep_alphas = np.logspace(-3, 3, 121)
        ui.chart(
            lambda: viz.alpha_sweep_figure(
                sweep_alphas, viz.alpha_sweep(z, sweep_alphas), alpha, colours=theme_colours()
            ),
            key="sm_alpha_sweep",
            summary=f"At α = {alpha:g} (T = {1 / alpha:g}) the largest probability is "
            f"{scaled.max():.4f}; uniform would be {1 / n:.4f}.",
        )
        tied = np.flatnonzero(z == z.max())
        if tied.size > 1:
            names = ", ".join(f"$z_{{{i + 1}}}$" for i in tied)
            share = float(nn.softmax(z, alpha=1000.0)[tied[0]])
            st.caption(
                rf"{names} tie for the largest score, so $\alpha \to \infty$ splits the mass "
                rf"equally between them: at $\alpha = 1000$ each gets {share:.4f} (1/{tied.size})."
            )
        else:
            st.caption(
                r"With one largest score, $\alpha \to \infty$ puts all the mass on it; with tied "
                "largest scores it splits the mass equally between them (try $z_1 = z_2$)."
            )

with parts[3]:
    st.header("Over-parameterised: n scores for n probabilities, n - 1 suffice")
    # two formulas, not one: a projector's column breaks the pair inside the second equation
    ui.latex(
        r"i < n:\ \Pr(\hat Y = i \mid x) = \frac{e^{z_i - z_n}}{1 + \sum_{j=1}^{n-1} e^{z_j - z_n}}"
    )
    ui.latex(r"\Pr(\hat Y = n \mid x) = \frac{1}{1 + \sum_{j=1}^{n-1} e^{z_j - z_n}}")
    with ui.guard("compare the two parameterisations"):
        reduced = nn.softmax_reduced(z[:-1] - z[-1])
        st.metric(
            "maxᵢ |softmax(z)ᵢ − Pr(Y = i) with zₙ = 0|",
            f"{np.max(np.abs(reduced - probs)):.2e}",
        )
        st.caption(
            r"With $n = 2$ this is the sigmoid: $\Pr(Y = 1) = \sigma(z_1 - z_2)$. Translation "
            "invariance is this over-parameterisation: adding the same $c$ to every score changes "
            "nothing, so one of the $n$ scores is redundant; choosing $c = -z_n$ sets $z_n = 0$ "
            "without changing the distribution."
        )
        region_seed = ui.number("Seed of the 2-D linear model", 0, 9999, 0, key="sm_region_seed")
        rng = np.random.default_rng(int(region_seed))
        W, b = rng.standard_normal((n, 2)), rng.standard_normal(n)
        regions = viz.linear_softmax_regions(W, b)
        disagree = np.mean(regions["full"].argmax(1) != regions["reduced"].argmax(1))
        cols = st.columns(2)
        cols[0].metric("Grid points where the decisions differ", f"{disagree:.1%}")
        cols[1].metric(
            "Largest probability difference on the grid",
            f"{np.max(np.abs(regions['full'] - regions['reduced'])):.2e}",
        )
        ui.chart(
            lambda: viz.decision_regions_figure(regions, colours=theme_colours()),
            key="sm_regions",
            summary=f"The two panels show the same regions: the decisions differ on {disagree:.1%} "
            "of the grid. Each region is labelled with its class number.",
        )

with parts[4]:
    st.header("Overflow: the naive formula against the stable one")
    ui.latex(
        r"\text{stable: } \frac{e^{\alpha (z_i - \max_j z_j)}}"
        r"{\sum_{l} e^{\alpha (z_l - \max_j z_j)}}"
        r"\quad\text{so the largest exponent is } e^0 = 1"
    )
    st.caption(rf"Both formulas use the page's $\alpha = {alpha:g}$ (set on the 'Scaling: α' tab).")
    offset = ui.select_slider(
        "Add to every logit",
        [0.0, 10.0, 100.0, 500.0, 709.0, 710.0, 1000.0, 10000.0],
        1000.0,
        key="sm_big",
    )
    with ui.guard("compare the naive and the stable softmax"):
        big = z + offset
        naive, exps, problem = viz.naive_softmax(big, alpha)
        stable = nn.softmax(big, alpha=alpha)
        if problem:
            st.warning(
                rf"Naive formula at $z {plus(offset)}$ with $\alpha = {alpha:g}$: {problem}.",
                icon=":material/warning:",
            )
        else:
            st.success(
                rf"At $z {plus(offset)}$ with $\alpha = {alpha:g}$ the naive formula still fits "
                r"in float64 ($\exp(709.78)$ is the limit)."
            )
        ui.table(
            pd.DataFrame(
                {
                    "class": viz.class_labels(n),
                    "zᵢ": big,
                    "naive exp(α zᵢ)": viz.as_text(exps),
                    "naive Pr": viz.as_text(naive),
                    "stable Pr": viz.as_text(stable),
                }
            ),
            key="sm_overflow_table",
            lead=["class", "naive Pr", "stable Pr"],
        )

ui.show_code(nn.softmax, nn.softmax_reduced)
