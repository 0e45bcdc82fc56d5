"""Inputs of a release (JSONL, Label Studio export, importer) and the compiled row encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.release.card import render_card
from benchmark.release.encode import compile_encoder
from benchmark.release.sources import SourceError, iter_json_array, parse_source
from benchmark.schema import KHABAR
from benchmark.tasks import get_task


@settings(max_examples=60, deadline=None)
@given(
    items=st.lists(
        st.dictionaries(
            st.text(max_size=5),
            st.one_of(st.integers(), st.text(max_size=30), st.lists(st.integers(), max_size=3)),
            max_size=4,
        ),
        max_size=8,
    ),
    chunk=st.integers(min_value=1, max_value=64),
    indent=st.sampled_from([None, 1]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_iter_json_array_streams_any_list_of_objects(tmp_path_factory, items, chunk, indent, encoding, newline):
    """Any items, any chunk size (multi-byte characters cut between chunks), with or without a BOM, LF or CRLF."""
    path = tmp_path_factory.mktemp("json") / "export.json"
    path.write_text(json.dumps(items, ensure_ascii=False, indent=indent), encoding=encoding, newline=newline)
    assert list(iter_json_array(path, chunk_bytes=chunk)) == items


def test_iter_json_array_names_the_byte_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('[{"text": "قال"}, {"text": "caf'.encode() + b"\xe9" + b'"}]')
    assert next(iter_json_array(path, chunk_bytes=8)) == {"text": "قال"}
    for chunk in (1, 7, 8, 35, 1 << 20):  # the bad byte inside a chunk, or held over from the one before
        with pytest.raises(SourceError, match=r"latin1.json: not UTF-8 text \(invalid continuation byte at byte 34\)"):
            list(iter_json_array(path, chunk_bytes=chunk))


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"a": 1}', "expected a JSON list"),
        ('[{"a": 1} {"b": 2}]', "item 1: expected ','"),
        ('[{"a": 1}, {"b": ]', "item 1 is not valid JSON"),
    ],
)
def test_iter_json_array_names_the_broken_item(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        list(iter_json_array(path))


def test_parse_source_kinds_and_errors(tmp_path):
    assert parse_source(str(tmp_path / "a.jsonl")).kind == "jsonl"
    assert parse_source(str(tmp_path / "export.json")).kind == "studio"
    spec = parse_source("ans:/data/ans")
    assert (spec.kind, spec.name, spec.schema().name) == ("corpus", "ans", "ans")
    with pytest.raises(SourceError, match="no importer named 'nope'"):
        parse_source("nope:/x")
    with pytest.raises(SourceError, match="cannot tell what this input is"):
        parse_source(str(tmp_path / "data.csv"))


@pytest.mark.parametrize("task_name", ["ner", "quotes", "stance"])
def test_compiled_encoder_equals_datasets_encode_example(task_name, corpus):
    task = get_task(task_name)
    features = task.features(KHABAR)
    encode = compile_encoder(features)
    rows = task.rows(corpus, KHABAR)
    assert rows
    assert [encode(row) for row in rows] == [features.encode_example(row) for row in rows]


@pytest.mark.parametrize("task_name", ["ner", "quotes", "stance"])
def test_vectorised_task_rows_equal_the_encoded_rows(corpus, task_name):
    """A task's arrow_rows (what the build writes) equals article_rows + encoding, row for row,
    on the test corpus and on the committed gold sample."""
    import pyarrow as pa

    from benchmark.release.sources import SourceSpec, read_source

    task = get_task(task_name)
    features = task.features(KHABAR)
    encode = compile_encoder(features)
    sample = Path(__file__).resolve().parents[2] / "annotations" / "gold" / "sample.json"
    for articles in (corpus, list(read_source(SourceSpec("studio", sample))), corpus[:1], []):
        expected = pa.Table.from_pylist([encode(row) for row in task.rows(articles, KHABAR)],
                                        schema=features.arrow_schema)
        assert task.arrow_rows(articles, KHABAR).equals(expected)


def test_ner_rows_of_a_batch_too_large_for_32_bit_offsets(corpus, monkeypatch):
    """Batches of 512M code points or more take 64-bit byte offsets (``TokenBatch.byte_offsets``):
    the rows are the same (the offsets are widened here rather than a batch that large made)."""
    from benchmark.text.batch import TokenBatch

    task = get_task("ner")
    expected = task.arrow_rows(corpus, KHABAR)
    narrow = TokenBatch.byte_offsets
    monkeypatch.setattr(TokenBatch, "byte_offsets", lambda self: tuple(a.astype("int64") for a in narrow(self)))
    assert task.arrow_rows(corpus, KHABAR).equals(expected)


@pytest.mark.parametrize("task_name", ["ner", "quotes", "stance"])
def test_task_rows_read_only_the_declared_article_fields(task_name, corpus):
    """``khabar build`` sends a worker only a task's ``article_fields`` (Article.only): its rows
    of the reduced articles must be the rows of the full ones (quotes, stances, meta, provenance
    and title all present in the corpus and the gold sample)."""
    from benchmark.release.sources import SourceSpec, read_source

    task = get_task(task_name)
    assert task.article_fields is not None
    sample = Path(__file__).resolve().parents[2] / "annotations" / "gold" / "sample.json"
    articles = [*corpus, *read_source(SourceSpec("studio", sample))]
    reduced = [article.only(task.article_fields) for article in articles]
    assert any(r != a for r, a in zip(reduced, articles, strict=True))  # something was left out
    assert task.rows(reduced, KHABAR) == task.rows(articles, KHABAR)
    if task.arrow_rows is not None:
        assert task.arrow_rows(reduced, KHABAR).equals(task.arrow_rows(articles, KHABAR))


@pytest.mark.parametrize("schema_name", ["khabar", "any"])
def test_vectorised_articles_table_equals_the_encoded_rows(corpus, schema_name):
    """The ``articles`` config's column-by-column table (what the build writes) equals its rows
    made into Arrow, with class ids (closed label sets) or label strings (open ones)."""
    import pyarrow as pa

    from benchmark.release.rows import ArticleRows
    from benchmark.release.sources import SourceSpec, read_source
    from benchmark.schema import ANY

    layout = ArticleRows(KHABAR if schema_name == "khabar" else ANY)
    schema = layout.features().arrow_schema
    sample = Path(__file__).resolve().parents[2] / "annotations" / "gold" / "sample.json"
    gold = list(read_source(SourceSpec("studio", sample)))
    for articles in (corpus, gold, corpus[:1], []):
        expected = pa.Table.from_pylist([layout.row(a) for a in articles], schema=schema)
        assert layout.table(articles).equals(expected)


def test_compiled_encoder_refuses_unknown_labels_and_falls_back_for_other_features():
    import datasets
    from datasets import ClassLabel, Features, Image, List, Value

    features = Features({"tags": List(ClassLabel(names=["O", "B-PER"])), "n": Value("int32")})
    encode = compile_encoder(features)
    assert encode({"tags": [0, "B-PER"], "n": 3}) == {"tags": [0, 1], "n": 3}
    with pytest.raises(ValueError, match="class id 7 is out of range"):
        encode({"tags": [7], "n": 1})
    if hasattr(datasets, "Json"):  # datasets >= 4.7: encoded like encode_example, an object as JSON text
        with_json = Features({"meta": datasets.Json(), "n": Value("int32")})
        row = {"meta": {"b": 1, "a": "ع"}, "n": 3}
        assert compile_encoder(with_json)(row) == {"meta": '{"a": "ع", "b": 1}', "n": 3}
    with_image = Features({"img": Image(), "n": Value("int32")})
    assert compile_encoder(with_image) == with_image.encode_example


def test_card_renders_agreement_figures_and_multiple_licences():
    from datasets import Features, Value

    features = Features({"doc_id": Value("string")}).to_dict()
    record = {
        "name": "Khabar",
        "revision": "f" * 64,
        "package_version": "0.1.0",
        "guidelines_version": "1.0",
        "hidden_split": "test",
        "tasks": {"ner": "1.0"},
        "documents": {
            "khabar": {
                "documents": {"train": 2, "test": 1},
                "labels": {"train": {"entities": {"PER": 3}}},
                "guidelines_versions": {"1.0": 2},
            }
        },
        "configs": {
            "articles": {
                "kind": "articles",
                "source": "khabar",
                "task_version": None,
                "gold_columns": ["entities"],
                "features": features,
                "rows": {"train": 2, "test": 1},
                "num_bytes": {"train": 10, "test": 5},
                "submission_example": None,
            }
        },
        "sources": {
            "khabar": {"license": "cc-by-4.0", "citation": "Khabar 2026", "description": "", "homepage": ""},
            "ans": {
                "license": "Apache-2.0 (README badge)",
                "citation": "Khouja 2020",
                "description": "",
                "homepage": "",
            },
        },
        "agreement": {"entities": {"span_f1": 0.8734, "kappa": 0.71}, "stance": {"alpha": 0.64}},
    }
    card = render_card(record)
    assert "| `entities.span_f1` | 0.8734 |" in card and "| `stance.alpha` | 0.64 |" in card
    assert "license: other" in card and "Khouja 2020" in card and "PER 3" in card
