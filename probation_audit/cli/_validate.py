"""``probation-audit validate``: every problem in rubric files, one per line."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..loading import bundled_difference, load_rubric, validate_rubric

HELP = "check rubric files, reporting every problem"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", help="rubric TOML files or bundled rubric ids")


def run(args: argparse.Namespace, out: TextIO) -> int:
    status = 0
    for name in args.files:
        problems = validate_rubric(name)
        if problems:
            status = 1
            for problem in problems:
                print(problem.render(), file=sys.stderr)
        else:
            r = load_rubric(name)
            out.write(
                f"{name}: valid rubric {r.id!r} ({len(r.standards)} standards, {len(r.questions)} key questions)\n"
            )
            other_rules = bundled_difference(r)
            if other_rules is not None:
                print(f"{name}: warning: {other_rules}", file=sys.stderr)
    return status
