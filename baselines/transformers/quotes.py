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

from baselines.transformers.span_tagging import (
    SpanTaggingTask,
    predict_span_rows,
    predict_span_submission,
    train_span_tagger,
)
from baselines.transformers.tagging import bio_label_names
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


QUOTES = SpanTaggingTask(
    task=TASK, label_names=quote_label_names, gold_spans=gold_spans, line_key="quotes", line_items=link_speakers,
    train_counts=lambda rows: {"quotes": sum(len(r["quotes"]) for r in rows)})


def train_quotes(train_path: str | Path, *, base_model: str, out_dir: str | Path, **options: Any) -> dict[str, Any]:
    """Fine-tune ``base_model`` on the ``quotes`` rows of ``train_path`` and save it to ``out_dir``
    (keyword options: :func:`~baselines.transformers.span_tagging.train_span_tagger`)."""
    return train_span_tagger(QUOTES, train_path, base_model=base_model, out_dir=out_dir, **options)


def predict_quotes_rows(model: Any, tokenizer: Any, rows: Sequence[Row], **options: Any) -> list[dict[str, Any]]:
    """``quotes`` submission lines (one per row, in order) from a loaded model."""
    return predict_span_rows(QUOTES, model, tokenizer, rows, **options)


def predict_quotes(model_dir: str | Path, input_path: str | Path, out_path: str | Path,
                   **options: Any) -> dict[str, Any]:
    """Predict quotes and speakers for every article of ``input_path`` with a model trained by
    :func:`train_quotes`; write a ``quotes`` submission to ``out_path``."""
    return predict_span_submission(QUOTES, model_dir, input_path, out_path, **options)
