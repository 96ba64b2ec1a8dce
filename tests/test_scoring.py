"""Tests of probation_audit._scoring: score takes the reading options read_judgments takes."""

from __future__ import annotations

from pathlib import Path

import pytest

import probation_audit as pa

from ._helpers import _sheet_workbook


def test_score_takes_an_encoding(tmp_path: Path, mini: pa.Rubric) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes("case_id,S1.1,S1.2,S2.1,notes\nC1,yes,no,n/a,\u00a3 paid\n".encode("cp1252"))
    with pytest.raises(pa.AuditErrors, match=r"encoding='cp1252'"):
        pa.score(mini, path)
    result = pa.score(mini, path, encoding="cp1252")
    assert result.standard("S1").questions[0].yes == 1


def test_score_takes_a_sheet_and_a_layout(tmp_path: Path, mini: pa.Rubric) -> None:
    answers = (("S1.1", "yes"), ("S1.2", "no"), ("S2.1", "yes"))
    rows: list[list[object]] = [["case_id", "question_id", "judgment"]]
    rows.extend(["C1", q, j] for q, j in answers)
    path, workbook = _sheet_workbook(tmp_path / "cases.xlsx", rows)
    workbook.create_sheet("Empty", 0)  # type: ignore[attr-defined]
    workbook.save(path)  # type: ignore[attr-defined]
    with pytest.raises(pa.AuditErrors):
        pa.score(mini, path, sheet="Empty")
    result = pa.score(mini, path, sheet="Cases", layout="long")
    assert [q.yes for s in result.standards for q in s.questions] == [1, 0, 1]
    with pytest.raises(pa.AuditErrors, match=r"no column for questions S1\.1, S1\.2, S2\.1"):
        pa.score(mini, path, sheet="Cases", layout="wide")
    with pytest.raises(ValueError, match="layout must be one of"):
        pa.score(mini, path, layout="tall")  # type: ignore[arg-type]
