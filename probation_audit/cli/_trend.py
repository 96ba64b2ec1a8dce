"""``probation-audit trend``: several audits of one unit, period by period."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

import attrs

from .. import reports
from .._outputs import write_all
from .._scoring import score
from .._trends import Trend, trend
from ..charts import chart_format, render_trend_chart
from ..loading import load_rubric
from ..rating import casework_only
from ..reports import ReportDetails
from ..results import Result
from ..rubric import Rubric
from ..statistics import chance_caution, significance_note
from ._common import (
    FORMATS,
    UsageError,
    add_confidence_option,
    add_input_options,
    add_rating_option,
    add_rubric_option,
    check_input_options,
    check_outputs,
    checked_ratings,
    read_sample,
)
from ._output import note_lines, with_overall_reason, write_json, write_records

HELP = "several audits of one unit in order: each key question and rating per period"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "audits", nargs="+", type=Path, help="the audits, oldest first: CSV, .xlsx or .xlsm"
    )
    add_rubric_option(p)
    add_rating_option(p)
    p.add_argument(
        "--casework-only",
        action="store_true",
        help="rate the case-based standards alone: no judged standard, no overall rating",
    )
    p.add_argument(
        "--label",
        action="append",
        default=[],
        help="a name for each period, in order, e.g. '2026 Q1' (default: the file names)",
    )
    add_input_options(p)
    add_confidence_option(p)
    p.add_argument("--method", choices=("wilson", "clopper-pearson"), default="wilson")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--title", help="title of the written report and the chart")
    p.add_argument("--markdown", type=Path, metavar="FILE", help="write a Markdown report here")
    p.add_argument("--html", type=Path, metavar="FILE", help="write an HTML report here")
    p.add_argument(
        "--chart",
        type=Path,
        metavar="FILE",
        help="write a chart here (.png or .svg; needs matplotlib): a line per key question",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    if len(args.audits) < 2:
        raise UsageError("trend needs at least two audits, oldest first")
    if args.label and len(args.label) != len(args.audits):
        raise UsageError(f"give one --label per audit ({len(args.audits)}), or none")
    targets = check_outputs(
        args, [("markdown", args.markdown), ("html", args.html), ("chart", args.chart)]
    )
    check_input_options(args, *args.audits)
    rubric = load_rubric(args.rubric)
    ratings = checked_ratings(args, rubric)
    labels = args.label or [path.stem for path in args.audits]
    if len(set(labels)) != len(labels):
        raise UsageError("the periods need different names: give --label for each audit")
    if args.casework_only and ratings:
        raise UsageError("--casework-only rates no judged standard: leave out --rating")
    results: list[Result] = [
        score(rubric, read_sample(args, path, rubric), ratings) for path in args.audits
    ]
    if args.casework_only:
        results = [casework_only(rubric, r) for r in results]
    found = trend(
        results,
        labels,
        confidence=args.confidence,
        method=args.method,
        sources=[str(path) for path in args.audits],  # each audit's notes named by its file
    )
    undetermined = any(r.overall is not None and r.overall.rating is None for r in results)
    found = attrs.evolve(
        found, notes=with_overall_reason(found.about, rubric, ratings, undetermined).notes
    )
    if targets:
        _write_outputs(args, targets, found, rubric, out)
        return 0
    if args.format == "json":
        write_json(found.to_dict(), out)
    elif args.format == "csv":
        # One tidy table, the trend frame's rows: a row per key question and period, then
        # per standard and period.
        write_records(out, found.to_records(), found.about)
    else:
        out.write(_text(found))
    return 0


def _write_outputs(
    args: argparse.Namespace,
    targets: list[tuple[str, Path]],
    found: Trend,
    rubric: Rubric,
    out: TextIO,
) -> None:
    details = ReportDetails(title=args.title, source=", ".join(str(p) for p in args.audits))
    files: list[tuple[Path, bytes]] = []
    for kind, path in targets:
        if kind == "markdown":
            files.append((path, reports.render_trend_markdown(found, details=details).encode()))
        elif kind == "html":
            files.append((path, reports.render_trend_html(found, details=details).encode()))
        else:
            series = [
                (
                    sid,
                    [
                        (
                            qid,
                            [
                                (
                                    p.proportion,
                                    None if p.interval is None else p.interval.low,
                                    None if p.interval is None else p.interval.high,
                                )
                                for p in found.question(qid)
                            ],
                        )
                        for qid in qids
                    ],
                )
                for sid, qids in found.standards
            ]
            content = render_trend_chart(
                found.periods,
                series,
                rubric,
                chart_format(path),
                title=args.title,
                confidence=found.confidence,
            )
            files.append((path, content))
    write_all(files)
    for _, path in targets:
        out.write(f"wrote {path}\n")


def _text(found: Trend) -> str:
    labels = found.periods
    width = max(12, *(len(label) + 2 for label in labels)) + 10
    lines = [
        f"trend over {len(labels)} audits, rubric {found.rubric_label} "
        f"({found.confidence:.0%} intervals in brackets)",
        f"  {'':<12}" + "".join(f"{label:<{width}}" for label in labels),
    ]
    for qid, points in found.questions:
        cells = []
        for p in points:
            if p.proportion is None or p.interval is None:
                cells.append(f"{'-':<{width}}")
                continue
            text = f"{100 * p.proportion:.0f}% ({100 * p.interval.low:.0f}-{100 * p.interval.high:.0f})"
            cells.append(f"{text:<{width}}")
        lines.append((f"  {qid:<12}" + "".join(cells)).rstrip())
    for sid, per in found.ratings:
        lines.append((f"  {sid:<12}" + "".join(f"{r:<{width}}" for r in per)).rstrip())
    lines.append(f"last change, {labels[-2]} to {labels[-1]}:")
    for c in found.last_change:
        lines.append(f"  {c.id:<12}{c.sentence()}" + (" *" if c.significant else ""))
    lines.append(f"  {significance_note(found.last_change)}")
    if found.chance_moves:
        lines.append(f"  {chance_caution(found.chance_moves)}")
    lines.extend(note_lines(found.about))
    return "\n".join(lines) + "\n"
