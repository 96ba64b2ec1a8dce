"""``probation-audit template``: a blank audit workbook (or CSV file) from a rubric."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from .._templates import write_template
from ..errors import AuditError, AuditErrors
from ..loading import load_rubric
from ._common import (
    UsageError,
    add_force_option,
    add_rubric_option,
    check_outputs,
    read_caseload,
    refuse_existing_template,
)

HELP = "write a blank audit workbook (.xlsx, with answer drop-downs) or CSV file from a rubric"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("output", type=Path, help="the template to write: .xlsx or .csv")
    add_rubric_option(p)
    p.add_argument(
        "--cases",
        type=Path,
        metavar="CASELOAD",
        help="fill in these cases: a CSV file or workbook with a case_id column",
    )
    p.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="NAME",
        help="a case attribute column to include, e.g. team or practitioner (repeatable): "
        "filled from --cases, or left blank to fill in",
    )
    add_force_option(p)


def caseload_cases(path: Path, attributes: list[str]) -> list[dict[str, str]]:
    """The cases of a caseload list: the case id and the attributes asked for."""
    table, rows = read_caseload(path, attributes)
    index = {n: table.names.index(n) for n in ["case_id", *attributes]}
    return [{n: row[k].strip() for n, k in index.items()} for row, _ in rows]


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.output.suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError(f"the template is written as .xlsx or .csv, not {args.output}")
    check_outputs(args, [("output", args.output)], positional="output")
    refuse_existing_template("", args.output, args.force)
    rubric = load_rubric(args.rubric)
    cases = caseload_cases(args.cases, args.attribute) if args.cases else None
    try:
        write_template(rubric, args.output, cases, args.attribute)
    except ValueError as exc:
        if isinstance(exc, AuditErrors):
            raise
        raise UsageError(str(exc)) from None
    except ImportError as exc:
        raise AuditErrors([AuditError(str(exc))]) from None
    count = f" with {len(cases)} cases" if cases else ""
    out.write(f"wrote {args.output}{count}\n")
    return 0
