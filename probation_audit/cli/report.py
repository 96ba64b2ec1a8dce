"""``probation-audit report``: an audit written up as Markdown, HTML, a chart and a workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from .. import reports
from ..errors import AuditError, AuditErrors
from ..loading import load_rubric
from ..rating import score
from ._common import (
    UsageError,
    add_input_options,
    add_rating_option,
    add_rubric_option,
    add_statistics_options,
    parse_ratings,
    read_cases,
)
from ._output import gather_analytics

HELP = "write a report of an audit: Markdown, HTML, chart, workbook"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("cases", type=Path, help="case judgments: CSV, .xlsx or .xlsm, long or wide")
    add_rubric_option(p)
    add_rating_option(p)
    add_input_options(p)
    p.add_argument("--title", help="report title")
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
    p.add_argument("--probabilities", action="store_true", help="include rating probabilities")
    add_statistics_options(p)


def run(args: argparse.Namespace, out: TextIO) -> int:
    ratings = parse_ratings(args.rating)
    rubric = load_rubric(args.rubric)
    sample = read_cases(args, args.cases, rubric)
    result = score(rubric, sample, ratings)
    extra = gather_analytics(args, rubric, sample, result, ratings, by=None)
    options: dict[str, Any] = {
        "title": args.title,
        "source": str(args.cases),
        "intervals": extra.intervals or None,
        "uncertain": extra.uncertain or None,
        "probabilities": tuple(extra.probabilities),
    }
    wrote = []
    if args.markdown:
        args.markdown.write_text(reports.render_markdown(result, **options), encoding="utf-8")
        wrote.append(str(args.markdown))
    if args.html:
        args.html.write_text(reports.render_html(result, **options), encoding="utf-8")
        wrote.append(str(args.html))
    if args.chart:
        try:
            from ..charts import save_chart

            save_chart(result, rubric, args.chart)
        except ImportError as exc:
            raise AuditErrors([AuditError(str(exc))]) from None
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        wrote.append(str(args.chart))
    if args.xlsx:
        try:
            from ..excel import write_excel

            write_excel(result, args.xlsx)
        except ImportError as exc:
            raise AuditErrors([AuditError(str(exc))]) from None
        wrote.append(str(args.xlsx))
    if wrote:
        for name in wrote:
            out.write(f"wrote {name}\n")
    else:
        out.write(reports.render_markdown(result, **options))
    return 0
