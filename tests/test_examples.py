from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import probation_audit as pa

from .conftest import EXAMPLE_CASES, ROOT


def test_audit_script_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "audit_script.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Overall: Inadequate, 2 of 21 points" in done.stdout
    assert (
        "Weakest key question: P2.1.3: 11 of 70 relevant cases (15.71%, printed 16%)" in done.stdout
    )


def test_synthetic_sample_regenerates_byte_for_byte(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_cases", ROOT / "examples" / "northamptonshire-2024" / "make_cases_2024.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.build()
    header = ",".join(rows[0])
    lines = [header] + [",".join(row.values()) for row in rows]
    assert "\n".join(lines) + "\n" == EXAMPLE_CASES.read_text(encoding="utf-8")


def test_rate_many_checks_its_input(rubric: pa.Rubric) -> None:
    with pytest.raises(ValueError, match="shape"):
        pa.rate_many(rubric, np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="0 <= yes <= relevant"):
        pa.rate_many(rubric, np.full((1, 12), 5), np.full((1, 12), 4))
    with pytest.raises(pa.AuditErrors, match="invalid rating"):
        pa.rate_many(rubric, np.zeros((1, 12)), np.ones((1, 12)), {"P1.1": "Superb"})


def test_rate_many_on_the_example(rubric: pa.Rubric) -> None:
    sample = pa.read_csv(EXAMPLE_CASES, rubric)
    yes = (sample.codes == 1).sum(axis=0)[None, :]
    relevant = (sample.codes != -1).sum(axis=0)[None, :]
    bulk = pa.rate_many(
        rubric,
        yes,
        relevant,
        {"P1.1": "Requires improvement", "P1.2": "Inadequate", "P1.3": "Requires improvement"},
    )
    assert [bulk.rating(0, s) for s in bulk.standard_ids] == [
        "Requires improvement",
        "Inadequate",
        "Requires improvement",
        "Inadequate",
        "Inadequate",
        "Inadequate",
        "Inadequate",
    ]
    assert (bulk.overall_rating(0), int(bulk.points[0])) == ("Inadequate", 2)
