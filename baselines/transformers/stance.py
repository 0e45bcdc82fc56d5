"""Transformer stance baseline: (target, text) pair classification (task ``stance``).

Each ``stance`` row becomes one sentence pair for ``AutoModelForSequenceClassification``:

* first segment: the **target** (the topic or claim);
* second segment: the **holder's text**: the quote's own span when the holder is a quote
  (``holder_start``/``holder_end``), otherwise the whole article.

**Truncation.** Pairs longer than ``max_length`` sub-tokens are cut with ``longest_first``: the
longer segment (in practice the article) loses sub-tokens from its end until the pair fits, so
the model sees the target whole and the *beginning* of the article (headline and lead, where
news states its point). Nothing after that is seen; the training summary reports how many pairs
were truncated.

The label set is the schema's (Khabar: favor/against/neutral; ANS: agree/disagree/other), so
the same code trains on any stance corpus the importers produce.

Python use (the CLI is ``khabar baseline-hf stance train|predict``)::

    from baselines.transformers.stance import train_stance, predict_stance
    train_stance("ans_train.jsonl", base_model="CAMeL-Lab/bert-base-arabic-camelbert-msa",
                 out_dir="models/ans", schema="ans")
    predict_stance("models/ans", "ans_test.jsonl", "submissions/ans.jsonl")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from baselines.selection import ManifestSplits
from baselines.transformers.common import (
    BaselineError,
    TrainOptions,
    head_optimizer,
    load_fast_tokenizer,
    load_record,
    load_schema,
    read_rows,
    save_record,
    schema_from_record,
    training_arguments,
    write_submission,
)
from benchmark.schema import LabelSchema
from benchmark.tasks import Row, get_task

__all__ = ["encode_pairs", "holder_text", "predict_stance", "predict_stance_rows", "train_stance"]

TASK = "stance"


def holder_text(row: Mapping[str, Any]) -> str:
    """The second segment: the holder quote's span, or the whole article when the holder is the article.

    >>> holder_text({"text": "قال: نعم", "holder_start": 5, "holder_end": 8})
    'نعم'
    >>> holder_text({"text": "قال: نعم", "holder_start": -1, "holder_end": -1})
    'قال: نعم'
    """
    start, end = row.get("holder_start", -1), row.get("holder_end", -1)
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(row["text"]):
        return row["text"][start:end]
    return row["text"]


def encode_pairs(tokenizer: Any, rows: Sequence[Row], max_length: int,
                 label2id: Mapping[str, int] | None = None) -> tuple[list[dict[str, list[int]]], int]:
    """Model features of every row (with ``labels`` when ``label2id`` is given) and how many
    pairs were truncated."""
    features, truncated = [], 0
    for row in rows:
        target, text = row["target"], holder_text(row)
        encoded = tokenizer(target, text, truncation="longest_first", max_length=max_length,
                            return_overflowing_tokens=False)
        full = len(tokenizer(target, text, truncation=False)["input_ids"])
        truncated += full > max_length
        item = {k: list(v) for k, v in encoded.items() if k in ("input_ids", "attention_mask", "token_type_ids")}
        if label2id is not None:
            label = row["label"]
            if label not in label2id:
                raise BaselineError(f"{row['id']}: label {label!r} is not one of {list(label2id)} (fix: train with "
                                    "the schema the data is labelled in, --schema)")
            item["labels"] = label2id[label]
        features.append(item)
    return features, truncated


def train_stance(train_path: str | Path, *, base_model: str, out_dir: str | Path,
                 schema: LabelSchema | str | None = None, dev_path: str | Path | None = None,
                 options: TrainOptions | None = None, where: Sequence[str] | None = None,
                 exclude: Sequence[str] | None = None, dev_where: Sequence[str] | None = None,
                 splits: ManifestSplits | None = None, dev_splits: ManifestSplits | None = None
                 ) -> dict[str, Any]:
    """Fine-tune ``base_model`` as a pair classifier on the ``stance`` rows of ``train_path``."""
    from transformers import AutoModelForSequenceClassification, DataCollatorWithPadding, Trainer, set_seed

    options = options or TrainOptions()
    schema = schema if isinstance(schema, LabelSchema) else load_schema(schema)
    labels = get_task(TASK).label_names(schema)
    label2id = {label: i for i, label in enumerate(labels)}
    tokenizer = load_fast_tokenizer(base_model)
    train_rows = read_rows(TASK, train_path, schema, need_gold=True, where=where, exclude=exclude, splits=splits)
    train, truncated = encode_pairs(tokenizer, train_rows, options.max_length, label2id)
    dev_rows = (read_rows(TASK, dev_path, schema, need_gold=True, where=dev_where, splits=dev_splits)
                if dev_path else None)
    dev = encode_pairs(tokenizer, dev_rows, options.max_length, label2id)[0] if dev_rows else None
    if not train:
        raise BaselineError(f"{train_path}: no stance rows to train on")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    set_seed(options.seed)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base_model), num_labels=len(labels), id2label=dict(enumerate(labels)), label2id=label2id,
        ignore_mismatched_sizes=True)
    trainer = Trainer(model=model, args=training_arguments(out_dir, options, has_dev=bool(dev)),
                      optimizers=head_optimizer(model, options),
                      train_dataset=train, eval_dataset=dev, processing_class=tokenizer,
                      data_collator=DataCollatorWithPadding(tokenizer))
    trainer.train()
    trainer.save_model(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    counts = {label: sum(r["label"] == label for r in train_rows) for label in labels}
    summary = {"task": TASK, "out_dir": str(out_dir), "pairs": len(train), "truncated_pairs": truncated,
               "label_counts": counts}
    save_record(out_dir, TASK, schema, labels, options, str(base_model), {"train": summary})
    return summary


def predict_stance_rows(model: Any, tokenizer: Any, rows: Sequence[Row], *, max_length: int,
                        batch_size: int = 16, progress: bool = True) -> list[dict[str, Any]]:
    """``stance`` submission lines (one per row, in order) from a loaded model: ``{"id", "label"}``, plus
    ``quote`` (the row's ``holder_start``/``holder_end``) for a quote-holder row."""
    import torch
    from tqdm.auto import tqdm

    from benchmark.tasks.stance import stance_line

    features, _ = encode_pairs(tokenizer, rows, max_length)
    id2label = {int(i): label for i, label in model.config.id2label.items()}
    model.eval()
    lines = []
    for begin in tqdm(range(0, len(features), batch_size), desc="predict (pairs)", unit="batch",
                      disable=not progress):
        batch = tokenizer.pad(features[begin:begin + batch_size], return_tensors="pt")
        with torch.no_grad():
            predicted = model(**batch).logits.argmax(dim=-1).tolist()
        for row, label_id in zip(rows[begin:begin + batch_size], predicted, strict=True):
            lines.append(stance_line(row, id2label[label_id]))
    return lines


def predict_stance(model_dir: str | Path, input_path: str | Path, out_path: str | Path, *, batch_size: int = 16,
                   progress: bool = True, where: Sequence[str] | None = None, exclude: Sequence[str] | None = None,
                   gold_out: str | Path | None = None, splits: ManifestSplits | None = None,
                   quotes: str | Path | None = None) -> dict[str, Any]:
    """Label every stance row of ``input_path`` with a model trained by :func:`train_stance`;
    write a ``stance`` submission to ``out_path``. The model sees the rows' inputs only: a quote-holder
    row is classified on, and names, a candidate quote (from the ``quotes`` submission file, else the
    text's spans in quotation marks; :func:`benchmark.tasks.stance.with_candidate_quotes`)."""
    from transformers import AutoModelForSequenceClassification

    from benchmark.tasks.stance import read_quote_candidates, with_candidate_quotes

    record = load_record(model_dir, TASK)
    schema = schema_from_record(record["schema"])
    rows = read_rows(TASK, input_path, schema, need_gold=False, where=where, exclude=exclude,
                     gold_out=gold_out, splits=splits)
    rows = with_candidate_quotes(rows, read_quote_candidates(quotes) if quotes else None)
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir))
    tokenizer = load_fast_tokenizer(model_dir)
    lines = predict_stance_rows(model, tokenizer, rows, max_length=record["max_length"], batch_size=batch_size,
                                progress=progress)
    written = write_submission(out_path, lines)
    counts: dict[str, int] = {}
    for line in lines:
        counts[line["label"]] = counts.get(line["label"], 0) + 1
    return {"task": TASK, "submission": str(out_path), "lines": written, "label_counts": counts}
