"""Fixtures of the leaderboard tests: a hand-built :class:`Leaderboard` for the renderers (no
scoring involved).

It has Arabic and mixed names, hostile metadata (markup, formula, pipes) and refused
submissions, so every renderer is exercised on what real submissions can contain.
"""

from __future__ import annotations

import pytest

from benchmark.leaderboard.board import BoardRow, Interval, Leaderboard, TaskBoard
from benchmark.leaderboard.discovery import Rejection
from benchmark.leaderboard.metadata import SystemInfo
from benchmark.leaderboard.ranking import Placement

HOSTILE_NAME = '<script>alert("x")</script> | *bold*'
ARABIC_TEAM = "فريق الخبر العربي"
LABELS = ("PER", "ORG", "LOC", "GPE", "DATE", "MISC")


def _row(system_id: str, info: SystemInfo, placement: Placement, score: float) -> BoardRow:
    per_label = {label: Interval(max(0.0, score - 0.05 * i), max(0.0, score - 0.05 * i - 0.06),
                                 min(1.0, score - 0.05 * i + 0.05)) for i, label in enumerate(LABELS)}
    return BoardRow(system_id=system_id, where=f"{system_id}/ner.jsonl", info=info, placement=placement,
                    headline=Interval(score, score - 0.04, score + 0.03), per_label=per_label,
                    counts={"documents": 12}, results_file=f"results/ner/{system_id}.json")


def build_sample_board() -> Leaderboard:
    rows = [
        _row("arabert", SystemInfo(name="AraBERT-CRF", team=ARABIC_TEAM, model="bert-base-arabertv02",
                                   url="https://example.org/arabert"),
             Placement("arabert", 0.82, 1, 1, None, None, None, False, False), 0.82),
        _row("camel", SystemInfo(name="كامل NER", team="CAMeL Lab"),
             Placement("camel", 0.80, 2, 1, "arabert", 0.41, 0.41, True, True), 0.80),
        _row("hostile", SystemInfo(name=HOSTILE_NAME, team="=HYPERLINK(\"http://x\")"),
             Placement("hostile", 0.61, 3, 3, "camel", 0.002, 0.0004, False, False), 0.61),
        _row("rules", SystemInfo(),
             Placement("rules", 0.35, 4, 4, "hostile", 0.0001, 0.0, False, False), 0.35),
    ]
    ner = TaskBoard(task="ner", version="1.0", dataset_revision="sha256:abc123", headline="strict_f1",
                    higher_is_better=True, labels=LABELS, per_label_metric="f1", alpha=0.05, n_resamples=1000,
                    confidence=0.95, rows=rows,
                    rejections=[Rejection("broken/ner.jsonl", ("line 2: not valid JSON", "missing doc_id d3"),
                                          "broken", "ner")])
    stance = TaskBoard(task="stance", version="1.0", dataset_revision="sha256:abc123", headline="macro_f1",
                       higher_is_better=True, labels=("favor", "against", "neutral"), per_label_metric="f1",
                       alpha=0.05, n_resamples=1000, confidence=0.95)
    return Leaderboard(boards=[ner, stance], generated="2026-11-25T01:00:00+00:00", package_version="0.1.0",
                       rejections=[Rejection("mystery.jsonl", ("cannot tell the task",))],
                       ignored=[("evil.py", "not a submission file: never opened or executed")])


@pytest.fixture(scope="session")
def sample_board() -> Leaderboard:
    """Four ranked ner systems (two sharing rank 1, one hostile), an empty stance board, refusals."""
    return build_sample_board()


# --------------------------------------------------------------------------- scored fixtures

WORDS = ("قال", "الرئيس", "في", "مؤتمر", "صحفي", "إن", "الحكومة", "ستدعم", "المشروع", "الجديد")
ENTITY_WORDS = (("بوتين", "PER"), ("الأمم المتحدة", "ORG"), ("خاركيف", "LOC"), ("روسيا", "GPE"),
                ("يناير 2024", "DATE"), ("كأس العالم", "MISC"))


def gold_articles(n_docs: int = 16) -> list[dict]:
    """``n_docs`` small Arabic articles (as Article dicts) with 4–6 entities of varied types."""
    from benchmark.model import Article, Mention

    articles = []
    for d in range(n_docs):
        parts: list[str] = []
        mentions = []
        position = 0
        for k in range(4 + d % 3):
            filler = " ".join(WORDS[(d + k + j) % len(WORDS)] for j in range(2 + (d + k) % 3))
            surface, label = ENTITY_WORDS[(d + 2 * k) % len(ENTITY_WORDS)]
            chunk = f"{filler} {surface}"
            start = position + len(filler) + 1
            mentions.append(Mention(f"m{k}", start, start + len(surface), label))
            parts.append(chunk)
            position += len(chunk) + 2
        text = "، ".join(parts) + "."
        articles.append(Article(doc_id=f"khabar/test/{d:03d}", text=text, entities=tuple(mentions)).to_dict())
    return articles


