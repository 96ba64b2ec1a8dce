"""The differential test of the one way in: the same national data as a plain CSV file, a
quoted one, the csv module's decoder, the locating path alone, and every frame form (pandas with
object or Arrow strings, polars DataFrame and LazyFrame, a pyarrow Table, a DuckDB relation)
gives the same groups, tallies and ratings, or the same refusal.

The data are SYNTHETIC: a few inspections of a few cases, each answering every key question of
the 2023 probation rubric, then spoiled now and then as people and programs spoil files (a
spelling, a repeat, a gap, a blank, an unknown question, a summary row)."""

from __future__ import annotations

import csv
import importlib.util
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import probation_audit as pa
from probation_audit import _columns
from probation_audit import _csvfiles as csvfiles

RUBRIC = pa.load_rubric("hmip-probation-2023")
HEADER = ["inspection", "case_id", "question_id", "judgment"]
SPELLINGS = ["yes", "no", "n/a", "Yes", " no", "N/A", "y", "NO"]
Row = list[str]


@st.composite
def national_rows(draw: st.DrawFn) -> list[Row]:
    """SYNTHETIC long rows of 1-3 inspections, case ids shared or not, sometimes spoiled."""
    shared = draw(st.booleans())
    rows: list[Row] = []
    for g in range(draw(st.integers(1, 3))):
        for c in range(draw(st.integers(1, 4))):
            case = f"C{c}" if shared else f"C{g}-{c}"
            for q in RUBRIC.question_ids:
                rows.append([f"Unit {g}", case, q, draw(st.sampled_from(SPELLINGS))])
    spoil = draw(
        st.sampled_from(
            ["none", "none", "repeat", "gap", "blank", "unknown", "bad", "summary", "untrimmed"]
        )
    )
    at = draw(st.integers(0, len(rows) - 1))
    if spoil == "repeat":
        rows.append([*rows[at][:3], "no"])
    elif spoil == "gap":
        del rows[at]
    elif spoil == "blank":
        rows[at][draw(st.integers(0, 3))] = ""
    elif spoil == "unknown":
        rows[at][2] = "P9.9.9"
    elif spoil == "bad":
        rows[at][3] = "maybe"
    elif spoil == "summary":
        rows.append([rows[at][0], "Total", rows[at][2], "12"])
    elif spoil == "untrimmed":
        rows[at][1] = rows[at][1] + " "
    if draw(st.booleans()):
        draw(st.randoms()).shuffle(rows)
    return rows


def _csv_text(rows: list[Row], *, quote_all: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(
        out, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\n"
    )
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def _outcome(read: Callable[[], pa.GroupScores]) -> object:
    """What a reading gave: the groups' records, or the refusal's messages (without where they
    were found: a file's line and a frame's row are located differently)."""
    try:
        scores = read()
    except pa.AuditErrors as exc:
        return sorted(e.message for e in exc.errors)
    return scores.groups, scores.cases.tolist(), scores.yes.tolist(), scores.to_records()


def _reader(frame: object) -> Callable[[], pa.GroupScores]:
    return lambda: pa.score_groups(RUBRIC, frame)


@contextmanager
def _patched(target: Any, name: str, value: object) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(target, name, value)
        yield


def _frames(rows: list[Row]) -> dict[str, Any]:
    """The rows in every frame form whose library is installed (strings, no type inference)."""
    columns = {h: [r[k] for r in rows] for k, h in enumerate(HEADER)}
    forms: dict[str, Any] = {}
    if importlib.util.find_spec("pandas"):
        import pandas

        forms["pandas"] = pandas.DataFrame(columns, dtype=object)
    if importlib.util.find_spec("pyarrow"):
        import pyarrow

        forms["pyarrow Table"] = pyarrow.table(columns)
        if importlib.util.find_spec("pandas"):
            forms["pandas, Arrow strings"] = forms["pyarrow Table"].to_pandas(
                types_mapper=pandas.ArrowDtype
            )
    if importlib.util.find_spec("polars"):
        import polars

        frame = polars.DataFrame(columns, schema=dict.fromkeys(HEADER, polars.String))
        forms["polars"] = frame
        forms["polars lazy"] = frame.lazy()
    if importlib.util.find_spec("duckdb") and importlib.util.find_spec("pyarrow"):
        import duckdb

        table = forms["pyarrow Table"]
        forms["DuckDB relation"] = duckdb.connect().from_arrow(table)
    return forms


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=national_rows())
def test_every_input_form_gives_the_same_answer(tmp_path: Path, rows: list[Row]) -> None:
    plain = tmp_path / "plain.csv"
    quoted = tmp_path / "quoted.csv"
    plain.write_text(_csv_text(rows, quote_all=False), encoding="utf-8")
    quoted.write_text(_csv_text(rows, quote_all=True), encoding="utf-8")
    expected = _outcome(lambda: pa.score_groups(RUBRIC, plain))
    answers: dict[str, object] = {"quoted": _outcome(lambda: pa.score_groups(RUBRIC, quoted))}
    with _patched(csvfiles, "code_columns", lambda *args, **kwargs: None):
        answers["csv module"] = _outcome(lambda: pa.score_groups(RUBRIC, plain))
    with _patched(_columns, "_accept", lambda *args, **kwargs: None):
        answers["locating path"] = _outcome(lambda: pa.score_groups(RUBRIC, plain))
    for name, frame in _frames(rows).items():
        answers[name] = _outcome(_reader(frame))
    for name, answer in answers.items():
        assert answer == expected, name


def test_the_forms_agree_on_a_clean_file_and_accept_it() -> None:
    """A clean example: every form gives ratings (not a refusal), so the property above does
    not pass by every form refusing alike."""
    rows = [
        [f"Unit {g}", f"C{c}", q, "yes" if (g + c) % 3 else "no"]
        for g in range(3)
        for c in range(5)
        for q in RUBRIC.question_ids
    ]
    frames = _frames(rows)
    if not frames:
        pytest.skip("needs a frame library: pandas, polars or pyarrow")
    outcomes = [_outcome(_reader(frame)) for frame in frames.values()]
    assert all(isinstance(o, tuple) for o in outcomes)
    assert all(o == outcomes[0] for o in outcomes)
    first = outcomes[0]
    assert isinstance(first, tuple) and first[0] == ("Unit 0", "Unit 1", "Unit 2")
