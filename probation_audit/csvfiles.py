"""CSV files of case judgments, long or wide layout.

Clean files take a vectorised path: a plain file's columns coded with numpy
(:mod:`~probation_audit.csvcolumns`), else the csv module's rows coded as bytes over blocks of
rows. Anything neither accepts is re-read row by row as a
:class:`~probation_audit.tables.Table`, which finds and locates every problem. All give the
same sample for a clean file (property tests check it).
"""

from __future__ import annotations

import codecs
import csv
import io
import operator
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from .csvcolumns import Column, code_columns
from .errors import AuditError, AuditErrors, JudgmentError
from .judgments import (
    _BYTE,
    _BYTE_WIDE,
    _MISSING_CODE,
    _NOT_A_JUDGMENT,
    Judgment,
    Missing,
    Sample,
    _answer_ids,
    _sample_from_full,
    any_summary_row,
)
from .rubric import Rubric
from .tables import (
    LONG_COLUMNS,
    Layout,
    Table,
    WideHeader,
    check_header,
    check_read_options,
    gc_paused,
    resolve_wide_header,
    sample_from_table,
)

__all__ = ["csv_table", "parse_csv", "read_csv", "read_csv_table", "table_sample"]

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
    source = os.fspath(path)
    sample = plain_sample(path, rubric, layout=layout, missing=missing, encoding=encoding)
    if sample is not None:
        return sample
    text = read_csv_text(path, encoding=encoding)
    return parse_csv(text, rubric, layout=layout, missing=missing, source=source)


