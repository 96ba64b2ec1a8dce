"""One way in: read_judgments takes every source, and every command takes every format."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import probation_audit as pa
from probation_audit import _csvfiles as csvfiles
from probation_audit import _frames as frames
from probation_audit.cli import main
from probation_audit.judgments import Missing
from probation_audit.reading import read_double_marked, read_table

from ._helpers import hidden_workbook
from .conftest import DATA, EXAMPLE_CASES, ROOT

MINI_WIDE = "case_id,S1.1,S1.2,S2.1,team\nC1,yes,no,n/a,north\nC2,no,yes,yes,south\n"


def _workbook(path: Path, text: str, *, title_rows: int = 0) -> Path:
    """``text`` (CSV) written as the first sheet of a workbook, below ``title_rows`` rows."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for i in range(title_rows):
        sheet.append([f"Synthetic audit, title row {i + 1}"])
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    workbook.save(path)
    return path


def test_every_source_gives_the_same_sample(tmp_path: Path, mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "cases.csv"
    path.write_text(MINI_WIDE, encoding="utf-8")
    expected = pa.read_csv(path, mini)
    wide = {"C1": {"S1.1": "yes", "S1.2": "no", "S2.1": "n/a"}}
    wide["C2"] = {"S1.1": "no", "S1.2": "yes", "S2.1": "yes"}
    records = [
        {"case_id": c, "question_id": q, "judgment": v, "team": team}
        for c, team in (("C1", "north"), ("C2", "south"))
        for q, v in wide[c].items()
    ]
    frame = pandas.read_csv(path, keep_default_na=False)
    sources: list[Any] = [
        path,
        str(path),
        _workbook(tmp_path / "cases.xlsx", MINI_WIDE),
        _workbook(tmp_path / "cases.xlsm", MINI_WIDE, title_rows=2),
        frame,
        records,
        expected,
    ]
    for source in sources:
        sample = pa.read_judgments(source, mini)
        assert sample.codes.tolist() == expected.codes.tolist(), source
        assert sample.case_ids == ("C1", "C2")
        assert sample.attribute_names == ("team",)
        assert sample.attributes == (("north",), ("south",))
    assert pa.read_judgments(wide, mini).codes.tolist() == expected.codes.tolist()


def test_a_data_frame_is_never_written_as_csv_text(
    monkeypatch: pytest.MonkeyPatch, mini: pa.Rubric
) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {
            "case_id": ["C1", "C2"],
            "S1.1": ["yes", "no"],
            "S1.2": ["no", "yes"],
            "S2.1": ["n/a", "yes"],
        }
    )

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a data frame went through CSV text")

    monkeypatch.setattr(csvfiles, "parse_csv", refuse)
    monkeypatch.setattr(csvfiles, "csv_table", refuse)
    monkeypatch.setattr(csv, "writer", refuse)
    monkeypatch.setattr(frame, "to_csv", refuse)
    sample = pa.read_judgments(frame, mini)
    assert sample.codes.tolist() == [[1, 0, -1], [0, 1, 1]]
    table = frames.frame_table(frame)
    assert table.header == ("case_id", "S1.1", "S1.2", "S2.1")
    assert list(table.lines) == [2, 3]


def test_options_that_do_not_fit_the_source(tmp_path: Path, mini: pa.Rubric) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(MINI_WIDE, encoding="utf-8")
    with pytest.raises(ValueError, match="a sheet goes with a workbook"):
        pa.read_judgments(path, mini, sheet="Cases")
    with pytest.raises(ValueError, match="an encoding goes with a CSV file"):
        pa.read_judgments(tmp_path / "cases.xlsx", mini, encoding="cp1252")
    with pytest.raises(ValueError, match="missing must be one of"):
        pa.read_judgments(path, mini, missing="skip")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected a Rubric"):
        pa.read_judgments(path, "hmip-probation-2023")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got int"):
        pa.read_judgments(42, mini)  # type: ignore[arg-type]


