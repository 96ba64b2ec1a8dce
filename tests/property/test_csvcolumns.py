"""The numpy reader of plain CSV files gives what the csv module gives, at every block size;
anything not plain is left to the csv module (None), never read differently."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probation_audit import _csvcolumns as csvcolumns
from probation_audit._csvcolumns import Column, code_columns

from ..conftest import examples

#: Field text: no quote, comma, line break or NUL (those make a file not plain), any other
#: character, accents and emoji included.
FIELD = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters='",\r\n\x00'),
    max_size=20,
)


def _decoded(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as fp:
        return list(csv.reader(fp))


def _columns(found: tuple[list[str], list[Column]]) -> list[list[str]]:
    header, columns = found
    rows = [[values[int(c)] for c in codes] for codes, values in columns]
    return [header, *map(list, zip(*rows, strict=True))]


@settings(max_examples=examples(150), deadline=None)
@given(
    fields=st.integers(1, 5),
    data=st.data(),
    crlf=st.booleans(),
    bom=st.booleans(),
    final_newline=st.booleans(),
    block=st.sampled_from([1024, 1100, 4096, 1 << 16]),
    multiplier=st.sampled_from([0, 1, int(csvcolumns._GOLDEN)]),
)
def test_plain_files_read_as_the_csv_module_reads_them(
    tmp_path_factory: pytest.TempPathFactory,
    fields: int,
    data: st.DataObject,
    crlf: bool,
    bom: bool,
    final_newline: bool,
    block: int,
    multiplier: int,
) -> None:
    """``multiplier``: the slot hash's (0 puts every key in one slot, 1 most small keys: their
    values collide, and are sorted instead)."""
    # Rows whose first field is never empty, so that no line is empty.
    first = FIELD.filter(bool)
    row = st.tuples(first, *[FIELD] * (fields - 1))
    header = data.draw(row)
    rows = data.draw(st.lists(row, min_size=1, max_size=300))
    end = "\r\n" if crlf else "\n"
    text = end.join(",".join(r) for r in [header, *rows]) + (end if final_newline else "")
    path = tmp_path_factory.mktemp("plain") / "file.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvcolumns, "_SLOT_MULTIPLIER", np.uint64(multiplier))
        found = code_columns(path, block_bytes=block)
    assert found is not None
    assert _columns(found) == _decoded(path)
    for codes, values in found[1]:
        # the smallest unsigned type that holds the codes
        expected = "uint8" if len(values) <= 256 else "uint16" if len(values) <= 65536 else "uint32"
        assert codes.dtype.name == expected


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'a,b\n"x\ny",z\n', "a line break inside quotes"),
        (b'a,b\n"x\r\ny",z\n', "a CRLF inside quotes"),
        (b'a,b\nx"y,z\n', "a quote inside an unquoted field"),
        (b'a,b\n"x"y,z\n', "text after a closing quote"),
        (b'a,b\n "x",z\n', "a space before an opening quote"),
        (b'a,b\n"x,z\n', "a quote left open"),
        (b"a,b\nx,y\n\nz,w\n", "an empty line"),
        (b"a,b\nx,y,z\n", "a line with more fields"),
        (b"a,b\nx\n", "a line with fewer fields"),
        (b"a,b\nx\ry\n", "a carriage return inside a line"),
        (b"a,b\nx,\x00\n", "a NUL byte"),
        (b"a,b\nx,\xe9\n", "text that is not UTF-8"),
        (b"a,b\n", "no data line"),
        (b"", "an empty file"),
        (b'"a,b\nx,y\n', "a header whose quote is left open"),
        (b"\xef\xbb\xbf\xef\xbb\xbfa,b\nx,y\n", "two byte-order marks (the table path drops both)"),
        (b"\nx\ny\n", "an empty first line (no header)"),
        (b'a"b,c\nx,y\n', "a quote inside a header field"),
    ],
)
def test_what_is_not_plain_is_left_to_the_csv_module(
    tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    assert code_columns(path) is None, why


QUOTING: dict[str, Literal[0, 1, 2]] = {
    "minimal": csv.QUOTE_MINIMAL,
    "all": csv.QUOTE_ALL,
    "nonnumeric": csv.QUOTE_NONNUMERIC,
}


@settings(max_examples=examples(150), deadline=None)
@given(
    fields=st.integers(1, 4),
    data=st.data(),
    quoting=st.sampled_from(sorted(QUOTING)),
    crlf=st.booleans(),
    line_breaks=st.booleans(),
    block=st.sampled_from([1024, 1100, 4096]),
)
def test_quoted_files_read_as_the_csv_module_reads_them(
    tmp_path_factory: pytest.TempPathFactory,
    fields: int,
    data: st.DataObject,
    quoting: str,
    crlf: bool,
    line_breaks: bool,
    block: int,
) -> None:
    """Written by csv.writer (quotes, commas and doubled quotes in fields): read as the csv
    module reads it. A line break inside quotes is left to the csv module (None)."""
    banned = "\x00" if line_breaks else "\r\n\x00"
    field = st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters=banned), min_size=1, max_size=10
    )
    row = st.lists(field, min_size=fields, max_size=fields)
    rows = data.draw(st.lists(row, min_size=2, max_size=200))
    text = io.StringIO(newline="")
    csv.writer(text, quoting=QUOTING[quoting], lineterminator="\r\n" if crlf else "\n").writerows(
        rows
    )
    path = tmp_path_factory.mktemp("quoted") / "file.csv"
    path.write_bytes(text.getvalue().encode("utf-8"))
    found = code_columns(path, block_bytes=block)
    broken = any("\n" in f or "\r" in f for r in rows for f in r)
    if broken:
        # Left to the csv module, or (csv.writer does not quote a lone CR before its "\n"
        # line end, so the file reads back without it) read as the csv module reads it.
        assert found is None or _columns(found) == _decoded(path)
    elif rows[0][0].startswith("\ufeff"):
        # A header opening with a second byte-order mark is left to the csv path (which
        # drops two), as the module says.
        assert found is None
    else:
        assert found is not None
        assert _columns(found) == _decoded(path) == rows


def test_a_quoted_value_and_its_plain_spelling_are_one_value(tmp_path: Path) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(
        b'"group",b\n"Bedford, Luton",x\nBedford PDU,y\n"Bedford PDU",y\n"say ""no""",x\n'
    )
    found = code_columns(path)
    assert found is not None
    header, ((groups, names), (_, answers)) = found
    assert header == ["group", "b"]
    assert [names[c] for c in groups] == [
        "Bedford, Luton",
        "Bedford PDU",
        "Bedford PDU",
        'say "no"',
    ]
    assert len(names) == 3 and answers == ["x", "y"]


