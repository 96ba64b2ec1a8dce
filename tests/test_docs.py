"""The documentation says what the code does: CLI reference, guide example."""

from __future__ import annotations

import argparse
import re

from probation_audit.cli import _parser

from .conftest import ROOT


def test_cli_reference_lists_every_command_and_option() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        heading = f"## `probation-audit {name}`"
        assert heading in text, name
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        for action in sub._actions:
            for option in action.option_strings:
                assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", section), (
                    name,
                    option,
                )
            if not action.option_strings and action.dest != "help":
                assert action.dest in section or (action.metavar or "") in section, (
                    name,
                    action.dest,
                )


def test_guide_example_is_the_tested_one() -> None:
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    example = (ROOT / "tests" / "test_user_example.py").read_text(encoding="utf-8")
    body = example.split('RUBRIC = pa.load_rubric("hmip-probation-2023")', 1)[1].strip()
    first_test = body.split("\n\n\n")[0]
    assert first_test in guide
