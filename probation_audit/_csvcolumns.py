"""The columns of a plain CSV file coded as integers, with numpy alone.

A national file can hold millions of rows of a handful of distinct values each (a few
thousand inspections, seventy case ids, twelve key questions, three answers). Read row by row
through :mod:`csv`, every field becomes a Python string first; here the file is read in
blocks of bytes, split at its newlines and commas with numpy, and each column's values are
coded as integers per block (a field's bytes packed into 64-bit words, then hashed into a
table: the order of the rows costs little), so that only one string per distinct field is
ever made. Memory is bounded by the blocks being coded, the integer codes (1 to 4 bytes per
field, by how many distinct values the column has) and the distinct values (each once as
text, and up to :data:`_KEPT_FIELDS` a column as packed words too).

Only a *plain* file takes this path: UTF-8 (with or without a byte-order mark) or a
single-byte encoding that keeps ASCII's bytes (cp1252, Latin-1, Latin-9, ASCII), no NUL byte,
lines ending in LF or CRLF, the header's number of fields on every line, no empty line, no
field longer than :data:`MAX_FIELD_BYTES`, and quote characters, if any, only around whole
fields with no line break inside them (``"Bedford, Luton",C01,...``; a doubled quote inside
one is a quote, as Excel and csv.writer write them). Separators are the commas and line ends
with an even number of quotes before them in their block. A column's fields are packed into
words as long as its longest field in the block, so a field over :data:`SHORT_FIELD_BYTES` is
taken only while that costs at most :data:`PACKED_BYTES` for the block (a long free-text cell
among many short lines would cost its length times the lines). :func:`code_columns` returns
None for anything else, and the caller reads the file with :mod:`csv`, which handles every
quoting and reports problems with their lines. On a plain file the two give the same values:
the tests check it.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import stat
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "BLOCK_BYTES",
    "MAX_COLUMNS",
    "MAX_FIELD_BYTES",
    "PACKED_BYTES",
    "SHORT_FIELD_BYTES",
    "code_columns",
]

#: The longest field a plain file may have, in bytes.
MAX_FIELD_BYTES = 1024
#: The most columns a file read here may have: past it the per-column work of each block
#: outweighs numpy's gain, and the csv module reads the file faster.
MAX_COLUMNS = 512
#: A field this long (in bytes) is always taken.
SHORT_FIELD_BYTES = 64
#: The most a column's packed fields may take for one block when a field is longer than
#: :data:`SHORT_FIELD_BYTES` (8 bytes per line for every 8 bytes of the longest field).
PACKED_BYTES = 16 << 20

#: Bytes read at a time: big enough for numpy's passes to dominate, small enough to bound memory.
BLOCK_BYTES = 1 << 20

#: The encodings read here, by codecs' names: UTF-8 (a byte-order mark is dropped) and the
#: single-byte encodings a spreadsheet writes that keep ASCII's bytes (so that commas, quotes
#: and line ends are the same bytes); the table path reads any other.
_CODECS = frozenset(("utf-8", "utf-8-sig", "cp1252", "iso8859-1", "iso8859-15", "ascii"))
_QUOTE, _LF, _CR, _COMMA = 34, 10, 13, 44

#: One column: each line's code (the smallest unsigned type that holds them) and the values.
Column = tuple[npt.NDArray[np.unsignedinteger[Any]], list[str]]
#: One column of one block: each line's code into the block's own fields, each field's key
#: (its packed words, combined) and its packed words (one row a field, zero-padded).
_BlockColumn = tuple[
    npt.NDArray[np.unsignedinteger[Any]], npt.NDArray[np.uint64], npt.NDArray[np.uint64]
]


def code_columns(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    block_bytes: int = BLOCK_BYTES,
    accept: Callable[[list[str]], bool] | None = None,
) -> tuple[list[str], list[Column]] | None:
    """The header and every column of a plain CSV file, each column coded as integers.

    Returns:
        ``(header, columns)``: the header's fields as written, and for each column a pair of
        the codes (one per data line, in file order, of the smallest unsigned integer type that
        holds them: a column of 3 distinct values takes 1 byte a line) and the distinct values, so
        that ``values[codes[i]]`` is line ``i``'s field. None when the file is not plain (see
        the module's description), is not a regular file (a pipe can be read only once, and
        the caller must read it), cannot be opened, or has no data line: the caller then
        reads it with :mod:`csv`. None too, before the body is read, when ``accept`` is given
        and returns False for the header's fields.

    Raises:
        ValueError: when ``block_bytes`` is below 1,024.
    """
    if block_bytes < 1024:
        raise ValueError(f"block_bytes must be at least 1024, not {block_bytes}")
    try:
        codec = codecs.lookup(encoding or "utf-8").name
    except LookupError:
        return None
    if codec not in _CODECS:
        return None
    codec = "utf-8" if codec == "utf-8-sig" else codec
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        fp = open(path, "rb")  # noqa: SIM115
    except OSError:
        return None
    try:
        with fp:
            return _code_file(fp, block_bytes, codec, accept)
    except _LineTooLong:
        return None


class _LineTooLong(Exception):
    """A line longer than any plain file's (:data:`_LONGEST_LINE`)."""


