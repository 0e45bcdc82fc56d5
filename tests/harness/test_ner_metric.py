"""NER metric: hand-checked cases and differential tests against seqeval and nervaluate 1.2.1."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from seqeval.metrics import classification_report, f1_score
from seqeval.scheme import IOB2

from benchmark.metrics.ner import CATEGORIES, SCHEMES, ner_doc_counts, ner_f1, ner_scores

LABELS = ["PER", "ORG", "LOC"]
CLOSE = {"rel": 1e-12, "abs": 1e-12}


def test_strict_hand_checked():
    gold = [[(0, 5, "PER"), (10, 16, "LOC")], [(3, 8, "ORG")]]
    pred = [[(0, 5, "PER"), (10, 14, "LOC")], [(3, 8, "PER"), (20, 25, "ORG")]]
    report = ner_scores(gold, pred, labels=LABELS)
    assert report["strict"] == {"precision": 0.25, "recall": 1 / 3, "f1": pytest.approx(2 / 7),
                                "tp": 1, "n_pred": 4, "n_gold": 3}
    assert report["per_label"]["PER"]["tp"] == 1 and report["per_label"]["PER"]["n_pred"] == 2
    assert report["schemes"]["exact"]["correct"] == 2  # [0,5) and [3,8) ignore the type
    assert report["schemes"]["partial"]["partial"] == 1  # [10,14) overlaps [10,16)
    assert report["schemes"]["strict"]["spurious"] == 1 and report["schemes"]["strict"]["missed"] == 0
    assert ner_f1(gold, pred, labels=LABELS) == pytest.approx(2 / 7)


def test_undefined_figures_are_none_not_zero():
    """0/0 is undefined (None), never 0.0: no entity at all, precision without predictions, a label
    absent from gold and predictions; F1 is 0 (not undefined) when only one side has entities."""
    empty = ner_scores([[], []], [[], []], labels=LABELS)
    assert empty["strict"]["f1"] is None and empty["macro"]["f1"] is None
    assert ner_f1([[], []], [[], []], labels=LABELS) is None
    only_gold = ner_scores([[(0, 1, "PER")]], [[]], labels=LABELS)
    assert only_gold["strict"]["recall"] == 0.0 and only_gold["strict"]["f1"] == 0.0
    assert only_gold["strict"]["precision"] is None
    assert only_gold["per_label"]["LOC"] == {"precision": None, "recall": None, "f1": None,
                                             "tp": 0, "n_pred": 0, "n_gold": 0}
    assert only_gold["schemes"]["strict"]["precision"] is None and only_gold["schemes"]["strict"]["f1"] == 0.0
    # macro over the labels whose figure is defined: LOC and ORG (absent) do not pull it to 0
    mixed = ner_scores([[(0, 1, "PER"), (2, 3, "ORG")]], [[(0, 1, "PER")]], labels=LABELS)
    assert mixed["macro"]["f1"] == pytest.approx(0.5)  # PER 1.0, ORG 0.0 (gold, never predicted)
    assert mixed["macro"]["precision"] == 1.0  # ORG was never predicted: its precision is undefined


def test_bad_spans_and_labels_are_named():
    with pytest.raises(ValueError, match="empty or reversed"):
        ner_scores([[(5, 5, "PER")]], [[]], labels=LABELS)
    with pytest.raises(ValueError, match="label 'XYZ'"):
        ner_scores([[(0, 5, "XYZ")]], [[]], labels=LABELS)
    with pytest.raises(ValueError, match="documents"):
        ner_scores([[]], [[], []], labels=LABELS)


def test_per_document_counts_sum_to_totals():
    gold = [[(0, 5, "PER")], [(3, 8, "ORG")], []]
    pred = [[(0, 5, "PER")], [], [(1, 2, "LOC")]]
    table = ner_doc_counts(gold, pred, labels=LABELS, doc_ids=["a", "b", "c"])
    assert table.doc_ids == ("a", "b", "c")
    assert list(table.column("strict/tp")) == [1, 0, 0]
    assert list(table.column("scheme/strict/spurious")) == [0, 0, 1]
    assert list(table.column("scheme/partial/missed")) == [0, 1, 0]


# --------------------------------------------------------------------------- seqeval (BIO view)

def _valid_iob2(draw_labels: list[int]) -> list[str]:
    """Map integers to a valid IOB2 sequence: 0 = O, 1..3 = B-X, 4..6 = I-X (B-X if not continuing)."""
    tags: list[str] = []
    for value in draw_labels:
        if value == 0:
            tags.append("O")
            continue
        label = LABELS[(value - 1) % 3]
        continuing = value > 3 and tags and tags[-1] != "O" and tags[-1][2:] == label
        tags.append(f"I-{label}" if continuing else f"B-{label}")
    return tags


def _iob2_to_char_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token i covers characters [2i, 2i+1) (tokens separated by one space)."""
    spans, start, label = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not tag.startswith("I-"):
            spans.append((2 * start, 2 * (i - 1) + 1, label))
            start = None
        if tag.startswith("B-"):
            start, label = i, tag[2:]
    return spans


