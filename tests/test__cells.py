"""The one rule for a written cell: CSV cells a spreadsheet will not run, workbook text cells,
Markdown and HTML escaping."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from probation_audit._cells import (
    FORMULA_START,
    append_row,
    clipped_text,
    csv_cell,
    csv_text,
    html_text,
    markdown_text,
    starts_formula,
)


@pytest.mark.parametrize("first", FORMULA_START)
def test_every_formula_start_gets_an_apostrophe(first: str) -> None:
    assert csv_cell(first + "cmd|' /C calc'!A0") == "'" + first + "cmd|' /C calc'!A0"
    assert csv_cell(first) == "'" + first  # the character alone
    assert csv_cell("x" + first) == "x" + first  # not first: left alone


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        # plain decimal numbers are data: a spreadsheet reads them as numbers
        ("-5", "-5"),
        ("+44", "+44"),
        ("-0.1000", "-0.1000"),
        ("5", "5"),
        # one character past a plain number: text that starts like a formula
        ("-5.", "'-5."),
        ("-.5", "'-.5"),
        ("-5e3", "'-5e3"),
        ("-1+1", "'-1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("--5", "'--5"),
        ("-\u0663", "'-\u0663"),  # an Arabic-Indic digit is not a plain number
        ("-5\n", "'-5\n"),
        # already safe, or not a formula
        ("'=1+1", "'=1+1"),
        (" =1+1", " =1+1"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (3, "3"),
        (True, "True"),
    ],
)
def test_csv_cells(value: object, cell: str) -> None:
    assert csv_cell(value) == cell
    assert csv_cell(cell) == cell  # applying the rule twice changes nothing


def test_starts_formula() -> None:
    assert [starts_formula(t) for t in ("=A1", "-A1", "-1", "@x", "x", "")] == [
        True,
        True,
        False,
        True,
        False,
        False,
    ]


def test_csv_rows_quote_line_breaks_and_make_every_cell_safe() -> None:
    text = csv_text([["=head", "b"], ["a\rb", "c\nd"], ["e\r\nf", None], [""], ["-0.5", 7]])
    assert text == '\'=head,b\n"a\rb","c\nd"\n"e\r\nf",\n""\n-0.5,7\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["'=head", "b"],
        ["a\rb", "c\nd"],
        ["e\r\nf", ""],
        [""],
        ["-0.5", "7"],
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a | b", "a \\| b"),
        ("*x* _y_ `z` ~w~", "\\*x\\* \\_y\\_ \\`z\\` \\~w\\~"),
        ("[a](javascript:x)", "\\[a\\](javascript:x)"),
        ("<script>alert(1)</script>", "&lt;script\\>alert(1)&lt;/script\\>"),
        ("A &amp; B", "A &amp;amp; B"),
        ("back\\slash", "back\\\\slash"),
        ("line\r\nbreak\rand\nmore", "line break and more"),
        ("# heading", "\\# heading"),
        ("> quote", "\\> quote"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("= x", "\\= x"),
        ("---", "\\---"),
        ("-", "\\-"),
        ("1. item", "1\\. item"),
        ("12) item", "12\\) item"),
        ("1.", "1\\."),
        # not markup: left as written
        ("-5", "-5"),
        ("+44", "+44"),
        ("9.0% to 26.0%", "9.0% to 26.0%"),
        ("1.5", "1.5"),
        ("a-b (c) 'd' \"e\"", "a-b (c) 'd' \"e\""),
        (None, ""),
        (75, "75"),
    ],
)
def test_markdown_text(value: object, shown: str) -> None:
    assert markdown_text(value) == shown


def test_html_text() -> None:
    assert html_text('<a href="x">\'&</a>') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&lt;/a&gt;"
    assert (html_text(None), html_text(3)) == ("", "3")


def test_workbook_text_is_stored_as_text(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    values = ["=1+1", "#N/A", "-5", "@SUM(A1)", "ok", 3, 0.5, None]
    append_row(sheet, values)
    path = tmp_path / "cells.xlsx"
    workbook.save(path)
    (row,) = openpyxl.load_workbook(path).active.iter_rows(max_col=len(values))
    assert [c.value for c in row] == values
    assert [c.data_type for c in row] == ["s", "s", "s", "s", "s", "n", "n", "n"]
    assert [bool(c.quotePrefix) for c in row] == [True, False, True, True] + [False] * 4


def test_a_sheet_cell_writes_control_characters_as_escapes() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from probation_audit._cells import append_row

    book = openpyxl.Workbook()
    sheet = book.active
    append_row(sheet, ["te\x1bam", "a\x00b", "tab\tand\nline", "=1+\x07", 3])
    saved = io.BytesIO()
    book.save(saved)
    row = [c.value for c in openpyxl.load_workbook(saved).active[1]]
    assert row == ["te\\x1bam", "a\\x00b", "tab\tand\nline", "=1+\\x07", 3]


@pytest.mark.parametrize(
    ("text", "width", "shown"),
    [
        (
            "2.2 Protecting the public by minimising risk of harm",
            50,
            "2.2 Protecting the public by minimising risk of…",
        ),
        ("abc def", 8, "abc def"),  # wider than the text
        ("abc def", 7, "abc def"),  # exactly as wide
        ("abc def", 6, "abc…"),  # one short: the last word goes whole
        ("abc def", 5, "abc…"),
        ("abc def", 4, "abc…"),  # cut exactly at the space: the whole word stays
        ("abc def", 3, "ab…"),  # a first word too long is cut within
        ("abcdefgh", 5, "abcd…"),
        ("ab   cd ef", 7, "ab…"),  # no spaces before the ellipsis
    ],
)
def test_a_clipped_text_is_cut_at_a_word_with_an_ellipsis(
    text: str, width: int, shown: str
) -> None:
    assert clipped_text(text, width) == shown
    assert len(clipped_text(text, width)) <= width
