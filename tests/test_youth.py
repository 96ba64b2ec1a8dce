"""The 2018 youth justice framework: resettlement rated but not scored, 'not rated' as a state
of its own, the overall bands out of 36."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit.cli import main

YOUTH = pa.load_rubric("hmip-youth-2018")
CASE_BASED = [s.id for s in YOUTH.standards if not s.judged]


# 'yes' counts out of 10 that put a key question in each band.
YES_OF_10 = {"Inadequate": 4, "Requires improvement": 6, "Good": 7, "Outstanding": 9}


def _score(case_ratings: dict[str, str], judged: dict[str, str]) -> pa.Result:
    tally: dict[str, tuple[int, int]] = {}
    for s in YOUTH.standards:
        if not s.judged:
            counts = (YES_OF_10[case_ratings[s.id]], 10)
            tally.update({q.id: counts for q in s.questions})
    return pa.score_tally(YOUTH, tally, judged)


def test_structure() -> None:
    assert [s.id for s in YOUTH.standards] == [
        "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "4.1",
    ]  # fmt: skip
    assert CASE_BASED == ["2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3"]
    assert all(len(YOUTH.standard(s).questions) == 3 for s in CASE_BASED)
    assert YOUTH.overall is not None and "4.1" not in YOUTH.overall.standards
    assert YOUTH.overall.bands[-1].maximum == 36
    assert YOUTH.standard("4.1").may_be_unrated and not YOUTH.standard("1.1").may_be_unrated


def test_resettlement_is_rated_but_not_scored() -> None:
    """The published case: 11 Good, 1 Requires improvement and 1 Outstanding across 13
    standards total 24 only when resettlement (Good) is left out."""
    judged = {"1.1": "Good", "1.2": "Good", "1.3": "Outstanding", "1.4": "Good", "3.4": "Good"}
    cases = {s: "Good" for s in CASE_BASED} | {"3.3": "Requires improvement"}
    result = _score(cases, {**judged, "4.1": "Good"})
    ratings = [s.rating for s in result.standards]
    assert ratings.count("Good") == 11 and ratings.count("Outstanding") == 1
    assert ratings.count("Requires improvement") == 1
    assert result.overall is not None
    assert (result.overall.points, result.overall.max_points) == (24, 36)
    assert result.overall.rating == "Good"
    assert result.standard("4.1").rating == "Good"


def test_not_rated_is_its_own_state() -> None:
    judged = {"1.1": "Good", "1.2": "Good", "1.3": "Good", "1.4": "Good", "3.4": "Good"}
    cases = {s: "Good" for s in CASE_BASED}
    result = _score(cases, {**judged, "4.1": "Not Rated"})
    resettlement = result.standard("4.1")
    assert resettlement.rating is None and resettlement.not_rated
    assert resettlement.shown_rating == "not rated"
    assert resettlement.explain() == (
        "4.1 Resettlement policy and provision: not rated (given as input: no cases of its kind "
        "to inspect)"
    )
    assert result.overall is not None and result.overall.rating == "Good"  # 24 of 36
    assert pa.Result.from_dict(result.to_dict()) == result
    missing = _score(cases, judged).standard("4.1")
    assert missing.rating is None and not missing.not_rated
    assert missing.shown_rating == "undetermined"
    with pytest.raises(pa.AuditErrors) as caught:
        _score(cases, {**judged, "1.1": "not rated"})
    assert caught.value.lines() == [
        "ratings.1.1: cannot be 'not rated' in rubric 'hmip-youth-2018' (expected one of: "
        "Inadequate, Requires improvement, Good, Outstanding)"
    ]
    # The bulk path treats a not-rated standard as no rating, and still rates the overall.
    bulk = pa.rate_many(YOUTH, [[7] * 21], [[10] * 21], {**judged, "4.1": "not rated"})
    assert bulk.rating(0, "4.1") is None and bulk.overall_rating(0) == "Good"


@pytest.mark.parametrize(
    ("points", "rating"),
    [(0, "Inadequate"), (6, "Inadequate"), (7, "Requires improvement"),
     (18, "Requires improvement"), (19, "Good"), (30, "Good"), (31, "Outstanding"),
     (36, "Outstanding")],
)  # fmt: skip
def test_overall_bands_on_each_edge(points: int, rating: str) -> None:
    assert YOUTH.overall is not None
    assert YOUTH.overall.rating(points) == rating


def test_a_case_based_youth_standard_uses_the_adult_bands() -> None:
    assert [b.lower for b in YOUTH.bands.bands] == [Fraction(0), 50, 65, 80]


def test_cli_shows_not_rated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = "case_id," + ",".join(YOUTH.question_ids)
    rows = "".join(f"C{i}," + ",".join(["yes"] * 21) + "\n" for i in range(5))
    path = tmp_path / "youth.csv"
    path.write_text(header + "\n" + rows, encoding="utf-8")
    judged = ["1.1=Good", "1.2=Good", "1.3=Good", "1.4=Good", "3.4=Good", "4.1=not rated"]
    argv = ["score", str(path), "--rubric", "hmip-youth-2018"]
    assert main([*argv, *(f"--rating={r}" for r in judged)]) == 0
    out = capsys.readouterr().out
    assert "4.1 Resettlement policy and provisi" in out and "not rated" in out
    assert "31 of 36 points" in out
