"""Tokenizer: article sentences, numbers, quotes, invisible marks, proclitics, split_at, offsets."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.text import CliticRule, Token, split_at, split_proclitics, tokenize

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةٱ"
MARKS = "".join(map(chr, range(0x064B, 0x0660))) + "\u0670\u0640"
INVISIBLE = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff\u200c\u200d\u200b"
PUNCTUATION = "،؛؟٫٬٪.,;:!?()[]-/\"«»“”„'‘’…•%_"
ALPHABET = ARABIC_LETTERS + MARKS + INVISIBLE + PUNCTUATION + "abcXYZé" + "0123456789٠١٢٩۰۱۹" + " \n\t\u00a0"
CHUNKS = ["و", "ف", "ب", "ل", "ك", "ال", "لل", "بال", "وال", "روسيا", "بوتين", "قال", "وقت", "2,5", "25/6",
          "2024", "٢٠٢٤", "«", "»", '"', "،", ".", " ", "\u200f", "\u0651", "\u064b", "ـ", "\u200c"]
texts = st.text(alphabet=ALPHABET, max_size=80) | st.lists(
    st.sampled_from(CHUNKS) | st.text(alphabet=ALPHABET, max_size=3), max_size=25).map("".join)
rules = st.sampled_from([False, True, CliticRule(split_article=True), CliticRule(min_stem=2)])
SETTINGS = settings(max_examples=300, deadline=None)


def words(text: str, **kwargs: object) -> list[str]:
    return [t.text for t in tokenize(text, **kwargs)]


# --------------------------------------------------------------------------- rules


def test_article_sentence() -> None:
    # From the seed article: a spaced comma, a colon, Latin quotes, '!' and '-'.
    text = 'وقال بوتين ، في كلمته الترحيبية بزعيم كوريا الشمالية: "سيدي الرئيس العزيز! يسعدني - هذه المرة'
    assert words(text) == ["وقال", "بوتين", "،", "في", "كلمته", "الترحيبية", "بزعيم", "كوريا", "الشمالية",
                           ":", '"', "سيدي", "الرئيس", "العزيز", "!", "يسعدني", "-", "هذه", "المرة"]


def test_quotes_are_separate_tokens() -> None:
    assert words('ضد "الإمبريالية".') == ["ضد", '"', "الإمبريالية", '"', "."]
    assert words("«سيدي» “نص” „نص“ ‘x’ 'y'") == ["«", "سيدي", "»", "“", "نص", "”", "„", "نص", "“",
                                                   "‘", "x", "’", "'", "y", "'"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", ["2024"]),
        ("2,5", ["2,5"]),
        ("3.14", ["3.14"]),
        ("1,000,000", ["1,000,000"]),
        ("10:30", ["10:30"]),
        ("25/6", ["25/6"]),
        ("٢٠٢٤ ۲۰۲۴ ٢٫٥", ["٢٠٢٤", "۲۰۲۴", "٢٫٥"]),
        ("2020-2024", ["2020", "-", "2024"]),
        ("2024.", ["2024", "."]),
        ("2024م", ["2024", "م"]),
        ("و2009", ["و", "2009"]),
        ("كانون الثاني/يناير", ["كانون", "الثاني", "/", "يناير"]),
        ("(كوريا الشماليّة)", ["(", "كوريا", "الشماليّة", ")"]),
        ("ماذا؟ نعم؛ لا،", ["ماذا", "؟", "نعم", "؛", "لا", "،"]),
    ],
)
def test_numbers_and_punctuation(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_marks_and_tatweel_stay_inside_words() -> None:
    assert words("الشماليّة بوتــين مادّيًا") == ["الشماليّة", "بوتــين", "مادّيًا"]


def test_invisible_marks_are_never_part_of_a_token() -> None:
    text = "\u200fبوتين\u200e\u202bكيم\u202c\ufeffأون\u200b2024"
    assert tokenize(text) == [Token("بوتين", 1, 6), Token("كيم", 8, 11), Token("أون", 13, 16),
                              Token("2024", 17, 21)]


def test_every_format_character_separates_and_every_mark_joins() -> None:
    for cp in range(0x10000):
        ch = chr(cp)
        category = unicodedata.category(ch)
        if category == "Cf":
            assert words(f"ب{ch}ت") == ["ب", "ت"], f"U+{cp:04X}"
        elif category[0] == "M":
            assert words(f"ب{ch}ت") == [f"ب{ch}ت"], f"U+{cp:04X}"


# --------------------------------------------------------------------------- proclitics


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("لروسيا", ["ل", "روسيا"]),
        ("وبوتين", ["و", "بوتين"]),
        ("بالزعيم", ["ب", "الزعيم"]),
        ("وبالزعيم", ["و", "ب", "الزعيم"]),
        ("والاتحاد", ["و", "الاتحاد"]),
        ("للزوار", ["ل", "لزوار"]),
        ("وللأمم", ["و", "ل", "لأمم"]),
        ("فالاتحاد", ["ف", "الاتحاد"]),
        ("كالعادة", ["ك", "العادة"]),
        ("ولروسيا", ["و", "ل", "روسيا"]),
        ("وقال", ["و", "قال"]),
        ("وَبُوتِين", ["وَ", "بُوتِين"]),
        ("وواشنطن", ["و", "واشنطن"]),
        # kept whole: short stems, names and words starting with a clitic letter
        ("وقت", ["وقت"]), ("وود", ["وود"]), ("وجد", ["وجد"]), ("لندن", ["لندن"]), ("لقاء", ["لقاء"]),
        ("بوتين", ["بوتين"]), ("بريطانيا", ["بريطانيا"]), ("كوريا", ["كوريا"]), ("فلسطين", ["فلسطين"]),
        ("فلاديمير", ["فلاديمير"]), ("فقال", ["فقال"]), ("واشنطن", ["واشنطن"]), ("لبنان", ["لبنان"]),
        ("بالونات", ["بالونات"]), ("بالغة", ["بالغة"]), ("والد", ["والد"]), ("لله", ["لله"]),
        ("الزعيم", ["الزعيم"]), ("London", ["London"]), ("", [""]),
        # transliterated names (seen in ANERcorp)
        ("ليبرمان", ["ليبرمان"]), ("ليفربول", ["ليفربول"]), ("وانغ", ["وانغ"]), ("وايت", ["وايت"]),
        ("كاليفورنيا", ["كاليفورنيا"]), ("وانتصار", ["و", "انتصار"]), ("وابن", ["وابن"]),
    ],
)
def test_default_proclitic_rule(word: str, pieces: list[str]) -> None:
    assert split_proclitics(word) == pieces


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("بالزعيم", ["ب", "ال", "زعيم"]),
        ("وبالزعيم", ["و", "ب", "ال", "زعيم"]),
        ("للزوار", ["ل", "ل", "زوار"]),
        ("الإمبريالية", ["ال", "إمبريالية"]),
        ("الذي", ["الذي"]),
        ("الجو", ["الجو"]),
    ],
)
def test_article_splitting_is_opt_in(word: str, pieces: list[str]) -> None:
    assert split_proclitics(word, CliticRule(split_article=True)) == pieces


def test_rule_is_configurable() -> None:
    assert split_proclitics("وقال", CliticRule(min_stem=4)) == ["وقال"]
    assert split_proclitics("لندن", CliticRule(min_stem_after_lam=3)) == ["ل", "ندن"]
    assert split_proclitics("لروسيا", CliticRule(keep_whole=frozenset({"لروس"}))) == ["لروسيا"]


def test_tokenize_with_clitics_on_article_text() -> None:
    text = "من جانبه، كتب كيم في كتاب للزوار: \"سيكون المجد لروسيا، التي أنجبت أول فتح للفضاء، خالدا\"."
    assert words(text, split_clitics=True) == [
        "من", "جانبه", "،", "كتب", "كيم", "في", "كتاب", "ل", "لزوار", ":", '"', "سيكون", "المجد", "ل",
        "روسيا", "،", "التي", "أنجبت", "أول", "فتح", "ل", "لفضاء", "،", "خالدا", '"', ".",
    ]


def test_bad_split_clitics_value() -> None:
    with pytest.raises(TypeError, match="split_clitics"):
        tokenize("x", split_clitics="yes")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- split_at


def test_split_at_cuts_exactly_and_ignores_offsets_between_tokens() -> None:
    tokens = tokenize("بلقاء الرئيس")
    assert split_at(tokens, [1, 6, 0, 99]) == [Token("ب", 0, 1), Token("لقاء", 1, 5), Token("الرئيس", 6, 12)]
    assert split_at(tokens, [2, 3]) == [Token("بل", 0, 2), Token("ق", 2, 3), Token("اء", 3, 5),
                                        Token("الرئيس", 6, 12)]
    assert split_at(tokens, []) == tokens


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(text=texts, rule=rules)
def test_token_offsets_exact_and_covering(text: str, rule: bool | CliticRule) -> None:
    tokens = tokenize(text, split_clitics=rule)
    covered: set[int] = set()
    previous_end = 0
    for token in tokens:
        assert token.text and text[token.start : token.end] == token.text
        assert token.start >= previous_end
        previous_end = token.end
        assert not any(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in token.text)
        covered.update(range(token.start, token.end))
    for i, ch in enumerate(text):
        visible = not ch.isspace() and unicodedata.category(ch) != "Cf"
        assert (i in covered) == visible, (i, unicodedata.name(ch, "?"))


@SETTINGS
@given(text=texts, rule=rules)
def test_clitic_splitting_only_refines_plain_tokens(text: str, rule: bool | CliticRule) -> None:
    plain = tokenize(text)
    split = tokenize(text, split_clitics=rule)
    boundaries = {t.start for t in split} | {t.end for t in split}
    assert split_at(plain, boundaries) == split


@SETTINGS
@given(text=texts, data=st.data())
def test_split_at_keeps_offsets_exact(text: str, data: st.DataObject) -> None:
    offsets = data.draw(st.lists(st.integers(0, len(text)), max_size=6))
    tokens = split_at(tokenize(text), offsets)
    assert all(t.text and text[t.start : t.end] == t.text for t in tokens)
    for offset in offsets:
        assert not any(t.start < offset < t.end for t in tokens)
