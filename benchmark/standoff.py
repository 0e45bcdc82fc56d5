"""Stand-off annotations: everything of an :class:`~benchmark.model.Article` except the corpus text.

Khabar v0.1 annotates SaudiNewsNet articles, whose text is licensed CC BY-NC-SA 4.0 and stays
with its newspapers: we commit the annotations only, as offsets on a text identified by its
SHA-256, and each user *rehydrates* them from their own copy of the corpus.

One JSONL record per article::

    {"format": "khabar-standoff", "format_version": 1, "doc_id": "saudinewsnet/…/0009",
     "corpus": {"name": "saudinewsnet", "repository": "…", "commit": "4e39…"},
     "text_sha256": "…", "text_length": 947, "title_sha256": "…" | null,
     "source": "3alyoum", "url": "…", "published": "2015-07-24", "variety": "msa",
     "meta": {"date_extracted": "…"}, "meta_sha256": {"author": "…" | null},
     "entities": [{"id", "start", "end", "label", "cluster"}],
     "quotes": [{"id", "start", "end", "kind", "cue": {"start", "end"} | null, "speaker", "speaker_elided"}],
     "stances": [{"id", "holder", "target", "label", "target_mention"}],
     "provenance": {…}}

No span surface is stored: entity/quote/cue offsets only. A stance ``target`` is the annotator's
own wording of the topic (ours, so it stays). Text-valued corpus metadata (the title, the
``author`` field, which often holds a dateline and a name) is stored as a SHA-256 only and taken
back from the user's corpus.

>>> from benchmark.model import Article, Mention
>>> art = Article(doc_id="demo/1", text="قال بوتين", entities=(Mention("m1", 4, 9, "PER"),))
>>> record = to_standoff(art)
>>> "text" in record, record["text_length"]
(False, 9)
>>> rehydrate(record, "قال بوتين") == art
True
>>> try:
...     rehydrate(record, "قال بوتن")
... except StandoffError as error:
...     print(error.message[:54])
your copy of the corpus differs from the one annotated
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.model import Article, ArticleError, Issue
from benchmark.schema import KHABAR, LabelSchema

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "TEXT_META_KEYS",
    "RehydrationResult",
    "StandoffError",
    "read_standoff",
    "rehydrate",
    "rehydrate_all",
    "sha256_text",
    "to_standoff",
    "write_standoff",
]

FORMAT = "khabar-standoff"
FORMAT_VERSION = 1
#: ``meta`` keys whose values are corpus text (kept as a SHA-256 only, restored from the corpus)
TEXT_META_KEYS = ("author",)

#: where each supported corpus comes from (named in the mismatch error's fix)
CORPORA: dict[str, dict[str, str]] = {
    "saudinewsnet": {
        "name": "saudinewsnet",
        "repository": "github.com/parallelfold/SaudiNewsNet (dataset/*.zip)",
        "commit": "4e39239966c2ae8a3faa591201acb9cd1f51199d",
    },
}


class StandoffError(ValueError):
    """A stand-off record cannot be rehydrated; the message names the doc_id, the cause and the fix."""

    def __init__(self, doc_id: str, message: str, fix: str):
        self.doc_id, self.message, self.fix = doc_id, message, fix
        super().__init__(f"{doc_id}: {message} (fix: {fix})")


def sha256_text(text: str) -> str:
    """The SHA-256 (hex) of a text's UTF-8 bytes.

    >>> sha256_text("خبر")[:12]
    '44185590c5a9'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _optional_sha(value: Any) -> str | None:
    return None if value is None else sha256_text(str(value))


def _corpus_of(doc_id: str) -> dict[str, str] | None:
    name = doc_id.split("/", 1)[0]
    return dict(CORPORA[name]) if name in CORPORA else None


