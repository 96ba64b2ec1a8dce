"""Make the SYNTHETIC example files of one probation delivery unit's internal audit cycle.

Nothing here is a real case, person or unit. A caseload of 400 cases is invented, two
quarterly audits of 30 cases are drawn from it, and answers are simulated with
probation_audit.statistics (a latent case quality linking each case's answers); the second
quarter is a little better on keeping other people safe. Ten cases of the first quarter are
marked again by a second auditor, who disagrees now and then.

Run from the repository root:  python examples/unit-audit/make_unit_audit.py
It rewrites caseload.csv, q1.csv, q2.csv and double-marked.csv beside this script; the
output is the same on every run (fixed seeds).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

import probation_audit as pa
from probation_audit.statistics import caseload

HERE = Path(__file__).resolve().parent
RUBRIC = pa.load_rubric("hmip-probation-2023")
QUESTIONS = list(RUBRIC.question_ids)
TEAMS = {"North": ["A. Patel", "B. Jones", "C. Okafor"], "South": ["D. Smith", "E. Nowak"]}
ANSWER = {1: "Yes", 0: "No", -1: "N/A"}


def make_caseload(rng: np.random.Generator) -> list[dict[str, str]]:
    people = [(team, name) for team, names in TEAMS.items() for name in names]
    rows = []
    for i in range(400):
        team, name = people[int(rng.integers(len(people)))]
        rows.append(
            {
                "case_id": f"SYN-{i + 1:04}",
                "team": team,
                "practitioner": name,
                "sentence_type": "licence" if rng.random() < 0.35 else "community order",
            }
        )
    return rows


def answers(rng: np.random.Generator, cases: int, safety: float) -> np.ndarray:
    # Engagement and desistance questions near 70%; keeping other people safe lower.
    levels = [0.72, 0.68, safety] * 4
    return caseload(rng, cases, levels, correlation=0.4, relevant=[1.0, 1.0, 0.9] * 4)


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    rng = np.random.default_rng(2026)
    cases = make_caseload(rng)
    write(
        HERE / "caseload.csv",
        list(cases[0]),
        [list(c.values()) for c in cases],
    )
    header = ["case_id", "team", "practitioner", "sentence_type", *QUESTIONS]
    quarters = {}
    for name, safety, seed in (("q1", 0.45, 1), ("q2", 0.6, 2)):
        draw = np.random.default_rng(seed)
        picked = sorted(draw.choice(len(cases), size=30, replace=False).tolist())
        codes = answers(draw, 30, safety)
        rows = [
            [*cases[k].values(), *(ANSWER[int(v)] for v in codes[i])] for i, k in enumerate(picked)
        ]
        quarters[name] = rows
        write(HERE / f"{name}.csv", header, rows)
    # A second auditor re-marks ten cases of the first quarter and disagrees on about one
    # answer in twelve.
    draw = np.random.default_rng(3)
    double = []
    for row in quarters["q1"][:10]:
        double.append([row[0], "auditor 1", *row[4:]])
        second = [
            ("No" if a == "Yes" else "Yes") if a != "N/A" and draw.random() < 0.08 else a
            for a in row[4:]
        ]
        double.append([row[0], "auditor 2", *second])
    write(HERE / "double-marked.csv", ["case_id", "auditor", *QUESTIONS], double)


if __name__ == "__main__":
    main()
