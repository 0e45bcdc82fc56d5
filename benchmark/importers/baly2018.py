"""Baly et al. (2018) Arabic fact-checking and stance corpus → one article per claim–article pair.

Each ``dataset/<claim id>.json`` holds ``id, claim, fact, article[], url[], stance[],
rationale[]`` (parallel lists). Each pair becomes an :class:`~benchmark.model.Article` whose
``text`` is the article body, with one :class:`~benchmark.model.Stance` held by ``"article"``
toward the claim, labelled ``agree / disagree / discuss / unrelated`` (:data:`BALY_SCHEMA`).
``meta["fold"]`` is the claim's cross-validation fold (1–5) from ``train_test_splits.txt``.

**The claim ids leak the veracity label** (every ``R-`` claim is true, every ``V-`` claim false),
so nothing released may carry them:

- the doc_id is ``baly2018/<claim key>/<NN>``: the claim key is the first 10 hex digits of
  ``sha256("baly2018:" + claim id)`` and ``NN`` the article's position in the claim's list.
  The key is stable and opaque; it is not a secret (anyone holding the corpus can recompute it,
  and they hold the labels anyway) — it only keeps the R/V prefix out of the features;
- articles are yielded in claim-key order, not file order (file order puts every true claim first);
- ``fact`` and ``rationale`` (which exists only for agree/disagree pairs, so it leaks the stance)
  are left out. With ``private=True`` they go under ``meta["private"]`` together with the claim
  id, for gold-side tools; a release must drop ``meta["private"]``.

Empty article bodies are skipped, counted and noted (``empty_article_skipped``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from benchmark.importers._common import ImportProblem, ImportReport, checked
from benchmark.model import Article, Provenance, Stance
from benchmark.schema import ARTICLE_HOLDER, LabelSchema, builtin_schema

__all__ = ["BALY_SCHEMA", "claim_key", "import_baly2018", "read_folds"]

BALY_SCHEMA: LabelSchema = builtin_schema("baly2018")
"""Baly et al. (2018) stance labels, as published (FNC-1 style)."""

SPLITS_FILE = "train_test_splits.txt"
KEY_SALT = "baly2018:"
_FOLD_LINE = re.compile(r"^\s*Fold_(\d+)\s*:(.*)$")


def claim_key(claim_id: str) -> str:
    """The opaque, stable key that stands for a claim in doc_ids (no R-/V- prefix).

    >>> claim_key("R-10") != claim_key("V-10") and len(claim_key("R-10")) == 10
    True
    """
    return hashlib.sha256((KEY_SALT + claim_id).encode("utf-8")).hexdigest()[:10]


def read_folds(path: str | Path) -> dict[str, int]:
    """Claim id → fold number from ``train_test_splits.txt`` (``Fold_1: R-73 V-249 …``)."""
    path = Path(path)
    folds: dict[str, int] = {}
    with path.open("r", encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            match = _FOLD_LINE.match(line)
            if not match:
                raise ImportProblem(f"{path.name}:{number}", ["expected 'Fold_<n>: <claim id> <claim id> …'"])
            for claim_id in match.group(2).split():
                if claim_id in folds:
                    raise ImportProblem(f"{path.name}:{number}", [f"claim {claim_id} is already in fold "
                                                                  f"{folds[claim_id]}"])
                folds[claim_id] = int(match.group(1))
    return folds


def _locate(path: Path) -> tuple[Path, Path | None]:
    """The folder of claim JSON files and the splits file (if any)."""
    if (path / "dataset").is_dir():
        dataset = path / "dataset"
    elif path.is_dir():
        dataset = path
    else:
        raise FileNotFoundError(f"{path}: expected the corpus folder (with dataset/) or the dataset folder")
    for candidate in (dataset.parent / SPLITS_FILE, dataset / SPLITS_FILE):
        if candidate.is_file():
            return dataset, candidate
    return dataset, None


def import_baly2018(path: str | Path, *, private: bool = False, report: ImportReport | None = None,
                    strict: bool = True) -> Iterator[Article]:
    """Yield one article per claim–article pair, in claim-key order (see the module docs)."""
    report = report if report is not None else ImportReport("baly2018")
    dataset, splits_file = _locate(Path(path))
    folds = read_folds(splits_file) if splits_file else {}
    if splits_file is None:
        report.note(str(dataset), "no_folds_file", f"no {SPLITS_FILE} found: meta['fold'] is null")
    files = sorted(dataset.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"{dataset}: no claim JSON files")
    keyed: dict[str, Path] = {}
    for file in files:
        key = claim_key(file.stem)
        if key in keyed:
            raise ImportProblem(file.name, [f"claim key {key} collides with {keyed[key].name}; "
                                            "change KEY_SALT"])
        keyed[key] = file
    for key in sorted(keyed):
        file = keyed[key]
        try:
            record = json.loads(file.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as error:
            raise ImportProblem(file.name, [f"not valid JSON ({error.msg}, line {error.lineno})"]) from None
        claim_id = record.get("id")
        if claim_id != file.stem:
            raise ImportProblem(file.name, [f"id {claim_id!r} does not match the file name"])
        lists = {name: record.get(name) for name in ("article", "url", "stance", "rationale")}
        bad = [name for name, value in lists.items() if not isinstance(value, list)]
        lengths = {len(v) for v in lists.values() if isinstance(v, list)}
        if bad or len(lengths) != 1:
            raise ImportProblem(file.name, [f"article/url/stance/rationale must be parallel lists "
                                            f"(not lists: {bad}; lengths: {sorted(lengths)})"])
        claim = record.get("claim") if isinstance(record.get("claim"), str) else ""
        fold = folds.get(claim_id)
        if folds and fold is None:
            report.note(file.name, "claim_without_fold", f"claim is in no fold of {SPLITS_FILE}")
        report.count("claims")
        for index, (body, url, label, rationale) in enumerate(
                zip(lists["article"], lists["url"], lists["stance"], lists["rationale"], strict=True)):
            where = f"{file.name}: article[{index}]"
            if not isinstance(body, str) or not body.strip():
                report.note(where, "empty_article_skipped", "empty article body; pair skipped")
                continue
            meta: dict = {"fold": fold, "claim_key": key}
            if private:
                meta["private"] = {"claim_id": claim_id, "fact": record.get("fact"), "rationale": rationale}
            doc_id = f"baly2018/{key}/{index:02d}"
            fields = {"doc_id": doc_id, "text": body, "url": url or None,
                      "source": urlsplit(url).hostname if isinstance(url, str) and url else None,
                      "variety": "msa", "meta": meta,
                      "stances": (Stance("s1", holder=ARTICLE_HOLDER, target=claim, label=label),),
                      "provenance": Provenance(source="baly2018")}
            article = checked(fields, BALY_SCHEMA, where, report, strict)
            if article is not None:
                report.count("articles")
                yield article
