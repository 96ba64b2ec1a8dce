"""TOML parsing: bytes to a raw mapping, with exact numbers and located syntax errors."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from fractions import Fraction
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from .errors import AuditError

__all__ = ["NonFinite", "parse_toml"]

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_END_OF_DOCUMENT = re.compile(r"\s*\(at end of document\)\s*$")


class NonFinite:
    """Stands in for a TOML ``inf`` or ``nan`` so that validation can report its key path."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"NonFinite({self.text!r})"


def _parse_float(text: str) -> Fraction | NonFinite:
    if text.lstrip("+-") in ("inf", "nan"):
        return NonFinite(text)
    # TOML floats are decimal literals, so Fraction holds them exactly (0.1 is 1/10).
    return Fraction(text)


def parse_toml(
    data: bytes,
    source: str,
    error: Callable[..., AuditError],
) -> dict[str, Any]:
    """Parse TOML ``data``; a syntax error becomes ``error(message, source=, line=, column=)``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"invalid TOML: not UTF-8 ({exc.reason} at byte {exc.start})", source=source
        ) from None
    try:
        return tomllib.loads(text, parse_float=_parse_float)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        line: int | None = None
        column: int | None = None
        match = _POSITION.search(message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()]
        elif _END_OF_DOCUMENT.search(message):
            message = _END_OF_DOCUMENT.sub("", message) + " at end of document"
        line = getattr(exc, "lineno", line)
        column = getattr(exc, "colno", column)
        msg = getattr(exc, "msg", None)
        if isinstance(msg, str):
            message = msg
        raise error(f"invalid TOML: {message}", source=source, line=line, column=column) from None