def read_csv_table(path: str | os.PathLike[str], *, encoding: str | None = None) -> Table:
    """A CSV file as a :class:`~probation_audit.tables.Table` of its rows and line numbers.

    Returns:
        The :class:`~probation_audit.tables.Table` of the file, as :func:`csv_table` reads its text,
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
        The :class:`~probation_audit.tables.Table` of the header and the data rows with the lines
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
        error = JudgmentError(
            f"invalid CSV: {exc} (reading stopped here)",
            source=source,
            line=reader.line_num + line_offset,
        )
        if not rows:
            raise AuditErrors([error]) from None
        errors.append(error)
        truncated = True
    if not rows:
        return Table(source, (), [], [], header_line=1 + line_offset)
    at = next(
        (
            i
            for i, row in enumerate(rows[:HEADER_SEARCH])
            if "case_id" in (cell.strip() for cell in row)
        ),
        0,
    )
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
    # The table path below drops a byte-order mark itself: drop it here for the fast path only.
    body = text[1:] if text.startswith("\ufeff") else text
    reader = csv.reader(io.StringIO(body, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        header = None
    if header is not None:
        probe = Table(source, tuple(header), [], [])
        chosen = probe.layout(layout)
        if not check_header(probe, chosen):
            # Clean files take a vectorised path; anything it does not accept is re-read row
            # by row, which finds and locates every problem.
            with gc_paused():
                fast = _fast_long if chosen == "long" else _fast_wide
                try:
                    sample = fast(reader, probe.names, rubric, missing, source)
                except csv.Error:
                    sample = None
            if sample is not None:
                return sample
    table = csv_table(text, source=source, line_offset=line_offset)
    return sample_from_table(table, rubric, layout=layout, missing=missing)


def table_sample(
    table: Table, rubric: Rubric, *, layout: Layout = "auto", missing: Missing = "error"
) -> Sample:
    """:func:`~probation_audit.tables.sample_from_table`, trying first the vectorised path
    of clean CSV files on the table's rows (a workbook's sheet, one auditor's rows of a
    double-marked file); anything it does not accept is read row by row.

    Returns:
        The :class:`~probation_audit.judgments.Sample` of the table's cases, checked against
        ``rubric``.

    Raises:
        AuditErrors: the table has problems (its own reading errors included); every problem is
            listed with the table's source and the row's line.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``, or ``layout`` is not
            ``'auto'``, ``'long'`` or ``'wide'`` (checked before anything is read).
    """
    check_read_options(missing, layout)
    if not table.errors and not table.truncated:
        chosen = table.layout(layout)
        if not check_header(table, chosen):
            with gc_paused():
                fast = _fast_long if chosen == "long" else _fast_wide
                rows = cast(Iterator[list[str]], iter(table.rows))
                sample = fast(rows, table.names, rubric, missing, table.source)
            if sample is not None:
                return sample
    return sample_from_table(table, rubric, layout=layout, missing=missing)


def _clean_ids(ids: Sequence[str]) -> bool:
    """No blank id and none with surrounding spaces (C-level passes: this runs per row)."""
    return "" not in ids and all(map(operator.eq, ids, map(str.strip, ids)))


def _fill_gaps(codes: npt.NDArray[np.int8], missing: Missing) -> bool:
    """Gaps become not relevant if the caller allows it; False if they must be reported."""
    gaps = codes == _MISSING_CODE
    if not gaps.any():
        return True
    if missing == "error":
        return False
    codes[gaps] = int(Judgment.NOT_RELEVANT)
    return True


_BLOCK = 2048  # rows per block: big enough for C-level passes, small enough to stay in cache


def _blocks(reader: Iterator[list[str]]) -> Iterator[list[list[str]]]:
    while block := list(islice(reader, _BLOCK)):
        yield block


def _fast_wide(
    reader: Iterator[list[str]], names: list[str], rubric: Rubric, missing: Missing, source: str
) -> Sample | None:
    """A clean wide file in C-level passes over blocks of rows, or None to take the
    row-by-row path (any blank, bad or repeated value; short rows; unknown columns)."""
    width = len(names)
    header = resolve_wide_header(names, rubric)
    targets = [j for _, j in header.questions]
    if header.problems or len(set(targets)) != len(targets) or "" in names:
        return None  # unknown or repeated question columns, unnamed columns: the table path
    ci = header.case_column
    question_columns = list(header.questions)
    attribute_columns = [k for k, _ in header.attributes]
    case_ids: list[str] = []
    cells = bytearray()
    attributes: list[tuple[str, ...]] = []
    get_case = itemgetter(ci)
    get_attributes = itemgetter(*attribute_columns) if attribute_columns else None
    for block in _blocks(reader):
        if set(map(len, block)) != {width}:
            return None
        case_ids.extend(map(get_case, block))
        # Every cell as a byte: a judgment's code plus one, 255 for anything else.
        cells += bytes(map(_BYTE_WIDE.get, chain.from_iterable(block), repeat(_NOT_A_JUDGMENT)))
        if get_attributes is not None:
            if len(attribute_columns) == 1:
                attributes.extend(zip(map(get_attributes, block)))
            else:
                attributes.extend(map(get_attributes, block))
    table = np.frombuffer(bytes(cells), dtype=np.uint8).reshape(len(case_ids), width)
    picked = table[:, [k for k, _ in question_columns]]
    attribute_names = tuple(names[k] for k in attribute_columns)
    return _wide_sample(
        rubric, case_ids, picked, targets, attribute_names, attributes, missing, source
    )


def _wide_sample(
    rubric: Rubric,
    case_ids: list[str],
    picked: npt.NDArray[np.uint8],
    targets: list[int],
    attribute_names: tuple[str, ...],
    attributes: list[tuple[str, ...]],
    missing: Missing,
    source: str,
) -> Sample | None:
    """The sample of a clean wide file's coded cells (``picked[i, c]``: row ``i``'s cell of
    question column ``c``, a judgment's code plus one, 3 for a blank, 255 for anything else;
    ``targets[c]``: that column's answer index), or None for anything the table path must read
    and report: no rows, a blank, untrimmed or repeated case id, a summary row, a bad cell, or
    a gap when gaps are errors."""
    if not case_ids or len(set(case_ids)) != len(case_ids) or not _clean_ids(case_ids):
        return None
    if any_summary_row(case_ids):
        return None
    if (picked == _NOT_A_JUDGMENT).any():
        return None
    codes = np.full((len(case_ids), len(_answer_ids(rubric))), _MISSING_CODE, dtype=np.int8)
    decoded = picked.astype(np.int8) - 1
    decoded[decoded == 2] = _MISSING_CODE
    codes[:, targets] = decoded
    if not _fill_gaps(codes[:, : len(rubric.question_ids)], missing):
        return None
    return _sample_from_full(
        rubric, tuple(case_ids), codes, attribute_names, tuple(attributes), source
    )


def plain_double_marked(
    path: str | os.PathLike[str],
    rubric: Rubric,
    *,
    column: str,
    missing: Missing,
    encoding: str | None,
    layout: Layout,
) -> tuple[tuple[str, str], tuple[Sample, Sample]] | None:
    """A plain wide CSV file of double-marked judgments (plain as :mod:`~probation_audit.
    csvcolumns` reads it: the header on its first line), its rows split by ``column`` into
    two auditors' samples in order of first appearance, built from the coded columns with
    numpy: the same samples as the table path gives.

    Returns:
        The two auditors' names and samples, or None for anything else (another layout, a
        header the table path must check, other than two auditors, any cell or id the
        vectorised path of one wide file would not take): the table path reads it then, and
        finds and locates every problem.
    """
    source = os.fspath(path)
    read = code_columns(source, encoding=encoding, accept=_names_with("case_id", column))
    if read is None:
        return None
    header, columns = read
    k = [h.strip() for h in header].index(column)
    head = Table(source, tuple(h for j, h in enumerate(header) if j != k), (), ())
    if head.layout(layout) != "wide" or check_header(head, "wide"):
        return None
    wide = _plain_wide_header(head.names, rubric)
    auditor_codes, auditors = columns[k]
    if wide is None or len(auditors) != 2 or not _clean_ids(auditors):
        return None
    rest = columns[:k] + columns[k + 1 :]
    firsts = [int(np.argmax(auditor_codes == a)) for a in range(2)]
    order = sorted(range(2), key=firsts.__getitem__)
    samples = []
    for a in order:
        rows = np.flatnonzero(auditor_codes == a)
        sample = _wide_part(rubric, wide, rest, rows, missing, f"{source} (auditor {auditors[a]})")
        if sample is None:
            return None
        samples.append(sample)
    return (auditors[order[0]], auditors[order[1]]), (samples[0], samples[1])


def plain_sample(
    path: str | os.PathLike[str],
    rubric: Rubric,
    *,
    layout: Layout,
    missing: Missing,
    encoding: str | None,
) -> Sample | None:
    """A plain CSV file (as :mod:`~probation_audit.csvcolumns` reads it: the header on its
    first line), long or wide, read from its columns coded with numpy: the sample the table
    path gives.

    Returns:
        The :class:`~probation_audit.judgments.Sample`, or None for anything else (a header
        the table path must check, a title row, any cell or id the vectorised path would not
        take): the table path reads it then, and finds and locates every problem.
    """
    source = os.fspath(path)
    read = code_columns(source, encoding=encoding, accept=_names_with("case_id"))
    if read is None:
        return None
    header, columns = read
    head = Table(source, tuple(header), (), ())
    chosen = head.layout(layout)
    if check_header(head, chosen):
        return None
    if chosen == "long":
        return _long_part(rubric, head.names, columns, missing, source)
    wide = _plain_wide_header(head.names, rubric)
    return None if wide is None else _wide_part(rubric, wide, columns, None, missing, source)


def _names_with(*required: str) -> Callable[[list[str]], bool]:
    """A header check for :func:`~probation_audit.csvcolumns.code_columns`: trimmed names, none
    blank or repeated, ``required`` among them."""

    def accept(header: list[str]) -> bool:
        names = [h.strip() for h in header]
        return "" not in names and len(set(names)) == len(names) and set(required) <= set(names)

    return accept


def _plain_wide_header(names: list[str], rubric: Rubric) -> WideHeader | None:
    """The wide header of a plain file, or None when the table path must report on it
    (an unknown or repeated question column)."""
    wide = resolve_wide_header(names, rubric)
    targets = [j for _, j in wide.questions]
    if wide.problems or len(set(targets)) != len(targets):
        return None
    return wide


def _wide_part(
    rubric: Rubric,
    wide: WideHeader,
    columns: list[Column],
    rows: npt.NDArray[np.intp] | None,
    missing: Missing,
    source: str,
) -> Sample | None:
    """The sample of a plain wide file's coded ``columns`` at ``rows`` (None: every row). Each
    question column's distinct values are coded once, a judgment's code plus one, 3 for a
    blank, 255 for anything else, as :func:`_fast_wide` codes every cell."""

    def at(codes: npt.NDArray[np.unsignedinteger[Any]]) -> npt.NDArray[np.unsignedinteger[Any]]:
        return codes if rows is None else codes[rows]

    case_codes, case_values = columns[wide.case_column]
    picked = np.empty((len(at(case_codes)), len(wide.questions)), dtype=np.uint8)
    for c, (k, _) in enumerate(wide.questions):
        codes, values = columns[k]
        lookup = np.array([_BYTE_WIDE.get(v, _NOT_A_JUDGMENT) for v in values], dtype=np.uint8)
        picked[:, c] = lookup[at(codes)]
    texts = [
        np.array(columns[k][1], dtype=object)[at(columns[k][0])].tolist()
        for k, _ in wide.attributes
    ]
    return _wide_sample(
        rubric,
        np.array(case_values, dtype=object)[at(case_codes)].tolist(),
        picked,
        [j for _, j in wide.questions],
        tuple(name for _, name in wide.attributes),
        list(zip(*texts, strict=True)),
        missing,
        source,
    )


def _long_part(
    rubric: Rubric, names: list[str], columns: list[Column], missing: Missing, source: str
) -> Sample | None:
    """The sample of a plain long file's coded ``columns`` (names trimmed), or None."""
    if not set(LONG_COLUMNS) <= set(names):
        return None
    ci, qi, ji = (names.index(c) for c in LONG_COLUMNS)
    extra = [k for k, n in enumerate(names) if n not in LONG_COLUMNS]
    qindex = {qid: j for j, qid in enumerate(_answer_ids(rubric))}
    if len(qindex) >= _NOT_A_JUDGMENT:
        return None  # question columns are coded as bytes
    case_codes, case_values = columns[ci]
    # Cases in order of first appearance (codes index the values in another order).
    present, first = np.unique(case_codes, return_index=True)
    ranked = present[np.argsort(first, kind="stable")]
    position = np.empty(len(case_values), dtype=np.int64)
    position[ranked] = np.arange(len(ranked))

    def coded(k: int, table: Mapping[str, int]) -> npt.NDArray[np.uint8]:
        codes, values = columns[k]
        lookup = np.array([table.get(v, _NOT_A_JUDGMENT) for v in values], dtype=np.uint8)
        return lookup[codes]

    return _long_sample(
        rubric,
        tuple(case_values[i] for i in ranked.tolist()),
        position[case_codes],
        coded(qi, qindex),
        coded(ji, _BYTE),
        [columns[k] for k in extra],
        tuple(names[k] for k in extra),
        missing,
        source,
    )


