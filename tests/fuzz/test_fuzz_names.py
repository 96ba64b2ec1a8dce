"""Fuzzing the headers and floods of the third hardening round: question columns alike but for
case and spacing (one header error naming both, on every reader); headers that name an id
another way (an error when no column answers it, never an attribute; real attribute names
stay attributes); a split file's header problem (said once, of the whole header); and a
flood's first line (the likely cause first, no option that drops data when ids the rubric
lacks explain the gaps). Bounded as the rest of the fuzz suite (``FUZZ_EXAMPLES``)."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import probation_audit as pa
from probation_audit.errors import Hint, ProblemSummary

from .test_fuzz import FUZZ, MINI, MINI_ROWS, RUBRIC_2023, _csv_text, _only_library_errors

ALIKE = "(headers are read in any case, spaces collapsed)"
READERS = ["csv", "workbook", "frame"]


def _read(rows: list[list[str]], reader: str, tmp: Any, **options: Any) -> object:
    """``rows`` read by one reader (a CSV text, a workbook, a pandas frame), or its errors."""
    if reader == "csv":
        call = functools.partial(pa.parse_csv, _csv_text(rows), MINI, source="t.csv", **options)
    elif reader == "workbook":
        from .test_fuzz import _workbook_bytes

        path = tmp.mktemp("xlsx") / "t.xlsx"
        path.write_bytes(_workbook_bytes([list(r) for r in rows], []))
        call = functools.partial(pa.read_judgments, path, MINI, **options)
    else:
        pandas = pytest.importorskip("pandas")
        frame = pandas.DataFrame(rows[1:], columns=rows[0])
        call = functools.partial(pa.read_judgments, frame, MINI, **options)
    return _only_library_errors(call)


def _respelt(name: str, how: str) -> str:
    """``name`` as another person writes it: other case, or spaces around it."""
    return {"lower": name.lower(), "spaced": f" {name}  ", "mixed": name.swapcase()}[how]


@FUZZ
@given(
    column=st.integers(1, 3),
    how=st.sampled_from(["lower", "spaced", "mixed"]),
    agree=st.booleans(),
    reader=st.sampled_from(READERS),
    missing=st.sampled_from(["error", "not-relevant"]),
)
def test_question_columns_alike_but_for_case_are_one_header_error(
    column: int,
    how: str,
    agree: bool,
    reader: str,
    missing: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A second column for a question, its header alike but for case or spacing, is one
    located header error naming both columns, whether the two agree or not, on every reader:
    never an answer given twice, nor exit 0 with a note."""
    qid = MINI_ROWS[0][column]
    other = _respelt(qid, how)
    rows = [[*MINI_ROWS[0], other]]
    flip = {"yes": "no", "no": "yes", "n/a": "yes", "Y": "N", "N": "Y", "not relevant": "yes"}
    rows += [[*row, row[column] if agree else flip[row[column]]] for row in MINI_ROWS[1:]]
    outcome = _read(rows, reader, tmp_path_factory, missing=missing)
    assert isinstance(outcome, pa.AuditErrors)
    lines = outcome.lines()
    assert len(lines) == 1
    if other.strip() == qid:
        assert lines[0].endswith(f":1: header repeats column {qid!r}")
    else:
        assert lines[0].endswith(f":1: header repeats column {qid!r} as {other.strip()!r} {ALIKE}")


ATTRIBUTES = [
    "team", "practitioner", "crn", "sentence_type", "start date", "2024-01-05", "05.01.2024",
    "age 18-24", "tier 1", "v2", "year 2023-24", "Q1-Q2", "12.1.1", "notes",
]  # fmt: skip


@FUZZ
@given(
    qid=st.sampled_from(RUBRIC_2023.question_ids),
    form=st.sampled_from(["{t}", "KQ {i}", "KQ{t}", "Q_{t}", "Question {t}", "{t} answer", "q{t}"]),
    beside=st.booleans(),
    attributes=st.lists(st.sampled_from(ATTRIBUTES), unique=True, max_size=4),
    missing=st.sampled_from(["error", "not-relevant"]),
)
def test_a_header_naming_an_id_another_way(
    qid: str, form: str, beside: bool, attributes: list[str], missing: str
) -> None:
    """A header naming a question id another way (the id less its prefix, in a word, among
    other words) is a located error with that id as its "did you mean" when no column answers
    the id, and then no line points to --missing; beside the id's own column it is an
    attribute. Real attribute names stay attributes either way."""
    named = form.format(t=qid[1:], i=qid)
    ids = list(RUBRIC_2023.question_ids)
    header = ["case_id", *(named if q == qid and not beside else q for q in ids)]
    header += [named] if beside else []
    header += attributes
    width = len(header) - 1
    rows = [header, *([f"C{i}", *["yes"] * width] for i in range(3))]
    options: dict[str, Any] = {"missing": missing}
    read = functools.partial(pa.parse_csv, _csv_text(rows), RUBRIC_2023, **options)
    outcome = _only_library_errors(read)
    if beside:
        assert isinstance(outcome, pa.Sample)
        assert outcome.attribute_names == (named, *attributes)
        return
    assert isinstance(outcome, pa.AuditErrors)
    lines = outcome.lines()
    assert lines[0].startswith(
        f"<csv>:1: column {named!r}: unknown question id (did you mean {qid!r}?"
    )
    assert not any("--missing" in line for line in lines)
    assert len(lines) == (2 if missing == "error" else 1)