def test_encoding_reads_a_cp1252_file(tmp_path: Path, mini: pa.Rubric) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(MINI_WIDE.replace("north", "Northampton £").encode("cp1252"))
    with pytest.raises(pa.AuditErrors, match="not UTF-8"):
        pa.read_judgments(path, mini)
    sample = pa.read_judgments(path, mini, encoding="cp1252")
    assert sample.attribute("C1", "team") == "Northampton £"


def test_workbook_errors_name_sheet_rows_even_below_a_multiline_cell(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    sheet.append(["Synthetic audit"])
    sheet.append(["case_id", "S1.1", "S1.2", "S2.1", "notes"])
    sheet.append(["C1", "yes", "no", "n/a", "two\nlines"])
    sheet.append(["C2", "maybe", "yes", "yes", ""])
    path = tmp_path / "cases.xlsx"
    workbook.save(path)
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert caught.value.lines() == [
        f"{path}[Cases]:4: case 'C2', question 'S1.1': cell Cases!B4: "
        "invalid judgment 'maybe' "
        "(expected one of 'yes', 'y', 'no', 'n', 'not relevant', 'not applicable', 'n/a', "
        "'na', 'nr', any case)"
    ]


def test_double_marked_keeps_file_lines_and_refuses_blank_auditors(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    path = tmp_path / "double.csv"
    path.write_text(
        "case_id,auditor,S1.1,S1.2,S2.1\n"
        "C1,ann,yes,no,n/a\n"
        "C1,bob,yes,yes,n/a\n"
        "C2,ann,yes,yes,yes\n"
        "C2,bob,yes,maybe,no\n",
        encoding="utf-8",
    )
    with pytest.raises(pa.AuditErrors) as caught:
        read_double_marked(path, mini)
    (line,) = caught.value.lines()
    assert line.startswith(f"{path} (auditor bob):5: case 'C2', question 'S1.2': invalid judgment")
    path.write_text(
        "case_id,auditor,S1.1,S1.2,S2.1\nC1,ann,yes,no,n/a\nC1,,yes,yes,n/a\n", encoding="utf-8"
    )
    with pytest.raises(pa.AuditErrors) as caught:
        read_double_marked(path, mini)
    assert caught.value.lines() == [
        f"{path}:3: blank auditor (each row of double-marked judgments names its auditor)"
    ]


def test_read_table_of_a_workbook(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "cases.xlsx", MINI_WIDE, title_rows=1)
    table = read_table(path)
    assert table.header_line == 2
    assert list(table.lines) == [3, 4]
    assert table.rows[0] == ["C1", "yes", "no", "n/a", "north"]


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_compare_and_agreement_take_workbooks(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    mini = str(DATA / "mini.toml")
    before = _workbook(
        tmp_path / f"q1{suffix}",
        "case_id,S1.1,S1.2,S2.1\n"
        + "".join(f"C{i},{'yes' if i < 3 else 'no'},yes,yes\n" for i in range(10)),
    )
    after = tmp_path / "q2.csv"
    after.write_text(
        "case_id,S1.1,S1.2,S2.1\n"
        + "".join(f"C{i},{'yes' if i < 9 else 'no'},yes,yes\n" for i in range(10)),
        encoding="utf-8",
    )
    assert main(["compare", str(before), str(after), "--rubric", mini, "--rating", "J1=Good"]) == 0
    out = capsys.readouterr().out
    assert "  S1.1        rose from 30% to 90% (3 of 10, then 9 of 10)" in out
    assert "  S1          Inadequate -> Outstanding (up 3 bands)" in out
    double = _workbook(
        tmp_path / f"double{suffix}",
        "case_id,auditor,S1.1,S1.2,S2.1\nC1,ann,yes,no,n/a\nC1,bob,yes,yes,n/a\n"
        "C2,ann,yes,yes,yes\nC2,bob,yes,yes,no\n",
        title_rows=1,
    )
    assert main(["agreement", str(double), "--rubric", mini]) == 0
    out = capsys.readouterr().out
    assert "agreement between ann and bob" in out
    assert "  S1.2        agreed on 1 of 2 cases (50%); kappa 0.00, AC1 0.38" in out
    first = _workbook(tmp_path / f"ann{suffix}", "case_id,S1.1,S1.2,S2.1\nC1,yes,no,n/a\n")
    second = tmp_path / "bob.csv"
    second.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,yes,n/a\n", encoding="utf-8")
    assert main(["agreement", str(first), str(second), "--rubric", mini]) == 0
    assert "  S1.2        agreed on 0 of 1 cases (0%)" in capsys.readouterr().out


def test_agreement_on_a_broken_workbook_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("openpyxl")
    bad = tmp_path / "double.xlsx"
    bad.write_text("case_id,auditor\n", encoding="utf-8")
    assert main(["agreement", str(bad), "--rubric", str(DATA / "mini.toml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}: cannot read workbook") and err.count("\n") == 1


def test_sheet_with_a_csv_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["score", str(EXAMPLE_CASES), "--rubric", "hmip-probation-2023", "--sheet", "x"])
    assert caught.value.code == 2
    assert "--sheet goes with an .xlsx or .xlsm workbook" in capsys.readouterr().err


def test_table_fast_path_matches_the_row_path(rubric: pa.Rubric) -> None:
    from probation_audit._csvfiles import read_csv_table, table_sample
    from probation_audit._tables import sample_from_table

    for path in (EXAMPLE_CASES, ROOT / "examples" / "unit-audit" / "q1.csv"):
        table = read_csv_table(path)
        assert table_sample(table, rubric) == sample_from_table(table, rubric)
    # A table the fast path does not accept (a case repeated with another answer) is read
    # row by row, with the row path's errors and lines.
    table = read_csv_table(EXAMPLE_CASES)
    names = table.names
    changed = list(table.rows[0])
    k = names.index("P2.1.1")
    changed[k] = "no" if changed[k].lower() == "yes" else "yes"
    repeated = attrs.evolve(table, rows=[*table.rows, changed], lines=[*table.lines, 99])
    with pytest.raises(pa.AuditErrors) as fast:
        table_sample(repeated, rubric)
    with pytest.raises(pa.AuditErrors) as slow:
        sample_from_table(repeated, rubric)
    assert str(fast.value) == str(slow.value)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"missing": "foo"}, "missing must be one of ('error', 'not-relevant'), not 'foo'"),
        ({"layout": "sideways"}, "layout must be one of ('auto', 'long', 'wide'), not 'sideways'"),
    ],
)
def test_bad_reading_options_are_refused_even_for_clean_files(
    tmp_path: Path, options: dict[str, str], message: str
) -> None:
    """A clean file takes the vectorised path, which once let a bad option through."""
    from probation_audit._csvfiles import parse_csv, read_csv, table_sample

    rubric = pa.load_rubric("hmip-probation-2023")
    text = "case_id," + ",".join(rubric.question_ids) + "\nC1," + ",".join(["yes"] * 12) + "\n"
    path = tmp_path / "clean.csv"
    path.write_text(text, encoding="utf-8")
    given: Any = options  # deliberately outside the declared literals
    calls: list[Callable[[], object]] = [
        lambda: parse_csv(text, rubric, **given),
        lambda: read_csv(path, rubric, **given),
        lambda: table_sample(csvfiles.csv_table(text), rubric, **given),
        lambda: pa.read_judgments(path, rubric, **given),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=re.escape(message)):
            call()


