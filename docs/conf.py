"""Sphinx configuration: the Markdown pages through MyST, the API reference from docstrings.

Build (from the repository root, with the ``docs`` extra installed):

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import probation_audit

project = "probation_audit"
author = "probation_audit developers"
release = probation_audit.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_preserve_defaults = True
nitpicky = False
html_theme = "alabaster"
# Room in the sidebar for the longest module name (probation_audit.statistics).
html_theme_options = {"page_width": "1240px", "sidebar_width": "300px"}
html_title = f"probation_audit {release}"
suppress_warnings = ["myst.xref_missing"]
