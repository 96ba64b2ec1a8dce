"""Rating engines: a rubric applied to case judgments, in exact arithmetic.

:func:`score_tally` rates from ``(yes, relevant)`` counts (``probation_audit.score`` reads
judgments from any source first; this module imports no reader). Each case-based standard is rated
by its aggregation's ``method``, looked up in :data:`STANDARD_METHODS` (``lowest``: the band of
the lowest key-question percentage; ``weighted``: a weighted mix of the individual questions'
mean and a summary question); domains by ``mean``; threads and the overall rule follow. Each
rating carries its explanation: what drove it, and how many cases lift or drop it a band.

Everything here is a pure function of its inputs, computed with :class:`fractions.Fraction`
from the rubric's compiled rules (:mod:`probation_audit._rules`, which the numpy bulk path in
:mod:`probation_audit._bulk` reads too); the result classes are in
:mod:`probation_audit.results`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

import attrs
import numpy as np

from ._identity import rubric_file, rules_fingerprint
from ._rules import Rules, StandardRules, rules_of
from ._shims import moved_names
from .errors import AuditError, AuditErrors
from .results import (
    DomainResult,
    Margin,
    OverallResult,
    PromptResult,
    QuestionResult,
    Result,
    StandardResult,
    ThreadResult,
    percent_text,
)
from .rubric import Aggregation, Rubric, Standard, Thread, round_half_up

__all__ = [
    "NOT_RATED",
    "STANDARD_METHODS",
    "casework_only",
    "check_ratings",
    "rate_domains",
    "rate_overall",
    "score_tally",
    "weighted_score",
]

#: The input that says a judged standard was not rated (where its rubric allows it).
NOT_RATED = "not rated"

#: ``rating.score`` and ``rating.Judgments`` (they read a source, so they live above the readers)
#: still resolve, with a warning, until 0.3.
__getattr__ = moved_names(__name__)


def require_rubric(rubric: object) -> Rubric:
    """``rubric`` itself; TypeError (saying how to get one) for anything else."""
    if not isinstance(rubric, Rubric):
        hint = " (load it with load_rubric)" if isinstance(rubric, str) else ""
        raise TypeError(f"expected a Rubric{hint}, got {type(rubric).__name__} {rubric!r:.60}")
    return rubric


def check_ratings(rubric: Rubric, ratings: Mapping[str, str] | None) -> dict[str, str]:
    """Judged standards' ratings, labels normalised; every bad entry reported.

    Raises :class:`TypeError` when ``rubric`` is not a :class:`Rubric` or ``ratings`` not a
    mapping, and :class:`AuditErrors` for unknown standards and labels.

    Returns:
        A dict of standard id to label, spelt as on the standard's scale, or :data:`NOT_RATED`;
        empty when ``ratings`` is None.

    Raises:
        TypeError: ``rubric`` is not a :class:`Rubric`, or ``ratings`` is neither a mapping nor
            None.
        AuditErrors: listing every entry that names an unknown or a case-based standard, gives a
            label that is not on the standard's scale, or says 'not rated' where the rubric does not
            allow it; each an :class:`~probation_audit.errors.AuditError` at key path
            ``ratings.<id>``.
    """
    require_rubric(rubric)
    if ratings is not None and not isinstance(ratings, Mapping):
        raise TypeError(
            "ratings must map judged standard ids to labels, e.g. "
            f"{{'P1.1': 'Good'}}; got {type(ratings).__name__} {ratings!r:.60}"
        )
    errors: list[AuditError] = []
    out: dict[str, str] = {}
    for sid, label in (ratings or {}).items():
        path = f"ratings.{sid}"
        try:
            standard = rubric.standard(sid)
        except KeyError:
            judged = [s.id for s in rubric.standards if s.judged]
            errors.append(
                AuditError(
                    f"unknown standard (judged standards in {rubric.id!r}: {', '.join(judged) or 'none'})",
                    key_path=path,
                )
            )
            continue
        if not standard.judged:
            errors.append(
                AuditError(
                    "is rated from the case sample; a rating cannot be given for it", key_path=path
                )
            )
            continue
        assert standard.scale is not None
        scale = rubric.scale(standard.scale)
        if isinstance(label, str) and " ".join(label.split()).casefold() == NOT_RATED:
            if standard.may_be_unrated:
                out[sid] = NOT_RATED
            else:
                errors.append(
                    AuditError(
                        f"cannot be 'not rated' in rubric {rubric.id!r} (expected one of: "
                        f"{', '.join(scale.labels)})",
                        key_path=path,
                    )
                )
            continue
        matched = scale.match(label) if isinstance(label, str) else None
        if matched is None:
            unrated = ", or 'not rated'" if standard.may_be_unrated else ""
            errors.append(
                AuditError(
                    f"invalid rating {label!r} (expected one of: {', '.join(scale.labels)}{unrated})",
                    key_path=path,
                )
            )
            continue
        out[sid] = matched
    if errors:
        raise AuditErrors(errors)
    return out


def score_tally(
    rubric: Rubric,
    tally: Mapping[str, tuple[int, int]],
    ratings: Mapping[str, str] | None = None,
    *,
    cases: int | None = None,
    prompt_tally: Mapping[str, tuple[int, int]] | None = None,
    notes: tuple[str, ...] = (),
) -> Result:
    """Like ``probation_audit.score``, from ``(yes, relevant)`` counts per key question (and, optionally,
    per prompt: prompts are reported, never rated).

    Returns:
        The :class:`~probation_audit.results.Result`; its ``cases`` is ``cases`` when given, else
        the largest relevant count.

    Raises:
        TypeError: ``rubric`` is not a :class:`Rubric`, or ``ratings``, ``tally`` or
            ``prompt_tally`` is not a mapping.
        AuditErrors: ``ratings`` is bad (reported alone, before the counts are looked at); or,
            listing them all, a key question has no tally, a tally is not a pair of whole numbers
            with ``0 <= yes <= relevant``, or an id is not a key question or prompt of the rubric.

    Example: the figures of HM Inspectorate of Probation's inspection of Northamptonshire PDU
    (July 2024), where every key question was relevant to all 70 cases:

    >>> import probation_audit as pa
    >>> rubric = pa.load_rubric("hmip-probation-2023")
    >>> yes = {"P2.1.1": 36, "P2.1.2": 47, "P2.1.3": 11, "P2.2.1": 27, "P2.2.2": 38,
    ...        "P2.2.3": 25, "P2.3.1": 30, "P2.3.2": 15, "P2.3.3": 19, "P2.4.1": 34,
    ...        "P2.4.2": 25, "P2.4.3": 17}
    >>> judged = {"P1.1": "Requires improvement", "P1.2": "Inadequate",
    ...           "P1.3": "Requires improvement"}
    >>> result = pa.score_tally(rubric, {q: (k, 70) for q, k in yes.items()}, judged)
    >>> assessment = result.standard("P2.1")
    >>> assessment.rating, assessment.driven_by
    ('Inadequate', ('P2.1.3',))
    >>> assessment.lift.rating, assessment.lift.cases
    ('Requires improvement', 24)
    >>> result.overall.rating, result.overall.points
    ('Inadequate', 2)
    """
    given = check_ratings(rubric, ratings)
    clean, prompts = _checked_tallies(rubric, tally, prompt_tally)
    rules = rules_of(rubric)
    standards = tuple(
        _judged(s, r, given.get(s.id)) if s.judged else _rate_cases(rubric, s, clean, prompts)
        for s, r in zip(rubric.standards, rules.standards, strict=True)
    )
    statuses = tuple((path, p.status) for path, p in rubric.provenances().items())
    assumptions = tuple(
        f"{path} ({_rule_value(rubric, path)}): {p.source}"
        for path, p in rubric.provenances().items()
        if p.status == "assumed"
    )
    return Result(
        rubric=rubric.id,
        rounding=rubric.rounding.method,
        cases=max((r for _, r in clean.values()), default=0) if cases is None else cases,
        standards=standards,
        overall=rate_overall(rubric, standards),
        statuses=statuses,
        assumptions=assumptions,
        domains=rate_domains(rubric, standards),
        threads=tuple(
            _thread(t, questions, clean)
            for t, (_, questions) in zip(rubric.threads, rules.threads, strict=True)
        ),
        notes=tuple(notes),
        labels=rules.labels,
        rubric_file=rubric_file(rubric),
        rubric_fingerprint=rules_fingerprint(rubric),
    )


def _checked_tallies(
    rubric: Rubric,
    tally: Mapping[str, tuple[int, int]],
    prompt_tally: Mapping[str, tuple[int, int]] | None,
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """The key questions' and prompts' ``(yes, relevant)`` counts as Python ints, checked
    against the rubric (see :func:`score_tally` for what is refused, all problems at once)."""
    if not isinstance(tally, Mapping):
        raise TypeError(
            f"tally must map key question ids to (yes, relevant) counts; got {type(tally).__name__}"
        )
    errors: list[AuditError] = []
    clean: dict[str, tuple[int, int]] = {}
    for qid in rubric.question_ids:
        if qid not in tally:
            errors.append(AuditError("no tally", question_id=qid))
            continue
        pair = _count_pair(tally[qid])
        if isinstance(pair, str):
            errors.append(AuditError(pair, question_id=qid))
        else:
            clean[qid] = pair
    prompts: dict[str, tuple[int, int]] = {}
    if prompt_tally is not None and not isinstance(prompt_tally, Mapping):
        raise TypeError(
            f"prompt_tally must map prompt ids to (yes, relevant) counts; got {type(prompt_tally).__name__}"
        )
    known_prompts = set(rubric.prompt_ids)
    for pid, value in (prompt_tally or {}).items():
        if pid not in known_prompts:
            errors.append(AuditError(f"not a prompt of rubric {rubric.id!r}", question_id=pid))
            continue
        pair = _count_pair(value)
        if isinstance(pair, str):
            errors.append(AuditError(pair, question_id=pid))
        else:
            prompts[pid] = pair
    known = set(rubric.question_ids)
    for qid in tally:
        if qid not in known:
            errors.append(
                AuditError(f"not a key question of rubric {rubric.id!r}", question_id=qid)
            )
    if errors:
        raise AuditErrors(errors)
    return clean, prompts


def _count_pair(value: object) -> tuple[int, int] | str:
    """``(yes, relevant)`` as Python ints (numpy integers accepted), or what is wrong."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        return f"expected a pair of counts (yes, relevant), found {value!r:.60}"
    yes, relevant = (int(c) if isinstance(c, np.integer) else c for c in value)
    if (
        isinstance(yes, bool)
        or isinstance(relevant, bool)
        or not isinstance(yes, int)
        or not isinstance(relevant, int)
    ):
        return f"counts must be whole numbers, found ({yes!r}, {relevant!r})"
    if not 0 <= yes <= relevant:
        return f"need 0 <= yes <= relevant, found yes {yes}, relevant {relevant}"
    return yes, relevant


