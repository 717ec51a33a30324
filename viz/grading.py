"""Grading analytics for instructors: read Gradescope results.json files or a gradebook CSV.

Everything here is plain data work (json, pandas) plus plotly figure builders; nothing imports
or runs student code. The results.json schema is Gradescope's:

    {"score": float, "execution_time": float, "output": str, "visibility": str,
     "tests": [{"name", "number", "score", "max_score", "status", "output", "visibility", "tags"}]}

The gradebook CSV written by ``python -m grader batch`` has a row per student, a column per
exercise and a total.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from viz import palette

TEST_COLUMNS = ["submission", "exercise", "name", "score", "max_score", "passed", "output"]
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_MAX_RESULTS_BYTES = 20_000_000


def parse_results_json(text: str | bytes, source: str = "results.json") -> dict:
    """Parse and check one Gradescope results.json; raise ValueError naming ``source`` if bad."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"{source} is not valid JSON: {error.msg} at line {error.lineno}"
        raise ValueError(message) from None
    if not isinstance(data, dict):
        raise ValueError(f"{source} must hold a JSON object, got {type(data).__name__}")
    tests = data.get("tests", [])
    if not isinstance(tests, list) or not all(isinstance(test, dict) for test in tests):
        raise ValueError(f"{source}: 'tests' must be a list of objects")
    if "score" not in data and not tests:
        raise ValueError(f"{source} has neither a 'score' nor 'tests'; is it a results.json?")
    return data


def exercise_of(test: Mapping) -> str:
    """The exercise a test belongs to: its first tag, else the part of its name before ':'."""
    tags = test.get("tags") or []
    if isinstance(tags, list) and tags:
        return str(tags[0])
    name = str(test.get("name", "")).strip()
    for separator in (":", " - ", "::"):
        if separator in name:
            return name.split(separator)[0].strip() or "(unnamed)"
    return name or "(unnamed)"


def results_to_frame(results: Mapping[str, Mapping]) -> pd.DataFrame:
    """Long table of tests, one row per (submission, test), columns ``TEST_COLUMNS``.

    results: mapping submission name -> parsed results.json. A test counts as passed when its
    status says "passed", or, without a status, when it earned its full ``max_score``.
    """
    rows = []
    for submission, data in results.items():
        for test in data.get("tests", []):
            score = float(test.get("score", 0.0) or 0.0)
            max_score = float(test.get("max_score", 0.0) or 0.0)
            status = test.get("status")
            passed = status == "passed" if status else score >= max_score
            rows.append(
                {
                    "submission": str(submission),
                    "exercise": exercise_of(test),
                    "name": str(test.get("name", "")),
                    "score": score,
                    "max_score": max_score,
                    "passed": bool(passed),
                    "output": str(test.get("output", "") or ""),
                }
            )
    return pd.DataFrame(rows, columns=TEST_COLUMNS)


def submission_totals(results: Mapping[str, Mapping], tests: pd.DataFrame) -> pd.DataFrame:
    """Score per submission: Gradescope's top-level 'score' if present, else the sum of tests.

    Returns columns submission, score, max_score, percent (0-100; NaN when max_score is 0).
    """
    by_test = tests.groupby("submission")[["score", "max_score"]].sum()
    rows = []
    for submission, data in results.items():
        name = str(submission)
        earned = by_test["score"].get(name, 0.0)
        possible = by_test["max_score"].get(name, 0.0)
        score = float(data["score"]) if data.get("score") is not None else float(earned)
        rows.append({"submission": name, "score": score, "max_score": float(possible)})
    frame = pd.DataFrame(rows, columns=["submission", "score", "max_score"])
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = 100.0 * frame["score"] / frame["max_score"].where(frame["max_score"] > 0)
    frame["percent"] = percent
    return frame


