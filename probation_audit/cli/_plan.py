"""``probation-audit plan``: how many cases an audit needs for its band to be right."""

from __future__ import annotations

import argparse
import math
from fractions import Fraction
from pathlib import Path
from typing import TextIO

from .. import _simulation as simulation
from .. import statistics as st
from .._cells import csv_writer
from .._scoring import score
from ..loading import load_rubric
from ._common import (
    FORMATS,
    MAX_CASES,
    UsageError,
    add_confidence_option,
    add_input_options,
    add_rubric_option,
    open_unit,
    read_sample,
    share,
    whole,
)
from ._output import decimal, write_json

HELP = "cases an audit needs, or how likely an audit of n cases is to give the true rating"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_rubric_option(p)
    p.add_argument(
        "--proportion",
        type=share(),
        help="expected share of 'yes' for the weakest key question, e.g. 0.45",
    )
    p.add_argument(
        "--cases",
        type=whole(1, 100_000),
        help="instead: how likely an audit of this many cases is to give each standard its "
        "true rating (with --percent or --from-audit)",
    )
    p.add_argument(
        "--percent",
        action="append",
        default=[],
        metavar="QUESTION=PERCENT",
        help="with --cases: a key question's true percentage, e.g. P2.1.1=70 (repeat)",
    )
    p.add_argument(
        "--from-audit",
        type=Path,
        metavar="CASES",
        help="with --cases: take the percentages (and the share of relevant cases) a past "
        "audit found (CSV or workbook)",
    )
    p.add_argument(
        "--correlation",
        type=share(),
        default=Fraction(3, 10),
        help="with --cases: how strongly a case's answers go together, 0 to below 1 (default 0.3)",
    )
    p.add_argument(
        "--simulations",
        type=whole(100, 1_000_000),
        default=4_000,
        help="with --cases: simulated audits (default 4000)",
    )
    p.add_argument("--seed", type=whole(0, 2**63 - 1), default=0, help="with --cases: seed")
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
        help="caseload size: cases are drawn from it without replacement (exact, "
        "hypergeometric), and an audit of the whole caseload is a census",
    )
    add_confidence_option(p)
    add_input_options(p)
    p.add_argument("--format", choices=FORMATS, default="text")


def _accuracy(args: argparse.Namespace, out: TextIO) -> int:
    """``--cases``: how likely an audit of that many cases is to give the true rating."""
    if args.proportion is not None or args.margin is not None:
        raise UsageError("--cases answers another question: leave out --proportion and --margin")
    if bool(args.percent) == (args.from_audit is not None):
        raise UsageError(
            "--cases needs the true percentages: --percent Q=P (repeat) or --from-audit"
        )
    if args.correlation >= 1:
        raise UsageError("--correlation must be below 1")
    if args.population is not None and args.population < args.cases:
        raise UsageError(f"--population {args.population} is smaller than --cases {args.cases}")
    rubric = load_rubric(args.rubric)
    relevant: dict[str, float] = {}
    if args.from_audit is not None:
        result = score(rubric, read_sample(args, args.from_audit, rubric))
        proportions = {
            q.id: float(q.proportion) for q in result.questions if q.proportion is not None
        }
        relevant = {
            q.id: max(0.01, q.relevant / result.cases) for q in result.questions if result.cases
        }
        source = f"the percentages {args.from_audit} found"
    else:
        proportions = {}
        for item in args.percent:
            qid, sep, value = item.partition("=")
            try:
                number = float(value.strip().rstrip("%"))
            except ValueError:
                number = math.nan
            if not sep or not 0 <= number <= 100:
                raise UsageError(f"--percent expects QUESTION=PERCENT from 0 to 100, got {item!r}")
            proportions[qid.strip()] = number / 100
        source = "the percentages given"
    try:
        accuracy = simulation.rating_accuracy(
            rubric,
            args.cases,
            proportions,
            population=args.population,
            correlation=float(args.correlation),
            relevant=relevant,
            simulations=args.simulations,
            seed=args.seed,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        write_json(accuracy.to_dict(), out)
        return 0
    if args.format == "csv":
        writer = csv_writer(out)
        writer.writerow(["standard", "true_rating", "cases", "population", "accuracy"])
        for sid, true, rate in accuracy.standards:
            writer.writerow([sid, true or "", args.cases, args.population or "", decimal(rate)])
        return 0
    out.write(
        f"If {source} are the unit's true figures ({args.simulations:,} simulated audits, "
        f"answers of a case linked at {float(args.correlation):.2f}):\n"
    )
    for sid, _, _ in accuracy.standards:
        out.write(f"  {accuracy.sentence(sid)}.\n")
    return 0


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.cases is not None:
        return _accuracy(args, out)
    if args.percent or args.from_audit is not None:
        raise UsageError("--percent and --from-audit go with --cases")
    if args.proportion is None:
        raise UsageError(
            "give --proportion (cases needed) or --cases (how likely an audit is right)"
        )
    if args.to is not None and args.to < args.proportion:
        raise UsageError("--to must lie between --proportion and 1")
    rubric = load_rubric(args.rubric)
    points = [args.proportion]
    if args.to is not None:
        lo, hi = math.ceil(args.proportion * 100), math.floor(args.to * 100)
        points = sorted({args.proportion, args.to, *(Fraction(k, 100) for k in range(lo, hi + 1))})
    plans = [
        st.plan(
            rubric,
            p,
            target=args.target,
            relevant_share=args.relevant_share,
            max_n=args.max_n,
            population=args.population,
        )
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
                "population",
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
                    p.population,
                    margin,
                ]
            )
        return 0
    for p in plans:
        out.write(plan_sentence(p) + "\n")
    if margin is not None:
        caseload = f" (caseload {args.population})" if args.population else ""
        out.write(
            f"For a margin of error of {args.margin:.0%} at {args.confidence:.0%} confidence, "
            f"audit {margin} cases{caseload}.\n"
        )
    return 0


def plan_sentence(p: st.Plan) -> str:
    """A plan as a finding an audit lead can repeat."""
    truth = f"If the weakest key question is truly {float(p.proportion):.0%} ({p.band})"
    if p.population is not None:
        truth += (
            f" in a caseload of {p.population} ({p.caseload_yes} 'yes' of "
            f"{p.caseload_relevant} relevant)"
        )
    goal = f"{float(p.target):.0%} of the time"
    if p.first is None:
        return (
            f"{truth}, no audit of up to {p.checked_to} relevant cases gives that rating "
            f"{goal}: the true share is too close to a band edge for an audit to settle it."
        )
    if p.stable_from is None:
        return (
            f"{truth}, an audit of {p.first} relevant cases gives that rating {goal}, but some "
            f"larger audits up to {p.checked_to} fall short: the true share is close to a band "
            "edge."
        )
    line = (
        f"{truth}, an audit of {p.stable_from} relevant cases or more (checked up to "
        f"{p.checked_to}) gives that rating at least {goal}"
    )
    if p.first < p.stable_from:
        line += f"; {p.first} is the smallest that does, but some sizes in between fall short"
    if p.relevant_share != 1 and p.cases_for_stable:
        line += (
            f"; with {float(p.relevant_share):.0%} of cases relevant, audit about "
            f"{p.cases_for_stable} cases"
        )
    return line + "."
