"""Deprecated: the written reports moved to :mod:`probation_audit.reports` in 0.2.

This alias is kept for one release and will be removed in 0.3.
"""

from __future__ import annotations

import warnings

from .reports import render_html, render_markdown

__all__ = ["render_html", "render_markdown"]

warnings.warn(
    "probation_audit.documents is now probation_audit.reports (written reports); "
    "published figures and reproduce() are in probation_audit.published",
    DeprecationWarning,
    stacklevel=2,
)