def _fast_long(
    reader: Iterator[list[str]], names: list[str], rubric: Rubric, missing: Missing, source: str
) -> Sample | None:
    """A clean long file (attribute columns allowed, no repeats) in C-level passes, or None."""
    if not set(LONG_COLUMNS) <= set(names) or "" in names or len(set(names)) != len(names):
        return None
    ci, qi, ji = (names.index(c) for c in LONG_COLUMNS)
    extra = [k for k, n in enumerate(names) if n not in LONG_COLUMNS]
    width = len(names)
    qindex = {qid: j for j, qid in enumerate(_answer_ids(rubric))}
    if len(qindex) >= _NOT_A_JUDGMENT:
        return None  # question columns are coded as bytes below
    cases: list[str] = []
    columns = bytearray()
    values = bytearray()
    # Attribute values coded per column as integers, row by row.
    seen: list[dict[str, int]] = [{} for _ in extra]
    coded_attributes: list[list[npt.NDArray[np.int64]]] = [[] for _ in extra]
    get_case, get_question, get_judgment = itemgetter(ci), itemgetter(qi), itemgetter(ji)
    for block in _blocks(reader):
        if set(map(len, block)) != {width}:
            return None
        cases.extend(map(get_case, block))
        columns += bytes(map(qindex.get, map(get_question, block), repeat(_NOT_A_JUDGMENT)))
        values += bytes(map(_BYTE.get, map(get_judgment, block), repeat(_NOT_A_JUDGMENT)))
        for a, k in enumerate(extra):
            column = list(map(itemgetter(k), block))
            known = seen[a]
            for v in dict.fromkeys(column):
                known.setdefault(v, len(known))
            coded_attributes[a].append(
                np.fromiter(map(known.__getitem__, column), dtype=np.int64, count=len(column))
            )
    if not cases:
        return None
    order = tuple(dict.fromkeys(cases))
    position = {case_id: i for i, case_id in enumerate(order)}
    return _long_sample(
        rubric,
        order,
        np.fromiter(map(position.__getitem__, cases), dtype=np.int64, count=len(cases)),
        np.frombuffer(bytes(columns), dtype=np.uint8),
        np.frombuffer(bytes(values), dtype=np.uint8),
        [(np.concatenate(coded_attributes[a]), list(seen[a])) for a in range(len(extra))],
        tuple(names[k] for k in extra),
        missing,
        source,
    )


