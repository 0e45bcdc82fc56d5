"""``build_release``: Hub layout, exact round trip through ``datasets.load_dataset``, hidden test gold."""

from __future__ import annotations

import json

import pytest

from benchmark.release.build import PRIVATE_MARKER, RELEASE_FILE, BuildError, ReleaseSource, build_release
from benchmark.release.revision import verify_release
from benchmark.release.rows import ArticleRows
from benchmark.release.splits import Assignment, Manifest, assign_splits
from benchmark.schema import KHABAR, LabelSchema
from benchmark.tasks import get_task


def _child_configs(sources, workers):
    """The configs a build with ``workers`` processes leaves to its children."""
    from benchmark.release.build import plan_config
    from benchmark.release.workers import process_groups

    plans = [plan_config(config, kind, source.name, source.schema)
             for source in sources for kind, config in source.config_names().items()]
    return set().union(*process_groups(plans, workers)[1:])


def _manifest(articles, test_every=3):
    """A hand-made manifest: every third article in test, one in validation, the rest in train."""
    documents = {}
    for i, article in enumerate(articles):
        split = "test" if i % test_every == 0 else "validation" if i == 1 else "train"
        documents[article.doc_id] = Assignment(split, article.doc_id, "hash")
    return Manifest(documents=documents)


@pytest.fixture
def built(tmp_path, corpus):
    manifest = _manifest(corpus)
    result = build_release(
        [ReleaseSource("khabar", corpus)], manifest, tmp_path / "khabar", progress=False, batch_rows=4
    )
    return result, manifest, {a.doc_id: a for a in corpus}


def test_layout_and_release_record(built):
    result = built[0]
    public, private = result.public, result.private
    assert private.name == "khabar-private"
    for config in ("articles", "ner", "quotes", "stance"):
        names = sorted(p.name for p in (public / "data" / config).iterdir())
        assert names == [
            "test-00000-of-00001.parquet",
            "train-00000-of-00001.parquet",
            "validation-00000-of-00001.parquet",
        ]
        assert sorted(p.name for p in (private / "data" / config).iterdir()) == ["test-00000-of-00001.parquet"]
    record = json.loads((public / RELEASE_FILE).read_text(encoding="utf-8"))
    assert record["revision"] == result.revision and record["visibility"] == "public"
    assert record["tasks"] == {
        "ner": get_task("ner").version,
        "quotes": get_task("quotes").version,
        "stance": get_task("stance").version,
    }
    assert record["documents"]["khabar"]["documents"] == {"test": 9, "train": 16, "validation": 1}
    assert record["configs"]["stance"]["rows"] == {"test": 18, "train": 32, "validation": 2}
    assert "test" not in record["documents"]["khabar"]["labels"]
    assert (private / PRIVATE_MARKER).exists() and not (public / PRIVATE_MARKER).exists()
    assert verify_release(public) == [] and verify_release(private) == []


def test_load_dataset_gives_back_every_row_exactly(built):
    from datasets import load_dataset

    result, manifest, by_id = built
    layout = ArticleRows(KHABAR)
    for config in ("articles", "ner", "quotes", "stance"):
        public = load_dataset(str(result.public), config)
        private = load_dataset(str(result.private), config)
        assert set(public) == {"train", "validation", "test"} and set(private) == {"test"}
        task = None if config == "articles" else get_task(config)
        features = layout.features() if task is None else task.features(KHABAR)
        assert public["train"].features == features
        for split in ("train", "validation", "test"):
            docs = [d for d, a in sorted(manifest.documents.items()) if a.split == split]
            expected = []
            for doc_id in sorted(docs, key=list(by_id).index):
                article = by_id[doc_id]
                if task is None:
                    expected.append(layout.row(article))
                else:
                    expected.extend(features.encode_example(r) for r in task.article_rows(article, KHABAR))
            gold_columns = (
                layout.gold_columns if task is None else [c for c in features if c not in task.input_features(KHABAR)]
            )
            if split == "test":  # public: the rows of the inputs alone (e.g. tokens not cut at entities)
                assert list(private["test"]) == expected
                expected = (
                    [{**row, **dict.fromkeys(gold_columns)} for row in expected] if task is None else
                    [{**dict.fromkeys(features), **row} for d in docs for row in task.public_rows(by_id[d], KHABAR)]
                )
            assert list(public[split]) == expected, (config, split)
    articles = load_dataset(str(result.public), "articles")["train"]
    assert [layout.article(row) for row in articles] == [by_id[d] for d in by_id if manifest.split_of(d) == "train"]


