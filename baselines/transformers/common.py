"""What the three transformer baselines share: reading task rows, the saved-model record,
training arguments, loading a fast tokenizer, and writing a submission.

A trained baseline is a folder that ``transformers`` can load (``config.json``, weights, the
tokenizer files) plus :data:`RECORD_FILE`, which says which task and label schema it was
trained for and with which settings, so ``predict`` never has to be told twice::

    {"format": 1, "task": "ner", "schema": {"name": "khabar", "entity_labels": [...], ...},
     "labels": ["O", "B-PER", ...], "max_length": 256, "stride": 64, "base_model": "...", ...}

Inputs are read through the benchmark's public API only: an Article JSONL
(:func:`benchmark.io.read_articles`, validated) becomes rows with the task declaration
(:meth:`benchmark.tasks.Task.rows`); a rows JSONL or parquet (for example the inputs-only public
test split) is read as rows directly.

>>> from benchmark.schema import KHABAR
>>> schema_from_record(schema_record(KHABAR)) == KHABAR
True
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark.schema import KHABAR, LabelSchema
from benchmark.tasks import Row, Task, get_task

if TYPE_CHECKING:  # pragma: no cover
    from transformers import PreTrainedTokenizerBase, TrainingArguments

    from baselines.selection import ManifestSplits
    from benchmark.model import Article

__all__ = [
    "FORMAT_VERSION",
    "RECORD_FILE",
    "BaselineError",
    "TrainOptions",
    "head_optimizer",
    "load_fast_tokenizer",
    "load_record",
    "load_schema",
    "parse_conditions",
    "read_rows",
    "save_record",
    "schema_from_record",
    "schema_record",
    "select_articles",
    "training_arguments",
    "write_submission",
]

RECORD_FILE = "khabar_baseline.json"
FORMAT_VERSION = 1
_ARTICLE_FIELDS = frozenset({"doc_id", "text", "title", "source", "url", "published", "variety", "meta",
                             "entities", "quotes", "stances", "provenance"})


class BaselineError(ValueError):
    """A baseline cannot run on what it was given (the message names the file and the fix)."""


@dataclass(frozen=True)
class TrainOptions:
    """Fine-tuning settings (the defaults are the usual BERT fine-tuning ones).

    ``max_length`` is the window length in sub-tokens, special tokens included; ``stride`` is
    how many sub-tokens two consecutive windows of one long article share (token tasks), or is
    unused (stance: long inputs are truncated, see :mod:`baselines.transformers.stance`).
    ``max_steps > 0`` overrides ``epochs`` (used by the tests and smoke runs).
    ``head_learning_rate`` (default: ``learning_rate``) is the rate of the freshly initialised task head
    alone: an encoder whose last hidden states are small (multilingual-e5-small: final LayerNorm gain
    ≈ 0.23) leaves a head at the encoder's rate stuck at the class prior for hundreds of steps.
    """

    epochs: float = 3.0
    batch_size: int = 8
    learning_rate: float = 5e-5
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    max_length: int = 256
    stride: int = 64
    seed: int = 13
    max_steps: int = -1
    logging_steps: int = 50
    head_learning_rate: float | None = None

    def __post_init__(self) -> None:
        if self.max_length < 8:
            raise BaselineError(f"max_length {self.max_length} is too small (fix: use at least 8 sub-tokens)")
        if not 0 <= self.stride <= self.max_length // 2:
            raise BaselineError(f"stride {self.stride} must be >= 0 and at most half of max_length "
                                f"({self.max_length}) (fix: lower --stride)")
        if self.batch_size < 1:
            raise BaselineError("batch_size must be at least 1")
        if self.head_learning_rate is not None and self.head_learning_rate <= 0:
            raise BaselineError(f"head learning rate {self.head_learning_rate} must be > 0 (fix: drop --head-lr "
                                "to use --lr for the head too)")


# --------------------------------------------------------------------------- schema and record


def load_schema(name: str | None) -> LabelSchema:
    """``None``/``"khabar"`` → Khabar's label sets; an importer's name (``ans``, ``anercorp`` …) →
    that corpus' schema (resolved by the harness, as ``khabar evaluate --schema`` does)."""
    if name in (None, "khabar"):
        return KHABAR
    from benchmark.harness.cli_support import resolve_schema

    return resolve_schema(name)


