"""How well calibrated are the rating probabilities? Every method, every kind of unit, per
audit size, on SYNTHETIC units (probation_audit.statistics: a latent case quality linking each
case's answers, from none to near all-or-nothing; cases nested in practitioners; relevance
following risk; questions relevant to few cases; the driving question near an edge; caseloads
of 60 to 2,000 cases; audits of 10 to 150).

For each simulated unit: rate its whole caseload (the census), audit a sample of it without
replacement (per practitioner where cases are nested), ask each method for the audit's rating
probabilities, and pool each case-based standard's headline (most likely rating and its
probability) against the census rating.

Printed per kind of unit and method, for all audit sizes ("all") and each audit size:
headlines pooled; ECE (expected calibration error); overstatement (mean headline probability
minus the share right); headlines of 0.99 or more and the share of them wrong; and for each
word of the certainty scale, the share of its headlines that were right and how many there
were ("-" none). The Bayesian bootstrap methods are given the caseload size. "unrated": standards
the audit could not rate at all (no relevant case for a key question), not pooled.

Targets (issue "How sure, held to account on units it was not tuned on"), per kind: ECE <= 0.03;
overstatement <= 0.03 over all sizes and <= 0.05 at 10 cases; headlines of 0.99 or more wrong
<= 1%; each word right at least as often as its lower bound. Exception: the kinds whose
driving question sits within a few points of a band edge (simulation.EDGE_KINDS), where the
recommended method is to be the least overstated.

Run: python benchmarks/bench_calibration.py [--quick] [--units 400] [--resamples 1000]
     [--seed 0] [--kinds SUBSTRING ...] [--methods METHOD ...]
"""

from __future__ import annotations

import argparse
import time

import probation_audit as pa
from probation_audit.statistics import (
    CERTAINTY_WORDS,
    EDGE_KINDS,
    FAMILIES,
    METHODS,
    Calibration,
    calibration,
    least_overstated,
    shortfalls,
)

_SHORT = {
    "almost certain": "alm.certain",
    "very likely": "very likely",
    "likely": "likely",
    "a realistic possibility": "realistic",
    "uncertain": "uncertain",
}


def _row(label: str, c: Calibration) -> str:
    n99, wrong = c.confident_wrong
    words = "".join(
        f"{'-' if right is None else f'{right:.2f}/{n}':>12}" for _, _, n, right in c.words()
    )
    return (
        f"  {label:<22}{c.count:>7,}{c.expected_calibration_error:>7.3f}"
        f"{c.overstatement:>+8.3f}{n99:>7,}{'-' if wrong is None else f'{wrong:.1%}':>7}{words}"
    )


def _verdict(kind: str, c: Calibration) -> str:
    """The targets' verdict line under a method's figures."""
    if kind in EDGE_KINDS:
        return "  targets: an edge kind, held to being the least overstated of the methods run"
    missed = shortfalls(c.figures())
    return "  targets: " + ("met" if not missed else "missed: " + "; ".join(missed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="150 units, 500 resamples")
    parser.add_argument("--units", type=int, default=400, help="simulated units per kind")
    parser.add_argument("--resamples", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kinds", nargs="*", default=[], help="only kinds whose name has one")
    parser.add_argument("--methods", nargs="*", default=list(METHODS), choices=METHODS)
    args = parser.parse_args()
    if args.quick:
        args.units, args.resamples = 150, 500
    rubric = pa.load_rubric("hmip-probation-2023")
    kinds = [f for f in FAMILIES if not args.kinds or any(k in f.name for k in args.kinds)]
    print(
        f"{args.units:,} SYNTHETIC units per kind, 4 case-based standards each, "
        f"{args.resamples:,} resamples per audit, seed {args.seed}"
    )
    print(
        f"  {'audit size':<22}{'heads':>7}{'ECE':>7}{'over':>8}{'>=.99':>7}{'wrong':>7}"
        + "".join(f"{_SHORT[w]:>12}" for _, w in CERTAINTY_WORDS)
    )
    for family in kinds:
        start = time.perf_counter()
        results = calibration(
            rubric,
            family,
            units=args.units,
            methods=tuple(args.methods),
            resamples=args.resamples,
            seed=args.seed,
        )
        seconds = time.perf_counter() - start
        for method, c in results.items():
            print(f"\n{family.name} | {method} | unrated {c.unrated:,} | {seconds:.0f} s")
            print(_row("all", c))
            for n, part in c.sizes():
                print(_row(f"{n} cases", part))
            print(_verdict(family.name, c))
        if family.name in EDGE_KINDS and len(results) > 1:
            least = least_overstated([c.figures() for c in results.values()])
            print(
                f"\n{family.name} | least overstated of the methods run: {least.method} "
                f"({least.overstatement:+.3f})"
            )


if __name__ == "__main__":
    main()
