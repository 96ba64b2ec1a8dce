"""Property tests of prompts: they never change a rating."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import probation_audit as pa

from ..conftest import JUDGED_2024

RUBRIC = pa.load_rubric("hmip-probation-2023")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["yes", "no", "n/a"]), min_size=12, max_size=12),
        min_size=1,
        max_size=15,
    ),
    st.data(),
)
def test_prompts_never_change_a_rating(rows: list[list[str]], data: st.DataObject) -> None:
    plain = {
        f"C{i}": dict(zip(RUBRIC.question_ids, row, strict=True)) for i, row in enumerate(rows)
    }
    with_prompts = {
        case: {
            **answers,
            **{p: data.draw(st.sampled_from(["yes", "no", "n/a", ""])) for p in RUBRIC.prompt_ids},
        }
        for case, answers in plain.items()
    }
    a = pa.score(RUBRIC, plain, JUDGED_2024)
    b = pa.score(RUBRIC, with_prompts, JUDGED_2024)
    assert [(s.rating, s.value, s.lift, s.drop) for s in a.standards] == [
        (s.rating, s.value, s.lift, s.drop) for s in b.standards
    ]
    assert a.overall == b.overall