def rate_domains(rubric: Rubric, standards: tuple[StandardResult, ...]) -> tuple[DomainResult, ...]:
    """Scores of the domains that have an aggregation, from the standards' results.

    Returns:
        One :class:`~probation_audit.results.DomainResult` per domain with an aggregation, in rubric
        order; its value is None, with the reason, when the domain has no case-based standard or one
        is undetermined.

    Raises:
        ValueError: ``standards`` does not hold one result per standard of the rubric (they are
            paired strictly), when some domain has an aggregation.
    """
    rules = rules_of(rubric)
    if rules.domains and len(standards) != len(rules.standards):
        raise ValueError(
            f"expected one result per standard of {rubric.id!r} ({len(rules.standards)}), "
            f"got {len(standards)}"
        )
    out = []
    for domain_id, positions in rules.domains:
        domain = rubric.domain(domain_id)
        members = [standards[p] for p in positions]
        ids = tuple(s.id for s in members)
        missing = [s for s in members if s.value is None]
        if not members:
            out.append(DomainResult(domain.id, domain.title, None, ids, "no case-based standards"))
        elif missing:
            reasons = "; ".join(f"{s.id}: {s.reason}" for s in missing)
            out.append(
                DomainResult(
                    domain.id, domain.title, None, ids, f"undetermined standards ({reasons})"
                )
            )
        else:
            # Means of the exact scores; a reproduction from printed scores passes those instead.
            mean = sum((s.value for s in members if s.value is not None), Fraction(0)) / len(
                members
            )
            out.append(DomainResult(domain.id, domain.title, mean, ids))
    return tuple(out)


