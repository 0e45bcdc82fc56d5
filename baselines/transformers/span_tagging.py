"""Train and predict a span-tagging task (``ner``, ``quotes``) — one flow, declared per task by a
:class:`SpanTaggingTask`: which labels the model has, which gold spans a row carries, and how decoded
spans become a submission line. The machinery itself (words, windows, decoding) is
:mod:`baselines.transformers.tagging`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baselines.selection import ManifestSplits
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
from baselines.transformers.tagging import EncodedDoc, decode_spans, encode_doc, predict_docs
from benchmark.schema import LabelSchema
from benchmark.tasks import Row

__all__ = ["SpanTaggingTask", "predict_span_rows", "predict_span_submission", "train_span_tagger"]

Span = tuple[int, int, str]


@dataclass(frozen=True)
class SpanTaggingTask:
    """What differs between the span-tagging baselines.

    ``line_key``: the submission field the decoded spans go to (``"entities"``, ``"quotes"``);
    ``line_items``: decoded spans → that field's items; ``train_counts``: extra training-summary
    counts from the gold rows (placed after ``windows``).
    """

    task: str
    label_names: Callable[[LabelSchema], tuple[str, ...]]
    gold_spans: Callable[[Mapping[str, Any]], list[Span]]
    line_key: str
    line_items: Callable[[list[Span]], list[dict[str, Any]]]
    train_counts: Callable[[Sequence[Row]], dict[str, int]] = lambda rows: {}


def _encode(spec: SpanTaggingTask, tokenizer: Any, rows: Sequence[Row], options: TrainOptions,
            label2id: dict[str, int] | None, with_gold: bool) -> list[EncodedDoc]:
    return [encode_doc(tokenizer, row["doc_id"], row["text"], max_length=options.max_length, stride=options.stride,
                       gold=spec.gold_spans(row) if with_gold else None, label2id=label2id) for row in rows]


def train_span_tagger(spec: SpanTaggingTask, train_path: str | Path, *, base_model: str, out_dir: str | Path,
                      schema: LabelSchema | str | None = None, dev_path: str | Path | None = None,
                      options: TrainOptions | None = None, where: Sequence[str] | None = None,
                      exclude: Sequence[str] | None = None, dev_where: Sequence[str] | None = None,
                      splits: ManifestSplits | None = None, dev_splits: ManifestSplits | None = None
                      ) -> dict[str, Any]:
    """Fine-tune ``base_model`` on the ``spec.task`` rows of ``train_path`` and save it to ``out_dir``.

    Returns a summary (articles, windows, task counts, spans, spans left out of BIO, output folder).
    """
    from baselines.transformers.tagging import train_tagger

    options = options or TrainOptions()
    schema = schema if isinstance(schema, LabelSchema) else load_schema(schema)
    labels = spec.label_names(schema)
    label2id = {label: i for i, label in enumerate(labels)}
    tokenizer = load_fast_tokenizer(base_model)
    train_rows = read_rows(spec.task, train_path, schema, need_gold=True, where=where, exclude=exclude,
                           splits=splits)
    train_docs = _encode(spec, tokenizer, train_rows, options, label2id, with_gold=True)
    dev_rows = (read_rows(spec.task, dev_path, schema, need_gold=True, where=dev_where, splits=dev_splits)
                if dev_path else None)
    dev_docs = _encode(spec, tokenizer, dev_rows, options, label2id, with_gold=True) if dev_rows else None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    train_tagger(str(base_model), train_docs, dev_docs, labels, options, str(out_dir), tokenizer)
    summary = {
        "task": spec.task, "out_dir": str(out_dir), "articles": len(train_docs),
        "windows": sum(len(d.windows) for d in train_docs),
        **spec.train_counts(train_rows),
        "spans": sum(len(spec.gold_spans(r)) for r in train_rows),
        "spans_not_in_bio": sum(len(d.not_in_bio) for d in train_docs),
    }
    save_record(out_dir, spec.task, schema, labels, options, str(base_model), {"train": summary})
    return summary


def predict_span_rows(spec: SpanTaggingTask, model: Any, tokenizer: Any, rows: Sequence[Row], *, max_length: int,
                      stride: int, batch_size: int = 16, progress: bool = True) -> list[dict[str, Any]]:
    """Submission lines (one per row, in order) from a loaded model."""
    options = TrainOptions(max_length=max_length, stride=stride)
    docs = _encode(spec, tokenizer, rows, options, None, with_gold=False)
    tags = predict_docs(model, tokenizer, docs, batch_size=batch_size, progress=progress)
    return [{"doc_id": doc.doc_id, spec.line_key: spec.line_items(decode_spans(doc, doc_tags))}
            for doc, doc_tags in zip(docs, tags, strict=True)]


def predict_span_submission(spec: SpanTaggingTask, model_dir: str | Path, input_path: str | Path,
                            out_path: str | Path, *, batch_size: int = 16, progress: bool = True,
                            where: Sequence[str] | None = None, exclude: Sequence[str] | None = None,
                            gold_out: str | Path | None = None, splits: ManifestSplits | None = None
                            ) -> dict[str, Any]:
    """Tag every article of ``input_path`` with a model trained by :func:`train_span_tagger`; write the
    submission to ``out_path``. Returns a summary (lines, predicted items)."""
    from transformers import AutoModelForTokenClassification

    record = load_record(model_dir, spec.task)
    schema = schema_from_record(record["schema"])
    rows = read_rows(spec.task, input_path, schema, need_gold=False, where=where, exclude=exclude,
                     gold_out=gold_out, splits=splits)
    model = AutoModelForTokenClassification.from_pretrained(str(model_dir))
    tokenizer = load_fast_tokenizer(model_dir)
    lines = predict_span_rows(spec, model, tokenizer, rows, max_length=record["max_length"], stride=record["stride"],
                              batch_size=batch_size, progress=progress)
    written = write_submission(out_path, lines)
    return {"task": spec.task, "submission": str(out_path), "lines": written,
            spec.line_key: sum(len(line[spec.line_key]) for line in lines)}
