"""Property tests of prompts: they never change a rating."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import probation_audit as pa

from ..conftest import JUDGED_2024

RUBRIC = pa.load_rubric("hmip-probation-2023")
PROMPT_ANSWERS = ("yes", "no", "n/a", "")


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
    # Every case's prompt answers in one draw (a draw per prompt took most of the time).
    shape = (len(rows), len(RUBRIC.prompt_ids))
    prompts = data.draw(hnp.arrays(np.int8, shape, elements=st.integers(0, 3))).tolist()
    with_prompts = {
        case: {
            **answers,
            **{p: PROMPT_ANSWERS[v] for p, v in zip(RUBRIC.prompt_ids, codes, strict=True)},
        }
        for (case, answers), codes in zip(plain.items(), prompts, strict=True)
    }
    a = pa.score(RUBRIC, plain, JUDGED_2024)
    b = pa.score(RUBRIC, with_prompts, JUDGED_2024)
    assert [(s.rating, s.value, s.lift, s.drop) for s in a.standards] == [
        (s.rating, s.value, s.lift, s.drop) for s in b.standards
    ]
    assert a.overall == b.overall
