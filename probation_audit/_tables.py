"""Tables of text cells, the shape every file and data-frame input takes before it is checked.

A :class:`Table` is a header row and data rows of strings, each row with the line (CSV) or
sheet row (workbook) it came from. The format readers (:mod:`~probation_audit._csvfiles`,
:mod:`~probation_audit.excel`, :mod:`~probation_audit._frames`) turn their input into a table;
:func:`sample_from_table` reads it in long or wide layout into a
:class:`~probation_audit.judgments.Sample`, so that every format gets the same checks and the
same error messages.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Collection, Iterator, Sequence
from typing import Literal

import attrs

from ._names import id_help, id_key, id_tails, key_index, leading_id, looks_like_id, mentioned_id
from .errors import MAX_ERRORS, AuditError, AuditErrors, JudgmentError
from .judgments import (
    _FAST,
    _MISSING_CODE,
    Missing,
    Sample,
    _Builder,
    _plural,
    check_missing,
)
from .rubric import Rubric

__all__ = [
    "LONG_COLUMNS",
    "Layout",
    "Table",
    "WideHeader",
    "check_read_options",
    "header_name",
    "resolve_wide_header",
    "sample_from_table",
    "unknown_column",
]

Layout = Literal["auto", "long", "wide"]
LAYOUTS: tuple[Layout, ...] = ("auto", "long", "wide")
LONG_COLUMNS = ("case_id", "question_id", "judgment")


# Spellings of the long layout's column names, matched as question ids are (any case, spaces
# collapsed) and with spaces, underscores or dashes between the words or none: Case ID, CASE_ID.
_HEADER_NAMES = {
    spelling: name
    for name in LONG_COLUMNS
    for spelling in (name.replace("_", " "), name.replace("_", ""))
} | {"judgement": "judgment"}


def header_name(text: str) -> str:
    """A header cell as the readers use it: trimmed, and a spelling of ``case_id``,
    ``question_id`` or ``judgment`` (``Case ID``, ``CASE_ID``, ``caseid``) as that name.

    Returns:
        ``case_id``, ``question_id`` or ``judgment`` for a spelling of one; else ``text``
        trimmed.

    Raises:
        Nothing of its own.
    """
    key = id_key(text)
    for mark in "_-":
        key = key.replace(mark, " ")
    return _HEADER_NAMES.get(" ".join(key.split()), text.strip())


def check_read_options(missing: object, layout: object) -> None:
    """Check the reading options every reader takes, before any reading.

    Raises:
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``, or ``layout`` is not
            ``'auto'``, ``'long'`` or ``'wide'``.
    """
    check_missing(missing)
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")


@attrs.frozen(eq=False)
class Table:
    """A header and rows of text cells, with where each row came from.

    ``lines[i]`` is the line of the file (or row of the sheet) that ``rows[i]`` was read from;
    ``header_line`` is the header's. ``errors`` are problems met while reading (an unreadable
    row); when ``truncated``, reading stopped at the last of them.
    """

    source: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[str]] = attrs.field(repr=False)
    lines: Sequence[int] = attrs.field(repr=False)
    header_line: int = 1
    errors: tuple[AuditError, ...] = ()
    truncated: bool = False
    #: added to errors about missing answers: why the input may have lost them
    gap_hint: str | None = None

    def __attrs_post_init__(self) -> None:
        if len(self.rows) != len(self.lines):
            raise ValueError("a table needs one line number per row")

    @property
    def names(self) -> list[str]:
        """The header's column names as the readers use them (:func:`header_name`)."""
        return [header_name(h) for h in self.header]

    def layout(self, layout: Layout = "auto") -> Literal["long", "wide"]:
        """``layout``, or the one the header shows: long when it has question_id and judgment."""
        if layout != "auto":
            return layout
        return "long" if {"question_id", "judgment"} <= set(self.names) else "wide"


