"""Grading: a student's function against the reference (the self-check, for everyone), and for
servers started in instructor mode: class analytics and grading a submission with the harness.
Student code never runs in this process."""

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from viz import grading as viz
from viz import grading_compare as compare
from viz import grading_harness as harness
from viz import grid, markdown, serving, ui
from viz import settings as settings_module

ui.page_header(
    "Grading",
    "Students: upload your exercise file and see your function against the reference on the "
    "same inputs; your code runs only inside the grader's sandbox, never in this app. "
    "Instructors (on a server started in instructor mode): load a class's results to see the "
    "score distribution, each exercise's pass rate and the most common failure messages, or "
    "grade one submission with the harness.",
    # each equation a {group}: KaTeX wraps between the two, never after an "="
    r"{\text{score} = \sum_{t \in \text{tests}} \text{points}_t\,[t\ \text{passed}]},\qquad "
    r"{\text{pass rate}(e) = \frac{\#\{\text{passed runs of } e\}}{\#\{\text{runs of } e\}}}",
)

try:
    SETTINGS = settings_module.current()
except ValueError as error:
    st.error(f"This server's settings could not be read, so instructor views stay off: {error}")
    SETTINGS = settings_module.Settings()

# the theme's colours: histogram bars in the first; pass-rate bands by word (viz.RATE_BANDS)
PALETTE = ui.THEMES[ui.theme_name()]["colorway"]
BAND_COLOURS = dict(zip(["high", "low", "medium"], PALETTE[:2] + PALETTE[3:4], strict=True))


def score_summary(scores: np.ndarray, unit: str) -> str:
    """The histogram's key numbers in a sentence (its text alternative)."""
    finite = scores[np.isfinite(scores)]
    if not finite.size:
        return "No scores to show."
    return (
        f"{finite.size} scores from {finite.min():.1f} to {finite.max():.1f}{unit}; "
        f"mean {finite.mean():.1f}{unit}, median {np.median(finite):.1f}{unit}."
    )


def rate_summary(table: pd.DataFrame, column: str, what: str) -> str:
    """Per exercise, its rate and band in words (the bars' text alternative)."""
    if table.empty:
        return f"No exercises to show a {what} for."
    parts = [
        f"{row['exercise']} {row[column]:.0%} ({viz.rate_band(float(row[column]))})"
        for _, row in table.iterrows()
    ]
    return f"{what.capitalize()}, hardest first: " + "; ".join(parts) + "."


ASSIGNMENTS = harness.assignments(SETTINGS)
if not ASSIGNMENTS and SETTINGS.instructor_mode:
    st.warning("No assignment found in the assignments folder (a folder with assignment.json).")
# mlp_basics first: the self-check below knows most of its functions.
names = sorted(ASSIGNMENTS, key=lambda name: (name != "mlp_basics", name)) or ["mlp_basics"]
assignment = ui.select("Assignment", names, key="gd_assignment")
expected_files = ASSIGNMENTS.get(assignment, {}).get("files", [])

if SETTINGS.instructor_mode:
    student_tab, class_tab, grade_tab = st.tabs(
        ["Your function against the reference", "Class results", "Grade a submission"]
    )
else:
    student_tab, class_tab, grade_tab = st.container(), None, None


@st.cache_data(show_spinner=False, max_entries=4)
def grade_sample_class(folder: str) -> tuple[dict, str]:
    """Run `python -m grader batch` over an assignment's sample submissions (a subprocess)."""
    samples = Path(folder) / "samples"
    if not samples.is_dir():
        raise ValueError(f"{Path(folder).name} has no samples/ folder of example submissions")
    with tempfile.TemporaryDirectory(prefix="nnlab-batch-") as temporary:
        command = [
            sys.executable,
            "-m",
            "grader",
            "batch",
            str(samples),
            "--assignment",
            folder,
            "--out",
            temporary,
            "--no-progress",
        ]
        finished = subprocess.run(
            command,
            cwd=harness.APP_DIR,
            capture_output=True,
            text=True,
            timeout=harness.GRADE_TIMEOUT_SECONDS,
            check=False,
        )
        results = {
            path.parent.name: viz.parse_results_json(path.read_bytes(), str(path.parent.name))
            for path in sorted(Path(temporary).glob("*/results.json"))
        }
        gradebook = Path(temporary) / "gradebook.csv"
        csv = gradebook.read_text() if gradebook.exists() else ""
    if not results:
        raise RuntimeError(f"the grader produced no results: {finished.stderr.strip()[-500:]}")
    return results, csv


