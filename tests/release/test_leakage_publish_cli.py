"""``khabar split/build/leakage/publish`` on small folders built by the tests."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from benchmark.cli import main
from benchmark.io import write_articles
from benchmark.release.build import ReleaseSource, build_release
from benchmark.release.leakage import find_leakage
from benchmark.release.publish import PublishError, check_publishable, publish_folder
from benchmark.release.splits import Assignment, Manifest


def _leaky_manifest(corpus):
    """Puts khabar/003 in train and its republished copy in test: a leak."""
    documents = {a.doc_id: Assignment("train", a.doc_id, "hash") for a in corpus}
    documents["khabar/dup-of-003"] = Assignment("test", "khabar/dup-of-003", "hash")
    documents["khabar/005"] = Assignment("test", "khabar/005", "hash")
    return Manifest(documents=documents)


def test_leakage_finds_the_cross_split_near_duplicate(tmp_path, corpus):
    result = build_release(
        [ReleaseSource("khabar", corpus)], _leaky_manifest(corpus), tmp_path / "leaky", progress=False
    )
    report = find_leakage(result.public, progress=False)
    assert report.leaks and report.documents == len(corpus)
    assert [(p.first_doc, p.second_doc) for p in report.pairs] in (
        [("khabar/003", "khabar/dup-of-003")],
        [("khabar/dup-of-003", "khabar/003")],
    )
    assert "LEAK" in report.summary()
    assert set(report.configs) == {"articles", "ner", "quotes", "stance"}


def test_leakage_command_exit_codes_and_json(tmp_path, corpus, capsys):
    leaky = build_release(
        [ReleaseSource("khabar", corpus)], _leaky_manifest(corpus), tmp_path / "leaky", progress=False
    )
    assert main(["leakage", str(leaky.public), "--no-progress", "--report", str(tmp_path / "l.json")]) == 1
    data = json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))
    assert len(data["pairs"]) == 1 and data["pairs"][0]["exact"] is False
    capsys.readouterr()
    assert main(["leakage", str(leaky.public), "--no-progress", "--json"]) == 1  # the same report on stdout
    assert json.loads(capsys.readouterr().out) == data
    clean_manifest = Manifest(documents={a.doc_id: Assignment("train", a.doc_id, "hash") for a in corpus})
    clean = build_release([ReleaseSource("khabar", corpus)], clean_manifest, tmp_path / "clean", progress=False)
    assert main(["leakage", str(clean.public), "--quiet"]) == 0
    assert main(["leakage", str(tmp_path / "nowhere"), "--quiet"]) == 2
    assert "no parquet files" in capsys.readouterr().err


def test_same_doc_id_in_two_splits_is_leakage(tmp_path, corpus):
    result = build_release(
        [ReleaseSource("khabar", corpus, kinds=("articles",))],
        _leaky_manifest(corpus),
        tmp_path / "twice",
        progress=False,
    )
    source = result.public / "data" / "articles" / "test-00000-of-00001.parquet"
    pq.write_table(pq.read_table(source), result.public / "data" / "articles" / "validation-00000-of-00001.parquet")
    report = find_leakage(result.public, progress=False)
    assert report.doc_ids_in_several_splits["khabar/005"] == ["test", "validation"]


def test_publish_refuses_private_gold_and_tampered_folders(tmp_path, corpus):
    result = build_release([ReleaseSource("khabar", corpus)], _leaky_manifest(corpus), tmp_path / "rel", progress=False)
    assert check_publishable(result.public) == []
    assert "private gold folder" in check_publishable(result.private)[0]
    with pytest.raises(PublishError, match="refusing to publish"):
        publish_folder(result.private, "org/name")  # refused before any network call
    # Copy the private gold over the public test file: labels would leak.
    name = "data/stance/test-00000-of-00001.parquet"
    (result.public / name).write_bytes((result.private / name).read_bytes())
    problems = check_publishable(result.public)
    assert any("carry gold in column 'label'" in p for p in problems)
    assert any("changed since the build" in p for p in problems)
    assert main(["publish", str(result.public), "--repo", "org/name", "--check"]) == 1


def test_split_command_stratifies_and_inherits(tmp_path, corpus, capsys):
    from dataclasses import replace

    articles = tmp_path / "articles.jsonl"
    outlets = [replace(a, source=("east" if i % 2 else "west")) for i, a in enumerate(corpus)]
    write_articles(articles, outlets[:10])
    old = tmp_path / "v1.json"
    assert main(["split", str(articles), "--manifest", str(old), "--quiet"]) == 0
    write_articles(articles, outlets)
    new = tmp_path / "v2.json"
    assert main(["split", str(articles), "--manifest", str(new), "--quiet", "--stratify", "source",
                 "--inherit", str(old), "--ratios", "train=0.6,validation=0.1,test=0.3"]) == 0
    first, second = Manifest.load(old), Manifest.load(new)
    assert second.stratify == "source" and len(second) == len(corpus)
    assert all(second.split_of(d) == a.split for d, a in first.documents.items())
    assert main(["split", str(articles), "--manifest", str(new), "--quiet", "--inherit", str(old)]) == 2
    assert "new manifest" in capsys.readouterr().err


def test_split_then_build_commands(tmp_path, corpus, capsys):
    articles = tmp_path / "articles.jsonl"
    write_articles(articles, corpus[:20])
    manifest = tmp_path / "manifest.json"
    assert main(["split", str(articles), "--manifest", str(manifest), "--quiet"]) == 0
    first = Manifest.load(manifest)
    write_articles(articles, corpus)
    assert main(["split", str(articles), "--manifest", str(manifest), "--quiet", "--ratios", "train=1"]) == 2
    assert "differs from the manifest" in capsys.readouterr().err
    assert main(["split", str(articles), "--manifest", str(manifest), "--quiet"]) == 0
    second = Manifest.load(manifest)
    assert all(second.documents[d] == a for d, a in first.documents.items()) and len(second) == len(corpus)
    out = tmp_path / "release"
    assert main(["build", str(articles), "--manifest", str(manifest), "--out", str(out), "--quiet"]) == 0
    assert (out / "README.md").exists() and (tmp_path / "release-private" / "KHABAR_PRIVATE_GOLD").exists()
    assert main(["build", str(articles), "--manifest", str(manifest), "--out", str(out), "--quiet"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert main(["leakage", str(out), "--quiet"]) == 0


def test_build_command_reads_a_label_studio_export(tmp_path, corpus):
    from datasets import load_dataset

    from benchmark.release.rows import ArticleRows
    from benchmark.studio.convert import articles_to_export, write_export

    export = write_export(tmp_path / "export.json", articles_to_export(corpus[:6]))
    manifest = Manifest(documents={a.doc_id: Assignment("train", a.doc_id, "hash") for a in corpus[:6]})
    manifest.save(tmp_path / "m.json")
    out = tmp_path / "from-studio"
    assert (
        main(
            [
                "build",
                str(export),
                "--manifest",
                str(tmp_path / "m.json"),
                "--out",
                str(out),
                "--quiet",
                "--configs",
                "articles",
            ]
        )
        == 0
    )
    layout = ArticleRows()
    loaded = [layout.article(r) for r in load_dataset(str(out), "articles")["train"]]
    assert [a.doc_id for a in loaded] == [a.doc_id for a in corpus[:6]]
    assert [len(a.entities) for a in loaded] == [len(a.entities) for a in corpus[:6]]


def test_build_command_refuses_unreleasable_export(tmp_path, corpus, capsys):
    from benchmark.studio.convert import articles_to_export, write_export

    twice = [
        corpus[0],
        corpus[0].replace(provenance=corpus[0].provenance.__class__(annotator="other@example.org")),
    ]
    export = write_export(tmp_path / "export.json", articles_to_export(twice))
    assert main(["build", str(export), "--out", str(tmp_path / "x"), "--quiet"]) == 2
    assert "has 2 annotations" in capsys.readouterr().err


def test_harness_scores_against_the_private_gold_of_a_build(tmp_path, corpus):
    """The built folders are what `khabar evaluate` reads: gold-as-prediction scores 1.0 on the
    private test gold, under the build's revision; the public test split is refused as gold."""
    manifest = Manifest(
        documents={
            a.doc_id: Assignment("test" if i % 3 == 0 else "train", a.doc_id, "hash") for i, a in enumerate(corpus)
        }
    )
    result = build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "rel", progress=False)
    submission = tmp_path / "sub.jsonl"
    submission.write_text(
        "".join(
            json.dumps(
                {
                    "doc_id": a.doc_id,
                    "entities": [{"start": m.start, "end": m.end, "label": m.label} for m in a.entities],
                },
                ensure_ascii=False,
            )
            + "\n"
            for a in corpus
            if manifest.split_of(a.doc_id) == "test"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "results"
    assert (
        main(
            [
                "evaluate",
                "--task",
                "ner",
                "--submission",
                str(submission),
                "--dataset",
                str(result.private),
                "--split",
                "test",
                "--resamples",
                "20",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    scored = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert scored["dataset"]["revision"] == result.revision
    assert scored["headline"]["value"] == 1.0 and scored["n_documents"] == 9
    assert (
        main(
            [
                "validate-submission",
                "--task",
                "ner",
                str(submission),
                "--dataset",
                str(result.public),
                "--split",
                "test",
            ]
        )
        != 0
    )


def test_leakage_reads_other_hub_layouts(tmp_path, make_story):
    """A single-config folder (data/<split>-….parquet) and the Hub's parquet conversion
    (<config>/<split>/0000.parquet) are read too; ids fall back to `id`."""
    import pyarrow as pa

    single = tmp_path / "single" / "data"
    single.mkdir(parents=True)
    pq.write_table(pa.table({"id": ["a"], "text": [make_story(1)]}), single / "train-00000-of-00001.parquet")
    pq.write_table(pa.table({"id": ["b"], "text": [make_story(1) + " انتهى"]}), single / "test-00000-of-00001.parquet")
    report = find_leakage(tmp_path / "single", progress=False)
    assert [(p.first_split, p.first_doc, p.second_split, p.second_doc) for p in report.pairs] in (
        [("test", "b", "train", "a")],
        [("train", "a", "test", "b")],
    )
    converted = tmp_path / "converted" / "default"
    for split, doc in (("train", "x"), ("validation", "y")):
        (converted / split).mkdir(parents=True)
        pq.write_table(pa.table({"doc_id": [doc], "text": [make_story(2)]}), converted / split / "0000.parquet")
    report = find_leakage(tmp_path / "converted", progress=False)
    assert report.configs == ["default"] and len(report.pairs) == 1 and report.pairs[0].exact


def test_split_reads_an_unadjudicated_export_and_build_refuses_it(tmp_path, corpus, capsys):
    from benchmark.release.sources import SourceSpec, read_source
    from benchmark.studio.convert import articles_to_export, write_export

    other = corpus[0].replace(provenance=corpus[0].provenance.__class__(annotator="other@example.org"))
    export = write_export(tmp_path / "export.json", articles_to_export([corpus[0], other, *corpus[1:5]]))
    texts = list(read_source(SourceSpec("studio", export), texts_only=True))
    assert [a.doc_id for a in texts] == [a.doc_id for a in corpus[:5]] and texts[0].entities == ()
    manifest = tmp_path / "m.json"
    assert main(["split", str(export), "--manifest", str(manifest), "--quiet"]) == 0
    assert len(Manifest.load(manifest)) == 5
    assert main(["build", str(export), "--manifest", str(manifest), "--out", str(tmp_path / "x"), "--quiet"]) == 2
    assert "has 2 annotations" in capsys.readouterr().err


def test_build_from_an_export_with_worker_processes_gives_the_same_bytes(tmp_path, corpus, capsys):
    from benchmark.studio.convert import articles_to_export, write_export

    export = write_export(tmp_path / "export.json", articles_to_export(corpus))
    manifest = tmp_path / "m.json"
    Manifest(
        documents={
            a.doc_id: Assignment("test" if i % 3 == 0 else "train", a.doc_id, "hash") for i, a in enumerate(corpus)
        }
    ).save(manifest)
    revisions = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        assert (
            main(
                ["build", str(export), "--manifest", str(manifest), "--out", str(out), "--quiet", "--workers", workers]
            )
            == 0
        )
        revisions.append(json.loads((out / "khabar_release.json").read_text(encoding="utf-8"))["revision"])
    assert revisions[0] == revisions[1]
    tasks = json.loads(export.read_text(encoding="utf-8"))
    tasks[20]["annotations"][0]["result"][0]["value"]["start"] = 10_000  # a region outside the text
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert (
        main(
            [
                "build",
                str(export),
                "--manifest",
                str(manifest),
                "--out",
                str(tmp_path / "bad"),
                "--quiet",
                "--workers",
                "2",
            ]
        )
        == 2
    )
    assert f"task {tasks[20]['id']} cannot be released" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()


def test_publish_offline_says_why_in_one_line(tmp_path, corpus, capsys, monkeypatch):
    """Offline (HF_HUB_OFFLINE=1, as in every test) the upload fails: one line, the cause and the fix,
    no traceback (issue #16: it printed a 35-line traceback)."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    manifest = Manifest(documents={a.doc_id: Assignment("train", a.doc_id, "hash") for a in corpus})
    result = build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "k", progress=False)
    assert main(["publish", str(result.public), "--repo", "org/name"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "offline mode is on (HF_HUB_OFFLINE=1)" in err and "fix: unset HF_HUB_OFFLINE" in err


def test_hub_failures_are_one_line_with_a_fix():
    from benchmark.release.publish import hub_failure

    message = hub_failure(ConnectionError("Name or service not known"), "org/name")
    assert "cannot reach the Hugging Face Hub" in message and "(fix: " in message and "\n" not in message


def test_card_describes_only_the_splits_the_build_has(tmp_path, corpus):
    """A build without a test split (the bundled sample) says so, and points at a split it has."""
    manifest = Manifest(documents={a.doc_id: Assignment("train", a.doc_id, "hash") for a in corpus})
    card = (build_release([ReleaseSource("khabar", corpus)], manifest, tmp_path / "train-only", progress=False)
            .public / "README.md").read_text(encoding="utf-8")
    assert "This build has no hidden `test` split (splits: `train`)" in card
    assert "In the `test` split" not in card and "No label counts are shown for the hidden" not in card
    assert "--split validation" not in card and "--split test" not in card and "--split train" in card
    assert "`test` predictions are scored by the leaderboard" not in card

    documents = {a.doc_id: Assignment(("train", "validation", "test")[i % 3], a.doc_id, "hash")
                 for i, a in enumerate(corpus)}
    full = (build_release([ReleaseSource("khabar", corpus)], Manifest(documents=documents), tmp_path / "full",
                          progress=False).public / "README.md").read_text(encoding="utf-8")
    assert "In the `test` split every gold column is **null**" in full and "--split validation" in full
    assert "no hidden" not in full
    assert '"quote": {"start": S, "end": E}' in full  # how quote-holder stance lines are written


def test_leakage_names_a_republished_story_once_as_a_group(tmp_path, make_story, capsys):
    """A story republished 12 times across the splits forms 12 × 12 / 2 − (pairs inside a split) cross-split pairs;
    the summary names the group once (its first documents, then a count), the JSON report has the group and
    every pair; an unrelated pair stays one pair line."""
    import pyarrow as pa

    data = tmp_path / "many" / "data"
    data.mkdir(parents=True)
    copies = {"train": [f"t{i:02d}" for i in range(6)], "validation": ["v0", "v1"], "test": ["x0", "x1", "x2", "x3"]}
    for split, ids in copies.items():
        texts = [make_story(7) + f" نشر {i}" for i, _ in enumerate(ids)]
        if split == "train":
            ids, texts = [*ids, "other"], [*texts, make_story(30)]
        if split == "test":
            ids, texts = [*ids, "other-copy"], [*texts, make_story(30) + " انتهى"]
        pq.write_table(pa.table({"doc_id": ids, "text": texts}), data / f"{split}-00000-of-00001.parquet")
    report = find_leakage(tmp_path / "many", progress=False)
    big, small = report.groups
    assert len(big.members) == 12 and big.splits == ["test", "train", "validation"]
    assert big.pairs == 6 * 2 + 6 * 4 + 2 * 4 and len(report.pairs) == big.pairs + 1
    assert small.members == (("test", "other-copy"), ("train", "other"))
    lines = report.summary().splitlines()
    leak_lines = [line for line in lines if "LEAK" in line]
    assert len(leak_lines) == 2
    assert "12 documents across splits test, train, validation (44 cross-split pair(s)" in leak_lines[0]
    assert "… and 4 more (--json lists them)" in leak_lines[0]
    assert "other" in leak_lines[1] and "↔" in leak_lines[1]
    assert "45 cross-split pair(s) in 2 group(s)" in lines[-1]
    assert main(["leakage", str(tmp_path / "many"), "--no-progress", "--json"]) == 1
    data_out = json.loads(capsys.readouterr().out)
    assert len(data_out["pairs"]) == 45 and [len(g["members"]) for g in data_out["groups"]] == [12, 2]
