"""The bulk path: many samples rated at once from count arrays, in exact integer arithmetic on
numpy arrays, for national-scale sets and simulations. It applies the same rules as
:func:`probation_audit.rating.score_tally`, and the tests check the two agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt

from .rating import NOT_RATED, check_ratings, require_rubric
from .rubric import Rubric

__all__ = ["BulkRatings", "count_limit", "rate_many"]


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


def _counts(name: str, value: npt.ArrayLike, limit: int) -> npt.NDArray[np.int64]:
    """``value`` as an int64 array of whole, finite counts from 0 to ``limit``; TypeError or
    ValueError saying what was found otherwise."""
    if isinstance(value, np.ma.MaskedArray):
        if np.ma.getmaskarray(value).any():
            raise ValueError(f"{name} is a masked array with masked counts: give every count")
        value = value.data
    if isinstance(value, np.ndarray):
        array = value
    else:
        # Python lists are checked element by element: numpy would turn True into 1 and
        # '34' next to numbers into text without a word.
        try:
            array = np.array(value, dtype=object)
        except ValueError as exc:
            raise ValueError(f"{name} must be a rectangular array of counts: {exc}") from None
        if any(isinstance(v, list | tuple) for v in array.ravel().tolist()):
            raise ValueError(f"{name} must be a rectangular array of counts (rows of one length)")
    kind = array.dtype.kind
    if kind == "O":
        flat = array.ravel().tolist()
        bad = [
            v
            for v in flat
            if isinstance(v, bool | np.bool_) or not isinstance(v, int | np.integer | float)
        ]
        if bad:
            raise TypeError(f"{name} must hold whole-number counts, found {bad[0]!r}")
        floats = [v for v in flat if isinstance(v, float)]
        if any(not math.isfinite(v) for v in floats):
            raise ValueError(f"{name} must hold finite whole-number counts, found NaN or infinity")
        fractional = [v for v in floats if not v.is_integer()]
        if fractional:
            raise ValueError(
                f"{name} must hold whole-number counts, found {fractional[0]!r} "
                "(counts are never rounded or truncated)"
            )
        flat = [int(v) for v in flat]
        too_big = next((v for v in flat if not -limit <= v <= limit), None)
        if too_big is not None:
            raise ValueError(f"{name} has a count of {too_big}, above the limit of {limit}")
        return np.array(flat, dtype=np.int64).reshape(array.shape)
    if kind in "iu":
        if array.size and (array.max() > limit or (kind == "i" and array.min() < -limit)):
            found = int(array.max() if array.max() > limit else array.min())
            raise ValueError(f"{name} has a count of {found}, above the limit of {limit}")
        return array.astype(np.int64)
    if kind == "f":
        if not np.isfinite(array).all():
            raise ValueError(f"{name} must hold finite whole-number counts, found NaN or infinity")
        fractional = array[array != np.floor(array)]
        if fractional.size:
            raise ValueError(
                f"{name} must hold whole-number counts, found {fractional.flat[0].item()!r} "
                "(counts are never rounded or truncated)"
            )
        if array.size and np.abs(array).max() > limit:
            raise ValueError(
                f"{name} has a count of {np.abs(array).max():.0f}, above the limit of {limit}"
            )
        return array.astype(np.int64)
    if kind in "US":
        raise TypeError(
            f"{name} must hold whole-number counts, found text ({str(array.flat[0])!r}, ...)"
        )
    raise TypeError(f"{name} must hold whole-number counts, found {array.dtype} values")


def rate_many(
    rubric: Rubric,
    yes: npt.ArrayLike,
    relevant: npt.ArrayLike,
    ratings: Mapping[str, str] | None = None,
) -> BulkRatings:
    """Rate many samples from count arrays of shape ``(samples, questions)`` (rubric order).

    The same rules as :func:`~probation_audit.rating.score_tally`, in exact integer arithmetic
    on numpy arrays, for national-scale sets and simulations; ``ratings`` (judged standards)
    apply to every sample. Counts must be whole numbers (integer arrays, or floats with no
    fractional part) no larger than the rubric's :func:`count_limit`.

    Raises :class:`TypeError` for a rubric that is not a :class:`Rubric` or counts that are
    not numbers, and :class:`ValueError` for shapes, counts or rubrics it cannot rate.

    Returns:
        A :class:`BulkRatings` holding each sample's standard ratings, points and overall rating as
        indices into the rating scale's labels, -1 where undetermined.

    Raises:
        TypeError: ``rubric`` is not a :class:`Rubric`, ``ratings`` is not a mapping, or the counts
            are not numbers (booleans, text, other objects).
        ValueError: the counts are masked, ragged, fractional, not finite or above
            :func:`count_limit`; ``yes`` and ``relevant`` differ in shape or lack one column per key
            question; some count has ``yes`` below 0 or above ``relevant``; or the rubric is not one
            with the 'lowest' aggregation and an overall rule.
        AuditErrors: ``ratings`` names an unknown or a case-based standard, gives a label that is
            not on the standard's scale, or says 'not rated' where the rubric does not allow it.
    """
    require_rubric(rubric)
    limit = count_limit(rubric)
    y = _counts("yes", yes, limit)
    r = _counts("relevant", relevant, limit)
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
    # The index of the band each percentage falls in, then that band's rank on the scale.
    band_index = np.zeros(y.shape, dtype=np.int64)
    for band in rubric.bands.bands[1:]:
        band_index += num * band.lower.denominator >= band.lower.numerator * den
    rank_of_band = np.array([scale.rank(b.rating) for b in rubric.bands.bands], dtype=np.int64)
    band_rank = rank_of_band[band_index]
    band_rank[r == 0] = -1
    columns = {qid: j for j, qid in enumerate(rubric.question_ids)}
    samples = y.shape[0]
    out = np.empty((samples, len(rubric.standards)), dtype=np.int64)
    for i, standard in enumerate(rubric.standards):
        if standard.judged:
            label = given.get(standard.id)
            out[:, i] = -1 if label is None or label == NOT_RATED else scale.rank(label)
            continue
        sub = band_rank[:, [columns[q.id] for q in standard.questions]]
        # Band ratings never fall as the percentage rises (the rubric checks it), so the
        # lowest percentage's band has the lowest rank.
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


def count_limit(rubric: Rubric) -> int:
    """The largest count :func:`rate_many` takes for ``rubric``: every product it forms
    (``200 * count``, and a percentage's numerator times a band edge's denominator) stays
    within 64-bit integers.

    Returns:
        The largest count, a positive whole number (about 2.9e14 for the bundled rubrics).

    Raises:
        Nothing of its own: the limit is read from the rubric's bands.
    """
    factor = max(
        [200, *(100 * max(b.lower.numerator, b.lower.denominator) for b in rubric.bands.bands)]
    )
    return int(2**62 // (2 * factor))
