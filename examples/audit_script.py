"""An internal audit team's script: score this quarter's case audit and explain each rating.

Uses the SYNTHETIC Northamptonshire sample bundled in examples/ (constructed to match the
published 2024 aggregates, not real cases). Replace CASES with your own audit export: a CSV
with `case_id` and one column per key question (yes / no / n/a), or the long layout
`case_id,question_id,judgment`.

Run: python examples/audit_script.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import probation_audit as pa

CASES = Path(__file__).parent / "northamptonshire-2024" / "cases.csv"

# Domain 1 standards are rated by judgement, not from cases: the audit lead supplies them.
JUDGED = {
    "P1.1": "Requires improvement",
    "P1.2": "Inadequate",
    "P1.3": "Requires improvement",
}


def main() -> int:
    rubric = pa.load_rubric("hmip-probation-2023")
    try:
        sample = pa.read_csv(CASES, rubric)
    except pa.AuditErrors as errors:
        # Every bad row at once, each with its file, line, case and question.
        print(errors, file=sys.stderr)
        return 1
    result = pa.score(rubric, sample, ratings=JUDGED)

    print(f"{len(sample)} cases scored with {rubric.title}\n")
    for standard in result.standards:
        print(standard.explain())
    if result.overall is not None:
        print(result.overall.explain())

    # The weakest key question overall, and what it would take to lift its standard.
    weakest = min(
        (q for q in result.questions if q.proportion is not None),
        key=lambda q: q.proportion or 0,
    )
    print(f"\nWeakest key question: {weakest.describe()}")
    lift = result.standard(weakest.standard).lift
    if lift is not None:
        print(f"Lifting {weakest.standard} to {lift.rating} needs {lift.cases} more 'yes' cases.")

    # Boundary-sensitive ratings deserve a second look before they are reported.
    for standard in result.standards:
        if standard.boundary_sensitive:
            print(f"Check {standard.id}: exact and printed percentages give different ratings.")
    for assumption in result.assumptions:
        print(f"Assumed: {assumption}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
