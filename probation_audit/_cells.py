"""One rule for every cell the library writes, so that what a reader types into a case id, an
attribute, a header or a rubric's wording is shown as written and never run.

- **CSV files** (every command's CSV, the selection, the CSV template): a text that starts
  like a formula (``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed) gets a
  leading apostrophe, as OWASP's guidance on CSV injection says; a plain decimal number such
  as ``-5``, ``+44`` or ``-0.1000`` is data a spreadsheet reads as a number, and is left as it
  is (the comparisons and trends write negative differences). A field holding a carriage
  return or a line feed is always quoted, lines end in ``\\n``.
- **Workbooks** (the results and feedback workbooks, templates): a text is stored as a text
  cell, never as a formula (openpyxl makes one of a string starting with ``=``) or an error
  code (``#N/A``); one that starts like a formula is also quote-prefixed, the workbook's own
  mark for "typed as text", so a spreadsheet shows it as written and keeps it text when the
  cell is edited. The text itself is unchanged: a case id read back is the case id written.
- **Markdown**: characters that make markup are escaped, and a line break becomes a space,
  so a cell stays in its table row.
- **HTML**: ``& < > " '`` escaped.
- **Plain text columns** (``reproduce``'s table, chart labels): a text wider than its column
  is cut at a word and ends in an ellipsis (:func:`clipped_text`), never mid-word.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from ._display import html_text

__all__ = [
    "FORMULA_START",
    "CsvWriter",
    "append_row",
    "clipped_text",
    "csv_cell",
    "csv_text",
    "csv_writer",
    "html_text",
    "markdown_text",
    "starts_formula",
]

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list, and LF).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
#: A plain decimal number such as -0.1000: data, which a spreadsheet reads as a number.
_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula: it starts with one of
    :data:`FORMULA_START` and is not a plain decimal number."""
    return text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text)


def csv_cell(value: object) -> str:
    """A value as a CSV cell a spreadsheet will not run as a formula (None is empty).

    >>> [csv_cell(v) for v in ("=1+1", "-0.25", "@SUM(A1)", None, 3)]
    ["'=1+1", '-0.25', "'@SUM(A1)", '', '3']

    Returns:
        The text of the cell, with a leading apostrophe when it would start a formula.
    """
    text = "" if value is None else str(value)
    return "'" + text if starts_formula(text) else text


class CsvWriter:
    """Rows written as CSV lines ending in ``\\n``, every cell (header rows included) made
    safe by :func:`csv_cell`, and a field holding a carriage return or a line feed quoted
    (the csv module leaves a lone carriage return unquoted when lines end in ``\\n``)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._buffer = io.StringIO()
        # With "\r\n" as its line end the csv module quotes a field holding either character.
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow([csv_cell(v) for v in row])
        self._out.write(self._buffer.getvalue()[:-2] + "\n")

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: TextIO) -> CsvWriter:
    """A :class:`CsvWriter` writing to ``out``."""
    return CsvWriter(out)


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as the text of a CSV file (see :class:`CsvWriter`)."""
    buffer = io.StringIO()
    csv_writer(buffer).writerows(rows)
    return buffer.getvalue()


def append_row(sheet: Any, values: Sequence[object]) -> None:
    """Append a row to an openpyxl worksheet: every string a text cell (never a formula nor
    an error code), quote-prefixed when it starts like a formula, with the control characters
    a sheet cannot hold written as escapes (``\\x1b``); other values as openpyxl stores them."""
    from openpyxl.cell import Cell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in values:
        if isinstance(value, str):  # control characters a sheet cannot hold, written as escapes
            value = ILLEGAL_CHARACTERS_RE.sub(lambda m: repr(m.group())[1:-1], value)
        cell = Cell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
            if value.startswith(FORMULA_START):
                cell.quotePrefix = True
        cells.append(cell)
    sheet.append(cells)


# Markup characters escaped with a backslash anywhere in a Markdown cell; '<' and '&' become
# entities (every Markdown dialect reads those, not every one reads "\<").
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]{}|~>#])")
_MARKDOWN_LEADING = re.compile(r"^([+=-])(?=[\s+=*-]|$)|^([0-9]{1,9})([.)])(?=\s|$)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def markdown_text(value: object) -> str:
    """A value as inline Markdown text shown as written: markup characters escaped, a line
    break a space (so a table cell stays on its row), a leading list or heading mark escaped.

    >>> markdown_text("<b>x</b> | *y*")
    '&lt;b\\\\>x&lt;/b\\\\> \\\\| \\\\*y\\\\*'

    Returns:
        The escaped text.
    """
    text = _LINE_BREAK.sub(" ", "" if value is None else str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return _MARKDOWN_LEADING.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], text)


def clipped_text(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters: as it is when it fits, otherwise cut after its
    last whole word that fits with an ellipsis ("…") after it (a first word longer than that
    is cut within).

    >>> clipped_text("2.2 Protecting the public by minimising risk of harm", 40)
    '2.2 Protecting the public by minimising…'

    Returns:
        The text, or its cut form ending in "…".
    """
    if len(text) <= width:
        return text
    head = text[: width - 1]
    if text[width - 1] != " " and " " in head.strip():
        head = head.rstrip().rsplit(" ", 1)[0]
    return head.rstrip() + "…"
