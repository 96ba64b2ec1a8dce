from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import attrs
import numpy as np
import pytest

import probation_audit as pa
from probation_audit.rubric import Provenance, Rounding

from .conftest import EXAMPLE_CASES, JUDGED_2024, overall

PRINTED_2024 = {
    "P2.1.1": 51,
    "P2.1.2": 67,
    "P2.1.3": 16,
    "P2.2.1": 39,
    "P2.2.2": 54,
    "P2.2.3": 36,
    "P2.3.1": 43,
    "P2.3.2": 21,
    "P2.3.3": 27,
    "P2.4.1": 49,
    "P2.4.2": 36,
    "P2.4.3": 24,
}


def half_up(rubric: pa.Rubric) -> pa.Rubric:
    return attrs.evolve(rubric, rounding=Rounding("half-up", Provenance("assumed", "test")))


def cases_for(tally: dict[str, tuple[int, int]]) -> list[dict[str, str]]:
    """Long records realising ``tally``: yes first, then no, then not relevant."""
    n = max(r for _, r in tally.values())
    records = []
    for qid, (yes, relevant) in tally.items():
        for i in range(n):
            judgment = "yes" if i < yes else "no" if i < relevant else "not relevant"
            records.append({"case_id": f"C{i:03d}", "question_id": qid, "judgment": judgment})
    return records


@pytest.fixture(scope="module")
def example(rubric: pa.Rubric) -> pa.Result:
    return pa.score(rubric, EXAMPLE_CASES, JUDGED_2024)


def test_example_reproduces_every_printed_percentage(example: pa.Result) -> None:
    assert {q.id: q.printed for q in example.questions} == PRINTED_2024
    assert all(q.relevant == 70 for q in example.questions)


def test_example_reproduces_every_rating(example: pa.Result) -> None:
    assert {s.id: s.rating for s in example.standards} == {
        **JUDGED_2024,
        "P2.1": "Inadequate",
        "P2.2": "Inadequate",
        "P2.3": "Inadequate",
        "P2.4": "Inadequate",
    }
    assert (overall(example).rating, overall(example).points, overall(example).max_points) == (
        "Inadequate",
        2,
        21,
    )


def test_driving_question_and_exact_values(example: pa.Result) -> None:
    p21 = example.standard("P2.1")
    assert p21.driven_by == ("P2.1.3",)
    q = p21.question("P2.1.3")
    assert (q.yes, q.relevant, q.proportion, q.printed) == (11, 70, Fraction(11, 70), 16)
    assert p21.value == Fraction(110, 7)
    assert [s.driven_by for s in example.standards[3:]] == [
        ("P2.1.3",),
        ("P2.2.3",),
        ("P2.3.2",),
        ("P2.4.3",),
    ]


def test_margins_hand_checked(example: pa.Result) -> None:
    # P2.1.3 needs 35 of 70 (50%) for Requires improvement: 24 more.
    assert example.standard("P2.1").lift == pa.Margin("Requires improvement", 24, (("P2.1.3", 24),))
    # P2.2.1 27 -> 35 and P2.2.3 25 -> 35; P2.2.2 at 38 is already 54%.
    assert example.standard("P2.2").lift == pa.Margin(
        "Requires improvement", 18, (("P2.2.1", 8), ("P2.2.3", 10))
    )
    assert all(s.drop is None for s in example.standards[3:])
    assert (
        "24 more 'yes' cases (24 on P2.1.3) would lift it to Requires improvement"
        in example.standard("P2.1").explain()
    )


def test_api_example_from_records(rubric: pa.Rubric) -> None:
    records = pa.read_csv(EXAMPLE_CASES, rubric).to_records()
    result = pa.score(rubric, records, ratings=JUDGED_2024)
    assert result.standard("P2.1").rating == "Inadequate"
    assert result == pa.score(rubric, EXAMPLE_CASES, JUDGED_2024)


def test_assumptions_are_reported(example: pa.Result) -> None:
    assert len(example.assumptions) == 1
    assert example.assumptions[0].startswith("rounding (method = exact): Not stated in the sources")
    assert dict(example.statuses)["bands"] == "derived"


