"""Regenerate the invalid rubric files in rubrics/ from the bundled valid one.

Each case applies text replacements to rubrics/hmip-probation-2023.toml. The expected error
lines (NAME.errors) are written by hand-checking, not by this script: run
``python tests/golden/make_rubric_cases.py`` only to rebuild the .toml inputs.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
VALID = (HERE.parent.parent / "rubrics" / "hmip-probation-2023.toml").read_text(encoding="utf-8")

CASES: dict[str, list[tuple[str, str]]] = {
    "invalid-toml": [('title = "HM', 'title = = "HM')],
    "unknown-top-key": [("schema = 1\n", 'schema = 1\ntitel = "typo"\n')],
    "unknown-band-key": [('rating = "Good", descriptor', 'rating = "Good", descripter')],
    "missing-keys": [
        ('method = "exact"\nstatus = "assumed"\n', 'method = "exact"\n'),
        (
            '{ id = "P2.2.2", text = "Does planning focus sufficiently on reducing reoffending and supporting desistance?" }',
            '{ id = "P2.2.2" }',
        ),
    ],
    "boolean-not-number": [("{ from = 50, to = 65,", "{ from = true, to = 65,")],
    "string-points": [('{ label = "Good", points = 2 }', '{ label = "Good", points = "2" }')],
    "duplicate-standard-id": [('id = "P2.2"\n', 'id = "P2.1"\n')],
    "duplicate-question-id": [('{ id = "P2.4.2",', '{ id = "P2.4.1",')],
    "bands-overlap": [("{ from = 65, to = 80,", "{ from = 60, to = 80,")],
    "bands-gap": [("{ from = 65, to = 80,", "{ from = 70, to = 80,")],
    "bands-out-of-order": [
        (
            '    { from = 50, to = 65, rating = "Requires improvement", descriptor = "too few" },\n    { from = 65, to = 80, rating = "Good", descriptor = "reasonable majority" },\n',
            '    { from = 65, to = 80, rating = "Good", descriptor = "reasonable majority" },\n    { from = 50, to = 65, rating = "Requires improvement", descriptor = "too few" },\n',
        ),
    ],
    "bands-outside-range": [("{ from = 80, to = 100,", "{ from = 80, to = 120,")],
    "band-negative": [("{ from = 0, to = 50,", "{ from = -5, to = 50,")],
    "band-non-finite": [("{ from = 80, to = 100,", "{ from = 80, to = inf,")],
    "band-reversed": [("{ from = 65, to = 80,", "{ from = 80, to = 65,")],
    "label-without-points": [
        ('{ label = "Outstanding", points = 3 }', '{ label = "Outstanding" }')
    ],
    "points-negative": [
        ('{ label = "Inadequate", points = 0 }', '{ label = "Inadequate", points = -1 }')
    ],
    "undefined-aggregation": [
        (
            'aggregation = "lowest"\nquestions = [\n    { id = "P2.3.1"',
            'aggregation = "lowset"\nquestions = [\n    { id = "P2.3.1"',
        )
    ],
    "undefined-standard-in-overall": [('"P2.3", "P2.4"]', '"P2.3", "P2.5"]')],
    "undefined-scale": [('[bands]\nscale = "rating"', '[bands]\nscale = "ratings"')],
    "band-rating-not-on-scale": [('rating = "Good", descriptor', 'rating = "good", descriptor')],
    "overall-points-total": [("{ min = 18, max = 21,", "{ min = 18, max = 24,")],
    "overall-gap": [("{ min = 11, max = 17,", "{ min = 12, max = 17,")],
    "invalid-status": [
        (
            '[rounding]\nmethod = "exact"\nstatus = "assumed"',
            '[rounding]\nmethod = "exact"\nstatus = "guessed"',
        )
    ],
    "judged-with-questions": [
        (
            'basis = "judged"\nscale = "rating"\n\n[[standards]]\nid = "P1.2"',
            'basis = "judged"\nscale = "rating"\naggregation = "lowest"\n\n[[standards]]\nid = "P1.2"',
        )
    ],
    "many-errors": [
        ("schema = 1\n", "schema = 2\n"),
        ('{ label = "Good", points = 2 }', '{ label = "Good", points = 2.5 }'),
        ("{ from = 65, to = 80,", "{ from = 66, to = 80,"),
        ('id = "P2.2"\n', 'id = "P2.1"\n'),
        ('[aggregations.lowest]\nmethod = "lowest"', '[aggregations.lowest]\nmethod = "minimum"'),
        ('domain = "2"\ntitle = "Reviewing"', 'domain = "3"\ntitle = "Reviewing"'),
    ],
}


def main() -> None:
    out = HERE / "rubrics"
    out.mkdir(exist_ok=True)
    for name, edits in CASES.items():
        text = VALID
        for old, new in edits:
            if text.count(old) != 1:
                raise SystemExit(f"{name}: {old!r} occurs {text.count(old)} times")
            text = text.replace(old, new)
        (out / f"{name}.toml").write_text(text, encoding="utf-8")
    print(f"wrote {len(CASES)} invalid rubrics to {out}")


if __name__ == "__main__":
    main()
