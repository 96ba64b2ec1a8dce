"""Blank audit templates from a rubric: a workbook (answer drop-downs, the wording as notes,
a questions sheet and an about sheet) or a CSV file, optionally filled with the cases to audit.

A filled template scores with no further options: its first visible sheet is the cases, one
row per case, one column per key question and prompt.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from typing import Any

from ._cells import append_row, csv_text
from ._identity import rubric_file, rules_fingerprint
from ._outputs import write_atomic
from ._ratings_sheet import SPARE_ROWS, add_ratings_sheet
from ._version import __version__
from ._xlsx import openpyxl_module
from .errors import AuditError, AuditErrors
from .rubric import Rubric

__all__ = ["template_columns", "template_csv", "template_workbook", "write_template"]

#: Blank answer rows given drop-downs when no cases are listed.
BLANK_ROWS = 200
ANSWERS = ("Yes", "No", "N/A")


def template_columns(rubric: Rubric, attributes: Sequence[str] = ()) -> list[str]:
    """``case_id``, the attribute columns, then every key question followed by its prompts.

    Returns:
        The column names, in order.

    Raises:
        ValueError: an attribute is named ``case_id`` or like one of the rubric's key questions or
            prompts.
    """
    clash = [
        a for a in attributes if a == "case_id" or a in rubric.question_ids + rubric.prompt_ids
    ]
    if clash:
        raise ValueError(f"attribute names clash with the template's columns: {', '.join(clash)}")
    columns = ["case_id", *attributes]
    for q in rubric.questions:
        columns.append(q.id)
        columns.extend(p.id for p in q.prompts)
    return columns


def _rows(cases: Sequence[Mapping[str, str]] | None, attributes: Sequence[str]) -> list[list[str]]:
    if not cases:
        return []
    return [[case.get("case_id", ""), *(case.get(a, "") for a in attributes)] for case in cases]


def template_csv(
    rubric: Rubric,
    cases: Sequence[Mapping[str, str]] | None = None,
    attributes: Sequence[str] = (),
) -> str:
    """The CSV template: a header and, when given, one row per case with its attributes.

    Returns:
        The text of the CSV file, one line per row.

    Raises:
        ValueError: an attribute is named ``case_id`` or like one of the rubric's key questions or
            prompts.
    """
    columns = template_columns(rubric, attributes)
    blank = [""] * len(columns)
    return csv_text([columns, *(row + blank[len(row) :] for row in _rows(cases, attributes))])


def template_workbook(
    rubric: Rubric,
    cases: Sequence[Mapping[str, str]] | None = None,
    attributes: Sequence[str] = (),
    reserves: Sequence[Mapping[str, str]] = (),
) -> bytes:
    """The workbook template as the bytes of an .xlsx file (needs the ``excel`` extra).

    Sheets: Ratings (the rubric's rules as formulas), Cases (one row per case; blank rows to
    fill when no cases are given, the attribute columns blank too), Reserves (``reserves``, in
    draw order: substitutes to copy into the Cases sheet's rows below the chosen cases, which
    the drop-downs and the Ratings sheet's formulas reach), Questions and About. Key questions'
    headers are bold and shaded, prompts' plain (a prompt may be left blank). Cases prints
    landscape, fitted to the page's width, with the header row and the case ids on each page;
    Ratings likewise, with its title row on each page.

    Returns:
        The bytes of an .xlsx file.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
        ValueError: an attribute is named ``case_id`` or like one of the rubric's key questions or
            prompts.
    """
    openpyxl = openpyxl_module()
    columns = template_columns(rubric, attributes)
    workbook = openpyxl.Workbook()
    rows = _rows(cases, attributes)
    # Answer drop-downs and the Ratings sheet's formulas reach spare rows for reserve cases.
    last_row = 1 + (len(rows) if rows else BLANK_ROWS) + max(SPARE_ROWS, len(reserves))
    _cases_sheet(workbook.active, rubric, columns, rows, len(attributes), last_row)
    if reserves:
        _reserves_sheet(workbook, columns[: 1 + len(attributes)], _rows(reserves, attributes))
    _questions_sheet(workbook.create_sheet("Questions"), rubric)
    add_ratings_sheet(workbook, rubric, columns, last_row)
    _about_sheet(workbook.create_sheet("About"), rubric, len(rows) + 2, last_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cases_sheet(
    sheet: Any,
    rubric: Rubric,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    attributes: int,
    last_row: int,
) -> None:
    """The Cases sheet: header with the wording as notes, answer drop-downs to ``last_row``,
    key questions set apart from prompts, print setup."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    text = {q.id: q.text for q in rubric.questions}
    text.update({p.id: p.text for q in rubric.questions for p in q.prompts})
    key = set(rubric.question_ids)
    sheet.title = "Cases"
    append_row(sheet, columns)
    for row in rows:
        append_row(sheet, row)
    first_answer = 2 + attributes
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(ANSWERS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Answer",
        error="Choose Yes, No or N/A",
    )
    sheet.add_data_validation(validation)
    validation.add(
        f"{get_column_letter(first_answer)}2:{get_column_letter(len(columns))}{last_row}"
    )
    shade = PatternFill("solid", fgColor="DDEBF7")
    for k, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=k)
        cell.font = Font(
            bold=k < first_answer or name in key, italic=name in text and name not in key
        )
        if name in key:
            cell.fill = shade
        if name in text:
            kind = "key question" if name in key else "prompt (may be left blank)"
            cell.comment = Comment(f"{name} ({kind}): {text[name]}", "probation-audit")
        width = 14 if k >= first_answer else max(12, len(name) + 4)
        sheet.column_dimensions[get_column_letter(k)].width = width
    sheet.freeze_panes = "B2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = "A:A"


