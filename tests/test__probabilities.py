"""Rating probabilities: the recommended method against exact formulas, the words scale on
its edges and the caseload correction (the simulations that plan audits and measure
calibration: test__simulation.py)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import probation_audit as pa
from probation_audit._probabilities import (
    CERTAINTY_WORDS,
    POOLED_PRIOR_BOUNDS,
    ProbabilityMethod,
    beta_cdf,
    certainty,
    pooled_prior_cases,
    rating_probabilities,
)

RUBRIC = pa.load_rubric("hmip-probation-2023")
P21 = ["P2.1.1", "P2.1.2", "P2.1.3"]


def _sample(answers: dict[str, list[str]]) -> pa.Sample:
    """Cases answering the questions of ``answers`` (question -> one answer per case); every
    other key question is Yes for every case."""
    n = len(next(iter(answers.values())))
    rows = [
        {"case_id": f"C{i:03}", "question_id": q.id, "judgment": answers.get(q.id, ["yes"] * n)[i]}
        for i in range(n)
        for s in RUBRIC.standards
        for q in s.questions
    ]
    return pa.from_records(rows, RUBRIC)


# -- words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probability", "words", "odds"),
    [
        (1.0, "almost certain", "at least 99 in 100"),
        (0.99, "almost certain", "at least 99 in 100"),
        (0.9899, "almost certain", "about 98 in 100"),
        (0.95, "almost certain", "about 95 in 100"),
        (0.9499, "very likely", "about 9 in 10"),
        (0.80, "very likely", "about 8 in 10"),
        (0.7999, "likely", "about 8 in 10"),
        (0.55, "likely", "about 6 in 10"),
        (0.5499, "a realistic possibility", "about 5 in 10"),
        (0.40, "a realistic possibility", "about 4 in 10"),
        (0.3999, "uncertain", "about 4 in 10"),
        (0.25, "uncertain", "about 2 in 10"),
    ],
)
def test_words_on_every_edge(probability: float, words: str, odds: str) -> None:
    rest = (1 - probability) / 3  # three other ratings share the rest, each below
    c = certainty({"Good": probability, "Inadequate": rest, "Outstanding": rest, "RI": rest})
    assert (c.rating, c.words, c.odds) == ("Good", words, odds)
    assert c.text == f"Good — {words} ({odds})"


def test_words_scale_is_ordered_and_covers_zero() -> None:
    lows = [low for low, _ in CERTAINTY_WORDS]
    assert lows == sorted(lows, reverse=True) and lows[-1] == 0


def test_words_of_an_empty_distribution() -> None:
    with pytest.raises(ValueError, match="empty distribution"):
        certainty({})


# -- the Bayesian bootstrap against exact formulas ----------------------------------------


@pytest.mark.parametrize(
    ("method", "concentration"),
    [("bayesian-bootstrap", (20 - 2) / 20), ("bayesian-bootstrap-unwidened", 1.0)],
)
def test_one_question_matches_the_beta_posterior(
    method: ProbabilityMethod, concentration: float
) -> None:
    # With no pseudo-cases and Dirichlet(a) weights, the weight of k Yes cases out of n is
    # Beta(a k, a (n - k)): a = (n - 2) / n for the recommended (widened) weights, 1 for
    # Rubin's. P2.1 is Outstanding exactly when P2.1.1's weighted share reaches 80%.
    answers = ["yes"] * 17 + ["no"] * 3
    rp = rating_probabilities(
        RUBRIC,
        _sample({"P2.1.1": answers}),
        method=method,
        prior_cases=0,
        resamples=200_000,
        seed=3,
    )
    expected = 1 - beta_cdf(0.8, 17 * concentration, 3 * concentration)
    got = rp.of("P2.1")["Outstanding"]
    assert abs(got - expected) < 4 * math.sqrt(expected * (1 - expected) / 200_000)


def test_one_unseen_case_is_a_copy_of_a_sample_case() -> None:
    # Caseload of n + 1 with no pseudo-cases: the unseen case copies a sample case chosen
    # uniformly (Polya urn), so 7 Yes of 9 becomes 8 of 10 (Outstanding) with probability 7/9
    # and 7 of 10 (Good) otherwise.
    answers = ["yes"] * 7 + ["no"] * 2
    rp = rating_probabilities(
        RUBRIC,
        _sample({"P2.1.1": answers}),
        population=10,
        prior_cases=0,
        resamples=100_000,
        seed=1,
    )
    p = rp.of("P2.1")
    assert abs(p["Outstanding"] - 7 / 9) < 4 * math.sqrt(7 / 9 * 2 / 9 / 100_000)
    assert p["Outstanding"] + p["Good"] == pytest.approx(1.0)


def test_a_census_is_certain() -> None:
    answers = ["yes"] * 13 + ["no"] * 7  # 65%: Good, on the edge
    sample = _sample({"P2.1.2": answers})
    rp = rating_probabilities(RUBRIC, sample, population=20)
    assert rp.of("P2.1") == {
        "Inadequate": 0.0,
        "Requires improvement": 0.0,
        "Good": 1.0,
        "Outstanding": 0.0,
    }
    assert rp.headline("P2.1").text == "Good — almost certain (at least 99 in 100)"


def test_twenty_out_of_twenty_is_not_certainty() -> None:
    # P2.1 perfect in 20 cases; the unit's other key questions at 70%.
    mixed = ["yes"] * 14 + ["no"] * 6
    others = {q.id: mixed for s in RUBRIC.standards if s.id != "P2.1" for q in s.questions}
    sample = _sample({"P2.1.1": ["yes"] * 20, **others})
    recommended = rating_probabilities(RUBRIC, sample).headline("P2.1")
    # The pooled prior draws P2.1 towards the unit's 70% as far as the spread of its
    # questions supports (21 pseudo-cases here): Outstanding, but only likely.
    assert recommended.rating == "Outstanding" and 0.55 < recommended.probability < 0.8
    fixed = rating_probabilities(RUBRIC, sample, prior_cases=4).headline("P2.1")
    assert fixed.rating == "Outstanding" and 0.8 < fixed.probability < 0.99
    # Every answer of the audit Yes: strong evidence, still not certainty.
    perfect = rating_probabilities(RUBRIC, _sample({"P2.1.1": ["yes"] * 20})).of("P2.1")
    assert 0.95 < perfect["Outstanding"] < 0.99
    # The plain bootstrap, kept as an alternative, is the method that claimed certainty.
    plain = rating_probabilities(RUBRIC, sample, method="bootstrap")
    assert plain.of("P2.1")["Outstanding"] == 1


def _codes(columns: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Per-case yes and relevant codes (cases x questions) from columns of 1 yes, 0 no,
    -1 not relevant."""
    codes = np.array(columns, dtype=np.int64).T
    return (codes == 1).astype(np.float64), (codes != -1).astype(np.float64)


