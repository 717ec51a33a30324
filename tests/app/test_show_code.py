"""ui.show_code: the "Show the code" expander sends the source only while it is open."""

from streamlit.testing.v1 import AppTest


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
