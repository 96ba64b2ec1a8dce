"""``probation-audit feedback``: what each case lacked, and by practitioner or team."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .._about import About
from .._cells import csv_writer
from .._feedback import (
    CaseFeedback,
    GroupFeedback,
    case_feedback,
    feedback_table,
    group_feedback,
)
from .._outputs import write_all
from ..excel import feedback_workbook
from ..rubric import Rubric
from ._common import (
    FORMATS,
    MAX_CASES,
    UsageError,
    add_input_options,
    add_rubric_option,
    check_outputs,
    command_rubric,
    read_sample,
    whole,
)
from ._output import about_rows, note_lines, write_json

HELP = "feedback: the key questions and prompts each case answered No, by practitioner or team"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("cases", type=Path, help="case judgments: CSV, .xlsx or .xlsm")
    add_rubric_option(p, from_template=True)
    add_input_options(p)
    p.add_argument(
        "--by",
        metavar="ATTRIBUTE",
        help="group by a case attribute, e.g. practitioner: each group's counts in text, JSON "
        "and --xlsx (the CSV's rows carry every attribute, to filter by)",
    )
    p.add_argument(
        "--min-cases",
        type=whole(1, MAX_CASES),
        default=5,
        help="groups with fewer cases are listed but not compared (default 5)",
    )
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument(
        "--xlsx",
        type=Path,
        metavar="FILE",
        help="also write a workbook: a Feedback sheet (one row per case and item answered No), "
        "with --by a Groups sheet, and the notes on the data and the rubric (needs openpyxl)",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    check_outputs(args, [("xlsx", args.xlsx)])
    rubric, _ = command_rubric(args, args.cases)
    sample = read_sample(args, args.cases, rubric)
    cases = case_feedback(rubric, sample)
    try:
        groups = group_feedback(sample, args.by, min_cases=args.min_cases) if args.by else ()
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    if args.xlsx is not None:
        workbook = feedback_workbook(cases, groups, rubric=rubric, notes=sample.notes)
        write_all([(args.xlsx, workbook)])
    about = About.of_rubric(rubric, [(None, sample.notes)])
    # A workbook written beside the output is said as report and trend say theirs: on
    # standard output after the text, on standard error beside a JSON or CSV document.
    wrote = [] if args.xlsx is None else [f"wrote {args.xlsx}"]
    if args.format == "json":
        write_json(
            {
                "source": str(args.cases),
                **about.to_dict(),
                "cases": [c.to_dict() for c in cases],
                "groups": [g.to_dict() for g in groups],
            },
            out,
        )
        for line in wrote:
            print(line, file=sys.stderr)
        return 0
    if args.format == "csv":
        _write_csv(cases, about, out)
        for line in [*_groups_elsewhere(args, groups), *wrote]:
            print(line, file=sys.stderr)
        return 0
    out.write(
        f"{args.cases}: {len(cases)} cases, rubric {about.rubric_label}: what each case "
        "answered No\n"
    )
    for c in cases:
        label = ", ".join(f"{k} {v}" for k, v in c.attributes if v)
        head = f"  {c.case_id}" + (f" ({label})" if label else "")
        if not c.questions and not c.prompts:
            out.write(f"{head}: nothing answered No\n")
            continue
        out.write(f"{head}: {', '.join(q for q, _ in c.questions) or 'no key question'}")
        out.write(f"; prompts {', '.join(p for p, _ in c.prompts)}\n" if c.prompts else "\n")
    for g in groups:
        if g.too_small:
            out.write(
                f"  {g.attribute} = {g.value}: {g.cases} cases: too few to compare "
                f"(under {g.min_cases}); listed above, not rated\n"
            )
            continue
        shares = ", ".join(f"{q} {y}/{r}" for q, y, r in g.questions if r)
        out.write(f"  {g.attribute} = {g.value}: {g.cases} cases: 'yes' of relevant: {shares}\n")
    _write_wording(rubric, cases, groups, out)
    out.writelines(f"{line}\n" for line in [*note_lines(about), *wrote])
    return 0


def _groups_elsewhere(args: argparse.Namespace, groups: Sequence[GroupFeedback]) -> list[str]:
    """Where the groups' figures are when the output is the CSV table, which holds one row per
    case and item answered No and no group's figures: said, never left out silently."""
    if not groups:
        return []
    where = (
        "--format text or json, or the Groups sheet of --xlsx"
        if args.xlsx is None
        else f"the Groups sheet of {args.xlsx}"
    )
    return [
        f"{args.cases}: note: the CSV holds one row per case and item answered No; the "
        f"per-{args.by} figures are in {where}"
    ]


def _write_csv(cases: Sequence[CaseFeedback], about: About, out: TextIO) -> None:
    """One row per case and item answered No (and one for a case with nothing answered No):
    the table a manager filters, the same as the workbook's Feedback sheet; the rubric's row
    first and the notes' rows last (:func:`~._output.about_rows`), their kind in ``kind``."""
    writer = csv_writer(out)
    header, rows = feedback_table(cases)
    writer.writerow(header)
    blank = [""] * (len(header) - 3)  # case_id and the attributes
    first, last = about_rows(about)
    writer.writerows([*blank, *row] for row in first)
    writer.writerows(rows)
    writer.writerows([*blank, *row] for row in last)


def _write_wording(
    rubric: Rubric,
    cases: Sequence[CaseFeedback],
    groups: Sequence[GroupFeedback],
    out: TextIO,
) -> None:
    """What each id named above asks, in the rubric's order: the lists stay short and the
    wording is a glance away."""
    named = {q for c in cases for q, _ in c.questions}
    named |= {p for c in cases for p, _ in c.prompts}
    named |= {q for g in groups if not g.too_small for q, _, r in g.questions if r}
    items: list[tuple[str, str]] = []
    for question in rubric.questions:
        items.append((question.id, question.text))
        items.extend((prompt.id, prompt.text) for prompt in question.prompts)
    wording = [(i, t) for i, t in items if i in named]
    if wording:
        out.write("What each question asks:\n")
        for item, text in wording:
            out.write(f"  {item}: {text}\n")
