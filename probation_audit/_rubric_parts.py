"""The parts a rubric is made of, as frozen, validated values: scales and their points,
percentage bands, rounding, aggregations, the overall rule, domains, threads, standards, key
questions and prompts, each rule with its provenance (stated, derived, calibrated, assumed).

:class:`~probation_audit.rubric.Rubric` puts them together; the checks that span several parts
(names that point at nothing, ratings off their scale, bands that leave gaps) are here so that
the model and the file reader share them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

import attrs

from ._reader import format_number

__all__ = [
    "AGGREGATION_METHODS",
    "BASES",
    "HUNDRED",
    "OVERALL_METHODS",
    "ROUNDING_METHODS",
    "SCHEMA_VERSION",
    "STANDARD_METHODS",
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
    "Scale",
    "ScaleLevel",
    "Standard",
    "Thread",
    "alike",
    "coverage_problems",
    "name_key",
    "reference_problems",
    "round_half_up",
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


def name_key(text: str) -> str:
    """How a name given by a person is matched to a rubric's (a question id in a header or a
    row, a label in ``--rating``): trimmed, runs of white space read as one space, case-folded.
    Two names of one rubric with the same key cannot be told apart, so a rubric may not have
    them (``S1.1`` and ``s1.1``; ``Good`` and ``good``).

    Returns:
        The key two names share when a reader cannot tell them apart.

    Raises:
        Nothing of its own.
    """
    return " ".join(text.split()).casefold()


def alike(names: Sequence[str]) -> dict[int, int]:
    """For each name that reads like an earlier one under :func:`name_key`, its position
    mapped to the first such name's (``{3: 1}``: ``names[3]`` reads as ``names[1]``); names
    repeated exactly are included.

    Returns:
        Positions of later names mapped to the positions of the names they read as.

    Raises:
        Nothing of its own.
    """
    first: dict[str, int] = {}
    out: dict[int, int] = {}
    for i, name in enumerate(names):
        j = first.setdefault(name_key(name), i)
        if j != i:
            out[i] = j
    return out


@attrs.frozen
class Provenance:
    """Where a rule comes from and how sure it is."""

    status: str = attrs.field(validator=attrs.validators.in_(STATUSES))
    source: str

    def to_mapping(self) -> dict[str, Any]:
        return {"status": self.status, "source": self.source}


@attrs.frozen
class ScaleLevel:
    """One label of a rating scale and the points it is worth."""

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
        labels = [level.label for level in levels]
        clash = alike(labels)
        if clash:
            i, j = min(clash.items())
            raise ValueError(
                f"scale {self.id!r} repeats a label: {labels[i]!r} reads as {labels[j]!r} "
                "(labels are matched ignoring case and repeated spaces)"
            )
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
        """The label ``text`` names, ignoring case and surrounding or repeated spaces (a label
        is matched by :func:`name_key`, so every label can be given as written)."""
        key = name_key(text)
        for label in self.labels:
            if name_key(label) == key:
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
    """Round to the nearest whole number, halves upward (51.5 -> 52), exactly.

    Returns:
        The nearest whole number, as an int.

    Raises:
        Nothing of its own: any exact number is accepted.
    """
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
    #: a judged standard that may be given as "not rated" (no cases of its kind to inspect)
    may_be_unrated: bool = False

    @property
    def judged(self) -> bool:
        return self.basis == "judged"


def coverage_problems(
    spans: Sequence[tuple[Fraction, Fraction]], *, end: Fraction, step: int, unit: str
) -> list[tuple[int, str]]:
    """Bands that are out of order, overlap, or leave gaps in 0 .. ``end``, as
    ``(band index, message)``: the one check behind the file reader's messages and the model's
    validators.

    ``step`` is 0 for half-open percentage bands ``[from, to)`` and 1 for inclusive whole-point
    bands ``[min, max]``: the next band must start at the previous end plus ``step``.

    Returns:
        A list of ``(band index, message)`` pairs, empty when the bands cover 0 to ``end`` exactly;
        bands out of order give that one problem alone.

    Raises:
        Nothing of its own: the problems are returned, not raised.
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


def _check_contiguous(
    what: str, spans: Sequence[tuple[Fraction, Fraction]], *, end: Fraction, step: int, unit: str
) -> None:
    """The model's validator: ValueError naming the first coverage problem."""
    problems = coverage_problems(spans, end=end, step=step, unit=unit)
    if problems:
        i, message = problems[0]
        raise ValueError(f"{what}[{i}]: {message}")


def reference_problems(
    scales: tuple[Scale, ...] | None,
    bands: Bands | None,
    aggregations: tuple[Aggregation, ...] | None,
    overall: OverallRule | None,
    domains: tuple[Domain, ...] | None,
    standards: tuple[Standard, ...] | None,
    threads: tuple[Thread, ...] | None = (),
) -> list[tuple[str, str]]:
    """Names that point at nothing, ratings that do not fit their scale, and rules used where
    they do not apply.

    Returns:
        A list of ``(key path, message)`` pairs, empty when every name resolves and every rule fits;
        parts given as None are not checked.

    Raises:
        Nothing of its own: the problems are returned, not raised.
    """
    problems: list[tuple[str, str]] = []
    by_scale = {s.id: s for s in scales} if scales is not None else None
    if bands is not None:
        scale = _named_scale("bands.scale", bands.scale, by_scale, problems)
        if scale is not None:
            ratings = [band.rating for band in bands.bands]
            problems += _rising_ratings("bands.band", ratings, scale, "the percentage rises")
    if overall is not None:
        problems += _overall_problems(overall, bands, standards, by_scale)
    by_aggregation = {a.id: a for a in aggregations} if aggregations is not None else None
    if domains is not None and by_aggregation is not None:
        problems += _domain_problems(domains, by_aggregation)
    if threads and standards is not None:
        problems += _thread_problems(threads, domains, standards)
    if standards is not None:
        problems += _standard_problems(standards, domains, by_aggregation, by_scale)
    return problems


