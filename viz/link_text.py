"""What a link's text means: a bookmark or a URL typed by hand, read as the control's option.

Streamlit 1.67 matches a link's value with a control's options as text, exactly. A person types
`?theme=projector`, `?ua_mode=width x depth` or `?presenter=1`; these read as the one option they
plainly mean (viz.controls writes it into the link before the control reads it). A value that
fits no option, or more than one, is left as it is, for the control's notice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

# the lecture's Greek letters as a link may spell them
GREEK = {"α": "alpha", "β": "beta", "η": "eta", "θ": "theta", "λ": "lambda", "σ": "sigma"}
# how people write a switch's state in a link, besides Streamlit's true / false
ON_OFF = {"1": "true", "yes": "true", "on": "true", "true": "true",
          "0": "false", "no": "false", "off": "false", "false": "false"}  # fmt: skip


def plain(text: str) -> str:
    """An option's or a link's text as a person types it: compatibility forms (x₁² -> x12),
    one case, × as x, − as -, a Greek letter as its name (α as alpha), single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("×", "x").replace("−", "-")
    for letter, name in GREEK.items():
        text = text.replace(letter, name)
    return " ".join(text.split())


def meant(text: str, options: Sequence[Any]) -> Any:
    """The one option a link's text means when it is not the option's text: a number written
    another way (`10` for 10.0), the option typed plainly (`dark room`, `width x depth` for
    width × depth) or its leading words (`Projector` for "Projector (high contrast)"). None
    when no option, or more than one, fits."""
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        numbers = [o for o in options if isinstance(o, int | float) and not isinstance(o, bool)]
        return next((option for option in numbers if option == number), None)
    typed = plain(text)
    if not typed:
        return None
    shown = {option: plain(str(option)) for option in options}
    same = [option for option, words in shown.items() if words == typed]
    leading = [
        option
        for option, words in shown.items()
        if len(words) > len(typed) and words.startswith(typed) and words[len(typed)] in " (:,"
    ]
    fits = same or leading
    return fits[0] if len(fits) == 1 else None


def switch(text: str) -> str | None:
    """A switch's state as Streamlit reads it ("true" or "false") for a link's 1 / 0, yes / no,
    on / off in any case; None for any other text."""
    return ON_OFF.get(text.strip().lower())
