"""Any text written by the one output rule reads back as its safe form and never starts a
formula: through the csv module, through pandas (``keep_default_na=False``), in a workbook;
and Markdown and HTML cells never carry markup."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probation_audit._cells import (
    FORMULA_START,
    append_row,
    csv_cell,
    csv_text,
    html_text,
    markdown_text,
    starts_formula,
)

from ..conftest import examples

#: Any text a file can hold (no lone surrogates), formula starts and line breaks made likely.
TEXT = st.text(
    st.one_of(
        st.sampled_from([*FORMULA_START, "'", '"', ",", "\n", "0", "5", ".", " "]),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=12,
)
PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")


def _safe_and_kept(text: str, cell: str) -> None:
    assert cell == csv_cell(text)
    assert not starts_formula(cell)
    if cell.startswith(FORMULA_START):
        assert PLAIN_NUMBER.fullmatch(cell)  # only a plain number starts so, as data
    assert cell in (text, "'" + text)


@settings(max_examples=examples(300))
@given(TEXT, TEXT)
def test_any_text_reads_back_through_the_csv_module_as_its_safe_form(a: str, b: str) -> None:
    text = csv_text([[a, b], [b, a]])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2
    for (x, y), (cx, cy) in zip([(a, b), (b, a)], rows, strict=True):
        _safe_and_kept(x, cx)
        _safe_and_kept(y, cy)
    # A carriage return or line feed is always inside quotes: every line of the file outside
    # quotes ends with "\n" alone.
    assert text.endswith("\n") and text.count("\n") >= 2


@settings(max_examples=examples(300))
@given(TEXT)
def test_any_text_reads_back_through_pandas_as_its_safe_form(value: str) -> None:
    pd = pytest.importorskip("pandas")
    # NUL ends a field for pandas' parser: not text a file of judgments holds.
    value = value.replace("\0", "")
    text = csv_text([["head", "=other"], [value, "x"]])
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["head", "'=other"]
    assert len(frame) == 1
    _safe_and_kept(value, frame.iloc[0, 0])
    assert frame.iloc[0, 1] == "x"


@settings(max_examples=examples(300))
@given(TEXT)
def test_markdown_and_html_cells_carry_no_markup(value: str) -> None:
    md = markdown_text(value)
    assert "\n" not in md and "\r" not in md
    assert "<" not in md
    assert re.search(r"(?<!\\)(\\\\)*[|*_`\[\]]", md) is None  # every markup character escaped
    shown = html_text(value)
    assert not set("<>\"'") & set(shown)
    assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;)", shown)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_any_text_is_a_text_cell_in_a_workbook(tmp_path: Path, values: list[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    values = [ILLEGAL_CHARACTERS_RE.sub("", v) for v in values]
    workbook = openpyxl.Workbook()
    append_row(workbook.active, values)
    path = tmp_path / "cells.xlsx"
    workbook.save(path)
    (row,) = openpyxl.load_workbook(path).active.iter_rows(max_col=len(values))
    for cell, value in zip(row, values, strict=True):
        if value == "":
            assert cell.value is None  # an empty text cell is an empty cell
            continue
        # XML reads every line end as a line feed: a carriage return comes back as one.
        assert (cell.value, cell.data_type) == (re.sub("\r\n?", "\n", value), "s")
        assert bool(cell.quotePrefix) == value.startswith(FORMULA_START)
