"""Fuzzing the hints and notes of the third hardening round: frames with missing cells, with
columns typed as booleans or 1/0/-1 codes, or indexed by case_id (each hint said once, and
only beside the problems it explains); blank answers counted as 'not relevant' (counted and
located alike on every path, and said alike in every format of every command that reads
audits); rubrics reusing a bundled id (other rules noted, other words not; every command's
every format naming a copy's file and fingerprint). Bounded as the rest of the fuzz suite (``FUZZ_EXAMPLES``)."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import probation_audit as pa
from probation_audit._identity import _WORDS
from probation_audit.errors import Hint, ProblemSummary
from probation_audit.loading import _SHIPPED, bundled_difference, rules_fingerprint

from .._helpers import MINI_OVERALL, notes_said, said_by
from ..conftest import DATA
from .test_fuzz import FUZZ, MINI

QUESTIONS = ["S1.1", "S1.2", "S2.1"]
MINI_FILE = DATA / "mini.toml"
KINDS = ["pandas", "pandas-arrow", "polars", "pyarrow", "duckdb"]


def _frame(columns: dict[str, list[Any]], kind: str) -> Any:
    """``columns`` as a frame of ``kind`` (None cells missing)."""
    pandas = pytest.importorskip("pandas")
    if kind == "pandas":
        return pandas.DataFrame(columns)
    if kind == "polars":
        return pytest.importorskip("polars").DataFrame(columns, strict=False)
    pyarrow = pytest.importorskip("pyarrow")
    if kind == "pandas-arrow":
        return pandas.DataFrame(columns).convert_dtypes(dtype_backend="pyarrow")
    table = pyarrow.table(columns)
    if kind == "pyarrow":
        return table
    duckdb = pytest.importorskip("duckdb")
    return duckdb.from_arrow(table)


def _hints(errors: pa.AuditErrors) -> list[str]:
    """The frame's own hints (the general one on what to do about any gap left out)."""
    general = [e.render() for e in errors.errors if isinstance(e, Hint) and e.general]
    return [
        line
        for line in errors.lines()
        if line.startswith("<DataFrame>: hint: ") and line not in general
    ]


def _refused(frame: Any, **options: Any) -> pa.AuditErrors:
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(frame, MINI, **options)
    lines = caught.value.lines()
    assert all(line and "\n" not in line for line in lines)
    return caught.value


#: One case's answers to the three questions, blank and blank-looking ones among them.
_ANSWERS_ROW = st.lists(
    st.sampled_from(["yes", "no", "not relevant", "", " "]), min_size=3, max_size=3
)


@FUZZ
@given(
    cells=st.lists(
        st.lists(st.sampled_from(["yes", "no", "n/a", None]), min_size=3, max_size=3),
        min_size=1,
        max_size=40,
    ),
    kind=st.sampled_from(KINDS),
)
def test_missing_cells_are_hinted_once_and_counted(
    cells: list[list[str | None]], kind: str
) -> None:
    columns: dict[str, list[Any]] = {"case_id": [f"C{i}" for i in range(len(cells))]}
    columns.update({q: [row[j] for row in cells] for j, q in enumerate(QUESTIONS)})
    blanks = sum(cell is None for row in cells for cell in row)
    if not blanks:
        assert len(pa.read_judgments(_frame(columns, kind), MINI)) == len(cells)
        return
    errors = _refused(_frame(columns, kind))
    # The cause is said once, first: in a flood's count (its gaps' cause), else as a hint.
    lines = errors.lines()
    said = [
        n
        for n, line in enumerate(lines)
        if "keep_default_na=False" in line or "N/A stays text" in line
    ]
    assert len(said) == 1
    summary = isinstance(errors.errors[0], ProblemSummary)
    assert said == [0]
    assert _hints(errors) == ([] if summary else [lines[0]])
    sample = pa.read_judgments(_frame(columns, kind), MINI, missing="not-relevant")
    (note,) = sample.notes
    assert note.startswith(f"{blanks:,} blank answer")
    for j, q in enumerate(QUESTIONS):
        n = sum(row[j] is None for row in cells)
        if n > 1:
            assert f"{q} in {n:,} cases (" in note
        elif n == 1:
            assert re.search(rf"{re.escape(q)} in case C\d+", note)
        else:
            assert f"{q} in" not in note