def test_tie_drives_together(mini: pa.Rubric) -> None:
    result = pa.score(
        mini, cases_for({"S1.1": (13, 20), "S1.2": (13, 20), "S2.1": (20, 20)}), {"J1": "Good"}
    )
    s1 = result.standard("S1")
    assert (s1.rating, s1.driven_by) == ("Good", ("S1.1", "S1.2"))
    # Good from 65%: one lost 'yes' on either question (12/20 = 60%) drops it.
    assert s1.drop == pa.Margin("Requires improvement", 1, (("S1.1", 1), ("S1.2", 1)))
    # Outstanding from 80% = 16/20: three more on each.
    assert s1.lift == pa.Margin("Outstanding", 6, (("S1.1", 3), ("S1.2", 3)))
    assert result.standard("S2").lift is None
    assert overall(result).points == 2 + 2 + 3


@pytest.mark.parametrize(
    ("yes", "relevant", "exact", "rounded"),
    [
        (99, 200, "Inadequate", "Requires improvement"),  # 49.5% prints as 50%
        (129, 200, "Requires improvement", "Good"),  # 64.5%
        (159, 200, "Good", "Outstanding"),  # 79.5%
        (100, 200, "Requires improvement", "Requires improvement"),
        (97, 196, "Inadequate", "Inadequate"),
    ],  # 49.49% prints as 49%
)
def test_boundary_sensitivity(
    mini: pa.Rubric, yes: int, relevant: int, exact: str, rounded: str
) -> None:
    tally = {"S1.1": (yes, relevant), "S1.2": (relevant, relevant), "S2.1": (1, 1)}
    s1 = pa.score_tally(mini, tally, {"J1": "Good"}).standard("S1")
    assert (s1.exact_rating, s1.rounded_rating, s1.rating) == (exact, rounded, exact)
    assert s1.boundary_sensitive == (exact != rounded)
    assert ("Boundary-sensitive" in s1.explain()) == (exact != rounded)
    s1_half_up = pa.score_tally(half_up(mini), tally, {"J1": "Good"}).standard("S1")
    assert s1_half_up.rating == rounded


def test_half_up_margins(mini: pa.Rubric) -> None:
    tally = {"S1.1": (98, 200), "S1.2": (200, 200), "S2.1": (1, 1)}
    exact = pa.score_tally(mini, tally).standard("S1")
    rounded = pa.score_tally(half_up(mini), tally).standard("S1")
    assert exact.lift == pa.Margin("Requires improvement", 2, (("S1.1", 2),))  # 100/200
    assert rounded.lift == pa.Margin("Requires improvement", 1, (("S1.1", 1),))  # 99/200 prints 50


def test_lift_can_skip_a_band(mini: pa.Rubric) -> None:
    # One case: 0% -> 100% is the only move, straight to Outstanding.
    tally = {"S1.1": (0, 1), "S1.2": (1, 1), "S2.1": (1, 1)}
    s1 = pa.score_tally(mini, tally).standard("S1")
    assert s1.lift == pa.Margin("Outstanding", 1, (("S1.1", 1),))
    assert pa.score_tally(mini, {**tally, "S1.1": (1, 1)}).standard("S1").drop == pa.Margin(
        "Inadequate", 1, (("S1.1", 1), ("S1.2", 1))
    )


def test_no_relevant_cases_is_undetermined(mini: pa.Rubric) -> None:
    tally = {"S1.1": (0, 0), "S1.2": (3, 4), "S2.1": (1, 1)}
    result = pa.score_tally(mini, tally, {"J1": "Good"})
    s1 = result.standard("S1")
    assert (s1.rating, s1.points, s1.reason) == (None, None, "no relevant cases for S1.1")
    assert s1.question("S1.1").proportion is None
    assert s1.question("S1.1").printed is None
    assert overall(result).rating is None
    assert overall(result).reason == "undetermined standards (S1: no relevant cases for S1.1)"
    assert "undetermined" in s1.explain()