@FUZZ
@given(
    groups=st.integers(1, 6),
    problem=st.sampled_from(["no case_id", "repeat", "alike"]),
    split=st.sampled_from(["team", "inspection"]),
)
def test_a_split_files_header_problem_is_said_once(groups: int, problem: str, split: str) -> None:
    """Split by a column (score_groups), a header that cannot be read is one error, its header
    list holding the split column, however many groups there are."""
    header = [*MINI_ROWS[0][:4], split]
    if problem == "no case_id":
        header[0] = "ref"
    else:
        header.append("S1.1" if problem == "repeat" else "s1.1")
    rows = [header]
    rows += [
        [f"C{i}", "yes", "no", "n/a", f"G{i % groups}", "yes"][: len(header)] for i in range(12)
    ]
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(rows[1:], columns=rows[0])
    outcome = _only_library_errors(
        lambda: pa.score_groups(MINI, frame, by=split, casework_only=True)
    )
    assert isinstance(outcome, pa.AuditErrors)
    lines = outcome.lines()
    assert len(lines) == 1
    if problem == "no case_id":
        assert lines[0].endswith(", found " + ",".join(header))
    else:
        assert ":1: header repeats column 'S1.1'" in lines[0]


@FUZZ
@given(
    cases=st.integers(1, 60),
    prefix=st.sampled_from(["", "Q", "9."]),
    answered=st.integers(0, 2),
)
def test_a_flood_of_ids_the_rubric_lacks_opens_with_them(
    cases: int, prefix: str, answered: int
) -> None:
    """Rows written with another rubric's ids: the first line (a count, past the threshold)
    names them first, and no line points to an option that drops data, however many cases
    lack answers."""
    ids = MINI.question_ids
    rows = [["case_id", "question_id", "judgment"]]
    for c in range(cases):
        rows += [[f"C{c}", ids[q], "yes"] for q in range(answered)]
        rows += [[f"C{c}", f"{prefix}{q + 7}.{q}", "yes"] for q in range(answered, len(ids))]
    outcome = _only_library_errors(
        functools.partial(pa.parse_csv, _csv_text(rows), MINI, source="f.csv")
    )
    assert isinstance(outcome, pa.AuditErrors)
    lines = outcome.lines()
    assert not any("--missing" in line or "not-relevant" in line for line in lines)
    assert not any(isinstance(e, Hint) for e in outcome.errors)
    first = outcome.errors[0]
    if isinstance(first, ProblemSummary):
        assert first.counts[0].kind == "unknown id"
        assert "another rubric" in lines[0].split(";")[1]
    else:  # a few problems, in reading order
        assert any("unknown question id" in line for line in lines)


@FUZZ
@given(
    cases=st.integers(1, 50),
    kind=st.sampled_from(["pandas", "polars"]),
    by=st.booleans(),
)
def test_a_frames_missing_cells_are_the_first_lines_cause(cases: int, kind: str, by: bool) -> None:
    """A frame whose N/A pandas (or a null) made missing: the cause is said once, on the first
    line (the count of a flood, or the hint), read alone or split by a column."""
    columns: dict[str, list[Any]] = {
        "case_id": [f"C{i}" for i in range(cases)],
        "S1.1": ["yes"] * cases,
        "S1.2": [None] * cases,
        "S2.1": ["no"] * cases,
        "team": ["A", "B"] * (cases // 2) + ["A"] * (cases % 2),
    }
    if kind == "pandas":
        frame = pytest.importorskip("pandas").DataFrame(columns)
    else:
        frame = pytest.importorskip("polars").DataFrame(columns)
    read = (
        functools.partial(pa.score_groups, MINI, frame, by="team", casework_only=True)
        if by
        else functools.partial(pa.read_judgments, frame, MINI)
    )
    outcome = _only_library_errors(read)
    assert isinstance(outcome, pa.AuditErrors)
    lines = outcome.lines()
    cause = "so read the file with keep_default_na=False" if kind == "pandas" else "N/A stays text"
    assert [n for n, line in enumerate(lines) if cause in line] == [0]
