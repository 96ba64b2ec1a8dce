"""Scoring at national scale: SYNTHETIC data, 200 inspections x 70 cases x 12 key questions.

Prints ratios measured in this one run (no absolute targets are asserted):

1. the array path (``rate_many`` on per-inspection counts from ``from_array``) against a plain
   per-record Python loop written here, both producing every inspection's ratings;
2. scoring a CSV file (``read_csv`` + ``score``) against a bare ``csv.reader`` pass over the
   same file, wide and long layouts.

Run: python benchmarks/bench_scoring.py [--inspections N] [--repeat R]
"""

from __future__ import annotations

import argparse
import csv
import functools
import gc
import tempfile
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

import numpy as np

import probation_audit as pa

T = TypeVar("T")
CASES = 70
JUDGED = {"P1.1": "Requires improvement", "P1.2": "Inadequate", "P1.3": "Requires improvement"}
WORDS = {1: "yes", 0: "no", -1: "not relevant"}


def best_of(repeat: int, fn: Callable[[], T]) -> tuple[float, T]:
    best, value = float("inf"), None
    for _ in range(repeat):
        gc.collect()  # each run starts from the same heap, as timeit arranges
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    assert value is not None
    return best, value


def synthetic_codes(inspections: int, questions: int, seed: int = 7) -> np.ndarray:
    """Codes per inspection, case and question; each inspection has its own 'yes' rate."""
    rng = np.random.default_rng(seed)
    rate = rng.uniform(0.2, 0.95, size=(inspections, 1, questions))
    yes = rng.random((inspections, CASES, questions)) < rate
    not_relevant = rng.random((inspections, CASES, questions)) < 0.08
    return np.where(not_relevant, -1, yes.astype(np.int8)).astype(np.int8)


def plain_loop(
    rubric: pa.Rubric, records: list[tuple[int, str, str, str]], inspections: int
) -> list[list[str | None]]:
    """The baseline: one pass over long records in plain Python, then the rules per inspection."""
    yes = [dict.fromkeys(rubric.question_ids, 0) for _ in range(inspections)]
    relevant = [dict.fromkeys(rubric.question_ids, 0) for _ in range(inspections)]
    for inspection, _case, qid, judgment in records:
        if judgment == "yes":
            yes[inspection][qid] += 1
            relevant[inspection][qid] += 1
        elif judgment == "no":
            relevant[inspection][qid] += 1
    bands = rubric.bands.bands
    out: list[list[str | None]] = []
    for i in range(inspections):
        row: list[str | None] = []
        for standard in rubric.standards:
            if standard.judged:
                row.append(JUDGED[standard.id])
                continue
            if any(relevant[i][q.id] == 0 for q in standard.questions):
                row.append(None)
                continue
            lowest = min(
                Fraction(100 * yes[i][q.id], relevant[i][q.id]) for q in standard.questions
            )
            row.append(next(b.rating for b in reversed(bands) if lowest >= b.lower))
        out.append(row)
    return out


def array_path(rubric: pa.Rubric, codes: np.ndarray) -> pa.BulkRatings:
    """Counts per inspection and question, then every rating, in numpy."""
    yes = (codes == 1).sum(axis=1)
    relevant = (codes != -1).sum(axis=1)
    return pa.rate_many(rubric, yes, relevant, JUDGED)


def labels(bulk: pa.BulkRatings) -> list[list[str | None]]:
    return [[bulk.rating(i, s) for s in bulk.standard_ids] for i in range(bulk.standards.shape[0])]


def write_csvs(rubric: pa.Rubric, codes: np.ndarray, folder: Path) -> tuple[Path, Path]:
    qids = rubric.question_ids
    wide, long = folder / "national-wide.csv", folder / "national-long.csv"
    with (
        wide.open("w", newline="", encoding="utf-8") as fw,
        long.open("w", newline="", encoding="utf-8") as fl,
    ):
        ww, wl = csv.writer(fw), csv.writer(fl)
        ww.writerow(["case_id", "inspection", *qids])
        wl.writerow(["case_id", "question_id", "judgment"])
        for i in range(codes.shape[0]):
            for c in range(CASES):
                case = f"SYN-{i:03d}-{c:02d}"
                words = [WORDS[int(v)] for v in codes[i, c]]
                ww.writerow([case, f"I{i:03d}", *words])
                wl.writerows([case, q, w] for q, w in zip(qids, words, strict=True))
    return wide, long


def score_csv(rubric: pa.Rubric, path: Path) -> pa.Result:
    return pa.score(rubric, pa.read_csv(path, rubric), JUDGED)


def bare_pass(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fp:
        return sum(1 for _ in csv.reader(fp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rubric = pa.load_rubric("hmip-probation-2023")
    codes = synthetic_codes(args.inspections, len(rubric.question_ids))
    n = codes.size
    print(
        f"synthetic data: {args.inspections} inspections x {CASES} cases x {len(rubric.question_ids)} questions = {n:,} judgments"
    )

    time_array_path(rubric, codes, args.inspections, args.repeat)
    time_csv(rubric, codes, args.inspections, args.repeat)


def time_array_path(rubric: pa.Rubric, codes: np.ndarray, inspections: int, repeat: int) -> None:
    # The records list lives only here, so the CSV timings do not pay for its upkeep.
    records = [
        (i, f"SYN-{i:03d}-{c:02d}", q, WORDS[int(codes[i, c, j])])
        for i in range(inspections)
        for c in range(CASES)
        for j, q in enumerate(rubric.question_ids)
    ]
    t_loop, by_loop = best_of(repeat, lambda: plain_loop(rubric, records, inspections))
    t_array, bulk = best_of(repeat, lambda: array_path(rubric, codes))
    by_array = labels(bulk)
    assert by_loop == by_array, "the array path disagrees with the plain loop"
    # And with the exact, explaining path, inspection by inspection.
    case_ids = [f"C{c}" for c in range(CASES)]
    results: list[pa.Result] = []

    def exact_path() -> list[pa.Result]:
        results[:] = [
            pa.score(rubric, pa.from_array(codes[i], case_ids, rubric.question_ids, rubric), JUDGED)
            for i in range(inspections)
        ]
        return results

    t_exact, _ = best_of(1, exact_path)
    for i, exact in enumerate(results):
        assert [s.rating for s in exact.standards] == by_array[i]
    print(f"plain per-record loop : {t_loop * 1000:8.1f} ms")
    print(
        f"array path (rate_many): {t_array * 1000:8.1f} ms   -> {t_loop / t_array:6.1f}x faster than the loop (target >= 20x)"
    )
    print(
        f"exact path (score)    : {t_exact * 1000:8.1f} ms   ({t_exact / inspections * 1000:.2f} ms per inspection, with explanations)"
    )


def time_csv(rubric: pa.Rubric, codes: np.ndarray, inspections: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wide, long = write_csvs(rubric, codes, Path(tmp))
        for label, path in (("wide", wide), ("long", long)):
            t_bare, rows = best_of(repeat, functools.partial(bare_pass, path))
            t_score, result = best_of(repeat, functools.partial(score_csv, rubric, path))
            assert result.cases == inspections * CASES
            print(
                f"CSV {label:<4} ({rows - 1:>7,} rows): bare csv.reader {t_bare * 1000:7.1f} ms, "
                f"read_csv + score {t_score * 1000:7.1f} ms -> {t_score / t_bare:4.2f}x the bare pass (target <= 3x)"
            )


if __name__ == "__main__":
    main()
