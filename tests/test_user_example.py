"""The example from docs/guide.md, as a user would write it: property tests of a rubric
variant with probation_audit.testing. Keep the two in step."""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis")

from hypothesis import given

import probation_audit as pa
from probation_audit import testing

RUBRIC = pa.load_rubric("hmip-probation-2023")


@given(testing.boundary_samples(RUBRIC))
def test_a_question_on_a_band_edge_rates_its_standard(case: testing.BoundarySample) -> None:
    result = pa.score(RUBRIC, case.sample)
    standard = next(s for s in result.standards if case.question in (q.id for q in s.questions))
    assert standard.rating == case.expected


@given(testing.rubrics(RUBRIC), testing.samples(RUBRIC, max_cases=15))
def test_more_yes_never_lowers_a_rating_in_any_variant(
    rubric: pa.Rubric, sample: pa.Sample
) -> None:
    before = pa.score(rubric, sample)
    codes = sample.codes.copy()
    codes[codes == 0] = 1  # every 'no' becomes 'yes'
    after = pa.score(rubric, pa.from_array(codes, sample.case_ids, sample.question_ids, rubric))
    labels = rubric.rating_scale.labels
    for b, a in zip(before.standards, after.standards, strict=True):
        if b.rating is not None and a.rating is not None:
            assert labels.index(a.rating) >= labels.index(b.rating)


@given(testing.invalid_rubrics(RUBRIC))
def test_every_defect_is_reported_where_it_is(case: tuple[dict[str, object], str, str]) -> None:
    mapping, _, key_path = case
    try:
        pa.Rubric.from_mapping(mapping)
    except pa.AuditErrors as errors:
        assert key_path in [e.key_path for e in errors.errors]
    else:
        raise AssertionError("an invalid rubric was accepted")
