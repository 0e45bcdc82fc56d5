"""The Label Studio labeling config, generated from the label sets in :mod:`benchmark.schema`.

The XML implements the Khabar Label Studio contract (docs/annotation-workflow.md): one ``Text``
object named ``text`` (symbol granularity, right-to-left) and the controls ``entity``, ``quote``,
``cue`` and — for a schema with source labels (Khabar's ``SOURCE``, guidelines 2.0 §5.7) —
``source`` (span labels), one ``Relations`` block (``said_by``, ``has_cue``, ``same_entity``,
``stance_target``), the per-quote-region controls ``speaker_elided``, ``quote_stance`` and
``quote_stance_target``, and the article-level ``article_stance`` / ``article_stance_target``.

The committed copy lives in ``annotations/labeling_config.xml``; ``khabar annotate config --write``
regenerates it and a test fails when it is stale.

>>> xml = labeling_config()
>>> check_config(xml)
[]
>>> 'value="GPE"' in xml and 'name="quote_stance"' in xml
True
>>> '<Labels name="source"' in xml and 'value="SOURCE"' in xml
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import quoteattr

from benchmark.schema import KHABAR, LabelSchema

__all__ = [
    "ARTICLE_STANCE",
    "ARTICLE_STANCE_TARGET",
    "CONTROL_NAMES",
    "CUE",
    "CUE_LABEL",
    "ENTITY",
    "QUOTE",
    "QUOTE_STANCE",
    "QUOTE_STANCE_TARGET",
    "RELATION_LABELS",
    "SOURCE",
    "SPEAKER_ELIDED",
    "SPEAKER_ELIDED_CHOICE",
    "TEXT",
    "check_config",
    "committed_config_path",
    "labeling_config",
]

# -- names the converter reads (the contract) -------------------------------------------
TEXT = "text"
ENTITY = "entity"
QUOTE = "quote"
CUE = "cue"
CUE_LABEL = "CUE"
SOURCE = "source"
"""The span control of speaker-only source mentions (``schema.source_labels``; absent when there are none)."""
RELATIONS = "relations"
SAID_BY, HAS_CUE, SAME_ENTITY, STANCE_TARGET = "said_by", "has_cue", "same_entity", "stance_target"
RELATION_LABELS: tuple[str, ...] = (SAID_BY, HAS_CUE, SAME_ENTITY, STANCE_TARGET)
SPEAKER_ELIDED = "speaker_elided"
SPEAKER_ELIDED_CHOICE = "elided"
QUOTE_STANCE = "quote_stance"
QUOTE_STANCE_TARGET = "quote_stance_target"
ARTICLE_STANCE = "article_stance"
ARTICLE_STANCE_TARGET = "article_stance_target"

CONTROL_NAMES: tuple[str, ...] = (
    ENTITY,
    QUOTE,
    CUE,
    SPEAKER_ELIDED,
    QUOTE_STANCE,
    QUOTE_STANCE_TARGET,
    ARTICLE_STANCE,
    ARTICLE_STANCE_TARGET,
)
"""Every ``from_name`` the converter understands; :func:`check_config` checks each exists (and
:data:`SOURCE` too, for a schema with source labels)."""

# Distinct, readable colours per entity label (cycled if a schema has more labels).
_COLOURS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c")
_QUOTE_COLOURS = {"direct": "#ffe119", "indirect": "#fabebe", "mixed": "#e6beff"}
_SOURCE_COLOURS = ("#008080", "#9a6324")  # not an entity colour: a source is not an entity


def _labels(name: str, values: tuple[str, ...], colours: dict[str, str], hotkeys: bool) -> list[str]:
    lines = [f'    <Labels name="{name}" toName="{TEXT}" showInline="true">']
    for i, value in enumerate(values):
        hotkey = f' hotkey="{i + 1}"' if hotkeys and i < 9 else ""
        lines.append(
            f"      <Label value={quoteattr(value)} background={quoteattr(colours[value])}{hotkey}/>"
        )
    lines.append("    </Labels>")
    return lines


def _source_labels(schema: LabelSchema) -> list[str]:
    """The ``source`` control (no number hotkeys: 1–6 stay the entity labels); none without source labels."""
    if not schema.source_labels:
        return []
    colours = {label: _SOURCE_COLOURS[i % len(_SOURCE_COLOURS)] for i, label in enumerate(schema.source_labels)}
    return [
        '    <Header value="المصادر غير المسمّاة (unnamed sources, speakers only)" size="6"/>',
        *_labels(SOURCE, tuple(schema.source_labels), colours, hotkeys=False),
    ]


def _choices(name: str, values: tuple[str, ...], *, per_region: bool, extra: str = "") -> list[str]:
    region = f' perRegion="true" whenTagName="{QUOTE}"' if per_region else ""
    lines = [f'    <Choices name="{name}" toName="{TEXT}" choice="single"{region}{extra}>']
    lines += [f"      <Choice value={quoteattr(v)}/>" for v in values]
    lines.append("    </Choices>")
    return lines


def _inventory_header() -> list[str]:
    """The task's topic and its stance target inventory (``data.topic``, ``data.targets``: one
    ``id  target`` per line, guidelines §6.5), above each stance control: targets are copied from it."""
    return [
        '    <Header value="الموضوع (topic): $topic — انسخ الهدف من القائمة (copy the target from the list):"'
        ' size="6"/>',
        '    <View style="white-space: pre-wrap; max-height: 14em; overflow-y: auto;">',
        '      <Header value="$targets" size="6"/>',
        "    </View>",
    ]


def labeling_config(schema: LabelSchema = KHABAR) -> str:
    """The labeling config XML for ``schema`` (deterministic: same schema, same bytes)."""
    if schema.entity_labels is None or schema.stance_labels is None:
        raise ValueError(
            f"schema {schema.name!r} has an open label set; the labeling config needs fixed labels"
        )
    entity_colours = {label: _COLOURS[i % len(_COLOURS)] for i, label in enumerate(schema.entity_labels)}
    quote_colours = {kind: _QUOTE_COLOURS.get(kind, "#aaffc3") for kind in schema.quote_kinds}
    stance = tuple(schema.stance_labels)
    lines = [
        f"<!-- Khabar labeling config, generated from benchmark/schema.py (schema {schema.name!r}).",
        "     Do not edit by hand: regenerate it with `khabar annotate config` (write option). -->",
        "<View>",
        '  <View style="direction: rtl; text-align: right; font-size: 1.15em; line-height: 1.9;">',
        '    <Header value="$title"/>',
        f'    <Text name="{TEXT}" value="$text" granularity="symbol"/>',
        "  </View>",
        '  <View style="direction: rtl; text-align: right;">',
        '    <Header value="الكيانات (entities)" size="6"/>',
        *_labels(ENTITY, tuple(schema.entity_labels), entity_colours, hotkeys=True),
        '    <Header value="الاقتباسات (quotes)" size="6"/>',
        *_labels(QUOTE, tuple(schema.quote_kinds), quote_colours, hotkeys=False),
        *_labels(CUE, (CUE_LABEL,), {CUE_LABEL: "#808000"}, hotkeys=False),
        *_source_labels(schema),
        f'    <Relations name="{RELATIONS}">',
        *[f"      <Relation value={quoteattr(v)}/>" for v in RELATION_LABELS],
        "    </Relations>",
        "  </View>",
        '  <View visibleWhen="region-selected" whenTagName="quote"'
        ' style="direction: rtl; text-align: right;">',
        '    <Header value="الاقتباس المحدد (selected quote)" size="6"/>',
        *_inventory_header(),
        *_choices(SPEAKER_ELIDED, (SPEAKER_ELIDED_CHOICE,), per_region=True),
        *_choices(QUOTE_STANCE, stance, per_region=True),
        f'    <TextArea name="{QUOTE_STANCE_TARGET}" toName="{TEXT}" perRegion="true" whenTagName="{QUOTE}"'
        ' maxSubmissions="1" editable="true" placeholder="target of the stance"/>',
        "  </View>",
        '  <View style="direction: rtl; text-align: right;">',
        '    <Header value="موقف المقال (article stance) — target: $target" size="6"/>',
        *_inventory_header(),
        *_choices(ARTICLE_STANCE, stance, per_region=False),
        f'    <TextArea name="{ARTICLE_STANCE_TARGET}" toName="{TEXT}" maxSubmissions="1" editable="true"'
        ' placeholder="target (leave empty to use the suggested one)"/>',
        "  </View>",
        "</View>",
    ]
    return "\n".join(lines) + "\n"


def check_config(xml: str, schema: LabelSchema | None = None) -> list[str]:
    """Problems with a labeling config: unparsable XML, or a control the converter reads missing
    (with ``schema``: also the ``source`` control when the schema has source labels, with each label).

    Returns a list of messages (empty when the config is usable).
    """
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as error:
        return [
            f"the labeling config is not valid XML ({error}); regenerate it with `khabar annotate config`"
        ]
    problems: list[str] = []
    named = {el.get("name"): el for el in root.iter() if el.get("name")}
    text = named.get(TEXT)
    if text is None or text.tag != "Text":
        problems.append(f"no <Text name={TEXT!r}> object")
    elif text.get("granularity") != "symbol":
        problems.append("the Text object must use granularity='symbol' (character offsets)")
    expected_tags = {
        ENTITY: "Labels",
        QUOTE: "Labels",
        CUE: "Labels",
        SPEAKER_ELIDED: "Choices",
        QUOTE_STANCE: "Choices",
        QUOTE_STANCE_TARGET: "TextArea",
        ARTICLE_STANCE: "Choices",
        ARTICLE_STANCE_TARGET: "TextArea",
        SOURCE: "Labels",
    }
    wanted = CONTROL_NAMES + ((SOURCE,) if schema is not None and schema.source_labels else ())
    for name in wanted:
        element = named.get(name)
        if element is None:
            problems.append(f"control {name!r} is missing")
            continue
        if element.tag != expected_tags[name]:
            problems.append(f"control {name!r} is <{element.tag}>, expected <{expected_tags[name]}>")
        if element.get("toName") != TEXT:
            problems.append(f"control {name!r} must have toName={TEXT!r}")
    source = named.get(SOURCE)
    if schema is not None and schema.source_labels and source is not None:
        values = {el.get("value") for el in source.iter("Label")}
        for label in schema.source_labels:
            if label not in values:
                problems.append(f"source label {label!r} is missing from the {SOURCE!r} control")
    relation_values = {el.get("value") for el in root.iter("Relation")}
    for label in RELATION_LABELS:
        if label not in relation_values:
            problems.append(f"relation label {label!r} is missing from <Relations>")
    return problems


def committed_config_path(repo_root: str | Path | None = None) -> Path:
    """Where the committed config lives: ``annotations/labeling_config.xml`` in the repository."""
    root = Path(repo_root) if repo_root is not None else Path(__file__).resolve().parents[2]
    return root / "annotations" / "labeling_config.xml"