def _same_sample(a: pa.Sample, b: pa.Sample) -> None:
    assert a.case_ids == b.case_ids
    assert a.question_ids == b.question_ids and a.prompt_ids == b.prompt_ids
    assert a.codes.tolist() == b.codes.tolist()
    assert (a.prompt_codes is None) == (b.prompt_codes is None)
    if a.prompt_codes is not None and b.prompt_codes is not None:
        assert a.prompt_codes.tolist() == b.prompt_codes.tolist()
    assert a.attribute_names == b.attribute_names and a.attributes == b.attributes
    assert a.source == b.source and a.notes == b.notes


DOUBLE_MARKED = {
    "interleaved": "case_id,auditor,S1.1,S1.2,S2.1\n"
    "C1,ann,yes,no,n/a\nC1,bob,yes,yes,n/a\nC2,ann,Yes,N,na\nC2,bob,y,no,no\n",
    "blocks, a case only one marked, attributes, CRLF, BOM": "\ufeffpractitioner,case_id,S1.1,"
    "auditor,S1.2,S2.1,team\r\nPO Smith,C2,no,bob,yes,n/a,North\r\nPO Jones,C1,yes,bob,yes,no,"
    "South\r\nPO Smith,C2,no,ann,yes,yes,North\r\nPO Jones,C1,n/a,ann,no,no,South\r\nPO Lee,"
    "C3,yes,ann,yes,yes,East\r\n",
}


