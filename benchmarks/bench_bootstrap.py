"""The case bootstrap: 10,000 resamples of a 70-case inspection (the SYNTHETIC Northamptonshire
2024 sample), numpy path against a plain-Python resampling loop written here, in one run.

Both resample whole cases with replacement and tally every key question; the plain loop then
rates each resample with the same rules. Prints the ratio, and checks that both give the
same distribution of overall ratings within sampling error.

Run: python benchmarks/bench_bootstrap.py [--resamples N]
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections import Counter
from pathlib import Path

import probation_audit as pa
from probation_audit import statistics as st

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "examples" / "northamptonshire-2024" / "cases.csv"
)
JUDGED = {"P1.1": "Requires improvement", "P1.2": "Inadequate", "P1.3": "Requires improvement"}


def plain_loop(
    rubric: pa.Rubric, sample: pa.Sample, resamples: int, seed: int
) -> Counter[str | None]:
    rng = random.Random(seed)
    rows = [[int(v) for v in row] for row in sample.codes]
    qids = sample.question_ids
    n = len(rows)
    out: Counter[str | None] = Counter()
    for _ in range(resamples):
        yes = [0] * len(qids)
        relevant = [0] * len(qids)
        for _ in range(n):
            row = rows[rng.randrange(n)]
            for j, code in enumerate(row):
                if code == 1:
                    yes[j] += 1
                if code != -1:
                    relevant[j] += 1
        tally = {q: (yes[j], relevant[j]) for j, q in enumerate(qids)}
        result = pa.score_tally(rubric, tally, JUDGED)
        assert result.overall is not None
        out[result.overall.rating] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=10_000)
    args = parser.parse_args()
    rubric = pa.load_rubric("hmip-probation-2023")
    sample = pa.read_csv(EXAMPLE, rubric)
    gc.collect()
    start = time.perf_counter()
    fast = st.bootstrap_probabilities(rubric, sample, JUDGED, resamples=args.resamples, seed=1)
    t_fast = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    slow = plain_loop(rubric, sample, args.resamples, seed=1)
    t_slow = time.perf_counter() - start
    fast_overall = fast.of("overall")
    for label, count in slow.items():
        assert abs(fast_overall.get(str(label), 0.0) - count / args.resamples) < 0.03, label
    print(f"synthetic 70-case sample, {args.resamples:,} resamples, 12 key questions")
    print(f"plain-Python resampling loop : {t_slow * 1000:9.1f} ms")
    print(
        f"numpy bootstrap (library)    : {t_fast * 1000:9.1f} ms   -> {t_slow / t_fast:6.1f}x faster"
    )


if __name__ == "__main__":
    main()
