"""Build the SYNTHETIC Northamptonshire 2024 case sample (cases.csv beside this file).

Synthetic data: constructed to match the published aggregates of HM Inspectorate of
Probation's July 2024 Northamptonshire PDU report, not real case records. 70 cases (45
community orders, 25 licences); each key question's 'yes' count k makes k/70 round to the
printed percentage. Licence cases are given 'yes' first on assessment (the report found
licence cases assessed better, especially on engagement) and last on implementation and
delivery (where licence cases fared worse). The prompts under the key questions reproduce the
report's counts ("22 out of 70 cases"), with the cases outside a count's denominator left blank
(not relevant); 14 cases are high risk (`risk_level`), the report's high-risk denominator. Run
it again to regenerate the same file.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

# Printed percentages (the Northamptonshire PDU report (July 2024)) and the unique yes counts out of 70 that round to them.
YES_COUNTS = {
    "P2.1.1": 36,  # 51%
    "P2.1.2": 47,  # 67%
    "P2.1.3": 11,  # 16%
    "P2.2.1": 27,  # 39%
    "P2.2.2": 38,  # 54%
    "P2.2.3": 25,  # 36%
    "P2.3.1": 30,  # 43%
    "P2.3.2": 15,  # 21%
    "P2.3.3": 19,  # 27%
    "P2.4.1": 34,  # 49%
    "P2.4.2": 25,  # 36%
    "P2.4.3": 17,  # 24%
}
COMMUNITY, LICENCE = 45, 25
SEED = 2024
HIGH_RISK = 14

# Prompts: (yes, relevant, who can be relevant) from the Northamptonshire PDU report (July 2024)'s counts and percentages.
PROMPT_COUNTS = {
    "P2.1.1.a": (55, 70, "all"),  # 79%
    "P2.1.1.b": (34, 70, "all"),  # 49%
    "P2.1.2.a": (50, 70, "all"),  # 71%
    "P2.1.3.a": (22, 70, "all"),
    "P2.1.3.b": (39, 70, "all"),  # no request in 31 of 70
    "P2.1.3.c": (15, 60, "all"),
    "P2.1.3.d": (25, 60, "all"),  # not requested in 35 of 60
    "P2.1.3.e": (14, 63, "all"),
    "P2.1.3.f": (7, 59, "all"),
    "P2.2.1.a": (37, 70, "all"),  # 53%
    "P2.2.2.a": (39, 70, "all"),  # 44% did not: 56%
    "P2.2.3.a": (22, 60, "all"),
    "P2.2.3.b": (14, 59, "all"),
    "P2.3.1.a": (53, 70, "all"),  # 76%
    "P2.3.1.b": (17, 48, "all"),  # insufficient in 31 of 48
    "P2.3.1.c": (43, 70, "all"),  # not in 27 of 70
    "P2.3.1.d": (41, 70, "all"),  # 59%
    "P2.3.3.a": (8, 14, "high"),  # 6 of 14 high-risk cases without enough contact
    "P2.3.3.b": (1, 14, "high"),  # not good enough in 13 of 14
    "P2.3.3.c": (4, 41, "all"),
    "P2.3.3.d": (8, 34, "all"),
    "P2.3.3.e": (21, 59, "all"),  # not undertaken in 38 of 59
    "P2.4.3.a": (3, 14, "high"),
}


def build() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    cases = [f"SYN-{n:03d}" for n in range(1, COMMUNITY + LICENCE + 1)]
    kinds = ["community order"] * COMMUNITY + ["licence"] * LICENCE
    rng.shuffle(kinds)
    licence = [c for c, k in zip(cases, kinds, strict=True) if k == "licence"]
    community = [c for c, k in zip(cases, kinds, strict=True) if k != "licence"]
    answers: dict[str, dict[str, str]] = {c: {} for c in cases}
    for qid, k in YES_COUNTS.items():
        lic, com = licence[:], community[:]
        rng.shuffle(lic)
        rng.shuffle(com)
        if qid.startswith("P2.1."):
            # Licence cases first: a licence case is 'yes' at about twice the community rate.
            share = 0.75 if qid == "P2.1.1" else 0.5
            from_licence = min(len(lic), round(k * share))
        elif qid.startswith("P2.3."):
            from_licence = max(0, round(k * 0.2))
        else:
            from_licence = round(k * LICENCE / (COMMUNITY + LICENCE))
        yes = set(lic[:from_licence]) | set(com[: k - from_licence])
        assert len(yes) == k
        for c in cases:
            answers[c][qid] = "yes" if c in yes else "no"
    high = set(rng.sample(cases, HIGH_RISK))
    prompts: dict[str, dict[str, str]] = {c: {} for c in cases}
    for pid, (k, n, who) in PROMPT_COUNTS.items():
        pool = [c for c in cases if c in high] if who == "high" else cases[:]
        rng.shuffle(pool)
        relevant = pool[:n]
        for c in cases:
            prompts[c][pid] = ""
        for i, c in enumerate(relevant):
            prompts[c][pid] = "yes" if i < k else "no"
    return [
        {
            "case_id": c,
            "sentence_type": kind,
            "risk_level": "high" if c in high else "not high",
            **answers[c],
            **prompts[c],
        }
        for c, kind in zip(cases, kinds, strict=True)
    ]


def main() -> None:
    rows = build()
    out = Path(__file__).with_name("cases.csv")
    with out.open("w", newline="", encoding="utf-8") as fp:
        writer = csv.DictWriter(fp, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} synthetic cases to {out}")
    try:
        import openpyxl
    except ImportError:
        print("openpyxl is not installed: cases.xlsx not written")
        return
    # The same cases as a workbook, below a title row as exported sheets often have them.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    sheet.append(
        ["Northamptonshire PDU case audit: SYNTHETIC data built to match the July 2024 report"]
    )
    sheet.append([])
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    workbook.save(out.with_suffix(".xlsx"))
    print(f"wrote {out.with_suffix('.xlsx')}")


if __name__ == "__main__":
    main()
