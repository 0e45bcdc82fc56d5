"""Author Khabar's bundled gold sample: the seed article, annotated by hand, written as data.

The seed (``seed_article.txt`` beside this script: the project's own example article, UTF-8, LF)
holds two news stories and page boilerplate. Following ``annotations/guidelines.md`` (v1.1) this
script cuts it into two :class:`~benchmark.model.Article` records (``seed/vostochny`` and
``seed/un-security-council``), drops the boilerplate (source line, "read also" marker, related
headlines) while recording every character range of the seed in ``meta``, resolves the hand
annotation below to code-point offsets, validates everything through :mod:`benchmark.model`, and
writes

- ``sample.json`` — a Label Studio 1.23 JSON export (through :mod:`benchmark.studio.convert`);
- ``sample.articles.jsonl`` — the same articles as Article JSONL (through :mod:`benchmark.io`).

Usage::

    python annotations/gold/author_gold.py           # regenerate both files
    python annotations/gold/author_gold.py --check   # exit 1 when the committed files are stale
    python annotations/gold/author_gold.py --stats   # print the counts

Locators
--------
Every span is written as a *locator* that must match exactly once in its paragraph: the span's
surface, optionally with context around it and the span itself in brackets — ``"ل[روسيا]"`` is the
``روسيا`` inside ``لروسيا``. ``…`` (U+2026, absent from the seed) stands for "any text up to the
next occurrence of what follows", for long quotes: ``'"سيدي…الفضائية"'``.

Speakers and stance mentions are given by *entity key* (the cluster); the script picks the mention
by the guideline rules and checks the declared ``elided`` flag against them (§5.6):

- named speaker: the one mention of that entity in the cue's sentence, outside quotes;
- elided speaker: no such mention in the sentence; the most recent earlier mention outside quotes;
- stance ``about``: the first mention of that entity inside the quote (§6.3).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmark.model import Article, Mention, Provenance, Quote, Span, Stance
from benchmark.schema import ARTICLE_HOLDER, QUOTE_KINDS, STANCE_LABELS

HERE = Path(__file__).resolve().parent
SEED = HERE / "seed_article.txt"
SEED_REPO_PATH = "annotations/gold/seed_article.txt"
EXPORT = HERE / "sample.json"
JSONL = HERE / "sample.articles.jsonl"
ANNOTATOR = "khabar-lead"
SAMPLE_GUIDELINES_VERSION = "1.1"
"""The guidelines version the sample follows (recorded in its provenance). Not ``GUIDELINES_VERSION``:
guidelines 2.0 changes one seed quote's speaker (a ``SOURCE`` mention) and the stance layer, so the
sample stays 1.1 data until it is re-authored (guidelines §9, docs/design-v0.2.md step 7)."""

PER, ORG, LOC, GPE, DATE, MISC = "PER", "ORG", "LOC", "GPE", "DATE", "MISC"
WILDCARD = "…"
SENTENCE_END = frozenset(".!?؟\n")

# --------------------------------------------------------------------------- annotation records


@dataclass(frozen=True)
class Ent:
    """An entity mention: locator, label, and the key of the entity it refers to (its cluster)."""

    locator: str
    label: str
    entity: str


@dataclass(frozen=True)
class Stn:
    """A stance: label, target text, and optionally the entity key the target is about."""

    label: str
    target: str
    about: str | None = None


@dataclass(frozen=True)
class Quo:
    """A quote: kind, locator of the quote span, locator of the cue, speaker entity key (``None``:
    not named anywhere), whether the speaker is elided at the quote, and the quote's stance."""

    kind: str
    locator: str
    cue: str
    speaker: str | None
    elided: bool = False
    stance: Stn | None = None


@dataclass(frozen=True)
class Para:
    """One paragraph (a non-empty line of the seed): its opening words, mentions and quotes."""

    opening: str
    entities: tuple[Ent, ...] = ()
    quotes: tuple[Quo, ...] = ()


@dataclass(frozen=True)
class Story:
    """One Article cut from the seed: seed lines ``first..last`` (0-based, inclusive)."""

    doc_id: str
    first_line: int
    last_line: int
    title: str | None
    source: str | None
    paragraphs: tuple[Para, ...]
    article_stance: Stn | None
    boilerplate: tuple[tuple[str, int, int], ...]  # (kind, first_line, last_line) dropped with this story
    note: str


# --------------------------------------------------------------------------- the annotation

