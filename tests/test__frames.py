"""Tests of probation_audit._frames: data frames as judgments."""

from __future__ import annotations

from pathlib import Path

import pytest

import probation_audit as pa


def test_nan_in_a_data_frame_says_how_pandas_made_it(tmp_path: Path, mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "cases.csv"
    path.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,no,N/A\n", encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(pandas.read_csv(path), mini)
    (line,) = caught.value.lines()
    assert line.endswith("read the file with keep_default_na=False")
    assert line.startswith("<DataFrame>:2: case 'C1', question 'S2.1': no answer")
    assert pa.read_judgments(pandas.read_csv(path, keep_default_na=False), mini).codes.tolist() == [
        [1, 0, -1]
    ]
