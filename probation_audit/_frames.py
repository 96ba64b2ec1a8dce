"""Data frames of case judgments: the decoder from a pandas or polars DataFrame (or polars
LazyFrame, collected), a pyarrow Table or RecordBatch, or an Arrow stream (a DuckDB relation,
a RecordBatchReader: collected into a pyarrow Table) to coded columns.

Each column is coded by its own library (pandas ``factorize``, a polars categorical, Arrow's
dictionary encoding), and only its distinct values are turned into text, as a file's cells
read (a float ``2.0`` is ``2``; missing cells blank). The coded columns go to the one
validator (:mod:`~probation_audit._columns`); a frame is never written out as CSV text.
Frames are recognised by their type's module, so that no data-frame library is imported here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._columns import Column, Columns, sample_of
from ._tables import Layout, Table, check_read_options
from .judgments import Missing, Sample
from .rubric import Rubric

__all__ = ["as_frame", "frame_columns", "frame_table", "from_frame", "is_frame"]

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
    return _lazy(value) or _native(value) or hasattr(type(value), "__arrow_c_stream__")


def _native(value: object) -> bool:
    """A pandas or polars DataFrame or a pyarrow Table or RecordBatch: read as it is (asked of
    the type, so that a polars LazyFrame resolves no schema)."""
    module = type(value).__module__.split(".", 1)[0]
    return module in _FRAME_MODULES and hasattr(
        type(value), "column_names" if module == "pyarrow" else "columns"
    )


def _lazy(value: object) -> bool:
    """A polars LazyFrame: collected once, then read as a DataFrame."""
    kind = type(value)
    return kind.__module__.split(".", 1)[0] == "polars" and kind.__name__ == "LazyFrame"


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
    if _lazy(value):
        return value.collect()  # type: ignore[attr-defined]
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


_NAN_HINT = (
    "the frame has NaN cells: pandas reads the text N/A (and NA, n/a, blank) as NaN, "
    "so read the file with keep_default_na=False"
)


def _pandas_column(series: Any) -> tuple[Column, bool]:
    """A pandas column coded by ``factorize``; True when it held missing values."""
    codes, uniques = series.factorize(use_na_sentinel=True)
    values = [_cell(u) for u in uniques.tolist()]
    codes = np.asarray(codes, dtype=np.int64)
    missing = bool((codes < 0).any())
    if missing:
        codes[codes < 0] = len(values)
        values.append("")
    return Column.of(codes, values), missing


def _polars_text(frame: Any, names: list[str]) -> dict[str, Column]:
    """A polars frame's text columns coded in polars itself: each cast to a Categorical of
    categories of its own (a fresh, randomly named ``pl.Categories``), so that one pass gives
    dense codes and the values they index; where that API (unstable in polars) is missing or
    gives codes that are not dense, each column's distinct values are found first and it is
    cast to an Enum of them. Nulls are blank cells."""
    import polars as pl

    filled = frame.select(pl.col(c).fill_null("") for c in names)
    try:
        cast = filled.select(pl.col(c).cast(pl.Categorical(pl.Categories.random())) for c in names)
        out: dict[str, Column] = {}
        for c in names:
            column = cast.get_column(c)
            codes = column.to_physical().to_numpy()
            values = [str(v) for v in column.dtype.categories.to_series().to_list()]
            if len(codes) and int(codes.max()) + 1 != len(values):
                raise ValueError("codes are not dense")
            out[c] = Column.of(codes, values)
        return out
    except (AttributeError, TypeError, ValueError, pl.exceptions.PolarsError):
        pass
    distinct = filled.select(pl.col(c).unique().implode() for c in names).row(0)
    coded = filled.select(
        pl.col(c).cast(pl.Enum(values)).to_physical()
        for c, values in zip(names, distinct, strict=True)
    )
    return {
        c: Column.of(coded.get_column(c).to_numpy(), [str(v) for v in values])
        for c, values in zip(names, distinct, strict=True)
    }


def _arrow_column(column: Any) -> Column:
    """An Arrow column: text coded by Arrow's dictionary encoding (nulls blank); any other
    type cell by cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if getattr(pa.types, "is_string_view", lambda kind: False)(column.type):
        column = column.cast(pa.string())  # DuckDB and polars may hand over string views
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        if column.null_count:
            column = pc.fill_null(column, "")
        encoded = pc.dictionary_encode(column)
        if hasattr(encoded, "combine_chunks"):
            encoded = encoded.combine_chunks()
        return Column.of(
            encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
            [str(v) for v in encoded.dictionary.to_pylist()],
        )
    return Column.coded([_cell(v) for v in column.to_pylist()])