T_ARMS = "عمليات نقل الأسلحة الكورية الشمالية إلى روسيا"
T_TIES = "العلاقات بين روسيا وكوريا الشمالية"
T_WAR = "الحرب التي تخوضها روسيا"

VOSTOCHNY = Story(
    doc_id="seed/vostochny",
    first_line=0,
    last_line=27,
    title=None,  # the story has no headline in the seed; nothing is invented
    source="صدى البلد",  # from its source line «المصدر: صدى البلد» (seed line 29)
    note="main story of the seed page: Putin meets Kim at the Vostochny cosmodrome",
    boilerplate=(("source_line", 29, 29),),
    article_stance=Stn("favor", "روسيا ستساعد كوريا الشمالية في بناء الأقمار الصناعية"),
    paragraphs=(
        Para("ضجت وسائل الإعلام", entities=(
            Ent("اليوم الأربعاء", DATE, "wednesday"),
            Ent("فلاديمير بوتين", PER, "putin"),  # title «الرئيس الروسي» in apposition: not a mention
            Ent("كيم جونج أون", PER, "kim"),
            Ent("روسيا", GPE, "russia"),
        )),
        Para("وتبادل الجانبان", entities=(
            Ent("كيم", PER, "kim"),  # «روسي» (adjective) is not a mention
        )),
        Para("وقال بوتين", entities=(
            Ent("بوتين", PER, "putin"),
            Ent("ب[زعيم كوريا الشمالية]", PER, "kim"),
            Ent("زعيم [كوريا الشمالية]", GPE, "north-korea"),
            Ent("روسيا", GPE, "russia"),
            Ent("قاعدة فوستوشني الفضائية", LOC, "vostochny"),
        ), quotes=(
            Quo("direct", '"سيدي…الفضائية"', "و[قال] بوتين", "putin"),
        )),
        Para("وتابع:", quotes=(
            Quo("direct", '"نحن فخورون…للاهتمام"', "و[تابع]", "putin", elided=True),
        )),
        Para("وأضاف:", entities=(
            Ent("احتفلت [جمهورية كوريا الشعبية الديمقراطية]", GPE, "north-korea"),
            Ent("السيادة - [جمهورية كوريا الشعبية الديمقراطية]", GPE, "north-korea"),
            Ent("حرب الاستقلال", MISC, "liberation-war"),
        ), quotes=(
            Quo("direct", '"يعقد اجتماعنا…الحرب"', "و[أضاف]", "putin", elided=True,
                stance=Stn("favor", T_TIES)),
        )),
        Para("وأكد: \"نحن", entities=(
            Ent("روسيا", GPE, "russia"),
        ), quotes=(
            Quo("direct", '"نحن، بالطبع…روسيا"', "و[أكد]", "putin", elided=True),
        )),
        Para("وعندما سأل المراسلون", entities=(
            Ent("بوتين", PER, "putin"),
            Ent("روسيا", GPE, "russia"),
            Ent("ستساعد [كيم]", PER, "kim"),
            Ent("[زعيم جمهورية كوريا الشعبية الديمقراطية]", PER, "kim"),
            Ent("زعيم [جمهورية كوريا الشعبية الديمقراطية]", GPE, "north-korea"),
        ), quotes=(
            # an indirect question by unnamed reporters: speaker null (§5.7)
            Quo("indirect", "إذا [كانت روسيا…الصناعية]", "[سأل] المراسلون", None),
            Quo("direct", '"لهذا السبب…الفضاء"', "[أجاب]", "putin",
                stance=Stn("favor", "مساعدة روسيا لكوريا الشمالية في بناء الأقمار الصناعية")),
        )),
        Para("واستطرد الرئيس الروسي", entities=(
            Ent("الرئيس الروسي", PER, "putin"),  # a title used as the speaker: a PER mention
            Ent("روسيا", GPE, "russia"),
            Ent("الاتحاد السوفيتي", GPE, "ussr"),
        ), quotes=(
            # the text attributes these words to «الرئيس الروسي»: we annotate the text (§5.8)
            Quo("direct", '"أعرب…بلدنا"', "و[استطرد]", "putin",
                stance=Stn("favor", "روسيا", about="russia")),
        )),
        Para("وأكد: \"صداقتنا", entities=(
            Ent("الاتحاد الروسي", GPE, "russia"),
        ), quotes=(
            # malformed quotation marks: one quote up to the end of the paragraph (§5.2)
            Quo("direct", '"صداقتنا…جديد.', "و[أكد]", "putin", elided=True,
                stance=Stn("favor", T_TIES)),
        )),
        Para("من جانبه، كتب كيم", entities=(
            Ent("كيم", PER, "kim"),
            Ent("ل[روسيا]", GPE, "russia"),
        ), quotes=(
            Quo("direct", '"سيكون…خالدا"', "[كتب]", "kim", stance=Stn("favor", "روسيا", about="russia")),
        )),
        Para("وأخبر الزعيم الكوري الشمالي", entities=(
            Ent("الزعيم الكوري الشمالي", PER, "kim"),
            Ent("نظيره الروسي", PER, "putin"),
            Ent("روسيا", GPE, "russia"),
            Ent("الغرب", LOC, "the-west"),
        ), quotes=(
            Quo("mixed", 'أن [روسيا…"الإمبريالية"]', "و[أخبر]", "kim",
                stance=Stn("favor", T_WAR, about="russia")),
        )),
        Para("وجاء ذلك خلال لقاء", entities=(
            Ent("روسيا", GPE, "russia"),
            Ent("اليوم الأربعاء", DATE, "wednesday"),
        )),
        Para("وقال كيم لبوتين", entities=(
            Ent("كيم", PER, "kim"),
            Ent("ل[بوتين]", PER, "putin"),
            Ent("روسيا", GPE, "russia"),
        ), quotes=(
            Quo("direct", '"لقد صعدت…الهيمنة"', "و[قال] كيم", "kim",
                stance=Stn("favor", T_WAR, about="russia")),
        )),
        Para("وأكد زعيم كوريا الشمالية", entities=(
            Ent("[زعيم كوريا الشمالية]", PER, "kim"),
            Ent("زعيم [كوريا الشمالية]", GPE, "north-korea"),
            Ent("بوتين", PER, "putin"),
        ), quotes=(
            Quo("direct", '"سندعم…الإمبريالية"', "و[أكد]", "kim",
                stance=Stn("favor", "قرارات الرئيس بوتين", about="putin")),
        )),
    ),
)

