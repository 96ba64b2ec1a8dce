"""``probation-audit rubrics``: the bundled rubrics."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..loading import available_rubrics, load_rubric
from ._output import write_json

HELP = "list the bundled rubrics"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace, out: TextIO) -> int:
    rubrics = [load_rubric(name) for name in available_rubrics()]
    if args.format == "json":
        write_json(
            [
                {
                    "id": r.id,
                    "title": r.title,
                    "years": r.years,
                    "standards": len(r.standards),
                    "key_questions": len(r.questions),
                }
                for r in rubrics
            ],
            out,
        )
    else:
        for r in rubrics:
            years = f"in use {r.years}, " if r.years else ""
            out.write(
                f"{r.id}\t{r.title} ({years}{len(r.standards)} standards, "
                f"{len(r.questions)} key questions)\n"
            )
    return 0
