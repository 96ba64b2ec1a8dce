from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import attrs
import numpy as np
import pytest

import probation_audit as pa
from probation_audit._bulk import count_limit

from .conftest import EXAMPLE_CASES, ROOT, overall


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


def test_rate_many_refuses_counts_it_would_change(rubric: pa.Rubric) -> None:
    ones = np.full((1, 12), 70)
    with pytest.raises(ValueError, match=r"whole-number counts, found 34\.99 \(counts are never"):
        pa.rate_many(rubric, np.full((1, 12), 34.99), ones)
    with pytest.raises(ValueError, match="found NaN or infinity"):
        pa.rate_many(rubric, np.full((1, 12), np.nan), ones)
    with pytest.raises(TypeError, match=r"found text \('34', ...\)"):
        pa.rate_many(rubric, np.full((1, 12), "34"), ones)
    with pytest.raises(TypeError, match="found '34'"):
        pa.rate_many(rubric, [[34] * 11 + ["34"]], ones)
    with pytest.raises(TypeError, match="found None"):
        pa.rate_many(rubric, np.array([[34] * 11 + [None]], dtype=object), ones)
    with pytest.raises(TypeError, match="found True"):
        pa.rate_many(rubric, [[34] * 11 + [True]], ones.tolist())
    huge = 10**18
    with pytest.raises(ValueError, match=f"count of {huge}, above the limit"):
        pa.rate_many(rubric, np.full((1, 12), huge), np.full((1, 12), huge))
    with pytest.raises(ValueError, match="rectangular"):
        pa.rate_many(rubric, [[1, 2], [3]], ones)
    masked = np.ma.masked_array(np.full((1, 12), 34), mask=[[True] + [False] * 11])
    with pytest.raises(ValueError, match="masked counts"):
        pa.rate_many(rubric, masked, ones)
    with pytest.raises(TypeError, match="expected a Rubric"):
        pa.rate_many("hmip-probation-2023", ones, ones)  # type: ignore[arg-type]
    # Whole floats, numpy integers and the limit itself are taken as they are.
    limit = count_limit(rubric)
    assert limit > 10**12
    at_limit = pa.rate_many(rubric, np.full((1, 12), limit), np.full((1, 12), limit))
    assert at_limit.rating(0, "P2.1") == "Outstanding"
    floats = pa.rate_many(rubric, np.full((1, 12), 35.0), ones.astype(np.float32))
    assert floats.rating(0, "P2.1") == "Requires improvement"


def test_rate_many_with_a_first_band_above_the_lowest_rating(rubric: pa.Rubric) -> None:
    from probation_audit.rubric import Band, Bands

    bands = rubric.bands
    raised = attrs.evolve(
        bands,
        bands=(attrs.evolve(bands.bands[0], rating="Requires improvement"), *bands.bands[1:]),
    )
    variant = attrs.evolve(rubric, bands=raised)
    assert isinstance(variant.bands.bands[0], Band) and isinstance(variant.bands, Bands)
    tally = {q: (10, 70) for q in rubric.question_ids}
    exact = pa.score_tally(variant, tally)
    bulk = pa.rate_many(variant, [[10] * 12], [[70] * 12])
    assert exact.standard("P2.1").rating == "Requires improvement"
    assert bulk.rating(0, "P2.1") == "Requires improvement"
    assert bulk.overall_rating(0) == overall(exact).rating


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
