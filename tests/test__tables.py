"""Tests of probation_audit._tables: matching a wide header to the rubric's ids."""

from __future__ import annotations

from pathlib import Path

import pytest

import probation_audit as pa

from ._helpers import WIDE_2023, _sheet_workbook, _wide_file


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
    alike = " (headers are read in any case, spaces collapsed)"
    assert problems("Case ID", "case_id", "") == [
        f"t.csv:1: header repeats column 'Case ID' as 'case_id'{alike}"
    ]
    # Question columns alike but for case and spacing: one error naming each spelling.
    assert problems("case_id", "P2.1.1", "p2.1.1", "S1.1", " s1.1 ", "P2.1.1") == [
        f"t.csv:1: header repeats column 'P2.1.1' as 'p2.1.1', 'S1.1' as 's1.1'{alike}"
    ]
    assert problems("case_id", "team", "Team ") == [
        f"t.csv:1: header repeats column 'team' as 'Team'{alike}"
    ]
    assert problems("case_id", "P2.1.1", "P2.1.1.a", "P2.1.1 a") == []


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


ALIKE = "(headers are read in any case, spaces collapsed)"


def test_question_columns_alike_but_for_case_are_one_header_error_on_every_reader(
    tmp_path: Path, rubric: pa.Rubric
) -> None:
    """``P2.1.1`` and ``p2.1.1``: one located header error naming both columns, whether the
    columns agree or not, from a CSV file, a workbook and a frame (never an answer given
    twice, nor a note that repeats were counted once)."""
    header = WIDE_2023 + ",p2.1.1"
    for last in ("no", "yes"):
        path = _wide_file(tmp_path, header, extra="," + last)
        for missing in ("error", "not-relevant"):
            with pytest.raises(pa.AuditErrors) as caught:
                pa.read_judgments(path, rubric, missing=missing)
            assert caught.value.lines() == [
                f"{path}:1: header repeats column 'P2.1.1' as 'p2.1.1' {ALIKE}"
            ]
    rows: list[list[object]] = [list(header.split(","))]
    rows += [[f"C{i}", *["yes"] * 12, "no"] for i in range(2)]
    book, workbook = _sheet_workbook(tmp_path / "cases.xlsx", rows)
    workbook.save(book)  # type: ignore[attr-defined]
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(book, rubric)
    assert caught.value.lines() == [
        f"{book}[Cases]:1: header repeats column 'P2.1.1' as 'p2.1.1' {ALIKE}"
    ]
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(rows[1:], columns=rows[0])
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(frame, rubric)
    assert caught.value.lines() == [
        f"<DataFrame>:1: header repeats column 'P2.1.1' as 'p2.1.1' {ALIKE}"
    ]


def test_a_split_file_without_case_id_is_one_error_naming_its_whole_header(
    tmp_path: Path, rubric: pa.Rubric
) -> None:
    """Split by a column (score_groups by team), a header with no case_id is said once, of
    the header as written, the split column included."""
    path = tmp_path / "cases.csv"
    body = "".join(f"C{i},{'AB'[i % 2]}," + ",".join(["yes"] * 12) + "\n" for i in range(4))
    path.write_text(WIDE_2023.replace("case_id", "ref,team") + "\n" + body, encoding="utf-8")
    expected = [
        f"{path}:1: missing header: expected case_id and one column per question id, found "
        "ref,team," + WIDE_2023.split(",", 1)[1]
    ]
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_groups(rubric, path, by="team", casework_only=True)
    assert caught.value.lines() == expected
    path.write_text(WIDE_2023 + ",team,P2.1.1 \n" + body.replace("\n", ",yes\n"), encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_groups(rubric, path, by="team", casework_only=True)
    assert caught.value.lines() == [f"{path}:1: header repeats column 'P2.1.1'"]


@pytest.mark.parametrize(
    ("named", "meant"),
    [
        ("2.1.1", "P2.1.1"),  # 2018's numbering: the id less its prefix
        ("KQ P2.1.1", "P2.1.1"),  # the id as a word among others
        ("KQ2.1.1", "P2.1.1"),  # a word ending with the id less its prefix
        ("Q_2.1.1", "P2.1.1"),
        ("Question 2.1.1", "P2.1.1"),
    ],
)
def test_a_header_naming_an_id_another_way_is_an_error_when_no_column_answers_it(
    tmp_path: Path, rubric: pa.Rubric, named: str, meant: str
) -> None:
    header = WIDE_2023.replace(meant + ",", f'"{named}",')
    path = _wide_file(tmp_path, header)
    problem = (
        f"{path}:1: column {named!r}: unknown question id (did you mean {meant!r}? rubric "
        "'hmip-probation-2023' has P2.1.1, P2.1.2, P2.1.3, P2.2.1, P2.2.2, P2.2.3, ... (12 in "
        "all) and prompts P2.1.1.a, P2.1.1.b, P2.1.2.a, ... (23 in all))"
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, rubric)
    assert caught.value.lines() == [
        problem,
        f"{path}:1: no column for question {meant} (correct the header named like an unknown "
        "id, or add the column)",
    ]
    # No option that drops data: the column is there, misnamed.
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, rubric, missing="not-relevant")
    assert caught.value.lines() == [problem]
    # Beside the column that answers the id, the same header is notes on it: an attribute.
    path = _wide_file(tmp_path, f'{WIDE_2023},"{named}"', extra=",x")
    assert pa.read_judgments(path, rubric).attribute_names == (named,)


def test_attribute_columns_with_numbers_stay_attributes(tmp_path: Path, rubric: pa.Rubric) -> None:
    names = [
        "team", "practitioner", "crn", "sentence_type", "2024-01-05", "date 05.01.2024",
        "12.1.1", "v2.1", "tier 1", "age 18-24", "notes on P2.1.3", "1",
    ]  # fmt: skip
    path = _wide_file(tmp_path, WIDE_2023 + "," + ",".join(f'"{n}"' for n in names),
                      extra="," + ",".join(["x"] * len(names)))  # fmt: skip
    assert pa.read_judgments(path, rubric).attribute_names == tuple(names)
