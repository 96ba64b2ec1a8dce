"""``probation-audit reproduce``: published ratings recomputed from a report's printed figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from ..errors import AuditErrors
from ..published import Comparison, bundled_reports, reproduce_all
from ._output import write_json

HELP = "recompute published ratings from a report's printed figures"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="published-figures TOML files (default: every bundled one)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace, out: TextIO) -> int:
    targets: list[Any] = list(args.files) if args.files else list(bundled_reports())
    if not targets:
        print("no published-figures files given and none bundled", file=sys.stderr)
        return 1
    comparisons: list[Comparison] = []
    blocks: list[str] = []
    errors: list[str] = []
    for target in targets:
        try:
            found = reproduce_all(target)
        except AuditErrors as exc:
            errors.extend(exc.lines())
            continue
        comparisons.extend(found)
        if len(found) == 1 and not found[0].totals_only:
            blocks.append(found[0].render_text())
        else:
            # A corpus of published totals: one line per inspection under one heading.
            first = found[0].report
            ok = sum(c.ok for c in found)
            blocks.append(
                "\n".join(
                    [
                        f"{target.name}: {len(found)} published results, rubric "
                        f"{first.rubric.id} (each line: the report's total and rating)",
                        *(c.render_text() for c in found),
                        f"  result: {'reproduced' if ok == len(found) else 'NOT reproduced'} "
                        f"({ok} of {len(found)} overall ratings match the published totals)",
                    ]
                )
            )
    if args.format == "json":
        write_json([c.to_dict() for c in comparisons], out)
    else:
        out.write("\n\n".join(blocks) + ("\n" if blocks else ""))
    for line in errors:
        print(line, file=sys.stderr)
    failed = [c for c in comparisons if not c.ok]
    for c in failed:
        for row in c.mismatches:
            print(
                f"{c.report.path}: {row.id}: published {row.published}, computed {row.computed}",
                file=sys.stderr,
            )
    return 1 if failed or errors else 0
