"""Helpers shared by tests in several files: SYNTHETIC wide CSV files and workbooks, the
unit audit examples, and what a command's every format says of where its figures come from."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from probation_audit.cli import main

from .conftest import ROOT

WIDE_2023 = "case_id," + ",".join(f"P2.{s}.{q}" for s in range(1, 5) for q in range(1, 4))


def _wide_file(tmp_path: Path, header: str, rows: int = 2, extra: str = "") -> Path:
    path = tmp_path / "cases.csv"
    body = "".join(f"C{i}," + ",".join(["yes"] * 12) + extra + "\n" for i in range(rows))
    path.write_text(header + "\n" + body, encoding="utf-8")
    return path


def _sheet_workbook(path: Path, rows: Sequence[Sequence[object]]) -> tuple[Path, object]:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    for row in rows:
        sheet.append(row)
    return path, workbook


def hidden_workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """``rows`` as sheet Cases of a SYNTHETIC workbook, its row 3 and column C hidden."""
    path, workbook = _sheet_workbook(path, rows)
    sheet = workbook.active  # type: ignore[attr-defined]
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["C"].hidden = True
    workbook.save(path)  # type: ignore[attr-defined]
    return path


UNIT = ROOT / "examples" / "unit-audit"


RUBRIC = "hmip-probation-2023"
#: What each command that reads audits adds to the notes on the data of the mini rubric
#: (tests/data/mini.toml), whose judged J1 is never given: compare, trend and agreement say why
#: the overall rating is undetermined, once.
MINI_OVERALL = {
    command: [
        "overall rating undetermined: needs the judged rating of J1 (inputs: give them, "
        "or rate the casework alone)"
    ]
    if command in ("compare", "trend", "agreement")
    else []
    for command in ("feedback", "compare", "trend", "agreement")
}


def _run(argv: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert (code, err.getvalue()) == (0, ""), err.getvalue()
    return out.getvalue()


def said_by(argv: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Per format (text, JSON, CSV), what the command ``argv`` says of where its figures come
    from: the rubric (the text's first line; the JSON's id, file and fingerprint, joined by
    spaces; the text of the CSV's first row, of kind ``rubric``) and the notes (the text's
    ``note:`` lines, the JSON's ``notes``, the text of the CSV's rows of kind ``note``)."""
    lines = _run(argv).splitlines()
    said = {"text": (lines[0], [line[8:] for line in lines if line.startswith("  note: ")])}
    data = json.loads(_run([*argv, "--format", "json"]))
    rubric = [data["rubric"], data["rubric_file"], data["rubric_fingerprint"]]
    said["json"] = (" ".join(map(str, rubric)), data["notes"])
    header, *rows = list(csv.reader(io.StringIO(_run([*argv, "--format", "csv"]))))
    kind = header.index("kind" if "kind" in header else "row")
    assert rows[0][kind] == "rubric" and [r[kind] for r in rows].count("rubric") == 1
    assert {len(r) for r in rows} == {len(header)}  # one table
    said["csv"] = (rows[0][-1], [r[-1] for r in rows if r[kind] == "note"])
    return said


def notes_said(said: dict[str, tuple[str, list[str]]]) -> list[str]:
    """The notes every format of :func:`said_by` said, the same in each."""
    assert said["text"][1] == said["json"][1] == said["csv"][1], said
    return said["text"][1]
