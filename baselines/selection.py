"""Selecting articles by a split manifest: ``--manifest FILE --split NAME`` of the baseline commands.

Khabar's own corpora keep their splits in a manifest (``annotations/splits/manifest.json``), not in each
article's ``meta`` — so ``--where split=train`` selects nothing on them. ``--manifest`` is spelled as in
``khabar build``; ``--split`` (repeatable) names the splits to keep, as ``khabar evaluate --split`` does.

>>> from benchmark.model import Article
>>> from benchmark.release.splits import Assignment, Manifest
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> manifest = Manifest(documents={"a": Assignment("train", "a", "hash"), "b": Assignment("test", "b", "hash")})
>>> path = manifest.save(folder / "manifest.json")
>>> chosen = ManifestSplits.from_args(path, ["train"]).select([Article("a", "x"), Article("b", "y")], "in.jsonl")
>>> [a.doc_id for a in chosen]
['a']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmark.model import Article

__all__ = ["ManifestSplits"]


@dataclass(frozen=True)
class ManifestSplits:
    """The documents that a split manifest assigns to the named splits."""

    manifest: Path
    splits: tuple[str, ...]

    @classmethod
    def from_args(cls, manifest: str | Path | None, splits: Sequence[str] | None, flag: str = "--split"
                  ) -> ManifestSplits | None:
        """``None`` when neither is given; both or neither (``ValueError`` saying which one is missing;
        ``flag`` is how the command spells the splits option)."""
        if not manifest and not splits:
            return None
        if not manifest:
            raise ValueError(f"{flag} {' '.join(splits or [])} needs --manifest FILE, the split manifest that "
                             "assigns the documents (e.g. annotations/splits/manifest.json)")
        if not splits:
            raise ValueError(f"--manifest {manifest} needs {flag} NAME, the split(s) to keep (e.g. {flag} train)")
        return cls(Path(manifest), tuple(splits))

    def doc_ids(self) -> frozenset[str]:
        """The doc_ids in :attr:`splits`; a split the manifest does not have is an error listing those it has."""
        from benchmark.release.splits import Manifest

        if not self.manifest.is_file():
            raise FileNotFoundError(f"{self.manifest} does not exist (fix: pass a split manifest, e.g. "
                                    "annotations/splits/manifest.json)")
        manifest = Manifest.load(self.manifest)
        counts = manifest.counts()
        unknown = [s for s in self.splits if not counts.get(s)]
        if unknown:
            having = {s: n for s, n in counts.items() if n}
            raise ValueError(f"{self.manifest}: no document is in split(s) {unknown} (it has {having}; "
                             "fix: --split one of those)")
        return frozenset(d for d, a in manifest.documents.items() if a.split in self.splits)

    def select(self, articles: Sequence[Article], source: str | Path) -> list[Article]:
        """The articles of ``source`` in :attr:`splits` (input order); none is an error naming both files."""
        wanted = self.doc_ids()
        chosen = [a for a in articles if a.doc_id in wanted]
        if not chosen:
            raise ValueError(f"{source}: none of its {len(articles)} article(s) is among the {len(wanted)} document(s) "
                             f"that {self.manifest} puts in {list(self.splits)} (fix: give the articles that "
                             "manifest assigns, e.g. `khabar rehydrate` output for Khabar v0.1)")
        return chosen
