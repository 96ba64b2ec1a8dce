"""Feedback for practitioners and managers: what each case lacked (the key questions and prompts
answered No), and, by a case attribute such as the practitioner, each group's counts.

Groups with fewer cases than a minimum are listed but neither rated nor ranked: a practitioner
with two audited cases is not compared with one who has twenty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .judgments import Sample
from .rubric import Rubric

__all__ = [
    "CaseFeedback",
    "GroupFeedback",
    "case_feedback",
    "feedback_table",
    "group_feedback",
]


@attrs.frozen
class CaseFeedback:
    """One case: its attributes and the key questions and prompts answered No."""

    case_id: str
    attributes: tuple[tuple[str, str], ...]
    #: (key question id, wording) answered No
    questions: tuple[tuple[str, str], ...]
    #: (prompt id, wording) answered No
    prompts: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "attributes": dict(self.attributes),
            "no": [{"id": q, "text": t} for q, t in self.questions],
            "prompts_no": [{"id": p, "text": t} for p, t in self.prompts],
        }


@attrs.frozen
class GroupFeedback:
    """One group of cases (a practitioner, a team): per key question, 'yes' of relevant."""

    attribute: str
    value: str
    cases: int
    #: (key question id, yes, relevant)
    questions: tuple[tuple[str, int, int], ...]
    min_cases: int

    @property
    def too_small(self) -> bool:
        return self.cases < self.min_cases

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute,
            "value": self.value,
            "cases": self.cases,
            "too_small": self.too_small,
            "min_cases": self.min_cases,
            "questions": [
                {
                    "id": q,
                    "yes": y,
                    "relevant": r,
                    "percent": None if not r else round(100 * y / r, 1),
                }
                for q, y, r in self.questions
            ],
        }


def case_feedback(rubric: Rubric, sample: Sample) -> tuple[CaseFeedback, ...]:
    """Per case, in the sample's order, the key questions and prompts answered No.

    Returns:
        One :class:`CaseFeedback` per case, in the sample's order, with the case's attributes and
        the ids and wording of what it answered No.

    Raises:
        Nothing of its own: an id the rubric lacks is given empty wording.
    """
    texts = {q.id: q.text for q in rubric.questions}
    prompt_texts = {p.id: p.text for q in rubric.questions for p in q.prompts}
    out = []
    for i, (case_id, questions, prompts) in enumerate(sample.answered_no()):
        attributes = (
            tuple(zip(sample.attribute_names, sample.attributes[i], strict=True))
            if sample.attributes
            else ()
        )
        out.append(
            CaseFeedback(
                case_id,
                attributes,
                tuple((q, texts.get(q, "")) for q in questions),
                tuple((p, prompt_texts.get(p, "")) for p in prompts),
            )
        )
    return tuple(out)


def group_feedback(
    sample: Sample, attribute: str, *, min_cases: int = 5
) -> tuple[GroupFeedback, ...]:
    """Per value of ``attribute`` (sorted), the cases and each key question's 'yes' of relevant.
    Raises KeyError naming the attributes when ``attribute`` is not one.

    Returns:
        One :class:`GroupFeedback` per value of ``attribute``, in sorted order, with its number of
        cases, ``min_cases``, and each key question's 'yes' and relevant counts.

    Raises:
        KeyError: ``attribute`` is not one of the sample's case attributes.
    """
    out = []
    for value, group in sample.groups(attribute).items():
        tally: Mapping[str, tuple[int, int]] = group.tally()
        out.append(
            GroupFeedback(
                attribute,
                value,
                len(group),
                tuple((q, y, r) for q, (y, r) in tally.items()),
                min_cases,
            )
        )
    return tuple(out)


def feedback_table(
    feedback: Sequence[CaseFeedback],
) -> tuple[list[str], list[list[str]]]:
    """The per-case feedback as one table, the same in CSV and in the workbook.

    One row per case and item answered No (``kind`` is ``key question`` or ``prompt``), and one
    row of kind ``none`` for a case that answered nothing No, so that every audited case
    appears.

    Returns:
        The header (``case_id``, the cases' attribute names, ``kind``, ``id``, ``text``) and
        the rows, in the order of ``feedback``.

    Raises:
        Nothing of its own: ``feedback`` is what :func:`case_feedback` returns.
    """
    names = [name for name, _ in feedback[0].attributes] if feedback else []
    rows: list[list[str]] = []
    for c in feedback:
        values = [v for _, v in c.attributes]
        items = [("key question", q, t) for q, t in c.questions]
        items += [("prompt", p, t) for p, t in c.prompts]
        for kind, item, text in items or [("none", "", "nothing answered No")]:
            rows.append([c.case_id, *values, kind, item, text])
    return ["case_id", *names, "kind", "id", "text"], rows
