"""The project's own fuzzing suite: mutated rubrics, published figures, CSV files, workbooks
and argument lists. Only the library's own errors escape the API; the CLI never prints a
traceback, exits 1 for bad data and 2 for bad usage, and leaves no file behind when it fails.

Bounded (``FUZZ_EXAMPLES`` per test: by default 60 in a full run, ``PROBATION_AUDIT_FULL_EXAMPLES=1``
as CI makes, and 20 in the everyday one) so that CI stays well under two minutes; set
``FUZZ_EXAMPLES=2000`` for a longer hunt. Each failure class found is kept as a regression file
in ``tests/golden/`` (see ``tests/test_golden_regressions.py``).
"""

from __future__ import annotations

import contextlib
import copy
import csv
import functools
import io
import os
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import probation_audit as pa
from probation_audit.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib
from probation_audit._rubric_parts import name_key
from probation_audit.published import PublishedReport

from ..conftest import DATA, EXAMPLE_CASES, PUBLISHED_2024, ROOT, examples
from .mutations import CELLS, mutated_bytes, mutated_mapping, mutated_table

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", str(examples(60))))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MINI = pa.load_rubric(DATA / "mini.toml")
RUBRIC_2023 = pa.load_rubric("hmip-probation-2023")
RUBRIC_TEXTS = [(ROOT / "rubrics" / f"{name}.toml").read_bytes() for name in pa.available_rubrics()]
PUBLISHED_TEXTS = [p.read_bytes() for p in sorted((ROOT / "examples" / "published").glob("*.toml"))]
MINI_ROWS = [
    ["case_id", "S1.1", "S1.2", "S2.1", "team"],
    ["C1", "yes", "no", "n/a", "north"],
    ["C2", "no", "yes", "yes", "south"],
    ["C3", "Y", "N", "not relevant", "north"],
]


@functools.cache
def _parsed(data: bytes) -> dict[str, Any]:
    return tomllib.loads(data.decode("utf-8"), parse_float=Fraction)


def _toml(data: bytes) -> dict[str, Any]:
    """A file's raw mapping as the library reads it: TOML floats as exact fractions (a copy of
    the one parse of ``data``, the caller's to change)."""
    return copy.deepcopy(_parsed(data))


def _only_library_errors(call: Any) -> object:
    """Run ``call``; an AuditErrors is fine (and must render one line per problem)."""
    try:
        return call()
    except pa.AuditErrors as errors:
        assert errors.lines()
        assert all(line and "\n" not in line for line in errors.lines()), errors.lines()
        return errors


@FUZZ
@given(st.data())
def test_mutated_rubric_mappings(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(RUBRIC_TEXTS))
    mapping = data.draw(mutated_mapping(_toml(base)))
    outcome = _only_library_errors(lambda: pa.Rubric.from_mapping(mapping))
    if isinstance(outcome, pa.Rubric):
        assert pa.Rubric.from_mapping(outcome.to_mapping()) == outcome


@FUZZ
@given(st.data())
def test_mutated_rubric_bytes(data: st.DataObject) -> None:
    text = data.draw(mutated_bytes(data.draw(st.sampled_from(RUBRIC_TEXTS))))
    _only_library_errors(lambda: pa.parse_rubric(text))


@FUZZ
@given(st.data())
def test_mutated_published_figures(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(PUBLISHED_TEXTS))
    mapping = data.draw(mutated_mapping(_toml(base)))

    def reproduce() -> object:
        report = PublishedReport.from_mapping(
            mapping, source="fuzz.toml", base=PUBLISHED_2024.parent
        )
        return pa.reproduce(report)

    _only_library_errors(reproduce)


