"""Data frames of case judgments: the decoder from a pandas or polars DataFrame (or polars
LazyFrame, collected), a pyarrow Table or RecordBatch, or an Arrow stream (a DuckDB relation,
a RecordBatchReader: collected into a pyarrow Table) to coded columns.

Each column is coded by its own library (pandas ``factorize``, a polars categorical, Arrow's
dictionary encoding; a long Arrow table's or Arrow-backed pandas frame's columns on threads,
one a thread), and only its distinct values are turned into text, as a file's cells read (a
float ``2.0`` is ``2``; missing cells blank). The coded columns go to the one validator
(:mod:`~probation_audit._columns`); a frame is never written out as CSV text. Frames are
recognised by their type's module, so that no data-frame library is imported here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import attrs
import numpy as np

from ._columns import Column, ColumnHint, Columns, sample_of
from ._tables import Layout, Table, check_read_options, header_name
from .judgments import Missing, Sample
from .rubric import Rubric

__all__ = ["as_frame", "frame_columns", "frame_table", "from_frame", "is_frame"]

_FRAME_MODULES = ("pandas", "polars", "pyarrow")

_T = TypeVar("_T")
#: Rows from which an Arrow table's or an Arrow-backed pandas frame's columns are coded on
#: threads, one column a thread (Arrow's dictionary encoding releases the GIL): below it a
#: thread costs more than it saves.
_THREADED_ROWS = 1 << 16


def _each_column(code: Callable[[Any], _T], columns: Sequence[Any], rows: int) -> list[_T]:
    """``code`` of each column, in order: on threads when the frame is long and wide (the
    caller passes ``rows=0`` for columns whose coding holds the GIL)."""
    if rows < _THREADED_ROWS or len(columns) < 2:
        return [code(c) for c in columns]
    with ThreadPoolExecutor(max_workers=min(4, len(columns))) as pool:
        return list(pool.map(code, columns))


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


#: Why a frame may have missing cells, said once beside the gaps they make.
_NAN_HINT = (
    "the frame has missing cells (NaN or pd.NA): pandas reads the text N/A (and NA, n/a, "
    "blank) as missing, so read the file with keep_default_na=False"
)
_NULL_HINT = (
    "the frame has null cells: if the text N/A became null when the file was read (pandas "
    "does this unless keep_default_na=False), read it so that N/A stays text"
)
#: The problems a frame's missing cells make.
_GAPS = ("no answer for", "found blank", "blank judgment", "no judgments yet")
_BOOLEANS, _CODES = frozenset({"True", "False", ""}), frozenset({"1", "0", "-1", ""})


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


def _arrow_backed(dtype: Any) -> bool:
    """Whether a pandas column is a ``pd.ArrowDtype`` one, whose ``factorize`` is Arrow's
    dictionary encoding. (pandas' string dtype with pyarrow storage, pandas 3's default for
    text, is not: on threads its columns took longer and 60-80 MiB more.)"""
    return getattr(dtype, "pyarrow_dtype", None) is not None


def _pandas_columns(frame: Any) -> tuple[list[str], list[Column], list[ColumnHint]]:
    """A pandas frame's names and coded columns, with the hints on its NaN and its index."""
    names = [str(c) for c in frame.columns]
    # Position-wise, so that repeated column names are each read (and then reported).
    series = [frame.iloc[:, k] for k in range(len(names))]
    arrow = all(_arrow_backed(c.dtype) for c in series)
    coded = _each_column(_pandas_column, series, len(frame) if arrow else 0)
    hints = (
        [ColumnHint(_NAN_HINT, _GAPS, gaps=True)] if any(missing for _, missing in coded) else []
    )
    index = [str(n) for n in frame.index.names if n is not None]
    if "case_id" not in map(header_name, names) and "case_id" in map(header_name, index):
        hints.append(
            ColumnHint(
                "the frame's index is case_id, which is not read as a column: call "
                "reset_index() on the frame first"
            )
        )
    return names, [column for column, _ in coded], hints


