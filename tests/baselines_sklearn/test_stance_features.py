"""The stance baseline's edit features (baselines/sklearn/stance.py), on tiny hand-written pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from baselines.sklearn.features import normalise_token
from baselines.sklearn.stance import (
    FEATURE_VERSION,
    MODEL_FILE,
    StanceModel,
    edit_features,
    edit_pair,
    skeleton,
    soft_match,
)


def _norm(word: str) -> str:
    return normalise_token(word)


def test_skeleton_joins_verb_and_noun_forms():
    assert skeleton(_norm("ارتفاع")) == skeleton(_norm("يرتفع")) == skeleton(_norm("ترتفع"))
    assert skeleton(_norm("انخفاض")) == skeleton(_norm("ينخفض"))
    assert skeleton(_norm("ارتفاع")) != skeleton(_norm("انخفاض"))
    assert skeleton(_norm("في")) == "في"  # short words are left alone


def test_soft_match_scores_re_formed_words_high_and_others_low():
    assert soft_match(_norm("السعودية"), [_norm("السعوديات")]) == 1.0
    assert soft_match(_norm("متواصل"), [_norm("يواصل")]) >= 0.5
    assert soft_match(_norm("ارتفاع"), [_norm("انخفاض")]) < 0.5
    assert soft_match(_norm("ارتفاع"), []) == 0.0


def test_a_re_formed_word_is_not_a_changed_word():
    pair = edit_pair("تصويت المصريين في الانتخابات", "المصريون يدلون بالتصويت في الانتخابات")
    assert [s for _, s in pair.dropped] == []  # every target stem is kept (light stems)
    pair = edit_pair("هبوط متواصل لليرة", "الليرة تواصل الهبوط")
    dropped = {w for w, _ in pair.dropped}
    assert _norm("متواصل") in dropped
    assert _norm("متواصل") not in {w for w, _ in pair.changed_dropped}  # يواصل/تواصل re-forms it


def test_one_antonym_swap_is_seen_as_one_replacement_with_a_flipped_direction():
    features = edit_features(edit_pair("ارتفاع أسعار النفط اليوم", "انخفاض أسعار النفط اليوم"))
    assert features["one_replacement"] == 1.0
    assert features["one_changed_each"] == 1.0
    assert features["flipped_direction"] == 1.0
    assert features["same_direction"] == 0.0
    paraphrase = edit_features(edit_pair("ارتفاع أسعار النفط اليوم", "أسعار النفط ترتفع اليوم"))
    assert paraphrase["same_direction"] == 1.0
    assert paraphrase["flipped_direction"] == 0.0


def test_antonym_lexicon_inserted_negation_and_changed_numbers():
    swap = edit_features(edit_pair("افتتاح مطار جديد في الرياض", "إغلاق مطار جديد في الرياض"))
    assert swap["antonym_swaps"] > 0 and swap["antonym_sides"] > 0
    negated = edit_features(edit_pair("الحكومة توافق على الاتفاق", "الحكومة لا توافق على الاتفاق"))
    assert negated["negation_inserted"] > 0 and negated["negation_removed"] == 0
    removed = edit_features(edit_pair("الحكومة لا توافق على الاتفاق", "الحكومة توافق على الاتفاق"))
    assert removed["negation_removed"] > 0 and removed["negation_inserted"] == 0
    numbers = edit_features(edit_pair("النفط يتخطى حاجز الـ80 دولارا", "النفط يقل عن ٧٠ دولار"))
    assert numbers["numbers_differ"] == numbers["number_dropped"] == numbers["number_added"] == 1.0
    same = edit_features(edit_pair("النفط يتخطى حاجز الـ80 دولارا", "النفط فوق ٨٠ دولارا"))
    assert same["numbers_differ"] == 0.0  # Arabic-Indic digits are the same number


def test_edit_features_stay_in_the_unit_interval_on_long_texts():
    long_text = " ".join(["ارتفاع أسعار النفط في الأسواق العالمية اليوم بعد قرار أوبك"] * 40)
    features = edit_features(edit_pair("انخفاض أسعار الذهب", long_text))
    assert all(0.0 <= value <= 1.0 for value in features.values()), features


ROWS = [
    ("ارتفاع أسعار النفط عالميا", "أسعار النفط ترتفع في الأسواق", "agree"),
    ("ارتفاع أسعار النفط عالميا", "انخفاض أسعار النفط عالميا", "disagree"),
    ("افتتاح مطار جديد في الرياض", "مطار جديد يفتح أبوابه في الرياض", "agree"),
    ("افتتاح مطار جديد في الرياض", "إغلاق مطار جديد في الرياض", "disagree"),
    ("الحكومة توافق على الاتفاق", "موافقة الحكومة على الاتفاق", "agree"),
    ("الحكومة توافق على الاتفاق", "الحكومة لا توافق على الاتفاق", "disagree"),
    ("فوز الفريق بالبطولة", "الفريق يفوز بالبطولة", "agree"),
    ("فوز الفريق بالبطولة", "خسارة الفريق للبطولة", "disagree"),
    ("صعود الأسهم السعودية", "الطقس حار في الكويت اليوم", "other"),
    ("تراجع عدد السياح في مصر", "مباراة كرة قدم في المغرب", "other"),
]


def _rows(pairs):
    return [{"target": t, "text": s, "label": y} for t, s, y in pairs]


def test_the_model_learns_edits_and_predicts_unseen_pairs():
    model = StanceModel.train(_rows(ROWS * 3))
    assert model.meta["feature_version"] == FEATURE_VERSION
    assert model.labels == ("agree", "disagree", "other")
    unseen = [{"target": "ارتفاع صادرات القمح", "text": "انخفاض صادرات القمح"},
              {"target": "ارتفاع صادرات القمح", "text": "صادرات القمح ترتفع في الأسواق"}]
    assert model.predict(unseen) == ["disagree", "agree"]
    assert model.predict([]) == []


def test_a_quote_level_stance_reads_only_the_quote_span():
    model = StanceModel.train(_rows(ROWS * 3))
    text = "قال الوزير: انخفاض صادرات القمح. ثم غادر"
    start = text.index("انخفاض")
    end = text.index(".")
    row = {"target": "ارتفاع صادرات القمح", "text": text, "holder_start": start, "holder_end": end}
    assert model.predict([row]) == ["disagree"]


def test_training_refuses_one_label_and_bad_max_words():
    with pytest.raises(ValueError, match="one label only"):
        StanceModel.train(_rows([(t, s, "agree") for t, s, _ in ROWS]))
    with pytest.raises(ValueError, match="max_words"):
        StanceModel.train(_rows(ROWS), max_words=0)


def test_a_model_saved_with_older_features_is_refused_with_the_fix(tmp_path: Path):
    import joblib

    model = StanceModel.train(_rows(ROWS * 2))
    model.save(tmp_path)
    assert StanceModel.load(tmp_path).predict([{"target": "ارتفاع صادرات القمح", "text": "انخفاض صادرات القمح"}])
    model.meta["feature_version"] = 1  # what a v1 model (hashed substitution bags) carries
    joblib.dump(model, tmp_path / MODEL_FILE)
    with pytest.raises(ValueError, match=rf"feature version 1, this code has {FEATURE_VERSION}: retrain"):
        StanceModel.load(tmp_path)
