"""Property tests of probation_audit.statistics: intervals."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st_h

from probation_audit import statistics as st

from ..conftest import examples


@settings(max_examples=examples(200))
@given(st_h.integers(1, 400), st_h.data())
def test_interval_properties(n: int, data: st_h.DataObject) -> None:
    k = data.draw(st_h.integers(0, n))
    methods: tuple[st.Method, ...] = ("wilson", "clopper-pearson")
    for method in methods:
        narrow = st.interval(k * 3, n * 3, 0.95, method)
        wide = st.interval(k, n, 0.95, method)
        assert wide.low <= k / n <= wide.high
        assert narrow.high - narrow.low <= wide.high - wide.low + 1e-12
        assert st.interval(k, n, 0.99, method).high >= wide.high - 1e-12
