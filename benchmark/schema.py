"""Label sets: the one place that says which labels a layer may carry.

Khabar's own annotation uses :data:`KHABAR`. Imported public corpora keep their own label
sets (ANS says ``agree/disagree/other``, Mawqif ``Favor/Against/None``), declared as their own
:class:`LabelSchema` by the importer, so nothing is silently re-labelled.

>>> KHABAR.entity_labels[:3]
('PER', 'ORG', 'LOC')
>>> "favor" in KHABAR.stance_labels
True
"""

from __future__ import annotations

from dataclasses import dataclass

ENTITY_LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "GPE", "DATE", "MISC")
QUOTE_KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")
STANCE_LABELS: tuple[str, ...] = ("favor", "against", "neutral")
ARTICLE_HOLDER = "article"
GUIDELINES_VERSION = "1.1"


@dataclass(frozen=True, slots=True)
class LabelSchema:
    """The label sets a corpus is validated against.

    ``entity_labels``/``stance_labels`` of ``None`` mean "any non-empty string" (used only by
    tools that must read foreign data before a schema is known).
    """

    name: str
    entity_labels: tuple[str, ...] | None = ENTITY_LABELS
    quote_kinds: tuple[str, ...] = QUOTE_KINDS
    stance_labels: tuple[str, ...] | None = STANCE_LABELS


KHABAR = LabelSchema(name="khabar")
"""Khabar's own label sets: entities PER/ORG/LOC/GPE/DATE/MISC, quotes direct/indirect/mixed,
stance favor/against/neutral."""

ANY = LabelSchema(name="any", entity_labels=None, stance_labels=None)
"""Accepts any non-empty label: for reading data whose label set is not known yet."""
