"""Tests of probation_audit._csvfiles: reading CSV files and text."""

from __future__ import annotations

from pathlib import Path

import pytest

import probation_audit as pa


def test_a_cp1252_file_says_where_and_what_to_do(tmp_path: Path, mini: pa.Rubric) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(
        "case_id,S1.1,S1.2,S2.1,notes\nC1,yes,no,n/a,\u00a3 paid\u2019s\n".encode("cp1252")
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert caught.value.lines() == [
        f"{path}:2: not UTF-8 text: byte 0xA3 at byte 15 of the line cannot be read (save it "
        "from Excel as 'CSV UTF-8', or give its encoding: on the command line --encoding "
        "cp1252 (in Python, encoding='cp1252'))"
    ]
    assert (
        pa.read_judgments(path, mini, encoding="cp1252").attribute("C1", "notes")
        == "\u00a3 paid\u2019s"
    )
    with pytest.raises(pa.AuditErrors, match="unknown text encoding 'klingon'"):
        pa.read_judgments(path, mini, encoding="klingon")


def test_semicolons_and_title_rows(tmp_path: Path, mini: pa.Rubric) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("case_id;S1.1;S1.2;S2.1\nC1;yes;no;n/a\n", encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert caught.value.lines() == [
        f"{path}:1: missing header: expected case_id and one column per question id, found "
        "case_id;S1.1;S1.2;S2.1 (the file looks semicolon-separated: save it as comma-separated "
        "CSV, 'CSV UTF-8' in Excel)"
    ]
    path.write_text(
        "Synthetic audit, Q3\n,\ncase_id,S1.1,S1.2,S2.1\nC1,yes,no,n/a\nC2,maybe,no,n/a\n",
        encoding="utf-8",
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert [line.split(": ")[0] for line in caught.value.lines()] == [f"{path}:5"]


def test_review_findings(tmp_path: Path, rubric: pa.Rubric, mini: pa.Rubric) -> None:
    """Classes a code review found: each must stay fixed."""
    from probation_audit import _csvfiles as csvfiles

    # Repeated question columns (P2.1.1 and p2.1.1): one header error, whether they agree or
    # not (never an answer given twice, nor a note).
    header = "case_id," + ",".join(rubric.question_ids) + ",p2.1.1"
    for last in ("no", "yes"):
        text = header + "\nC1," + ",".join(["yes"] * 12) + f",{last}\n"
        with pytest.raises(pa.AuditErrors) as caught:
            csvfiles.parse_csv(text, rubric, source="t.csv")
        assert caught.value.lines() == [
            "t.csv:1: header repeats column 'P2.1.1' as 'p2.1.1' (headers are read in any "
            "case, spaces collapsed)"
        ]
    # A forced long layout over a wide header is a one-line error, not a crash.
    with pytest.raises(pa.AuditErrors, match="missing header"):
        csvfiles.parse_csv("case_id,a,b\nC1,yes,no\n", mini, layout="long")
    # Attribute names with numbers in them stay attributes (a header that begins with an id
    # is read as that question: see test_names).
    names = ["age 18-24", "v1.2", "year 2023-24", "Q1-Q2", "tier 1-2", "team 2.1", "notes P2.1.3"]
    header = "case_id," + ",".join(rubric.question_ids) + "," + ",".join(f'"{n}"' for n in names)
    row = "C1," + ",".join(["yes"] * 12) + "," + ",".join(["x"] * len(names))
    assert csvfiles.parse_csv(header + "\n" + row + "\n", rubric).attribute_names == tuple(names)
    # A case met again: the conflict names the row that set the answer, once per line.
    text = "case_id,S1.1,S1.2,S2.1\nC1,,no,n/a\nC1,yes,no,n/a\nC1,no,no,n/a\n"
    with pytest.raises(pa.AuditErrors) as caught:
        csvfiles.parse_csv(text, mini, source="t.csv")
    assert caught.value.lines()[0] == (
        "t.csv:4: case 'C1', question 'S1.1': answered twice with different judgments: "
        "yes (line 3) and then no (line 4)"
    )
    result = pa.score(
        mini, csvfiles.parse_csv("case_id,S1.1,S1.2,S2.1\nC1,yes,no,n/a\nC1,yes,no,n/a\n", mini)
    )
    assert result.notes == (
        "3 answers given again with the same judgment were counted once (line 3)",
    )
    # A row with a multi-line quoted cell is reported at the line it starts on.
    text = 'case_id,S1.1,S1.2,S2.1,notes\nC1,maybe,no,n/a,"two\nlines"\n'
    with pytest.raises(pa.AuditErrors) as caught:
        csvfiles.parse_csv(text, mini, source="t.csv")
    assert caught.value.lines()[0].startswith("t.csv:2: case 'C1', question 'S1.1'")
    # Columns with no header: dropped when empty, an error when they hold something.
    text = ",case_id,S1.1,S1.2,S2.1,\n,C1,yes,no,n/a,\n"
    assert csvfiles.parse_csv(text, mini).attribute_names == ()
    text = "case_id,S1.1,S1.2,S2.1,\nC1,yes,no,n/a,see notes\n"
    with pytest.raises(pa.AuditErrors) as caught:
        csvfiles.parse_csv(text, mini, source="t.csv")
    assert caught.value.lines() == [
        "t.csv:2:5: column 5 has no header but holds 'see notes' (give the column a name, or delete it)"
    ]
    # Whole-number floats in a list are counts; from_array matches ids in any case.
    assert (
        pa.rate_many(rubric, [[5.0] * 12], [[10] * 12]).rating(0, "P2.1") == "Requires improvement"
    )
    sample = pa.from_array([[1, 0, -1]], ["C1"], ["s1.1", "S1.2", " s2.1 "], mini)
    assert sample.codes.tolist() == [[1, 0, -1]]


SEPARATED = (
    "the file looks semicolon-separated: save it as comma-separated CSV, 'CSV UTF-8' in Excel"
)


def test_a_file_with_quoted_cells_and_semicolons_is_told_so(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    # LibreOffice quotes every text cell, the header's included, so the first line does not read.
    path = tmp_path / "cases.csv"
    path.write_text('"case_id";"S1.1";"S1.2";"S2.1"\n"C1";"yes";"no";"yes"\n', encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert caught.value.lines() == [
        f"{path}:1: invalid CSV: ',' expected after '\"' (reading stopped here; {SEPARATED})"
    ]
    comma = tmp_path / "comma.csv"
    comma.write_text('"case_id","S1.1","S1.2"x\n', encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(comma, mini)
    assert caught.value.lines() == [
        f"{comma}:1: invalid CSV: ',' expected after '\"' (reading stopped here)"
    ]


def test_a_double_marked_file_with_semicolons_is_told_so(tmp_path: Path, mini: pa.Rubric) -> None:
    from probation_audit.reading import read_double_marked

    path = tmp_path / "double.csv"
    path.write_text("auditor;case_id;S1.1;S1.2;S2.1\nA;C1;yes;no;yes\n", encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        read_double_marked(path, mini)
    assert caught.value.lines() == [
        f"{path}:1: missing header: expected a 'auditor' column ({SEPARATED})"
    ]


XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4
ODS = b"PK\x03\x04\x14\x00\x00\x08\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml" + b"\x8d" * 64


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "audit.xls",
            XLS,
            "not a CSV file but an old Excel workbook (.xls): save it in Excel or LibreOffice "
            "as .xlsx (or as CSV UTF-8) and give that file",
        ),
        (
            "audit.ods",
            ODS,
            "not a CSV file but a LibreOffice spreadsheet (.ods): save it as .xlsx (or as CSV "
            "UTF-8) and give that file; a workbook is read by its ending, .xlsx or .xlsm",
        ),
        (
            "audit.csv",
            XLSX,
            "not a CSV file but a zip archive, such as an Excel workbook with another ending: "
            "save it as .xlsx (or as CSV UTF-8) and give that file; a workbook is read by its "
            "ending, .xlsx or .xlsm",
        ),
    ],
)
def test_a_spreadsheet_given_as_csv_is_named_for_what_it_is(
    tmp_path: Path, mini: pa.Rubric, name: str, data: bytes, message: str
) -> None:
    """Not "not UTF-8 text ... give its encoding", a hint that leads nowhere; whatever
    encoding is given, and on the national path too."""
    path = tmp_path / name
    path.write_bytes(data)
    for call in (
        lambda: pa.read_judgments(path, mini),
        lambda: pa.read_judgments(path, mini, encoding="cp1252"),
        lambda: pa.score_groups(mini, path, by="team"),
    ):
        with pytest.raises(pa.AuditErrors) as caught:
            call()
        assert caught.value.lines() == [f"{path}: {message}"]
