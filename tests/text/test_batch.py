"""The vectorised tokenizer and BIO view (benchmark.text.batch) against the regex definitions:
differential tests on random text (any code point class), on the gold sample and on real news."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.model import Article, Mention
from benchmark.schema import KHABAR
from benchmark.text import AlignmentError, CliticRule, article_to_bio, split_at, tokenize
from benchmark.text.batch import bio_batch, tokenize_batch

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةٱ"
MARKS = "".join(map(chr, range(0x064B, 0x0660))) + "\u0670\u0640"
INVISIBLE = "\u200e\u200f\u202b\u202c\u2066\u2069\u061c\ufeff\u200c\u200d\u200b"
PUNCTUATION = "،؛؟٫٬٪.,;:!?()[]-/\"«»“”'…%_"
OTHER_SCRIPTS = "abcXYZé½²ⅫΩж中😀\U00020000\U000e0100\u0300\u0903"  # numerics, marks and planes beyond the BMP
ALPHABET = ARABIC + MARKS + INVISIBLE + PUNCTUATION + OTHER_SCRIPTS + "0123456789٠١٩۰۹" + " \n\t\u00a0\u2028"
CHUNKS = ["و", "ف", "ب", "ل", "ك", "ال", "لل", "بال", "وال", "وبال", "روسيا", "بوتين", "قال", "وقت", "واشنطن",
          "وزير", "التي", "الله", "لبنان", "لكنه", "لي", "وز", "لديه",  # keep_whole entries and their beginnings
          "2,5", "25/6", "1.2.3", "3..4", "2024", "٢٠٢٤", "«", "»", '"', "،", ".", " ", "\u200f", "\u0651", "ـ"]
texts = st.text(alphabet=ALPHABET, max_size=60) | st.lists(
    st.sampled_from(CHUNKS) | st.text(alphabet=ALPHABET, max_size=3), max_size=20).map("".join)
rules = st.sampled_from([False, True, CliticRule(split_article=True), CliticRule(min_stem=2),
                         CliticRule(split_article=True, min_stem=1, min_stem_after_lam=1)])
SETTINGS = settings(max_examples=200, deadline=None)
TAGS = {"O": 0, **{f"{p}-{label}": 1 + 2 * i + (p == "I") for i, label in enumerate(KHABAR.entity_labels)
                   for p in "BI"}}


def spans_of(text: str, **kwargs: object) -> list[tuple[int, int]]:
    return [(t.start, t.end) for t in tokenize(text, **kwargs)]


@SETTINGS
@given(batch=st.lists(texts, max_size=5), rule=rules)
def test_tokens_equal_the_regex_tokenizer(batch: list[str], rule: bool | CliticRule) -> None:
    tokens = tokenize_batch(batch, split_clitics=rule)
    assert len(tokens) == len(batch) and tokens.bounds[0] == 0 and tokens.bounds[-1] == len(tokens.starts)
    for i, text in enumerate(batch):
        assert tokens.spans(i) == spans_of(text, split_clitics=rule)
        assert tokens.texts_tokens(i) == [t.text for t in tokenize(text, split_clitics=rule)]


CLITIC_WORDS = ("الزعيم وبالزعيم للأمم وللأمم لروسيا لندن ليبرمان وبوتين وقال وقت وانتصار وانغ فالرئيس فرنسا "
                "بالزعيم كالمار كالبحر واشنطن الذي والله وَبُوتِين بالـــزعيم لِروسيا ف فال وال ولل ب ك "
                "وزير ووزير والوزير بالوزير للوزير وللوزير ولوزير ولبنان للبنان لبنانية ولديه لديهم والتي "
                "بالتي للتي وللتي بالله ولله فالله لكنه ولكنه وكاليفورنيا بكاليفورنيا لكاليفورنيا Xوقال ولX²ـ")
_WIDE = "".join(map(chr, range(0x0621, 0x063B))) + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"  # 78 letters
WIDE_KEEP = frozenset(_WIDE[i:i + 4] for i in range(0, len(_WIDE), 2))


@pytest.mark.parametrize("rule", [False, True, CliticRule(split_article=True), CliticRule(min_stem=2),
                                  CliticRule(split_article=True, keep_whole=frozenset()),
                                  CliticRule(min_stem=1, min_stem_after_lam=1), CliticRule(min_stem=5),
                                  # short, odd and empty keep_whole entries, and too many letters for a table
                                  CliticRule(keep_whole=frozenset({"و", "بال", "لX", "وَزير"})),
                                  CliticRule(split_article=True, keep_whole=frozenset({"ل", "ال", "وز"})),
                                  CliticRule(keep_whole=frozenset({"", "وزير"})),
                                  CliticRule(keep_whole=WIDE_KEEP | {"وزير"})])
def test_every_clitic_rule_on_news_words(rule: bool | CliticRule) -> None:
    assert tokenize_batch([CLITIC_WORDS], split_clitics=rule).spans(0) == spans_of(CLITIC_WORDS, split_clitics=rule)


def test_code_points_of_every_plane() -> None:
    """Class tables are made plane by plane: texts with and without supplementary-plane characters."""
    texts = ["قال 😀 بوتين", "\U00020000\U00020001 و\U000e0100قال \U0010fffd.", "بلا رموز", "\U0001d7d8\U0001d7d9 2"]
    for rule in (False, True):
        batch = tokenize_batch(texts, split_clitics=rule)
        assert [batch.spans(i) for i in range(len(texts))] == [spans_of(t, split_clitics=rule) for t in texts]


def test_keep_whole_lists_a_table_cannot_hold_take_the_exact_rule() -> None:
    from benchmark.text.clitic_batch import _keep_tables

    assert _keep_tables(CliticRule()) is not None
    assert _keep_tables(CliticRule(keep_whole=frozenset({"", "وزير"}))) is None  # "" keeps every word whole
    assert _keep_tables(CliticRule(keep_whole=WIDE_KEEP)) is None  # 79^4 keys: too many for a table


@SETTINGS
@given(text=texts, rule=rules, data=st.data())
def test_cut_at_equals_split_at(text: str, rule: bool | CliticRule, data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=6))
    expected = [(t.start, t.end) for t in split_at(tokenize(text, split_clitics=rule), cuts)]
    assert tokenize_batch([text, text], split_clitics=rule, cut_at=[cuts, []]).spans(0) == expected


@SETTINGS
@given(batch=st.lists(texts, max_size=4))
def test_utf8_buffers_hold_exactly_the_token_strings(batch: list[str]) -> None:
    tokens = tokenize_batch(batch, split_clitics=True)
    try:
        data, text_offsets, token_offsets = tokens.utf8()
    except UnicodeEncodeError:  # pragma: no cover - the alphabet has no lone surrogates
        pytest.fail("no surrogates were drawn")
    raw = bytes(data)
    assert raw == "".join(batch).encode("utf-8")
    texts = [raw[a:b].decode("utf-8") for a, b in zip(text_offsets[:-1].tolist(), text_offsets[1:].tolist(),
                                                       strict=True)]
    assert texts == batch
    assert (np.diff(token_offsets) >= 0).all()  # Arrow string offsets: never decreasing
    edges = token_offsets.tolist()
    assert [raw[a:b].decode("utf-8") for a, b in zip(edges[0::2], edges[1::2], strict=True)] == tokens.all_tokens()


@st.composite
def articles(draw: st.DrawFn) -> Article:
    """A valid article whose entity spans start and end on regex-token edges or inside words."""
    text = draw(texts.filter(lambda t: any(not c.isspace() for c in t)))
    visible = [i for i, c in enumerate(text) if not c.isspace() and not 0x200B <= ord(c) <= 0x200F
               and c not in INVISIBLE]
    mentions = []
    for k in range(draw(st.integers(0, 4))):
        if not visible:
            break
        start = draw(st.sampled_from(visible))
        end = draw(st.sampled_from([i + 1 for i in visible if i >= start]))
        mentions.append(Mention(f"m{k}", start, end, draw(st.sampled_from(KHABAR.entity_labels))))
    try:
        return Article(doc_id="d", text=text, entities=tuple(mentions))
    except ValueError:  # the model refuses this span (e.g. an edge on an invisible mark): no entities
        return Article(doc_id="d", text=text)


@SETTINGS
@given(batch=st.lists(articles(), max_size=4))
def test_bio_equals_article_to_bio(batch: list[Article]) -> None:
    view = bio_batch(batch, TAGS)
    for i, article in enumerate(batch):
        expected = article_to_bio(article)
        assert view.tokens.spans(i) == [(t.start, t.end) for t in expected.tokens]
        a, b = view.tokens.bounds[i], view.tokens.bounds[i + 1]
        assert view.tags[a:b].tolist() == [TAGS[t] for t in expected.tags]
        assert view.not_in_bio[i] == expected.not_in_bio


def test_empty_inputs() -> None:
    empty = tokenize_batch([])
    assert len(empty) == 0 and empty.bounds.tolist() == [0] and empty.utf8()[1].tolist() == [0]
    blank = tokenize_batch(["", " \u200f ", ""], split_clitics=True)
    assert blank.bounds.tolist() == [0, 0, 0, 0] and blank.all_tokens() == []
    assert bio_batch([], TAGS).tags.size == 0


def test_a_rule_that_would_leave_empty_stems_is_refused() -> None:
    with pytest.raises(ValueError, match="min_stem must be an integer of at least 1, got 0"):
        CliticRule(min_stem=0)
    with pytest.raises(ValueError, match="min_stem_after_lam"):
        CliticRule(min_stem_after_lam=True)


def test_bad_input_is_named() -> None:
    with pytest.raises(TypeError, match="text 1 is a int"):
        tokenize_batch(["نص", 3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="cut_at has 1 entries for 2 texts"):
        tokenize_batch(["أ", "ب"], cut_at=[[0]])


def test_an_unknown_label_names_the_document_and_mention() -> None:
    art = Article(doc_id="doc-7", text="زار بوتين روسيا", entities=(Mention("m1", 4, 9, "PER"),))
    with pytest.raises(AlignmentError, match="doc-7: mention m1 has label 'PER'"):
        bio_batch([art], {"O": 0, "B-ORG": 1, "I-ORG": 2})


def test_lone_surrogates_tokenize_and_utf8_refuses_them() -> None:
    text = "قال \ud800 نعم"
    assert tokenize_batch([text]).spans(0) == spans_of(text)
    with pytest.raises(UnicodeEncodeError):
        tokenize_batch([text]).utf8()


def test_gold_sample_bio_is_identical(gold_articles: list[Article]) -> None:
    view = bio_batch(gold_articles, TAGS)
    for i, article in enumerate(gold_articles):
        expected = article_to_bio(article)
        assert view.tokens.texts_tokens(i) == [t.text for t in expected.tokens]
        a, b = view.tokens.bounds[i], view.tokens.bounds[i + 1]
        assert view.tags[a:b].tolist() == [TAGS[t] for t in expected.tags]


@pytest.fixture(scope="module")
def gold_articles() -> list[Article]:
    from benchmark.release.sources import SourceSpec, read_source

    sample = Path(__file__).resolve().parents[2] / "annotations" / "gold" / "sample.json"
    return list(read_source(SourceSpec("studio", sample)))


@pytest.mark.parametrize("rule", [True, CliticRule(split_article=True, min_stem=2)])
def test_real_news_tokens_are_identical(shared_data: Path, rule: CliticRule | bool) -> None:
    """2,000 SaudiNewsNet articles: same tokens (clitics split, cut at pseudo-entity edges)."""
    zips = sorted((shared_data / "saudinewsnet" / "dataset").glob("*.zip"))
    assert zips, "SaudiNewsNet zips missing"
    texts_: list[str] = []
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            for member in sorted(n for n in archive.namelist() if n.endswith(".json")):
                texts_ += [r["content"] for r in json.loads(archive.read(member)) if r.get("content")]
        if len(texts_) >= 2000:
            break
    texts_ = texts_[:2000]
    rng = np.random.default_rng(0)
    cuts = [sorted(rng.integers(0, len(t) + 1, size=6).tolist()) for t in texts_]
    batch = tokenize_batch(texts_, split_clitics=rule, cut_at=cuts)
    for i, text in enumerate(texts_):
        assert batch.spans(i) == [(t.start, t.end) for t in split_at(tokenize(text, split_clitics=rule), cuts[i])]


def test_utf8_sizes_of_every_code_point() -> None:
    from benchmark.text.batch import _utf8_sizes

    codes = np.arange(0x110000, dtype=np.uint32)
    expected = [len(chr(c).encode("utf-8", "surrogatepass")) for c in range(0x110000)]
    assert _utf8_sizes(codes).tolist() == expected
