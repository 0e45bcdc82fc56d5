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

from baselines.transformers.span_tagging import (
    SpanTaggingTask,
    predict_span_rows,
    predict_span_submission,
    train_span_tagger,
)
from baselines.transformers.tagging import bio_label_names
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


NER = SpanTaggingTask(
    task=TASK, label_names=ner_label_names, gold_spans=gold_spans, line_key="entities",
    line_items=lambda spans: [{"start": s, "end": e, "label": label} for s, e, label in spans])


def train_ner(train_path: str | Path, *, base_model: str, out_dir: str | Path, **options: Any) -> dict[str, Any]:
    """Fine-tune ``base_model`` on the ``ner`` rows of ``train_path`` and save it to ``out_dir``
    (keyword options: :func:`~baselines.transformers.span_tagging.train_span_tagger`).

    Returns a summary (articles, windows, spans, spans left out of BIO, output folder).
    """
    return train_span_tagger(NER, train_path, base_model=base_model, out_dir=out_dir, **options)


def predict_ner_rows(model: Any, tokenizer: Any, rows: Sequence[Row], **options: Any) -> list[dict[str, Any]]:
    """``ner`` submission lines (one per row, in order) from a loaded model."""
    return predict_span_rows(NER, model, tokenizer, rows, **options)


def predict_ner(model_dir: str | Path, input_path: str | Path, out_path: str | Path, **options: Any) -> dict[str, Any]:
    """Tag every article of ``input_path`` with a model trained by :func:`train_ner` and write a
    ``ner`` submission to ``out_path``. Returns a summary (lines, predicted entities)."""
    return predict_span_submission(NER, model_dir, input_path, out_path, **options)
