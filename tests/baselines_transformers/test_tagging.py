"""Windows, first-sub-token labels, merging and span decoding, checked with oracle predictions:
if the model predicted the gold tag of every word, the decoded spans must be the gold spans,
exactly, in code points on the original text, whatever the window size."""

from __future__ import annotations

import numpy as np
import pytest

from baselines.transformers.ner import ner_label_names
from baselines.transformers.tagging import (
    IGNORE,
    EncodedDoc,
    decode_spans,
    encode_doc,
    merge_word_scores,
    viterbi_tags,
)
from benchmark.schema import KHABAR

LABELS = ner_label_names(KHABAR)
LABEL2ID = {label: i for i, label in enumerate(LABELS)}


def oracle_predictions(doc: EncodedDoc) -> list[np.ndarray]:
    """Per window, log-probabilities that put the gold label first at every labelled position
    (O elsewhere)."""
    out = []
    for window in doc.windows:
        ids = [label if label != IGNORE else 0 for label in window.features["labels"]]
        scores = np.full((len(ids), len(LABELS)), np.log(0.01))
        scores[np.arange(len(ids)), ids] = np.log(0.9)
        out.append(scores)
    return out


def merge_word_tags(doc: EncodedDoc, window_scores: list[np.ndarray]) -> list[str]:
    return viterbi_tags(merge_word_scores(doc, window_scores), LABELS)


def spans_of(article) -> list[tuple[int, int, str]]:
    return sorted((m.start, m.end, m.label) for m in article.entities)


@pytest.fixture(scope="module")
def tokenizer(tiny_model):
    from baselines.transformers.common import load_fast_tokenizer

    return load_fast_tokenizer(tiny_model)


@pytest.mark.parametrize(("max_length", "stride"), [(512, 0), (12, 4), (9, 2)])
def test_oracle_round_trip_through_windows(tokenizer, toy, max_length: int, stride: int) -> None:
    for article in toy.ner_articles():
        doc = encode_doc(tokenizer, article.doc_id, article.text, max_length=max_length, stride=stride,
                         gold=spans_of(article), label2id=LABEL2ID)
        if max_length < 20:
            assert len(doc.windows) > 1, "short windows must split the article"
        assert all(len(w.features["input_ids"]) <= max_length for w in doc.windows)
        tags = merge_word_tags(doc, oracle_predictions(doc))
        assert tags == doc.tags
        assert decode_spans(doc, tags) == spans_of(article)


def test_every_word_is_labelled_once_per_window_on_its_first_piece(tokenizer, toy) -> None:
    article = toy.ner_articles()[1]
    doc = encode_doc(tokenizer, article.doc_id, article.text, max_length=10, stride=3, gold=spans_of(article),
                     label2id=LABEL2ID)
    seen = set()
    for window in doc.windows:
        starts = [w for w in window.word_starts if w >= 0]
        assert len(starts) == len(set(starts))
        labelled = [label for label in window.features["labels"] if label != IGNORE]
        assert len(labelled) == len(starts)
        seen.update(starts)
    assert seen == set(range(len(doc.words)))


def test_offsets_are_code_points_on_the_original_text(tokenizer) -> None:
    # bidi mark before the name, tatweel inside it, shadda, an emoji, and a private-use character
    # that the text layer keeps as a word but the BERT normaliser drops (it stands in as [UNK])
    text = "قال \u200fبوتــين 😀 إن روسيّا \ue000 والعالم"
    gold = [(5, 12, "PER"), (18, 24, "GPE")]
    assert [text[s:e] for s, e, _ in gold] == ["بوتــين", "روسيّا"]
    for max_length, stride in ((64, 0), (8, 2)):
        doc = encode_doc(tokenizer, "d/bidi", text, max_length=max_length, stride=stride, gold=gold,
                         label2id=LABEL2ID)
        assert "\ue000" in [w.text for w in doc.words]
        tags = merge_word_tags(doc, oracle_predictions(doc))
        assert decode_spans(doc, tags) == gold


def test_prediction_without_gold_covers_every_word(tokenizer, toy) -> None:
    article = toy.ner_articles()[0]
    doc = encode_doc(tokenizer, article.doc_id, article.text, max_length=10, stride=3)
    assert doc.tags is None and all("labels" not in w.features for w in doc.windows)
    all_outside = [np.log(np.full((len(w.word_starts), len(LABELS)), 0.01)) for w in doc.windows]
    for scores in all_outside:
        scores[:, 0] = np.log(0.9)
    assert merge_word_tags(doc, all_outside) == ["O"] * len(doc.words)


def test_viterbi_never_starts_with_inside_and_keeps_long_spans_whole() -> None:
    labels = ["O", "B-QUOTE-direct", "I-QUOTE-direct"]
    probabilities = np.array([[0.2, 0.1, 0.7],    # argmax says I- at the start: not valid
                              [0.1, 0.1, 0.8],
                              [0.5, 0.05, 0.45],  # one weak word inside the quote
                              [0.1, 0.1, 0.8],
                              [0.9, 0.05, 0.05]])
    tags = viterbi_tags(np.log(probabilities), labels)
    assert tags == ["B-QUOTE-direct", "I-QUOTE-direct", "I-QUOTE-direct", "I-QUOTE-direct", "O"]
    assert viterbi_tags(np.zeros((0, 3)), labels) == []


def test_nested_mentions_are_counted_not_dropped_silently(tokenizer) -> None:
    text = "زار مجلس الأمن الدولي"
    gold = [(4, 21, "ORG"), (15, 21, "MISC")]
    doc = encode_doc(tokenizer, "d/nested", text, max_length=32, stride=0, gold=gold, label2id=LABEL2ID)
    assert doc.not_in_bio == [(15, 21, "MISC")]
    assert doc.tags.count("B-ORG") == 1


def test_a_span_cutting_a_word_names_the_document(tokenizer) -> None:
    with pytest.raises(ValueError, match="d/space"):
        encode_doc(tokenizer, "d/space", "زار بوتين روسيا", max_length=32, stride=0, gold=[(3, 9, "PER")],
                   label2id=LABEL2ID)
