"""How values show themselves in a notebook and become data frames: the one place for both.

A value's ``_repr_html_`` is a small table built by :func:`html_table` (every cell escaped as
the HTML report escapes it, rating cells coloured as the report colours them); its
``to_frame`` is :func:`frame`, which types each column by a :class:`Column` (integers as
integers, percentages as floats, ratings as ordered categoricals in the scale's order, missing
as missing) for pandas (the default) or polars. Neither library is imported until a frame is
asked for, and a missing one is named with the extra that installs it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

__all__ = [
    "BACKENDS",
    "RATING_COLOURS",
    "Backend",
    "Column",
    "frame",
    "html_table",
    "html_text",
    "html_value",
    "rating_cell",
]

#: The report's colour for each rating (reports.py's stylesheet uses the same).
RATING_COLOURS = {
    "Inadequate": "#f4c7c3",
    "Requires improvement": "#fde6b3",
    "Good": "#d7ecd0",
    "Outstanding": "#b7dfb0",
}

Backend = Literal["pandas", "polars"]
BACKENDS: tuple[Backend, ...] = ("pandas", "polars")
Kind = Literal["str", "int", "float", "bool", "rating"]

#: How many rows a notebook table shows before saying how many more there are.
SHOWN_ROWS = 12


@attrs.frozen
class Column:
    """A frame column: its name, its kind, and for a rating its labels from lowest to highest."""

    name: str
    kind: Kind = "str"
    labels: tuple[str, ...] = ()


def rating_labels(scales: Iterable[Sequence[str]]) -> tuple[str, ...]:
    """Every label of the scales, in order, each once: the categories of a rating column.

    Returns:
        The labels of the first scale, then those of the next scales it lacks.
    """
    out: dict[str, None] = {}
    for labels in scales:
        out.update(dict.fromkeys(labels))
    return tuple(out)


def _library(backend: str) -> Any:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    extra = "frames" if backend == "pandas" else "polars"
    try:
        if backend == "pandas":
            import pandas as library
        else:
            import polars as library
    except ImportError:
        raise ImportError(
            f"to_frame(backend={backend!r}) needs {backend}: pip install "
            f"'probation-audit[{extra}]' (from a checkout: pip install '.[{extra}]')"
        ) from None
    return library


def frame(
    records: Sequence[Mapping[str, Any]], columns: Sequence[Column], backend: Backend = "pandas"
) -> Any:
    """Records as a typed data frame with exactly ``columns``, in their order.

    Returns:
        A pandas DataFrame (nullable ``Int64``, ``float64``, ``boolean``, ``string`` and ordered
        ``category`` columns) or a polars DataFrame (``Int64``, ``Float64``, ``Boolean``,
        ``String`` and ``Enum``).

    Raises:
        ValueError: ``backend`` is neither 'pandas' nor 'polars'.
        ImportError: the library is not installed (the message names the extra).
    """
    library = _library(backend)
    values = {c.name: [r.get(c.name) for r in records] for c in columns}
    # A rating without its scale (a result read from 0.1's plain data) stays text.
    columns = [Column(c.name) if c.kind == "rating" and not c.labels else c for c in columns]
    if backend == "polars":
        types = {"str": library.String, "int": library.Int64, "float": library.Float64}
        types["bool"] = library.Boolean
        return library.DataFrame(
            [
                library.Series(
                    c.name,
                    values[c.name],
                    dtype=library.Enum(list(c.labels)) if c.kind == "rating" else types[c.kind],
                )
                for c in columns
            ]
        )
    data: dict[str, Any] = {}
    for c in columns:
        if c.kind == "rating":
            data[c.name] = library.Categorical(values[c.name], categories=c.labels, ordered=True)
        else:
            dtype = {"str": "string", "int": "Int64", "float": "float64", "bool": "boolean"}
            column = values[c.name]
            if c.kind == "float":
                column = [float("nan") if v is None else v for v in column]
            data[c.name] = library.array(column, dtype=dtype[c.kind])
    return library.DataFrame(data, columns=[c.name for c in columns])


# -- HTML ---------------------------------------------------------------------------------


def html_text(value: object) -> str:
    """A value as HTML text or an attribute value: ``& < > " '`` escaped.

    Returns:
        The escaped text.
    """
    return html.escape("" if value is None else str(value), quote=True)


@attrs.frozen
class _Rated:
    """A cell shown in its rating's colour."""

    text: str
    rating: str | None


def rating_cell(text: str, rating: str | None = None) -> _Rated:
    """A cell coloured as the report colours ``rating`` (``text`` when ``rating`` is not given).

    Returns:
        The cell, for :func:`html_table`.
    """
    return _Rated(text, text if rating is None else rating)


def _cell(value: object) -> str:
    if isinstance(value, _Rated):
        colour = RATING_COLOURS.get(value.rating or "")
        style = f"background:{colour};font-weight:bold" if colour else "font-weight:bold"
        return f'<td style="{style};text-align:left">{html_text(value.text)}</td>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td style="text-align:right">{html_text(value)}</td>'
    return f'<td style="text-align:left">{html_text(value)}</td>'


def html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    shown: int = SHOWN_ROWS,
    total: int | None = None,
) -> str:
    """A small HTML table: the first ``shown`` rows, and a line saying how many more there are
    (of ``total`` rows in all, when only the first were made).

    Returns:
        The table's HTML, every cell escaped.
    """
    more_rows = (len(rows) if total is None else total) - shown
    head = "".join(f'<th style="text-align:left">{html_text(h)}</th>' for h in header)
    body = ["<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows[:shown]]
    more = (
        f'<p style="color:#555">... and {more_rows:,} more rows (to_frame() has them all)</p>'
        if more_rows > 0
        else ""
    )
    return f"<table><tr>{head}</tr>{''.join(body)}</table>{more}"


def html_value(title: str, facts: Sequence[str], *tables: str) -> str:
    """A value's notebook display: a bold title, its facts in grey, then its tables.

    Returns:
        The HTML, the title and facts escaped (the tables are escaped by :func:`html_table`).
    """
    lines = [f"<div><p><strong>{html_text(title)}</strong></p>"]
    if facts:
        lines.append(f'<p style="color:#555">{"<br>".join(html_text(f) for f in facts)}</p>')
    lines.extend(tables)
    lines.append("</div>")
    return "".join(lines)
