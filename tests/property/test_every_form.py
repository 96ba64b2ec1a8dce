"""The differential test of the one way in: the same national data as a plain CSV file, a
quoted one, the csv module's decoder, the locating path alone, and every frame form (pandas with
object or Arrow strings, polars DataFrame and LazyFrame, a pyarrow Table, a DuckDB relation)
gives the same groups, tallies and ratings, or the same refusal; and a code array
(``from_array``) gives what the wide file it would save to gives, read by numpy, the csv module,
the locating path alone or as a pandas frame: the same sample, or the same problems at the same
lines.

The data are SYNTHETIC: a few inspections of a few cases, each answering every key question of
the 2023 probation rubric, then spoiled now and then as people and programs spoil files (a
spelling, a repeat, a gap, a blank, an unknown question, a summary row; an array an invalid
code or a masked cell besides)."""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import probation_audit as pa
from probation_audit import _columns
from probation_audit import _csvfiles as csvfiles
from probation_audit.errors import Hint

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


@functools.cache
def _duckdb() -> Any:
    """One DuckDB connection for every example (opening one takes about 30 ms)."""
    import duckdb

    return duckdb.connect()


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
        table = forms["pyarrow Table"]
        forms["DuckDB relation"] = _duckdb().from_arrow(table)
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


# -- a code array and the wide file it would save to ---------------------------------------------

_WORDS = {1: "yes", 0: "no", -1: "not relevant"}
_ARRAY_SPOILS = (
    *("none", "none", "code", "gap", "repeat", "blank"),
    *("untrimmed", "summary", "unknown", "no column", "spelling"),
)


@st.composite
def code_arrays(draw: st.DrawFn) -> tuple[list[list[int | None]], list[str], list[str]]:
    """SYNTHETIC codes of a few cases (None: a masked cell), their case ids and question ids,
    sometimes spoiled (an invalid code, a gap, a repeated, blank, untrimmed or summary case id,
    an unknown, missing or differently spelled question id)."""
    qids = list(RUBRIC.question_ids)
    if draw(st.booleans()):
        draw(st.randoms()).shuffle(qids)
    n = draw(st.integers(1, 4))
    codes: list[list[int | None]] = [
        [draw(st.sampled_from([1, 0, -1])) for _ in qids] for _ in range(n)
    ]
    cases = [f"C{i}" for i in range(n)]
    spoil = draw(st.sampled_from(_ARRAY_SPOILS))
    i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, len(qids) - 1))
    if spoil == "code":
        codes[i][j] = draw(st.sampled_from([2, -2, 9]))
    elif spoil == "gap":
        codes[i][j] = None
    elif spoil == "repeat":
        codes.append(list(codes[i]) if draw(st.booleans()) else [1 - abs(c or 0) for c in codes[i]])
        cases.append(cases[i])
    elif spoil == "blank":
        cases[i] = ""
    elif spoil == "untrimmed":
        cases[i] = f" {cases[i]}"
    elif spoil == "summary":
        cases[i] = "Total"
    elif spoil == "unknown":
        qids[j] = "P9.9.9"
    elif spoil == "no column":
        del qids[j]
        codes = [row[:j] + row[j + 1 :] for row in codes]
    elif spoil == "spelling":
        qids[j] = qids[j].lower()
    return codes, cases, qids


def _located(read: Callable[[], pa.Sample]) -> object:
    """A reading's sample, or its problems with where each was found (the source left out:
    an array, a file and a frame are named differently; a hint, which says what a form's own
    input likely got wrong, is not a problem and is left out too)."""
    try:
        sample = read()
    except pa.AuditErrors as exc:
        return [
            (e.line, e.case_id, e.question_id, e.message)
            for e in exc.errors
            if not isinstance(e, Hint)
        ]
    return sample.case_ids, sample.codes.tolist(), sample.notes


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=code_arrays())
def test_an_array_gives_what_its_wide_file_gives(
    tmp_path: Path, data: tuple[list[list[int | None]], list[str], list[str]]
) -> None:
    codes, cases, qids = data
    mask = [[c is None for c in row] for row in codes]
    array = np.ma.masked_array([[0 if c is None else c for c in row] for row in codes], mask=mask)
    cells = [[_WORDS.get(c, str(c)) if c is not None else "" for c in row] for row in codes]
    rows = [[case, *row] for case, row in zip(cases, cells, strict=True)]
    path = tmp_path / "wide.csv"
    with path.open("w", encoding="utf-8", newline="") as fp:
        csv.writer(fp, lineterminator="\n").writerows([["case_id", *qids], *rows])
    expected = _located(lambda: pa.from_array(array, cases, qids, RUBRIC))
    answers = {"file": _located(lambda: pa.read_judgments(path, RUBRIC))}
    with _patched(csvfiles, "code_columns", lambda *args, **kwargs: None):
        answers["csv module"] = _located(lambda: pa.read_judgments(path, RUBRIC))
    with _patched(_columns, "_accept", lambda *args, **kwargs: None):
        answers["locating path"] = _located(lambda: pa.from_array(array, cases, qids, RUBRIC))
    if importlib.util.find_spec("pandas"):
        import pandas

        frame = pandas.DataFrame(rows, columns=["case_id", *qids], dtype=object)
        answers["pandas"] = _located(lambda: pa.read_judgments(frame, RUBRIC))
    for name, answer in answers.items():
        assert answer == expected, name


def test_an_array_and_its_file_agree_on_a_refusal(tmp_path: Path) -> None:
    """A spoiled example: the property above is not passed by every form accepting alike."""
    qids = list(RUBRIC.question_ids)
    codes = np.ones((2, len(qids)), dtype=np.int64)
    codes[0, 3] = 7
    outcome = _located(lambda: pa.from_array(codes, ["C0", "Total"], qids, RUBRIC))
    assert isinstance(outcome, list)
    assert [(line, case, question) for line, case, question, _ in outcome] == [
        (2, "C0", qids[3]),
        (3, None, None),
    ]
    assert outcome[0][3].startswith("invalid judgment '7' (expected one of 'yes'")
    path = tmp_path / "wide.csv"
    rows = [["C0", *["yes"] * 3, "7", *["yes"] * (len(qids) - 4)], ["Total", *["yes"] * len(qids)]]
    path.write_text("\n".join(",".join(r) for r in [["case_id", *qids], *rows]) + "\n")
    assert _located(lambda: pa.read_judgments(path, RUBRIC)) == outcome
