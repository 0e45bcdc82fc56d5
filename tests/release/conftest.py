"""Fixtures for the release tests: small Khabar articles written by the tests themselves."""

from __future__ import annotations

import pytest

from benchmark.model import Article, Mention, Provenance, Quote, Span, Stance

WORDS = [
    "الحكومة",
    "الوزير",
    "المدينة",
    "الاقتصاد",
    "المشروع",
    "الشركة",
    "المجلس",
    "الرئيس",
    "الأسبوع",
    "العام",
    "السوق",
    "النفط",
    "التعليم",
    "الصحة",
    "المستشفى",
    "الطريق",
    "الميناء",
    "المطار",
    "الجامعة",
    "الملعب",
    "المنتخب",
    "الفريق",
    "البنك",
    "الاستثمار",
    "التقرير",
    "المواطنين",
    "الخدمات",
    "الطاقة",
    "المياه",
    "الزراعة",
    "السياحة",
    "الثقافة",
    "المعرض",
    "المؤتمر",
    "الاتفاقية",
    "القمة",
]


def story(seed: int, length: int = 40) -> str:
    """A deterministic pseudo-news sentence list, different for every seed."""
    step = seed % 5 + 3
    return " ".join(WORDS[(seed * 7 + i * step) % len(WORDS)] + str((seed * 31 + i) % 97) for i in range(length))


def annotated(doc_id: str, body: str, *, meta: dict | None = None) -> Article:
    """An article with every layer: a PER mention, a direct quote with cue and speaker, stances."""
    head = 'وقال بوتين: "'
    text = f'{head}{body}". وأضاف: "نعم".'
    quote_end = len(head) + len(body)
    second = text.index("نعم")
    return Article(
        doc_id=doc_id,
        text=text,
        title=f"عنوان {doc_id}",
        source="test",
        url=None,
        published="2024-01-02",
        meta=meta or {"n": 1, "note": "ع"},
        entities=(Mention("m1", 5, 10, "PER"), Mention("m2", len(head), len(head) + 5, "ORG")),
        quotes=(
            Quote("q1", len(head), quote_end, "direct", cue=Span(1, 4), speaker="m1"),
            Quote("q2", second, second + 3, "direct", cue=None, speaker="m1", speaker_elided=True),
        ),
        stances=(
            Stance("st-q1", "q1", "روسيا", "favor", target_mention=None),
            Stance("st-article", "article", "السياسة", "neutral"),
        ),
        provenance=Provenance(
            annotator="ann@example.org",
            annotation_ids=("7",),
            guidelines_version="1.0",
            lead_time=12.5,
            source="export.json",
        ),
    )


@pytest.fixture
def make_story():
    """The :func:`story` factory."""
    return story


@pytest.fixture
def make_article():
    """The :func:`annotated` factory."""
    return annotated


@pytest.fixture
def corpus() -> list[Article]:
    """24 distinct annotated articles plus two near-duplicates (republished with a signature)."""
    articles = [annotated(f"khabar/{i:03d}", story(i)) for i in range(24)]
    articles.append(annotated("khabar/dup-of-003", story(3) + " (واس)"))
    articles.append(annotated("khabar/dup-of-010", "الرياض " + story(10)))
    return articles
