"""The workbook decoder (extra ``excel``: openpyxl, imported only when used): a sheet of an
.xlsx or .xlsm workbook read as a :class:`~probation_audit._tables.Table`, and what a template
workbook says about itself.

The first visible sheet is read (a template's Cases sheet when its Ratings sheet is in front),
or the one named; the header is the first row with a ``case_id`` cell among the first 20;
values are read, not formulas. Only the cells present are kept, so a sheet whose stored
dimension reaches far beyond its cells (``A1:XFD1048576`` from a formatted sheet) is read in
memory bounded by its cells. What the streaming reader does not say is read from the sheet's
XML: merged ranges and formulas with no saved value (refused, naming the cells as a
spreadsheet user does, ``Cases!F16``), and hidden rows and columns (read, and counted in the
sample's notes). The validator (:mod:`~probation_audit._columns`) checks every judgment.
"""

from __future__ import annotations

import os
import shlex
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from ._csvfiles import table_sample
from ._tables import Layout, Table, check_read_options, header_name
from .errors import (
    SUMMARY_FROM,
    AuditError,
    AuditErrors,
    Hint,
    JudgmentError,
    ProblemCount,
    ProblemSummary,
    capped,
)
from .judgments import Missing, Sample
from .rubric import Rubric

__all__ = [
    "HEADER_SEARCH",
    "Sheet",
    "TemplateFacts",
    "openpyxl_module",
    "read_excel",
    "read_excel_table",
    "read_sheet",
    "template_facts",
]

#: Rows searched for the header (the row with a ``case_id`` cell).
HEADER_SEARCH = 20
#: The template's sheet of formulas, put in front of its Cases sheet.
_RATINGS, _CASES, _ABOUT = "Ratings", "Cases", "About"
#: What the template's Ratings sheet shows beside a judged standard's drop-down (its "driven
#: by" cell); templates written before 2026-12 said "judged: choose", still read as the mark.
JUDGED_MARK = "judged"
_JUDGED_MARKS = frozenset({JUDGED_MARK, "judged: choose"})


def openpyxl_module() -> Any:
    """openpyxl, or an ImportError saying how to install the ``excel`` extra."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - exercised without the extra
        raise ImportError(
            "Excel files need openpyxl: pip install 'probation-audit[excel]' "
            "(from a checkout: pip install '.[excel]')"
        ) from None
    return openpyxl


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        # As the text TRUE / FALSE: refused as a judgment, as the same text in a CSV file is.
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


@attrs.frozen
class _Marks:
    """What the streaming reader does not say about a sheet, 1-based: merged ranges as
    ``(ref, first row, last row, first column)``, cells holding a formula with no saved value
    as ``(row, column)``, hidden rows and hidden columns."""

    merged: tuple[tuple[str, int, int, int], ...]
    unsaved: tuple[tuple[int, int], ...]
    hidden_rows: frozenset[int]
    hidden_columns: frozenset[int]


@attrs.frozen
class Sheet:
    """A sheet read as a table, with where its columns are and what was hidden.

    ``title`` is the sheet's name; ``hidden_rows`` the sheet rows of the table that were
    hidden or filtered out (read all the same), ``hidden_columns`` the table's hidden columns
    (1-based).
    """

    table: Table
    title: str
    hidden_rows: tuple[int, ...] = ()
    hidden_columns: tuple[int, ...] = ()

    def cell(self, row: int, column: int) -> str:
        """A cell as a spreadsheet user names it: ``Cases!F16``."""
        return f"{_quoted(self.title)}!{_letter(column)}{row}"

    def notes(self) -> tuple[str, ...]:
        """What a reader of the results should know: hidden rows and columns that were read."""
        out = []
        if self.hidden_rows:
            n = len(self.hidden_rows)
            out.append(
                f"{n} hidden or filtered-out {'row' if n == 1 else 'rows'} of sheet "
                f"{self.title!r} read as data ({_row_list(self.hidden_rows)}): the stored "
                "answers are the record, shown or not"
            )
        if self.hidden_columns:
            names = [
                f"{_letter(c)} ({self.table.header[c - 1].strip()})"
                for c in self.hidden_columns
                if c <= len(self.table.header)
            ]
            out.append(
                f"{len(names)} hidden {'column' if len(names) == 1 else 'columns'} of sheet "
                f"{self.title!r} read as data: {', '.join(names)}"
            )
        return tuple(out)

    def located(self, errors: AuditErrors) -> AuditErrors:
        """``errors`` with each problem about one cell naming it (``Cases!F16``): an answer, by
        its question's column; a value with no header, by its column."""
        column = {header_name(h).casefold(): k for k, h in enumerate(self.table.header, start=1)}
        out: list[AuditError] = []
        for e in errors.errors:
            k = column.get(header_name(e.question_id).casefold()) if e.question_id else e.column
            if type(e) is JudgmentError and e.line is not None and k is not None:
                e = JudgmentError(
                    f"cell {self.cell(e.line, k)}: {e.message}",
                    source=e.source,
                    line=e.line,
                    case_id=e.case_id,
                    question_id=e.question_id,
                )
            out.append(e)
        return AuditErrors(out)


