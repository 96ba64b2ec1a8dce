"""CSV files of case judgments: the decoder from a file or its text to coded columns.

A plain file's columns are coded with numpy (:mod:`~probation_audit._csvcolumns`); any other
file is read with the csv module, its rows coded column by column in blocks; a file the csv
module cannot read to its end becomes a :class:`~probation_audit._tables.Table` of the rows it
read and the error that stopped it. Either goes to the one validator
(:mod:`~probation_audit._columns`), which accepts clean columns in a vectorised pass and
otherwise words every problem with its line. This module only decodes.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterator
from itertools import islice

import numpy as np

from ._columns import Column, Columns, sample_of
from ._csvcolumns import code_columns
from ._tables import (
    Layout,
    Table,
    check_read_options,
    gc_paused,
    header_name,
    separator_hint,
)
from .errors import AuditError, AuditErrors, JudgmentError
from .judgments import Missing, Sample
from .rubric import Rubric

__all__ = ["csv_columns", "csv_table", "parse_csv", "read_csv", "read_csv_table", "table_sample"]

#: The encoding tried when none is given: UTF-8, with or without a byte order mark.
DEFAULT_ENCODING = "utf-8-sig"
#: Rows searched for the header (a row with a case_id cell), as in a workbook.
HEADER_SEARCH = 20


def read_csv_text(path: str | os.PathLike[str], *, encoding: str | None = None) -> str:
    """The text of a CSV file; unreadable or undecodable files are one clear error."""
    source = os.fspath(path)
    chosen = encoding or DEFAULT_ENCODING
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise AuditErrors(
            [
                JudgmentError(
                    f"unknown text encoding {chosen!r} (try utf-8 or cp1252)", source=source
                )
            ]
        ) from None
    try:
        with open(source, "rb") as fp:
            data = fp.read()
    except OSError as exc:
        raise AuditErrors(
            [JudgmentError(f"cannot read file: {exc.strerror or exc}", source=source)]
        ) from None
    spreadsheet = _spreadsheet(data, source)
    if spreadsheet is not None:
        raise AuditErrors([JudgmentError(spreadsheet, source=source)])
    try:
        return data.decode(chosen)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        name = "UTF-8" if encoding is None else repr(encoding)
        advice = (
            "save it from Excel as 'CSV UTF-8', or give its encoding: on the command line "
            "--encoding cp1252 (in Python, encoding='cp1252')"
            if encoding is None
            else "give the encoding it was saved in"
        )
        raise AuditErrors(
            [
                JudgmentError(
                    f"not {name} text: byte 0x{data[exc.start]:02X} at byte {column} of the line "
                    f"cannot be read ({advice})",
                    source=source,
                    line=line,
                )
            ]
        ) from None


#: The first bytes of a zip archive (an .xlsx or .ods file) and of an OLE2 file (an old .xls).
_ZIP, _OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _spreadsheet(data: bytes, source: str) -> str | None:
    """What a file read as CSV is when it is a spreadsheet instead (by its first bytes), with
    what to do; None for anything else."""
    name = source.lower()
    if data.startswith(_OLE2):
        return (
            "not a CSV file but an old Excel workbook (.xls): save it in Excel or LibreOffice "
            "as .xlsx (or as CSV UTF-8) and give that file"
        )
    if data.startswith(_ZIP):
        kind = (
            "a LibreOffice spreadsheet (.ods)"
            if name.endswith(".ods") or b"opendocument.spreadsheet" in data[:200]
            else "a zip archive, such as an Excel workbook with another ending"
        )
        return (
            f"not a CSV file but {kind}: save it as .xlsx (or as CSV UTF-8) and give that file; "
            "a workbook is read by its ending, .xlsx or .xlsm"
        )
    return None


def read_csv(
    path: str | os.PathLike[str],
    rubric: Rubric,
    *,
    layout: Layout = "auto",
    missing: Missing = "error",
    encoding: str | None = None,
) -> Sample:
    """Read a CSV file in long (``case_id,question_id,judgment``) or wide layout.

    Wide: ``case_id`` then one column per question id; other columns are case attributes,
    except that a column named like a question id (``P2.1.4``) that the rubric lacks is an
    error, so that a typo cannot turn a question into an attribute. A UTF-8 byte order mark is
    ignored; ``encoding`` names another encoding (``cp1252``).

    Returns:
        The :class:`~probation_audit.judgments.Sample` of the file's cases, checked against
        ``rubric``.

    Raises:
        AuditErrors: the file cannot be read (a missing file included: no :class:`OSError` escapes),
            ``encoding`` names no known encoding, the bytes do not decode, or the data has problems;
            every problem is listed, each a :class:`~probation_audit.errors.JudgmentError` with the
            file and line.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``, or ``layout`` is not
            ``'auto'``, ``'long'`` or ``'wide'`` (checked before anything is read).
    """
    check_read_options(missing, layout)
    return sample_of(csv_columns(path, encoding=encoding), rubric, layout=layout, missing=missing)


def csv_columns(path: str | os.PathLike[str], *, encoding: str | None = None) -> Columns | Table:
    """A CSV file decoded: its columns coded with numpy when the file is plain (its header on
    the first line), else through the csv module; a :class:`~probation_audit._tables.Table`
    when the csv module cannot read it to its end or its rows are of other widths.

    Returns:
        The :class:`~probation_audit._columns.Columns`, or the table of what could be read.

    Raises:
        AuditErrors: the file cannot be read, ``encoding`` names no known encoding, the bytes do
            not decode, or its very first row is not valid CSV.
    """
    source = os.fspath(path)
    read = code_columns(source, encoding=encoding, accept=_with_case_id)
    if read is None:
        return text_columns(read_csv_text(path, encoding=encoding), source=source)
    header, coded = read

    def located() -> Table:
        return csv_table(read_csv_text(path, encoding=encoding), source=source)

    columns = tuple(Column(codes, tuple(values)) for codes, values in coded)
    return Columns(source, tuple(header), columns, len(columns[0].codes), located)


def _with_case_id(header: list[str]) -> bool:
    """The header numpy's reader takes: a ``case_id`` among its names."""
    return "case_id" in map(header_name, header)