#: The longest line read: far past any plain file's (its fields are at most MAX_FIELD_BYTES),
#: so that a file with no line feed (a CR-only "CSV (Macintosh)" file) is refused early.
_LONGEST_LINE = 16 << 20


def _code_file(
    fp: Any, block_bytes: int, codec: str, accept: Callable[[list[str]], bool] | None
) -> tuple[list[str], list[Column]] | None:
    """The body of :func:`code_columns`, from its open file."""
    blocks = _blocks(fp, block_bytes)
    first = next(blocks, None)
    if first is None:
        return None
    head, _, rest = first.partition(b"\n")
    if codec == "utf-8":
        head = head.removeprefix(b"\xef\xbb\xbf")
    head = head.removesuffix(b"\r")
    if b"\r" in head or b"\0" in head:
        return None
    try:
        header = _split_line(head.decode(codec))
    except UnicodeDecodeError:
        return None
    if header is None or header[0].startswith("\ufeff") or not head:
        # Another byte-order mark (the table path drops two) or an empty first line (no
        # header: the csv module reads none): the caller's reading decides.
        return None
    if len(header) > MAX_COLUMNS or (accept is not None and not accept(header)):
        return None
    merged = [_FileColumn(codec) for _ in header]
    chunks: list[list[npt.NDArray[np.unsignedinteger[Any]]]] = [[] for _ in header]
    # Closed on an early return: the blocks still being coded are cancelled, the threads joined.
    with contextlib.closing(_coded_blocks(_chain(rest, blocks), len(header))) as coded_blocks:
        for coded in coded_blocks:
            if coded is None:
                return None
            for chunk, (local, keys, words), column in zip(chunks, coded, merged, strict=True):
                to_file = column.codes(keys, words)
                if to_file is None:
                    return None
                chunk.append(to_file.astype(_code_type(len(column.values))).take(local))
    if not chunks[0] or not any(len(c) for c in chunks[0]):
        return None
    columns = []
    for chunk, column in zip(chunks, merged, strict=True):
        whole = np.concatenate(chunk, dtype=_code_type(len(column.values)))
        columns.append((whole, list(column.values)))
        chunk.clear()  # one column's blocks and its whole at a time, never all of both
    return header, columns


#: The most fields of a column kept by their packed words (:class:`_FileColumn`), and the
#: most words a field kept may have: past either (a column of ids, one a line; long text) a
#: field is decoded each time a block has it, as the first time, so that the memory they take
#: stays bounded (under 4 MiB a column).
_KEPT_FIELDS, _KEPT_WORDS = 1 << 16, 4


