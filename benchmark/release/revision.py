"""The dataset revision: one sha256 that changes whenever the split manifest or any data file does.

Results are keyed by (task, task version, dataset revision) (DESIGN §5). The revision covers the
released split manifest, every public parquet file and every private gold file, each in a
canonical order::

    sha256("khabar-revision-1\\n"
           "manifest <sha256 of the canonical manifest JSON>\\n"
           "public <relative path> <sha256>\\n" ...   (sorted by path)
           "gold <sha256 over the private lines>\\n")

The private part enters only through ``gold_sha256`` (published in ``khabar_release.json``), so
anyone holding the public folder can recompute the revision with :func:`verify_release`, and
the leaderboard can check that its private gold belongs to the same revision.

>>> files = {"data/ner/train-00000-of-00001.parquet": "cd" * 32}
>>> revision, gold = dataset_revision("ab" * 32, files, {})
>>> len(revision), revision == dataset_revision("ab" * 32, files, {})[0]
(64, True)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.release.splits import Manifest

__all__ = ["dataset_revision", "file_sha256", "manifest_sha256", "verify_release"]

REVISION_SCHEME = "khabar-revision-1"


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    """sha256 of a file's bytes (streamed)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def manifest_sha256(manifest: Manifest | str) -> str:
    """sha256 of the manifest's canonical JSON (:meth:`Manifest.to_json`, or that text itself)."""
    text = manifest if isinstance(manifest, str) else manifest.to_json()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lines(kind: str, hashes: Mapping[str, str]) -> str:
    return "".join(f"{kind} {path} {digest}\n" for path, digest in sorted(hashes.items()))


def dataset_revision(
    manifest_digest: str, public: Mapping[str, str], private: Mapping[str, str]
) -> tuple[str, str]:
    """``(revision, gold_sha256)`` from the manifest digest and the ``path → sha256`` maps of the
    public and private data files (paths relative to their folders, ``/``-separated)."""
    gold = hashlib.sha256(_lines("private", private).encode("utf-8")).hexdigest()
    text = f"{REVISION_SCHEME}\nmanifest {manifest_digest}\n{_lines('public', public)}gold {gold}\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), gold


def verify_release(folder: str | Path) -> list[str]:
    """Recompute a built folder's revision from its files; return the problems (empty = verified).

    For a public folder the private part is taken from its recorded ``gold_sha256``; for a private
    folder the gold files are hashed (the public hashes cannot be checked from there and are taken
    from the record)."""
    from benchmark.release.build import RELEASE_FILE
    from benchmark.release.splits import Manifest

    folder = Path(folder)
    record_path = folder / RELEASE_FILE
    if not record_path.exists():
        return [f"{folder}: no {RELEASE_FILE}; this is not a folder built by `khabar build`"]
    record = json.loads(record_path.read_text(encoding="utf-8"))
    problems = []
    actual = {
        str(p.relative_to(folder).as_posix()): file_sha256(p)
        for p in sorted(folder.glob("data/**/*.parquet"))
    }
    recorded = record.get("files", {})
    for path in sorted(set(actual) | set(recorded)):
        if actual.get(path) != recorded.get(path):
            state = "missing" if path not in actual else "not recorded" if path not in recorded else "changed"
            problems.append(f"{path}: {state} since the build")
    if record.get("visibility") == "public":
        manifest = Manifest.load(folder / "splits.json")
        digest = manifest_sha256(manifest)
        if digest != record.get("manifest_sha256"):
            problems.append("splits.json: changed since the build")
        gold = record.get("gold_sha256", "")
        text = f"{REVISION_SCHEME}\nmanifest {digest}\n{_lines('public', actual)}gold {gold}\n"
        revision = hashlib.sha256(text.encode("utf-8")).hexdigest()
    else:
        gold = hashlib.sha256(_lines("private", actual).encode("utf-8")).hexdigest()
        if gold != record.get("gold_sha256"):
            problems.append("private gold files: changed since the build")
        revision = record.get("revision")
    if revision != record.get("revision"):
        problems.append(
            f"revision {revision} recomputed from the files differs from the recorded "
            f"{record.get('revision')}"
        )
    return problems
