"""How likely each rating is: the probability that a unit's rating, had every case in its
caseload been inspected, is each rating on the scale, given the audit's sample.

:func:`rating_probabilities` is the recommended entry point. Its default method, a Bayesian
bootstrap with prior pseudo-cases, keeps each case's answers together (a case that fails one
key question often fails the others), accounts for a finite caseload when its size is given,
and never claims certainty from a handful of cases; ``benchmarks/bench_calibration.py``
measures how well calibrated it and the alternatives are. :class:`Certainty` puts the
headline into plain words on a documented scale (:data:`CERTAINTY_WORDS`).

Probabilities are statistical estimates in floating point; the ratings they describe are
computed by the exact integer rules of :func:`probation_audit._bulk.rate_many`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from ._bulk import BulkRatings, rate_many
from ._certainty import CERTAINTY_WORDS, UNDETERMINED, Certainty, certainty
from ._rules import Rules, rules_of
from ._scoring import score
from .judgments import Judgment, Sample
from .rating import require_rubric
from .reading import JudgmentSource, read_judgments
from .results import Result, StandardResult
from .rubric import HUNDRED, Rubric

__all__ = [
    "CERTAINTY_WORDS",
    "METHODS",
    "Certainty",
    "RatingProbabilities",
    "beta_cdf",
    "bootstrap_probabilities",
    "certainty",
    "exact_probabilities",
    "pooled_prior_cases",
    "rating_probabilities",
]

ProbabilityMethod = Literal[
    "bayesian-bootstrap",
    "bayesian-bootstrap-unwidened",
    "bayesian-bootstrap-fixed-prior",
    "bayesian-bootstrap-relevance-prior",
    "exact-independent",
    "bootstrap",
]

#: The methods :func:`rating_probabilities` knows, the recommended one first.
METHODS: tuple[ProbabilityMethod, ...] = (
    "bayesian-bootstrap",
    "bayesian-bootstrap-unwidened",
    "bayesian-bootstrap-fixed-prior",
    "bayesian-bootstrap-relevance-prior",
    "exact-independent",
    "bootstrap",
)

#: Footnote names of the methods.
METHOD_NAMES: dict[str, str] = {
    "bayesian-bootstrap": "Bayesian bootstrap of whole cases with prior pseudo-cases",  # + count
    "bayesian-bootstrap-fixed-prior": (
        "Bayesian bootstrap of whole cases with a fixed number of prior pseudo-cases"
    ),
    "bayesian-bootstrap-relevance-prior": (
        "Bayesian bootstrap of whole cases with prior pseudo-cases as often relevant as the cases"
    ),
    "bayesian-bootstrap-unwidened": (
        "Bayesian bootstrap of whole cases with prior pseudo-cases, the cases' weights not "
        "widened for a small audit"
    ),
    "exact-independent": "exact, key questions treated as independent (Beta posteriors)",
    "bootstrap": "bootstrap of whole cases (resampled with replacement)",
}

# -- special functions --------------------------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta function I_x(a, b): the Beta(a, b) distribution
    function. Accurate for the large a, b of samples in the thousands.

    Returns:
        I_x(a, b), a float from 0 to 1 (0 for ``x <= 0`` and 1 for ``x >= 1``).

    Raises:
        ValueError: ``a`` or ``b`` is 0 or a negative whole number (outside the domain of
            :func:`math.lgamma`), for ``x`` strictly between 0 and 1.
        ArithmeticError: the continued fraction does not converge in 10,000 steps (not met for the
            counts of real samples).
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast on the side of the mean; use symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def _beta_quantile(q: float, a: float, b: float) -> float:
    """The x with I_x(a, b) = q, by bisection (monotone, so it cannot fail)."""
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if beta_cdf(mid, a, b) < q:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-15:
            break
    return (lo + hi) / 2


# -- rating probabilities -----------------------------------------------------------------


@attrs.frozen
class RatingProbabilities:
    """For each standard and the overall rating, the probability of each rating."""

    method: str
    #: standard id (or "overall") -> ((label, probability), ...), scale order; an
    #: "undetermined" entry when some resamples leave a question without relevant cases
    ratings: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    resamples: int | None = None
    seed: int | None = None
    #: the caseload size the sample was drawn from (None: treated as unlimited)
    population: int | None = None
    #: the short name in :data:`METHODS`, when the method is one of them
    key: str | None = None

    def of(self, standard_id: str) -> dict[str, float]:
        """The distribution of one standard (or ``"overall"``): rating -> probability."""
        for sid, probabilities in self.ratings:
            if sid == standard_id:
                return dict(probabilities)
        raise KeyError(standard_id)

    def headline(self, standard_id: str) -> Certainty:
        """The most likely rating of one standard (or ``"overall"``), in plain words."""
        return certainty(self.of(standard_id))

    def headlines(self) -> dict[str, Certainty]:
        """Every standard's headline, in rubric order (``"overall"`` last)."""
        return {sid: certainty(dict(p)) for sid, p in self.ratings}

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "key": self.key,
            "resamples": self.resamples,
            "seed": self.seed,
            "population": self.population,
            "ratings": {sid: dict(p) for sid, p in self.ratings},
            "headlines": {sid: c.to_dict() for sid, c in self.headlines().items()},
        }


