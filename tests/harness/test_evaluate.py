"""evaluate_submission, results files, gold sources, the paired comparison, and the CLI."""

from __future__ import annotations

import json

import datasets
import numpy as np
import pytest

from benchmark.cli import main
from benchmark.harness import (
    GoldError,
    GoldSet,
    Results,
    compare_results,
    evaluate_submission,
    load_count_table,
)
from benchmark.tasks import get_task


def write_lines(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


NER_HALF = [{"doc_id": "demo/1", "entities": [{"start": 5, "end": 10, "label": "PER"},
                                              {"start": 25, "end": 30, "label": "LOC"}]},
            {"doc_id": "demo/2", "entities": [{"start": 4, "end": 16, "label": "PER"}]}]


def test_ner_end_to_end_from_article_jsonl(tmp_path, articles_file):
    sub = write_lines(tmp_path / "sub.jsonl", NER_HALF)
    results = evaluate_submission("ner", sub, gold=articles_file, n_resamples=200)
    # gold: 5 entities; predicted 3, 2 right (the LOC one has the wrong type)
    assert results.counts["strict/tp"] == 2 and results.counts["strict/n_pred"] == 3
    assert results.metrics["strict/f1"].value == pytest.approx(2 * 2 / (3 + 5))
    assert results.metrics["exact/f1"].value > results.metrics["strict/f1"].value
    assert results.n_documents == 2 and results.task_version == get_task("ner").version
    assert results.submission["sha256"] and results.dataset["revision"].startswith("gold-sha256:")
    out = tmp_path / "out"
    results_path, documents_path = results.write(out)
    data = json.loads(results_path.read_text(encoding="utf-8"))
    for key in ("task", "task_version", "dataset", "package", "metrics", "counts", "n_documents", "created",
                "submission", "bootstrap", "headline"):
        assert key in data
    assert data["headline"]["metric"] == "strict/f1" and data["package"]["name"] == "khabar"
    assert Results.from_dict(data).metrics["strict/f1"] == results.metrics["strict/f1"]
    docs = [json.loads(line) for line in documents_path.read_text(encoding="utf-8").splitlines()]
    assert docs[0]["doc_id"] == "demo/1"
    assert docs[0]["errors"]["spurious"] == [[25, 30, "LOC", "روسيا"]]
    assert docs[0]["errors"]["missed"] == [[25, 30, "GPE", "روسيا"]]
    assert docs[1]["errors"]["missed"] == [[17, 31, "LOC", "قاعدة فوستوشني"], [35, 40, "GPE", "روسيا"]]
    _, table = load_count_table(out)
    assert table.totals() == results.counts


def test_quotes_end_to_end(tmp_path, gold_sets):
    sub = [{"doc_id": "demo/1", "quotes": [
        {"start": 12, "end": 31, "kind": "direct", "speaker": {"start": 5, "end": 10}},   # right
        {"start": 40, "end": 53, "kind": "indirect", "speaker": None}]},                 # wrong speaker, kind
        {"doc_id": "demo/2", "quotes": [{"start": 0, "end": 3, "kind": "direct", "speaker": None}]}]  # spurious
    results = evaluate_submission("quotes", sub, gold=gold_sets["quotes"], n_resamples=100)
    m = {k: v.value for k, v in results.metrics.items()}
    assert m["span_exact/precision"] == pytest.approx(2 / 3) and m["span_exact/recall"] == 1.0
    assert m["e2e/precision"] == pytest.approx(1 / 3) and m["e2e/recall"] == pytest.approx(1 / 2)
    assert m["speaker_accuracy"] == 0.5 and m["kind_accuracy"] == 0.5
    assert m["speaker/named/speaker_accuracy"] == 1.0 and m["speaker/elided/speaker_accuracy"] == 0.0
    assert m["kind/direct/e2e/recall"] == 0.5
    assert results.documents[0]["errors"]["wrong_speaker"] == [
        {"quote": [40, 53], "predicted": None, "gold": [5, 10]}]


def test_any_mention_of_the_speaker_cluster_counts():
    from benchmark.metrics.quotes import quote_scores

    gold = [[{"start": 20, "end": 30, "kind": "direct", "speaker_elided": True,
              "speaker_cluster": [{"start": 0, "end": 5}, {"start": 8, "end": 14}]},
             {"start": 40, "end": 50, "kind": "indirect", "speaker_elided": False, "speaker_cluster": []}]]
    pred = [[{"start": 20, "end": 30, "kind": "direct", "speaker": {"start": 8, "end": 14}},
             {"start": 41, "end": 50, "kind": "indirect", "speaker": None}]]
    scores = quote_scores(gold, pred)
    assert scores["e2e/precision"] == 0.5 and scores["span_overlap/f1"] == 1.0
    assert scores["speaker/unnamed/e2e_recall"] == 0.0 and scores["speaker/elided/e2e_recall"] == 1.0


def test_stance_end_to_end_with_breakdown(gold_sets):
    sub = [{"id": "demo/1#2", "label": "favor", "quote": {"start": 12, "end": 31}},
           {"id": "demo/1#1", "label": "against"}, {"id": "demo/2#1", "label": "against"}]
    results = evaluate_submission("stance", sub, gold=gold_sets["stance"], n_resamples=100)
    assert results.n_items == 3 and results.n_documents == 2
    assert results.breakdown["confusion"]["neutral"]["against"] == 1
    assert results.breakdown["per_target"]["الزيارة"]["n"] == 2
    assert results.metrics["accuracy"].value == pytest.approx(2 / 3)
    assert results.metrics["quote_holder/accuracy"].value == 1.0
    assert results.metrics["article_holder/accuracy"].value == pytest.approx(1 / 2)
    assert results.documents[0]["errors"]["wrong"][0]["id"] == "demo/1#1"


def test_stance_quote_holder_needs_the_right_quote(gold_sets):
    """The quote-holder row (the quote's span is not public in the hidden split) is right only when
    the line names the gold holder quote; a wrong quote is a wrong answer, whatever the label."""
    right_label_wrong_quote = [{"id": "demo/1#2", "label": "favor", "quote": {"start": 40, "end": 53}},
                               {"id": "demo/1#1", "label": "neutral"}, {"id": "demo/2#1", "label": "against"}]
    results = evaluate_submission("stance", right_label_wrong_quote, gold=gold_sets["stance"], n_resamples=20)
    assert results.metrics["accuracy"].value == pytest.approx(2 / 3)
    assert results.metrics["quote_holder/accuracy"].value == 0.0
    assert results.metrics["quote_holder/holder_accuracy"].value == 0.0
    assert results.metrics["article_holder/accuracy"].value == 1.0
    assert results.metrics["favor/precision"].value == 0.0  # the wrong-holder answer counts as a favor prediction
    assert results.counts["wrong_holder/favor/favor"] == 1
    assert results.documents[0]["errors"]["wrong_holder"][0]["gold_quote"] == [12, 31]
    # the quotes headline's matching: the same quote without its quotation marks is the same quote
    marks_left_out = [{**right_label_wrong_quote[0], "quote": {"start": 13, "end": 30}}, *right_label_wrong_quote[1:]]
    results = evaluate_submission("stance", marks_left_out, gold=gold_sets["stance"], n_resamples=20)
    assert results.metrics["quote_holder/holder_accuracy"].value == 1.0 and results.metrics["accuracy"].value == 1.0


def test_paired_comparison_of_written_results(tmp_path, gold_sets):
    perfect = [{"doc_id": r["doc_id"], "entities": r["entities"]} for r in gold_sets["ner"].rows]
    nothing = [{"doc_id": r["doc_id"], "entities": []} for r in gold_sets["ner"].rows]
    evaluate_submission("ner", perfect, gold=gold_sets["ner"], n_resamples=50).write(tmp_path / "a")
    evaluate_submission("ner", nothing, gold=gold_sets["ner"], n_resamples=50).write(tmp_path / "b")
    paired = compare_results(tmp_path / "a", tmp_path / "b", n_resamples=200)
    assert paired.delta == -1.0 and paired.ci_high == -1.0 and paired.p_value < 0.01
    same = compare_results(tmp_path / "a", tmp_path / "a", n_resamples=200)
    assert same.delta == 0.0 and same.p_value == 1.0


def test_gold_from_dataset_folder_and_public_split_refused(tmp_path, articles):
    task = get_task("stance")
    rows = task.rows(articles)
    folder = tmp_path / "khabar"
    (folder / "data" / "stance").mkdir(parents=True)
    datasets.Dataset.from_list(rows, features=task.features()).to_parquet(
        str(folder / "data" / "stance" / "test-00000-of-00001.parquet"))
    (folder / "khabar_release.json").write_text(json.dumps({"revision": "rev-123"}), encoding="utf-8")
    gold = GoldSet.from_dataset("stance", folder, "test")
    assert gold.revision == "rev-123" and gold.rows[0]["label"] == "neutral"  # ClassLabel decoded
    assert gold.schema.stance_labels == ("favor", "against", "neutral")
    public = tmp_path / "public"
    (public / "data" / "stance").mkdir(parents=True)
    datasets.Dataset.from_list([{**dict.fromkeys(task.features()), **task.input_row(r)} for r in rows],
                               features=task.features()).to_parquet(
        str(public / "data" / "stance" / "test-00000-of-00001.parquet"))
    with pytest.raises(GoldError, match="public \\(inputs-only\\) test split"):
        GoldSet.from_dataset("stance", public, "test")


def test_gold_rows_jsonl_is_detected(tmp_path, articles):
    from benchmark.harness import load_gold

    rows = get_task("quotes").rows(articles)
    path = write_lines(tmp_path / "gold.rows.jsonl", rows)
    gold = load_gold("quotes", path)
    assert gold.rows == rows


def test_cli_evaluate_and_validate(tmp_path, articles_file, capsys):
    sub = write_lines(tmp_path / "sub.jsonl", NER_HALF)
    code = main(["evaluate", "--task", "ner", "--submission", str(sub), "--gold", str(articles_file),
                 "--out", str(tmp_path / "out"), "--resamples", "50"])
    output = capsys.readouterr().out
    assert code == 0 and "strict/f1 *" in output and "0.5000" in output
    assert (tmp_path / "out" / "results.json").is_file() and (tmp_path / "out" / "documents.jsonl").is_file()

    bad = write_lines(tmp_path / "bad.jsonl", [{"doc_id": "demo/1", "entities": [{"start": 9, "end": 2,
                                                                                    "label": "PER"}]}])
    code = main(["evaluate", "--task", "ner", "--submission", str(bad), "--gold", str(articles_file)])
    captured = capsys.readouterr()
    assert code == 1 and "E13" in captured.err and "not scored" in captured.err and not captured.out
    assert main(["validate-submission", "--task", "ner", str(bad), "--gold", str(articles_file)]) == 1
    assert "#2 [E10 missing-id]" in capsys.readouterr().out
    assert main(["validate-submission", "--task", "ner", str(sub), "--gold", str(articles_file)]) == 0
    capsys.readouterr()
    code = main(["evaluate", "--task", "ner", "--submission", str(sub), "--gold", str(articles_file),
                 "--out", str(tmp_path / "again"), "--resamples", "50", "--compare", str(tmp_path / "out")])
    assert code == 0 and "paired bootstrap vs" in capsys.readouterr().out
    assert main(["validate-submission", "--task", "ner", str(sub), "--gold", str(tmp_path / "nope.jsonl")]) == 2


def test_cli_compare_refuses_folders_it_cannot_pair_with_the_reason_and_fix(tmp_path, articles_file, capsys):
    """No traceback: a missing folder, or results scored against another gold (a dataset revision vs a gold file's
    hash), is exit 1 with the reason and the fix; the new results are written all the same."""
    import json

    sub = write_lines(tmp_path / "sub.jsonl", NER_HALF)
    base = ["evaluate", "--task", "ner", "--submission", str(sub), "--gold", str(articles_file), "--resamples", "20"]
    assert main([*base, "--out", str(tmp_path / "a")]) == 0
    capsys.readouterr()
    assert main([*base, "--out", str(tmp_path / "b"), "--compare", str(tmp_path / "nope")]) == 1
    err = capsys.readouterr().err
    assert "nope has no results.json or documents.jsonl" in err and "khabar evaluate --out DIR" in err
    assert "Traceback" not in err and (tmp_path / "b" / "results.json").is_file()
    results = tmp_path / "a" / "results.json"
    record = json.loads(results.read_text(encoding="utf-8"))
    record["dataset"]["revision"] = "another-gold"
    results.write_text(json.dumps(record), encoding="utf-8")
    assert main([*base, "--out", str(tmp_path / "c"), "--compare", str(tmp_path / "a")]) == 1
    err = capsys.readouterr().err
    assert "dataset revisions differ" in err and "score both submissions against the same gold" in err


def test_bootstrap_is_seeded_and_brackets_the_estimate(gold_sets):
    sub = [{"doc_id": "demo/1", "entities": []}, {"doc_id": "demo/2", "entities": gold_sets["ner"].rows[1]["entities"]}]
    a = evaluate_submission("ner", sub, gold=gold_sets["ner"], n_resamples=300, seed=7).metrics["strict/f1"]
    b = evaluate_submission("ner", sub, gold=gold_sets["ner"], n_resamples=300, seed=7).metrics["strict/f1"]
    assert a == b and a.low <= a.value <= a.high and a.low < a.high


def test_bootstrap_matches_a_naive_resampling_loop():
    """The weights trick gives the same totals as summing resampled documents one by one."""
    from benchmark.harness.bootstrap import resampled_totals

    counts = np.arange(30).reshape(10, 3)
    (fast,) = resampled_totals(counts, n_resamples=25, seed=3)
    rng = np.random.default_rng(3)
    draws = rng.integers(0, 10, size=(25, 10))
    naive = np.stack([counts[d].sum(axis=0) for d in draws])
    assert np.array_equal(fast, naive)
