"""``probation-audit agreement``: how far two auditors agree on double-marked cases."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from .. import statistics as st
from ..errors import AuditErrors, JudgmentError
from ..loading import load_rubric
from ..reading import DoubleMarked
from ._common import (
    FORMATS,
    UsageError,
    add_input_options,
    add_rubric_option,
    check_input_options,
    read_cases,
    read_sample,
)
from ._output import csv_cell, csv_writer, write_json

HELP = "agreement between two auditors on double-marked cases"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="+",
        type=Path,
        help="one file (CSV, .xlsx, .xlsm) with an 'auditor' column, or one file per auditor",
    )
    add_rubric_option(p)
    add_input_options(p)
    p.add_argument("--format", choices=FORMATS, default="text")


def run(args: argparse.Namespace, out: TextIO) -> int:
    if len(args.files) not in (1, 2):
        raise UsageError("agreement takes one file with an 'auditor' column, or two files")
    check_input_options(args, *args.files)
    rubric = load_rubric(args.rubric)
    if len(args.files) == 2:
        first = read_sample(args, args.files[0], rubric)
        second = read_sample(args, args.files[1], rubric)
        names = (str(args.files[0]), str(args.files[1]))
    else:
        marked = read_cases(args, args.files[0], rubric, double_marked=True)
        assert isinstance(marked, DoubleMarked)
        names, (first, second) = marked.auditors, marked.samples
    try:
        rows = st.agreement(first, second)
    except ValueError as exc:
        raise AuditErrors([JudgmentError(str(exc))]) from None
    if args.format == "json":
        write_json({"auditors": list(names), "questions": [r.to_dict() for r in rows]}, out)
        return 0
    if args.format == "csv":
        writer = csv_writer(out)
        writer.writerow(["question", "cases", "agreed", "percent", "kappa", "disagreements"])
        for r in rows:
            listed = "; ".join(f"{c}: {a}/{b}" for c, a, b in r.disagreements)
            writer.writerow(
                [csv_cell(r.question), r.cases, r.agreed, r.percent, r.kappa, csv_cell(listed)]
            )
        return 0
    out.write(f"agreement between {names[0]} and {names[1]}\n")
    for r in rows:
        kappa = "-" if r.kappa is None else f"{r.kappa:.2f}"
        percent = 0.0 if r.percent is None else r.percent
        out.write(f"  {r.question:<12}{r.agreed}/{r.cases} agree ({percent:.0f}%), kappa {kappa}\n")
        for case, a, b in r.disagreements:
            out.write(f"      {case}: {a} / {b}\n")
    return 0