def _shell(name: str) -> str:
    """A sheet name as a shell command line gives it."""
    return shlex.quote(name)


def _quoted(title: str) -> str:
    """A sheet name as a formula writes it: quoted when it is not one plain word."""
    plain = title.replace("_", "").replace(".", "").isalnum()
    return title if plain else "'" + title.replace("'", "''") + "'"


def _row_list(rows: Sequence[int], limit: int = 8) -> str:
    shown = ", ".join(map(str, rows[:limit]))
    more = f" and {len(rows) - limit:,} more" if len(rows) > limit else ""
    return f"{'row' if len(rows) == 1 else 'rows'} {shown}{more}"


def _unreadable(source: str, exc: BaseException) -> AuditErrors:
    reason = str(exc) or type(exc).__name__
    if isinstance(exc, zipfile.BadZipFile):
        reason = "not an Excel workbook (.xlsx files are zip archives; is it a renamed CSV?)"
    elif isinstance(exc, OSError) and exc.strerror:
        reason = exc.strerror
    return AuditErrors([JudgmentError(f"cannot read workbook: {reason}", source=source)])


def _choose(workbook: Any, source: str, sheet: str | None) -> Any:
    """The sheet to read: the one named, else the first visible one (a template's Cases sheet
    when its Ratings sheet is in front)."""
    if sheet is not None:
        if sheet in workbook.sheetnames:
            return workbook[sheet]
        names = ", ".join(workbook.sheetnames)
        raise AuditErrors([JudgmentError(f"no sheet {sheet!r} (sheets: {names})", source=source)])
    visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise AuditErrors([JudgmentError("no visible sheet: name one with sheet=", source=source)])
    if visible[0].title == _RATINGS and _CASES in workbook.sheetnames:
        return workbook[_CASES]
    return visible[0]


def _present(worksheet: Any) -> Iterator[tuple[int, dict[int, str]]]:
    """Each sheet row holding a non-blank cell, as its number and its cells by column: the
    cells present only, whatever the stored dimension says (some tools write A1, a formatted
    sheet A1:XFD1048576)."""
    worksheet.reset_dimensions()
    number = 0
    for row in worksheet.iter_rows(values_only=True):
        number += 1
        if not row:
            continue  # a row the sheet does not hold (the reader yields one for each)
        cells = {k: t for k, v in enumerate(row, start=1) if v is not None and (t := _text(v))}
        if cells:
            yield number, cells


def read_sheet(path: str | os.PathLike[str], *, sheet: str | None = None) -> Sheet:
    """The first visible sheet of a workbook (or the one ``sheet`` names) as a
    :class:`Sheet`: its table (the header is the first row with a ``case_id`` cell among the
    first 20; each row keeps its sheet row number; columns past the last cell with a value are
    padding and dropped) and its hidden rows and columns.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed.
        AuditErrors: the workbook cannot be read (a missing file, a file that is not a
            workbook, a damaged one), has no visible sheet, no sheet named ``sheet``, no
            ``case_id`` cell in its first 20 rows, merged cells in the table, or formulas in the
            table with no saved value; every cell is named as ``Sheet!F16``.
    """
    openpyxl = openpyxl_module()
    source = os.fspath(path)
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file: all mean this
        raise _unreadable(source, exc) from None
    try:
        worksheet = _choose(workbook, source, sheet)
        try:
            # Read-only workbooks parse the sheet's XML lazily, so damage can surface here.
            rows = dict(_present(worksheet))
            marks = _sheet_marks(source, worksheet)
            elsewhere = [] if sheet is not None or _header_row(rows) else _with_case_id(workbook)
        except Exception as exc:
            raise _unreadable(source, exc) from None
    finally:
        workbook.close()
    return _sheet_of(f"{source}[{worksheet.title}]", worksheet.title, rows, marks, elsewhere)


