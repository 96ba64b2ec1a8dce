"""Every shell and Python block in README.md and docs/ runs, as a reader would run it.

Blocks fenced as ```sh or ```python are run from a scratch copy of the repository's examples
(commands write their outputs there); ``probation-audit`` runs as ``python -m
probation_audit`` of the interpreter under test. A block whose fence says ``illustrative``
(```sh illustrative) shows a shape, not a runnable command (placeholders, installs, files a
reader supplies), and is skipped; the test below checks each one is marked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([A-Za-z]+)([^\n]*)\n(.*?)^```", re.S | re.M)
RUN = ("sh", "python")
# What a block needs beyond the core install, known by what it says: skipped without it.
EXTRAS = {
    "openpyxl": (".xlsx",),
    "matplotlib": ("--chart", ".png", ".svg"),
    "pandas": ("import pandas",),
    "polars": ("import polars",),
    "pyarrow": ("import pyarrow",),
    "hypothesis": ("hypothesis", "import testing"),
}


def _blocks() -> Iterator[tuple[Path, int, str, str, bool]]:
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            language, rest, body = match.groups()
            if language in RUN:
                line = text.count("\n", 0, match.start()) + 1
                yield path, line, language, body, "illustrative" in rest


RUNNABLE = [
    pytest.param(language, body, id=f"{path.name}:{line}")
    for path, line, language, body, illustrative in _blocks()
    if not illustrative
]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


@pytest.mark.parametrize(("language", "body"), RUNNABLE)
def test_block_runs(language: str, body: str, workdir: Path) -> None:
    for module, signs in EXTRAS.items():
        if any(sign in body for sign in signs):
            pytest.importorskip(module)
    if language == "python":
        command = [sys.executable, "-c", body]
    else:
        script = body.replace("probation-audit ", f"{sys.executable} -m probation_audit ")
        command = ["bash", "-e", "-o", "pipefail", "-c", script]
    run = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, (
        f"exit {run.returncode}\n{body}\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    )


def test_blocks_to_run_exist_in_the_guide_and_readme() -> None:
    names = {path.name for path, _, _, _, illustrative in _blocks() if not illustrative}
    assert {"guide.md", "auditors.md", "statistics.md"} <= names


def test_skipped_blocks_are_the_marked_ones() -> None:
    # Each skipped block is marked in the document itself, where a reader sees the fence.
    skipped = [(p.name, line) for p, line, _, _, illustrative in _blocks() if illustrative]
    assert all(name.endswith(".md") for name, _ in skipped)
    assert len(skipped) < len(RUNNABLE)


# The extra that installs each optional library a block imports (pyproject's extras).
IMPORTED_EXTRAS = {
    "import pandas": "frames",
    "import polars": "polars",
    "import matplotlib": "plot",
    "import pyarrow": "arrow",
    # No user extra installs hypothesis: the page names the package (or the `test` extra).
    "from hypothesis": "hypothesis",
}


def test_a_page_whose_blocks_import_an_extra_says_how_to_install_it() -> None:
    # A reader who installed only what the page names must be able to run its blocks.
    missing = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        installs = " ".join(line for line in text.splitlines() if "pip install" in line)
        bodies = [
            body for p, _, language, body, _ in _blocks() if p == path and language == "python"
        ]
        for sign, extra in IMPORTED_EXTRAS.items():
            if any(sign in body for body in bodies) and extra not in installs:
                missing.append(f"{path.name}: {sign} needs the {extra!r} extra")
    assert missing == []