def schema_record(schema: LabelSchema) -> dict[str, Any]:
    """A JSON-ready copy of a label schema (saved with the model)."""
    return {"name": schema.name,
            "entity_labels": None if schema.entity_labels is None else list(schema.entity_labels),
            "quote_kinds": list(schema.quote_kinds),
            "stance_labels": None if schema.stance_labels is None else list(schema.stance_labels),
            "stance_polar_labels": None if schema.stance_polar_labels is None else list(schema.stance_polar_labels),
            "source_labels": list(schema.source_labels)}


def schema_from_record(record: Mapping[str, Any]) -> LabelSchema:
    """The :class:`LabelSchema` saved by :func:`schema_record`."""
    def tuple_or_none(value: Any) -> tuple[str, ...] | None:
        return None if value is None else tuple(value)

    return LabelSchema(name=record["name"], entity_labels=tuple_or_none(record.get("entity_labels")),
                       quote_kinds=tuple(record["quote_kinds"]),
                       stance_labels=tuple_or_none(record.get("stance_labels")),
                       stance_polar_labels=tuple_or_none(record.get("stance_polar_labels")),
                       source_labels=tuple(record.get("source_labels") or ()))  # (absent in records before 2.0)


def save_record(out_dir: str | Path, task: str, schema: LabelSchema, labels: Sequence[str],
                options: TrainOptions, base_model: str, extra: Mapping[str, Any] | None = None) -> Path:
    """Write :data:`RECORD_FILE` beside the saved model; return its path."""
    record = {"format": FORMAT_VERSION, "task": task, "schema": schema_record(schema), "labels": list(labels),
              "base_model": base_model, "max_length": options.max_length, "stride": options.stride,
              "options": asdict(options), **(extra or {})}
    path = Path(out_dir) / RECORD_FILE
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def load_record(model_dir: str | Path, task: str) -> dict[str, Any]:
    """The record of a trained baseline; refuses a folder trained for another task."""
    path = Path(model_dir) / RECORD_FILE
    if not path.is_file():
        raise BaselineError(f"{model_dir}: no {RECORD_FILE}; this is not a folder written by "
                            f"`khabar baseline-hf {task} train` (fix: train first, and pass its --out as --model)")
    record = json.loads(path.read_text(encoding="utf-8"))
    if record.get("format") != FORMAT_VERSION:
        raise BaselineError(f"{path}: format {record.get('format')!r} is not {FORMAT_VERSION} (fix: retrain)")
    if record.get("task") != task:
        raise BaselineError(f"{path}: this model was trained for the {record.get('task')!r} task, not {task!r} "
                            f"(fix: use `khabar baseline-hf {record.get('task')} predict`, or train a {task} model)")
    return record


# --------------------------------------------------------------------------- inputs


def parse_conditions(pairs: Sequence[str] | None) -> list[tuple[str, str]]:
    """``["split=train"]`` → ``[("split", "train")]`` (``ValueError`` naming a malformed one).

    >>> parse_conditions(["split=train", "fold=3"])
    [('split', 'train'), ('fold', '3')]
    """
    conditions = []
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise BaselineError(f"condition {pair!r} is not KEY=VALUE (fix: e.g. --where split=train)")
        conditions.append((key, value))
    return conditions