def pass_rates(tests: pd.DataFrame) -> pd.DataFrame:
    """Per exercise: number of tests, submissions, pass rate (share of passed test runs), and
    mean share of points earned. Sorted from the hardest exercise to the easiest."""
    if tests.empty:
        return pd.DataFrame(columns=["exercise", "tests", "submissions", "pass_rate", "points"])
    grouped = tests.groupby("exercise")
    table = pd.DataFrame(
        {
            "tests": grouped["name"].nunique(),
            "submissions": grouped["submission"].nunique(),
            "pass_rate": grouped["passed"].mean(),
            "points": grouped["score"].sum() / grouped["max_score"].sum().where(lambda s: s > 0),
        }
    ).reset_index()
    return table.sort_values("pass_rate", kind="stable").reset_index(drop=True)


def failure_key(output: str) -> str:
    """The message a failure is grouped by: its first non-empty line with numbers masked as '#'."""
    for line in str(output).splitlines():
        line = line.strip()
        if line:
            return _NUMBER.sub("#", line)[:200]
    return "(no message)"


def common_failures(tests: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The ``top`` most common failure messages: columns message, count, submissions, exercises,
    example (one raw message). Passed tests are ignored."""
    columns = ["message", "count", "submissions", "exercises", "example"]
    failed = tests[~tests["passed"]] if not tests.empty else tests
    if failed.empty:
        return pd.DataFrame(columns=columns)
    failed = failed.assign(message=failed["output"].map(failure_key))
    grouped = failed.groupby("message")
    table = pd.DataFrame(
        {
            "count": grouped.size(),
            "submissions": grouped["submission"].nunique(),
            "exercises": grouped["exercise"].agg(lambda s: ", ".join(sorted(set(s)))),
            "example": grouped["output"].first().map(lambda text: str(text).strip()[:300]),
        }
    ).reset_index()
    table = table.sort_values(["count", "message"], ascending=[False, True], kind="stable")
    return table.head(int(top)).reset_index(drop=True)[columns]


def read_uploads(files: Iterable[tuple[str, bytes]]) -> tuple[dict, pd.DataFrame | None]:
    """Sort uploaded files into results.json files and a gradebook.

    files: (file name, content) pairs; a .zip is opened and every results.json inside is read,
    named by its folder. Returns (results by submission name, gradebook frame or None).
    """
    results: dict[str, dict] = {}
    gradebook = None
    for name, content in files:
        lower = name.lower()
        if lower.endswith(".zip"):
            results.update(_results_from_zip(name, content))
        elif lower.endswith(".csv"):
            gradebook = read_gradebook(content, source=name)
        elif lower.endswith(".json"):
            results[_unique(results, name.rsplit(".", 1)[0])] = parse_results_json(content, name)
        else:
            raise ValueError(f"{name}: expected results.json files, a .zip of them or a .csv")
    return results, gradebook


def _unique(existing: Mapping, name: str) -> str:
    candidate, counter = name, 2
    while candidate in existing:
        candidate, counter = f"{name} ({counter})", counter + 1
    return candidate


def _results_from_zip(source: str, content: bytes) -> dict:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise ValueError(f"{source} is not a readable zip file") from None
    results: dict[str, dict] = {}
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.endswith("results.json"):
                continue
            if info.file_size > _MAX_RESULTS_BYTES:
                raise ValueError(f"{source}: {info.filename} is {info.file_size} bytes; too large")
            parts = [part for part in info.filename.split("/") if part]
            student = parts[-2] if len(parts) >= 2 else source.rsplit(".", 1)[0]
            label = f"{source}:{info.filename}"
            results[_unique(results, student)] = parse_results_json(archive.read(info), label)
    if not results:
        raise ValueError(f"{source} holds no results.json file")
    return results


STUDENT_COLUMNS = ("student", "name", "email", "sid", "student id")
TOTAL_COLUMNS = ("total", "score", "total score", "total_score", "points")


def read_gradebook(content: str | bytes, source: str = "gradebook.csv") -> pd.DataFrame:
    """Read a gradebook CSV: a row per student, a column per exercise and a total.

    It must name its students (a column called student, name, email or sid) and its total
    (total, score, total score or points), as `python -m grader batch` and Gradescope's export
    do; other numeric columns are the exercises. Anything else is refused with a ValueError
    that says what is missing (a CSV of arbitrary numbers is not charted as grades).
    """
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    try:
        frame = pd.read_csv(io.StringIO(content))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError):
        raise ValueError(f"{source} is not a readable CSV file") from None
    names = {str(col).strip().lower(): col for col in frame.columns}
    student = next((names[key] for key in STUDENT_COLUMNS if key in names), None)
    total = next((names[key] for key in TOTAL_COLUMNS if key in names), None)
    if student is None or total is None:
        missing = " and ".join(
            what
            for what, column in (("a student column", student), ("a total column", total))
            if column is None
        )
        raise ValueError(
            f"{source} is not a gradebook: it has no {missing} (a gradebook names its students "
            "in a column 'student' and its total in 'total', as `grader batch` writes it)"
        )
    numeric = [
        col for col in frame.columns if col != student and pd.api.types.is_numeric_dtype(frame[col])
    ]
    if total not in numeric:
        raise ValueError(f"{source}: its total column {total!r} does not hold numbers")
    table = frame[numeric].copy()
    table = table[[col for col in numeric if col != total] + [total]]
    table.insert(0, "student", frame[student].astype(str).to_list())
    return table


def total_column(gradebook: pd.DataFrame) -> str:
    """The gradebook's total column (see read_gradebook)."""
    for col in gradebook.columns:
        if str(col).strip().lower() in TOTAL_COLUMNS:
            return col
    return [col for col in gradebook.columns if col != "student"][-1]


def gradebook_exercise_rates(gradebook: pd.DataFrame) -> pd.DataFrame:
    """Per exercise column of a gradebook: mean score, share of students with full marks (the
    column's maximum observed), share with zero. Sorted from hardest to easiest."""
    total = total_column(gradebook)
    rows = []
    for col in gradebook.columns:
        if col in ("student", total):
            continue
        values = gradebook[col].astype(float).to_numpy()
        finite = values[np.isfinite(values)]
        top = finite.max() if finite.size else np.nan
        rows.append(
            {
                "exercise": str(col),
                "mean": float(finite.mean()) if finite.size else np.nan,
                "full_marks": float(np.mean(finite >= top)) if finite.size and top > 0 else 0.0,
                "zero": float(np.mean(finite == 0)) if finite.size else np.nan,
            }
        )
    table = pd.DataFrame(rows, columns=["exercise", "mean", "full_marks", "zero"])
    return table.sort_values("full_marks", kind="stable").reset_index(drop=True)


def histogram_counts(
    scores: np.ndarray, top: float | None = None, bins: int = 20
) -> tuple[np.ndarray, np.ndarray]:
    """(bin edges, counts) of finite scores in `bins` equal bins over [0, top] (or the scores'
    own range); the last bin is closed, so full marks (score == top) are counted."""
    scores = np.asarray(scores, dtype=float)
    scores = scores[np.isfinite(scores)]
    high = float(top) if top else (float(scores.max()) if scores.size else 1.0)
    low = 0.0 if top or not scores.size else min(0.0, float(scores.min()))
    if high <= low:
        high = low + 1.0
    edges = np.linspace(low, high, bins + 1)
    counts, _ = np.histogram(np.clip(scores, low, high), bins=edges)
    return edges, counts


def score_histogram(
    scores: np.ndarray,
    title: str = "Score distribution",
    top: float | None = None,
    colour: str = palette.LIGHT[0],
) -> go.Figure:
    """Histogram of submission scores with the mean and median marked.

    top: the highest possible score (100 for percent); when given, the x axis spans [0, top]
    in 20 equal bins (the last one includes top), so full marks are counted and a class where
    everyone scored alike still reads as a scale. colour: the bars' colour (the page passes its
    theme's, so the bars stay visible on the Dark room's background).
    """
    scores = np.asarray(scores, dtype=float)
    scores = scores[np.isfinite(scores)]
    edges, counts = histogram_counts(scores, top)
    centers = (edges[:-1] + edges[1:]) / 2
    labels = [f"{a:g}-{b:g}" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=centers,
            y=counts,
            width=np.diff(edges) * 0.95,
            marker_color=colour,
            name="students",
            customdata=labels,
            hovertemplate="%{customdata}: %{y} students<extra></extra>",
        )
    )
    fig.update_xaxes(range=[float(edges[0]), float(edges[-1]) * 1.02 if edges[-1] > 0 else 1])
    if scores.size:
        marks = sorted(((scores.mean(), "mean", "dash"), (np.median(scores), "median", "dot")))
        # the smaller value labelled to the left of its line, the larger to the right: the two
        # labels never overlap, however close mean and median are
        for (value, label, dash), side in zip(marks, ("top left", "top right"), strict=True):
            fig.add_vline(
                x=float(value),
                line_dash=dash,
                annotation_text=f"{label} {value:.1f}",
                annotation_position=side,
            )
    fig.update_layout(title=title, xaxis_title="score", yaxis_title="students", bargap=0.05)
    # whole students on the count axis (a class of three had ticks at 0.2, 0.4, ...)
    fig.update_yaxes(rangemode="tozero", dtick=max(1, int(np.ceil(counts.max(initial=0) / 5))))
    return fig


