"""How far a sample's ratings can be trusted: intervals for proportions, rating probabilities,
sample-size planning, comparing two audits, and agreement between auditors.

This is the public home of the audit's statistics. Besides its own functions it re-exports the
rating probabilities and their plain words, the simulated caseloads (how often an audit gives the
true rating, and the calibration benchmark's machinery), case and group feedback, and case
selection, which live in private modules.

Intervals and probabilities are statistical estimates in floating point; the ratings they
describe stay exact (see :mod:`probation_audit.rating`). Everything here uses the standard
library and numpy only.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from statistics import NormalDist
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from ._about import About, check_one_rubric
from ._certainty import UNDETERMINED, Certainty, certainty
from ._display import Backend, Column, frame, html_table, html_value, rating_cell
from ._feedback import CaseFeedback, GroupFeedback, case_feedback, feedback_table, group_feedback
from ._probabilities import (
    CERTAINTY_WORDS,
    METHODS,
    RatingProbabilities,
    _beta_quantile,
    _edge,
    beta_cdf,
    bootstrap_probabilities,
    exact_probabilities,
    pooled_prior_cases,
    rating_probabilities,
)
from ._scoring import score
from ._selection import Selection, allocate, select_cases
from ._simulation import (
    CALIBRATION_TARGETS,
    EDGE_KINDS,
    FAMILIES,
    Accuracy,
    Calibration,
    CalibrationFigures,
    CalibrationTargets,
    Family,
    SizeFigures,
    WordHits,
    calibration,
    caseload,
    exact_caseload,
    least_overstated,
    rating_accuracy,
    shortfalls,
)
from ._tables import gc_paused
from .judgments import Judgment, Sample
from .rating import require_rubric
from .reading import JudgmentSource, read_judgments
from .results import Result
from .rubric import HUNDRED, Rubric, round_half_up

__all__ = [
    "CALIBRATION_TARGETS",
    "CERTAINTY_WORDS",
    "EDGE_KINDS",
    "FAMILIES",
    "METHODS",
    "UNDETERMINED",
    "Accuracy",
    "Agreement",
    "AgreementReport",
    "Agreements",
    "Calibration",
    "CalibrationFigures",
    "CalibrationTargets",
    "CaseFeedback",
    "Certainty",
    "Comparison",
    "Family",
    "GroupFeedback",
    "GroupResult",
    "Interval",
    "Plan",
    "QuestionChange",
    "RatingProbabilities",
    "Selection",
    "SizeFigures",
    "WordHits",
    "agreement",
    "agreement_report",
    "allocate",
    "band_match_probability",
    "beta_cdf",
    "bootstrap_probabilities",
    "by_attribute",
    "calibration",
    "case_feedback",
    "caseload",
    "certainty",
    "chance_caution",
    "clopper_pearson",
    "cohen_kappa",
    "compare",
    "exact_caseload",
    "exact_probabilities",
    "feedback_table",
    "fisher_exact",
    "group_feedback",
    "gwet_ac1",
    "interval",
    "least_overstated",
    "margin_of_error_cases",
    "moves_chance_could_explain",
    "newcombe",
    "plan",
    "pooled_prior_cases",
    "rating_accuracy",
    "rating_probabilities",
    "select_cases",
    "shortfalls",
    "significance_note",
    "uncertain_standards",
    "wilson",
]

Method = Literal["wilson", "clopper-pearson"]


# -- intervals ------------------------------------------------------------------------------


@attrs.frozen
class Interval:
    """A confidence interval for a proportion (``low`` and ``high`` between 0 and 1)."""

    low: float
    high: float
    method: str
    confidence: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "method": self.method,
            "confidence": self.confidence,
        }


def _check(yes: int, relevant: int, confidence: float) -> None:
    if not 0 <= yes <= relevant or relevant == 0:
        raise ValueError(f"need 0 <= yes <= relevant and relevant > 0, got {yes} of {relevant}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")


def wilson(yes: int, relevant: int, confidence: float = 0.95) -> Interval:
    """Wilson score interval.

    Returns:
        The :class:`Interval`, method ``'wilson'``.

    Raises:
        ValueError: the counts break ``0 <= yes <= relevant`` or ``relevant > 0``, or ``confidence``
            is not strictly between 0 and 1.
    """
    _check(yes, relevant, confidence)
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    n, p = relevant, yes / relevant
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # The exact ends at 0 and n, where rounding could leave a hair outside [0, 1].
    low = 0.0 if yes == 0 else max(0.0, centre - half)
    high = 1.0 if yes == n else min(1.0, centre + half)
    return Interval(low, high, "wilson", confidence)


def clopper_pearson(yes: int, relevant: int, confidence: float = 0.95) -> Interval:
    """Clopper-Pearson ('exact') interval, from Beta quantiles.

    Returns:
        The :class:`Interval`, method ``'clopper-pearson'``.

    Raises:
        ValueError: the counts break ``0 <= yes <= relevant`` or ``relevant > 0``, or ``confidence``
            is not strictly between 0 and 1.
    """
    _check(yes, relevant, confidence)
    alpha = 1 - confidence
    low = 0.0 if yes == 0 else _beta_quantile(alpha / 2, yes, relevant - yes + 1)
    high = 1.0 if yes == relevant else _beta_quantile(1 - alpha / 2, yes + 1, relevant - yes)
    return Interval(low, high, "clopper-pearson", confidence)


def interval(
    yes: int, relevant: int, confidence: float = 0.95, method: Method = "wilson"
) -> Interval:
    """A confidence interval for a proportion, by either method of this module.

    The proportion is ``yes`` of ``relevant`` cases; the method is :func:`wilson` (the default) or
    :func:`clopper_pearson`.

    Returns:
        The :class:`Interval` of the method chosen.

    Raises:
        ValueError: ``method`` is not ``'wilson'`` or ``'clopper-pearson'``, the counts break
            ``0 <= yes <= relevant`` or ``relevant > 0``, or ``confidence`` is not strictly between
            0 and 1.
    """
    if method == "wilson":
        return wilson(yes, relevant, confidence)
    if method == "clopper-pearson":
        return clopper_pearson(yes, relevant, confidence)
    raise ValueError(f"method must be 'wilson' or 'clopper-pearson', not {method!r}")


def uncertain_standards(
    rubric: Rubric, result: Result, confidence: float = 0.95, method: Method = "wilson"
) -> dict[str, bool]:
    """Case-based standards whose driving question's interval crosses a band edge.

    Returns:
        A dict of standard id to True when the interval crosses an edge, for every case-based
        standard with a driving question (undetermined ones are left out).

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`.
        ValueError: ``method`` is unknown or ``confidence`` is not strictly between 0 and 1 (met
            when some standard has a driving question).
    """
    require_rubric(rubric)
    edges = [_edge(rubric, b.lower) for b in rubric.bands.bands[1:]]
    out: dict[str, bool] = {}
    for s in result.standards:
        if s.basis == "judged" or not s.driven_by:
            continue
        crosses = False
        for qid in s.driven_by:
            q = s.question(qid)
            ci = interval(q.yes, q.relevant, confidence, method)
            crosses = crosses or any(ci.low < edge < ci.high for edge in edges)
        out[s.id] = crosses
    return out


# -- planning -----------------------------------------------------------------------------


@attrs.frozen
class Plan:
    """How many relevant cases a sample needs for its band to match the true band."""

    proportion: Fraction
    target: Fraction
    band: str
    #: the smallest n meeting the target
    first: int | None
    #: the smallest n from which every n up to ``checked_to`` meets it
    stable_from: int | None
    checked_to: int
    relevant_share: Fraction
    #: cases to sample so that about ``stable_from`` are relevant
    cases_for_stable: int | None
    #: the caseload sampled, when given (cases drawn without replacement from it)
    population: int | None = None
    #: the caseload's relevant cases and their 'yes' cases (as nearly as whole cases can hold
    #: ``proportion`` and ``relevant_share``), when a caseload is given
    caseload_relevant: int | None = None
    caseload_yes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "population": self.population,
            "caseload_relevant": self.caseload_relevant,
            "caseload_yes": self.caseload_yes,
            "proportion": str(self.proportion),
            "target": str(self.target),
            "band": self.band,
            "first": self.first,
            "stable_from": self.stable_from,
            "checked_to": self.checked_to,
            "relevant_share": str(self.relevant_share),
            "cases_for_stable": self.cases_for_stable,
        }


def band_match_probability(
    rubric: Rubric, proportion: Fraction, n: int, *, population: int | None = None
) -> Fraction:
    """Exactly, P(the band of k/n equals the true band): k ~ Binomial(n, p) from an unlimited
    caseload, or, with ``population`` (the caseload's relevant cases), k ~ Hypergeometric: n
    of them drawn without replacement from a caseload whose 'yes' cases are
    ``round(p * population)`` (half up), the truth being that caseload's band.

    Returns:
        The probability, an exact Fraction from 0 to 1.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`, or ``proportion`` is
            neither a number nor text.
        ValueError: ``proportion`` lies outside 0 to 1 or is text that is not a number, ``n`` is
            not a whole number from 1 to :data:`MAX_PLAN_N`, or ``population`` is not a whole
            number from ``n`` to :data:`MAX_PLAN_N`.
    """
    require_rubric(rubric)
    p = Fraction(proportion)
    if not 0 <= p <= 1:
        raise ValueError("proportion must lie between 0 and 1")
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_PLAN_N:
        raise ValueError(f"n must be a whole number from 1 to {MAX_PLAN_N:,}, got {n!r}")
    if population is not None:
        if isinstance(population, bool) or not isinstance(population, int):
            raise ValueError(f"population must be a whole number, got {population!r}")
        if not n <= population <= MAX_PLAN_N:
            raise ValueError(
                f"population must be a whole number from n ({n}) to {MAX_PLAN_N:,}, "
                f"got {population!r}"
            )
        yes = round_half_up(p * population)
        true_band = _band_index(rubric, yes, population)
        total = sum(
            math.comb(yes, k) * math.comb(population - yes, n - k)
            for k in range(max(0, n - population + yes), min(n, yes) + 1)
            if _band_index(rubric, k, n) == true_band
        )
        return Fraction(total, math.comb(population, n))
    true_band = rubric.bands.index(rubric.rounding.apply(p * HUNDRED))
    a, d = p.numerator, p.denominator
    b = d - a
    # Integer sums: P = sum C(n, k) a^k b^(n-k) / d^n over the matching k.
    total = 0
    for k in range(n + 1):
        if _band_index(rubric, k, n) == true_band:
            total += math.comb(n, k) * a**k * b ** (n - k)
    return Fraction(total, d**n)


def _band_index(rubric: Rubric, yes: int, relevant: int) -> int:
    """The band of ``yes`` out of ``relevant``, after the rubric's rounding rule."""
    return rubric.bands.index(rubric.rounding.apply(Fraction(100 * yes, relevant)))


