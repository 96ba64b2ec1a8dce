"""Regenerate the invalid rubric files in rubrics/ from valid ones.

Each case in CASES applies text replacements to rubrics/hmip-probation-2023.toml; each in
OMI_CASES to tests/data/omi-mini.toml (the 2007-style keys). The expected error
lines (NAME.errors) are written by hand-checking, not by this script: run
``python tests/golden/make_rubric_cases.py`` only to rebuild the .toml inputs.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
VALID = (HERE.parent.parent / "rubrics" / "hmip-probation-2023.toml").read_text(encoding="utf-8")
OMI_VALID = (HERE.parent / "data" / "omi-mini.toml").read_text(encoding="utf-8")

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

_SECTION = '[aggregations.section]\nmethod = "mean"\nstatus = "assumed"\nsource = "test fixture"'
_C2 = 'title = "Second criterion"\nstatement = "Test."\nbasis = "cases"\naggregation = "criterion"'
OMI_CASES: dict[str, list[tuple[str, str]]] = {
    "weights-not-summing-to-one": [
        ("individual = 0.8\nsummary = 0.2", "individual = 0.8\nsummary = 0.3")
    ],
    "weights-on-lowest": [
        (
            '[aggregations.section]\nmethod = "mean"',
            '[aggregations.section]\nmethod = "mean"\nindividual = 0.5',
        )
    ],
    "weighted-without-weights": [("individual = 0.8\nsummary = 0.2\n", "")],
    "thread-unknown-tag": [('tag = "roh"', 'tag = "rho"')],
    "thread-unknown-section": [('domains = ["1"]', 'domains = ["1", "5"]')],
    "classification-out-of-order": [
        (
            '    { from = 65, to = 70, rating = "priority for improvement" },\n    { from = 70, to = 100, rating = "good" },',
            '    { from = 70, to = 100, rating = "good" },\n    { from = 65, to = 70, rating = "priority for improvement" },',
        ),
    ],
    "classification-rating-falls": [
        (
            '{ from = 65, to = 70, rating = "priority for improvement" }',
            '{ from = 65, to = 70, rating = "good" }',
        ),
        (
            '{ from = 70, to = 100, rating = "good" }',
            '{ from = 70, to = 100, rating = "priority for improvement" }',
        ),
    ],
    "two-summary-questions": [
        ('{ id = "C1.1", text = "First?" }', '{ id = "C1.1", text = "First?", summary = true }')
    ],
    "summary-with-lowest": [
        (
            _SECTION,
            _SECTION
            + '\n\n[aggregations.lowest]\nmethod = "lowest"\nstatus = "assumed"\nsource = "test fixture"',
        ),
        (_C2, _C2.replace('"criterion"', '"lowest"')),
    ],
    "domain-aggregation-not-mean": [
        ('title = "Cases"\naggregation = "section"', 'title = "Cases"\naggregation = "criterion"')
    ],
    "overall-scale-without-points": [
        (
            '[[domains]]\nid = "1"',
            '[overall]\nmethod = "sum-points"\nscale = "conclusion"\nstandards = ["C1", "C2"]\nstatus = "assumed"\nsource = "x"\nband = [{ min = 0, max = 4, rating = "good" }]\n\n[[domains]]\nid = "1"',
        ),
    ],
    "summary-not-boolean": [
        (
            '{ id = "C1.0", text = "Overall sufficient?", summary = true }',
            '{ id = "C1.0", text = "Overall sufficient?", summary = "yes" }',
        )
    ],
    "follow-up-out-of-range": [
        (
            'domains = ["1"]\nstatus = "assumed"\nsource = "test fixture"',
            'domains = ["1"]\nstatus = "assumed"\nsource = "test fixture"\nfollow_up = { below = 150, status = "assumed", source = "x" }',
        ),
    ],
}


def main() -> None:
    out = HERE / "rubrics"
    out.mkdir(exist_ok=True)
    for name, edits, base in [(n, e, VALID) for n, e in CASES.items()] + [
        (n, e, OMI_VALID) for n, e in OMI_CASES.items()
    ]:
        text = base
        for old, new in edits:
            if text.count(old) != 1:
                raise SystemExit(f"{name}: {old!r} occurs {text.count(old)} times")
            text = text.replace(old, new)
        (out / f"{name}.toml").write_text(text, encoding="utf-8")
    print(f"wrote {len(CASES) + len(OMI_CASES)} invalid rubrics to {out}")


if __name__ == "__main__":
    main()