def _edge(rubric: Rubric, lower: Fraction) -> float:
    """The proportion at which a band starting at ``lower`` starts, under the rubric's rounding
    (the compiled rules' threshold of that band)."""
    bands = rules_of(rubric).bands
    return float(bands.thresholds[bands.edges.index(lower)] / HUNDRED)


def _require_lowest(rubric: Rubric, what: str) -> None:
    require_rubric(rubric)
    if not rules_of(rubric).bulk_ready:
        raise ValueError(
            f"{what} covers rubrics with 'lowest' aggregation and an overall rule; {rubric.id!r} is not one"
        )


def exact_probabilities(
    rubric: Rubric, result: Result, ratings: Mapping[str, str] | None = None
) -> RatingProbabilities:
    """Rating probabilities from Beta(yes + 1, no + 1) posteriors (uniform prior), treating the
    key questions as independent: P(rating >= band) is the product over the standard's
    questions of P(proportion >= the band's edge).

    ``ratings`` is accepted for symmetry with the other methods and not read: judged standards'
    ratings are taken from ``result``.

    Returns:
        The :class:`RatingProbabilities` (method key ``'exact-independent'``) of each case-based
        standard, each judged standard with a rating in ``result``, and the overall rating when
        every standard it counts has a distribution.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`.
        ValueError: the rubric does not rate every standard by the 'lowest' aggregation or has no
            overall rule.
    """
    _require_lowest(rubric, "exact_probabilities")
    rules = rules_of(rubric)
    out: list[tuple[str, tuple[tuple[str, float], ...]]] = []
    distributions: dict[str, list[float]] = {}
    for standard, spec in zip(result.standards, rules.standards, strict=True):
        labels = spec.scale.labels
        if standard.basis == "judged":
            if standard.rating is None:
                continue
            dist = [1.0 if label == standard.rating else 0.0 for label in labels]
        else:
            dist = _independent(rules, standard)
        distributions[standard.id] = dist
        out.append((standard.id, tuple(zip(labels, dist, strict=True))))
    rule = rules.overall
    assert rule is not None
    if all(sid in distributions for sid in rule.standards):
        # Standards share no questions, so their points add as independent variables.
        points = {0: 1.0}
        for position in rule.positions:
            scale = rules.standards[position].scale
            assert scale.points is not None  # the rubric checks counted standards have points
            nxt: dict[int, float] = {}
            for total, p in points.items():
                for worth, share in zip(
                    scale.points, distributions[rules.standards[position].id], strict=True
                ):
                    key = total + worth
                    nxt[key] = nxt.get(key, 0.0) + p * share
            points = nxt
        overall = {label: 0.0 for label in rule.scale.labels}
        for total, p in points.items():
            overall[rule.rating(total)] += p
        out.append(("overall", tuple(overall.items())))
    return RatingProbabilities(
        "exact (independent Beta posteriors, uniform prior)", tuple(out), key="exact-independent"
    )


