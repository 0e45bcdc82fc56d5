r"""Arabic normalisation that keeps an exact offset map back to the original text.

:func:`normalize` never changes the original: it returns a :class:`Normalized` holding the
original, the new string and ``to_original`` (for every normalised character, the index of
the original character it came from). Spans move between the two texts with
:meth:`Normalized.original_span` and :meth:`Normalized.normalized_span`.

Every rule maps ONE original character to zero or one character (removal or substitution),
so the map is a strictly increasing tuple and both directions are exact.

>>> n = normalize("وقال بوتينُ: \u200f«أهلاً»")
>>> n.text
'وقال بوتين: «اهلا»'
>>> n.original_span(5, 10)          # 'بوتين' (the damma after it is outside the span's edge)
(5, 10)
>>> n.original_span(12, 18)         # '«اهلا»' skips the RLM before it, keeps the tanwin inside
(14, 21)
>>> n.normalized_span(14, 21)
(12, 18)
>>> normalize("٢٠٢٤؟", fold_digits=True, fold_punctuation=True).text
'2024?'

Why not pyarabic here: ``pyarabic.araby.strip_tashkeel``/``strip_tatweel``/``normalize_hamza``
return plain strings with no offsets (and ``normalize_hamza`` rewrites madda as two characters),
so they cannot tell where a character came from. The core is one per-character table
(:meth:`NormalizationConfig.table`); it is applied with C-speed primitives: one regex pass
removes characters and yields the removed runs for the offset map, then ``str.replace`` per
substituted character (faster than ``str.translate`` on non-Latin text; substitutions never
feed each other, so the order does not matter). The tests cross-check results against pyarabic.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from typing import Any

__all__ = ["NormalizationConfig", "Normalized", "SpanMappingError", "normalize"]

# Invisible bidi / format controls: LRM, RLM, LRE..RLO (U+202A-U+202E), LRI..PDI
# (U+2066-U+2069), the Arabic letter mark and the byte-order mark / zero-width no-break space.
FORMAT_MARKS: tuple[str, ...] = (
    "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)),
    "\u061c", "\ufeff",
)
JOINERS: tuple[str, ...] = ("\u200c", "\u200d")  # ZWNJ, ZWJ
TATWEEL = "\u0640"
# Harakat, tanwin, shadda, sukun, maddah/hamza above-below and the other marks U+064B-U+065F,
# plus the superscript (dagger) alef U+0670.
DIACRITICS: tuple[str, ...] = (*map(chr, range(0x064B, 0x0660)), "\u0670")
ALEF_VARIANTS: dict[str, str] = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"}
ALEF_MAQSURA: dict[str, str] = {"ى": "ي"}
TEH_MARBUTA: dict[str, str] = {"ة": "ه"}
HAMZA_CARRIERS: dict[str, str] = {"ؤ": "و", "ئ": "ي"}
DIGITS: dict[str, str] = {
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic ٠-٩
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended Arabic-Indic ۰-۹
}
# Arabic comma, semicolon, question mark; decimal and thousands separators, percent sign.
PUNCTUATION: dict[str, str] = {"،": ",", "؛": ";", "؟": "?", "٫": ".", "٬": ",", "٪": "%"}


class SpanMappingError(ValueError):
    """A span cannot be mapped between the original and the normalised text."""


@dataclass(frozen=True, slots=True)
class NormalizationConfig:
    """Which normalisations :func:`normalize` applies (each one maps a character to 0 or 1).

    Defaults suit models and matching without changing which word is written:
    invisible marks, tatweel and diacritics are removed and alef variants folded; the folds
    that can merge different words (ى/ي, ة/ه, ؤ ئ) and the digit/punctuation folds are opt-in.
    """

    remove_format_marks: bool = True
    """Remove bidi controls (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), U+061C and U+FEFF."""
    remove_joiners: bool = True
    """Remove ZWNJ U+200C and ZWJ U+200D."""
    remove_tatweel: bool = True
    """Remove tatweel U+0640 (ـ)."""
    remove_diacritics: bool = True
    """Remove harakat, tanwin, shadda, sukun and marks U+064B-U+065F and superscript alef U+0670."""
    fold_alef: bool = True
    """أ إ آ ٱ → ا."""
    fold_alef_maqsura: bool = False
    """ى → ي."""
    fold_teh_marbuta: bool = False
    """ة → ه."""
    fold_hamza_carriers: bool = False
    """ؤ → و and ئ → ي."""
    fold_digits: bool = False
    """Arabic-Indic ٠-٩ and Extended Arabic-Indic ۰-۹ → 0-9."""
    fold_punctuation: bool = False
    """، → ,  ؛ → ;  ؟ → ?  ٫ → .  ٬ → ,  ٪ → %."""

    def table(self) -> dict[int, str]:
        """The per-character rule: code point → replacement ('' = removed); absent = kept."""
        return dict(_table(self))

    def char(self, ch: str) -> str:
        """What one character becomes ('' when removed). ``config.char('أ') == 'ا'``."""
        return _table(self).get(ord(ch), ch)


@cache
def _table(config: NormalizationConfig) -> dict[int, str]:
    removed: list[str] = []
    if config.remove_format_marks:
        removed += FORMAT_MARKS
    if config.remove_joiners:
        removed += JOINERS
    if config.remove_tatweel:
        removed.append(TATWEEL)
    if config.remove_diacritics:
        removed += DIACRITICS
    replaced: dict[str, str] = {}
    for enabled, mapping in (
        (config.fold_alef, ALEF_VARIANTS), (config.fold_alef_maqsura, ALEF_MAQSURA),
        (config.fold_teh_marbuta, TEH_MARBUTA), (config.fold_hamza_carriers, HAMZA_CARRIERS),
        (config.fold_digits, DIGITS), (config.fold_punctuation, PUNCTUATION),
    ):
        if enabled:
            replaced.update(mapping)
    table = {ord(ch): "" for ch in removed}
    table.update({ord(src): dst for src, dst in replaced.items()})
    assert all(len(v) <= 1 for v in table.values()), "rules must map one character to 0 or 1"
    assert not {ord(v) for v in table.values() if v} & table.keys(), "a substitute must not be rewritten"
    return table


@cache
def _plan(config: NormalizationConfig) -> tuple[re.Pattern[str] | None, tuple[tuple[str, str], ...]]:
    """The table as C-speed steps: a regex matching runs of removed characters, and the
    (character, substitute) pairs."""
    table = _table(config)
    removed = sorted(cp for cp, dst in table.items() if dst == "")
    runs = re.compile("[" + "".join(re.escape(chr(cp)) for cp in removed) + "]+") if removed else None
    return runs, tuple((chr(cp), dst) for cp, dst in sorted(table.items()) if dst)


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and its exact map back to the original.

    ``to_original[i]`` is the index in ``original`` of the character that produced
    ``text[i]``; it is strictly increasing, and ``len(to_original) == len(text)``.
    """

    original: str = field(repr=False)
    text: str
    to_original: tuple[int, ...] = field(repr=False)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span on ``text`` to the original.

        The result runs from the source of ``text[start]`` to just after the source of
        ``text[end - 1]``: removed characters between them (harakat, tatweel, bidi marks)
        are inside it; removed characters before the first or after the last are not.
        An empty span maps to the empty span at the source of ``text[start]``
        (or at the end of the original when ``start == len(text)``).
        """
        _check_span(start, end, len(self.text), "normalised")
        if start == end:
            point = self.to_original[start] if start < len(self.text) else len(self.original)
            return point, point
        return self.to_original[start], self.to_original[end - 1] + 1

    def normalized_span(self, start: int, end: int, *, strict: bool = False) -> tuple[int, int]:
        """Map a half-open span on the original to ``text``.

        Removed characters at the span's edges are dropped, so the result covers exactly the
        surviving characters of ``original[start:end]``. Raises :class:`SpanMappingError`
        when a non-empty span has no surviving character, and, with ``strict=True``, when a
        boundary falls on a removed character (so that mapping back would move it).
        """
        _check_span(start, end, len(self.original), "original")
        new_start = bisect_left(self.to_original, start)
        new_end = bisect_left(self.to_original, end)
        if start == end:
            return new_start, new_start
        if new_start == new_end:
            raise SpanMappingError(
                f"original span [{start}, {end}) {self.original[start:end]!r} consists only of characters "
                f"removed by normalisation ({_names(self.original[start:end])}); nothing in the normalised "
                "text corresponds to it (fix: widen the span to a visible character or normalise with "
                "these removals switched off)"
            )
        if strict:
            if self.to_original[new_start] != start:
                raise SpanMappingError(_inside_removed("start", start, self.original[start]))
            if self.to_original[new_end - 1] != end - 1:
                raise SpanMappingError(_inside_removed("end", end, self.original[end - 1]))
        return new_start, new_end


def normalize(text: str, config: NormalizationConfig | None = None, **options: Any) -> Normalized:
    """Normalise ``text`` (one pass) and return the new text with its offset map.

    ``options`` are :class:`NormalizationConfig` fields and override ``config``:
    ``normalize(text, fold_teh_marbuta=True)``.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() needs a str, got {type(text).__name__}")
    if config is None:
        config = NormalizationConfig(**options) if options else _DEFAULT
    elif options:
        config = dataclasses.replace(config, **options)
    runs, substitutions = _plan(config)
    to_original: list[int] = []
    kept: list[str] = []
    kept_from = 0
    for match in runs.finditer(text) if runs is not None else ():
        to_original.extend(range(kept_from, match.start()))
        kept.append(text[kept_from : match.start()])
        kept_from = match.end()
    if kept_from == 0:  # nothing removed
        new_text, offsets = text, tuple(range(len(text)))
    else:
        to_original.extend(range(kept_from, len(text)))
        kept.append(text[kept_from:])
        new_text, offsets = "".join(kept), tuple(to_original)
    for char, substitute in substitutions:
        new_text = new_text.replace(char, substitute)
    return Normalized(text, new_text, offsets)


_DEFAULT = NormalizationConfig()


def _check_span(start: int, end: int, length: int, which: str) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise SpanMappingError(f"span offsets must be ints, got ({start!r}, {end!r})")
    if not 0 <= start <= end <= length:
        raise SpanMappingError(
            f"span [{start}, {end}) is not inside the {which} text of length {length} "
            "(fix: offsets are half-open code-point offsets with 0 <= start <= end <= length)"
        )


def _names(chars: str) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in chars[:5]) + (
        ", …" if len(chars) > 5 else ""
    )


def _inside_removed(which: str, offset: int, char: str) -> str:
    return (
        f"span {which} {offset} falls on a character removed by normalisation ({_names(char)}), so it "
        f"has no exact counterpart in the normalised text (fix: move the {which} "
        f"{'forward' if which == 'start' else 'back'} to a kept character, or call "
        "normalized_span(..., strict=False) to drop removed characters at the edges)"
    )