def test_pooled_prior_by_moments() -> None:
    # Shares 8.5/11 and 4.5/11 of 10 cases each: their variance 0.0661 less their mean
    # sampling variance 0.0209 is 0.0452; at level 0.6, 0.24 / 0.0452 - 1 = 4.30: 4.
    yes, relevant = _codes([[1] * 8 + [0] * 2, [1] * 4 + [0] * 6])
    shares = np.array([8.5 / 11, 4.5 / 11])
    spread = shares.var(ddof=1) - (shares * (1 - shares) / 10).mean()
    assert math.floor(0.24 / spread - 1) == 4
    assert pooled_prior_cases(yes, relevant, 0.6) == 4


@pytest.mark.parametrize(
    ("columns", "level", "expected"),
    [
        ([[1] * 10, [0] * 10], 0.5, POOLED_PRIOR_BOUNDS[0]),  # far apart: the fewest
        ([[1, 0] * 5, [0, 1] * 5], 0.5, POOLED_PRIOR_BOUNDS[1]),  # the same share: the most
        ([[1] * 10, [-1] * 10], 0.5, POOLED_PRIOR_BOUNDS[0]),  # one question answered
        ([[1] * 5 + [0] * 5], 0.5, POOLED_PRIOR_BOUNDS[0]),  # one question
    ],
)
def test_pooled_prior_bounds(columns: list[list[int]], level: float, expected: int) -> None:
    assert pooled_prior_cases(*_codes(columns), level) == expected


def test_pooled_prior_is_the_same_in_any_order_of_the_questions() -> None:
    # Found by the property test at its full count: summed in the columns' order, these
    # questions gave 9 pseudo-cases in one order and 8 in another (a floor at a rounding edge).
    codes = np.array(
        [
            [0, 1, 1, 0, 1, 0, -1],
            [-1, 1, 0, 0, 1, -1, 0],
            [-1, 1, -1, 0, -1, 0, -1],
            [-1, -1, 1, 0, 0, 0, 0],
        ]
    )
    found = {
        pooled_prior_cases(
            (codes[:, order] == 1).astype(np.float64),
            (codes[:, order] != -1).astype(np.float64),
            1 / 3,
        )
        for order in map(list, itertools.permutations(range(7)))
    }
    assert found == {8}


