r"""Character spans ↔ tokens with IOB2 (BIO) tags, both ways, with no silent loss.

* :func:`tokenize_for_spans` tokenizes (clitics split) and forces a token boundary at every
  span boundary, so every span aligns.
* :func:`spans_to_bio` tags tokens ``B-X`` / ``I-X`` / ``O`` (IOB2). A span must start at a
  token start and end at a token end, or :class:`AlignmentError` names the span, its surface
  and the token it cuts. BIO carries one layer: overlapping spans raise too; split them first
  with :func:`outermost_layer`, which returns what BIO cannot carry instead of dropping it.
* :func:`bio_to_spans` reads tags back with seqeval's semantics; ``mode="strict"`` (default)
  is seqeval's strict IOB2 mode, ``mode="conlleval"`` its default mode.
* :func:`article_to_bio` does all of this for an :class:`~benchmark.model.Article`.

>>> text = "وقال بوتين لروسيا"
>>> spans = [(5, 10, "PER"), (12, 17, "GPE")]
>>> tokens = tokenize_for_spans(text, spans)
>>> [t.text for t in tokens]
['و', 'قال', 'بوتين', 'ل', 'روسيا']
>>> tags = spans_to_bio(tokens, spans)
>>> tags
['O', 'O', 'B-PER', 'O', 'B-GPE']
>>> bio_to_spans(tokens, tags)
[(5, 10, 'PER'), (12, 17, 'GPE')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from benchmark.text.tokenize import CliticRule, Token, split_at, tokenize

if TYPE_CHECKING:
    from benchmark.model import Article, Mention

__all__ = ["AlignmentError", "BioView", "article_to_bio", "bio_to_spans", "outermost_layer",
           "spans_to_bio", "tokenize_for_spans", "trim_span"]


class SpanObject(Protocol):
    start: int
    end: int
    label: str


SpanLike = tuple[int, int, str] | SpanObject
"""A span: a ``(start, end, label)`` tuple or an object with those attributes (a Mention)."""
S = TypeVar("S", bound=SpanLike)


class AlignmentError(ValueError):
    """A span does not fall on token boundaries (or BIO cannot carry it)."""

    def __init__(self, message: str, *, span: Any = None, surface: str | None = None,
                 token: Token | None = None):
        super().__init__(message)
        self.span = span
        self.surface = surface
        self.token = token


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    r"""The span without whitespace or invisible format marks (bidi, BOM, ZWJ…) at its edges.

    Public corpora often carry them inside entity tokens (ANERcorp has ``ألمانيا\u200f``).
    Returns ``(start, start)`` shifted to the first kept position when nothing visible remains.

    >>> trim_span("قال بوتين\u200f .", 3, 11)
    (4, 9)
    """
    while start < end and _is_separator(text[start]):
        start += 1
    while end > start and _is_separator(text[end - 1]):
        end -= 1
    return start, end


def tokenize_for_spans(text: str, spans: Iterable[SpanLike], *,
                       split_clitics: bool | CliticRule = True) -> list[Token]:
    """Tokens of ``text`` (clitics split by default) cut at every span boundary.

    Raises :class:`AlignmentError` for a span outside the text, empty, or with a boundary on
    whitespace or an invisible mark (such a span has edges that no token can carry: trim it).

    >>> [t.text for t in tokenize_for_spans("بالزعيم الكوري", [(3, 14, "PER")])]
    ['ب', 'ال', 'زعيم', 'الكوري']
    """
    spans = list(spans)
    tokens = tokenize(text, split_clitics=split_clitics)
    boundaries: set[int] = set()
    for span in spans:
        start, end, _ = _triple(span)
        if not 0 <= start < end <= len(text):
            raise AlignmentError(
                f"span {_describe(span)} is not a non-empty span inside the text of length {len(text)} "
                "(fix: offsets are half-open code points with 0 <= start < end <= len(text))", span=span)
        boundaries.update((start, end))
    tokens = split_at(tokens, boundaries)
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    for span in spans:
        start, end, _ = _triple(span)
        for offset, found, char in ((start, starts, text[start]), (end, ends, text[end - 1])):
            if offset not in found:
                raise AlignmentError(
                    f"span {_describe(span)} {text[start:end]!r} has a boundary at {offset} next to "
                    f"{_char_name(char)}, which is never part of a token (fix: trim whitespace and "
                    "invisible marks from the span's edges, e.g. with trim_span)", span=span, surface=text[start:end])
    return tokens


def spans_to_bio(tokens: Sequence[Token], spans: Iterable[SpanLike], *, text: str | None = None) -> list[str]:
    """IOB2 tags for ``tokens``: ``B-X`` on a span's first token, ``I-X`` on the rest, ``O`` elsewhere.

    Spans must not overlap (call :func:`outermost_layer` first) and must start at a token start
    and end at a token end; otherwise :class:`AlignmentError`. ``text`` only improves messages.

    >>> tokens = tokenize("كيم جونج أون في روسيا")
    >>> spans_to_bio(tokens, [(0, 12, "PER"), (16, 21, "GPE")])
    ['B-PER', 'I-PER', 'I-PER', 'O', 'B-GPE']
    """
    index_of_start = {t.start: i for i, t in enumerate(tokens)}
    index_of_end = {t.end: i for i, t in enumerate(tokens)}
    tags = ["O"] * len(tokens)
    ordered = sorted(spans, key=lambda s: _triple(s)[:2])
    for previous, span in zip([None, *ordered], ordered, strict=False):
        start, end, label = _triple(span)
        if not (isinstance(start, int) and isinstance(end, int)) or start >= end:
            raise AlignmentError(f"span {_describe(span)} is empty or reversed (fix: end must be greater "
                                 "than start)", span=span)
        if not isinstance(label, str) or not label or label == "O":
            raise AlignmentError(f"span {_describe(span)} has no usable label (fix: give it an entity "
                                 "type such as 'PER')", span=span)
        if previous is not None and _triple(previous)[1] > start:
            raise AlignmentError(
                f"spans {_describe(previous)} and {_describe(span)} overlap; BIO carries one layer "
                "(fix: call outermost_layer(spans) and tag its first result; the second lists the rest)",
                span=span)
        first, last = index_of_start.get(start), index_of_end.get(end)
        if first is None or last is None or last < first:
            raise _cut_error(tokens, span, start if first is None else end, text)
        tags[first] = f"B-{label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{label}"
    return tags


def bio_to_spans(tokens: Sequence[Token], tags: Sequence[str], *,
                 mode: Literal["strict", "conlleval"] = "strict") -> list[tuple[int, int, str]]:
    """Spans ``(start, end, label)`` read from IOB2 tags, in token order.

    ``mode="strict"`` is seqeval's ``mode="strict", scheme=IOB2``: an entity starts only at
    ``B-X`` and extends over the following ``I-X`` of the same type; an ``I-X`` that does not
    continue one (after ``O``, after another type) belongs to no entity.
    ``mode="conlleval"`` is seqeval's default mode: such an ``I-X`` starts a new entity.
    A tag that is not ``O``, ``B-X`` or ``I-X`` raises ``ValueError`` in both modes.

    >>> tokens = tokenize("أ ب ج د")
    >>> bio_to_spans(tokens, ["B-PER", "I-PER", "I-LOC", "O"])
    [(0, 3, 'PER')]
    >>> bio_to_spans(tokens, ["B-PER", "I-PER", "I-LOC", "O"], mode="conlleval")
    [(0, 3, 'PER'), (4, 5, 'LOC')]
    """
    if len(tokens) != len(tags):
        raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags (fix: give one tag per token)")
    if mode not in ("strict", "conlleval"):
        raise ValueError(f"mode must be 'strict' or 'conlleval', got {mode!r}")
    spans: list[tuple[int, int, str]] = []
    open_label: str | None = None
    open_start = open_end = 0
    for i, tag in enumerate(tags):
        prefix, label = _parse_tag(tag, i)
        if prefix == "I" and label == open_label:
            open_end = tokens[i].end
            continue
        if open_label is not None:
            spans.append((open_start, open_end, open_label))
            open_label = None
        if prefix == "B" or (prefix == "I" and mode == "conlleval"):
            open_label, open_start, open_end = label, tokens[i].start, tokens[i].end
    if open_label is not None:
        spans.append((open_start, open_end, open_label))
    return spans


def outermost_layer(spans: Iterable[S]) -> tuple[list[S], list[S]]:
    """Split spans into the layer BIO can carry and the rest: ``(kept, not_representable)``.

    Spans are taken by start, longest first (ties: input order); one is kept when it does not
    overlap a kept span. So a nested span loses to the span containing it, and of two crossing
    spans the earlier one is kept. Both lists are in that order.

    >>> outermost_layer([(0, 12, "PER"), (0, 3, "PER"), (16, 21, "GPE")])
    ([(0, 12, 'PER'), (16, 21, 'GPE')], [(0, 3, 'PER')])
    """
    ordered = sorted(enumerate(spans), key=lambda item: (_triple(item[1])[0], -_triple(item[1])[1], item[0]))
    kept: list[S] = []
    rest: list[S] = []
    kept_end = -1
    for _, span in ordered:
        start, end, _ = _triple(span)
        if start >= kept_end:
            kept.append(span)
            kept_end = end
        else:
            rest.append(span)
    return kept, rest


@dataclass(frozen=True, slots=True)
class BioView:
    """An article's token/BIO view; ``not_in_bio`` holds the mentions BIO could not carry."""

    doc_id: str
    tokens: tuple[Token, ...]
    tags: tuple[str, ...]
    not_in_bio: tuple[Mention, ...]


