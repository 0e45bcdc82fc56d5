"""ANS (Khouja, 2020) stance pairs → one :class:`~benchmark.model.Article` per pair.

``stance/{train,dev,test}.csv`` have the columns ``s1,s2,stance`` with ``agree / disagree /
other``. Each row becomes an article whose ``text`` is ``s2`` (the paraphrased or corrupted
title) with one :class:`~benchmark.model.Stance` held by ``"article"`` toward ``s1`` (the
original title), its label kept as it is (:data:`ANS_SCHEMA`). The official split goes to
``meta["split"]``; the doc_id is ``ans/<split>/<row>`` (row = 1-based data row, zero-padded).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "test.csv").write_text("s1,s2,stance\\nارتفاع النفط,صعود النفط,agree\\n", encoding="utf-8")
>>> [a] = import_ans(folder / "test.csv")
>>> a.doc_id, a.text, a.stances[0].target, a.stances[0].label, a.meta["split"]
('ans/test/0001', 'صعود النفط', 'ارتفاع النفط', 'agree', 'test')
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from benchmark.importers._common import ImportProblem, ImportReport, checked
from benchmark.model import Article, Provenance, Stance
from benchmark.schema import ARTICLE_HOLDER, LabelSchema, builtin_schema

__all__ = ["ANS_SCHEMA", "ANS_SPLITS", "import_ans"]

ANS_SCHEMA: LabelSchema = builtin_schema("ans")
"""ANS stance labels, as published (``other`` is roughly "unrelated")."""

ANS_SPLITS = ("train", "dev", "test")
COLUMNS = ("s1", "s2", "stance")


def _files(path: Path) -> list[tuple[str, Path]]:
    """``(split, file)`` for a split file, the ``stance`` folder or the corpus folder."""
    if path.is_file():
        if path.stem not in ANS_SPLITS:
            raise ValueError(f"{path}: an ANS stance file is named train.csv, dev.csv or test.csv "
                             "(the name gives the split)")
        return [(path.stem, path)]
    folder = path / "stance" if (path / "stance").is_dir() else path
    files = [(split, folder / f"{split}.csv") for split in ANS_SPLITS if (folder / f"{split}.csv").is_file()]
    if not files:
        raise FileNotFoundError(f"{path}: no stance/{{train,dev,test}}.csv here")
    return files


def import_ans(path: str | Path, *, report: ImportReport | None = None,
               strict: bool = True) -> Iterator[Article]:
    """Yield one article per ANS stance pair from a split file, the ``stance`` folder or the
    corpus folder (all three splits, in train/dev/test order)."""
    report = report if report is not None else ImportReport("ans")
    for split, file in _files(Path(path)):
        with file.open("r", encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None or tuple(h.strip() for h in header) != COLUMNS:
                raise ImportProblem(f"{file.name}:1", [f"header {header!r} is not {','.join(COLUMNS)}"])
            for row_number, row in enumerate(reader, start=1):
                where = f"{split}/{file.name}:{reader.line_num} (row {row_number})"
                if len(row) != 3:
                    raise ImportProblem(where, [f"expected 3 columns (s1,s2,stance), got {len(row)}"])
                s1, s2, label = row
                if not s2.strip():
                    report.note(where, "empty_text_skipped", "s2 (the article text) is empty; row skipped")
                    continue
                doc_id = f"ans/{split}/{row_number:04d}"
                fields = {"doc_id": doc_id, "text": s2, "variety": "msa", "meta": {"split": split},
                          "stances": (Stance("s1", holder=ARTICLE_HOLDER, target=s1, label=label.strip()),),
                          "provenance": Provenance(source=f"ans:stance/{file.name}")}
                article = checked(fields, ANS_SCHEMA, where, report, strict)
                if article is not None:
                    report.count("articles")
                    report.count(f"articles_{split}")
                    yield article
