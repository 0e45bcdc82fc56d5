"""Transformer quote baseline: quote spans and speaker spans by token classification (task ``quotes``).

One BIO layer carries two kinds of spans: quotes, labelled by kind (``QUOTE-direct``,
``QUOTE-indirect``, ``QUOTE-mixed``), and speaker mentions (``SPEAKER``: every mention that is
the linked speaker of some gold quote). The machinery is the NER baseline's
(:mod:`baselines.transformers.tagging`: text-layer words, first-sub-token labels, strided
windows, merged back to code-point spans).

Each predicted quote is then given a speaker by a fixed rule (:func:`link_speakers`): the
nearest predicted ``SPEAKER`` span that ends before the quote starts, else the nearest one that
starts after it ends, else none. "Nearest before" is what Arabic news needs for elided speakers
(``وتابع: "…"`` continues the previous speaker). A speaker span inside a quote, or a quote
inside a quote, cannot be carried by one BIO layer: such gold spans are left out of training
and counted in the summary.

Python use (the CLI is ``khabar baseline-hf quotes train|predict``)::

    from baselines.transformers.quotes import train_quotes, predict_quotes
    train_quotes("train.jsonl", base_model="CAMeL-Lab/bert-base-arabic-camelbert-msa", out_dir="models/quotes")
    predict_quotes("models/quotes", "test.jsonl", "submissions/quotes.jsonl")
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

__all__ = ["QUOTE_PREFIX", "SPEAKER", "gold_spans", "link_speakers", "predict_quotes", "predict_quotes_rows",
           "quote_label_names", "train_quotes"]

TASK = "quotes"
QUOTE_PREFIX = "QUOTE-"
SPEAKER = "SPEAKER"


def quote_label_names(schema: LabelSchema) -> tuple[str, ...]:
    """IOB2 tags of ``QUOTE-<kind>`` for every quote kind of the schema, then ``SPEAKER``."""
    kinds = get_task(TASK).label_names(schema)
    return bio_label_names([*(QUOTE_PREFIX + kind for kind in kinds), SPEAKER])


def gold_spans(row: Mapping[str, Any]) -> list[tuple[int, int, str]]:
    """The tagged spans of a ``quotes`` row: every quote (by kind) and every distinct speaker mention."""
    quotes = {(q["start"], q["end"], QUOTE_PREFIX + q["kind"]) for q in row["quotes"]}
    speakers = {(q["speaker_start"], q["speaker_end"], SPEAKER) for q in row["quotes"] if q["speaker_start"] >= 0}
    return sorted(quotes | speakers)


def link_speakers(spans: Sequence[tuple[int, int, str]]) -> list[dict[str, Any]]:
    """Submission quotes from predicted spans: each ``QUOTE-*`` span with the nearest ``SPEAKER``
    span ending at or before its start, else the nearest starting at or after its end, else ``None``.

    >>> link_speakers([(0, 5, "SPEAKER"), (7, 20, "QUOTE-direct"), (22, 30, "QUOTE-direct")])[1]
    {'start': 22, 'end': 30, 'kind': 'direct', 'speaker': {'start': 0, 'end': 5}}
    """
    speakers = sorted((s, e) for s, e, label in spans if label == SPEAKER)
    quotes = []
    for start, end, label in sorted(spans):
        if not label.startswith(QUOTE_PREFIX):
            continue
        before = [sp for sp in speakers if sp[1] <= start]
        after = [sp for sp in speakers if sp[0] >= end]
        chosen = before[-1] if before else (after[0] if after else None)
        quotes.append({"start": start, "end": end, "kind": label[len(QUOTE_PREFIX):],
                       "speaker": None if chosen is None else {"start": chosen[0], "end": chosen[1]}})
    return quotes


def _encode(tokenizer: Any, rows: Sequence[Row], options: TrainOptions, label2id: dict[str, int] | None,
            with_gold: bool) -> list[EncodedDoc]:
    return [encode_doc(tokenizer, row["doc_id"], row["text"], max_length=options.max_length, stride=options.stride,
                       gold=gold_spans(row) if with_gold else None, label2id=label2id) for row in rows]


def train_quotes(train_path: str | Path, *, base_model: str, out_dir: str | Path,
                 schema: LabelSchema | str | None = None, dev_path: str | Path | None = None,
                 options: TrainOptions | None = None, where: Sequence[str] | None = None,
                 exclude: Sequence[str] | None = None, dev_where: Sequence[str] | None = None
                 ) -> dict[str, Any]:
    """Fine-tune ``base_model`` on the ``quotes`` rows of ``train_path`` and save it to ``out_dir``."""
    from baselines.transformers.tagging import train_tagger

    options = options or TrainOptions()
    schema = schema if isinstance(schema, LabelSchema) else load_schema(schema)
    labels = quote_label_names(schema)
    label2id = {label: i for i, label in enumerate(labels)}
    tokenizer = load_fast_tokenizer(base_model)
    train_rows = read_rows(TASK, train_path, schema, need_gold=True, where=where, exclude=exclude)
    train_docs = _encode(tokenizer, train_rows, options, label2id, with_gold=True)
    dev_rows = read_rows(TASK, dev_path, schema, need_gold=True, where=dev_where) if dev_path else None
    dev_docs = _encode(tokenizer, dev_rows, options, label2id, with_gold=True) if dev_rows else None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    train_tagger(str(base_model), train_docs, dev_docs, labels, options, str(out_dir), tokenizer)
    summary = {
        "task": TASK, "out_dir": str(out_dir), "articles": len(train_docs),
        "windows": sum(len(d.windows) for d in train_docs),
        "quotes": sum(len(r["quotes"]) for r in train_rows),
        "spans": sum(len(gold_spans(r)) for r in train_rows),
        "spans_not_in_bio": sum(len(d.not_in_bio) for d in train_docs),
    }
    save_record(out_dir, TASK, schema, labels, options, str(base_model), {"train": summary})
    return summary


def predict_quotes_rows(model: Any, tokenizer: Any, rows: Sequence[Row], *, max_length: int, stride: int,
                        batch_size: int = 16, progress: bool = True) -> list[dict[str, Any]]:
    """``quotes`` submission lines (one per row, in order) from a loaded model."""
    options = TrainOptions(max_length=max_length, stride=stride)
    docs = _encode(tokenizer, rows, options, None, with_gold=False)
    tags = predict_docs(model, tokenizer, docs, batch_size=batch_size, progress=progress)
    return [{"doc_id": doc.doc_id, "quotes": link_speakers(decode_spans(doc, doc_tags))}
            for doc, doc_tags in zip(docs, tags, strict=True)]


def predict_quotes(model_dir: str | Path, input_path: str | Path, out_path: str | Path, *, batch_size: int = 16,
                   progress: bool = True, where: Sequence[str] | None = None, exclude: Sequence[str] | None = None,
                   gold_out: str | Path | None = None) -> dict[str, Any]:
    """Predict quotes and speakers for every article of ``input_path`` with a model trained by
    :func:`train_quotes`; write a ``quotes`` submission to ``out_path``."""
    from transformers import AutoModelForTokenClassification

    record = load_record(model_dir, TASK)
    schema = schema_from_record(record["schema"])
    rows = read_rows(TASK, input_path, schema, need_gold=False, where=where, exclude=exclude,
                     gold_out=gold_out)
    model = AutoModelForTokenClassification.from_pretrained(str(model_dir))
    tokenizer = load_fast_tokenizer(model_dir)
    lines = predict_quotes_rows(model, tokenizer, rows, max_length=record["max_length"], stride=record["stride"],
                                batch_size=batch_size, progress=progress)
    written = write_submission(out_path, lines)
    return {"task": TASK, "submission": str(out_path), "lines": written,
            "quotes": sum(len(line["quotes"]) for line in lines)}