def test_judged_without_rating_is_undetermined(mini: pa.Rubric) -> None:
    result = pa.score_tally(mini, {"S1.1": (1, 1), "S1.2": (1, 1), "S2.1": (1, 1)})
    assert result.standard("J1").rating is None
    assert result.standard("J1").reason == "judged standard J1 has no rating given"
    assert overall(result).reason == (
        "needs the judged rating of J1 (inputs: give them, or rate the casework alone)"
    )


def test_rating_input_errors(mini: pa.Rubric) -> None:
    tally = {"S1.1": (1, 1), "S1.2": (1, 1), "S2.1": (1, 1)}
    with pytest.raises(pa.AuditErrors) as info:
        pa.score_tally(mini, tally, {"J1": "Great", "S1": "Good", "X9": "Good"})
    assert info.value.lines() == [
        "ratings.J1: invalid rating 'Great' (expected one of: Inadequate, Requires improvement, Good, Outstanding)",
        "ratings.S1: is rated from the case sample; a rating cannot be given for it",
        "ratings.X9: unknown standard (judged standards in 'mini': J1)",
    ]


def test_rating_labels_are_normalised(mini: pa.Rubric) -> None:
    tally = {"S1.1": (1, 1), "S1.2": (1, 1), "S2.1": (1, 1)}
    assert (
        pa.score_tally(mini, tally, {"J1": "requires improvement"}).standard("J1").rating
        == "Requires improvement"
    )


def test_tally_errors(mini: pa.Rubric) -> None:
    with pytest.raises(pa.AuditErrors) as info:
        pa.score_tally(mini, {"S1.1": (3, 2), "S1.2": (True, 1), "S9": (1, 1)})
    assert info.value.lines() == [
        "question 'S1.1': need 0 <= yes <= relevant, found yes 3, relevant 2",
        "question 'S1.2': counts must be whole numbers, found (True, 1)",
        "question 'S2.1': no tally",
        "question 'S9': not a key question of rubric 'mini'",
    ]


def test_sample_for_another_rubric(rubric: pa.Rubric, mini: pa.Rubric) -> None:
    sample = pa.from_wide({"C1": {"S1.1": "y", "S1.2": "y", "S2.1": "y"}}, mini)
    with pytest.raises(pa.AuditErrors, match="are not rubric 'hmip-probation-2023'"):
        pa.score(rubric, sample)


def test_string_path_reads_like_a_path(rubric: pa.Rubric) -> None:
    assert pa.score(rubric, str(EXAMPLE_CASES)) == pa.score(rubric, EXAMPLE_CASES)


def test_bytes_are_refused(rubric: pa.Rubric) -> None:
    with pytest.raises(TypeError, match="got bytes"):
        pa.score(rubric, b"case_id,P2.1.1")  # type: ignore[arg-type]


def test_json_round_trip(example: pa.Result) -> None:
    data = json.loads(json.dumps(example.to_dict()))
    assert pa.Result.from_dict(data) == example
    p21 = data["standards"][3]
    assert p21["driven_by"] == ["P2.1.3"]
    assert p21["key_questions"][0]["prompts"][0] == {
        "id": "P2.1.1.a",
        "text": "Did assessment analyse motivation and readiness to comply?",
        "yes": 55,
        "relevant": 70,
        "percent": 79,
    }
    assert {k: v for k, v in p21["key_questions"][0].items() if k != "prompts"} == {
        "id": "P2.1.1",
        "text": "Does assessment focus sufficiently on engaging the person on probation?",
        "yes": 36,
        "relevant": 70,
        "percent": 51,
        "proportion": "18/35",
    }
    assert data["overall"]["rating"] == "Inadequate"
    assert data["overall"]["points"] == 2


def test_explain_mentions_every_standard(example: pa.Result) -> None:
    text = example.explain()
    for s in example.standards:
        assert s.id in text
    assert "Overall: Inadequate, 2 of 21 points" in text


