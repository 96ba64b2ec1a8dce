"""Prompts (sub-questions under key questions): counted, reported, never rated."""

from __future__ import annotations

import re

import pytest

import probation_audit as pa

from .conftest import EXAMPLE_CASES, JUDGED_2024

RUBRIC = pa.load_rubric("hmip-probation-2023")

REPORT_COUNTS = {
    "P2.1.3.a": (22, 70),  # "domestic abuse information ... sufficient in just 22 out of 70 cases"
    "P2.1.3.b": (39, 70),  # "no request made in 31 out of 70 cases"
    "P2.1.3.c": (15, 60),
    "P2.1.3.e": (14, 63),
    "P2.1.3.f": (7, 59),
    "P2.2.3.a": (22, 60),
    "P2.2.3.b": (14, 59),
    "P2.3.1.b": (17, 48),  # "insufficient enforcement action was taken in 31 out of 48"
    "P2.3.3.a": (8, 14),  # "six out of 14 cases did not have frequent enough contact"
    "P2.3.3.c": (4, 41),
    "P2.3.3.d": (8, 34),
    "P2.4.3.a": (3, 14),
}


def test_rubric_declares_the_seed_prompts() -> None:
    assert len(RUBRIC.prompt_ids) == 23
    p213 = next(q for q in RUBRIC.questions if q.id == "P2.1.3")
    assert [p.id for p in p213.prompts] == [f"P2.1.3.{c}" for c in "abcdef"]
    assert (
        p213.prompts[0].source == "the Northamptonshire PDU report (July 2024): 22 out of 70 cases"
    )


def test_example_reproduces_the_reports_counts() -> None:
    result = pa.score(RUBRIC, EXAMPLE_CASES, JUDGED_2024)
    prompts = {p.id: p for q in result.questions for p in q.prompts}
    for pid, counts in REPORT_COUNTS.items():
        assert (prompts[pid].yes, prompts[pid].relevant) == counts, pid
    assert prompts["P2.1.1.a"].printed == 79
    assert prompts["P2.2.2.a"].printed == 56
    assert prompts["P2.1.3.a"].describe() == (
        "P2.1.3.a: 22 of 70 relevant cases (31%): "
        "Was domestic abuse information used sufficiently to inform the assessment?"
    )


def test_high_risk_prompts_are_relevant_to_high_risk_cases_only() -> None:
    sample = pa.read_csv(EXAMPLE_CASES, RUBRIC)
    high = [i for i, c in enumerate(sample.case_ids) if sample.attribute(c, "risk_level") == "high"]
    assert len(high) == 14
    column = sample.prompt_ids.index("P2.3.3.a")
    assert sample.prompt_codes is not None
    relevant = [i for i in range(len(sample)) if sample.prompt_codes[i, column] != -1]
    assert relevant == high


def test_unanswered_prompt_is_not_relevant_but_key_question_is_an_error() -> None:
    answers = {q: "yes" for q in RUBRIC.question_ids}
    sample = pa.from_wide({"C1": answers}, RUBRIC)
    assert sample.prompt_tally()["P2.1.3.a"] == (0, 0)
    with pytest.raises(pa.AuditErrors, match=re.escape("no answer for question P2.4.3")):
        pa.from_wide({"C1": {k: v for k, v in answers.items() if k != "P2.4.3"}}, RUBRIC)


def test_prompt_answers_are_checked_like_any_answer() -> None:
    answers = {q: "yes" for q in RUBRIC.question_ids}
    with pytest.raises(
        pa.AuditErrors, match=re.escape("question 'P2.1.3.a': invalid judgment 'often'")
    ):
        pa.from_wide({"C1": {**answers, "P2.1.3.a": "often"}}, RUBRIC)


def test_duplicate_prompt_id_is_an_error() -> None:
    text = (RUBRIC_PATH := pa.loading.bundled_path("hmip-probation-2023")).read_text(
        encoding="utf-8"
    )
    assert RUBRIC_PATH.name == "hmip-probation-2023.toml"
    bad = text.replace('{ id = "P2.1.3.b"', '{ id = "P2.1.3.a"', 1)
    with pytest.raises(pa.AuditErrors) as info:
        pa.parse_rubric(bad, source="dup.toml")
    assert info.value.lines() == [
        "dup.toml: standards[3].questions[2].prompts[1].id: duplicate question id 'P2.1.3.a' "
        "(first at standards[3].questions[2].prompts[0])"
    ]
