"""The article record that flows through every Khabar stage (DESIGN §1).

One :class:`Article` holds the original text and three annotation layers that share its
offsets: entity :class:`Mention` s, :class:`Quote` s (who said what) and :class:`Stance` s.
Offsets are half-open ``[start, end)`` in Unicode code points (Python ``str`` indices) on
``text``, so ``text[start:end]`` is always the surface.

Every record is immutable. Every way in (JSONL, Label Studio export, importers, code) ends in
:func:`find_problems`, the single validation path; problems name the doc_id, the item and the fix.

>>> art = Article(
...     doc_id="demo/1",
...     text='وقال بوتين: "أهلا بكم في روسيا".',
...     entities=(Mention("m1", 5, 10, "PER"), Mention("m2", 25, 30, "GPE")),
...     quotes=(Quote("q1", 12, 31, "direct", cue=Span(1, 4), speaker="m1"),),
...     stances=(Stance("s1", holder="q1", target="روسيا", label="favor", target_mention="m2"),),
... )
>>> art.surface(art.entities[0])
'بوتين'
>>> Article.from_dict(art.to_dict()) == art
True
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from benchmark.schema import ARTICLE_HOLDER, KHABAR, LabelSchema

__all__ = [
    "Article",
    "ArticleError",
    "Issue",
    "Mention",
    "Provenance",
    "Quote",
    "Span",
    "Stance",
    "find_problems",
    "is_offset",
    "speaker_type",
]


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True)
class Issue:
    """One validation problem: where it is, what is wrong, and how to fix it."""

    doc_id: str
    item: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.item}: {self.message} (fix: {self.fix})"

    def to_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "item": self.item, "message": self.message, "fix": self.fix}


class ArticleError(ValueError):
    """Raised when an article breaks a DESIGN §1 rule; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues: tuple[Issue, ...] = tuple(issues)
        lines = "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(f"{len(self.issues)} problem(s) in article data:\n{lines}")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open ``[start, end)`` code-point span on the article text (used for quote cues)."""

    start: int
    end: int

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention. ``cluster`` is the id of the mention that stands for the entity
    (all mentions of one entity share it); it defaults to the mention's own id."""

    id: str
    start: int
    end: int
    label: str
    cluster: str = ""

    def __post_init__(self) -> None:
        if not self.cluster:
            object.__setattr__(self, "cluster", self.id)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end, "label": self.label,
                "cluster": self.cluster}


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote span (direct, indirect or mixed) with its cue span and speaker mention.

    ``speaker`` is a :class:`Mention` id, or ``None`` when the speaker is not named anywhere
    in the text. ``speaker_elided`` is true when the speaker is not named in the cue's sentence
    (``وتابع: "…"``) and ``speaker`` points to the most recent earlier mention of them — or, when the
    text names them only later, to the first later mention (guidelines §5.6).
    """

    id: str
    start: int
    end: int
    kind: str
    cue: Span | None = None
    speaker: str | None = None
    speaker_elided: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end, "kind": self.kind,
                "cue": None if self.cue is None else self.cue.to_dict(),
                "speaker": self.speaker, "speaker_elided": self.speaker_elided}


@dataclass(frozen=True, slots=True)
class Stance:
    """The stance of a holder (``"article"`` or a :class:`Quote` id) toward a target text."""

    id: str
    holder: str
    target: str
    label: str
    target_mention: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "holder": self.holder, "target": self.target, "label": self.label,
                "target_mention": self.target_mention}


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where the record came from: annotator, Label Studio annotation ids, guidelines version,
    lead time (seconds spent annotating) and the source of the record (export file, importer)."""

    annotator: str | None = None
    annotation_ids: tuple[str, ...] = ()
    guidelines_version: str | None = None
    lead_time: float | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"annotator": self.annotator, "annotation_ids": list(self.annotation_ids),
                "guidelines_version": self.guidelines_version, "lead_time": self.lead_time,
                "source": self.source}


