"""Undefined metrics (0/0) are reported as undefined — ``None`` in Python, ``null`` in JSON, "—" in
text — never as 0.000: speaker accuracy with no matched quote, precision without predictions,
per-label figures of a label absent from gold and predictions, and their intervals."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmark.cli import main
from benchmark.harness import bootstrap_ci, compare_results, evaluate_submission, paired_bootstrap
from benchmark.metrics.base import prf


def _no_quotes(gold_set):
    return [{"doc_id": r["doc_id"], "quotes": []} for r in gold_set.rows]


def test_speaker_accuracy_and_precision_without_predictions_are_null(tmp_path, gold_sets):
    results = evaluate_submission("quotes", _no_quotes(gold_sets["quotes"]), gold=gold_sets["quotes"],
                                  n_resamples=50)
    for name in ("speaker_accuracy", "kind_accuracy", "e2e/precision", "span_exact/precision"):
        interval = results.metrics[name]
        assert (interval.value, interval.low, interval.high) == (None, None, None), name
    assert results.metrics["e2e/recall"].value == 0.0 and results.metrics["e2e/f1"].value == 0.0
    results_path, documents_path = results.write(tmp_path / "out")
    data = json.loads(results_path.read_text(encoding="utf-8"))  # strict JSON: no NaN
    assert data["metrics"]["speaker_accuracy"] == {"value": None, "ci_low": None, "ci_high": None}
    assert "NaN" not in results_path.read_text(encoding="utf-8")
    # demo/2 has no gold quote and no predicted one: its own headline is undefined, not 0
    docs = [json.loads(line) for line in documents_path.read_text(encoding="utf-8").splitlines()]
    assert docs[1]["doc_id"] == "demo/2" and docs[1][results.headline] is None
    text = results.table(all_metrics=True)
    line = next(x for x in text.splitlines() if x.startswith("speaker_accuracy "))
    assert "—" in line and "0.0000" not in line


def test_all_metrics_prints_a_dash_for_a_label_absent_from_gold_and_predictions(tmp_path, articles_file, capsys):
    sub = tmp_path / "sub.jsonl"
    sub.write_text(json.dumps({"doc_id": "demo/1", "entities": [{"start": 5, "end": 10, "label": "PER"}]}) + "\n"
                   + json.dumps({"doc_id": "demo/2", "entities": []}) + "\n", encoding="utf-8")
    code = main(["evaluate", "--task", "ner", "--submission", str(sub), "--gold", str(articles_file),
                 "--resamples", "50", "--all-metrics", "--out", str(tmp_path / "out")])
    assert code == 0
    printed = capsys.readouterr().out
    org = next(x for x in printed.splitlines() if x.startswith("strict/ORG/f1 "))  # no ORG anywhere
    assert "—" in org and "0.0000" not in org
    data = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert data["metrics"]["strict/ORG/f1"]["value"] is None
    assert data["metrics"]["strict/PER/precision"]["value"] == 1.0


def test_interval_of_a_defined_point_uses_the_resamples_where_it_is_defined():
    # precision tp/n_pred: document 2 has no prediction, so a resample of only document 2 is undefined
    counts = np.array([[1, 2, 2], [0, 0, 3]])
    score = lambda t: prf(t[..., 0], t[..., 1], t[..., 2])  # noqa: E731
    ci = bootstrap_ci(counts, score, n_resamples=300, seed=0)
    assert ci["precision"].value == 0.5 and ci["precision"].low == ci["precision"].high == 0.5
    assert ci["f1"].low == 0.0  # a resample of document 2 alone has F1 0 (gold, no prediction), not undefined
    nothing = bootstrap_ci(np.array([[0, 0, 1]]), score, n_resamples=20)
    assert nothing["precision"].value is None and nothing["precision"].low is None


def test_paired_test_of_an_undefined_metric_says_undefined(tmp_path, gold_sets, capsys):
    empty = _no_quotes(gold_sets["quotes"])
    evaluate_submission("quotes", empty, gold=gold_sets["quotes"], n_resamples=30).write(tmp_path / "a")
    evaluate_submission("quotes", empty, gold=gold_sets["quotes"], n_resamples=30).write(tmp_path / "b")
    paired = compare_results(tmp_path / "a", tmp_path / "b", metric="speaker_accuracy", n_resamples=30)
    assert (paired.delta, paired.ci_low, paired.p_value) == (None, None, None)
    assert json.loads(json.dumps(paired.to_dict()))["p_value"] is None
    counts = np.array([[1, 1, 1], [0, 1, 1]])
    score = lambda t: {"p": prf(t[..., 0], t[..., 1], t[..., 2])["precision"]}  # noqa: E731
    defined = paired_bootstrap(counts, counts, score, "p", n_resamples=50)
    assert defined.delta == 0.0 and defined.p_value == pytest.approx(1.0)


def test_compare_in_the_cli_says_undefined_for_an_undefined_headline(tmp_path, capsys):
    """No gold quote and no predicted quote anywhere: e2e/f1 is 0/0 for both systems."""
    from benchmark.harness import GoldSet

    rows = [{"doc_id": "d1", "text": "خبر بلا اقتباس.", "entities": [], "quotes": []}]
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(json.dumps(rows[0], ensure_ascii=False) + "\n", encoding="utf-8")
    sub = tmp_path / "sub.jsonl"
    sub.write_text(json.dumps({"doc_id": "d1", "quotes": []}) + "\n", encoding="utf-8")
    results = evaluate_submission("quotes", sub, gold=GoldSet.from_rows("quotes", rows), n_resamples=20)
    assert results.score is None
    common = ["evaluate", "--task", "quotes", "--submission", str(sub), "--gold", str(gold_file), "--resamples", "20"]
    assert main([*common, "--out", str(tmp_path / "a")]) == 0
    assert main([*common, "--out", str(tmp_path / "b"), "--compare", str(tmp_path / "a")]) == 0
    printed = capsys.readouterr().out
    assert "e2e/f1 *" in printed and "undefined" in printed.splitlines()[-1]
