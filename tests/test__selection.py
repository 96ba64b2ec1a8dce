"""Choosing cases: exact proportional allocation, uniform draws within strata, reproducibility."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from probation_audit._selection import allocate, select_cases
from probation_audit.cli import main


@pytest.mark.parametrize(
    ("sizes", "n", "expected"),
    [
        ({"a": 45, "b": 25}, 20, {"a": 13, "b": 7}),  # 12.86 and 7.14: the larger remainder
        ({"a": 1, "b": 1, "c": 98}, 3, {"a": 1, "b": 1, "c": 1}),  # every stratum one case
        ({"a": 1, "b": 99}, 10, {"a": 1, "b": 9}),  # 0.1 rounds to 0, raised to 1
        ({"a": 1, "b": 1, "c": 98}, 2, {"a": 0, "b": 0, "c": 2}),  # too few for every stratum
        ({"a": 5, "b": 5}, 5, {"a": 3, "b": 2}),  # a tie: the earlier key
        ({"a": 3, "b": 4}, 10, {"a": 3, "b": 4}),  # more than the caseload: everyone
        ({"a": 10, "b": 0}, 4, {"a": 4, "b": 0}),
    ],
)
def test_allocation(sizes: dict[str, int], n: int, expected: dict[str, int]) -> None:
    assert allocate(sizes, n) == expected


def test_draws_are_uniform_within_strata_and_reproducible() -> None:
    """Chi-square over many seeds: each case of a stratum is chosen equally often."""
    stats = pytest.importorskip("scipy.stats")
    strata = ["A"] * 12 + ["B"] * 8
    counts: Counter[int] = Counter()
    seeds = 2000
    for seed in range(seeds):
        chosen = select_cases(strata, 5, seed=seed).chosen
        counts.update(chosen)
        assert sorted(strata[i] for i in chosen).count("A") == 3  # 12/20 * 5 = 3
    a = [counts[i] for i in range(12)]
    b = [counts[i] for i in range(12, 20)]
    assert stats.chisquare(a).pvalue > 0.001 and stats.chisquare(b).pvalue > 0.001
    assert select_cases(strata, 5, seed=7) == select_cases(strata, 5, seed=7)
    assert select_cases(strata, 5, seed=7).chosen != select_cases(strata, 5, seed=8).chosen


def test_reserve_never_repeats_a_chosen_case() -> None:
    strata = ["A"] * 10 + ["B"] * 10
    selection = select_cases(strata, 6, reserve=4, seed=3)
    assert len(selection.chosen) == 6 and len(selection.reserve) == 4
    assert not set(selection.chosen) & set(selection.reserve)
    assert selection.allocation == (("A", 10, 3, 2), ("B", 10, 3, 2))


def test_select_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    caseload = tmp_path / "caseload.csv"
    caseload.write_text(
        "case_id,sentence_type,team\n"
        + "".join(
            f"SYN-{i:03d},{'licence' if i % 3 == 0 else 'community order'},T{i % 2}\n"
            for i in range(30)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "selection.csv"
    template = tmp_path / "audit.csv"
    argv = [
        "select", str(caseload), "--n", "9", "--by", "sentence_type", "--seed", "7",
        "--reserve", "3", "--output", str(out), "--template", str(template),
        "--rubric", "hmip-probation-2023", "--attribute", "team",
    ]  # fmt: skip
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "licence: 3 of 10 chosen, 1 in reserve" in text
    assert "community order: 6 of 20 chosen, 2 in reserve" in text
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["selection"] for r in rows].count("chosen") == 9
    assert set(rows[0]) == {
        "case_id", "sentence_type", "team", "selection", "order", "stratum", "seed"
    }  # fmt: skip
    assert {r["seed"] for r in rows} == {"7"}
    filled = list(csv.DictReader(io.StringIO(template.read_text(encoding="utf-8"))))
    assert [r["case_id"] for r in filled] == [
        r["case_id"] for r in rows if r["selection"] == "chosen"
    ]
    assert filled[0]["team"] in ("T0", "T1")
    first = out.read_text(encoding="utf-8")
    capsys.readouterr()
    # An existing template may hold recorded answers: never replaced without --force.
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert f"--template {template} already exists and may hold recorded answers" in (
        capsys.readouterr().err
    )
    assert main([*argv, "--force"]) == 0  # the same seed, the same selection
    assert out.read_text(encoding="utf-8") == first
    capsys.readouterr()
    with pytest.raises(SystemExit) as caught:
        main(["select", str(caseload), "--plan", "0.45", "--output", str(out)])
    assert caught.value.code == 2
    assert "--template and --plan need --rubric" in capsys.readouterr().err
    assert (
        main(
            [
                "select",
                str(caseload),
                "--plan",
                "0.45",
                "--rubric",
                "hmip-probation-2023",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    assert "chose 30 of 30 cases" in capsys.readouterr().out  # plan asks for 89: the whole caseload
    assert main(["select", str(caseload), "--n", "3", "--by", "grade", "--output", str(out)]) == 1
    assert "no column 'grade'" in capsys.readouterr().err


def test_a_draw_without_a_seed_is_fresh_and_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No --seed: a fresh seed each time, printed and written in the selection, and the draw
    repeats exactly from it."""
    caseload = tmp_path / "caseload.csv"
    caseload.write_text(
        "case_id,team\n" + "".join(f"C{i:03d},T{i % 3}\n" for i in range(200)),
        encoding="utf-8",
    )  # SYNTHETIC
    seeds, files = [], []
    for k in range(2):
        out = tmp_path / f"selection-{k}.csv"
        assert main(["select", str(caseload), "--n", "20", "--output", str(out)]) == 0
        printed = capsys.readouterr().out
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        (seed,) = {r["seed"] for r in rows}
        assert f"(seed {seed}: repeat this draw with --seed {seed})" in printed
        seeds.append(seed)
        files.append(out.read_text(encoding="utf-8"))
    assert seeds[0] != seeds[1]
    again = tmp_path / "again.csv"
    argv = ["select", str(caseload), "--n", "20", "--seed", seeds[0], "--output", str(again)]
    assert main(argv) == 0
    assert again.read_text(encoding="utf-8") == files[0]


