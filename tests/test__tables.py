"""Tests of probation_audit._tables: matching a wide header to the rubric's ids."""

from __future__ import annotations

from pathlib import Path

import pytest

import probation_audit as pa

from ._helpers import WIDE_2023, _wide_file


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("P2.1.3a", "P2.1.3.a"),
        ("P2.1\u20133", "P2.1.3"),
        ("P2.l.3", "P2.1.3"),
        ("P2.1.1.z", "P2.1.1.b"),
        ("P2.1.9", "P2.1.3"),
    ],
)
def test_a_column_named_like_an_id_the_rubric_lacks_is_an_error(
    tmp_path: Path, rubric: pa.Rubric, typo: str, meant: str
) -> None:
    path = _wide_file(tmp_path, WIDE_2023 + "," + typo, extra=",yes")
    for missing in ("error", "not-relevant"):
        with pytest.raises(pa.AuditErrors) as caught:
            pa.read_judgments(path, rubric, missing=missing)
        assert caught.value.lines()[0].startswith(
            f"{path}:1: column {typo!r}: unknown question id (did you mean {meant!r}?"
        )


def test_headers_match_ids_in_any_case_and_with_spaces(tmp_path: Path, rubric: pa.Rubric) -> None:
    header = WIDE_2023.replace("P2.1.3", " p2.1.3 ") + ", P2.1.1.A ,team"
    path = _wide_file(tmp_path, header, extra=",no,north")
    sample = pa.read_judgments(path, rubric)
    assert sample.answer("C0", "P2.1.3") == pa.Judgment.YES
    assert sample.attribute_names == ("team",)
    assert sample.prompt_tally()["P2.1.1.a"] == (0, 2)
    long = tmp_path / "long.csv"
    long.write_text(
        "case_id,question_id,judgment\n"
        + "".join(f"C1,{q.lower()} ,yes\n" for q in rubric.question_ids),
        encoding="utf-8",
    )
    assert pa.read_judgments(long, rubric).tally()["P2.4.3"] == (1, 1)