#: The largest number of relevant cases :func:`plan` checks.
MAX_PLAN_N = 100_000


def _match_probabilities(rubric: Rubric, p: Fraction, max_n: int) -> tuple[np.ndarray, np.ndarray]:
    """For n = 1 .. ``max_n``: P(the band of k/n is the band of p), k ~ Binomial(n, p), in
    floating point (log-space binomial terms, linear work per n instead of exact sums), and
    whether every k with positive probability is in that band (the probability is then 1)."""
    true_band = rubric.bands.index(rubric.rounding.apply(p * HUNDRED))
    lgamma = np.array([math.lgamma(i + 1) for i in range(max_n + 1)])  # log(i!)
    out = np.empty(max_n)
    certain = np.zeros(max_n, dtype=bool)
    edges = [b.lower for b in rubric.bands.bands[1:]]
    half_up = rubric.rounding.method == "half-up"
    if 0 < p < 1:
        # Logs of the exact integers: a proportion near 0 or 1 does not round to log(0).
        log_p = math.log(p.numerator) - math.log(p.denominator)
        log_q = math.log(p.denominator - p.numerator) - math.log(p.denominator)
    for n in range(1, max_n + 1):
        k = np.arange(n + 1, dtype=np.int64)
        if half_up:
            num, den = (200 * k + n) // (2 * n), np.ones_like(k)
        else:
            num, den = 100 * k, np.full_like(k, n)
        band = np.zeros(n + 1, dtype=np.int64)
        for edge in edges:
            band += num * edge.denominator >= edge.numerator * den
        match = band == true_band
        if p == 0 or p == 1:
            hit = bool(match[0 if p == 0 else n])
            out[n - 1], certain[n - 1] = float(hit), hit
            continue
        certain[n - 1] = bool(match.all())
        log_terms = lgamma[n] - lgamma[k] - lgamma[n - k] + k * log_p + (n - k) * log_q
        out[n - 1] = float(np.exp(log_terms[match]).sum())
    return out, certain


