"""The rubric model: a methodology's structure and rules as frozen, validated values.

A :class:`Rubric` is built from a raw mapping (parsed TOML) by :meth:`Rubric.from_mapping`,
which reports every problem it finds with its key path, and turned back into one by
:meth:`Rubric.to_mapping`. Loading files is :mod:`probation_audit.loading`'s job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

import attrs

from ._reader import Reader, format_number, join
from .errors import AuditErrors, RubricError

__all__ = [
    "STATUSES",
    "Aggregation",
    "Band",
    "Bands",
    "Domain",
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
]

SCHEMA_VERSION = 1

#: How sure a rule is: said by the source, following from published figures, fitted to
#: reproduce a report, or a default with no source.
STATUSES = ("stated", "derived", "calibrated", "assumed")
Status = Literal["stated", "derived", "calibrated", "assumed"]

BASES = ("judged", "cases")
ROUNDING_METHODS = ("exact", "half-up")
#: ``lowest`` and ``weighted`` combine a standard's questions; ``mean`` combines a domain's
#: case-based standards.
AGGREGATION_METHODS = ("lowest", "weighted", "mean")
STANDARD_METHODS = ("lowest", "weighted")
OVERALL_METHODS = ("sum-points",)

HUNDRED = Fraction(100)


@attrs.frozen
class Provenance:
    """Where a rule comes from and how sure it is."""

    status: str = attrs.field(validator=attrs.validators.in_(STATUSES))
    source: str

    def to_mapping(self) -> dict[str, Any]:
        return {"status": self.status, "source": self.source}


@attrs.frozen
class ScaleLevel:
    label: str
    #: None on a scale whose labels are not summed (a classification, a judgement)
    points: int | None = None


@attrs.frozen
class Scale:
    """Ordered rating labels, lowest first, each worth a number of points."""

    id: str
    levels: tuple[ScaleLevel, ...] = attrs.field()
    provenance: Provenance = attrs.field()
    #: derived once, when the scale is built
    labels: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)
    _ranks: Mapping[str, int] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        labels = tuple(level.label for level in self.levels)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "_ranks", {label: i for i, label in enumerate(labels)})

    @levels.validator
    def _check_levels(self, _: attrs.Attribute[Any], levels: tuple[ScaleLevel, ...]) -> None:
        if not levels:
            raise ValueError(f"scale {self.id!r} has no labels")
        if len({level.label for level in levels}) != len(levels):
            raise ValueError(f"scale {self.id!r} repeats a label")
        given = [level.points for level in levels if level.points is not None]
        if given and len(given) != len(levels):
            raise ValueError(f"scale {self.id!r}: give points for every label or for none")
        if any(a >= b for a, b in pairwise(given)):
            raise ValueError(f"scale {self.id!r}: points must increase from the lowest label")

    @property
    def has_points(self) -> bool:
        return self.levels[0].points is not None

    def points(self, label: str) -> int:
        for level in self.levels:
            if level.label == label:
                if level.points is None:
                    raise ValueError(f"scale {self.id!r} gives no points")
                return level.points
        raise KeyError(label)

    def rank(self, label: str) -> int:
        """Position of ``label`` on the scale, 0 for the lowest (KeyError if not on it)."""
        return self._ranks[label]

    def match(self, text: str) -> str | None:
        """The label ``text`` names, ignoring case and surrounding or repeated spaces."""
        key = " ".join(text.split()).casefold()
        for label in self.labels:
            if label.casefold() == key:
                return label
        return None

    @property
    def max_points(self) -> int:
        return self.points(self.levels[-1].label)


@attrs.frozen
class Band:
    """Percentages in ``[lower, upper)`` get ``rating``; the last band also includes ``upper``."""

    lower: Fraction
    upper: Fraction
    rating: str
    descriptor: str | None = None

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.lower < self.upper <= HUNDRED:
            raise ValueError(f"band {self.rating!r}: need 0 <= from < to <= 100")


@attrs.frozen
class Bands:
    """Contiguous percentage bands covering 0 to 100, in rising order."""

    scale: str
    bands: tuple[Band, ...] = attrs.field()
    provenance: Provenance = attrs.field()

    @bands.validator
    def _check_bands(self, _: attrs.Attribute[Any], bands: tuple[Band, ...]) -> None:
        _check_contiguous(
            "bands", [(b.lower, b.upper) for b in bands], end=HUNDRED, step=0, unit="%"
        )

    def index(self, percent: Fraction) -> int:
        """Index of the band holding ``percent`` (0 to 100 inclusive)."""
        if not 0 <= percent <= HUNDRED:
            raise ValueError(f"percentage {format_number(percent)} is outside 0-100")
        for i, band in enumerate(self.bands):
            if percent < band.upper:
                return i
        return len(self.bands) - 1

    def band(self, percent: Fraction) -> Band:
        return self.bands[self.index(percent)]

    def rating(self, percent: Fraction) -> str:
        return self.band(percent).rating


@attrs.frozen
class Rounding:
    """Whether bands see the exact percentage or the whole number a report prints."""

    method: str = attrs.field(validator=attrs.validators.in_(ROUNDING_METHODS))
    provenance: Provenance

    def apply(self, percent: Fraction) -> Fraction:
        if self.method == "exact":
            return percent
        return Fraction(round_half_up(percent))


def round_half_up(value: Fraction) -> int:
    """Round to the nearest whole number, halves upward (51.5 -> 52), exactly."""
    return int((value + Fraction(1, 2)).__floor__())


@attrs.frozen
class Aggregation:
    """How key questions become a standard's percentage, or standards a domain's.

    ``lowest``: the lowest question percentage. ``weighted``: ``individual`` x the mean of the
    individual questions + ``summary`` x the summary question (weights summing to one).
    ``mean``: a domain's score, the mean of its case-based standards' scores.
    """

    id: str
    method: str = attrs.field(validator=attrs.validators.in_(AGGREGATION_METHODS))
    provenance: Provenance
    individual: Fraction | None = None
    summary: Fraction | None = None

    def __attrs_post_init__(self) -> None:
        weighted = self.method == "weighted"
        if weighted != (self.individual is not None and self.summary is not None):
            raise ValueError(f"aggregation {self.id!r}: weights go with method 'weighted' only")
        if weighted and self.individual + self.summary != 1:  # type: ignore[operator]
            raise ValueError(f"aggregation {self.id!r}: weights must sum to 1")


@attrs.frozen
class PointsBand:
    """Totals from ``minimum`` to ``maximum`` points, both inclusive, get ``rating``."""

    minimum: int
    maximum: int
    rating: str


@attrs.frozen
class OverallRule:
    """The overall rating: points of the named standards summed, then banded."""

    method: str = attrs.field(validator=attrs.validators.in_(OVERALL_METHODS))
    scale: str
    standards: tuple[str, ...]
    bands: tuple[PointsBand, ...] = attrs.field()
    provenance: Provenance = attrs.field()

    @bands.validator
    def _check_bands(self, _: attrs.Attribute[Any], bands: tuple[PointsBand, ...]) -> None:
        spans = [(Fraction(b.minimum), Fraction(b.maximum)) for b in bands]
        end = spans[-1][1] if spans else Fraction(0)
        _check_contiguous("overall bands", spans, end=end, step=1, unit=" points")

    def rating(self, points: int) -> str:
        for band in self.bands:
            if band.minimum <= points <= band.maximum:
                return band.rating
        raise ValueError(f"{points} points is outside the overall bands")


@attrs.frozen
class Domain:
    """A group of standards (a section); with an ``aggregation``, it gets a score of its own."""

    id: str
    title: str
    aggregation: str | None = None


@attrs.frozen
class FollowUp:
    """A thread score below ``below`` (percent) means a further inspection follows."""

    below: Fraction
    provenance: Provenance


@attrs.frozen
class Thread:
    """A cross-cutting score: the mean proportion over every question tagged ``tag`` in
    ``domains``."""

    id: str
    title: str
    tag: str
    domains: tuple[str, ...]
    provenance: Provenance
    follow_up: FollowUp | None = None


@attrs.frozen
class Prompt:
    """A sub-question under a key question: reported as 'k of n relevant cases', never rated."""

    id: str
    text: str
    source: str | None = None


@attrs.frozen
class Question:
    """A key question, answered yes / no / not relevant for each case.

    ``summary`` marks the summary question of a standard with a weighted aggregation.
    ``unquoted`` marks a reconstructed question that the source report does not quote.
    """

    id: str
    text: str
    tags: tuple[str, ...] = ()
    summary: bool = False
    unquoted: bool = False
    #: where a reconstructed question comes from (the finding it restates)
    source: str | None = None
    prompts: tuple[Prompt, ...] = ()


@attrs.frozen
class Standard:
    """A rated standard: judged by inspectors, or rated from the case sample."""

    id: str
    domain: str
    title: str
    statement: str
    basis: str = attrs.field(validator=attrs.validators.in_(BASES))
    scale: str | None = None
    aggregation: str | None = None
    questions: tuple[Question, ...] = ()

    @property
    def judged(self) -> bool:
        return self.basis == "judged"


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
        problems = _reference_problems(
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
        if problems:
            raise ValueError("; ".join(f"{path}: {message}" for path, message in problems))

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
        rubric = _read_rubric(reader, mapping)
        if reader.errors or rubric is None:
            if not reader.errors:  # pragma: no cover - every failure path records an error
                reader.fail("", "invalid rubric")
            raise AuditErrors(reader.errors)
        return rubric

    def to_mapping(self) -> dict[str, Any]:
        """The raw mapping :meth:`from_mapping` reads; ``from_mapping(r.to_mapping()) == r``."""
        out: dict[str, Any] = {"schema": self.schema, "id": self.id, "title": self.title}
        out["source"] = self.source
        if self.notes is not None:
            out["notes"] = self.notes
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


# -- reading a raw mapping ------------------------------------------------------------------

_TOP_REQUIRED = (
    "schema",
    "id",
    "title",
    "source",
    "structure",
    "scales",
    "bands",
    "rounding",
    "aggregations",
    "domains",
    "standards",
)
_TOP_OPTIONAL = ("notes", "overall", "threads")


def _read_provenance(reader: Reader, table: Mapping[str, Any], path: str) -> Provenance | None:
    status = reader.get(table, path, "status", lambda v, p: reader.choice(v, p, STATUSES))
    source = reader.get(table, path, "source", reader.string)
    if status is None or source is None:
        return None
    return Provenance(status, source)


def _read_rubric(reader: Reader, mapping: Mapping[str, Any]) -> Rubric | None:
    top = reader.table(mapping, "", _TOP_REQUIRED, _TOP_OPTIONAL)
    if top is None:
        return None
    schema = reader.get(top, "", "schema", reader.integer)
    if schema is not None and schema != SCHEMA_VERSION:
        reader.fail("schema", f"expected schema version {SCHEMA_VERSION}, found {schema}")
    rubric_id = reader.get(top, "", "id", reader.identifier)
    title = reader.get(top, "", "title", reader.string)
    source = reader.get(top, "", "source", reader.string)
    notes = reader.get(top, "", "notes", reader.string)

    structure = None
    table = (
        reader.table(top["structure"], "structure", ("status", "source"))
        if "structure" in top
        else None
    )
    if table is not None:
        structure = _read_provenance(reader, table, "structure")

    scales = _read_scales(reader, top.get("scales"), "scales") if "scales" in top else None
    bands = _read_bands(reader, top["bands"], "bands") if "bands" in top else None
    rounding = None
    table = (
        reader.table(top["rounding"], "rounding", ("method", "status", "source"))
        if "rounding" in top
        else None
    )
    if table is not None:
        method = reader.get(
            table, "rounding", "method", lambda v, p: reader.choice(v, p, ROUNDING_METHODS)
        )
        provenance = _read_provenance(reader, table, "rounding")
        if method is not None and provenance is not None:
            rounding = Rounding(method, provenance)
    aggregations = (
        _read_aggregations(reader, top["aggregations"], "aggregations")
        if "aggregations" in top
        else None
    )
    # Optional parts: absent is fine (None); present but invalid fails the whole file.
    overall = _read_overall(reader, top["overall"], "overall") if "overall" in top else None
    threads = _read_threads(reader, top["threads"], "threads") if "threads" in top else ()
    domains = _read_domains(reader, top["domains"], "domains") if "domains" in top else None
    standards = (
        _read_standards(reader, top["standards"], "standards") if "standards" in top else None
    )
    parts = (scales, bands, aggregations, overall, domains, standards, threads)
    if (
        reader.errors
        or rubric_id is None
        or title is None
        or source is None
        or structure is None
        or scales is None
        or bands is None
        or rounding is None
        or aggregations is None
        or domains is None
        or standards is None
        or threads is None
    ):
        # Cross-references are checked on whatever parts did read cleanly.
        _cross_check_parts(reader, *parts)
        return None
    try:
        return Rubric(
            id=rubric_id,
            title=title,
            source=source,
            notes=notes,
            structure=structure,
            scales=scales,
            bands=bands,
            rounding=rounding,
            aggregations=aggregations,
            overall=overall,
            domains=domains,
            standards=standards,
            threads=threads,
        )
    except ValueError:
        _cross_check_parts(reader, *parts)
        return None


def _read_scales(reader: Reader, value: object, path: str) -> tuple[Scale, ...] | None:
    table = reader.named_tables(value, path)
    if table is None:
        return None
    if not table:
        reader.fail(path, "expected at least one scale")
        return None
    scales: list[Scale] = []
    ok = True
    for scale_id, body in table.items():
        spath = join(path, scale_id)
        t = reader.table(body, spath, ("labels", "status", "source"))
        if t is None:
            ok = False
            continue
        provenance = _read_provenance(reader, t, spath)
        items = reader.get(t, spath, "labels", reader.array)
        levels: list[ScaleLevel] = []
        if items is not None:
            if not items:
                reader.fail(join(spath, "labels"), "expected at least one label")
            for i, item in enumerate(items):
                ipath = join(join(spath, "labels"), i)
                it = reader.table(item, ipath, ("label",), ("points",))
                if it is None:
                    continue
                label = reader.get(it, ipath, "label", reader.identifier)
                points = reader.get(it, ipath, "points", reader.integer)
                if label is not None and (points is not None or "points" not in it):
                    levels.append(ScaleLevel(label, points))
            seen: set[str] = set()
            for i, level in enumerate(levels):
                if level.label in seen:
                    reader.fail(join(join(spath, "labels"), i), f"duplicate label {level.label!r}")
                seen.add(level.label)
            with_points = [level for level in levels if level.points is not None]
            if with_points and len(with_points) != len(levels):
                missing = next(i for i, level in enumerate(levels) if level.points is None)
                reader.fail(
                    join(join(join(spath, "labels"), missing), "points"),
                    "missing: give points for every label of a scale, or for none",
                )
            for a, b in pairwise(with_points):
                assert a.points is not None and b.points is not None
                if b.points <= a.points:
                    reader.fail(
                        join(spath, "labels"),
                        f"points must increase from the lowest label: {b.label!r} has {b.points}, "
                        f"not more than {a.label!r} with {a.points}",
                    )
                    break
        if provenance is None or items is None or len(levels) != len(items) or not levels:
            ok = False
            continue
        try:
            scales.append(Scale(scale_id, tuple(levels), provenance))
        except ValueError:
            ok = False
    return tuple(scales) if ok else None


def _read_bands(reader: Reader, value: object, path: str) -> Bands | None:
    before = len(reader.errors)
    table = reader.table(value, path, ("scale", "band", "status", "source"))
    if table is None:
        return None
    provenance = _read_provenance(reader, table, path)
    scale = reader.get(table, path, "scale", reader.identifier)
    items = reader.get(table, path, "band", reader.array)
    if items is None:
        return None
    bpath = join(path, "band")
    if not items:
        reader.fail(bpath, "expected at least one band")
        return None
    bands: list[Band | None] = []
    for i, item in enumerate(items):
        ipath = join(bpath, i)
        it = reader.table(item, ipath, ("from", "to", "rating"), ("descriptor",))
        if it is None:
            bands.append(None)
            continue
        lower = reader.get(it, ipath, "from", reader.number)
        upper = reader.get(it, ipath, "to", reader.number)
        rating = reader.get(it, ipath, "rating", reader.identifier)
        descriptor = reader.get(it, ipath, "descriptor", reader.string)
        if lower is None or upper is None or rating is None:
            bands.append(None)
            continue
        bad = False
        for key, number in (("from", lower), ("to", upper)):
            if number > HUNDRED:
                reader.fail(
                    join(ipath, key),
                    f"expected a percentage from 0 to 100, found {format_number(number)}",
                )
                bad = True
        if not bad and lower >= upper:
            reader.fail(
                ipath,
                f"band is empty or reversed: from {format_number(lower)} is not below to {format_number(upper)}",
            )
            bad = True
        bands.append(None if bad else Band(lower, upper, rating, descriptor))
    if any(b is None for b in bands):
        return None
    good = [b for b in bands if b is not None]
    _check_coverage(
        reader,
        bpath,
        [(b.lower, b.upper) for b in good],
        end=HUNDRED,
        step=0,
        unit="%",
    )
    if len(reader.errors) > before or provenance is None or scale is None:
        return None
    return Bands(scale, tuple(good), provenance)


def _coverage_problems(
    spans: Sequence[tuple[Fraction, Fraction]], *, end: Fraction, step: int, unit: str
) -> list[tuple[int, str]]:
    """Bands that are out of order, overlap, or leave gaps in 0 .. ``end``, as
    ``(band index, message)``: the one check behind the file reader's messages and the model's
    validators.

    ``step`` is 0 for half-open percentage bands ``[from, to)`` and 1 for inclusive whole-point
    bands ``[min, max]``: the next band must start at the previous end plus ``step``.
    """

    def show(x: Fraction) -> str:
        return f"{format_number(x)}{unit}"

    if not spans:
        return [(0, "expected at least one band")]
    for i in range(1, len(spans)):
        prev, cur = spans[i - 1], spans[i]
        if cur[0] < prev[0]:
            return [
                (
                    i,
                    f"bands out of order: starts at {show(cur[0])}, below the previous band's start {show(prev[0])}",
                )
            ]
    problems: list[tuple[int, str]] = []
    if spans[0][0] != 0:
        problems.append(
            (0, f"gap: the first band starts at {show(spans[0][0])}, not {show(Fraction(0))}")
        )
    for i in range(1, len(spans)):
        prev, cur = spans[i - 1], spans[i]
        expected = prev[1] + step
        if cur[0] > expected:
            if step == 0:
                missing = f"{show(expected)} up to {show(cur[0])}"
            elif cur[0] - 1 == expected:
                missing = show(expected)
            else:
                missing = f"{show(expected)} to {show(cur[0] - 1)}"
            problems.append((i, f"gap: nothing covers {missing}"))
        elif cur[0] < expected:
            problems.append(
                (
                    i,
                    f"overlap: starts at {show(cur[0])}, inside the previous band (which ends at {show(prev[1])})",
                )
            )
    if spans[-1][1] != end:
        problems.append(
            (len(spans) - 1, f"the last band ends at {show(spans[-1][1])}, not {show(end)}")
        )
    return problems


def _check_coverage(
    reader: Reader,
    path: str,
    spans: Sequence[tuple[Fraction, Fraction]],
    *,
    end: Fraction,
    step: int,
    unit: str,
) -> None:
    """Report every coverage problem of a file's bands at its key path."""
    for i, message in _coverage_problems(spans, end=end, step=step, unit=unit):
        reader.fail(join(path, i), message)


