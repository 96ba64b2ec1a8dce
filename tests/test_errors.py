"""Tests of probation_audit.errors: how problems are listed."""

from __future__ import annotations

import pickle

import probation_audit as pa
from probation_audit.errors import MAX_ERRORS, AuditErrors, JudgmentError


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


def test_a_hint_is_listed_once_after_the_summary_and_before_the_problems() -> None:
    from probation_audit.errors import Hint, ProblemCount, ProblemSummary

    problem = JudgmentError("bad", source="f.csv", line=3)
    summary = ProblemSummary([ProblemCount("other", 30, "one", "many")], source="f.csv")
    hint = Hint("read it as text", source="f.csv")
    again = Hint("read it as text", source="f.csv (auditor B)")
    errors = AuditErrors([problem, again, summary, hint])
    assert errors.lines() == [
        "f.csv: 30 problems: 30 many",
        "f.csv (auditor B): hint: read it as text",
        "f.csv:3: bad",
    ]
    assert pickle.loads(pickle.dumps(errors)).lines() == errors.lines()


def test_a_hint_is_not_counted_as_a_problem_by_the_cap() -> None:
    from probation_audit.errors import Hint, capped

    problems = [JudgmentError("bad", source="f", line=n) for n in range(MAX_ERRORS + 1)]
    out = capped([Hint("why", source="f"), *problems], "f")
    assert out[0].render() == "f: hint: why"
    assert out[-1].render() == f"f: ... and 1 more problems ({MAX_ERRORS:,} are shown)"
    assert len(out) == MAX_ERRORS + 2