def _header_row(rows: dict[int, dict[int, str]]) -> int | None:
    """The sheet row of the header: the first with a ``case_id`` cell among the first
    :data:`HEADER_SEARCH`; None when there is none."""
    return next(
        (r for r, cells in rows.items() if r <= HEADER_SEARCH and _has_case_id(cells)), None
    )


def _with_case_id(workbook: Any) -> list[str]:
    """The sheets, hidden ones included, with a ``case_id`` cell in their first rows: where
    the table is when the sheet read first has none."""
    found = []
    for worksheet in workbook.worksheets:
        rows = worksheet.iter_rows(max_row=HEADER_SEARCH, values_only=True)
        if any(_has_case_id({k: _text(v) for k, v in enumerate(r) if v is not None}) for r in rows):
            found.append(worksheet.title)
    return found


def _sheet_of(
    where: str,
    title: str,
    rows: dict[int, dict[int, str]],
    marks: _Marks,
    elsewhere: Sequence[str] = (),
) -> Sheet:
    """The :class:`Sheet` of the rows present, or every problem that stops it being read;
    ``elsewhere``: the other sheets with a ``case_id`` column, named in a hint when this one
    has none."""
    header_at = _header_row(rows)
    if header_at is None:
        unsaved = [(r, c) for r, c in marks.unsaved if r <= HEADER_SEARCH]
        hints = [
            Hint(
                f"sheet {name!r} has a case_id column: read it with --sheet {_shell(name)} "
                f"(in Python, sheet={name!r})",
                source=where,
            )
            for name in elsewhere[:3]
        ]
        raise AuditErrors(
            [
                *hints,
                JudgmentError(
                    f"missing header: no 'case_id' column in the first {HEADER_SEARCH} rows",
                    source=where,
                ),
                *_unsaved_problems(where, title, unsaved, {}, max(_widths(rows), default=0)),
            ]
        )
    body = sorted(r for r in rows if r >= header_at)
    width = max(max(rows[r]) for r in body)
    # A merged range shows its value in its first cell only; the others would read as blank
    # (no answer, or 'not relevant' under missing='not-relevant'). Refused inside the table.
    problems: list[AuditError] = [
        JudgmentError(
            f"cells {_quoted(title)}!{ref} are merged: a merged cell holds one value for all its "
            "cells (unmerge them and give each cell its own answer)",
            source=where,
            line=first_row,
        )
        for ref, first_row, last_row, first_col in marks.merged
        if last_row >= header_at and first_col <= width
    ]
    merged = len(problems)
    table_rows = {r: cells for r, cells in rows.items() if r >= header_at}
    problems += _unsaved_problems(where, title, marks.unsaved, table_rows, width)
    if problems:
        raise AuditErrors(capped(_summarised(problems, merged, where), where))

    def padded(r: int) -> list[str]:
        cells = rows[r]
        return [cells.get(k, "") for k in range(1, width + 1)]

    # Empty rows are left out, as empty lines of a CSV file are skipped.
    data = body[1:]
    table = Table(where, tuple(padded(header_at)), [padded(r) for r in data], data, header_at)
    return Sheet(
        table,
        title,
        tuple(r for r in data if r in marks.hidden_rows),
        tuple(c for c in sorted(marks.hidden_columns) if c <= width),
    )


def _has_case_id(cells: dict[int, str]) -> bool:
    return any(header_name(c) == "case_id" for c in cells.values())


def _widths(rows: dict[int, dict[int, str]]) -> Iterator[int]:
    return (max(cells) for cells in rows.values())


