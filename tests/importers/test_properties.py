"""Property: for any tokens and IOB2 tags, the rebuilt text and spans agree exactly (offsets are
the joined tokens of each span) and the article passes validation with the ANERcorp schema."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.importers._common import BIDI_MARKS, ImportReport, Token, iob2_spans, join_tokens, span_mentions
from benchmark.importers.anercorp import ANERCORP_SCHEMA, ANERCORP_TYPES
from benchmark.model import Article, find_problems
from benchmark.text import trim_span

# tokens as in the corpora: Arabic letters, digits, punctuation, bidi marks inside; no white space
TOKEN = st.text(alphabet=st.sampled_from([*"بوتينروسيا٢0.,،؟\"«»-", "\u200f", "\u200e", "ً"]),
                min_size=1, max_size=6)
TAG = st.sampled_from(["O", "O", "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-MISC"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TOKEN, TAG), min_size=1, max_size=30))
def test_spans_are_the_joined_tokens(pairs):
    tokens = [Token(text, tag, line) for line, (text, tag) in enumerate(pairs, start=1)]
    report = ImportReport("prop")
    spans = iob2_spans(tokens, report, "prop.txt", ANERCORP_TYPES)
    text, offsets = join_tokens([t.text for t in tokens])
    mentions = span_mentions(text, offsets, spans, tokens, report, "prop.txt")
    article = Article(doc_id="prop/1", text=text, entities=tuple(mentions))
    assert find_problems(article, ANERCORP_SCHEMA) == []
    visible = [(s, e) for s, e, _ in spans if trim_span(text, offsets[s][0], offsets[e - 1][1])[1]
               > trim_span(text, offsets[s][0], offsets[e - 1][1])[0]]
    assert report.counts["mention_invisible_skipped"] == len(spans) - len(visible)  # counted, never silent
    for mention, (s, e) in zip(article.entities, visible, strict=True):
        joined = " ".join(t.text for t in tokens[s:e])
        assert article.surface(mention) == joined.strip("".join(BIDI_MARKS) + " ")  # exact, minus edge marks
    # every non-O token is inside exactly one span; O tokens in none
    covered = sorted(i for s, e, _ in spans for i in range(s, e))
    assert covered == [i for i, t in enumerate(tokens) if t.tag != "O"]
    # each repair is reported: an I- tag that opens a span was counted
    opened_by_i = sum(1 for s, _, _ in spans if tokens[s].tag.startswith("I-"))
    assert report.counts["i_after_o_repaired"] == opened_by_i