def _finite_match_probabilities(
    rubric: Rubric, yes: int, population: int, max_n: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_match_probabilities` for n drawn without replacement from a caseload of
    ``population`` relevant cases, ``yes`` of them 'yes' (hypergeometric terms in log space),
    the truth being the caseload's own band; n = 1 .. ``max_n`` (at most ``population``)."""
    true_band = _band_index(rubric, yes, population)
    lgamma = np.array([math.lgamma(i + 1) for i in range(population + 1)])

    def log_choose(a: Any, b: Any) -> Any:
        return lgamma[a] - lgamma[b] - lgamma[a - b]

    out = np.empty(max_n)
    certain = np.zeros(max_n, dtype=bool)
    for n in range(1, max_n + 1):
        k = np.arange(max(0, n - population + yes), min(n, yes) + 1, dtype=np.int64)
        band = np.array([_band_index(rubric, int(j), n) for j in k])
        match = band == true_band
        certain[n - 1] = bool(match.all())
        terms = log_choose(yes, k) + log_choose(population - yes, n - k) - log_choose(population, n)
        out[n - 1] = float(np.exp(terms[match]).sum())
    return out, certain


def plan(
    rubric: Rubric,
    proportion: Fraction | float | str,
    *,
    target: Fraction | float | str = Fraction(4, 5),
    relevant_share: Fraction | float | str = 1,
    max_n: int = 400,
    population: int | None = None,
) -> Plan:
    """Relevant cases needed so that the sample's band matches the true band with probability
    at least ``target``. The probability is not monotone in n, so both the smallest n that
    meets it and the smallest from which every n up to ``max_n`` does are reported.

    Without ``population`` the caseload is unlimited (each case 'yes' with probability
    ``proportion``: binomial). With it, the audit draws without replacement from a caseload of
    that many cases, ``round(population * relevant_share)`` of them relevant and
    ``round(proportion * relevant)`` of those 'yes' (half up; hypergeometric): n never passes
    the caseload's relevant cases, and at all of them the audit is a census, always right.

    Returns:
        The :class:`Plan`, with the smallest n meeting the target, the n from which every n up to
        ``max_n`` does (each None when there is none), and the cases to sample for it.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`, or a number is given
            as neither a number nor text.
        ValueError: ``relevant_share`` is not in ``(0, 1]``, ``proportion`` lies outside 0 to 1,
            ``max_n`` or ``population`` is not a whole number from 1 to :data:`MAX_PLAN_N`, or
            a number is text that is not a number.
    """
    require_rubric(rubric)
    p = Fraction(str(proportion)) if isinstance(proportion, float) else Fraction(proportion)
    goal = Fraction(str(target)) if isinstance(target, float) else Fraction(target)
    share = (
        Fraction(str(relevant_share))
        if isinstance(relevant_share, float)
        else Fraction(relevant_share)
    )
    if not 0 < share <= 1:
        raise ValueError("relevant_share must lie in (0, 1]")
    if not 0 <= p <= 1:
        raise ValueError("proportion must lie between 0 and 1")
    if isinstance(max_n, bool) or not isinstance(max_n, int) or not 1 <= max_n <= MAX_PLAN_N:
        raise ValueError(f"max_n must be a whole number from 1 to {MAX_PLAN_N}, got {max_n!r}")
    relevant: int | None = None
    yes: int | None = None
    truth = p
    if population is None:
        approximate, certain = _match_probabilities(rubric, p, max_n)
    else:
        if isinstance(population, bool) or not isinstance(population, int):
            raise ValueError(f"population must be a whole number, got {population!r}")
        if not 1 <= population <= MAX_PLAN_N:
            raise ValueError(
                f"population must be a whole number from 1 to {MAX_PLAN_N:,}, got {population!r}"
            )
        relevant = max(1, round_half_up(share * population))
        yes = round_half_up(p * relevant)
        truth = Fraction(yes, relevant)
        max_n = min(max_n, relevant)
        approximate, certain = _finite_match_probabilities(rubric, yes, relevant, max_n)
    # Floating point decides unless a probability lies within 1e-9 of the target: then the
    # exact integer sum does (a target of 1 is met only when the band cannot be missed).
    meets = [
        bool(certain[n - 1])
        if goal == 1
        else band_match_probability(rubric, truth, n, population=relevant) >= goal
        if abs(approximate[n - 1] - float(goal)) < 1e-9
        else bool(approximate[n - 1] >= float(goal))
        for n in range(1, max_n + 1)
    ]
    first = next((n for n, ok in enumerate(meets, start=1) if ok), None)
    stable: int | None = None
    for n in range(max_n, 0, -1):
        if not meets[n - 1]:
            break
        stable = n
    cases = None if stable is None else math.ceil(stable / share)
    if cases is not None and population is not None:
        cases = min(cases, population)
    return Plan(
        proportion=p,
        target=goal,
        band=rubric.bands.rating(rubric.rounding.apply(truth * HUNDRED)),
        first=first,
        stable_from=stable,
        checked_to=max_n,
        relevant_share=share,
        cases_for_stable=cases,
        population=population,
        caseload_relevant=relevant,
        caseload_yes=yes,
    )


def margin_of_error_cases(
    proportion: float, margin: float, confidence: float = 0.95, population: int | None = None
) -> int:
    """Cases for a normal-approximation margin of error, with a finite caseload correction.

    Returns:
        The number of cases, at least 1.

    Raises:
        ValueError: ``margin`` is not strictly between 0 and 1.
        statistics.StatisticsError: (a ValueError) ``confidence`` is 1 or more, or -1 or less, where
            the normal quantile is undefined.
        ZeroDivisionError: ``population`` is 0.
    """
    if not 0 < margin < 1:
        raise ValueError("margin must lie strictly between 0 and 1")
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    if population is not None:
        n0 = n0 / (1 + (n0 - 1) / population)
    return max(1, math.ceil(n0 - 1e-9))


# -- comparing two audits -----------------------------------------------------------------


def newcombe(
    yes1: int, n1: int, yes2: int, n2: int, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Difference p2 - p1 with Newcombe's hybrid score interval (method 10): (diff, low, high).
    Raises ValueError unless 0 <= yes <= n and n > 0 for both.

    Returns:
        A tuple ``(difference, low, high)`` of proportions, the difference ``p2 - p1``.

    Raises:
        ValueError: the counts of an audit break ``0 <= yes <= n`` or ``n > 0``, or ``confidence``
            is not strictly between 0 and 1.
    """
    for yes, n in ((yes1, n1), (yes2, n2)):
        if not 0 <= yes <= n or n == 0:
            raise ValueError(f"need 0 <= yes <= n and n > 0, got {yes} of {n}")
    p1, p2 = yes1 / n1, yes2 / n2
    a = wilson(yes1, n1, confidence)
    b = wilson(yes2, n2, confidence)
    diff = p2 - p1
    low = diff - math.sqrt((p2 - b.low) ** 2 + (a.high - p1) ** 2)
    high = diff + math.sqrt((b.high - p2) ** 2 + (p1 - a.low) ** 2)
    return diff, low, high


def fisher_exact(yes1: int, n1: int, yes2: int, n2: int) -> float:
    """Two-sided Fisher exact test of equal shares: the probability, with the margins fixed,
    of a table at most as likely as the one observed (computed in exact integers).

    Returns:
        The two-sided p-value, from 0 to 1 (1.0 when neither audit has a case).

    Raises:
        ValueError: the counts of an audit break ``0 <= yes <= n``.
    """
    for yes, n in ((yes1, n1), (yes2, n2)):
        if not 0 <= yes <= n:
            raise ValueError(f"need 0 <= yes <= n, got {yes} of {n}")
    total, k = n1 + n2, yes1 + yes2
    if total == 0:
        return 1.0
    low, high = max(0, k - n2), min(k, n1)
    weights = {x: math.comb(k, x) * math.comb(total - k, n1 - x) for x in range(low, high + 1)}
    observed = weights[yes1]
    # Exact integers: no tolerance needed to decide which tables are as extreme.
    extreme = sum(w for w in weights.values() if w <= observed)
    return float(Fraction(extreme, math.comb(total, n1)))


@attrs.frozen
class QuestionChange:
    """One key question in two audits: 'yes' of relevant before and after, the change in
    its share with a Newcombe interval, and the Fisher exact p-value of no change."""

    id: str
    before: tuple[int, int]
    after: tuple[int, int]
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None = None

    @property
    def significant(self) -> bool | None:
        """True when a change this large would be unusual by chance: Fisher's exact p-value
        below 0.05 (None without figures). The words and the marker follow the same test."""
        if self.p_value is None:
            return None
        return self.p_value < 0.05

    def sentence(self) -> str:
        """The change in words: "rose from 40% to 67%; a change this large would be unusual
        by chance (p = 0.03)"."""
        (y1, n1), (y2, n2) = self.before, self.after
        if not n1 or not n2 or self.p_value is None:
            return "not comparable: no relevant cases in one audit"
        a, b = 100 * y1 / n1, 100 * y2 / n2
        if round(a) == round(b) and self.p_value >= 0.05:
            return f"unchanged at {round(a)}% ({y1} of {n1}, then {y2} of {n2})"
        if round(a) == round(b):
            move = f"almost unchanged at {round(a)}%"
        else:
            move = f"{'rose' if b > a else 'fell'} from {round(a)}% to {round(b)}%"
        p = f"p = {self.p_value:.2f}" if self.p_value >= 0.01 else "p < 0.01"
        if self.p_value < 0.05:
            chance = f"a change this large would be unusual by chance ({p})"
        elif self.p_value < 0.2:
            chance = f"a change this large could be chance ({p})"
        else:
            chance = f"a change this large could easily be chance ({p})"
        return f"{move} ({y1} of {n1}, then {y2} of {n2}); {chance}"

    def to_dict(self) -> dict[str, Any]:
        return {**attrs.asdict(self), "significant": self.significant}


#: The rows of a comparison's table: every key question, then every rating.
COMPARISON_COLUMNS = (
    Column("row"),
    Column("id"),
    *(Column(f"{n}_{when}", "int") for when in ("before", "after") for n in ("yes", "relevant")),
    *(Column(n, "float") for n in ("difference", "low", "high", "p_value")),
    Column("significant", "bool"),
)


@attrs.frozen
class Comparison:
    """Two audits of one rubric compared: each key question's change, and the ratings.

    It unpacks as the pair :func:`compare` returned in 0.1: ``changes, changed = compare(...)``.
    """

    rubric: str
    questions: tuple[QuestionChange, ...]
    #: every standard (and "overall" when both audits have it): (id, before, after)
    ratings: tuple[tuple[str, str | None, str | None], ...]
    #: the rating labels, lowest first (a frame's categories)
    labels: tuple[str, ...] = ()
    #: the file the rubric was loaded from and its rules' fingerprint (as the results have them)
    rubric_file: str | None = None
    rubric_fingerprint: str | None = None
    #: the notes on both audits' data, named "before: ..." and "after: ..."
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> tuple[tuple[str, str | None, str | None], ...]:
        """The ratings that changed, as (standard or "overall", before, after)."""
        return tuple(r for r in self.ratings if r[1] != r[2])

    def __iter__(self) -> Iterator[Any]:
        return iter((self.questions, self.changed))

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> Any:
        return (self.questions, self.changed)[index]

    def __repr__(self) -> str:
        marked = sum(1 for c in self.questions if c.significant)
        return (
            f"<Comparison {self.rubric}: {len(self.questions)} key questions "
            f"({marked} changed by more than chance), {len(self.changed)} of "
            f"{len(self.ratings)} ratings changed>"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One tidy table: a row per key question (its change), then a row per standard and
        the overall rating (before, after, and whether it changed)."""
        out: list[dict[str, Any]] = []
        for c in self.questions:
            (yb, rb), (ya, ra) = c.before, c.after
            out.append(
                {"row": "question", "id": c.id, "yes_before": yb, "relevant_before": rb}
                | {"yes_after": ya, "relevant_after": ra, "difference": c.difference}
                | {"low": c.low, "high": c.high, "p_value": c.p_value}
                | {"significant": c.significant}
                | {"rating_before": None, "rating_after": None, "rating_changed": None}
            )
        for sid, b, a in self.ratings:
            row = dict.fromkeys(c.name for c in self._columns())
            row.update(row="rating", id=sid, rating_before=b, rating_after=a)
            out.append(row | {"rating_changed": b != a})
        return out

    def _columns(self) -> list[Column]:
        return [
            *COMPARISON_COLUMNS,
            Column("rating_before", "rating", self.labels),
            Column("rating_after", "rating", self.labels),
            Column("rating_changed", "bool"),
        ]

    def to_frame(self, backend: Backend = "pandas") -> Any:
        """:meth:`to_records` as a typed frame: pandas by default, polars with
        ``backend="polars"``."""
        return frame(self.to_records(), self._columns(), backend)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "questions": [c.to_dict() for c in self.questions],
            "ratings": [{"id": i, "before": b, "after": a} for i, b, a in self.ratings],
            "ratings_changed": [{"id": i, "before": b, "after": a} for i, b, a in self.changed],
        }

    def _repr_html_(self) -> str:
        rows: list[list[object]] = [
            [c.id + (" *" if c.significant else ""), c.sentence()] for c in self.questions
        ]
        ratings = [
            [sid, rating_cell(b or "undetermined", b), rating_cell(a or "undetermined", a)]
            for sid, b, a in self.ratings
        ]
        return html_value(
            f"Comparison: {self.rubric}",
            [significance_note(self.questions)],
            html_table(["Key question", "Change"], rows),
            html_table(["Rating", "Before", "After"], ratings, shown=len(ratings)),
        )


def compare(before: Result, after: Result, confidence: float = 0.95) -> Comparison:
    """Per key question, the change in proportion with its Newcombe interval and the Fisher
    exact p-value; and every rating before and after.

    Returns:
        The :class:`Comparison`: the per-question :class:`QuestionChange` values, in rubric order
        (their figures None where an audit has no relevant cases), and the ratings. It unpacks
        as the pair ``(changes, changed ratings)`` that 0.1 returned.

    Raises:
        ValueError: the results are of different rubrics, or of one rubric id with different key
            questions or standards (they are paired strictly), or ``confidence`` is not strictly
            between 0 and 1 (met when a question has relevant cases in both).
    """
    if before.rubric != after.rubric:
        raise ValueError(
            f"cannot compare results of rubrics {before.rubric!r} and {after.rubric!r}"
        )
    check_one_rubric([before, after])
    about = About.of_results([before, after], ["before", "after"])
    changes = []
    for q1, q2 in zip(before.questions, after.questions, strict=True):
        d: float | None = None
        lo: float | None = None
        hi: float | None = None
        p: float | None = None
        if q1.relevant and q2.relevant:
            d, lo, hi = newcombe(q1.yes, q1.relevant, q2.yes, q2.relevant, confidence)
            p = fisher_exact(q1.yes, q1.relevant, q2.yes, q2.relevant)
        changes.append(
            QuestionChange(q1.id, (q1.yes, q1.relevant), (q2.yes, q2.relevant), d, lo, hi, p)
        )
    ratings = [
        (s1.id, s1.rating, s2.rating)
        for s1, s2 in zip(before.standards, after.standards, strict=True)
    ]
    if before.overall is not None and after.overall is not None:
        ratings.append(("overall", before.overall.rating, after.overall.rating))
    return Comparison(
        before.rubric,
        tuple(changes),
        tuple(ratings),
        before.labels,
        about.rubric_file,
        about.rubric_fingerprint,
        about.notes,
    )


# -- agreement between auditors -----------------------------------------------------------


@attrs.frozen
class Agreement:
    """Two auditors' judgments of the same cases, for one key question (or pooled)."""

    question: str
    cases: int
    agreed: int
    kappa: float | None
    disagreements: tuple[tuple[str, str, str], ...]
    #: Gwet's AC1 over the three judgments (None with no case)
    ac1: float | None = None

    @property
    def percent(self) -> float | None:
        return None if not self.cases else 100 * self.agreed / self.cases

    def __repr__(self) -> str:
        return f"<Agreement {self.question}: {self.sentence()}>"

    def record(self) -> dict[str, Any]:
        """The row of an agreement table: counts, proportion agreed, kappa, AC1 and the
        disagreements listed ("C01: yes / no; ...")."""
        return {
            "id": self.question,
            "cases": self.cases,
            "agreed": self.agreed,
            "proportion": None if self.percent is None else self.percent / 100,
            "kappa": self.kappa,
            "ac1": self.ac1,
            "disagreements": "; ".join(f"{c}: {a} / {b}" for c, a, b in self.disagreements),
        }

    def sentence(self, unit: str = "cases") -> str:
        """The figures in words: agreement first, then both chance-corrected coefficients."""
        if not self.cases:
            return f"no {unit} marked by both"
        kappa = "not defined (one answer throughout)" if self.kappa is None else f"{self.kappa:.2f}"
        ac1 = "-" if self.ac1 is None else f"{self.ac1:.2f}"
        return (
            f"agreed on {self.agreed} of {self.cases} {unit} ({self.percent:.0f}%); "
            f"kappa {kappa}, AC1 {ac1}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "cases": self.cases,
            "agreed": self.agreed,
            "percent": self.percent,
            "kappa": self.kappa,
            "ac1": self.ac1,
            "disagreements": [list(d) for d in self.disagreements],
        }


def _confusion(
    first: Sequence[int] | np.ndarray, second: Sequence[int] | np.ndarray
) -> npt.NDArray[np.int64]:
    """The square table of two raters' codes (rows: first rater), over the codes either used,
    counted with numpy."""
    a, b = np.asarray(first).ravel(), np.asarray(second).ravel()
    if a.size == 0 or a.size != b.size:
        raise ValueError("need two equally long, non-empty sequences")
    if a.dtype.kind in "iub" and b.dtype.kind in "iub":
        low = min(int(a.min()), int(b.min()))
        span = max(int(a.max()), int(b.max())) - low + 1
        if span <= _DIRECT_SPAN and -(2**62) <= low < 2**62:
            # Few possible codes (judgments are -1, 0 and 1): counted over the whole range
            # of codes, then cut to the codes either rater used.
            cells = (a.astype(np.int64) - low) * span + (b.astype(np.int64) - low)
            full = np.bincount(cells, minlength=span * span).reshape(span, span)
            used = np.flatnonzero(full.sum(axis=0) + full.sum(axis=1))
            return full[np.ix_(used, used)].astype(np.int64)
    codes, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    k = codes.size
    cells = inverse[: a.size] * k + inverse[a.size :]
    return np.bincount(cells, minlength=k * k).reshape(k, k).astype(np.int64)


#: The widest range of integer codes that _confusion counts directly (else it sorts them).
_DIRECT_SPAN = 64


def _kappa(table: npt.NDArray[np.int64]) -> float | None:
    n = int(table.sum())
    observed = Fraction(int(np.trace(table)), n)
    expected = Fraction(int((table.sum(axis=1) * table.sum(axis=0)).sum()), n * n)
    if expected == 1:
        return None
    return float((observed - expected) / (1 - expected))


def _ac1(table: npt.NDArray[np.int64], categories: int) -> float:
    if categories < 2 or table.shape[0] > categories:
        raise ValueError(f"the codes use more answers than the {categories} categories given")
    n = int(table.sum())
    observed = Fraction(int(np.trace(table)), n)
    margins = (table.sum(axis=1) + table.sum(axis=0)).tolist()
    pe = sum((Fraction(m, 2 * n) * (1 - Fraction(m, 2 * n)) for m in margins), Fraction(0))
    pe /= categories - 1
    return float((observed - pe) / (1 - pe))


def cohen_kappa(
    first: Sequence[int] | np.ndarray, second: Sequence[int] | np.ndarray
) -> float | None:
    """Cohen's kappa for two raters' codes (any sequences, numpy arrays included); None when
    chance agreement is total.

    Returns:
        Kappa as a float, or None when chance agreement is total (both raters gave one and the same
        code throughout).

    Raises:
        ValueError: the sequences are empty or of different lengths.
    """
    return _kappa(_confusion(first, second))


#: The answers a key question can have (yes, no, not relevant): the categories of AC1.
JUDGMENT_CATEGORIES = 3


def gwet_ac1(
    first: Sequence[int] | np.ndarray,
    second: Sequence[int] | np.ndarray,
    categories: int = JUDGMENT_CATEGORIES,
) -> float:
    """Gwet's AC1 (2008) for two raters' codes on a scale of ``categories`` answers:
    (pa - pe) / (1 - pe) with pe = sum over answers of pi (1 - pi) / (categories - 1), pi the
    two raters' mean share of the answer. Unlike kappa it stays near the agreement when one
    answer dominates.

    Returns:
        AC1 as a float, at most 1.

    Raises:
        ValueError: the sequences are empty or of different lengths, ``categories`` is below 2, or
            the codes use more distinct values than ``categories``.
    """
    return _ac1(_confusion(first, second), categories)


def _agreement(
    question: str, common: Sequence[str], a: npt.NDArray[np.int8], b: npt.NDArray[np.int8]
) -> Agreement:
    table = _confusion(a, b)
    differ = np.flatnonzero(a != b)
    text = _JUDGMENT_TEXT
    disagreements = tuple(
        zip(
            [common[i] for i in differ.tolist()],
            [text[x] for x in a[differ].tolist()],
            [text[x] for x in b[differ].tolist()],
            strict=True,
        )
    )
    return Agreement(
        question,
        int(a.size),
        int(a.size) - len(disagreements),
        _kappa(table),
        disagreements,
        _ac1(table, JUDGMENT_CATEGORIES),
    )


#: Each judgment code's words, for listing disagreements.
_JUDGMENT_TEXT = {int(j): str(j) for j in Judgment}


def _common_rows(first: Sample, second: Sample) -> tuple[list[str], list[int], list[int]]:
    if first.question_ids != second.question_ids:
        raise ValueError("the two samples are for different rubrics")
    if first.case_ids == second.case_ids:  # the same cases in the same order: no search
        every = list(range(len(first.case_ids)))
        if not every:
            raise ValueError("the two samples share no case")
        return list(first.case_ids), every, every
    second_rows = dict(zip(second.case_ids, range(len(second.case_ids)), strict=True))
    rows1 = [i for i, c in enumerate(first.case_ids) if c in second_rows]
    if not rows1:
        raise ValueError("the two samples share no case")
    common = [first.case_ids[i] for i in rows1]
    return common, rows1, [second_rows[c] for c in common]


#: The columns of an agreement table, per key question.
AGREEMENT_COLUMNS = (
    Column("id"),
    *(Column(n, "int") for n in ("cases", "agreed")),
    *(Column(n, "float") for n in ("proportion", "kappa", "ac1")),
    Column("disagreements"),
)


class Agreements(tuple[Agreement, ...]):
    """Every key question's :class:`Agreement`, in rubric order: a tuple (as 0.1 returned)
    that shows itself as a table and becomes a frame."""

    __slots__ = ()

    def __repr__(self) -> str:
        agreed = sum(a.agreed for a in self)
        answers = sum(a.cases for a in self)
        share = f"{100 * agreed / answers:.0f}% of answers agreed" if answers else "no answer"
        return f"<Agreements: {len(self)} key questions, {share}>"

    def to_records(self) -> list[dict[str, Any]]:
        """One row per key question (see :meth:`Agreement.record`)."""
        return [a.record() for a in self]

    def to_frame(self, backend: Backend = "pandas") -> Any:
        """:meth:`to_records` as a typed frame: pandas by default, polars with
        ``backend="polars"``."""
        return frame(self.to_records(), AGREEMENT_COLUMNS, backend)

    def to_dict(self) -> dict[str, Any]:
        return {"questions": [a.to_dict() for a in self]}

    def _repr_html_(self) -> str:
        rows = [[a.question, a.sentence(), len(a.disagreements)] for a in self]
        table = html_table(["Key question", "Agreement", "Disagreements"], rows)
        return html_value("Agreement per key question", [], table)


def agreement(first: Sample, second: Sample) -> Agreements:
    """Per question: cases both auditors judged, how many they agreed on, Cohen's kappa and
    Gwet's AC1 over the three judgments, and each disagreement (case, first, second).

    Returns:
        One :class:`Agreement` per key question, in rubric order, as :class:`Agreements` (a
        tuple with ``to_frame``).

    Raises:
        ValueError: the samples have different key questions, or share no case.
    """
    return Agreements(_per_question(first, second, *_common_rows(first, second)))


def _per_question(
    first: Sample, second: Sample, common: list[str], rows1: list[int], rows2: list[int]
) -> tuple[Agreement, ...]:
    one, two = first.codes[rows1], second.codes[rows2]
    return tuple(
        _agreement(qid, common, one[:, j], two[:, j]) for j, qid in enumerate(first.question_ids)
    )


class _PooledIds(Sequence[str]):
    """The name of each answer of a pooled comparison ("C01 P2.1.1"), made only when asked:
    a disagreement names its case and question."""

    def __init__(self, cases: Sequence[str], questions: Sequence[str]) -> None:
        self.cases, self.questions = cases, questions

    def __len__(self) -> int:
        return len(self.cases) * len(self.questions)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        case, question = divmod(index, len(self.questions))
        return f"{self.cases[case]} {self.questions[question]}"


@attrs.frozen
class AgreementReport:
    """Everything a manager needs from a double-marked audit."""

    auditors: tuple[str, str]
    questions: tuple[Agreement, ...]
    #: every key question's judgments pooled
    pooled: Agreement
    #: per standard (and "overall"): the rating from each auditor's marking of the shared cases
    ratings: tuple[tuple[str, str | None, str | None], ...]
    #: cases only one auditor marked: listed, not used
    only_first: tuple[str, ...]
    only_second: tuple[str, ...]
    #: the rating labels, lowest first (a frame's categories)
    labels: tuple[str, ...] = ()
    #: the file the rubric was loaded from and its rules' fingerprint
    rubric_file: str | None = None
    rubric_fingerprint: str | None = None
    #: the notes on both markings' data, each named by its auditor
    notes: tuple[str, ...] = ()

    @property
    def ratings_differ(self) -> tuple[str, ...]:
        return tuple(sid for sid, a, b in self.ratings if a != b)

    def __repr__(self) -> str:
        p = self.pooled
        agreed = "no answer marked by both" if p.percent is None else f"{p.percent:.0f}% agreed"
        return (
            f"<AgreementReport {self.auditors[0]} and {self.auditors[1]}: "
            f"{len(self.questions)} key questions, {agreed}, {len(self.ratings_differ)} of "
            f"{len(self.ratings)} ratings differ>"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One tidy table: a row per key question and the pooled row, then a row per standard
        (and the overall rating) with each auditor's rating."""
        first, second = self.auditors
        out: list[dict[str, Any]] = []
        for r in (*self.questions, self.pooled):
            pooled = r is self.pooled
            row = dict.fromkeys(c.name for c in self._columns())
            row.update(row="pooled" if pooled else "question", first_auditor=first)
            row.update(second_auditor=second, **r.record())
            if pooled:
                row["disagreements"] = None
            out.append(row)
        for sid, a, b in self.ratings:
            row = dict.fromkeys(c.name for c in self._columns())
            row.update(row="rating", id=sid, first_auditor=first, second_auditor=second)
            row.update(rating_first=a, rating_second=b, ratings_differ=a != b)
            out.append(row)
        return out

    def _columns(self) -> list[Column]:
        return [
            *(Column(n) for n in ("row", "id", "first_auditor", "second_auditor")),
            *(Column(n, "int") for n in ("cases", "agreed")),
            *(Column(n, "float") for n in ("proportion", "kappa", "ac1")),
            *(Column(n, "rating", self.labels) for n in ("rating_first", "rating_second")),
            Column("ratings_differ", "bool"),
            Column("disagreements"),
        ]

    def to_frame(self, backend: Backend = "pandas") -> Any:
        """:meth:`to_records` as a typed frame: pandas by default, polars with
        ``backend="polars"``."""
        return frame(self.to_records(), self._columns(), backend)

    def _repr_html_(self) -> str:
        first, second = self.auditors
        rows: list[list[object]] = [
            [r.question, r.sentence(), len(r.disagreements)] for r in self.questions
        ]
        ratings = [
            [sid, rating_cell(a or "undetermined", a), rating_cell(b or "undetermined", b)]
            for sid, a, b in self.ratings
        ]
        facts = [f"all key questions: {self.pooled.sentence('answers')}"]
        for name, cases in ((first, self.only_first), (second, self.only_second)):
            if cases:
                facts.append(f"marked by {name} only (not compared): {len(cases)} cases")
        return html_value(
            f"Agreement: {first} and {second}",
            facts,
            html_table(["Key question", "Agreement", "Disagreements"], rows),
            html_table(["Rating", first, second], ratings, shown=len(ratings)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "auditors": list(self.auditors),
            "questions": [q.to_dict() for q in self.questions],
            "pooled": self.pooled.to_dict(),
            "ratings": [{"id": sid, "first": a, "second": b} for sid, a, b in self.ratings],
            "ratings_differ": list(self.ratings_differ),
            "only_first": list(self.only_first),
            "only_second": list(self.only_second),
        }


def agreement_report(
    rubric: Rubric,
    first: Sample,
    second: Sample,
    auditors: tuple[str, str] = ("first", "second"),
    ratings: Mapping[str, str] | None = None,
) -> AgreementReport:
    """Agreement per key question and pooled, whether each standard's rating depends on who
    marked the shared cases, and the cases only one auditor marked.

    Returns:
        The :class:`AgreementReport`.

    Raises:
        ValueError: the samples have different key questions, or share no case.
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`, or ``ratings`` is
            not a mapping.
        AuditErrors: the samples' key questions are not the rubric's, or ``ratings`` is bad (an
            unknown or case-based standard, a label off the scale).
    """
    with gc_paused():  # tens of thousands of disagreement tuples: no cycles to look for
        common, rows1, rows2 = _common_rows(first, second)
        questions = _per_question(first, second, common, rows1, rows2)
    pooled = _agreement(
        "all key questions",
        _PooledIds(common, first.question_ids),
        first.codes[rows1].ravel(),
        second.codes[rows2].ravel(),
    )
    one = score(rubric, first.subset(rows1), ratings)
    two = score(rubric, second.subset(rows2), ratings)
    rated = [
        (s1.id, s1.rating, s2.rating)
        for s1, s2 in zip(one.standards, two.standards, strict=True)
        if s1.basis != "judged"
    ]
    if one.overall is not None and two.overall is not None:
        rated.append(("overall", one.overall.rating, two.overall.rating))
    # Case ids are unique within a sample: every case is shared when the counts agree.
    everywhere = len(common) == len(first.case_ids) == len(second.case_ids)
    shared = set() if everywhere else set(common)
    about = About.of_rubric(rubric, [(auditors[0], first.notes), (auditors[1], second.notes)])
    return AgreementReport(
        auditors,
        questions,
        pooled,
        tuple(rated),
        () if everywhere else tuple(c for c in first.case_ids if c not in shared),
        () if everywhere else tuple(c for c in second.case_ids if c not in shared),
        one.labels,
        about.rubric_file,
        about.rubric_fingerprint,
        about.notes,
    )


# -- subgroups ----------------------------------------------------------------------------


@attrs.frozen
class GroupResult:
    """One group of cases (all cases sharing an attribute value), rated on its own."""

    attribute: str
    value: str
    cases: int
    result: Result
    #: key questions with fewer relevant cases than the threshold
    small: tuple[str, ...]
    min_relevant: int

    @property
    def too_small(self) -> bool:
        """True when some key question has too few relevant cases to rate the group."""
        return bool(self.small)

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute,
            "value": self.value,
            "cases": self.cases,
            "too_small": self.too_small,
            "small_questions": list(self.small),
            "min_relevant": self.min_relevant,
            "result": self.result.to_dict(),
        }


def by_attribute(
    rubric: Rubric,
    judgments: JudgmentSource,
    attribute: str,
    ratings: Mapping[str, str] | None = None,
    *,
    min_relevant: int = 10,
) -> tuple[GroupResult, ...]:
    """Rate each group of cases sharing a value of ``attribute`` (``sentence_type``, sex,
    risk level), with its own denominators; a group with a key question below
    ``min_relevant`` relevant cases is marked too small to rate. ``judgments`` is any source
    :func:`~probation_audit.reading.read_judgments` takes.

    Returns:
        One :class:`GroupResult` per value of ``attribute``, in sorted order.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`, the judgments are of
            no supported kind, or ``ratings`` is not a mapping.
        KeyError: ``attribute`` is not one of the sample's case attributes.
        AuditErrors: the judgments cannot be read or have problems (every problem listed), or
            ``ratings`` is bad (an unknown or case-based standard, a label off the scale).
        ImportError: the source is a workbook and openpyxl (the ``excel`` extra) is not installed.
    """
    sample = read_judgments(judgments, rubric)
    out = []
    for value, group in sample.groups(attribute).items():
        result = score(rubric, group, ratings)
        small = tuple(q.id for q in result.questions if q.relevant < min_relevant)
        out.append(GroupResult(attribute, value, len(group), result, small, min_relevant))
    return tuple(out)


def moves_chance_could_explain(
    before: Result, after: Result, changes: Sequence[QuestionChange]
) -> tuple[str, ...]:
    """The standards whose rating moved between two audits although no key question that drove
    it, before or after, changed significantly in the direction of the move: moves chance could
    explain (a rating moves when its lowest key question crosses a band edge, so a small change
    can move it).

    Returns:
        The standards' ids, in rubric order (empty when every move is borne out).

    Raises:
        Nothing of its own: standards undetermined in either audit are left out.
    """
    change_of = {c.id: c for c in changes}
    scale = before.labels or after.labels
    found = []
    for sb, sa in zip(before.standards, after.standards, strict=True):
        if sb.rating is None or sa.rating is None or sb.rating == sa.rating:
            continue
        if not sb.questions or sb.rating not in scale or sa.rating not in scale:
            continue  # a judged standard: no key question drives it
        up = scale.index(sa.rating) > scale.index(sb.rating)
        drivers = [change_of[q] for q in {*sb.driven_by, *sa.driven_by} if q in change_of]
        if not any(
            c.significant and c.difference is not None and (c.difference > 0) == up for c in drivers
        ):
            found.append(sb.id)
    return tuple(found)


def chance_caution(moved: Sequence[str]) -> str:
    """The sentence that says which rating moves may not be real ('' when none).

    Returns:
        One sentence naming the standards, or ''.

    Raises:
        Nothing of its own.
    """
    if not moved:
        return ""
    return (
        "A rating moves when its lowest key question crosses a band edge; no key question that "
        f"drove {', '.join(moved)} changed that way by more than chance could explain, so "
        f"{'that move' if len(moved) == 1 else 'those moves'} may not be real."
    )


def significance_note(changes: Sequence[QuestionChange]) -> str:
    """The footnote under a list of changes: what the ``*`` marks, or that nothing is marked.

    Returns:
        "* a change this large would be unusual by chance (...)" when any change is
        significant, otherwise a sentence saying that none is.

    Raises:
        Nothing of its own.
    """
    test = "Fisher's exact test, p below 0.05"
    if any(c.significant for c in changes):
        return f"* a change this large would be unusual by chance ({test})"
    return f"No change here is large enough to be unusual by chance ({test}), so none is marked *"