def read_excel_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> Table:
    """The first visible sheet of a workbook (or the one ``sheet`` names) as a table: the
    header is the first row with a ``case_id`` cell among the first 20, and each row keeps its
    sheet row number. Trailing empty columns are spreadsheet padding and are dropped.

    Returns:
        The sheet as a :class:`~probation_audit._tables.Table` whose source is ``path[sheet title]``
        and whose lines are the sheet's row numbers.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
        AuditErrors: the workbook cannot be read (a missing file included: no :class:`OSError`
            escapes; a file that is not a workbook; a damaged one), has no visible sheet, has no
            sheet named ``sheet``, has no ``case_id`` cell in its first 20 rows, or has merged cells
            or formulas with no saved value in the table.
    """
    return read_sheet(path, sheet=sheet).table


def _sheet_marks(source: str, worksheet: Any) -> _Marks:
    """The sheet's :class:`_Marks`, read from its XML part (streamed, not loaded whole)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    part = getattr(worksheet, "_worksheet_path", None)
    if part is None:  # pragma: no cover - every openpyxl 3.1 read-only sheet has it
        return _Marks((), (), frozenset(), frozenset())
    merged: list[tuple[str, int, int, int]] = []
    unsaved: list[tuple[int, int]] = []
    rows: set[int] = set()
    columns: set[int] = set()
    with zipfile.ZipFile(source) as archive, archive.open(part) as fp:
        for _, element in iterparse(fp, events=("end",)):
            tag = element.tag.rpartition("}")[2]
            if tag == "c":
                if _unsaved_formula(element):
                    unsaved.append(coordinate_to_tuple(element.get("r", "A1")))
            elif tag == "row":
                if _on(element.get("hidden")) and element.get("r", "").isdigit():
                    rows.add(int(element.get("r", "0")))
            elif tag == "col":
                if _on(element.get("hidden")):
                    low, high = int(element.get("min", "1")), int(element.get("max", "1"))
                    # A range as wide as the sheet hides the unused columns: keep it bounded.
                    columns.update(range(low, min(high, low + 16_384) + 1))
            elif tag == "mergeCell":
                ref = element.get("ref", "")
                min_col, min_row, _, max_row = range_boundaries(ref)
                merged.append((ref, min_row, max_row, min_col))
            else:
                continue
            element.clear()
    return _Marks(tuple(merged), tuple(unsaved), frozenset(rows), frozenset(columns))


def _on(flag: str | None) -> bool:
    return flag in ("1", "true")


def _unsaved_formula(cell: Any) -> bool:
    """A ``<c>`` element with a formula and no saved value: no ``<v>``, or an empty one in a
    cell not typed as text (a formula whose value is the empty text is saved typed ``str``)."""
    children = {child.tag.rpartition("}")[2]: child for child in cell}
    if "f" not in children:
        return False
    value = children.get("v")
    return value is None or (not value.text and cell.get("t") not in ("str", "inlineStr"))


#: Why a formula has no saved value, and what to do: said once, beside the cells (in the
#: count of a flood of them, else as a hint).
UNSAVED_HINT = (
    "the workbook was written by a program that does not calculate, so its formulas would read "
    "as blank: open it in Excel or LibreOffice and save it"
)
_UNSAVED = "holds a formula with no saved value"


def _unsaved_problems(
    where: str,
    title: str,
    unsaved: Sequence[tuple[int, int]],
    table: dict[int, dict[int, str]],
    width: int,
) -> list[AuditError]:
    """One error per cell holding a formula with no saved value, each named as a spreadsheet
    user does with its column's header and its row's case (``case 'C2': cell Cases!J5
    (column 'P2.2.3') ...``), and the fix said once. ``table``: the rows from the header down
    (the header's row first), empty when there is no header (then the cells of the first
    rows are named alone)."""
    header_at = min(table, default=0)
    names = table.get(header_at, {})
    case_column = next((k for k, n in names.items() if header_name(n) == "case_id"), None)
    out: list[AuditError] = []
    for row, column in sorted(unsaved):
        if row < header_at or column > width or (not table and row > HEADER_SEARCH):
            continue
        header = names.get(column, "").strip() if row > header_at else ""
        case_id = table.get(row, {}).get(case_column or 0, "").strip() or None
        out.append(
            JudgmentError(
                f"cell {_quoted(title)}!{_letter(column)}{row}"
                + (f" (column {header!r})" if header else "")
                + f" {_UNSAVED}",
                source=where,
                line=row,
                case_id=case_id if row > header_at else None,
            )
        )
    if out:
        out.append(Hint(UNSAVED_HINT, source=where))
    return out


def _summarised(problems: list[AuditError], merged: int, where: str) -> list[AuditError]:
    """``problems`` (``merged`` merged ranges first, then formulas with no saved value and
    their hint) opened, when they are a flood, by a line counting each kind."""
    formulas = sum(1 for e in problems if e.message.endswith(_UNSAVED))
    if merged + formulas <= SUMMARY_FROM:
        return problems
    counts = [
        ProblemCount(
            "formula",
            formulas,
            "cell holds a formula with no saved value",
            "cells hold formulas with no saved value",
            UNSAVED_HINT,
        ),
        ProblemCount("merged", merged, "merged range", "merged ranges"),
    ]
    kept = sorted((c for c in counts if c.count), key=lambda c: -c.count)
    return [ProblemSummary(kept, source=where), *problems]


def read_excel(
    path: str | os.PathLike[str],
    rubric: Rubric,
    *,
    sheet: str | None = None,
    layout: Layout = "auto",
    missing: Missing = "error",
) -> Sample:
    """Case judgments from an .xlsx or .xlsm workbook (first sheet unless ``sheet`` names
    one), long or wide layout; errors name the sheet, its row numbers and, for an answer, its
    cell (``Cases!F16``). Hidden and filtered-out rows and columns are read, and counted in the
    sample's notes.

    Returns:
        The :class:`~probation_audit.judgments.Sample` of the sheet's cases, checked against
        ``rubric``.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
        AuditErrors: the workbook or sheet cannot be read (see :func:`read_excel_table`) or the data
            has problems; every problem is listed with the sheet and its row.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``, or ``layout`` is not
            ``'auto'``, ``'long'`` or ``'wide'`` (checked before anything is read).
    """
    check_read_options(missing, layout)
    found = read_sheet(path, sheet=sheet)
    try:
        sample = table_sample(found.table, rubric, layout=layout, missing=missing)
    except AuditErrors as errors:
        raise found.located(errors) from None
    notes = found.notes()
    return attrs.evolve(sample, notes=(*sample.notes, *notes)) if notes else sample


@attrs.frozen
class TemplateFacts:
    """What a workbook made by ``template`` says about itself: the rubric id, file and rules'
    fingerprint on its About sheet (templates made before 2026-12 give the id alone) and the
    judged standards' ratings chosen on its Ratings sheet."""

    rubric: str
    ratings: tuple[tuple[str, str], ...] = ()
    rubric_file: str | None = None
    rules: str | None = None


