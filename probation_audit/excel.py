"""Excel workbooks (optional extra ``excel``: openpyxl, imported only when used).

Results are written from one :class:`~probation_audit.analysis.Analysis`: a workbook with a
ratings sheet, a key-questions sheet (intervals when computed), and, when the analysis has
them, the ratings by group of a case attribute (Breakdown), feedback on each case (Feedback)
and the feedback groups' counts (Groups). Reading is the workbook decoder's
(:mod:`~probation_audit._xlsx`); :func:`read_excel` and :func:`read_excel_table` are re-exported
here, as are the blank audit templates (:func:`write_template`, :func:`template_workbook`,
:func:`template_csv`), whose workbook carries the Ratings sheet that rates itself.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import Any

from ._about import About
from ._cells import append_row
from ._certainty import certainty
from ._feedback import CaseFeedback, GroupFeedback, feedback_table
from ._outputs import write_atomic
from ._probabilities import RatingProbabilities
from ._templates import template_columns, template_csv, template_workbook, write_template
from ._version import __version__
from ._xlsx import openpyxl_module, read_excel, read_excel_table
from .analysis import Analysis
from .results import Result
from .rubric import Rubric
from .statistics import GroupResult

__all__ = [
    "excel_bytes",
    "feedback_workbook",
    "read_excel",
    "read_excel_table",
    "template_columns",
    "template_csv",
    "template_workbook",
    "write_excel",
    "write_template",
]


def write_excel(analysis: Analysis | Result, path: str | os.PathLike[str]) -> None:
    """The results workbook of :func:`excel_bytes`, written all or nothing.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
        ValueError: from :func:`~probation_audit._certainty.certainty`, when a distribution of
            the analysis's rating probabilities is empty or its largest probability lies
            outside 0 to 1.
        AuditErrors: ``path`` cannot be written (a folder, a folder that does not exist, a read-only
            file or folder), or writing it fails; nothing new is left behind then.
    """
    write_atomic(path, excel_bytes(analysis))


def _proportion(percent: Any) -> float | None:
    return None if percent is None else float(percent) / 100


def _ratings_rows(
    result: Result, found: RatingProbabilities | None
) -> tuple[list[str], list[list[Any]]]:
    probabilities = None if found is None else {sid: dict(p) for sid, p in found.ratings}
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


def _question_rows(analysis: Analysis) -> tuple[list[str], list[list[Any]]]:
    result = analysis.result
    intervals = {q: (i.low, i.high) for q, i in analysis.intervals}
    header = ["standard", "question", "kind", "text", "yes", "relevant", "% yes"]
    if intervals:
        header += ["95% low", "95% high"]
    header.append("driving")
    rows: list[list[Any]] = []
    for s in result.standards:
        for q in s.questions:
            ends: list[Any] = []
            if intervals:
                ends = list(intervals.get(q.id, (None, None)))
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


def feedback_workbook(
    feedback: Sequence[CaseFeedback],
    groups: Sequence[GroupFeedback] = (),
    *,
    rubric: Rubric | None = None,
    notes: Sequence[str] = (),
) -> bytes:
    """A feedback workbook as the bytes of a file: "Feedback" (one row per case and item
    answered No) and, given ``groups``, "Groups" (each group's 'yes' of relevant per key
    question; groups under the minimum listed without figures); given the ``rubric`` the
    feedback was drawn by and the ``notes`` of the sample it was drawn from
    (:attr:`Sample.notes <probation_audit.judgments.Sample.notes>`), "Notes" when there is
    a note and "Rubric" last, as the results workbook has them.

    Returns:
        The bytes of an .xlsx file.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
    """
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [("Feedback", *feedback_table(feedback))]
    if groups:
        sheets.append(("Groups", *_groups_rows(groups)))
    if rubric is not None:
        about = About.of_rubric(rubric, [(None, notes)])
        sheets += _about_sheets(about, rubric.rounding.method)
    else:
        sheets += _notes_sheets(notes)
    return _workbook(sheets)


#: A workbook's sheet: its name, header and rows.
_Sheet = tuple[str, list[str], list[list[Any]]]


def _notes_sheets(notes: Sequence[str]) -> list[_Sheet]:
    """ "Notes" (one row per note on the data) when there is a note."""
    return [("Notes", ["note"], [[note] for note in notes])] if notes else []


def _about_sheets(about: About, rounding: str) -> list[_Sheet]:
    """Where a workbook's figures come from: its notes (:func:`_notes_sheets`), and "Rubric"
    (the rubric's id, file, rules' fingerprint and rounding)."""
    rubric = [about.rubric, about.rubric_file, about.rubric_fingerprint, rounding]
    header = ["rubric", "file", "rules fingerprint", "rounding"]
    return [*_notes_sheets(about.notes), ("Rubric", header, [rubric])]


def _breakdown_rows(groups: Sequence[GroupResult]) -> tuple[list[str], list[list[Any]]]:
    """Each group of a case attribute rated on its own: one row per group and standard."""
    rows: list[list[Any]] = []
    for g in groups:
        for s in g.result.standards:
            if s.basis == "judged":
                continue
            rows.append(
                [
                    g.value,
                    g.cases,
                    s.id,
                    None if g.too_small else s.shown_rating,
                    None if g.too_small else _proportion(s.value),
                    " ".join(s.driven_by),
                    f"too few relevant cases to rate (under {g.min_relevant}): "
                    + ", ".join(g.small)
                    if g.too_small
                    else "",
                ]
            )
    attribute = groups[0].attribute if groups else "group"
    return [attribute, "cases", "standard", "rating", "score", "driven by", "note"], rows


def excel_bytes(analysis: Analysis | Result) -> bytes:
    """The results workbook of an analysis as the bytes of a file: sheets "Ratings" and "Key
    questions"; "Breakdown" (each group of a case attribute rated on its own) when the
    analysis has groups; "Feedback" (one row per case and item answered No) when it has
    feedback, "Groups" (each feedback group's 'yes' of relevant per key question) when it has
    feedback groups, "Notes" when the result has notes on the data, and "Rubric" (the rubric's
    id, the file it was loaded from and its rules' fingerprint) last. A
    :class:`~probation_audit.results.Result` alone is an analysis with no optional figure.

    The analysis's intervals add two columns to the key questions; its rating probabilities
    the most likely rating and how sure it is in words.

    Percentages are stored as proportions formatted as percentages with one decimal (Excel
    shows 15.7%, and sums and charts see the number); headers are bold and frozen; columns
    are wide enough to read.

    Returns:
        The bytes of an .xlsx file.

    Raises:
        ImportError: openpyxl (the ``excel`` extra) is not installed; the message says how to
            install it.
        ValueError: from :func:`~probation_audit._certainty.certainty`, when a distribution of
            the rating probabilities is empty or its largest probability lies outside 0 to 1.
    """
    if isinstance(analysis, Result):
        analysis = Analysis(analysis)
    sheets = [("Ratings", *_ratings_rows(analysis.result, analysis.probabilities))]
    sheets.append(("Key questions", *_question_rows(analysis)))
    if analysis.groups:
        sheets.append(("Breakdown", *_breakdown_rows(analysis.groups)))
    if analysis.feedback is not None:
        sheets.append(("Feedback", *feedback_table(analysis.feedback)))
    if analysis.feedback_groups:
        sheets.append(("Groups", *_groups_rows(analysis.feedback_groups)))
    # as every other output says them (blanks counted as not relevant, hidden rows read)
    sheets += _about_sheets(About.of_result(analysis.result), analysis.result.rounding)
    return _workbook(sheets)


def _workbook(sheets: Sequence[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """Sheets of a header and rows, formatted: bold frozen headers, widths, percentages."""
    openpyxl = openpyxl_module()
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