@FUZZ
@given(data=st.data())
def test_mutated_published_bytes(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("published") / "figures.toml"
    path.write_bytes(data.draw(mutated_bytes(data.draw(st.sampled_from(PUBLISHED_TEXTS)))))
    _only_library_errors(lambda: pa.reproduce(path))


@FUZZ
@given(data=st.data(), missing=st.sampled_from(["error", "not-relevant"]))
def test_mutated_csv_bytes(
    data: st.DataObject, missing: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("csv") / "cases.csv"
    path.write_bytes(data.draw(mutated_bytes(EXAMPLE_CASES.read_bytes())))
    _only_library_errors(lambda: pa.read_judgments(path, RUBRIC_2023, missing=missing))  # type: ignore[arg-type]


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


@FUZZ
@given(mutated_table(MINI_ROWS), st.sampled_from(["error", "not-relevant"]), st.booleans())
def test_mutated_csv_tables(rows: list[list[str]], missing: str, long: bool) -> None:
    if long:
        header, *body = rows
        rows = [["case_id", "question_id", "judgment"]] + [
            [row[0], header[k] if k < len(header) else "S9.9", cell]
            for row in body
            for k, cell in enumerate(row[1:4], start=1)
        ]
    text = _csv_text(rows)
    outcome = _only_library_errors(lambda: pa.parse_csv(text, MINI, missing=missing))  # type: ignore[arg-type]
    if isinstance(outcome, pa.Sample):
        # A sample read from a table scores without any other error.
        pa.score(MINI, outcome, {"J1": "Good"})


def _workbook_bytes(rows: list[list[Any]], merges: list[str]) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        # Control characters cannot be stored in a workbook at all.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    for ref in merges:
        with contextlib.suppress(ValueError):
            sheet.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WORKBOOK_CELLS = st.one_of(
    CELLS, st.booleans(), st.integers(-2, 2), st.floats(allow_nan=True), st.none()
)


@FUZZ
@given(
    rows=mutated_table(MINI_ROWS),
    typed=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), WORKBOOK_CELLS), max_size=3),
    merges=st.lists(st.sampled_from(["A1:B1", "B2:C2", "C3:C4", "A5:E5"]), max_size=2),
)
def test_mutated_workbooks(
    rows: list[list[str]],
    typed: list[tuple[int, int, Any]],
    merges: list[str],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    cells: list[list[Any]] = [list(row) for row in rows]
    for i, j, value in typed:
        if i < len(cells) and j < len(cells[i]):
            cells[i][j] = value
    path = tmp_path_factory.mktemp("xlsx") / "cases.xlsx"
    path.write_bytes(_workbook_bytes(cells, merges))
    _only_library_errors(lambda: pa.read_judgments(path, MINI))


@functools.cache
def _example_workbook_cut_short() -> bytes:
    """The example audit workbook (SYNTHETIC) cut to its title, header and first 20 cases:
    the same writer's parts, under a third of the sheet to read whenever a mutation leaves
    it readable."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(ROOT / "examples" / "northamptonshire-2024" / "cases.xlsx")
    sheet = workbook.active
    sheet.delete_rows(24, sheet.max_row)  # rows 1-2 the title, 3 the header
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(data=st.data())
def test_mutated_workbook_bytes(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    base = _example_workbook_cut_short()
    path = tmp_path_factory.mktemp("xlsx") / "cases.xlsx"
    path.write_bytes(data.draw(mutated_bytes(base)))
    _only_library_errors(lambda: pa.read_judgments(path, RUBRIC_2023))


# -- the command line -----------------------------------------------------------------------

COMMANDS = [
    "score", "report", "plan", "compare", "agreement", "reproduce", "rubrics", "validate", "template",
    "select", "feedback", "trend",
]  # fmt: skip
VALUES = [
    "hmip-probation-2023",
    "hmip-omi-2007",
    "nope",
    "0",
    "1",
    "-1",
    "0.45",
    "1/0",
    "nan",
    "inf",
    "2",
    "10000000000",
    "x",
    "",
    "P1.1=Good",
    "P1.1=",
    "=",
    "cp1252",
    "klingon",
    "Cases",
    "out.md",
    "out.html",
    "out.png",
    "out.gif",
    "out.xlsx",
    "missing-dir/out.md",
]
FILES = ["cases.csv", "cases.xlsx", "bad.csv", "absent.csv", "rubric.toml", "figures.toml", "."]
OPTIONS = [
    "--rubric",
    "--cases",
    "--attribute",
    "--casework-only",
    "--n",
    "--reserve",
    "--output",
    "--template",
    "--rating",
    "--layout",
    "--missing",
    "--sheet",
    "--encoding",
    "--format",
    "--intervals",
    "--probabilities",
    "--by",
    "--confidence",
    "--method",
    "--resamples",
    "--seed",
    "--min-relevant",
    "--title",
    "--markdown",
    "--html",
    "--chart",
    "--xlsx",
    "--proportion",
    "--to",
    "--target",
    "--relevant-share",
    "--max-n",
    "--margin",
    "--population",
    "--help",
]


def _workspace(root: Path) -> None:
    (root / "cases.csv").write_bytes(EXAMPLE_CASES.read_bytes())
    (root / "cases.xlsx").write_bytes(
        (ROOT / "examples" / "northamptonshire-2024" / "cases.xlsx").read_bytes()
    )
    (root / "bad.csv").write_text("case_id,P2.1.1\nC1,maybe\n", encoding="utf-8")
    (root / "rubric.toml").write_bytes((DATA / "mini.toml").read_bytes())
    (root / "figures.toml").write_bytes(PUBLISHED_2024.read_bytes())


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(COMMANDS),
    words=st.lists(
        st.one_of(st.sampled_from(OPTIONS), st.sampled_from(VALUES), st.sampled_from(FILES)),
        max_size=8,
    ),
)
def test_cli_argument_lists(
    command: str,
    words: list[str],
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path_factory.mktemp("cli")
    _workspace(root)
    before = {p.name for p in root.iterdir()}
    argv = [command, *words]
    if "--resamples" not in words:
        argv += ["--resamples", "50"] if command in ("score", "report") else []
    cwd = os.getcwd()
    os.chdir(root)
    try:
        try:
            status = main(argv)
        except SystemExit as exit:
            status = exit.code if isinstance(exit.code, int) else 2
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    assert status in (0, 1, 2), (argv, status)
    if status != 0:
        assert {p.name for p in root.iterdir()} == before, argv
        assert err.strip(), argv


NATIONAL = (
    "inspection,case_id,question_id,judgment\n"
    + "".join(
        f"Unit {u},C{c},{q},{'yes' if (u + c) % 3 else 'no'}\n"
        for u in range(3)
        for c in range(4)
        for q in RUBRIC_2023.question_ids
    )
).encode("utf-8")


@FUZZ
@given(data=st.data())
def test_mutated_national_files(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The two decoders of a CSV file (numpy's for plain files, the csv module's) and the
    locating path let only the library's errors out, and agree on whatever they accept."""
    from probation_audit import _columns
    from probation_audit import _csvfiles as csvfiles

    path = tmp_path_factory.mktemp("national") / "national.csv"
    path.write_bytes(data.draw(mutated_bytes(NATIONAL)))
    first = _only_library_errors(lambda: pa.score_groups(RUBRIC_2023, path))
    found = [first]
    with pytest.MonkeyPatch.context() as patch:
        # the csv module's decoder next, then the locating path alone
        patch.setattr(csvfiles, "code_columns", lambda *args, **kwargs: None)
        found.append(_only_library_errors(lambda: pa.score_groups(RUBRIC_2023, path)))
        patch.setattr(_columns, "_accept", lambda *args, **kwargs: None)
        found.append(_only_library_errors(lambda: pa.score_groups(RUBRIC_2023, path)))
    for other in found[1:]:
        if isinstance(first, pa.GroupScores) and isinstance(other, pa.GroupScores):
            assert first.to_records() == other.to_records()
        else:
            assert type(first) is type(other)


def _alike(name: str, how: str) -> str:
    """``name`` as a reader would read it the same: a space doubled, or another case."""
    if how == "space" and " " in name:
        return name.replace(" ", "  ", 1)
    return name.swapcase()


@FUZZ
@given(data=st.data(), how=st.sampled_from(["case", "space"]))
def test_rubric_names_that_read_alike_are_refused(data: st.DataObject, how: str) -> None:
    """Two question ids (or two labels of a scale) that the readers match as one are refused,
    each problem located at its key path."""
    mapping = _toml(data.draw(st.sampled_from(RUBRIC_TEXTS)))
    places: list[tuple[list[Any], str]] = []
    for standard in mapping.get("standards", []):
        questions = standard.get("questions", [])
        places += [(questions, "id")] if len(questions) > 1 else []
    for scale in mapping.get("scales", {}).values():
        places += [(scale["labels"], "label")] if len(scale.get("labels", [])) > 1 else []
    items, key = data.draw(st.sampled_from(places))
    i, j = data.draw(st.lists(st.integers(0, len(items) - 1), min_size=2, max_size=2, unique=True))
    items[j][key] = _alike(items[i][key], how)
    assert name_key(items[j][key]) == name_key(items[i][key])
    outcome = _only_library_errors(lambda: pa.Rubric.from_mapping(mapping))
    assert isinstance(outcome, pa.AuditErrors)
    assert any("reads as" in line or "duplicate" in line for line in outcome.lines())
    assert all(e.key_path for e in outcome.errors)


CASE_ID_SPELLINGS = ["case_id", "Case ID", "CASE_ID", " case id ", "CaseID", "case-id"]
WORDS = st.sampled_from(
    [" First?", " (engaging)", ": Was it done?", "\nWas it done?", ". Was it", " \u2013 notes"]
)


@FUZZ
@given(
    case_id=st.sampled_from(CASE_ID_SPELLINGS),
    words=st.lists(st.one_of(st.just(""), WORDS), min_size=3, max_size=3),
    unknown=st.one_of(st.none(), st.sampled_from(["S1.9", "S3.1", "s1.l"])),
)
def test_headers_in_words_and_case_id_spellings(
    case_id: str, words: list[str], unknown: str | None
) -> None:
    """A header that goes on in words after an id is read as the id, any spelling of case_id
    as case_id; a worded header of an id the rubric lacks is a located error, never an
    attribute, and no error then points to --missing."""
    header = [case_id, *(f"{q}{w}" for q, w in zip(MINI_ROWS[0][1:4], words, strict=True))]
    if unknown is not None:
        header[2] = f"{unknown}{words[1] or ' (typed)'}"
    rows = [[*header, "team"], *MINI_ROWS[1:]]
    plain = pa.parse_csv(_csv_text(MINI_ROWS), MINI)
    for missing in ("error", "not-relevant"):
        outcome = _only_library_errors(
            functools.partial(pa.parse_csv, _csv_text(rows), MINI, missing=missing)
        )
        if unknown is None:
            assert outcome == plain
        else:
            assert isinstance(outcome, pa.AuditErrors)
            assert "unknown question id" in outcome.lines()[0]
            assert ":1: " in outcome.lines()[0] or outcome.errors[0].line == 1
            assert not any("--missing" in line for line in outcome.lines())


@FUZZ
@given(
    places=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=1, max_size=4),
    formula=st.sampled_from(['="yes"', "=1+1", '=IF(TRUE,"no","yes")', '=""', "=A1"]),
    missing=st.sampled_from(["error", "not-relevant"]),
    flood=st.sampled_from([0, 0, 17, 40]),
)
def test_formulas_with_no_saved_value(
    places: list[tuple[int, int]],
    formula: str,
    missing: str,
    flood: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A formula a script wrote (no saved value) anywhere in the table, its header included,
    is refused at its cell, named as a spreadsheet user does with its column's header,
    whatever --missing says; never read as a blank. The fix is said once however many there
    are (``flood`` more rows whose last column is a formula), and past the summary's threshold
    the first line counts them."""
    from probation_audit.errors import SUMMARY_FROM, ProblemSummary

    cells: list[list[Any]] = [list(row) for row in MINI_ROWS]
    cells += [[f"F{k}", "yes", "no", "n/a", "=A1"] for k in range(flood)]
    for i, j in places:
        cells[i][j] = formula
    path = tmp_path_factory.mktemp("xlsx") / "cases.xlsx"
    path.write_bytes(_workbook_bytes(cells, []))
    outcome = _only_library_errors(lambda: pa.read_judgments(path, MINI, missing=missing))  # type: ignore[arg-type]
    assert isinstance(outcome, pa.AuditErrors)
    unsaved = [e for e in outcome.errors if e.message.endswith("with no saved value")]
    expected = sorted({(i + 1, j + 1) for i, j in places} | {(k + 5, 5) for k in range(flood)})
    if (1, 1) in expected:  # no case_id header: only the cells of the first rows are named
        expected = [(r, c) for r, c in expected if r <= 20]
    assert [(e.line, "ABCDE".index(e.message.split("!")[1][0]) + 1) for e in unsaved] == expected
    header = cells[0]
    for e in unsaved:
        column = "ABCDE".index(e.message.split("!")[1][0])
        shown = e.line != 1 and (1, 1) not in expected and (0, column) not in places
        named = f" (column {header[column]!r})" if shown else ""
        assert e.message.startswith(f"cell Sheet!{'ABCDE'[column]}{e.line}{named} holds")
    lines = outcome.lines()
    assert sum("open it in Excel or LibreOffice and save it" in line for line in lines) == 1
    summary = isinstance(outcome.errors[0], ProblemSummary)
    assert summary == (len(unsaved) > SUMMARY_FROM and (1, 1) not in expected)


@FUZZ
@given(
    head=st.sampled_from([b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04"]),
    tail=st.binary(max_size=400),
    name=st.sampled_from(["cases.csv", "cases.ods", "cases.xls", "cases.txt", "cases"]),
    encoding=st.sampled_from([None, "cp1252", "utf-16"]),
)
def test_a_spreadsheet_read_as_csv_is_one_line_saying_what_it_is(
    head: bytes,
    tail: bytes,
    name: str,
    encoding: str | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Whatever follows a workbook's first bytes, whatever its name or the encoding given."""
    path = tmp_path_factory.mktemp("sheet") / name
    path.write_bytes(head + tail)
    outcome = _only_library_errors(lambda: pa.read_judgments(path, MINI, encoding=encoding))
    assert isinstance(outcome, pa.AuditErrors)
    (line,) = outcome.lines()
    assert line.startswith(f"{path}: not a CSV file but ")


@FUZZ
@given(
    rows=st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True),
    blank=st.sampled_from([None, "", "   ", "Total", "Average"]),
    shift=st.integers(0, 2),
)
def test_a_refused_case_id_names_its_cell_wherever_the_column_is(
    rows: list[int], blank: str | None, shift: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A blank or summary case id is refused at its row, naming its cell (``Cases!B3``)
    wherever attribute columns put the case_id column (a synthetic sheet)."""
    cells: list[list[Any]] = [[f"attr{k}" for k in range(shift)] + list(MINI_ROWS[0])]
    cells += [["x"] * shift + list(row) for row in MINI_ROWS[1:]]
    for r in rows:
        cells[r][shift] = blank
    path = tmp_path_factory.mktemp("xlsx") / "cases.xlsx"
    path.write_bytes(_workbook_bytes(cells, []))
    outcome = _only_library_errors(lambda: pa.read_judgments(path, MINI))
    assert isinstance(outcome, pa.AuditErrors)
    refused = [e for e in outcome.errors if "case_id" in e.message]
    letter = "ABC"[shift]
    assert [e.line for e in refused] == sorted(r + 1 for r in rows)
    assert all(e.message.startswith(f"cell Sheet!{letter}{e.line}: case_id") for e in refused)


@FUZZ
@given(
    bad=st.lists(st.sampled_from(["S9.9", "maybe", "", "TRUE"]), min_size=21, max_size=1200),
)
def test_a_flood_opens_with_counts_that_add_up(bad: list[str]) -> None:
    """More than 20 problems open with one line counting each kind; the counts add up to
    every problem found, listed or not."""
    rows = ["case_id,question_id,judgment"] + [
        f"C{i},S9.9,yes" if value == "S9.9" else f"C{i},S1.1,{value}" for i, value in enumerate(bad)
    ]
    outcome = _only_library_errors(
        functools.partial(pa.parse_csv, "\n".join(rows) + "\n", MINI, source="f.csv")
    )
    assert isinstance(outcome, pa.AuditErrors)
    from probation_audit.errors import Hint, MoreProblems, ProblemSummary

    summary = outcome.errors[0]
    assert isinstance(summary, ProblemSummary)
    listed = [e for e in outcome.errors[1:] if not isinstance(e, MoreProblems | Hint)]
    hidden = sum(e.count for e in outcome.errors if isinstance(e, MoreProblems))
    assert sum(c.count for c in summary.counts) == len(listed) + hidden


@settings(FUZZ, max_examples=max(1, EXAMPLES // 3))
@given(
    hidden_rows=st.sets(st.integers(1, 6), max_size=4),
    hidden_columns=st.sets(st.integers(1, 7), max_size=3),
    far=st.sampled_from([None, "E9", "XFD2000"]),
)
# The sheet's last cell, once a run: its million empty rows take a tenth of a second each read.
@example(hidden_rows={3, 6}, hidden_columns={2, 7}, far="XFD1048576")
def test_hidden_rows_columns_and_far_formatting_change_no_answer(
    hidden_rows: set[int],
    hidden_columns: set[int],
    far: str | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Hidden or filtered-out rows and columns, and formatting far beyond the cells (a stored
    dimension up to XFD1048576), read the same answers as the plain sheet; the notes count
    exactly the hidden rows and columns of the table."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in MINI_ROWS:
        sheet.append(row)
    for r in hidden_rows:
        sheet.row_dimensions[r].hidden = True
    for c in hidden_columns:
        sheet.column_dimensions[get_column_letter(c)].hidden = True
    if far is not None:
        sheet[far].font = Font(bold=True)
    path = tmp_path_factory.mktemp("xlsx") / "cases.xlsx"
    workbook.save(path)
    sample = pa.read_judgments(path, MINI)
    plain = pa.parse_csv(_csv_text(MINI_ROWS), MINI)
    assert sample.codes.tolist() == plain.codes.tolist()
    assert sample.case_ids == plain.case_ids
    rows = sorted(r for r in hidden_rows if 2 <= r <= len(MINI_ROWS))
    columns = sorted(c for c in hidden_columns if c <= len(MINI_ROWS[0]))
    assert [n for n in sample.notes if "hidden or filtered-out" in n] == (
        [f"{len(rows)} hidden or filtered-out {'row' if len(rows) == 1 else 'rows'}"
         f" of sheet 'Sheet' read as data ({'row' if len(rows) == 1 else 'rows'} "
         f"{', '.join(map(str, rows))}): the stored answers are the record, shown or not"]
        if rows else []
    )  # fmt: skip
    hidden = [n for n in sample.notes if n.endswith(tuple(MINI_ROWS[0])) or "hidden column" in n]
    assert len(hidden) == (1 if columns else 0)
    if columns:
        assert hidden[0].startswith(f"{len(columns)} hidden column")
