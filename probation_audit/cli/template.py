"""``probation-audit template``: a blank audit workbook (or CSV file) from a rubric."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..errors import AuditError, AuditErrors, JudgmentError
from ..loading import load_rubric
from ..reading import read_table
from ..templates import write_template
from ._common import UsageError, add_rubric_option

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
        help="a case attribute column to include, e.g. team or practitioner (repeatable)",
    )


def read_caseload(path: Path, attributes: list[str]) -> list[dict[str, str]]:
    """The cases of a caseload list: a case_id column and the attributes asked for."""
    table = read_table(path)
    names = table.names
    errors: list[AuditError] = []
    if "case_id" not in names:
        raise AuditErrors(
            [
                JudgmentError(
                    "missing header: expected a case_id column",
                    source=table.source,
                    line=table.header_line,
                )
            ]
        )
    absent = [a for a in attributes if a not in names]
    if absent:
        raise AuditErrors(
            [
                JudgmentError(
                    f"no column {', '.join(map(repr, absent))} for --attribute (columns: {', '.join(names)})",
                    source=table.source,
                    line=table.header_line,
                )
            ]
        )
    index = {n: names.index(n) for n in ["case_id", *attributes]}
    seen: dict[str, int] = {}
    cases: list[dict[str, str]] = []
    for row, line in zip(table.rows, table.lines, strict=True):
        if all(not c.strip() for c in row):
            continue
        cells = {n: (row[k].strip() if k < len(row) else "") for n, k in index.items()}
        case_id = cells["case_id"]
        if not case_id:
            errors.append(JudgmentError("blank case_id", source=table.source, line=line))
        elif case_id in seen:
            errors.append(
                JudgmentError(
                    f"case {case_id!r} listed twice (first at line {seen[case_id]})",
                    source=table.source,
                    line=line,
                )
            )
        else:
            seen[case_id] = line
            cases.append(cells)
    if errors:
        raise AuditErrors(errors)
    return cases


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.output.suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError(f"the template is written as .xlsx or .csv, not {args.output}")
    if args.attribute and args.cases is None:
        raise UsageError("--attribute takes its values from --cases")
    rubric = load_rubric(args.rubric)
    cases = read_caseload(args.cases, args.attribute) if args.cases else None
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