def _reserves_sheet(workbook: Any, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """The reserve cases in draw order, to copy into the Cases sheet when a chosen case
    cannot be audited."""
    from openpyxl.styles import Font

    sheet = workbook.create_sheet("Reserves")
    append_row(sheet, ["order", *columns])
    for order, row in enumerate(rows, start=1):
        append_row(sheet, [order, *row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 16
    sheet.freeze_panes = "A2"


def _questions_sheet(sheet: Any, rubric: Rubric) -> None:
    """Every standard, key question and prompt with its wording."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    append_row(sheet, ["standard", "id", "kind", "wording"])
    for s in rubric.standards:
        append_row(sheet, [s.id, s.id, "standard", f"{s.title}: {s.statement}"])
        for q in s.questions:
            append_row(sheet, [s.id, q.id, "key question", q.text])
            for pr in q.prompts:
                append_row(sheet, [s.id, pr.id, "prompt", pr.text])
    for k, width in enumerate((10, 12, 14, 100), start=1):
        sheet.column_dimensions[get_column_letter(k)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def _about_sheet(sheet: Any, rubric: Rubric, first_spare: int, last_row: int) -> None:
    """What the workbook is, and how to score it; its first row names the rubric (``score``
    reads it when no rubric is given)."""
    for line in (
        ["rubric", rubric.id],
        ["rubric file", rubric_file(rubric) or "not read from a file"],
        ["rules", f"{rules_fingerprint(rubric)} (a fingerprint of the rubric's rules)"],
        ["title", rubric.title],
        ["made by", f"probation-audit {__version__}"],
        ["answers", "Yes, No or N/A in every key-question cell; prompts may be left blank"],
        [
            "reserve cases",
            f"a substitute goes in the first empty row of Cases (rows {first_spare} to "
            f"{last_row} have drop-downs and are counted on the Ratings sheet)",
        ],
        [
            "to score",
            "probation-audit score THIS-FILE.xlsx (the rubric is read from this sheet; the "
            "judged standards' ratings from the Ratings sheet, or --rating ID=LABEL; "
            "or --casework-only)",
        ],
    ):
        append_row(sheet, line)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 110


def write_template(
    rubric: Rubric,
    path: str | os.PathLike[str],
    cases: Sequence[Mapping[str, str]] | None = None,
    attributes: Sequence[str] = (),
    reserves: Sequence[Mapping[str, str]] = (),
) -> None:
    """Write the template to ``path``: a workbook for .xlsx, CSV for .csv; all or nothing.
    ``reserves`` go on the workbook's Reserves sheet (a CSV template has none).

    Raises:
        AuditErrors: ``path`` ends in neither .xlsx nor .csv, or cannot be written (nothing new is
            left behind then).
        ValueError: an attribute is named ``case_id`` or like one of the rubric's key questions or
            prompts.
        ImportError: ``path`` ends in .xlsx and openpyxl is not installed.
    """
    target = os.fspath(path)
    lower = target.lower()
    content: Any
    if lower.endswith(".xlsx"):
        content = template_workbook(rubric, cases, attributes, reserves)
    elif lower.endswith(".csv"):
        content = template_csv(rubric, cases, attributes).encode("utf-8")
    else:
        raise AuditErrors([AuditError("a template is written as .xlsx or .csv", source=target)])
    write_atomic(target, content)
