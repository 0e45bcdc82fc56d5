"""Every DESIGN §1 rule, fed bad input, gives a named error (doc_id, item, fix); valid articles round-trip."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.io import read_articles, scan_articles, write_articles
from benchmark.model import Article, ArticleError, Mention, Quote, Span, Stance, find_problems
from benchmark.schema import ANY, KHABAR, LabelSchema

TEXT = 'وقال بوتين: "أهلا بكم في روسيا".'
#       0123456789...  بوتين=[5,10)  quote=[12,31)  روسيا=[25,30)  قال=[1,4)


def good_record() -> dict:
    return {
        "doc_id": "demo/1",
        "text": TEXT,
        "title": "لقاء",
        "published": "2024-09-13",
        "entities": [
            {"id": "m1", "start": 5, "end": 10, "label": "PER"},
            {"id": "m2", "start": 25, "end": 30, "label": "GPE"},
        ],
        "quotes": [{"id": "q1", "start": 12, "end": 31, "kind": "direct", "cue": {"start": 1, "end": 4},
                    "speaker": "m1"}],
        "stances": [{"id": "s1", "holder": "q1", "target": "روسيا", "label": "favor", "target_mention": "m2"}],
    }


def problems_of(record: dict, schema: LabelSchema | None = KHABAR) -> list:
    with pytest.raises(ArticleError) as info:
        Article.from_dict(record, schema)
    return list(info.value.issues)


def test_good_record_is_valid_and_surfaces_match() -> None:
    article = Article.from_dict(good_record())
    assert article.surface(article.entities[0]) == "بوتين"
    assert article.surface(article.entities[1]) == "روسيا"
    assert article.surface(article.quotes[0].cue) == "قال"
    assert article.surface(article.quotes[0]) == '"أهلا بكم في روسيا"'
    assert article.entities[0].cluster == "m1"  # default cluster = own id
    assert find_problems(article) == []


# Each case: (how to break the record, the item named, a phrase of the message, a phrase of the fix)
def _set(path: list, value):
    def mutate(record: dict) -> None:
        target = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def _delete(key: str):
    def mutate(record: dict) -> None:
        del record[key]
    return mutate


BROKEN = {
    "span_outside_text": (_set(["entities", 0, "end"], 999), "entities[0] id='m1'", "outside the text",
                          "code-point offsets"),
    "negative_start": (_set(["entities", 0, "start"], -1), "entities[0]", "outside the text", "offsets"),
    "empty_span": (_set(["entities", 0, "end"], 5), "entities[0]", "empty or reversed", "end greater"),
    "reversed_span": (_set(["entities", 0, "start"], 12), "entities[0]", "empty or reversed", "end greater"),
    "whitespace_edge": (_set(["entities", 0, "start"], 4), "entities[0]", "white space", "trim"),
    "label_not_in_set": (_set(["entities", 0, "label"], "PERSON"), "entities[0]", "not in the khabar label set",
                         "listed labels"),
    "partial_overlap": (_set(["entities", 1], {"id": "m2", "start": 8, "end": 15, "label": "GPE"}),
                        "entities[1]", "partially overlaps", "nest but not cross"),
    "duplicate_mention": (_set(["entities", 1], {"id": "m2", "start": 5, "end": 10, "label": "ORG"}),
                          "entities[1]", "duplicates", "one mention per span"),
    "duplicate_id": (_set(["entities", 1, "id"], "m1"), "entities[1]", "used twice", "unique"),
    "cluster_unresolved": (_set(["entities", 0, "cluster"], "nope"), "entities[0]", "cluster 'nope'",
                           "id of a mention"),
    "speaker_unresolved": (_set(["quotes", 0, "speaker"], "m9"), "quotes[0] id='q1'", "speaker 'm9'",
                           "link the quote"),
    "cue_outside": (_set(["quotes", 0, "cue"], {"start": 30, "end": 40}), "quotes[0] id='q1' cue",
                    "outside the text", "offsets"),
    "bad_quote_kind": (_set(["quotes", 0, "kind"], "reported"), "quotes[0]", "kind 'reported'", "listed kinds"),
    "elided_without_speaker": (lambda r: r["quotes"][0].update(speaker=None, speaker_elided=True), "quotes[0]",
                               "speaker_elided is true", "earlier mention"),
    "holder_unresolved": (_set(["stances", 0, "holder"], "q7"), "stances[0] id='s1'", "holder 'q7'",
                          "'article'"),
    "target_empty": (_set(["stances", 0, "target"], "  "), "stances[0]", "target is empty", "topic or claim"),
    "stance_label": (_set(["stances", 0, "label"], "agree"), "stances[0]", "not in the khabar stance labels",
                     "listed labels"),
    "target_mention_unresolved": (_set(["stances", 0, "target_mention"], "m5"), "stances[0]",
                                  "target_mention 'm5'", "existing mention"),
    "reserved_id_key": (lambda r: r.update(id=7), "id", "reserved", "doc_id"),
    "unknown_field": (lambda r: r.update(colour="red"), "colour", "unknown field", "meta"),
    "missing_doc_id": (_delete("doc_id"), "doc_id", "doc_id must be a string", "doc_id"),
    "text_not_string": (_set(["text"], 5), "text", "text must be a string", "text"),
    "start_not_int": (_set(["entities", 0, "start"], "5"), "entities[0]", "start must be int", "start"),
    "bool_offset": (_set(["entities", 0, "end"], True), "entities[0]", "end must be int", "end"),
    "entities_not_list": (_set(["entities"], {"m1": 1}), "entities", "must be a list", "JSON array"),
    "bad_date": (_set(["published"], "13/09/2024"), "published", "not an ISO date", "YYYY-MM-DD"),
    "elided_not_bool": (_set(["quotes", 0, "speaker_elided"], "yes"), "quotes[0]", "true/false", "boolean"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_rule_names_doc_item_and_fix(case: str) -> None:
    mutate, item, message, fix = BROKEN[case]
    record = copy.deepcopy(good_record())
    mutate(record)
    problems = problems_of(record)
    matching = [p for p in problems if p.item.startswith(item) and message in p.message and fix in p.fix]
    assert matching, f"{case}: expected item {item!r} / {message!r} / {fix!r}, got {[str(p) for p in problems]}"
    expected_doc = record.get("doc_id") if isinstance(record.get("doc_id"), str) else "<no doc_id>"
    assert all(p.doc_id == expected_doc for p in problems)
    assert str(matching[0]).startswith(f"{expected_doc}: ")


def test_all_problems_are_listed_not_only_the_first() -> None:
    record = good_record()
    record["entities"][0]["label"] = "X"
    record["quotes"][0]["speaker"] = "nobody"
    record["stances"][0]["holder"] = "nobody"
    assert len(problems_of(record)) == 3


def test_nested_mentions_are_allowed() -> None:
    text = "مجلس الأمن الدولي"
    article = Article(doc_id="n", text=text, entities=(Mention("a", 0, 17, "ORG"), Mention("b", 5, 10, "MISC")))
    assert len(article.entities) == 2


def test_direct_construction_validates_structure() -> None:
    with pytest.raises(ArticleError, match="outside the text"):
        Article(doc_id="x", text="abc", entities=(Mention("m", 0, 9, "PER"),))
    with pytest.raises(ArticleError, match="speaker"):
        Article(doc_id="x", text="abc", quotes=(Quote("q", 0, 3, "direct", speaker="zz"),))


def test_schema_none_skips_labels_and_other_schemas_accept_their_labels() -> None:
    record = good_record()
    record["stances"][0]["label"] = "agree"
    assert Article.from_dict(record, schema=None).stances[0].label == "agree"
    assert Article.from_dict(record, schema=ANY).stances[0].label == "agree"
    ans = LabelSchema("ans", stance_labels=("agree", "disagree", "other"))
    assert Article.from_dict(record, schema=ans).stances[0].label == "agree"


def test_records_are_immutable() -> None:
    article = Article.from_dict(good_record())
    with pytest.raises(AttributeError):
        article.text = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        article.entities[0].start = 0  # type: ignore[misc]


def test_jsonl_streaming_reader_reports_line_and_continues(tmp_path) -> None:
    path = tmp_path / "a.jsonl"
    bad = good_record()
    bad["doc_id"] = "demo/2"
    bad["entities"][0]["end"] = 500
    lines = [json.dumps(good_record(), ensure_ascii=False), "{not json", json.dumps(bad, ensure_ascii=False),
             json.dumps(good_record(), ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(scan_articles(path))
    assert [n for n, _, _ in results] == [1, 2, 3, 4]
    assert results[0][1] is not None and not results[0][2]
    assert "not valid JSON" in results[1][2][0].message
    assert results[2][2][0].doc_id == "demo/2"
    assert "duplicate doc_id" in results[3][2][0].message
    with pytest.raises(ArticleError, match="line 2"):
        list(read_articles(path))


def test_reader_accepts_bom(tmp_path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_text("\ufeff" + json.dumps(good_record(), ensure_ascii=False) + "\n", encoding="utf-8")
    assert [a.doc_id for a in read_articles(path)] == ["demo/1"]


# --------------------------------------------------------------------------- property test

ALPHABET = "ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةى" + "ًٌٍَُِّْـ" + "،؛؟.:!\"«»“” \n\u200f" + "abc019"


@st.composite
def articles(draw) -> Article:
    text = draw(st.text(alphabet=ALPHABET, min_size=1, max_size=120))
    solid = [i for i, ch in enumerate(text) if not ch.isspace() and ch != "\u200f"]  # visible edges only
    if not solid:
        text = "خبر " + text
        solid = [0, 1, 2]

    def span() -> tuple[int, int]:
        a = draw(st.sampled_from(solid))
        b = draw(st.sampled_from([i for i in solid if i >= a]))
        return a, b + 1

    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for k in range(draw(st.integers(0, 5))):
        start, end = span()
        if any(s < end and start < e for s, e in taken):
            continue  # keep mentions disjoint (nesting is tested elsewhere)
        taken.append((start, end))
        mentions.append(Mention(f"m{k}", start, end, draw(st.sampled_from(KHABAR.entity_labels))))
    if len(mentions) > 1 and draw(st.booleans()):
        mentions[1] = Mention(mentions[1].id, mentions[1].start, mentions[1].end, mentions[1].label,
                              cluster=mentions[0].id)
    ids = [m.id for m in mentions]
    quotes = []
    for k in range(draw(st.integers(0, 3))):
        start, end = span()
        if any((q.start, q.end) == (start, end) for q in quotes):
            continue
        speaker = draw(st.sampled_from([None, *ids]))
        cue = Span(*span()) if draw(st.booleans()) else None
        quotes.append(Quote(f"q{k}", start, end, draw(st.sampled_from(KHABAR.quote_kinds)), cue=cue,
                            speaker=speaker, speaker_elided=bool(speaker) and draw(st.booleans())))
    holders = ["article", *[q.id for q in quotes]]
    stances = [Stance(f"s{k}", draw(st.sampled_from(holders)), draw(st.text(alphabet="ابت ثج", min_size=1,
                                                                             max_size=8)).strip() or "هدف",
                      draw(st.sampled_from(KHABAR.stance_labels)), draw(st.sampled_from([None, *ids])))
               for k in range(draw(st.integers(0, 2)))]
    return Article(doc_id=draw(st.from_regex(r"[a-z]{1,6}/[0-9]{1,4}", fullmatch=True)), text=text,
                   title=draw(st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=10))),
                   published=draw(st.sampled_from([None, "2015-07-21", "2024-09-13T10:00:00"])),
                   meta={"k": draw(st.integers())}, entities=tuple(mentions), quotes=tuple(quotes),
                   stances=tuple(stances))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(articles(), min_size=1, max_size=4, unique_by=lambda a: a.doc_id))
def test_valid_articles_round_trip_through_jsonl_unchanged(tmp_path, batch: list[Article]) -> None:
    path = tmp_path / "round.jsonl"
    assert write_articles(path, batch) == len(batch)
    assert list(read_articles(path)) == batch


def test_only_keeps_the_named_fields_and_refuses_dangling_references() -> None:
    article = Article.from_dict(good_record())
    assert article.quotes and article.stances and article.entities
    small = article.only({"entities"})
    assert (small.doc_id, small.text, small.entities) == (article.doc_id, article.text, article.entities)
    assert (small.quotes, small.stances, small.title, dict(small.meta)) == ((), (), None, {})
    assert find_problems(small) == []
    assert article.only({"entities", "quotes", "stances", "title", "meta", "provenance", "source", "url",
                         "published", "variety"}) == article
    with pytest.raises(ValueError, match="stances refer to quotes; keep them too"):
        article.only({"entities", "stances"})
    with pytest.raises(ValueError, match=r"no field\(s\) \['quote'\]"):
        article.only({"quote"})


def test_the_unvalidated_constructor_takes_the_fields_in_declaration_order() -> None:
    """``Article.only``, unpickling and ``from_records`` build articles through one helper."""
    import dataclasses
    import inspect

    from benchmark.model import _unvalidated

    assert list(inspect.signature(_unvalidated).parameters) == [f.name for f in dataclasses.fields(Article)]


# --------------------------------------------------------------------------- SOURCE mentions (guidelines 2.0 §5.7)


def test_source_mentions_are_valid_khabar_mentions_but_not_in_schemas_without_them() -> None:
    from ..support import source_article

    article = source_article()
    assert find_problems(article, KHABAR) == []
    assert Article.from_dict(article.to_dict()) == article
    anercorp = LabelSchema("anercorp", entity_labels=("PER", "ORG", "LOC", "MISC"), quote_kinds=(),
                           stance_labels=())
    problems = find_problems(article, anercorp)
    assert [p.item for p in problems if "'SOURCE'" in p.message] == ["entities[0] id='s1'", "entities[2] id='s2'"]


def test_a_cluster_mixing_source_and_entity_mentions_is_named() -> None:
    from ..support import source_article

    article = source_article()
    mixed = article.replace(entities=tuple(
        Mention(m.id, m.start, m.end, m.label, "m1") if m.id == "s2" else m for m in article.entities))
    [problem] = find_problems(mixed, KHABAR)
    assert (problem.doc_id, problem.item) == ("src/1", "entities[2] id='s2'")
    assert "not both" in problem.message and "split the cluster" in problem.fix


def test_a_source_cluster_that_speaks_no_quote_is_named() -> None:
    from ..support import source_article

    article = source_article()
    silent = article.replace(quotes=tuple(q for q in article.quotes if q.id not in ("q1", "q2")))
    [problem] = find_problems(silent, KHABAR)
    assert (problem.doc_id, problem.item) == ("src/1", "entities[0] id='s1'")
    assert "no quote's speaker" in problem.message and "said_by" in problem.fix
    # one quote spoken by any mention of the cluster is enough
    only_q2 = article.replace(quotes=tuple(q for q in article.quotes if q.id != "q1"))
    assert find_problems(only_q2, KHABAR) == []


def test_source_mentions_nest_but_never_cross() -> None:
    from ..support import source_article

    article = source_article()
    record = article.to_dict()
    record["entities"].append({"id": "m4", "start": 56, "end": 63, "label": "MISC"})  # أضاف ال|مصدر
    [problem] = problems_of(record)
    assert problem.item == "entities[2] id='s2'" and "partially overlaps entities[5] id='m4'" in problem.message
