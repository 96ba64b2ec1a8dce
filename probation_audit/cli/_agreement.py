"""``probation-audit agreement``: how far two auditors agree on double-marked cases."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import attrs

from .. import statistics as st
from .._about import About
from ..errors import AuditErrors, JudgmentError
from ..loading import load_rubric
from ..reading import DoubleMarked
from ._common import (
    FORMATS,
    UsageError,
    add_input_options,
    add_rating_option,
    add_rubric_option,
    check_input_options,
    checked_ratings,
    read_cases,
    read_sample,
)
from ._output import note_lines, with_overall_reason, write_json, write_records

HELP = "agreement between two auditors on double-marked cases"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="+",
        type=Path,
        help="one file (CSV, .xlsx, .xlsm) with an 'auditor' column, or one file per auditor",
    )
    add_rubric_option(p)
    add_rating_option(p)
    p.add_argument(
        "--casework-only",
        action="store_true",
        help="compare the case-based standards' ratings alone: no judged standard, no overall "
        "rating",
    )
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
        audits: list[tuple[str, Sequence[str]]] = [
            (names[0], first.notes),
            (names[1], second.notes),
        ]
    else:
        marked = read_cases(args, args.files[0], rubric, double_marked=True)
        assert isinstance(marked, DoubleMarked)
        names, (first, second) = marked.auditors, marked.samples
        audits = _marking_notes(str(args.files[0]), names, first.notes, second.notes)
    about = About.of_rubric(rubric, audits)
    ratings = checked_ratings(args, rubric)
    if args.casework_only and ratings:
        raise UsageError("--casework-only rates no judged standard: leave out --rating")
    try:
        report = st.agreement_report(rubric, first, second, names, ratings)
    except ValueError as exc:
        raise AuditErrors([JudgmentError(str(exc))]) from None
    if args.casework_only:
        report = attrs.evolve(report, ratings=tuple(r for r in report.ratings if r[0] != "overall"))
    undetermined = any(sid == "overall" and None in (a, b) for sid, a, b in report.ratings)
    about = with_overall_reason(about, rubric, ratings, undetermined)
    if args.format == "json":
        write_json({**about.to_dict(), **report.to_dict()}, out)
        return 0
    if args.format == "csv":
        # One tidy table, the agreement frame's rows: a row per key question and the pooled
        # row, then a row per standard.
        write_records(out, report.to_records(), about)
        return 0
    _write_text(report, names, about, out)
    out.writelines(f"{line}\n" for line in note_lines(about))
    return 0


def _marking_notes(
    file: str, auditors: tuple[str, str], first: Sequence[str], second: Sequence[str]
) -> list[tuple[str, Sequence[str]]]:
    """The notes on one double-marked file's two markings: those on the file (both markings
    have them, such as its hidden rows) named by the file, each marking's own by the file and
    its auditor."""
    shared = [note for note in first if note in second]
    own = [[note for note in notes if note not in shared] for notes in (first, second)]
    return [
        (file, shared),
        *((f"{file} ({name})", notes) for name, notes in zip(auditors, own, strict=True)),
    ]


def _write_text(
    report: st.AgreementReport, names: tuple[str, str], about: About, out: TextIO
) -> None:
    """Each key question's agreement and disagreements, then the ratings from each marking."""
    both = report.pooled.cases // max(1, len(report.questions))
    out.write(
        f"agreement between {names[0]} and {names[1]} on {both} cases both marked, rubric "
        f"{about.rubric_label}\n"
    )
    out.write(f"  {'all':<12}{report.pooled.sentence('answers')}\n")
    for r in report.questions:
        out.write(f"  {r.question:<12}{r.sentence()}\n")
        for case, said_first, said_second in r.disagreements:
            out.write(f"      {case}: {said_first} ({names[0]}) / {said_second} ({names[1]})\n")
    out.write(
        "  (kappa corrects the agreement for chance but falls towards 0 when one answer "
        "dominates, even when nearly every answer agrees;\n   AC1 corrects for chance without "
        "that fall: "
        "read the two together)\n"
    )
    out.write("Ratings from each auditor's marking of the shared cases:\n")
    for sid, a, b in report.ratings:
        if a == b:
            out.write(f"  {sid:<12}{a or 'undetermined'} from both\n")
        else:
            out.write(
                f"  {sid:<12}differs: {a or 'undetermined'} ({names[0]}), "
                f"{b or 'undetermined'} ({names[1]})\n"
            )
    for name, cases in ((names[0], report.only_first), (names[1], report.only_second)):
        if cases:
            out.write(f"Marked by {name} only (not compared): {', '.join(cases)}\n")