class _FileColumn:
    """One column's values as the blocks are merged, in one thread: each value's code (in order
    of the blocks) and, for the fields met so far, each one's key, packed words and code, kept
    sorted by key so that a block's fields are looked up together (a national file's shuffled
    block can hold 17,500 inspections, each one a lookup). A field is known when its key and
    every word match (its words are its bytes, zero-padded: exact); a new field is decoded and
    unquoted (a quoted spelling and a plain one are two fields of one value)."""

    __slots__ = ("codec", "keys", "known", "values", "words")

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self.values: dict[str, int] = {}
        self.keys = np.empty(0, dtype=np.uint64)
        self.words = np.empty((0, 1), dtype=np.uint64)
        self.known = np.empty(0, dtype=np.int64)

    def codes(
        self, keys: npt.NDArray[np.uint64], words: npt.NDArray[np.uint64]
    ) -> npt.NDArray[np.int64] | None:
        """The file's codes of a block's distinct fields (their keys and packed words); None
        when a new one does not decode, or holds a quote and is not one quoted field."""
        if len(self.keys):
            at = np.searchsorted(self.keys, keys)
            np.minimum(at, len(self.keys) - 1, out=at)
            met = self.keys[at] == keys
            found = met
            # A field of one word is its own key; the table is one word wide only while it holds
            # nothing but fields of blocks one word wide (:meth:`_keep` widens it to a block's
            # width): then a key met is the field. Else every word is compared.
            if words.shape[1] > 1 or self.words.shape[1] > 1:
                found = met.copy()
                found[met] = _same_fields(self.words[at[met]], words[met])
            codes = np.where(found, self.known[at], -1)
            if found.all():
                return codes
        else:
            met = np.zeros(len(keys), dtype=bool)
            codes = np.full(len(keys), -1, dtype=np.int64)
        new = np.flatnonzero(codes < 0)
        raw = words[new].astype(_LITTLE_WORD).view(f"S{8 * words.shape[1]}").ravel()
        for k, field in zip(new.tolist(), raw.tolist(), strict=True):
            text = _text(field, self.codec)
            if text is None:
                return None
            codes[k] = self.values.setdefault(text, len(self.values))
        self._keep(keys, words, codes, new[~met[new]])  # not a key met with other words
        return codes

    def _keep(
        self,
        keys: npt.NDArray[np.uint64],
        words: npt.NDArray[np.uint64],
        codes: npt.NDArray[np.int64],
        new: npt.NDArray[np.intp],
    ) -> None:
        """The new fields ``new`` kept, sorted in among the others, while the bounds allow (a
        table one word wide is widened to the block's width, never narrowed)."""
        room = _KEPT_FIELDS - len(self.keys)
        if not len(new) or room <= 0 or words.shape[1] > _KEPT_WORDS:
            return
        new = new[np.argsort(keys[new])][:room]
        width = max(self.words.shape[1], words.shape[1])
        if width > self.words.shape[1]:
            self.words = np.pad(self.words, ((0, 0), (0, width - self.words.shape[1])))
        added = np.zeros((len(new), width), dtype=np.uint64)
        added[:, : words.shape[1]] = words[new]
        at = np.searchsorted(self.keys, keys[new])  # the table's keys and these are distinct
        self.keys = np.insert(self.keys, at, keys[new])
        self.words = np.insert(self.words, at, added, axis=0)
        self.known = np.insert(self.known, at, codes[new])


def _same_fields(
    kept: npt.NDArray[np.uint64], words: npt.NDArray[np.uint64]
) -> npt.NDArray[np.bool_]:
    """Row by row, whether two arrays of packed words (zero-padded, of any widths) hold the same
    field: the same words where both have them, and zeros beyond the shorter."""
    both = min(kept.shape[1], words.shape[1])
    same: npt.NDArray[np.bool_] = (kept[:, :both] == words[:, :both]).all(axis=1)
    for longer in (kept, words):
        if longer.shape[1] > both:
            same &= (longer[:, both:] == 0).all(axis=1)
    return same


def _text(field: bytes, codec: str) -> str | None:
    """A field's value: decoded, and unquoted when it holds a quote (None when it does not
    decode, or is not one quoted field: see :func:`_unquote`)."""
    try:
        text = field.decode(codec)
    except UnicodeDecodeError:
        return None
    return _unquote(text) if '"' in text else text


def _code_type(distinct: int) -> type[np.unsignedinteger[Any]]:
    """The smallest unsigned integer type whose values reach ``distinct - 1``."""
    for kind in (np.uint8, np.uint16, np.uint32):
        if distinct <= np.iinfo(kind).max + 1:
            return kind
    return np.uint64


