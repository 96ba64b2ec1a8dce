"""Every shell and Python block in README.md and docs/ runs, as a reader would run it.

Blocks fenced as ```sh or ```python are run from a scratch copy of the repository's examples
(commands write their outputs there): a Python block as ``python -c`` would run it, a shell
block by ``bash -e -o pipefail`` with ``probation-audit`` on PATH running ``python -m
probation_audit`` of the interpreter under test. A block whose fence says ``illustrative``
(```sh illustrative) shows a shape, not a runnable command (placeholders, installs, files a
reader supplies), and is skipped; the test below checks each one is marked.

Each Python block and each command runs in a process forked from a server that has already
imported the package (tests/_docserver.py): a fresh interpreter for each would cost about
0.6 s of imports. Where processes cannot be forked, each is a fresh interpreter.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import attrs
import pytest

import probation_audit as pa

from . import _docserver
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
#: What the servers import before they fork, each on top of the one before: for Python
#: blocks, what every block imports first and whole packages (as ``import name`` loads them)
#: that several blocks or commands import, so nothing a block could use without importing it;
#: then pyplot, for the blocks that import it themselves; then the command.
PYTHON_PRELOAD = ("probation_audit", "pandas", "matplotlib", "openpyxl")
PYPLOT = "matplotlib.pyplot"
COMMAND_PRELOAD = ("probation_audit.cli",)
#: Whether this platform can fork a server's workers and pass them streams.
SERVED = hasattr(os, "fork") and hasattr(socket, "send_fds") and hasattr(socket, "AF_UNIX")
TIMEOUT = 120.0  # seconds: a block that hangs fails its test


@attrs.frozen
class Outcome:
    """How a block ended: its exit status (None: timed out; -N: killed by signal N) and
    what it wrote."""

    status: int | None
    stdout: str
    stderr: str

    def failure(self, body: str) -> str | None:
        """What the test says when the block failed (with the block and its output), or
        None when it exited 0."""
        if self.status == 0:
            return None
        ended = "timed out" if self.status is None else f"exit {self.status}"
        return f"{ended}\n{body}\n{self.stdout[-2000:]}\n{self.stderr[-3000:]}"


@attrs.frozen
class Runner:
    """Runs blocks: Python blocks in a worker of the server at ``python``, or at ``pyplot``
    for a block that imports pyplot (when None, as ``python -c``); shell blocks with ``bin``
    first on PATH (its ``probation-audit`` asks the command's server at ``command``)."""

    python: str | None
    pyplot: str | None
    command: str | None
    bin: Path
    timeout: float = TIMEOUT

    def run(self, language: str, body: str, cwd: Path) -> Outcome:
        with (
            open(os.devnull, "rb") as stdin,
            tempfile.TemporaryFile() as stdout,
            tempfile.TemporaryFile() as stderr,
        ):
            streams = (stdin, stdout, stderr)
            if language != "python":
                status = self._shell(body, cwd, streams)
            elif self.python is None:
                status = _process(
                    [sys.executable, "-c", body], cwd, os.environ, streams, self.timeout
                )
            else:
                status = self._served(body, cwd, streams)
            return Outcome(status, _text(stdout), _text(stderr))

    def _served(self, body: str, cwd: Path, streams: Sequence[IO[bytes]]) -> int | None:
        server = self.pyplot if PYPLOT in _imports(body) else self.python
        assert server is not None
        message = {"code": body, "cwd": str(cwd), "env": dict(os.environ)}
        try:
            return _docserver.request(server, message, [s.fileno() for s in streams], self.timeout)
        except TimeoutError:
            return None

    def _shell(self, body: str, cwd: Path, streams: Sequence[IO[bytes]]) -> int | None:
        env = {**os.environ, "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}"}
        if self.command is not None:
            env[_docserver.SOCKET] = self.command
        command = ["bash", "-e", "-o", "pipefail", "-c", body]
        return _process(command, cwd, env, streams, self.timeout)


def _process(
    command: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    streams: Sequence[IO[bytes]],
    timeout: float,
) -> int | None:
    """The exit status of ``command`` (None: killed, with its process group, after
    ``timeout`` seconds)."""
    stdin, stdout, stderr = streams
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=stdin, stdout=stdout, stderr=stderr, start_new_session=True
    )
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return None


def _imports(body: str) -> set[str]:
    """The modules a block imports in its top-level statements (none if it does not parse:
    its server says why, as python would)."""
    try:
        statements = ast.parse(body).body
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in statements:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.update({node.module, *(f"{node.module}.{alias.name}" for alias in node.names)})
    return names


def _text(stream: IO[bytes]) -> str:
    stream.seek(0)
    return stream.read().decode("utf-8", errors="replace")


def _blocks() -> Iterator[tuple[Path, int, str, str, bool]]:
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            language, rest, body = match.groups()
            if language in RUN:
                line = text.count("\n", 0, match.start()) + 1
                yield path, line, language, body, "illustrative" in rest