def _thread(
    thread: Thread, questions: tuple[str, ...], tally: Mapping[str, tuple[int, int]]
) -> ThreadResult:
    empty = [q for q in questions if tally[q][1] == 0]
    if empty:
        return ThreadResult(
            thread.id,
            thread.title,
            thread.tag,
            None,
            questions,
            None,
            reason=f"no relevant cases for {', '.join(empty)}",
            follow_up_reason="follow-up not determined",
        )
    value = sum((Fraction(100 * tally[q][0], tally[q][1]) for q in questions), Fraction(0)) / len(
        questions
    )
    return _with_follow_up(thread, value, questions)


def _with_follow_up(thread: Thread, value: Fraction, questions: tuple[str, ...]) -> ThreadResult:
    if thread.follow_up is None:
        return ThreadResult(
            thread.id,
            thread.title,
            thread.tag,
            value,
            questions,
            None,
            follow_up_reason="whether a further inspection follows is not determined: the rubric gives no threshold",
        )
    below = thread.follow_up.below
    follows = value < below
    return ThreadResult(
        thread.id,
        thread.title,
        thread.tag,
        value,
        questions,
        follows,
        follow_up_reason=(
            f"{'below' if follows else 'not below'} the follow-up threshold of {percent_text(below)} "
            f"({thread.follow_up.provenance.status}): {'a further inspection follows' if follows else 'no further inspection'}"
        ),
    )


