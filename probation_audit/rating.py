"""Applying a rubric to case judgments: exact key-question proportions, standard and overall
ratings, and the explanation of each rating (what drove it, how far it is from the next band).

Everything here is a pure function of its inputs, computed with :class:`fractions.Fraction`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any, Union

import attrs
import numpy as np
import numpy.typing as npt

from . import judgments as _judgments
from .errors import AuditError, AuditErrors
from .judgments import Missing, Sample
from .rubric import HUNDRED, Rubric, Scale, Standard, round_half_up

__all__ = [
    "BulkRatings",
    "Margin",
    "OverallResult",
    "QuestionResult",
    "Result",
    "StandardResult",
    "rate_many",
    "score",
    "score_tally",
]

Judgments = Union[
    Sample, Mapping[str, Mapping[str, Any]], Iterable[Mapping[str, Any]], "os.PathLike[str]"
]


def _fraction_text(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _parse_fraction(value: object) -> Fraction | None:
    return None if value is None else Fraction(str(value))


def percent_text(percent: Fraction) -> str:
    """A percentage to two decimals for reading (exact values are kept elsewhere)."""
    hundredths = round_half_up(percent * 100)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


@attrs.frozen
class QuestionResult:
    """One key question's tally: 'yes' cases out of the cases where it was relevant."""

    id: str
    standard: str
    text: str
    yes: int
    relevant: int

    @property
    def proportion(self) -> Fraction | None:
        """Exact share of relevant cases judged 'yes'; None when no case was relevant."""
        return Fraction(self.yes, self.relevant) if self.relevant else None

    @property
    def percent(self) -> Fraction | None:
        """Exact percentage (11/70 is 110/7 %)."""
        p = self.proportion
        return None if p is None else p * HUNDRED

    @property
    def printed(self) -> int | None:
        """The whole-number percentage a report prints (half up)."""
        p = self.percent
        return None if p is None else round_half_up(p)

    def describe(self) -> str:
        if not self.relevant:
            return f"{self.id}: no relevant cases"
        assert self.percent is not None
        return f"{self.id}: {self.yes} of {self.relevant} relevant cases ({percent_text(self.percent)}, printed {self.printed}%)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "yes": self.yes,
            "relevant": self.relevant,
            "percent": self.printed,
            "proportion": _fraction_text(self.proportion),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], standard: str) -> QuestionResult:
        return cls(data["id"], standard, data["text"], data["yes"], data["relevant"])


