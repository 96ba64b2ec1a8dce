"""Data frames of case judgments: pandas, polars or pyarrow tables (or Arrow streams such as
DuckDB relations, collected into a pyarrow table), long or wide layout.

A frame is converted column by column (each column's values as one list, then to text) into a
:class:`~probation_audit.tables.Table`, and read with the same checks as a file. It is never
written out as CSV text. Frames are recognised by their type's module, so that no data-frame
library is imported here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .judgments import Missing, Sample
from .rubric import Rubric
from .tables import Layout, Table, sample_from_table

__all__ = ["as_frame", "frame_table", "from_frame", "is_frame"]

_FRAME_MODULES = ("pandas", "polars", "pyarrow")


def is_frame(value: object) -> bool:
    """True for a pandas or polars DataFrame, a pyarrow Table, or anything else that gives an
    Arrow stream (``__arrow_c_stream__``: a DuckDB relation, a pyarrow RecordBatchReader).

    Returns:
        True when the type of ``value`` comes from pandas, polars or pyarrow and has the columns of
        a frame, or has ``__arrow_c_stream__``; False otherwise.

    Raises:
        Nothing of its own: no data-frame library is imported to decide.
    """
    return _native(value) or hasattr(type(value), "__arrow_c_stream__")


def _native(value: object) -> bool:
    """A pandas or polars DataFrame or a pyarrow Table: read as it is."""
    module = type(value).__module__.split(".", 1)[0]
    return module in _FRAME_MODULES and hasattr(
        value, "column_names" if module == "pyarrow" else "columns"
    )


def as_frame(value: object) -> object:
    """``value`` as a frame this module reads: a pandas or polars DataFrame or a pyarrow Table
    as it is; an Arrow stream (a DuckDB relation, a RecordBatchReader) collected into a pyarrow
    Table, once (a stream can be read only once).

    Returns:
        The frame.

    Raises:
        TypeError: ``value`` is not a frame (see :func:`is_frame`).
        ImportError: ``value`` is an Arrow stream and pyarrow (the ``arrow`` extra) is not
            installed.
    """
    if _native(value):
        return value
    if not hasattr(type(value), "__arrow_c_stream__"):
        raise TypeError(
            "expected a pandas or polars DataFrame, a pyarrow Table or an Arrow stream (a DuckDB "
            f"relation), got {type(value).__name__}"
        )
    try:
        import pyarrow
    except ImportError:
        raise ImportError(
            f"reading a {type(value).__name__} (an Arrow stream) needs pyarrow: "
            "pip install 'probation-audit[arrow]'"
        ) from None
    return pyarrow.table(value)


def _cell(value: object) -> str:
    # Missing cells arrive as None, NaN, pandas.NA or NaT: all are no answer.
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return str(value)
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    return str(value)


def _columns(frame: Any) -> tuple[list[str], list[list[Any]]]:
    module = type(frame).__module__.split(".", 1)[0]
    if module == "pandas":
        names = [str(c) for c in frame.columns]
        # Position-wise, so that repeated column names are each read (and then reported).
        values = [frame.iloc[:, k].to_numpy(dtype=object).tolist() for k in range(len(names))]
    elif module == "polars":
        names = [str(c) for c in frame.columns]
        values = [frame.get_column(name).to_list() for name in frame.columns]
    else:  # pyarrow
        names = [str(c) for c in frame.column_names]
        values = [frame.column(k).to_pylist() for k in range(len(names))]
    return names, values


def frame_table(frame: object, *, source: str = "<DataFrame>") -> Table:
    """A data frame as a table: its column names as the header, each row a line (the first
    data row is line 2, as in the CSV file the frame would save to).

    Returns:
        The :class:`~probation_audit.tables.Table` of the frame's cells as text (missing cells
        blank), with a hint on the gaps when a pandas frame holds NaN.

    Raises:
        TypeError: ``frame`` is not a frame (see :func:`is_frame`).
        ImportError: ``frame`` is an Arrow stream and pyarrow (the ``arrow`` extra) is not
            installed.
    """
    frame = as_frame(frame)
    names, values = _columns(frame)
    text_columns: list[Sequence[str]] = [list(map(_cell, column)) for column in values]
    rows = [list(row) for row in zip(*text_columns, strict=True)] if text_columns else []
    hint = None
    if type(frame).__module__.startswith("pandas") and any(
        isinstance(v, float) and math.isnan(v) for column in values for v in column
    ):
        hint = (
            "the frame has NaN cells: pandas reads the text N/A (and NA, n/a, blank) as NaN, "
            "so read the file with keep_default_na=False"
        )
    return Table(source, tuple(names), rows, range(2, len(rows) + 2), header_line=1, gap_hint=hint)


def from_frame(
    frame: object, rubric: Rubric, *, layout: Layout = "auto", missing: Missing = "error"
) -> Sample:
    """Case judgments from a pandas or polars DataFrame, a pyarrow Table or an Arrow stream (a
    DuckDB relation), long or wide, as from a CSV file.

    Returns:
        The :class:`~probation_audit.judgments.Sample` of the frame's cases, checked against
        ``rubric``.

    Raises:
        TypeError: ``frame`` is not a frame (see :func:`is_frame`).
        ImportError: ``frame`` is an Arrow stream and pyarrow (the ``arrow`` extra) is not
            installed.
        AuditErrors: the frame has problems; every problem is listed, each with the line of the CSV
            file the frame would save to.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'`` (checked once the header is
            readable).
    """
    return sample_from_table(frame_table(frame), rubric, layout=layout, missing=missing)
