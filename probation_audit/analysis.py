"""One audit's analysis: the result and every optional figure beside it, as one value.

:func:`analyse` makes an :class:`Analysis` from a sample (its result, and on request the
intervals, the uncertainty flags, the rating probabilities, the ratings of groups of cases and
the feedback on each case); every writer takes it: the command line's text, CSV and JSON, the
Markdown and HTML reports and the results workbook. A figure is computed once, here, and the
writers only render it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ._feedback import CaseFeedback, GroupFeedback, case_feedback, group_feedback
from ._probabilities import METHODS, ProbabilityMethod, RatingProbabilities, rating_probabilities
from ._scoring import score
from .judgments import Sample
from .rating import casework_only as casework_only_result
from .rating import require_rubric
from .results import Result
from .rubric import Rubric
from .statistics import GroupResult, Interval, Method, by_attribute, interval, uncertain_standards

__all__ = ["Analysis", "analyse"]


@attrs.frozen
class Analysis:
    """A result and the optional figures computed for it, ready for any writer.

    ``intervals`` and ``uncertain`` are in the rubric's order (key questions with a relevant
    case; case-based standards); ``feedback`` is None when it was not asked for.
    """

    result: Result
    intervals: tuple[tuple[str, Interval], ...] = ()
    uncertain: tuple[tuple[str, bool], ...] = ()
    probabilities: RatingProbabilities | None = None
    #: whether writers show each rating's whole distribution beside the headline
    distribution: bool = False
    groups: tuple[GroupResult, ...] = ()
    feedback: tuple[CaseFeedback, ...] | None = None
    feedback_groups: tuple[GroupFeedback, ...] = ()
    notes: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        result: Result,
        *,
        intervals: Mapping[str, Interval] | None = None,
        uncertain: Mapping[str, bool] | None = None,
        probabilities: RatingProbabilities | None = None,
        distribution: bool = False,
        groups: Sequence[GroupResult] = (),
        feedback: Sequence[CaseFeedback] | None = None,
        feedback_groups: Sequence[GroupFeedback] = (),
        notes: Sequence[str] = (),
    ) -> Analysis:
        """An analysis of figures already computed (mappings as the writers took them before
        0.2)."""
        return cls(
            result,
            tuple((intervals or {}).items()),
            tuple((uncertain or {}).items()),
            probabilities,
            distribution,
            tuple(groups),
            None if feedback is None else tuple(feedback),
            tuple(feedback_groups),
            tuple(notes),
        )

    @property
    def interval_map(self) -> dict[str, Interval]:
        """Key question id -> its interval."""
        return dict(self.intervals)

    @property
    def uncertain_map(self) -> dict[str, bool]:
        """Case-based standard id -> whether its driving question's interval crosses an edge."""
        return dict(self.uncertain)

    def to_dict(self) -> dict[str, Any]:
        """The optional figures as plain data (the result itself is :meth:`Result.to_dict`):
        only the figures that were computed appear."""
        out: dict[str, Any] = {}
        if self.intervals:
            out["intervals"] = {q: i.to_dict() for q, i in self.intervals}
            out["uncertain"] = dict(self.uncertain)
        if self.probabilities is not None:
            out["probabilities"] = self.probabilities.to_dict()
        if self.groups:
            out["groups"] = [g.to_dict() for g in self.groups]
        if self.feedback is not None:
            out["feedback"] = [c.to_dict() for c in self.feedback]
        if self.feedback_groups:
            out["feedback_groups"] = [g.to_dict() for g in self.feedback_groups]
        if self.notes:
            out["notes"] = list(self.notes)
        return out


def analyse(
    rubric: Rubric,
    sample: Sample,
    ratings: Mapping[str, str] | None = None,
    *,
    casework_only: bool = False,
    intervals: bool = False,
    confidence: float = 0.95,
    method: Method = "wilson",
    probabilities: bool = False,
    population: int | None = None,
    probability_method: ProbabilityMethod = METHODS[0],
    resamples: int = 10_000,
    seed: int = 0,
    distribution: bool = False,
    by: str | None = None,
    min_relevant: int = 10,
    feedback: bool = False,
    feedback_by: str | None = None,
    min_cases: int = 5,
) -> Analysis:
    """Score ``sample`` and compute the figures asked for, once, for every writer.

    ``intervals`` adds each key question's confidence interval (``confidence``, ``method``)
    and flags the standards whose driving question's interval crosses a band edge;
    ``probabilities`` how likely each rating is (:func:`~probation_audit._probabilities.rating_probabilities`
    with ``population``, ``probability_method``, ``resamples`` and ``seed``); ``by`` the ratings
    of each group of cases sharing that attribute (``min_relevant``); ``feedback`` what each
    case answered No, and ``feedback_by`` each group's counts (``min_cases``).
    ``casework_only`` leaves out the judged standards and the overall rating.

    Returns:
        The :class:`Analysis`.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`.
        ValueError: ``casework_only`` with ``ratings``; ``feedback_by`` without ``feedback``;
            ``by`` or ``feedback_by`` is not a case attribute of the sample; or an option
            :func:`~probation_audit._probabilities.rating_probabilities` or
            :func:`~probation_audit.statistics.interval` refuses.
        AuditErrors: ``ratings`` name an unknown standard or label.
    """
    require_rubric(rubric)
    given = dict(ratings or {})
    if casework_only and given:
        raise ValueError("a casework-only audit rates no judged standard: leave out ratings")
    if feedback_by is not None and not feedback:
        raise ValueError("feedback_by goes with feedback")
    result = score(rubric, sample, given)
    if casework_only:
        result = casework_only_result(rubric, result)
    found: dict[str, Any] = {"distribution": distribution}
    if intervals:
        found["intervals"] = tuple(
            (q.id, interval(q.yes, q.relevant, confidence, method))
            for q in result.questions
            if q.relevant
        )
        found["uncertain"] = tuple(uncertain_standards(rubric, result, confidence, method).items())
    if probabilities:
        found["probabilities"] = rating_probabilities(
            rubric,
            sample,
            given,
            population=population,
            seed=seed,
            method=probability_method,
            resamples=resamples,
        )
    try:
        if by is not None:
            found["groups"] = by_attribute(rubric, sample, by, given, min_relevant=min_relevant)
        if feedback:
            found["feedback"] = case_feedback(rubric, sample)
        if feedback_by is not None:
            found["feedback_groups"] = group_feedback(sample, feedback_by, min_cases=min_cases)
    except KeyError as exc:
        raise ValueError(str(exc.args[0])) from None
    return Analysis(result, **found)
