"""Score probation case-file audits the way HM Inspectorate of Probation rates services.

>>> import probation_audit as pa
>>> rubric = pa.load_rubric("hmip-probation-2023")
>>> [s.id for s in rubric.standards]
['P1.1', 'P1.2', 'P1.3', 'P2.1', 'P2.2', 'P2.3', 'P2.4']
"""

from __future__ import annotations

from .errors import AuditError, AuditErrors, JudgmentError, PublishedFiguresError, RubricError
from .judgments import (
    Judgment,
    Sample,
    from_array,
    from_frame,
    from_records,
    from_wide,
    parse_csv,
    parse_judgment,
    read_csv,
)
from .loading import available_rubrics, load_rubric, parse_rubric, validate_rubric
from .rating import (
    BulkRatings,
    DomainResult,
    Margin,
    OverallResult,
    QuestionResult,
    Result,
    StandardResult,
    ThreadResult,
    rate_many,
    score,
    score_tally,
)
from .reports import Comparison, PublishedReport, bundled_reports, reproduce
from .rubric import Rubric

__version__ = "0.1.0"

__all__ = [
    "AuditError",
    "AuditErrors",
    "BulkRatings",
    "Comparison",
    "DomainResult",
    "Judgment",
    "JudgmentError",
    "Margin",
    "OverallResult",
    "PublishedFiguresError",
    "PublishedReport",
    "QuestionResult",
    "Result",
    "Rubric",
    "RubricError",
    "Sample",
    "StandardResult",
    "ThreadResult",
    "__version__",
    "available_rubrics",
    "bundled_reports",
    "from_array",
    "from_frame",
    "from_records",
    "from_wide",
    "load_rubric",
    "parse_csv",
    "parse_judgment",
    "parse_rubric",
    "rate_many",
    "read_csv",
    "reproduce",
    "score",
    "score_tally",
    "validate_rubric",
]