@attrs.frozen
class Margin:
    """How many cases would move a standard to ``rating``, and on which key questions."""

    rating: str
    cases: int
    questions: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rating": self.rating,
            "cases": self.cases,
            "questions": [{"id": q, "cases": n} for q, n in self.questions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Margin | None:
        if data is None:
            return None
        return cls(
            data["rating"], data["cases"], tuple((q["id"], q["cases"]) for q in data["questions"])
        )


@attrs.frozen
class StandardResult:
    """A standard's rating and why: its key questions, the driving one(s), its margins."""

    id: str
    title: str
    basis: str
    rating: str | None
    points: int | None
    reason: str | None = None
    questions: tuple[QuestionResult, ...] = ()
    driven_by: tuple[str, ...] = ()
    #: the percentage the band was applied to (after the rubric's rounding rule)
    value: Fraction | None = None
    exact_rating: str | None = None
    rounded_rating: str | None = None
    #: fewest extra 'yes' cases that would lift the rating, and which questions need them
    lift: Margin | None = None
    #: fewest lost 'yes' cases (on any one of the listed questions) that would drop the
    #: rating; its ``rating`` is the highest such a loss can leave
    drop: Margin | None = None

    @property
    def determined(self) -> bool:
        return self.rating is not None

    @property
    def boundary_sensitive(self) -> bool:
        """True when the exact and the whole-number percentage fall in different bands."""
        return (
            self.exact_rating is not None
            and self.rounded_rating is not None
            and self.exact_rating != self.rounded_rating
        )

    def question(self, question_id: str) -> QuestionResult:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def explain(self) -> str:
        """One paragraph saying what the rating is and why."""
        head = f"{self.id} {self.title}: "
        if self.rating is None:
            return head + f"undetermined ({self.reason})"
        if self.basis == "judged":
            return head + f"{self.rating} (judged by inspectors; given as input)"
        parts = [head + self.rating + "."]
        drivers = [self.question(q) for q in self.driven_by]
        lead = drivers[0]
        assert lead.percent is not None
        names = ", ".join(q.id for q in drivers)
        parts.append(
            f"Driven by the lowest key question{'s' if len(drivers) > 1 else ''} {names}: "
            f"{lead.yes} of {lead.relevant} relevant cases, {percent_text(lead.percent)} (printed {lead.printed}%)."
        )
        if self.boundary_sensitive:
            parts.append(
                f"Boundary-sensitive: the exact percentage gives {self.exact_rating}, "
                f"the printed whole number gives {self.rounded_rating}."
            )
        if self.lift is not None:
            detail = ", ".join(f"{n} on {q}" for q, n in self.lift.questions)
            parts.append(
                f"{self.lift.cases} more 'yes' case{'s' if self.lift.cases != 1 else ''} ({detail}) would lift it to {self.lift.rating}."
            )
        else:
            parts.append("It is at the highest rating.")
        if self.drop is not None:
            parts.append(
                f"{self.drop.cases} fewer 'yes' case{'s' if self.drop.cases != 1 else ''} on {' or '.join(q for q, _ in self.drop.questions)} would drop it below {self.rating}."
            )
        else:
            parts.append("It is at the lowest rating.")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "basis": self.basis,
            "rating": self.rating,
            "points": self.points,
            "reason": self.reason,
            "driven_by": list(self.driven_by),
            "value": _fraction_text(self.value),
            "exact_rating": self.exact_rating,
            "rounded_rating": self.rounded_rating,
            "boundary_sensitive": self.boundary_sensitive,
            "lift": None if self.lift is None else self.lift.to_dict(),
            "drop": None if self.drop is None else self.drop.to_dict(),
            "key_questions": [q.to_dict() for q in self.questions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StandardResult:
        return cls(
            id=data["id"],
            title=data["title"],
            basis=data["basis"],
            rating=data["rating"],
            points=data["points"],
            reason=data["reason"],
            questions=tuple(QuestionResult.from_dict(q, data["id"]) for q in data["key_questions"]),
            driven_by=tuple(data["driven_by"]),
            value=_parse_fraction(data["value"]),
            exact_rating=data["exact_rating"],
            rounded_rating=data["rounded_rating"],
            lift=Margin.from_dict(data["lift"]),
            drop=Margin.from_dict(data["drop"]),
        )


@attrs.frozen
class OverallResult:
    rating: str | None
    points: int | None
    max_points: int
    standards: tuple[str, ...]
    reason: str | None = None

    def explain(self) -> str:
        if self.rating is None:
            return f"Overall: undetermined ({self.reason})"
        return (
            f"Overall: {self.rating}, {self.points} of {self.max_points} points "
            f"over {len(self.standards)} standards ({', '.join(self.standards)})."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rating": self.rating,
            "points": self.points,
            "max_points": self.max_points,
            "standards": list(self.standards),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OverallResult:
        return cls(
            data["rating"],
            data["points"],
            data["max_points"],
            tuple(data["standards"]),
            data["reason"],
        )


@attrs.frozen
class Result:
    """Every rating a rubric gives for one sample, with the rules' provenance."""

    rubric: str
    rounding: str
    cases: int
    standards: tuple[StandardResult, ...]
    overall: OverallResult
    #: rule key path -> status, for every rule the ratings depend on
    statuses: tuple[tuple[str, str], ...] = ()
    #: one line per rule with status 'assumed': the results rest on it
    assumptions: tuple[str, ...] = ()

    def standard(self, standard_id: str) -> StandardResult:
        for s in self.standards:
            if s.id == standard_id:
                return s
        raise KeyError(f"no standard {standard_id!r} in the result")

    def question(self, question_id: str) -> QuestionResult:
        for s in self.standards:
            for q in s.questions:
                if q.id == question_id:
                    return q
        raise KeyError(f"no key question {question_id!r} in the result")

    @property
    def questions(self) -> tuple[QuestionResult, ...]:
        return tuple(q for s in self.standards for q in s.questions)

    def explain(self) -> str:
        lines = [s.explain() for s in self.standards]
        lines.append(self.overall.explain())
        lines.extend(f"Assumed: {a}" for a in self.assumptions)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "rounding": self.rounding,
            "cases": self.cases,
            "standards": [s.to_dict() for s in self.standards],
            "overall": self.overall.to_dict(),
            "statuses": dict(self.statuses),
            "assumptions": list(self.assumptions),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        return cls(
            rubric=data["rubric"],
            rounding=data["rounding"],
            cases=data["cases"],
            standards=tuple(StandardResult.from_dict(s) for s in data["standards"]),
            overall=OverallResult.from_dict(data["overall"]),
            statuses=tuple(data["statuses"].items()),
            assumptions=tuple(data["assumptions"]),
        )


# -- scoring --------------------------------------------------------------------------------


def _to_sample(rubric: Rubric, judgments: Judgments, missing: Missing) -> Sample:
    if isinstance(judgments, Sample):
        if judgments.question_ids != rubric.question_ids:
            raise AuditErrors(
                [
                    AuditError(
                        f"the sample's questions ({', '.join(judgments.question_ids)}) are not rubric "
                        f"{rubric.id!r}'s ({', '.join(rubric.question_ids)})",
                        source=judgments.source,
                    )
                ]
            )
        return judgments
    if isinstance(judgments, os.PathLike):
        return _judgments.read_csv(judgments, rubric, missing=missing)
    if isinstance(judgments, str | bytes):
        raise TypeError("pass a file path as pathlib.Path, or read it with read_csv()")
    if isinstance(judgments, Mapping):
        return _judgments.from_wide(judgments, rubric, missing=missing)
    return _judgments.from_records(judgments, rubric, missing=missing)


def check_ratings(rubric: Rubric, ratings: Mapping[str, str] | None) -> dict[str, str]:
    """Judged standards' ratings, labels normalised; every bad entry reported."""
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
        matched = scale.match(label) if isinstance(label, str) else None
        if matched is None:
            errors.append(
                AuditError(
                    f"invalid rating {label!r} (expected one of: {', '.join(scale.labels)})",
                    key_path=path,
                )
            )
            continue
        out[sid] = matched
    if errors:
        raise AuditErrors(errors)
    return out


def score(
    rubric: Rubric,
    judgments: Judgments,
    ratings: Mapping[str, str] | None = None,
    *,
    missing: Missing = "error",
) -> Result:
    """Rate every standard of ``rubric`` from case judgments and judged standards' ratings.

    ``judgments`` is a :class:`Sample`, long records (mappings with ``case_id``,
    ``question_id``, ``judgment``), a wide mapping (case -> question -> judgment) or a
    :class:`os.PathLike` CSV path. ``ratings`` maps judged standards to their labels.
    Raises :class:`AuditErrors` for bad judgments or ratings.
    """
    sample = _to_sample(rubric, judgments, missing)
    return score_tally(rubric, sample.tally(), ratings, cases=len(sample))


def score_tally(
    rubric: Rubric,
    tally: Mapping[str, tuple[int, int]],
    ratings: Mapping[str, str] | None = None,
    *,
    cases: int | None = None,
) -> Result:
    """Like :func:`score`, from ``(yes, relevant)`` counts per key question."""
    given = check_ratings(rubric, ratings)
    errors: list[AuditError] = []
    for qid in rubric.question_ids:
        if qid not in tally:
            errors.append(AuditError("no tally", question_id=qid))
            continue
        yes, relevant = tally[qid]
        if (
            isinstance(yes, bool)
            or isinstance(relevant, bool)
            or not isinstance(yes, int)
            or not isinstance(relevant, int)
        ):
            errors.append(
                AuditError(
                    f"counts must be whole numbers, found ({yes!r}, {relevant!r})", question_id=qid
                )
            )
        elif not 0 <= yes <= relevant:
            errors.append(
                AuditError(
                    f"need 0 <= yes <= relevant, found yes {yes}, relevant {relevant}",
                    question_id=qid,
                )
            )
    for qid in tally:
        if qid not in rubric.question_ids:
            errors.append(
                AuditError(f"not a key question of rubric {rubric.id!r}", question_id=qid)
            )
    if errors:
        raise AuditErrors(errors)
    standards = tuple(
        _judged(rubric, s, given.get(s.id)) if s.judged else _rate_cases(rubric, s, tally)
        for s in rubric.standards
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
        cases=max((r for _, r in tally.values()), default=0) if cases is None else cases,
        standards=standards,
        overall=_overall(rubric, standards),
        statuses=statuses,
        assumptions=assumptions,
    )


def _rule_value(rubric: Rubric, path: str) -> str:
    if path == "rounding":
        return f"method = {rubric.rounding.method}"
    if path.startswith("aggregations."):
        return f"method = {rubric.aggregation(path.split('.', 1)[1]).method}"
    return "see rubric"


def _judged(rubric: Rubric, standard: Standard, label: str | None) -> StandardResult:
    assert standard.scale is not None
    if label is None:
        return StandardResult(
            standard.id,
            standard.title,
            standard.basis,
            None,
            None,
            reason=f"judged standard {standard.id} has no rating given",
        )
    return StandardResult(
        standard.id,
        standard.title,
        standard.basis,
        label,
        rubric.scale(standard.scale).points(label),
    )


def _rate_cases(
    rubric: Rubric, standard: Standard, tally: Mapping[str, tuple[int, int]]
) -> StandardResult:
    questions = tuple(
        QuestionResult(q.id, standard.id, q.text, tally[q.id][0], tally[q.id][1])
        for q in standard.questions
    )
    scale = rubric.rating_scale
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
    method = rubric.aggregation(standard.aggregation).method
    if method != "lowest":  # pragma: no cover - the rubric model admits no other yet
        raise NotImplementedError(method)
    rounding = rubric.rounding
    values = {q.id: rounding.apply(q.percent) for q in questions if q.percent is not None}
    lowest = min(values.values())
    driven_by = tuple(q.id for q in questions if values[q.id] == lowest)
    exact_lowest = min(q.percent for q in questions if q.percent is not None)
    rating = rubric.bands.rating(lowest)
    return StandardResult(
        standard.id,
        standard.title,
        standard.basis,
        rating,
        scale.points(rating),
        questions=questions,
        driven_by=driven_by,
        value=lowest,
        exact_rating=rubric.bands.rating(exact_lowest),
        rounded_rating=rubric.bands.rating(Fraction(round_half_up(exact_lowest))),
        lift=_lift(rubric, questions, rating, scale),
        drop=_drop(rubric, questions, rating, scale),
    )


def _value(rubric: Rubric, yes: int, relevant: int) -> Fraction:
    return rubric.rounding.apply(Fraction(100 * yes, relevant))


def _fewest_yes(rubric: Rubric, relevant: int, low: int, threshold: Fraction) -> int:
    """Smallest k >= low with value(k / relevant) >= threshold (threshold <= 100)."""
    lo, hi = low, relevant
    while lo < hi:
        mid = (lo + hi) // 2
        if _value(rubric, mid, relevant) >= threshold:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _lift(
    rubric: Rubric, questions: tuple[QuestionResult, ...], rating: str, scale: Scale
) -> Margin | None:
    rank = scale.rank(rating)
    higher = [b for b in rubric.bands.bands if scale.rank(b.rating) > rank]
    if not higher:
        return None
    threshold = higher[0].lower
    needs: list[tuple[str, int]] = []
    new_values: list[Fraction] = []
    for q in questions:
        if _value(rubric, q.yes, q.relevant) < threshold:
            k = _fewest_yes(rubric, q.relevant, q.yes, threshold)
            needs.append((q.id, k - q.yes))
            new_values.append(_value(rubric, k, q.relevant))
        else:
            new_values.append(_value(rubric, q.yes, q.relevant))
    return Margin(rubric.bands.rating(min(new_values)), sum(n for _, n in needs), tuple(needs))


def _drop(
    rubric: Rubric, questions: tuple[QuestionResult, ...], rating: str, scale: Scale
) -> Margin | None:
    rank = scale.rank(rating)
    floor = next(b.lower for b in rubric.bands.bands if scale.rank(b.rating) >= rank)
    if floor == 0:
        return None
    losses: list[tuple[str, int, Fraction]] = []
    for q in questions:
        # The largest k still below the floor is one less than the fewest reaching it.
        k = _fewest_yes(rubric, q.relevant, 0, floor) - 1
        losses.append((q.id, q.yes - k, _value(rubric, k, q.relevant)))
    fewest = min(n for _, n, _ in losses)
    chosen = [(qid, n, v) for qid, n, v in losses if n == fewest]
    # With several questions equally close, the rating reached depends on which one loses the
    # cases: report the highest (the least a loss of that size can do).
    return Margin(
        rubric.bands.rating(max(v for _, _, v in chosen)),
        fewest,
        tuple((qid, n) for qid, n, _ in chosen),
    )


def _overall(rubric: Rubric, standards: tuple[StandardResult, ...]) -> OverallResult:
    rule = rubric.overall
    by_id = {s.id: s for s in standards}
    counted = tuple(rule.standards)
    max_points = rule.bands[-1].maximum
    missing = [sid for sid in counted if by_id[sid].rating is None]
    if missing:
        reasons = "; ".join(f"{sid}: {by_id[sid].reason}" for sid in missing)
        return OverallResult(
            None, None, max_points, counted, reason=f"undetermined standards ({reasons})"
        )
    points = sum(by_id[sid].points or 0 for sid in counted)
    return OverallResult(rule.rating(points), points, max_points, counted)


# -- bulk path ------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class BulkRatings:
    """Ratings for many samples at once, as indices into ``labels`` (-1: undetermined).

    ``standards`` has shape ``(samples, standards)`` in rubric order; ``overall`` and
    ``points`` have shape ``(samples,)`` (points -1 where undetermined).
    """

    standard_ids: tuple[str, ...]
    labels: tuple[str, ...]
    standards: npt.NDArray[np.int64]
    points: npt.NDArray[np.int64]
    overall: npt.NDArray[np.int64]

    def rating(self, sample: int, standard_id: str) -> str | None:
        index = int(self.standards[sample, self.standard_ids.index(standard_id)])
        return None if index < 0 else self.labels[index]

    def overall_rating(self, sample: int) -> str | None:
        index = int(self.overall[sample])
        return None if index < 0 else self.labels[index]


def rate_many(
    rubric: Rubric,
    yes: npt.ArrayLike,
    relevant: npt.ArrayLike,
    ratings: Mapping[str, str] | None = None,
) -> BulkRatings:
    """Rate many samples from count arrays of shape ``(samples, questions)`` (rubric order).

    The same rules as :func:`score_tally`, in exact integer arithmetic on numpy arrays, for
    national-scale sets and simulations; ``ratings`` (judged standards) apply to every sample.
    """
    y = np.asarray(yes, dtype=np.int64)
    r = np.asarray(relevant, dtype=np.int64)
    nq = len(rubric.question_ids)
    if y.ndim != 2 or y.shape != r.shape or y.shape[1] != nq:
        raise ValueError(
            f"yes and relevant must both have shape (samples, {nq}); got {y.shape} and {r.shape}"
        )
    if (y < 0).any() or (y > r).any():
        raise ValueError("need 0 <= yes <= relevant everywhere")
    given = check_ratings(rubric, ratings)
    scale = rubric.rating_scale
    overall_scale = rubric.scale(rubric.overall.scale)
    if scale.labels != overall_scale.labels:  # pragma: no cover - no bundled rubric differs
        raise NotImplementedError("rate_many needs the bands and the overall rule on one scale")
    if rubric.rounding.method == "half-up":
        # floor(100 y / r + 1/2) as an integer, compared with each band's exact lower bound.
        num = (200 * y + r) // np.maximum(2 * r, 1)
        den = np.ones_like(r)
    else:
        num, den = 100 * y, r
    band_rank = np.zeros(y.shape, dtype=np.int64)
    for band in rubric.bands.bands[1:]:
        reached = num * band.lower.denominator >= band.lower.numerator * den
        band_rank = np.where(reached, scale.rank(band.rating), band_rank)
    band_rank[r == 0] = -1
    columns = {qid: j for j, qid in enumerate(rubric.question_ids)}
    samples = y.shape[0]
    out = np.empty((samples, len(rubric.standards)), dtype=np.int64)
    for i, standard in enumerate(rubric.standards):
        if standard.judged:
            label = given.get(standard.id)
            out[:, i] = -1 if label is None else scale.rank(label)
            continue
        sub = band_rank[:, [columns[q.id] for q in standard.questions]]
        # The band of the lowest percentage is the lowest band: ranks rise with percentages.
        out[:, i] = np.where((sub < 0).any(axis=1), -1, sub.min(axis=1))
    points_of = np.array([level.points for level in scale.levels], dtype=np.int64)
    counted = [i for i, s in enumerate(rubric.standards) if s.id in rubric.overall.standards]
    ranks = out[:, counted]
    undetermined = (ranks < 0).any(axis=1)
    points = np.where(undetermined, -1, points_of[np.maximum(ranks, 0)].sum(axis=1))
    overall = np.full(samples, -1, dtype=np.int64)
    for points_band in rubric.overall.bands:
        inside = (points >= points_band.minimum) & (points <= points_band.maximum)
        overall = np.where(inside, overall_scale.rank(points_band.rating), overall)
    return BulkRatings(
        standard_ids=tuple(s.id for s in rubric.standards),
        labels=scale.labels,
        standards=out,
        points=points,
        overall=overall,
    )