def test_wide_mapping_input(mini: pa.Rubric, tmp_path: Path) -> None:
    wide = {
        "C1": {"S1.1": "yes", "S1.2": "no", "S2.1": "n/a"},
        "C2": {"S1.1": "yes", "S1.2": "yes", "S2.1": "yes"},
    }
    result = pa.score(mini, wide, {"J1": "Good"})
    assert result.standard("S1").rating == "Requires improvement"  # S1.2 at 1/2 = 50%
    assert result.standard("S2").rating == "Outstanding"  # 1/1, the n/a left out


def test_drop_with_equally_close_questions_reports_the_mildest_outcome(mini: pa.Rubric) -> None:
    # Losing one 'yes' on S1.1 (2/2 -> 1/2 = 50%) leaves Requires improvement; on S1.2
    # (1/1 -> 0%) Inadequate. One case either way: the margin names both, and the higher rating.
    tally = {"S1.1": (2, 2), "S1.2": (1, 1), "S2.1": (1, 1)}
    s1 = pa.score_tally(mini, tally).standard("S1")
    assert s1.drop == pa.Margin("Requires improvement", 1, (("S1.1", 1), ("S1.2", 1)))


def test_judged_points_come_from_the_standards_own_scale(rubric: pa.Rubric) -> None:
    from probation_audit import testing

    own = testing.with_judged_scale(rubric, [("Weak", 0), ("Sound", 2), ("Strong", 3)])
    tally = {q: (7, 10) for q in rubric.question_ids}  # 70%: 'Good', 2 points each
    result = pa.score_tally(own, tally, {"P1.1": "Sound", "P1.2": "Weak", "P1.3": "Strong"})
    assert [(s.rating, s.points) for s in result.standards[:4]] == [
        ("Sound", 2),
        ("Weak", 0),
        ("Strong", 3),
        ("Good", 2),
    ]
    assert result.overall is not None
    assert (result.overall.points, result.overall.rating) == (13, "Good")


def test_api_misuse_says_what_was_expected(mini: pa.Rubric) -> None:
    tally = {q: (1, 2) for q in mini.question_ids}
    with pytest.raises(TypeError, match=r"expected a Rubric \(load it with load_rubric\), got str"):
        pa.score_tally("hmip-probation-2023", tally)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected a Rubric \(load it with load_rubric\), got str"):
        pa.score("hmip-probation-2023", [])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ratings must map judged standard ids to labels"):
        pa.score_tally(mini, tally, ["Good"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ratings must map judged standard ids to labels"):
        pa.score_tally(mini, tally, "J1=Good")  # type: ignore[arg-type]
    numpy_counts = {q: (np.int64(1), np.int32(2)) for q in mini.question_ids}
    result = pa.score_tally(mini, numpy_counts)  # type: ignore[arg-type]
    assert result.question("S1.1").yes == 1 and type(result.question("S1.1").yes) is int
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_tally(mini, {**tally, "S1.1": None, "S1.2": (1, 2, 3)})  # type: ignore[dict-item]
    assert caught.value.lines() == [
        "question 'S1.1': expected a pair of counts (yes, relevant), found None",
        "question 'S1.2': expected a pair of counts (yes, relevant), found (1, 2, 3)",
    ]


def test_needs_judged_names_the_ratings_nobody_gave() -> None:
    from probation_audit.rating import judged_not_given, needs_judged

    rubric = pa.load_rubric("hmip-probation-2023")
    assert judged_not_given(rubric, {}) == ("P1.1", "P1.2", "P1.3")
    assert judged_not_given(rubric, {"P1.2": "Good", "P1.3": "not rated"}) == ("P1.1",)
    assert judged_not_given(rubric, dict.fromkeys(("P1.1", "P1.2", "P1.3"), "Good")) == ()
    assert needs_judged(["P1.1"]) == (
        "needs the judged rating of P1.1 (inputs: give them, or rate the casework alone)"
    )
    assert needs_judged(["P1.1", "P1.3"]) == (
        "needs the judged ratings of P1.1, P1.3 (inputs: give them, or rate the casework alone)"
    )
    result = pa.score(rubric, EXAMPLE_CASES)
    assert result.overall is not None
    assert result.overall.reason == needs_judged(judged_not_given(rubric, {}))
