"""ANERcorp (Benajiba et al., 2007) → :class:`~benchmark.model.Article` pseudo-documents.

The file is one ``token tag`` per line (the token is everything before the **last** space),
IOB2 tags over ``PERS/LOC/ORG/MISC``, and **no** sentence or document breaks. This importer:

- rebuilds running text by joining the tokens with single spaces and computes every entity's
  character span exactly from the IOB2 tags (``text[start:end]`` is the joined tokens);
- keeps the tokens as they are, bidi marks included (U+200F inside ``أمس‏``); a token made only
  of bidi marks (186 in the file, all ``O``) is kept too, so the text keeps one entry per token;
- strips surrounding white space from a token (a stray leading space on ``فيرسلاين``) and skips
  tokens that are empty (5 lines that read `` O``); both are counted and noted by line;
- splits sentences after ``.``/``?``/``!``/``؟`` tokens (bidi marks ignored; a run of such tokens
  stays in one sentence) and groups ``sentences_per_doc`` sentences into one article with the
  doc_id ``anercorp/s<first>-<last>`` (sentence indices, inclusive, zero-padded); a file whose
  blank lines are its sentence breaks is read with ``sentence_breaks="blank"`` (a blank line is
  refused otherwise: ANERcorp has none);
- assigns ``meta["split"]`` with :func:`camel_split_cut`, the sequential CAMeL Lab rule (see
  ``annotations/splits/anercorp.json``); a pseudo-document never straddles the cut. ``split="none"``
  turns the rule off (no ``meta["split"]``), for a file that is not ANERcorp's own;
- refuses any line that is not ``token tag`` (a tab, a second tag column, a tag outside
  ``O``/``B-``/``I-`` of ``PERS/LOC/ORG/MISC``) with its line: other layouts are read by
  :mod:`benchmark.importers.conll`.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "ANERCorp"
>>> _ = path.write_text("\\ufeffقال O\\nجورج B-PERS\\nبوش I-PERS\\n. O\\r\\n", encoding="utf-8")
>>> [article] = import_anercorp(path)
>>> article.doc_id, article.text, [article.surface(m) for m in article.entities]
('anercorp/s00000-00000', 'قال جورج بوش .', ['جورج بوش'])
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmark.importers._common import (
    BIDI_MARKS,
    ImportProblem,
    ImportReport,
    Token,
    checked,
    group_sentences,
    iob2_spans,
    join_tokens,
    resolve_file,
    span_mentions,
)
from benchmark.model import Article, Provenance
from benchmark.schema import LabelSchema, builtin_schema

__all__ = [
    "ANERCORP_SCHEMA",
    "ANERCORP_TAGS",
    "ANERCORP_TYPES",
    "SENTENCE_END_TOKENS",
    "SplitCut",
    "camel_split_cut",
    "describe_split",
    "import_anercorp",
    "read_tokens",
    "split_sentences",
]

ANERCORP_TYPES: dict[str, str] = {"PERS": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}
"""ANERcorp entity type → Khabar label. Only ``PERS`` is renamed; ANERcorp has no GPE (countries
and cities are ``LOC``) and no DATE; ``MISC`` covers currencies, events, products…"""

ANERCORP_SCHEMA: LabelSchema = builtin_schema("anercorp")
"""The label set imported ANERcorp articles are validated against."""

SENTENCE_END_TOKENS = frozenset({".", "?", "!", "؟"})
"""A token equal to one of these (after removing bidi marks) ends a sentence."""

DEFAULT_FILE = "ANERCorp"
TRAIN_FRACTION = 5 / 6  # the CAMeL Lab rule: sentences holding the first 5/6 of the words go to train


ANERCORP_TAGS = frozenset({"O", *(f"{p}-{t}" for p in "BI" for t in ANERCORP_TYPES)})
"""The tags an ANERcorp line may end with."""

SENTENCE_BREAKS = ("punctuation", "blank")
SPLITS = ("camel", "none")


def read_tokens(path: str | Path, report: ImportReport | None = None,
                breaks: list[int] | None = None) -> Iterator[Token]:
    """Yield the tokens of an ANERcorp file (BOM and CRLF tolerated), stripped of surrounding
    white space; empty tokens are skipped and noted, a line that is not ``token tag`` raises
    :class:`ImportProblem` naming it (a tab, a second tag column, a tag outside ANERcorp's set).

    Blank lines: ANERcorp has none, so one that is followed by more tokens is refused, unless
    ``breaks`` is a list: then each blank line is a sentence break and the number of tokens read
    before it is appended to ``breaks``.
    """
    path = resolve_file(path, DEFAULT_FILE, "ANERcorp")
    report = report if report is not None else ImportReport("anercorp")
    name = path.name
    blank = 0  # the last blank line not yet followed by a token (punctuation breaks)
    count = 0
    with path.open("r", encoding="utf-8-sig") as handle:  # universal newlines: CRLF and CR are fine
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                if breaks is not None:
                    if count and (not breaks or breaks[-1] != count):
                        breaks.append(count)
                else:
                    blank = blank or number
                continue
            if blank:
                raise ImportProblem(f"{name}:{blank}", [
                    "blank line: ANERcorp has no sentence breaks (sentences end at . ? ! ؟); if this file's blank "
                    "lines are sentence breaks, pass -O sentence_breaks=blank (or use `khabar import conll`)"])
            _check_line(name, number, line)
            raw, _space, tag = line.rpartition(" ")
            report.count("lines")
            token = raw.strip()
            if not token:
                if tag != "O":
                    raise ImportProblem(f"{name}:{number}", [f"empty token tagged {tag!r}; fix the line"])
                report.note(f"{name}:{number}", "empty_token_skipped", f"empty token ({line!r}) skipped")
                continue
            if token != raw:
                report.note(f"{name}:{number}", "token_whitespace_stripped",
                            f"token {raw!r} carried surrounding white space; stripped to {token!r}")
            if any(ch.isspace() for ch in token):
                report.note(f"{name}:{number}", "token_inner_space",
                            f"token {token!r} holds white space (kept as one token; it may be two "
                            "lines merged in the source)")
            if not token.strip(BIDI_MARKS):
                report.count("bidi_only_token_kept")
            count += 1
            yield Token(token, tag, number)
    if blank:
        report.note(f"{name}:{blank}", "trailing_blank_lines", "blank line(s) at the end of the file")


def _check_line(name: str, number: int, line: str) -> None:
    """Refuse a line that is not ``token tag``: a tab, a tag outside ANERcorp's set, or a second
    tag column (a multi-column file read as ANERcorp would put a tag into the token)."""
    where = f"{name}:{number}"
    if "\t" in line:
        raise ImportProblem(where, [f"line {line!r} holds a tab: ANERcorp is 'token tag' separated by one space; "
                                    "a tab-separated file is read by `khabar import conll` (or newsfane)"])
    raw, space, tag = line.rpartition(" ")
    if not space or tag not in ANERCORP_TAGS:
        raise ImportProblem(where, [f"line {line!r} is not 'token tag' with an ANERcorp tag after the last space "
                                    f"(O, B-/I- {'/'.join(ANERCORP_TYPES)}); fix the line, or read a file with its "
                                    "own tags with `khabar import conll`"])
    extra = [piece for piece in raw.split(" ")[1:] if piece in ANERCORP_TAGS]
    if extra:
        raise ImportProblem(where, [f"line {line!r} has more than one tag column ({', '.join(extra)} before {tag}): "
                                    "ANERcorp is 'token tag'; a file with a tag column per nesting depth is read by "
                                    "`khabar import conll --tag-columns 2,3`"])


def _ends_sentence(token: str) -> bool:
    return token.strip(BIDI_MARKS) in SENTENCE_END_TOKENS


def split_sentences(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """``[first, end)`` token ranges of the sentences: a sentence ends after a run of
    :data:`SENTENCE_END_TOKENS` (bidi marks ignored), except inside an entity (the next token
    is tagged ``I-``, as in ``سي . إس . إم``); trailing tokens form a last sentence."""
    sentences: list[tuple[int, int]] = []
    first = 0
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        continues = following is not None and (
            _ends_sentence(following.text) or following.tag.startswith("I-"))
        if _ends_sentence(token.text) and not continues:
            sentences.append((first, index + 1))
            first = index + 1
    if first < len(tokens):
        sentences.append((first, len(tokens)))
    return sentences


def _is_word(token: Token) -> bool:
    """A word in the CAMeL Lab count: what is left after removing U+200F is not empty."""
    return bool(token.text.replace("\u200f", "").strip())


@dataclass(frozen=True, slots=True)
class SplitCut:
    """Where the sequential train/test split cuts ANERcorp (all indices 0-based)."""

    first_test_sentence: int  # index into split_sentences(); == number of train sentences
    first_test_token: int  # index into read_tokens() (empty tokens skipped)
    first_test_line: int  # 1-based line in the file of the first test token
    train_words: int  # CAMeL-style word counts (bidi-only tokens not counted)
    test_words: int


def camel_split_cut(tokens: Sequence[Token], sentences: Sequence[tuple[int, int]]) -> SplitCut:
    """The CAMeL Lab sequential split: the sentences that contain the first 5/6 of the words go
    to train, the rest to test. Words are counted as CAMeL Lab does after removing U+200F
    (bidi-only tokens do not count). On the ANERcorp file this gives 125,087 train and 25,007
    test words (CAMeL Lab report 125,102 and 25,008 after their small corrections)."""
    word_flags = [_is_word(t) for t in tokens]
    total = sum(word_flags)
    target = math.floor(total * TRAIN_FRACTION)
    seen = 0
    cut_sentence = len(sentences)
    for number, (first, end) in enumerate(sentences):
        seen += sum(word_flags[first:end])
        if seen >= target:
            cut_sentence = number + 1
            break
    if cut_sentence >= len(sentences):
        first_token = len(tokens)
        return SplitCut(len(sentences), first_token, 0, total, 0)
    first_token = sentences[cut_sentence][0]
    train_words = sum(word_flags[:first_token])
    return SplitCut(cut_sentence, first_token, tokens[first_token].line, train_words, total - train_words)


def _sentence_text(tokens: Sequence[Token], sentence: tuple[int, int]) -> str:
    return " ".join(t.text for t in tokens[sentence[0] : sentence[1]])


def describe_split(path: str | Path) -> dict:
    """The pinned-split record (as committed in ``annotations/splits/anercorp.json``): indices
    and SHA-256 digests only, never corpus text."""
    path = resolve_file(path, DEFAULT_FILE, "ANERcorp")
    tokens = list(read_tokens(path))
    sentences = split_sentences(tokens)
    cut = camel_split_cut(tokens, sentences)

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    return {
        "corpus": "anercorp",
        "source_file": path.name,
        "source_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "rule": "sequential, CAMeL Lab: the sentences holding the first 5/6 of the words go to train, "
                "the rest to test; words = tokens not empty after removing U+200F; sentences end after "
                "a run of . ? ! ؟ tokens (bidi marks ignored) unless the next token is tagged I-",
        "tokens": len(tokens),
        "sentences": len(sentences),
        "cut": {
            "first_test_sentence_index": cut.first_test_sentence,
            "first_test_token_index": cut.first_test_token,
            "first_test_file_line": cut.first_test_line,
            "first_test_sentence_sha256": digest(_sentence_text(tokens, sentences[cut.first_test_sentence])),
            "last_train_sentence_sha256": digest(
                _sentence_text(tokens, sentences[cut.first_test_sentence - 1])),
        },
        "words": {"train": cut.train_words, "test": cut.test_words},
        "camel_lab_reported_words": {"train": 125_102, "test": 25_008},
        "sentence_text_for_digest": "the sentence's tokens joined with single spaces, UTF-8",
    }


def import_anercorp(path: str | Path, *, sentences_per_doc: int = 10, sentence_breaks: str = "punctuation",
                    split: str = "camel", report: ImportReport | None = None,
                    strict: bool = True) -> Iterator[Article]:
    """Yield ANERcorp pseudo-documents of ``sentences_per_doc`` sentences (1 = one per sentence).

    ``path`` is the ``ANERCorp`` file or its folder. ``sentence_breaks``: ``"punctuation"``
    (ANERcorp's own: :func:`split_sentences`; a blank line is refused) or ``"blank"`` (blank lines
    end sentences, nothing is re-split). ``split``: ``"camel"`` (the CAMeL Lab 5/6 cut,
    :func:`camel_split_cut`) or ``"none"`` (no ``meta["split"]``). Each article's ``meta`` holds
    ``split`` (train/test, with ``camel``), ``sentences`` ([first, end) sentence indices),
    ``sentence_offsets`` (character offset of each sentence in ``text``) and ``lines`` (first and
    last file line).
    """
    if sentence_breaks not in SENTENCE_BREAKS:
        raise ValueError(f"sentence_breaks must be one of {list(SENTENCE_BREAKS)}, got {sentence_breaks!r}")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {list(SPLITS)} (none: no train/test cut), got {split!r}")
    report = report if report is not None else ImportReport("anercorp")
    file = resolve_file(path, DEFAULT_FILE, "ANERcorp")
    breaks: list[int] | None = [] if sentence_breaks == "blank" else None
    tokens = list(read_tokens(file, report, breaks))  # 150k short lines: small; the split needs them all
    if breaks is None:
        sentences = split_sentences(tokens)
    else:
        bounds = [0, *(b for b in breaks if b < len(tokens)), len(tokens)]
        sentences = [(first, end) for first, end in itertools.pairwise(bounds) if end > first]
    cut = camel_split_cut(tokens, sentences) if split == "camel" else None
    report.count("tokens", len(tokens))
    report.count("sentences", len(sentences))
    report.count("sentence_end_tokens", sum(_ends_sentence(t.text) for t in tokens))
    for first, end in group_sentences(sentences, sentences_per_doc,
                                      breaks=[cut.first_test_sentence] if cut else []):
        doc_tokens = tokens[sentences[first][0] : sentences[end - 1][1]]
        text, offsets = join_tokens([t.text for t in doc_tokens])
        spans = iob2_spans(doc_tokens, report, file.name, ANERCORP_TYPES)
        mentions = span_mentions(text, offsets, spans, doc_tokens, report, file.name)
        base = sentences[first][0]
        meta = {
            "sentences": [first, end],
            "sentence_offsets": [offsets[sentences[k][0] - base][0] for k in range(first, end)],
            "lines": [doc_tokens[0].line, doc_tokens[-1].line],
        }
        if cut is not None:
            meta = {"split": "train" if first < cut.first_test_sentence else "test", **meta}
        doc_id = f"anercorp/s{first:05d}-{end - 1:05d}"
        fields = {"doc_id": doc_id, "text": text, "variety": "msa", "meta": meta,
                  "entities": tuple(mentions), "provenance": Provenance(source=f"anercorp:{file.name}")}
        where = f"{file.name}:{doc_tokens[0].line}-{doc_tokens[-1].line} ({doc_id})"
        article = checked(fields, ANERCORP_SCHEMA, where, report, strict)
        if article is not None:
            report.count("articles")
            report.count("entities", len(mentions))
            yield article
