"""Span ↔ BIO alignment: article examples, clear errors, nesting, and seqeval equivalence."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.model import Article, ArticleError, Mention
from benchmark.text import (
    AlignmentError,
    CliticRule,
    Token,
    article_to_bio,
    bio_to_spans,
    outermost_layer,
    spans_to_bio,
    tokenize,
    tokenize_for_spans,
)

SETTINGS = settings(max_examples=300, deadline=None)

# From the seed article (/work/shared/seed/article.txt).
MEETING = ("بلقاء الرئيس الروسي فلاديمير بوتين، بالزعيم الكوري الشمالي، كيم جونج أون، "
           "في أحدث منشأة إطلاق فضائي في روسيا .")
KIM = 'من جانبه، كتب كيم في كتاب للزوار: "سيكون المجد لروسيا، التي أنجبت أول فتح للفضاء، خالدا".'


def span_of(text: str, surface: str, label: str, occurrence: int = 0) -> tuple[int, int, str]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface), label


def test_meeting_sentence_bio() -> None:
    spans = [span_of(MEETING, "فلاديمير بوتين", "PER"), span_of(MEETING, "كيم جونج أون", "PER"),
             span_of(MEETING, "روسيا", "GPE")]
    tokens = tokenize_for_spans(MEETING, spans)
    tags = spans_to_bio(tokens, spans)
    tagged = [(t.text, tag) for t, tag in zip(tokens, tags, strict=True) if tag != "O"]
    assert tagged == [("فلاديمير", "B-PER"), ("بوتين", "I-PER"), ("كيم", "B-PER"), ("جونج", "I-PER"),
                      ("أون", "I-PER"), ("روسيا", "B-GPE")]
    assert bio_to_spans(tokens, tags) == spans


def test_entity_glued_to_a_clitic_gets_its_own_token() -> None:
    spans = [span_of(KIM, "روسيا", "GPE")]
    tokens = tokenize_for_spans(KIM, spans)
    tags = spans_to_bio(tokens, spans)
    assert [(t.text, tag) for t, tag in zip(tokens, tags, strict=True)][13:16] == [
        ("ل", "O"), ("روسيا", "B-GPE"), ("،", "O")]


def test_forced_boundary_where_the_clitic_rule_does_not_split() -> None:
    text = "وأضاف أنّ توريد كوريا الشماليّة أسلحة وذخائر"
    spans = [(1, 5, "MISC")]  # 'أضاف' inside 'وأضاف' (the default rule would split it anyway)
    text2 = "بزعيم كوريا"
    spans2 = [(1, 5, "PER")]  # 'زعيم' inside 'بزعيم': ب alone is never split by the rule
    assert [t.text for t in tokenize_for_spans(text, spans)][:2] == ["و", "أضاف"]
    assert [t.text for t in tokenize_for_spans(text2, spans2)][:2] == ["ب", "زعيم"]
    assert [t.text for t in tokenize_for_spans(text2, spans2, split_clitics=False)][:2] == ["ب", "زعيم"]


def test_quote_marks_and_guillemets_align() -> None:
    text = 'ضد "الإمبريالية" و«الهيمنة»'
    spans = [span_of(text, "الإمبريالية", "MISC"), span_of(text, "الهيمنة", "MISC")]
    tokens = tokenize_for_spans(text, spans)
    assert [t.text for t in tokens] == ["ضد", '"', "الإمبريالية", '"', "و", "«", "الهيمنة", "»"]
    assert spans_to_bio(tokens, spans) == ["O", "O", "B-MISC", "O", "O", "O", "B-MISC", "O"]


def test_span_cutting_a_token_is_a_clear_error() -> None:
    text = "قال لروسيا"
    tokens = tokenize(text)  # no clitic split, no forced boundary
    expected = r"\[5, 10\) GPE 'روسيا': boundary 5 cuts token 'لروسيا' \[4, 10\)"
    with pytest.raises(AlignmentError, match=expected) as info:
        spans_to_bio(tokens, [(5, 10, "GPE")], text=text)
    assert info.value.token == Token("لروسيا", 4, 10)
    assert info.value.surface == "روسيا"
    assert info.value.span == (5, 10, "GPE")


def test_span_edges_on_whitespace_or_bidi_marks_are_errors() -> None:
    with pytest.raises(AlignmentError, match=r"U\+0020 SPACE.*trim"):
        tokenize_for_spans("قال بوتين", [(3, 9, "PER")])
    with pytest.raises(AlignmentError, match="RIGHT-TO-LEFT MARK"):
        tokenize_for_spans("قال بوتين\u200f.", [(4, 10, "PER")])


@pytest.mark.parametrize("span", [(0, 0, "PER"), (3, 2, "PER"), (0, 99, "PER"), (-1, 2, "PER")])
def test_bad_span_offsets_are_errors(span: tuple[int, int, str]) -> None:
    with pytest.raises(AlignmentError, match="non-empty span inside the text"):
        tokenize_for_spans("قال بوتين", [span])


def test_bad_labels_and_overlaps_are_errors() -> None:
    tokens = tokenize("كيم جونج أون")
    with pytest.raises(AlignmentError, match="empty or reversed"):
        spans_to_bio(tokens, [(4, 4, "PER")])
    with pytest.raises(AlignmentError, match="no usable label"):
        spans_to_bio(tokens, [(0, 3, "")])
    with pytest.raises(AlignmentError, match=r"overlap.*outermost_layer"):
        spans_to_bio(tokens, [(0, 12, "PER"), (4, 8, "PER")])
    with pytest.raises(AlignmentError, match=r"not a \(start, end, label\) triple"):
        spans_to_bio(tokens, [(0, 3)])  # type: ignore[list-item]


def test_outermost_layer_reports_what_bio_cannot_carry() -> None:
    outer, inner, crossing, same = (0, 20, "ORG"), (4, 9, "GPE"), (15, 25, "LOC"), (0, 20, "MISC")
    kept, rest = outermost_layer([inner, crossing, outer, same])
    assert kept == [outer]
    assert rest == [same, inner, crossing]
    assert outermost_layer([]) == ([], [])


def test_bio_to_spans_rejects_bad_tags() -> None:
    tokens = tokenize("أ ب")
    with pytest.raises(ValueError, match="tag 1 is 'E-PER'"):
        bio_to_spans(tokens, ["B-PER", "E-PER"])
    with pytest.raises(ValueError, match="tag 0 is 'B-'"):
        bio_to_spans(tokens, ["B-", "O"])
    with pytest.raises(ValueError, match="2 tokens but 1 tags"):
        bio_to_spans(tokens, ["O"])
    with pytest.raises(ValueError, match="mode"):
        bio_to_spans(tokens, ["O", "O"], mode="lenient")  # type: ignore[arg-type]


def test_article_to_bio_keeps_nested_mentions_aside() -> None:
    text = "وقال الرئيس الروسي فلاديمير بوتين لروسيا"
    article = Article(doc_id="seed/1", text=text, entities=(
        Mention("m1", *span_of(text, "الرئيس الروسي فلاديمير بوتين", "PER")),
        Mention("m2", *span_of(text, "فلاديمير بوتين", "PER")),
        Mention("m3", *span_of(text, "روسيا", "GPE")),
    ))
    view = article_to_bio(article)
    assert view.doc_id == "seed/1"
    assert [m.id for m in view.not_in_bio] == ["m2"]
    assert list(zip([t.text for t in view.tokens], view.tags, strict=True)) == [
        ("و", "O"), ("قال", "O"), ("الرئيس", "B-PER"), ("الروسي", "I-PER"), ("فلاديمير", "I-PER"),
        ("بوتين", "I-PER"), ("ل", "O"), ("روسيا", "B-GPE")]
    # inner mentions still got their token boundaries, so a second layer can be tagged too
    assert spans_to_bio(view.tokens, view.not_in_bio) == ["O", "O", "O", "O", "B-PER", "I-PER", "O", "O"]


def test_span_edge_on_an_invisible_mark_is_refused_by_the_model_and_by_the_aligner() -> None:
    text = "قال بوتين\u200f."
    # the data model refuses the span first, naming the document, the mention and the fix ...
    with pytest.raises(ArticleError, match=r"seed/2: entities\[0\] id='m7'.*invisible mark.*trim_span"):
        Article(doc_id="seed/2", text=text, entities=(Mention("m7", 4, 10, "PER"),))
    # ... and the aligner refuses raw spans with such an edge too (for callers outside the model)
    with pytest.raises(AlignmentError, match=r"\[4, 10\)"):
        spans_to_bio(tokenize_for_spans(text, [(4, 9, "PER")]), [(4, 10, "PER")], text=text)
    assert article_to_bio(Article(doc_id="seed/2", text=text, entities=(Mention("m7", 4, 9, "PER"),))).tags


# --------------------------------------------------------------------------- properties

LETTERS = "ابتثجحخدرزسشصضطعغفقكلمنهوي"
word_lists = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=6), min_size=1, max_size=15)
TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-GPE", "I-GPE"]


@SETTINGS
@given(words=word_lists, data=st.data())
def test_spans_to_bio_to_spans_is_the_identity(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    tokens = tokenize(text)
    assert len(tokens) == len(words)
    # random non-overlapping token ranges with random labels
    cuts = sorted(data.draw(st.sets(st.integers(0, len(tokens)), max_size=8)))
    spans = []
    for a, b in itertools.pairwise(cuts):
        if data.draw(st.booleans()):
            label = data.draw(st.sampled_from(["PER", "GPE", "ORG"]))
            spans.append((tokens[a].start, tokens[b - 1].end, label))
    tags = spans_to_bio(tokens, spans)
    assert bio_to_spans(tokens, tags) == spans
    assert bio_to_spans(tokens, tags, mode="conlleval") == spans


@SETTINGS
@given(text=st.text(alphabet=LETTERS + " \u200f«»،.\u0651ـ", max_size=60), data=st.data())
def test_tokenize_for_spans_aligns_every_span_with_visible_edges(text: str, data: st.DataObject) -> None:
    visible = [i for i, ch in enumerate(text) if not ch.isspace() and ch != "\u200f"]
    if not visible:
        return
    spans = []
    for _ in range(data.draw(st.integers(0, 4))):
        start = data.draw(st.sampled_from(visible))
        end = data.draw(st.sampled_from([i + 1 for i in visible if i >= start]))
        spans.append((start, end, data.draw(st.sampled_from(["PER", "GPE"]))))
    tokens = tokenize_for_spans(text, spans, split_clitics=data.draw(st.sampled_from([True, False,
                                                                                     CliticRule(split_article=True)])))
    assert all(text[t.start : t.end] == t.text for t in tokens)
    kept, rest = outermost_layer(spans)
    assert len(kept) + len(rest) == len(spans)
    tags = spans_to_bio(tokens, kept, text=text)
    assert bio_to_spans(tokens, tags) == kept


@SETTINGS
@given(tags=st.lists(st.sampled_from(TAGS), max_size=20))
def test_bio_to_spans_equals_seqeval(tags: list[str]) -> None:
    seqeval_scheme = pytest.importorskip("seqeval.scheme")
    from seqeval.metrics.sequence_labeling import get_entities

    tokens = [Token("x", 2 * i, 2 * i + 1) for i in range(len(tags))]

    def as_token_ranges(spans: list[tuple[int, int, str]]) -> set[tuple[str, int, int]]:
        return {(label, start // 2, (end - 1) // 2 + 1) for start, end, label in spans}

    strict = seqeval_scheme.Entities([tags], seqeval_scheme.IOB2).entities[0]
    assert as_token_ranges(bio_to_spans(tokens, tags)) == {(e.tag, e.start, e.end) for e in strict}
    default = {(label, start, end + 1) for label, start, end in get_entities(tags)}
    assert as_token_ranges(bio_to_spans(tokens, tags, mode="conlleval")) == default
