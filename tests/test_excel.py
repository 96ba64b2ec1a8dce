"""Tests of probation_audit.excel: reading and writing workbooks (skipped without openpyxl)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import probation_audit as pa
import probation_audit.excel  # imported by name: the writers are not imported by the package
import probation_audit.statistics  # makes pa.statistics known to the type checker

from ._helpers import RUBRIC, UNIT, _sheet_workbook
from .conftest import DATA


def test_merged_answer_cells_are_refused_and_merged_titles_are_not(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "merged.xlsx",
        [
            ["Synthetic audit", None, None, None],
            ["case_id", "S1.1", "S1.2", "S2.1"],
            ["C1", "yes", "no", "n/a"],
            ["C2", "no", None, None],
        ],
    )
    sheet = workbook.active  # type: ignore[attr-defined]
    sheet.merge_cells("A1:D1")
    workbook.save(path)  # type: ignore[attr-defined]
    assert pa.read_judgments(path, mini, missing="not-relevant").codes.tolist() == [
        [1, 0, -1],
        [0, -1, -1],
    ]
    sheet.merge_cells("B4:D4")
    workbook.save(path)  # type: ignore[attr-defined]
    for missing in ("error", "not-relevant"):
        with pytest.raises(pa.AuditErrors) as caught:
            pa.read_judgments(path, mini, missing=missing)
        assert caught.value.lines() == [
            f"{path}[Cases]:4: cells Cases!B4:D4 are merged: a merged cell holds one value for all "
            "its cells (unmerge them and give each cell its own answer)"
        ]


def test_a_hidden_first_sheet_is_not_read_by_default(tmp_path: Path, mini: pa.Rubric) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "hidden.xlsx",
        [["case_id", "S1.1", "S1.2", "S2.1"], ["C1", "yes", "no", "n/a"]],
    )
    hidden = workbook.create_sheet("Old", 0)  # type: ignore[attr-defined]
    hidden.append(["case_id", "S1.1", "S1.2", "S2.1"])
    hidden.append(["C1", "no", "no", "no"])
    hidden.sheet_state = "hidden"
    workbook.save(path)  # type: ignore[attr-defined]
    assert pa.read_judgments(path, mini).codes.tolist() == [[1, 0, -1]]
    assert pa.read_judgments(path, mini, sheet="Old").codes.tolist() == [[0, 0, 0]]


@pytest.mark.parametrize(
    "content",
    [b"", b"case_id,S1.1\nC1,yes\n", b"PK\x03\x04truncated", b"PK\x05\x06" + b"\x00" * 18],
    ids=["empty", "renamed-csv", "truncated-zip", "empty-zip"],
)
def test_a_file_that_is_not_a_workbook_is_one_line(
    tmp_path: Path, mini: pa.Rubric, content: bytes
) -> None:
    pytest.importorskip("openpyxl")
    path = tmp_path / "cases.xlsx"
    path.write_bytes(content)
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    (line,) = caught.value.lines()
    assert line.startswith(f"{path}: cannot read workbook: ")


def test_a_workbook_with_broken_xml_is_one_line(tmp_path: Path, mini: pa.Rubric) -> None:
    import zipfile

    path, workbook = _sheet_workbook(
        tmp_path / "good.xlsx", [["case_id", "S1.1", "S1.2", "S2.1"], ["C1", "yes", "no", "n/a"]]
    )
    workbook.save(path)  # type: ignore[attr-defined]
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(broken, mini)
    (line,) = caught.value.lines()
    assert line.startswith(f"{broken}: cannot read workbook: ")


def test_a_workbook_with_a_wrong_stored_dimension_is_read_whole(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    import zipfile

    path, workbook = _sheet_workbook(
        tmp_path / "good.xlsx",
        [
            ["case_id", "S1.1", "S1.2", "S2.1", "team"],
            ["C1", "yes", "no", "n/a", "a"],
            ["C2", "no", "no", "yes", "b"],
        ],
    )
    workbook.save(path)  # type: ignore[attr-defined]
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stale, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                assert b'<dimension ref="A1:E3" />' in data
                data = data.replace(b'<dimension ref="A1:E3" />', b'<dimension ref="A1" />')
            dst.writestr(item, data)
    sample = pa.read_judgments(stale, mini)
    assert sample.case_ids == ("C1", "C2") and sample.attribute_names == ("team",)


def test_results_workbook_leaves_out_prompts_without_data_and_shows_percentages() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    rubric = pa.load_rubric(RUBRIC)
    sample = pa.read_judgments(UNIT / "q1.csv", rubric)
    result = pa.score(rubric, sample)
    probabilities = pa.statistics.rating_probabilities(rubric, sample, resamples=200)
    data = pa.excel.excel_bytes(pa.Analysis(result, probabilities=probabilities))
    book = openpyxl.load_workbook(io.BytesIO(data))
    kinds = [row[2] for row in book["Key questions"].iter_rows(min_row=2, values_only=True)]
    assert kinds == ["key question"] * 12  # q1.csv has no prompt columns
    ratings = book["Ratings"]
    column = [c.value for c in ratings[1]].index("probability") + 1
    assert ratings.cell(row=2, column=column).number_format == "0.0%"


def test_a_bad_answer_names_its_cell_as_a_spreadsheet_user_does(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "cells.xlsx",
        [
            ["Synthetic audit"],
            ["case_id", "S1.1", "S1.2", "S2.1"],
            ["C1", "yes", "maybe", "n/a"],
            ["C2", "no", "no", "yes"],
        ],
    )
    workbook.save(path)  # type: ignore[attr-defined]
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    (line,) = caught.value.lines()
    assert line.startswith(
        f"{path}[Cases]:3: case 'C1', question 'S1.2': cell Cases!C3: invalid judgment 'maybe'"
    )


def test_a_blank_or_summary_case_id_names_its_cell(tmp_path: Path, mini: pa.Rubric) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "ids.xlsx",
        [
            ["Synthetic audit"],
            ["team", "case_id", "S1.1", "S1.2", "S2.1"],
            ["N", "C1", "yes", "no", "n/a"],
            ["N", None, "no", "no", "yes"],
            ["", "Total", "1", "0", "1"],
        ],
    )
    workbook.save(path)  # type: ignore[attr-defined]
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert caught.value.lines() == [
        f"{path}[Cases]:4: cell Cases!B4: case_id must be a non-empty string, found blank",
        f"{path}[Cases]:5: cell Cases!B5: case_id 'Total' looks like a summary row, not a "
        "case (delete totals and averages from below the cases)",
    ]


def test_a_formula_with_no_saved_value_names_its_cell(tmp_path: Path, mini: pa.Rubric) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "unsaved.xlsx",
        [["case_id", "S1.1", "S1.2", "S2.1"], ["C1", "yes", '=IF(1,"no","yes")', "n/a"]],
    )
    workbook.save(path)  # type: ignore[attr-defined]
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert caught.value.lines() == [
        f"{path}[Cases]: hint: the workbook was written by a program that does not calculate, "
        "so its formulas would read as blank: open it in Excel or LibreOffice and save it",
        f"{path}[Cases]:2: case 'C1': cell Cases!C2 (column 'S1.2') holds a formula with no "
        "saved value",
    ]


def test_hidden_rows_and_columns_are_read_and_noted(tmp_path: Path, mini: pa.Rubric) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "hidden.xlsx",
        [
            ["case_id", "S1.1", "S1.2", "S2.1"],
            ["C1", "yes", "no", "n/a"],
            ["C2", "no", "no", "yes"],
            ["C3", "yes", "yes", "yes"],
        ],
    )
    sheet = workbook.active  # type: ignore[attr-defined]
    workbook.save(path)  # type: ignore[attr-defined]
    assert pa.read_judgments(path, mini).notes == ()
    sheet.row_dimensions[3].hidden = True
    sheet.row_dimensions[4].hidden = True
    sheet.column_dimensions["C"].hidden = True
    workbook.save(path)  # type: ignore[attr-defined]
    sample = pa.read_judgments(path, mini)
    assert sample.codes.tolist() == [[1, 0, -1], [0, 0, 1], [1, 1, 1]]
    notes = (
        "2 hidden or filtered-out rows of sheet 'Cases' read as data (rows 3, 4): the stored "
        "answers are the record, shown or not",
        "1 hidden column of sheet 'Cases' read as data: C (S1.2)",
    )
    assert sample.notes == notes
    assert pa.score(mini, sample).notes[-2:] == notes


def test_a_sheet_formatted_far_past_its_cells_is_read_in_memory_bounded_by_its_cells(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    import tracemalloc

    from openpyxl.styles import Font

    def peak(path: Path) -> int:
        tracemalloc.start()
        try:
            sample = pa.read_judgments(path, mini)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert sample.codes.tolist() == [[1, 0, -1]]
        return peak

    path, workbook = _sheet_workbook(
        tmp_path / "formatted.xlsx",
        [["case_id", "S1.1", "S1.2", "S2.1"], ["C1", "yes", "no", "n/a"]],
    )
    workbook.save(path)  # type: ignore[attr-defined]
    pa.read_judgments(path, mini)  # the first reading's one-off imports and caches
    plain = peak(path)
    sheet = workbook.active  # type: ignore[attr-defined]
    # A styled empty cell: A1:XFD100000 stored, 1.6 billion cells (a sheet formatted to its
    # last cell, XFD1048576, is read in the fuzz suite; the rows between cost time there).
    sheet["XFD100000"].font = Font(bold=True)
    workbook.save(path)  # type: ignore[attr-defined]
    # The cells present, not the rows the dimension declares: one small object per row of it
    # is 6 MB more (padding the cells took >3 GB at XFD1048576).
    assert peak(path) - plain < 2 * 2**20
    sheet["XFD100000"] = "x"
    workbook.save(path)  # type: ignore[attr-defined]
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert caught.value.lines() == [
        f"{path}[Cases]:100000: cell Cases!XFD100000: column 16384 has no header but holds 'x' "
        "(give the column a name, or delete it)"
    ]


def test_the_results_workbook_holds_the_breakdown_and_the_feedback_groups(
    mini: pa.Rubric, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    cases = tmp_path / "cases.csv"  # SYNTHETIC
    cases.write_text(
        "case_id,team,S1.1,S1.2,S2.1\n"
        + "".join(
            f"C{i},{'North' if i < 6 else 'South'},yes,{'no' if i % 3 == 0 else 'yes'},yes\n"
            for i in range(12)
        ),
        encoding="utf-8",
    )
    sample = pa.read_judgments(cases, mini)
    analysis = pa.analyse(
        mini, sample, by="team", min_relevant=6, feedback=True, feedback_by="team", min_cases=7
    )
    book = openpyxl.load_workbook(io.BytesIO(pa.excel.excel_bytes(analysis)))
    assert book.sheetnames == [
        "Ratings",
        "Key questions",
        "Breakdown",
        "Feedback",
        "Groups",
        "Rubric",
    ]
    # The last sheet names the rubric beside its id: the file it was loaded from, its rules.
    assert list(book["Rubric"].values) == [
        ("rubric", "file", "rules fingerprint", "rounding"),
        ("mini", str(DATA / "mini.toml"), "9c91ad5c2ab8", "exact"),
    ]
    breakdown = list(book["Breakdown"].values)
    assert breakdown[0] == ("team", "cases", "standard", "rating", "score", "driven by", "note")
    assert breakdown[1:] == [
        ("North", 6, "S1", "Good", pytest.approx(4 / 6), "S1.2", None),
        ("North", 6, "S2", "Outstanding", 1, "S2.1", None),
        ("South", 6, "S1", "Good", pytest.approx(4 / 6), "S1.2", None),
        ("South", 6, "S2", "Outstanding", 1, "S2.1", None),
    ]
    groups = list(book["Groups"].values)
    assert groups[0] == ("team", "cases", "question", "yes", "relevant", "% yes", "note")
    note = "too few cases to compare (under 7)"
    assert groups[1] == ("North", 6, "S1.1", None, None, None, note)
    plain = openpyxl.load_workbook(io.BytesIO(pa.excel.excel_bytes(analysis.result)))
    assert plain.sheetnames == ["Ratings", "Key questions", "Rubric"]


def test_the_sheet_with_the_table_is_named_when_the_first_has_none(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "two-sheets.xlsx", [["Instructions: answer Yes, No or N/A (SYNTHETIC)"]]
    )
    data = workbook.create_sheet("Audit Q1")  # type: ignore[attr-defined]
    for row in (["case_id", "S1.1", "S1.2", "S2.1"], ["C1", "yes", "no", "n/a"]):
        data.append(row)
    workbook.create_sheet("Notes").append(["nothing here"])  # type: ignore[attr-defined]
    workbook.save(path)  # type: ignore[attr-defined]
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert caught.value.lines() == [
        f"{path}[Cases]: hint: sheet 'Audit Q1' has a case_id column: read it with --sheet "
        "'Audit Q1' (in Python, sheet='Audit Q1')",
        f"{path}[Cases]: missing header: no 'case_id' column in the first 20 rows",
    ]
    assert pa.read_judgments(path, mini, sheet="Audit Q1").case_ids == ("C1",)


def test_the_feedback_workbook_names_its_rubric_and_the_notes_on_its_data(
    mini: pa.Rubric,
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wide = {"C1": {"S1.1": "yes", "S1.2": "", "S2.1": "no"}}  # SYNTHETIC
    sample = pa.from_wide(wide, mini, missing="not-relevant")
    feedback = pa.statistics.case_feedback(mini, sample)
    content = probation_audit.excel.feedback_workbook(feedback, rubric=mini, notes=sample.notes)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Feedback", "Notes", "Rubric"]
    assert list(book["Notes"].values) == [
        ("note",),
        (
            "1 blank answer to key questions was counted as 'not relevant' (missing: "
            "not-relevant): S1.2 in case C1",
        ),
    ]
    fingerprint = pa.loading.rules_fingerprint(mini)
    assert list(book["Rubric"].values) == [
        ("rubric", "file", "rules fingerprint", "rounding"),
        ("mini", str(DATA / "mini.toml"), fingerprint, "exact"),
    ]
    bare = openpyxl.load_workbook(io.BytesIO(probation_audit.excel.feedback_workbook(feedback)))
    assert bare.sheetnames == ["Feedback"]  # no rubric given: none named
    noted = probation_audit.excel.feedback_workbook(feedback, notes=sample.notes)
    assert openpyxl.load_workbook(io.BytesIO(noted)).sheetnames == ["Feedback", "Notes"]
