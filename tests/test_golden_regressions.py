"""Failure classes found by the fuzzing suite and a new user's trial, kept as files: each gives
exactly the lines in its ``.errors`` file, through the API and through the CLI (exit 1, no
traceback). File names in the lines are written as the bare name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit.cli import main

from .conftest import DATA, GOLDEN

CASES = sorted(
    p for p in (GOLDEN / "regressions").iterdir() if p.suffix in (".toml", ".csv", ".xlsx")
)


def _api_lines(path: Path) -> list[str]:
    if path.name.startswith("rubric-"):
        return [p.render() for p in pa.validate_rubric(path)]
    try:
        if path.name.startswith("published-"):
            pa.reproduce(path)
        else:
            pa.read_judgments(path, pa.load_rubric(DATA / "mini.toml"))
    except pa.AuditErrors as errors:
        return errors.lines()
    return []


def _cli_argv(path: Path) -> list[str]:
    if path.name.startswith("rubric-"):
        return ["validate", str(path)]
    if path.name.startswith("published-"):
        return ["reproduce", str(path)]
    return ["score", str(path), "--rubric", str(DATA / "mini.toml")]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_regression_file_gives_its_lines(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if path.suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    expected = path.with_name(path.name + ".errors").read_text(encoding="utf-8").splitlines()
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    lines = [line.replace(str(copy), path.name) for line in _api_lines(copy)]
    assert lines == expected
    assert main(_cli_argv(copy)) == 1
    err = capsys.readouterr().err.replace(str(copy), path.name)
    assert "Traceback" not in err
    assert err.splitlines() == expected


def regenerate() -> None:  # pragma: no cover - run by hand after a deliberate message change
    import tempfile

    for path in CASES:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / path.name
            shutil.copy(path, copy)
            lines = [line.replace(str(copy), path.name) for line in _api_lines(copy)]
        path.with_name(path.name + ".errors").write_text(
            "".join(line + "\n" for line in lines), encoding="utf-8"
        )


if __name__ == "__main__":  # pragma: no cover
    regenerate()
