"""The bulk path: many samples rated at once from count arrays, in exact integer arithmetic on
numpy arrays, for national-scale sets and simulations. It reads the same compiled rules
(:mod:`probation_audit._rules`) as :func:`probation_audit.rating.score_tally`, so the two agree
by construction, and the tests check they do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ._compat import is_masked_array
from ._rules import Rules, rules_of
from .rating import NOT_RATED, check_ratings, require_rubric
from .rubric import Rubric

__all__ = ["BulkRatings", "count_limit", "rate_many"]


@attrs.frozen(eq=False)
class BulkRatings:
    """Ratings for many samples at once, as indices into each standard's labels (-1:
    undetermined).

    ``standards`` has shape ``(samples, standards)`` in rubric order, each column indexing
    that standard's ``standard_labels`` (the rating scale's ``labels``, or a judged standard's
    own scale); ``overall`` indexes ``overall_labels``; ``overall`` and ``points`` have shape
    ``(samples,)`` (points -1 where undetermined).
    """

    standard_ids: tuple[str, ...]
    labels: tuple[str, ...]
    standards: npt.NDArray[np.int64]
    points: npt.NDArray[np.int64]
    overall: npt.NDArray[np.int64]
    #: per standard, the labels its indices point into (a judged standard's own scale);
    #: ``labels`` for every standard when not given
    standard_labels: tuple[tuple[str, ...], ...] = attrs.field(
        default=attrs.Factory(lambda self: (self.labels,) * len(self.standard_ids), takes_self=True)
    )
    #: the overall rating scale's labels (``labels`` when not given)
    overall_labels: tuple[str, ...] = attrs.field(
        default=attrs.Factory(lambda self: self.labels, takes_self=True)
    )

    def rating(self, sample: int, standard_id: str) -> str | None:
        j = self.standard_ids.index(standard_id)
        index = int(self.standards[sample, j])
        return None if index < 0 else self.standard_labels[j][index]

    def overall_rating(self, sample: int) -> str | None:
        index = int(self.overall[sample])
        return None if index < 0 else self.overall_labels[index]


def _counts(name: str, value: npt.ArrayLike, limit: int) -> npt.NDArray[np.int64]:
    """``value`` as an int64 array of whole, finite counts from 0 to ``limit``; TypeError or
    ValueError saying what was found otherwise."""
    if is_masked_array(value):
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
        if array.size:
            high = array.max()
            low = array.min() if kind == "i" else 0
            if high > limit or low < -limit:
                found = int(high if high > limit else low)
                raise ValueError(f"{name} has a count of {found}, above the limit of {limit}")
        # int64 input is used as it is (never written to): no copy
        return array.astype(np.int64, copy=False)
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


def _checked(
    yes: npt.ArrayLike, relevant: npt.ArrayLike, limit: int, questions: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``yes`` and ``relevant`` as int64 arrays of shape ``(samples, questions)`` with
    ``0 <= yes <= relevant <= limit``; TypeError or ValueError saying what was found otherwise.
    Two int64 arrays of that shape pass in three passes (``yes`` at least 0, ``relevant`` at
    most ``limit``, ``yes`` at most ``relevant``), uncopied; any other input, or a failed
    pass, goes through :func:`_counts`, which names the problem."""
    if (
        isinstance(yes, np.ndarray)
        and isinstance(relevant, np.ndarray)
        and yes.dtype == relevant.dtype == np.int64
        and yes.shape == relevant.shape
        and yes.ndim == 2
        and yes.shape[1] == questions
        and not is_masked_array(yes)
        and not is_masked_array(relevant)
        and (
            yes.size == 0
            or (yes.min() >= 0 and relevant.max() <= limit and not np.greater(yes, relevant).any())
        )
    ):
        return yes, relevant
    y = _counts("yes", yes, limit)
    r = _counts("relevant", relevant, limit)
    if y.ndim != 2 or y.shape != r.shape or y.shape[1] != questions:
        raise ValueError(
            f"yes and relevant must both have shape (samples, {questions}); got {y.shape} and {r.shape}"
        )
    if y.size and (y.min() < 0 or np.greater(y, r).any()):
        raise ValueError("need 0 <= yes <= relevant everywhere")
    return y, r


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
        indices into the labels of the scale each lives on (a judged standard's own scale), -1
        where undetermined.

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
    rules = rules_of(rubric)
    y, r = _checked(yes, relevant, rules.count_limit, len(rubric.question_ids))
    given = check_ratings(rubric, ratings)
    if not rules.bulk_ready:
        raise ValueError(
            f"rate_many handles rubrics with 'lowest' aggregation and an overall rule; use score_tally for {rubric.id!r}"
        )
    assert rules.overall is not None
    samples = y.shape[0]
    out = np.empty((samples, len(rules.standards)), dtype=np.int64)
    for s in rules.standards:
        if s.judged:
            label = given.get(s.id)
            out[:, s.position] = -1 if label is None or label == NOT_RATED else s.scale.rank(label)
    # A block of samples at a time, so that the band tests' arrays stay in the CPU's cache.
    for start in range(0, samples, _BLOCK_SAMPLES):
        stop = min(samples, start + _BLOCK_SAMPLES)
        _rate_block(rules, y[start:stop], r[start:stop], out[start:stop])
    points, overall = _overall(rules, out)
    return BulkRatings(
        standard_ids=tuple(s.id for s in rules.standards),
        labels=rules.rating_scale.labels,
        standards=out,
        points=points,
        overall=overall,
        standard_labels=tuple(s.scale.labels for s in rules.standards),
        overall_labels=rules.overall.scale.labels,
    )


#: Samples rated at a time by :func:`rate_many` (their arrays stay within the CPU's cache).
_BLOCK_SAMPLES = 16_384


def _rate_block(
    rules: Rules,
    yes: npt.NDArray[np.int64],
    relevant: npt.NDArray[np.int64],
    out: npt.NDArray[np.int64],
) -> None:
    """The case-based standards' ranks of a block of samples, written into ``out``."""
    bands = _bands(rules, yes, relevant)
    # Each band's rank, with -1 in front for "no relevant case" (band -1).
    rank_of = np.array([-1, *rules.bands.ranks], dtype=np.int64)
    for s in rules.standards:
        if s.judged:
            continue
        # Band ratings never fall as the percentage rises (the rubric checks it), so the
        # lowest band has the lowest rank; and band -1 (no relevant case), below every
        # band, is the lowest when any question has it.
        lowest = bands[:, s.columns[0]].copy()
        for column in s.columns[1:]:  # column by column: a reduction along rows is slow
            np.minimum(lowest, bands[:, column], out=lowest)
        np.take(rank_of, lowest.astype(np.intp) + 1, out=out[:, s.position])


def band_ranks(
    rules: Rules, yes: npt.NDArray[np.int64], relevant: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Each count's band, as its rank on the rating scale (-1 with no relevant case): the
    exact percentage ``100 * yes / relevant`` compared, in integers, with the lowest exact
    percentage each band takes under the rounding rule."""
    rank_of = np.array([-1, *rules.bands.ranks], dtype=np.int64)
    return rank_of[_bands(rules, yes, relevant).astype(np.intp) + 1]


def _bands(
    rules: Rules, yes: npt.NDArray[np.int64], relevant: npt.NDArray[np.int64]
) -> npt.NDArray[np.int8]:
    """Each count's band index (-1 with no relevant case), counted in one byte in place (a
    rubric has a few bands): ``100 * yes`` against each band's lowest exact percentage times
    ``relevant``, in integers."""
    scaled = {1: 100 * yes}  # 100 * yes times each threshold's denominator, made once
    band = np.zeros(yes.shape, dtype=np.int8)
    edge = np.empty(yes.shape, dtype=np.int64)
    above = np.empty(yes.shape, dtype=bool)
    for threshold in rules.bands.thresholds[1:]:
        den = threshold.denominator
        if den not in scaled:
            scaled[den] = scaled[1] * den
        np.multiply(relevant, threshold.numerator, out=edge)
        np.greater_equal(scaled[den], edge, out=above)
        band += above
    np.equal(relevant, 0, out=above)
    np.copyto(band, -1, where=above)  # no relevant case: below every band
    return band


def lowest_questions(
    rubric: Rubric, yes: npt.NDArray[np.int64], relevant: npt.NDArray[np.int64]
) -> dict[str, npt.NDArray[np.bool_]]:
    """The 'lowest' rule's drivers: per case-based standard, a mask of shape ``(samples, its
    questions)`` marking the key question(s) with the lowest value under the rounding rule (all
    of them on a tie; none in a sample where one has no relevant case).

    Exact: values are compared as integers (``y1 * r2`` against ``y2 * r1``, or the half-up
    whole numbers), in Python integers when counts are too large for 64-bit products.

    Returns:
        A dict of standard id to a boolean mask, for the case-based standards in rubric order.

    Raises:
        Nothing of its own: the counts are taken as given (checked by the caller).
    """
    rules = rules_of(rubric)
    wide = max(int(yes.max(initial=0)), int(relevant.max(initial=0))) > 2**31 - 1
    out: dict[str, npt.NDArray[np.bool_]] = {}
    for s in rules.standards:
        if s.judged:
            continue
        y, r = yes[:, list(s.columns)], relevant[:, list(s.columns)]
        if rules.rounding == "half-up":
            num, den = (200 * y + r) // np.maximum(2 * r, 1), np.ones_like(r)
        elif wide:
            num, den = y.astype(object), r.astype(object)
        else:
            num, den = y, r
        low_num: npt.NDArray[Any] = num[:, 0]
        low_den: npt.NDArray[Any] = den[:, 0]
        for j in range(1, num.shape[1]):
            lower = num[:, j] * low_den < low_num * den[:, j]
            low_num = np.where(lower, num[:, j], low_num)
            low_den = np.where(lower, den[:, j], low_den)
        mask = np.asarray(num * low_den[:, None] == low_num[:, None] * den, dtype=bool)
        out[s.id] = mask & (r > 0).all(axis=1, keepdims=True)
    return out


def _overall(
    rules: Rules, ranks: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Points of the counted standards (each on its own scale) and the overall rating's rank
    on the overall scale; -1 where a counted standard is undetermined."""
    assert rules.overall is not None
    samples = ranks.shape[0]
    total = np.zeros(samples, dtype=np.int64)
    unrated = np.zeros(samples, dtype=bool)
    # Standard by standard (a reduction along rows is slow): its points by lookup.
    for position in rules.overall.positions:
        column = ranks[:, position]
        scale = rules.standards[position].scale
        assert scale.points is not None  # the rubric checks counted standards have points
        total += np.take(np.array(scale.points, dtype=np.int64), np.maximum(column, 0))
        unrated |= column < 0
    # The overall band of every possible total, looked up (-1 outside every band).
    rank_of_total = np.full(max(rules.overall.max_points, int(total.max(initial=0))) + 1, -1)
    for low, high, rank in rules.overall.bands:
        rank_of_total[max(low, 0) : high + 1] = rank
    overall = np.take(rank_of_total, total)
    points = np.where(unrated, -1, total)
    overall[unrated] = -1
    return points, overall


def count_limit(rubric: Rubric) -> int:
    """The largest count :func:`rate_many` takes for ``rubric``: every product it forms
    (``100 * count`` times a band edge's denominator, and a band edge's numerator times a
    count) stays within 64-bit integers.

    Returns:
        The largest count, a positive whole number (about 2.9e14 for the bundled rubrics).

    Raises:
        Nothing of its own: the limit is read from the rubric's bands.
    """
    return rules_of(rubric).count_limit
