"""Property tests of probation_audit._selection: how a sample is shared between strata."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from probation_audit._selection import allocate


@given(
    st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 50), min_size=1, max_size=6),
    st.integers(0, 200),
)
def test_allocation_properties(sizes: dict[str, int], n: int) -> None:
    got = allocate(sizes, n)
    total = sum(sizes.values())
    assert sum(got.values()) == min(n, total)
    assert all(0 <= got[k] <= sizes[k] for k in sizes)
    if n < total:
        nonempty = [k for k in sizes if sizes[k]]
        if n >= len(nonempty):
            assert all(got[k] >= 1 for k in nonempty)
        else:
            # Proportional: within one case of the quota (before the at-least-one rule).
            assert all(abs(got[k] - n * sizes[k] / total) < 1 + 1e-9 for k in sizes)