def test_other_encodings_and_missing_files_are_left_to_the_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(b"a,b\nx,y\n")
    assert code_columns(path, encoding="utf-16") is None
    assert code_columns(path, encoding="no-such-codec") is None
    assert code_columns(path, encoding="UTF-8") is not None
    assert code_columns(tmp_path / "missing.csv") is None
    with pytest.raises(ValueError, match="block_bytes must be at least 1024"):
        code_columns(path, block_bytes=10)


def test_a_line_longer_than_a_block(tmp_path: Path) -> None:
    """200 fields of 40 bytes: each line is about 8 KB, read in blocks of 1 KB."""
    header = [f"c{k}" for k in range(200)]
    rows = [[f"{r}-{k}-" + "x" * 32 for k in range(200)] for r in range(3)]
    path = tmp_path / "file.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    found = code_columns(path, block_bytes=1024)
    assert found is not None
    assert _columns(found) == [header, *rows]


def test_values_that_share_64_bit_words_stay_distinct(tmp_path: Path) -> None:
    """Fields longer than 8 bytes are combined into one key by a hash; two values whose first
    words agree must still come out as themselves."""
    values = ["inspection-0000001", "inspection-0000002", "inspection-0000001x", "i"]
    path = tmp_path / "file.csv"
    path.write_text("g\n" + "\n".join(values * 3) + "\n", encoding="utf-8")
    found = code_columns(path)
    assert found is not None
    assert _columns(found)[1:] == [[v] for v in values * 3]


def test_codes_take_the_smallest_type(tmp_path: Path) -> None:
    path = tmp_path / "file.csv"
    path.write_text("few,many\n" + "".join(f"{i % 3},{i}\n" for i in range(300)), encoding="utf-8")
    found = code_columns(path, block_bytes=1024)
    assert found is not None
    (few, few_values), (many, many_values) = found[1]
    assert (few.dtype.name, len(few_values)) == ("uint8", 3)
    assert (many.dtype.name, len(many_values)) == ("uint16", 300)
    assert [many_values[c] for c in many] == [str(i) for i in range(300)]