def _check_contiguous(
    what: str, spans: Sequence[tuple[Fraction, Fraction]], *, end: Fraction, step: int, unit: str
) -> None:
    """The model's validator: ValueError naming the first coverage problem."""
    problems = _coverage_problems(spans, end=end, step=step, unit=unit)
    if problems:
        i, message = problems[0]
        raise ValueError(f"{what}[{i}]: {message}")


def _read_aggregations(reader: Reader, value: object, path: str) -> tuple[Aggregation, ...] | None:
    table = reader.named_tables(value, path)
    if table is None:
        return None
    if not table:
        reader.fail(path, "expected at least one aggregation")
        return None
    out: list[Aggregation] = []
    ok = True
    for agg_id, body in table.items():
        apath = join(path, agg_id)
        t = reader.table(body, apath, ("method", "status", "source"), ("individual", "summary"))
        if t is None:
            ok = False
            continue
        method = reader.get(
            t, apath, "method", lambda v, p: reader.choice(v, p, AGGREGATION_METHODS)
        )
        provenance = _read_provenance(reader, t, apath)
        individual = reader.get(t, apath, "individual", reader.number)
        summary = reader.get(t, apath, "summary", reader.number)
        if method == "weighted":
            for key in ("individual", "summary"):
                if key not in t:
                    reader.fail(join(apath, key), "missing required key for a weighted aggregation")
            if individual is not None and summary is not None and individual + summary != 1:
                reader.fail(
                    apath,
                    f"weights must sum to 1: individual {format_number(individual)} + summary "
                    f"{format_number(summary)} = {format_number(individual + summary)}",
                )
                ok = False
                continue
        elif method is not None:
            for key in ("individual", "summary"):
                if key in t:
                    reader.fail(
                        join(apath, key), f"weights go with method 'weighted', not {method!r}"
                    )
            individual = summary = None
        if (
            method is None
            or provenance is None
            or (method == "weighted" and (individual is None or summary is None))
        ):
            ok = False
            continue
        out.append(Aggregation(agg_id, method, provenance, individual, summary))
    return tuple(out) if ok else None