def article_to_bio(article: Article, *, split_clitics: bool | CliticRule = True) -> BioView:
    """The token/BIO view of ``article.entities`` (outermost layer; nested ones in ``not_in_bio``).

    >>> from benchmark.model import Article, Mention
    >>> art = Article(doc_id="d1", text="وقال بوتين لروسيا",
    ...               entities=(Mention("m1", 5, 10, "PER"), Mention("m2", 12, 17, "GPE")))
    >>> view = article_to_bio(art)
    >>> list(zip([t.text for t in view.tokens], view.tags))[2:]
    [('بوتين', 'B-PER'), ('ل', 'O'), ('روسيا', 'B-GPE')]
    """
    try:
        tokens = tokenize_for_spans(article.text, article.entities, split_clitics=split_clitics)
        kept, rest = outermost_layer(article.entities)
        tags = spans_to_bio(tokens, kept, text=article.text)
    except AlignmentError as error:
        raise AlignmentError(f"{article.doc_id}: {error}", span=error.span, surface=error.surface,
                             token=error.token) from error
    return BioView(article.doc_id, tuple(tokens), tuple(tags), tuple(rest))


# --------------------------------------------------------------------------- internals


def _triple(span: SpanLike) -> tuple[int, int, str]:
    if isinstance(span, tuple):
        if len(span) != 3:
            raise AlignmentError(f"span {span!r} is not a (start, end, label) triple", span=span)
        return span
    try:
        return span.start, span.end, span.label
    except AttributeError:
        raise AlignmentError(f"span {span!r} has no start/end/label (fix: pass (start, end, label) "
                             "tuples or Mention objects)", span=span) from None


