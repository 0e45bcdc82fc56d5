"""Small gold sets written by the tests themselves (no shared data needed)."""

from __future__ import annotations

import pytest

from benchmark.harness.gold import GoldSet
from benchmark.model import Article, Mention, Quote, Span, Stance
from benchmark.tasks import get_task

TEXT_1 = 'وقال بوتين: "أهلا بكم في روسيا". وتابع: "نحن مستعدون".'
TEXT_2 = "زار كيم جونج أون قاعدة فوستوشني في روسيا."


def make_articles() -> list[Article]:
    one = Article(
        doc_id="demo/1", text=TEXT_1,
        entities=(Mention("m1", 5, 10, "PER"), Mention("m2", 25, 30, "GPE")),
        quotes=(Quote("q1", 12, 31, "direct", cue=Span(1, 4), speaker="m1"),
                Quote("q2", 40, 53, "direct", cue=Span(34, 38), speaker="m1", speaker_elided=True)),
        stances=(Stance("s1", holder="q1", target="روسيا", label="favor", target_mention="m2"),
                 Stance("s2", holder="article", target="الزيارة", label="neutral")),
    )
    two = Article(
        doc_id="demo/2", text=TEXT_2,
        entities=(Mention("m1", 4, 16, "PER"), Mention("m2", 17, 31, "LOC"), Mention("m3", 35, 40, "GPE")),
        stances=(Stance("s1", holder="article", target="الزيارة", label="against"),),
    )
    return [one, two]


@pytest.fixture()
def articles() -> list[Article]:
    return make_articles()


@pytest.fixture()
def gold_sets(articles) -> dict[str, GoldSet]:
    return {name: GoldSet.from_rows(name, get_task(name).rows(articles)) for name in ("ner", "quotes", "stance")}


@pytest.fixture()
def articles_file(tmp_path, articles):
    from benchmark.io import write_articles

    path = tmp_path / "gold.articles.jsonl"
    write_articles(path, articles)
    return path