# rate bands of pass_rate_bars: (lower bound, name, hatch pattern); the band is said in words
# (the legend and each bar's text) and drawn with its own pattern, never by colour alone
RATE_BANDS = [
    (0.8, "high", "80% and over", ""),
    (0.5, "medium", "50% to 80%", "/"),
    (0.0, "low", "under 50%", "x"),
]


def rate_band(rate: float) -> str:
    """The word for the band a rate (0..1) falls in: 'high', 'medium' or 'low'."""
    for lower, word, _, _ in RATE_BANDS:
        if rate >= lower:
            return word
    return RATE_BANDS[-1][1]


def pass_rate_bars(
    table: pd.DataFrame,
    value: str = "pass_rate",
    title: str = "",
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """Horizontal bars of a per-exercise rate (0..1), hardest exercise at the top.

    One trace per band (RATE_BANDS), so the legend names the band and each band has its own
    hatching; each bar prints its rate and, below 80%, its band's word. colours: band word
    ('low', 'medium', 'high') -> colour (default: the light palette's vermillion, purple, blue).
    """
    rates = table[value].astype(float).to_numpy() if not table.empty else np.array([])
    exercises = table["exercise"].astype(str).tolist() if not table.empty else []
    default = {"low": palette.LIGHT[1], "medium": palette.LIGHT[3], "high": palette.LIGHT[0]}
    colours = {**default, **(colours or {})}
    bands = [rate_band(rate) for rate in rates]
    fig = go.Figure()
    for _, word, span, shape in RATE_BANDS:
        chosen = [i for i, band in enumerate(bands) if band == word]
        if not chosen:
            continue
        suffix = "" if word == "high" else f" {word}"
        fig.add_trace(
            go.Bar(
                x=[rates[i] for i in chosen],
                y=[exercises[i] for i in chosen],
                orientation="h",
                name=f"{word}: {span}",
                marker={
                    "color": colours[word],
                    "pattern": {"shape": shape, "fgcolor": "#FFFFFF", "solidity": 0.3},
                },
                text=[f"{rates[i]:.0%}{suffix}" for i in chosen],
                textposition="outside",
                cliponaxis=False,
            )
        )
    if not fig.data:  # nothing to show: an empty bar trace keeps the axes
        fig.add_trace(go.Bar(x=[], y=[], orientation="h", name="no exercises"))
    fig.update_layout(
        barmode="overlay",
        title=title or "Pass rate per exercise",
        xaxis={"range": [0, 1.2], "tickvals": [0, 0.25, 0.5, 0.75, 1], "tickformat": ".0%",
               "title": value.replace("_", " ")},
        # every exercise labelled (plotly drops category labels it finds crowded)
        yaxis={
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": exercises,
            "tickmode": "array",
            "tickvals": exercises,
        },
        height=max(300, 56 * len(rates) + 200),
        legend={"orientation": "h", "y": -0.3},
    )  # fmt: skip
    return fig
