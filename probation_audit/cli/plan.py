"""``probation-audit plan``: how many cases an audit needs for its band to be right."""

from __future__ import annotations

import argparse
import math
from fractions import Fraction
from typing import TextIO

from .. import statistics as st
from ..loading import load_rubric
from ._common import (
    FORMATS,
    MAX_CASES,
    UsageError,
    add_confidence_option,
    add_rubric_option,
    open_unit,
    share,
    whole,
)
from ._output import csv_writer, decimal, write_json

HELP = "cases needed for a sample's band to match the true band"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_rubric_option(p)
    p.add_argument(
        "--proportion",
        required=True,
        type=share(),
        help="expected share of 'yes' for the weakest key question, e.g. 0.45",
    )
    p.add_argument(
        "--to",
        type=share(),
        metavar="PROPORTION",
        help="upper end of a range of expected shares (whole percents in between)",
    )
    p.add_argument(
        "--target",
        type=share(),
        default=Fraction(4, 5),
        help="probability the band must match (default 0.8)",
    )
    p.add_argument(
        "--relevant-share",
        type=share(),
        default=Fraction(1),
        help="expected share of cases where the question is relevant",
    )
    p.add_argument(
        "--max-n",
        type=whole(1, st.MAX_PLAN_N),
        default=400,
        help=f"largest number of relevant cases checked, 1 to {st.MAX_PLAN_N:,} (default 400)",
    )
    p.add_argument(
        "--margin",
        type=open_unit,
        help="also: cases for this margin of error, strictly between 0 and 1 (e.g. 0.1)",
    )
    p.add_argument(
        "--population",
        type=whole(1, MAX_CASES),
        help="caseload size, for the finite population correction",
    )
    add_confidence_option(p)
    p.add_argument("--format", choices=FORMATS, default="text")


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.to is not None and args.to < args.proportion:
        raise UsageError("--to must lie between --proportion and 1")
    if args.population is not None and args.margin is None:
        raise UsageError("--population goes with --margin (the caseload for the margin of error)")
    rubric = load_rubric(args.rubric)
    points = [args.proportion]
    if args.to is not None:
        lo, hi = math.ceil(args.proportion * 100), math.floor(args.to * 100)
        points = sorted({args.proportion, args.to, *(Fraction(k, 100) for k in range(lo, hi + 1))})
    plans = [
        st.plan(rubric, p, target=args.target, relevant_share=args.relevant_share, max_n=args.max_n)
        for p in points
    ]
    margin = None
    if args.margin is not None:
        widest = float(max(points, key=lambda p: p * (1 - p)))
        margin = st.margin_of_error_cases(widest, args.margin, args.confidence, args.population)
    if args.format == "json":
        write_json({"plans": [p.to_dict() for p in plans], "margin_of_error_cases": margin}, out)
        return 0
    if args.format == "csv":
        writer = csv_writer(out)
        writer.writerow(
            [
                "proportion",
                "band",
                "target",
                "first",
                "stable_from",
                "checked_to",
                "relevant_share",
                "cases_for_stable",
                "margin_of_error_cases",
            ]
        )
        for p in plans:
            writer.writerow(
                [
                    decimal(p.proportion),
                    p.band,
                    decimal(p.target),
                    p.first,
                    p.stable_from,
                    p.checked_to,
                    decimal(p.relevant_share),
                    p.cases_for_stable,
                    margin,
                ]
            )
        return 0
    for p in plans:
        head = (
            f"true share {float(p.proportion):.1%} ({p.band}): P(sample band matches) >= "
            f"{float(p.target):.0%} "
        )
        if p.first is None:
            line = head + f"is not reached with up to {p.checked_to} relevant cases"
        else:
            cases = "case" if p.first == 1 else "cases"
            stable = (
                f"at every n from {p.stable_from} (checked to {p.checked_to})"
                if p.stable_from is not None
                else f"but not at every n up to {p.checked_to}"
            )
            line = head + f"first at {p.first} relevant {cases}; {stable}"
        if p.relevant_share != 1 and p.cases_for_stable:
            line += f"; about {p.cases_for_stable} cases at {float(p.relevant_share):.0%} relevant"
        out.write(line + "\n")
    if margin is not None:
        caseload = f" (caseload {args.population})" if args.population else ""
        out.write(
            f"margin of error {args.margin:.0%} at {args.confidence:.0%} confidence: {margin} cases{caseload}\n"
        )
    return 0
