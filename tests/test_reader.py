"""Tests of probation_audit._reader: typed access to parsed TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

import probation_audit as pa

from .conftest import DATA


@pytest.mark.parametrize(
    ("literal", "found"),
    [
        (
            "1e5000",
            "number 1e5000 (numbers here have at most 30 digits and an exponent within +-30)",
        ),
        ("1e99999999", "number 1e99999999 (numbers here have at most 30 digits"),
        ("0." + "1" * 60, "number 0.11111111111111111111111111111111111... (numbers here"),
        ("1" * 400, "an integer of 400 digits (at most 30 are accepted)"),
    ],
)
def test_huge_numbers_in_a_rubric_are_errors_at_their_key_path(
    tmp_path: Path, literal: str, found: str
) -> None:
    import time

    text = (DATA / "mini.toml").read_text(encoding="utf-8")
    edited = text.replace("from = 50", f"from = {literal}", 1)
    assert edited != text
    path = tmp_path / "rubric.toml"
    path.write_text(edited, encoding="utf-8")
    start = time.perf_counter()
    problems = pa.validate_rubric(path)
    assert time.perf_counter() - start < 5
    assert any("bands.band[" in p.render() and found in p.render() for p in problems), [
        p.render() for p in problems
    ]
