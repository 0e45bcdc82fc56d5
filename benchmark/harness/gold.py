"""Gold data for scoring: a task's gold rows with their ids, label schema and dataset revision.

Gold comes from one of:

* an Article JSONL (``GoldSet.from_articles``), turned into rows by the task declaration;
* a gold rows file, JSONL or parquet (``GoldSet.from_rows_file``), e.g. the private folder's
  ``data/<config>/test-*.parquet`` written by ``khabar build``;
* a Hub-layout dataset folder or repo and a split (``GoldSet.from_dataset``), read with
  ``datasets.load_dataset(D, config, split=S)``.

The dataset revision is the one passed in, else the ``revision`` of a ``khabar_release.json``
beside the data (written by ``khabar build``), else ``gold-sha256:<hash of the gold rows>``.

>>> from benchmark.tasks import get_task
>>> gold = GoldSet.from_rows(get_task("ner"), [{"doc_id": "d1", "text": "زار بوتين", "entities": []}])
>>> gold.ids, gold.revision.startswith("gold-sha256:")
(('d1',), True)
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.schema import KHABAR, LabelSchema
from benchmark.tasks import Row, Task, get_task

__all__ = ["GoldError", "GoldSet", "read_release_revision"]

RELEASE_RECORD = "khabar_release.json"
_GOLD_FIELDS = {"ner": "entities", "quotes": "quotes", "stance": "label"}


class GoldError(ValueError):
    """Gold data that cannot be scored against (missing labels, duplicate ids, unreadable file)."""


def read_release_revision(path: str | Path) -> str | None:
    """The ``revision`` of the nearest ``khabar_release.json`` in ``path`` or its parents (3 levels)."""
    path = Path(path)
    for folder in [path if path.is_dir() else path.parent, *list(path.parents)[:3]]:
        record = folder / RELEASE_RECORD
        if record.is_file():
            try:
                return json.loads(record.read_text(encoding="utf-8")).get("revision")
            except (OSError, json.JSONDecodeError):
                return None
    return None


def _decode_class_labels(rows: Iterable[Mapping[str, Any]], features: Any) -> list[Row]:
    """Turn ClassLabel ids back into label names, everywhere in the rows."""
    from datasets import ClassLabel, List
    from datasets import Sequence as HFSequence

    def decode(value: Any, feature: Any) -> Any:
        if value is None:
            return None
        if isinstance(feature, ClassLabel):
            return feature.int2str(value) if isinstance(value, int) else value
        if isinstance(feature, dict):
            return {k: decode(v, feature.get(k)) for k, v in value.items()}
        if isinstance(feature, List | HFSequence):
            inner = feature.feature
            if isinstance(value, dict):  # Sequence of dicts stored as dict of lists
                return {k: [decode(x, inner.get(k) if isinstance(inner, dict) else None) for x in v]
                        for k, v in value.items()}
            return [decode(x, inner) for x in value]
        return value

    return [{k: decode(v, features.get(k)) for k, v in row.items()} for row in rows]


def _schema_from_features(task: Task, features: Any, name: str) -> LabelSchema | None:
    """The label schema a released config declares through its ClassLabel features."""
    from datasets import ClassLabel, List

    if task.name == "stance" and isinstance(features.get("label"), ClassLabel):
        return LabelSchema(name=name, stance_labels=tuple(features["label"].names))
    tags = features.get("ner_tags")
    if task.name == "ner" and isinstance(tags, List) and isinstance(tags.feature, ClassLabel):
        labels = []
        for tag in tags.feature.names:
            if tag != "O" and tag[2:] not in labels:
                labels.append(tag[2:])
        return LabelSchema(name=name, entity_labels=tuple(labels))
    return None


@dataclass
class GoldSet:
    """Gold rows of one task, by id, with the schema they are labelled in and their revision."""

    task: Task
    rows: list[Row]
    schema: LabelSchema = KHABAR
    source: str = "rows"
    revision: str | None = None
    _by_id: dict[str, Row] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        gold_field = _GOLD_FIELDS[self.task.name]
        for i, row in enumerate(self.rows):
            item_id = self.task.row_id(row)
            if item_id in self._by_id:
                raise GoldError(f"{self.source}: gold id {item_id!r} appears twice (again in row {i}); "
                                "gold ids must be unique")
            if row.get(gold_field) is None:
                raise GoldError(f"{self.source}: row {item_id!r} has no gold {gold_field!r}: this looks like "
                                "the public (inputs-only) test split; score against the private gold folder")
            self._by_id[item_id] = row
        if self.revision is None:
            self.revision = f"gold-sha256:{self.content_hash()}"

    # -- constructors -------------------------------------------------------------------------

    @classmethod
    def from_rows(cls, task: str | Task, rows: Sequence[Mapping[str, Any]], schema: LabelSchema = KHABAR,
                  source: str = "rows", revision: str | None = None) -> GoldSet:
        return cls(get_task(task), [dict(r) for r in rows], schema, source, revision)

    @classmethod
    def from_articles(cls, task: str | Task, path: str | Path, schema: LabelSchema = KHABAR,
                      revision: str | None = None) -> GoldSet:
        """Gold rows of every article of an Article JSONL (validated on the way in)."""
        from benchmark.io import read_articles

        task = get_task(task)
        rows = task.rows(read_articles(path, schema), schema)
        return cls(task, rows, schema, str(path), revision or read_release_revision(path))

    @classmethod
    def from_rows_file(cls, task: str | Task, path: str | Path, schema: LabelSchema | None = None,
                       revision: str | None = None) -> GoldSet:
        """Gold rows from a JSONL or parquet file (ClassLabel ids decoded from the parquet's features)."""
        task = get_task(task)
        path = Path(path)
        if path.suffix == ".parquet":
            from datasets import Dataset

            dataset = Dataset.from_parquet(str(path))
            rows = _decode_class_labels(dataset, dataset.features)
            schema = schema or _schema_from_features(task, dataset.features, path.stem)
        else:
            from benchmark.io import iter_jsonl_records

            rows = []
            for number, record, issue in iter_jsonl_records(path):
                if issue is not None:
                    raise GoldError(f"{path}:{number}: {issue.message}")
                rows.append(record)
        return cls(task, rows, schema or KHABAR, str(path), revision or read_release_revision(path))

    @classmethod
    def from_dataset(cls, task: str | Task, dataset: str | Path, split: str, config: str | None = None,
                     schema: LabelSchema | None = None, revision: str | None = None) -> GoldSet:
        """Gold rows of ``split`` of a Hub-layout folder (or Hub repo) with ``datasets.load_dataset``.

        A local folder without a dataset card is read from ``data/<config>/<split>-*.parquet``.
        """
        import datasets

        task = get_task(task)
        config = config or task.name
        folder = Path(dataset)
        try:
            loaded = datasets.load_dataset(str(dataset), config, split=split)
        except Exception as error:  # datasets raises many types (offline Hub, no config): one named error
            files = sorted((folder / "data" / config).glob(f"{split}-*.parquet")) if folder.is_dir() else []
            if not files:
                raise GoldError(f"cannot load split {split!r} of config {config!r} from {dataset}: {error}") \
                    from error
            loaded = datasets.load_dataset("parquet", data_files={split: [str(f) for f in files]}, split=split)
        rows = _decode_class_labels(loaded, loaded.features)
        schema = schema or _schema_from_features(task, loaded.features, f"{folder.name}:{config}") or KHABAR
        revision = revision or (read_release_revision(folder) if folder.exists() else None)
        return cls(task, rows, schema, f"{dataset} [{config}/{split}]", revision)

    # -- lookups -----------------------------------------------------------------------------

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def get(self, item_id: str) -> Row | None:
        return self._by_id.get(item_id)

    def closest_id(self, item_id: str) -> str | None:
        """The most similar gold id (for "did you mean" hints; skipped on very large gold sets)."""
        if len(self._by_id) > 20_000:
            return None
        close = difflib.get_close_matches(item_id, list(self._by_id), n=1, cutoff=0.8)
        return close[0] if close else None

    def describe(self) -> str:
        return f"{len(self.rows)} {self.task.unit} row(s) of {self.source}"

    def content_hash(self) -> str:
        """sha256 of the gold rows (canonical JSON, sorted by id)."""
        digest = hashlib.sha256()
        for item_id in sorted(self._by_id):
            digest.update(json.dumps(self._by_id[item_id], sort_keys=True, ensure_ascii=False,
                                     default=str).encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()