def test_a_long_field_is_left_to_the_csv_module(tmp_path: Path) -> None:
    """A free-text cell would cost its length times the block's lines in memory: a field over
    SHORT_FIELD_BYTES is taken while the block's packed column stays within PACKED_BYTES, and
    none over MAX_FIELD_BYTES is."""
    from probation_audit._csvcolumns import MAX_FIELD_BYTES, PACKED_BYTES, SHORT_FIELD_BYTES

    path = tmp_path / "file.csv"
    name = "HMI Probation inspection of Bedford and Luton Probation Delivery Unit, July 2024"
    assert len(name) > SHORT_FIELD_BYTES
    path.write_text(f'unit,b\n"{name}",x\n"{name}",y\n', encoding="utf-8")
    found = code_columns(path)
    assert found is not None and _columns(found) == [["unit", "b"], [name, "x"], [name, "y"]]
    path.write_text(f"a,b\nx,{'y' * MAX_FIELD_BYTES}\n", encoding="utf-8")
    assert code_columns(path) is not None
    path.write_text(f"a,b\nx,{'y' * (MAX_FIELD_BYTES + 1)}\n", encoding="utf-8")
    assert code_columns(path) is None
    # A 1,000-byte field among enough short lines (one block) to pack past PACKED_BYTES.
    lines = PACKED_BYTES // (8 * 125) + 1
    path.write_text("a,b\n" + "x,y\n" * lines + f"x,{'y' * 1000}\n", encoding="utf-8")
    assert code_columns(path) is None
    path.write_text("a,b\n" + "x,y\n" * 100 + f"x,{'y' * 1000}\n", encoding="utf-8")
    assert code_columns(path) is not None


def test_a_header_refused_stops_the_read_before_the_body(tmp_path: Path) -> None:
    path = tmp_path / "file.csv"
    path.write_text("a,b\nx,y\n", encoding="utf-8")
    seen: list[list[str]] = []

    def refuse(header: list[str]) -> bool:
        seen.append(header)
        return False

    assert code_columns(path, accept=refuse) is None
    assert seen == [["a", "b"]]
    assert code_columns(path, accept=lambda header: True) is not None


@pytest.mark.parametrize("encoding", ["cp1252", "windows-1252", "latin-1", "iso-8859-15"])
def test_single_byte_encodings_read_as_the_csv_module_reads_them(
    tmp_path: Path, encoding: str
) -> None:
    """What Excel's "CSV (Comma delimited)" writes on Windows: one byte a character."""
    path = tmp_path / "file.csv"
    text = 'unit,case_id,note\n"Bedford, Luton",C01,café\nSt Albans,C02,naïve\n'
    path.write_bytes(text.encode(encoding))
    found = code_columns(path, encoding=encoding)
    assert found is not None
    assert _columns(found) == _decoded(path, encoding)


def test_a_byte_the_encoding_lacks_or_a_bom_under_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(b"a,b\nx,\x81\n")  # 0x81 is not a character in cp1252
    assert code_columns(path, encoding="cp1252") is None
    path.write_bytes(b"\xef\xbb\xbfa,b\nx,y\n")  # a UTF-8 BOM is three characters in cp1252
    found = code_columns(path, encoding="cp1252")
    assert found is not None
    assert _columns(found) == _decoded(path, "cp1252") == [["ï»¿a", "b"], ["x", "y"]]
    path.write_bytes(b"a,b\nx,\xe9\n")  # ASCII has no 0xE9
    assert code_columns(path, encoding="ascii") is None


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_left_to_the_csv_module_and_read_once(tmp_path: Path) -> None:
    """A pipe can be read once: the numpy reader leaves it, and read_csv reads it whole, even
    when the file has a title row that the numpy reader would have declined."""
    import os
    import threading

    import probation_audit as pa

    from ..conftest import DATA

    text = b"Audit of May (SYNTHETIC)\ncase_id,S1.1,S1.2,S2.1\nC1,yes,no,n/a\n"
    fifo = tmp_path / "cases.csv"
    os.mkfifo(fifo)

    def write() -> None:
        with fifo.open("wb") as fp:
            fp.write(text)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    assert code_columns(fifo) is None  # before opening it: the writer is still waiting
    sample = pa.read_csv(fifo, pa.load_rubric(DATA / "mini.toml"))
    writer.join(timeout=10)
    assert sample.case_ids == ("C1",) and sample.codes.tolist() == [[1, 0, -1]]