def show_class(results: dict, gradebook: pd.DataFrame | None) -> None:
    """The instructor analytics for whatever was loaded."""
    if results:
        tests = viz.results_to_frame(results)
        totals = viz.submission_totals(results, tests)
        rates = viz.pass_rates(tests)
        cols = grid.cells(4)
        cols[0].metric("Submissions", f"{len(totals)}")
        cols[1].metric("Mean score (%)", f"{totals['percent'].mean():.1f}")
        cols[2].metric("Median score (%)", f"{totals['percent'].median():.1f}")
        cols[3].metric("Tests passed", f"{tests['passed'].mean():.1%}")
        left, right = grid.cells(2, per_row=1)
        with left:
            percent = totals["percent"].to_numpy()
            ui.chart(
                viz.score_histogram(percent, "Scores (percent)", top=100.0, colour=PALETTE[0]),
                key="gd_hist",
                summary=score_summary(percent, "%"),
            )
        with right:
            ui.chart(
                grid.legend_room(
                    viz.pass_rate_bars(rates, "pass_rate", "Pass rate per exercise", BAND_COLOURS)
                ),
                key="gd_rates",
                summary=rate_summary(rates, "pass_rate", "pass rate"),
            )
        st.markdown(
            "**Most common failure messages** (numbers masked, so one mistake made "
            "with different values counts once)"
        )
        # presenter mode shows the lead columns alone: all of them, with each failure's full
        # example, ran 600 px past a projector's right edge
        ui.table(
            viz.common_failures(tests, top=10),
            "gd_failures",
            lead=["count", "message"],
            lead_only_when_presenting=True,
        )
        ui.table(
            totals,
            "gd_totals",
            lead=["submission", "percent", "score"],
            formats={"percent": "%.1f"},
            lead_only_when_presenting=True,
        )
    if gradebook is not None:
        st.markdown("**Gradebook**")
        total = viz.total_column(gradebook)
        table = viz.gradebook_exercise_rates(gradebook)
        left, right = grid.cells(2, per_row=1)
        with left:
            points = gradebook[total].to_numpy(dtype=float)
            ui.chart(
                viz.score_histogram(points, f"Gradebook: {total} (points)", colour=PALETTE[0]),
                key="gd_book_hist",
                summary=score_summary(points, " points"),
            )
        with right:
            ui.chart(
                grid.legend_room(
                    viz.pass_rate_bars(table, "full_marks", "Share with full marks", BAND_COLOURS)
                ),
                key="gd_book_rates",
                summary=rate_summary(table, "full_marks", "share with full marks"),
            )
        ui.table(gradebook, "gd_gradebook", lead=["student", total], lead_only_when_presenting=True)


def read_uploaded_results(uploads) -> tuple[dict, pd.DataFrame | None]:
    """Results from uploads; zips are checked against the server's caps before unpacking."""
    files = []
    for upload in uploads:
        content = upload.getvalue()
        if upload.name.lower().endswith(".zip"):
            harness.open_zip(
                upload.name, content, SETTINGS.max_zip_entries, SETTINGS.max_zip_bytes
            ).close()
        files.append((upload.name, content))
    return viz.read_uploads(files)