@pytest.mark.parametrize("name", DOUBLE_MARKED)
@pytest.mark.parametrize("missing", ["error", "not-relevant"])
def test_plain_double_marked_files_read_as_the_locating_path_reads_them(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mini: pa.Rubric,
    name: str,
    missing: Missing,
) -> None:
    """The validator's vectorised pass takes these files and gives what the locating path
    (every row read and checked one by one) gives."""
    from probation_audit import _columns

    path = tmp_path / "double.csv"
    path.write_bytes(DOUBLE_MARKED[name].encode("utf-8"))
    with monkeypatch.context() as patch:
        patch.setattr(_columns, "split_by_column", _not_located)
        fast = read_double_marked(path, mini, missing=missing)
    monkeypatch.setattr(_columns, "_accept", lambda *args, **kwargs: None)
    slow = read_double_marked(path, mini, missing=missing)
    assert fast.auditors == slow.auditors
    for got, want in zip(fast.samples, slow.samples, strict=True):
        _same_sample(got, want)


def _not_located(*args: object, **kwargs: object) -> None:
    raise AssertionError("the vectorised pass should have taken this file")


@pytest.mark.parametrize(
    "text",
    [
        # a gap, which is an error by default
        "case_id,auditor,S1.1,S1.2,S2.1\nC1,ann,yes,,n/a\nC1,bob,yes,yes,n/a\n",
        # three auditors
        "case_id,auditor,S1.1,S1.2,S2.1\nC1,ann,yes,no,n/a\nC1,bob,yes,yes,n/a\nC1,cy,y,y,y\n",
        # a case marked twice by one auditor
        "case_id,auditor,S1.1,S1.2,S2.1\nC1,ann,yes,no,n/a\nC1,ann,yes,yes,n/a\nC1,bob,y,y,y\n",
        # an untrimmed auditor, a summary row, an unknown question column
        "case_id,auditor,S1.1,S1.2,S2.1\nC1,ann ,yes,no,n/a\nC1,bob,yes,yes,n/a\n",
        "case_id,auditor,S1.1,S1.2,S2.1\nC1,ann,yes,no,n/a\nTotal,ann,1,1,1\nC1,bob,y,y,y\n",
        "case_id,auditor,S1.1,S1.2,S9.9\nC1,ann,yes,no,n/a\nC1,bob,yes,yes,n/a\n",
        # a title row, the long layout, a line break inside a quoted field
        "Audit of May\ncase_id,auditor,S1.1,S1.2,S2.1\nC1,ann,yes,no,n/a\nC1,bob,yes,yes,n/a\n",
        "case_id,auditor,question_id,judgment\nC1,ann,S1.1,yes\nC1,bob,S1.1,no\n",
        'case_id,auditor,S1.1,S1.2,S2.1\nC1,"ann\nA",yes,no,n/a\nC1,bob,yes,yes,n/a\n',
    ],
)
def test_files_with_problems_or_odd_shapes_read_the_same_either_way(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mini: pa.Rubric, text: str
) -> None:
    """Whether the vectorised pass takes a file or leaves it to the locating path, the
    samples or the error lines are the same."""
    from probation_audit import _columns

    path = tmp_path / "double.csv"
    path.write_text(text, encoding="utf-8")

    def outcome() -> object:
        try:
            marked = read_double_marked(path, mini)
        except pa.AuditErrors as exc:
            return exc.lines()
        codes = [sample.codes.tolist() for sample in marked.samples]
        return marked.auditors, codes, [sample.case_ids for sample in marked.samples]

    fast = outcome()
    monkeypatch.setattr(_columns, "_accept", lambda *args, **kwargs: None)
    assert outcome() == fast


