"""One way in for case judgments: the only dispatcher from a source to its decoder.

:func:`read_judgments` turns any supported source into a
:class:`~probation_audit.judgments.Sample`; :func:`read_double_marked` splits one by auditor and
:func:`read_grouped` one by group (a national file). All three decode the source once
(:func:`read_columns`) and hand it to the one validator (:mod:`~probation_audit._columns`).

Sources: a :class:`~probation_audit.judgments.Sample` (checked against the rubric), a path to
a CSV file (long or wide) or an ``.xlsx`` / ``.xlsm`` workbook, a pandas or polars DataFrame,
a pyarrow Table or an Arrow stream (a DuckDB relation), long records (mappings with ``case_id``, ``question_id``, ``judgment``) or a
wide mapping (case id -> question id -> judgment). Scoring, the statistics and every command
take their judgments through here, so every input format gets every check.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol, Union

import attrs
import numpy.typing as npt

from ._arrays import array_columns
from ._columns import Columns, GroupTallies, sample_of, samples_by, tallies_by
from ._csvfiles import csv_columns, parse_csv, read_csv, read_csv_table
from ._frames import frame_columns, frame_table, from_frame, is_frame
from ._tables import Layout, Table, check_read_options
from ._xlsx import Sheet, read_excel, read_excel_table, read_sheet
from .errors import AuditError, AuditErrors
from .judgments import Missing, Sample, from_records, from_wide
from .rating import require_rubric
from .rubric import Rubric

__all__ = [
    "WORKBOOK_SUFFIXES",
    "DoubleMarked",
    "GroupTallies",
    "JudgmentSource",
    "from_array",
    "from_frame",
    "parse_csv",
    "read_columns",
    "read_csv",
    "read_double_marked",
    "read_grouped",
    "read_judgments",
    "read_table",
]

#: File name endings read as Excel workbooks; every other file is read as CSV.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class FrameLike(Protocol):
    """A pandas or polars DataFrame, recognised without importing either."""

    @property
    def columns(self) -> Any: ...


JudgmentSource = Union[
    Sample,
    "str | os.PathLike[str]",
    FrameLike,
    Mapping[str, Mapping[str, Any]],
    Iterable[Mapping[str, Any]],
]


def is_workbook(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` names an Excel workbook (by its ending, any case)."""
    return os.fspath(path).lower().endswith(WORKBOOK_SUFFIXES)


def _file_kind(path: str | os.PathLike[str], sheet: str | None, encoding: str | None) -> str:
    """``"workbook"`` or ``"csv"``; ValueError for an option the kind does not take."""
    if is_workbook(path):
        if encoding is not None:
            raise ValueError("an encoding goes with a CSV file, not a workbook")
        return "workbook"
    if sheet is not None:
        raise ValueError(
            f"a sheet goes with a workbook ({', '.join(WORKBOOK_SUFFIXES)}), not {os.fspath(path)!r}"
        )
    return "csv"


def read_table(
    source: str | os.PathLike[str] | object,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> Table:
    """A file (CSV or workbook) or a data frame as a :class:`~probation_audit._tables.Table`:
    text cells with their line or sheet row numbers, not yet checked against a rubric.

    Returns:
        The :class:`~probation_audit._tables.Table` of the source.

    Raises:
        ValueError: ``sheet`` or ``encoding`` is given with a data frame, ``encoding`` with a
            workbook, or ``sheet`` with a CSV file.
        TypeError: ``source`` is neither a path nor a data frame.
        AuditErrors: the file cannot be read (a missing file included: no :class:`OSError` escapes),
            does not decode, or is a workbook with no such sheet, no header or merged cells; see
            :func:`~probation_audit._csvfiles.read_csv_table` and
            :func:`~probation_audit.excel.read_excel_table`.
        ImportError: the source is a workbook and openpyxl (the ``excel`` extra) is not installed.
    """
    if is_frame(source):
        if sheet is not None or encoding is not None:
            raise ValueError("sheet and encoding go with files, not data frames")
        return frame_table(source)
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"expected a file path or a data frame, got {type(source).__name__}")
    if _file_kind(source, sheet, encoding) == "workbook":
        return read_excel_table(source, sheet=sheet)
    return read_csv_table(source, encoding=encoding)