def to_standoff(article: Article, *, corpus: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The stand-off record of an article: offsets, ids, labels and hashes, no corpus text.

    ``corpus`` (name, repository, commit) defaults to the known corpus named by the doc_id prefix.
    """
    data = article.to_dict()
    meta = {k: v for k, v in data["meta"].items() if k not in TEXT_META_KEYS}
    meta_sha = {k: _optional_sha(data["meta"][k]) for k in TEXT_META_KEYS if k in data["meta"]}
    entities = [{k: e[k] for k in ("id", "start", "end", "label", "cluster")} for e in data["entities"]]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "doc_id": article.doc_id,
        "corpus": dict(corpus) if corpus is not None else _corpus_of(article.doc_id),
        "text_sha256": sha256_text(article.text),
        "text_length": len(article.text),
        "title_sha256": _optional_sha(article.title),
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "variety": article.variety,
        "meta": meta,
        "meta_sha256": meta_sha,
        "entities": entities,
        "quotes": data["quotes"],
        "stances": data["stances"],
        "provenance": data["provenance"],
    }


def _fix(record: Mapping[str, Any]) -> str:
    corpus = record.get("corpus") or {}
    if corpus.get("commit"):
        return (
            f"use the original corpus at commit {corpus['commit']} of {corpus.get('repository', corpus.get('name'))}"
        )
    return "use the exact corpus copy the annotations were made on"


def rehydrate(
    record: Mapping[str, Any],
    text: str,
    *,
    title: str | None = None,
    text_meta: Mapping[str, Any] | None = None,
    schema: LabelSchema = KHABAR,
) -> Article:
    """The validated :class:`Article` of a stand-off record on ``text`` (the user's copy).

    Labels are checked against ``schema`` (Khabar's: entity labels and the ``SOURCE`` mentions of
    guidelines 2.0 §5.7, which are ``entities`` items with ``"label": "SOURCE"``).

    ``title`` and ``text_meta`` (e.g. ``{"author": …}``) come from the user's corpus too; each is
    checked against its stored SHA-256. Raises :class:`StandoffError` naming the doc_id when a
    hash differs (so offsets would point at the wrong characters), and
    :class:`~benchmark.model.ArticleError` when the rehydrated article breaks a model rule.
    """
    doc = record.get("doc_id", "<no doc_id>")
    if record.get("format") != FORMAT:
        raise StandoffError(
            doc, f"not a {FORMAT} record (format {record.get('format')!r})",
            "pass a stand-off file written by benchmark.standoff.write_standoff",
        )
    if record.get("format_version") != FORMAT_VERSION:
        raise StandoffError(
            doc, f"stand-off format_version {record.get('format_version')!r} is not supported "
            f"(this khabar reads version {FORMAT_VERSION})", "use the khabar release the file came with",
        )
    got = sha256_text(text)
    if got != record["text_sha256"]:
        raise StandoffError(
            doc, f"your copy of the corpus differs from the one annotated (expected sha256 "
            f"{record['text_sha256']}, got {got}; length {record.get('text_length')} expected, "
            f"{len(text)} found)", _fix(record),
        )
    expected_title = record.get("title_sha256")
    if _optional_sha(title) != expected_title:
        raise StandoffError(
            doc, f"the title in your copy of the corpus differs from the one annotated (expected sha256 "
            f"{expected_title}, got {_optional_sha(title)})", _fix(record),
        )
    meta = dict(record.get("meta") or {})
    text_meta = dict(text_meta or {})
    for key, expected in (record.get("meta_sha256") or {}).items():
        value = text_meta.get(key)
        if _optional_sha(value) != expected:
            raise StandoffError(
                doc, f"meta[{key!r}] in your copy of the corpus differs from the one annotated "
                f"(expected sha256 {expected}, got {_optional_sha(value)})", _fix(record),
            )
        meta[key] = value
    data = {
        "doc_id": record["doc_id"],
        "text": text,
        "title": title,
        "source": record.get("source"),
        "url": record.get("url"),
        "published": record.get("published"),
        "variety": record.get("variety", "msa"),
        "meta": meta,
        "entities": record.get("entities") or [],
        "quotes": record.get("quotes") or [],
        "stances": record.get("stances") or [],
        "provenance": record.get("provenance") or {},
    }
    return Article.from_dict(data, schema)


# --------------------------------------------------------------------------- files


def write_standoff(path: str | Path, articles: Iterable[Article]) -> int:
    """Write the stand-off records of ``articles`` as JSONL; return how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(to_standoff(article), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_standoff(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield stand-off records; raise :class:`StandoffError` naming the line for a bad one."""
    path = Path(path)
    seen: dict[str, int] = {}
    with path.open("r", encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise StandoffError(
                    f"{path.name}:{number}", f"not valid JSON ({error.msg})", "write one JSON object per line"
                ) from None
            if not isinstance(record, dict) or not isinstance(record.get("doc_id"), str):
                raise StandoffError(f"{path.name}:{number}", "no doc_id", "write one stand-off record per line")
            missing = [k for k in ("format", "text_sha256", "entities", "quotes", "stances") if k not in record]
            if missing:
                raise StandoffError(
                    f"{path.name}:{number}: {record['doc_id']}", f"missing {missing}",
                    "write the file with benchmark.standoff.write_standoff",
                )
            if record["doc_id"] in seen:
                raise StandoffError(
                    f"{path.name}:{number}: {record['doc_id']}",
                    f"duplicate doc_id (first on line {seen[record['doc_id']]})", "keep one record per article",
                )
            seen[record["doc_id"]] = number
            yield record


@dataclass(slots=True)
class RehydrationResult:
    """The rehydrated articles, in stand-off order, and every record that could not be rehydrated."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def rehydrate_all(records: Iterable[Mapping[str, Any]], corpus: Mapping[str, Article]) -> RehydrationResult:
    """Rehydrate every record from ``corpus`` (doc_id → the user's corpus :class:`Article`).

    Never stops at the first failure: every missing doc_id, hash mismatch or invalid article is
    listed in ``problems`` (one :class:`~benchmark.model.Issue` each, naming the doc_id).
    """
    result = RehydrationResult()
    for record in records:
        doc = record["doc_id"]
        source = corpus.get(doc)
        if source is None:
            result.problems.append(
                Issue(doc, "doc_id", "this doc_id is not in your copy of the corpus", _fix(record))
            )
            continue
        try:
            result.articles.append(
                rehydrate(record, source.text, title=source.title, text_meta=source.meta)
            )
        except StandoffError as error:
            result.problems.append(Issue(doc, "text", error.message, error.fix))
        except ArticleError as error:
            result.problems.extend(error.issues)
    return result