HIDDEN_NOTES = (
    "1 hidden or filtered-out row of sheet 'Cases' read as data (row 3): the stored answers "
    "are the record, shown or not",
)


def test_every_reading_of_a_workbook_notes_its_hidden_rows_and_columns(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    double = hidden_workbook(
        tmp_path / "double.xlsx",
        [
            ["case_id", "auditor", "S1.1", "S1.2", "S2.1"],
            ["C1", "ann", "yes", "no", "n/a"],
            ["C1", "bob", "yes", "yes", "n/a"],
        ],
    )
    notes = (*HIDDEN_NOTES, "1 hidden column of sheet 'Cases' read as data: C (S1.1)")
    marked = read_double_marked(double, mini)
    assert marked.auditors == ("ann", "bob")
    assert [s.codes.tolist() for s in marked.samples] == [[[1, 0, -1]], [[1, 1, -1]]]
    assert [s.notes for s in marked.samples] == [notes, notes]
    grouped = hidden_workbook(
        tmp_path / "national.xlsx",
        [
            ["case_id", "unit", "S1.1", "S1.2", "S2.1"],
            ["C1", "north", "yes", "no", "n/a"],
            ["C2", "south", "no", "yes", "yes"],
        ],
    )
    tallies = pa.reading.read_grouped(grouped, mini, "unit")
    assert tallies.groups == ("north", "south")
    assert tallies.yes.tolist() == [[1, 0, 0], [0, 1, 1]]
    assert tallies.notes == notes
    # Nothing hidden, nothing noted; and a CSV file has nothing to hide.
    plain = _workbook(tmp_path / "plain.xlsx", "case_id,unit,S1.1,S1.2,S2.1\nC1,north,yes,no,n/a\n")
    assert pa.reading.read_grouped(plain, mini, "unit").notes == ()
    text = tmp_path / "double.csv"
    text.write_text("case_id,auditor,S1.1,S1.2,S2.1\nC1,ann,yes,no,n/a\nC1,bob,yes,yes,n/a\n")
    assert [s.notes for s in read_double_marked(text, mini).samples] == [(), ()]


def test_double_marked_and_grouped_workbooks_name_the_cells_of_their_problems(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    path = _workbook(
        tmp_path / "double.xlsx",
        "case_id,auditor,S1.1,S1.2,S2.1\nC1,ann,yes,no,n/a\nC1,bob,yes,maybe,n/a\n",
    )
    with pytest.raises(pa.AuditErrors) as caught:
        read_double_marked(path, mini)
    (line,) = caught.value.lines()
    assert line.startswith(
        f"{path}[Sheet] (auditor bob):3: case 'C1', question 'S1.2': cell Sheet!D3: invalid"
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.reading.read_grouped(path, mini, "auditor")
    (line,) = caught.value.lines()
    assert line.startswith(f"{path}[Sheet]:3: case 'C1', question 'S1.2': cell Sheet!D3: invalid")


@pytest.mark.parametrize("split", ["auditor", "unit"])
def test_a_stray_value_beyond_the_header_is_one_error_naming_its_cell_in_every_reading(
    tmp_path: Path, mini: pa.Rubric, split: str
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    sheet.append(["case_id", split, "S1.1", "S1.2", "S2.1"])
    sheet.append(["C1", "ann", "yes", "no", "n/a"])
    sheet.append(["C1" if split == "auditor" else "C2", "bob", "yes", "yes", "n/a"])
    sheet["H3"] = "stray"
    path = tmp_path / "stray.xlsx"
    workbook.save(path)
    expected = (
        "cell Cases!H3: column 8 has no header but holds 'stray' "
        "(give the column a name, or delete it)"
    )
    with pytest.raises(pa.AuditErrors) as caught:
        if split == "auditor":
            read_double_marked(path, mini)
        else:
            pa.reading.read_grouped(path, mini, split)
    assert caught.value.lines() == [f"{path}[Cases]:3: {expected}"]
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    lines = caught.value.lines()
    assert lines.count(f"{path}[Cases]:3: {expected}") == 1
    assert not [line for line in lines if "repeats" in line]
    if split == "unit":
        assert lines == [f"{path}[Cases]:3: {expected}"]