_BLOCK = 4096  # rows per block: big enough for C-level passes, small enough to stay in cache


def text_columns(text: str, *, source: str = "<csv>", line_offset: int = 0) -> Columns | Table:
    """The text of a CSV file decoded through the csv module: its header (as :func:`csv_table`
    finds it) and each column coded in blocks of rows; the table of its rows when a row is not
    valid CSV or not of the header's width (the locating path reports it).

    Returns:
        The :class:`~probation_audit._columns.Columns`, or the :class:`~probation_audit._tables.Table`.

    Raises:
        AuditErrors: the very first row is not valid CSV.
    """

    def located() -> Table:
        return csv_table(text, source=source, line_offset=line_offset)

    body = text[1:] if text.startswith("\ufeff") else text
    reader = csv.reader(io.StringIO(body, newline=""), strict=True)
    try:
        with gc_paused():
            head = list(islice(reader, HEADER_SEARCH))
            at = _header_row(head)
            if not head:
                return located()
            header, width = head[at], len(head[at])
            known: list[dict[str, int]] = [{} for _ in range(width)]
            chunks: list[list[np.ndarray]] = [[] for _ in range(width)]
            for block in _blocks(head[at + 1 :], reader):
                if any(len(row) != width for row in block):
                    return located()
                for k, values in enumerate(zip(*block, strict=True)):
                    seen = known[k]
                    for v in dict.fromkeys(values):
                        seen.setdefault(v, len(seen))
                    chunks[k].append(
                        np.fromiter(
                            map(seen.__getitem__, values), dtype=np.int64, count=len(values)
                        )
                    )
    except csv.Error:
        return located()
    columns = tuple(
        Column(np.concatenate(chunks[k]) if chunks[k] else np.empty(0, np.int64), tuple(known[k]))
        for k in range(width)
    )
    return Columns(source, tuple(header), columns, len(columns[0].codes) if width else 0, located)


def _header_row(rows: list[list[str]]) -> int:
    """The header: the first row with a ``case_id`` cell (title rows above it are not data), or
    the first row when none has one."""
    return next((i for i, row in enumerate(rows) if "case_id" in map(header_name, row)), 0)


def _blocks(first: list[list[str]], reader: Iterator[list[str]]) -> Iterator[list[list[str]]]:
    """Rows in blocks of :data:`_BLOCK`, the rows already read first; empty lines (which
    carry nothing) left out."""
    pending = [row for row in first if row]
    while True:
        block = pending + [row for row in islice(reader, _BLOCK) if row]
        pending = []
        if not block:
            return
        yield block