@dataclass(frozen=True, slots=True)
class Article:
    """One news article and its annotation layers. Construction validates the structure
    (spans, references, overlaps) and raises :class:`ArticleError` listing every problem;
    labels are checked against a :class:`~benchmark.schema.LabelSchema` by
    :meth:`from_dict` / :func:`find_problems`."""

    doc_id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    variety: str = "msa"
    meta: Mapping[str, Any] = field(default_factory=dict)
    entities: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    stances: tuple[Stance, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)

    def __post_init__(self) -> None:
        for name in ("entities", "quotes", "stances"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        problems = find_problems(self, schema=None)
        if problems:
            raise ArticleError(problems)

    # -- views -------------------------------------------------------------------------

    def surface(self, item: Mention | Quote | Span) -> str:
        """The text a span covers: ``text[start:end]``."""
        return self.text[item.start : item.end]

    def mention(self, mention_id: str) -> Mention:
        """The mention with this id (``KeyError`` naming the doc when absent)."""
        for mention in self.entities:
            if mention.id == mention_id:
                return mention
        raise KeyError(f"{self.doc_id}: no mention with id {mention_id!r}")

    def replace(self, **changes: Any) -> Article:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def only(self, fields: Iterable[str]) -> Article:
        """This article with only ``fields`` (and always ``doc_id`` and ``text``) kept, every other
        field at its default: what ``khabar build`` sends to a worker process whose configs read
        only those fields (:attr:`benchmark.tasks.Task.article_fields`), so it pickles lighter.

        Annotations that others refer to must be kept with them (quotes name entity mentions as
        speakers; stances name quotes as holders and mentions as targets), so the result is as
        valid as the article (it is not validated again).

        >>> art = Article(doc_id="d1", text="زار بوتين روسيا", title="زيارة",
        ...               entities=(Mention("m1", 4, 9, "PER"),))
        >>> small = art.only({"entities"})
        >>> small.title is None, small.entities == art.entities
        (True, True)
        >>> art.only({"quotes"})
        Traceback (most recent call last):
        ...
        ValueError: Article.only(): quotes refer to entities; keep them too
        """
        keep = {"doc_id", "text", *fields}
        unknown = keep - _ARTICLE_FIELDS
        if unknown:
            raise ValueError(f"Article.only(): no field(s) {sorted(unknown)}; fields are {sorted(_ARTICLE_FIELDS)}")
        for layer, needed in _REFERS_TO.items():
            if layer in keep and not needed <= keep:
                raise ValueError(f"Article.only(): {layer} refer to {', '.join(sorted(needed - keep))}; keep them too")
        return _unvalidated(*(getattr(self, name) if name in keep else default() for name, default in _DEFAULTS))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle as plain tuples (``khabar build`` sends articles to its worker processes): about
        twice as fast both ways as the default. An unpickled article is not validated again: it was
        valid when it was pickled.

        >>> import pickle
        >>> art = Article(doc_id="d1", text="زار بوتين روسيا", entities=(Mention("m1", 4, 9, "PER"),))
        >>> pickle.loads(pickle.dumps(art)) == art
        True
        """
        p = self.provenance
        return _restore_article, ((
            self.doc_id, self.text, self.title, self.source, self.url, self.published, self.variety,
            dict(self.meta),
            tuple((m.id, m.start, m.end, m.label, m.cluster) for m in self.entities),
            tuple((q.id, q.start, q.end, q.kind, None if q.cue is None else (q.cue.start, q.cue.end), q.speaker,
                   q.speaker_elided) for q in self.quotes),
            tuple((s.id, s.holder, s.target, s.label, s.target_mention) for s in self.stances),
            (p.annotator, p.annotation_ids, p.guidelines_version, p.lead_time, p.source),
        ),)

    # -- (de)serialisation ---------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_dict` of it gives back an equal article."""
        return {
            "doc_id": self.doc_id,
            "text": self.text,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published,
            "variety": self.variety,
            "meta": dict(self.meta),
            "entities": [m.to_dict() for m in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "stances": [s.to_dict() for s in self.stances],
            "provenance": self.provenance.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], schema: LabelSchema | None = KHABAR) -> Article:
        """Build and validate an article from a JSON dict.

        Raises :class:`ArticleError` listing every problem (types, spans, references, labels).
        """
        return _parse_article(data, schema)

    @classmethod
    def from_records(cls, fields: Mapping[str, Any], *, entities: Sequence[Mention] = (),
                     quotes: Sequence[Quote] = (), stances: Sequence[Stance] = (),
                     provenance: Provenance | None = None, schema: LabelSchema | None = KHABAR) -> Article:
        """Build and validate an article from its fields (``doc_id``, ``text``, ``title``…, as in a
        JSON dict) and record objects made elsewhere (the Label Studio converter): the fields are
        type-checked as :meth:`from_dict` does, then the article is validated once.

        >>> art = Article.from_records({"doc_id": "d1", "text": "زار بوتين روسيا"},
        ...                            entities=[Mention("m1", 4, 9, "PER")])
        >>> art.surface(art.entities[0])
        'بوتين'
        """
        return _from_records(fields, entities, quotes, stances, provenance or Provenance(), schema)


def _restore_article(state: tuple[Any, ...]) -> Article:
    """The article :meth:`Article.__reduce__` pickled (no validation: it was valid then)."""
    *fields, entities, quotes, stances, provenance = state
    return _unvalidated(
        *fields,
        tuple([Mention(*m) for m in entities]) if entities else (),
        tuple([Quote(i, s, e, k, None if c is None else Span(*c), who, elided)
               for i, s, e, k, c, who, elided in quotes]) if quotes else (),
        tuple([Stance(*x) for x in stances]) if stances else (),
        Provenance(*provenance),
    )


def _unvalidated(doc_id: Any, text: Any, title: Any, source: Any, url: Any, published: Any, variety: Any,
                 meta: Any, entities: Any, quotes: Any, stances: Any, provenance: Any) -> Article:
    """An :class:`Article` of these field values (in field order), made without validating them:
    for callers that validate it themselves or copy a valid article."""
    article = object.__new__(Article)
    put = object.__setattr__
    put(article, "doc_id", doc_id)
    put(article, "text", text)
    put(article, "title", title)
    put(article, "source", source)
    put(article, "url", url)
    put(article, "published", published)
    put(article, "variety", variety)
    put(article, "meta", meta)
    put(article, "entities", entities)
    put(article, "quotes", quotes)
    put(article, "stances", stances)
    put(article, "provenance", provenance)
    return article


SPEAKER_TYPES: tuple[str, ...] = ("entity", "source", "none")
"""What a quote's speaker is (:func:`speaker_type`)."""


def speaker_type(article: Article, quote: Quote, source_labels: Collection[str] = KHABAR.source_labels) -> str:
    """``"entity"`` (the speaker is an entity mention), ``"source"`` (a ``SOURCE`` mention,
    guidelines 2.0 §5.7) or ``"none"`` (no speaker linked).

    >>> art = Article(doc_id="d", text="قالت مصادر إن بوتين وصل", entities=(Mention("s1", 5, 10, "SOURCE"),),
    ...               quotes=(Quote("q1", 14, 23, "indirect", speaker="s1"),))
    >>> speaker_type(art, art.quotes[0])
    'source'
    """
    if quote.speaker is None:
        return "none"
    return "source" if article.mention(quote.speaker).label in source_labels else "entity"


# --------------------------------------------------------------------------- validation


def is_offset(value: Any) -> bool:
    """An integer that is not a bool: what span offsets must be (plain ints are checked first,
    as this runs for every span of every article).

    >>> is_offset(3), is_offset(True), is_offset(3.0)
    (True, False, False)
    """
    return type(value) is int or (isinstance(value, int) and not isinstance(value, bool))


@cache
def _is_blank(char: str) -> bool:
    """White space or an invisible format character (Unicode category Cf: U+200E/U+200F, BOM, ZWJ…)."""
    return char.isspace() or unicodedata.category(char) == "Cf"


_Where = tuple[Any, ...]
"""Where an item sits, as ``(layer, index, item[, suffix])``: made into text (:func:`_where`) only
when there is a problem to report, so valid articles do not pay for formatting."""


def _where(layer: str, index: int, item: Any, suffix: str = "") -> str:
    return f"{layer}[{index}] id={getattr(item, 'id', None)!r}{suffix}"


def find_problems(article: Article, schema: LabelSchema | None = KHABAR) -> list[Issue]:
    """Every DESIGN §1 rule an article breaks. ``schema=None`` skips the label checks.

    This is the single validation path: :class:`Article` construction, JSONL readers, the
    Label Studio converter, the importers and the CLI all end here.
    """
    doc = article.doc_id if isinstance(article.doc_id, str) and article.doc_id else "<no doc_id>"
    problems: list[Issue] = []

    def add(item: str | _Where, message: str, fix: str) -> None:
        problems.append(Issue(doc, item if isinstance(item, str) else _where(*item), message, fix))

    if not isinstance(article.doc_id, str) or not article.doc_id.strip():
        add("doc_id", "doc_id is missing or empty", "give every article a stable, unique doc_id string")
    if not isinstance(article.text, str):
        add("text", f"text must be a string, got {type(article.text).__name__}", "store the original text")
        return problems
    text = article.text
    n = len(text)
    if not isinstance(article.variety, str) or not article.variety:
        add("variety", "variety is empty", 'use "msa" or a dialect code')
    if article.published is not None:
        try:
            datetime.fromisoformat(article.published)
        except (TypeError, ValueError):
            add("published", f"published {article.published!r} is not an ISO date",
                'write it as "YYYY-MM-DD" (or a full ISO 8601 timestamp)')

    seen_ids: dict[str, _Where] = {}

    def check_id(item_id: Any, where: _Where) -> None:
        if not isinstance(item_id, str) or not item_id:
            add(where, "id is missing or empty", "give every item a non-empty string id")
            return
        if item_id in seen_ids:
            add(where, f"id {item_id!r} is used twice (also by {_where(*seen_ids[item_id])})",
                "make item ids unique within the article")
        else:
            seen_ids[item_id] = where

    def check_span(start: Any, end: Any, where: _Where) -> bool:
        if not (is_offset(start) and is_offset(end)):
            add(where, f"start/end must be integers, got {start!r}/{end!r}", "use code-point offsets")
            return False
        if start < 0 or end > n:
            add(where, f"span [{start}, {end}) lies outside the text (length {n})",
                "use code-point offsets on the original text")
            return False
        if start >= end:
            add(where, f"span [{start}, {end}) is empty or reversed", "make end greater than start")
            return False
        if _is_blank(text[start]) or _is_blank(text[end - 1]):
            add(where, f"span [{start}, {end}) {text[start:end]!r} starts or ends with white space or an "
                "invisible mark (bidi mark, BOM, joiner)",
                "trim the span to the first and last visible character (benchmark.text.trim_span)")
            return False
        return True

    # entities ---------------------------------------------------------------------------
    mention_ids: set[str] = set()
    good_spans: list[tuple[int, int, _Where]] = []
    for i, m in enumerate(article.entities):
        where = ("entities", i, m)
        check_id(m.id, where)
        mention_ids.add(m.id)
        if check_span(m.start, m.end, where):
            good_spans.append((m.start, m.end, where))
        if not isinstance(m.label, str) or not m.label:
            add(where, "label is empty", "give the mention an entity label")
        elif schema is not None and schema.mention_labels is not None and m.label not in schema.mention_labels:
            add(where, f"label {m.label!r} is not in the {schema.name} label set {list(schema.entity_labels or ())}"
                + (f" nor its source labels {list(schema.source_labels)}" if schema.source_labels else ""),
                f"{m.label} is Khabar's speaker-only source label (guidelines §5.7): read the data with the "
                "khabar schema" if m.label in KHABAR.source_labels else
                "use one of the listed labels (or import with the corpus' own schema)")
    for i, m in enumerate(article.entities):
        if m.cluster not in mention_ids:
            add(("entities", i, m), f"cluster {m.cluster!r} is not a mention id in this article",
                "set cluster to the id of a mention of the same entity (default: its own id)")
    if schema is not None and schema.source_labels:
        _check_sources(article, schema.source_labels, add)
    good_spans.sort(key=lambda s: (s[0], -s[1]))
    open_spans: list[tuple[int, int, _Where]] = []
    previous: tuple[int, int, _Where] | None = None
    for span in good_spans:
        if previous is not None and previous[:2] == span[:2]:
            add(span[2], f"span [{span[0]}, {span[1]}) duplicates {_where(*previous[2])}",
                "keep one mention per span (with one label)")
        previous = span
        while open_spans and open_spans[-1][1] <= span[0]:
            open_spans.pop()
        if open_spans and open_spans[-1][1] < span[1] and open_spans[-1][:2] != span[:2]:
            outer = open_spans[-1]
            add(span[2], f"span [{span[0]}, {span[1]}) partially overlaps {_where(*outer[2])} [{outer[0]}, {outer[1]})",
                "mentions may nest but not cross: fix one of the boundaries")
        open_spans.append(span)

    # quotes ------------------------------------------------------------------------------
    quote_ids: set[str] = set()
    quote_spans: dict[tuple[int, int], _Where] = {}
    for i, q in enumerate(article.quotes):
        where = ("quotes", i, q)
        check_id(q.id, where)
        quote_ids.add(q.id)
        if check_span(q.start, q.end, where):
            if (q.start, q.end) in quote_spans:
                add(where, f"span [{q.start}, {q.end}) duplicates {_where(*quote_spans[(q.start, q.end)])}",
                    "annotate each quote once")
            else:
                quote_spans[(q.start, q.end)] = where
        if schema is not None and q.kind not in schema.quote_kinds:
            add(where, f"kind {q.kind!r} is not one of {list(schema.quote_kinds)}", "pick one of the listed kinds")
        if q.cue is not None:
            check_span(q.cue.start, q.cue.end, ("quotes", i, q, " cue"))
        if q.speaker is not None and q.speaker not in mention_ids:
            add(where, f"speaker {q.speaker!r} is not a mention id in this article",
                "link the quote to a mention of its speaker (entity or SOURCE), or set speaker to null")
        if q.speaker_elided and q.speaker is None:
            add(where, "speaker_elided is true but no speaker is linked",
                "link the earlier mention of the speaker, or set speaker_elided to false")

    # stances -----------------------------------------------------------------------------
    for i, s in enumerate(article.stances):
        where = ("stances", i, s)
        check_id(s.id, where)
        if s.holder != ARTICLE_HOLDER and s.holder not in quote_ids:
            add(where, f"holder {s.holder!r} is neither 'article' nor a quote id in this article",
                "set holder to 'article' or to the id of the quote that expresses the stance")
        if not isinstance(s.target, str) or not s.target.strip():
            add(where, "target is empty", "write the topic or claim the stance is about")
        if not isinstance(s.label, str) or not s.label:
            add(where, "label is empty", "give the stance a label")
        elif schema is not None and schema.stance_labels is not None and s.label not in schema.stance_labels:
            add(where, f"label {s.label!r} is not in the {schema.name} stance labels {list(schema.stance_labels)}",
                "use one of the listed labels")
        if s.target_mention is not None and s.target_mention not in mention_ids:
            add(where, f"target_mention {s.target_mention!r} is not a mention id in this article",
                "link an existing mention or set target_mention to null")
    return problems


def _check_sources(article: Article, source_labels: tuple[str, ...],
                   add: Callable[[str | _Where, str, str], None]) -> None:
    """Invariants 1 and 2 of ``docs/design-v0.2.md`` (guidelines §5.7): a cluster holds entity
    mentions or source mentions (``SOURCE``), not both; every source cluster speaks a quote."""
    sources = frozenset(source_labels)
    kinds: dict[str, set[bool]] = {}
    for m in article.entities:
        kinds.setdefault(m.cluster, set()).add(m.label in sources)
    speaking = {m.cluster for m in article.entities for q in article.quotes if q.speaker == m.id}
    reported: set[str] = set()
    for i, m in enumerate(article.entities):
        if m.label not in sources or m.cluster in reported:
            continue
        reported.add(m.cluster)
        if len(kinds[m.cluster]) > 1:
            add(("entities", i, m), f"the {m.label} mention is in cluster {m.cluster!r} with entity mentions: "
                "a cluster holds entity mentions or SOURCE mentions, not both",
                "split the cluster (guidelines §5.7): a source the text names is an entity mention, "
                "and then no SOURCE is annotated")
        elif m.cluster not in speaking:
            add(("entities", i, m), f"the {m.label} cluster {m.cluster!r} is no quote's speaker",
                "a SOURCE mention is annotated only as a quote's speaker: link a quote to it with said_by "
                "or delete it (guidelines §5.7)")


# --------------------------------------------------------------------------- parsing

_ARTICLE_FIELDS = {f.name for f in dataclasses.fields(Article)}
_DEFAULTS: tuple[tuple[str, Callable[[], Any]], ...] = tuple(
    (f.name, f.default_factory if f.default_factory is not dataclasses.MISSING
     else (lambda value=f.default: value))
    for f in dataclasses.fields(Article))
_REFERS_TO = {"quotes": {"entities"}, "stances": {"quotes", "entities"}}
"""Which layers each layer's ids point into (speakers; holders and target mentions)."""
_OPTIONAL_STR = ("title", "source", "url", "published")


def _check_fields(data: Mapping[str, Any], add: Callable[[str, str, str], None]) -> Mapping[str, Any]:
    """Type-check the article-level fields of a dict (keys, doc_id, text, optional strings,
    variety, meta); return ``meta`` (``{}`` when unusable)."""
    for key in data:
        if key == "id":
            add("id", "the key 'id' is reserved (Label Studio uses it for task ids)", "rename it to 'doc_id'")
        elif key not in _ARTICLE_FIELDS:
            add(key, f"unknown field {key!r}", "remove it or move it under 'meta'")
    for key in ("doc_id", "text"):
        if not isinstance(data.get(key), str):
            add(key, f"{key} must be a string, got {type(data.get(key)).__name__}", f"give every article a {key}")
    for key in _OPTIONAL_STR:
        if data.get(key) is not None and not isinstance(data.get(key), str):
            add(key, f"{key} must be a string or null", f"write {key} as text")
    if "variety" in data and not isinstance(data["variety"], str):
        add("variety", "variety must be a string", 'use "msa" or a dialect code')
    meta = data.get("meta") or {}
    if not isinstance(meta, Mapping):
        add("meta", "meta must be an object", "store extra fields as key/value pairs")
        return {}
    return meta


def _doc_of(data: Any) -> str:
    doc = data.get("doc_id") if isinstance(data, Mapping) else None
    return doc if isinstance(doc, str) and doc else "<no doc_id>"


def _assemble(data: Mapping[str, Any], meta: Mapping[str, Any], entities: tuple[Mention, ...],
              quotes: tuple[Quote, ...], stances: tuple[Stance, ...], provenance: Provenance,
              schema: LabelSchema | None) -> Article:
    """The article of checked fields and records, validated once (``find_problems``)."""
    article = _unvalidated(data["doc_id"], data["text"], data.get("title"), data.get("source"), data.get("url"),
                           data.get("published"), data.get("variety", "msa"), dict(meta), entities, quotes,
                           stances, provenance)
    problems = find_problems(article, schema)
    if problems:
        raise ArticleError(problems)
    return article


def _from_records(fields: Mapping[str, Any], entities: Sequence[Mention], quotes: Sequence[Quote],
                  stances: Sequence[Stance], provenance: Provenance, schema: LabelSchema | None) -> Article:
    problems: list[Issue] = []
    doc = _doc_of(fields)
    meta = _check_fields(fields, lambda item, message, fix: problems.append(Issue(doc, item, message, fix)))
    for key in ("entities", "quotes", "stances", "provenance"):
        if key in fields:
            problems.append(Issue(doc, key, f"{key} given twice (as a field and as records)", "pass the records only"))
    if problems:
        raise ArticleError(problems)
    return _assemble(fields, meta, tuple(entities), tuple(quotes), tuple(stances), provenance, schema)


def _parse_article(data: Mapping[str, Any], schema: LabelSchema | None) -> Article:
    """Type-check a JSON dict, build the records, and validate; raise listing every problem."""
    doc = _doc_of(data)
    problems: list[Issue] = []

    def add(item: str, message: str, fix: str) -> None:
        problems.append(Issue(doc, item, message, fix))

    if not isinstance(data, Mapping):
        raise ArticleError([Issue(doc, "record", f"expected a JSON object, got {type(data).__name__}",
                                  "write one article object per line")])
    meta = _check_fields(data, add)

    def items(key: str) -> list[Mapping[str, Any]]:
        value = data.get(key) or []
        if not isinstance(value, list):
            add(key, f"{key} must be a list", f"write {key} as a JSON array")
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                good.append(item)
            else:
                add(f"{key}[{i}]", f"expected an object, got {type(item).__name__}", "write each item as an object")
        return good

    def need(item: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str, nullable: bool = False):
        value = item.get(key)
        if value is None and nullable:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            add(where, f"{key} must be {getattr(kind, '__name__', kind)}, got {value!r}", f"fix the {key} field")
            return None
        return value

    mentions, quotes, stances = [], [], []
    for i, m in enumerate(items("entities")):
        where = f"entities[{i}] id={m.get('id')!r}"
        vals = [need(m, "id", str, where), need(m, "start", int, where), need(m, "end", int, where),
                need(m, "label", str, where), need(m, "cluster", str, where, nullable=True)]
        if None not in vals[:4]:
            mentions.append(Mention(*vals[:4], cluster=vals[4] or ""))
    for i, q in enumerate(items("quotes")):
        where = f"quotes[{i}] id={q.get('id')!r}"
        vals = [need(q, "id", str, where), need(q, "start", int, where), need(q, "end", int, where),
                need(q, "kind", str, where)]
        cue = None
        raw_cue = q.get("cue")
        if raw_cue is not None:
            if isinstance(raw_cue, Mapping):
                cs, ce = need(raw_cue, "start", int, f"{where} cue"), need(raw_cue, "end", int, f"{where} cue")
                cue = Span(cs, ce) if cs is not None and ce is not None else None
            else:
                add(where, "cue must be an object {start, end} or null", "write the cue as {start, end}")
        speaker = need(q, "speaker", str, where, nullable=True)
        elided = q.get("speaker_elided", False)
        if not isinstance(elided, bool):
            add(where, f"speaker_elided must be true/false, got {elided!r}", "write a JSON boolean")
            elided = False
        if None not in vals:
            quotes.append(Quote(*vals, cue=cue, speaker=speaker, speaker_elided=elided))
    for i, s in enumerate(items("stances")):
        where = f"stances[{i}] id={s.get('id')!r}"
        vals = [need(s, "id", str, where), need(s, "holder", str, where), need(s, "target", str, where),
                need(s, "label", str, where)]
        target_mention = need(s, "target_mention", str, where, nullable=True)
        if None not in vals:
            stances.append(Stance(*vals, target_mention=target_mention))
    prov = data.get("provenance") or {}
    provenance = Provenance()
    if not isinstance(prov, Mapping):
        add("provenance", "provenance must be an object", "write provenance as an object")
    else:
        ids = prov.get("annotation_ids") or []
        lead = prov.get("lead_time")
        if lead is not None and (isinstance(lead, bool) or not isinstance(lead, int | float)):
            add("provenance", f"lead_time must be a number, got {lead!r}", "write seconds as a number")
            lead = None
        provenance = Provenance(
            annotator=None if prov.get("annotator") is None else str(prov.get("annotator")),
            annotation_ids=tuple(str(x) for x in ids) if isinstance(ids, list) else (),
            guidelines_version=prov.get("guidelines_version"),
            lead_time=lead,
            source=prov.get("source"),
        )
    if problems:
        raise ArticleError(problems)
    return _assemble(data, meta, tuple(mentions), tuple(quotes), tuple(stances), provenance, schema)

