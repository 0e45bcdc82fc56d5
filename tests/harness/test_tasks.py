"""Task registry and row builders."""

from __future__ import annotations

import datasets
import pytest

from benchmark.importers import IMPORTERS
from benchmark.schema import KHABAR
from benchmark.tasks import TASKS, get_task, task_names
from benchmark.tasks.stance import polar_labels


def test_registry_and_did_you_mean():
    assert task_names() == ("ner", "quotes", "stance")
    assert get_task("ner") is TASKS["ner"] and get_task(TASKS["ner"]) is TASKS["ner"]
    with pytest.raises(KeyError) as error:
        get_task("nre")
    assert str(error.value) == "Unknown task 'nre'. Did you mean 'ner'?"
    with pytest.raises(KeyError, match="Known tasks: ner, quotes, stance"):
        get_task("xyzzy")


def test_tasks_are_frozen():
    with pytest.raises(AttributeError):
        TASKS["ner"].version = "9"  # type: ignore[misc]


@pytest.mark.parametrize("name", ["ner", "quotes", "stance"])
def test_rows_fit_features_and_inputs_hide_gold(articles, name):
    task = get_task(name)
    rows = task.rows(articles)
    gold = datasets.Dataset.from_list(rows, features=task.features())
    public = datasets.Dataset.from_list([task.input_row(r) for r in rows], features=task.input_features())
    assert len(gold) == len(public) == len(rows)
    hidden = set(task.features()) - set(task.input_features())
    assert hidden and {"entities", "quotes", "label", "ner_tags"} & hidden
    assert task.headline in task.headline_metrics
    assert task.line_id(task.submission_example) is not None


def test_ner_rows(articles):
    (row,) = get_task("ner").rows(articles[1:])
    assert row["entities"] == [{"start": 4, "end": 16, "label": "PER"}, {"start": 17, "end": 31, "label": "LOC"},
                               {"start": 35, "end": 40, "label": "GPE"}]
    tags = dict(zip(row["tokens"], row["ner_tags"], strict=True))
    assert tags["كيم"] == "B-PER" and tags["أون"] == "I-PER" and tags["زار"] == "O"
    for token, span in zip(row["tokens"], row["token_spans"], strict=True):
        assert row["text"][span["start"]:span["end"]] == token


def test_quote_rows_carry_the_speaker_cluster(articles):
    (row,) = get_task("quotes").rows(articles[:1])
    first, second = row["quotes"]
    assert (first["speaker_start"], first["speaker_end"], first["cue_start"]) == (5, 10, 1)
    assert first["speaker_cluster"] == [{"start": 5, "end": 10}]
    assert second["speaker_elided"] is True
    assert get_task("quotes").input_row(row) == {"doc_id": "demo/1", "text": row["text"]}


def test_stance_rows(articles):
    task = get_task("stance")
    rows = task.rows(articles)
    # ids are a per-document counter, article holders first: nothing in them names a quote
    assert [(r["id"], r["stance_id"], r["holder_kind"]) for r in rows] == [
        ("demo/1#1", "s2", "article"), ("demo/1#2", "s1", "quote"), ("demo/2#1", "s1", "article")]
    assert (rows[1]["holder"], rows[1]["holder_start"], rows[1]["holder_end"]) == ("q1", 12, 31)
    assert rows[0]["holder_start"] == -1
    inputs = [row for article in articles for row in task.public_rows(article)]
    assert inputs == [task.input_row(row) for row in rows]
    assert set(inputs[1]) == {"id", "doc_id", "text", "target", "holder_kind"}  # no span, no quote id, no label


def test_stance_accepts_a_corpus_schema():
    ans = IMPORTERS["ans"].schema
    task = get_task("stance")
    assert task.label_names(ans) == ("agree", "disagree", "other")
    assert polar_labels(ans) == ("agree", "disagree")
    assert task.features(ans)["label"].names == ["agree", "disagree", "other"]


def test_a_source_mention_leaves_the_ner_row_unchanged():
    """SOURCE (guidelines 2.0 §5.7) is a speaker-only mention label, not an entity label: the NER
    rows (both row makers), the BIO view and the sklearn NER baseline's input ignore it."""
    from baselines.sklearn.ner import NerModel

    from ..support import source_article, without_sources

    task = get_task("ner")
    article = source_article()
    plain = without_sources(article)
    assert task.rows([article]) == task.rows([plain])
    assert task.arrow_rows([article], KHABAR).to_pylist() == task.arrow_rows([plain], KHABAR).to_pylist()
    assert "SOURCE" not in {e["label"] for e in task.rows([article])[0]["entities"]}
    model = NerModel.train([article], max_iterations=5)
    assert not any("SOURCE" in tag for tag in model.crf.classes_)


def test_quote_rows_fill_the_speaker_cluster_of_source_speakers():
    from ..support import source_article

    [row] = get_task("quotes").rows([source_article()])
    by_id = {q["id"]: q for q in row["quotes"]}
    assert by_id["q1"]["speaker_cluster"] == by_id["q2"]["speaker_cluster"] == [
        {"start": 5, "end": 34}, {"start": 61, "end": 67}]
    assert {e["label"] for e in row["entities"]} >= {"SOURCE", "ORG"}
