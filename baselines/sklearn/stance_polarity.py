"""Polarity features for quote-level stance (Khabar): does the quote speak well or ill of its target?

A Khabar stance row asks whether a quote's speaker is *for* or *against* a target (``دعم القيادة``,
``تصريحات المالكي``); the quote is an evaluation, not an edit of the target as in ANS. The block reads:

* a hand-written **evaluation lexicon** (:data:`POSITIVE`, :data:`NEGATIVE`: ``دعم، نجاح، ترحب`` /
  ``إرهاب، إساءات، ندين``), with a **negation** (:data:`NEGATORS`) in the two words before flipping a word;
* a **learned lexicon**: per light stem, the smoothed log-odds of each label in the training rows
  (:class:`LearnedLexicon`; fitted *out of fold* on the training rows, so the classifier does not learn
  to trust a lexicon that has seen the row);
* the **cue** before the quote (the words before the holder span: ``نفى، رفض، انتقد، حذر، أكد، أشاد``);
* where the target stands: its words inside the quote, and evaluation words near them.

Everything is computed on the normalised words of the text layer.

>>> feats = polarity_scalars(["الارهاب", "خطر", "كبير"], ["حذر"], {"الارهاب"})
>>> feats["negative"] > feats["positive"], feats["cue_negative"]
(True, 1.0)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from baselines.sklearn.stance import _words, light_stem, stem_lexicon

__all__ = ["NEGATIVE", "NEGATIVE_CUES", "NEGATORS", "POSITIVE", "POSITIVE_CUES", "LearnedLexicon",
           "cue_words", "polarity_scalars"]


#: Words that evaluate well (support, success, welcome, praise).
POSITIVE = stem_lexicon(
    "دعم يدعم تدعم داعم مساندة يساند تساند تأييد يؤيد تؤيد نجاح ناجح ناجحة ينجح إنجاز إنجازات مميز مميزة "
    "متميز متميزة أفضل رائع رائعة عظيم عظيمة كبير ممتاز ممتازة ترحب يرحب رحب ترحيب إشادة يشيد أشاد شكر تقدير "
    "حرص حريص حريصة جهود جهد خدمة خدمات تعاون تطوير تنمية ثقة أثق نثق فخر فخور سعيد سعادة أحب يحب أمن أمان "
    "استقرار سلام الأصالة تجسيد مكانة عالية قوي قوية قادر قادرة حقوق يكفل تكفل ييسر تسهيل مصلحة إيجابي إيجابية "
    "الشرعية الأبطال أبطال بطولي شجاع فرحة تهنئة التهاني الخير يحفظ الحكيمة رائد ريادة قدوة تفوق ابتكار إبداع "
    "نتحدى الشقيق الشقيقة الأخوية الأخوة التضامن صحيح صحيحا مهم مهمة فرصة حلول")
#: Words that evaluate ill (attack, threat, failure, condemnation).
NEGATIVE = stem_lexicon(
    "إرهاب إرهابي إرهابية الإرهاب تطرف متطرف التطرف تخريب تفجير تفجيرات الجبان جبان فاسد فساد خطر خطير خطيرة "
    "تهديد يهدد تهدد عدو لدود أعداء حاقد الحاقدين إساءة إساءات الإساءات ندين يدين تدين إدانة استنكار يستنكر "
    "رفض يرفض ترفض نرفض انتقاد ينتقد انتقد مسعورة المأجورة زعزعة الرعب الطائفية فتنة الفتنة ضحايا ضحية حرب "
    "خسارة خسائر فشل فاشل فاشلة عيوب يعادي تعادي المقزز مقزز سيئ سيئة أسوأ سلبي سلبية أزمة مشكلة مشكلات "
    "قلق مخاوف كارثة ظلم الظالمين الظلمة اعتداء عدوان المعتدين احتلال الاحتلال الأشرار جردوا تهديدا خيبة "
    "غير معقولة متحامل التدخلات تدخل ينشغل عقوبات يخاطر خطأ كاذب كذب ادعاء مزاعم تضليل")
#: Negations that flip the next two words' polarity.
NEGATORS = stem_lexicon("لا لم لن ليس ليست غير عدم دون بلا ما")
#: Cue verbs that report criticism, denial or warning / support and praise.
NEGATIVE_CUES = stem_lexicon("نفى نفت ينفي رفض رفضت يرفض انتقد انتقدت ينتقد حذر حذرت يحذر محذرا اتهم اتهمت يتهم "
                             "ندد نددت استنكر استنكرت أدان أدانت هاجم هاجمت معترفا اعترف أقر")
POSITIVE_CUES = stem_lexicon("أشاد أشادت يشيد مشيدا رحب رحبت يرحب مرحبا ثمن ثمنت أثنى أثنت شكر شكرت دعا دعت "
                             "أكد أكدت مؤكدا")


def cue_words(text: str, start: int, window: int = 60) -> list[str]:
    """The normalised words of the ``window`` characters before a quote span (where its cue stands)."""
    if start <= 0:
        return []
    return _words(text[max(0, start - window):start])[-6:]


def _signed_counts(stems: Sequence[str]) -> tuple[int, int]:
    positive = negative = 0
    for i, stem in enumerate(stems):
        flipped = any(s in NEGATORS for s in stems[max(0, i - 2):i])
        if stem in POSITIVE:
            negative, positive = (negative + 1, positive) if flipped else (negative, positive + 1)
        elif stem in NEGATIVE:
            positive, negative = (positive + 1, negative) if flipped else (positive, negative + 1)
    return positive, negative


def polarity_scalars(words: Sequence[str], cue: Sequence[str], target_stems: set[str] | frozenset[str]
                     ) -> dict[str, float]:
    """Lexicon, negation, cue and target-position scalars of one quote (all in [0, 1])."""
    stems = [light_stem(w) for w in words]
    positive, negative = _signed_counts(stems)
    cue_stems = {light_stem(w) for w in cue}
    near = [i for i, s in enumerate(stems) if s in target_stems]
    near_window = {j for i in near for j in range(max(0, i - 4), min(len(stems), i + 5))}
    near_positive, near_negative = _signed_counts([s for j, s in enumerate(stems) if j in near_window])
    total = max(1, positive + negative)
    return {
        "positive": min(positive, 5) / 5, "negative": min(negative, 5) / 5,
        "positive_share": positive / total, "negative_share": negative / total,
        "more_negative": float(negative > positive), "more_positive": float(positive > negative),
        "no_evaluation": float(positive + negative == 0),
        "negation": float(any(s in NEGATORS for s in stems)),
        "cue_negative": float(bool(cue_stems & NEGATIVE_CUES)),
        "cue_positive": float(bool(cue_stems & POSITIVE_CUES)),
        "target_in_quote": float(bool(near)),
        "near_target_negative": min(near_negative, 3) / 3, "near_target_positive": min(near_positive, 3) / 3,
    }


@dataclass
class LearnedLexicon:
    """Per light stem, the smoothed log-odds of each label against the others, from training rows."""

    labels: tuple[str, ...]
    log_odds: dict[str, dict[str, float]] = field(default_factory=dict)
    min_count: int = 2

    @classmethod
    def fit(cls, documents: Iterable[Sequence[str]], labels: Sequence[str], min_count: int = 2) -> LearnedLexicon:
        """``documents``: the stems of each row; ``labels``: its label."""
        names = tuple(sorted(set(labels)))
        counts = {label: Counter() for label in names}
        totals: Counter[str] = Counter()
        for stems, label in zip(documents, labels, strict=True):
            for stem in set(stems):
                counts[label][stem] += 1
                totals[stem] += 1
        n = Counter(labels)
        log_odds: dict[str, dict[str, float]] = {}
        for stem, total in totals.items():
            if total < min_count:
                continue
            log_odds[stem] = {}
            for label in names:
                inside, outside = counts[label][stem], total - counts[label][stem]
                log_odds[stem][label] = math.log((inside + 0.5) / (n[label] + 1)) - math.log(
                    (outside + 0.5) / (len(labels) - n[label] + 1))
        return cls(names, log_odds, min_count)

    def scalars(self, stems: Sequence[str]) -> dict[str, float]:
        """Per label: the mean and the extremes of the row's stems' log-odds (squashed to [0, 1])."""
        out: dict[str, float] = {}
        known = [self.log_odds[s] for s in sorted(set(stems)) if s in self.log_odds]  # a fixed sum order
        for label in self.labels:
            values = [v[label] for v in known] or [0.0]
            mean = sum(values) / len(values)
            out[f"learned_mean={label}"] = 1 / (1 + math.exp(-mean))
            out[f"learned_max={label}"] = 1 / (1 + math.exp(-max(values)))
            out[f"learned_strong={label}"] = min(sum(1 for v in values if v > 1.0), 5) / 5
        return out


def out_of_fold_lexicon_scalars(documents: Sequence[Sequence[str]], labels: Sequence[str], folds: int = 5
                                ) -> list[dict[str, float]]:
    """:meth:`LearnedLexicon.scalars` of each training row from a lexicon fitted on the other folds."""
    out: list[dict[str, float] | None] = [None] * len(documents)
    k = max(2, min(folds, len(documents)))
    for i in range(k):
        held = range(i, len(documents), k)
        rest = [j for j in range(len(documents)) if j % k != i]
        lexicon = LearnedLexicon.fit([documents[j] for j in rest], [labels[j] for j in rest])
        for j in held:
            out[j] = lexicon.scalars(documents[j])
    full_labels = tuple(sorted(set(labels)))
    for j, scalars in enumerate(out):  # a fold missing a label: fill its columns with the neutral value
        out[j] = {f"{kind}={label}": (scalars or {}).get(f"{kind}={label}", 0.5 if kind != "learned_strong" else 0.0)
                  for label in full_labels for kind in ("learned_mean", "learned_max", "learned_strong")}
    return [dict(s) for s in out if s is not None]


def row_stems(row: Mapping[str, Any], text: str) -> list[str]:
    """The light stems of a row's quote text."""
    return [light_stem(w) for w in _words(text)]
