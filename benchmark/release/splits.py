"""Fixed, leak-proof splits: the committed manifest and its append-only assignment (DESIGN §4).

The manifest (``annotations/splits/manifest.json``) maps every doc_id to a split and to a
near-duplicate *cluster*. Assignment is deterministic and append-only:

- articles already in the manifest never move;
- a new article that is a near-duplicate (:mod:`benchmark.release.dedup`) of an assigned one
  joins that one's cluster and split (``by = "cluster"``);
- an article whose importer set ``meta["split"]`` (a corpus' official split) keeps it
  (``by = "official"``);
- any other group of new near-duplicates is one new cluster, named by its smallest doc_id, and
  goes to the split picked by ``sha256(salt, cluster id)`` against the ratios (``by = "hash"``);
- or, in a manifest made with ``stratify`` (an article field such as ``source``, the outlet), to
  the split furthest below its ratio *inside the cluster's stratum*, counting the documents the
  stratum already has; clusters are taken in ``sha256(salt, cluster id)`` order
  (``by = "stratified"``). The ratios then hold per outlet, for every later addition too;
- a new manifest may start from another one's assignments (``inherit``): those documents keep their
  split (``by = "inherited"``), e.g. a release's test documents stay in the next release's test.

When old or official assignments disagree inside one near-duplicate cluster nothing is moved;
the disagreement is reported as a :class:`Conflict` (and ``khabar leakage`` flags the pair).

>>> from benchmark.model import Article
>>> story = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة جدة بسعة خمسمئة سرير"
>>> first = assign_splits([Article(doc_id="a", text=story)], progress=False)
>>> first.manifest.split_of("a") in ("train", "validation", "test")
True
>>> more = [Article(doc_id="a", text=story), Article(doc_id="b", text=story + " (واس)")]
>>> second = assign_splits(more, first.manifest, progress=False)
>>> second.manifest.split_of("b") == first.manifest.split_of("a"), second.manifest.documents["b"].by
(True, 'cluster')
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from benchmark.model import Article
from benchmark.release.dedup import DedupConfig, NearDuplicateClusters, normalise_for_matching

__all__ = [
    "DEFAULT_RATIOS",
    "DEFAULT_SALT",
    "MANIFEST_FORMAT",
    "Assignment",
    "AssignmentReport",
    "Conflict",
    "Manifest",
    "ManifestError",
    "assign_splits",
    "hash_split",
    "official_split",
    "parse_ratios",
]

MANIFEST_FORMAT = "khabar-split-manifest"
MANIFEST_FORMAT_VERSION = 1
DEFAULT_RATIOS: dict[str, float] = {"train": 0.7, "validation": 0.1, "test": 0.2}
DEFAULT_SALT = "khabar-splits-v1"
SPLIT_NAME = re.compile(r"^\w+(\.\w+)*$")  # what the Hub accepts as a split name
ASSIGNED_BY = ("hash", "cluster", "official", "stratified", "inherited")


class ManifestError(ValueError):
    """A manifest (or an assignment request) that cannot be trusted; the message says where and why."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one document lives: its split, its near-duplicate cluster (the cluster's canonical
    doc_id), how the split was chosen, and the fingerprint of its normalised text."""

    split: str
    cluster: str
    by: str
    fingerprint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"split": self.split, "cluster": self.cluster, "by": self.by, "fingerprint": self.fingerprint}


@dataclass(frozen=True, slots=True)
class Conflict:
    """A near-duplicate cluster whose members sit in different splits and cannot be moved."""

    doc_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.message}"


def parse_ratios(text: str | Mapping[str, float]) -> dict[str, float]:
    """Validate split ratios, given as a mapping or as ``"train=0.7,validation=0.1,test=0.2"``.

    >>> parse_ratios("train=0.8,test=0.2")
    {'train': 0.8, 'test': 0.2}
    """
    if isinstance(text, str):
        ratios: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, sep, value = part.partition("=")
            try:
                ratios[name.strip()] = float(value) if sep else math.nan
            except ValueError:
                raise ManifestError(
                    f"ratio {part!r} is not NAME=NUMBER; write e.g. train=0.7,validation=0.1,test=0.2"
                ) from None
    else:
        ratios = {str(k): float(v) for k, v in text.items()}
    if not ratios:
        raise ManifestError("no split ratios given; write e.g. train=0.7,validation=0.1,test=0.2")
    for name, value in ratios.items():
        if not SPLIT_NAME.match(name):
            raise ManifestError(
                f"split name {name!r} is not allowed on the Hub; use letters, digits, _ and ."
            )
        if not value > 0:
            raise ManifestError(f"split {name!r} has ratio {value}; every ratio must be a number above 0")
    if abs(sum(ratios.values()) - 1.0) > 1e-9:
        raise ManifestError(f"split ratios {ratios} sum to {sum(ratios.values())}; they must sum to 1")
    return ratios


def hash_split(canonical_id: str, ratios: Mapping[str, float], salt: str = DEFAULT_SALT) -> str:
    """The split a cluster goes to: ``sha256(salt, id)`` read as a number in [0, 1), against the
    cumulative ratios (in their given order). Independent of every other document.

    >>> hash_split("doc-1", {"train": 0.5, "test": 0.5}) == hash_split("doc-1", {"train": 0.5, "test": 0.5})
    True
    """
    digest = hashlib.sha256(f"{salt}\x00{canonical_id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64
    cumulative = 0.0
    names = list(ratios)
    for name in names:
        cumulative += ratios[name]
        if point < cumulative:
            return name
    return names[-1]


def official_split(article: Article) -> str | None:
    """The corpus' own split that an importer put in ``meta["split"]`` (``None`` when absent)."""
    value = article.meta.get("split") if isinstance(article.meta, Mapping) else None
    if value is None:
        return None
    if not isinstance(value, str) or not SPLIT_NAME.match(value):
        raise ManifestError(
            f"{article.doc_id}: meta['split'] = {value!r} is not a split name; the importer "
            f"must set a name like 'train' or 'test' (letters, digits, _ and .)"
        )
    return value


