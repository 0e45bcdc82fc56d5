"""The streaming JSON readers of :mod:`benchmark.io`: line and column in every message whatever
the chunk size, nesting too deep is an error (not a RecursionError), and the values that cannot be
written back (lone surrogates, NaN/Infinity) are flagged and found."""

from __future__ import annotations

import json

import pytest

from benchmark.io import InputError, iter_json_items, line_column, unwritable_values


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 21])
def test_a_truncated_file_names_line_and_column_whatever_the_chunk(tmp_path, chunk) -> None:
    path = tmp_path / "cut.json"
    text = json.dumps([{"a": "ع" * 5, "b": [1, 2]}, {"c": "قال"}], ensure_ascii=False, indent=1)
    path.write_text(text[:-12], encoding="utf-8")  # cut inside item 1
    with pytest.raises(InputError) as caught:
        list(iter_json_items(path, chunk_bytes=chunk))
    message = str(caught.value)
    assert "cut.json: item 1 is not valid JSON" in message
    assert "the file is cut short" in message
    lines = text[:-12].split("\n")
    assert f"at line {len(lines)}, column {len(lines[-1]) + 1}" in message
    assert "the item starts at line 9, column 2" in message


@pytest.mark.parametrize("chunk", [1, 5, 1 << 21])
def test_item_offsets_give_line_and_column(tmp_path, chunk) -> None:
    path = tmp_path / "x.json"
    path.write_text('\ufeff[\r\n {"a": "ع"},\r\n  {"b": 2}\r\n]', encoding="utf-8")
    items = list(iter_json_items(path, chunk_bytes=chunk))
    assert [line_column(path, item.offset) for item in items] == [(2, 2), (3, 3)]


def test_nesting_too_deep_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('[{"ok": 1},\n ' + "[" * 100_000 + "]" * 100_000 + "]", encoding="utf-8")
    with pytest.raises(InputError, match=r"deep\.json: item 1 \(line 2, column 2\) is nested deeper"):
        list(iter_json_items(path))


@pytest.mark.parametrize("chunk", [2, 6, 1 << 21])
def test_odd_items_are_flagged_and_their_values_found(tmp_path, chunk) -> None:
    """A surrogate escape cut between chunks is still seen; a valid pair (an emoji) is flagged but
    holds nothing unwritable; NaN/Infinity constants are flagged."""
    path = tmp_path / "x.json"
    path.write_text('[{"t": "plain"}, {"t": "a\\ud83d\\ude00"}, {"t": "b\\udc00"}, {"n": -Infinity}, {"t": 1}]',
                    encoding="utf-8")
    items = list(iter_json_items(path, chunk_bytes=chunk))
    assert [item.odd for item in items] == [False, True, True, True, False]
    assert [list(unwritable_values(item.value)) for item in items] == [
        [],
        [],
        [("t", "a lone surrogate '\\udc00' (not valid UTF-8)")],
        [("n", "the number -Infinity (not valid JSON)")],
        [],
    ]