def _long_sample(
    rubric: Rubric,
    order: tuple[str, ...],
    case_of_row: npt.NDArray[np.int64],
    question: npt.NDArray[np.uint8],
    judgment: npt.NDArray[np.uint8],
    attributes: list[tuple[npt.NDArray[np.integer[Any]], list[str]]],
    attribute_names: tuple[str, ...],
    missing: Missing,
    source: str,
) -> Sample | None:
    """The sample of a clean long file's coded rows: ``order`` the case ids in order of first
    appearance and ``case_of_row`` each row's position in it; ``question`` each row's answer
    index and ``judgment`` its code plus one (255 for anything else); each attribute column's
    codes per row and the values they index. None for anything the table path must read and
    report: no rows, a bad question or answer, a blank, untrimmed or summary case id, a case
    and question given twice, a case with two values of an attribute, or a gap when gaps are
    errors."""
    if not order or (judgment == _NOT_A_JUDGMENT).any() or (question == _NOT_A_JUDGMENT).any():
        return None
    if not _clean_ids(order) or any_summary_row(order):
        return None
    nq = len(_answer_ids(rubric))
    flat = case_of_row * nq + question
    if np.bincount(flat, minlength=len(order) * nq).max() > 1:
        return None  # a case and question given twice: the row path checks they agree
    # Each case's attributes: the value of its first row, which every other row must repeat.
    first_row = np.full(len(order), -1, dtype=np.int64)
    first_row[case_of_row[::-1]] = np.arange(len(case_of_row) - 1, -1, -1)
    attribute_rows: list[list[str]] = []
    for codes_a, labels in attributes:
        per_case = codes_a[first_row]
        if (codes_a != per_case[case_of_row]).any():
            return None  # a case with two values: the row path reports it
        attribute_rows.append([labels[c] for c in per_case.tolist()])
    flat_codes = np.full(len(order) * nq, _MISSING_CODE, dtype=np.int8)
    flat_codes[flat] = judgment.astype(np.int8) - 1
    codes = flat_codes.reshape(len(order), nq)
    if not _fill_gaps(codes[:, : len(rubric.question_ids)], missing):
        return None
    values = tuple(zip(*attribute_rows, strict=True)) if attributes else ()
    return _sample_from_full(rubric, order, codes, attribute_names, values, source)