def _json_object(values: Mapping[str, Any]) -> str:
    """``json.dumps(values, ensure_ascii=False)`` of a flat object, with strings and nulls written
    directly (the manifest writes one per document: 100,000 of them in a large release)."""

    def value(item: Any) -> str:
        if type(item) is str:
            return encode_basestring(item)
        return "null" if item is None else json.dumps(item, ensure_ascii=False)

    return "{" + ", ".join(f"{encode_basestring(key)}: {value(item)}" for key, item in values.items()) + "}"


@dataclass(frozen=True)
class Manifest:
    """The committed split manifest: ratios, salt, dedup parameters and doc_id → :class:`Assignment`."""

    ratios: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RATIOS))
    salt: str = DEFAULT_SALT
    dedup: DedupConfig = field(default_factory=DedupConfig)
    documents: Mapping[str, Assignment] = field(default_factory=dict)
    stratify: str | None = None

    def __len__(self) -> int:
        return len(self.documents)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.documents

    def split_of(self, doc_id: str) -> str:
        """The split of ``doc_id`` (``KeyError`` with the fix when it is not assigned)."""
        try:
            return self.documents[doc_id].split
        except KeyError:
            raise KeyError(
                f"{doc_id}: not in the split manifest; run `khabar split` on the articles to "
                f"assign it (existing assignments never move)"
            ) from None

    def splits(self) -> dict[str, str]:
        """doc_id → split."""
        return {doc_id: a.split for doc_id, a in self.documents.items()}

    def counts(self) -> dict[str, int]:
        """Documents per split (ratio splits first, in order)."""
        counts = dict.fromkeys(self.ratios, 0)
        for assignment in self.documents.values():
            counts[assignment.split] = counts.get(assignment.split, 0) + 1
        return counts

    # -- JSON ---------------------------------------------------------------------------

    def to_json(self) -> str:
        """Canonical JSON: fixed key order, documents sorted by doc_id, one document per line
        (so that a git diff shows exactly which documents were added)."""
        header = {
            "format": MANIFEST_FORMAT,
            "format_version": MANIFEST_FORMAT_VERSION,
            "salt": self.salt,
            "ratios": dict(self.ratios),
            "dedup": self.dedup.to_dict(),
        }
        if self.stratify:
            header["stratify"] = self.stratify
        lines = ["{"]
        for key, value in header.items():
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False, sort_keys=False)},")
        documents = sorted(self.documents.items())
        lines.append('  "documents": {' if documents else '  "documents": {}')
        lines.extend(f"    {encode_basestring(doc_id)}: {_json_object(a.to_dict())}," for doc_id, a in documents)
        if documents:
            lines[-1] = lines[-1][:-1]  # no comma after the last document
            lines.append("  }")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def save(self, path: str | Path) -> Path:
        """Write :meth:`to_json` to ``path`` (atomically: a temporary file, then rename)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.to_json(), encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "manifest") -> Manifest:
        """Parse and check a manifest dict; :class:`ManifestError` names the entry and the fix."""
        if not isinstance(data, Mapping) or data.get("format") != MANIFEST_FORMAT:
            raise ManifestError(f'{where}: not a Khabar split manifest (no "format": "{MANIFEST_FORMAT}")')
        if data.get("format_version") != MANIFEST_FORMAT_VERSION:
            raise ManifestError(
                f"{where}: format_version {data.get('format_version')!r} is not "
                f"{MANIFEST_FORMAT_VERSION}; use the Khabar version that wrote it"
            )
        try:
            ratios = parse_ratios(data.get("ratios") or {})
            dedup = DedupConfig.from_dict(dict(data.get("dedup") or {}))
        except (ManifestError, TypeError, ValueError) as error:
            raise ManifestError(f"{where}: {error}") from None
        salt = data.get("salt")
        if not isinstance(salt, str) or not salt:
            raise ManifestError(
                f"{where}: salt is missing; it fixes the hash assignment and must never change"
            )
        stratify = data.get("stratify")
        if stratify is not None and (not isinstance(stratify, str) or not stratify):
            raise ManifestError(f"{where}: stratify must be an article field name such as \"source\"")
        raw_documents = data.get("documents")
        if not isinstance(raw_documents, Mapping):
            raise ManifestError(f"{where}: documents must be an object doc_id → assignment")
        documents: dict[str, Assignment] = {}
        for doc_id, entry in raw_documents.items():
            try:
                assignment = Assignment(
                    split=entry["split"],
                    cluster=entry["cluster"],
                    by=entry["by"],
                    fingerprint=entry.get("fingerprint"),
                )
            except (KeyError, TypeError):
                raise ManifestError(f"{where}: documents[{doc_id!r}] needs split, cluster and by") from None
            if not isinstance(assignment.split, str) or not SPLIT_NAME.match(assignment.split):
                raise ManifestError(
                    f"{where}: documents[{doc_id!r}] split {assignment.split!r} is not a split name"
                )
            if assignment.by not in ASSIGNED_BY:
                raise ManifestError(
                    f"{where}: documents[{doc_id!r}] by={assignment.by!r} is not one of {list(ASSIGNED_BY)}"
                )
            if assignment.by in ("hash", "stratified") and assignment.split not in ratios:
                raise ManifestError(
                    f"{where}: documents[{doc_id!r}] split {assignment.split!r} is not one of "
                    f"the manifest ratios {list(ratios)}"
                )
            documents[doc_id] = assignment
        return cls(ratios=ratios, salt=salt, dedup=dedup, documents=documents, stratify=stratify)

    @classmethod
    def load(cls, path: str | Path) -> Manifest:
        """Read a manifest file (see :meth:`from_dict`)."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ManifestError(
                f"{path}: not valid JSON ({error.msg}, line {error.lineno}); restore it from git"
            ) from None
        return cls.from_dict(data, where=str(path))