def _blocks(fp: io.BufferedIOBase, size: int) -> Iterator[bytearray]:
    """The file in blocks that end at a newline (the last one completed with one), each read
    into a buffer of its own after the bytes the last one left (so that a block is not copied
    again). Linear in the file: only new bytes are searched, and a buffer holding a long line
    doubles, up to one byte past :data:`_LONGEST_LINE` (:class:`_LineTooLong` when that byte
    is read). The view each read fills is released when the read returns (CPython frees it at
    once), before the buffer is grown or cut."""
    readinto = fp.readinto
    carry = b""  # the bytes after the last block's newline, which hold none
    while True:
        buffer = bytearray(len(carry) + size)
        buffer[: len(carry)] = carry
        filled, cut = len(carry), 0
        while not cut:
            got = readinto(memoryview(buffer)[filled:])
            if not got:
                break
            cut = buffer.rfind(b"\n", filled, filled + got) + 1
            filled += got
            if not cut and filled == len(buffer):  # a line longer than the buffer
                if filled > _LONGEST_LINE:
                    raise _LineTooLong
                buffer.extend(bytes(min(filled, _LONGEST_LINE + 1 - filled)))
        if not cut:  # the end of the file
            if filled:
                del buffer[filled:]
                buffer.append(_LF)
                yield buffer
            return
        carry = bytes(buffer[cut:filled])
        del buffer[cut:]
        yield buffer


#: Threads coding blocks at once (numpy's passes release the GIL); each block is coded with
#: values of its own, and the blocks' values are made the file's in order, in one thread.
_WORKERS = min(4, os.cpu_count() or 1)


def _coded_blocks(
    blocks: Iterator[bytearray], fields: int
) -> Generator[list[_BlockColumn] | None, None, None]:
    """Each block coded (:func:`_code_block`), in order; up to :data:`_WORKERS` blocks at a
    time and one more read ahead, so that memory stays bounded (a coded block waiting to be
    merged takes 1 or 2 bytes a line and column)."""
    if _WORKERS < 2:
        for block in blocks:
            yield _code_block(block, fields)
        return
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        pending: deque[Future[list[_BlockColumn] | None]] = deque()
        try:
            for block in blocks:
                pending.append(pool.submit(_code_block, block, fields))
                if len(pending) > _WORKERS:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _chain(first: bytearray, rest: Iterator[bytearray]) -> Iterator[bytearray]:
    """The first block's lines after the header (when there are any), then the other blocks."""
    if first:
        yield first
    yield from rest


def _code_block(block: bytearray, fields: int) -> list[_BlockColumn] | None:
    """One block's lines coded column by column, each column with values of its own; None
    when the block is not plain."""
    # Bytes that are rare or absent are looked for by the bytes' own search (memchr: no array).
    if block.find(b"\0") >= 0:
        # Also what makes a field's zero-padded words its bytes (:func:`_code_field` takes a
        # value's bytes from them, numpy dropping the padding): a NUL must never be read here.
        return None
    data = np.frombuffer(block, dtype=np.uint8)
    newlines = np.flatnonzero(data == _LF)
    commas = np.flatnonzero(data == _COMMA)
    quoted = block.find(b'"') >= 0
    if quoted:
        # A comma or line end is a separator where the quotes before it are even in number
        # (the block starts a line). A line break inside quotes is left to the csv module.
        odd = np.bitwise_xor.accumulate((data == _QUOTE).view(np.uint8))
        if odd[newlines].any():
            return None
        commas = commas[odd[commas] == 0]
    starts = np.empty_like(newlines)
    starts[0] = 0
    starts[1:] = newlines[:-1] + 1
    ends = newlines.copy()
    if block.find(b"\r") >= 0:
        crlf = (ends > starts) & (data[ends - 1] == _CR)
        if block.count(b"\r") != int(np.count_nonzero(crlf)):
            return None  # a carriage return that does not end a line
        ends -= crlf
    if (ends == starts).any():
        return None  # an empty line: the csv path skips it and keeps the line numbers
    if len(commas) != (fields - 1) * len(newlines):
        return None
    if fields > 1:
        matrix = commas.reshape(len(newlines), fields - 1)
        # Each line's commas lie inside it, in order: no line has more or fewer than its share.
        if (matrix[:, 0] < starts).any() or (matrix[:, -1] >= ends).any():
            return None
        stops = [*(matrix[:, k] for k in range(fields - 1)), ends]
    else:
        stops = [ends]
    # The word of 8 bytes starting at each byte of the block (padded at its end): one view
    # (unaligned, overlapping), made once for every column.
    padded = np.concatenate([data, np.zeros(8, dtype=np.uint8)])
    windows = np.ndarray(shape=(len(data) + 1,), dtype=_LITTLE_WORD, buffer=padded, strides=(1,))
    out = []
    for k in range(fields):
        bounds = starts if k == 0 else stops[k - 1] + 1  # made for one field at a time
        coded = _code_field(data, windows, bounds, stops[k])
        if coded is None:
            return None
        out.append(coded)
    return out