def _named_scale(
    path: str, scale_id: str, by_scale: dict[str, Scale] | None, problems: list[tuple[str, str]]
) -> Scale | None:
    """The scale ``scale_id`` names (None when scales are not checked); a problem at ``path``
    when it names none."""
    if by_scale is None:
        return None
    if scale_id not in by_scale:
        defined = ", ".join(sorted(by_scale))
        problems.append((path, f"names undefined scale {scale_id!r} (defined: {defined})"))
        return None
    return by_scale[scale_id]


def _rising_ratings(
    prefix: str, ratings: Sequence[str], scale: Scale, rises: str
) -> list[tuple[str, str]]:
    """Bands' ratings (lowest band first) that are not labels of ``scale``, or that fall as
    the bands rise (as ``rises``: the percentage, or points)."""
    problems: list[tuple[str, str]] = []
    last_rank = -1
    for i, rating in enumerate(ratings):
        path = f"{prefix}[{i}].rating"
        if rating not in scale.labels:
            problems.append(
                (
                    path,
                    f"rating {rating!r} is not a label of scale {scale.id!r} ({', '.join(scale.labels)})",
                )
            )
            continue
        rank = scale.rank(rating)
        if rank < last_rank:
            problems.append(
                (
                    path,
                    f"rating {rating!r} is lower than the band below it: ratings must not fall as {rises}",
                )
            )
        last_rank = max(last_rank, rank)
    return problems


def _overall_problems(
    overall: OverallRule,
    bands: Bands | None,
    standards: tuple[Standard, ...] | None,
    by_scale: dict[str, Scale] | None,
) -> list[tuple[str, str]]:
    """The overall rule's scale and ratings, and its points bands against the standards it
    sums."""
    problems: list[tuple[str, str]] = []
    scale = _named_scale("overall.scale", overall.scale, by_scale, problems)
    if scale is not None and not scale.has_points:
        problems.append(
            (
                "overall.scale",
                f"scale {scale.id!r} gives no points, but the overall rule sums points",
            )
        )
        scale = None
    if scale is not None:
        ratings = [pband.rating for pband in overall.bands]
        problems += _rising_ratings("overall.band", ratings, scale, "points rise")
    if standards is None:
        return problems
    by_id = {s.id: s for s in standards}
    total = 0
    complete = True
    for i, sid in enumerate(overall.standards):
        if sid not in by_id:
            problems.append((f"overall.standards[{i}]", f"names undefined standard {sid!r}"))
            complete = False
            continue
        std_scale_id = by_id[sid].scale if by_id[sid].judged else (bands.scale if bands else None)
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
    return problems


def _domain_problems(
    domains: tuple[Domain, ...], by_aggregation: dict[str, Aggregation]
) -> list[tuple[str, str]]:
    """Domains' aggregations: each must name one, of method 'mean'."""
    problems: list[tuple[str, str]] = []
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
    return problems


def _thread_problems(
    threads: tuple[Thread, ...],
    domains: tuple[Domain, ...] | None,
    standards: tuple[Standard, ...],
) -> list[tuple[str, str]]:
    """Threads: the domains they name, and a question in them carrying their tag."""
    problems: list[tuple[str, str]] = []
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
    return problems


def _standard_problems(
    standards: tuple[Standard, ...],
    domains: tuple[Domain, ...] | None,
    by_aggregation: dict[str, Aggregation] | None,
    by_scale: dict[str, Scale] | None,
) -> list[tuple[str, str]]:
    """Each standard's domain, scale and aggregation, and the summary questions its
    aggregation needs or refuses."""
    problems: list[tuple[str, str]] = []
    domain_ids = {d.id for d in domains} if domains is not None else None
    aggregation_ids = set(by_aggregation) if by_aggregation is not None else None
    for i, standard in enumerate(standards):
        path = f"standards[{i}]"
        if domain_ids is not None and standard.domain not in domain_ids:
            problems.append((f"{path}.domain", f"names undefined domain {standard.domain!r}"))
        if standard.judged and standard.scale is not None:
            _named_scale(f"{path}.scale", standard.scale, by_scale, problems)
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
        if agg is not None:
            problems += _summary_problems(path, standard, agg)
    return problems


def _summary_problems(path: str, standard: Standard, agg: Aggregation) -> list[tuple[str, str]]:
    """A standard's aggregation method, and the summary question a weighted one needs (and
    any other refuses)."""
    summaries = [j for j, q in enumerate(standard.questions) if q.summary]
    if agg.method not in STANDARD_METHODS:
        return [
            (
                f"{path}.aggregation",
                f"a standard needs method 'lowest' or 'weighted'; {agg.id!r} is {agg.method!r}",
            )
        ]
    if agg.method == "weighted":
        if len(summaries) != 1:
            return [
                (
                    f"{path}.questions",
                    f"a weighted aggregation needs exactly one summary question, found {len(summaries)}",
                )
            ]
        if len(standard.questions) < 2:
            return [(f"{path}.questions", "a weighted aggregation needs individual questions too")]
        return []
    if summaries:
        return [
            (
                f"{path}.questions[{summaries[0]}].summary",
                f"summary questions need a weighted aggregation; {agg.id!r} is {agg.method!r}",
            )
        ]
    return []
