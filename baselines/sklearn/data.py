"""Reading training/prediction articles for the sklearn baselines, and writing submissions.

Articles come from an Article JSONL (``khabar import …`` output or Khabar's own gold), validated
with a label schema (``khabar`` or an importer's name, as ``khabar evaluate --schema`` takes).
A selection keeps the articles whose ``meta`` matches every ``--where KEY=VALUE`` and none of the
``--exclude KEY=VALUE`` (values compared as text: ``--where split=train``, ``--exclude fold=3``);
the keys ``doc_id``, ``source`` and ``variety`` match the article's own fields.

>>> parse_conditions(["split=train", "fold=3"])
[('split', 'train'), ('fold', '3')]
>>> from benchmark.model import Article
>>> arts = [Article(doc_id="a", text="x", meta={"fold": 1}), Article(doc_id="b", text="y", meta={"fold": 2})]
>>> [a.doc_id for a in select(arts, where=[], exclude=[("fold", "1")])]
['b']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from baselines.selection import ManifestSplits
from benchmark.model import Article

__all__ = ["load_articles", "parse_conditions", "resolve_schema", "select", "write_jsonl"]


def parse_conditions(pairs: Sequence[str] | None) -> list[tuple[str, str]]:
    """``["split=train"]`` → ``[("split", "train")]``; a malformed pair raises naming it."""
    out = []
    for pair in pairs or []:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip():
            raise ValueError(f"condition {pair!r} is not KEY=VALUE (e.g. split=train, fold=3)")
        out.append((key.strip(), value.strip()))
    return out


_ARTICLE_KEYS = ("doc_id", "source", "variety")


def _value(article: Article, key: str) -> Any:
    """``doc_id``/``source``/``variety`` are the article's fields; any other key is read from ``meta``."""
    if key in _ARTICLE_KEYS:
        return getattr(article, key)
    return article.meta.get(key)


def _matches(article: Article, key: str, value: str) -> bool:
    found = _value(article, key)
    return found is not None and str(found) == value


def select(articles: Iterable[Article], where: Sequence[tuple[str, str]],
           exclude: Sequence[tuple[str, str]]) -> list[Article]:
    """The articles matching every ``where`` and no ``exclude`` condition (on meta, or on
    ``doc_id``/``source``/``variety``)."""
    return [a for a in articles
            if all(_matches(a, k, v) for k, v in where) and not any(_matches(a, k, v) for k, v in exclude)]


def resolve_schema(name: str | None):
    """``None``/``"khabar"`` → Khabar's schema; an importer name → that corpus' schema; a path → a schema file."""
    from benchmark.schema import KHABAR
    from benchmark.schema import resolve_schema as resolve

    return resolve(name, default=KHABAR)  # the default evaluate uses too: train, predict and score agree


def load_articles(path: str | Path, schema_name: str | None = None, where: Sequence[str] | None = None,
                  exclude: Sequence[str] | None = None, splits: ManifestSplits | None = None) -> list[Article]:
    """Validated articles of an Article JSONL, kept by a split manifest (``splits``: ``--manifest
    FILE --split NAME``) and filtered by meta conditions.

    Raises ``ValueError`` when the selection is empty (naming the file and the conditions and
    which values the meta keys do take), so a typo never trains on nothing.
    """
    from benchmark.io import read_articles

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist (an Article JSONL, e.g. from `khabar import`)")
    conditions, exclusions = parse_conditions(where), parse_conditions(exclude)
    articles = list(read_articles(path, resolve_schema(schema_name)))
    if splits is not None:
        articles = splits.select(articles, path)
    chosen = select(articles, conditions, exclusions)
    if not chosen:
        seen: dict[str, set[str]] = {}
        for article in articles:
            for key, _ in conditions + exclusions:
                if _value(article, key) is not None:
                    seen.setdefault(key, set()).add(str(_value(article, key)))
        found = "; ".join(f"{k} takes {sorted(v)[:10]}" for k, v in seen.items()) or "no article has those keys"
        raise ValueError(f"{path}: no article among {len(articles)} matches where={where or []} "
                         f"exclude={exclude or []} ({found})")
    return chosen


def write_jsonl(path: str | Path, lines: Iterable[Mapping[str, Any]]) -> int:
    """Write dict lines as UTF-8 JSONL (Arabic unescaped); return the count (:func:`benchmark.io.write_jsonl`)."""
    from benchmark.io import write_jsonl as write

    return write(path, lines)