@FUZZ
@given(
    types=st.lists(st.sampled_from(["text", "bool", "codes"]), min_size=3, max_size=3),
    rows=st.integers(min_value=1, max_value=12),
    indexed=st.booleans(),
    kind=st.sampled_from(["pandas", "polars", "pyarrow"]),
    data=st.data(),
)
def test_typed_columns_and_an_index_get_their_hint(
    types: list[str], rows: int, indexed: bool, kind: str, data: st.DataObject
) -> None:
    draw = {
        "text": st.sampled_from(["yes", "no", "n/a"]),
        "bool": st.booleans(),
        "codes": st.sampled_from([1, 0, -1]),
    }
    columns: dict[str, list[Any]] = {"case_id": [f"C{i}" for i in range(rows)]}
    for q, kind_of in zip(QUESTIONS, types, strict=True):
        columns[q] = data.draw(st.lists(draw[kind_of], min_size=rows, max_size=rows))
    frame = _frame(columns, kind)
    indexed = indexed and kind == "pandas"
    if indexed:
        frame = frame.set_index("case_id")
    if types == ["text"] * 3 and not indexed:
        assert len(pa.read_judgments(frame, MINI)) == rows
        return
    hints = _hints(_refused(frame))
    booleans = [q for q, t in zip(QUESTIONS, types, strict=True) if t == "bool"]
    codes = [q for q, t in zip(QUESTIONS, types, strict=True) if t == "codes"]
    expected = []
    if indexed:
        expected.append("call reset_index()")
    else:  # the missing case_id column stops the reading before any judgment is read
        if booleans:
            expected.append(", ".join(map(repr, booleans)) + " read as booleans")
        if codes:
            expected.append(", ".join(map(repr, codes)) + " hold 1/0/-1 codes")
    assert len(hints) == len(expected)
    for hint, words in zip(hints, expected, strict=True):
        assert words in hint


@FUZZ
@given(
    cells=st.lists(
        _ANSWERS_ROW,
        min_size=1,
        max_size=30,
    ),
    padded=st.booleans(),
)
def test_blanks_counted_as_not_relevant_are_noted_alike_on_every_path(
    cells: list[list[str]], padded: bool
) -> None:
    ids = [f"C{i}" for i in range(len(cells))]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["case_id", *QUESTIONS])
    # A case id with a space around it sends the file down the locating path.
    writer.writerows(
        [
            [f" {c}" if padded and not i else c, *row]
            for i, (c, row) in enumerate(zip(ids, cells, strict=True))
        ]
    )
    text = out.getvalue()
    wide = {c: dict(zip(QUESTIONS, row, strict=True)) for c, row in zip(ids, cells, strict=True)}
    parsed = pa.parse_csv(text, MINI, missing="not-relevant", source="f.csv")
    built = pa.from_wide(wide, MINI, missing="not-relevant")
    blanks = sum(not cell.strip() for row in cells for cell in row)
    assert parsed.notes == built.notes
    assert len(parsed.notes) == (1 if blanks else 0)
    if blanks:
        assert parsed.notes[0].startswith(f"{blanks:,} blank answer")
    assert parsed.codes.tolist() == built.codes.tolist()


#: The commands that read audits without rating one alone, and how many audits each reads
#: here: the drawn one alone (its notes said as they are), or an earlier one of all 'yes' and
#: the drawn one (each audit's notes named by its file).
COMMANDS = {"feedback": 1, "compare": 2, "trend": 2, "agreement": 2}


def _audits(folder: Path, cells: list[list[str]], command: str) -> tuple[list[str], Path]:
    """The files ``command`` reads: the audit of ``cells`` (SYNTHETIC, cases C0, C1, ...)
    last, after one of all 'yes' when it reads two."""
    ids = [f"C{i}" for i in range(len(cells))]
    drawn, before = folder / "SYNTHETIC_drawn.csv", folder / "SYNTHETIC_before.csv"
    for path, answers in ((drawn, cells), (before, [["yes"] * 3 for _ in cells])):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerows(
            [["case_id", *QUESTIONS], *([c, *a] for c, a in zip(ids, answers, strict=True))]
        )
        path.write_text(out.getvalue(), encoding="utf-8")
    return ([] if COMMANDS[command] == 1 else [str(before)]) + [str(drawn)], drawn


