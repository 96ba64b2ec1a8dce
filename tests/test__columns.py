"""Tests of probation_audit._columns' array helpers (the validator itself is tested through
its readers: tests/test_reading.py, tests/test_judgments.py, tests/property/test_every_form.py)."""

from __future__ import annotations

import numpy as np
import pytest

from probation_audit import _columns


@pytest.mark.parametrize("kind", [np.uint16, np.int32, np.int64, np.intp])
def test_a_scatter_in_chunks_is_a_plain_scatter(kind: type[np.integer]) -> None:
    rng = np.random.default_rng(3)
    index = rng.permutation(1_000)[:700].astype(kind)
    values = rng.integers(-5, 5, size=700).astype(np.int8)
    want = np.full(1_000, 9, dtype=np.int8)
    want[index] = values
    for chunk in (1, 64, 699, 700, 701):  # chunks that split the index, fit it, pass it
        got = np.full(1_000, 9, dtype=np.int8)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_columns, "_SCATTER_CHUNK", chunk)
            _columns._scatter(got, index, values)
        assert got.tolist() == want.tolist()


def test_a_case_id_in_two_groups_is_shared() -> None:
    assert _columns._shared(np.array([0, 1, 2]), 3) is False
    assert _columns._shared(np.array([0, 1, 0]), 3) is True
    assert _columns._shared(np.array([], dtype=np.int64), 0) is False


@pytest.mark.parametrize("kind", [np.uint8, np.uint16, np.intp])
def test_a_lookup_in_chunks_is_plain_indexing(kind: type[np.integer]) -> None:
    table = np.array([4, -1, 7, 0, 9], dtype=np.int8)
    codes = np.random.default_rng(5).integers(0, 5, size=1_000).astype(kind)
    for chunk in (1, 333, 1_000, 1_001):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_columns, "_SCATTER_CHUNK", chunk)
            got = _columns._lookup(table, codes)
        assert got.dtype == table.dtype
        assert got.tolist() == table[codes].tolist()