def frame_columns(frame: object, *, source: str = "<DataFrame>") -> Columns:
    """A data frame's columns, each coded by its own library (see the module's description).
    Data row ``i`` is located at line ``i + 2``, as in the CSV file the frame would save to.

    Returns:
        The :class:`~probation_audit._columns.Columns` of the frame, with a hint on the gaps when
        a pandas frame holds NaN.

    Raises:
        TypeError: ``frame`` is not a frame (see :func:`is_frame`).
        ImportError: ``frame`` is an Arrow stream and pyarrow (the ``arrow`` extra) is not
            installed.
    """
    frame = as_frame(frame)
    module = type(frame).__module__.split(".", 1)[0]
    hint = None
    columns: list[Column]
    if module == "pandas":
        names = [str(c) for c in frame.columns]  # type: ignore[attr-defined]
        # Position-wise, so that repeated column names are each read (and then reported).
        coded = [_pandas_column(frame.iloc[:, k]) for k in range(len(names))]  # type: ignore[attr-defined]
        columns = [column for column, _ in coded]
        hint = _NAN_HINT if any(missing for _, missing in coded) else None
    elif module == "polars":
        import polars as pl

        names = [str(c) for c in frame.columns]  # type: ignore[attr-defined]
        schema = frame.schema  # type: ignore[attr-defined]
        text = [c for c in names if schema[c] == pl.String]
        coded_text = _polars_text(frame, text) if text else {}
        columns = [
            coded_text[c]
            if c in coded_text
            else Column.coded([_cell(v) for v in frame.get_column(c).to_list()])  # type: ignore[attr-defined]
            for c in names
        ]
    else:  # pyarrow
        names = [str(c) for c in frame.column_names]  # type: ignore[attr-defined]
        columns = [_arrow_column(frame.column(k)) for k in range(len(names))]  # type: ignore[attr-defined]
    return Columns.from_cells(source, names, columns, gap_hint=hint)


def frame_table(frame: object, *, source: str = "<DataFrame>") -> Table:
    """A data frame as a table: its column names as the header, each row a line (the first
    data row is line 2, as in the CSV file the frame would save to).

    Returns:
        The :class:`~probation_audit._tables.Table` of the frame's cells as text (missing cells
        blank), with a hint on the gaps when a pandas frame holds NaN.

    Raises:
        TypeError: ``frame`` is not a frame (see :func:`is_frame`).
        ImportError: ``frame`` is an Arrow stream and pyarrow (the ``arrow`` extra) is not
            installed.
    """
    return frame_columns(frame, source=source).located()


def from_frame(
    frame: object, rubric: Rubric, *, layout: Layout = "auto", missing: Missing = "error"
) -> Sample:
    """Case judgments from a pandas or polars DataFrame (or LazyFrame), a pyarrow Table or an
    Arrow stream (a DuckDB relation), long or wide, as from a CSV file.

    Returns:
        The :class:`~probation_audit.judgments.Sample` of the frame's cases, checked against
        ``rubric``.

    Raises:
        TypeError: ``frame`` is not a frame (see :func:`is_frame`).
        ImportError: ``frame`` is an Arrow stream and pyarrow (the ``arrow`` extra) is not
            installed.
        AuditErrors: the frame has problems; every problem is listed, each with the line of the CSV
            file the frame would save to.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``, or ``layout`` is not
            one of its choices.
    """
    check_read_options(missing, layout)
    return sample_of(frame_columns(frame), rubric, layout=layout, missing=missing)