def test_pooled_prior_refuses_codes_of_two_shapes() -> None:
    yes, relevant = _codes([[1, 0], [0, 1]])
    with pytest.raises(ValueError, match=r"one shape, got \(2, 2\) and \(2, 1\)"):
        pooled_prior_cases(yes, relevant[:, :1], 0.5)
    with pytest.raises(ValueError, match="one shape"):
        pooled_prior_cases(yes[0], relevant[0], 0.5)


@pytest.mark.parametrize(("level", "expected"), [(0.5, 4), (0.3, 3), (0.9, 2)])
def test_pooled_prior_follows_the_level(level: float, expected: int) -> None:
    # The same spread (0.0452): level x (1 - level) / spread - 1 is 4.53, 3.64 and 0.99 (held
    # at the fewest, 2).
    yes, relevant = _codes([[1] * 8 + [0] * 2, [1] * 4 + [0] * 6])
    assert pooled_prior_cases(yes, relevant, level) == expected


def test_a_smaller_caseload_is_surer() -> None:
    # A fixed prior, so that only the caseload differs (the pooled prior, drawn to the other
    # questions' 100% here, makes the 5 unseen cases of the small caseload mostly 'yes').
    sample = _sample({"P2.1.1": ["yes"] * 15 + ["no"] * 5})  # 75%: Good

    def sure(population: int | None) -> float:
        found = rating_probabilities(RUBRIC, sample, population=population, prior_cases=4)
        return found.headline("P2.1").probability

    unlimited, small, huge = sure(None), sure(25), sure(1_000_000)
    assert small > unlimited
    assert abs(huge - unlimited) < 0.02


def test_reproducible_from_the_seed() -> None:
    sample = _sample({"P2.1.1": ["yes"] * 12 + ["no"] * 12})
    a = rating_probabilities(RUBRIC, sample, seed=5)
    assert a == rating_probabilities(RUBRIC, sample, seed=5)
    assert a != rating_probabilities(RUBRIC, sample, seed=6)


def test_overall_only_with_judged_ratings() -> None:
    sample = _sample({"P2.1.1": ["yes"] * 20})
    assert "overall" not in dict(rating_probabilities(RUBRIC, sample).ratings)
    judged = {"P1.1": "Good", "P1.2": "Good", "P1.3": "Good"}
    rp = rating_probabilities(RUBRIC, sample, judged, resamples=2_000)
    assert sum(rp.of("overall").values()) == pytest.approx(1.0)


def test_a_question_no_case_found_relevant_stays_undetermined() -> None:
    sample = _sample({"P2.1.1": ["n/a"] * 10})
    p = rating_probabilities(RUBRIC, sample, resamples=500).of("P2.1")
    assert p["undetermined"] == 1.0


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"population": 9}, ValueError, "population must be from 10"),
        ({"population": 10.5}, TypeError, "population must be a whole number"),
        ({"population": True}, TypeError, "population must be a whole number"),
        ({"method": "magic"}, ValueError, "method must be one of bayesian-bootstrap"),
        ({"method": "bootstrap", "population": 50}, ValueError, "does not take a caseload"),
        ({"resamples": 0}, ValueError, "resamples must be from 1"),
        ({"prior_cases": -1}, ValueError, "prior_cases must be from 0"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], error: type, message: str) -> None:
    sample = _sample({"P2.1.1": ["yes"] * 10})
    with pytest.raises(error, match=message):
        rating_probabilities(RUBRIC, sample, **kwargs)  # type: ignore[arg-type]


def test_rubric_without_lowest_rule_is_refused() -> None:
    omi = pa.load_rubric("hmip-omi-2007")
    with pytest.raises(ValueError, match="'lowest' aggregation"):
        rating_probabilities(omi, [])


# -- what a statistician's review found -----------------------------------------------------


def test_a_standard_the_audit_cannot_rate_gets_no_likelihood() -> None:
    """A key question no audited case found relevant: the standard is undetermined in every
    resample, and its headline says so instead of "almost certain"."""
    head = certainty({"Inadequate": 0.0, "undetermined": 1.0})
    assert (head.rating, head.words) == ("undetermined", "cannot be said")
    assert head.odds == "no audited case was relevant to one of its key questions"
    sample = _sample({"P2.1.3": ["n/a"] * 12})
    found = rating_probabilities(RUBRIC, sample, population=400, resamples=500)
    assert found.headline("P2.1").text == (
        "undetermined — cannot be said (no audited case was relevant to one of its key questions)"
    )


