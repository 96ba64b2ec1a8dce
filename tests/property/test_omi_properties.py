"""Properties of the weighted (2007) method: bounds, exact boundaries, section means,
threads, margins against a brute-force search, and invariances."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import probation_audit as pa

from ..conftest import DATA, examples
from .strategies import case_matrices, counts, records, tallies

OMI = pa.load_rubric(DATA / "omi-mini.toml")
LABELS = OMI.rating_scale.labels


@given(tallies(OMI, 60))
def test_weighted_score_lies_between_its_components(tally: dict[str, tuple[int, int]]) -> None:
    for s in pa.score_tally(OMI, tally).standards:
        if s.basis == "judged":
            continue
        assert (
            s.value is not None and s.individual_mean is not None and s.summary_percent is not None
        )
        low, high = sorted((s.individual_mean, s.summary_percent))
        assert low <= s.value <= high
        if s.individual_mean == s.summary_percent:
            assert s.value == s.individual_mean


@given(counts(60), st.data())
def test_equal_components_give_that_score(c: tuple[int, int], data: st.DataObject) -> None:
    yes, relevant = c
    scale = data.draw(st.integers(1, 4))
    tally = {q: (yes * scale, relevant * scale) for q in OMI.question_ids}
    result = pa.score_tally(OMI, tally)
    for sid in ("C1", "C2"):
        assert result.standard(sid).value == Fraction(100 * yes, relevant)


@settings(max_examples=examples(200))
@given(st.sampled_from([65, 70]), st.integers(1, 12), st.integers(-1, 1))
def test_exact_boundaries_and_one_case_either_side(edge: int, n: int, offset: int) -> None:
    # Summary fixed at the edge's value and both individual questions at k/(5n): the score is
    # exactly the edge when k = edge*n/20, which needs no rounding to land there.
    relevant = 20 * n
    k = edge * n // 5  # edge% of 20n: (edge/100) * 20n
    tally = {
        "C1.0": (k, relevant),
        "C1.1": (k + offset, relevant),
        "C1.2": (k, relevant),
        "C2.0": (1, 1),
        "C2.1": (1, 1),
    }
    c1 = pa.score_tally(OMI, tally).standard("C1")
    assert c1.value == edge + Fraction(offset * 2 * 100, 5 * relevant) * 1
    expected = LABELS[[65, 70].index(edge) + (0 if offset < 0 else 1)]
    assert c1.rating == expected


@given(tallies(OMI, 40))
def test_section_mean_is_bounded_by_its_criteria(tally: dict[str, tuple[int, int]]) -> None:
    result = pa.score_tally(OMI, tally)
    values = [result.standard(s).value for s in ("C1", "C2")]
    section = result.domain("1").value
    assert section is not None and all(v is not None for v in values)
    assert (
        min(v for v in values if v is not None)
        <= section
        <= max(v for v in values if v is not None)
    )
    assert section == sum(v for v in values if v is not None) / 2


@given(tallies(OMI, 40))
def test_thread_is_the_mean_of_exactly_the_tagged_questions(
    tally: dict[str, tuple[int, int]],
) -> None:
    thread = pa.score_tally(OMI, tally).thread("roh")
    tagged = [q.id for q in OMI.questions if "roh" in q.tags]
    assert thread.questions == tuple(tagged)
    assert thread.value == sum(Fraction(100 * tally[q][0], tally[q][1]) for q in tagged) / len(
        tagged
    )


@settings(max_examples=examples(150))
@given(st.fixed_dictionaries({q: counts(4) for q in ("C1.0", "C1.1", "C1.2")}))
def test_weighted_margins_match_brute_force(tally: dict[str, tuple[int, int]]) -> None:
    full = {**tally, "C2.0": (1, 1), "C2.1": (1, 1)}
    c1 = pa.score_tally(OMI, full).standard("C1")
    rank = LABELS.index(str(c1.rating))
    qids = ("C1.0", "C1.1", "C1.2")
    best_up: int | None = None
    best_down: int | None = None
    for changes in itertools.product(
        *(range(-tally[q][0], tally[q][1] - tally[q][0] + 1) for q in qids)
    ):
        if all(c >= 0 for c in changes) or all(c <= 0 for c in changes):
            moved = {q: (tally[q][0] + c, tally[q][1]) for q, c in zip(qids, changes, strict=True)}
            after = LABELS.index(str(pa.score_tally(OMI, {**full, **moved}).standard("C1").rating))
            size = sum(abs(c) for c in changes)
            if after > rank and all(c >= 0 for c in changes):
                best_up = size if best_up is None else min(best_up, size)
            if after < rank and all(c <= 0 for c in changes):
                best_down = size if best_down is None else min(best_down, size)
    assert (c1.lift.cases if c1.lift else None) == best_up
    assert (c1.drop.cases if c1.drop else None) == best_down


@settings(max_examples=60)
@given(case_matrices(OMI, 25), st.integers(1, 4))
def test_not_relevant_cases_change_nothing(matrix: list[list[str]], extra: int) -> None:
    base = pa.score(OMI, records(OMI, matrix), {"J1": "well met"})
    padding = [["not relevant"] * len(OMI.question_ids)] * extra
    padded = pa.score(
        OMI, records(OMI, matrix) + records(OMI, padding, prefix="NR"), {"J1": "well met"}
    )
    assert padded.standards == base.standards
    assert padded.domains == base.domains
    assert padded.threads == base.threads
