"""Transformer NER baseline: token classification over character spans (task ``ner``).

Any Hub id or local path of a BERT-like encoder with a fast tokenizer can be the base model,
for example ``CAMeL-Lab/bert-base-arabic-camelbert-msa``. Words come from the benchmark's text
layer (clitics split), labels are IOB2 on the first sub-token of each word, long articles are
cut into overlapping windows, and predictions are merged back and decoded to code-point spans on
the original text (:mod:`baselines.transformers.tagging` has the details). The output is a
``ner`` submission that ``khabar evaluate --task ner`` scores.

Nested mentions: BIO carries one layer, so the model is trained on the outermost layer only; the
inner mentions left out are counted in the training summary and still count as misses when
scoring (gold ``entities`` keeps every mention).

Python use (the CLI is ``khabar baseline-hf ner train|predict``)::

    from baselines.transformers.ner import train_ner, predict_ner
    train_ner("train.jsonl", base_model="CAMeL-Lab/bert-base-arabic-camelbert-msa", out_dir="models/ner")
    predict_ner("models/ner", "test.jsonl", "submissions/ner.jsonl")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from baselines.transformers.common import (
    TrainOptions,
    load_fast_tokenizer,
    load_record,
    load_schema,
    read_rows,
    save_record,
    schema_from_record,
    write_submission,
)
from baselines.transformers.tagging import EncodedDoc, bio_label_names, decode_spans, encode_doc, predict_docs
from benchmark.schema import LabelSchema
from benchmark.tasks import Row, get_task

__all__ = ["gold_spans", "ner_label_names", "predict_ner", "predict_ner_rows", "train_ner"]

TASK = "ner"


def ner_label_names(schema: LabelSchema) -> tuple[str, ...]:
    """The model's labels: IOB2 tags of the schema's entity labels (the ``ner`` task's label names)."""
    return bio_label_names(get_task(TASK).label_names(schema))


def gold_spans(row: Mapping[str, Any]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of every gold entity of a ``ner`` row."""
    return sorted((e["start"], e["end"], e["label"]) for e in row["entities"])


def _encode(tokenizer: Any, rows: Sequence[Row], options: TrainOptions, label2id: dict[str, int] | None,
            with_gold: bool) -> list[EncodedDoc]:
    return [encode_doc(tokenizer, row["doc_id"], row["text"], max_length=options.max_length, stride=options.stride,
                       gold=gold_spans(row) if with_gold else None, label2id=label2id) for row in rows]


def train_ner(train_path: str | Path, *, base_model: str, out_dir: str | Path, schema: LabelSchema | str | None = None,
              dev_path: str | Path | None = None, options: TrainOptions | None = None,
              where: Sequence[str] | None = None, exclude: Sequence[str] | None = None,
              dev_where: Sequence[str] | None = None) -> dict[str, Any]:
    """Fine-tune ``base_model`` on the ``ner`` rows of ``train_path`` and save it to ``out_dir``.

    Returns a summary (articles, windows, spans, spans left out of BIO, output folder).
    """
    options = options or TrainOptions()
    schema = schema if isinstance(schema, LabelSchema) else load_schema(schema)
    labels = ner_label_names(schema)
    label2id = {label: i for i, label in enumerate(labels)}
    tokenizer = load_fast_tokenizer(base_model)
    train_rows = read_rows(TASK, train_path, schema, need_gold=True, where=where, exclude=exclude)
    train_docs = _encode(tokenizer, train_rows, options, label2id, with_gold=True)
    dev_rows = read_rows(TASK, dev_path, schema, need_gold=True, where=dev_where) if dev_path else None
    dev_docs = _encode(tokenizer, dev_rows, options, label2id, with_gold=True) if dev_rows else None
    from baselines.transformers.tagging import train_tagger

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    train_tagger(str(base_model), train_docs, dev_docs, labels, options, str(out_dir), tokenizer)
    summary = {
        "task": TASK, "out_dir": str(out_dir), "articles": len(train_docs),
        "windows": sum(len(d.windows) for d in train_docs),
        "spans": sum(len(gold_spans(r)) for r in train_rows),
        "spans_not_in_bio": sum(len(d.not_in_bio) for d in train_docs),
    }
    save_record(out_dir, TASK, schema, labels, options, str(base_model), {"train": summary})
    return summary


def predict_ner_rows(model: Any, tokenizer: Any, rows: Sequence[Row], *, max_length: int, stride: int,
                     batch_size: int = 16, progress: bool = True) -> list[dict[str, Any]]:
    """``ner`` submission lines (one per row, in order) from a loaded model."""
    options = TrainOptions(max_length=max_length, stride=stride)
    docs = _encode(tokenizer, rows, options, None, with_gold=False)
    tags = predict_docs(model, tokenizer, docs, batch_size=batch_size, progress=progress)
    return [{"doc_id": doc.doc_id,
             "entities": [{"start": s, "end": e, "label": label} for s, e, label in decode_spans(doc, doc_tags)]}
            for doc, doc_tags in zip(docs, tags, strict=True)]


def predict_ner(model_dir: str | Path, input_path: str | Path, out_path: str | Path, *, batch_size: int = 16,
                progress: bool = True, where: Sequence[str] | None = None, exclude: Sequence[str] | None = None,
                gold_out: str | Path | None = None) -> dict[str, Any]:
    """Tag every article of ``input_path`` with a model trained by :func:`train_ner` and write a
    ``ner`` submission to ``out_path``. Returns a summary (lines, predicted entities)."""
    from transformers import AutoModelForTokenClassification

    record = load_record(model_dir, TASK)
    schema = schema_from_record(record["schema"])
    rows = read_rows(TASK, input_path, schema, need_gold=False, where=where, exclude=exclude,
                     gold_out=gold_out)
    model = AutoModelForTokenClassification.from_pretrained(str(model_dir))
    tokenizer = load_fast_tokenizer(model_dir)
    lines = predict_ner_rows(model, tokenizer, rows, max_length=record["max_length"], stride=record["stride"],
                             batch_size=batch_size, progress=progress)
    written = write_submission(out_path, lines)
    return {"task": TASK, "submission": str(out_path), "lines": written,
            "entities": sum(len(line["entities"]) for line in lines)}
