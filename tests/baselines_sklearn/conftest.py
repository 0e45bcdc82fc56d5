"""Tiny fixtures for the sklearn baselines, written by the tests themselves (no corpus text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark.io import write_articles
from benchmark.model import Article, Mention, Quote, Span, Stance

PEOPLE = ["بوتين", "كيم", "وود", "نيبينزيا", "ليف", "ماكرون"]
PLACES = ["روسيا", "موسكو", "باريس", "دمشق", "القاهرة", "بكين"]
ORGS = ["مجلس الأمن", "الأمم المتحدة", "وزارة الخارجية"]


def _ner_article(i: int) -> Article:
    """A short news-like article with PER/GPE/ORG mentions, one of them behind a proclitic."""
    person, place, org = PEOPLE[i % len(PEOPLE)], PLACES[(i * 5 + 1) % len(PLACES)], ORGS[i % len(ORGS)]
    parts = ["وقال ", person, " في ", place, " إن ", org, " اجتمع أمس، وسافر ", person, " ل", place, " ."]
    labels = [None, "PER", None, "GPE", None, "ORG", None, "PER", None, "GPE", None]
    text, entities, offset = "", [], 0
    for part, label in zip(parts, labels, strict=True):
        if label:
            entities.append(Mention(f"m{len(entities) + 1}", offset, offset + len(part), label))
        text += part
        offset += len(part)
    return Article(doc_id=f"ner/{i:03d}", text=text, entities=tuple(entities), meta={"split": "train" if i < 16
                                                                                      else "test"})


@pytest.fixture()
def ner_articles_path(tmp_path: Path) -> Path:
    path = tmp_path / "ner.articles.jsonl"
    write_articles(path, [_ner_article(i) for i in range(20)])
    return path


def _quote_article(i: int) -> Article:
    """Named speaker + direct quote, then an elided continuation (وتابع: "…"), then reported speech."""
    person = PEOPLE[i % len(PEOPLE)]
    pieces = [
        ("وقال ", None), (person, "spk"), (': ', None), ('"الوضع مستقر جدا"', "q1"), (". وتابع: ", None),
        ('"سنواصل العمل معا"', "q2"), (". وأضاف ", None), (person, "spk2"), (" أن ", None),
        ("الاجتماع كان مفيدا", "q3"), ('. ونشرت صحيفة "', None), ("الأهرام", "org"), ('" الخبر، وقيل إن ', None),
        ("الوفد غادر", None), (".", None),
    ]
    text, spans, offset = "", {}, 0
    for piece, tag in pieces:
        if tag:
            spans[tag] = (offset, offset + len(piece))
        text += piece
        offset += len(piece)
    m1 = Mention("m1", *spans["spk"], "PER")
    m2 = Mention("m2", *spans["spk2"], "PER", cluster="m1")
    m3 = Mention("m3", *spans["org"], "ORG")
    cue = lambda verb: Span(text.index(verb), text.index(verb) + len(verb))  # noqa: E731
    quotes = (
        Quote("q1", *spans["q1"], "direct", cue=cue("قال"), speaker="m1"),
        Quote("q2", *spans["q2"], "direct", cue=cue("تابع"), speaker="m1", speaker_elided=True),
        Quote("q3", *spans["q3"], "indirect", cue=cue("أضاف"), speaker="m2"),
    )
    return Article(doc_id=f"quotes/{i:03d}", text=text, entities=(m1, m2, m3), quotes=quotes)


@pytest.fixture()
def quote_articles_path(tmp_path: Path) -> Path:
    path = tmp_path / "quotes.articles.jsonl"
    write_articles(path, [_quote_article(i) for i in range(6)])
    return path


STANCE_PAIRS = [
    ("ارتفاع أسعار النفط عالميا", "أسعار النفط ترتفع في الأسواق العالمية", "favor"),
    ("ارتفاع أسعار النفط عالميا", "انخفاض أسعار النفط عالميا", "against"),
    ("الذهب يرتفع لأعلى مستوى", "الذهب يسجل أعلى مستوى له", "favor"),
    ("الذهب يرتفع لأعلى مستوى", "الذهب ينخفض لأدنى مستوى", "against"),
    ("افتتاح مطار جديد في الرياض", "مباراة كرة قدم في جدة", "neutral"),
    ("زيادة عدد السياح في مصر", "عدد السياح في مصر يزداد", "favor"),
    ("زيادة عدد السياح في مصر", "تراجع عدد السياح في مصر", "against"),
    ("افتتاح مطار جديد في الرياض", "الطقس حار في الكويت", "neutral"),
]


@pytest.fixture()
def stance_articles_path(tmp_path: Path) -> Path:
    path = tmp_path / "stance.articles.jsonl"
    articles = [Article(doc_id=f"stance/{i:03d}", text=text, stances=(Stance("s1", "article", target, label),))
                for i, (target, text, label) in enumerate(STANCE_PAIRS * 2)]
    write_articles(path, articles)
    return path
