"""One set of rating rules: over generated rubrics (judged standards on scales of their own,
1 to 7 bands with odd edges, either rounding rule, standards left out of the overall rule), the
bulk engine (rate_many, score_groups) gives every standard and the overall rating exactly as
the exact engine (score_tally, score) does."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import probation_audit as pa
from probation_audit import testing
from probation_audit._bulk import lowest_questions

from ..conftest import examples
from .strategies import records


@st.composite
def judged(draw: st.DrawFn, rubric: pa.Rubric) -> dict[str, str]:
    """Ratings for some judged standards: a label of the standard's own scale, or 'not rated'
    where the standard allows it."""
    out = {}
    for s in rubric.standards:
        if not s.judged or not draw(st.booleans()):
            continue
        choices = list(rubric.scale(s.scale or "").labels)
        out[s.id] = draw(st.sampled_from([*choices, "not rated"] if s.may_be_unrated else choices))
    return out


@st.composite
def count(draw: st.DrawFn, rubric: pa.Rubric) -> tuple[int, int]:
    """A (yes, relevant) pair: anywhere, or within one case of a band's lower edge."""
    relevant = draw(st.integers(0, 120))
    if relevant == 0 or draw(st.booleans()):
        return draw(st.integers(0, relevant)), relevant
    edge = draw(st.sampled_from(rubric.bands.bands)).lower
    at = math.ceil(edge * relevant / 100)
    return min(relevant, max(0, at + draw(st.sampled_from([-1, 0, 1])))), relevant


@settings(max_examples=examples(300), deadline=None)
@given(data=st.data())
def test_rate_many_equals_score_tally(data: st.DataObject) -> None:
    rubric = data.draw(testing.rating_rubrics())
    ratings = data.draw(judged(rubric))
    draws = [
        {q: data.draw(count(rubric)) for q in rubric.question_ids}
        for _ in range(data.draw(st.integers(1, 5)))
    ]
    yes = np.array([[t[q][0] for q in rubric.question_ids] for t in draws], dtype=np.int64)
    relevant = np.array([[t[q][1] for q in rubric.question_ids] for t in draws], dtype=np.int64)
    bulk = pa.rate_many(rubric, yes, relevant, ratings)
    drivers = lowest_questions(rubric, yes, relevant)
    for i, tally in enumerate(draws):
        exact = pa.score_tally(rubric, tally, ratings)
        for s in exact.standards:
            assert bulk.rating(i, s.id) == s.rating, (s.id, tally)
            if s.basis != "judged":
                questions = [q.id for q in rubric.standard(s.id).questions]
                lowest = tuple(q for q, low in zip(questions, drivers[s.id][i], strict=True) if low)
                assert lowest == s.driven_by, (s.id, tally)
        assert exact.overall is not None
        assert bulk.overall_rating(i) == exact.overall.rating
        assert int(bulk.points[i]) == (-1 if exact.overall.points is None else exact.overall.points)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_score_groups_equals_score(data: st.DataObject) -> None:
    rubric = data.draw(testing.rating_rubrics(max_standards=3))
    q = len(rubric.question_ids)
    groups = {
        f"G{g}": data.draw(
            st.lists(
                st.lists(st.sampled_from(["yes", "no", "not relevant"]), min_size=q, max_size=q),
                min_size=1,
                max_size=8,
            )
        )
        for g in range(data.draw(st.integers(1, 4)))
    }
    ratings = {g: data.draw(judged(rubric)) for g in groups}
    lines = ["inspection,case_id,question_id,judgment"]
    for unit, matrix in groups.items():
        lines += [
            f"{unit},{r['case_id']},{r['question_id']},{r['judgment']}"
            for r in records(rubric, matrix)
        ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        scores = pa.score_groups(rubric, path, ratings=ratings)
    drivers = scores.driven_by()
    for g, name in enumerate(scores.groups):
        exact = pa.score(rubric, records(rubric, groups[name]), ratings[name])
        for s in exact.standards:
            assert scores.ratings.rating(g, s.id) == s.rating, (name, s.id)
            if s.basis != "judged":
                assert drivers[s.id][g] == s.driven_by, (name, s.id)
        assert exact.overall is not None
        assert scores.ratings.overall_rating(g) == exact.overall.rating
