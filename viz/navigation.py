"""The app's pages in lecture order: the navigation (app.py), the home page's lecture map and
every test or benchmark that visits each page read this one list."""

from viz.settings import APP_DIR

# The sidebar's links (app.py) sit in a container with this key, the open page's link in one
# with HERE_KEY: Streamlit gives each the CSS class st-key-<key>, which viz.page_css styles.
NAV_KEY = "nnlab_nav"
HERE_KEY = "nnlab_nav_here"
# Every page's title is a heading with this anchor; the sidebar's first element links to it, so
# a keyboard or screen reader user skips the twenty links before the page (WCAG 2.4.1). It is
# plain Markdown, drawn before any script Streamlit loads lazily: a sidebar whose links and
# controls are still placeholders holds something to focus and so to scroll it with.
PAGE_ANCHOR = "page-title"
SKIP_LINK = f"[Skip to the page](#{PAGE_ANCHOR})"

# (section, file in pages/, title, material icon, one line for the home page's lecture map with
# its formulas in $...$, drawn by KaTeX); the order follows the lecture. app.py lists a page only
# when its file exists.
PAGES = [
    (
        "Start",
        "home.py",
        "Home: the lecture map",
        ":material/home:",
        "What each page shows and where it sits in the lecture.",
    ),
    (
        "Start",
        "slide_notes.py",
        "Notes on the slides",
        ":material/edit_note:",
        "Where the slides' notation slips, and the correct form nnlab uses.",
    ),
    (
        "1 · Structure",
        "structure.py",
        "Structure and notation",
        ":material/account_tree:",
        r"$h^0 = x$, $z^i = h^{i-1} W^{i\top} + b^i$: shapes, the product with real numbers, "
        "the graph.",
    ),
    (
        "1 · Structure",
        "hyperplane.py",
        "One unit's hyperplane",
        ":material/straighten:",
        r"$\sigma(x w^\top + b)$ over the plane: $w$ turns the boundary, $b / \|w\|$ places it.",
    ),
    (
        "2 · Output units",
        "output_units.py",
        "Output units and losses",
        ":material/output:",
        "Identity + squared error, sigmoid + NLL, softmax + cross-entropy; why pairs must match.",
    ),
    (
        "2 · Output units",
        "softmax.py",
        "Softmax",
        ":material/bar_chart:",
        r"Make positive, then normalise: translation, $\alpha$ ($T = 1/\alpha$), $z_n = 0$, "
        "overflow.",
    ),
    (
        "3 · Hidden units and gradients",
        "activations.py",
        "Activation functions",
        ":material/show_chart:",
        r"$\sigma$ and $\sigma'$ side by side; $\tanh(x) = 2\sigma(2x) - 1$; $|x|$ folds.",
    ),
    (
        "3 · Hidden units and gradients",
        "chain_rule.py",
        "The chain rule with numbers",
        ":material/link:",
        r"$\partial l / \partial W^i$ factor by factor for one data point: "
        r"$\partial l / \partial h^k$, each $A^j$, their product, backprop.",
    ),
    (
        "3 · Hidden units and gradients",
        "gradients.py",
        "Gradients through depth",
        ":material/layers:",
        "Products of the Jacobians $A^j$: where gradients vanish or explode.",
    ),
    (
        "4 · Width and depth",
        "approximation.py",
        "Universal approximation",
        ":material/timeline:",
        "Width against depth, linear pieces, the sawtooth and bump constructions.",
    ),
    (
        "4 · Width and depth",
        "width_depth.py",
        "Choosing width and depth",
        ":material/view_column:",
        "A bottleneck nothing after it can undo; width first or last; depth on repeating patterns.",
    ),
    (
        "5 · Practice",
        "playground.py",
        "Playground",
        ":material/sports_esports:",
        "Train on 2-D data and digits with a live decision surface.",
    ),
    (
        "5 · Practice",
        "quiz.py",
        "Quiz",
        ":material/quiz:",
        "The lecture's questions with immediate feedback.",
    ),
    (
        "5 · Practice",
        "grading.py",
        "Grading",
        ":material/grading:",
        "Instructors: class results; students: your function against the reference.",
    ),
]


def existing_pages() -> list[tuple[str, str, str, str, str]]:
    """The entries of PAGES whose file exists in pages/, in lecture order."""
    return [entry for entry in PAGES if (APP_DIR / "pages" / entry[1]).exists()]