def test_hidden_split_has_inputs_only(built):
    from datasets import load_dataset

    result, _, _ = built
    stance = load_dataset(str(result.public), "stance")["test"]
    assert all(row["label"] is None and row["target"] for row in stance)
    ner = load_dataset(str(result.public), "ner")["test"]
    assert all(row["entities"] is None and row["ner_tags"] is None and row["tokens"] for row in ner)


def test_parquet_columns_follow_the_encoding_policy(built):
    """Text plain (no dictionary, no statistics), span offsets in lists delta-encoded, no statistics
    inside lists, pyarrow's defaults elsewhere: in every file of both folders."""
    import pyarrow.parquet as pq

    result = built[0]
    files = sorted(result.public.glob("data/*/*.parquet")) + sorted(result.private.glob("data/*/*.parquet"))
    assert len(files) == 16
    seen = set()
    for path in files:
        metadata = pq.ParquetFile(path).metadata
        for g in range(metadata.num_row_groups):
            for c in range(metadata.num_columns):
                column = metadata.row_group(g).column(c)
                name, encodings = column.path_in_schema, set(column.encodings)
                in_list = ".list.element" in name
                if name == "text":
                    assert "RLE_DICTIONARY" not in encodings and not column.is_stats_set, path
                elif in_list and name.rsplit(".", 1)[-1] in ("start", "end"):
                    assert "DELTA_BINARY_PACKED" in encodings and "RLE_DICTIONARY" not in encodings, (path, name)
                    seen.add("delta")
                else:
                    assert column.is_stats_set is not in_list, (path, name)
                    assert column.physical_type == "BOOLEAN" or "RLE_DICTIONARY" in encodings, (path, name)
                seen.add(name)
    assert {"delta", "text", "token_spans.list.element.start", "tokens.list.element", "doc_id"} <= seen


def test_card_has_yaml_configs_counts_licence_and_how_to(built):
    import yaml

    result, _, _ = built
    card = (result.public / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(card.split("---")[1])
    assert header["language"] == ["ar"] and header["license"] == "cc-by-4.0"
    assert {c["config_name"] for c in header["configs"]} == {"articles", "ner", "quotes", "stance"}
    ner_info = next(i for i in header["dataset_info"] if i["config_name"] == "ner")
    assert {s["name"]: s["num_examples"] for s in ner_info["splits"]} == {
        "test": 9,
        "train": 16,
        "validation": 1,
    }
    assert "token-classification" in header["task_categories"]
    for needle in (result.revision, "load_dataset(", "khabar evaluate", "PER", "favor", "cc-by-4.0"):
        assert needle in card
    private_card = (result.private / "README.md").read_text(encoding="utf-8")
    assert "PRIVATE GOLD" in private_card


def test_card_names_the_guidelines_the_annotations_follow_not_only_the_current_one(built):
    from benchmark.schema import GUIDELINES_VERSION

    card = (built[0].public / "README.md").read_text(encoding="utf-8")
    line = next(line for line in card.splitlines() if line.startswith("- annotation guidelines"))
    # the corpus fixture's articles were annotated under 1.0; the package's current guidelines are newer
    assert line == f"- annotation guidelines: `1.0` in the annotations (`{GUIDELINES_VERSION}` current at build time)"


def test_build_is_reproducible_and_revision_tracks_gold(tmp_path, corpus, make_article, make_story):
    manifest = _manifest(corpus)
    one = build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "a", progress=False)
    two = build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "b", progress=False)
    assert one.revision == two.revision
    test_doc = next(a for a in corpus if manifest.split_of(a.doc_id) == "test")
    relabelled = [a.replace(stances=()) if a.doc_id == test_doc.doc_id else a for a in corpus]
    three = build_release([ReleaseSource("khabar", relabelled)], manifest, tmp_path / "c", progress=False)
    assert three.revision != one.revision  # only private gold changed, the revision still moves


