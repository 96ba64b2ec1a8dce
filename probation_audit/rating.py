"""Applying a rubric to case judgments: exact key-question proportions, standard and overall
ratings, and the explanation of each rating (what drove it, how far it is from the next band).

Everything here is a pure function of its inputs, computed with :class:`fractions.Fraction`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any, Protocol, Union, cast

import attrs
import numpy as np
import numpy.typing as npt

from . import judgments as _judgments
from .errors import AuditError, AuditErrors
from .judgments import Missing, Sample
from .rubric import HUNDRED, Aggregation, Rubric, Scale, Standard, Thread, round_half_up

__all__ = [
    "BulkRatings",
    "Margin",
    "OverallResult",
    "PromptResult",
    "QuestionResult",
    "Result",
    "StandardResult",
    "rate_many",
    "score",
    "score_tally",
]


class FrameLike(Protocol):
    """A pandas or polars DataFrame, recognised without importing either."""

    @property
    def columns(self) -> Any: ...


Judgments = Union[
    Sample,
    Mapping[str, Mapping[str, Any]],
    Iterable[Mapping[str, Any]],
    "os.PathLike[str]",
    FrameLike,
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
class PromptResult:
    """A prompt's tally: 'yes' cases out of those where it was answered and relevant."""

    id: str
    text: str
    yes: int
    relevant: int

    @property
    def percent(self) -> Fraction | None:
        return Fraction(100 * self.yes, self.relevant) if self.relevant else None

    @property
    def printed(self) -> int | None:
        p = self.percent
        return None if p is None else round_half_up(p)

    def describe(self) -> str:
        if not self.relevant:
            return f"{self.id}: no relevant cases ({self.text})"
        return f"{self.id}: {self.yes} of {self.relevant} relevant cases ({self.printed}%): {self.text}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "yes": self.yes,
            "relevant": self.relevant,
            "percent": self.printed,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PromptResult:
        return cls(data["id"], data["text"], data["yes"], data["relevant"])


