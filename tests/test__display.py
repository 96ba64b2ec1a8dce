"""The notebook display and frame helpers: escaped, coloured, capped tables; typed frames."""

from __future__ import annotations

from typing import Any

import pytest

from probation_audit import _cells, _display
from probation_audit._display import Column, frame, html_table, rating_cell, rating_labels

COLUMNS = [
    Column("name"),
    Column("count", "int"),
    Column("share", "float"),
    Column("flag", "bool"),
    Column("rating", "rating", ("Low", "High")),
]
RECORDS: list[dict[str, Any]] = [
    {"name": "a", "count": 1, "share": 0.5, "flag": True, "rating": "High"},
    {"name": None, "count": None, "share": None, "flag": None, "rating": None},
]


def test_a_table_escapes_colours_and_caps_its_rows() -> None:
    rows = [[f"<r{i}>", i, rating_cell("Good")] for i in range(14)]
    page = html_table(["a & b", "n", "rating"], rows)
    assert '<th style="text-align:left">a &amp; b</th>' in page
    assert page.count("<tr>") == 1 + _display.SHOWN_ROWS == 13
    assert "&lt;r11&gt;" in page and "&lt;r12&gt;" not in page
    assert "... and 2 more rows" in page
    assert '<td style="text-align:right">3</td>' in page
    assert '<td style="background:#d7ecd0;font-weight:bold;text-align:left">Good</td>' in page
    assert "more rows" not in html_table(["a"], [["x"]] * 12)
    assert "... and 88 more rows" in html_table(["a"], [["x"]] * 12, total=100)
    assert 'style="font-weight:bold;text-align:left">undetermined<' in html_table(
        ["r"], [[rating_cell("undetermined", None)]]
    )


def test_the_one_escape_is_the_reports() -> None:
    assert _cells.html_text is _display.html_text
    assert _display.html_text("<a href='x'>&</a>") == "&lt;a href=&#x27;x&#x27;&gt;&amp;&lt;/a&gt;"
    assert _display.html_text(None) == ""


def test_rating_labels_keep_the_first_scales_order() -> None:
    assert rating_labels([("Low", "High"), ("Low", "Mid"), ()]) == ("Low", "High", "Mid")


def test_pandas_frames_are_typed_and_missing_is_missing() -> None:
    pandas = pytest.importorskip("pandas")
    got = frame(RECORDS, COLUMNS)
    assert [str(t) for t in got.dtypes] == ["string", "Int64", "float64", "boolean", "category"]
    assert got["rating"].cat.ordered and list(got["rating"].cat.categories) == ["Low", "High"]
    assert got.isna().sum().tolist() == [1, 1, 1, 1, 1]
    assert got.loc[0, "count"] == 1 and got.loc[0, "share"] == 0.5
    empty = frame([], COLUMNS)
    assert list(empty.columns) == [c.name for c in COLUMNS] and len(empty) == 0
    assert isinstance(empty, pandas.DataFrame)


def test_polars_frames_have_the_same_columns_and_types() -> None:
    polars = pytest.importorskip("polars")
    got = frame(RECORDS, COLUMNS, "polars")
    assert got.schema == polars.Schema(
        {
            "name": polars.String,
            "count": polars.Int64,
            "share": polars.Float64,
            "flag": polars.Boolean,
            "rating": polars.Enum(["Low", "High"]),
        }
    )
    assert got.null_count().row(0) == (1, 1, 1, 1, 1)


def test_a_rating_without_its_labels_stays_text() -> None:
    pytest.importorskip("pandas")
    got = frame(RECORDS, [Column("rating", "rating")])
    assert str(got["rating"].dtype) == "string" and got.loc[0, "rating"] == "High"
