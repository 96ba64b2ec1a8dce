"""Scoring from any source: :func:`score` reads judgments (:func:`~probation_audit.reading.read_judgments`)
and rates them with :func:`~probation_audit.rating.score_tally`.

It sits above the readers so that the rating engine (:mod:`probation_audit.rating`) imports
none of them; ``probation_audit.score`` is this function.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._tables import Layout
from .judgments import Missing
from .loading import bundled_difference
from .rating import score_tally
from .reading import JudgmentSource, read_judgments
from .results import Result
from .rubric import Rubric

__all__ = ["score"]


def score(
    rubric: Rubric,
    judgments: JudgmentSource,
    ratings: Mapping[str, str] | None = None,
    *,
    missing: Missing = "error",
    sheet: str | None = None,
    encoding: str | None = None,
    layout: Layout = "auto",
) -> Result:
    """Rate every standard of ``rubric`` from case judgments and judged standards' ratings.

    ``judgments`` is a :class:`Sample`, long records (mappings with ``case_id``,
    ``question_id``, ``judgment``), a wide mapping (case -> question -> judgment) or a
    :class:`os.PathLike` CSV path. ``ratings`` maps judged standards to their labels;
    ``missing``, ``sheet``, ``encoding`` and ``layout`` are as
    :func:`~probation_audit.reading.read_judgments` takes them.
    Raises :class:`AuditErrors` for bad judgments or ratings.

    Returns:
        The :class:`~probation_audit.results.Result`, with every standard's rating and explanation,
        the domain and thread scores, the overall rating and the notes on the data.

    Raises:
        TypeError: ``rubric`` is not a :class:`Rubric`, the judgments are of no supported kind, or
            ``ratings`` is not a mapping.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``, ``layout`` is not one
            of its choices, or ``sheet`` or ``encoding`` does not go with the source (see
            :func:`~probation_audit.reading.read_judgments`).
        AuditErrors: the judgments cannot be read or have problems (every problem listed, each
            located), or ``ratings`` is bad (an unknown or case-based standard, a label off the
            scale, 'not rated' where it is not allowed).
        ImportError: the source is a workbook and openpyxl (the ``excel`` extra) is not installed.

    Example, on four SYNTHETIC cases, three of which pass every key question:

    >>> import probation_audit as pa
    >>> rubric = pa.load_rubric("hmip-probation-2023")
    >>> rows = [
    ...     {"case_id": f"C{i}", "question_id": q, "judgment": "yes" if i < 3 else "no"}
    ...     for i in range(4)
    ...     for q in rubric.question_ids
    ... ]
    >>> result = pa.score(rubric, rows)
    >>> assessment = result.standard("P2.1")
    >>> assessment.rating, assessment.questions[0].yes, assessment.questions[0].relevant
    ('Good', 3, 4)
    >>> result.overall.rating is None  # the judged standards P1.1 to P1.3 were not given
    True
    """
    sample = read_judgments(
        judgments, rubric, missing=missing, sheet=sheet, encoding=encoding, layout=layout
    )
    other_rules = bundled_difference(rubric)
    return score_tally(
        rubric,
        sample.tally(),
        ratings,
        cases=len(sample),
        prompt_tally=sample.prompt_tally(),
        notes=sample.notes if other_rules is None else (other_rules, *sample.notes),
    )