@dataclass
class AssignmentReport:
    """What :func:`assign_splits` did: the new manifest, which doc_ids were added, which joined an
    existing cluster, conflicts it could not resolve without moving old documents, and old
    documents whose text changed since they were assigned (kept where they were)."""

    manifest: Manifest
    added: list[str] = field(default_factory=list)
    joined: dict[str, str] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    changed_text: list[str] = field(default_factory=list)
    kept: int = 0

    def summary(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.manifest.counts().items())
        return (
            f"{self.kept} kept, {len(self.added)} added ({len(self.joined)} joined an existing "
            f"near-duplicate cluster), {len(self.conflicts)} conflict(s), {len(self.changed_text)} "
            f"changed text(s); manifest now {len(self.manifest)} documents: {counts}"
        )


# --------------------------------------------------------------------------- assignment


def assign_splits(
    articles: Iterable[Article],
    manifest: Manifest | None = None,
    *,
    ratios: Mapping[str, float] | None = None,
    salt: str | None = None,
    dedup: DedupConfig | None = None,
    stratify: str | None = None,
    inherit: Manifest | None = None,
    progress: bool = True,
) -> AssignmentReport:
    """Assign every article not yet in ``manifest`` to a split; never move assigned ones.

    Pass *all* the articles (old and new): near-duplicates of old articles can only be found
    among the texts given. ``ratios``/``salt``/``dedup``/``stratify`` start a new manifest; for an
    existing one they must be left out or equal to the manifest's (changing them would move
    documents). ``inherit`` (new manifest only) copies another manifest's assignments first.
    """
    from tqdm.auto import tqdm

    if manifest is None:
        manifest = Manifest(
            ratios=parse_ratios(ratios or DEFAULT_RATIOS),
            salt=salt or DEFAULT_SALT,
            dedup=dedup or DedupConfig(),
            stratify=stratify or None,
        )
        if inherit is not None:
            manifest = _inherited(manifest, inherit)
    else:
        if inherit is not None:
            raise ManifestError("inherit starts a new manifest; this one exists already (leave the option out)")
        for name, asked, fixed in (
            ("ratios", ratios and parse_ratios(ratios), dict(manifest.ratios)),
            ("salt", salt, manifest.salt),
            ("dedup", dedup, manifest.dedup),
            ("stratify", stratify, manifest.stratify),
        ):
            if asked is not None and asked != fixed:
                raise ManifestError(
                    f"{name} {asked!r} differs from the manifest's {fixed!r}; the manifest "
                    f"fixes them (changing them would move documents): leave the option out, "
                    f"or start a new manifest"
                )
    old = manifest.documents
    clusters = NearDuplicateClusters(manifest.dedup)
    official: dict[str, str] = {}
    strata: dict[str, str] = {}
    fingerprints: dict[str, str | None] = {}
    report = AssignmentReport(manifest=manifest)
    for article in tqdm(articles, desc="fingerprinting", unit="doc", disable=not progress):
        doc_id = article.doc_id
        if doc_id in clusters:
            raise ManifestError(
                f"{doc_id}: doc_id appears twice in the input; give every article a unique doc_id"
            )
        normalised = normalise_for_matching(article.text)
        fingerprint = hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16] if normalised else None
        fingerprints[doc_id] = fingerprint
        if manifest.stratify:
            strata[doc_id] = _stratum(article, manifest.stratify)
        clusters.add(doc_id, normalised, anchor=old[doc_id].cluster if doc_id in old else None)
        split = official_split(article)
        if doc_id in old:
            report.kept += 1
            if old[doc_id].fingerprint != fingerprint:
                report.changed_text.append(doc_id)
            if split is not None and split != old[doc_id].split:
                report.conflicts.append(
                    Conflict(
                        doc_id,
                        f"official split {split!r} differs from the manifest's "
                        f"{old[doc_id].split!r}; the manifest wins (nothing moves)",
                    )
                )
        elif split is not None:
            official[doc_id] = split

    cluster_split: dict[str, str] = {}
    cluster_size: dict[str, int] = defaultdict(int)
    for _doc_id, assignment in sorted(old.items()):
        cluster_split.setdefault(assignment.cluster, assignment.split)
        cluster_size[assignment.cluster] += 1

    documents = dict(old)
    pending: list[list[str]] = []  # new clusters of a stratified manifest, assigned after the rest
    for found in clusters.clusters(progress=progress):
        new_members = sorted(found.members)
        old_clusters = sorted(found.anchors, key=lambda c: (-cluster_size[c], c))
        if old_clusters:
            cluster = old_clusters[0]
            split, by = cluster_split[cluster], "cluster"
            others = sorted({cluster_split[c] for c in old_clusters} - {split})
            for doc_id in new_members:
                report.joined[doc_id] = cluster
            if others:
                report.conflicts.append(
                    Conflict(
                        new_members[0],
                        f"near-duplicate of assigned clusters in "
                        f"splits {[split, *others]}; joined {cluster!r} ({split}), "
                        f"old assignments never move",
                    )
                )
        else:
            cluster = new_members[0]
            canonical_official = next((m for m in new_members if m in official), None)
            if canonical_official is not None:
                split, by = official[canonical_official], "cluster"
                disagreeing = sorted({official[m] for m in new_members if m in official} - {split})
                if disagreeing:
                    report.conflicts.append(
                        Conflict(
                            cluster,
                            f"near-duplicates carry different official splits "
                            f"{[split, *disagreeing]}; each keeps its own",
                        )
                    )
            elif manifest.stratify:
                pending.append(new_members)
                continue
            else:
                split, by = hash_split(cluster, manifest.ratios, manifest.salt), "hash"
        for doc_id in new_members:
            if doc_id in official:
                if official[doc_id] != split:
                    report.conflicts.append(
                        Conflict(
                            doc_id,
                            f"official split {official[doc_id]!r} kept although "
                            f"its near-duplicate cluster {cluster!r} is in {split!r}",
                        )
                    )
                documents[doc_id] = Assignment(official[doc_id], cluster, "official", fingerprints[doc_id])
            else:
                documents[doc_id] = Assignment(split, cluster, by, fingerprints[doc_id])
            report.added.append(doc_id)
    for members, split in _stratified_splits(pending, documents, strata, manifest).items():
        for doc_id in members:
            documents[doc_id] = Assignment(split, members[0], "stratified", fingerprints[doc_id])
            report.added.append(doc_id)
    report.added.sort()
    report.manifest = Manifest(
        ratios=dict(manifest.ratios),
        salt=manifest.salt,
        dedup=manifest.dedup,
        documents=dict(sorted(documents.items())),
        stratify=manifest.stratify,
    )
    return report


