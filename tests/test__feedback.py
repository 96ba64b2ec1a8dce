"""Case-level feedback: what each case answered No, and groups with a minimum size."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit._feedback import case_feedback, feedback_table, group_feedback
from probation_audit.cli import main

from ._helpers import RUBRIC
from .conftest import DATA

MINI = pa.load_rubric(DATA / "mini.toml")


def _sample(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    path.write_text(
        "case_id,S1.1,S1.2,S2.1,practitioner\n"
        "C1,yes,no,n/a,Ann\nC2,no,no,yes,Ann\nC3,yes,yes,yes,Bob\n"
        "C4,yes,no,no,Ann\nC5,no,yes,yes,Ann\nC6,yes,yes,no,Ann\n",
        encoding="utf-8",
    )
    return path


def test_case_and_group_feedback(tmp_path: Path) -> None:
    sample = pa.read_judgments(_sample(tmp_path), MINI)
    cases = {c.case_id: c for c in case_feedback(MINI, sample)}
    assert [q for q, _ in cases["C2"].questions] == ["S1.1", "S1.2"]
    assert cases["C3"].questions == ()
    assert dict(cases["C1"].attributes) == {"practitioner": "Ann"}
    groups = {g.value: g for g in group_feedback(sample, "practitioner", min_cases=3)}
    assert groups["Ann"].cases == 5 and not groups["Ann"].too_small
    assert groups["Bob"].too_small
    assert ("S1.1", 3, 5) in groups["Ann"].questions
    with pytest.raises(KeyError, match="no case attribute 'team'"):
        group_feedback(sample, "team")


def test_feedback_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _sample(tmp_path)
    argv = ["feedback", str(path), "--rubric", str(DATA / "mini.toml"), "--by", "practitioner"]
    assert main([*argv, "--min-cases", "3"]) == 0
    out = capsys.readouterr().out
    assert "  C2 (practitioner Ann): S1.1, S1.2\n" in out
    assert "  C3 (practitioner Bob): nothing answered No\n" in out
    assert (
        "practitioner = Bob: 1 cases: too few to compare (under 3); listed above, not rated" in out
    )
    # Each id named above, with its wording, once, in the rubric's order.
    assert out.endswith(
        "What each question asks:\n  S1.1: First?\n  S1.2: Second?\n  S2.1: Third?\n"
    )
    assert main([*argv, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(r["case_id"], r["id"]) for r in rows if r["case_id"] == "C2"} == {
        ("C2", "S1.1"),
        ("C2", "S1.2"),
    }
    assert rows[0].keys() == {"case_id", "practitioner", "kind", "id", "text"}
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["groups"][1] == {
        "attribute": "practitioner", "value": "Bob", "cases": 1, "too_small": True, "min_cases": 5,
        "questions": [
            {"id": "S1.1", "yes": 1, "relevant": 1, "percent": 100.0},
            {"id": "S1.2", "yes": 1, "relevant": 1, "percent": 100.0},
            {"id": "S2.1", "yes": 1, "relevant": 1, "percent": 100.0},
        ],
    }  # fmt: skip
    with pytest.raises(SystemExit) as caught:
        main(["feedback", str(path), "--rubric", str(DATA / "mini.toml"), "--by", "team"])
    assert caught.value.code == 2


def test_feedback_table_gives_a_case_with_nothing_answered_no_a_row() -> None:
    rubric = pa.load_rubric(RUBRIC)
    rows = [
        {"case_id": c, "question_id": q, "judgment": "no" if (c, q) == ("B", "P2.1.1") else "yes"}
        for c in ("A", "B")
        for q in rubric.question_ids
    ]
    header, table = feedback_table(case_feedback(rubric, pa.from_records(rows, rubric)))
    assert header == ["case_id", "kind", "id", "text"]
    assert table[0] == ["A", "none", "", "nothing answered No"]
    assert table[1][:3] == ["B", "key question", "P2.1.1"]
    assert len(table) == 2
