"""Score probation case-file audits the way HM Inspectorate of Probation rates services.

>>> import probation_audit as pa
>>> rubric = pa.load_rubric("hmip-probation-2023")
>>> [s.id for s in rubric.standards]
['P1.1', 'P1.2', 'P1.3', 'P2.1', 'P2.2', 'P2.3', 'P2.4']
"""

from __future__ import annotations

from importlib import import_module as _import_module
from types import ModuleType as _ModuleType

from ._bulk import BulkRatings, rate_many
from ._csvfiles import parse_csv, read_csv
from ._frames import from_frame
from ._groups import GroupScores, score_groups
from ._scoring import score
from ._shims import install as _install_shims
from ._trends import Trend, TrendPoint, trend
from ._version import __version__
from .analysis import Analysis, analyse
from .errors import AuditError, AuditErrors, JudgmentError, PublishedFiguresError, RubricError
from .judgments import Judgment, Sample, from_records, from_wide, parse_judgment
from .loading import available_rubrics, load_rubric, parse_rubric, validate_rubric
from .published import Comparison, PublishedReport, bundled_reports, reproduce, reproduce_all
from .rating import score_tally
from .reading import from_array, read_judgments
from .results import (
    DomainResult,
    Margin,
    OverallResult,
    QuestionResult,
    Result,
    StandardResult,
    ThreadResult,
)
from .rubric import Rubric

__all__ = [
    "Analysis",
    "AuditError",
    "AuditErrors",
    "BulkRatings",
    "Comparison",
    "DomainResult",
    "GroupScores",
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
    "Trend",
    "TrendPoint",
    "__version__",
    "analyse",
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
    "read_judgments",
    "reproduce",
    "reproduce_all",
    "score",
    "score_groups",
    "score_tally",
    "trend",
    "validate_rubric",
]

#: The stable modules, reachable as attributes of the package (``pa.excel.write_excel``)
#: without importing each first; loaded on first use, so ``import probation_audit`` stays light.
_MODULES = frozenset(
    (
        "analysis",
        "charts",
        "cli",
        "errors",
        "excel",
        "judgments",
        "loading",
        "published",
        "rating",
        "reading",
        "reports",
        "results",
        "rubric",
        "statistics",
        "testing",
    )
)


def __getattr__(name: str) -> _ModuleType:
    if name in _MODULES:
        return _import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_install_shims()
