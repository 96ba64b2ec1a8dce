"""The bulk path: many samples rated at once from count arrays, in exact integer arithmetic on
numpy arrays, for national-scale sets and simulations. It applies the same rules as
:func:`probation_audit.rating.score_tally`, and the tests check the two agree.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt

from .rating import check_ratings
from .rubric import Rubric

__all__ = ["BulkRatings", "rate_many"]


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
