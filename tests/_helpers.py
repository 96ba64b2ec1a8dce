"""Helpers shared by tests in several files: SYNTHETIC wide CSV files and workbooks, and the
unit audit examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT

WIDE_2023 = "case_id," + ",".join(f"P2.{s}.{q}" for s in range(1, 5) for q in range(1, 4))


def _wide_file(tmp_path: Path, header: str, rows: int = 2, extra: str = "") -> Path:
    path = tmp_path / "cases.csv"
    body = "".join(f"C{i}," + ",".join(["yes"] * 12) + extra + "\n" for i in range(rows))
    path.write_text(header + "\n" + body, encoding="utf-8")
    return path


def _sheet_workbook(path: Path, rows: list[list[object]]) -> tuple[Path, object]:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    for row in rows:
        sheet.append(row)
    return path, workbook


def hidden_workbook(path: Path, rows: list[list[object]]) -> Path:
    """``rows`` as sheet Cases of a SYNTHETIC workbook, its row 3 and column C hidden."""
    path, workbook = _sheet_workbook(path, rows)
    sheet = workbook.active  # type: ignore[attr-defined]
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["C"].hidden = True
    workbook.save(path)  # type: ignore[attr-defined]
    return path


UNIT = ROOT / "examples" / "unit-audit"


RUBRIC = "hmip-probation-2023"