def template_facts(path: str | os.PathLike[str]) -> TemplateFacts | None:
    """The :class:`TemplateFacts` of a template workbook; None for any other workbook (no
    About sheet naming a rubric) or a file that cannot be read as one (the reader says why).

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed.
    """
    openpyxl = openpyxl_module()
    try:
        workbook = openpyxl.load_workbook(os.fspath(path), read_only=True, data_only=True)
    except Exception:  # the judgments' reader reports an unreadable file
        return None
    try:
        if _ABOUT not in workbook.sheetnames:
            return None
        about = {
            _text(r[0]).strip(): _text(r[1]).strip()
            for r in workbook[_ABOUT].iter_rows(max_col=2, values_only=True)
            if len(r) == 2
        }
        if not about.get("rubric"):
            return None
        chosen: list[tuple[str, str]] = []
        if _RATINGS in workbook.sheetnames:
            for r in workbook[_RATINGS].iter_rows(max_col=5, values_only=True):
                cells = [_text(v).strip() for v in (*r, *[None] * 5)[:5]]
                if cells[4] in _JUDGED_MARKS and cells[2]:
                    chosen.append((cells[0], cells[2]))
        rules = about.get("rules", "").split(" ", 1)[0] or None
        return TemplateFacts(about["rubric"], tuple(chosen), about.get("rubric file"), rules)
    except Exception:
        return None
    finally:
        workbook.close()
