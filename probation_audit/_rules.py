"""A rubric's rating rules compiled once, for both engines.

:func:`rules_of` turns a :class:`~probation_audit.rubric.Rubric` into the :class:`Rules` that the
exact engine (:mod:`probation_audit.rating`, in :class:`fractions.Fraction`) and the bulk engine
(:mod:`probation_audit._bulk`, in integer numpy arithmetic) both read: per standard its method,
key questions, the scale its rating lives on (a judged standard's own scale) and whether the
overall rule counts it; the bands' edges and the exact percentage each band starts at under the
rounding rule; each scale's labels and points; the overall rule. Every edge, point and rule has
this one source, so the engines agree by construction. The result is cached per rubric.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from fractions import Fraction

import attrs

from .rubric import Rubric, Scale, round_half_up

__all__ = [
    "BandRules",
    "OverallRules",
    "Rules",
    "ScaleRules",
    "StandardRules",
    "rules_of",
]


@attrs.frozen
class ScaleRules:
    """A scale's labels, lowest first, and the points of each (None: a scale without points)."""

    id: str
    labels: tuple[str, ...]
    points: tuple[int, ...] | None
    _ranks: Mapping[str, int] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_ranks", {label: i for i, label in enumerate(self.labels)})

    @classmethod
    def of(cls, scale: Scale) -> ScaleRules:
        points = tuple(lv.points for lv in scale.levels if lv.points is not None)
        return cls(scale.id, scale.labels, points if scale.has_points else None)

    def rank(self, label: str) -> int:
        """Position of ``label`` on the scale, 0 for the lowest (KeyError if not on it)."""
        return self._ranks[label]

    def points_of(self, label: str) -> int | None:
        return None if self.points is None else self.points[self.rank(label)]


@attrs.frozen
class BandRules:
    """The percentage bands: each band's lower edge, the lowest exact percentage it takes under
    the rounding rule, and its rating (as a label and as a rank on the rating scale)."""

    edges: tuple[Fraction, ...]
    thresholds: tuple[Fraction, ...]
    labels: tuple[str, ...]
    ranks: tuple[int, ...]

    def of_value(self, value: Fraction) -> int:
        """The band of a percentage as the bands see it (already rounded, or unrounded)."""
        return sum(1 for edge in self.edges[1:] if value >= edge)

    def of_percent(self, percent: Fraction) -> int:
        """The band of an exact percentage under the rubric's rounding rule."""
        return sum(1 for threshold in self.thresholds[1:] if percent >= threshold)

    def rating(self, value: Fraction) -> str:
        """:meth:`of_value`'s band's rating."""
        return self.labels[self.of_value(value)]

    def next_above(self, rank: int) -> int | None:
        """The first band rated above ``rank`` (None when no band is)."""
        return next((i for i, r in enumerate(self.ranks) if r > rank), None)

    def first_at(self, rank: int) -> int:
        """The first band rated ``rank`` or above (every rating of a band has one)."""
        return next(i for i, r in enumerate(self.ranks) if r >= rank)


@attrs.frozen
class StandardRules:
    """One standard's rules: how it is rated, from which key questions, on which scale."""

    id: str
    #: its position in the rubric's standards
    position: int
    judged: bool
    #: the aggregation method of a case-based standard ('lowest', 'weighted'); None if judged
    method: str | None
    #: its key questions, and their columns in the rubric's ``question_ids``
    questions: tuple[str, ...]
    columns: tuple[int, ...]
    #: the scale its rating lives on: the bands' scale, or a judged standard's own
    scale: ScaleRules
    #: whether the overall rule sums its points
    counted: bool
    #: the weights of a 'weighted' aggregation (individual mean, summary question)
    weights: tuple[Fraction, Fraction] | None = None


@attrs.frozen
class OverallRules:
    """The overall rule: the counted standards' points summed, then banded on ``scale``."""

    scale: ScaleRules
    #: the counted standards' ids, in the rule's order, and their positions in the rubric
    standards: tuple[str, ...]
    positions: tuple[int, ...]
    #: ``(minimum, maximum, rank on scale)`` per points band, rising
    bands: tuple[tuple[int, int, int], ...]

    @property
    def max_points(self) -> int:
        return self.bands[-1][1]

    def rank(self, points: int) -> int:
        for low, high, rank in self.bands:
            if low <= points <= high:
                return rank
        raise ValueError(f"{points} points is outside the overall bands")

    def rating(self, points: int) -> str:
        return self.scale.labels[self.rank(points)]