def class_results() -> None:
    sources = ["upload", "the sample class"]
    if SETTINGS.results_path is not None:
        sources.insert(1, "the results folder")
    source = ui.radio("Results from", sources, key="gd_source", horizontal=True)
    with ui.guard("read the class results"):
        if source == "upload":
            uploads = st.file_uploader(
                "results.json files, a .zip of a `grader batch` output folder, or gradebook.csv",
                type=["json", "zip", "csv"],
                accept_multiple_files=True,
                key="gd_class_files",
            )
            if uploads:
                show_class(*read_uploaded_results(uploads))
            else:
                st.info("Upload files, or pick 'the sample class' to see the views at once.")
        elif source == "the results folder":
            folders = harness.results_folders(SETTINGS)
            if not folders:
                st.info(f"No folder inside the results folder {SETTINGS.results_path} yet.")
            else:
                chosen = st.selectbox("`grader batch` output folder", folders, key="gd_folder")
                show_class(*viz.read_uploads(harness.read_results_folder(SETTINGS, chosen)))
        else:
            with ui.working("Grading the sample submissions with the harness (a subprocess)..."):
                results, csv = grade_sample_class(str(SETTINGS.assignments_path / assignment))
            gradebook = viz.read_gradebook(csv) if csv else None
            show_class(results, gradebook)


def grade_one_submission() -> None:
    listed = ", ".join(expected_files) or "see the assignment"
    st.markdown(
        f"Upload the files of one submission ({listed}) or a .zip of them. The harness grades "
        f"them in its sandbox: `python -m grader grade FOLDER --assignment {assignment}`."
    )
    uploads = st.file_uploader(
        "Submission files", type=["py", "zip"], accept_multiple_files=True, key="gd_submission"
    )
    with ui.guard("grade the submission"):
        if uploads:
            files = harness.submission_files(
                [(u.name, u.getvalue()) for u in uploads], expected_files, SETTINGS
            )
            with ui.working(f"Grading {len(files)} file(s) in the harness..."):
                results = harness.grade_submission_files(files, assignment, SETTINGS)
            extra = results.get("extra_data", {})
            cols = grid.cells(3)
            cols[0].metric("Score", f"{results.get('score', 0):g} / {extra.get('max_score', 0):g}")
            passed = sum(test.get("status") == "passed" for test in results["tests"])
            cols[1].metric("Tests passed", f"{passed} / {len(results['tests'])}")
            cols[2].metric("Grading time", f"{results.get('execution_time', 0):.1f} s")
            exercises = pd.DataFrame(
                [
                    {"exercise": name, "score": row["score"], "max_score": row["max_score"]}
                    for name, row in extra.get("exercises", {}).items()
                ]
            )
            if not exercises.empty:
                ui.table(
                    exercises,
                    "gd_exercises",
                    lead=["exercise", "score", "max_score"],
                    formats={"score": "%g", "max_score": "%g"},
                    lead_only_when_presenting=True,
                )
            failed = [t for t in results["tests"] if t.get("status") != "passed"]
            for test in failed[:30]:
                with st.expander(f"✗ failed: {test['name']}"):
                    st.text(test.get("output", "") or "(no message)")
            if results.get("output"):
                st.text(results["output"][:3000])


