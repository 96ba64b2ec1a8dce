"""Results: what a rubric gives for one sample, as value classes that explain themselves.

A :class:`Result` holds every standard's rating with its key questions, the question(s) that
drove it, its margins to the next bands, the domain and thread scores, the overall rating and
the provenance of the rules it rests on. Each class converts to and from plain data
(``to_dict`` / ``from_dict``) for JSON; nothing here computes a rating (see
:mod:`probation_audit.rating`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from ._display import Backend, Column, frame, html_table, html_value, rating_cell
from .rubric import round_half_up

__all__ = [
    "DomainResult",
    "Margin",
    "OverallResult",
    "PromptResult",
    "QuestionResult",
    "Result",
    "StandardResult",
    "ThreadResult",
    "percent_text",
]


def _fraction_text(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _parse_fraction(value: object) -> Fraction | None:
    return None if value is None else Fraction(str(value))


def percent_text(percent: Fraction) -> str:
    """A percentage to two decimals for reading (exact values are kept elsewhere).

    Returns:
        The percentage rounded half up to hundredths, such as ``'66.67%'``.

    Raises:
        Nothing of its own: any exact number is accepted.
    """
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
        return Fraction(100 * self.yes, self.relevant) if self.relevant else None

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
    #: a judged standard given as "not rated" (no cases of its kind): not the same as missing
    not_rated: bool = False

    @property
    def determined(self) -> bool:
        return self.rating is not None

    @property
    def shown_rating(self) -> str:
        """The rating as a person reads it: the label, 'not rated' or 'undetermined'."""
        if self.rating is not None:
            return self.rating
        return "not rated" if self.not_rated else "undetermined"

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
        if self.not_rated:
            return head + "not rated (given as input: no cases of its kind to inspect)"
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
            "not_rated": self.not_rated,
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
            not_rated=data.get("not_rated", False),
        )


@attrs.frozen
class OverallResult:
    """The overall rating: the points of the scored standards placed in the overall bands.

    ``rating`` and ``points`` are None when a standard it needs has no rating; ``reason``
    then says which.
    """

    rating: str | None
    points: int | None
    max_points: int
    standards: tuple[str, ...]
    reason: str | None = None

    def explain_short(self) -> str:
        """The rating and its points, in a few words."""
        if self.rating is None:
            return "undetermined"
        return f"{self.rating} ({self.points} of {self.max_points} points)"

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
    #: what reading the judgments did that a reader should know (repeated answers merged)
    notes: tuple[str, ...] = ()
    #: every rating label of the rubric's scales, lowest first (the rating scale's, then any
    #: other scale's): the order of a frame's rating categories
    labels: tuple[str, ...] = ()
    #: the file the rubric was loaded from (a bundled one's name followed by "(bundled)"), or
    #: None for a rubric built from a mapping or text
    rubric_file: str | None = None
    #: a short fingerprint of the rubric's rules (``loading.rules_fingerprint``): two rubrics
    #: with one id but other rules have other fingerprints
    rubric_fingerprint: str | None = None

    @property
    def rubric_label(self) -> str:
        """The rubric's id with its file and its rules' fingerprint, as every output names it:
        ``'hmip-probation-2023 from hmip-probation-2023.toml (bundled), rules 02ea540259dd'``."""
        return rubric_label(self.rubric, self.rubric_file, self.rubric_fingerprint)

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for s in self.standards:
            counts[s.shown_rating] = counts.get(s.shown_rating, 0) + 1
        order = [*reversed(self.labels), "not rated", "undetermined"]
        spread = ", ".join(
            f"{counts[r]} {r}" for r in sorted(counts, key=lambda r: _rank(order, r))
        )
        overall = "" if self.overall is None else f"; overall {self.overall.explain_short()}"
        return (
            f"<Result {self.rubric}: {self.cases} cases, {len(self.standards)} standards "
            f"({spread}){overall}>"
        )

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
        lines.extend(f"Note: {n}" for n in self.notes)
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

    def to_frame(self, backend: Backend = "pandas") -> Any:
        """:meth:`to_records` as a typed frame, one row per key question: pandas by default,
        polars with ``backend="polars"`` (needs the library; the message names its extra)."""
        return frame(self.to_records(), question_columns("rubric", self.labels), backend)

    def standard_records(self) -> list[dict[str, Any]]:
        """One flat record per standard (and one for the overall rating): its rating, points,
        printed percentage, driving key question(s) and the first one's counts; the columns
        of :meth:`GroupScores.to_records <probation_audit._groups.GroupScores.to_records>`."""
        out = []
        for s in self.standards:
            lead = self.question(s.driven_by[0]) if s.driven_by else None
            out.append(
                {
                    "rubric": self.rubric,
                    "cases": self.cases,
                    "standard": s.id,
                    "title": s.title,
                    "rating": "not rated" if s.not_rated else s.rating,
                    "driven_by": " ".join(s.driven_by) or None,
                    "yes": None if lead is None else lead.yes,
                    "relevant": None if lead is None else lead.relevant,
                    "percent": None if s.value is None else round_half_up(s.value),
                    "points": s.points,
                }
            )
        if self.overall is not None:
            out.append(overall_record("rubric", self.rubric, self.cases, self.overall.rating))
            out[-1]["points"] = self.overall.points
        return out

    def standard_frame(self, backend: Backend = "pandas") -> Any:
        """:meth:`standard_records` as a typed frame (see :meth:`to_frame`), with a
        ``not_rated`` column: a standard given as not rated has a missing rating there."""
        return standards_frame(self.standard_records(), "rubric", self.labels, backend)

    def _repr_html_(self) -> str:
        return self.html()

    def html(self, how_sure: Mapping[str, str] | None = None) -> str:
        """The result as a notebook shows it: the ratings coloured as the HTML report colours
        them, each standard's score, driving question(s) and margins (and how sure, when
        ``how_sure`` gives the words per standard id and "overall")."""
        sure = how_sure is not None
        header = ["Standard", "Rating", "Score", "Driven by", "Margins", *(["How sure"] * sure)]
        rows: list[list[object]] = []
        for s in self.standards:
            score = "" if s.value is None else f"{round_half_up(s.value)}%"
            drivers = ", ".join(
                f"{q} ({self.question(q).yes} of {self.question(q).relevant})" for q in s.driven_by
            )
            rated = s.rating is not None and s.basis != "judged"
            margins = " ".join(s.margin_notes()) if rated else ""
            row: list[object] = [
                f"{s.id} {s.title}",
                rating_cell(s.shown_rating, s.rating),
                score,
                drivers,
                margins,
            ]
            rows.append(row + ([(how_sure or {}).get(s.id, "")] if sure else []))
        if self.overall is not None:
            o = self.overall
            points = "" if o.points is None else f"{o.points} of {o.max_points} points"
            row = ["Overall", rating_cell(o.rating or "undetermined", o.rating), points, "", ""]
            rows.append(row + ([(how_sure or {}).get("overall", "")] if sure else []))
        facts = [f"rubric {self.rubric_label}", f"{self.cases} cases; rounding: {self.rounding}"]
        facts += [f"Assumed: {a}" for a in self.assumptions] + [f"Note: {n}" for n in self.notes]
        return html_value(
            f"Result: {self.rubric}", facts, html_table(header, rows, shown=len(rows))
        )

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
            "notes": list(self.notes),
            "labels": list(self.labels),
            "rubric_file": self.rubric_file,
            "rubric_fingerprint": self.rubric_fingerprint,
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
            notes=tuple(data.get("notes", ())),
            labels=tuple(data.get("labels", ())),
            rubric_file=data.get("rubric_file"),
            rubric_fingerprint=data.get("rubric_fingerprint"),
        )


def rubric_label(rubric: str, file: str | None, fingerprint: str | None) -> str:
    """A rubric's id with the file it was loaded from and its rules' fingerprint, as every
    output names it.

    Returns:
        Such as ``'hmip-probation-2023 from hmip-probation-2023.toml (bundled), rules
        02ea540259dd'``; a part that is None is left out.

    Raises:
        Nothing of its own.
    """
    parts = [rubric if file is None else f"{rubric} from {file}"]
    if fingerprint is not None:
        parts.append(f"rules {fingerprint}")
    return ", ".join(parts)


def _rank(order: list[str], label: str) -> int:
    return order.index(label) if label in order else len(order)


def question_columns(first: str, labels: tuple[str, ...]) -> list[Column]:
    """The typed columns of a per-key-question frame, after ``first`` (the rubric, or the
    group column of many units).

    Returns:
        The columns of :meth:`Result.to_records` in order, typed.

    Raises:
        Nothing of its own.
    """
    return [
        Column(first),
        *(Column(n) for n in ("standard", "standard_title")),
        Column("standard_rating", "rating", labels),
        *(Column(n) for n in ("question", "text")),
        Column("yes", "int"),
        Column("relevant", "int"),
        Column("percent", "float"),
        Column("proportion", "float"),
        Column("driving", "bool"),
    ]


def standard_columns(first: str, labels: tuple[str, ...]) -> list[Column]:
    """The typed columns of a per-standard frame, after ``first``.

    Returns:
        The columns of :meth:`Result.standard_records` in order, typed, and ``not_rated``.

    Raises:
        Nothing of its own.
    """
    return [
        Column(first),
        Column("cases", "int"),
        *(Column(n) for n in ("standard", "title")),
        Column("rating", "rating", labels),
        Column("not_rated", "bool"),
        Column("driven_by"),
        *(Column(n, "int") for n in ("yes", "relevant")),
        Column("percent", "float"),
        Column("points", "int"),
    ]


def overall_record(first: str, name: str, cases: int, rating: str | None) -> dict[str, Any]:
    """The overall rating's row of a per-standard table (its points are filled by the caller).

    Returns:
        The record, with the columns of :meth:`Result.standard_records`.
    """
    return {
        first: name,
        "cases": cases,
        "standard": "overall",
        "title": "",
        "rating": rating,
        "driven_by": None,
        "yes": None,
        "relevant": None,
        "percent": None,
        "points": None,
    }


def standards_frame(
    records: list[dict[str, Any]],
    first: str,
    labels: tuple[str, ...],
    backend: Backend,
    extra: Sequence[Column] = (),
) -> Any:
    """Per-standard records as a typed frame (``extra`` columns after the usual ones): a rating
    given as not rated is missing there, with ``not_rated`` true.

    Returns:
        The frame (see :func:`~probation_audit._display.frame`).
    """
    rows = [
        {**r, "rating": None, "not_rated": True}
        if r["rating"] == "not rated"
        else {**r, "not_rated": False}
        for r in records
    ]
    return frame(rows, [*standard_columns(first, labels), *extra], backend)
