"""``probation-audit select``: choose the cases to audit from a caseload list."""

from __future__ import annotations

import argparse
import io
import secrets
from pathlib import Path
from typing import TextIO

from .. import statistics as st
from .._cells import csv_writer
from .._outputs import write_all
from .._selection import select_cases
from .._templates import template_csv, template_workbook
from ..errors import AuditError, AuditErrors
from ..loading import load_rubric
from ._common import (
    MAX_CASES,
    MAX_SEED,
    UsageError,
    add_force_option,
    check_outputs,
    read_caseload,
    refuse_existing_template,
    share,
    whole,
)

HELP = "choose the cases to audit from a caseload list: random or stratified, reproducible"
#: Fresh seeds are drawn below this: 15 digits, which a spreadsheet keeps exactly (Excel keeps
#: 15 significant digits), so a selection file opened and saved still repeats its draw.
FRESH_SEEDS = 10**15


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "caseload", type=Path, help="caseload list: CSV or workbook with a case_id column"
    )
    size = p.add_mutually_exclusive_group(required=True)
    size.add_argument("--n", type=whole(1, MAX_CASES), help="how many cases to audit")
    size.add_argument(
        "--plan",
        type=share(),
        metavar="PROPORTION",
        help="as many cases as `plan` says for this expected share of 'yes' (needs --rubric)",
    )
    p.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="ATTRIBUTE",
        help="stratify by this caseload column (repeatable: strata are the combinations)",
    )
    p.add_argument("--reserve", type=whole(0, MAX_CASES), default=0, help="substitutes to draw too")
    p.add_argument(
        "--seed",
        type=whole(0, MAX_SEED),
        help="random seed, to repeat a draw (default: a fresh seed of at most 15 digits, "
        "printed and recorded in the selection file's seed column)",
    )
    p.add_argument("--output", type=Path, required=True, help="the selection: a CSV file")
    p.add_argument(
        "--template", type=Path, help="also a template with the chosen cases (.xlsx or .csv)"
    )
    p.add_argument("--rubric", help="the rubric, for --template and --plan")
    p.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="NAME",
        help="a caseload column to copy into the template (repeatable)",
    )
    add_force_option(p)


def run(args: argparse.Namespace, out: TextIO) -> int:
    if (args.template or args.plan) and not args.rubric:
        raise UsageError("--template and --plan need --rubric")
    if args.output.suffix.lower() != ".csv":
        raise UsageError(f"--output is a CSV file, not {args.output}")
    if args.template and args.template.suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError(f"--template is written as .xlsx or .csv, not {args.template}")
    check_outputs(args, [("output", args.output), ("template", args.template)])
    if args.template:
        refuse_existing_template("--template ", args.template, args.force)
    rubric = load_rubric(args.rubric) if args.rubric else None
    n = args.n
    if args.plan is not None:
        assert rubric is not None
        planned = st.plan(rubric, args.plan)
        if planned.stable_from is None:
            raise AuditErrors(
                [
                    AuditError(
                        f"plan finds no sample size up to {planned.checked_to} cases for a share of {float(args.plan):.0%}"
                    )
                ]
            )
        n = planned.stable_from
    table, rows = read_caseload(args.caseload, [*args.by, *args.attribute])
    names = table.names
    ci = names.index("case_id")
    by = [names.index(b) for b in args.by]
    strata = [" / ".join(row[k].strip() for k in by) if by else "all" for row, _ in rows]
    seed = secrets.randbelow(FRESH_SEEDS) if args.seed is None else args.seed
    selection = select_cases(strata, n, reserve=args.reserve, seed=seed)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([*table.header, "selection", "order", "stratum", "seed"])
    for kind, positions in (("chosen", selection.chosen), ("reserve", selection.reserve)):
        for order, i in enumerate(positions, start=1):
            writer.writerow([*rows[i][0], kind, order, strata[i], seed])
    files: list[tuple[Path, bytes]] = [(args.output, buffer.getvalue().encode("utf-8"))]
    if args.template:
        assert rubric is not None
        cases, reserves = (
            [
                {
                    "case_id": rows[i][0][ci].strip(),
                    **{a: rows[i][0][names.index(a)].strip() for a in args.attribute},
                }
                for i in positions
            ]
            for positions in (selection.chosen, selection.reserve)
        )
        try:
            content = (
                template_workbook(rubric, cases, args.attribute, reserves)
                if args.template.suffix.lower() == ".xlsx"
                else template_csv(rubric, cases, args.attribute).encode("utf-8")
            )
        except ImportError as exc:
            raise AuditErrors([AuditError(str(exc))]) from None
        files.append((args.template, content))
    write_all(files)
    for stratum, size, chosen, spare in selection.allocation:
        out.write(
            f"  {stratum}: {chosen} of {size} chosen"
            + (f", {spare} in reserve" if spare else "")
            + "\n"
        )
    if n > len(rows):
        out.write(f"  asked for {n} cases; the caseload has {len(rows)}: every case is chosen\n")
    out.write(
        f"chose {len(selection.chosen)} of {len(rows)} cases (seed {seed}"
        + ("" if args.seed is not None else f": repeat this draw with --seed {seed}")
        + ")"
        + (f", {len(selection.reserve)} in reserve" if selection.reserve else "")
        + f": wrote {args.output}"
        + (f" and {args.template}" if args.template else "")
        + "\n"
    )
    return 0