UN_SECURITY_COUNCIL = Story(
    doc_id="seed/un-security-council",
    first_line=33,
    last_line=57,
    title="واشنطن وحلفاؤها يدينون كوريا الشمالية لتوفيرها أسلحة لروسيا",  # its headline, seed line 33
    source=None,  # the seed names no outlet for the "read also" story
    note="the seed's 'read also' story: the UN Security Council session on North Korean arms for Russia",
    boilerplate=(("read_also_marker", 31, 31), ("related_articles", 59, 70)),
    article_stance=Stn("favor", "كوريا الشمالية تزوّد روسيا بالأسلحة"),
    paragraphs=(
        Para("واشنطن وحلفاؤها يدينون", entities=(
            Ent("واشنطن", GPE, "washington"),
            Ent("كوريا الشمالية", GPE, "north-korea"),
            Ent("ل[روسيا]", GPE, "russia"),
        )),
        Para("دخلت واشنطن", entities=(
            Ent("واشنطن", GPE, "washington"),
            Ent("كوريا الشماليّة", GPE, "north-korea"),
            Ent("الأمم المتحدة", ORG, "un"),
            Ent("الجمعة", DATE, "friday"),
            Ent("بيونغ يانغ", GPE, "pyongyang"),
            Ent("روسيا", GPE, "russia"),
            Ent("أوكرانيا", GPE, "ukraine"),
        )),  # «مزاعم بأنّ …»: a nominal report without a speech verb, not a quote (§5.1)
        Para("وانتقد نائب مبعوث", entities=(
            Ent("واشنطن", GPE, "washington"),
            Ent("الأمم المتحدة", ORG, "un"),
            Ent("روبرت وود", PER, "wood"),
            Ent("جمهوريّة كوريا الديموقراطيّة الشعبيّة", GPE, "north-korea"),
            Ent("([كوريا الشماليّة])", GPE, "north-korea"),
            Ent("روسيا", GPE, "russia"),
        ), quotes=(
            Quo("mixed", 'إنّها ["عمليّات…إلى روسيا"]', "ما [قال]", "wood",
                stance=Stn("against", T_ARMS, about="north-korea")),
        )),
        Para("وقال وود قبل اجتماع", entities=(
            Ent("وود", PER, "wood"),
            Ent("ل[مجلس الأمن الدولي]", ORG, "security-council"),
            Ent("روسيا", GPE, "russia"),
            Ent("أوكرانيا", GPE, "ukraine"),
            Ent("كوريا الشماليّة", GPE, "north-korea"),
            Ent("قرارات [مجلس الأمن]", ORG, "security-council"),
            Ent("2006", DATE, "2006"),
            Ent("و[2009]", DATE, "2009"),
            Ent("و[2016]", DATE, "2016"),
        ), quotes=(
            Quo("direct", '"ندين…أوكرانيا"', "و[قال] وود", "wood", stance=Stn("against", T_ARMS)),
            Quo("indirect", "أنّ [توريد…2016]", "و[أضاف]", "wood", elided=True,
                stance=Stn("against", T_ARMS, about="north-korea")),
        )),
        Para("وقال جونا ليف", entities=(
            Ent("جونا ليف", PER, "lev"),  # title «المدير التنفيذي …» in apposition: not a mention
            Ent("ل[مركز أبحاث التسلّح في النزاعات]", ORG, "conflict-armament-research"),
            Ent("ل[مجلس الأمن]", ORG, "security-council"),
            Ent("أوكرانيا", GPE, "ukraine"),
        ), quotes=(
            Quo("indirect", "إنّ [المركز…للعقوبات]", "و[قال] جونا", "lev", stance=Stn("against", T_ARMS)),
        )),
        Para("وذكر أنّ", entities=(
            Ent("ل[مركز أبحاث التسلّح]", ORG, "conflict-armament-research"),
            Ent("خاركيف", GPE, "kharkiv"),
            Ent("2 كانون الثاني/يناير 2024", DATE, "2024-01-02"),
            Ent("كوريا الشماليّة", GPE, "north-korea"),
        ), quotes=(
            Quo("mixed", 'أنّ ["فريق…2024"]', "و[ذكر]", "lev", elided=True),
            # «المحقّقين خلصوا إلى أنّه …» is a report inside Lev's report: not a quote of its own (§5.1)
            Quo("mixed", 'إنّ [المحقّقين…عدّة"]', "[قائلا]", "lev", elided=True),
        )),
        Para("وأشار ليف", entities=(
            Ent("ليف", PER, "lev"),
            Ent("كييف", GPE, "kyiv"),
            Ent("و[زابوريجيا]", GPE, "zaporizhzhia"),
            Ent("هذا العام", DATE, "this-year"),
        ), quotes=(
            Quo("indirect", "أنّ [صواريخ…هذا العام]", "و[أشار]", "lev"),
        )),
        Para("ونفى السفير الروسي", entities=(
            Ent("الأمم المتحدة", ORG, "un"),
            Ent("فاسيلي نيبينزيا", PER, "nebenzia"),
            Ent("موسكو", GPE, "moscow"),
            Ent("أوكرانيا", GPE, "ukraine"),
            Ent("و[الاتحاد الأوروبي]", ORG, "eu"),
        ), quotes=(
            Quo("indirect", "أن [تكون موسكو سعت إلى تقويض العقوبات]", "و[نفى]", "nebenzia",
                stance=Stn("against", "موسكو سعت إلى تقويض العقوبات", about="moscow")),
        )),
        Para("ونمت العلاقات", entities=(
            Ent("موسكو", GPE, "moscow"),
            Ent("و[بيونغ يانغ]", GPE, "pyongyang"),
            Ent("كيم جونغ أون", PER, "kim"),
            Ent("فلاديمير بوتين", PER, "putin"),
            Ent("هذا الشهر", DATE, "this-month"),
        )),
        Para("وتتصاعد التوتّرات", entities=(
            Ent("شبه الجزيرة الكوريّة", LOC, "korean-peninsula"),
            Ent("كوريا الجنوبيّة", GPE, "south-korea"),
            Ent("موسكو", GPE, "moscow"),
        )),
        Para("وتراجعت العلاقات", entities=(
            Ent("بيونغ يانغ", GPE, "pyongyang"),  # «الكوريّتين» names two entities: not a mention
        ), quotes=(
            Quo("indirect", "إنّه [ردّ…أراضيها]", "ما [تقول]", "pyongyang"),
        )),
        Para("واعتبر وود", entities=(
            Ent("وود", PER, "wood"),
            Ent("الصين", GPE, "china"),
            Ent("روسيا", GPE, "russia"),
            Ent("و[كوريا الشماليّة]", GPE, "north-korea"),
            Ent("[سفير بكين لدى الأمم المتحدة]", PER, "china-envoy"),
            Ent("سفير [بكين]", GPE, "beijing"),
            Ent("الأمم المتحدة", ORG, "un"),
            Ent("الولايات المتحدة", GPE, "usa"),
        ), quotes=(
            Quo("indirect", "أنّ [الصين…الشماليّة]", "و[اعتبر]", "wood",
                stance=Stn("against", "العلاقات العسكرية بين روسيا وكوريا الشمالية")),
            Quo("mixed", 'إنّه ["يجب…في شبه الجزيرة]', "الذي [قال]", "china-envoy",
                stance=Stn("against", "الولايات المتحدة", about="usa")),
        )),
        Para("واختبرت بيونغ يانغ", entities=(
            Ent("بيونغ يانغ", GPE, "pyongyang"),
            Ent("25 حزيران/يونيو", DATE, "06-25"),
            Ent("وود", PER, "wood"),
            Ent("ل[مجلس الأمن]", ORG, "security-council"),
        ), quotes=(
            Quo("mixed", 'إنه [يظهر "ازدراء" لمجلس الأمن]', "ما [قال]", "wood",
                stance=Stn("against", "اختبار بيونغ يانغ صاروخا بالستيا")),
        )),
        Para("وتزعم واشنطن", entities=(
            Ent("واشنطن", GPE, "washington"),
            Ent("روسيا", GPE, "russia"),
            Ent("أوكرانيا", GPE, "ukraine"),
            Ent("الكرملين", ORG, "kremlin"),
            Ent("كوريا الشماليّة", GPE, "north-korea"),
        ), quotes=(
            Quo("indirect", "أنّ [روسيا…الدعم]", "و[تزعم]", "washington"),
        )),
        Para("من جهته، قال سفير", entities=(
            Ent("كوريا الشماليّة", GPE, "north-korea"),
            Ent("الأمم المتحدة", ORG, "un"),
            Ent("كيم سونغ", PER, "kim-song"),
            Ent("ل[مجلس الأمن]", ORG, "security-council"),
            Ent("موسكو", GPE, "moscow"),
            Ent("و[بيونغ يانغ]", GPE, "pyongyang"),
        ), quotes=(
            Quo("mixed", 'إنه ["لا يوجد…القلق"]', "[قال] سفير", "kim-song"),
            Quo("mixed", "أنّ [الاتّفاق…في العلاقات]", "[مشيرا]", "kim-song",
                stance=Stn("favor", "الاتفاق الموقع بين موسكو وبيونغ يانغ")),
        )),
        Para("وانضمّت فرنسا", entities=(
            Ent("فرنسا", GPE, "france"),
            Ent("و[بريطانيا]", GPE, "britain"),
            Ent("واشنطن", GPE, "washington"),
            Ent("كوريا الشماليّة", GPE, "north-korea"),
            Ent("روسيا", GPE, "russia"),
        ), quotes=(
            Quo("indirect", "إنّها [شحنات…العقوبات]", "لما [تقول]", "washington",
                stance=Stn("against", T_ARMS, about="north-korea")),
        )),
        Para("من جهته انتقد", entities=(
            Ent("فلاديمير بوتين", PER, "putin"),
            Ent("الولايات المتحدة", GPE, "usa"),
            Ent("ل[أوكرانيا]", GPE, "ukraine"),
            Ent("الأسبوع الماضي", DATE, "last-week"),
            Ent("كوريا الشمالية", GPE, "north-korea"),
        ), quotes=(
            Quo("indirect", "إنه [لا يستبعد…الشمالية]", "و[قال] الأسبوع", "putin",
                stance=Stn("neutral", "إرسال روسيا أسلحة إلى كوريا الشمالية", about="north-korea")),
        )),
    ),
)

