"""Fixtures for the transformer baseline tests: a tiny BERT and a WordPiece tokenizer, both built
in the test session from the tests' own Arabic sentences (no download), and small Article JSONL files.

The tiny model (hidden 32, 2 layers, 2 heads) learns the toy data in a few dozen CPU steps, so
the tests can check that training, windowing, prediction, span decoding and scoring fit together.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark.io import write_articles
from benchmark.model import Article, Mention, Quote, Span, Stance

# (text, [(surface, label), ...]) — surfaces are located in the text below, so offsets are exact.
NER_SENTENCES = [
    ("وقال بوتين إن روسيا ستدعم كوريا الشمالية.", [("بوتين", "PER"), ("روسيا", "GPE"), ("كوريا الشمالية", "GPE")]),
    ("وأكد كيم جونج أون أن العلاقات مع روسيا قوية.", [("كيم جونج أون", "PER"), ("روسيا", "GPE")]),
    ("وزار بوتين قاعدة فوستوشني الفضائية.", [("بوتين", "PER"), ("قاعدة فوستوشني الفضائية", "LOC")]),
    ("وقال روبرت وود في مجلس الأمن إن الصواريخ سقطت في خاركيف.",
     [("روبرت وود", "PER"), ("مجلس الأمن", "ORG"), ("خاركيف", "GPE")]),
    ("واجتمع مجلس الأمن يوم الثلاثاء لبحث الوضع في كوريا الشمالية.", [("مجلس الأمن", "ORG"),
                                                                     ("كوريا الشمالية", "GPE")]),
    ("وأشاد كيم جونج أون بقرارات بوتين.", [("كيم جونج أون", "PER"), ("بوتين", "PER")]),
]
EXTRA_SENTENCES = [
    "وتابع: \"سنواصل العمل معا\".", "وأخبر الزعيم الكوري الشمالي نظيره الروسي أن البلدين صديقان.",
    "المصدر: وكالات", "يعارض الكاتب صفقات السلاح ويؤيد الحوار.", "الصواريخ تهديد للسلام.",
]


def locate(text: str, surface: str, after: int = 0) -> tuple[int, int]:
    start = text.index(surface, after)
    return start, start + len(surface)


def ner_article(doc_id: str, text: str, mentions: list[tuple[str, str]]) -> Article:
    entities, cursor = [], 0
    for i, (surface, label) in enumerate(mentions):
        start, end = locate(text, surface, cursor)
        cursor = end
        entities.append(Mention(f"m{i}", start, end, label))
    return Article(doc_id=doc_id, text=text, entities=tuple(entities))


def ner_articles() -> list[Article]:
    """Two-sentence articles (plus one long one made of all sentences) with exact offsets."""
    articles = []
    for i in range(0, len(NER_SENTENCES), 2):
        (t1, m1), (t2, m2) = NER_SENTENCES[i], NER_SENTENCES[i + 1]
        articles.append(ner_article(f"toy/ner/{i // 2}", f"{t1} {t2}", m1 + m2))
    return articles


QUOTE_TEXT = ('وقال بوتين: "سيدي الرئيس العزيز". وتابع: "سنواصل العمل معا". '
              'وأكد كيم جونج أون أن العلاقات قوية.')


def quote_article(doc_id: str, text: str = QUOTE_TEXT) -> Article:
    putin, kim = locate(text, "بوتين"), locate(text, "كيم جونج أون")
    q1 = locate(text, '"سيدي الرئيس العزيز"')
    q2 = locate(text, '"سنواصل العمل معا"')
    q3 = locate(text, "أن العلاقات قوية")
    return Article(
        doc_id=doc_id, text=text,
        entities=(Mention("m1", *putin, "PER"), Mention("m2", *kim, "PER")),
        quotes=(Quote("q1", *q1, "direct", cue=Span(1, 4), speaker="m1"),
                Quote("q2", *q2, "direct", speaker="m1", speaker_elided=True),
                Quote("q3", *q3, "indirect", speaker="m2")),
    )


def stance_articles() -> list[Article]:
    favor = "يؤيد الكاتب الحوار مع روسيا ويرى أنه طريق السلام."
    against = "يرفض الكاتب صفقات السلاح ويرى أنها تهديد للسلام."
    return [Article(doc_id=f"toy/stance/{i}", text=text,
                    stances=(Stance("s1", "article", "الحوار مع روسيا" if i % 2 == 0 else "صفقات السلاح", label),))
            for i, (text, label) in enumerate([(favor, "favor"), (against, "against")] * 3)]


def all_sentences() -> list[str]:
    return [t for t, _ in NER_SENTENCES] + EXTRA_SENTENCES + [QUOTE_TEXT] + [
        a.text for a in stance_articles()] + ["الحوار مع روسيا", "صفقات السلاح"]


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread():
    """One intra-op thread: the tiny model's tensors are too small to gain from more, and on a
    shared 2-core machine extra threads spin against other processes (ten times slower here)."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a tiny random BERT (hidden 32, 2 layers, 2 heads) and a WordPiece tokenizer
    trained on the test sentences (:func:`baselines.transformers.tiny.build_tiny_bert`)."""
    from baselines.transformers.tiny import build_tiny_bert

    return build_tiny_bert(all_sentences() * 3, tmp_path_factory.mktemp("tiny-bert"), vocab_size=400)


@pytest.fixture()
def ner_file(tmp_path: Path) -> Path:
    path = tmp_path / "ner.jsonl"
    write_articles(path, ner_articles())
    return path


@pytest.fixture()
def quote_file(tmp_path: Path) -> Path:
    path = tmp_path / "quotes.jsonl"
    write_articles(path, [quote_article(f"toy/quotes/{i}") for i in range(3)])
    return path


@pytest.fixture()
def stance_file(tmp_path: Path) -> Path:
    path = tmp_path / "stance.jsonl"
    write_articles(path, stance_articles())
    return path


@pytest.fixture(scope="session")
def toy():
    """The builders above, for test modules (conftest is not importable under --import-mode=importlib)."""
    from types import SimpleNamespace

    return SimpleNamespace(ner_articles=ner_articles, quote_article=quote_article, stance_articles=stance_articles,
                           locate=locate, QUOTE_TEXT=QUOTE_TEXT)
