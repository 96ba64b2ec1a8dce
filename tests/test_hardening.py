"""Edges found by fuzzing and by a new user's trial: each class of bad input gets a clear
error, nothing is lost without a word, and API misuse says what was expected."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import probation_audit as pa
from probation_audit.judgments import MAX_ERRORS

from .conftest import DATA


def test_identical_repeats_are_merged_and_said(tmp_path: Path, mini: pa.Rubric) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "case_id,question_id,judgment\n"
        "C1,S1.1,yes\nC1,S1.2,no\nC1,S2.1,no\nC1,S1.1,yes\nC1,S1.2,NO\n",
        encoding="utf-8",
    )
    result = pa.score(pa.load_rubric(DATA / "mini.toml"), path, {"J1": "Good"})
    assert result.notes == (
        "2 answers given again with the same judgment were counted once (lines 5, 6)",
    )
    assert result.question("S1.1").relevant == 1
    assert "Note: 2 answers given again" in result.explain()
    assert pa.Result.from_dict(result.to_dict()) == result


def test_a_million_bad_cells_print_a_thousand_lines_and_a_count(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    path = tmp_path / "bad.csv"
    rows = "".join(f"C{i},maybe,maybe,maybe\n" for i in range(2000))
    path.write_text("case_id,S1.1,S1.2,S2.1\n" + rows, encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_csv(path, mini)
    lines = caught.value.lines()
    assert len(lines) == MAX_ERRORS + 1
    assert lines[-1] == f"{path}: ... and 5000 more problems (the first 1000 are shown)"


def test_api_misuse_says_what_was_expected(mini: pa.Rubric) -> None:
    tally = {q: (1, 2) for q in mini.question_ids}
    with pytest.raises(TypeError, match=r"expected a Rubric \(load it with load_rubric\), got str"):
        pa.score_tally("hmip-probation-2023", tally)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected a Rubric \(load it with load_rubric\), got str"):
        pa.score("hmip-probation-2023", [])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ratings must map judged standard ids to labels"):
        pa.score_tally(mini, tally, ["Good"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ratings must map judged standard ids to labels"):
        pa.score_tally(mini, tally, "J1=Good")  # type: ignore[arg-type]
    numpy_counts = {q: (np.int64(1), np.int32(2)) for q in mini.question_ids}
    result = pa.score_tally(mini, numpy_counts)  # type: ignore[arg-type]
    assert result.question("S1.1").yes == 1 and type(result.question("S1.1").yes) is int
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_tally(mini, {**tally, "S1.1": None, "S1.2": (1, 2, 3)})  # type: ignore[dict-item]
    assert caught.value.lines() == [
        "question 'S1.1': expected a pair of counts (yes, relevant), found None",
        "question 'S1.2': expected a pair of counts (yes, relevant), found (1, 2, 3)",
    ]


def test_from_array_misuse(mini: pa.Rubric) -> None:
    qids = ["S1.1", "S1.2", "S2.1"]
    with pytest.raises(TypeError, match="case_ids must be a sequence of ids"):
        pa.from_array([[1, 0, 1]], "C1", qids, mini)  # type: ignore[arg-type]
    with pytest.raises(pa.AuditErrors, match="a ragged list"):
        pa.from_array([[1, 0, 1], [1]], ["C1", "C2"], qids, mini)
    masked = np.ma.masked_array([[1, 0, 1]], mask=[[False, True, False]])
    with pytest.raises(pa.AuditErrors, match="no answer for question S1.2"):
        pa.from_array(masked, ["C1"], qids, mini)
    sample = pa.from_array(masked, ["C1"], qids, mini, missing="not-relevant")
    assert sample.codes.tolist() == [[1, -1, 1]]
