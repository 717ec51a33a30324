"""Quiz: the lecture's questions with immediate feedback and live numbers."""

import numpy as np
import streamlit as st

import nncore as nn
from viz import grid, quiz, ui
from viz import output_units as output_viz
from viz import structure as structure_viz

ui.page_header(
    "Quiz",
    "The questions asked during the lecture, and a few more on each part. Pick an answer to "
    "see at once whether it is right and why, with the numbers computed by nncore.",
    r"\Pr(\hat Y = 1 \mid X = x) = \frac{e^{z_1}}{e^{z_0} + e^{z_1}}"
    r"\qquad\text{If we increase } z_0\text{, does } \sigma(z) \text{ increase?}",
)


def reset_answers() -> None:
    """Clear every answer (the button, and a new seed: old answers belong to the old quiz)."""
    for question in quiz.build_questions(0):  # the keys do not depend on the seed
        st.session_state[question.key] = None


seed = ui.number(
    "Quiz seed (the network drawn and the order of the answers)",
    0,
    9999,
    0,
    key="quiz_seed",
    on_change=reset_answers,
    help="A new seed draws a new network and shuffles the answers; your answers are cleared.",
)
questions = quiz.build_questions(int(seed))


summary = st.container()
st.button("Clear my answers", on_click=reset_answers, icon=":material/restart_alt:")


def draw_figure(name: str, key: str) -> None:
    if name == "network":
        sizes = quiz.quiz_network_sizes(int(seed))
        net = nn.MLP(sizes, hidden="relu", seed=int(seed))
        ui.chart(
            structure_viz.network_graph_figure(
                net.weights, net.biases, height=360, layer_names=False
            ),
            key=key,
        )
    elif name == "two_logit":
        ui.chart(output_viz.two_logit_figure(np.linspace(-6, 6, 121), 1.0, 0.0), key=key)
    else:
        raise ValueError(f"unknown quiz figure {name!r}")


answers: dict[str, str | None] = {}
drawn: set[str] = set()
for section in quiz.SECTIONS:
    st.header(section)
    for question in (q for q in questions if q.section == section):
        with ui.guard(f"show question {question.key}"):
            if question.figure and question.figure not in drawn:
                draw_figure(question.figure, key=f"quiz_fig_{question.figure}")
                drawn.add(question.figure)
            if question.latex:
                ui.latex(question.latex)
            choice = ui.radio(question.prompt, list(question.options), key=question.key, index=None)
            answers[question.key] = choice
            # The feedback goes into a placeholder that is there answered or not: Streamlit
            # matches elements by position, so feedback inserted here moved every later
            # question down one place and drew it again.
            feedback = st.empty()
            if choice is None:
                continue
            with feedback.container():
                if choice == question.answer:
                    st.success(f"Correct. {question.explanation}", icon=":material/check_circle:")
                else:
                    st.warning(
                        f"Not quite: the answer is **{question.answer}**. {question.explanation}",
                        icon=":material/lightbulb:",
                    )
                if question.reveal_figure:
                    draw_figure(question.reveal_figure, key=f"quiz_reveal_{question.key}")

with summary:
    answered, correct = quiz.score(questions, answers)
    cols = st.columns(3)
    cols[0].metric("Answered", f"{answered} / {len(questions)}")
    cols[1].metric("Correct", correct)
    cols[2].metric("Score", f"{correct / answered:.0%}" if answered else "-")
    if not answered:
        st.caption("Answer a question below to see your score by part of the lecture here.")
    else:
        per_section = [
            quiz.score([q for q in questions if q.section == s], answers) for s in quiz.SECTIONS
        ]
        ui.chart(
            grid.legend_room(
                quiz.score_figure(quiz.SECTIONS, per_section, ui.colours(["answered", "correct"]))
            ),
            key="quiz_score",
            summary="Answered and correct per part: "
            + "; ".join(
                f"{s}: {c} of {a} correct"
                for s, (a, c) in zip(quiz.SECTIONS, per_section, strict=True)
                if a
            )
            + ".",
        )