sentences = st.lists(st.lists(st.integers(0, 6), min_size=0, max_size=25), min_size=1, max_size=12)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # seqeval averages empty arrays when no entity exists
@settings(max_examples=150, deadline=None)
@given(gold_ints=sentences, noise=st.randoms(use_true_random=False))
def test_strict_equals_seqeval_on_bio(gold_ints, noise):
    gold_tags = [_valid_iob2(s) for s in gold_ints]
    pred_ints = [[v if noise.random() < 0.7 else noise.randint(0, 6) for v in s] for s in gold_ints]
    pred_tags = [_valid_iob2(s) for s in pred_ints]
    report = ner_scores([_iob2_to_char_spans(t) for t in gold_tags],
                        [_iob2_to_char_spans(t) for t in pred_tags], labels=LABELS)
    expected = classification_report(gold_tags, pred_tags, mode="strict", scheme=IOB2, output_dict=True,
                                     zero_division=0)
    if any(label in expected for label in LABELS):
        assert report["strict"]["f1"] == pytest.approx(f1_score(gold_tags, pred_tags, mode="strict", scheme=IOB2,
                                                                 zero_division=0), **CLOSE)
    if not any(label in expected for label in LABELS):  # no entity anywhere: seqeval says nan, we say None
        assert report["strict"]["tp"] == report["strict"]["n_pred"] == report["strict"]["n_gold"] == 0
        assert report["strict"]["f1"] is None
        return

    def same(ours, theirs, denominator):
        """seqeval (zero_division=0) says 0 where we say undefined (None): only when the denominator is 0."""
        if ours is None:
            assert denominator == 0 and theirs == 0
        else:
            assert ours == pytest.approx(theirs, **CLOSE)

    strict = report["strict"]
    for key, denominator in (("precision", strict["n_pred"]), ("recall", strict["n_gold"]), ("f1", 1)):
        same(strict[key], expected["micro avg"]["f1-score" if key == "f1" else key], denominator)
    # macro F1 = seqeval's (mean over labels in gold or predictions); macro P/R average the defined labels
    assert report["macro"]["f1"] == pytest.approx(expected["macro avg"]["f1-score"], **CLOSE)
    for key, count in (("precision", "n_pred"), ("recall", "n_gold")):
        defined = [expected[label][key] for label in LABELS
                   if label in expected and report["per_label"][label][count] > 0]
        assert report["macro"][key] == (pytest.approx(sum(defined) / len(defined), **CLOSE) if defined else None)
    for label in LABELS:
        if label in expected:
            per_label = report["per_label"][label]
            assert per_label["n_gold"] == expected[label]["support"]
            for key, denominator in (("precision", per_label["n_pred"]), ("recall", per_label["n_gold"]),
                                     ("f1", 1)):
                same(per_label[key], expected[label]["f1-score" if key == "f1" else key], denominator)


# --------------------------------------------------------------------------- nervaluate

def _nervaluate(gold, pred, labels=LABELS):
    as_dicts = [[{"label": lab, "start": s, "end": e - 1} for s, e, lab in sorted(doc)] for doc in gold]
    pred_dicts = [[{"label": lab, "start": s, "end": e - 1} for s, e, lab in sorted(doc)] for doc in pred]
    if not any(as_dicts) and not any(pred_dicts):
        return None
    # nervaluate infers its loader from the first document; give it a dict-shaped one.
    return Evaluator(as_dicts, pred_dicts, tags=list(labels), loader="dict").evaluate()


def _assert_same_as_nervaluate(gold, pred):
    ours = ner_scores(gold, pred, labels=LABELS)
    theirs = _nervaluate(gold, pred)
    if theirs is None:
        return
    for scheme in SCHEMES:
        expected = theirs["overall"][scheme]
        got = ours["schemes"][scheme]
        for key in (*CATEGORIES, "possible", "actual"):
            assert got[key] == getattr(expected, key), (scheme, key)
        for key in ("precision", "recall", "f1"):
            _same_or_undefined(got, key, getattr(expected, key), (scheme, key))
    for label, by_scheme in theirs["entities"].items():
        for scheme in SCHEMES:
            expected, got = by_scheme[scheme], ours["schemes_per_label"][label][scheme]
            for key in CATEGORIES:
                assert got[key] == getattr(expected, key), (label, scheme, key)
            _same_or_undefined(got, "f1", expected.f1, (label, scheme))


