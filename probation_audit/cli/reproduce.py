"""``probation-audit reproduce``: published ratings recomputed from a report's printed figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from ..errors import AuditErrors
from ..published import Comparison, bundled_reports, reproduce
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
    errors: list[str] = []
    for target in targets:
        try:
            comparisons.append(reproduce(target))
        except AuditErrors as exc:
            errors.extend(exc.lines())
    if args.format == "json":
        write_json([c.to_dict() for c in comparisons], out)
    else:
        out.write("\n\n".join(c.render_text() for c in comparisons) + ("\n" if comparisons else ""))
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