def test_build_gives_the_garbage_collector_back_as_it_found_it(tmp_path, corpus):
    """build_release tunes the cyclic GC for its run (fewer passes, pre-existing objects frozen)
    and restores both afterwards, after a failed build too."""
    import gc

    before = gc.get_threshold()
    build_release([ReleaseSource("khabar", corpus)], _manifest(corpus), tmp_path / "a", progress=False)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    with pytest.raises(BuildError):
        build_release([ReleaseSource("khabar", corpus)], _manifest(corpus[:-2]), tmp_path / "b", progress=False)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_unassigned_articles_stop_the_build_and_leave_nothing(tmp_path, corpus):
    manifest = _manifest(corpus[:-2])
    with pytest.raises(BuildError, match=r"2 article\(s\) have no split \(khabar/dup-of-003, khabar/dup-of-010\)"):
        build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "out", progress=False)
    assert list(tmp_path.iterdir()) == []


def test_existing_folder_needs_overwrite(tmp_path, corpus):
    manifest = _manifest(corpus)
    build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "out", progress=False)
    with pytest.raises(BuildError, match="--overwrite"):
        build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "out", progress=False)
    again = build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "out", progress=False, overwrite=True)
    assert verify_release(again.public) == []
    (tmp_path / "stranger").mkdir()
    (tmp_path / "stranger" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BuildError, match="not a Khabar release folder"):
        build_release(
            [ReleaseSource("khabar", corpus)], manifest, tmp_path / "stranger", progress=False, overwrite=True
        )


def test_corpus_builds_its_own_config_with_official_splits_and_licence(tmp_path, corpus, make_article, make_story):
    from datasets import load_dataset

    schema = LabelSchema(name="toy", entity_labels=(), stance_labels=("agree", "disagree", "other"))
    from benchmark.model import Article, Stance

    imported = [
        Article(
            doc_id=f"toy/{i}",
            text=make_story(100 + i),
            meta={"split": "train" if i % 2 else "test"},
            stances=(Stance("s", "article", "ادعاء", ("agree", "other")[i % 2]),),
        )
        for i in range(6)
    ]
    sources = [
        ReleaseSource("khabar", corpus, kinds=("articles",)),
        ReleaseSource(
            "toy",
            imported,
            schema=schema,
            kinds=("stance",),
            license="apache-2.0",
            citation="Toy et al. 2020",
        ),
    ]
    result = build_release(sources, _manifest(corpus), tmp_path / "mixed", progress=False)
    assert result.rows["toy"] == {"test": 3, "train": 3}
    toy = load_dataset(str(result.public), "toy")
    assert toy["train"].features["label"].names == ["agree", "disagree", "other"]
    assert [r["label"] for r in toy["train"]] == [2, 2, 2]
    card = (result.public / "README.md").read_text(encoding="utf-8")
    assert "license: other" in card and "Toy et al. 2020" in card and "apache-2.0" in card
    splits = Manifest.load(result.public / "splits.json")
    assert splits.documents["toy/0"].by == "official" and len(splits) == len(corpus) + 6


def test_sharding_rolls_over_and_names_every_shard(tmp_path, corpus):
    from datasets import load_dataset

    result = build_release(
        [ReleaseSource("khabar", corpus, kinds=("articles",))],
        _manifest(corpus),
        tmp_path / "sharded",
        progress=False,
        batch_rows=2,
        shard_bytes=1,
    )
    train = sorted(p.name for p in (result.public / "data" / "articles").glob("train-*"))
    assert len(train) == 8 and train[0] == "train-00000-of-00008.parquet" and train[-1].endswith("-of-00008.parquet")
    assert len(load_dataset(str(result.public), "articles")["train"]) == 16


def test_assign_then_build_end_to_end(tmp_path, corpus):
    manifest = assign_splits(corpus, progress=False).manifest
    result = build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "e2e", progress=False)
    released = Manifest.load(result.public / "splits.json")
    assert released.splits() == manifest.splits()


