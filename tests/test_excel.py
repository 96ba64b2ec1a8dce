"""Tests of probation_audit.excel: reading and writing workbooks (skipped without openpyxl)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import probation_audit as pa
import probation_audit.statistics  # makes pa.statistics known to the type checker

from ._helpers import RUBRIC, UNIT, _sheet_workbook


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
            f"{path}[Cases]:4: cells B4:D4 are merged: a merged cell holds one value for all "
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
    data = pa.excel.excel_bytes(
        result, probabilities={sid: probabilities.of(sid) for sid in ("P2.1", "P2.2")}
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    kinds = [row[2] for row in book["Key questions"].iter_rows(min_row=2, values_only=True)]
    assert kinds == ["key question"] * 12  # q1.csv has no prompt columns
    ratings = book["Ratings"]
    column = [c.value for c in ratings[1]].index("probability") + 1
    assert ratings.cell(row=2, column=column).number_format == "0.0%"