def check_header(table: Table, layout: Literal["long", "wide"]) -> list[AuditError]:
    """The problems that stop a table being read at all: no header, no case_id, repeats."""
    names = table.names

    def fail(message: str, line: int | None) -> AuditError:
        return JudgmentError(message, source=table.source, line=line)

    if not table.header:
        return [fail("empty file: expected a header row", None)]
    if "case_id" not in names:
        return [fail(_missing_case_id(table, layout), table.header_line)]
    repeats = _repeats(table.header)
    if repeats:
        return [fail(f"header repeats column {repeats}", table.header_line)]
    return []


def _repeats(header: Sequence[str]) -> str | None:
    """The columns of ``header`` a reader cannot tell apart, named as written (``'P2.1.1' as
    'p2.1.1'``): names alike under the one name rule (:func:`header_name`, then
    :func:`~probation_audit._names.id_key`: any case, spaces collapsed); None when there are
    none. Columns with a blank header are not repeats: they are padding, or values with no
    header (one located error each, from _unnamed_values)."""
    spellings: dict[str, list[str]] = {}
    for text in header:
        if text.strip():
            spellings.setdefault(id_key(header_name(text)), []).append(text.strip())
    repeated = sorted(list(dict.fromkeys(w)) for w in spellings.values() if len(w) > 1)
    if not repeated:
        return None
    shown = [" as ".join(map(repr, written)) for written in repeated]
    alike = any(len(written) > 1 for written in repeated)
    rule = " (headers are read in any case, spaces collapsed)" if alike else ""
    return ", ".join(shown) + rule


def _missing_case_id(table: Table, layout: Literal["long", "wide"]) -> str:
    expected = (
        ",".join(LONG_COLUMNS) if layout == "long" else "case_id and one column per question id"
    )
    found = ",".join(table.header) or "an empty row"
    message = f"missing header: expected {expected}, found {found}"
    hint = separator_hint(table.header)
    return message if hint is None else f"{message} ({hint})"


def separator_hint(header: Sequence[str]) -> str | None:
    """Why a header read as one cell (or a first line that did not read) may be wrong: the
    file is separated by semicolons or tabs (LibreOffice's and Excel's exports in some
    locales); None when it does not look so.

    Returns:
        The advice, or None.
    """
    if len(header) == 1:
        for mark, name in ((";", "semicolon"), ("\t", "tab")):
            if mark in header[0]:
                return (
                    f"the file looks {name}-separated: save it as comma-separated CSV, "
                    "'CSV UTF-8' in Excel"
                )
    return None


