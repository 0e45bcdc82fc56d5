"""Stance metric: identical to scikit-learn on random data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from benchmark.metrics.stance import stance_doc_counts, stance_scores

LABELS = ("favor", "against", "neutral")
ANS = ("agree", "disagree", "other")
CLOSE = {"rel": 1e-12, "abs": 1e-12}


@settings(max_examples=80, deadline=None)
@given(pairs=st.lists(st.tuples(st.sampled_from(LABELS), st.sampled_from(LABELS)), min_size=1, max_size=60))
def test_equals_sklearn(pairs):
    y_true, y_pred = [p[0] for p in pairs], [p[1] for p in pairs]
    scores = stance_scores(y_true, y_pred, labels=LABELS)

    def same(ours, theirs):  # scikit-learn with zero_division=np.nan: undefined is nan there, None here
        assert ours is None if np.isnan(theirs) else ours == pytest.approx(theirs, **CLOSE)

    same(scores["macro/f1"], f1_score(y_true, y_pred, labels=list(LABELS), average="macro", zero_division=np.nan))
    same(scores["f_avg"], f1_score(y_true, y_pred, labels=["favor", "against"], average="macro",
                                   zero_division=np.nan))
    assert scores["accuracy"] == pytest.approx(accuracy_score(y_true, y_pred), **CLOSE)
    precision, recall, f1, _ = precision_recall_fscore_support(y_true, y_pred, labels=list(LABELS),
                                                               zero_division=np.nan)
    for i, label in enumerate(LABELS):
        same(scores[f"{label}/precision"], precision[i])
        same(scores[f"{label}/recall"], recall[i])
        same(scores[f"{label}/f1"], f1[i])
    matrix = confusion_matrix(y_true, y_pred, labels=list(LABELS))
    for i, gold in enumerate(LABELS):
        for j, pred in enumerate(LABELS):
            assert scores["confusion"][gold][pred] == matrix[i, j]


def test_corpus_labels_and_grouping():
    y_true, y_pred = ["agree", "other", "disagree"], ["agree", "agree", "other"]
    scores = stance_scores(y_true, y_pred, labels=ANS, polar=("agree", "disagree"))
    assert scores["f_avg"] == pytest.approx(f1_score(y_true, y_pred, labels=["agree", "disagree"],
                                                     average="macro", zero_division=np.nan))
    table = stance_doc_counts(y_true, y_pred, groups=["d1", "d2", "d1"], labels=ANS)
    assert table.doc_ids == ("d1", "d2") and table.counts.sum() == 3


def test_unknown_labels_are_named():
    with pytest.raises(ValueError, match="'pro'"):
        stance_scores(["favor"], ["pro"], labels=LABELS)


def test_a_label_absent_from_gold_and_predictions_is_undefined_not_zero():
    scores = stance_scores(["favor", "against"], ["favor", "favor"], labels=LABELS)
    assert scores["neutral/f1"] is None and scores["neutral/precision"] is None
    assert scores["against/precision"] is None and scores["against/f1"] == 0.0  # never predicted, has gold
    assert scores["macro/f1"] == pytest.approx((2 / 3 + 0.0) / 2)  # over favor and against, not neutral
