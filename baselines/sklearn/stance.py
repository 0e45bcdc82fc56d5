"""The stance baseline: TF-IDF and edit features of (target, text) pairs into a class-weighted linear model.

Works with any label schema (ANS agree/disagree/other, Baly agree/disagree/discuss/unrelated,
Khabar favor/against/neutral): the labels are whatever the training rows carry.

Input rows are the ``stance`` task's rows (``benchmark.tasks``: one per Stance, with ``text``,
``target``, ``holder_start``/``holder_end``); for a quote-level stance the text is the quote span.
All words are compared in the text layer's normalised form (:func:`~baselines.sklearn.features.
normalise_token`). The text is read as an *edit* of the target (ANS's disagreeing pairs are edits of
the claim: an antonym swapped in, a negation inserted, a number or a name changed; its agreeing pairs
are paraphrases). Feature blocks, each its own vectorizer fitted on the training rows only:

1. word 1–2-gram TF-IDF of the target, and of the text (separate vocabularies);
   char 2–5-gram TF-IDF (``char_wb``) of the text
   (long texts can be cut to their first ``max_words`` words, at training and prediction alike);
2. *changed words*: light stems (:func:`light_stem`) the text adds to the target and the target
   drops, **without** the ones that only changed form: a dropped word whose char bigrams are close
   to an added word's (Dice ≥ 0.5, :func:`soft_match`: ``متواصل`` ~ ``يواصل``) counts as kept;
3. the same changed words as consonant skeletons (:func:`skeleton`: ``ارتفاع``, ``يرتفع`` →
   ``رتفع``), marked ``+``/``-`` for added/dropped, so verb and noun forms share a feature;
4. *substitution* pairs: every (dropped stem → added stem) pair (``ارتفع>انخفض``), vocabulary from
   the training rows;
5. scalars: word and char TF-IDF cosine, word Jaccard, shares of added/dropped/changed words, the
   edit shape (diff ratio of the stem sequences, number of edit blocks, "one word replaced", longest
   kept run), number changes, negation inserted before / removed from a kept word, and a small
   hand-written lexicon of directions (:data:`UP_WORDS`/:data:`DOWN_WORDS`: does the text keep or
   flip the target's rise/fall sequence?) and antonym pairs (:data:`ANTONYMS`: is a dropped word's
   antonym added?).

With quote holders (Khabar; version 4) three more parts: a TF-IDF block of the stems before the holder quote
(:func:`context_words`: its cue and speaker, ``انتقد``/``أشاد``), class probabilities smoothed within a
document's rows for one target (:func:`smooth_by_group`), and a learned :class:`~baselines.sklearn.
stance_holders.HolderRanker` that names the holder quote of a hidden-split row. With a frozen sentence encoder
(``encoder``; version 5) the classifier also reads the embedding of the holder quote (an article-holder row: its lead)
and of the words before the quote (:func:`encoder_context`: who speaks, with which cue), and the ranker the
target–candidate similarities.

The classifier is ``LogisticRegression(class_weight="balanced")`` (``C`` and every block chosen on
ANS dev; docs/RESULTS.md).

>>> rows = [{"target": "ارتفاع أسعار النفط", "text": t, "label": y}
...         for t, y in [("ارتفاع أسعار النفط اليوم", "agree"), ("انخفاض أسعار النفط", "disagree")] * 5]
>>> model = StanceModel.train(rows)
>>> model.predict([{"target": "ارتفاع أسعار النفط", "text": "انخفاض أسعار النفط"}])
['disagree']
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from baselines.sklearn.features import normalise_token
from baselines.sklearn.persist import load_model, save_model
from benchmark.text import tokenize

__all__ = ["ANTONYMS", "DOWN_WORDS", "NEGATIONS", "UP_WORDS", "EditPair", "StanceModel", "edit_features",
           "edit_pair", "light_stem", "pair_text", "predicted_holder_candidates", "skeleton", "soft_match"]

MODEL_FILE = "stance_linear.joblib"
FEATURE_VERSION = 5  # 5: with an encoder, the embedding of the words before the holder quote (cue, speaker)
SOFT_MATCH = 0.5  # char-bigram Dice at or above which a dropped and an added word are one word re-formed
MAX_SWAPS = 30  # substitution pairs are formed from the first 30 dropped and 30 added stems

NEGATIONS = frozenset(normalise_token(w) for w in (
    "لا", "لم", "لن", "ليس", "ليست", "غير", "عدم", "دون", "بلا", "نفى", "ينفي", "تنفي", "نفت", "ينفى"))
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_SUFFIXES = ("ات", "ون", "ين", "ان", "ها", "هم", "ه", "ي")
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=200_000)
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


def skeleton(word: str) -> str:
    """A rough consonant skeleton of a normalised word: its light stem without a verb/noun prefix
    (ي ت ن ا م), a final ه/ا/ي and inner long vowels, for stems of 4+ letters.

    >>> skeleton("ارتفاع"), skeleton("يرتفع"), skeleton("صعود"), skeleton("يصعد")
    ('رتفع', 'رتفع', 'صعد', 'صعد')
    """
    word = light_stem(word)
    if len(word) >= 4 and word[0] in "يتنام":
        word = word[1:]
    if len(word) >= 4 and word[-1] in "هاي":
        word = word[:-1]
    if len(word) >= 4:
        word = word[0] + "".join(c for c in word[1:-1] if c not in "اوي") + word[-1]
    return word


@lru_cache(maxsize=200_000)
def _bigrams(word: str) -> frozenset[str]:
    marked = f"#{light_stem(word)}#"
    return frozenset(marked[i:i + 2] for i in range(len(marked) - 1))


def soft_match(word: str, others: Iterable[str]) -> float:
    """The best char-bigram Dice similarity (0–1) between ``word``'s light stem and any of ``others``'.

    >>> round(soft_match("متواصل", ["يواصل", "الدولار"]), 2), soft_match("ارتفاع", [])
    (0.62, 0.0)
    """
    grams, best = _bigrams(word), 0.0
    for other in others:
        theirs = _bigrams(other)
        best = max(best, 2 * len(grams & theirs) / max(1, len(grams) + len(theirs)))
        if best == 1.0:
            break
    return best


def stem_lexicon(words: str) -> frozenset[str]:
    """The light stems of the normalised, space-separated ``words`` (a hand-written word list)."""
    return frozenset(light_stem(normalise_token(w)) for w in words.split())


#: Rise/grow/win words and fall/shrink/lose words (news headlines' commonest contradiction).
UP_WORDS = stem_lexicon(
    "ارتفاع ارتفع يرتفع ترتفع مرتفع مرتفعة ارتفاعا صعود صعد يصعد تصعد صاعد قفز يقفز تقفز قفزة زيادة زاد "
    "يزيد تزيد يزداد تزداد ازدياد نمو نما ينمو تنمو مكاسب يكسب تكسب ربح أرباح يربح تربح تحسن يتحسن "
    "تتحسن انتعاش ينتعش تنتعش أعلى قياسي تعافي يتعافى تتعافى يتخطى تتخطى يتجاوز تتجاوز تقدم يتقدم تتقدم "
    "مكسب ارتفاعات يقوى تقوى قوة")
DOWN_WORDS = stem_lexicon(
    "انخفاض انخفض ينخفض تنخفض منخفض منخفضة انخفاضا هبوط هبط يهبط تهبط هابط تراجع يتراجع تتراجع تراجعت "
    "تدهور يتدهور تتدهور خسائر خسارة يخسر تخسر خسر نقص ينقص تنقص يقل تقل قلة تقلص يتقلص تتقلص انكماش "
    "ينكمش تنكمش أدنى هوى يهوي تهوي انهيار ينهار تنهار يخفض تخفض خفض تخفيض ضعف يضعف تضعف تباطؤ يتباطأ "
    "تتباطأ تهاوي يتهاوى تتهاوى أقل")
#: Pairs of opposed word sets: a dropped word from one side and an added word from the other is a swap.
ANTONYMS = tuple((stem_lexicon(a), stem_lexicon(b)) for a, b in (
    ("فوز يفوز تفوز فاز", "خسارة يخسر تخسر خسر هزيمة"),
    ("اتفاق اتفق يتفق تتفق توافق", "خلاف يختلف تختلف اختلاف فشل"),
    ("نجاح ينجح تنجح نجح", "فشل يفشل تفشل إخفاق"),
    ("قبول يقبل تقبل قبل موافقة يوافق توافق وافق", "رفض يرفض ترفض"),
    ("دعم يدعم تدعم تأييد يؤيد تؤيد", "معارضة يعارض تعارض عارض رفض"),
    ("سماح يسمح تسمح سمح", "منع يمنع تمنع حظر يحظر تحظر"),
    ("براءة تبرئة", "إدانة يدين تدين حكم سجن"),
    ("سلام هدنة هدوء", "حرب اشتباكات قتال هجوم"),
    ("افتتاح يفتح تفتح فتح مفتوحة", "إغلاق يغلق تغلق أغلق غلق مغلقة إقفال"),
    ("بداية يبدأ تبدأ بدأ بدء استئناف يستأنف", "نهاية ينتهي تنتهي انتهى توقف يتوقف تتوقف وقف إنهاء"),
    ("ظهور يظهر تظهر ظهر", "اختفاء يختفي تختفي اختفى"),
    ("دخول يدخل تدخل دخل", "خروج يخرج تخرج خرج انسحاب ينسحب تنسحب"),
    ("كبير كبيرة ضخم ضخمة عملاق", "صغير صغيرة ضئيل"),
    ("جديد جديدة", "قديم قديمة"),
    ("استقرار مستقر", "اضطراب اضطرابات أزمة"),
    ("أمن آمن", "خطر خطير"),
    ("صحيح", "خطأ كاذب"),
    ("نجاة ينجو", "غرق مقتل موت وفاة"),
    ("إطلاق يطلق سراح", "اعتقال يعتقل احتجاز اختطاف خطف"),
    ("تجدد يتجدد", "تبدد يتبدد"),
    ("يطمئن طمأنة", "قلق يقلق مخاوف"),
))
_NEGATION_PARTICLES = stem_lexicon("لا لم لن ليس ليست غير عدم دون بلا")


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
class EditPair:
    """A (target, text) pair read as an edit: the words of each side, their stems, and what changed."""

    target: list[str]
    text: list[str]
    target_stems: list[str]
    text_stems: list[str]
    added: list[tuple[str, str]]  # (word, stem) of the text whose stem the target lacks
    dropped: list[tuple[str, str]]  # (word, stem) of the target whose stem the text lacks
    changed_added: list[tuple[str, str]]  # added words with no re-formed counterpart among the dropped
    changed_dropped: list[tuple[str, str]]


def edit_pair(target: str, text: str, max_words: int | None = None) -> EditPair:
    target_words, text_words = _words(target), _words(text[: max_words * 20] if max_words else text, max_words)
    target_stems = [light_stem(w) for w in target_words]
    text_stems = [light_stem(w) for w in text_words]
    target_set, text_set = set(target_stems), set(text_stems)
    added = [(w, s) for w, s in zip(text_words, text_stems, strict=True) if s not in target_set]
    dropped = [(w, s) for w, s in zip(target_words, target_stems, strict=True) if s not in text_set]
    reformed_added, reformed_dropped = _reformed({w for w, _ in added}, {w for w, _ in dropped})
    return EditPair(target_words, text_words, target_stems, text_stems, added, dropped,
                    [(w, s) for w, s in added if w not in reformed_added],
                    [(w, s) for w, s in dropped if w not in reformed_dropped])


def _reformed(added: set[str], dropped: set[str]) -> tuple[set[str], set[str]]:
    """The added and the dropped words that have a counterpart on the other side with
    :func:`soft_match` ≥ :data:`SOFT_MATCH` (each pair of distinct words compared once)."""
    reformed_added: set[str] = set()
    reformed_dropped: set[str] = set()
    added_grams = [(other, _bigrams(other)) for other in added]
    for word in dropped:
        grams = _bigrams(word)
        for other, theirs in added_grams:
            if 2 * len(grams & theirs) >= SOFT_MATCH * max(1, len(grams) + len(theirs)):
                reformed_dropped.add(word)
                reformed_added.add(other)
    return reformed_added, reformed_dropped


def _polarity(stems: Sequence[str]) -> list[str]:
    return ["U" if s in UP_WORDS else "D" for s in stems if s in UP_WORDS or s in DOWN_WORDS]


def _negation_before_kept(stems: Sequence[str], other_side: set[str]) -> int:
    """How many negation particles absent from the other side stand right before a word it has."""
    return sum(1 for i, s in enumerate(stems[:-1])
               if s in _NEGATION_PARTICLES and s not in other_side and stems[i + 1] in other_side)


def edit_features(pair: EditPair) -> dict[str, float]:
    """The scalar features of a pair by name (all in [0, 1]): overlap, numbers, negation, edit shape,
    changed words, lexicon."""
    target, text = set(pair.target), set(pair.text)
    target_stems, text_stems = set(pair.target_stems), set(pair.text_stems)
    numbers_t, numbers_s = set(_DIGITS.findall(" ".join(pair.target))), set(_DIGITS.findall(" ".join(pair.text)))
    n_target, n_text = max(1, len(pair.target)), max(1, len(pair.text))
    n_added, n_dropped = len(pair.added), len(pair.dropped)
    n_changed_added, n_changed_dropped = len(pair.changed_added), len(pair.changed_dropped)

    matcher = difflib.SequenceMatcher(None, pair.target_stems, pair.text_stems, autojunk=False)
    edits = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    longest = matcher.find_longest_match(0, len(pair.target_stems), 0, len(pair.text_stems)).size

    polarity_t, polarity_s = _polarity(pair.target_stems), _polarity(pair.text_stems)
    flipped = ["D" if p == "U" else "U" for p in polarity_t]
    dropped_stems = {s for _, s in pair.dropped}
    added_stems = {s for _, s in pair.added}
    antonym_swaps = sum(1 for a, b in ANTONYMS
                        if (dropped_stems & a and added_stems & b) or (dropped_stems & b and added_stems & a))
    antonym_sides = sum(1 for a, b in ANTONYMS
                        if (target_stems & a and text_stems & b and not text_stems & a)
                        or (target_stems & b and text_stems & a and not text_stems & b))
    return {
        # overlap
        "word_jaccard": len(target & text) / max(1, len(target | text)),
        "added_share": n_added / n_text,
        "dropped_share": n_dropped / n_target,
        # numbers and negation
        "numbers_differ": float(bool(numbers_t) and bool(numbers_s) and numbers_t != numbers_s),
        "negation_differs": float(bool(NEGATIONS & target) != bool(NEGATIONS & text)),
        "number_dropped": float(bool(numbers_t - numbers_s)),
        "number_added": float(bool(numbers_s - numbers_t)),
        "negation_inserted": min(_negation_before_kept(pair.text_stems, target_stems), 2) / 2,
        "negation_removed": min(_negation_before_kept(pair.target_stems, text_stems), 2) / 2,
        # edit shape
        "diff_ratio": matcher.ratio(),
        "one_word_each": float(n_added == 1 and n_dropped == 1),
        "only_added_or_dropped": float(n_added == 0 or n_dropped == 0),
        "edit_blocks": min(len(edits), 5) / 5,
        "one_edit_block": float(len(edits) == 1),
        "one_replacement": float(len(edits) == 1 and edits[0][0] == "replace"),
        "added_count": min(n_added, 6) / 6,
        "dropped_count": min(n_dropped, 6) / 6,
        "longest_kept_run": longest / max(1, min(len(pair.target_stems), len(pair.text_stems))),
        "length_change": min(1.0, abs(len(pair.target) - len(pair.text)) / n_target),
        # changed words (re-formed words not counted)
        "reformed_share": (n_dropped - n_changed_dropped) / n_target,
        "changed_dropped_share": n_changed_dropped / n_target,
        "changed_added_share": n_changed_added / n_text,
        "no_changed_dropped": float(n_changed_dropped == 0),
        "no_changed_added": float(n_changed_added == 0),
        "one_changed_each": float(n_changed_dropped == 1 and n_changed_added == 1),
        "changed_dropped_count": min(n_changed_dropped, 5) / 5,
        "changed_added_count": min(n_changed_added, 5) / 5,
        # lexicon
        "same_direction": float(bool(polarity_t) and polarity_t == polarity_s),
        "flipped_direction": float(bool(polarity_t) and polarity_s == flipped),
        "first_direction_differs": float(bool(polarity_t) and bool(polarity_s) and polarity_t[0] != polarity_s[0]),
        "direction_only_one_side": float(bool(polarity_t) != bool(polarity_s)),
        "antonym_swaps": min(antonym_swaps, 2) / 2,
        "antonym_sides": min(antonym_sides, 2) / 2,
    }


CONTEXT_CHARS = 100  # characters before a holder quote read by the context block
CONTEXT_WORDS = 8
GROUP_SMOOTHING = 0.5  # chosen on the v0.2 train/validation cross-validation folds (docs/RESULTS.md)
ARTICLE_LEAD_CHARS = 600  # what the sentence encoder reads of an article-holder row
ENCODER_WEIGHT = 5.0  # the embedding block's scale in the classifier (ditto: 1, 2, 3, 5, 8 tried)
ENCODER_CONTEXT_CHARS = 150  # characters before a holder quote embedded as its context (cue, speaker, subject)
ENCODER_CONTEXT_WEIGHT = 3.0  # that block's scale (ditto: 2, 3, 5 tried)
ENCODER_C = 0.5  # the classifier's C with an encoder (ditto: 0.3, 0.5, 1 tried)
HOLDER_RANKER_C = 0.1  # ditto (0.437 vs 0.436 at C = 1: the ranker is not sensitive to it)


def context_words(row: Mapping[str, Any]) -> str:
    """The light stems of the last :data:`CONTEXT_WORDS` words before a row's holder quote (its cue and speaker:
    ``انتقد``، ``أشاد``، ``رحب``), marked ``c:``; ``c:ARTICLE`` for an article-holder row.

    >>> context_words({"text": "وانتقد الوزير القرار قائلا: خطأ", "holder_start": 28, "holder_end": 31})
    'c:انتقد c:وزير c:قرار c:قايلا'
    """
    start = row.get("holder_start", -1)
    if not isinstance(start, int) or start <= 0:
        return "c:ARTICLE"
    words = _words(row["text"][max(0, start - CONTEXT_CHARS):start])[-CONTEXT_WORDS:]
    return " ".join("c:" + light_stem(word) for word in words)


def smooth_by_group(rows: Sequence[Mapping[str, Any]], probabilities: Any, weight: float) -> Any:
    """Each row's class probabilities moved ``weight`` of the way to the mean of its group (the rows of one
    document, target and holder kind: in the v0.2 training gold 81% of a group's quote rows share its
    majority label); rows without a ``doc_id`` are left alone.

    >>> import numpy as np
    >>> rows = [{"doc_id": "d", "target": "t", "holder_kind": "quote"}] * 2
    >>> smooth_by_group(rows, np.array([[0.9, 0.1], [0.3, 0.7]]), 0.5).round(2).tolist()
    [[0.75, 0.25], [0.45, 0.55]]
    """
    out = probabilities.copy()
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, row in enumerate(rows):
        if row.get("doc_id") is not None:
            groups.setdefault((row["doc_id"], row.get("target"), row.get("holder_kind")), []).append(i)
    for members in groups.values():
        if len(members) > 1:
            out[members] = (1 - weight) * probabilities[members] + weight * probabilities[members].mean(axis=0)
    return out


def encoder_passage(row: Mapping[str, Any]) -> str:
    """What the sentence encoder reads of a row: its holder quote, or the article's lead (its first
    :data:`ARTICLE_LEAD_CHARS` characters) for an article-holder row or a row without a holder span."""
    start, end = row.get("holder_start", -1), row.get("holder_end", -1)
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return row["text"][start:end]
    return row["text"][:ARTICLE_LEAD_CHARS]


def encoder_context(row: Mapping[str, Any]) -> str:
    """What the sentence encoder reads as a row's context: the :data:`ENCODER_CONTEXT_CHARS` characters before its
    holder quote (the cue, the speaker, what the report is about: ``وانتقد وزير الخارجية الإيراني …``), or the
    article's first ones for an article-holder row or a row without a holder span."""
    start, end = row.get("holder_start", -1), row.get("holder_end", -1)
    if isinstance(start, int) and isinstance(end, int) and 0 < start < end:
        return row["text"][max(0, start - ENCODER_CONTEXT_CHARS):start]
    return row["text"][:ENCODER_CONTEXT_CHARS]


