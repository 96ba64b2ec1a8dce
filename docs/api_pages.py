"""Write the API reference pages: one page per public module in docs/api/, and its index.

Run from the repository root after adding, removing or renaming a public module:

    python docs/api_pages.py

tests/test_docs.py checks the pages are up to date, so a new module without a page fails.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import probation_audit

HERE = Path(__file__).resolve().parent
API = HERE / "api"
#: Modules with no reference page: the command line (docs/cli.md).
SKIP = {"cli"}


def public_modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.iter_modules(probation_audit.__path__)
        if not m.name.startswith("_") and m.name not in SKIP
    )


def page(name: str) -> str:
    importlib.import_module(f"probation_audit.{name}")  # fails here for a module that is gone
    # The module's own docstring opens the page (automodule renders it): no summary repeated.
    return (
        f"# `probation_audit.{name}`\n\n"
        "```{eval-rst}\n"
        f".. automodule:: probation_audit.{name}\n"
        "   :members:\n"
        "   :imported-members:\n"
        "   :undoc-members:\n"
        "   :show-inheritance:\n"
        "```\n"
    )


def pages() -> dict[Path, str]:
    names = public_modules()
    out = {API / f"{name}.md": page(name) for name in names}
    toc = "\n".join(names)
    out[API / "index.md"] = (
        "# API reference\n\n"
        "One page per public module, built from the docstrings. The names most scripts need are "
        "also importable from the package itself: see [](package.md). For the audit cycle step "
        "by step, with the commands and these functions in use, see the "
        "[guide](../guide.md).\n\n"
        "```{toctree}\n:maxdepth: 1\n\npackage\n" + toc + "\n```\n"
    )
    out[API / "package.md"] = (
        "# `probation_audit`\n\n"
        "The package re-exports the names most audit scripts need (`pa.score`, "
        "`pa.read_judgments`, ...); each is documented on its module's page, linked below.\n\n"
        "```{eval-rst}\n"
        ".. automodule:: probation_audit\n"
        "   :no-members:\n\n"
        + "".join(_entry(n) for n in probation_audit.__all__ if n != "__version__")
        + "```\n"
        + _private_homes()
    )
    return out


def _entry(name: str) -> str:
    home = _home(name)
    if _is_private(home):  # documented in full below, on this page
        return f"- :py:obj:`probation_audit.{name}`\n"
    return f"- :py:obj:`probation_audit.{name}` — :py:obj:`~{home}`\n"


def _is_private(home: str) -> bool:
    return home.split(".")[1].startswith("_")


def _private_homes() -> str:
    """The package's names whose module is private, documented here under the package."""
    names = [n for n in probation_audit.__all__ if n != "__version__" and _is_private(_home(n))]
    directives = "".join(
        f".. auto{'class' if isinstance(getattr(probation_audit, n), type) else 'function'}"
        f":: probation_audit.{n}\n"
        + ("   :members:\n" if isinstance(getattr(probation_audit, n), type) else "")
        + "\n"
        for n in names
    )
    return (
        "\n## Names whose module is internal\n\n"
        "These live in underscored modules, which may change; import them from the package.\n\n"
        "```{eval-rst}\n.. currentmodule:: probation_audit\n\n" + directives + "```\n"
    )


def _home(name: str) -> str:
    obj = getattr(probation_audit, name)
    return f"{obj.__module__}.{getattr(obj, '__qualname__', name)}"


def main() -> None:
    API.mkdir(exist_ok=True)
    for path, text in pages().items():
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