def ner_line(article: dict, keep=lambda index, entity: True) -> dict:
    """A ner submission line predicting the gold entities that ``keep`` accepts."""
    return {"doc_id": article["doc_id"],
            "entities": [{"start": e["start"], "end": e["end"], "label": e["label"]}
                         for i, e in enumerate(article["entities"]) if keep(i, e)]}


def write_jsonl(path, records) -> None:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


@pytest.fixture
def ner_arena(tmp_path):
    """A gold Article JSONL and a submissions folder with good, worse, near-identical, malformed,
    wrong-task, too-large and malicious ner submissions. Returns ``(submissions, gold, outside)``."""
    import json
    import os

    articles = gold_articles()
    gold = tmp_path / "private" / "gold.jsonl"
    write_jsonl(gold, articles)
    subs = tmp_path / "submissions"
    outside = tmp_path / "outside"
    write_jsonl(outside / "stolen.jsonl", [ner_line(a) for a in articles])

    write_jsonl(subs / "oracle" / "ner.jsonl", [ner_line(a) for a in articles])
    (subs / "oracle" / "metadata.json").write_text(json.dumps(
        {"name": "العرّاف", "team": "فريق الخبر", "model": "gold copy", "url": "https://example.org/oracle"},
        ensure_ascii=False), encoding="utf-8")
    # one entity missed in a single document: not significantly worse than the oracle
    write_jsonl(subs / "twin.ner.jsonl",
                [ner_line(a, (lambda i, e: i != 0) if n == 0 else (lambda i, e: True))
                 for n, a in enumerate(articles)])
    (subs / "twin.meta.json").write_text('{"name": "Twin", "team": "Team Twin"}', encoding="utf-8")
    # drops every third entity: clearly worse
    write_jsonl(subs / "ner" / "dropper.jsonl", [ner_line(a, lambda i, e: i % 3 != 2) for a in articles])
    # finds only people: far worse
    write_jsonl(subs / "people-only" / "submission.jsonl",
                [ner_line(a, lambda i, e: e["label"] == "PER") for a in articles])
    (subs / "people-only" / "metadata.json").write_text('{"task": "ner", "team": "=SUM(A1)"}',
                                                        encoding="utf-8")

    # refused: invalid JSON, wrong task, too large, malicious
    lines = [json.dumps(ner_line(a), ensure_ascii=False) for a in articles[1:]]
    (subs / "broken").mkdir(parents=True)
    (subs / "broken" / "ner.jsonl").write_text(lines[0] + "\n{oops\n" + "\n".join(lines[2:]) + "\n",
                                               encoding="utf-8")
    write_jsonl(subs / "confused.ner.jsonl",
                [{"doc_id": a["doc_id"], "quotes": []} for a in articles])
    (subs / "huge.ner.jsonl").write_text(" " * 300_000 + "\n", encoding="utf-8")
    write_jsonl(subs / "sneaky.ner.jsonl",
                [{"doc_id": "../../etc/passwd", "entities": []}] + [ner_line(a) for a in articles])
    (subs / "sneaky.meta.json").write_text('{"name": "../../etc/passwd"}', encoding="utf-8")
    os.symlink(outside / "stolen.jsonl", subs / "thief.ner.jsonl")
    (subs / "exploit.py").write_text(f"open({str(tmp_path / 'pwned')!r}, 'w')\n", encoding="utf-8")
    return subs, gold, outside


def quote_articles(n_docs: int = 12) -> list[dict]:
    """Articles with one direct quote (speaker named before it), an article stance and a quote stance."""
    from benchmark.model import Article, Mention, Quote, Span, Stance

    labels = ("favor", "against", "neutral")
    articles = []
    for d in range(n_docs):
        speaker, place = ("بوتين", "روسيا") if d % 2 else ("روبرت وود", "خاركيف")
        head = f"وقال {speaker}: "
        said = f"«نحن ندعم {place} في العام {2000 + d}»"
        text = head + said + f". وأكد المتحدث ذلك في {place}."
        quote_start = len(head)
        place_start = text.rindex(place)
        articles.append(Article(
            doc_id=f"khabar/q/{d:03d}", text=text,
            entities=(Mention("m1", 5, 5 + len(speaker), "PER"),
                      Mention("m2", place_start, place_start + len(place), "GPE")),
            quotes=(Quote("q1", quote_start, quote_start + len(said), "direct", cue=Span(1, 4), speaker="m1"),),
            stances=(Stance("s1", holder="article", target=place, label=labels[d % 3]),
                     Stance("s2", holder="q1", target=place, label=labels[(d + 1) % 3], target_mention="m2")),
        ).to_dict())
    return articles


@pytest.fixture(scope="session")
def kit():
    """The fixture builders of this file, for tests (conftest modules cannot be imported)."""
    from types import SimpleNamespace

    return SimpleNamespace(gold_articles=gold_articles, quote_articles=quote_articles, ner_line=ner_line,
                           write_jsonl=write_jsonl)