def _stratum(article: Article, name: str) -> str:
    """The value of field ``name`` (an Article attribute, else ``meta[name]``) that stratifies splits."""
    value = getattr(article, name, None) if name in Article.__dataclass_fields__ else article.meta.get(name)
    if not isinstance(value, str) or not value:
        raise ManifestError(
            f"{article.doc_id}: the manifest stratifies splits by {name!r} but this article has "
            f"{name} = {value!r}; give every article a non-empty {name} (or start a manifest without stratify)"
        )
    return value


def _inherited(manifest: Manifest, inherit: Manifest) -> Manifest:
    """``manifest`` (new, empty) holding ``inherit``'s documents in their splits, marked inherited."""
    outside = sorted({a.split for a in inherit.documents.values()} - set(manifest.ratios))
    if outside:
        raise ManifestError(f"the inherited manifest has split(s) {outside} that the new ratios "
                            f"{list(manifest.ratios)} lack; add them to the ratios")
    documents = {doc_id: Assignment(a.split, a.cluster, "inherited", a.fingerprint)
                 for doc_id, a in inherit.documents.items()}
    return Manifest(ratios=manifest.ratios, salt=manifest.salt, dedup=manifest.dedup,
                    documents=documents, stratify=manifest.stratify)


def _stratified_splits(pending: list[list[str]], documents: Mapping[str, Assignment],
                       strata: Mapping[str, str], manifest: Manifest) -> dict[tuple[str, ...], str]:
    """Each new cluster (its sorted members) → the split furthest below its ratio in the cluster's
    stratum (the stratum of its first member), clusters taken in ``sha256(salt, cluster)`` order;
    ties go to the split listed first in the ratios. Documents of unknown stratum are not counted.

    >>> m = Manifest(ratios={"train": 0.5, "test": 0.5}, stratify="source")
    >>> out = _stratified_splits([["a"], ["b"], ["c"], ["d"]], {}, dict.fromkeys("abcd", "x"), m)
    >>> sorted(out.values())
    ['test', 'test', 'train', 'train']
    """
    names = list(manifest.ratios)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
    for doc_id, assignment in documents.items():
        if doc_id in strata and assignment.split in counts[strata[doc_id]]:
            counts[strata[doc_id]][assignment.split] += 1

    def order(members: list[str]) -> bytes:
        return hashlib.sha256(f"{manifest.salt}\x00{members[0]}".encode()).digest()

    chosen: dict[tuple[str, ...], str] = {}
    for members in sorted(pending, key=order):
        stratum = counts[strata[members[0]]]
        total = sum(stratum.values()) + len(members)
        split = max(names, key=lambda n: (manifest.ratios[n] * total - stratum[n], -names.index(n)))
        stratum[split] += len(members)
        chosen[tuple(members)] = split
    return chosen