def select_articles(path: str | Path, schema: LabelSchema, where: Sequence[str] | None = None,
                    exclude: Sequence[str] | None = None, splits: ManifestSplits | None = None) -> list[Article]:
    """The validated articles of an Article JSONL that a split manifest puts in the chosen splits
    (``splits``, from ``--manifest FILE --split NAME``) and whose ``meta[KEY]`` equals ``VALUE`` (as text)
    for every ``where`` condition and for no ``exclude`` condition. An empty selection is an error that
    lists the values the keys do take, so a typo never trains on nothing."""
    from benchmark.io import read_articles

    conditions, exclusions = parse_conditions(where), parse_conditions(exclude)

    def matches(article: Article, key: str, value: str) -> bool:
        return key in article.meta and str(article.meta[key]) == value

    articles = list(read_articles(path, schema))
    if splits is not None:
        try:
            articles = splits.select(articles, path)
        except (ValueError, FileNotFoundError) as error:
            raise BaselineError(str(error)) from None
    chosen = [a for a in articles if all(matches(a, k, v) for k, v in conditions)
              and not any(matches(a, k, v) for k, v in exclusions)]
    if not chosen:
        seen: dict[str, set[str]] = {}
        for article in articles:
            for key, _ in conditions + exclusions:
                if key in article.meta:
                    seen.setdefault(key, set()).add(str(article.meta[key]))
        found = "; ".join(f"{k} takes {sorted(v)[:10]}" for k, v in seen.items()) or "no article has those keys"
        raise BaselineError(f"{path}: no article among {len(articles)} matches where={list(where or [])} "
                            f"exclude={list(exclude or [])} ({found})")
    return chosen


def read_rows(task: str | Task, path: str | Path, schema: LabelSchema, *, need_gold: bool,
              where: Sequence[str] | None = None, exclude: Sequence[str] | None = None,
              gold_out: str | Path | None = None, splits: ManifestSplits | None = None) -> list[Row]:
    """The task rows of a file: an Article JSONL, a rows JSONL or a rows parquet.

    An Article JSONL is recognised by its first line having only Article fields; it is validated
    against ``schema`` (a bad article stops the run with its line, doc_id and fix), kept by a split
    manifest (``splits``) and filtered by ``where``/``exclude`` meta conditions (:func:`select_articles`),
    and, with ``gold_out``, the selected articles are written there (the gold for exactly those documents). With
    ``need_gold`` every row must carry its gold field (for training).
    """
    task = get_task(task)
    path = Path(path)
    if not path.is_file():
        raise BaselineError(f"{path} does not exist (fix: pass an Article JSONL or a {task.name} rows file)")
    if (where or exclude or gold_out or splits) and not _is_article_jsonl(path):
        raise BaselineError(f"{path}: --where/--exclude/--manifest/--gold-out need an Article JSONL (rows have no "
                            "meta and are not whole documents)")
    if path.suffix == ".parquet":
        from datasets import Dataset

        rows = [dict(row) for row in Dataset.from_parquet(str(path))]
        if need_gold:
            raise BaselineError(f"{path}: train from an Article JSONL or a rows JSONL (parquet rows store "
                                "labels as class ids)")
    else:
        from benchmark.io import iter_jsonl_records, write_articles

        first = next(iter_jsonl_records(path), None)
        if first is None:
            raise BaselineError(f"{path} has no records (fix: write one JSON object per line)")
        number, record, issue = first
        if issue is not None:
            raise BaselineError(f"{path}:{number}: {issue.message} (fix: {issue.fix})")
        if isinstance(record, Mapping) and set(record) <= _ARTICLE_FIELDS:
            articles = select_articles(path, schema, where, exclude, splits)
            if gold_out is not None:
                write_articles(gold_out, articles)
            rows = task.rows(articles, schema)
        else:
            rows = []
            for number, record, issue in iter_jsonl_records(path):
                if issue is not None:
                    raise BaselineError(f"{path}:{number}: {issue.message} (fix: {issue.fix})")
                rows.append(record)
    gold_field = {"ner": "entities", "quotes": "quotes", "stance": "label"}[task.name]
    required = ("doc_id", "text") + (("id", "target") if task.name == "stance" else ())
    for i, row in enumerate(rows):
        missing = [key for key in required + ((gold_field,) if need_gold else ()) if row.get(key) is None]
        if missing:
            raise BaselineError(f"{path}: row {i} ({row.get(task.id_field)!r}) has no {missing} "
                                f"(fix: pass {task.name} rows or an Article JSONL"
                                + (" with gold annotations for training)" if need_gold else ")"))
    return rows


