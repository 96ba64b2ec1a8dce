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
from ._ratings_sheet import SPARE_ROWS, add_ratings_sheet
from ._version import __version__
from ._xlsx import openpyxl_module
from .errors import AuditError, AuditErrors
from .outputs import write_atomic
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
) -> bytes:
    """The workbook template as the bytes of an .xlsx file (needs the ``excel`` extra).

    Returns:
        The bytes of an .xlsx file.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
        ValueError: an attribute is named ``case_id`` or like one of the rubric's key questions or
            prompts.
    """
    openpyxl = openpyxl_module()
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = template_columns(rubric, attributes)
    text = {q.id: q.text for q in rubric.questions}
    text.update({p.id: p.text for q in rubric.questions for p in q.prompts})
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    append_row(sheet, columns)
    rows = _rows(cases, attributes)
    for row in rows:
        append_row(sheet, row)
    first_answer = 2 + len(attributes)
    # Answer drop-downs and the Ratings sheet's formulas reach spare rows for reserve cases.
    last_row = 1 + (len(rows) if rows else BLANK_ROWS) + SPARE_ROWS
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
    bold = Font(bold=True)
    for k, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=k)
        cell.font = bold
        cell.alignment = Alignment(text_rotation=0, wrap_text=False)
        if name in text:
            cell.comment = Comment(f"{name}: {text[name]}", "probation-audit")
        width = 14 if k > first_answer - 1 else max(12, len(name) + 4)
        sheet.column_dimensions[get_column_letter(k)].width = width
    sheet.freeze_panes = "B2"

    questions = workbook.create_sheet("Questions")
    append_row(questions, ["standard", "id", "kind", "wording"])
    for s in rubric.standards:
        append_row(questions, [s.id, s.id, "standard", f"{s.title}: {s.statement}"])
        for q in s.questions:
            append_row(questions, [s.id, q.id, "key question", q.text])
            for pr in q.prompts:
                append_row(questions, [s.id, pr.id, "prompt", pr.text])
    for k, width in enumerate((10, 12, 14, 100), start=1):
        questions.column_dimensions[get_column_letter(k)].width = width
    for cell in questions[1]:
        cell.font = bold

    add_ratings_sheet(workbook, rubric, columns, last_row)
    about = workbook.create_sheet("About")
    for line in (
        ["rubric", rubric.id],
        ["title", rubric.title],
        ["made by", f"probation-audit {__version__}"],
        ["answers", "Yes, No or N/A in every key-question cell; prompts may be left blank"],
        [
            "to score",
            f"probation-audit score THIS-FILE.xlsx --rubric {rubric.id} "
            "(add --rating ID=LABEL for judged standards, or --casework-only)",
        ],
    ):
        append_row(about, line)
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_template(
    rubric: Rubric,
    path: str | os.PathLike[str],
    cases: Sequence[Mapping[str, str]] | None = None,
    attributes: Sequence[str] = (),
) -> None:
    """Write the template to ``path``: a workbook for .xlsx, CSV for .csv; all or nothing.

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
        content = template_workbook(rubric, cases, attributes)
    elif lower.endswith(".csv"):
        content = template_csv(rubric, cases, attributes).encode("utf-8")
    else:
        raise AuditErrors([AuditError("a template is written as .xlsx or .csv", source=target)])
    write_atomic(target, content)