#: A word of 8 bytes read little-endian (the packing is the same on every machine).
_LITTLE_WORD = np.dtype("<u8")
#: _MASKS[n]: the low n bytes of a word set.
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
#: Fibonacci hashing's multiplier (2**64 over the golden ratio): it combines a long field's
#: words into one key.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
#: The multiplier of a key's slot (:func:`_distinct`): the top bits of the key's product with
#: it, after the key's high half is folded into its low one. (Tests set it to 0 or 1, when
#: most keys collide.)
_SLOT_MULTIPLIER = _GOLDEN


def _code_field(
    data: npt.NDArray[np.uint8],
    windows: npt.NDArray[np.uint64],
    starts: npt.NDArray[np.intp],
    stops: npt.NDArray[np.intp],
) -> _BlockColumn | None:
    """One column of a block: each line's code into the block's distinct fields of it, and
    those fields' keys and packed words (``windows``: the word of 8 bytes starting at each byte
    of the block). None when a field is too long."""
    lengths = stops - starts
    width = int(lengths.max())
    words = -(-width // 8)
    if width > MAX_FIELD_BYTES or (
        width > SHORT_FIELD_BYTES and 8 * words * len(starts) > PACKED_BYTES
    ):
        return None
    # Pack each field's bytes into 64-bit words, 8 bytes a word (little-endian: byte j at bits
    # 8j), zero-padded (no field holds a NUL byte, so padding cannot make two different fields
    # equal). Each word is one gather of the block's words, masked to the field.
    packed = []
    if words <= 1:  # every field within one word (starts lie inside the block)
        word = windows[starts]
        word &= _MASKS[lengths]
        packed.append(word)
    for w in range(words if words > 1 else 0):
        word = windows[np.minimum(starts + 8 * w, len(data))]
        word &= _MASKS[np.clip(lengths - 8 * w, 0, 8)]
        packed.append(word)
    # Combined from the last word to the first, so that a field's trailing zero words add
    # nothing: a field has one key whatever its block's width, and one of 8 bytes or fewer is
    # its own word.
    key = packed[-1]
    for word in reversed(packed[:-1]):
        key = key * _GOLDEN ^ word  # wraps: checked below
    # Runs of one value (a national file is sorted by inspection and case) are found first;
    # a column with few runs (a shuffled file) is coded line by line.
    change = np.empty(len(key), dtype=bool)
    change[0] = True
    np.not_equal(key[1:], key[:-1], out=change[1:])
    runs = int(np.count_nonzero(change))
    if runs > len(key) // 4:
        first, local = _distinct(key)
    else:
        run_starts = np.flatnonzero(change)
        first, inverse = _distinct(key[run_starts])
        first = run_starts[first]
        local = inverse[np.cumsum(change) - 1]
    if len(packed) > 1:
        for word in packed:  # the combined key is a hash: every word must match its value's
            if not np.array_equal(word[first].take(local), word):
                return None
    # Each distinct field's packed words are its bytes (no field holds a NUL byte), so that no
    # field is sliced out of the block one by one; the thread that merges the blocks looks
    # them up, and decodes those the file has not met (:class:`_FileColumn`).
    fields = np.stack([word[first] for word in packed], axis=1)
    # The block's codes in the smallest type that holds them, so that blocks waiting to be
    # merged take 1 or 2 bytes a line, not 8.
    return local.astype(_code_type(len(first))), key[first], fields


#: A column whose first :data:`_FEW_PROBE` keys hold at most :data:`_FEW` distinct ones (key
#: questions, answers) is looked up in a table of :data:`_FEW_BITS` bits' slots made for them
#: (:func:`_few`); the multipliers tried for a table without a collision among them.
_FEW, _FEW_PROBE, _FEW_BITS = 32, 64, 12
_FEW_MULTIPLIERS = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
)


