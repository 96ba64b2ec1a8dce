"""Tests of probation_audit._toml: reading TOML files within limits."""

from __future__ import annotations

import probation_audit as pa


def test_an_endless_rubric_stream_stops_at_the_size_limit() -> None:
    from probation_audit._toml import MAX_FILE_BYTES

    problems = pa.validate_rubric("/dev/zero")
    assert [p.render() for p in problems] == [
        f"/dev/zero: file is larger than {MAX_FILE_BYTES // 2**20} MiB: not a rubric or "
        "published-figures file (those are a few tens of kilobytes)"
    ]
