"""Train the tiny local BERT for a few CPU steps, predict, write a submission, and have the
harness validate and score it. The toy data is learnt (scored on the training articles), which
checks that labels, windows and decoding line up; it says nothing about real-data quality."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baselines.transformers.common import RECORD_FILE, BaselineError, TrainOptions
from benchmark.harness import evaluate_submission, validate_submission
from benchmark.harness.evaluate import load_gold
from benchmark.schema import LabelSchema

FAST = dict(max_steps=60, batch_size=4, learning_rate=5e-3, warmup_ratio=0.0, logging_steps=1000, seed=7)


def score(task: str, submission: Path, gold: Path, schema: LabelSchema | None = None):
    gold_set = load_gold(task, gold, schema=schema)
    report = validate_submission(task, submission, gold_set)
    assert report.ok, str(report.errors[:3])
    return evaluate_submission(task, submission, gold=gold_set, n_resamples=50)


@pytest.fixture(scope="module")
def ner_model(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory, toy) -> tuple[Path, Path, dict]:
    """A NER model trained once for this module: (model folder, training Article JSONL, summary)."""
    from baselines.transformers.ner import train_ner
    from benchmark.io import write_articles

    folder = tmp_path_factory.mktemp("ner")
    data = folder / "train.jsonl"
    write_articles(data, toy.ner_articles())
    # short windows so that every article is split and merged back
    summary = train_ner(data, base_model=str(tiny_model), out_dir=folder / "model",
                        options=TrainOptions(max_length=16, stride=4, **FAST))
    return folder / "model", data, summary


def test_ner_train_predict_score(ner_model, tmp_path: Path) -> None:
    from baselines.transformers.ner import predict_ner

    out, data, summary = ner_model
    assert summary["articles"] == 3 and summary["windows"] > 3 and summary["spans_not_in_bio"] == 0
    record = json.loads((out / RECORD_FILE).read_text(encoding="utf-8"))
    assert record["task"] == "ner" and record["labels"][:3] == ["O", "B-PER", "I-PER"]
    submission = tmp_path / "submission-ner.jsonl"
    predicted = predict_ner(out, data, submission, progress=False)
    assert predicted["lines"] == 3
    results = score("ner", submission, data)
    assert results.metrics["strict/f1"].value >= 0.8, results.table()


def test_ner_predicts_from_inputs_only_rows(ner_model, tmp_path: Path) -> None:
    """The public test split has inputs only (JSONL or parquet rows): same predictions as from articles."""
    from datasets import Dataset

    from baselines.transformers.ner import predict_ner
    from benchmark.io import read_articles
    from benchmark.tasks import get_task

    out, data, _ = ner_model
    task = get_task("ner")
    inputs = [task.input_row(row) for row in task.rows(read_articles(data))]
    assert all("entities" not in row for row in inputs)
    rows_jsonl, rows_parquet = tmp_path / "inputs.jsonl", tmp_path / "inputs.parquet"
    rows_jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in inputs), encoding="utf-8")
    Dataset.from_list(inputs, features=task.input_features()).to_parquet(str(rows_parquet))
    submissions = []
    for source in (data, rows_jsonl, rows_parquet):
        target = tmp_path / f"sub-{source.suffix[1:]}-{len(submissions)}.jsonl"
        predict_ner(out, source, target, progress=False)
        submissions.append(target.read_text(encoding="utf-8"))
    assert submissions[0] == submissions[1] == submissions[2]


def test_quotes_train_predict_score(tiny_model: Path, quote_file: Path, tmp_path: Path) -> None:
    from baselines.transformers.quotes import predict_quotes, train_quotes

    out = tmp_path / "quote-model"
    summary = train_quotes(quote_file, base_model=str(tiny_model), out_dir=out,
                           options=TrainOptions(max_length=24, stride=6, **FAST))
    assert summary["quotes"] == 9 and summary["spans"] == 15
    submission = tmp_path / "submission-quotes.jsonl"
    predict_quotes(out, quote_file, submission, progress=False)
    lines = [json.loads(line) for line in submission.read_text(encoding="utf-8").splitlines()]
    assert [line["doc_id"] for line in lines] == ["toy/quotes/0", "toy/quotes/1", "toy/quotes/2"]
    results = score("quotes", submission, quote_file)
    # the elided quote's speaker is the previous speaker: the nearest-preceding rule gets it
    assert results.metrics["span_exact/f1"].value >= 0.8, results.table()
    assert results.metrics["e2e/f1"].value >= 0.8, results.table()


@pytest.mark.parametrize("labels", [("favor", "against", "neutral"), ("agree", "disagree", "other")])
def test_stance_train_predict_score_any_label_set(tiny_model: Path, toy, tmp_path: Path, labels) -> None:
    from baselines.transformers.stance import predict_stance, train_stance
    from benchmark.io import write_articles

    schema = LabelSchema(name="toy", entity_labels=(), stance_labels=labels)
    rename = dict(zip(("favor", "against", "neutral"), labels, strict=True))
    articles = [a.replace(stances=tuple(s.__class__(s.id, s.holder, s.target, rename[s.label]) for s in a.stances))
                for a in toy.stance_articles()]
    data = tmp_path / "stance.jsonl"
    write_articles(data, articles)
    out = tmp_path / "stance-model"
    summary = train_stance(data, base_model=str(tiny_model), out_dir=out, schema=schema,
                           options=TrainOptions(max_length=12, stride=0, **{**FAST, "max_steps": 40}))
    assert summary["pairs"] == 6 and summary["truncated_pairs"] == 6  # max_length 12 cuts every article
    submission = tmp_path / "stance-sub.jsonl"
    predicted = predict_stance(out, data, submission, progress=False)
    assert set(predicted["label_counts"]) <= set(labels)
    results = score("stance", submission, data, schema)
    assert results.metrics["accuracy"].value == 1.0, results.table()


def test_predict_refuses_a_model_of_another_task(tiny_model: Path, ner_model, tmp_path: Path) -> None:
    from baselines.transformers.stance import predict_stance

    out, data, _ = ner_model
    with pytest.raises(BaselineError, match="trained for the 'ner' task"):
        predict_stance(out, data, tmp_path / "x.jsonl", progress=False)
    with pytest.raises(BaselineError, match=r"no khabar_baseline\.json"):
        predict_stance(tiny_model, data, tmp_path / "x.jsonl", progress=False)


def test_stance_truncation_keeps_the_target_and_the_start_of_the_text(tiny_model: Path, toy) -> None:
    from baselines.transformers.common import load_fast_tokenizer
    from baselines.transformers.stance import encode_pairs
    from benchmark.tasks import get_task

    tokenizer = load_fast_tokenizer(tiny_model)
    row = get_task("stance").rows(toy.stance_articles()[:1])[0]
    (features,), truncated = encode_pairs(tokenizer, [row], max_length=12)
    tokens = tokenizer.convert_ids_to_tokens(features["input_ids"])
    target, text = tokenizer.tokenize(row["target"]), tokenizer.tokenize(row["text"])
    assert truncated == 1 and len(tokens) == 12
    assert tokens == ["[CLS]", *target, "[SEP]", *text[: 12 - len(target) - 3], "[SEP]"]


def test_same_seed_same_model(tiny_model: Path, stance_file: Path, tmp_path: Path) -> None:
    import torch
    from safetensors.torch import load_file

    from baselines.transformers.stance import train_stance

    options = TrainOptions(max_length=32, stride=0, **{**FAST, "max_steps": 8})
    weights = []
    for run in ("a", "b"):
        train_stance(stance_file, base_model=str(tiny_model), out_dir=tmp_path / run, options=options)
        weights.append(load_file(tmp_path / run / "model.safetensors"))
    assert weights[0].keys() == weights[1].keys()
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])
