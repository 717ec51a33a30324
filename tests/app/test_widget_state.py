"""Controls whose value a page sets through st.session_state (a preset's callback, a slider whose
range shrank under its value) log nothing: Streamlit warns, once per process, when a widget "was
created with a default value but also had its value set via the Session State API", and
viz.controls creates every control with a default.

The `duplication_warnings` fixture records that warning every time it would be logged (Streamlit
logs only the first one in a process), so one test can never hide another's.
"""

import logging

import pytest
from streamlit.elements.lib import policies
from streamlit.testing.v1 import AppTest

from viz.approximation_runs import DEFAULTS, PRESETS

WARNING = "was created with a default value but also had its value set via the Session State API"


@pytest.fixture
def duplication_warnings(monkeypatch):
    """The list of keys Streamlit warned about, filled while the test runs."""
    warned: list[str] = []

    class Recorder(logging.Handler):
        def emit(self, record):
            if WARNING in record.getMessage():
                warned.append(str(record.args[0]))

    original = policies.check_session_state_rules

    def every_time(*args, **kwargs):
        policies._shown_default_value_warning = False  # Streamlit logs only the first one
        return original(*args, **kwargs)

    monkeypatch.setattr(policies, "check_session_state_rules", every_time)
    recorder = Recorder()
    policies._LOGGER.addHandler(recorder)
    yield warned
    policies._LOGGER.removeHandler(recorder)


def _plain_streamlit_script():
    import streamlit as st

    st.button("Set", key="set", on_click=lambda: st.session_state.update(plain=7))
    st.slider("Plain", 0, 10, 3, key="plain")


def test_the_recorder_hears_streamlits_warning(duplication_warnings):
    """The check itself: a bare st.slider with a default, set by a callback, is warned about."""
    at = AppTest.from_function(_plain_streamlit_script, default_timeout=30).run()
    at.button(key="set").click().run()
    assert at.slider(key="plain").value == 7
    assert duplication_warnings == ["plain"]


def _every_control_script():
    import streamlit as st

    from viz import ui

    code_sets = {
        "c_slider": 7,
        "c_select_slider": 0.1,
        "c_select": "c",
        "c_radio": "b",
        "c_multi": ["a"],
        "c_pills": ["c"],
        "c_toggle": False,
        "c_number": 42,
        "c_text": "changed",
    }
    back_to_defaults = {
        "c_slider": 3,
        "c_select_slider": 1.0,
        "c_select": "b",
        "c_radio": "a",
        "c_multi": ["a", "b"],
        "c_pills": ["a"],
        "c_toggle": True,
        "c_number": 5,
        "c_text": "start",
    }
    # the values a control takes without a default: its smallest, its first, empty, off
    lowest = {
        "c_slider": 0,
        "c_select_slider": 0.01,
        "c_multi": [],
        "c_pills": [],
        "c_toggle": False,
        "c_number": 0,
        "c_text": "",
    }
    st.button("Preset", key="preset", on_click=lambda: st.session_state.update(code_sets))
    st.button("Lowest", key="lowest", on_click=lambda: st.session_state.update(lowest))
    st.button(
        "Defaults", key="defaults", on_click=lambda: st.session_state.update(back_to_defaults)
    )
    ui.slider("Slider", 0, 10, 3, key="c_slider")
    ui.select_slider("Select slider", [0.01, 0.1, 1.0, 10.0], 1.0, key="c_select_slider")
    ui.select("Select", ["a", "b", "c"], key="c_select", index=1)
    ui.radio("Radio", ["a", "b"], key="c_radio")
    ui.multiselect("Multi", ["a", "b", "c"], ["a", "b"], key="c_multi")
    ui.pills("Pills", ["a", "b", "c"], key="c_pills", selection_mode="multi", default=["a"])
    ui.toggle("Toggle", key="c_toggle", value=True)
    ui.number("Number", 0, 99, 5, key="c_number")
    ui.text("Text", "start", key="c_text")


CHANGED = {
    "c_slider": "7",
    "c_select_slider": "0.1",
    "c_select": "c",
    "c_radio": "b",
    "c_multi": "a",
    "c_pills": "c",
    "c_toggle": "false",
    "c_number": "42",
    "c_text": "changed",
}


def test_every_control_takes_a_value_set_by_code_without_a_warning(duplication_warnings):
    """Each kind of control in viz.controls, set by a callback to other values and back to its
    defaults: it shows the values, the link holds exactly the ones that differ from the
    defaults (as Streamlit keeps it), and nothing is logged."""
    at = AppTest.from_function(_every_control_script, default_timeout=30).run()
    at.button(key="preset").click().run()
    assert not at.exception
    assert at.slider(key="c_slider").value == 7
    assert at.select_slider(key="c_select_slider").value == 0.1
    assert at.selectbox(key="c_select").value == "c"
    assert at.radio(key="c_radio").value == "b"
    assert at.multiselect(key="c_multi").value == ["a"]
    assert at.toggle(key="c_toggle").value is False
    assert at.number_input(key="c_number").value == 42
    assert at.text_input(key="c_text").value == "changed"
    assert at.session_state["c_pills"] == ["c"]
    assert dict(at.query_params) == CHANGED

    at.button(key="defaults").click().run()
    assert not at.exception
    assert at.slider(key="c_slider").value == 3
    assert at.selectbox(key="c_select").value == "b"
    assert at.multiselect(key="c_multi").value == ["a", "b"]
    assert at.toggle(key="c_toggle").value is True
    assert at.text_input(key="c_text").value == "start"
    assert dict(at.query_params) == {}

    # values a control would also take with no default at all: the link still holds them
    at.button(key="lowest").click().run()
    assert not at.exception
    assert at.slider(key="c_slider").value == 0
    assert at.toggle(key="c_toggle").value is False
    assert at.text_input(key="c_text").value == ""
    linked = dict(at.query_params)
    expected = {"c_slider": "0", "c_select_slider": "0.01", "c_toggle": "false", "c_number": "0"}
    assert {key: linked.get(key) for key in expected} == expected
    assert linked.get("c_text") == ""  # `?c_text=`
    # (an empty list is no parameter at all in Streamlit's own links, default or not)
    assert duplication_warnings == []


@pytest.mark.parametrize(
    ("button", "preset"),
    [("ua_preset_depth", "depth wins"), ("ua_preset_width", "width first"),
     ("ua_preset_reset", "defaults")],
)  # fmt: skip
def test_approximation_presets_log_no_warning(open_page, duplication_warnings, button, preset):
    """Each preset of the Universal approximation page sets its controls, and no control logs
    the warning (ua_epochs did, for every preset)."""
    at = open_page("pages/approximation.py")
    at.button(key=button).click().run()
    assert not at.exception, [e.message for e in at.exception]
    expected = {**DEFAULTS, **PRESETS.get(preset, {})}
    shown = {key: at.session_state[key] for key in expected}
    assert shown == expected
    assert duplication_warnings == []


def test_fewer_classes_move_the_true_class_without_a_warning(
    open_page, widget, duplication_warnings
):
    """Output units: with y = 8 and then 3 classes the page sets y to 3 before drawing its
    slider."""
    at = open_page("pages/output_units.py", {"ou_task": "Multiclass"})
    widget(at, "ou_nc").set_value(8).run()
    widget(at, "ou_y").set_value(8).run()
    widget(at, "ou_nc").set_value(3).run()
    assert not at.exception
    assert widget(at, "ou_y").value == 3
    assert duplication_warnings == []
