"""``probation-audit score``: rate a sample of case judgments, with how sure and for whom."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..loading import load_rubric
from ..rating import score
from ._common import (
    FORMATS,
    add_input_options,
    add_rating_option,
    add_rubric_option,
    add_statistics_options,
    checked_ratings,
    read_sample,
)
from ._output import gather_analytics, result_csv, result_text, write_json

HELP = "rate a sample of case judgments (CSV or workbook) with a rubric"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("cases", type=Path, help="case judgments: CSV, .xlsx or .xlsm, long or wide")
    add_rubric_option(p)
    add_rating_option(p)
    add_input_options(p)
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument(
        "--intervals", action="store_true", help="confidence intervals for every key question"
    )
    p.add_argument(
        "--probabilities", action="store_true", help="rating probabilities: exact and bootstrap"
    )
    p.add_argument(
        "--by",
        metavar="ATTRIBUTE",
        help="also rate each group of a case attribute (e.g. sentence_type)",
    )
    add_statistics_options(p)


def run(args: argparse.Namespace, out: TextIO) -> int:
    rubric = load_rubric(args.rubric)
    ratings = checked_ratings(args, rubric)
    sample = read_sample(args, args.cases, rubric)
    result = score(rubric, sample, ratings)
    extra = gather_analytics(args, rubric, sample, result, ratings, by=args.by)
    if args.format == "json":
        data = {"source": str(args.cases), **result.to_dict()}
        figures = extra.to_json()
        data["notes"] = [*data["notes"], *figures.pop("notes", [])]
        write_json({**data, **figures}, out)
    elif args.format == "csv":
        out.write(result_csv(result, extra))
    else:
        out.write(result_text(result, str(args.cases)) + "\n")
        text = extra.to_text()
        if text:
            out.write(text + "\n")
    return 0