def _rule_value(rubric: Rubric, path: str) -> str:
    if path == "rounding":
        return f"method = {rubric.rounding.method}"
    if path.startswith("aggregations."):
        return f"method = {rubric.aggregation(path.split('.', 1)[1]).method}"
    return "see rubric"


def _judged(standard: Standard, rules: StandardRules, label: str | None) -> StandardResult:
    if label is None:
        return StandardResult(
            standard.id,
            standard.title,
            standard.basis,
            None,
            None,
            reason=f"judged standard {standard.id} has no rating given",
        )
    if label == NOT_RATED:
        return StandardResult(
            standard.id,
            standard.title,
            standard.basis,
            None,
            None,
            reason="not rated: given as not rated (no cases of its kind to inspect)",
            not_rated=True,
        )
    return StandardResult(
        standard.id, standard.title, standard.basis, label, rules.scale.points_of(label)
    )


def _rate_cases(
    rubric: Rubric,
    standard: Standard,
    tally: Mapping[str, tuple[int, int]],
    prompts: Mapping[str, tuple[int, int]],
) -> StandardResult:
    questions = tuple(
        QuestionResult(
            q.id,
            standard.id,
            q.text,
            tally[q.id][0],
            tally[q.id][1],
            q.summary,
            tuple(PromptResult(p.id, p.text, *prompts.get(p.id, (0, 0))) for p in q.prompts),
        )
        for q in standard.questions
    )
    empty = [q.id for q in questions if not q.relevant]
    if empty:
        return StandardResult(
            standard.id,
            standard.title,
            standard.basis,
            None,
            None,
            reason=f"no relevant cases for {', '.join(empty)}",
            questions=questions,
        )
    assert standard.aggregation is not None
    aggregation = rubric.aggregation(standard.aggregation)
    engine = STANDARD_METHODS.get(aggregation.method)
    if engine is None:  # pragma: no cover - the rubric model admits only rating methods here
        raise ValueError(f"aggregation method {aggregation.method!r} cannot rate a standard")
    return engine(rubric, standard, questions, aggregation)


