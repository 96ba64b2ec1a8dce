"""``probation-audit report``: an audit written up as Markdown, HTML, a chart and a workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from .. import reports
from .._outputs import write_all
from ..charts import chart_format, render_chart
from ..excel import excel_bytes
from ..reports import ReportDetails
from ._common import (
    MAX_CASES,
    UsageError,
    add_input_options,
    add_rating_option,
    add_rubric_option,
    add_statistics_options,
    check_outputs,
    command_rubric,
    read_sample,
    whole,
)
from ._output import command_analysis

HELP = "write a report of an audit: Markdown, HTML, chart, workbook"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("cases", type=Path, help="case judgments: CSV, .xlsx or .xlsm, long or wide")
    add_rubric_option(p, from_template=True)
    add_rating_option(p)
    p.add_argument(
        "--casework-only",
        action="store_true",
        help="rate the case-based standards alone: no judged standard, no overall rating",
    )
    add_input_options(p)
    p.add_argument("--title", help="report title (also the chart's)")
    p.add_argument("--period", help="the period the audit covers, e.g. '2026 Q1'")
    p.add_argument("--auditor", help="who carried out the audit")
    p.add_argument("--date", help="the date of the report, as it should be printed")
    p.add_argument("--markdown", type=Path, metavar="FILE", help="write the Markdown report here")
    p.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report here")
    p.add_argument(
        "--chart", type=Path, metavar="FILE", help="write a chart (.png or .svg; needs matplotlib)"
    )
    p.add_argument(
        "--xlsx", type=Path, metavar="FILE", help="write a results workbook (needs openpyxl)"
    )
    p.add_argument(
        "--intervals", action="store_true", help="include 95%% intervals and uncertainty flags"
    )
    p.add_argument(
        "--probabilities",
        action="store_true",
        help="how sure each case-based rating is, in words, beside it",
    )
    p.add_argument(
        "--by",
        metavar="ATTRIBUTE",
        help="add a section rating each group of a case attribute (e.g. sentence_type)",
    )
    p.add_argument(
        "--feedback",
        action="store_true",
        help="add feedback on each case (and by --feedback-by); a Feedback sheet in --xlsx",
    )
    p.add_argument(
        "--feedback-by",
        metavar="ATTRIBUTE",
        help="with --feedback, each group's counts by a case attribute (e.g. practitioner)",
    )
    p.add_argument(
        "--min-cases",
        type=whole(1, MAX_CASES),
        default=5,
        help="with --feedback-by, groups with fewer cases are listed but not compared (default 5)",
    )
    add_statistics_options(p)


def run(args: argparse.Namespace, out: TextIO) -> int:
    targets = check_outputs(
        args,
        [
            ("markdown", args.markdown),
            ("html", args.html),
            ("chart", args.chart),
            ("xlsx", args.xlsx),
        ],
    )
    rubric, ratings = command_rubric(args, args.cases)
    if args.casework_only and ratings:
        raise UsageError("--casework-only rates no judged standard: leave out --rating")
    sample = read_sample(args, args.cases, rubric)
    analysis = command_analysis(
        args,
        rubric,
        sample,
        ratings,
        by=args.by,
        feedback=bool(args.feedback),
        feedback_by=args.feedback_by,
    )
    result = analysis.result
    details = ReportDetails(
        title=args.title,
        period=args.period,
        auditor=args.auditor,
        date=args.date,
        source=str(args.cases),
        workbook=args.xlsx.name if args.xlsx else None,
    )
    if not targets:
        out.write(reports.render_markdown(analysis, details=details))
        return 0
    # Everything is rendered in memory first; then all files are written, or none.
    files: list[tuple[Path, bytes]] = []
    for kind, path in targets:
        if kind == "markdown":
            files.append((path, reports.render_markdown(analysis, details=details).encode("utf-8")))
        elif kind == "html":
            files.append((path, reports.render_html(analysis, details=details).encode("utf-8")))
        elif kind == "chart":
            content, _ = render_chart(
                result,
                rubric,
                chart_format(path),
                title=details.chart_title(rubric.id),
                intervals={q: (i.low, i.high) for q, i in analysis.intervals},
            )
            files.append((path, content))
        else:
            workbook = excel_bytes(analysis)
            files.append((path, workbook))
    write_all(files)
    for _, path in targets:
        out.write(f"wrote {path}\n")
    return 0