def _independent(rules: Rules, standard: StandardResult) -> list[float]:
    """A case-based standard's distribution over the rating scale from independent Beta
    posteriors: P(rating rank >= r) is the product over its questions of P(proportion at or
    above the first band rated r or above, under the rounding rule)."""
    labels = rules.rating_scale.labels
    at_least = [1.0] * len(labels)
    for rank in range(1, len(labels)):
        band = next((i for i, r in enumerate(rules.bands.ranks) if r >= rank), None)
        if band is None:
            at_least[rank] = 0.0
            continue
        edge = float(rules.bands.thresholds[band] / HUNDRED)
        product = 1.0
        for q in standard.questions:
            product *= 1.0 - beta_cdf(edge, q.yes + 1, q.relevant - q.yes + 1)
        at_least[rank] = product
    return [
        at_least[r] - (at_least[r + 1] if r + 1 < len(labels) else 0.0) for r in range(len(labels))
    ]


def bootstrap_probabilities(
    rubric: Rubric,
    judgments: JudgmentSource,
    ratings: Mapping[str, str] | None = None,
    *,
    resamples: int = 10_000,
    seed: int = 0,
) -> RatingProbabilities:
    """Rating probabilities from resampling whole cases with replacement (so that questions
    answered together stay correlated), with numpy and a seeded generator. ``judgments`` is
    any source :func:`~probation_audit.reading.read_judgments` takes.

    Returns:
        The :class:`RatingProbabilities` (method key ``'bootstrap'``) of each case-based standard,
        each judged standard given in ``ratings``, and the overall rating, with an
        ``'undetermined'`` share where resamples leave a question without relevant cases.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`, the judgments are of
            no supported kind, or ``ratings`` is not a mapping.
        ValueError: the rubric is not one with the 'lowest' aggregation and an overall rule, or
            ``resamples`` is below 1.
        AuditErrors: the judgments cannot be read or have problems (every problem listed), or
            ``ratings`` is bad (an unknown or case-based standard, a label off the scale).
        ImportError: the source is a workbook and openpyxl (the ``excel`` extra) is not installed.
    """
    _require_lowest(rubric, "bootstrap_probabilities")
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    sample = read_judgments(judgments, rubric)
    rng = np.random.default_rng(seed)
    n = len(sample)
    yes_codes = (sample.codes == int(Judgment.YES)).astype(np.int32)
    relevant_codes = (sample.codes != int(Judgment.NOT_RELEVANT)).astype(np.int32)
    yes = np.empty((resamples, yes_codes.shape[1]), dtype=np.int64)
    relevant = np.empty_like(yes)
    # In blocks, so that memory stays small for large samples.
    block = max(1, 2_000_000 // max(n, 1))
    yes_f = yes_codes.astype(np.float64)
    relevant_f = relevant_codes.astype(np.float64)
    for start in range(0, resamples, block):
        stop = min(resamples, start + block)
        picks = rng.integers(0, n, size=(stop - start, n))
        # How often each case was drawn in each resample, then the tallies as one matrix
        # product (exact: float64 holds these whole numbers exactly).
        offsets = (np.arange(stop - start) * n)[:, None]
        counts = np.bincount((picks + offsets).ravel(), minlength=(stop - start) * n)
        counts = counts.reshape(stop - start, n).astype(np.float64)
        yes[start:stop] = np.rint(counts @ yes_f).astype(np.int64)
        relevant[start:stop] = np.rint(counts @ relevant_f).astype(np.int64)
    out, bulk = _distributions(rubric, yes, relevant, ratings, resamples)
    out.append(("overall", _tabulate(bulk.overall, bulk.overall_labels, resamples)))
    return RatingProbabilities(
        "bootstrap (whole cases resampled)", tuple(out), resamples, seed, key="bootstrap"
    )


# -- the recommended method ---------------------------------------------------------------

#: Scale of the weighted tallies of an unlimited caseload: weights are whole multiples of
#: 2**-40 of the sample's total weight before the exact integer rules of rate_many apply.
_WEIGHT_SCALE = float(2**40)
#: Pseudo-cases answer every question Yes or No together (True) or question by question
#: (False, the default): an alternative kept for the calibration benchmark's comparison.
_LINKED = False
#: The fewest and the most pseudo-cases of the pooled prior (``prior_cases=None``). An
#: assumption of this library's method, not a figure of any inspection methodology: chosen
#: by development runs of the calibration benchmark (seeds 1 to 3, not the seed its
#: documentation quotes), where capping at the audit's size instead left units whose key
#: questions lie close together overstated.
POOLED_PRIOR_BOUNDS: tuple[int, int] = (2, 50)


def pooled_prior_cases(
    yes: npt.NDArray[np.float64], relevant: npt.NDArray[np.float64], level: float
) -> int:
    """How many pseudo-cases the spread of the unit's key questions supports (empirical Bayes):
    the prior sample size of a Beta distribution at the unit's ``level`` whose variance is the
    spread between the questions' shares beyond what sampling explains (method of moments).

    ``yes`` and ``relevant`` are the audit's per-case 0/1 codes (cases x questions). Each
    question with a relevant case has the smoothed share (yes + 1/2) / (relevant + 1); the
    spread is the variance of those shares between questions less their mean sampling
    variance, share x (1 - share) / relevant. Questions far apart give few pseudo-cases (a
    small pull towards the unit's level); questions close together give many, so that the
    lowest of several questions at nearly the same level is not read as lower than it is.
    The count is the whole part of ``level * (1 - level) / spread - 1``, held within
    :data:`POOLED_PRIOR_BOUNDS`.

    Returns:
        A whole number of pseudo-cases within :data:`POOLED_PRIOR_BOUNDS` (the fewest when fewer
        than two questions have a relevant case).

    Raises:
        ValueError: ``yes`` and ``relevant`` are not two-dimensional arrays of one shape.
    """
    if yes.ndim != 2 or yes.shape != relevant.shape:
        raise ValueError(
            f"yes and relevant codes must be cases x questions of one shape, got {yes.shape}"
            f" and {relevant.shape}"
        )
    fewest, most = POOLED_PRIOR_BOUNDS
    yes_q, relevant_q = yes.sum(axis=0), relevant.sum(axis=0)
    answered = relevant_q > 0
    if int(answered.sum()) < 2:
        return fewest
    # The questions in one order whatever the columns' (by their counts), so that rounding in
    # the sums below cannot make the count depend on the order of the questions.
    yes_q, relevant_q = yes_q[answered], relevant_q[answered]
    order = np.lexsort((relevant_q, yes_q))
    yes_q, relevant_q = yes_q[order], relevant_q[order]
    share = (yes_q + 0.5) / (relevant_q + 1)
    sampling = float((share * (1 - share) / relevant_q).mean())
    spread = max(float(share.var(ddof=1)) - sampling, 1e-6)
    wanted = math.floor(level * (1 - level) / spread - 1)
    return max(fewest, min(most, wanted))


def _tabulate(
    ranks: npt.NDArray[np.int64], labels: tuple[str, ...], resamples: int
) -> tuple[tuple[str, float], ...]:
    counts = np.bincount(ranks + 1, minlength=len(labels) + 1)
    entries = [(label, float(counts[i + 1]) / resamples) for i, label in enumerate(labels)]
    if counts[0]:
        entries.append((UNDETERMINED, float(counts[0]) / resamples))
    return tuple(entries)


def _distributions(
    rubric: Rubric,
    yes: npt.NDArray[np.int64],
    relevant: npt.NDArray[np.int64],
    ratings: Mapping[str, str] | None,
    resamples: int,
) -> tuple[list[tuple[str, tuple[tuple[str, float], ...]]], BulkRatings]:
    """Each resample's tallies rated by the exact rules: the distribution of every case-based
    standard and every judged standard given in ``ratings``, and the bulk ratings."""
    bulk = rate_many(rubric, yes, relevant, ratings)
    out: list[tuple[str, tuple[tuple[str, float], ...]]] = []
    for j, sid in enumerate(bulk.standard_ids):
        if rubric.standard(sid).judged and (ratings or {}).get(sid) is None:
            continue
        out.append((sid, _tabulate(bulk.standards[:, j], bulk.standard_labels[j], resamples)))
    return out, bulk


def _level(yes: npt.NDArray[np.float64], relevant: npt.NDArray[np.float64]) -> tuple[float, float]:
    """The Beta(S + 1, n - S + 1) posterior of the unit's own level: S sums each case's share
    of Yes over the key questions relevant to it, n counts the cases with one."""
    answered = relevant.sum(axis=1)
    case_share = np.divide(
        yes.sum(axis=1), answered, out=np.zeros(len(answered)), where=answered > 0
    )
    total = float(case_share.sum())
    return total + 1, int((answered > 0).sum()) - total + 1


def _weights(
    rng: np.random.Generator, b: int, n: int, m: int, *, widened: bool
) -> npt.NDArray[np.float64]:
    """``b`` resamples' Dirichlet weights of ``n`` cases and ``m`` pseudo-cases, each row
    summing to 1: Dirichlet(1, ..., 1), or, ``widened``, the cases' weights Dirichlet((n - 2)
    / n) so that a weighted share varies as much as the share of an audit of n cases does
    (Dirichlet(1) weights make its variance s2 / (n + 1), s2 the cases' own variance; the
    sampling variance is s2 / (n - 1))."""
    if widened:
        weights = np.empty((b, n + m))
        weights[:, :n] = rng.standard_gamma(max(n - 2, 1) / n, size=(b, n))
        weights[:, n:] = rng.standard_gamma(1.0, size=(b, m))
    else:
        weights = rng.standard_gamma(1.0, size=(b, n + m))
    weights /= weights.sum(axis=1, keepdims=True)
    return weights


def _bayesian_bootstrap(
    rubric: Rubric,
    sample: Sample,
    ratings: Mapping[str, str] | None,
    *,
    population: int | None,
    resamples: int,
    seed: int,
    prior_cases: int | None,
    prior: Literal["relevance", "flat"] = "flat",
    widened: bool = False,
    key: ProbabilityMethod = "bayesian-bootstrap",
) -> RatingProbabilities:
    """The census tallies drawn from their posterior, then rated by the exact rules.

    Each resample weighs the sample's cases and ``prior_cases`` pseudo-cases (None: as many
    as :func:`pooled_prior_cases` finds) with Dirichlet weights (Rubin's Bayesian bootstrap,
    which keeps each case's answers together; ``widened``: the cases' weights widened for the
    audit's size, see :func:`_weights`). A pseudo-case answers every key question some real case found
    relevant, Yes with the unit's own level (its Laplace-smoothed share of Yes over all key
    questions) and No otherwise, drawn afresh in each resample: a prior that draws each
    question towards the unit's other questions, as strongly as their spread supports. With an unlimited caseload the census
    proportions are the weighted proportions; with a caseload of ``population`` cases the
    ``population - n`` cases not audited are drawn from the weighted cases (the Polya
    posterior of a finite population), and the census tallies are whole counts.
    """
    rng = np.random.default_rng(seed)
    n = len(sample)
    yes_codes = (sample.codes == int(Judgment.YES)).astype(np.float64)
    relevant_codes = (sample.codes != int(Judgment.NOT_RELEVANT)).astype(np.float64)
    seen = relevant_codes.any(axis=0).astype(np.float64)  # questions pseudo-cases answer
    # How often a pseudo-case finds each question relevant: always (flat), or as often as
    # the audited cases did, so that a question few cases apply to gets as few pseudo-cases.
    pseudo_share = seen if prior == "flat" else relevant_codes.mean(axis=0)
    nq = yes_codes.shape[1]
    unseen = 0 if population is None else population - n
    # The unit's own level, drawn in each resample.
    level_a, level_b = _level(yes_codes, relevant_codes)
    m = (
        pooled_prior_cases(yes_codes, relevant_codes, level_a / (level_a + level_b))
        if prior_cases is None
        else prior_cases
    )
    yes = np.empty((resamples, nq), dtype=np.int64)
    relevant = np.empty_like(yes)
    block = max(1, 1_000_000 // max(n + m, 1))
    for start in range(0, resamples, block):
        b = min(resamples, start + block) - start
        weights = _weights(rng, b, n, m, widened=widened)
        level = rng.beta(level_a, level_b, size=(b, 1, 1))
        if prior == "flat":
            pseudo_relevant = np.broadcast_to(seen, (b, m, nq))
        else:
            pseudo_relevant = (rng.random((b, m, nq)) < pseudo_share).astype(np.float64)
        draw = rng.random((b, m, 1) if _LINKED else (b, m, nq))
        pseudo_yes = (draw < level) * pseudo_relevant
        if population is None:
            y = weights[:, :n] @ yes_codes + np.einsum("bm,bmq->bq", weights[:, n:], pseudo_yes)
            r = weights[:, :n] @ relevant_codes + np.einsum(
                "bm,bmq->bq", weights[:, n:], pseudo_relevant
            )
            # Whole multiples of 2**-40: rounding cannot reverse an order the exact
            # rules would see, except within 2**-40 of a band edge.
            r_int = np.rint(r * _WEIGHT_SCALE).astype(np.int64)
            yes[start : start + b] = np.minimum(np.rint(y * _WEIGHT_SCALE).astype(np.int64), r_int)
            relevant[start : start + b] = r_int
        else:
            counts = rng.multinomial(unseen, weights).astype(np.float64)
            y = counts[:, :n] @ yes_codes + np.einsum("bm,bmq->bq", counts[:, n:], pseudo_yes)
            r = counts[:, :n] @ relevant_codes + np.einsum(
                "bm,bmq->bq", counts[:, n:], pseudo_relevant
            )
            yes[start : start + b] = np.rint(y).astype(np.int64) + yes_codes.sum(axis=0).astype(
                np.int64
            )
            relevant[start : start + b] = np.rint(r).astype(np.int64) + relevant_codes.sum(
                axis=0
            ).astype(np.int64)
    out, bulk = _distributions(rubric, yes, relevant, ratings, resamples)
    if (bulk.overall >= 0).any():
        out.append(("overall", _tabulate(bulk.overall, bulk.overall_labels, resamples)))
    return RatingProbabilities(
        f"Bayesian bootstrap of whole cases with {m} prior pseudo-case{'' if m == 1 else 's'}"
        + (
            " (pooled: as many as the spread of the key questions supports)"
            if prior_cases is None
            else ""
        )
        + (" as often relevant as the audited cases" if prior == "relevance" else "")
        + (", the cases' weights widened for a small audit" if widened else ""),
        tuple(out),
        resamples,
        seed,
        population,
        key=key,
    )


def _whole(name: str, value: object, lowest: int, highest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if not lowest <= int(value) <= highest:
        raise ValueError(f"{name} must be from {lowest:,} to {highest:,}, got {value!r}")
    return int(value)


def _check_arguments(method: str, resamples: int, seed: int, prior_cases: int | None) -> None:
    """The errors :func:`rating_probabilities` raises for its method and whole numbers."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    _whole("resamples", resamples, 1, 10_000_000)
    _whole("seed", seed, 0, 2**63 - 1)
    if prior_cases is not None:
        _whole("prior_cases", prior_cases, 0, 1_000)


def _check_population(method: str, population: int | None, cases: int) -> None:
    """The errors :func:`rating_probabilities` raises for its caseload and an empty sample."""
    if population is not None:
        _whole("population", population, max(1, cases), MAX_POPULATION)
        if not method.startswith("bayesian-bootstrap"):
            raise ValueError(
                f"method {method!r} does not take a caseload size: use 'bayesian-bootstrap'"
            )
    if cases == 0:
        raise ValueError("the sample has no cases")


#: The pseudo-cases of the fixed prior (the default before the pooled prior): an assumption of
#: this library's method, not a figure of any inspection methodology.
FIXED_PRIOR_CASES = 4

#: The methods whose pseudo-cases are pooled unless ``prior_cases`` fixes them.
_POOLED = ("bayesian-bootstrap", "bayesian-bootstrap-unwidened")

#: The largest caseload :func:`rating_probabilities` takes.
MAX_POPULATION = 10_000_000


def rating_probabilities(
    rubric: Rubric,
    sample: JudgmentSource,
    ratings: Mapping[str, str] | None = None,
    *,
    population: int | None = None,
    seed: int = 0,
    method: ProbabilityMethod = "bayesian-bootstrap",
    resamples: int = 10_000,
    prior_cases: int | None = None,
) -> RatingProbabilities:
    """How likely each rating is: for each case-based standard (judged standards with a
    rating in ``ratings``) and the overall rating when it can be determined, the probability
    of each rating the unit would get if every case in its caseload were inspected.

    ``sample`` is any source :func:`~probation_audit.reading.read_judgments` takes.
    ``population`` is the caseload the sample was drawn from (at least the sample's size):
    given, the cases not audited are the only uncertainty, and an audit of the whole
    caseload gives its own ratings with probability 1. The default ``method``,
    ``"bayesian-bootstrap"``, is the one the calibration benchmark supports. Its prior
    pseudo-cases are pooled (``prior_cases=None``): as many as the spread of the unit's key
    questions supports (:func:`pooled_prior_cases`); a whole number fixes the count. Its
    audited cases' weights are widened for the audit's size (Dirichlet((n - 2) / n), so that a
    share varies as much as the share of an audit of n cases does).
    ``"bayesian-bootstrap-unwidened"`` (the same with Dirichlet(1) weights: the default before
    the widening), ``"bayesian-bootstrap-fixed-prior"`` (:data:`FIXED_PRIOR_CASES`
    pseudo-cases unless ``prior_cases`` says otherwise: the default before pooling),
    ``"bayesian-bootstrap-relevance-prior"``, ``"exact-independent"`` (independent Beta
    posteriors, no caseload size) and ``"bootstrap"`` (cases resampled with replacement, no
    prior, no caseload size) are kept as alternatives. The result is reproducible from
    ``seed``.

    Raises :class:`ValueError` for a rubric without a 'lowest' rule and an overall rule, a
    population smaller than the sample, or an unknown method; :class:`TypeError` for
    arguments of the wrong kind.

    >>> import probation_audit as pa
    >>> from probation_audit._probabilities import rating_probabilities
    >>> rubric = pa.load_rubric("hmip-probation-2023")
    >>> rows = [{"case_id": f"C{i:02}", "question_id": q, "judgment": "yes"}
    ...         for i in range(20) for q in ["P2.1.1", "P2.1.2", "P2.1.3"]]
    >>> sample = pa.from_records(rows, rubric, missing="not-relevant")
    >>> rating_probabilities(rubric, sample).headline("P2.1").rating
    'Outstanding'

    Returns:
        The :class:`RatingProbabilities` of the case-based standards and, when it can be determined,
        the overall rating (judged standards have none of their own), with the method, resamples,
        seed and caseload size used.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`; ``resamples``,
            ``seed``, ``prior_cases`` or ``population`` is not a whole number; the sample is of no
            supported kind; or ``ratings`` is not a mapping.
        ValueError: the rubric is not one with the 'lowest' aggregation and an overall rule;
            ``method`` is unknown; ``resamples`` (1 to 10,000,000), ``seed`` (0 to 2**63 - 1),
            ``prior_cases`` (0 to 1,000) or ``population`` (the sample's size to 10,000,000) is out
            of range; ``population`` is given with a method other than ``'bayesian-bootstrap'``; or
            the sample has no cases.
        AuditErrors: the sample cannot be read or has problems (every problem listed), or
            ``ratings`` is bad (an unknown or case-based standard, a label off the scale).
        ImportError: the source is a workbook and openpyxl (the ``excel`` extra) is not installed.
    """
    _require_lowest(rubric, "rating_probabilities")
    _check_arguments(method, resamples, seed, prior_cases)
    if prior_cases is None and method not in _POOLED:
        prior_cases = FIXED_PRIOR_CASES
    data = read_judgments(sample, rubric)
    _check_population(method, population, len(data))
    if method == "exact-independent":
        found = exact_probabilities(rubric, score(rubric, data, ratings), ratings)
    elif method == "bootstrap":
        found = bootstrap_probabilities(rubric, data, ratings, resamples=resamples, seed=seed)
    else:
        found = _bayesian_bootstrap(
            rubric,
            data,
            ratings,
            population=population,
            resamples=resamples,
            seed=seed,
            prior_cases=prior_cases,
            prior="relevance" if method == "bayesian-bootstrap-relevance-prior" else "flat",
            widened=method == "bayesian-bootstrap",
            key=method,
        )
    # Judged standards are inputs, not estimates: they count towards the overall rating but
    # have no probability of their own.
    # An overall rating that no resample could determine (judged ratings not given) is left
    # out, as the recommended method does.
    judged = {s.id for s in rubric.standards if s.judged}
    kept = tuple(
        (sid, p)
        for sid, p in found.ratings
        if sid not in judged and not (sid == "overall" and dict(p).get("undetermined") == 1.0)
    )
    return attrs.evolve(found, ratings=kept)