def self_check() -> None:
    cols = grid.cells([2, 1, 1, 1])  # two to a row in presenter mode: the file: function names
    with cols[0]:
        # the chosen assignment's functions (all of them for an assignment the check has none of)
        ours = [key for key, c in compare.COMPARABLES.items() if c.filename in expected_files]
        choice = ui.select("Function", ours or list(compare.COMPARABLES), key="gd_function")
    comparable = compare.COMPARABLES[choice]
    with cols[1]:
        half_range = ui.select_slider(
            "Input range [−r, r]", [1, 5, 10, 50, 100, 1000, 10000], 10, key="gd_range"
        )
    with cols[2]:
        points = ui.select_slider("Points", [11, 51, 201, 1001], 201, key="gd_points")
    with cols[3]:
        # shown only where it acts: a disabled slider's grey label fails 4.5:1 (axe, Standard)
        alpha = 1.0
        if comparable.uses_alpha:
            alpha = ui.select_slider(
                "α (softmax)", [0.001, 0.1, 1.0, 10.0, 1000.0], 1.0, key="gd_alpha"
            )
        else:
            st.caption(rf"$\alpha$: not used by {comparable.function}")
    st.caption(
        "What this check uses: nncore's implementation of the same function, evaluated on the "
        "inputs this page chose. Your file runs in the grader's sandbox, in a process of its "
        "own; only your numbers on these inputs come back. The course's hidden tests and "
        "reference solutions are not used here and never reach this page."
    )
    # One uploader per file name: switching to a function of another file starts empty.
    upload = st.file_uploader(
        f"Your {comparable.filename}",
        type=["py"],
        key=f"gd_student_file_{comparable.filename}",
    )
    with ui.guard("compare your function with the reference"):
        x = np.linspace(-float(half_range), float(half_range), int(points))
        reference = comparable.reference(x, float(alpha))
        student, difference = None, None
        if upload is None:
            st.info(f"Upload your {comparable.filename} to see your {comparable.function} here.")
        elif upload.size > SETTINGS.max_file_bytes:
            st.error(
                f"{markdown.literal(upload.name)} is {upload.size:,} bytes; the limit is "
                f"{SETTINGS.max_file_bytes:,}."
            )
        else:
            with ui.working("Running your function in the grader's sandbox..."):
                evaluation = harness.evaluate_student_function(
                    upload.getvalue(),
                    comparable.filename,
                    comparable.function,
                    comparable.make_args(x, float(alpha)),
                    names=comparable.arguments,
                    session=serving.session_id(),
                )
            if not evaluation.ok:
                st.error(
                    f"Your {comparable.function} could not be evaluated:\n\n"
                    + markdown.block(evaluation.message)  # the student's words, as written
                )
            else:
                student = evaluation.values
                difference = compare.compare(student, reference)
                cols = grid.cells(3)
                cols[0].metric("Inputs where yours differs", f"{difference.count} / {len(x)}")
                cols[1].metric("Largest |difference|", f"{difference.worst:.2e}")
                first = x[difference.mismatch][0] if difference.count else None
                cols[2].metric("First differing x", "none" if first is None else f"{first:g}")
                if difference.count:
                    st.warning(compare.verdict(difference, x), icon=":material/close:")
                else:
                    st.success(compare.verdict(difference, x), icon=":material/check:")
            for name, change in evaluation.changed:
                st.warning(
                    f"Your {comparable.function} changed its argument {name} in place "
                    f"({change}). The graded tests charge this: a "
                    "function returns new arrays and leaves its arguments as it got them "
                    "(backprop reads z again after the forward pass), so write z = z - m or "
                    "np.maximum(z, 0), not z -= m or z[z < 0] = 0.",
                    icon=":material/edit_off:",
                )
            for warning in evaluation.warnings[:5]:
                st.warning(f"Your code raised a warning:\n\n{markdown.block(warning)}")
        ui.chart(
            grid.legend_room(
                compare.comparison_figure(x, reference, student, difference, comparable, PALETTE),
                base=560 if difference is not None else 380,
            ),
            key="gd_compare",
            summary=None if difference is None else compare.verdict(difference, x),
        )
        st.caption(
            r"Values match when $|\text{yours} - \text{reference}| \le a + r\,|\text{reference}|$ "
            f"with $a$ = {compare.ATOL:g} and $r$ = {compare.RTOL:g}, and NaN/inf only where the "
            "reference has them."
        )


with student_tab:
    self_check()
    if not SETTINGS.instructor_mode:
        st.caption(
            "Instructor views (class results, grading a submission) are off on this server. "
            "A course turns them on with `instructor_mode = true` under `[nnlab]` in "
            "`.streamlit/secrets.toml` (see the README, 'Serving a class')."
        )
if class_tab is not None:
    with class_tab:
        class_results()
if grade_tab is not None:
    with grade_tab:
        grade_one_submission()