def _polars_columns(frame: Any) -> tuple[list[str], list[Column], list[ColumnHint]]:
    """A polars frame's names and coded columns, with the hint on its nulls."""
    import polars as pl

    names = [str(c) for c in frame.columns]
    schema = frame.schema
    text = [c for c in names if schema[c] == pl.String]
    coded_text = _polars_text(frame, text) if text else {}
    columns = [
        coded_text[c]
        if c in coded_text
        else Column.coded([_cell(v) for v in frame.get_column(c).to_list()])
        for c in names
    ]
    nulls = any(n for n in frame.null_count().row(0)) if names else False
    return names, columns, [ColumnHint(_NULL_HINT, _GAPS, gaps=True)] if nulls else []


def _arrow_columns(frame: Any) -> tuple[list[str], list[Column], list[ColumnHint]]:
    """A pyarrow table's names and coded columns, with the hint on its nulls."""
    names = [str(c) for c in frame.column_names]
    columns = _each_column(
        _arrow_column, [frame.column(k) for k in range(len(names))], frame.num_rows
    )
    nulls = any(frame.column(k).null_count for k in range(len(names)))
    return names, columns, [ColumnHint(_NULL_HINT, _GAPS, gaps=True)] if nulls else []


def _shown(names: list[str]) -> str:
    """Column names for a hint: the first three, and how many more."""
    more = f" and {len(names) - 3:,} more" if len(names) > 3 else ""
    return ("column " if len(names) == 1 else "columns ") + ", ".join(map(repr, names[:3])) + more


def _value_hints(names: list[str], columns: list[Column]) -> list[ColumnHint]:
    """Hints on columns whose values show how they were typed: booleans, or 1/0/-1 codes."""

    def of(kind: frozenset[str]) -> list[str]:
        return [
            n
            for n, c in zip(names, columns, strict=True)
            if set(c.values) <= kind and any(c.values)
        ]

    hints = []
    booleans, codes = of(_BOOLEANS), of(_CODES)
    if booleans:
        hints.append(
            ColumnHint(
                f"{_shown(booleans)} read as booleans (True/False), which cannot say 'not "
                "relevant': read them as text (pandas dtype=str, DuckDB all_varchar=true, polars "
                "infer_schema=False)",
                ("invalid judgment 'True'", "invalid judgment 'False'"),
            )
        )
    if codes:
        hints.append(
            ColumnHint(
                f"{_shown(codes)} hold 1/0/-1 codes: map them to yes/no/not relevant, or give the "
                "codes to pa.from_array",
                ("invalid judgment '1'", "invalid judgment '0'", "invalid judgment '-1'"),
            )
        )
    return hints


def frame_columns(frame: object, *, source: str = "<DataFrame>") -> Columns:
    """A data frame's columns, each coded by its own library (see the module's description).
    Data row ``i`` is located at line ``i + 2``, as in the CSV file the frame would save to.

    Returns:
        The :class:`~probation_audit._columns.Columns` of the frame, with hints said beside the
        problems they explain: missing cells (a pandas NaN, a null), a pandas index named
        case_id, columns read as booleans or holding 1/0/-1 codes.

    Raises:
        TypeError: ``frame`` is not a frame (see :func:`is_frame`).
        ImportError: ``frame`` is an Arrow stream and pyarrow (the ``arrow`` extra) is not
            installed.
    """
    frame = as_frame(frame)
    module = type(frame).__module__.split(".", 1)[0]
    read = {"pandas": _pandas_columns, "polars": _polars_columns}.get(module, _arrow_columns)
    names, columns, hints = read(frame)
    hints.extend(_value_hints(names, columns))
    return Columns.from_cells(source, names, columns, hints=hints)


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
    columns = frame_columns(frame, source=source)
    gaps = [h.text for h in columns.hints if h.gaps]
    return attrs.evolve(columns.located(), gap_hint=gaps[0] if gaps else None)


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
