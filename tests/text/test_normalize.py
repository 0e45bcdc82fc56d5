"""Normalisation: rules on real article text, the offset map (exact, property-tested), errors."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.text import NormalizationConfig, SpanMappingError, normalize

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةٱ"
MARKS = "".join(map(chr, range(0x064B, 0x0660))) + "\u0670\u0640"  # harakat, dagger alef, tatweel
INVISIBLE = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff\u200c\u200d\u200b"
PUNCTUATION = "،؛؟٫٬٪.,;:!?()[]-/\"«»“”„'‘’…•%_"
ALPHABET = ARABIC_LETTERS + MARKS + INVISIBLE + PUNCTUATION + "abcXYZé" + "0123456789٠١٢٩۰۱۹" + " \n\u00a0"
SETTINGS = settings(max_examples=300, deadline=None)

configs = st.builds(NormalizationConfig,
                    **{f.name: st.booleans() for f in dataclasses.fields(NormalizationConfig)})

# From the seed article (/work/shared/seed/article.txt).
SHADDA_SENTENCE = "وتتصاعد التوتّرات في شبه الجزيرة الكوريّة مع انزعاج كوريا الجنوبيّة"
TANWIN_SENTENCE = "قد وثّق مادّيًا بقايا صاروخ بالستي"


# --------------------------------------------------------------------------- rules


def test_default_removes_shadda_and_tanwin_from_the_article() -> None:
    expected = "وتتصاعد التوترات في شبه الجزيرة الكورية مع انزعاج كوريا الجنوبية"
    assert normalize(SHADDA_SENTENCE).text == expected
    assert normalize(TANWIN_SENTENCE).text == "قد وثق ماديا بقايا صاروخ بالستي"


def test_default_removes_tatweel_bidi_marks_and_joiners() -> None:
    text = "\ufeff\u200fالرئيس بوتــــين\u200e \u202bكيم\u202c \u2067أون\u2069 \u061cX\u200c\u200dY"
    assert normalize(text).text == "الرئيس بوتين كيم أون XY".replace("أ", "ا")


def test_joiners_can_be_kept() -> None:
    assert normalize("X\u200cY", remove_joiners=False).text == "X\u200cY"


def test_alef_variants_fold_by_default() -> None:
    assert normalize("إقرأ أيضاً آمل ٱلله").text == "اقرا ايضا امل الله"
    assert normalize("إقرأ", fold_alef=False).text == "إقرأ"


@pytest.mark.parametrize(
    ("option", "before", "after"),
    [
        ("fold_alef_maqsura", "لدى الأمم المتحدة", "لدي الامم المتحدة"),
        ("fold_teh_marbuta", "جمهورية كوريا", "جمهوريه كوريا"),
        ("fold_hamza_carriers", "واشنطن وحلفاؤها وذخائر", "واشنطن وحلفاوها وذخاير"),
        ("fold_digits", "في ٢٠٢٤ و۲۰۰۶", "في 2024 و2006"),
        ("fold_punctuation", "كيف سترد روسيا؟ نعم، لا؛ ٢٫٥٪", "كيف سترد روسيا? نعم, لا; ٢.٥%"),
    ],
)
def test_opt_in_folds(option: str, before: str, after: str) -> None:
    assert normalize(before).text == before.replace("أ", "ا")  # off by default
    assert normalize(before, **{option: True}).text == after


def test_config_object_and_keyword_override() -> None:
    config = NormalizationConfig(fold_digits=True)
    assert normalize("٢٠", config).text == "20"
    assert normalize("٢٠", config, fold_digits=False).text == "٢٠"
    with pytest.raises(TypeError):
        normalize("x", no_such_option=True)
    with pytest.raises(TypeError, match="needs a str"):
        normalize(b"bytes")  # type: ignore[arg-type]


def test_config_char_is_the_per_character_rule() -> None:
    config = NormalizationConfig()
    assert config.char("أ") == "ا"
    assert config.char("\u0651") == ""
    assert config.char("ب") == "ب"
    assert config.table()[ord("\u200f")] == ""


def test_agrees_with_pyarabic_strip_tashkeel_and_strip_tatweel() -> None:
    araby = pytest.importorskip("pyarabic.araby")
    only_tashkeel = NormalizationConfig(remove_format_marks=False, remove_joiners=False, remove_tatweel=False,
                                        fold_alef=False)
    for sentence in (SHADDA_SENTENCE, TANWIN_SENTENCE, "الْعَرَبِيّةُ"):
        assert normalize(sentence, only_tashkeel).text == araby.strip_tashkeel(sentence)
    only_tatweel = dataclasses.replace(only_tashkeel, remove_diacritics=False, remove_tatweel=True)
    assert normalize("العـــــربية", only_tatweel).text == araby.strip_tatweel("العـــــربية")


def test_original_is_untouched_and_kept() -> None:
    text = "بوتــين\u200f"
    result = normalize(text)
    assert result.original is text
    assert result.text == "بوتين"


# --------------------------------------------------------------------------- spans


def test_original_span_covers_inner_removed_marks_but_not_outer_ones() -> None:
    text = "\u200fكوريّة\u064b الشماليّة\u200e"
    n = normalize(text)
    assert n.text == "كورية الشمالية"
    # 'كورية' → starts after the RLM, keeps the inner shadda, stops before the trailing tanwin
    assert n.original_span(0, 5) == (1, 7)
    assert text[1:7] == "كوريّة"
    # the whole normalised text: inner tanwin and shadda inside, edge marks outside
    assert n.original_span(0, len(n.text)) == (1, len(text) - 1)


def test_normalized_span_trims_removed_edges_and_strict_mode_refuses_them() -> None:
    text = "وقال بوتينُ\u200f."
    n = normalize(text)
    assert n.normalized_span(5, 12) == (5, 10)  # 'بوتينُ' + RLM → 'بوتين'
    assert n.original_span(5, 10) == (5, 10)
    with pytest.raises(SpanMappingError, match=r"span end 12 falls on a character removed.*RIGHT-TO-LEFT"):
        n.normalized_span(5, 12, strict=True)
    assert n.normalized_span(5, 10, strict=True) == (5, 10)


def test_span_of_only_removed_characters_is_an_error() -> None:
    n = normalize("أ\u200f\u200eب")
    with pytest.raises(SpanMappingError, match="consists only of characters removed"):
        n.normalized_span(1, 3)
    assert n.normalized_span(2, 2) == (1, 1)  # empty spans are fine


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (2, 1), (0, 99)])
def test_out_of_range_spans_are_errors(start: int, end: int) -> None:
    n = normalize("بوتين")
    with pytest.raises(SpanMappingError, match="not inside"):
        n.original_span(start, end)
    with pytest.raises(SpanMappingError, match="not inside"):
        n.normalized_span(start, end)


def test_empty_spans_map_to_insertion_points() -> None:
    text = "ب\u064e\u200f"
    n = normalize(text)
    assert n.original_span(0, 0) == (0, 0)
    assert n.original_span(1, 1) == (3, 3)  # the end of the normalised text → the end of the original


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(text=st.text(alphabet=ALPHABET, max_size=80), config=configs)
def test_offset_map_is_exact(text: str, config: NormalizationConfig) -> None:
    n = normalize(text, config)
    assert len(n.to_original) == len(n.text)
    assert all(a < b for a, b in zip(n.to_original, n.to_original[1:], strict=False))
    sources = set(n.to_original)
    for i, source in enumerate(n.to_original):
        assert n.text[i] == config.char(text[source])
    for j, ch in enumerate(text):
        assert (config.char(ch) == "") == (j not in sources), (j, unicodedata.name(ch, "?"))


@SETTINGS
@given(text=st.text(alphabet=ALPHABET, max_size=60), config=configs, data=st.data())
def test_spans_map_there_and_back(text: str, config: NormalizationConfig, data: st.DataObject) -> None:
    n = normalize(text, config)
    # normalised → original → normalised is the identity
    a = data.draw(st.integers(0, len(n.text)))
    b = data.draw(st.integers(a, len(n.text)))
    start, end = n.original_span(a, b)
    assert n.normalized_span(start, end) == (a, b)
    if a < b:
        assert text[start:end].translate(config.table()) == n.text[a:b]
        assert config.char(text[start]) and config.char(text[end - 1])
        assert n.normalized_span(start, end, strict=True) == (a, b)
    # original → normalised → original trims removed characters at the edges
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    kept = [j for j in range(s, e) if config.char(text[j])]
    if s < e and not kept:
        with pytest.raises(SpanMappingError):
            n.normalized_span(s, e)
    elif s < e:
        na, nb = n.normalized_span(s, e)
        assert n.text[na:nb] == text[s:e].translate(config.table())
        assert n.original_span(na, nb) == (kept[0], kept[-1] + 1)
        if (kept[0], kept[-1] + 1) != (s, e):
            with pytest.raises(SpanMappingError, match="falls on a character removed"):
                n.normalized_span(s, e, strict=True)
