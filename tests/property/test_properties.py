"""Property tests: bands, boundaries, monotonicity, invariances, round trips, and an
independent re-implementation of the 2023 rules."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import probation_audit as pa
from probation_audit.rubric import round_half_up

from ..conftest import examples, overall, rule
from .strategies import (
    band_variants,
    case_matrices,
    counts,
    judged_ratings,
    records,
    reference_band,
    tallies,
)

RUBRIC = pa.load_rubric("hmip-probation-2023")
LABELS = RUBRIC.rating_scale.labels
POINTS = {label: RUBRIC.rating_scale.points(label) for label in LABELS}


def reference_score(
    tally: dict[str, tuple[int, int]], judged: dict[str, str]
) -> dict[str, str | None]:
    """The 2023 rules as docs/methodology.md states them, in integer arithmetic."""

    def band(yes: int, relevant: int) -> str:
        if 100 * yes >= 80 * relevant:
            return "Outstanding"
        if 100 * yes >= 65 * relevant:
            return "Good"
        if 100 * yes >= 50 * relevant:
            return "Requires improvement"
        return "Inadequate"

    out: dict[str, str | None] = dict(judged)
    for sid in ("P2.1", "P2.2", "P2.3", "P2.4"):
        qs = [tally[f"{sid}.{i}"] for i in (1, 2, 3)]
        if any(r == 0 for _, r in qs):
            out[sid] = None
            continue
        lowest = min(qs, key=lambda c: Fraction(c[0], c[1]))
        out[sid] = band(*lowest)
    if any(out.get(s) is None for s in ("P1.1", "P1.2", "P1.3", "P2.1", "P2.2", "P2.3", "P2.4")):
        out["overall"] = None
    else:
        total = sum(
            POINTS[str(out[s])] for s in ("P1.1", "P1.2", "P1.3", "P2.1", "P2.2", "P2.3", "P2.4")
        )
        out["overall"] = (
            "Inadequate"
            if total <= 3
            else "Requires improvement"
            if total <= 10
            else "Good"
            if total <= 17
            else "Outstanding"
        )
    return out


def ratings_of(result: pa.Result) -> dict[str, str | None]:
    return {**{s.id: s.rating for s in result.standards}, "overall": overall(result).rating}


@given(counts(1000))
def test_every_proportion_in_exactly_one_band(c: tuple[int, int]) -> None:
    yes, relevant = c
    p = Fraction(100 * yes, relevant)
    bands = RUBRIC.bands.bands
    holding = [
        b
        for i, b in enumerate(bands)
        if b.lower <= p < b.upper or (i == len(bands) - 1 and p == b.upper)
    ]
    assert len(holding) == 1
    assert RUBRIC.bands.band(p) == holding[0]


@pytest.mark.parametrize("threshold", [50, 65, 80])
def test_exactly_on_each_boundary_and_one_case_either_side(threshold: int) -> None:
    # Every audit size from 1 to 200 relevant cases, each its own check (one test per edge:
    # 600 tests took longer to run than to check).
    for relevant in range(1, 201):
        _check_on_the_boundary(threshold, relevant)


def _check_on_the_boundary(threshold: int, relevant: int) -> None:
    index = [50, 65, 80].index(threshold)
    # Fewest 'yes' cases reaching the threshold: ceil(threshold * relevant / 100).
    k = -((-threshold * relevant) // 100)
    where = f"threshold {threshold}, {relevant} relevant cases"
    tally = {qid: (relevant, relevant) for qid in RUBRIC.question_ids}
    on = pa.score_tally(RUBRIC, {**tally, "P2.1.3": (k, relevant)}).standard("P2.1")
    assert on.rating == reference_score({**tally, "P2.1.3": (k, relevant)}, {})["P2.1"], where
    assert LABELS.index(str(on.rating)) >= index + 1, where
    if threshold * relevant % 100 == 0:
        assert on.value == threshold, where  # exactly on the boundary
        assert on.rating == LABELS[index + 1], where
    if k > 0:
        under = pa.score_tally(RUBRIC, {**tally, "P2.1.3": (k - 1, relevant)}).standard("P2.1")
        assert LABELS.index(str(under.rating)) <= index, where
        expected = reference_score({**tally, "P2.1.3": (k - 1, relevant)}, {})["P2.1"]
        assert under.rating == expected, where
        # The margins agree with the construction: one case either way.
        assert on.drop is not None and on.drop.cases == 1, where
        assert under.lift is not None and under.lift.cases == 1, where
        assert under.lift.rating == on.rating, where
    if k < relevant:
        over = pa.score_tally(RUBRIC, {**tally, "P2.1.3": (k + 1, relevant)}).standard("P2.1")
        assert LABELS.index(str(over.rating)) >= LABELS.index(str(on.rating)), where


#: A key question's (relevant cases, band edge, cases off the edge): drawn as one strategy,
#: made once (a strategy made afresh for every draw takes most of a test's time).
_ON_AN_EDGE = st.tuples(
    st.sampled_from([20, 40, 60, 70, 100, 140, 200]),
    st.sampled_from([50, 65, 80]),
    st.sampled_from([-1, 0, 1]),
)


@settings(max_examples=examples(200))
@given(
    st.lists(_ON_AN_EDGE, min_size=len(RUBRIC.question_ids), max_size=len(RUBRIC.question_ids)),
    judged_ratings(RUBRIC),
)
def test_matches_independent_implementation_on_boundaries(
    edges: list[tuple[int, int, int]], judged: dict[str, str]
) -> None:
    # Every key question exactly on a band edge, or one case either side of it.
    tally = {}
    for qid, (relevant, t, shift) in zip(RUBRIC.question_ids, edges, strict=True):
        k = -((-t * relevant) // 100) + shift
        tally[qid] = (min(max(k, 0), relevant), relevant)
    assert ratings_of(pa.score_tally(RUBRIC, tally, judged)) == reference_score(tally, judged)


@given(band_variants(RUBRIC), tallies(RUBRIC, 200))  # a variant has the rubric's questions
def test_band_variants_match_reference(
    rubric: pa.Rubric, tally: dict[str, tuple[int, int]]
) -> None:
    result = pa.score_tally(rubric, tally)
    for standard in rubric.standards:
        if standard.judged:
            continue
        expected = min(
            (reference_band(rubric, *tally[q.id]) for q in standard.questions), key=LABELS.index
        )
        assert result.standard(standard.id).rating == expected


@settings(max_examples=examples(200))
@given(tallies(RUBRIC, 100), judged_ratings(RUBRIC), st.data())
def test_one_more_yes_never_lowers_a_rating(
    tally: dict[str, tuple[int, int]], judged: dict[str, str], data: st.DataObject
) -> None:
    qid = data.draw(st.sampled_from([q for q, (y, r) in tally.items() if y < r] or ["none"]))
    assume(qid != "none")
    before = pa.score_tally(RUBRIC, tally, judged)
    yes, relevant = tally[qid]
    after = pa.score_tally(RUBRIC, {**tally, qid: (yes + 1, relevant)}, judged)
    for b, a in zip(before.standards, after.standards, strict=True):
        assert LABELS.index(str(a.rating)) >= LABELS.index(str(b.rating))
    assert (overall(after).points or 0) >= (overall(before).points or 0)
    assert LABELS.index(str(overall(after).rating)) >= LABELS.index(str(overall(before).rating))


@settings(max_examples=examples(200))
@given(tallies(RUBRIC, 100))
def test_rating_is_band_of_lowest_question(tally: dict[str, tuple[int, int]]) -> None:
    result = pa.score_tally(RUBRIC, tally)
    for s in result.standards[3:]:
        percents = {q.id: q.percent for q in s.questions}
        lowest = min(p for p in percents.values() if p is not None)
        assert s.rating == RUBRIC.bands.rating(lowest)
        assert s.driven_by == tuple(q for q, p in percents.items() if p == lowest)
        assert s.exact_rating == s.rating
        assert s.rounded_rating == RUBRIC.bands.rating(Fraction(round_half_up(lowest)))


@settings(max_examples=examples(200))
@given(tallies(RUBRIC, 60))
def test_margins_are_sufficient_and_minimal(tally: dict[str, tuple[int, int]]) -> None:
    result = pa.score_tally(RUBRIC, tally)
    for s in result.standards[3:]:
        rank = LABELS.index(str(s.rating))
        if s.lift is not None:
            lifted = dict(tally)
            for qid, n in s.lift.questions:
                lifted[qid] = (tally[qid][0] + n, tally[qid][1])
            after = pa.score_tally(RUBRIC, lifted).standard(s.id)
            assert after.rating == s.lift.rating and LABELS.index(s.lift.rating) > rank
            for qid, _ in s.lift.questions:  # one fewer on any question is not enough
                short = {**lifted, qid: (lifted[qid][0] - 1, lifted[qid][1])}
                assert (
                    LABELS.index(str(pa.score_tally(RUBRIC, short).standard(s.id).rating)) <= rank
                )
        if s.drop is not None:
            reached = []
            for qid, n in s.drop.questions:
                assert n == s.drop.cases
                dropped = pa.score_tally(RUBRIC, {**tally, qid: (tally[qid][0] - n, tally[qid][1])})
                reached.append(LABELS.index(str(dropped.standard(s.id).rating)))
            assert max(reached) == LABELS.index(s.drop.rating) < rank
            for q in s.questions:  # one case fewer than the margin on any question keeps the rating
                if s.drop.cases > 1:
                    held = {**tally, q.id: (q.yes - (s.drop.cases - 1), q.relevant)}
                    assert pa.score_tally(RUBRIC, held).standard(s.id).rating == s.rating


@settings(max_examples=examples(100))
@given(case_matrices(RUBRIC), st.randoms(use_true_random=False), st.integers(0, 5))
def test_permutation_and_not_relevant_cases_change_nothing(
    matrix: list[list[str]], rng: random.Random, extra: int
) -> None:
    base = pa.score(RUBRIC, records(RUBRIC, matrix), missing="error")
    shuffled = records(RUBRIC, matrix)
    rng.shuffle(shuffled)
    assert pa.score(RUBRIC, shuffled).standards == base.standards
    padding = [["not relevant"] * len(RUBRIC.question_ids)] * extra
    padded = pa.score(RUBRIC, records(RUBRIC, matrix) + records(RUBRIC, padding, prefix="NR"))
    assert padded.standards == base.standards
    assert padded.overall == base.overall


@settings(max_examples=100)
@given(case_matrices(RUBRIC))
def test_numpy_tally_matches_plain_count(matrix: list[list[str]]) -> None:
    sample = pa.from_records(records(RUBRIC, matrix), RUBRIC)
    plain = {
        qid: (
            sum(row[j] == "yes" for row in matrix),
            sum(row[j] != "not relevant" for row in matrix),
        )
        for j, qid in enumerate(RUBRIC.question_ids)
    }
    assert sample.tally() == plain
    codes = np.array([[{"yes": 1, "no": 0, "not relevant": -1}[v] for v in row] for row in matrix])
    assert (
        pa.from_array(codes, [f"C{i}" for i in range(len(matrix))], RUBRIC.question_ids, RUBRIC)
        == sample
    )


@given(st.lists(st.sampled_from(LABELS), min_size=7, max_size=7), st.integers(0, 6))
def test_overall_points_monotone(labels: list[str], which: int) -> None:
    ids = [s.id for s in RUBRIC.standards]
    rank = LABELS.index(labels[which])
    assume(rank < len(LABELS) - 1)
    better = list(labels)
    better[which] = LABELS[rank + 1]

    def overall(ls: list[str]) -> tuple[int, str]:
        points = sum(POINTS[label] for label in ls)
        return points, rule(RUBRIC).rating(points)

    (p0, r0), (p1, r1) = overall(labels), overall(better)
    assert p1 == p0 + 1
    assert LABELS.index(r1) >= LABELS.index(r0)
    assert len(ids) == 7


@given(st.data())
def test_rubric_mapping_round_trip(data: st.DataObject) -> None:
    rubric = data.draw(band_variants(RUBRIC))
    assert pa.Rubric.from_mapping(rubric.to_mapping()) == rubric


@settings(max_examples=100)
@given(tallies(RUBRIC, 100), judged_ratings(RUBRIC))
def test_json_round_trip(tally: dict[str, tuple[int, int]], judged: dict[str, str]) -> None:
    result = pa.score_tally(RUBRIC, tally, judged)
    assert pa.Result.from_dict(json.loads(json.dumps(result.to_dict()))) == result


@settings(max_examples=examples(150))
@given(st.data(), st.integers(1, 8))
def test_bulk_path_matches_exact_path(data: st.DataObject, samples: int) -> None:
    """On every valid rubric: other band edges, either rounding, and any band ratings that
    never fall as the percentage rises (a first band rated above the lowest label included)."""
    from probation_audit import testing

    rubric = data.draw(
        st.one_of(st.just(RUBRIC), band_variants(RUBRIC), testing.rubrics(RUBRIC, ratings=True))
    )
    judged = data.draw(st.one_of(st.just({}), judged_ratings(rubric)))
    draws = [data.draw(tallies(rubric, 80)) for _ in range(samples)]
    # Some questions with no relevant case, to exercise undetermined ratings.
    if data.draw(st.booleans()):
        draws[0] = {**draws[0], rubric.question_ids[0]: (0, 0)}
    yes = np.array([[t[q][0] for q in rubric.question_ids] for t in draws])
    relevant = np.array([[t[q][1] for q in rubric.question_ids] for t in draws])
    bulk = pa.rate_many(rubric, yes, relevant, judged)
    for i, tally in enumerate(draws):
        exact = pa.score_tally(rubric, tally, judged)
        for s in exact.standards:
            assert bulk.rating(i, s.id) == s.rating
        assert bulk.overall_rating(i) == overall(exact).rating
        assert int(bulk.points[i]) == (
            -1 if overall(exact).points is None else overall(exact).points
        )


CELL_VALUES = ["yes", "no", "not relevant", "Y", "N/A", "na", " yes", "", "maybe", "No "]


@settings(max_examples=examples(150), deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(CELL_VALUES), min_size=3, max_size=3), min_size=0, max_size=12
    ),
    st.lists(st.sampled_from(["C1", "C2", "C3", " C4", ""]), min_size=12, max_size=12),
    st.sampled_from(["error", "not-relevant"]),
    st.booleans(),
)
def test_vectorised_csv_path_matches_row_path(
    cells: list[list[str]], ids: list[str], missing: str, long: bool
) -> None:
    """The fast CSV path accepts only what the row-by-row path reads the same way."""
    from probation_audit import _csvfiles as judgments

    mini = pa.load_rubric(__import__("pathlib").Path(__file__).parent.parent / "data" / "mini.toml")
    qids = ["S1.1", "S1.2", "S2.1"]
    if long:
        # An attribute column, usually the same for a case's rows, sometimes not.
        teams = ["north", "south"]
        lines = ["case_id,question_id,judgment,team"] + [
            f"{ids[i]},{q},{v},{teams[(i + (k == 2 and i % 3 == 0)) % 2]}"
            for i, row in enumerate(cells)
            for k, (q, v) in enumerate(zip(qids, row, strict=True))
        ]
    else:
        lines = ["case_id,S1.1,S1.2,S2.1,sex"] + [
            f"{ids[i]},{','.join(row)},f" for i, row in enumerate(cells)
        ]
    text = "\n".join(lines) + "\n"

    def outcome() -> object:
        try:
            return judgments.parse_csv(text, mini, missing=missing)  # type: ignore[arg-type]
        except pa.AuditErrors as errors:
            return errors.lines()

    both = outcome()
    from probation_audit import _columns

    saved = _columns._accept
    _columns._accept = lambda *args, **kwargs: None  # the locating path alone
    try:
        rowwise = outcome()
    finally:
        _columns._accept = saved
    assert both == rowwise
