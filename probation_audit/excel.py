"""Excel workbooks (optional extra ``excel``: openpyxl, imported only when used).

Case judgments are read from the first sheet or a named one, long or wide layout, with the
header row found among the first 20 rows; values are read, not formulas. The sheet becomes a
:class:`~probation_audit._tables.Table`, read with the checks and messages of CSV input, naming
the sheet and its row numbers. Results are written as a workbook with a
ratings sheet, a key-questions sheet and, when asked, a feedback sheet.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from ._cells import append_row
from ._certainty import certainty
from ._csvfiles import table_sample
from ._feedback import CaseFeedback, GroupFeedback, feedback_table
from ._outputs import write_atomic
from ._tables import Layout, Table, check_read_options, header_name
from ._version import __version__
from .errors import AuditError, AuditErrors, JudgmentError, capped
from .judgments import Missing, Sample
from .results import Result
from .rubric import Rubric

__all__ = ["excel_bytes", "feedback_workbook", "read_excel", "read_excel_table", "write_excel"]

_HEADER_SEARCH = 20


def _openpyxl() -> Any:
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


def read_excel_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> Table:
    """The first sheet of a workbook (or the one ``sheet`` names) as a table: the header is the
    first row with a ``case_id`` cell among the first 20, and each row keeps its sheet row
    number. Trailing empty columns are spreadsheet padding and are dropped.

    Returns:
        The sheet as a :class:`~probation_audit._tables.Table` whose source is ``path[sheet title]``
        and whose lines are the sheet's row numbers.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
        AuditErrors: the workbook cannot be read (a missing file included: no :class:`OSError`
            escapes; a file that is not a workbook; a damaged one), has no visible sheet, has no
            sheet named ``sheet``, has no ``case_id`` cell in its first 20 rows, or has merged cells
            in the table.
    """
    openpyxl = _openpyxl()
    source = os.fspath(path)

    def unreadable(exc: BaseException) -> AuditErrors:
        reason = str(exc) or type(exc).__name__
        if isinstance(exc, zipfile.BadZipFile):
            reason = "not an Excel workbook (.xlsx files are zip archives; is it a renamed CSV?)"
        elif isinstance(exc, OSError) and exc.strerror:
            reason = exc.strerror
        return AuditErrors([JudgmentError(f"cannot read workbook: {reason}", source=source)])

    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file: all mean this
        raise unreadable(exc) from None
    try:
        if sheet is None:
            visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
            if not visible:
                raise AuditErrors(
                    [JudgmentError("no visible sheet: name one with sheet=", source=source)]
                )
            worksheet = visible[0]
            if worksheet.title == "Ratings" and "Cases" in workbook.sheetnames:
                # A template's Ratings sheet is at the front; its cases are on Cases.
                worksheet = workbook["Cases"]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise AuditErrors(
                [
                    JudgmentError(
                        f"no sheet {sheet!r} (sheets: {', '.join(workbook.sheetnames)})",
                        source=source,
                    )
                ]
            )
        try:
            # Read-only workbooks parse the sheet's XML lazily, so damage can surface here.
            # The stored <dimension> can be wrong (some tools write A1): read every row and
            # column the sheet really has.
            worksheet.reset_dimensions()
            rows = [[_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
            marks = _sheet_marks(source, worksheet)
        except Exception as exc:
            raise unreadable(exc) from None
    finally:
        workbook.close()
    where = f"{source}[{worksheet.title}]"
    header_at = next(
        (i for i, row in enumerate(rows[:_HEADER_SEARCH]) if "case_id" in map(header_name, row)),
        None,
    )
    if header_at is None:
        # A header cell that is a formula with no saved value reads as blank: say so too.
        unsaved = [(r, c) for r, c in marks.unsaved if r <= _HEADER_SEARCH]
        raise AuditErrors(
            [
                JudgmentError(
                    f"missing header: no 'case_id' column in the first {_HEADER_SEARCH} rows",
                    source=where,
                ),
                *_unsaved_problems(where, unsaved, 0, max(map(len, rows), default=0)),
            ]
        )
    body = rows[header_at:]
    width = max(len(r) for r in body)
    # Trailing empty columns and rows are spreadsheet padding, not data.
    while width and all(len(r) < width or not r[width - 1].strip() for r in body):
        width -= 1
    cells = [(row + [""] * width)[:width] for row in body]
    # A merged range shows its value in its first cell only; the others would read as blank
    # (no answer, or 'not relevant' under missing='not-relevant'). Refused inside the table.
    problems: list[AuditError] = [
        JudgmentError(
            f"cells {ref} are merged: a merged cell holds one value for all its cells "
            "(unmerge them and give each cell its own answer)",
            source=where,
            line=first_row,
        )
        for ref, first_row, last_row, first_col in marks.merged
        if last_row > header_at and first_col <= width
    ]
    problems += _unsaved_problems(where, marks.unsaved, header_at, width)
    if problems:
        raise AuditErrors(capped(problems, where))
    # An empty row is read as an empty line of a CSV file: skipped.
    data = [row if any(c.strip() for c in row) else [] for row in cells[1:]]
    # Sheet rows count from 1; the header is row header_at + 1.
    return Table(
        where,
        tuple(cells[0]),
        data,
        range(header_at + 2, header_at + 2 + len(data)),
        header_line=header_at + 1,
    )


@attrs.frozen
class _SheetMarks:
    """What the streaming reader does not say about a sheet: its merged ranges as
    ``(ref, first row, last row, first column)`` and the cells holding a formula with no saved
    value as ``(row, column)``, 1-based."""

    merged: tuple[tuple[str, int, int, int], ...]
    unsaved: tuple[tuple[int, int], ...]


def _sheet_marks(source: str, worksheet: Any) -> _SheetMarks:
    """The sheet's :class:`_SheetMarks`, read from its XML part (streamed, not loaded whole):
    openpyxl's streaming reader reports neither merges nor formulas whose value was never
    saved (a workbook written by a script; it reads them as blank)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    part = getattr(worksheet, "_worksheet_path", None)
    if part is None:  # pragma: no cover - every openpyxl 3.1 read-only sheet has it
        return _SheetMarks((), ())
    merged, unsaved = [], []
    with zipfile.ZipFile(source) as archive, archive.open(part) as fp:
        for _, element in iterparse(fp, events=("end",)):
            tag = element.tag.rpartition("}")[2]
            if tag == "c":
                if _unsaved_formula(element):
                    unsaved.append(coordinate_to_tuple(element.get("r", "A1")))
                element.clear()
            elif tag == "mergeCell":
                ref = element.get("ref", "")
                min_col, min_row, _, max_row = range_boundaries(ref)
                merged.append((ref, min_row, max_row, min_col))
                element.clear()
            elif tag == "row":
                element.clear()
    return _SheetMarks(tuple(merged), tuple(unsaved))