def read_judgments(
    source: JudgmentSource,
    rubric: Rubric,
    *,
    missing: Missing = "error",
    sheet: str | None = None,
    encoding: str | None = None,
    layout: Layout = "auto",
) -> Sample:
    """Case judgments from any supported source, checked against ``rubric``.

    ``missing`` says what a key question with no answer is: an error (default) or not
    relevant. ``sheet`` names a workbook's sheet (default: the first visible sheet, or a
    template's Cases sheet when its Ratings sheet is in front); ``encoding`` a CSV
    file's text encoding (default: UTF-8, with or without a byte order mark); ``layout`` forces
    the long or wide layout of a file or frame (default: from its header).

    Raises :class:`~probation_audit.errors.AuditErrors` listing every problem in the data,
    :class:`TypeError` for a source of no supported kind, and :class:`ValueError` for options
    that do not fit the source.

    Returns:
        The checked :class:`~probation_audit.judgments.Sample`; a sample given as the source is
        returned itself when its key questions are the rubric's.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`, or the source is of
            no supported kind (bytes included).
        ValueError: ``missing`` or ``layout`` is not one of its choices, or ``sheet`` or
            ``encoding`` does not fit the source.
        AuditErrors: the source cannot be read (a missing file included: no :class:`OSError`
            escapes) or its data has problems, every problem listed and located; or a sample given
            has key questions other than the rubric's.
        ImportError: the source is a workbook and openpyxl (the ``excel`` extra) is not installed.

    Example, a wide mapping of two SYNTHETIC cases (case -> question -> answer; a key question
    left out is an error unless ``missing="not-relevant"``):

    >>> import probation_audit as pa
    >>> rubric = pa.load_rubric("hmip-probation-2023")
    >>> answers = {"C1": {"P2.1.1": "yes", "P2.1.2": "N/A"}, "C2": {"P2.1.1": "no"}}
    >>> sample = pa.read_judgments(answers, rubric, missing="not-relevant")
    >>> len(sample), sample.tally()["P2.1.1"], sample.tally()["P2.1.2"]
    (2, (1, 2), (0, 0))
    """
    require_rubric(rubric)
    check_read_options(missing, layout)
    if isinstance(source, str | os.PathLike):
        if _file_kind(source, sheet, encoding) == "workbook":
            return read_excel(source, rubric, sheet=sheet, layout=layout, missing=missing)
        return read_csv(source, rubric, layout=layout, missing=missing, encoding=encoding)
    if sheet is not None or encoding is not None:
        raise ValueError("sheet and encoding go with files")
    if isinstance(source, Sample):
        return _checked_sample(source, rubric)
    if is_frame(source):
        return from_frame(source, rubric, layout=layout, missing=missing)
    if isinstance(source, bytes):
        raise TypeError("expected a file path, data frame, records or mapping, got bytes")
    if isinstance(source, Mapping):
        return from_wide(source, rubric, missing=missing)
    if isinstance(source, Iterable):
        return from_records(source, rubric, missing=missing)
    raise TypeError(
        "expected a Sample, a file path, a data frame, records or a wide mapping, "
        f"got {type(source).__name__}"
    )


def from_array(
    codes: npt.ArrayLike,
    case_ids: Sequence[str],
    question_ids: Sequence[str],
    rubric: Rubric,
    *,
    missing: Missing = "error",
) -> Sample:
    """A cases-by-questions integer array of codes: 1 yes, 0 no, -1 not relevant.

    ``question_ids`` name the columns, in any order (matched as a wide file's header is: any
    case, trimmed); rubric questions without a column are missing for every case. A masked
    array's masked cells are no answer (an error, or not relevant with
    ``missing="not-relevant"``). The rows are checked as the wide CSV file the array would save
    to (:mod:`~probation_audit._arrays`), by the same validator, with the same problems: each
    located at that file's line (the header on line 1, case ``i`` on line ``i + 2``), an
    invalid code worded as an invalid judgment, a case given twice merged when its answers
    agree.

    Returns:
        The :class:`~probation_audit.judgments.Sample`, cases in the order of ``case_ids``.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`, or ``case_ids`` or
            ``question_ids`` is one string or not a sequence.
        AuditErrors: the array is ragged, of the wrong shape, or not of integers (booleans
            included); or, listing them all, a case id is not text, blank or a summary row, or
            is given twice with different answers; a question id is not text, unknown or not
            shaped like a question; a code is not 1, 0 or -1; or a key question has no answer
            (with ``missing='error'``).
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'`` (checked after the
            array's shape and type).
    """
    data = array_columns(codes, case_ids, question_ids, rubric)
    return sample_of(data, rubric, layout="wide", missing=missing)


def _checked_sample(sample: Sample, rubric: Rubric) -> Sample:
    if sample.question_ids != rubric.question_ids:
        raise AuditErrors(
            [
                AuditError(
                    f"the sample's questions ({', '.join(sample.question_ids)}) are not rubric "
                    f"{rubric.id!r}'s ({', '.join(rubric.question_ids)})",
                    source=sample.source,
                )
            ]
        )
    return sample


@attrs.frozen
class DoubleMarked:
    """Two auditors' judgments of the same cases, read from one table."""

    auditors: tuple[str, str]
    samples: tuple[Sample, Sample]


