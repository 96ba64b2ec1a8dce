"""Tests of probation_audit.errors: how problems are listed."""

from __future__ import annotations

import probation_audit as pa


def test_the_count_line_stays_last_whatever_the_order() -> None:
    from probation_audit.errors import JudgmentError, MoreProblems

    errors = pa.AuditErrors(
        [
            JudgmentError("late", source="f.csv", line=9),
            MoreProblems(3, source="f.csv"),
            JudgmentError("early", source="f.csv", line=2),
        ]
    )
    assert errors.lines() == [
        "f.csv:2: early",
        "f.csv:9: late",
        "f.csv: ... and 3 more problems (1,000 are shown)",
    ]