def _read_overall(reader: Reader, value: object, path: str) -> OverallRule | None:
    before = len(reader.errors)
    table = reader.table(value, path, ("method", "scale", "standards", "band", "status", "source"))
    if table is None:
        return None
    method = reader.get(table, path, "method", lambda v, p: reader.choice(v, p, OVERALL_METHODS))
    scale = reader.get(table, path, "scale", reader.identifier)
    standards = reader.get(table, path, "standards", reader.strings)
    provenance = _read_provenance(reader, table, path)
    if standards is not None:
        seen: set[str] = set()
        for i, sid in enumerate(standards):
            if sid in seen:
                reader.fail(join(join(path, "standards"), i), f"duplicate standard {sid!r}")
            seen.add(sid)
        if not standards:
            reader.fail(join(path, "standards"), "expected at least one standard")
    items = reader.get(table, path, "band", reader.array)
    bands: list[PointsBand] = []
    if items is not None:
        bpath = join(path, "band")
        if not items:
            reader.fail(bpath, "expected at least one band")
        complete = True
        for i, item in enumerate(items):
            ipath = join(bpath, i)
            it = reader.table(item, ipath, ("min", "max", "rating"))
            if it is None:
                complete = False
                continue
            lo = reader.get(it, ipath, "min", reader.integer)
            hi = reader.get(it, ipath, "max", reader.integer)
            rating = reader.get(it, ipath, "rating", reader.identifier)
            if lo is None or hi is None or rating is None:
                complete = False
                continue
            if hi < lo:
                reader.fail(ipath, f"band is reversed: min {lo} is above max {hi}")
                complete = False
                continue
            bands.append(PointsBand(lo, hi, rating))
        if complete and bands:
            _check_coverage(
                reader,
                bpath,
                [(Fraction(b.minimum), Fraction(b.maximum)) for b in bands],
                end=Fraction(bands[-1].maximum),
                step=1,
                unit=" points",
            )
    if len(reader.errors) > before or None in (method, scale, standards, provenance) or not bands:
        return None
    assert (
        method is not None
        and scale is not None
        and standards is not None
        and provenance is not None
    )
    return OverallRule(method, scale, standards, tuple(bands), provenance)