def test_a_config_the_schema_cannot_support_is_refused_before_writing(tmp_path, corpus):
    no_entities = LabelSchema(name="stance-only", entity_labels=(), stance_labels=("favor", "against", "neutral"))
    articles = [a.replace(entities=(), quotes=(), stances=()) for a in corpus]
    with pytest.raises(BuildError, match="config 'toy' \\(ner rows\\) cannot be built with the stance-only"):
        build_release(
            [ReleaseSource("toy", articles, schema=no_entities, kinds=("ner",))],
            _manifest(corpus),
            tmp_path / "out",
            progress=False,
        )
    assert list(tmp_path.iterdir()) == []


def test_worker_processes_build_the_same_bytes(tmp_path, corpus):
    manifest = _manifest(corpus)
    one = build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "one", progress=False)
    two = build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "two", progress=False, workers=2)
    assert two.revision == one.revision and two.rows == one.rows
    for path in sorted((tmp_path / "one").rglob("*.parquet")):
        assert path.read_bytes() == (tmp_path / "two" / path.relative_to(tmp_path / "one")).read_bytes()


def test_workers_build_the_same_from_a_file_stream_and_from_a_one_shot_iterator(tmp_path, corpus):
    from benchmark.io import write_articles
    from benchmark.release.sources import SourceSpec, read_source

    write_articles(tmp_path / "articles.jsonl", corpus)
    manifest = _manifest(corpus)
    one = build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "one", progress=False)
    stream = read_source(SourceSpec("jsonl", tmp_path / "articles.jsonl"))
    two = build_release([ReleaseSource("khabar", stream)], manifest, tmp_path / "two", progress=False, workers=3)
    once = build_release([ReleaseSource("khabar", iter(corpus))], manifest, tmp_path / "once", progress=False,
                         workers=2)
    spread = build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "spread", progress=False,
                           workers=5)  # every config in a worker of its own; the main process only reads
    assert one.revision == two.revision == once.revision == spread.revision


def test_many_chunks_through_the_pipe_give_the_same_bytes(tmp_path, make_article, make_story):
    articles = [make_article(f"khabar/{i:04d}", make_story(i, length=8)) for i in range(700)]
    manifest = _manifest(articles)
    one = build_release([ReleaseSource("khabar", articles)], manifest, tmp_path / "one", progress=False,
                        batch_rows=50)
    two = build_release([ReleaseSource("khabar", iter(articles))], manifest, tmp_path / "two", progress=False,
                        batch_rows=50, workers=2)
    assert two.revision == one.revision and two.rows["ner"] == {"test": 234, "train": 465, "validation": 1}


def test_process_groups_balance_the_measured_costs():
    from benchmark.release.build import plan_config
    from benchmark.release.workers import process_groups

    plans = [plan_config(kind, kind, "khabar", KHABAR) for kind in ("articles", "ner", "quotes", "stance")]
    assert process_groups(plans, 1) == [{"articles", "ner", "quotes", "stance"}]
    # the main process (first) reads and converts everything: ner and the next config go to the other one
    assert process_groups(plans, 2) == [{"articles", "stance"}, {"ner", "quotes"}]
    assert process_groups(plans, 3) == [set(), {"ner"}, {"articles", "quotes", "stance"}]
    many = process_groups(plans, 8)  # one config per worker; the main process only reads and sends
    assert many[0] == set() and sorted(map(sorted, many[1:])) == [["articles"], ["ner"], ["quotes"], ["stance"]]


def test_an_error_in_another_process_stops_the_build_and_leaves_nothing(tmp_path, corpus):
    orgs_only = LabelSchema(name="orgs-only", entity_labels=("ORG",))  # the corpus also has PER mentions
    bad = [a.replace(doc_id=a.doc_id.replace("khabar/", "bad/")) for a in corpus]
    sources = [ReleaseSource("khabar", corpus, kinds=("ner",)),  # "ner" is built here, "bad" by a child
               ReleaseSource("bad", bad, schema=orgs_only, kinds=("ner",))]
    assert "bad" in _child_configs(sources, 2)
    with pytest.raises(BuildError, match=r"bad/00\d: config 'bad' cannot make its rows: .*'B-PER'"):
        build_release(sources, _manifest(corpus + bad), tmp_path / "out", progress=False, workers=2)
    assert list(tmp_path.iterdir()) == []


