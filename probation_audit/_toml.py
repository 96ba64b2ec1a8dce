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

__all__ = [
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MAX_FILE_BYTES",
    "MAX_INTEGER",
    "NonFinite",
    "parse_toml",
    "read_toml_bytes",
]

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_END_OF_DOCUMENT = re.compile(r"\s*\(at end of document\)\s*$")


#: Bounds on the numbers a TOML file may give: a rubric's and a report's figures are
#: percentages, weights and counts, far inside them. Past them a number is an error at its key
#: path (building 1e99999999 as an exact Fraction would not finish).
MAX_DIGITS = 30
MAX_EXPONENT = 30
MAX_INTEGER = 10**MAX_DIGITS


class NonFinite:
    """Stands in for a TOML ``inf`` or ``nan``, or a float too long or large to hold exactly,
    so that validation can report its key path."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"NonFinite({self.text!r})"

    @property
    def too_large(self) -> bool:
        """True for a finite literal past :data:`MAX_DIGITS` or :data:`MAX_EXPONENT`."""
        return self.text.lstrip("+-") not in ("inf", "nan")


def _parse_float(text: str) -> Fraction | NonFinite:
    if text.lstrip("+-") in ("inf", "nan"):
        return NonFinite(text)
    mantissa, _, exponent = text.lower().replace("_", "").partition("e")
    digits = sum(c.isdigit() for c in mantissa)
    if digits > MAX_DIGITS or (exponent and abs(int(exponent)) > MAX_EXPONENT):
        return NonFinite(text)
    # TOML floats are decimal literals, so Fraction holds them exactly (0.1 is 1/10).
    return Fraction(text)


#: The largest TOML file read: rubrics and published figures are a few tens of kilobytes, and a
#: stream that never ends (a device, a pipe) must stop somewhere.
MAX_FILE_BYTES = 8 * 1024 * 1024


def read_toml_bytes(path: str, error: Callable[..., AuditError], what: str = "file") -> bytes:
    """A TOML file's bytes, at most :data:`MAX_FILE_BYTES`; an unreadable or larger one is
    ``error(message, source=path)``."""
    try:
        with open(path, "rb") as fp:
            data = fp.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror or exc}", source=path) from None
    if len(data) > MAX_FILE_BYTES:
        raise error(
            f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB: not a rubric or "
            "published-figures file (those are a few tens of kilobytes)",
            source=path,
        )
    return data


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
