"""Write annotations as text *locators* instead of offsets, and resolve them exactly.

For annotating without the Label Studio UI (scripted passes, review fixes, small gold sets): an
annotation file is JSON Lines, one object per article, where every span is a locator — the span's
surface, optionally with context and the span itself in brackets — that must match the article text
exactly once (or give ``"n"`` to pick the n-th match, 1-based). ``…`` inside a locator stands for
"any text on the same line" (for long quotes: ``'"سيدي…الفضائية"'``).

Record shape (ids are free strings; stance ids are ``st-<quote id>`` / ``st-article``)::

    {"doc_id": "...",
     "entities": [{"id": "m1", "label": "PER", "at": "بوتين", "n": 1, "cluster": "m1"}, ...],  # or "SOURCE"
     "quotes":   [{"id": "q1", "kind": "direct", "at": "\\"سيدي…الفضائية\\"", "cue": "و[قال] بوتين",
                   "speaker": "m1", "elided": false}, ...],
     "stances":  [{"id": "st-q1", "holder": "q1", "target": "...", "label": "favor",
                   "target_mention": "m2"}, ...]}

>>> text = 'وقال بوتين: "أهلا بكم في روسيا".'
>>> locate(text, "و[قال]")
(1, 4)
>>> locate(text, '"أهلا…روسيا"')
(12, 31)
>>> art = resolve_record({"doc_id": "d", "entities": [{"id": "m1", "label": "PER", "at": "بوتين"}],
...     "quotes": [{"id": "q1", "kind": "direct", "at": '"أهلا…"', "cue": "و[قال]", "speaker": "m1"}]}, text)
>>> art.surface(art.quotes[0]), art.surface(art.quotes[0].cue)
('"أهلا بكم في روسيا"', 'قال')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from benchmark.model import Article, ArticleError, Issue, Mention, Provenance, Quote, Span, Stance
from benchmark.schema import KHABAR, LabelSchema

__all__ = ["LocatorError", "locate", "resolve_record"]

WILDCARD = "…"


class LocatorError(ValueError):
    """A locator that matches nothing, or more than once without ``n``."""


def _pattern(piece: str) -> str:
    return "[^\n]*?".join(re.escape(part) for part in piece.split(WILDCARD))


def locate(text: str, locator: str, n: int | None = None) -> tuple[int, int]:
    """The ``[start, end)`` of the bracketed part of ``locator`` (or all of it) in ``text``."""
    if not locator:
        raise LocatorError("empty locator (fix: write the span's surface)")
    if "[" in locator and "]" in locator and locator.index("[") < locator.rindex("]"):
        before = locator[: locator.index("[")]
        span = locator[locator.index("[") + 1 : locator.rindex("]")]
        after = locator[locator.rindex("]") + 1 :]
    else:
        before, span, after = "", locator, ""
    regex = re.compile(f"{_pattern(before)}({_pattern(span)}){_pattern(after)}")
    matches = [(m.start(1), m.end(1)) for m in regex.finditer(text)]
    if not matches and "[" not in locator:
        raise LocatorError(f"locator {locator!r} is not in the text (fix: copy the surface exactly)")
    if not matches:
        raise LocatorError(f"locator {locator!r} matches nothing (fix: check the context and the brackets)")
    if n is None:
        if len(matches) > 1:
            raise LocatorError(f"locator {locator!r} matches {len(matches)} times at {matches[:6]} "
                               "(fix: add context around the span in brackets, or give \"n\")")
        return matches[0]
    if not 1 <= n <= len(matches):
        raise LocatorError(f"locator {locator!r}: n={n} but it matches {len(matches)} time(s)")
    return matches[n - 1]


def resolve_record(record: Mapping[str, Any], text: str, *, schema: LabelSchema = KHABAR,
                   provenance: Provenance | None = None, base: Article | None = None) -> Article:
    """Turn one locator record into a validated :class:`Article` on ``text``.

    ``base`` (optional) supplies the article's metadata (title, source, url, published, meta).
    Raises :class:`ArticleError` listing every locator and model problem at once.
    """
    doc_id = str(record.get("doc_id") or (base.doc_id if base else ""))
    issues: list[Issue] = []

    def where(kind: str, item: Mapping[str, Any], index: int) -> str:
        return f"{kind}[{index}] id={item.get('id')!r}"

    def find(item: Mapping[str, Any], key: str, label: str) -> tuple[int, int] | None:
        try:
            return locate(text, str(item.get(key) or ""), item.get(f"{key}_n" if key != "at" else "n"))
        except LocatorError as error:
            issues.append(Issue(doc_id, label, str(error).split(" (fix: ")[0],
                                str(error).split(" (fix: ")[-1].rstrip(")") if "(fix:" in str(error)
                                else "fix the locator"))
            return None

    mentions = []
    for i, item in enumerate(record.get("entities") or []):
        span = find(item, "at", where("entities", item, i))
        if span:
            mentions.append(Mention(str(item["id"]), *span, str(item.get("label")), cluster=item.get("cluster") or ""))
    quotes = []
    for i, item in enumerate(record.get("quotes") or []):
        span = find(item, "at", where("quotes", item, i))
        cue = find(item, "cue", where("quotes", item, i) + " cue") if item.get("cue") else None
        if span:
            quotes.append(Quote(str(item["id"]), *span, str(item.get("kind")), cue=Span(*cue) if cue else None,
                                speaker=item.get("speaker"), speaker_elided=bool(item.get("elided", False))))
    stances = [Stance(str(s.get("id")), str(s.get("holder")), str(s.get("target", "")), str(s.get("label")),
                      s.get("target_mention")) for s in record.get("stances") or []]
    if issues:
        raise ArticleError(issues)
    fields = base.to_dict() if base is not None else {"doc_id": doc_id, "text": text}
    fields.update(
        entities=[m.to_dict() for m in mentions], quotes=[q.to_dict() for q in quotes],
        stances=[s.to_dict() for s in stances],
        provenance=(provenance or Provenance()).to_dict(),
    )
    return Article.from_dict(fields, schema)