def _read_domains(reader: Reader, value: object, path: str) -> tuple[Domain, ...] | None:
    items = reader.array(value, path)
    if items is None:
        return None
    out: list[Domain] = []
    ok = True
    seen: set[str] = set()
    for i, item in enumerate(items):
        ipath = join(path, i)
        t = reader.table(item, ipath, ("id", "title"), ("aggregation",))
        if t is None:
            ok = False
            continue
        did = reader.get(t, ipath, "id", reader.identifier)
        title = reader.get(t, ipath, "title", reader.string)
        aggregation = reader.get(t, ipath, "aggregation", reader.identifier)
        if did is None or title is None or ("aggregation" in t and aggregation is None):
            ok = False
            continue
        if did in seen:
            reader.fail(join(ipath, "id"), f"duplicate domain id {did!r}")
            ok = False
        seen.add(did)
        out.append(Domain(did, title, aggregation))
    return tuple(out) if ok else None


def _read_threads(reader: Reader, value: object, path: str) -> tuple[Thread, ...] | None:
    table = reader.named_tables(value, path)
    if table is None:
        return None
    out: list[Thread] = []
    ok = True
    for thread_id, body in table.items():
        tpath = join(path, thread_id)
        t = reader.table(
            body, tpath, ("title", "tag", "domains", "status", "source"), ("follow_up",)
        )
        if t is None:
            ok = False
            continue
        title = reader.get(t, tpath, "title", reader.string)
        tag = reader.get(t, tpath, "tag", reader.identifier)
        domains = reader.get(t, tpath, "domains", reader.strings)
        provenance = _read_provenance(reader, t, tpath)
        follow_up: FollowUp | None = None
        fpath = join(tpath, "follow_up")
        ft = (
            reader.table(t["follow_up"], fpath, ("below", "status", "source"))
            if "follow_up" in t
            else None
        )
        if ft is not None:
            below = reader.get(ft, fpath, "below", reader.number)
            fprov = _read_provenance(reader, ft, fpath)
            if below is not None and below > HUNDRED:
                reader.fail(
                    join(fpath, "below"),
                    f"expected a percentage from 0 to 100, found {format_number(below)}",
                )
                below = None
            if below is None or fprov is None:
                ok = False
                continue
            follow_up = FollowUp(below, fprov)
        elif "follow_up" in t:
            ok = False
            continue
        if domains is not None and not domains:
            reader.fail(join(tpath, "domains"), "expected at least one domain")
            domains = None
        if title is None or tag is None or domains is None or provenance is None:
            ok = False
            continue
        out.append(Thread(thread_id, title, tag, domains, provenance, follow_up))
    return tuple(out) if ok else None