def split_by_column(
    table: Table, column: str, *, blank: str, layout: Layout = "auto"
) -> tuple[dict[str, Table], list[AuditError]]:
    """``table`` split by the values of ``column`` (in order of first appearance), each part
    without that column and keeping its rows' lines; ``blank`` is the message for a row whose
    cell is empty. A missing column and a header that cannot be read (no case_id, a repeat:
    said once, of the whole header) are raised; blank cells, values in columns with no header
    and reading errors are returned (values with no header located in the whole table's
    columns)."""
    unnamed = _unnamed_values(table)
    table = _named_only(table)  # reported once here, on the whole table's columns
    names = table.names
    if column in names:
        problems = check_header(table, table.layout(layout))
        if problems:
            raise AuditErrors([*problems, *unnamed, *table.errors])
    else:
        raise AuditErrors(
            [
                JudgmentError(
                    f"missing header: expected a {column!r} column"
                    + ("" if (hint := separator_hint(table.header)) is None else f" ({hint})"),
                    source=table.source,
                    line=table.header_line,
                )
            ]
        )
    k = names.index(column)
    split: dict[str, tuple[list[list[str]], list[int]]] = {}
    errors: list[AuditError] = [*unnamed, *table.errors]
    for row, line in zip(table.rows, table.lines, strict=True):
        value = row[k].strip() if len(row) > k else ""
        if not value:
            if any(cell.strip() for cell in row):
                errors.append(JudgmentError(blank, source=table.source, line=line))
            continue  # a row of empty cells carries nothing
        part = split.get(value)
        if part is None:
            part = split[value] = ([], [])
        part[0].append([*row[:k], *row[k + 1 :]])
        part[1].append(line)
    header = tuple(h for j, h in enumerate(table.header) if j != k)
    parts = {
        value: Table(
            table.source,
            header,
            rows,
            lines,
            header_line=table.header_line,
            gap_hint=table.gap_hint,
        )
        for value, (rows, lines) in split.items()
    }
    return parts, errors


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while building many small lists and tuples (it adds about
    half to a large parse, and more than linearly); its state is restored even on error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def sample_from_table(
    table: Table, rubric: Rubric, *, layout: Layout = "auto", missing: Missing = "error"
) -> Sample:
    """Read ``table`` in long or wide layout (``auto``: from its header) into a sample.

    Raises :class:`~probation_audit.errors.AuditErrors` listing every problem, each with the
    table's source and the row's line.

    Returns:
        The :class:`~probation_audit.judgments.Sample` of the table's cases, checked against
        ``rubric``.

    Raises:
        AuditErrors: the table has no header, no ``case_id`` column or a repeated column, a column
            without a header holds values, or rows have problems (the table's own reading errors
            included); every problem is listed.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'`` (checked once the header is
            readable).
    """
    with gc_paused():
        return _sample_from_table(table, rubric, layout=layout, missing=missing)


def _sample_from_table(table: Table, rubric: Rubric, *, layout: Layout, missing: Missing) -> Sample:
    chosen = table.layout(layout)
    # Columns with a blank header are dropped: padding, or a value reported once here.
    unnamed = _unnamed_values(table)
    table = _named_only(table)
    problems = check_header(table, chosen)
    if problems:
        raise AuditErrors([*problems, *unnamed, *table.errors])
    builder = _Builder(rubric, missing, table.source)
    builder.gap_hint = table.gap_hint
    if chosen == "long":
        _read_long(table, builder)
    else:
        _read_wide(table, builder)
    builder.truncated = table.truncated
    return builder.finish(extra_errors=[*unnamed, *table.errors])


def _unnamed_values(table: Table) -> list[AuditError]:
    """One error per column with a blank header that holds a value, at its first value (the
    cell beyond the header's last column of a stray note, a row wider than the header)."""
    errors: list[AuditError] = []
    for k, name in enumerate(table.header):
        if name.strip():
            continue
        for row, line in zip(table.rows, table.lines, strict=True):
            if k < len(row) and row[k].strip():
                errors.append(
                    JudgmentError(
                        f"column {k + 1} has no header but holds {row[k].strip()!r} "
                        "(give the column a name, or delete it)",
                        source=table.source,
                        line=line,
                        column=k + 1,
                    )
                )
                break
    return errors


def _named_only(table: Table) -> Table:
    """``table`` without its columns with a blank header."""
    keep = [k for k, name in enumerate(table.header) if name.strip()]
    width = len(table.header)
    if len(keep) == width:
        return table

    def trim(row: Sequence[str]) -> list[str]:
        # Rows of another width keep their length, so that the field count is still checked.
        return [row[k] for k in keep] if len(row) == width else list(row)

    return attrs.evolve(
        table,
        header=tuple(table.header[k] for k in keep),
        rows=[trim(row) for row in table.rows],
    )


def _blank(row: Sequence[str]) -> bool:
    """A row that carries nothing: an empty line, or only empty cells (the ",,,," rows a
    spreadsheet saves below its data). Skipped, as in a workbook."""
    return all(not cell.strip() for cell in row)


