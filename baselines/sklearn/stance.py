"""The stance baseline: TF-IDF features of (target, text) pairs into a class-weighted linear model.

Works with any label schema (ANS agree/disagree/other, Baly agree/disagree/discuss/unrelated,
Khabar favor/against/neutral): the labels are whatever the training rows carry.

Input rows are the ``stance`` task's rows (``benchmark.tasks``: one per Stance, with ``text``,
``target``, ``holder_start``/``holder_end``); for a quote-level stance the text is the quote span.
All words are compared in the text layer's normalised form (:func:`~baselines.sklearn.features.
normalise_token`). Feature blocks (each its own vectorizer, fitted on the training rows only):

1. word 1–2-gram TF-IDF of the target, and of the text (separate vocabularies);
2. char 2–5-gram TF-IDF (``char_wb``) of the text;
   (long texts can be cut to their first ``max_words`` words, at training and prediction alike)
3. *difference* bags: light stems (proclitics and a few suffixes off) that the text adds to the
   target, and that the target has but the text drops;
4. *substitution* pairs: every (dropped stem → added stem) pair, hashed (``ارتفع → انخفض`` is a
   strong disagree cue in ANS, whose disagreeing paraphrases are edits of the claim);
5. similarity scalars: word and char TF-IDF cosine between target and text, word Jaccard,
   share of added/dropped words, a number-mismatch flag and a negation-mismatch flag.

The classifier is ``LogisticRegression(class_weight="balanced")`` (``C`` chosen on ANS dev).

>>> rows = [{"target": "ارتفاع أسعار النفط", "text": t, "label": y}
...         for t, y in [("ارتفاع أسعار النفط اليوم", "agree"), ("انخفاض أسعار النفط", "disagree")] * 5]
>>> model = StanceModel.train(rows)
>>> model.predict([{"target": "ارتفاع أسعار النفط", "text": "انخفاض أسعار النفط"}])
['disagree']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from baselines.sklearn.features import normalise_token
from baselines.sklearn.persist import load_model, save_model
from benchmark.text import tokenize

__all__ = ["NEGATIONS", "StanceModel", "light_stem", "pair_text"]

MODEL_FILE = "stance_linear.joblib"
FEATURE_VERSION = 1

NEGATIONS = frozenset(normalise_token(w) for w in (
    "لا", "لم", "لن", "ليس", "ليست", "غير", "عدم", "دون", "بلا", "نفى", "ينفي", "تنفي", "نفت", "ينفى"))
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_SUFFIXES = ("ات", "ون", "ين", "ان", "ها", "هم", "ه", "ي")


def light_stem(word: str) -> str:
    """A normalised word without one proclitic chain and one suffix (stems of 3+ letters kept).

    >>> light_stem("والاسعار"), light_stem("للمواطنين")
    ('اسعار', 'مواطن')
    """
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


def pair_text(row: Mapping[str, Any]) -> str:
    """The text a stance row is about: the quote span for a quote-level stance, else the text."""
    start, end = row.get("holder_start", -1), row.get("holder_end", -1)
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(row["text"]):
        return row["text"][start:end]
    return row["text"]


def _words(text: str, limit: int | None = None) -> list[str]:
    words = []
    for token in tokenize(text):
        word = normalise_token(token.text)
        if word and word.isalnum():
            words.append(word)
            if limit is not None and len(words) >= limit:
                break
    return words


@dataclass
class _Pair:
    target: list[str]
    text: list[str]
    added: list[str]
    dropped: list[str]


def _pair(target: str, text: str, max_words: int | None = None) -> _Pair:
    target_words, text_words = _words(target), _words(text[: max_words * 20] if max_words else text, max_words)
    target_stems = [light_stem(w) for w in target_words]
    text_stems = [light_stem(w) for w in text_words]
    target_set, text_set = set(target_stems), set(text_stems)
    return _Pair(target_words, text_words, [s for s in text_stems if s not in target_set],
                 [s for s in target_stems if s not in text_set])


def _scalars(pair: _Pair) -> list[float]:
    target, text = set(pair.target), set(pair.text)
    numbers_t = {w for w in target if w.isdigit()}
    numbers_s = {w for w in text if w.isdigit()}
    return [
        len(target & text) / max(1, len(target | text)),
        len(pair.added) / max(1, len(pair.text)),
        len(pair.dropped) / max(1, len(pair.target)),
        float(bool(numbers_t) and bool(numbers_s) and numbers_t != numbers_s),
        float(bool(NEGATIONS & target) != bool(NEGATIONS & text)),
    ]


@dataclass
class StanceModel:
    """Fitted vectorizers and classifier; :meth:`predict` takes stance rows (target + text)."""

    vectorizers: dict[str, Any]
    classifier: Any
    labels: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    max_words: int | None = None

    def _blocks(self, rows: Sequence[Mapping[str, Any]]) -> tuple[dict[str, list[str]], list[list[float]]]:
        pairs = [_pair(row["target"], pair_text(row), self.max_words) for row in rows]
        docs = {
            "target": [" ".join(p.target) for p in pairs],
            "text": [" ".join(p.text) for p in pairs],
            "text_chars": [" ".join(p.text) for p in pairs],
            "added": [" ".join(p.added) for p in pairs],
            "dropped": [" ".join(p.dropped) for p in pairs],
            "swaps": [" ".join(f"{d}>{a}" for d in p.dropped[:30] for a in p.added[:30]) for p in pairs],
        }
        return docs, [_scalars(p) for p in pairs]

    def _matrix(self, rows: Sequence[Mapping[str, Any]], fit: bool = False):
        import numpy as np
        from scipy import sparse

        docs, scalars = self._blocks(rows)
        parts = []
        for name, vectorizer in self.vectorizers.items():
            if name.startswith("sim_"):
                continue
            parts.append(vectorizer.fit_transform(docs[name]) if fit else vectorizer.transform(docs[name]))
        if fit:
            self.vectorizers["sim_words"].fit(docs["target"] + docs["text"])
            self.vectorizers["sim_chars"].fit(docs["target"] + docs["text"])
        sims = []
        for name in ("sim_words", "sim_chars"):
            a = self.vectorizers[name].transform(docs["target"])
            b = self.vectorizers[name].transform(docs["text"])
            sims.append(np.asarray(a.multiply(b).sum(axis=1)).ravel())
        dense = np.column_stack([*sims, np.asarray(scalars, dtype=float).reshape(len(rows), -1)])
        parts.append(sparse.csr_matrix(dense * 3.0))  # scaled up so L2 regularisation does not mute them
        return sparse.hstack(parts).tocsr()

    @classmethod
    def train(cls, rows: Sequence[Mapping[str, Any]], *, C: float = 10.0, max_words: int | None = None
              ) -> StanceModel:
        """Fit on stance rows (``target``, ``text``, ``label``; optional ``holder_start/end``).

        ``max_words`` keeps only the first N words of each text (long web articles, e.g. Baly's);
        the model applies the same cut when predicting."""
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        rows = list(rows)
        if not rows:
            raise ValueError("no stance rows to train on: check the training file and --where filters")
        labels = tuple(sorted({row["label"] for row in rows}))
        if len(labels) < 2:
            raise ValueError(f"the training rows carry one label only ({labels}); a classifier needs two or more")
        words = {"token_pattern": r"\S+", "sublinear_tf": True}
        vectorizers: dict[str, Any] = {
            "target": TfidfVectorizer(ngram_range=(1, 2), **words),
            "text": TfidfVectorizer(ngram_range=(1, 2), max_features=200_000, **words),
            "text_chars": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                          max_features=300_000),
            "added": TfidfVectorizer(**words),
            "dropped": TfidfVectorizer(**words),
            "swaps": HashingVectorizer(token_pattern=r"\S+", n_features=2**18, alternate_sign=False),
            "sim_words": TfidfVectorizer(token_pattern=r"\S+"),
            "sim_chars": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)),
        }
        if max_words is not None and max_words < 1:
            raise ValueError(f"max_words must be a positive number of words, got {max_words}")
        model = cls(vectorizers=vectorizers, classifier=None, labels=labels, max_words=max_words)
        matrix = model._matrix(rows, fit=True)
        model.classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
        model.classifier.fit(matrix, [row["label"] for row in rows])
        model.meta = {"feature_version": FEATURE_VERSION, "C": C, "max_words": max_words, "n_rows": len(rows),
                      "labels": list(labels),
                      "n_features": int(matrix.shape[1])}
        return model

    def predict(self, rows: Sequence[Mapping[str, Any]]) -> list[str]:
        """One label per row."""
        if not rows:
            return []
        return [str(label) for label in self.classifier.predict(self._matrix(rows))]

    def save(self, out_dir: str | Path) -> Path:
        """Write ``out_dir/stance_linear.joblib`` (not meant to be committed)."""
        return save_model(self, out_dir, MODEL_FILE)

    @classmethod
    def load(cls, model_dir: str | Path) -> StanceModel:
        """Read a model written by :meth:`save`."""
        return load_model(cls, model_dir, MODEL_FILE, task="stance", feature_version=FEATURE_VERSION)