def _rate_lowest(
    rubric: Rubric,
    standard: Standard,
    questions: tuple[QuestionResult, ...],
    aggregation: Aggregation,
) -> StandardResult:
    """The band of the lowest key-question percentage (after the rubric's rounding rule)."""
    rules = rules_of(rubric)
    bands = rules.bands
    values = {q.id: rules.rounded(q.percent) for q in questions if q.percent is not None}
    lowest = min(values.values())
    driven_by = tuple(q.id for q in questions if values[q.id] == lowest)
    exact_lowest = min(q.percent for q in questions if q.percent is not None)
    rating = bands.labels[bands.of_percent(exact_lowest)]
    return StandardResult(
        standard.id,
        standard.title,
        standard.basis,
        rating,
        rules.rating_scale.points_of(rating),
        questions=questions,
        driven_by=driven_by,
        value=lowest,
        exact_rating=bands.rating(exact_lowest),
        rounded_rating=bands.rating(Fraction(round_half_up(exact_lowest))),
        lift=_lift(rules, questions, rating),
        drop=_drop(rules, questions, rating),
    )


def weighted_score(
    questions: tuple[QuestionResult, ...], aggregation: Aggregation
) -> tuple[Fraction, Fraction, Fraction]:
    """``(score, individual mean, summary)`` as exact percentages; every question relevant.

    The caller checks the inputs: ``aggregation`` has the 'weighted' method, every question has
    relevant cases and exactly one is the summary question.

    Returns:
        A tuple ``(score, individual mean, summary)`` of exact Fractions.

    Raises:
        AssertionError: ``aggregation`` has no weights, or a question has no relevant cases
            (assertions, so not under ``python -O``).
        StopIteration: no question is the summary question.
        ZeroDivisionError: every question is a summary question.
    """
    assert aggregation.individual is not None and aggregation.summary is not None
    individual = [q.percent for q in questions if not q.summary]
    summary = next(q.percent for q in questions if q.summary)
    assert summary is not None and all(p is not None for p in individual)
    mean = sum((p for p in individual if p is not None), Fraction(0)) / len(individual)
    return aggregation.individual * mean + aggregation.summary * summary, mean, summary


def _rate_weighted(
    rubric: Rubric,
    standard: Standard,
    questions: tuple[QuestionResult, ...],
    aggregation: Aggregation,
) -> StandardResult:
    rules = rules_of(rubric)
    bands = rules.bands
    score, mean, summary = weighted_score(questions, aggregation)
    rating = bands.labels[bands.of_percent(score)]
    return StandardResult(
        standard.id,
        standard.title,
        standard.basis,
        rating,
        rules.rating_scale.points_of(rating),
        questions=questions,
        value=rules.rounded(score),
        exact_rating=bands.rating(score),
        rounded_rating=bands.rating(Fraction(round_half_up(score))),
        lift=_weighted_margin(rules, questions, aggregation, rating, up=True),
        drop=_weighted_margin(rules, questions, aggregation, rating, up=False),
        individual_mean=mean,
        summary_percent=summary,
    )