_STANDARD_REQUIRED = ("id", "domain", "title", "statement", "basis")


def _read_standards(reader: Reader, value: object, path: str) -> tuple[Standard, ...] | None:
    items = reader.array(value, path)
    if items is None:
        return None
    if not items:
        reader.fail(path, "expected at least one standard")
        return None
    out: list[Standard] = []
    ok = True
    seen_standards: dict[str, str] = {}
    seen_questions: dict[str, str] = {}
    for i, item in enumerate(items):
        spath = join(path, i)
        t = reader.table(item, spath, _STANDARD_REQUIRED, ("scale", "aggregation", "questions"))
        if t is None:
            ok = False
            continue
        sid = reader.get(t, spath, "id", reader.identifier)
        domain = reader.get(t, spath, "domain", reader.identifier)
        title = reader.get(t, spath, "title", reader.string)
        statement = reader.get(t, spath, "statement", reader.string)
        basis = reader.get(t, spath, "basis", lambda v, p: reader.choice(v, p, BASES))
        scale = reader.get(t, spath, "scale", reader.identifier)
        aggregation = reader.get(t, spath, "aggregation", reader.identifier)
        questions: list[Question] = []
        raw_questions = reader.get(t, spath, "questions", reader.array)
        if sid is not None:
            if sid in seen_standards:
                reader.fail(
                    join(spath, "id"),
                    f"duplicate standard id {sid!r} (first at {seen_standards[sid]})",
                )
            else:
                seen_standards[sid] = spath
        if basis == "judged":
            if scale is None and "scale" not in t:
                reader.fail(join(spath, "scale"), "missing required key for a judged standard")
            for key in ("aggregation", "questions"):
                if key in t:
                    reader.fail(
                        join(spath, key), "a judged standard has no key questions or aggregation"
                    )
        elif basis == "cases":
            if "scale" in t:
                reader.fail(
                    join(spath, "scale"),
                    "a case-based standard is rated on the bands' scale; remove this key",
                )
            for key in ("aggregation", "questions"):
                if key not in t:
                    reader.fail(join(spath, key), "missing required key for a case-based standard")
            if raw_questions is not None and not raw_questions:
                reader.fail(join(spath, "questions"), "expected at least one key question")
        questions_ok = True
        for j, raw in enumerate(raw_questions or []):
            qpath = join(join(spath, "questions"), j)
            qt = reader.table(
                raw, qpath, ("id", "text"), ("tags", "summary", "unquoted", "source", "prompts")
            )
            if qt is None:
                ok = False
                questions_ok = False
                continue
            qid = reader.get(qt, qpath, "id", reader.identifier)
            text = reader.get(qt, qpath, "text", reader.string)
            empty: tuple[str, ...] = ()
            tags = reader.get(qt, qpath, "tags", reader.strings, default=empty)
            summary = reader.get(qt, qpath, "summary", reader.boolean, default=False)
            unquoted = reader.get(qt, qpath, "unquoted", reader.boolean, default=False)
            qsource = reader.get(qt, qpath, "source", reader.string)
            prompts: list[Prompt] = []
            for k, raw_prompt in enumerate(reader.get(qt, qpath, "prompts", reader.array) or []):
                ppath = join(join(qpath, "prompts"), k)
                pt = reader.table(raw_prompt, ppath, ("id", "text"), ("source",))
                if pt is None:
                    questions_ok = False
                    continue
                pid = reader.get(pt, ppath, "id", reader.identifier)
                ptext = reader.get(pt, ppath, "text", reader.string)
                psource = reader.get(pt, ppath, "source", reader.string)
                if pid is None or ptext is None:
                    questions_ok = False
                    continue
                if pid in seen_questions:
                    reader.fail(
                        join(ppath, "id"),
                        f"duplicate question id {pid!r} (first at {seen_questions[pid]})",
                    )
                else:
                    seen_questions[pid] = ppath
                prompts.append(Prompt(pid, ptext, psource))
            if qid is None or text is None or tags is None or summary is None or unquoted is None:
                ok = False
                questions_ok = False
                continue
            if qid in seen_questions:
                reader.fail(
                    join(qpath, "id"),
                    f"duplicate question id {qid!r} (first at {seen_questions[qid]})",
                )
            else:
                seen_questions[qid] = qpath
            questions.append(
                Question(qid, text, tags, bool(summary), bool(unquoted), qsource, tuple(prompts))
            )
        if None in (sid, domain, title, statement, basis) or not questions_ok:
            # A standard with an unreadable question is left out, so that checks of its
            # questions as a whole do not repeat the question's own error.
            ok = False
            continue
        assert sid is not None and domain is not None and title is not None
        assert statement is not None and basis is not None
        out.append(
            Standard(sid, domain, title, statement, basis, scale, aggregation, tuple(questions))
        )
    return tuple(out) if ok else None