@FUZZ
@given(
    cells=st.lists(
        _ANSWERS_ROW,
        min_size=1,
        max_size=12,
    ),
    command=st.sampled_from(sorted(COMMANDS)),
)
def test_blanks_counted_as_not_relevant_are_noted_alike_by_every_command(
    cells: list[list[str]], command: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        files, drawn = _audits(Path(folder), cells, command)
        notes = pa.read_judgments(drawn, MINI, missing="not-relevant").notes
        said = said_by([command, *files, "--rubric", str(MINI_FILE), "--missing", "not-relevant"])
    blanks = sum(not cell.strip() for row in cells for cell in row)
    assert len(notes) == (1 if blanks else 0)
    named = list(notes) if COMMANDS[command] == 1 else [f"{drawn}: {n}" for n in notes]
    assert notes_said(said) == [*named, *MINI_OVERALL[command]]


@FUZZ
@given(
    name=st.sampled_from(sorted(_SHIPPED)),
    edge=st.integers(min_value=1, max_value=64),
    command=st.sampled_from(sorted(COMMANDS)),
)
def test_every_command_names_a_copy_with_a_bundled_id_by_its_file_and_rules(
    name: str, edge: int, command: str
) -> None:
    text = MINI_FILE.read_text(encoding="utf-8").replace('id = "mini"', f'id = "{name}"')
    text = text.replace("to = 50,", f"to = {edge},").replace("from = 50,", f"from = {edge},")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "SYNTHETIC_copy.toml"
        copy.write_text(text, encoding="utf-8")
        rubric = pa.load_rubric(copy)
        files, _ = _audits(Path(folder), [["yes", "no", "yes"]], command)
        said = said_by([command, *files, "--rubric", str(copy)])
    fingerprint = rules_fingerprint(rubric)
    assert said["json"][0] == f"{name} {copy} {fingerprint}"
    assert said["csv"][0] == f"{name} from {copy}, rules {fingerprint}"
    assert f"rubric {name} from {copy}, rules {fingerprint}" in said["text"][0]
    # once, however many audits
    assert notes_said(said) == [bundled_difference(rubric), *MINI_OVERALL[command]]


def _word_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every text value under a key of words (titles, sources, notes)."""
    found: list[tuple[Any, ...]] = []
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else []
    )
    for key, item in items:
        if isinstance(item, str) and key in _WORDS:
            found.append((*path, key))
        else:
            found.extend(_word_paths(item, (*path, key)))
    return found


def _set(mapping: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        mapping = mapping[key]
    mapping[path[-1]] = value


@FUZZ
@given(name=st.sampled_from(sorted(_SHIPPED)), data=st.data())
def test_a_bundled_id_with_other_rules_is_noted_and_other_words_are_not(
    name: str, data: st.DataObject
) -> None:
    mapping = pa.load_rubric(name).to_mapping()
    paths = _word_paths(mapping)
    for path in data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=4)):
        if path[-1] == "status":  # one of its words, not any text
            words = st.sampled_from(["stated", "derived", "calibrated", "assumed"])
        else:
            words = st.text(min_size=1, max_size=20).filter(str.strip)
        _set(mapping, path, data.draw(words))
    reworded = pa.Rubric.from_mapping(mapping)
    assert rules_fingerprint(reworded) == _SHIPPED[name]
    assert bundled_difference(reworded) is None
    band = mapping["bands"]["band"]
    k = data.draw(st.integers(min_value=1, max_value=len(band) - 1))
    shift = data.draw(st.integers(min_value=-5, max_value=5).filter(bool))
    edge = band[k]["from"] + shift
    assume(band[k - 1]["from"] < edge < band[k]["to"] and band[k - 1]["to"] == band[k]["from"])
    band[k - 1]["to"] = band[k]["from"] = edge
    moved = pa.Rubric.from_mapping(mapping)
    note = bundled_difference(moved)
    assert note is not None and f"bundled {_SHIPPED[name]})" in note
    assert f"fingerprint {rules_fingerprint(moved)}," in note


@FUZZ
@given(
    cells=st.lists(
        st.lists(st.sampled_from(["yes", "no", "n/a", "", "a b"]), min_size=3, max_size=3),
        min_size=1,
        max_size=10,
    ),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    double=st.booleans(),
)
def test_a_semicolon_file_is_told_so_however_it_is_quoted(
    cells: list[list[str]], quoting: Any, double: bool
) -> None:
    from probation_audit.reading import read_double_marked

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=quoting, lineterminator="\n")
    writer.writerow(["auditor"] * double + ["case_id", *QUESTIONS])
    writer.writerows(["A"] * double + [f"C{i}", *row] for i, row in enumerate(cells))
    text = out.getvalue()
    with tempfile.TemporaryDirectory() as folder, pytest.raises(pa.AuditErrors) as caught:
        path = Path(folder) / "cases.csv"
        path.write_text(text, encoding="utf-8")
        if double:
            read_double_marked(path, MINI)
        else:
            pa.read_judgments(path, MINI)
    lines = caught.value.lines()
    assert sum("the file looks semicolon-separated" in line for line in lines) == 1, lines
