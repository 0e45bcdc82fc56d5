"""The generated labeling config: committed copy up to date, parses, has every control the converter reads."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from benchmark.schema import KHABAR, LabelSchema
from benchmark.studio import config as C


def test_committed_config_is_up_to_date(repo_root):
    committed = C.committed_config_path(repo_root).read_text(encoding="utf-8")
    assert committed == C.labeling_config(KHABAR), (
        "annotations/labeling_config.xml is stale: run `khabar annotate config --write`"
    )


def test_config_parses_and_has_every_control():
    xml = C.labeling_config()
    assert C.check_config(xml) == []
    root = ET.fromstring(xml)
    labels = {el.get("name"): [c.get("value") for c in el] for el in root.iter("Labels")}
    assert labels[C.ENTITY] == list(KHABAR.entity_labels)
    assert labels[C.QUOTE] == list(KHABAR.quote_kinds)
    assert labels[C.CUE] == [C.CUE_LABEL]
    assert labels[C.SOURCE] == list(KHABAR.source_labels) == ["SOURCE"]
    choices = {el.get("name"): [c.get("value") for c in el] for el in root.iter("Choices")}
    assert choices[C.QUOTE_STANCE] == list(KHABAR.stance_labels)
    assert choices[C.ARTICLE_STANCE] == list(KHABAR.stance_labels)
    assert choices[C.SPEAKER_ELIDED] == [C.SPEAKER_ELIDED_CHOICE]
    for name in (C.SPEAKER_ELIDED, C.QUOTE_STANCE):
        element = next(el for el in root.iter() if el.get("name") == name)
        assert element.get("perRegion") == "true" and element.get("whenTagName") == C.QUOTE
    assert "direction: rtl" in xml
    text = next(root.iter("Text"))
    assert (text.get("name"), text.get("value"), text.get("granularity")) == ("text", "$text", "symbol")


def test_config_follows_the_schema():
    schema = LabelSchema(name="tiny", entity_labels=("PER", "ORG"), stance_labels=("pro", "con"))
    xml = C.labeling_config(schema)
    assert 'value="pro"' in xml and 'value="GPE"' not in xml
    assert C.check_config(xml) == []


def test_source_control_has_its_own_colour_and_no_number_hotkey():
    root = ET.fromstring(C.labeling_config(KHABAR))
    controls = {el.get("name"): el for el in root.iter("Labels")}
    names = [el.get("name") for el in root.iter("Labels")]
    assert names.index(C.SOURCE) == names.index(C.CUE) + 1  # the fourth span control, after cue
    (source,) = list(controls[C.SOURCE])
    assert source.get("value") == "SOURCE" and source.get("hotkey") is None
    entity_colours = {label.get("background") for label in controls[C.ENTITY]}
    assert source.get("background") not in entity_colours
    hotkeys = [label.get("hotkey") for el in root.iter("Labels") for label in el if label.get("hotkey")]
    assert hotkeys == [str(i) for i in range(1, len(KHABAR.entity_labels) + 1)]  # 1–6: the entity labels only
    assert C.check_config(C.labeling_config(KHABAR), KHABAR) == []


def test_a_schema_without_source_labels_gets_no_source_control():
    schema = LabelSchema(name="tiny", entity_labels=("PER", "ORG"), stance_labels=("pro", "con"))
    root = ET.fromstring(C.labeling_config(schema))
    assert C.SOURCE not in {el.get("name") for el in root.iter("Labels")}
    assert C.check_config(C.labeling_config(schema), schema) == []


def test_check_config_names_a_missing_source_control():
    broken = C.labeling_config(KHABAR).replace('name="source"', 'name="sources"')
    assert C.check_config(broken) == []  # without the schema, the source control is not required
    assert any("'source' is missing" in problem for problem in C.check_config(broken, KHABAR))
    relabelled = C.labeling_config(KHABAR).replace('value="SOURCE"', 'value="SRC"')
    assert any("'SOURCE' is missing" in problem for problem in C.check_config(relabelled, KHABAR))


def test_check_config_names_what_is_missing():
    broken = C.labeling_config().replace('name="quote_stance"', 'name="stance"')
    assert any("quote_stance" in problem for problem in C.check_config(broken))
    assert "not valid XML" in C.check_config("<View>")[0]