def _holder_ranker(rows: Sequence[Mapping[str, Any]], encoder: Any = None,
                   candidates: Mapping[str, Sequence[tuple[int, int]]] | None = None) -> tuple[Any, str | None]:
    """The learned holder ranker (:class:`~baselines.sklearn.stance_holders.HolderRanker`) of the training rows and
    what its candidates were: each document's spans in ``candidates`` (doc_id → spans), or, without any, its rows'
    holder quotes; ``(None, None)`` when the rows cannot train one."""
    from baselines.sklearn.stance_holders import HolderRanker

    task_rows = [row for row in rows
                 if row.get("doc_id") is not None and row.get("holder_kind") in ("article", "quote")]
    source = "given quote spans"
    if candidates is None or not any(candidates.values()):
        source, candidates = "gold holder quotes", {}
        for row in task_rows:
            if row["holder_kind"] == "quote" and row.get("holder_start", -1) >= 0:
                candidates.setdefault(row["doc_id"], []).append((row["holder_start"], row["holder_end"]))
    if not any(candidates.values()):  # rows that are not the stance task's (no document, no holder kind)
        return None, None
    try:
        return HolderRanker.train(task_rows, candidates, C=HOLDER_RANKER_C, encoder=encoder), source
    except ValueError:  # no document with two candidate quotes: the relevance rule assigns
        return None, None