def read_csv_table(path: str | os.PathLike[str], *, encoding: str | None = None) -> Table:
    """A CSV file as a :class:`~probation_audit._tables.Table` of its rows and line numbers.

    Returns:
        The :class:`~probation_audit._tables.Table` of the file, as :func:`csv_table` reads its text,
        with the path as its source.

    Raises:
        AuditErrors: the file cannot be read (a missing file included: no :class:`OSError` escapes),
            ``encoding`` names no known encoding, the bytes do not decode, or the first row is not
            valid CSV.
    """
    return csv_table(read_csv_text(path, encoding=encoding), source=os.fspath(path))


def csv_table(text: str, *, source: str = "<csv>", line_offset: int = 0) -> Table:
    """The text of a CSV file as a table. The header is the first row with a ``case_id`` cell
    among the first 20 (title rows above it are not data), or the first row when none has one.
    A row that is not valid CSV stops the reading, with an error at its line (the rows before
    it are kept, so that their problems are found too).

    Returns:
        The :class:`~probation_audit._tables.Table` of the header and the data rows with the lines
        they start on, and (``truncated``) the error of a row that stopped the reading.

    Raises:
        AuditErrors: the very first row is not valid CSV, so that no row can be kept; a later
            invalid row is kept in the table's ``errors`` instead.
    """
    with gc_paused():
        return _csv_table(text, source=source, line_offset=line_offset)


def _csv_table(text: str, *, source: str, line_offset: int) -> Table:
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    errors: list[AuditError] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    truncated = False
    previous = 0
    try:
        for row in reader:
            rows.append(row)
            # The line the row starts on (a quoted cell may carry it over several lines).
            lines.append(previous + 1 + line_offset)
            previous = reader.line_num
    except csv.Error as exc:
        hint = None if rows else separator_hint(text.split("\n", 1)[:1])
        error = JudgmentError(
            f"invalid CSV: {exc} (reading stopped here"
            + ("" if hint is None else f"; {hint}")
            + ")",
            source=source,
            line=reader.line_num + line_offset,
        )
        if not rows:
            raise AuditErrors([error]) from None
        errors.append(error)
        truncated = True
    if not rows:
        return Table(source, (), [], [], header_line=1 + line_offset)
    at = _header_row(rows[:HEADER_SEARCH])
    return Table(
        source,
        tuple(rows[at]),
        rows[at + 1 :],
        lines[at + 1 :],
        header_line=lines[at],
        errors=tuple(errors),
        truncated=truncated,
    )


def parse_csv(
    text: str,
    rubric: Rubric,
    *,
    layout: Layout = "auto",
    missing: Missing = "error",
    source: str = "<csv>",
    line_offset: int = 0,
) -> Sample:
    """Like :func:`read_csv`, from the text of a CSV file. Error line numbers are counted from
    ``line_offset + 1`` (for text taken from below the first line of a larger file).

    Returns:
        The :class:`~probation_audit.judgments.Sample` of the text's cases, checked against
        ``rubric``.

    Raises:
        AuditErrors: the text has problems; every problem is listed, each a
            :class:`~probation_audit.errors.JudgmentError` with ``source`` and its line.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``, or ``layout`` is not
            ``'auto'``, ``'long'`` or ``'wide'`` (checked before anything is read).
    """
    check_read_options(missing, layout)
    data = text_columns(text, source=source, line_offset=line_offset)
    return sample_of(data, rubric, layout=layout, missing=missing)


def table_sample(
    table: Table, rubric: Rubric, *, layout: Layout = "auto", missing: Missing = "error"
) -> Sample:
    """A table's sample through the one validator (:func:`~probation_audit._columns.sample_of`).

    Returns:
        The :class:`~probation_audit.judgments.Sample` of the table's cases, checked against
        ``rubric``.

    Raises:
        AuditErrors: the table has problems (its own reading errors included); every problem is
            listed with the table's source and the row's line.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``, or ``layout`` is not
            ``'auto'``, ``'long'`` or ``'wide'`` (checked before anything is read).
    """
    return sample_of(table, rubric, layout=layout, missing=missing)
