"""Mutations for the fuzzing suite: bytes, TOML structures, tables and argument lists."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

#: Values a mutated TOML key may take: every TOML type, edge numbers, odd text.
TOML_VALUES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.fractions(max_denominator=1000),
    st.sampled_from([Fraction(10**35), Fraction(1, 10**35), Fraction(0), Fraction(100)]),
    st.text(max_size=12),
    st.lists(st.integers(-3, 200), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(-3, 200), max_size=3),
)


@st.composite
def mutated_mapping(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with one to three of its values (at any depth) replaced, deleted or retyped."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        node: Any = data
        # Walk down a random path.
        for _depth in range(draw(st.integers(0, 5))):
            if isinstance(node, dict) and node:
                key = draw(st.sampled_from(sorted(node, key=str)))
                if not isinstance(node[key], dict | list) or not node[key]:
                    break
                node = node[key]
            elif isinstance(node, list) and node:
                index = draw(st.integers(0, len(node) - 1))
                if not isinstance(node[index], dict | list) or not node[index]:
                    break
                node = node[index]
            else:
                break
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node, key=str)))
            if action == "delete":
                del node[key]
            elif action == "add":
                node[draw(st.text(min_size=1, max_size=6))] = draw(TOML_VALUES)
            else:
                node[key] = draw(TOML_VALUES)
        elif isinstance(node, list) and node:
            index = draw(st.integers(0, len(node) - 1))
            if action == "delete":
                del node[index]
            elif action == "add":
                node.append(copy.deepcopy(node[index]))
            else:
                node[index] = draw(TOML_VALUES)
    return data


@st.composite
def mutated_bytes(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a few bytes replaced, inserted or deleted, or cut short."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["replace", "insert", "delete", "truncate"]))
        if not data:
            data.extend(draw(st.binary(min_size=1, max_size=4)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        if action == "replace":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=4),
                    st.sampled_from(
                        [b",", b"\n", b'"', b"\r\n", b"\xa3", b"\xef\xbb\xbf", b";", b"\t", b"\x00"]
                    ),
                )
            )
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        else:
            del data[at:]
    return bytes(data)


#: Cell values a spreadsheet produces.
CELLS: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(
        [
            "yes",
            "no",
            "n/a",
            "N/A",
            "Yes ",
            "",
            " ",
            "TRUE",
            "FALSE",
            "Total",
            "maybe",
            "0",
            "1",
            "=SUM(A1)",
            "NaN",
            "\u2013",
            "p2.1.3",
            "P2.1.3a",
            "case_id",
            "£",
            "\n",
        ]
    ),
    st.text(max_size=6),
)


@st.composite
def mutated_table(draw: st.DrawFn, rows: list[list[str]]) -> list[list[str]]:
    """Rows with cells replaced, rows repeated, dropped, shortened or summed up."""
    table = [list(row) for row in rows]
    for _ in range(draw(st.integers(1, 5))):
        action = draw(st.sampled_from(["cell", "repeat", "drop", "short", "total", "header"]))
        i = draw(st.integers(0, len(table) - 1))
        if action == "cell" and table[i]:
            table[i][draw(st.integers(0, len(table[i]) - 1))] = draw(CELLS)
        elif action == "repeat":
            table.insert(i, list(table[i]))
        elif action == "drop" and len(table) > 1:
            del table[i]
        elif action == "short" and table[i]:
            del table[i][-1]
        elif action == "total":
            table.append(["Total", *(["3"] * (len(table[0]) - 1))])
        elif action == "header" and table[0]:
            table[0][draw(st.integers(0, len(table[0]) - 1))] = draw(CELLS)
    return table
