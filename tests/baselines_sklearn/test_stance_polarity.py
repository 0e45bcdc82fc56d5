"""The stance baseline's quote-polarity block (baselines/sklearn/stance_polarity.py): lexicon with negation,
the learned lexicon fitted out of fold, and the block switched on only for quote-level rows. Tiny rows."""

from __future__ import annotations

from baselines.sklearn.features import normalise_token
from baselines.sklearn.stance import StanceModel
from baselines.sklearn.stance_polarity import LearnedLexicon, out_of_fold_lexicon_scalars, polarity_scalars


def _words(text: str) -> list[str]:
    return [normalise_token(w) for w in text.split()]


def test_evaluation_words_count_and_a_negation_flips_them():
    praise = polarity_scalars(_words("نجاح كبير ودعم متواصل"), [], set())
    assert praise["positive"] > 0 and praise["negative"] == 0 and praise["more_positive"] == 1.0
    negated = polarity_scalars(_words("لم يحقق نجاح"), [], set())
    assert negated["negative"] > 0 and negated["positive"] == 0
    cue = polarity_scalars(_words("الوضع كما هو"), _words("وانتقد الوزير"), set())
    assert cue["cue_negative"] == 1.0 and cue["no_evaluation"] == 1.0


def test_the_learned_lexicon_reads_label_words_and_is_fitted_out_of_fold():
    docs = [["ارهاب", "خطر"], ["دعم", "نجاح"]] * 5
    labels = ["against", "favor"] * 5
    lexicon = LearnedLexicon.fit(docs, labels)
    scalars = lexicon.scalars(["ارهاب"])
    assert scalars["learned_mean=against"] > 0.5 > scalars["learned_mean=favor"]
    # out of fold: a word seen in one row only never reaches that row's own features
    unique = [["كلمه1"], ["كلمه2"], ["كلمه3"], ["كلمه4"]]
    oof = out_of_fold_lexicon_scalars(unique, ["favor", "against", "favor", "against"], folds=2)
    assert all(row["learned_strong=favor"] == 0 and row["learned_mean=favor"] == 0.5 for row in oof)


TARGET = "قرار الحكومة الجديد"


def _quote_rows(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        good = i % 2 == 0
        quote = "نرحب بهذه الخطوة ونثق بنجاحها" if good else "هذه الخطوة خطر وتهديد للمنطقة"
        text = f"وقال الوزير إن {quote}. وانتهى اللقاء."
        start = text.index(quote)
        rows.append({"target": TARGET, "text": text, "holder_start": start, "holder_end": start + len(quote),
                     "label": "favor" if good else "against"})
    return rows


def test_the_block_is_on_for_quote_rows_only_and_predicts_their_polarity():
    model = StanceModel.train(_quote_rows(12))
    assert model.polarity and model.meta["polarity"] and model.meta["C"] == 1.0
    text = "وقال المسؤول إن الخطوة خطر كبير وتهديد واضح."
    start = text.index("الخطوة")
    row = {"target": TARGET, "text": text, "holder_start": start, "holder_end": len(text) - 1}
    assert model.predict([row]) == ["against"]
    claims = [{"target": t, "text": x, "label": y, "holder_start": -1, "holder_end": -1}
              for t, x, y in [("ارتفاع أسعار النفط", "ارتفاع أسعار النفط اليوم", "agree"),
                              ("ارتفاع أسعار النفط", "انخفاض أسعار النفط", "disagree"),
                              ("فوز الفريق بالكأس", "الفريق يفوز بالكأس", "agree"),
                              ("فوز الفريق بالكأس", "خسارة الفريق للكأس", "disagree")] * 3]
    claim_model = StanceModel.train(claims)
    assert not claim_model.polarity and claim_model.meta["C"] == 10.0  # ANS/Baly: version-2 features, C = 10


def test_the_learned_lexicon_gives_the_same_floats_whatever_the_hash_seed():
    """Its mean is a float sum: summed in set order it changed in the last bits with PYTHONHASHSEED, enough to move
    the classifier's lbfgs stopping point (stance figures differed by ~0.001 between runs)."""
    import os
    import subprocess
    import sys

    code = ("from baselines.sklearn.stance_polarity import LearnedLexicon\n"
            "docs = [[f'w{i}', f'w{i + 1}', f'x{i % 7}', f'y{i % 3}'] for i in range(60)]\n"
            "lex = LearnedLexicon.fit(docs, ['favor', 'against', 'neutral'] * 20)\n"
            "print(repr(sorted(lex.scalars([f'w{i}' for i in range(40)] + ['x1', 'y2']).items())))\n")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and "learned_mean" in outputs.pop()