def _target(rules: Rules, rating: str, *, up: bool) -> int | None:
    """The band a margin aims at: the first rated above ``rating`` (``up``), or the first rated
    ``rating`` (whose threshold a drop falls below); None when there is none to cross."""
    rank = rules.rating_scale.rank(rating)
    if up:
        return rules.bands.next_above(rank)
    band = rules.bands.first_at(rank)
    return None if rules.bands.edges[band] == 0 else band


def _weighted_margin(
    rules: Rules,
    questions: tuple[QuestionResult, ...],
    aggregation: Aggregation,
    rating: str,
    *,
    up: bool,
) -> Margin | None:
    """Fewest 'yes' cases gained (``up``) or lost that move a weighted score across a band
    edge. Each case on a question moves the score by that question's fixed step, so taking
    the largest steps first is optimal."""
    assert aggregation.individual is not None and aggregation.summary is not None
    band = _target(rules, rating, up=up)
    if band is None:
        return None
    # The exact score the edge corresponds to under the rounding rule.
    edge = rules.bands.thresholds[band]
    n_individual = sum(1 for q in questions if not q.summary)
    score, _, _ = weighted_score(questions, aggregation)
    steps = []
    for q in questions:
        weight = aggregation.summary if q.summary else aggregation.individual / n_individual
        room = (q.relevant - q.yes) if up else q.yes
        steps.append((weight * 100 / q.relevant, room, q.id))
    steps.sort(key=lambda item: -item[0])
    needed = edge - score if up else score - edge  # up: reach >= edge; down: fall below edge
    taken: list[tuple[str, int]] = []
    moved = Fraction(0)
    for step, room, qid in steps:
        if room == 0:
            continue
        remaining = needed - moved
        if up:
            count = max(0, math.ceil(remaining / step))
        else:
            count = max(0, math.floor(remaining / step) + 1)
        count = min(count, room)
        if count:
            taken.append((qid, count))
            moved += count * step
        if (up and moved >= needed) or (not up and moved > needed):
            new_score = score + moved if up else score - moved
            reached = rules.bands.labels[rules.bands.of_percent(new_score)]
            return Margin(reached, sum(n for _, n in taken), tuple(taken))
    return None  # pragma: no cover - every question at its limit always crosses the edge