# Python blocks first: the command's server finishes its imports while they run.
RUNNABLE = [
    pytest.param(language, body, id=f"{path.name}:{line}")
    for path, line, language, body, illustrative in sorted(_blocks(), key=lambda b: b[2] == "sh")
    if not illustrative
]


@pytest.fixture(scope="session")
def runner() -> Iterator[Runner]:
    with tempfile.TemporaryDirectory(prefix="docblocks") as tmp:
        folder = Path(tmp)
        if not SERVED:
            yield Runner(
                None, None, None, _command(folder, [sys.executable, "-m", "probation_audit"])
            )
            return
        python, pyplot, command = (
            str(folder / f"{name}.sock") for name in ("python", "pyplot", "command")
        )
        stages = ((python, PYTHON_PRELOAD), (pyplot, (PYPLOT,)), (command, COMMAND_PRELOAD))
        server = _start(stages, folder / "server.log")
        try:
            client = [sys.executable, "-I", "-S", _docserver.__file__, "client", "probation_audit"]
            yield Runner(python, pyplot, command, _command(folder, client))
        finally:
            _stop(server)


def _command(folder: Path, command: Sequence[str]) -> Path:
    """A folder whose ``probation-audit`` runs ``command`` with its arguments."""
    (folder / "bin").mkdir()
    script = folder / "bin" / "probation-audit"
    script.write_text(f'#!/bin/sh\nexec {shlex.join(command)} "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return folder / "bin"


def _start(stages: Sequence[tuple[str, Sequence[str]]], log: Path) -> subprocess.Popen[str]:
    """The server of each stage, once the first is ready (a request to a later stage waits
    until that stage is)."""
    arguments = [part for path, preload in stages for part in (path, ",".join(preload))]
    with log.open("w", encoding="utf-8") as stderr:
        server = subprocess.Popen(
            [sys.executable, _docserver.__file__, "serve", *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert server.stdout is not None
    started, _, _ = select.select([server.stdout], [], [], TIMEOUT)
    if not started or server.stdout.readline().strip() != _docserver.READY:
        _stop(server)
        raise RuntimeError(f"the block server did not start:\n{log.read_text('utf-8')}")
    return server


def _stop(server: subprocess.Popen[str]) -> None:
    """Close the server's stdin (it exits), and kill it if it has not within 10 s."""
    assert server.stdin is not None and server.stdout is not None
    server.stdin.close()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    server.stdout.close()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


@pytest.mark.parametrize(("language", "body"), RUNNABLE)
def test_block_runs(language: str, body: str, workdir: Path, runner: Runner) -> None:
    for module, signs in EXTRAS.items():
        # Installed or not, found without importing it here: the block's server imports it.
        if any(sign in body for sign in signs) and importlib.util.find_spec(module) is None:
            pytest.skip(f"needs {module}")
    outcome = runner.run(language, body, workdir)
    assert outcome.failure(body) is None, outcome.failure(body)


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


# The runner itself: a block that fails (an exit status, an exception, a command's error, a
# hang) fails its test with the block and what it wrote; a block's changes end with it.
TRACEBACK = 'Traceback (most recent call last):\n  File "<string>", line 2, in <module>\n'
FAILING = [
    pytest.param("python", "import sys\nprint('out')\nsys.exit(3)", 3, "out\n", "", id="exit"),
    pytest.param(
        "python",
        "print('out')\nraise ValueError('boom')",
        1,
        "out\n",
        f"{TRACEBACK}ValueError: boom\n",
        id="exception",
    ),
    pytest.param("python", "raise SystemExit('stopped')", 1, "", "stopped\n", id="message"),
    pytest.param("python", "import os\nos._exit(5)", 5, "", "", id="os-exit"),
    pytest.param("python", "import os\nos.kill(os.getpid(), 9)", -9, "", "", id="signal"),
    pytest.param("sh", "echo out\nfalse\necho after", 1, "out\n", "", id="sh-e"),
    pytest.param("sh", "false | cat\necho after", 1, "", "", id="sh-pipefail"),
]


@pytest.mark.parametrize(("language", "body", "status", "stdout", "stderr"), FAILING)
def test_a_failing_block_fails_with_its_output(
    language: str, body: str, status: int, stdout: str, stderr: str, runner: Runner, tmp_path: Path
) -> None:
    outcome = runner.run(language, body, tmp_path)
    assert outcome == Outcome(status, stdout, stderr)
    assert outcome.failure(body) == f"exit {status}\n{body}\n{stdout}\n{stderr}"


@pytest.mark.parametrize(
    ("language", "body"),
    [
        pytest.param(
            "python", "import sys\nprint('out')\nprint('err', file=sys.stderr)", id="python"
        ),
        pytest.param(
            "python",
            "import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.exit(0)",
            id="exit-0",
        ),
        pytest.param(
            "python",
            "import sys\nprint('out')\nprint('err', file=sys.stderr)\nraise SystemExit",
            id="exit-none",
        ),
        pytest.param("sh", "echo out\necho err >&2", id="sh"),
    ],
)
def test_a_block_that_ends_well_passes_with_its_output(
    language: str, body: str, runner: Runner, tmp_path: Path
) -> None:
    outcome = runner.run(language, body, tmp_path)
    assert outcome == Outcome(0, "out\n", "err\n")
    assert outcome.failure(body) is None


def test_a_shell_block_runs_the_command_under_test_and_stops_at_its_error(
    runner: Runner, tmp_path: Path
) -> None:
    body = (
        "probation-audit --version\ncommand -v probation-audit\n"
        "probation-audit score || echo $?\n"  # a usage error: 2
        "probation-audit score missing.csv --rubric hmip-probation-2023\necho after"
    )
    outcome = runner.run("sh", body, tmp_path)
    shim = runner.bin / "probation-audit"
    assert (outcome.status, outcome.stdout) == (1, f"probation-audit {pa.__version__}\n{shim}\n2\n")
    usage, error = outcome.stderr.split("probation-audit score: error: ")
    assert usage.startswith("usage: probation-audit score [-h]")
    assert error == (
        "the following arguments are required: cases\n"
        "missing.csv: cannot read file: No such file or directory\n"
    )
    assert outcome.failure(body) == f"exit 1\n{body}\n{outcome.stdout}\n{outcome.stderr}"


def test_a_block_runs_in_its_folder_as_python_c_would(runner: Runner, tmp_path: Path) -> None:
    body = "import os, sys\nprint(os.getcwd(), sys.argv, sys.path[0] == '', __name__)"
    outcome = runner.run("python", body, tmp_path)
    assert outcome == Outcome(0, f"{tmp_path} ['-c'] True __main__\n", "")


@pytest.mark.parametrize(
    ("imports", "loaded"), [("", "[]"), ("import matplotlib.pyplot\n", "['matplotlib.pyplot']")]
)
def test_a_block_finds_loaded_only_what_its_own_imports_load(
    imports: str, loaded: str, runner: Runner, tmp_path: Path
) -> None:
    # Modules that neither the package nor a whole-package import loads: a block that used
    # one without importing it would fail for a reader.
    lazy = ["matplotlib.pyplot", "probation_audit.cli", "probation_audit.excel", "polars"]
    body = f"{imports}import sys\nprint([name for name in {lazy} if name in sys.modules])"
    assert runner.run("python", body, tmp_path) == Outcome(0, f"{loaded}\n", "")


def test_a_block_s_changes_do_not_reach_the_next_block(runner: Runner, tmp_path: Path) -> None:
    change = (
        "import os\nimport probation_audit as pa\nfrom probation_audit import loading\n"
        "pa.changed = True\nloading._LOADED['changed'] = None\nos.environ['CHANGED'] = '1'\n"
        "os.chdir('..')\n"
    )
    check = (
        "import os\nimport probation_audit as pa\nfrom probation_audit import loading\n"
        "print(hasattr(pa, 'changed'), 'changed' in loading._LOADED, 'CHANGED' in os.environ)\n"
        "print(os.getcwd())"
    )
    assert runner.run("python", change, tmp_path) == Outcome(0, "", "")
    assert runner.run("python", check, tmp_path) == Outcome(
        0, f"False False False\n{tmp_path}\n", ""
    )
    assert "CHANGED" not in os.environ and not hasattr(pa, "changed")


def test_a_block_whose_environment_changes_how_python_starts_gets_a_fresh_one(
    runner: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = 1 - sys.flags.utf8_mode  # the server's is this process's
    monkeypatch.setenv("PYTHONUTF8", str(other))
    body = "import sys\nprint(sys.flags.utf8_mode, 'probation_audit' in sys.modules)"
    assert runner.run("python", body, tmp_path) == Outcome(0, f"{other} False\n", "")


def test_a_block_that_hangs_fails_and_is_killed(runner: Runner, tmp_path: Path) -> None:
    hang = "import os, time\nprint(os.getpid(), flush=True)\ntime.sleep(60)"
    outcome = attrs.evolve(runner, timeout=0.5).run("python", hang, tmp_path)
    assert (
        outcome.status is None and outcome.failure(hang) == f"timed out\n{hang}\n{outcome.stdout}\n"
    )
    worker = int(outcome.stdout)
    for _ in range(100):  # the server kills it once the runner has gone
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"worker {worker} still runs")


def test_a_shell_block_that_hangs_fails(runner: Runner, tmp_path: Path) -> None:
    started = time.monotonic()
    outcome = attrs.evolve(runner, timeout=0.1).run("sh", "sleep 60", tmp_path)
    assert outcome == Outcome(None, "", "")
    assert time.monotonic() - started < 10


def test_without_fork_a_python_block_is_a_fresh_interpreter(tmp_path: Path) -> None:
    fresh = Runner(None, None, None, tmp_path)
    body = "print(__import__('sys').argv)\nraise ValueError('boom')"
    assert fresh.run("python", body, tmp_path) == Outcome(
        1, "['-c']\n", f"{TRACEBACK}ValueError: boom\n"
    )
