"""Choosing the cases to audit from a caseload: simple random or stratified sampling with
proportional allocation (largest remainders, every stratum at least one case when the sample
allows), a reserve list for substitutes, reproducible from a seed (numpy ``Generator``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs
import numpy as np

__all__ = ["Selection", "allocate", "select_cases"]


def allocate(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """How many of ``n`` cases each stratum gets: in proportion to its size, rounded by largest
    remainders (ties to the larger stratum, then the earlier key), never more than its size,
    and at least one per stratum when ``n`` is at least the number of non-empty strata.

    >>> allocate({"community order": 45, "licence": 25}, 20)
    {'community order': 13, 'licence': 7}

    Returns:
        A dict of stratum to its number of cases, in the order of ``sizes``; every stratum's whole
        size when ``n`` is at least the total.

    Raises:
        ValueError: ``n`` is negative.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    if total == 0:
        return dict.fromkeys(sizes, 0)
    quota = {k: Fraction(n * size, total) for k, size in sizes.items()}
    out = {k: int(q) for k, q in quota.items()}
    keys = list(sizes)
    short = n - sum(out.values())
    by_remainder = sorted(keys, key=lambda k: (-(quota[k] - out[k]), -sizes[k], keys.index(k)))
    for k in by_remainder[:short]:
        out[k] += 1
    # Every non-empty stratum at least one case, when the sample allows: take from the
    # stratum most above its quota.
    empty = [k for k in keys if sizes[k] > 0 and out[k] == 0]
    if len([k for k in keys if sizes[k] > 0]) <= n:
        for k in sorted(empty, key=lambda k: (-quota[k], keys.index(k))):
            donors = [d for d in keys if out[d] > 1]
            donor = max(donors, key=lambda d: (out[d] - quota[d], sizes[d], -keys.index(d)))
            out[donor] -= 1
            out[k] += 1
    return out


@attrs.frozen
class Selection:
    """The chosen cases and the reserves, as positions in the caseload, in draw order."""

    chosen: tuple[int, ...]
    reserve: tuple[int, ...]
    #: (stratum, caseload size, chosen, reserve), strata in sorted order
    allocation: tuple[tuple[str, int, int, int], ...]
    seed: int
    strata: tuple[str, ...] = ()


def select_cases(
    strata: Sequence[str],
    n: int,
    *,
    reserve: int = 0,
    seed: int = 0,
) -> Selection:
    """Draw ``n`` cases (and ``reserve`` substitutes) from a caseload whose case at position
    ``i`` is in stratum ``strata[i]`` (one stratum for simple random sampling). Within each
    stratum every case is equally likely; the same seed gives the same draw.

    Returns:
        The :class:`Selection` of chosen and reserve cases (positions in draw order), the allocation
        per stratum in sorted order, and the seed.

    Raises:
        ValueError: ``n`` or ``reserve`` is negative.
    """
    if n < 0 or reserve < 0:
        raise ValueError("n and reserve must be 0 or more")
    keys = sorted(set(strata))
    members: dict[str, list[int]] = {k: [] for k in keys}
    for i, key in enumerate(strata):
        members[key].append(i)
    sizes = {k: len(v) for k, v in members.items()}
    first = allocate(sizes, n)
    left = {k: sizes[k] - first[k] for k in keys}
    second = allocate(left, reserve)
    rng = np.random.default_rng(seed)
    chosen: list[int] = []
    spare: list[int] = []
    for k in keys:
        order = rng.permutation(sizes[k])
        picked = [members[k][j] for j in order[: first[k] + second[k]].tolist()]
        chosen.extend(picked[: first[k]])
        spare.extend(picked[first[k] :])
    allocation = tuple((k, sizes[k], first[k], second[k]) for k in keys)
    return Selection(tuple(chosen), tuple(spare), allocation, seed, tuple(strata))