@attrs.frozen
class Rules:
    """Everything both engines read from a rubric, compiled once (see :func:`rules_of`)."""

    rubric_id: str
    #: 'exact' or 'half-up'
    rounding: str
    bands: BandRules
    rating_scale: ScaleRules
    standards: tuple[StandardRules, ...]
    overall: OverallRules | None
    #: domain id -> positions of its case-based standards, for domains with a 'mean' score
    domains: tuple[tuple[str, tuple[int, ...]], ...]
    #: thread id -> the key questions it averages
    threads: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """Every rating label, lowest first: the rating scale's, then any other label of a
        judged standard's scale or the overall scale (a frame's rating categories)."""
        scales = [self.rating_scale, *(s.scale for s in self.standards)]
        if self.overall is not None:
            scales.append(self.overall.scale)
        return tuple(dict.fromkeys(label for scale in scales for label in scale.labels))

    @property
    def bulk_ready(self) -> bool:
        """Whether the bulk engine rates the rubric: every case-based standard by 'lowest',
        and an overall rule."""
        return self.overall is not None and all(
            s.method == "lowest" for s in self.standards if not s.judged
        )

    @property
    def count_limit(self) -> int:
        """The largest count the bulk engine takes: every product it forms (``100 * count``
        times a threshold's denominator, a threshold's numerator times a count) stays within
        64-bit integers."""
        factor = max([200, *(100 * max(e.numerator, e.denominator) for e in self.bands.edges)])
        return int(2**62 // (2 * factor))

    def rounded(self, percent: Fraction) -> Fraction:
        """An exact percentage as the bands see it under the rounding rule."""
        return percent if self.rounding == "exact" else Fraction(round_half_up(percent))

    def standard(self, standard_id: str) -> StandardRules:
        return next(s for s in self.standards if s.id == standard_id)


def _threshold(edge: Fraction, rounding: str) -> Fraction:
    """The lowest exact percentage that reaches ``edge`` once rounded."""
    if rounding == "exact" or edge == 0:
        return edge
    return math.ceil(edge) - Fraction(1, 2)


def _compile(rubric: Rubric) -> Rules:
    rating_scale = ScaleRules.of(rubric.rating_scale)
    method = rubric.rounding.method
    edges = tuple(b.lower for b in rubric.bands.bands)
    bands = BandRules(
        edges,
        tuple(_threshold(e, method) for e in edges),
        tuple(b.rating for b in rubric.bands.bands),
        tuple(rating_scale.rank(b.rating) for b in rubric.bands.bands),
    )
    counted = set(rubric.overall.standards) if rubric.overall is not None else set()
    column = {q: j for j, q in enumerate(rubric.question_ids)}
    standards = []
    for i, s in enumerate(rubric.standards):
        aggregation = rubric.aggregation(s.aggregation) if s.aggregation else None
        weights = None
        if aggregation is not None and aggregation.individual is not None:
            assert aggregation.summary is not None
            weights = (aggregation.individual, aggregation.summary)
        standards.append(
            StandardRules(
                s.id,
                i,
                s.judged,
                None if s.judged or aggregation is None else aggregation.method,
                tuple(q.id for q in s.questions),
                tuple(column[q.id] for q in s.questions),
                ScaleRules.of(rubric.scale(s.scale))
                if s.judged and s.scale is not None
                else rating_scale,
                s.id in counted,
                weights,
            )
        )
    return Rules(
        rubric.id,
        method,
        bands,
        rating_scale,
        tuple(standards),
        _overall(rubric, tuple(standards)),
        tuple(
            (d.id, tuple(s.position for s in standards if s.id in _case_based(rubric, d.id)))
            for d in rubric.domains
            if d.aggregation is not None
        ),
        tuple(
            (
                t.id,
                tuple(
                    q.id
                    for s in rubric.standards
                    if s.domain in t.domains
                    for q in s.questions
                    if t.tag in q.tags
                ),
            )
            for t in rubric.threads
        ),
    )


def _case_based(rubric: Rubric, domain: str) -> set[str]:
    return {s.id for s in rubric.standards if s.domain == domain and not s.judged}


def _overall(rubric: Rubric, standards: tuple[StandardRules, ...]) -> OverallRules | None:
    rule = rubric.overall
    if rule is None:
        return None
    scale = ScaleRules.of(rubric.scale(rule.scale))
    position = {s.id: s.position for s in standards}
    return OverallRules(
        scale,
        tuple(rule.standards),
        tuple(position[sid] for sid in rule.standards),
        tuple((b.minimum, b.maximum, scale.rank(b.rating)) for b in rule.bands),
    )


_CACHE: dict[int, tuple[weakref.ref[Rubric], Rules]] = {}


def rules_of(rubric: Rubric) -> Rules:
    """``rubric``'s rules, compiled on first use and kept while the rubric lives.

    Returns:
        The :class:`Rules` both engines rate ``rubric`` by.

    Raises:
        Nothing of its own: a :class:`Rubric` is valid by construction.
    """
    key = id(rubric)
    cached = _CACHE.get(key)
    if cached is not None and cached[0]() is rubric:
        return cached[1]
    rules = _compile(rubric)
    _CACHE[key] = (weakref.ref(rubric), rules)
    weakref.finalize(rubric, _CACHE.pop, key, None)
    return rules
