"""The rubric model: a methodology's structure and rules as one frozen, validated value.

A :class:`Rubric` is built from a raw mapping (parsed TOML) by :meth:`Rubric.from_mapping`,
which reports every problem it finds with its key path, and turned back into one by
:meth:`Rubric.to_mapping`. Its parts (scales, bands, standards, ...) are in
:mod:`probation_audit._rubric_parts` and importable from here; loading files is
:mod:`probation_audit.loading`'s job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from ._display import html_table, html_value
from ._reader import Reader
from ._rubric_parts import (
    HUNDRED,
    SCHEMA_VERSION,
    STATUSES,
    Aggregation,
    Band,
    Bands,
    Domain,
    FollowUp,
    OverallRule,
    PointsBand,
    Prompt,
    Provenance,
    Question,
    Rounding,
    Scale,
    ScaleLevel,
    Standard,
    Thread,
    alike,
    reference_problems,
    round_half_up,
)
from ._rubric_schema import read_rubric_fields, report_reference_problems
from .errors import AuditErrors, RubricError

__all__ = [
    "HUNDRED",
    "STATUSES",
    "Aggregation",
    "Band",
    "Bands",
    "Domain",
    "FollowUp",
    "OverallRule",
    "PointsBand",
    "Prompt",
    "Provenance",
    "Question",
    "Rounding",
    "Rubric",
    "Scale",
    "ScaleLevel",
    "Standard",
    "Thread",
    "round_half_up",
]


@attrs.frozen
class Rubric:
    """A methodology: structure, rating scale, bands, rounding, aggregation and overall rule."""

    id: str
    title: str
    source: str
    structure: Provenance
    scales: tuple[Scale, ...]
    bands: Bands
    rounding: Rounding
    aggregations: tuple[Aggregation, ...]
    overall: OverallRule | None
    domains: tuple[Domain, ...]
    standards: tuple[Standard, ...]
    threads: tuple[Thread, ...] = ()
    notes: str | None = None
    schema: int = SCHEMA_VERSION
    #: the years the methodology was in use ("2018-2024")
    years: str | None = None
    #: Derived once, when the rubric is built: every key question in rubric order, their ids,
    #: the prompts' ids (under their key questions).
    questions: tuple[Question, ...] = attrs.field(init=False, repr=False, eq=False)
    question_ids: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)
    prompt_ids: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)
    _standards_by_id: Mapping[str, Standard] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        questions = tuple(q for s in self.standards for q in s.questions)
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "question_ids", tuple(q.id for q in questions))
        object.__setattr__(self, "prompt_ids", tuple(p.id for q in questions for p in q.prompts))
        object.__setattr__(self, "_standards_by_id", {s.id: s for s in self.standards})
        problems = reference_problems(
            self.scales,
            self.bands,
            self.aggregations,
            self.overall,
            self.domains,
            self.standards,
            self.threads,
        )
        for kind, ids in (
            ("standard", [s.id for s in self.standards]),
            ("question", [*self.question_ids, *self.prompt_ids]),
        ):
            repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
            if repeated:
                problems.append((f"{kind}s", f"duplicate {kind} ids {', '.join(repeated)}"))
            elif kind == "question" and alike(ids):
                pairs = ", ".join(f"{ids[i]!r} reads as {ids[j]!r}" for i, j in alike(ids).items())
                problems.append(
                    (
                        "questions",
                        f"question ids that differ only in case or spaces: {pairs} (their "
                        "columns cannot be told apart)",
                    )
                )
        if problems:
            raise ValueError("; ".join(f"{path}: {message}" for path, message in problems))

    # -- display ----------------------------------------------------------------------------

    def __repr__(self) -> str:
        years = "" if self.years is None else f" ({self.years})"
        scale = " < ".join(self.rating_scale.labels)
        return (
            f"<Rubric {self.id}{years}: {len(self.standards)} standards, "
            f"{len(self.question_ids)} key questions; {scale}>"
        )

    def _repr_html_(self) -> str:
        rows = [
            [
                s.id,
                s.title,
                s.basis,
                s.aggregation or "",
                " ".join(q.id for q in s.questions),
            ]
            for s in self.standards
        ]
        facts = [
            f"{len(self.standards)} standards, {len(self.question_ids)} key questions, "
            f"rounding: {self.rounding.method}",
            "ratings, lowest first: " + ", ".join(self.rating_scale.labels),
        ]
        return html_value(
            f"Rubric {self.id}: {self.title}",
            facts,
            html_table(
                ["Standard", "Title", "Basis", "Aggregation", "Key questions"],
                rows,
                shown=len(rows),
            ),
        )

    @property
    def question_columns(self) -> list[str]:
        """The key question ids in rubric order as a new list: the columns of a wide frame,
        ``df[rubric.question_columns]`` (``question_ids`` is the same ids as a tuple, which
        pandas would read as one column's name)."""
        return list(self.question_ids)

    # -- lookups ----------------------------------------------------------------------------

    def standard(self, standard_id: str) -> Standard:
        standard = self._standards_by_id.get(standard_id)
        if standard is None:
            raise KeyError(f"rubric {self.id!r} has no standard {standard_id!r}")
        return standard

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(f"rubric {self.id!r} has no scale {scale_id!r}")

    def aggregation(self, aggregation_id: str) -> Aggregation:
        for aggregation in self.aggregations:
            if aggregation.id == aggregation_id:
                return aggregation
        raise KeyError(f"rubric {self.id!r} has no aggregation {aggregation_id!r}")

    @property
    def rating_scale(self) -> Scale:
        """The scale that case-based standards are banded on."""
        return self.scale(self.bands.scale)

    def provenances(self) -> dict[str, Provenance]:
        """Every rule's provenance, by the key path of the rule in the rubric file."""
        out = {"structure": self.structure}
        out.update({f"scales.{s.id}": s.provenance for s in self.scales})
        out["bands"] = self.bands.provenance
        out["rounding"] = self.rounding.provenance
        out.update({f"aggregations.{a.id}": a.provenance for a in self.aggregations})
        if self.overall is not None:
            out["overall"] = self.overall.provenance
        for t in self.threads:
            out[f"threads.{t.id}"] = t.provenance
            if t.follow_up is not None:
                out[f"threads.{t.id}.follow_up"] = t.follow_up.provenance
        return out

    def thread(self, thread_id: str) -> Thread:
        for thread in self.threads:
            if thread.id == thread_id:
                return thread
        raise KeyError(f"rubric {self.id!r} has no thread {thread_id!r}")

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(f"rubric {self.id!r} has no domain {domain_id!r}")

    # -- conversion -------------------------------------------------------------------------

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any], *, source: str | None = None) -> Rubric:
        """Build a rubric from parsed TOML; raise :class:`AuditErrors` listing every problem."""
        reader = Reader(source, RubricError)
        fields = read_rubric_fields(reader, mapping)
        if fields is not None and not reader.errors:
            try:
                return cls(**fields)
            except ValueError:
                report_reference_problems(reader, fields)
        if not reader.errors:  # pragma: no cover - every failure path records an error
            reader.fail("", "invalid rubric")
        raise AuditErrors(reader.errors)

    def to_mapping(self) -> dict[str, Any]:
        """The raw mapping :meth:`from_mapping` reads; ``from_mapping(r.to_mapping()) == r``."""
        out: dict[str, Any] = {"schema": self.schema, "id": self.id, "title": self.title}
        out["source"] = self.source
        if self.notes is not None:
            out["notes"] = self.notes
        if self.years is not None:
            out["years"] = self.years
        out["structure"] = self.structure.to_mapping()
        out["scales"] = {
            s.id: {
                **s.provenance.to_mapping(),
                "labels": [
                    {"label": lv.label, **({} if lv.points is None else {"points": lv.points})}
                    for lv in s.levels
                ],
            }
            for s in self.scales
        }
        bands = []
        for band in self.bands.bands:
            entry: dict[str, Any] = {
                "from": _plain(band.lower),
                "to": _plain(band.upper),
                "rating": band.rating,
            }
            if band.descriptor is not None:
                entry["descriptor"] = band.descriptor
            bands.append(entry)
        out["bands"] = {
            "scale": self.bands.scale,
            **self.bands.provenance.to_mapping(),
            "band": bands,
        }
        out["rounding"] = {"method": self.rounding.method, **self.rounding.provenance.to_mapping()}
        out["aggregations"] = {
            a.id: {
                "method": a.method,
                **(
                    {"individual": _plain(a.individual), "summary": _plain(a.summary)}
                    if a.individual is not None and a.summary is not None
                    else {}
                ),
                **a.provenance.to_mapping(),
            }
            for a in self.aggregations
        }
        if self.overall is not None:
            out["overall"] = {
                "method": self.overall.method,
                "scale": self.overall.scale,
                "standards": list(self.overall.standards),
                **self.overall.provenance.to_mapping(),
                "band": [
                    {"min": b.minimum, "max": b.maximum, "rating": b.rating}
                    for b in self.overall.bands
                ],
            }
        out["domains"] = [
            {
                "id": d.id,
                "title": d.title,
                **({"aggregation": d.aggregation} if d.aggregation else {}),
            }
            for d in self.domains
        ]
        if self.threads:
            out["threads"] = {t.id: _thread_mapping(t) for t in self.threads}
        standards = []
        for s in self.standards:
            entry = {
                "id": s.id,
                "domain": s.domain,
                "title": s.title,
                "statement": s.statement,
                "basis": s.basis,
            }
            if s.scale is not None:
                entry["scale"] = s.scale
            if s.aggregation is not None:
                entry["aggregation"] = s.aggregation
            if s.questions:
                entry["questions"] = [_question_mapping(q) for q in s.questions]
            if s.may_be_unrated:
                entry["may_be_unrated"] = True
            standards.append(entry)
        out["standards"] = standards
        return out


def _question_mapping(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {"id": q.id, "text": q.text}
    if q.tags:
        out["tags"] = list(q.tags)
    if q.summary:
        out["summary"] = True
    if q.unquoted:
        out["unquoted"] = True
    if q.source is not None:
        out["source"] = q.source
    if q.prompts:
        out["prompts"] = [
            {"id": p.id, "text": p.text, **({"source": p.source} if p.source else {})}
            for p in q.prompts
        ]
    return out


def _thread_mapping(t: Thread) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": t.title,
        "tag": t.tag,
        "domains": list(t.domains),
        **t.provenance.to_mapping(),
    }
    if t.follow_up is not None:
        out["follow_up"] = {
            "below": _plain(t.follow_up.below),
            **t.follow_up.provenance.to_mapping(),
        }
    return out


def _plain(value: Fraction | None) -> int | Fraction:
    assert value is not None
    return value.numerator if value.denominator == 1 else value