def test_a_file_with_no_line_feed_is_refused_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CR-only file ("CSV (Macintosh)") is one long line: past the longest line read, the
    numpy reader stops (without reading the rest) and leaves it to the csv module."""
    from probation_audit import _csvcolumns as csvcolumns

    monkeypatch.setattr(csvcolumns, "_LONGEST_LINE", 4096)
    path = tmp_path / "file.csv"
    path.write_bytes(b"a,b\r" + b"x,y\r" * 5000)
    assert code_columns(path, block_bytes=1024) is None
    path.write_bytes(b"a,b\n" + b"x,y\n" * 5000)  # as many bytes, in lines
    found = code_columns(path, block_bytes=1024)
    assert found is not None and len(found[1][0][0]) == 5000


def test_a_file_wider_than_the_column_limit_is_left_to_the_csv_module(tmp_path: Path) -> None:
    from probation_audit._csvcolumns import MAX_COLUMNS

    for width, taken in ((MAX_COLUMNS, True), (MAX_COLUMNS + 1, False)):
        path = tmp_path / f"wide-{width}.csv"
        header = ",".join(f"c{k}" for k in range(width))
        path.write_text(header + "\n" + ",".join("x" * width) + "\n", encoding="utf-8")
        assert (code_columns(path) is not None) is taken


@settings(max_examples=examples(150), deadline=None)
@given(
    st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=40).flatmap(
        lambda pool: st.lists(st.sampled_from(pool), min_size=1, max_size=1_500)
    ),
    st.sampled_from([0, 1, int(csvcolumns._GOLDEN)]),
    st.booleans(),
)
def test_distinct_keys_are_each_keys_first_place_and_its_code(
    keys: list[int], multiplier: int, few: bool
) -> None:
    # Short and long, few and many distinct, none or every key collided, a column of few keys
    # looked up in its own table or not (no multiplier of that table works): each distinct key
    # once, at its first place, and every key's code its own.
    array = np.array(keys, dtype=np.uint64)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvcolumns, "_SLOT_MULTIPLIER", np.uint64(multiplier))
        if not few:
            patch.setattr(csvcolumns, "_FEW_MULTIPLIERS", (np.uint64(0),))
        first, codes = csvcolumns._distinct(array)
    _, want_first = np.unique(array, return_index=True)
    assert sorted(first.tolist()) == sorted(want_first.tolist())
    assert (array[first][codes] == array).all()


def test_distinct_keys_that_do_not_collide_are_in_order_of_first_appearance() -> None:
    words = [b"n/a", b"yes", b"no"]  # an answer column, packed as the decoder packs it
    keys = np.array([int.from_bytes(w, "little") for w in words], dtype=np.uint64)
    array = keys[[1, 1, 0, 2, 1, 0, 2, 2]]
    first, codes = csvcolumns._distinct(array)
    assert first.tolist() == [0, 2, 3]
    assert codes.tolist() == [0, 0, 1, 2, 0, 1, 2, 2]


def test_distinct_keys_collided_in_one_slot_are_sorted_after_the_slots_own() -> None:
    array = np.array([5, 3, 5, 9, 3, 3], dtype=np.uint64)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvcolumns, "_SLOT_MULTIPLIER", np.uint64(0))  # one slot for all
        first, codes = csvcolumns._distinct(array)
    assert first.tolist() == [0, 1, 3]  # 5 owns the slot; 3 and 9 sorted after it
    assert codes.tolist() == [0, 1, 0, 2, 1, 1]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_field_that_does_not_decode_first_met_in_a_late_block(
    tmp_path: Path, encoding: str
) -> None:
    # Fields are decoded when the file first meets them: a bad one in the last of many blocks
    # still leaves the file to the csv module.
    path = tmp_path / "file.csv"
    bad = b"\xff" if encoding == "utf-8" else b"\x81"
    body = b"".join(b"r%d,x\n" % (i % 50) for i in range(3000))
    path.write_bytes(b"a,b\n" + body + b"r" + bad + b",x\n")
    assert code_columns(path, encoding=encoding, block_bytes=1024) is None
    path.write_bytes(b"a,b\n" + body + b"r1,x\n")  # the same file without it
    assert code_columns(path, encoding=encoding, block_bytes=1024) is not None


@pytest.mark.parametrize("multiplier", [0, int(csvcolumns._GOLDEN)])
@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("kept", [2, 1 << 16])
def test_quoted_and_plain_spellings_across_blocks_are_one_value(
    tmp_path: Path, multiplier: int, workers: int, kept: int
) -> None:
    # Fields of 8, 9, 16 and 17 bytes that differ only after their 8th, quoted in some blocks
    # and plain in others; keys collided or not; coded in turn or on threads; with no field,
    # some or all kept by their words: one value a name, as the csv module reads them.
    names = ["abcdefgh", "abcdefghi", "abcdefghj", "abcdefghijklmnop", "abcdefghijklmnopq", "x"]
    lines = []
    for i in range(2000):
        name = names[(i * 7) % len(names)]
        lines.append(f'"{name}",{i % 3}' if (i // 100) % 2 else f"{name},{i % 3}")
    path = tmp_path / "file.csv"
    path.write_text("name,n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvcolumns, "_SLOT_MULTIPLIER", np.uint64(multiplier))
        patch.setattr(csvcolumns, "_WORKERS", workers)
        patch.setattr(csvcolumns, "_KEPT_FIELDS", kept)
        found = code_columns(path, block_bytes=1024)
    assert found is not None
    assert _columns(found) == _decoded(path)
    assert sorted(found[1][0][1]) == sorted(names)


def test_a_line_too_long_in_a_late_block(tmp_path: Path) -> None:
    # A plain line (10 fields of 1,000 bytes) past the longest line read, in a late block:
    # the read stops there and leaves the file to the csv module; within it, it is read.
    header = ",".join(f"c{k}" for k in range(10)).encode()
    short = b",".join([b"x"] * 10) + b"\n"
    long = b",".join([b"y" * 1000] * 10) + b"\n"
    path = tmp_path / "file.csv"
    path.write_bytes(header + b"\n" + short * 3000 + long + short)
    assert code_columns(path, block_bytes=1024) is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvcolumns, "_LONGEST_LINE", 4096)
        assert code_columns(path, block_bytes=1024) is None


def test_a_line_of_the_longest_length_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    # A line's bytes before its newline: at most the longest line; the buffer grows to one
    # byte past it and no further.
    for extra, taken in ((0, True), (1, False)):
        path = tmp_path / f"line-{extra}.csv"
        path.write_bytes(b"a\n" + b"x" * (2048 + extra) + b"\n")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(csvcolumns, "_LONGEST_LINE", 2048)
            patch.setattr(csvcolumns, "SHORT_FIELD_BYTES", 4096)
            patch.setattr(csvcolumns, "MAX_FIELD_BYTES", 4096)
            assert (code_columns(path, block_bytes=1024) is not None) is taken


def test_a_column_of_few_keys_is_looked_up_in_a_table_of_its_own() -> None:
    keys = np.array([7, 3, 7, 9, 3] * 20, dtype=np.uint64)  # past the probe of 64 keys
    found = csvcolumns._few(keys)
    assert found is not None
    first, codes = found
    assert first.tolist() == [0, 1, 3]  # in order of first appearance
    assert codes.tolist() == [0, 1, 0, 2, 1] * 20
    # A key the first 64 do not hold, more keys than the table takes, or a short column: the
    # hashing path's.
    assert csvcolumns._few(np.append(keys, np.uint64(5))) is None
    assert csvcolumns._few(np.arange(100, dtype=np.uint64)) is None
    assert csvcolumns._few(keys[:64]) is None


def _packed(*fields: bytes, width: int = 1) -> np.ndarray:
    """Fields packed as the decoder packs them: 8 bytes a word, little-endian, zero-padded."""
    return np.array(
        [np.frombuffer(f.ljust(8 * width, b"\0"), dtype="<u8") for f in fields], dtype=np.uint64
    ).reshape(len(fields), width)


def test_a_file_column_knows_a_field_by_its_key_and_every_word() -> None:
    column = csvcolumns._FileColumn("utf-8")
    one = _packed(b"yes", b"no")
    assert column.codes(one[:, 0].copy(), one) is not None
    assert list(column.values) == ["yes", "no"]
    # The same fields again, and one new: known by key (a word each), the new one decoded.
    again = _packed(b"no", b"n/a", b"yes")
    codes = column.codes(again[:, 0].copy(), again)
    assert codes is not None and codes.tolist() == [1, 2, 0]
    # A key met before with other words (two fields whose combined keys collide): a value of
    # its own, never the kept field's.
    wide = _packed(b"abcdefghij", b"yes", width=2)
    clash = np.array([one[0, 0], 99], dtype=np.uint64)  # "abcdefghij" given yes's key
    codes = column.codes(clash, wide)
    assert codes is not None and codes.tolist() == [3, 0]
    assert list(column.values) == ["yes", "no", "n/a", "abcdefghij"]
    # A quoted spelling is another field of the same value.
    quoted = _packed(b'"no"')
    codes = column.codes(quoted[:, 0].copy(), quoted)
    assert codes is not None and codes.tolist() == [1]


def test_a_file_column_keeps_at_most_its_bounds() -> None:
    column = csvcolumns._FileColumn("utf-8")
    fields = _packed(*(b"v%d" % k for k in range(10)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvcolumns, "_KEPT_FIELDS", 4)
        codes = column.codes(fields[:, 0].copy(), fields)
    assert codes is not None and codes.tolist() == list(range(10))
    assert len(column.keys) == 4  # past the bound: decoded each time, the same codes
    codes = column.codes(fields[:, 0].copy(), fields)
    assert codes is not None and codes.tolist() == list(range(10))
    long = _packed(b"x" * 40, width=5)  # wider than _KEPT_WORDS words: never kept
    column = csvcolumns._FileColumn("utf-8")
    assert column.codes(np.array([7], dtype=np.uint64), long) is not None
    assert len(column.keys) == 0


def test_fields_of_other_widths_are_the_same_when_zero_padded() -> None:
    narrow, wide = _packed(b"abc"), _packed(b"abc", width=3)
    other = _packed(b"abc\x01", width=3)
    assert csvcolumns._same_fields(narrow, wide).tolist() == [True]
    assert csvcolumns._same_fields(wide, narrow).tolist() == [True]
    assert csvcolumns._same_fields(narrow, other).tolist() == [False]


@pytest.mark.parametrize("wide_first", [True, False])
def test_a_field_whose_key_is_another_blocks_field_stays_itself(
    tmp_path: Path, wide_first: bool
) -> None:
    # "XTEtiZk1cK" packs into two words whose combined key (the second word times
    # 0x9E3779B97F4A7C15, the first word mixed in) is the word of "Gwmxn1vA", a field of one
    # word: its key in any block. Blocks of 1,024 bytes, the two never in one block (a key met
    # twice in a block leaves the file to the csv module), in either order: each field is its
    # own value.
    wide, narrow = "XTEtiZk1cK", "Gwmxn1vA"
    first, second = (int.from_bytes(wide.encode()[k : k + 8], "little") for k in (0, 8))
    key = (second * int(csvcolumns._GOLDEN) % 2**64) ^ first
    assert key == int.from_bytes(narrow.encode(), "little")
    blocks = [
        [wide if i % 2 else "a-long-field" for i in range(300)],
        [narrow if i % 2 else "b" for i in range(300)],
    ]
    if not wide_first:
        blocks.reverse()
    lines = [*blocks[0], *["c"] * 600, *blocks[1]]
    path = tmp_path / "file.csv"
    path.write_text("a\n" + "".join(f"{v}\n" for v in lines), encoding="utf-8")
    found = code_columns(path, block_bytes=1024)
    assert found is not None
    assert _columns(found) == [["a"], *([v] for v in lines)]
    assert sorted(found[1][0][1]) == sorted(["a-long-field", "b", "c", wide, narrow])


def test_a_field_has_one_key_in_blocks_of_any_width(tmp_path: Path) -> None:
    # Words combined from the last: trailing zero words add nothing, so a field met in narrow
    # and wide blocks is kept once.
    short = ["abc", *("x" * k for k in range(1, 9))]  # one word each
    lines = []
    for segment in range(6):  # blocks one word wide, then blocks three words wide
        lines += [short[i % 9] if segment % 2 == 0 or i % 3 else "y" * 20 for i in range(400)]
    path = tmp_path / "file.csv"
    path.write_text("a\n" + "".join(f"{v}\n" for v in lines), encoding="utf-8")
    kept: list[csvcolumns._FileColumn] = []
    original = csvcolumns._FileColumn

    def spy(codec: str) -> csvcolumns._FileColumn:
        kept.append(original(codec))
        return kept[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvcolumns, "_FileColumn", spy)
        found = code_columns(path, block_bytes=1024)
    assert found is not None and _columns(found) == [["a"], *([v] for v in lines)]
    assert len(kept[0].keys) == len(kept[0].values) == 10  # each field once
