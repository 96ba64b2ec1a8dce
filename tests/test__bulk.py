"""The bulk engine against the exact one on rubrics whose judged standards have a scale of
their own (the bulk path once took their points from the bands' scale), and its integer rule
for the lowest key question."""

from __future__ import annotations

import numpy as np
import pytest

import probation_audit as pa
from probation_audit import testing
from probation_audit._bulk import lowest_questions

BASE = pa.load_rubric("hmip-probation-2023")
#: judged standards on labels of their own, worth other points than the rating scale's
OWN_LABELS = testing.with_judged_scale(BASE, [("Weak", 0), ("Sound", 2), ("Strong", 3)])
#: judged standards on some of the rating scale's labels, each worth other points
SAME_LABELS = testing.with_judged_scale(
    BASE, [("Requires improvement", 0), ("Good", 1), ("Outstanding", 3)]
)
ALL_YES = (np.full((1, 12), 10), np.full((1, 12), 10))


def test_judged_labels_of_their_own_count_their_own_points() -> None:
    ratings = {"P1.1": "Sound", "P1.2": "Strong", "P1.3": "Weak"}
    bulk = pa.rate_many(OWN_LABELS, *ALL_YES, ratings)
    exact = pa.score_tally(OWN_LABELS, {q: (10, 10) for q in BASE.question_ids}, ratings)
    # 2 + 3 + 0 for the judged standards, 4 x 3 for the case-based ones: 17 is 'Good' (11-17).
    assert [bulk.rating(0, s) for s in ("P1.1", "P1.2", "P1.3", "P2.1")] == [
        "Sound",
        "Strong",
        "Weak",
        "Outstanding",
    ]
    assert (int(bulk.points[0]), bulk.overall_rating(0)) == (17, "Good")
    assert exact.overall is not None
    assert (exact.overall.points, exact.overall.rating) == (17, "Good")
    assert bulk.standard_labels[0] == ("Weak", "Sound", "Strong")
    assert bulk.standard_labels[3] == bulk.labels == BASE.rating_scale.labels


def test_judged_labels_shared_with_the_rating_scale_count_their_own_points() -> None:
    ratings = {"P1.1": "Good", "P1.2": "Good", "P1.3": "Good"}
    bulk = pa.rate_many(SAME_LABELS, *ALL_YES, ratings)
    # 'Good' is worth 1 on the judged scale (2 on the rating scale): 3 + 12 = 15 is 'Good';
    # the rating scale's points would have made 18, 'Outstanding'.
    assert (int(bulk.points[0]), bulk.overall_rating(0)) == (15, "Good")
    exact = pa.score_tally(SAME_LABELS, {q: (10, 10) for q in BASE.question_ids}, ratings)
    assert exact.overall is not None and exact.overall.points == 15


def test_one_point_either_side_of_an_overall_band_edge() -> None:
    # 'Outstanding' on the judged scale is worth 3: 17 with 'Good', 'Good', 'Good' plus 2.
    for given, points, rating in [
        ({"P1.1": "Good", "P1.2": "Good", "P1.3": "Requires improvement"}, 14, "Good"),
        (
            {"P1.1": "Outstanding", "P1.2": "Outstanding", "P1.3": "Requires improvement"},
            18,
            "Outstanding",
        ),
        ({"P1.1": "Outstanding", "P1.2": "Good", "P1.3": "Good"}, 17, "Good"),
    ]:
        bulk = pa.rate_many(SAME_LABELS, *ALL_YES, given)
        assert (int(bulk.points[0]), bulk.overall_rating(0)) == (points, rating)


def test_a_label_only_on_the_rating_scale_is_refused_for_a_judged_standard() -> None:
    with pytest.raises(pa.AuditErrors, match="invalid rating 'Good'"):
        pa.rate_many(OWN_LABELS, *ALL_YES, {"P1.1": "Good"})


@pytest.mark.parametrize(
    ("yes", "relevant", "lowest"),
    [
        ([1, 2, 3], [3, 6, 9], [True, True, True]),  # 1/3 three ways: a three-way tie
        ([2, 1, 3], [3, 3, 3], [False, True, False]),
        ([0, 0, 3], [3, 0, 3], [False, False, False]),  # a question with no relevant case
        # equal as floats, not as fractions; products beyond 64 bits
        ([2**48 // 3, 2**48 // 3 + 1, 5], [2**48, 2**48 + 3, 10], [True, False, False]),
    ],
)
def test_lowest_questions_compares_exact_fractions(
    yes: list[int], relevant: list[int], lowest: list[bool]
) -> None:
    y = np.array([[*yes, *([1] * 9)]], dtype=np.int64)
    r = np.array([[*relevant, *([1] * 9)]], dtype=np.int64)
    assert lowest_questions(BASE, y, r)["P2.1"][0].tolist() == lowest


def test_lowest_questions_under_half_up_ties_whole_percentages() -> None:
    half_up = testing.with_judged_scale(BASE, [("Weak", 0), ("Strong", 3)])
    mapping = half_up.to_mapping()
    mapping["rounding"]["method"] = "half-up"
    rubric = pa.Rubric.from_mapping(mapping)
    # 66.5% and 66.6...% both print as 67: a tie under half-up, not under the exact rule.
    y = np.array([[133, 2, 1, *([1] * 9)]], dtype=np.int64)
    r = np.array([[200, 3, 1, *([1] * 9)]], dtype=np.int64)
    assert lowest_questions(rubric, y, r)["P2.1"][0].tolist() == [True, True, False]
    assert lowest_questions(BASE, y, r)["P2.1"][0].tolist() == [True, False, False]


def test_samples_rated_in_blocks_are_rated_as_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocks of 7 samples (the last one short) give what one block of all 1,000 gives, and
    # each sample what score_tally gives.
    from probation_audit import _bulk

    rubric = pa.load_rubric("hmip-probation-2023")
    rng = np.random.default_rng(5)
    relevant = rng.integers(0, 12, (1_000, 12))
    yes = np.minimum((rng.random((1_000, 12)) * (relevant + 1)).astype(np.int64), relevant)
    judged = {"P1.1": "Good", "P1.2": "Inadequate", "P1.3": "Outstanding"}
    whole = pa.rate_many(rubric, yes, relevant, judged)
    monkeypatch.setattr(_bulk, "_BLOCK_SAMPLES", 7)
    blocked = pa.rate_many(rubric, yes, relevant, judged)
    assert (blocked.standards == whole.standards).all()
    assert (blocked.points == whole.points).all()
    assert (blocked.overall == whole.overall).all()
    for i in (0, 6, 7, 999):
        tally = {
            q: (int(yes[i, j]), int(relevant[i, j])) for j, q in enumerate(rubric.question_ids)
        }
        exact = pa.score_tally(rubric, tally, judged)
        assert [blocked.rating(i, s.id) for s in exact.standards] == [
            s.rating for s in exact.standards
        ]