def predicted_holder_candidates(articles: Sequence[Any], rows: Sequence[Mapping[str, Any]]
                                ) -> dict[str, list[tuple[int, int]]] | None:
    """The candidates the holder ranker of ``rows`` (the stance rows of ``articles``) learns among: the quotes the
    quote baseline's span scorer, trained on the other folds, predicts in each article
    (:func:`~baselines.sklearn.quotes.cross_fitted_quote_spans`), the candidates it meets at prediction; ``None``
    when no row's holder is a quote (ANS, Baly: no ranker)."""
    from baselines.sklearn.quotes import cross_fitted_quote_spans

    if not any(row.get("holder_kind") == "quote" for row in rows):
        return None
    return cross_fitted_quote_spans(articles)


@dataclass
class StanceModel:
    """Fitted vectorizers and classifier; :meth:`predict` takes stance rows (target + text)."""

    vectorizers: dict[str, Any]
    classifier: Any
    labels: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    max_words: int | None = None
    polarity: bool = False  # the quote-polarity block (baselines.sklearn.stance_polarity)
    lexicon: Any = None  # its learned lexicon (fitted on all training rows, for prediction)
    polarity_weight: float = 3.0
    context: Any = None  # version 4, with polarity: TF-IDF of the stems before a holder quote (cue, speaker)
    holder_ranker: Any = None  # version 4, with polarity: which candidate quote a quote-holder row names
    group_smoothing: float = 0.0  # version 4, with polarity: weight of a row's (document, target) group mean
    encoder: Any = None  # optional: a frozen SentenceEncoder whose embeddings join classifier and holder ranker

    def _blocks(self, rows: Sequence[Mapping[str, Any]]) -> tuple[dict[str, list[str]], list[list[float]]]:
        pairs = [edit_pair(row["target"], pair_text(row), self.max_words) for row in rows]
        docs = {
            "target": [" ".join(p.target) for p in pairs],
            "text": [" ".join(p.text) for p in pairs],
            "text_chars": [" ".join(p.text) for p in pairs],
            "added": [" ".join(s for _, s in p.changed_added) for p in pairs],
            "dropped": [" ".join(s for _, s in p.changed_dropped) for p in pairs],
            "skeletons": [" ".join([f"+{skeleton(w)}" for w, _ in p.changed_added]
                                   + [f"-{skeleton(w)}" for w, _ in p.changed_dropped]) for p in pairs],
            "swaps": [" ".join(f"{d}>{a}" for _, d in p.dropped[:MAX_SWAPS] for _, a in p.added[:MAX_SWAPS])
                      for p in pairs],
        }
        return docs, [list(edit_features(p).values()) for p in pairs]

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
        if self.polarity:
            parts.append(sparse.csr_matrix(self._polarity_block(rows, fit) * self.polarity_weight))
        if self.context is not None:
            contexts = [context_words(row) for row in rows]
            if not fit:
                parts.append(self.context.transform(contexts))
            else:
                try:
                    parts.append(self.context.fit_transform(contexts))
                except ValueError:  # no context word in two training rows (tiny data): nothing to learn from
                    self.context = None
        if self.encoder is not None:
            embeddings = self.encoder.passages([encoder_passage(row) for row in rows])
            parts.append(sparse.csr_matrix(embeddings * ENCODER_WEIGHT))
            if self.polarity:  # quote holders: who says it, and to whom (cue, speaker)
                contexts = self.encoder.passages([encoder_context(row) for row in rows])
                parts.append(sparse.csr_matrix(contexts * ENCODER_CONTEXT_WEIGHT))
        return sparse.hstack(parts).tocsr()

    def _polarity_block(self, rows: Sequence[Mapping[str, Any]], fit: bool):
        """The quote-polarity scalars of each row (:mod:`baselines.sklearn.stance_polarity`); when fitting,
        the learned lexicon's scalars come out of fold and the lexicon is then fitted on every row."""
        import numpy as np

        from baselines.sklearn.stance_polarity import (
            LearnedLexicon,
            cue_words,
            out_of_fold_lexicon_scalars,
            polarity_scalars,
            row_stems,
        )

        texts = [pair_text(row) for row in rows]
        stems = [row_stems(row, text) for row, text in zip(rows, texts, strict=True)]
        if fit:
            labels = [row["label"] for row in rows]
            learned = out_of_fold_lexicon_scalars(stems, labels)
            self.lexicon = LearnedLexicon.fit(stems, labels)
        else:
            learned = [self.lexicon.scalars(s) for s in stems]
        out = []
        for row, text, lexicon_scalars in zip(rows, texts, learned, strict=True):
            start = row.get("holder_start", -1)
            cue = cue_words(row["text"], start) if isinstance(start, int) and start > 0 else []
            target = {light_stem(w) for w in _words(row["target"])}
            feats = polarity_scalars(_words(text, self.max_words), cue, target)
            out.append([*feats.values(), *(lexicon_scalars[k] for k in sorted(lexicon_scalars))])
        return np.asarray(out, dtype=float)

    @classmethod
    def train(cls, rows: Sequence[Mapping[str, Any]], *, C: float | None = None, max_words: int | None = None,
              polarity: bool | None = None, polarity_weight: float = 3.0, encoder: Any = None,
              holder_candidates: Mapping[str, Sequence[tuple[int, int]]] | None = None) -> StanceModel:
        """Fit on stance rows (``target``, ``text``, ``label``; optional ``holder_start/end``).

        ``max_words`` keeps only the first N words of each text (long web articles, e.g. Baly's);
        the model applies the same cut when predicting. ``polarity`` adds the quote-polarity block
        (:mod:`baselines.sklearn.stance_polarity`); by default it is on when some training row's holder is a
        quote (Khabar) and off for claim–text pairs (ANS, Baly), whose features stay those of version 2.
        ``C`` defaults to 10 without the block (chosen on ANS dev) and to 1 with it (chosen on the Khabar v0.1
        cross-validation folds, docs/RESULTS.md), 0.5 with it and an encoder (the v0.2 folds). ``encoder`` (a
        :class:`~baselines.sklearn.encoder.SentenceEncoder` or a model folder/id for one) adds frozen sentence
        embeddings: of the holder quote (or the article's lead) to the classifier's features, with quote holders also
        of the words before the quote (:func:`encoder_context`), and the target–candidate similarities to the holder
        ranker's. ``holder_candidates`` (doc_id → spans): the candidate quotes the holder ranker learns to choose
        among, best the spans a quote model predicts in the training documents out of fold (what it will meet at
        prediction); without any, the training rows' own holder quotes."""
        from sklearn.feature_extraction.text import TfidfVectorizer
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
            "skeletons": TfidfVectorizer(**words),
            "swaps": TfidfVectorizer(max_features=200_000, **words),
            "sim_words": TfidfVectorizer(token_pattern=r"\S+"),
            "sim_chars": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)),
        }
        if max_words is not None and max_words < 1:
            raise ValueError(f"max_words must be a positive number of words, got {max_words}")
        if polarity is None:
            polarity = any(isinstance(row.get("holder_start"), int) and row["holder_start"] >= 0 for row in rows)
        if C is None:
            C = (ENCODER_C if encoder is not None else 1.0) if polarity else 10.0
        if isinstance(encoder, (str, Path)):
            from baselines.sklearn.encoder import SentenceEncoder

            encoder = SentenceEncoder(str(encoder))
        model = cls(vectorizers=vectorizers, classifier=None, labels=labels, max_words=max_words,
                    polarity=polarity, polarity_weight=polarity_weight, encoder=encoder)
        ranker_candidates = None
        if polarity:
            model.context = TfidfVectorizer(ngram_range=(1, 2), min_df=2, **words)
            model.group_smoothing = GROUP_SMOOTHING
            model.holder_ranker, ranker_candidates = _holder_ranker(rows, encoder, holder_candidates)
        matrix = model._matrix(rows, fit=True)
        model.classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
        model.classifier.fit(matrix, [row["label"] for row in rows])
        model.meta = {"feature_version": FEATURE_VERSION, "C": C, "max_words": max_words, "n_rows": len(rows),
                      "polarity": polarity, "context_block": model.context is not None,
                      "holder_choice": ("learned ranker" if model.holder_ranker is not None
                                        else "target relevance rule" if polarity else "none"),
                      "holder_ranker_candidates": ranker_candidates,
                      "encoder": encoder.describe() if encoder is not None else None,
                      "labels": list(labels),
                      "n_features": int(matrix.shape[1])}
        return model

    def predict(self, rows: Sequence[Mapping[str, Any]]) -> list[str]:
        """One label per row."""
        if not rows:
            return []
        if not self.group_smoothing:
            return [str(label) for label in self.classifier.predict(self._matrix(rows))]
        probabilities = smooth_by_group(rows, self.classifier.predict_proba(self._matrix(rows)), self.group_smoothing)
        return [str(self.classifier.classes_[i]) for i in probabilities.argmax(axis=1)]

    def save(self, out_dir: str | Path) -> Path:
        """Write ``out_dir/stance_linear.joblib`` (not meant to be committed)."""
        return save_model(self, out_dir, MODEL_FILE)

    @classmethod
    def load(cls, model_dir: str | Path) -> StanceModel:
        """Read a model written by :meth:`save`."""
        return load_model(cls, model_dir, MODEL_FILE, task="stance", feature_version=FEATURE_VERSION)
