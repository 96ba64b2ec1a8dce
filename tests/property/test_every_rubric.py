"""The properties every bundled rubric must have, from one parametrised suite: bands exactly on
each edge and one case either side, more 'yes' never lowers a rating, row order and not-relevant
cases change nothing, the bulk path equals the exact path, and the model round-trips."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import probation_audit as pa
from probation_audit import testing

from ..conftest import examples
from .strategies import case_matrices, judged_ratings, records, tallies

RUBRICS = {name: pa.load_rubric(name) for name in pa.available_rubrics()}
NAMES = sorted(RUBRICS)


def _lowest(rubric: pa.Rubric) -> bool:
    return all(
        rubric.aggregation(s.aggregation).method == "lowest"
        for s in rubric.standards
        if s.aggregation is not None
    )


# Rubrics rated from the lowest key question with an overall rule: the band-edge and bulk-path
# properties apply to them (the weighted 2007 rubric has its own edge tests in test_omi.py).
LOWEST = [name for name in NAMES if _lowest(RUBRICS[name]) and RUBRICS[name].overall is not None]


def _rank(rubric: pa.Rubric, label: str | None) -> int:
    return -1 if label is None else rubric.rating_scale.labels.index(label)


def test_every_bundled_rubric_is_in_the_suite() -> None:
    assert {"hmip-probation-2023", "hmip-omi-2007", "hmip-youth-2018"} <= set(NAMES)
    assert {"hmip-probation-2023", "hmip-youth-2018"} <= set(LOWEST)


@pytest.mark.parametrize("name", LOWEST)
@settings(max_examples=examples(60))
@given(data=st.data())
def test_exactly_on_each_edge_and_one_case_either_side(name: str, data: st.DataObject) -> None:
    rubric = RUBRICS[name]
    case = data.draw(testing.boundary_samples(rubric, max_relevant=120))
    standard = next(s for s in rubric.standards if case.question in {q.id for q in s.questions})
    result = pa.score(rubric, case.sample)
    assert result.standard(standard.id).rating == case.expected


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=examples(60))
@given(data=st.data())
def test_one_more_yes_never_lowers_a_rating(name: str, data: st.DataObject) -> None:
    rubric = RUBRICS[name]
    tally = data.draw(tallies(rubric, 60))
    judged = data.draw(judged_ratings(rubric))
    open_questions = [q for q, (y, r) in tally.items() if y < r]
    assume(open_questions)
    qid = data.draw(st.sampled_from(open_questions))
    before = pa.score_tally(rubric, tally, judged)
    yes, relevant = tally[qid]
    after = pa.score_tally(rubric, {**tally, qid: (yes + 1, relevant)}, judged)
    for b, a in zip(before.standards, after.standards, strict=True):
        if b.basis != "judged":
            assert _rank(rubric, a.rating) >= _rank(rubric, b.rating), (b.id, b.rating, a.rating)
    if before.overall is not None and after.overall is not None:
        assert (after.overall.points or 0) >= (before.overall.points or 0)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=examples(30))
@given(data=st.data(), rng=st.randoms(use_true_random=False), extra=st.integers(0, 3))
def test_row_order_and_not_relevant_cases_change_nothing(
    name: str, data: st.DataObject, rng: random.Random, extra: int
) -> None:
    rubric = RUBRICS[name]
    matrix = data.draw(case_matrices(rubric, max_cases=12))
    base = pa.score(rubric, records(rubric, matrix))
    shuffled = records(rubric, matrix)
    rng.shuffle(shuffled)
    assert pa.score(rubric, shuffled).standards == base.standards
    padding = [["not relevant"] * len(rubric.question_ids)] * extra
    padded = pa.score(rubric, records(rubric, matrix) + records(rubric, padding, prefix="NR"))
    assert padded.standards == base.standards
    assert padded.overall == base.overall


@pytest.mark.parametrize("name", LOWEST)
@settings(max_examples=examples(60))
@given(data=st.data(), samples=st.integers(1, 6))
def test_bulk_path_equals_exact_path(name: str, data: st.DataObject, samples: int) -> None:
    rubric = RUBRICS[name]
    variant = data.draw(st.sampled_from([rubric, data.draw(testing.rubrics(rubric, ratings=True))]))
    judged = data.draw(st.one_of(st.just({}), judged_ratings(variant)))
    draws = [data.draw(tallies(variant, 60)) for _ in range(samples)]
    yes = np.array([[t[q][0] for q in variant.question_ids] for t in draws])
    relevant = np.array([[t[q][1] for q in variant.question_ids] for t in draws])
    bulk = pa.rate_many(variant, yes, relevant, judged)
    for i, tally in enumerate(draws):
        exact = pa.score_tally(variant, tally, judged)
        for s in exact.standards:
            assert bulk.rating(i, s.id) == s.rating
        assert exact.overall is not None
        assert bulk.overall_rating(i) == exact.overall.rating


@pytest.mark.parametrize("name", NAMES)
def test_model_round_trip(name: str) -> None:
    rubric = RUBRICS[name]
    assert pa.Rubric.from_mapping(rubric.to_mapping()) == rubric


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=examples(20))
@given(data=st.data())
def test_results_round_trip(name: str, data: st.DataObject) -> None:
    rubric = RUBRICS[name]
    result = pa.score_tally(
        rubric, data.draw(tallies(rubric, 60)), data.draw(judged_ratings(rubric))
    )
    assert pa.Result.from_dict(json.loads(json.dumps(result.to_dict()))) == result