def read_double_marked(
    source: str | os.PathLike[str] | object,
    rubric: Rubric,
    *,
    column: str = "auditor",
    missing: Missing = "error",
    sheet: str | None = None,
    encoding: str | None = None,
    layout: Layout = "auto",
) -> DoubleMarked:
    """Split a table with an ``auditor`` column (any supported file or frame) into the two
    auditors' samples, in order of first appearance. Every row must name its auditor; errors
    keep the rows' own line numbers.

    Returns:
        The :class:`DoubleMarked` of the two auditors' names and samples, in order of first
        appearance.

    Raises:
        ValueError: ``missing`` or ``layout`` is not one of its choices, or ``sheet`` or
            ``encoding`` does not fit the source.
        TypeError: ``source`` is neither a path nor a data frame.
        AuditErrors: the source cannot be read; it has no ``column``; a row names no auditor; it
            names other than exactly two auditors; or either auditor's judgments have problems
            (every problem listed with its row's line).
        ImportError: the source is a workbook and openpyxl (the ``excel`` extra) is not installed.
    """
    check_read_options(missing, layout)

    def two(names: list[str]) -> str | None:
        if len(names) == 2:
            return None
        return f"expected exactly two auditors, found {len(names)}: {', '.join(names) or 'none'}"

    data, found = _decoded(source, sheet=sheet, encoding=encoding)
    with _located(found):
        parts = samples_by(
            data,
            rubric,
            column,
            layout=layout,
            missing=missing,
            blank=f"blank {column} (each row of double-marked judgments names its auditor)",
            check_parts=two,
            part_source=lambda where, name: f"{where} (auditor {name})",
        )
    notes = () if found is None else found.notes()
    (first, one), (second, other) = (
        (name, attrs.evolve(part, notes=(*part.notes, *notes)) if notes else part)
        for name, part in parts.items()
    )
    return DoubleMarked((first, second), (one, other))


def read_grouped(
    source: str | os.PathLike[str] | object,
    rubric: Rubric,
    by: str,
    *,
    missing: Missing = "error",
    sheet: str | None = None,
    encoding: str | None = None,
    layout: Layout = "auto",
) -> GroupTallies:
    """Every group's tallies from a file or frame with a ``by`` column (a national file),
    checked as a single audit is; case ids need only be unique within a group.

    Returns:
        The :class:`~probation_audit._columns.GroupTallies`, groups sorted by name.

    Raises:
        ValueError: ``missing`` or ``layout`` is not one of its choices, or ``sheet`` or
            ``encoding`` does not fit the source.
        TypeError: ``source`` is neither a path nor a data frame.
        AuditErrors: the source cannot be read, has no ``by`` column, a row names no group, or
            any group's judgments have problems (every problem located, the list capped).
        ImportError: the source is a workbook and openpyxl (the ``excel`` extra) is not installed.
    """
    check_read_options(missing, layout)
    data, found = _decoded(source, sheet=sheet, encoding=encoding)
    with _located(found):
        tallies = tallies_by(data, rubric, by, layout=layout, missing=missing)
    notes = () if found is None else found.notes()
    return attrs.evolve(tallies, notes=(*tallies.notes, *notes)) if notes else tallies


def _decoded(
    source: str | os.PathLike[str] | object, *, sheet: str | None, encoding: str | None
) -> tuple[Columns | Table, Sheet | None]:
    """:func:`read_columns` of ``source``, with the sheet read when it is a workbook (its hidden
    rows and columns, its cells' names)."""
    if isinstance(source, str | os.PathLike) and _file_kind(source, sheet, encoding) == "workbook":
        found = read_sheet(source, sheet=sheet)
        return found.table, found
    return read_columns(source, sheet=sheet, encoding=encoding), None


@contextlib.contextmanager
def _located(found: Sheet | None) -> Iterator[None]:
    """The problems raised inside, each about one cell of the workbook naming it."""
    try:
        yield
    except AuditErrors as errors:
        if found is None:
            raise
        raise found.located(errors) from None


def read_columns(
    source: str | os.PathLike[str] | object,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> Columns | Table:
    """A file (CSV or workbook) or a data frame decoded, not yet checked against a rubric: its
    coded columns, or the table of its rows where only a table can hold them (a workbook's
    sheet, a file the csv module cannot read to its end).

    Returns:
        The :class:`~probation_audit._columns.Columns` or :class:`~probation_audit._tables.Table`.

    Raises:
        ValueError: ``sheet`` or ``encoding`` is given with a data frame, ``encoding`` with a
            workbook, or ``sheet`` with a CSV file.
        TypeError: ``source`` is neither a path nor a data frame.
        AuditErrors: the file cannot be read (see :func:`read_table`).
        ImportError: the source is a workbook and openpyxl (the ``excel`` extra) is not installed.
    """
    if is_frame(source):
        if sheet is not None or encoding is not None:
            raise ValueError("sheet and encoding go with files, not data frames")
        return frame_columns(source)
    if isinstance(source, str | os.PathLike) and _file_kind(source, sheet, encoding) == "csv":
        return csv_columns(source, encoding=encoding)
    return read_table(source, sheet=sheet, encoding=encoding)
