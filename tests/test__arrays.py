"""The array decoder: a code array read as the wide file it would save to, by the one
validator (the same sample or the same located problems as that file)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

import probation_audit as pa
from probation_audit import _arrays
from probation_audit._columns import Columns
from probation_audit._tables import Table
from probation_audit.judgments import MISSING_HINT, Judgment

QIDS = ["S1.1", "S1.2", "S2.1"]


def _lines_as_file(
    tmp_path: Path, codes: list[list[int]], case_ids: list[str], qids: list[str], rubric: pa.Rubric
) -> list[str]:
    """The problems of the wide CSV file the array would save to, its source named 'array'."""
    words = {1: "yes", 0: "no", -1: "not relevant"}
    rows = [
        ",".join([c, *(words.get(v, str(v)) for v in row)])
        for c, row in zip(case_ids, codes, strict=True)
    ]
    path = tmp_path / "a.csv"
    path.write_text("\n".join([",".join(["case_id", *qids]), *rows]) + "\n", encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, rubric)
    return [line.replace(str(path), "array", 1) for line in caught.value.lines()]


def test_columns_in_any_order(mini: pa.Rubric) -> None:
    sample = pa.from_array([[1, 0, -1]], ["C1"], ["S2.1", "S1.1", "S1.2"], mini)
    assert sample.answer("C1", "S2.1") is Judgment.YES
    assert sample.answer("C1", "S1.2") is Judgment.NOT_RELEVANT
    assert sample.source == "array"


def test_the_decoder_gives_a_wide_files_columns(mini: pa.Rubric) -> None:
    columns = _arrays.array_columns([[1, 0, -1], [5, 1, 1]], ["C1", "C2"], QIDS, mini)
    assert isinstance(columns, Columns)
    table = columns.located()
    assert table.header == ("case_id", *QIDS)
    assert [list(r) for r in table.rows] == [
        ["C1", "yes", "no", "not relevant"],
        ["C2", "5", "yes", "yes"],
    ]
    assert list(table.lines) == [2, 3]


def test_problems_are_the_wide_files_located_alike(mini: pa.Rubric, tmp_path: Path) -> None:
    codes, cases, qids = [[1, 5, -1], [0, 0, 0]], ["C1", "C1"], ["S1.1", "S1.2", "S9"]
    with pytest.raises(pa.AuditErrors) as info:
        pa.from_array(codes, cases, qids, mini)
    hint, *lines = info.value.lines()  # the array's own hint for its stray code 5, then the file's
    assert hint.startswith("array: hint: an array's codes are 1 yes, 0 no, -1 not relevant")
    assert lines == [
        "array:1: column 'S9': unknown question id (rubric 'mini' has S1.1, S1.2, S2.1)",
        "array:1: no column for question S2.1 (correct the header named like an unknown id, "
        "or add the column)",
        "array:2: case 'C1', question 'S1.2': invalid judgment '5' (expected one of 'yes', 'y', "
        "'no', 'n', 'not relevant', 'not applicable', 'n/a', 'na', 'nr', any case)",
        "array:3: case 'C1', question 'S1.1': answered twice with different judgments: yes "
        "(line 2) and then no (line 3)",
    ]
    assert lines == _lines_as_file(tmp_path, codes, cases, qids, mini)


def test_a_case_given_twice_alike_is_merged_with_a_note(mini: pa.Rubric) -> None:
    sample = pa.from_array([[1, 0, -1], [1, 0, -1]], ["C1", "C1"], QIDS, mini)
    assert sample.case_ids == ("C1",)
    assert sample.notes == (
        "3 answers given again with the same judgment were counted once (line 3)",
    )


def test_ids_that_are_not_text_are_located_with_every_other_problem(mini: pa.Rubric) -> None:
    cases: list[Any] = ["C1", 3]
    qids: list[Any] = ["S1.1", "S1.2", 7]
    with pytest.raises(pa.AuditErrors) as info:
        pa.from_array([[1, 0, -1], [1, 2, -1]], cases, qids, mini)
    assert info.value.lines() == [
        "array:1: no column for question S2.1 (add the column, or treat missing answers as not "
        "relevant: --missing not-relevant)",
        "array:1: question id must be text, found int 7",
        "array:3:1: case_id must be a non-empty string, found int 3",
    ]
    # The unreadable case's row is not read: its invalid code 2 is not reported besides.
    assert not any("'2'" in line for line in info.value.lines())


def test_every_column_is_a_question_never_an_attribute(mini: pa.Rubric) -> None:
    with pytest.raises(pa.AuditErrors) as info:
        pa.from_array([[1, 0, -1]], ["C1"], ["S1.1", "S1.2", "notes"], mini)
    assert "array:1: column 'notes': unknown question id (rubric 'mini' has S1.1, S1.2, S2.1)" in (
        info.value.lines()
    )
    data = _arrays.array_columns([[1, 0, -1]], ["C1"], ["S1.1", "S1.2", "notes"], mini)
    assert isinstance(data, Table) and data.header == ("case_id", "S1.1", "S1.2")


def test_case_ids_as_a_files_are(mini: pa.Rubric) -> None:
    with pytest.raises(pa.AuditErrors) as info:
        pa.from_array([[1, 0, 1], [1, 1, 1]], ["Total", " "], QIDS, mini)
    assert info.value.lines() == [
        "array:2:1: case_id 'Total' looks like a summary row, not a case (delete totals and "
        "averages from below the cases)",
        "array:3:1: case_id must be a non-empty string, found blank",
    ]
    sample = pa.from_array([[1, 0, 1]], [" C1 "], ["s1.1", " S1.2 ", "S2.1"], mini)
    assert sample.case_ids == ("C1",)


def test_a_missing_column(mini: pa.Rubric) -> None:
    with pytest.raises(pa.AuditErrors) as info:
        pa.from_array([[1, 0]], ["C1"], ["S1.1", "S1.2"], mini)
    assert info.value.lines() == [
        "array:1: no column for question S2.1 (add the column, or treat missing answers as not "
        "relevant: --missing not-relevant)"
    ]
    sample = pa.from_array([[1, 0]], ["C1"], ["S1.1", "S1.2"], mini, missing="not-relevant")
    assert sample.answer("C1", "S2.1") is Judgment.NOT_RELEVANT


def test_shape_and_type(mini: pa.Rubric) -> None:
    with pytest.raises(pa.AuditErrors, match=re.escape("shape (1, 3) (cases, questions)")):
        pa.from_array([1, 0, 1], ["C1"], QIDS, mini)
    with pytest.raises(pa.AuditErrors, match="booleans"):
        pa.from_array(np.ones((1, 3), dtype=bool), ["C1"], QIDS, mini)
    with pytest.raises(pa.AuditErrors, match="dtype float64"):
        pa.from_array(np.ones((1, 3)), ["C1"], QIDS, mini)
    with pytest.raises(pa.AuditErrors, match="a ragged list"):
        pa.from_array([[1, 0, 1], [1]], ["C1", "C2"], QIDS, mini)
    with pytest.raises(pa.AuditErrors, match="no case judgments found"):
        pa.from_array(np.zeros((0, 3), dtype=int), [], QIDS, mini)


def test_misuse(mini: pa.Rubric) -> None:
    with pytest.raises(TypeError, match="case_ids must be a sequence of ids"):
        pa.from_array([[1, 0, 1]], "C1", QIDS, mini)
    with pytest.raises(TypeError, match="expected a Rubric"):
        pa.from_array([[1, 0, 1]], ["C1"], QIDS, "mini")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="missing must be one of"):
        pa.from_array([[1, 0, 1]], ["C1"], QIDS, mini, missing="ignore")  # type: ignore[arg-type]


def test_masked_cells_are_no_answer(mini: pa.Rubric) -> None:
    masked = np.ma.masked_array([[1, 0, 1]], mask=[[False, True, False]])
    with pytest.raises(pa.AuditErrors) as info:
        pa.from_array(masked, ["C1"], QIDS, mini)
    assert info.value.lines() == [
        f"array: hint: {MISSING_HINT}",
        "array:2: case 'C1', question 'S1.2': no answer for question S1.2",
    ]
    sample = pa.from_array(masked, ["C1"], QIDS, mini, missing="not-relevant")
    assert sample.codes.tolist() == [[1, -1, 1]]


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint8])
def test_any_integer_type(mini: pa.Rubric, dtype: type) -> None:
    codes: npt.NDArray[Any] = np.array([[1, 0, 1], [0, 1, 1]], dtype=dtype)
    sample = pa.from_array(codes, ["C1", "C2"], QIDS, mini)
    assert sample.codes.tolist() == [[1, 0, 1], [0, 1, 1]]


def test_a_stray_code_is_explained_once_by_the_codes_an_array_takes() -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    codes = np.ones((2, len(rubric.question_ids)), dtype=np.int8)
    codes[1, 0], codes[0, 3] = 5, 2
    with pytest.raises(pa.AuditErrors) as caught:
        pa.from_array(codes, ["C1", "C2"], list(rubric.question_ids), rubric)
    lines = str(caught.value).splitlines()
    assert lines[0] == (
        "array: hint: an array's codes are 1 yes, 0 no, -1 not relevant "
        "(a masked cell is a blank answer)"
    )
    assert [line.split(": invalid judgment ")[1][:3] for line in lines[1:]] == ["'2'", "'5'"]
    codes[1, 0] = codes[0, 3] = -1  # in range again: no hint, no problem
    assert pa.from_array(codes, ["C1", "C2"], list(rubric.question_ids), rubric).case_ids == (
        "C1",
        "C2",
    )
