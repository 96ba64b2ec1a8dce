"""Rating probabilities: the recommended method against exact formulas, the words scale on
its edges, the caseload correction, and calibration on SYNTHETIC simulated units."""

from __future__ import annotations

import itertools
import math

import attrs
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
from probation_audit._simulation import (
    EDGE_KINDS,
    FAMILIES,
    Calibration,
    calibration,
    caseload,
    rating_accuracy,
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


# -- simulation ---------------------------------------------------------------------------


def test_caseload_model_keeps_each_share_and_links_answers() -> None:
    rng = np.random.default_rng(0)
    codes = caseload(rng, 200_000, [0.3, 0.7], correlation=0.6)
    shares = (codes == 1).mean(axis=0)
    assert np.allclose(shares, [0.3, 0.7], atol=0.005)
    linked = float(np.corrcoef(codes[:, 0], codes[:, 1])[0][1])
    other = caseload(rng, 200_000, [0.3, 0.7])
    independent = float(np.corrcoef(other[:, 0], other[:, 1])[0][1])
    assert linked > 0.3 and abs(independent) < 0.01


def test_rating_accuracy_of_a_census_is_one() -> None:
    p = {"P2.1.1": 0.7, "P2.1.2": 0.72, "P2.1.3": 0.75}
    accuracy = rating_accuracy(RUBRIC, 60, p, population=60, simulations=200)
    assert accuracy.standards == (("P2.1", "Good", 1.0),)
    assert accuracy.sentence("P2.1") == (
        "P2.1: an audit of 60 cases gives a unit of 60 cases its true rating (Good) "
        "in more than 99 audits out of 100"
    )


def test_rating_accuracy_grows_with_the_audit() -> None:
    p = {"P2.1.1": 0.55, "P2.1.2": 0.9, "P2.1.3": 0.9}
    small = rating_accuracy(RUBRIC, 10, p, simulations=4_000).standards[0]
    large = rating_accuracy(RUBRIC, 150, p, simulations=4_000).standards[0]
    assert small[1] == large[1] == "Requires improvement"
    assert small[2] < large[2]
    # An independent check of the single deciding question: P(50 <= 100 k / n < 65) for
    # k ~ Binomial(150, 0.55), with the other two questions almost surely above 65%.
    exact = sum(
        math.comb(150, k) * 0.55**k * 0.45 ** (150 - k)
        for k in range(150)
        if 50 <= 100 * k / 150 < 65
    )
    assert abs(large[2] - exact) < 0.03
    assert "gives a unit its true rating (Requires improvement)" in rating_accuracy(
        RUBRIC, 150, p, simulations=100
    ).sentence("P2.1")


def test_rating_accuracy_refuses_incomplete_figures() -> None:
    with pytest.raises(ValueError, match="every key question of at least one standard"):
        rating_accuracy(RUBRIC, 30, {"P2.1.1": 0.5})
    with pytest.raises(ValueError, match="not key questions"):
        rating_accuracy(RUBRIC, 30, {"P9": 0.5})


# -- calibration (a bounded run of benchmarks/bench_calibration.py) -----------------------
#
# The evidence for the method is the benchmark's full run (400 units per kind, every method,
# kept in benchmarks/results/calibration.txt and checked against the docs by test_docs). These
# runs are small (60 units, 240 headlines a kind): they catch a method that has broken, with
# allowances of two binomial standard errors for their size, and the last test below shows the
# same checks refuse an overconfident method at this size.

UNITS = 60


@pytest.fixture(scope="module")
def calibrated() -> dict[str, Calibration]:
    return {
        f.name: calibration(RUBRIC, f, units=UNITS, resamples=400, seed=11)["bayesian-bootstrap"]
        for f in FAMILIES[:9]
        if f.name not in EDGE_KINDS  # the edge kinds have a test of their own
    }


def _allowance(rate: float, count: int) -> float:
    """Two binomial standard errors: what a bounded run of ``count`` headlines may add by
    chance to a rate the full benchmark measures at its target."""
    return 2 * math.sqrt(rate * (1 - rate) / max(count, 1))


def _faults(c: Calibration) -> list[str]:
    """What the bounded checks find wrong with one kind's headlines."""
    found = []
    if c.overstatement > 0.05 + _allowance(0.1, c.count):
        found.append(f"{c.family}: overstates by {c.overstatement:.3f}")
    count, wrong = c.confident_wrong
    if wrong is not None and wrong > 0.01 + _allowance(0.01, count):
        found.append(f"{c.family}: {wrong:.1%} of {count} 'almost certain' headlines wrong")
    return found


def test_calibrated_over_the_whole_range(calibrated: dict[str, Calibration]) -> None:
    whole = calibrated["whole range"]
    assert whole.count == 4 * UNITS
    assert whole.expected_calibration_error <= 0.03 + _allowance(0.1, whole.count)


EDGE_FAMILY = "every question near a band edge"


@pytest.mark.parametrize("family", [f.name for f in FAMILIES[:9] if f.name not in EDGE_KINDS])
def test_headline_never_overstates_by_more_than_five_points(
    calibrated: dict[str, Calibration], family: str
) -> None:
    assert _faults(calibrated[family]) == []


def test_the_bounded_checks_refuse_an_overconfident_method(
    calibrated: dict[str, Calibration],
) -> None:
    # The same headlines, right as often, but each said with more confidence: a headline of
    # p said as p ** (1/3) (0.5 as 0.79, 0.9 as 0.97). A break of that size fails every kind
    # whose headlines leave room for it, and the whole range's calibration error.
    failing = []
    for c in calibrated.values():
        bolder = attrs.evolve(c, probability=c.probability ** (1 / 3))
        failing += _faults(bolder)
    assert len(failing) >= 6, failing
    whole = calibrated["whole range"]
    bolder = attrs.evolve(whole, probability=whole.probability ** (1 / 3))
    assert bolder.expected_calibration_error > 0.03 + _allowance(0.1, whole.count)


def test_every_question_near_an_edge_is_the_documented_limit() -> None:
    # No method that does not know the truth lies near an edge is calibrated on units that
    # all lie there (docs/statistics.md, "The calibration evidence"): the benchmark measures
    # +0.027 for the recommended method, +0.087 for the fixed prior. It is the least overstated.
    family = next(f for f in FAMILIES if f.name == EDGE_FAMILY)
    found = calibration(
        RUBRIC,
        family,
        units=UNITS,
        methods=("bayesian-bootstrap", "exact-independent"),
        resamples=800,
        seed=11,
    )
    ours, exact = found["bayesian-bootstrap"], found["exact-independent"]
    assert ours.overstatement < exact.overstatement
    assert ours.overstatement < 0.15


def test_the_pooled_prior_does_not_overstate_questions_close_together() -> None:
    # The evidence for the pooled prior, in small: key questions within about 2 points of the
    # unit's level, where the lowest of several read lower than it is under the fixed prior.
    family = next(f for f in FAMILIES if f.name == "unit levels concentrated")
    both = calibration(
        RUBRIC,
        family,
        units=UNITS,
        methods=("bayesian-bootstrap", "bayesian-bootstrap-fixed-prior"),
        resamples=400,
        seed=11,
    )
    pooled, fixed = both["bayesian-bootstrap"], both["bayesian-bootstrap-fixed-prior"]
    assert pooled.overstatement <= 0.03 + _allowance(0.1, pooled.count)
    assert fixed.overstatement > pooled.overstatement + 0.02


def test_the_plain_bootstrap_is_overconfident_where_the_recommended_method_is_not() -> None:
    # The evidence for the choice, in small: small audits of units doing well.
    family = next(f for f in FAMILIES if "doing well" in f.name)
    both = calibration(
        RUBRIC, family, units=100, methods=("bayesian-bootstrap", "bootstrap"), resamples=800
    )
    plain_count, plain_wrong = both["bootstrap"].confident_wrong
    ours_count, _ = both["bayesian-bootstrap"].confident_wrong
    assert plain_count > 3 * max(ours_count, 1)
    assert plain_wrong is not None and plain_wrong > 0.01


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


def test_an_exact_caseload_holds_its_shares_and_links_answers() -> None:
    from probation_audit._simulation import exact_caseload

    rng = np.random.default_rng(3)
    codes = exact_caseload(
        rng, 200, [0.5, 0.3, 0.9], correlation=0.8, relevant=[1.0, 0.5, 0.75], shape=(50,)
    )
    relevant = (codes != -1).sum(axis=1)
    yes = (codes == 1).sum(axis=1)
    assert (relevant == [200, 100, 150]).all()
    assert (yes == [100, 30, 135]).all()
    both = codes[..., 0] != -1
    first, third = (
        codes[..., 0][both & (codes[..., 2] != -1)],
        codes[..., 2][both & (codes[..., 2] != -1)],
    )
    assert np.corrcoef(first, third)[0, 1] > 0.2  # linked by the latent quality


#: Simulated audits in the hypergeometric check (its tolerance, four standard errors, follows).
SIMULATIONS = 4_000


def test_planning_with_a_caseload_matches_the_hypergeometric_distribution() -> None:
    """50%, 90%, 90% in a caseload of 100, audits of 30: the census is Requires improvement,
    and an audit gives it when the first question's sample share is 50% to under 65% (15 to
    19 'yes' of 30; the others almost never fall below 65%): a hypergeometric probability."""
    scipy_stats = pytest.importorskip("scipy.stats")
    found = rating_accuracy(
        RUBRIC,
        30,
        {"P2.1.1": 0.5, "P2.1.2": 0.9, "P2.1.3": 0.9},
        population=100,
        simulations=SIMULATIONS,
        seed=1,
    )
    (sid, true, share), *_ = found.standards
    assert (sid, true) == ("P2.1", "Requires improvement")
    dist = scipy_stats.hypergeom(100, 50, 30)
    first = dist.sf(14) - dist.sf(19)
    others = scipy_stats.hypergeom(100, 90, 30).sf(19) ** 2  # both at 20 of 30 or more
    expected = first * others
    assert share == pytest.approx(
        expected, abs=4 * math.sqrt(expected * (1 - expected) / SIMULATIONS)
    )
    census = rating_accuracy(
        RUBRIC, 100, {"P2.1.1": 0.5, "P2.1.2": 0.9, "P2.1.3": 0.9}, population=100, simulations=50
    )
    assert census.standards[0][2] == 1.0


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


def test_audit_sizes_add_up_to_the_family_and_unrated_are_counted(
    calibrated: dict[str, Calibration],
) -> None:
    few = calibrated["few relevant cases (30-60%)"]
    sizes = few.by_audit_size()
    assert [n for n, _, _ in sizes] == [10, 20, 40, 70, 150]
    assert sum(count for _, count, _ in sizes) == few.count
    pooled = sum(count * over for _, count, over in sizes) / few.count
    assert pooled == pytest.approx(few.overstatement)
    # every standard of every unit is either pooled or counted as unrated
    assert few.count + few.unrated == 4 * UNITS


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
