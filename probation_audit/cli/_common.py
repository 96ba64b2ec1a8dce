"""What the commands share: usage errors, input options, reading judgments, judged ratings."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from ..errors import AuditErrors, JudgmentError
from ..judgments import MISSING_CHOICES, Sample
from ..reading import is_workbook, read_judgments
from ..rubric import Rubric
from ..tables import LAYOUTS

FORMATS = ("text", "json", "csv")


class UsageError(Exception):
    """Bad usage: reported by argparse with the command's usage line, exit status 2."""


def add_rubric_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rubric", required=True, help="bundled rubric id or path to a rubric TOML file"
    )


def add_rating_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rating",
        action="append",
        default=[],
        metavar="ID=LABEL",
        help="rating of a judged standard, e.g. P1.1='Requires improvement' (repeatable)",
    )


def add_input_options(p: argparse.ArgumentParser) -> None:
    """How judgment files are read: the same options for every command that reads them."""
    p.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="auto",
        help="file layout: long or wide (default: auto)",
    )
    p.add_argument(
        "--missing",
        choices=MISSING_CHOICES,
        default="error",
        help="a key question with no answer for a case: an error (default) or not relevant",
    )
    p.add_argument("--sheet", help="sheet of an .xlsx or .xlsm workbook (default: the first)")
    p.add_argument(
        "--encoding",
        help="text encoding of a CSV file, e.g. cp1252 (default: UTF-8, with or without BOM)",
    )


def add_statistics_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--confidence", type=float, default=0.95, help="interval confidence (default 0.95)"
    )
    p.add_argument("--method", choices=("wilson", "clopper-pearson"), default="wilson")
    p.add_argument(
        "--resamples", type=int, default=10_000, help="bootstrap resamples (default 10000)"
    )
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument(
        "--min-relevant",
        type=int,
        default=10,
        help="relevant cases below which a group is too small (default 10)",
    )


def parse_ratings(pairs: Sequence[str]) -> dict[str, str]:
    """``--rating ID=LABEL`` options as a mapping; a malformed or repeated one is a usage error."""
    out: dict[str, str] = {}
    for pair in pairs:
        sid, sep, label = pair.partition("=")
        if not sep or not sid.strip() or not label.strip():
            raise UsageError(f"--rating expects ID=LABEL, got {pair!r}")
        if sid.strip() in out:
            raise UsageError(f"--rating gives {sid.strip()} twice")
        out[sid.strip()] = label.strip()
    return out


def check_input_options(args: argparse.Namespace, *paths: Path) -> None:
    """Options that do not fit the files named are usage errors, found before any reading."""
    for path in paths:
        if getattr(args, "sheet", None) is not None and not is_workbook(path):
            raise UsageError(f"--sheet goes with an .xlsx or .xlsm workbook, not {path}")
        if getattr(args, "encoding", None) is not None and is_workbook(path):
            raise UsageError(f"--encoding goes with a CSV file, not the workbook {path}")


def read_cases(args: argparse.Namespace, path: Path, rubric: Rubric) -> Sample:
    """Judgments from a CSV file or workbook, as the input options say."""
    check_input_options(args, path)
    try:
        return read_judgments(
            path,
            rubric,
            missing=args.missing,
            sheet=args.sheet,
            encoding=args.encoding,
            layout=args.layout,
        )
    except ImportError as exc:
        raise AuditErrors([JudgmentError(str(exc), source=str(path))]) from None