def _distinct(keys: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int32]]:
    """A place of each distinct key and each key's code into them: a column of few keys by
    :func:`_few`, any other by hashing. Keys are hashed to a table with at least twice as many
    slots as keys, one place kept per slot; a key whose slot holds another key's place (a
    collision) is coded by sorting those keys alone, so that no key is sorted unless it
    collides, whatever the order of the rows. Places come in order, collided keys' last; each
    is its key's first place because numpy writes a repeated index's values in order
    (correctness does not rest on it: any place of a key would do)."""
    few = _few(keys)
    if few is not None:
        return few
    n = len(keys)  # a block's lines: far fewer than 2**31
    bits = max(4, n.bit_length() + 1)
    slot = keys >> np.uint64(29)
    slot ^= keys
    slot *= _SLOT_MULTIPLIER
    slot >>= np.uint64(64 - bits)
    slots = slot.view(np.int64)
    places = np.arange(n, dtype=np.int32)
    owner = np.empty(1 << bits, dtype=np.int32)  # only the slots of keys are read
    owner[slots[::-1]] = places[::-1]  # each slot's first place (the last written)
    place = owner[slots]
    first = np.flatnonzero(place == places)  # the places that own their slot: a key each
    owner[slots[first]] = places[: len(first)]
    codes = owner[slots]
    collided = np.flatnonzero(keys.take(place) != keys)
    if len(collided):
        _, where, inverse = np.unique(keys[collided], return_index=True, return_inverse=True)
        codes[collided] = inverse.ravel() + len(first)
        first = np.concatenate([first, collided[where]])
    return first, codes


def _few(keys: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int32]] | None:
    """:func:`_distinct` of a column of few keys, all of them among its first
    :data:`_FEW_PROBE`: each key's slot in a table made for those (the top :data:`_FEW_BITS`
    bits of its product with a multiplier that puts each of them in a slot of its own) gives
    its code, and every key is checked to be the one its code stands for. Places in order of
    first appearance. None for any other column (more distinct keys, one missing from the
    first, or no multiplier without a collision)."""
    if len(keys) <= _FEW_PROBE:
        return None
    table, first = np.unique(keys[:_FEW_PROBE], return_index=True)
    if len(table) > _FEW:
        return None
    shift = np.uint64(64 - _FEW_BITS)
    for multiplier in _FEW_MULTIPLIERS:
        slots = (table * multiplier) >> shift
        ranked = np.sort(slots)
        if (ranked[1:] != ranked[:-1]).all():  # (np.unique would import numpy.ma)
            break
    else:
        return None
    order = np.argsort(first)  # the table's keys in order of first appearance
    code_of_slot = np.zeros(1 << _FEW_BITS, dtype=np.int32)
    code_of_slot[slots[order].astype(np.intp)] = np.arange(len(table), dtype=np.int32)
    slot = keys * multiplier
    slot >>= shift
    codes = code_of_slot.take(slot.view(np.int64))
    if not np.array_equal(table[order].take(codes), keys):
        return None
    return first[order].astype(np.intp), codes


def _unquote(field: str) -> str | None:
    """A field holding a quote character as the csv module reads it, when it is one quoted
    field: a quote, then text whose quotes come in pairs (each pair one quote), then a quote.
    None for any other place of a quote (the csv module reads those)."""
    inner = field[1:-1]
    if len(field) < 2 or field[0] != '"' or field[-1] != '"' or '"' in inner.replace('""', ""):
        return None
    return inner.replace('""', '"')


def _split_line(line: str) -> list[str] | None:
    """A line's fields as the csv module reads them (quoted fields unquoted); None for a quote
    anywhere but around a whole field, or one left open."""
    if '"' not in line:
        return line.split(",")
    fields: list[str] = []
    odd = False
    start = 0
    for k, char in enumerate(line):
        if char == '"':
            odd = not odd
        elif char == "," and not odd:
            fields.append(line[start:k])
            start = k + 1
    if odd:
        return None
    fields.append(line[start:])
    out: list[str] = []
    for field in fields:
        text = _unquote(field) if '"' in field else field
        if text is None:
            return None
        out.append(text)
    return out