def test_a_worker_failing_mid_stream_stops_the_main_process_too(tmp_path, make_article, make_story):
    """Far more articles than the pipe and the sender's queue hold: the main process must not hang."""
    articles = [make_article(f"khabar/{i:04d}", make_story(i, length=4)) for i in range(3000)]
    orgs_only = LabelSchema(name="orgs-only", entity_labels=("ORG",))
    bad = [a.replace(doc_id=a.doc_id.replace("khabar/", "bad/")) for a in articles]
    sources = [ReleaseSource("khabar", articles, kinds=("ner",)),
               ReleaseSource("bad", bad, schema=orgs_only, kinds=("ner",))]
    assert "bad" in _child_configs(sources, 2)
    with pytest.raises(BuildError, match=r"bad/\d+: config 'bad' cannot make its rows: .*'B-PER'"):
        build_release(sources, _manifest(articles + bad), tmp_path / "out", progress=False, workers=2,
                      batch_rows=20)
    assert list(tmp_path.iterdir()) == []


def test_a_build_process_that_dies_is_reported(tmp_path, corpus, monkeypatch):
    import os

    import benchmark.release.build as build_module

    monkeypatch.setattr(build_module, "build_in_worker", lambda *args: os._exit(3))
    with pytest.raises(BuildError, match=r"a build process died \(exit code 3\).*--workers 1"):
        build_release([ReleaseSource("khabar", corpus)], _manifest(corpus), tmp_path / "out", progress=False,
                      workers=2)
    assert list(tmp_path.iterdir()) == []


def test_a_row_error_names_the_document_and_config_also_from_a_worker(tmp_path, corpus):
    orgs_only = LabelSchema(name="orgs-only", entity_labels=("ORG",))  # the corpus also has PER mentions
    for workers in (1, 2):
        with pytest.raises(BuildError, match=r"khabar/000: config 'toy' cannot make its rows: .*'B-PER'"):
            build_release(
                [ReleaseSource("toy", corpus, schema=orgs_only, kinds=("ner",))],
                _manifest(corpus),
                tmp_path / f"w{workers}",
                progress=False,
                workers=workers,
            )
        assert not (tmp_path / f"w{workers}").exists()


def test_source_mentions_are_released_and_counted_apart_from_entities(tmp_path, corpus):
    """SOURCE (guidelines 2.0 §5.7): the articles config carries it as the last class (entity class ids
    unchanged), the quotes config's entities carry it (speaker clusters filled), the ner config does not;
    the record and card count SOURCE mentions apart and quotes by speaker type."""
    from datasets import load_dataset

    from ..support import source_article

    article = source_article("khabar/src-1")
    articles = [*corpus, article]
    documents = dict(_manifest(corpus).documents)
    documents[article.doc_id] = Assignment("train", article.doc_id, "hash")
    result = build_release([ReleaseSource("khabar", articles)], Manifest(documents=documents), tmp_path / "k",
                           progress=False)
    train = result.release["documents"]["khabar"]["labels"]["train"]
    assert train["sources"] == {"SOURCE": 2} and "SOURCE" not in train["entities"]
    assert train["quote speakers"]["source/named"] == 2 and train["quote speakers"]["entity/named"] >= 1
    card = (result.public / "README.md").read_text(encoding="utf-8")
    assert "`sources` counts the `SOURCE` mentions" in card and "SOURCE 2" in card

    rows = load_dataset(str(result.public), "articles")["train"]
    assert rows.features["entities"].feature["label"].names == [*KHABAR.entity_labels, "SOURCE"]
    [row] = [r for r in rows if r["doc_id"] == article.doc_id]
    assert ArticleRows(KHABAR).article(row) == article
    [ner] = [r for r in load_dataset(str(result.public), "ner")["train"] if r["doc_id"] == article.doc_id]
    assert len(ner["entities"]) == 3
    [quotes] = [r for r in load_dataset(str(result.public), "quotes")["train"] if r["doc_id"] == article.doc_id]
    assert [len(q["speaker_cluster"]) for q in quotes["quotes"]] == [2, 2, 1]
