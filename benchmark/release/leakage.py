"""Leakage check of a built dataset folder: near-duplicate and exact-duplicate texts across splits.

Reads every ``data/<config>/<split>-*.parquet`` file of a Hub-layout folder (only the ``doc_id``
and ``text`` columns, in record batches), indexes each document once under ``(split, doc_id)``
(a config with several rows per document, like ``stance``, repeats the text), and reports:

- pairs of documents in *different* splits whose texts are near-duplicates (MinHash Jaccard at
  or above the threshold) or identical after normalisation;
- doc_ids that occur in more than one split;
- (for information) exact duplicates inside one split.

Imported corpora are checked together with Khabar's own articles, so a public test document that
republishes a Khabar training article is caught too. The dedup parameters come from the
folder's ``splits.json`` unless given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmark.release.dedup import DedupConfig, NearDuplicateIndex

__all__ = ["LeakagePair", "LeakageReport", "find_leakage", "iter_folder_texts"]


@dataclass(frozen=True, slots=True)
class LeakagePair:
    """Two documents of different splits with (near-)identical text."""

    first_split: str
    first_doc: str
    second_split: str
    second_doc: str
    similarity: float
    exact: bool

    def __str__(self) -> str:
        kind = "exact duplicate" if self.exact else f"near-duplicate (Jaccard ≈ {self.similarity:.2f})"
        return f"{self.first_split}:{self.first_doc} ↔ {self.second_split}:{self.second_doc}: {kind}"


@dataclass
class LeakageReport:
    """The outcome of :func:`find_leakage`; ``leaks`` is true when anything crosses splits."""

    documents: int = 0
    pairs: list[LeakagePair] = field(default_factory=list)
    doc_ids_in_several_splits: dict[str, list[str]] = field(default_factory=dict)
    exact_within_split: int = 0
    configs: list[str] = field(default_factory=list)
    skipped_configs: dict[str, str] = field(default_factory=dict)
    config: DedupConfig = field(default_factory=DedupConfig)

    @property
    def leaks(self) -> bool:
        return bool(self.pairs or self.doc_ids_in_several_splits)

    def summary(self) -> str:
        lines = [
            f"{self.documents} document(s) checked in config(s) {', '.join(self.configs) or '—'} "
            f"(Jaccard ≥ {self.config.threshold}, {self.config.shingle_size}-word shingles)"
        ]
        for name, why in self.skipped_configs.items():
            lines.append(f"  skipped config {name}: {why}")
        for doc_id, splits in sorted(self.doc_ids_in_several_splits.items()):
            lines.append(f"  LEAK doc_id {doc_id} is in splits {splits}")
        for pair in self.pairs:
            lines.append(f"  LEAK {pair}")
        lines.append(
            f"{len(self.pairs)} cross-split pair(s), {len(self.doc_ids_in_several_splits)} doc_id(s) in "
            f"several splits; {self.exact_within_split} exact duplicate pair(s) inside a split "
            f"(not leakage)"
        )
        return "\n".join(lines)


def _split_of_file(path: Path) -> str:
    return path.name.split("-", 1)[0]


def iter_folder_texts(
    folder: str | Path, report: LeakageReport | None = None, batch_rows: int = 2048
) -> Iterator[tuple[str, str, str, str]]:
    """Yield ``(config, split, doc_id, text)`` for every row of every parquet file of ``folder``."""
    import pyarrow.parquet as pq

    data = Path(folder) / "data"
    if not data.is_dir():
        raise FileNotFoundError(
            f"{folder}: no data/ folder; pass a folder built by `khabar build` "
            f"(Hub layout data/<config>/<split>-*.parquet)"
        )
    for config_dir in sorted(p for p in data.iterdir() if p.is_dir()):
        files = sorted(config_dir.glob("*.parquet"))
        if not files:
            continue
        columns = set(pq.read_schema(files[0]).names)
        text_column = "text" if "text" in columns else "tokens" if "tokens" in columns else None
        if "doc_id" not in columns or text_column is None:
            if report is not None:
                report.skipped_configs[config_dir.name] = "no doc_id and text (or tokens) columns"
            continue
        if report is not None:
            report.configs.append(config_dir.name)
        for path in files:
            split = _split_of_file(path)
            for batch in pq.ParquetFile(path).iter_batches(
                batch_size=batch_rows, columns=["doc_id", text_column]
            ):
                for doc_id, text in zip(
                    batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True
                ):
                    if isinstance(text, list):
                        text = " ".join(text)
                    yield config_dir.name, split, doc_id, text or ""


def find_leakage(
    folder: str | Path, dedup: DedupConfig | None = None, progress: bool = True
) -> LeakageReport:
    """Check a built folder for cross-split duplicates (see the module docstring)."""
    from tqdm.auto import tqdm

    folder = Path(folder)
    if dedup is None:
        manifest_path = folder / "splits.json"
        if manifest_path.exists():
            from benchmark.release.splits import Manifest

            dedup = Manifest.load(manifest_path).dedup
    report = LeakageReport(config=dedup or DedupConfig())
    index = NearDuplicateIndex(report.config)
    splits_of: dict[str, set[str]] = defaultdict(set)
    for _config, split, doc_id, text in tqdm(
        iter_folder_texts(folder, report), desc="indexing", unit="row", disable=not progress
    ):
        key = (split, doc_id)
        if key in index:
            continue
        splits_of[doc_id].add(split)
        index.add(key, text)
    report.documents = len(index)
    report.doc_ids_in_several_splits = {d: sorted(s) for d, s in splits_of.items() if len(s) > 1}
    for pair in index.pairs():
        (split_a, doc_a), (split_b, doc_b) = pair.first, pair.second
        if split_a == split_b:
            report.exact_within_split += int(pair.exact)
            continue
        if doc_a == doc_b:
            continue  # already listed as a doc_id in several splits
        report.pairs.append(LeakagePair(split_a, doc_a, split_b, doc_b, pair.similarity, pair.exact))
    return report