def _cross_check_parts(
    reader: Reader,
    scales: tuple[Scale, ...] | None,
    bands: Bands | None,
    aggregations: tuple[Aggregation, ...] | None,
    overall: OverallRule | None,
    domains: tuple[Domain, ...] | None,
    standards: tuple[Standard, ...] | None,
    threads: tuple[Thread, ...] | None,
) -> None:
    for path, message in _reference_problems(
        scales, bands, aggregations, overall, domains, standards, threads
    ):
        reader.fail(path, message)


def _reference_problems(
    scales: tuple[Scale, ...] | None,
    bands: Bands | None,
    aggregations: tuple[Aggregation, ...] | None,
    overall: OverallRule | None,
    domains: tuple[Domain, ...] | None,
    standards: tuple[Standard, ...] | None,
    threads: tuple[Thread, ...] | None = (),
) -> list[tuple[str, str]]:
    """Names that point at nothing, ratings that do not fit their scale, and rules used where
    they do not apply."""
    problems: list[tuple[str, str]] = []
    by_scale = {s.id: s for s in scales} if scales is not None else None

    def check_scale(path: str, scale_id: str) -> Scale | None:
        if by_scale is None:
            return None
        if scale_id not in by_scale:
            problems.append(
                (
                    path,
                    f"names undefined scale {scale_id!r} (defined: {', '.join(sorted(by_scale))})",
                )
            )
            return None
        return by_scale[scale_id]

    if bands is not None:
        scale = check_scale("bands.scale", bands.scale)
        if scale is not None:
            last_rank = -1
            for i, band in enumerate(bands.bands):
                path = f"bands.band[{i}].rating"
                if band.rating not in scale.labels:
                    problems.append(
                        (
                            path,
                            f"rating {band.rating!r} is not a label of scale {scale.id!r} ({', '.join(scale.labels)})",
                        )
                    )
                    continue
                rank = scale.rank(band.rating)
                if rank < last_rank:
                    problems.append(
                        (
                            path,
                            f"rating {band.rating!r} is lower than the band below it: ratings must not fall as the percentage rises",
                        )
                    )
                last_rank = max(last_rank, rank)
    if overall is not None:
        scale = check_scale("overall.scale", overall.scale)
        if scale is not None and not scale.has_points:
            problems.append(
                (
                    "overall.scale",
                    f"scale {scale.id!r} gives no points, but the overall rule sums points",
                )
            )
            scale = None
        if scale is not None:
            last_rank = -1
            for i, pband in enumerate(overall.bands):
                path = f"overall.band[{i}].rating"
                if pband.rating not in scale.labels:
                    problems.append(
                        (
                            path,
                            f"rating {pband.rating!r} is not a label of scale {scale.id!r} ({', '.join(scale.labels)})",
                        )
                    )
                    continue
                rank = scale.rank(pband.rating)
                if rank < last_rank:
                    problems.append(
                        (
                            path,
                            f"rating {pband.rating!r} is lower than the band below it: ratings must not fall as points rise",
                        )
                    )
                last_rank = max(last_rank, rank)
        if standards is not None:
            by_id = {s.id: s for s in standards}
            total = 0
            complete = True
            for i, sid in enumerate(overall.standards):
                if sid not in by_id:
                    problems.append(
                        (f"overall.standards[{i}]", f"names undefined standard {sid!r}")
                    )
                    complete = False
                    continue
                std_scale_id = (
                    by_id[sid].scale if by_id[sid].judged else (bands.scale if bands else None)
                )
                if by_scale is None or std_scale_id is None or std_scale_id not in by_scale:
                    complete = False
                    continue
                if not by_scale[std_scale_id].has_points:
                    problems.append(
                        (
                            f"overall.standards[{i}]",
                            f"standard {sid!r} is rated on scale {std_scale_id!r}, which gives no points to sum",
                        )
                    )
                    complete = False
                    continue
                total += by_scale[std_scale_id].max_points
            if complete and overall.bands and overall.bands[-1].maximum != total:
                problems.append(
                    (
                        f"overall.band[{len(overall.bands) - 1}].max",
                        f"the bands end at {overall.bands[-1].maximum} points, but the "
                        f"{len(overall.standards)} standards can total {total}",
                    )
                )
    by_aggregation = {a.id: a for a in aggregations} if aggregations is not None else None
    if domains is not None and by_aggregation is not None:
        for i, domain in enumerate(domains):
            if domain.aggregation is None:
                continue
            path = f"domains[{i}].aggregation"
            agg = by_aggregation.get(domain.aggregation)
            if agg is None:
                problems.append((path, f"names undefined aggregation {domain.aggregation!r}"))
            elif agg.method != "mean":
                problems.append(
                    (path, f"a domain's score needs method 'mean'; {agg.id!r} is {agg.method!r}")
                )
    if threads and standards is not None:
        domain_ids_all = {d.id for d in domains} if domains is not None else None
        for thread in threads:
            tpath = f"threads.{thread.id}"
            for j, did in enumerate(thread.domains):
                if domain_ids_all is not None and did not in domain_ids_all:
                    problems.append((f"{tpath}.domains[{j}]", f"names undefined domain {did!r}"))
            tagged = [
                q.id
                for s in standards
                if s.domain in thread.domains
                for q in s.questions
                if thread.tag in q.tags
            ]
            if not tagged:
                problems.append(
                    (
                        f"{tpath}.tag",
                        f"no question in domains {', '.join(thread.domains)} carries tag {thread.tag!r}",
                    )
                )
    if standards is not None:
        domain_ids = {d.id for d in domains} if domains is not None else None
        aggregation_ids = set(by_aggregation) if by_aggregation is not None else None
        for i, standard in enumerate(standards):
            path = f"standards[{i}]"
            if domain_ids is not None and standard.domain not in domain_ids:
                problems.append((f"{path}.domain", f"names undefined domain {standard.domain!r}"))
            if standard.judged and standard.scale is not None:
                check_scale(f"{path}.scale", standard.scale)
            if (
                not standard.judged
                and standard.aggregation is not None
                and aggregation_ids is not None
                and standard.aggregation not in aggregation_ids
            ):
                problems.append(
                    (f"{path}.aggregation", f"names undefined aggregation {standard.aggregation!r}")
                )
            agg = (
                by_aggregation.get(standard.aggregation)
                if by_aggregation is not None and standard.aggregation is not None
                else None
            )
            summaries = [j for j, q in enumerate(standard.questions) if q.summary]
            if agg is not None and agg.method not in STANDARD_METHODS:
                problems.append(
                    (
                        f"{path}.aggregation",
                        f"a standard needs method 'lowest' or 'weighted'; {agg.id!r} is {agg.method!r}",
                    )
                )
            elif agg is not None and agg.method == "weighted":
                if len(summaries) != 1:
                    problems.append(
                        (
                            f"{path}.questions",
                            f"a weighted aggregation needs exactly one summary question, found {len(summaries)}",
                        )
                    )
                elif len(standard.questions) < 2:
                    problems.append(
                        (
                            f"{path}.questions",
                            "a weighted aggregation needs individual questions too",
                        )
                    )
            elif agg is not None and summaries:
                problems.append(
                    (
                        f"{path}.questions[{summaries[0]}].summary",
                        f"summary questions need a weighted aggregation; {agg.id!r} is {agg.method!r}",
                    )
                )
    return problems