def _describe(span: SpanLike) -> str:
    start, end, label = _triple(span)
    item = getattr(span, "id", None)
    return f"{item + ' ' if item else ''}[{start}, {end}) {label}"


def _is_separator(char: str) -> bool:
    import unicodedata

    return char.isspace() or unicodedata.category(char) == "Cf"


def _char_name(char: str) -> str:
    import unicodedata

    return f"U+{ord(char):04X} {unicodedata.name(char, '?')}"


def _parse_tag(tag: str, index: int) -> tuple[str, str | None]:
    if tag == "O":
        return "O", None
    if isinstance(tag, str) and len(tag) > 2 and tag[0] in "BI" and tag[1] == "-":
        return tag[0], tag[2:]
    raise ValueError(f"tag {index} is {tag!r}: IOB2 tags are 'O', 'B-<type>' or 'I-<type>' "
                     "(fix: convert IOB1/IOBES tags to IOB2 first)")


def _cut_error(tokens: Sequence[Token], span: SpanLike, offset: int, text: str | None) -> AlignmentError:
    start, end, _ = _triple(span)
    inside = [t for t in tokens if t.start < end and t.end > start]
    surface = text[start:end] if text is not None else " ".join(t.text for t in inside)
    cut = next((t for t in tokens if t.start < offset < t.end), None)
    where = (f"cuts token {cut.text!r} [{cut.start}, {cut.end})" if cut is not None
             else f"does not fall on a token {'start' if offset == start else 'end'}")
    return AlignmentError(
        f"span {_describe(span)} {surface!r}: boundary {offset} {where} (fix: build tokens with "
        "tokenize_for_spans(text, spans), which forces token boundaries at span edges, or fix the span)",
        span=span, surface=surface, token=cut)
