"""Mawqif (Alturayeif et al., 2022) target-specific stance in tweets → one article per row.

``Mawqif_AllTargets_{Train,Test}.csv`` (UTF-8 with BOM) have ``ID,text,target,stance,…``.
Each row becomes an :class:`~benchmark.model.Article` whose ``text`` is the tweet, as it is
(leading/trailing spaces included: there are no spans to trim), with one
:class:`~benchmark.model.Stance` held by ``"article"`` toward the target (``Covid Vaccine`` …),
labelled ``Favor / Against / None`` (:data:`MAWQIF_SCHEMA`, labels as published).

- doc_id ``mawqif/<ID>`` (IDs are unique across train and test; a repeat is an error);
- ``variety = "dialect"``: the tweets are multi-dialectal and carry no per-tweet dialect label,
  so :data:`MAWQIF_VARIETY` says "dialectal Arabic, dialect not identified";
- ``published`` is the date of ``datetime``; ``meta`` keeps ``split`` (train/test, from the file
  name), ``stance_confidence``, the reasons, ``sarcasm`` and ``sentiment``;
- the **Blind Test** file holds the same IDs and texts as the labelled Test file without labels,
  so it is not extra data: a folder import skips it with a note (``blind_test_skipped``), and
  passing it explicitly is an error that says to use the Test file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from benchmark.importers._common import ImportProblem, ImportReport, checked
from benchmark.model import Article, Provenance, Stance
from benchmark.schema import ARTICLE_HOLDER, LabelSchema, builtin_schema

__all__ = ["MAWQIF_SCHEMA", "MAWQIF_VARIETY", "import_mawqif"]

MAWQIF_SCHEMA: LabelSchema = builtin_schema("mawqif")
"""Mawqif stance labels, as published."""

MAWQIF_VARIETY = "dialect"
"""Variety code for Mawqif tweets: dialectal Arabic, dialect not identified."""

FILES = {"train": "Mawqif_AllTargets_Train.csv", "test": "Mawqif_AllTargets_Test.csv"}
BLIND_FILE = "Mawqif_AllTargets_Blind Test.csv"
META_COLUMNS = {"stance:confidence": "stance_confidence", "against_reason": "against_reason",
                "favor_reason": "favor_reason", "none_reason": "none_reason", "sarcasm": "sarcasm",
                "sarcasm:confidence": "sarcasm_confidence", "sentiment": "sentiment",
                "sentiment:confidence": "sentiment_confidence", "datetime": "datetime"}


def _files(path: Path, report: ImportReport) -> list[tuple[str, Path]]:
    if path.is_file():
        if path.name == BLIND_FILE or "blind" in path.name.lower():
            raise ValueError(f"{path}: the blind test holds the same IDs and texts as {FILES['test']} "
                             f"without labels; import {FILES['test']} instead")
        split = "test" if "test" in path.name.lower() else "train" if "train" in path.name.lower() else None
        if split is None:
            raise ValueError(f"{path}: cannot tell the split from the file name "
                             "(expected …Train.csv or …Test.csv)")
        return [(split, path)]
    files = [(split, path / name) for split, name in FILES.items() if (path / name).is_file()]
    if not files:
        raise FileNotFoundError(f"{path}: none of {sorted(FILES.values())} here")
    if (path / BLIND_FILE).is_file():
        report.note(BLIND_FILE, "blind_test_skipped",
                    f"same IDs and texts as {FILES['test']} without labels: not imported")
    return files


def import_mawqif(path: str | Path, *, report: ImportReport | None = None,
                  strict: bool = True) -> Iterator[Article]:
    """Yield one article per labelled Mawqif row from a CSV file or the corpus folder (train, then test)."""
    report = report if report is not None else ImportReport("mawqif")
    seen: dict[str, str] = {}
    for split, file in _files(Path(path), report):
        with file.open("r", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"ID", "text", "target", "stance"} - set(reader.fieldnames or ())
            if missing:
                raise ImportProblem(f"{file.name}:1", [f"missing column(s) {sorted(missing)}"])
            for row in reader:
                where = f"{file.name}:{reader.line_num}"
                if None in row or None in row.values():  # csv.DictReader's rest key / rest value
                    raise ImportProblem(where, [f"the row has {'more' if None in row else 'fewer'} columns than the "
                                                f"header ({len(reader.fieldnames or ())}); fix the row (a comma inside "
                                                "a text must be quoted)"])
                tweet_id = (row.get("ID") or "").strip()
                if not tweet_id:
                    raise ImportProblem(where, ["empty ID"])
                if tweet_id in seen:
                    raise ImportProblem(where, [f"ID {tweet_id} repeats {seen[tweet_id]}"])
                seen[tweet_id] = where
                if not (row.get("text") or "").strip():
                    report.note(where, "empty_text_skipped", "empty tweet text; row skipped")
                    continue
                meta = {"split": split, **{key: row[col] for col, key in META_COLUMNS.items() if col in row}}
                stamp = (row.get("datetime") or "").strip()
                published = stamp[:10] if len(stamp) >= 10 else None
                stance = Stance("s1", holder=ARTICLE_HOLDER, target=row["target"] or "",
                                label=(row["stance"] or "").strip())
                fields = {"doc_id": f"mawqif/{tweet_id}", "text": row["text"], "source": "twitter",
                          "published": published, "variety": MAWQIF_VARIETY, "meta": meta,
                          "stances": (stance,),
                          "provenance": Provenance(source=f"mawqif:{file.name}")}
                article = checked(fields, MAWQIF_SCHEMA, where, report, strict)
                if article is not None:
                    report.count("articles")
                    report.count(f"articles_{split}")
                    yield article