def _unsaved_formula(cell: Any) -> bool:
    """A ``<c>`` element with a formula and no saved value: no ``<v>``, or an empty one in a
    cell not typed as text (a formula whose value is the empty text is saved typed ``str``)."""
    children = {child.tag.rpartition("}")[2]: child for child in cell}
    if "f" not in children:
        return False
    value = children.get("v")
    return value is None or (not value.text and cell.get("t") not in ("str", "inlineStr"))


def _unsaved_problems(
    where: str, unsaved: Sequence[tuple[int, int]], header_at: int, width: int
) -> list[AuditError]:
    """One error per sheet row of the table holding formulas with no saved value."""
    from openpyxl.utils.cell import get_column_letter

    by_row: dict[int, list[str]] = {}
    for row, column in sorted(unsaved):
        if row > header_at and column <= width:
            by_row.setdefault(row, []).append(f"{get_column_letter(column)}{row}")
    return [
        JudgmentError(
            f"{'cell' if len(refs) == 1 else 'cells'} {', '.join(refs)} "
            f"{'holds a formula' if len(refs) == 1 else 'hold formulas'} with no saved value "
            "(the workbook was written by a program that does not calculate, and would read as "
            "blank): open it in Excel or LibreOffice and save it",
            source=where,
            line=row,
        )
        for row, refs in by_row.items()
    ]


