"""Several audits of one unit in order: each key question's percentage with its interval per
period, each standard's rating per period, and the last change with its significance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from .results import Result
from .statistics import Interval, Method, QuestionChange, compare, interval

__all__ = ["Trend", "TrendPoint", "trend"]


@attrs.frozen
class TrendPoint:
    """One key question in one period."""

    period: str
    yes: int
    relevant: int
    interval: Interval | None

    @property
    def proportion(self) -> float | None:
        return None if not self.relevant else self.yes / self.relevant


@attrs.frozen
class Trend:
    """Audits of one unit, oldest first."""

    rubric: str
    periods: tuple[str, ...]
    #: key question id -> its point in every period, in rubric order
    questions: tuple[tuple[str, tuple[TrendPoint, ...]], ...]
    #: standard id (and "overall" when rated) -> its rating in every period
    ratings: tuple[tuple[str, tuple[str, ...]], ...]
    #: each key question's change from the last-but-one period to the last
    last_change: tuple[QuestionChange, ...]
    #: (standard id, key question ids) of every case-based standard, for charts
    standards: tuple[tuple[str, tuple[str, ...]], ...]
    confidence: float
    #: each standard's title and each key question's wording, as (id, words) pairs, for reports
    names: tuple[tuple[str, str], ...] = ()

    def name(self, item_id: str) -> str:
        """The title of a standard or the wording of a key question ('' when not known)."""
        return dict(self.names).get(item_id, "")

    def question(self, question_id: str) -> tuple[TrendPoint, ...]:
        for qid, points in self.questions:
            if qid == question_id:
                return points
        raise KeyError(question_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "periods": list(self.periods),
            "confidence": self.confidence,
            "questions": {
                qid: [
                    {
                        "period": p.period,
                        "yes": p.yes,
                        "relevant": p.relevant,
                        "proportion": p.proportion,
                        "low": None if p.interval is None else p.interval.low,
                        "high": None if p.interval is None else p.interval.high,
                    }
                    for p in points
                ]
                for qid, points in self.questions
            },
            "ratings": {sid: list(r) for sid, r in self.ratings},
            "last_change": {
                "from": self.periods[-2],
                "to": self.periods[-1],
                "questions": [c.to_dict() for c in self.last_change],
                "ratings_changed": [
                    {"id": sid, "before": per[-2], "after": per[-1]}
                    for sid, per in self.ratings
                    if per[-2] != per[-1]
                ],
            },
        }


def trend(
    results: Sequence[Result],
    periods: Sequence[str],
    *,
    confidence: float = 0.95,
    method: Method = "wilson",
) -> Trend:
    """The trend of two or more results of one rubric, oldest first, named by ``periods``.

    Returns:
        The :class:`Trend` of every key question and rating per period, with the last change.

    Raises:
        ValueError: there are fewer than two results; ``periods`` does not give one name per result,
            or repeats a name; the results are of different rubrics; or ``confidence`` or ``method``
            is invalid (met when a question has relevant cases).
    """
    if len(results) < 2:
        raise ValueError("a trend needs at least two audits, oldest first")
    if len(periods) != len(results):
        raise ValueError(f"give one period name per audit ({len(results)}), got {len(periods)}")
    if len(set(periods)) != len(periods):
        raise ValueError("period names must differ")
    rubrics = {r.rubric for r in results}
    if len(rubrics) != 1:
        raise ValueError(f"the audits use different rubrics: {', '.join(sorted(rubrics))}")
    changes, _ = compare(results[-2], results[-1], confidence)
    questions = []
    for k, first in enumerate(results[0].questions):
        points = []
        for period, result in zip(periods, results, strict=True):
            q = result.questions[k]
            ci = interval(q.yes, q.relevant, confidence, method) if q.relevant else None
            points.append(TrendPoint(period, q.yes, q.relevant, ci))
        questions.append((first.id, tuple(points)))
    ratings = [
        (s.id, tuple(r.standards[k].shown_rating for r in results))
        for k, s in enumerate(results[0].standards)
    ]
    if all(r.overall is not None for r in results):
        ratings.append(
            (
                "overall",
                tuple((r.overall.rating if r.overall else None) or "undetermined" for r in results),
            )
        )
    return Trend(
        rubric=results[0].rubric,
        periods=tuple(periods),
        questions=tuple(questions),
        ratings=tuple(ratings),
        last_change=changes,
        names=tuple(
            [(s.id, s.title) for s in results[0].standards]
            + [(q.id, q.text) for q in results[0].questions]
        ),
        standards=tuple(
            (s.id, tuple(q.id for q in s.questions))
            for s in results[0].standards
            if s.basis != "judged" and s.questions
        ),
        confidence=confidence,
    )
