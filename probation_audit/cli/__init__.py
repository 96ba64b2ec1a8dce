"""The ``probation-audit`` command.

One module per command, each with ``HELP``, ``add_arguments(parser)`` and ``run(args, out)``;
:data:`COMMANDS` lists them in the order ``--help`` shows. A new command is one new module and
one line in that table.

Exit status: 0 success, 1 invalid data or rubric or a failed reproduction, 2 usage error.
Errors go to stderr, one per line, without a traceback.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from types import ModuleType

from .._cells import csv_cell
from .._version import __version__
from ..errors import AuditError, AuditErrors
from . import (
    _agreement,
    _compare,
    _feedback,
    _plan,
    _report,
    _reproduce,
    _rubrics,
    _score,
    _select,
    _template,
    _trend,
    _validate,
)
from ._common import UsageError

__all__ = ["COMMANDS", "build_parser", "csv_cell", "main"]

#: command name -> its module, in the order the help lists them
COMMANDS: dict[str, ModuleType] = {
    "score": _score,
    "report": _report,
    "plan": _plan,
    "compare": _compare,
    "trend": _trend,
    "agreement": _agreement,
    "feedback": _feedback,
    "select": _select,
    "template": _template,
    "reproduce": _reproduce,
    "rubrics": _rubrics,
    "validate": _validate,
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command, built from :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="probation-audit",
        description="Score probation case-file audits by HM Inspectorate of Probation rubrics.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        module.add_arguments(sub.add_parser(name, help=module.HELP))
    return parser


def _command_parser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The sub-parser of command ``name`` (for its usage line in error messages)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            chosen: argparse.ArgumentParser = action.choices[name]
            return chosen
    return parser  # pragma: no cover - every command has a sub-parser


# The name the docs generator and older tests use.
_parser = build_parser


@functools.cache
def _main_parser() -> argparse.ArgumentParser:
    """:func:`build_parser`'s parser, built once for every call of :func:`main` (building it
    took longer than a small command's run): only read, as each parse makes a new namespace
    and no command changes its arguments' defaults."""
    return build_parser()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (2 for usage errors, via argparse)."""
    parser = _main_parser()
    args = parser.parse_args(argv)
    out = sys.stdout
    try:
        status: int = COMMANDS[args.command].run(args, out)
        return status
    except UsageError as exc:
        _command_parser(parser, args.command).error(str(exc))  # exits 2, with its usage line
    except AuditErrors as errors:
        for line in errors.lines():
            print(line, file=sys.stderr)
        return 1
    except AuditError as error:
        print(error.render(), file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - output piped to head
        return 0