def read_excel(
    path: str | os.PathLike[str],
    rubric: Rubric,
    *,
    sheet: str | None = None,
    layout: Layout = "auto",
    missing: Missing = "error",
) -> Sample:
    """Case judgments from an .xlsx or .xlsm workbook (first sheet unless ``sheet`` names
    one), long or wide layout; errors name the sheet and its row numbers.

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
    table = read_excel_table(path, sheet=sheet)
    return table_sample(table, rubric, layout=layout, missing=missing)


def write_excel(result: Result, path: str | os.PathLike[str], **figures: Any) -> None:
    """The results workbook of :func:`excel_bytes`, written all or nothing.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
        TypeError: ``figures`` holds a keyword that :func:`excel_bytes` does not take.
        ValueError: from :func:`~probation_audit._certainty.certainty`, when a distribution in
            ``probabilities`` is empty or its largest probability lies outside 0 to 1.
        AuditErrors: ``path`` cannot be written (a folder, a folder that does not exist, a read-only
            file or folder), or writing it fails; nothing new is left behind then.
    """
    write_atomic(path, excel_bytes(result, **figures))


def _proportion(percent: Any) -> float | None:
    return None if percent is None else float(percent) / 100


def _ratings_rows(
    result: Result, probabilities: Mapping[str, Mapping[str, float]] | None
) -> tuple[list[str], list[list[Any]]]:
    header = ["standard", "title", "rating", "points", "score", "driven by", "boundary-sensitive"]
    if probabilities is not None:
        header += ["most likely rating", "how sure", "probability"]
    header.append("reason")

    def sure(sid: str) -> list[Any]:
        if probabilities is None:
            return []
        if sid not in probabilities:
            return [None, None, None]
        head = certainty(probabilities[sid])
        return [head.rating, f"{head.words} ({head.odds})", head.probability]

    rows: list[list[Any]] = []
    for s in result.standards:
        rows.append(
            [
                s.id,
                s.title,
                s.shown_rating,
                s.points,
                _proportion(s.value),
                " ".join(s.driven_by),
                s.boundary_sensitive if s.basis != "judged" else None,
                *(sure(s.id) if s.basis != "judged" else sure("")),
                s.reason,
            ]
        )
    if result.overall is not None:
        o = result.overall
        rows.append(["overall", "", o.rating, o.points, None, "", None, *sure("overall"), o.reason])
    blank = [None] * (3 if probabilities is not None else 0)
    for d in result.domains:
        rows.append(
            [
                f"section {d.id}",
                d.title,
                None,
                None,
                _proportion(d.value),
                "",
                None,
                *blank,
                d.reason,
            ]
        )
    for t in result.threads:
        rows.append(
            [
                f"thread {t.id}",
                t.title,
                None,
                None,
                _proportion(t.value),
                "",
                None,
                *blank,
                t.reason,
            ]
        )
    return header, rows


def _question_rows(
    result: Result, intervals: Mapping[str, tuple[float, float]] | None
) -> tuple[list[str], list[list[Any]]]:
    header = ["standard", "question", "kind", "text", "yes", "relevant", "% yes"]
    if intervals:
        header += ["95% low", "95% high"]
    header.append("driving")
    rows: list[list[Any]] = []
    for s in result.standards:
        for q in s.questions:
            ends: list[Any] = []
            if intervals:
                i = intervals.get(q.id)
                ends = [None, None] if i is None else list(i)
            rows.append(
                [
                    s.id,
                    q.id,
                    "key question",
                    q.text,
                    q.yes,
                    q.relevant,
                    _proportion(q.percent),
                    *ends,
                    q.id in s.driven_by,
                ]
            )
            for pr in q.prompts:
                if not pr.relevant:
                    continue  # no data (not in the file, or never relevant): as in the reports
                rows.append(
                    [
                        s.id,
                        pr.id,
                        "prompt",
                        pr.text,
                        pr.yes,
                        pr.relevant,
                        _proportion(pr.percent),
                        *([None, None] if intervals else []),
                        False,
                    ]
                )
    return header, rows


def _groups_rows(groups: Sequence[GroupFeedback]) -> tuple[list[str], list[list[Any]]]:
    rows: list[list[Any]] = []
    for g in groups:
        for qid, yes, relevant in g.questions:
            rows.append(
                [
                    g.value,
                    g.cases,
                    qid,
                    None if g.too_small else yes,
                    None if g.too_small else relevant,
                    None if g.too_small or not relevant else yes / relevant,
                    f"too few cases to compare (under {g.min_cases})" if g.too_small else "",
                ]
            )
    attribute = groups[0].attribute if groups else "group"
    return [attribute, "cases", "question", "yes", "relevant", "% yes", "note"], rows


def _sheet_name(text: str) -> str:
    """``text`` as a sheet's name Excel opens: none of []:*?/, a backslash or a control
    character, at most 31 characters, no apostrophe first or last."""
    name = "".join(" " if c in "[]:*?/\\" or ord(c) < 32 or c == "\x7f" else c for c in text)
    return name[:31].strip("'") or "Sheet"


def feedback_workbook(
    feedback: Sequence[CaseFeedback], groups: Sequence[GroupFeedback] = ()
) -> bytes:
    """A feedback workbook as the bytes of a file: "Feedback" (one row per case and item
    answered No) and, given ``groups``, "Groups" (each group's 'yes' of relevant per key
    question; groups under the minimum listed without figures).

    Returns:
        The bytes of an .xlsx file.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
    """
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [("Feedback", *feedback_table(feedback))]
    if groups:
        sheets.append(("Groups", *_groups_rows(groups)))
    return _workbook(sheets)


def excel_bytes(
    result: Result,
    *,
    intervals: Mapping[str, tuple[float, float]] | None = None,
    probabilities: Mapping[str, Mapping[str, float]] | None = None,
    feedback: Sequence[CaseFeedback] | None = None,
    feedback_groups: Sequence[GroupFeedback] = (),
    breakdown: tuple[str, Sequence[str], Sequence[Sequence[str | int]]] | None = None,
) -> bytes:
    """The results workbook as the bytes of a file: sheets "Ratings" and "Key questions",
    "Feedback" (one row per case and item answered No) given ``feedback``, "Groups" (each
    group's 'yes' of relevant per key question, as :func:`feedback_workbook` gives it) given
    ``feedback_groups``, "By <attribute>" given ``breakdown`` (the attribute, the header and
    the rows of the report's breakdown), and "Notes" when the result has notes on the data.

    ``intervals`` (question id -> (low, high) proportions) add two columns to the key
    questions; ``probabilities`` (standard id or "overall" -> rating -> probability, as
    ``RatingProbabilities.of`` gives) add the most likely rating and how sure it is in words.

    Percentages are stored as proportions formatted as percentages with one decimal (Excel
    shows 15.7%, and sums and charts see the number); headers are bold and frozen; columns
    are wide enough to read.

    Returns:
        The bytes of an .xlsx file.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
        ValueError: from :func:`~probation_audit._certainty.certainty`, when a distribution in
            ``probabilities`` is empty or its largest probability lies outside 0 to 1.
    """
    sheets = [("Ratings", *_ratings_rows(result, probabilities))]
    sheets.append(("Key questions", *_question_rows(result, intervals)))
    if feedback is not None:
        sheets.append(("Feedback", *feedback_table(feedback)))
    if feedback_groups:
        sheets.append(("Groups", *_groups_rows(feedback_groups)))
    if breakdown is not None:
        attribute, header, rows = breakdown
        sheets.append((_sheet_name(f"By {attribute}"), list(header), [list(row) for row in rows]))
    if result.notes:  # as every other output says them (blanks counted as not relevant...)
        sheets.append(("Notes", ["note"], [[note] for note in result.notes]))
    return _workbook(sheets)


def _workbook(sheets: Sequence[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """Sheets of a header and rows, formatted: bold frozen headers, widths, percentages."""
    openpyxl = _openpyxl()
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    widths = {"title": 36, "text": 80, "note": 100, "reason": 60, "how sure": 30, "rating": 24}
    percent_columns = {"score", "% yes", "95% low", "95% high", "probability"}
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = f"probation-audit {__version__}"
    bold = Font(bold=True)
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(name)
        append_row(sheet, header)
        for row in rows:
            append_row(sheet, row)
        for k, column in enumerate(header, start=1):
            letter = get_column_letter(k)
            sheet.column_dimensions[letter].width = widths.get(column, max(9, len(column) + 2))
            if column in percent_columns:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=k, max_col=k):
                    cell.number_format = "0.0%"
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
