"""How well calibrated are the rating probabilities? Every method, every scenario family, side
by side, on SYNTHETIC units (probation_audit.simulation: a latent case quality linking each
case's answers, from none to strong; caseloads of 100 to 2,000 cases; audits of 10 to 150).

For each simulated unit: rate its whole caseload (the census), audit a sample of it without
replacement, ask each method for the audit's rating probabilities, and pool each case-based
standard's headline (most likely rating and its probability) against the census rating.
Prints per family and method: the expected calibration error (ECE), how far the headline
probability overstates how often the headline is right, how often a headline of 0.99 or more
was wrong, and the calibration table of the recommended method.

Columns: headlines pooled; ECE; overstatement (mean headline probability minus the share
right); headlines of 0.99 or more and the share wrong; "unrated", standards the audit could not
rate at all (no relevant case for a key question: the headline says "cannot be said" and claims
no likelihood, so it is not pooled); the family's seconds shared equally among the methods.
Only the recommended method is given the caseload size (the alternatives have no caseload
correction). Under each family, the recommended method's overstatement by audit size.

Targets (issue "How sure is this rating?"): ECE <= 0.03 over the whole range; overstatement
<= 0.05 in every family; a headline of 0.99 or more wrong at most 1% of the time.

Run: python benchmarks/bench_calibration.py [--units 2000] [--resamples 2000] [--seed 0]
"""

from __future__ import annotations

import argparse
import time

import probation_audit as pa
from probation_audit.probabilities import METHODS
from probation_audit.simulation import FAMILIES, calibration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2_000, help="simulated units per family")
    parser.add_argument("--resamples", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rubric = pa.load_rubric("hmip-probation-2023")
    print(
        f"{args.units:,} SYNTHETIC units per family, 4 case-based standards each, "
        f"{args.resamples:,} resamples per audit, seed {args.seed}\n"
    )
    print(
        f"{'family':<38}{'method':<20}{'headlines':>10}{'ECE':>8}{'overstates':>12}"
        f"{'>=0.99':>8}{'wrong':>8}{'unrated':>9}{'s/method':>10}"
    )
    tables = {}
    for family in FAMILIES:
        start = time.perf_counter()
        results = calibration(
            rubric,
            family,
            units=args.units,
            methods=METHODS,
            resamples=args.resamples,
            seed=args.seed,
        )
        seconds = time.perf_counter() - start
        for method, c in results.items():
            n99, wrong = c.confident_wrong
            print(
                f"{family.name:<38}{method:<20}{c.count:>10,}{c.expected_calibration_error:>8.3f}"
                f"{c.overstatement:>+12.3f}{n99:>8,}"
                f"{'-' if wrong is None else f'{wrong:.1%}':>8}{c.unrated:>9,}"
                f"{seconds / len(results):>10.1f}"
            )
        tables[family.name] = results[METHODS[0]]
        sizes = ", ".join(
            f"{n} cases {over:+.3f}" for n, _, over in results[METHODS[0]].by_audit_size()
        )
        print(f"{'':<38}{METHODS[0]} overstates by audit size: {sizes}")
        print()
    print(f"Calibration tables of the recommended method ({METHODS[0]}):")
    for name, c in tables.items():
        print(f"\n  {name}")
        print(f"    {'headline probability':<22}{'headlines':>10}{'mean':>8}{'right':>8}")
        for low, high, n, mean, right in c.table():
            print(f"    {f'{low:.2f} to {high:.2f}':<22}{n:>10,}{mean:>8.3f}{right:>8.3f}")


if __name__ == "__main__":
    main()
