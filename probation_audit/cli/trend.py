"""``probation-audit trend``: several audits of one unit, period by period."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from .. import statistics as st
from ..loading import load_rubric
from ..rating import score
from ..results import Result
from ._common import (
    FORMATS,
    UsageError,
    add_confidence_option,
    add_input_options,
    add_rating_option,
    add_rubric_option,
    check_input_options,
    checked_ratings,
    read_sample,
)
from ._output import csv_cell, csv_writer, decimal, write_json

HELP = "several audits of one unit in order: each key question and rating per period"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "audits", nargs="+", type=Path, help="the audits, oldest first: CSV, .xlsx or .xlsm"
    )
    add_rubric_option(p)
    add_rating_option(p)
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


def run(args: argparse.Namespace, out: TextIO) -> int:
    if len(args.audits) < 2:
        raise UsageError("trend needs at least two audits, oldest first")
    if args.label and len(args.label) != len(args.audits):
        raise UsageError(f"give one --label per audit ({len(args.audits)}), or none")
    check_input_options(args, *args.audits)
    rubric = load_rubric(args.rubric)
    ratings = checked_ratings(args, rubric)
    labels = args.label or [path.stem for path in args.audits]
    results: list[Result] = [
        score(rubric, read_sample(args, path, rubric), ratings) for path in args.audits
    ]
    changes, changed = st.compare(results[-2], results[-1], args.confidence)
    last = {c.id: c for c in changes}
    rows: list[dict[str, Any]] = []
    for q_index, question in enumerate(results[0].questions):
        for label, result in zip(labels, results, strict=True):
            q = result.questions[q_index]
            interval = (
                st.interval(q.yes, q.relevant, args.confidence, args.method) if q.relevant else None
            )
            rows.append(
                {
                    "row": "question",
                    "id": question.id,
                    "period": label,
                    "yes": q.yes,
                    "relevant": q.relevant,
                    "proportion": decimal(q.proportion),
                    "low": decimal(None if interval is None else interval.low),
                    "high": decimal(None if interval is None else interval.high),
                    "rating": "",
                }
            )
    for s_index, standard in enumerate(results[0].standards):
        for label, result in zip(labels, results, strict=True):
            rows.append(
                {
                    "row": "standard",
                    "id": standard.id,
                    "period": label,
                    "rating": result.standards[s_index].shown_rating,
                }
            )
    if results[0].overall is not None:
        for label, result in zip(labels, results, strict=True):
            assert result.overall is not None
            rows.append(
                {
                    "row": "overall",
                    "id": "overall",
                    "period": label,
                    "rating": result.overall.rating or "undetermined",
                }
            )
    if args.format == "json":
        write_json(
            {
                "periods": labels,
                "rows": rows,
                "last_change": {
                    "from": labels[-2],
                    "to": labels[-1],
                    "questions": [c.to_dict() for c in changes],
                    "ratings_changed": [{"id": i, "before": b, "after": a} for i, b, a in changed],
                },
            },
            out,
        )
        return 0
    if args.format == "csv":
        columns = [
            "row",
            "id",
            "period",
            "yes",
            "relevant",
            "proportion",
            "low",
            "high",
            "rating",
            "last_change",
            "significant",
        ]
        writer = csv_writer(out)
        writer.writerow(columns)
        for row in rows:
            if row["row"] == "question" and row["period"] == labels[-1]:
                c = last[row["id"]]
                row["last_change"] = decimal(c.difference)
                row["significant"] = (
                    "" if c.low is None or c.high is None else not (c.low <= 0 <= c.high)
                )
            writer.writerow([csv_cell(row.get(k)) for k in columns])
        return 0
    width = max(12, *(len(label) + 2 for label in labels))
    out.write(
        f"trend over {len(labels)} audits, rubric {rubric.id} ({args.confidence:.0%} intervals)\n"
    )
    out.write(
        f"  {'':<12}"
        + "".join(f"{label:<{width + 10}}" for label in labels)
        + f"last change ({labels[-2]} to {labels[-1]})\n"
    )
    for q_index, question in enumerate(results[0].questions):
        cells = []
        for result in results:
            q = result.questions[q_index]
            if not q.relevant:
                cells.append(f"{'-':<{width + 10}}")
                continue
            interval = st.interval(q.yes, q.relevant, args.confidence, args.method)
            text = f"{100 * q.yes / q.relevant:.0f}% ({100 * interval.low:.0f}-{100 * interval.high:.0f})"
            cells.append(f"{text:<{width + 10}}")
        c = last[question.id]
        change = (
            "-"
            if c.difference is None or c.low is None or c.high is None
            else f"{100 * c.difference:+.1f} points"
            + ("" if c.low <= 0 <= c.high else " (significant)")
        )
        out.write(f"  {question.id:<12}" + "".join(cells) + change + "\n")
    for s_index, standard in enumerate(results[0].standards):
        cells = [f"{r.standards[s_index].shown_rating:<{width + 10}}" for r in results]
        out.write((f"  {standard.id:<12}" + "".join(cells)).rstrip() + "\n")
    if results[0].overall is not None:
        cells = [
            f"{(r.overall.rating if r.overall else None) or 'undetermined':<{width + 10}}"
            for r in results
        ]
        out.write((f"  {'overall':<12}" + "".join(cells)).rstrip() + "\n")
    return 0