def _same_or_undefined(got, key, theirs, where):
    """nervaluate says 0 for 0/0; we say None (undefined), and only then."""
    denominator = {"precision": got["actual"], "recall": got["possible"], "f1": got["actual"] + got["possible"]}[key]
    if got[key] is None:
        assert denominator == 0 and theirs == 0, where
    else:
        assert denominator > 0 and got[key] == pytest.approx(theirs, **CLOSE), where


def test_semeval_hand_checked_against_nervaluate():
    gold = [[(0, 10, "PER"), (20, 30, "LOC"), (40, 45, "ORG")]]
    pred = [[(0, 10, "ORG"), (18, 25, "LOC"), (22, 29, "LOC"), (50, 55, "PER")]]
    _assert_same_as_nervaluate(gold, pred)


def test_small_overlap_threshold_matches_nervaluate():
    # one character of a 300-character gold span is 0.33 % < 1 %: not an overlap for nervaluate
    gold = [[(0, 300, "PER")], [(0, 300, "PER"), (400, 402, "LOC")]]
    pred = [[(299, 305, "PER")], [(299, 305, "PER"), (401, 410, "LOC")]]
    _assert_same_as_nervaluate(gold, pred)


span = st.tuples(st.integers(0, 60), st.integers(1, 12), st.sampled_from(LABELS)).map(
    lambda t: (t[0], t[0] + t[1], t[2]))
documents = st.lists(st.lists(span, max_size=8, unique_by=lambda s: (s[0], s[1])), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(gold=documents, pred=documents)
def test_semeval_schemes_equal_nervaluate_random(gold, pred):
    pred = (pred * len(gold))[: len(gold)]
    _assert_same_as_nervaluate(gold, pred)


@settings(max_examples=150, deadline=None)
@given(gold=documents, keep=st.randoms(use_true_random=False))
def test_semeval_schemes_equal_nervaluate_near_gold(gold, keep):
    """Predictions close to gold (shifted boundaries, swapped labels), the realistic case."""
    pred = []
    for doc in gold:
        out = []
        for s, e, lab in doc:
            r = keep.random()
            if r < 0.5:
                out.append((s, e, lab))
            elif r < 0.7:
                out.append((s, e + keep.randint(1, 3), lab))
            elif r < 0.85:
                out.append((s, e, keep.choice(LABELS)))
        pred.append(sorted(set(out), key=lambda x: (x[0], x[1]))[:])
        pred[-1] = list({(s, e): (s, e, lab) for s, e, lab in pred[-1]}.values())
    _assert_same_as_nervaluate(gold, pred)


# --------------------------------------------------------------------------- the published BIO view

def test_bio_view_of_real_rows_scores_like_seqeval(repo_root):
    """Rows from the committed gold sample: tags → spans (benchmark.text) → our F1 == seqeval on the tags."""
    import random

    from benchmark.io import read_articles
    from benchmark.tasks import get_task
    from benchmark.text import Token, bio_to_spans

    sample = repo_root / "annotations" / "gold" / "sample.articles.jsonl"
    if not sample.is_file():
        pytest.skip(f"{sample} not present")
    rows = get_task("ner").rows(read_articles(sample))
    rng = random.Random(5)
    names = [t for t in sorted({tag for r in rows for tag in r["ner_tags"]}) if t != "O"]
    gold_tags = [r["ner_tags"] for r in rows]
    pred_tags = [[t if rng.random() < 0.9 else rng.choice(["O", *names]) for t in tags] for tags in gold_tags]
    tokens = [[Token(t, s["start"], s["end"]) for t, s in zip(r["tokens"], r["token_spans"], strict=True)]
              for r in rows]
    ours = ner_scores([bio_to_spans(tok, tags) for tok, tags in zip(tokens, gold_tags, strict=True)],
                      [bio_to_spans(tok, tags) for tok, tags in zip(tokens, pred_tags, strict=True)])
    assert ours["strict"]["f1"] == pytest.approx(f1_score(gold_tags, pred_tags, mode="strict", scheme=IOB2), **CLOSE)
    assert 0 < ours["strict"]["f1"] < 1
