"""The text layer on public corpora (read at run time from ../shared/data; skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark.text import (
    Token,
    bio_to_spans,
    normalize,
    spans_to_bio,
    tokenize,
    tokenize_for_spans,
    trim_span,
)

pytestmark = pytest.mark.realdata


def read_anercorp(shared_data: Path) -> tuple[str, list[Token], list[str]]:
    """ANERcorp's `token tag` lines joined with spaces into one text, with offsets."""
    path = shared_data / "anercorp" / "ANERCorp"
    if not path.is_file():
        pytest.skip(f"ANERcorp not found at {path}")
    tokens: list[Token] = []
    tags: list[str] = []
    pieces: list[str] = []
    offset = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, tag = line.rpartition(" ")
        tokens.append(Token(word, offset, offset + len(word)))
        tags.append(tag)
        pieces.append(word)
        offset += len(word) + 1
    return " ".join(pieces), tokens, tags


@pytest.mark.slow
def test_anercorp_spans_survive_our_tokenization_and_bio(shared_data: Path) -> None:
    text, gold_tokens, gold_tags = read_anercorp(shared_data)
    # SOURCE.md: the IOB2 tags are valid, so strict and conlleval readings agree (11,188 spans).
    gold = bio_to_spans(gold_tokens, [t.replace("PERS", "PER") for t in gold_tags])
    assert gold == bio_to_spans(gold_tokens, [t.replace("PERS", "PER") for t in gold_tags], mode="conlleval")
    assert len(gold) == 11_188
    # Tokens carry RLMs and stray spaces (SOURCE.md quirks): trim, then every span must align.
    spans = [(*trim_span(text, start, end), label) for start, end, label in gold]
    assert all(start < end for start, end, _ in spans)
    assert sum((s, e) != (gs, ge) for (s, e, _), (gs, ge, _) in zip(spans, gold, strict=True)) > 0
    tokens = tokenize_for_spans(text, spans)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert bio_to_spans(tokens, spans_to_bio(tokens, spans, text=text)) == spans


def test_newsfane_bidi_marks_normalise_with_an_exact_map(shared_data: Path) -> None:
    path = shared_data / "newsfane_gold" / "NewsFANE_Gold_2014_170K.txt"
    if not path.is_file():
        pytest.skip(f"NewsFANE not found at {path}")
    text = path.read_text(encoding="utf-8")[:400_000]
    assert "\u200e" in text
    result = normalize(text)
    assert "\u200e" not in result.text and "\ufeff" not in result.text
    table = result.to_original
    assert all(result.text[i] == (text[j] if text[j] not in "أإآٱ" else "ا")
               for i, j in enumerate(table) if not ("\u064b" <= text[j] <= "\u065f"))
    tokens = tokenize(text, split_clitics=True)
    assert all(text[t.start : t.end] == t.text and "\u200e" not in t.text for t in tokens)
