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


def test_columns_with_a_blank_header_are_not_repeats_but_a_real_repeat_is() -> None:
    from probation_audit._tables import Table, check_header

    def problems(*header: str) -> list[str]:
        return [str(e) for e in check_header(Table("t.csv", header, (), ()), "wide")]

    assert problems("case_id", "S1.1", "", "") == []
    assert problems("case_id", "S1.1", " ", "", "S1.2") == []
    assert problems("case_id", "S1.1", "", "S1.1", "") == ["t.csv:1: header repeats column 'S1.1'"]
    assert problems("Case ID", "case_id", "") == ["t.csv:1: header repeats column 'case_id'"]


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        # A value one column past the header, padded header: one error at its cell.
        (",", "C2,no,no,yes,stray", "t.csv:3:5: column 5 has no header but holds 'stray'"),
        # Three columns past, two blank headers between: still one error, no repeat.
        (",,,", "C2,no,no,yes,,,stray", "t.csv:3:7: column 7 has no header but holds 'stray'"),
        # The header not padded: the row is wider than the header.
        ("", "C2,no,no,yes,,,stray", "t.csv:3: expected 4 fields, found 7"),
    ],
)
def test_a_stray_value_beyond_a_csv_header_is_one_error(
    tmp_path: Path, mini: pa.Rubric, header: str, row: str, expected: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        f"case_id,S1.1,S1.2,S2.1{header}\nC1,yes,no,n/a{header}\n{row}\n", encoding="utf-8"
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert [line.replace(str(path), "t.csv") for line in caught.value.lines()] == [
        expected + (" (give the column a name, or delete it)" if "header" in expected else "")
    ]
    # The value on the header's last column is an answer, read as any other.
    path.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,no,n/a\nC2,no,no,yes\n", encoding="utf-8")
    assert pa.read_judgments(path, mini).codes.tolist() == [[1, 0, -1], [0, 0, 1]]
