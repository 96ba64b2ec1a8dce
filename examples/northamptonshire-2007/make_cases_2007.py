"""Build the SYNTHETIC Northamptonshire 2007 case sample (cases.csv beside this file).

Synthetic data: constructed so that the published figures of HMI Probation's May 2007
Offender Management Inspection report on Northamptonshire hold, not real case records.
99 cases (60 community orders, 39 licences). For every reconstructed question of the
hmip-omi-2007 rubric, the 'yes' count out of the relevant cases restates the report's finding
(a count exactly; a percentage as a count that rounds to it; "two thirds" and the like as that
fraction). Each criterion's summary question, and where needed questions the report does not
quote (marked unquoted in the rubric), are then set so that every printed criterion score
(all but 2.7, whose score is not in the text) comes out as printed once rounded, and the Risk
of Harm thread as its printed 66%. Which cases answer 'yes' is drawn at random (seeded): only
the counts mean anything. Run it again to regenerate the same file.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import probation_audit as pa  # noqa: E402
from probation_audit.rubric import round_half_up  # noqa: E402

COMMUNITY, LICENCE = 60, 39
CASES = COMMUNITY + LICENCE
SEED = 2007
PRINTED = {
    "1.1": 80,
    "1.2": 69,
    "1.3": 71,
    "1.4": 74,
    "1.5": 72,
    "2.1": 61,
    "2.2": 59,
    "2.3": 68,
    "2.4": 79,
    "2.5": 67,
    "2.6": 75,
    "3.1": 58,
    "3.2": 60,
}
THREAD = 66

WORDS = [
    (
        r"insufficient in around two thirds|insufficient in two thirds|no improvement in two thirds",
        Fraction(1, 3),
    ),
    (r"not in a third|a third needed more detail", Fraction(2, 3)),
    (r"a quarter not", Fraction(3, 4)),
    (r"insufficient in half", Fraction(1, 2)),
    (r"three[- ]quarters", Fraction(3, 4)),
    (r"two thirds", Fraction(2, 3)),
    (r"a third", Fraction(1, 3)),
    (r"half", Fraction(1, 2)),
]
# Findings whose wording needs reading rather than parsing.
SPECIAL = {
    "1.2.15": (29, 56),  # nearly half of the 56 plans (29 + 27) not comprehensive: 27 not
    "1.4.5": (53, 99),  # 54% (53 cases) of the sample
    "1.5.20": (55, 60),  # no plan in five of 60 community orders
    "2.5.5": (18, 27),  # not in a third of 27 cases
    "1.3.6": (5, 12),  # a similar number (5) of 12
    "1.2.16": (36, 51),  # "36 of 51 cases (not used in 15)": the parser would read the "not"
}


def group_of(text: str) -> str:
    if text.startswith("Community orders"):
        return "community"
    if text.startswith("Licences"):
        return "licence"
    return "all"


def size_of(group: str) -> int:
    return {"community": COMMUNITY, "licence": LICENCE, "all": CASES}[group]


def count_for(percent: int, limit: int) -> tuple[int, int]:
    """The largest denominator up to ``limit`` with a count that prints as ``percent``."""
    for n in range(limit, 0, -1):
        for k in range(n + 1):
            if round_half_up(Fraction(100 * k, n)) == percent:
                return k, n
    raise ValueError(percent)


def fraction_for(share: Fraction, limit: int) -> tuple[int, int]:
    n = limit - limit % share.denominator
    return int(share * n), n


def target(qid: str, text: str, finding: str) -> tuple[int, int]:
    """(yes, relevant) restating one finding."""
    if qid in SPECIAL:
        return SPECIAL[qid]
    limit = size_of(group_of(text))
    negated = bool(re.search(r"\bnot\b|insufficient|no improvement", finding))
    if m := re.search(r"all but one of (\d+)", finding):
        n = int(m.group(1))
        return n - 1, n
    if m := re.search(r"all (\d+)", finding):
        n = int(m.group(1))
        return n, n
    if m := re.search(r"(\d+)% of (?:the )?(\d+)", finding):
        return count_for(int(m.group(1)), int(m.group(2)))
    if m := re.search(r"(\d+) of (\d+)", finding):
        x, n = int(m.group(1)), int(m.group(2))
        return (n - x, n) if negated else (x, n)
    if m := re.search(r"(\d+)%", finding):
        p = int(m.group(1))
        return count_for(100 - p if negated else p, limit)
    for pattern, share in WORDS:
        if re.search(pattern, finding):
            return fraction_for(share, limit)
    raise ValueError(f"{qid}: cannot read finding {finding!r}")


SPECIAL.update(
    {
        "1.1.1": count_for(89, 47),  # 89% of the 47 community proposals
        "1.1.11": (40, 40),  # "in all the reports" where seriousness was indicated: 40 chosen
    }
)
# Questions with no figure in the report ("most reports"): results chosen for the sample.
UNQUOTED = {
    "1.1.13": (46, 48),
    "1.1.14": (45, 48),
    "1.1.15": (46, 48),
    "1.1.16": (46, 48),
    "1.1.17": (47, 48),
}


def counts(rubric: pa.Rubric) -> dict[str, tuple[int, int]]:
    """(yes, relevant) for every question: findings, unquoted choices, fitted summaries."""
    out: dict[str, tuple[int, int]] = {}
    for standard in rubric.standards:
        for question in standard.questions:
            if question.summary:
                continue
            if question.unquoted:
                out[question.id] = UNQUOTED[question.id]
                continue
            assert question.source is not None
            finding = question.source.split(": ", 1)[1]
            out[question.id] = target(question.id, question.text, finding)
    weights = rubric.aggregation("criterion")
    assert weights.individual is not None and weights.summary is not None
    for standard in rubric.standards:
        if standard.judged:
            continue
        individual = [
            Fraction(100 * k, n)
            for q in standard.questions
            if not q.summary
            for k, n in [out[q.id]]
        ]
        mean = sum(individual, Fraction(0)) / len(individual)
        printed = PRINTED.get(standard.id)
        if printed is None:
            # 2.7: no printed score; its conclusion (priority) needs a score from 65 to 70.
            printed = 67
        # The summary count whose score lands nearest the printed whole number.
        options = [
            (
                abs(
                    weights.individual * mean + weights.summary * Fraction(100 * k, CASES) - printed
                ),
                k,
            )
            for k in range(CASES + 1)
            if round_half_up(weights.individual * mean + weights.summary * Fraction(100 * k, CASES))
            == printed
        ]
        if not options:
            raise SystemExit(
                f"{standard.id}: no summary count gives {printed}% (mean {float(mean):.1f})"
            )
        out[f"{standard.id}.0"] = (min(options)[1], CASES)
    return out


def thread_score(rubric: pa.Rubric, tally: dict[str, tuple[int, int]]) -> Fraction:
    tagged = [
        q.id
        for s in rubric.standards
        if s.domain in ("1", "2")
        for q in s.questions
        if "roh" in q.tags
    ]
    return sum((Fraction(100 * tally[q][0], tally[q][1]) for q in tagged), Fraction(0)) / len(
        tagged
    )


def build(rubric: pa.Rubric) -> list[dict[str, str]]:
    tally = counts(rubric)
    if round_half_up(thread_score(rubric, tally)) != THREAD:
        raise SystemExit(f"RoH thread {float(thread_score(rubric, tally)):.2f}, not {THREAD}")
    rng = random.Random(SEED)
    kinds = ["community order"] * COMMUNITY + ["licence"] * LICENCE
    rng.shuffle(kinds)
    case_ids = [f"SYN07-{n:03d}" for n in range(1, CASES + 1)]
    by_group = {
        "all": case_ids,
        "community": [c for c, k in zip(case_ids, kinds, strict=True) if k == "community order"],
        "licence": [c for c, k in zip(case_ids, kinds, strict=True) if k == "licence"],
    }
    texts = {q.id: q.text for q in rubric.questions}
    answers: dict[str, dict[str, str]] = {c: {} for c in case_ids}
    for qid in rubric.question_ids:
        yes, relevant = tally[qid]
        pool = list(by_group[group_of(texts[qid])])
        rng.shuffle(pool)
        for case in case_ids:
            answers[case][qid] = "n/a"
        for i, case in enumerate(pool[:relevant]):
            answers[case][qid] = "yes" if i < yes else "no"
    return [
        {"case_id": c, "sentence_type": k, **answers[c]}
        for c, k in zip(case_ids, kinds, strict=True)
    ]


def main() -> None:
    rubric = pa.load_rubric("hmip-omi-2007")
    rows = build(rubric)
    out = Path(__file__).with_name("cases.csv")
    with out.open("w", newline="", encoding="utf-8") as fp:
        writer = csv.DictWriter(fp, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} synthetic cases to {out}")


if __name__ == "__main__":
    main()