def _is_article_jsonl(path: Path) -> bool:
    from benchmark.io import iter_jsonl_records

    if path.suffix == ".parquet":
        return False
    first = next(iter_jsonl_records(path), None)
    return first is not None and isinstance(first[1], Mapping) and set(first[1]) <= _ARTICLE_FIELDS


# --------------------------------------------------------------------------- transformers


def load_fast_tokenizer(model: str | Path) -> PreTrainedTokenizerBase:
    """``AutoTokenizer.from_pretrained(model)``; it must be a fast (Rust) tokenizer, because word
    ids and offsets are what map sub-tokens back to character spans."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model))
    if not getattr(tokenizer, "is_fast", False):
        raise BaselineError(f"{model}: the tokenizer is not a fast tokenizer (fix: use a model that ships a "
                            "tokenizer.json, or convert it with transformers' convert_slow_tokenizer)")
    return tokenizer


def training_arguments(out_dir: str | Path, options: TrainOptions, *, has_dev: bool) -> TrainingArguments:
    """``TrainingArguments`` for a CPU-friendly, reproducible run that saves nothing midway
    (the final model is saved by the caller) and reports to no tracker."""
    from transformers import TrainingArguments

    return TrainingArguments(
        output_dir=str(Path(out_dir) / "checkpoints"),
        num_train_epochs=options.epochs,
        max_steps=options.max_steps,
        per_device_train_batch_size=options.batch_size,
        per_device_eval_batch_size=options.batch_size,
        learning_rate=options.learning_rate,
        weight_decay=options.weight_decay,
        warmup_steps=options.warmup_ratio,  # a float < 1 is a ratio of the total steps in transformers 5
        eval_strategy="epoch" if has_dev else "no",
        save_strategy="no",
        logging_steps=options.logging_steps,
        report_to="none",
        seed=options.seed,
        data_seed=options.seed,
        dataloader_num_workers=0,
        dataloader_pin_memory=False,
        disable_tqdm=os.environ.get("KHABAR_NO_PROGRESS") == "1",
    )


def head_optimizer(model: Any, options: TrainOptions) -> tuple[Any, None]:
    """The ``optimizers`` argument of ``Trainer``: ``(None, None)`` (the Trainer's own AdamW) unless
    ``options.head_learning_rate`` is set; then an AdamW whose task-head parameters (everything outside
    the pretrained encoder, ``model.base_model_prefix``) run at that rate and the encoder at
    ``options.learning_rate``. Biases and LayerNorm weights are not decayed, as in the Trainer.

    >>> from transformers import BertConfig, BertForSequenceClassification
    >>> model = BertForSequenceClassification(BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=1,
    ...                                                  num_attention_heads=2, intermediate_size=16))
    >>> optimizer, _ = head_optimizer(model, TrainOptions(learning_rate=5e-5, head_learning_rate=2e-3))
    >>> sorted({group["lr"] for group in optimizer.param_groups})
    [5e-05, 0.002]
    >>> head_optimizer(model, TrainOptions())
    (None, None)
    """
    if options.head_learning_rate is None:
        return None, None
    import torch

    prefix = f"{model.base_model_prefix}."
    groups: dict[tuple[bool, bool], list[Any]] = {}
    for name, parameter in model.named_parameters():
        if parameter.requires_grad:
            decayed = not (name.endswith("bias") or "LayerNorm" in name or "layer_norm" in name)
            groups.setdefault((name.startswith(prefix), decayed), []).append(parameter)
    param_groups = [
        {"params": params, "weight_decay": options.weight_decay if decayed else 0.0,
         "lr": options.learning_rate if in_encoder else options.head_learning_rate}
        for (in_encoder, decayed), params in sorted(groups.items())
    ]
    return torch.optim.AdamW(param_groups, lr=options.learning_rate), None


def write_submission(path: str | Path, lines: Iterable[Mapping[str, Any]]) -> int:
    """Write submission lines as UTF-8 JSONL (Arabic unescaped); return how many were written."""
    from benchmark.io import write_jsonl

    return write_jsonl(path, lines)
