"""Leakage check of a built dataset folder: near-duplicate and exact-duplicate texts across splits.

Reads every ``data/<config>/<split>-*.parquet`` file of a Hub-layout folder (only the ``doc_id``
and ``text`` columns, in record batches), indexes each document once under ``(split, doc_id)``
(a config with several rows per document, like ``stance``, repeats the text), and reports:

- pairs of documents in *different* splits whose texts are near-duplicates (MinHash Jaccard at
  or above the threshold) or identical after normalisation, and the groups they form (a story
  republished n times across splits is one group of n documents, not ~n²/2 lines: the summary
  lists groups, the JSON report both);
- doc_ids that occur in more than one split;
- (for information) exact duplicates inside one split.

Imported corpora are checked together with Khabar's own articles, so a public test document that
republishes a Khabar training article is caught too. The dedup parameters come from the
folder's ``splits.json`` unless given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmark.release.dedup import DedupConfig, NearDuplicateIndex

__all__ = ["LeakageGroup", "LeakagePair", "LeakageReport", "find_leakage", "iter_folder_texts", "leakage_groups"]

SUMMARY_MEMBERS = 8  # documents of one group named in the summary (the JSON report names all)


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


@dataclass(frozen=True, slots=True)
class LeakageGroup:
    """Documents joined by cross-split (near-)duplicate pairs: ``members`` as ``(split, doc_id)``, sorted."""

    members: tuple[tuple[str, str], ...]
    pairs: int
    max_similarity: float
    exact: bool

    @property
    def splits(self) -> list[str]:
        return sorted({split for split, _ in self.members})

    def __str__(self) -> str:
        named = ", ".join(f"{split}:{doc}" for split, doc in self.members[:SUMMARY_MEMBERS])
        more = len(self.members) - SUMMARY_MEMBERS
        if more > 0:
            named += f", … and {more} more (--json lists them)"
        kind = "exact duplicates among them" if self.exact else f"Jaccard up to ≈ {self.max_similarity:.2f}"
        return (f"{len(self.members)} documents across splits {', '.join(self.splits)} "
                f"({self.pairs} cross-split pair(s), {kind}): {named}")


def leakage_groups(pairs: list[LeakagePair]) -> list[LeakageGroup]:
    """The connected groups of cross-split ``pairs``, largest first (then by first member)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in pairs:
        a, b = root((pair.first_split, pair.first_doc)), root((pair.second_split, pair.second_doc))
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for node in list(parent):
        members[root(node)].append(node)
    of_group: dict[tuple[str, str], list[LeakagePair]] = defaultdict(list)
    for pair in pairs:
        of_group[root((pair.first_split, pair.first_doc))].append(pair)
    groups = [LeakageGroup(tuple(sorted(nodes)), len(of_group[key]), max(p.similarity for p in of_group[key]),
                           any(p.exact for p in of_group[key]))
              for key, nodes in members.items()]
    return sorted(groups, key=lambda g: (-len(g.members), g.members))


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
    def groups(self) -> list[LeakageGroup]:
        """The cross-split pairs as groups of documents (:func:`leakage_groups`)."""
        return leakage_groups(self.pairs)

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
        groups = self.groups
        pair_of = {frozenset({(p.first_split, p.first_doc), (p.second_split, p.second_doc)}): p for p in self.pairs}
        for group in groups:  # two documents: their pair; more: one line for the group, not every pair
            lines.append(f"  LEAK {pair_of[frozenset(group.members)] if len(group.members) == 2 else group}")
        lines.append(
            f"{len(self.pairs)} cross-split pair(s) in {len(groups)} group(s), "
            f"{len(self.doc_ids_in_several_splits)} doc_id(s) in "
            f"several splits; {self.exact_within_split} exact duplicate pair(s) inside a split "
            f"(not leakage)"
        )
        return "\n".join(lines)


_SHARD_NAME = re.compile(r"^(?P<split>\w+(?:\.\w+)*)-(?:\d+-of-\d+|\d+|.*)\.parquet$")
_TEXT_COLUMNS = ("text", "tokens", "content")
_ID_COLUMNS = ("doc_id", "id")


def _config_and_split(folder: Path, path: Path) -> tuple[str, str]:
    """``data/<config>/<split>-00000-of-00001.parquet`` (Khabar, Hub), ``data/<split>-….parquet``
    (one config), or ``<config>/<split>/0000.parquet`` (the Hub's parquet conversion)."""
    parts = path.relative_to(folder).parts[:-1]
    parts = parts[1:] if parts and parts[0] == "data" else parts
    match = _SHARD_NAME.match(path.name)
    if match:
        return ("/".join(parts) or "default"), match.group("split")
    if parts:
        return ("/".join(parts[:-1]) or "default"), parts[-1]
    return "default", path.stem


def iter_folder_texts(
    folder: str | Path, report: LeakageReport | None = None, batch_rows: int = 2048
) -> Iterator[tuple[str, str, str, str]]:
    """Yield ``(config, split, doc_id, text)`` for every row of every parquet file under ``folder``.

    The id column is ``doc_id`` (else ``id``, else the row's position in its file); the text column
    is ``text`` (else ``tokens`` joined by spaces, else ``content``). Configs without a text column
    are listed in ``report.skipped_configs``.
    """
    import pyarrow.parquet as pq

    folder = Path(folder)
    files = sorted(
        p for p in folder.rglob("*.parquet") if not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    if not files:
        raise FileNotFoundError(
            f"{folder}: no parquet files; pass a dataset folder in the Hub layout "
            f"(data/<config>/<split>-*.parquet, as `khabar build` writes)"
        )
    for path in files:
        config, split = _config_and_split(folder, path)
        names = pq.read_schema(path).names
        text_column = next((c for c in _TEXT_COLUMNS if c in names), None)
        id_column = next((c for c in _ID_COLUMNS if c in names), None)
        if text_column is None:
            if report is not None:
                report.skipped_configs[config] = f"no text column (looked for {', '.join(_TEXT_COLUMNS)})"
            continue
        if report is not None and config not in report.configs:
            report.configs.append(config)
        columns = [text_column] + ([id_column] if id_column else [])
        row = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=columns):
            texts = batch.column(0).to_pylist()
            ids = batch.column(1).to_pylist() if id_column else [f"{path.name}#{row + i}" for i in range(len(texts))]
            row += len(texts)
            for doc_id, text in zip(ids, texts, strict=True):
                if isinstance(text, list):
                    text = " ".join(text)
                yield config, split, str(doc_id), text or ""


def find_leakage(folder: str | Path, dedup: DedupConfig | None = None, progress: bool = True) -> LeakageReport:
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
