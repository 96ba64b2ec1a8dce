"""Hypothesis strategies for the property tests: tallies, samples, and rubric variants."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import probation_audit as pa
from probation_audit import testing
from probation_audit.rubric import Provenance

PROVENANCE = Provenance("assumed", "property test")


def counts(max_relevant: int = 300) -> st.SearchStrategy[tuple[int, int]]:
    """A (yes, relevant) pair with at least one relevant case: two whole numbers drawn by
    strategies made once (a strategy made for each draw takes twice the time); shrinks to
    (0, 1)."""
    return st.tuples(st.integers(1, max_relevant), st.integers(0, max_relevant)).map(
        lambda pair: (pair[1] % (pair[0] + 1), pair[0])
    )


def tallies(
    rubric: pa.Rubric, max_relevant: int = 300
) -> st.SearchStrategy[dict[str, tuple[int, int]]]:
    """Each key question's (yes, relevant). The strategy is made once per set of questions:
    a test that draws it inside (``data.draw``) would otherwise make it afresh each time."""
    return _tallies(rubric.question_ids, max_relevant)


@functools.cache
def _tallies(
    question_ids: tuple[str, ...], max_relevant: int
) -> st.SearchStrategy[dict[str, tuple[int, int]]]:
    return st.fixed_dictionaries({qid: counts(max_relevant) for qid in question_ids})


def judged_ratings(rubric: pa.Rubric) -> st.SearchStrategy[dict[str, str]]:
    """A label for each judged standard, from its scale (made once per standards' scales)."""
    judged = [s for s in rubric.standards if s.judged]
    return _judged(tuple((s.id, rubric.scale(s.scale or "").labels) for s in judged))


@functools.cache
def _judged(
    scales: tuple[tuple[str, tuple[str, ...]], ...],
) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({sid: st.sampled_from(labels) for sid, labels in scales})


WORDS = ("yes", "no", "not relevant")


@st.composite
def case_matrices(draw: st.DrawFn, rubric: pa.Rubric, max_cases: int = 40) -> list[list[str]]:
    """Per case, a judgment for every key question (rows of 'yes' / 'no' / 'not relevant'),
    drawn as one array (a fifth of the time of a list of lists; it shrinks towards 'yes')."""
    n = draw(st.integers(1, max_cases))
    shape = (n, len(rubric.question_ids))
    codes = draw(hnp.arrays(np.int8, shape, elements=st.integers(0, 2)))
    return [[WORDS[v] for v in row] for row in codes.tolist()]


def records(rubric: pa.Rubric, matrix: list[list[str]], prefix: str = "C") -> list[dict[str, str]]:
    return [
        {"case_id": f"{prefix}{i}", "question_id": qid, "judgment": value}
        for i, row in enumerate(matrix)
        for qid, value in zip(rubric.question_ids, row, strict=True)
    ]


def band_variants(rubric: pa.Rubric) -> st.SearchStrategy[pa.Rubric]:
    """The rubric with other cut points and either rounding rule (the public strategy)."""
    return testing.rubrics(rubric)


def reference_band(rubric: pa.Rubric, yes: int, relevant: int) -> str:
    """Independent band lookup: integer comparisons only, no shared code with the library."""
    # Value compared: 100*yes/relevant, or its half-up whole number.
    bands = rubric.bands.bands
    if rubric.rounding.method == "half-up":
        # floor(100*yes/relevant + 1/2) == (200*yes + relevant) // (2*relevant)
        whole = (200 * yes + relevant) // (2 * relevant)
        num, den = whole, 1
    else:
        num, den = 100 * yes, relevant
    chosen: Any = None
    for band in bands:
        # num/den >= lower  <=>  num * lower.den >= lower.num * den
        if num * band.lower.denominator >= band.lower.numerator * den:
            chosen = band.rating
    return str(chosen)
