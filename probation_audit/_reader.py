"""Typed access to raw mappings (parsed TOML) that collects every problem with its key path."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any, TypeVar

from ._toml import MAX_DIGITS, MAX_EXPONENT, MAX_INTEGER, NonFinite
from .errors import AuditError

T = TypeVar("T")

_MISSING: Any = object()


def describe(value: object) -> str:
    """How a found value is named in an error message."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, NonFinite):
        shown = value.text if len(value.text) <= 40 else value.text[:37] + "..."
        if value.too_large:
            return (
                f"number {shown} (numbers here have at most {MAX_DIGITS} digits and an "
                f"exponent within +-{MAX_EXPONENT})"
            )
        return f"non-finite number {shown}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, int):
        if abs(value) >= MAX_INTEGER:
            digits = len(str(abs(value)))
            return f"an integer of {digits} digits (at most {MAX_DIGITS} are accepted)"
        return f"integer {value}"
    if isinstance(value, Fraction):
        return f"number {format_number(value)}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "an array"
    return type(value).__name__


def format_number(value: Fraction | int) -> str:
    """An exact number as its shortest readable form: 50, 0.2, 2/3."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    # Terminating decimals print as decimals, others as fractions.
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        digits = 0
        scaled = value
        while scaled.denominator != 1:
            scaled *= 10
            digits += 1
        sign = "-" if scaled < 0 else ""
        whole = str(abs(scaled.numerator)).rjust(digits + 1, "0")
        return f"{sign}{whole[:-digits]}.{whole[-digits:]}"
    return str(value)


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    shown = key if key.replace("_", "").replace("-", "").isalnum() else f'"{key}"'
    return f"{path}.{shown}" if path else shown


class Reader:
    """Reads one raw mapping; records problems instead of raising at the first."""

    def __init__(self, source: str | None, error: Callable[..., AuditError]) -> None:
        self.source = source
        self._error = error
        self.errors: list[AuditError] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(self._error(message, source=self.source, key_path=path or None))

    # -- tables -----------------------------------------------------------------------------

    def table(
        self,
        value: object,
        path: str,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> Mapping[str, Any] | None:
        """Check that ``value`` is a table with the required keys and no unknown ones."""
        if not isinstance(value, Mapping):
            self.fail(path, f"expected a table, found {describe(value)}")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                self.fail(
                    join(path, key),
                    f"unknown key {key!r} (expected one of: {', '.join(sorted(allowed))})",
                )
        for key in required:
            if key not in value:
                self.fail(join(path, key), "missing required key")
        return value

    def named_tables(self, value: object, path: str) -> Mapping[str, Any] | None:
        """A table whose keys are user-chosen ids (``[scales.<id>]``); each id must be valid."""
        if not isinstance(value, Mapping):
            self.fail(path, f"expected a table, found {describe(value)}")
            return None
        for key in value:
            if not key.strip() or key != key.strip():
                self.fail(join(path, key), "expected an id without surrounding spaces")
        return value

    def get(
        self,
        table: Mapping[str, Any],
        path: str,
        key: str,
        check: Callable[[object, str], T | None],
        default: T | None = None,
    ) -> T | None:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            return default
        return check(value, join(path, key))

    # -- scalar checks (each returns None after recording a problem) ------------------------

    def string(self, value: object, path: str) -> str | None:
        if not isinstance(value, str):
            self.fail(path, f"expected a string, found {describe(value)}")
            return None
        return value

    def identifier(self, value: object, path: str) -> str | None:
        text = self.string(value, path)
        if text is None:
            return None
        if not text.strip() or text != text.strip():
            self.fail(
                path, f"expected a non-empty identifier without surrounding spaces, found {text!r}"
            )
            return None
        return text

    def choice(self, value: object, path: str, options: tuple[str, ...]) -> str | None:
        text = self.string(value, path)
        if text is None:
            return None
        if text not in options:
            self.fail(path, f"expected one of {', '.join(map(repr, options))}, found {text!r}")
            return None
        return text

    def number(self, value: object, path: str) -> Fraction | None:
        """A finite, non-negative exact number (integer or TOML float read as a Fraction)."""
        if isinstance(value, bool) or not isinstance(value, int | Fraction):
            if isinstance(value, NonFinite):
                kind = "a number" if value.too_large else "a finite number"
                self.fail(path, f"expected {kind}, found {describe(value)}")
            elif isinstance(value, float):
                self.fail(
                    path,
                    f"expected an exact number, found float {value!r} (give an int or a "
                    "Fraction, or parse TOML with parse_float=Fraction)",
                )
            else:
                self.fail(path, f"expected a number, found {describe(value)}")
            return None
        if isinstance(value, int) and abs(value) >= MAX_INTEGER:
            self.fail(path, f"expected a number, found {describe(value)}")
            return None
        if value < 0:
            self.fail(path, f"expected a non-negative number, found {format_number(value)}")
            return None
        return Fraction(value)

    def integer(self, value: object, path: str) -> int | None:
        """A non-negative integer."""
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, NonFinite):
                kind = "a whole number" if value.too_large else "a finite whole number"
                self.fail(path, f"expected {kind}, found {describe(value)}")
            else:
                self.fail(path, f"expected a whole number, found {describe(value)}")
            return None
        if abs(value) >= MAX_INTEGER:
            self.fail(path, f"expected a whole number, found {describe(value)}")
            return None
        if value < 0:
            self.fail(path, f"expected a non-negative whole number, found {value}")
            return None
        return value

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, found {describe(value)}")
            return None
        return value

    def array(self, value: object, path: str) -> list[Any] | None:
        if not isinstance(value, list | tuple):
            self.fail(path, f"expected an array, found {describe(value)}")
            return None
        return list(value)

    def strings(self, value: object, path: str) -> tuple[str, ...] | None:
        items = self.array(value, path)
        if items is None:
            return None
        out: list[str] = []
        ok = True
        for i, item in enumerate(items):
            text = self.identifier(item, join(path, i))
            if text is None:
                ok = False
            else:
                out.append(text)
        return tuple(out) if ok else None