def _case_rows(
    table: Table, builder: _Builder, case_column: int
) -> Iterator[tuple[Sequence[str], int, int, str]]:
    """``(row, line, case index, case id)`` for each row that names a case: blank rows are
    skipped; rows of the wrong width and rows without a case id are reported."""
    width = len(table.header)
    for row, line in zip(table.rows, table.lines, strict=True):
        if _blank(row):
            continue  # a blank line carries nothing
        if len(row) != width:
            builder.fail(f"expected {width} fields, found {len(row)}", line=line)
            continue
        r = builder.case(row[case_column], line=line, column=case_column + 1)
        if r is not None:
            yield row, line, r, row[case_column].strip()


def _read_long(table: Table, builder: _Builder) -> None:
    names = table.names
    absent = [c for c in LONG_COLUMNS if c not in names]
    if absent:
        builder.fail(
            f"missing header: expected columns {','.join(LONG_COLUMNS)}; no {', '.join(absent)}",
            line=table.header_line,
        )
        return
    ci, qi, ji = (names.index(c) for c in LONG_COLUMNS)
    extra = [(k, n) for k, n in enumerate(names) if n not in LONG_COLUMNS]
    qids = builder.answer_ids
    for row, line, r, case_id in _case_rows(table, builder, ci):
        column = builder.question(row[qi], case_id=case_id, line=line)
        if column is None:
            continue
        value = row[ji]
        if not value.strip():
            builder.reported.add((r, column))
            builder.fail(
                "blank judgment (a long-form row must give one)",
                kind="blank",
                line=line,
                case_id=case_id,
                question_id=qids[column],
            )
            continue
        builder.answer(r, column, value, case_id=case_id, question_id=qids[column], line=line)
        for k, name in extra:
            builder.attribute(r, name, row[k], case_id=case_id, line=line)


@attrs.frozen
class WideHeader:
    """A wide header resolved against a rubric: which column answers which question."""

    case_column: int
    #: (column, answer index: key questions, then prompts)
    questions: tuple[tuple[int, int], ...]
    #: (column, attribute name)
    attributes: tuple[tuple[int, str], ...]
    #: one message per column named like an id the rubric lacks (the first
    #: :data:`~probation_audit.errors.MAX_ERRORS` of them), then one per column naming an id
    #: in words when another column answers it
    problems: tuple[str, ...]
    #: columns named like an id the rubric lacks, worded or not
    unknown: int = 0


def resolve_wide_header(names: Sequence[str], rubric: Rubric) -> WideHeader:
    """Match header names to question and prompt ids (trimmed, any case: ``p2.1.3`` is
    ``P2.1.3``), a header that starts with an id and goes on in words
    (``P2.1.1 (engaging)``) to that id; a name shaped like an id the rubric lacks, or that
    names in words an id another column answers, is a problem (with a suggestion), never an
    attribute; any other name is a case attribute.

    Returns:
        The :class:`WideHeader` giving the case_id column, the question and attribute columns, and
        one problem per column named like an unknown id.

    Raises:
        ValueError: ``names`` has no ``case_id`` (callers check the header first).
    """
    answer_ids = rubric.question_ids + rubric.prompt_ids
    keys = key_index(answer_ids)
    tails = id_tails(answer_ids)
    ci = [header_name(n) for n in names].index("case_id")
    questions: list[tuple[int, int]] = []
    worded: list[tuple[int, int]] = []
    attributes: list[tuple[int, str]] = []
    # (name, its first word when the id is that word, the id meant when it is known)
    unknown: list[tuple[str, str, str | None]] = []
    mentions: list[tuple[int, str]] = []
    for k, name in enumerate(names):
        if k == ci:
            continue
        first, words = leading_id(name)
        j = keys.get(id_key(name))
        if j is not None:
            questions.append((k, j))
        elif words and keys.get(id_key(first)) is not None:
            worded.append((k, keys[id_key(first)]))
        elif looks_like_id(name, answer_ids) or (words and looks_like_id(first, answer_ids)):
            unknown.append((name, first if words else "", None))
        elif (named := mentioned_id(name, answer_ids, tails)) is not None:
            mentions.append((k, named))
        else:
            attributes.append((k, name))
    by_id = {j: k for k, j in questions}
    problems = []
    for k, j in worded:
        if j in by_id:
            problems.append(
                f"column {names[k]!r}: begins with question id {answer_ids[j]!r}, which column "
                f"{names[by_id[j]]!r} answers (a header that begins with an id is read as that "
                f"question: rename it, e.g. 'notes on {answer_ids[j]}')"
            )
        else:
            by_id[j] = k
            questions.append((k, j))
    # A header that names an id in another way (2.1.1, KQ P2.1.1) is that question's column
    # misnamed when no column answers the id; beside its column, notes on it (an attribute).
    answered = {answer_ids[j] for j in by_id}
    for k, named in mentions:
        if named in answered:
            attributes.append((k, names[k]))
        else:
            unknown.append((names[k], "", named))
    attributes.sort()
    total = len(unknown)
    del unknown[MAX_ERRORS:]  # past what is listed, columns are only counted
    problems[:0] = [
        unknown_column(name, rubric, answered, first=first, guess=guess)
        for name, first, guess in unknown
    ]
    return WideHeader(ci, tuple(sorted(questions)), tuple(attributes), tuple(problems), total)