def test_a_mostly_undetermined_resampling_says_too_few_relevant_cases() -> None:
    """The plain bootstrap can leave a standard undetermined in most resamples although every
    key question has a relevant case: the reason must not say none was relevant."""
    head = certainty({"Outstanding": 0.3, "undetermined": 0.7})
    assert (head.words, head.odds) == (
        "cannot be said",
        "too few relevant cases: most resamples held no relevant case for one of its key questions",
    )
    # each key question relevant to one case, a different one each: a resample misses at
    # least one of the three about 3 times in 4
    answers = {q: ["n/a"] * k + ["yes"] + ["n/a"] * (29 - k) for k, q in enumerate(P21)}
    found = rating_probabilities(
        RUBRIC, _sample(answers), method="bootstrap", resamples=2_000, seed=1
    )
    assert found.headline("P2.1").odds.startswith("too few relevant cases")


@pytest.mark.parametrize("method", ["bayesian-bootstrap", "exact-independent", "bootstrap"])
def test_judged_standards_on_a_scale_of_their_own(method: ProbabilityMethod) -> None:
    """Regression: the probabilities took judged standards' labels and points from the bands'
    scale. 'Good' is worth 1 on this judged scale (2 on the rating scale): with every case-based
    standard surely 'Outstanding', the overall rating is 'Good' on 3 + 12 = 15 points (the
    rating scale's points would have made 18, 'Outstanding')."""
    from probation_audit import testing

    rubric = testing.with_judged_scale(
        RUBRIC, [("Requires improvement", 0), ("Good", 1), ("Outstanding", 3)]
    )
    rows = [
        {"case_id": f"C{i:03}", "question_id": q, "judgment": "yes"}
        for i in range(60)
        for q in rubric.question_ids
    ]
    sample = pa.from_records(rows, rubric)
    ratings = {"P1.1": "Good", "P1.2": "Good", "P1.3": "Good"}
    assert pa.score(rubric, sample, ratings).overall.rating == "Good"  # type: ignore[union-attr]
    found = rating_probabilities(rubric, sample, ratings, method=method, resamples=500)
    overall = found.of("overall")
    assert set(overall) <= {"Inadequate", "Requires improvement", "Good", "Outstanding"}
    assert overall["Good"] > 0.95
    assert overall.get("Outstanding", 0.0) == 0.0


def test_the_relevance_prior_lets_few_relevant_cases_speak() -> None:
    """12 cases; the driving question relevant to 3, all "no"; its other two 10 of 12 "yes"
    (every other key question "yes").
    Four pseudo-cases relevant to every question (the fixed prior) pull the driving question
    towards the unit's level; pseudo-cases as often relevant as the audited cases (a quarter
    here) pull less, and so does the pooled prior of the recommended method: the questions'
    shares lie far apart, so it takes the fewest pseudo-cases (2)."""
    answers = {
        "P2.1.1": ["no"] * 3 + ["n/a"] * 9,
        "P2.1.2": ["yes"] * 10 + ["no"] * 2,
        "P2.1.3": ["yes"] * 10 + ["no"] * 2,
    }
    methods: tuple[ProbabilityMethod, ...] = (
        "bayesian-bootstrap",
        "bayesian-bootstrap-fixed-prior",
        "bayesian-bootstrap-relevance-prior",
    )
    pooled, flat, relevance = (
        rating_probabilities(RUBRIC, _sample(answers), method=m, resamples=20_000, seed=1)
        for m in methods
    )
    assert flat.of("P2.1")["Inadequate"] == pytest.approx(0.48, abs=0.02)
    assert relevance.of("P2.1")["Inadequate"] == pytest.approx(0.88, abs=0.02)
    assert pooled.of("P2.1")["Inadequate"] == pytest.approx(0.67, abs=0.02)
    assert pooled.method == (
        "Bayesian bootstrap of whole cases with 2 prior pseudo-cases"
        " (pooled: as many as the spread of the key questions supports),"
        " the cases' weights widened for a small audit"
    )
    assert [r.key for r in (pooled, flat, relevance)] == list(methods)


def test_the_widened_weights_make_a_small_audit_less_sure_than_dirichlet_one() -> None:
    """The recommended method's cases' weights are Dirichlet((n - 2) / n): a share varies as an
    audit's of n cases does, so a 10-case headline is less sure than under the Dirichlet(1)
    weights of the unwidened alternative, whose draws are otherwise the same."""
    sample = _sample({"P2.1.3": ["yes"] * 7 + ["no"] * 3})  # 70%: Good
    widened = rating_probabilities(RUBRIC, sample, resamples=20_000, prior_cases=0)
    plain = rating_probabilities(
        RUBRIC, sample, method="bayesian-bootstrap-unwidened", resamples=20_000, prior_cases=0
    )
    assert plain.headline("P2.1").rating == widened.headline("P2.1").rating == "Good"
    assert widened.headline("P2.1").probability < plain.headline("P2.1").probability - 0.02
    assert "widened for a small audit" in widened.method
    assert "widened" not in plain.method
    assert plain.key == "bayesian-bootstrap-unwidened"
