"""Several audits of one unit in order: each key question's percentage with its interval per
period, each standard's rating per period, and the last change with its significance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ._about import About, check_one_rubric
from ._display import Backend, Column, frame, html_table, html_value, rating_cell
from .results import Result
from .statistics import (
    Interval,
    Method,
    QuestionChange,
    compare,
    interval,
    moves_chance_could_explain,
    significance_note,
)

__all__ = ["Trend", "TrendPoint", "trend"]


#: The columns of a trend's table (``period`` and ``rating`` typed by each trend's own order).
TREND_COLUMNS = (
    Column("row"),
    Column("id"),
    Column("period"),
    Column("yes", "int"),
    Column("relevant", "int"),
    *(Column(n, "float") for n in ("proportion", "low", "high")),
    Column("rating"),
    *(Column(n, "float") for n in ("last_change", "p_value")),
    Column("significant", "bool"),
)


def _point_text(p: TrendPoint) -> str:
    if p.proportion is None or p.interval is None:
        return "-"
    return f"{100 * p.proportion:.0f}% ({100 * p.interval.low:.0f}-{100 * p.interval.high:.0f})"


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
    #: the rating labels, lowest first (a frame's categories)
    labels: tuple[str, ...] = ()
    #: standards whose rating moved in the last period though no key question that drove it
    #: changed that way by more than chance could explain (such a move may not be real)
    chance_moves: tuple[str, ...] = ()
    #: the file the rubric was loaded from and its rules' fingerprint (as a result has them)
    rubric_file: str | None = None
    rubric_fingerprint: str | None = None
    #: the notes on each audit's data, each named by its audit (its file, or its period),
    #: after the rubric's own
    notes: tuple[str, ...] = ()

    @property
    def about(self) -> About:
        """Where the trend's figures come from: the rubric and the notes on the data."""
        return About(self.rubric, self.rubric_file, self.rubric_fingerprint, self.notes)

    @property
    def rubric_label(self) -> str:
        """The rubric's id with its file and rules' fingerprint, as every heading names it."""
        return self.about.rubric_label

    def __repr__(self) -> str:
        last = {sid: per[-1] for sid, per in self.ratings}
        headline = f"; overall {last['overall']} in {self.periods[-1]}" if "overall" in last else ""
        marked = sum(1 for c in self.last_change if c.significant)
        return (
            f"<Trend {self.rubric}: {len(self.periods)} periods ({self.periods[0]} to "
            f"{self.periods[-1]}), {len(self.questions)} key questions, {marked} changed by more "
            f"than chance in the last{headline}>"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One tidy table: a row per key question and period (the last period's row has the
        last change), then a row per standard (and the overall rating) and period."""
        last = {c.id: c for c in self.last_change}
        out: list[dict[str, Any]] = []
        for qid, points in self.questions:
            for p in points:
                row = dict.fromkeys(c.name for c in TREND_COLUMNS)
                row.update(row="question", id=qid, period=p.period, yes=p.yes)
                row.update(relevant=p.relevant, proportion=p.proportion)
                if p.interval is not None:
                    row.update(low=p.interval.low, high=p.interval.high)
                if p.period == self.periods[-1]:
                    c = last[qid]
                    row.update(last_change=c.difference, p_value=c.p_value)
                    row["significant"] = c.significant
                out.append(row)
        for sid, per in self.ratings:
            for period, rating in zip(self.periods, per, strict=True):
                row = dict.fromkeys(c.name for c in TREND_COLUMNS)
                kind = "overall" if sid == "overall" else "standard"
                row.update(row=kind, id=sid, period=period, rating=rating)
                out.append(row)
        return out

    def to_frame(self, backend: Backend = "pandas") -> Any:
        """:meth:`to_records` as a typed frame (pandas by default, polars with
        ``backend="polars"``): ``period`` an ordered categorical in the periods' order,
        ``rating`` one in the scale's order ('undetermined' and 'not rated' missing)."""
        columns = [
            Column("period", "rating", self.periods) if c.name == "period" else c
            for c in TREND_COLUMNS
        ]
        columns = [
            Column("rating", "rating", self.labels) if c.name == "rating" else c for c in columns
        ]
        words = {"undetermined", "not rated"}
        rows = [r | {"rating": None} if r["rating"] in words else r for r in self.to_records()]
        return frame(rows, columns, backend)

    def _repr_html_(self) -> str:
        header = ["", *self.periods]
        rows: list[list[object]] = []
        for qid, points in self.questions:
            rows.append([qid, *(_point_text(p) for p in points)])
        ratings = [
            [
                sid,
                *(
                    rating_cell(r, r if r not in ("undetermined", "not rated") else None)
                    for r in per
                ),
            ]
            for sid, per in self.ratings
        ]
        return html_value(
            f"Trend: {self.rubric}",
            [
                f"{len(self.periods)} periods, {self.confidence:.0%} intervals in brackets",
                significance_note(self.last_change),
                *(f"note: {note}" for note in self.notes),
            ],
            html_table(header, ratings, shown=len(ratings)),
            html_table(header, rows, shown=len(rows)),
        )

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
            **self.about.to_dict(),
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
                "moves_chance_could_explain": list(self.chance_moves),
            },
        }


def trend(
    results: Sequence[Result],
    periods: Sequence[str],
    *,
    confidence: float = 0.95,
    method: Method = "wilson",
    sources: Sequence[str] | None = None,
) -> Trend:
    """The trend of two or more results of one rubric, oldest first, named by ``periods``;
    each result's notes are named by its source in ``sources`` (its file; by default its
    period).

    Returns:
        The :class:`Trend` of every key question and rating per period, with the last change.

    Raises:
        ValueError: there are fewer than two results; ``periods`` (or ``sources``) does not give
            one name per result, or ``periods`` repeats a name; the results are of different rubrics, or of one id with different
            rules (their fingerprints differ); or ``confidence`` or ``method`` is invalid (met when
            a question has relevant cases).
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
    check_one_rubric(results)
    about = About.of_results(results, periods if sources is None else sources)
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
        labels=results[0].labels,
        chance_moves=moves_chance_could_explain(results[-2], results[-1], changes),
        rubric_file=about.rubric_file,
        rubric_fingerprint=about.rubric_fingerprint,
        notes=about.notes,
    )