STORIES: tuple[Story, ...] = (VOSTOCHNY, UN_SECURITY_COUNCIL)

# --------------------------------------------------------------------------- resolution


class AuthoringError(ValueError):
    """The annotation data does not fit the seed or breaks a guideline rule."""


@dataclass(frozen=True)
class Resolved:
    """A resolved span with what the annotation declared, for checks and tests."""

    doc_id: str
    item_id: str
    layer: str  # "entity" | "quote" | "cue"
    start: int
    end: int
    declared: str  # the locator's bracketed part (may hold the … wildcard)


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def line_ranges(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every line of ``text`` (without its newline)."""
    ranges, start = [], 0
    for line in text.split("\n"):
        ranges.append((start, start + len(line)))
        start += len(line) + 1
    return ranges


def _pattern(piece: str) -> str:
    return ".*?".join(re.escape(part) for part in piece.split(WILDCARD))


def split_locator(locator: str) -> tuple[str, str, str]:
    """``"ل[روسيا]"`` → ``("ل", "روسيا", "")``; a locator without brackets is all span."""
    if "[" not in locator:
        return "", locator, ""
    before, rest = locator.split("[", 1)
    inner, sep, after = rest.partition("]")
    if not sep or "[" in inner or "[" in after or "]" in after:
        raise AuthoringError(f"locator {locator!r}: write exactly one [span] pair")
    return before, inner, after


def locate(locator: str, paragraph: str, where: str) -> tuple[int, int]:
    """The ``[start, end)`` of the locator's span in ``paragraph``; it must match exactly once."""
    before, inner, after = split_locator(locator)
    regex = re.compile(_pattern(before) + "(" + _pattern(inner) + ")" + _pattern(after), re.S)
    matches = list(regex.finditer(paragraph))
    if len(matches) != 1:
        raise AuthoringError(f"{where}: locator {locator!r} matches {len(matches)} times in the paragraph "
                             "(fix: add context around the [span] so it matches exactly once)")
    return matches[0].span(1)


def surface_matches(declared: str, surface: str) -> bool:
    """Does ``surface`` fit the declared span (``…`` = any text in between)?"""
    return re.fullmatch(_pattern(declared), surface, re.S) is not None


@dataclass
class _Draft:
    """Mutable working state for one story while its items are resolved."""

    story: Story
    text: str
    offset: int  # where the story's text starts in the seed


def _paragraphs(story: Story, text: str) -> list[tuple[int, int, Para]]:
    spans = [(s, e) for s, e in line_ranges(text) if text[s:e].strip()]
    if len(spans) != len(story.paragraphs):
        raise AuthoringError(f"{story.doc_id}: the text has {len(spans)} non-empty paragraphs but the "
                             f"annotation lists {len(story.paragraphs)} (fix: one Para per paragraph)")
    out = []
    for number, ((start, end), para) in enumerate(zip(spans, story.paragraphs, strict=True)):
        if not text[start:end].startswith(para.opening):
            raise AuthoringError(f"{story.doc_id}: paragraph {number} starts {text[start:start + 30]!r}, "
                                 f"not {para.opening!r} (fix: keep the Para list in text order)")
        out.append((start, end, para))
    return out


def _sentence(text: str, start: int, end: int, quotes: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The sentence around ``[start, end)``: bounded by . ! ? ؟ or a newline outside every quote."""

    def boundary(i: int) -> bool:
        return text[i] in SENTENCE_END and not any(qs <= i < qe for qs, qe in quotes)

    left = start - 1
    while left >= 0 and not boundary(left):
        left -= 1
    right = end
    while right < len(text) and not boundary(right):
        right += 1
    return left + 1, right


def build_story(story: Story, seed: str, provenance: Provenance) -> tuple[Article, list[Resolved]]:
    """Resolve one story's annotation to a validated :class:`Article` (plus what was declared)."""
    lines = line_ranges(seed)
    start, end = lines[story.first_line][0], lines[story.last_line][1]
    text = seed[start:end]
    doc = story.doc_id
    paragraphs = _paragraphs(story, text)

    # entities: resolve, number in reading order (outer before nested), cluster by entity key
    raw_entities = []
    for p_start, p_end, para in paragraphs:
        for ent in para.entities:
            s, e = locate(ent.locator, text[p_start:p_end], f"{doc}: entity {ent.locator!r}")
            raw_entities.append((p_start + s, p_start + e, ent))
    raw_entities.sort(key=lambda r: (r[0], -r[1]))
    mention_ids = [f"m{i}" for i in range(1, len(raw_entities) + 1)]
    canonical: dict[str, str] = {}  # entity key -> earliest mention id (by start, end, id)
    for _, _, mid, ent in sorted((s, e, mid, ent) for (s, e, ent), mid in zip(raw_entities, mention_ids,
                                                                              strict=True)):
        canonical.setdefault(ent.entity, mid)
    mentions = [Mention(mid, s, e, ent.label, cluster=canonical[ent.entity])
                for (s, e, ent), mid in zip(raw_entities, mention_ids, strict=True)]
    key_of = {mid: ent.entity for (_, _, ent), mid in zip(raw_entities, mention_ids, strict=True)}
    resolved = [Resolved(doc, m.id, "entity", m.start, m.end, split_locator(ent.locator)[1])
                for m, (_, _, ent) in zip(mentions, raw_entities, strict=True)]

    # quotes and cues: resolve first, then speakers (they need every quote span)
    raw_quotes = []
    for p_start, p_end, para in paragraphs:
        body = text[p_start:p_end]
        for quo in para.quotes:
            qs, qe = locate(quo.locator, body, f"{doc}: quote {quo.locator!r}")
            cs, ce = locate(quo.cue, body, f"{doc}: cue {quo.cue!r} of quote {quo.locator!r}")
            raw_quotes.append((p_start + qs, p_start + qe, p_start + cs, p_start + ce, quo))
    raw_quotes.sort(key=lambda r: r[0])
    quote_spans = [(r[0], r[1]) for r in raw_quotes]

    def outside_quotes(m: Mention) -> bool:
        return not any(qs <= m.start and m.end <= qe for qs, qe in quote_spans)

    quotes, stances = [], []
    for number, (qs, qe, cs, ce, quo) in enumerate(raw_quotes, start=1):
        qid, where = f"q{number}", f"{doc}: quote {quo.locator!r}"
        if not (ce <= qs or cs >= qe):
            raise AuthoringError(f"{where}: the cue lies inside the quote (fix: the cue is outside the span)")
        speaker = None
        if quo.speaker is not None:
            own = [m for m in mentions if key_of[m.id] == quo.speaker and outside_quotes(m)]
            s0, s1 = _sentence(text, cs, ce, quote_spans)
            in_sentence = [m for m in own if s0 <= m.start and m.end <= s1]
            if quo.elided:
                if in_sentence:
                    raise AuthoringError(f"{where}: marked elided but {quo.speaker!r} is named in the "
                                         "sentence (fix: elided=False)")
                earlier = [m for m in own if m.end <= cs]
                if not earlier:
                    raise AuthoringError(f"{where}: no earlier mention of {quo.speaker!r} to link")
                speaker = max(earlier, key=lambda m: m.start).id
            else:
                if len(in_sentence) != 1:
                    raise AuthoringError(f"{where}: {len(in_sentence)} mentions of {quo.speaker!r} in the "
                                         "cue's sentence, need exactly 1 (fix: elided=True, or annotate "
                                         "the mention)")
                speaker = in_sentence[0].id
        quotes.append(Quote(qid, qs, qe, quo.kind, cue=Span(cs, ce), speaker=speaker,
                            speaker_elided=quo.elided))
        resolved.append(Resolved(doc, qid, "quote", qs, qe, split_locator(quo.locator)[1]))
        resolved.append(Resolved(doc, qid, "cue", cs, ce, split_locator(quo.cue)[1]))
        if quo.stance is not None:
            stances.append(Stance(f"st-{qid}", qid, quo.stance.target, quo.stance.label,
                                  target_mention=_about(quo.stance, mentions, key_of, qs, qe, where)))
    if story.article_stance is not None:
        stances.append(Stance("st-article", ARTICLE_HOLDER, story.article_stance.target,
                              story.article_stance.label))

    meta = {
        "seed": SEED_REPO_PATH,
        "seed_sha256": hashlib.sha256(seed.encode("utf-8")).hexdigest(),
        "seed_range": [start, end],
        "seed_lines": [story.first_line, story.last_line],
        "story": story.note,
        "dropped": [
            {"kind": kind, "seed_range": [lines[first][0], lines[last][1]], "seed_lines": [first, last]}
            for kind, first, last in story.boilerplate
        ],
    }
    article = Article(doc_id=doc, text=text, title=story.title, source=story.source, variety="msa",
                      meta=meta, entities=tuple(mentions), quotes=tuple(quotes), stances=tuple(stances),
                      provenance=provenance)
    for item in resolved:
        if not surface_matches(item.declared, text[item.start:item.end]):
            raise AuthoringError(f"{doc}: {item.item_id} {item.layer} surface {text[item.start:item.end]!r} "
                                 f"does not fit the declared {item.declared!r}")
    return article, resolved


def _about(stance: Stn, mentions: Sequence[Mention], key_of: dict[str, str], qs: int, qe: int,
           where: str) -> str | None:
    if stance.about is None:
        return None
    inside = [m for m in mentions if key_of[m.id] == stance.about and qs <= m.start and m.end <= qe]
    if not inside:
        raise AuthoringError(f"{where}: stance about {stance.about!r} but no mention of it inside the quote "
                             "(fix: about=None)")
    return min(inside, key=lambda m: (m.start, m.end)).id


def check_coverage(seed: str, stories: Sequence[Story] = STORIES) -> None:
    """Every seed line belongs to exactly one story or dropped segment, or is blank."""
    owner: dict[int, str] = {}
    for story in stories:
        segments = [(story.doc_id, story.first_line, story.last_line)]
        segments += [(f"{story.doc_id}:{kind}", a, b) for kind, a, b in story.boilerplate]
        for name, first, last in segments:
            for number in range(first, last + 1):
                if number in owner:
                    raise AuthoringError(f"seed line {number} is claimed by {owner[number]} and {name}")
                owner[number] = name
    for number, (s, e) in enumerate(line_ranges(seed)):
        if number not in owner and seed[s:e].strip():
            raise AuthoringError(f"seed line {number} {seed[s:e][:40]!r} is neither in a story nor dropped "
                                 "(fix: add it to a Story or to its boilerplate)")


def build_articles(provenance: Provenance | None = None) -> tuple[list[Article], list[Resolved]]:
    """The gold articles and every resolved span, from the seed and the annotation above."""
    seed = seed_text()
    check_coverage(seed)
    articles, resolved = [], []
    for number, story in enumerate(STORIES, start=1):
        article, items = build_story(story, seed, provenance or gold_provenance(number))
        articles.append(article)
        resolved.extend(items)
    return articles, resolved


def gold_provenance(annotation_id: int) -> Provenance:
    """Provenance of a gold article as :func:`benchmark.studio.convert.export_to_articles` reads it
    back from ``sample.json`` (called with ``source="sample.json"``): task *n* holds annotation *n*."""
    return Provenance(annotator=ANNOTATOR, annotation_ids=(str(annotation_id),),
                      guidelines_version=SAMPLE_GUIDELINES_VERSION, source=EXPORT.name)


def summary(articles: Sequence[Article]) -> str:
    """One line of counts, quoted verbatim in README.md and guidelines.md §9 (a test keeps them equal)."""

    def spread(counter: Counter[str], order: Sequence[str]) -> str:
        return ", ".join(f"{key} {counter[key]}" for key in order if counter[key])

    mentions = [m for a in articles for m in a.entities]
    quotes = [q for a in articles for q in a.quotes]
    stances = [s for a in articles for s in a.stances]
    clusters = sum(len({m.cluster for m in a.entities}) for a in articles)
    labels = Counter(m.label for m in mentions)
    return (
        f"{len(articles)} articles, {len(mentions)} entity mentions "
        f"({spread(labels, sorted(labels, key=lambda k: (-labels[k], k)))}) in {clusters} clusters, "
        f"{len(quotes)} quotes ({spread(Counter(q.kind for q in quotes), QUOTE_KINDS)}; "
        f"{sum(q.speaker_elided for q in quotes)} with an elided speaker, "
        f"{sum(q.speaker is None for q in quotes)} with no named speaker), "
        f"{len(stances)} stances ({spread(Counter(s.label for s in stances), STANCE_LABELS)}; "
        f"{sum(s.holder == ARTICLE_HOLDER for s in stances)} article-level)"
    )


# --------------------------------------------------------------------------- output


def render_jsonl(articles: Sequence[Article]) -> bytes:
    """The Article JSONL bytes (written by :func:`benchmark.io.write_articles`)."""
    from benchmark.io import write_articles

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / JSONL.name
        write_articles(path, articles)
        return path.read_bytes()


def render_export(articles: Sequence[Article]) -> bytes:
    """The Label Studio export bytes (converted by :mod:`benchmark.studio.convert`)."""
    from benchmark.studio.convert import articles_to_export, write_export

    with tempfile.TemporaryDirectory() as tmp:
        return write_export(Path(tmp) / EXPORT.name, articles_to_export(articles)).read_bytes()


def render() -> dict[Path, bytes]:
    articles, _ = build_articles()
    return {EXPORT: render_export(articles), JSONL: render_jsonl(articles)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed files are stale")
    parser.add_argument("--stats", action="store_true", help="print the counts line and exit")
    args = parser.parse_args(argv)
    if args.stats:
        print(summary(build_articles()[0]))
        return 0
    outputs = render()
    if args.check:
        stale = [p.name for p, data in outputs.items() if not p.exists() or p.read_bytes() != data]
        for name in stale:
            print(f"stale: annotations/gold/{name} (fix: python annotations/gold/author_gold.py)")
        return 1 if stale else 0
    for path, data in outputs.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(HERE.parent.parent)} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
