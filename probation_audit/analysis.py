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

from ._display import Backend, Column, frame, html_table, rating_cell
from ._feedback import CaseFeedback, GroupFeedback, case_feedback, group_feedback
from ._probabilities import (
    METHODS,
    ProbabilityMethod,
    RatingProbabilities,
    certainty,
    rating_probabilities,
)
from ._scoring import score
from .judgments import Sample
from .rating import casework_only as casework_only_result
from .rating import require_rubric
from .results import Result, question_columns, standards_frame
from .rubric import Rubric
from .statistics import GroupResult, Interval, Method, by_attribute, interval, uncertain_standards

__all__ = ["Analysis", "analyse", "how_sure_words"]


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

    def __repr__(self) -> str:
        figures = []
        if self.intervals:
            figures.append(f"intervals for {len(self.intervals)} key questions")
        if self.probabilities is not None:
            figures.append(f"rating probabilities ({self.probabilities.method})")
        if self.groups:
            figures.append(f"{len(self.groups)} groups by {self.groups[0].attribute}")
        if self.feedback is not None:
            figures.append(f"feedback on {len(self.feedback)} cases")
        with_ = f"; with {', '.join(figures)}" if figures else ""
        return f"<Analysis of {repr(self.result)[1:-1]}{with_}>"

    def how_sure(self) -> dict[str, str]:
        """Per case-based standard (and "overall"), how sure its rating is in words, as the
        written report says it; empty without rating probabilities."""
        p = self.probabilities
        out = {
            s.id: how_sure_words(p, s.id, s.shown_rating)
            for s in self.result.standards
            if s.basis != "judged"
        }
        if self.result.overall is not None:
            out["overall"] = how_sure_words(p, "overall", self.result.overall.rating)
        return out if p is not None else {}

    def _repr_html_(self) -> str:
        page = self.result.html(self.how_sure() if self.probabilities is not None else None)
        if self.groups:
            rows = [
                [
                    g.value,
                    g.cases,
                    *(
                        rating_cell(s.shown_rating, s.rating) if not g.too_small else "too small"
                        for s in g.result.standards
                        if s.basis != "judged"
                    ),
                ]
                for g in self.groups
            ]
            header = [
                self.groups[0].attribute,
                "cases",
                *(s.id for s in self.result.standards if s.basis != "judged"),
            ]
            page += html_table(header, rows)
        return page

    def to_frame(self, backend: Backend = "pandas") -> Any:
        """The result's frame (:meth:`Result.to_frame
        <probation_audit.results.Result.to_frame>`), one row per key question, with each one's
        interval (``low``, ``high``; missing when not computed)."""
        found = self.interval_map
        records = [
            r | {"low": _bound(found, r["question"], 0), "high": _bound(found, r["question"], 1)}
            for r in self.result.to_records()
        ]
        columns = question_columns("rubric", self.result.labels)
        columns += [Column("low", "float"), Column("high", "float")]
        return frame(records, columns, backend)

    def standard_frame(self, backend: Backend = "pandas") -> Any:
        """The result's per-standard frame (:meth:`Result.standard_frame
        <probation_audit.results.Result.standard_frame>`) with ``uncertain`` (the driving
        question's interval crosses a band edge) and ``probability`` (the chance of the rating
        given), each missing when not computed."""
        flags = self.uncertain_map
        records = self.result.standard_records()
        for r in records:
            r["uncertain"] = flags.get(r["standard"])
            r["probability"] = self._probability(r["standard"], r["rating"])
        extra = [Column("uncertain", "bool"), Column("probability", "float")]
        return standards_frame(records, "rubric", self.result.labels, backend, extra)

    def _probability(self, item: str, rating: str | None) -> float | None:
        if self.probabilities is None or rating is None:
            return None
        try:
            return self.probabilities.of(item).get(rating)
        except KeyError:
            return None

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


def _bound(found: Mapping[str, Interval], question: str, end: int) -> float | None:
    i = found.get(question)
    return None if i is None else (i.low, i.high)[end]


def how_sure_words(probabilities: RatingProbabilities | None, item: str, shown: str | None) -> str:
    """How sure a rating is, in words: "very likely (about 9 in 10)", or "Good more likely:
    ..." when another rating is the most likely one; empty without probabilities for it.

    Returns:
        The words, or '' when there are no probabilities, no rating or none for ``item``.

    Raises:
        ValueError: the probabilities of ``item`` are empty or lie outside 0 to 1 (as
            :func:`~probation_audit._probabilities.certainty` raises).
    """
    if probabilities is None or shown is None:
        return ""
    try:
        head = certainty(probabilities.of(item))
    except KeyError:
        return ""
    prefix = "" if head.rating == shown else f"{head.rating} more likely: "
    return f"{prefix}{head.words} ({head.odds})"


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
            groups = by_attribute(rubric, sample, by, given, min_relevant=min_relevant)
            found["groups"] = (
                tuple(
                    attrs.evolve(g, result=casework_only_result(rubric, g.result)) for g in groups
                )
                if casework_only
                else groups
            )
        if feedback:
            found["feedback"] = case_feedback(rubric, sample)
        if feedback_by is not None:
            found["feedback_groups"] = group_feedback(sample, feedback_by, min_cases=min_cases)
    except KeyError as exc:
        raise ValueError(str(exc.args[0])) from None
    return Analysis(result, **found)