def test_a_fresh_seed_has_at_most_15_digits_so_a_spreadsheet_keeps_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel keeps 15 significant digits: a fresh seed is drawn below 10**15; an explicit seed
    up to 2**63 - 1 still repeats its draw."""
    from probation_audit.cli import _select

    caseload = tmp_path / "caseload.csv"
    caseload.write_text(
        "case_id\n" + "".join(f"C{i:03d}\n" for i in range(50)), encoding="utf-8"
    )  # SYNTHETIC
    bounds: list[int] = []

    def largest(bound: int) -> int:
        bounds.append(bound)
        return bound - 1

    monkeypatch.setattr("probation_audit.cli._select.secrets.randbelow", largest)
    out = tmp_path / "fresh.csv"
    assert main(["select", str(caseload), "--n", "5", "--output", str(out)]) == 0
    assert bounds == [10**15] == [_select.FRESH_SEEDS]
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["seed"] for r in rows} == {"999999999999999"}
    assert float(rows[0]["seed"]) == 999_999_999_999_999  # a double holds it exactly
    assert "repeat this draw with --seed 999999999999999)" in capsys.readouterr().out
    again = tmp_path / "again.csv"
    argv = ["--n", "5", "--seed", "999999999999999", "--output", str(again)]
    assert main(["select", str(caseload), *argv]) == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    big = tmp_path / "big.csv"
    argv = ["--n", "5", "--seed", str(2**63 - 1), "--output", str(big)]
    assert main(["select", str(caseload), *argv]) == 0
    assert bounds == [10**15]  # an explicit seed draws none
    assert {r["seed"] for r in csv.DictReader(io.StringIO(big.read_text(encoding="utf-8")))} == {
        "9223372036854775807"
    }