@attrs.frozen
class QuestionResult:
    """One key question's tally: 'yes' cases out of the cases where it was relevant."""

    id: str
    standard: str
    text: str
    yes: int
    relevant: int
    #: the summary question of a weighted standard
    summary: bool = False
    #: the prompts under this key question (never part of a rating)
    prompts: tuple[PromptResult, ...] = ()

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
        out = {
            "id": self.id,
            "text": self.text,
            "yes": self.yes,
            "relevant": self.relevant,
            "percent": self.printed,
            "proportion": _fraction_text(self.proportion),
        }
        if self.summary:
            out["summary"] = True
        if self.prompts:
            out["prompts"] = [p.to_dict() for p in self.prompts]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], standard: str) -> QuestionResult:
        return cls(
            data["id"],
            standard,
            data["text"],
            data["yes"],
            data["relevant"],
            data.get("summary", False),
            tuple(PromptResult.from_dict(p) for p in data.get("prompts", ())),
        )


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
    #: rating; its ``rating`` is the highest such a loss can leave. For a weighted standard,
    #: the cases are lost together on the listed questions.
    drop: Margin | None = None
    #: weighted standards: the mean of the individual questions and the summary question
    individual_mean: Fraction | None = None
    summary_percent: Fraction | None = None

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
        if self.individual_mean is not None and self.summary_percent is not None:
            assert self.value is not None
            individual = sum(1 for q in self.questions if not q.summary)
            parts.append(
                f"Score {percent_text(self.value)} (printed {round_half_up(self.value)}%): "
                f"the mean of {individual} individual questions, {percent_text(self.individual_mean)}, "
                f"and the summary question, {percent_text(self.summary_percent)}, weighted."
            )
        else:
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
        parts.extend(self.margin_notes())
        return " ".join(parts)

    def margin_notes(self) -> list[str]:
        """Two sentences: what would lift the rating a band, and what would drop it."""
        notes = []
        if self.lift is not None:
            detail = ", ".join(f"{n} on {q}" for q, n in self.lift.questions)
            plural = "s" if self.lift.cases != 1 else ""
            notes.append(
                f"{self.lift.cases} more 'yes' case{plural} ({detail}) would lift it to {self.lift.rating}."
            )
        else:
            notes.append("It is at the highest rating.")
        if self.drop is not None:
            # Weighted standards lose the cases together; 'lowest' ones on any one question.
            joiner = " and " if self.individual_mean is not None else " or "
            plural = "s" if self.drop.cases != 1 else ""
            questions = joiner.join(q for q, _ in self.drop.questions)
            notes.append(
                f"{self.drop.cases} fewer 'yes' case{plural} on {questions} would drop it below {self.rating}."
            )
        else:
            notes.append("It is at the lowest rating.")
        return notes

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
            "percent": None if self.value is None else round_half_up(self.value),
            "exact_rating": self.exact_rating,
            "rounded_rating": self.rounded_rating,
            "boundary_sensitive": self.boundary_sensitive,
            "lift": None if self.lift is None else self.lift.to_dict(),
            "drop": None if self.drop is None else self.drop.to_dict(),
            "individual_mean": _fraction_text(self.individual_mean),
            "summary_percent": _fraction_text(self.summary_percent),
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
            individual_mean=_parse_fraction(data.get("individual_mean")),
            summary_percent=_parse_fraction(data.get("summary_percent")),
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
class DomainResult:
    """A domain's (section's) score: the mean of its case-based standards' scores."""

    id: str
    title: str
    value: Fraction | None
    standards: tuple[str, ...]
    reason: str | None = None

    @property
    def printed(self) -> int | None:
        return None if self.value is None else round_half_up(self.value)

    def explain(self) -> str:
        if self.value is None:
            return f"Section {self.id} {self.title}: undetermined ({self.reason})"
        return (
            f"Section {self.id} {self.title}: {percent_text(self.value)} (printed {self.printed}%), "
            f"the mean of {', '.join(self.standards)}."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "value": _fraction_text(self.value),
            "percent": self.printed,
            "standards": list(self.standards),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DomainResult:
        return cls(
            data["id"],
            data["title"],
            _parse_fraction(data["value"]),
            tuple(data["standards"]),
            data["reason"],
        )


@attrs.frozen
class ThreadResult:
    """A thread's score: the mean proportion over its tagged questions, and what follows."""

    id: str
    title: str
    tag: str
    value: Fraction | None
    questions: tuple[str, ...]
    #: True / False when the rubric gives a follow-up threshold; None when it does not
    follow_up: bool | None
    reason: str | None = None
    follow_up_reason: str = ""

    @property
    def printed(self) -> int | None:
        return None if self.value is None else round_half_up(self.value)

    def explain(self) -> str:
        if self.value is None:
            return f"Thread {self.id} ({self.title}): undetermined ({self.reason})"
        return (
            f"Thread {self.id} ({self.title}): {percent_text(self.value)} (printed {self.printed}%) "
            f"over {len(self.questions)} questions tagged {self.tag!r}; {self.follow_up_reason}."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "tag": self.tag,
            "value": _fraction_text(self.value),
            "percent": self.printed,
            "questions": list(self.questions),
            "follow_up": self.follow_up,
            "follow_up_reason": self.follow_up_reason,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThreadResult:
        return cls(
            data["id"],
            data["title"],
            data["tag"],
            _parse_fraction(data["value"]),
            tuple(data["questions"]),
            data["follow_up"],
            data["reason"],
            data["follow_up_reason"],
        )


@attrs.frozen
class Result:
    """Every rating a rubric gives for one sample, with the rules' provenance."""

    rubric: str
    rounding: str
    cases: int
    standards: tuple[StandardResult, ...]
    #: None when the rubric has no overall rule
    overall: OverallResult | None
    #: rule key path -> status, for every rule the ratings depend on
    statuses: tuple[tuple[str, str], ...] = ()
    #: one line per rule with status 'assumed': the results rest on it
    assumptions: tuple[str, ...] = ()
    domains: tuple[DomainResult, ...] = ()
    threads: tuple[ThreadResult, ...] = ()

    def domain(self, domain_id: str) -> DomainResult:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(f"no domain score {domain_id!r} in the result")

    def thread(self, thread_id: str) -> ThreadResult:
        for t in self.threads:
            if t.id == thread_id:
                return t
        raise KeyError(f"no thread {thread_id!r} in the result")

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
        lines.extend(d.explain() for d in self.domains)
        lines.extend(t.explain() for t in self.threads)
        if self.overall is not None:
            lines.append(self.overall.explain())
        lines.extend(f"Assumed: {a}" for a in self.assumptions)
        return "\n".join(lines)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per key question, with its standard's rating: for spreadsheets and
        data frames."""
        out = []
        for s in self.standards:
            for q in s.questions:
                out.append(
                    {
                        "rubric": self.rubric,
                        "standard": s.id,
                        "standard_title": s.title,
                        "standard_rating": s.rating,
                        "question": q.id,
                        "text": q.text,
                        "yes": q.yes,
                        "relevant": q.relevant,
                        "percent": q.printed,
                        "proportion": None if q.proportion is None else float(q.proportion),
                        "driving": q.id in s.driven_by,
                    }
                )
        return out

    def to_frame(self) -> Any:
        """:meth:`to_records` as a pandas DataFrame (needs pandas)."""
        try:
            import pandas
        except ImportError:  # pragma: no cover - exercised without pandas
            raise ImportError(
                "to_frame needs pandas: pip install 'probation-audit[frames]'"
            ) from None
        return pandas.DataFrame.from_records(self.to_records())

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "rounding": self.rounding,
            "cases": self.cases,
            "standards": [s.to_dict() for s in self.standards],
            "domains": [d.to_dict() for d in self.domains],
            "threads": [t.to_dict() for t in self.threads],
            "overall": None if self.overall is None else self.overall.to_dict(),
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
            overall=None if data["overall"] is None else OverallResult.from_dict(data["overall"]),
            statuses=tuple(data["statuses"].items()),
            assumptions=tuple(data["assumptions"]),
            domains=tuple(DomainResult.from_dict(d) for d in data.get("domains", ())),
            threads=tuple(ThreadResult.from_dict(t) for t in data.get("threads", ())),
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
        if os.fspath(judgments).lower().endswith(".xlsx"):
            from .excel import read_excel

            return read_excel(judgments, rubric, missing=missing)
        return _judgments.read_csv(judgments, rubric, missing=missing)
    rows = _judgments.frame_rows(judgments)
    if rows is not None:
        return _judgments.from_rows(rows, rubric, missing=missing, source="<DataFrame>")
    if isinstance(judgments, str | bytes):
        raise TypeError("pass a file path as pathlib.Path, or read it with read_csv()")
    if isinstance(judgments, Mapping):
        return _judgments.from_wide(judgments, rubric, missing=missing)
    return _judgments.from_records(
        cast(Iterable[Mapping[str, Any]], judgments), rubric, missing=missing
    )


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
    return score_tally(
        rubric, sample.tally(), ratings, cases=len(sample), prompt_tally=sample.prompt_tally()
    )


def score_tally(
    rubric: Rubric,
    tally: Mapping[str, tuple[int, int]],
    ratings: Mapping[str, str] | None = None,
    *,
    cases: int | None = None,
    prompt_tally: Mapping[str, tuple[int, int]] | None = None,
) -> Result:
    """Like :func:`score`, from ``(yes, relevant)`` counts per key question (and, optionally,
    per prompt: prompts are reported, never rated)."""
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
    prompts = dict(prompt_tally or {})
    for pid in prompts:
        if pid not in rubric.prompt_ids:
            errors.append(AuditError(f"not a prompt of rubric {rubric.id!r}", question_id=pid))
    for qid in tally:
        if qid not in rubric.question_ids:
            errors.append(
                AuditError(f"not a key question of rubric {rubric.id!r}", question_id=qid)
            )
    if errors:
        raise AuditErrors(errors)
    standards = tuple(
        _judged(rubric, s, given.get(s.id)) if s.judged else _rate_cases(rubric, s, tally, prompts)
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
        overall=rate_overall(rubric, standards),
        statuses=statuses,
        assumptions=assumptions,
        domains=rate_domains(rubric, standards),
        threads=tuple(_thread(rubric, t, tally) for t in rubric.threads),
    )


def rate_domains(rubric: Rubric, standards: tuple[StandardResult, ...]) -> tuple[DomainResult, ...]:
    """Scores of the domains that have an aggregation, from the standards' results."""
    out = []
    for domain in rubric.domains:
        if domain.aggregation is None:
            continue
        members = [
            s
            for s, spec in zip(standards, rubric.standards, strict=True)
            if spec.domain == domain.id and not spec.judged
        ]
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


def _thread(rubric: Rubric, thread: Thread, tally: Mapping[str, tuple[int, int]]) -> ThreadResult:
    questions = tuple(
        q.id
        for s in rubric.standards
        if s.domain in thread.domains
        for q in s.questions
        if thread.tag in q.tags
    )
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
        rubric.scale(standard.scale).points(label)
        if rubric.scale(standard.scale).has_points
        else None,
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
    aggregation = rubric.aggregation(standard.aggregation)
    if aggregation.method == "weighted":
        return _rate_weighted(rubric, standard, questions, aggregation)
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
        scale.points(rating) if scale.has_points else None,
        questions=questions,
        driven_by=driven_by,
        value=lowest,
        exact_rating=rubric.bands.rating(exact_lowest),
        rounded_rating=rubric.bands.rating(Fraction(round_half_up(exact_lowest))),
        lift=_lift(rubric, questions, rating, scale),
        drop=_drop(rubric, questions, rating, scale),
    )


def weighted_score(
    questions: tuple[QuestionResult, ...], aggregation: Aggregation
) -> tuple[Fraction, Fraction, Fraction]:
    """``(score, individual mean, summary)`` as exact percentages; every question relevant."""
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
    score, mean, summary = weighted_score(questions, aggregation)
    value = rubric.rounding.apply(score)
    rating = rubric.bands.rating(value)
    scale = rubric.rating_scale
    return StandardResult(
        standard.id,
        standard.title,
        standard.basis,
        rating,
        scale.points(rating) if scale.has_points else None,
        questions=questions,
        value=value,
        exact_rating=rubric.bands.rating(score),
        rounded_rating=rubric.bands.rating(Fraction(round_half_up(score))),
        lift=_weighted_margin(rubric, questions, aggregation, rating, up=True),
        drop=_weighted_margin(rubric, questions, aggregation, rating, up=False),
        individual_mean=mean,
        summary_percent=summary,
    )


def _weighted_margin(
    rubric: Rubric,
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
    scale = rubric.rating_scale
    rank = scale.rank(rating)
    if up:
        higher = [b for b in rubric.bands.bands if scale.rank(b.rating) > rank]
        if not higher:
            return None
        edge = higher[0].lower
    else:
        edge = next(b.lower for b in rubric.bands.bands if scale.rank(b.rating) >= rank)
        if edge == 0:
            return None
    # The exact score the edge corresponds to under the rounding rule.
    if rubric.rounding.method == "half-up":
        edge = math.ceil(edge) - Fraction(1, 2)
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
            reached = rubric.bands.rating(rubric.rounding.apply(new_score))
            return Margin(reached, sum(n for _, n in taken), tuple(taken))
    return None  # pragma: no cover - every question at its limit always crosses the edge


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


def rate_overall(rubric: Rubric, standards: tuple[StandardResult, ...]) -> OverallResult | None:
    """The overall rating from the standards' results (None when the rubric has no overall rule)."""
    rule = rubric.overall
    if rule is None:
        return None
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
    if rubric.overall is None or any(
        rubric.aggregation(s.aggregation).method != "lowest"
        for s in rubric.standards
        if s.aggregation is not None
    ):
        raise ValueError(
            f"rate_many handles rubrics with 'lowest' aggregation and an overall rule; use score_tally for {rubric.id!r}"
        )
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