def unknown_column(
    name: str,
    rubric: Rubric,
    taken: Collection[str] = (),
    *,
    first: str = "",
    guess: str | None = None,
) -> str:
    """The problem with a column named like an id the rubric lacks (or whose name begins with
    one, ``first``), with a suggestion: ``guess`` when the id meant is known (``2.1.1`` for
    ``P2.1.1``), else the nearest among the ids no other column answers (not ``taken``).

    Returns:
        The message, to be located at the header.

    Raises:
        Nothing of its own.
    """
    if first:
        return (
            f"column {name!r}: begins with unknown question id {first!r} "
            f"{id_help(first, rubric, taken, guess=guess)}"
        )
    return f"column {name!r}: unknown question id {id_help(name, rubric, taken, guess=guess)}"


def _read_wide(table: Table, builder: _Builder) -> None:
    names = table.names
    header = resolve_wide_header(names, builder.rubric)
    ci = header.case_column
    question_columns = list(header.questions)
    attribute_columns = list(header.attributes)
    listed = min(header.unknown, MAX_ERRORS)
    for k, problem in enumerate(header.problems):
        kind = "unknown column" if k < listed else "other"
        builder.fail(problem, line=table.header_line, kind=kind)
    builder.count("unknown column", header.unknown - listed)
    present = {j for _, j in question_columns}
    absent = [j for j in range(builder.keys) if j not in present]
    if absent and builder.missing == "error":
        builder.absent_columns.update(absent)
        names_absent = [builder.rubric.question_ids[j] for j in absent]
        fix = (
            "correct the header named like an unknown id, or add the column"
            if header.problems
            else "add the column, or treat missing answers as not relevant: --missing not-relevant"
        )
        builder.fail(
            f"no column for {_plural(len(absent), 'question')} {', '.join(names_absent)} ({fix})",
            line=table.header_line,
        )
    # Header problems are reported; the rows are still read, so that theirs are too.
    for _, name in attribute_columns:
        builder.attribute_name(name)
    qids = builder.answer_ids
    fast = _FAST
    rows = builder.rows
    for row, line, r, case_id in _case_rows(table, builder, ci):
        target = rows[r]
        # A case's first row takes the cheap path; a case met again goes through answer(),
        # which keeps each cell's line so that a conflict can name both rows.
        first = builder.case_lines[r] == line
        for k, j in question_columns:
            cell = row[k]
            code = fast.get(cell)
            if first and code is not None and target[j] == _MISSING_CODE:
                target[j] = code  # the common case, kept cheap for large files
            else:
                builder.answer(r, j, cell, case_id=case_id, question_id=qids[j], line=line)
        for k, name in attribute_columns:
            builder.attribute(r, name, row[k], case_id=case_id, line=line)