def _fewest_yes(threshold: Fraction, relevant: int) -> int:
    """Fewest 'yes' of ``relevant`` cases whose exact percentage reaches ``threshold`` (0 to
    100): the ceiling of threshold x relevant / 100, in integers."""
    return -(-threshold.numerator * relevant // (threshold.denominator * 100))


def _lift(rules: Rules, questions: tuple[QuestionResult, ...], rating: str) -> Margin | None:
    band = _target(rules, rating, up=True)
    if band is None:
        return None
    threshold = rules.bands.thresholds[band]
    needs: list[tuple[str, int]] = []
    new_percents: list[Fraction] = []
    for q in questions:
        k = max(q.yes, _fewest_yes(threshold, q.relevant))
        if k > q.yes:
            needs.append((q.id, k - q.yes))
        new_percents.append(Fraction(100 * k, q.relevant))
    reached = rules.bands.labels[rules.bands.of_percent(min(new_percents))]
    return Margin(reached, sum(n for _, n in needs), tuple(needs))


def _drop(rules: Rules, questions: tuple[QuestionResult, ...], rating: str) -> Margin | None:
    band = _target(rules, rating, up=False)
    if band is None:
        return None
    threshold = rules.bands.thresholds[band]
    losses: list[tuple[str, int, Fraction]] = []
    for q in questions:
        # The largest k still below the threshold is one less than the fewest reaching it.
        k = _fewest_yes(threshold, q.relevant) - 1
        losses.append((q.id, q.yes - k, Fraction(100 * k, q.relevant)))
    fewest = min(n for _, n, _ in losses)
    chosen = [(qid, n, p) for qid, n, p in losses if n == fewest]
    # With several questions equally close, the rating reached depends on which one loses the
    # cases: report the highest (the least a loss of that size can do).
    return Margin(
        rules.bands.labels[rules.bands.of_percent(max(p for _, _, p in chosen))],
        fewest,
        tuple((qid, n) for qid, n, _ in chosen),
    )


StandardEngine = Callable[
    [Rubric, Standard, tuple[QuestionResult, ...], Aggregation], StandardResult
]

#: How a case-based standard is rated, by its aggregation's ``method`` in the rubric file.
STANDARD_METHODS: Mapping[str, StandardEngine] = {
    "lowest": _rate_lowest,
    "weighted": _rate_weighted,
}


def casework_only(rubric: Rubric, result: Result) -> Result:
    """``result`` as a casework-only audit: the case-based standards alone, no judged standard
    and no overall rating, by design (internal audits rarely judge leadership or services).

    Returns:
        A copy of ``result`` without the judged standards and the overall rating, with a note naming
        the judged standards left out (when the rubric has any).

    Raises:
        Nothing of its own: it only filters ``result``.
    """
    judged = [s.id for s in rubric.standards if s.judged]
    note = (
        f"casework-only audit: the judged standards ({', '.join(judged)}) and the overall "
        "rating are not part of it"
    )
    return attrs.evolve(
        result,
        standards=tuple(s for s in result.standards if s.basis != "judged"),
        overall=None,
        notes=(*result.notes, note) if judged else result.notes,
    )


def needs_judged(standards: Sequence[str]) -> str:
    """Why an overall rating is undetermined when nobody gave the judged ratings of
    ``standards``: said alike by every output (a result's overall reason, ``compare``,
    ``agreement``).

    Returns:
        The reason, naming the standards in the order given.

    Raises:
        Nothing of its own.
    """
    return (
        f"needs the judged rating{'s' if len(standards) > 1 else ''} of "
        f"{', '.join(standards)} (inputs: give them, or rate the casework alone)"
    )


def judged_not_given(rubric: Rubric, ratings: Mapping[str, str]) -> tuple[str, ...]:
    """The judged standards the rubric's overall rule counts that ``ratings`` gives no rating
    for (``not rated`` is a rating given).

    Returns:
        Their ids in rubric order; none when the rubric has no overall rule.

    Raises:
        Nothing of its own.
    """
    rule = rules_of(rubric).overall
    counted = () if rule is None else rule.standards
    return tuple(
        s.id for s in rubric.standards if s.judged and s.id in counted and s.id not in ratings
    )


def rate_overall(rubric: Rubric, standards: tuple[StandardResult, ...]) -> OverallResult | None:
    """The overall rating from the standards' results (None when the rubric has no overall rule).

    Returns:
        The :class:`~probation_audit.results.OverallResult`, with its rating and points or, when a
        counted standard is undetermined, None and the reason; None when the rubric has no overall
        rule.

    Raises:
        KeyError: ``standards`` lacks a standard that the overall rule counts.
    """
    rule = rules_of(rubric).overall
    if rule is None:
        return None
    by_id = {s.id: s for s in standards}
    counted = rule.standards
    max_points = rule.max_points
    missing = [sid for sid in counted if by_id[sid].rating is None]
    if missing:
        # Judged ratings nobody gave: said once, naming them all; anything else with its reason.
        not_given = [
            sid
            for sid in missing
            if rubric.standard(sid).judged
            and not by_id[sid].not_rated
            and by_id[sid].rating is None
            and by_id[sid].reason == f"judged standard {sid} has no rating given"
        ]
        others = [sid for sid in missing if sid not in not_given]
        parts = [needs_judged(not_given)] if not_given else []
        if others:
            reasons = "; ".join(f"{sid}: {by_id[sid].reason}" for sid in others)
            parts.append(f"undetermined standards ({reasons})")
        return OverallResult(None, None, max_points, counted, reason="; ".join(parts))
    points = sum(by_id[sid].points or 0 for sid in counted)
    return OverallResult(rule.rating(points), points, max_points, counted)
