"""Label schemas from files: the built-in ones are files of the same form a user writes, every
command that knows labels takes ``--schema NAME|FILE``, and a misfit is named, never counted as zero."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.cli import build_parser, main
from benchmark.io import write_articles
from benchmark.model import Article, Mention
from benchmark.schema import (
    KHABAR,
    SCHEMA_DIR,
    LabelSchema,
    SchemaError,
    builtin_schema,
    builtin_schema_names,
    load_schema_file,
    resolve_schema,
    schema_from_dict,
    schema_to_dict,
)
from benchmark.tasks.stance import polar_labels

MINE = {"name": "mine", "entity_labels": ["PERSON", "PLACE"], "stance_labels": ["pro", "con", "none"],
        "stance_polar_labels": ["pro", "con"]}


def test_builtin_schemas_are_files_that_keep_todays_label_sets():
    assert builtin_schema_names() == ["anercorp", "ans", "any", "baly2018", "khabar", "mawqif", "newsfane",
                                      "newsfane_coarse", "newsfane_fine", "saudinewsnet"]
    # the dataclass defaults are Khabar's own label sets; source labels are opt-in (imported corpora have none)
    assert LabelSchema("khabar", source_labels=("SOURCE",)) == KHABAR
    assert builtin_schema("any").entity_labels is None and builtin_schema("any").stance_labels is None
    assert builtin_schema("anercorp").entity_labels == ("PER", "LOC", "ORG", "MISC")
    for path in SCHEMA_DIR.glob("*.json"):  # each file reads back to itself
        schema = load_schema_file(path)
        assert schema.name == path.stem
        assert schema_from_dict(schema_to_dict(schema)) == schema


def test_schema_file_json_and_yaml(tmp_path):
    file = tmp_path / "mine.json"
    file.write_text(json.dumps(MINE), encoding="utf-8")
    schema = resolve_schema(str(file))
    assert schema.entity_labels == ("PERSON", "PLACE") and schema.quote_kinds == ()
    assert polar_labels(schema) == ("pro", "con")
    yaml_file = tmp_path / "mine.yaml"
    yaml_file.write_text("name: mine\nentity_labels: [PERSON, PLACE]\nstance_labels: [pro, con, none]\n"
                         "stance_polar_labels: [pro, con]\n", encoding="utf-8")
    assert resolve_schema(str(yaml_file)) == schema
    assert resolve_schema(None) is None and resolve_schema(None, KHABAR) is KHABAR


@pytest.mark.parametrize(("data", "message"), [
    ({"entity_labels": ["A"]}, '"name" must be a non-empty string'),
    ({"name": "x", "entity_label": ["A"]}, r"unknown key\(s\) \['entity_label'\]"),
    ({"name": "x", "entity_labels": "PER"}, '"entity_labels" must be a list'),
    ({"name": "x", "entity_labels": ["PER", "PER"]}, r"lists \['PER'\] more than once"),
    ({"name": "x", "quote_kinds": None}, '"quote_kinds" must be a list'),
    ({"name": "x", "stance_labels": ["a", "b"], "stance_polar_labels": ["a", "c"]}, "must be two of the stance"),
])
def test_bad_schema_files_are_named_with_the_fix(tmp_path, data, message):
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SchemaError, match=f"bad.json: .*{message}"):
        resolve_schema(str(file))


def test_unknown_names_and_missing_files():
    with pytest.raises(SchemaError, match="unknown schema 'nope': use a built-in name"):
        resolve_schema("nope")
    with pytest.raises(SchemaError, match="no such schema file"):
        resolve_schema("missing.json")


def test_every_command_that_knows_labels_takes_the_same_schema_option():
    commands = {"import": [], "validate": ["f"], "stats": ["f"], "split": ["f", "--manifest", "m"],
                "build": ["--out", "o"], "evaluate": ["--task", "ner", "--submission", "s", "--gold", "g"],
                "leaderboard": ["s", "--gold", "g"], "baseline": None, "annotate": None}
    parser = build_parser()
    for command, rest in commands.items():
        if rest is None:
            continue
        args = parser.parse_args([command, *rest, "--schema", "x.json"])
        assert args.schema == "x.json", command
    assert parser.parse_args(["baseline", "ner", "train", "--train", "t", "--out", "o", "--schema", "a"]).schema == "a"
    assert parser.parse_args(["annotate", "config", "--schema", "a"]).schema == "a"
    assert parser.parse_args(["annotate", "setup", "--schema", "a"]).schema == "a"


def _own_label_corpus(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "own.jsonl"
    write_articles(corpus, [Article(doc_id="d1", text="سافر أحمد إلى دمشق",
                                    entities=(Mention("m1", 5, 9, "PERSON"), Mention("m2", 14, 18, "PLACE")))])
    schema = tmp_path / "own.schema.json"
    schema.write_text(json.dumps(MINE), encoding="utf-8")
    return corpus, schema


def test_validate_and_stats_with_a_schema_file_and_a_clear_refusal_without(tmp_path, capsys):
    corpus, schema = _own_label_corpus(tmp_path)
    assert main(["validate", str(corpus)]) == 1
    assert "'PERSON' is not in the khabar label set" in capsys.readouterr().out
    assert main(["validate", str(corpus), "--schema", str(schema)]) == 0
    capsys.readouterr()
    assert main(["stats", str(corpus)]) == 1
    captured = capsys.readouterr()
    assert "none of the 1 record(s) is valid" in captured.err and "--schema NAME|FILE" in captured.err
    assert captured.out == ""  # no table of zeros
    assert main(["stats", str(corpus), "--schema", str(schema), "--json"]) == 0
    assert '"PERSON": 1' in capsys.readouterr().out


def test_train_predict_and_score_agree_on_the_schema(tmp_path, capsys):
    corpus, schema = _own_label_corpus(tmp_path)
    model, run = tmp_path / "model", tmp_path / "run.jsonl"
    # left out, every step uses Khabar's schema: training refuses the foreign labels as evaluate would
    assert main(["baseline", "ner", "train", "--train", str(corpus), "--out", str(model)]) == 1
    assert "'PERSON' is not in the khabar label set" in capsys.readouterr().err
    assert main(["baseline", "ner", "train", "--train", str(corpus), "--out", str(model), "--schema", str(schema),
                 "--iterations", "5"]) == 0
    assert main(["baseline", "ner", "predict", "--model", str(model), "--input", str(corpus), "--out", str(run),
                 "--schema", str(schema)]) == 0
    capsys.readouterr()
    out = tmp_path / "results"
    assert main(["evaluate", "--task", "ner", "--submission", str(run), "--gold", str(corpus), "--schema", str(schema),
                 "--out", str(out), "--resamples", "10"]) == 0
    assert "strict" in capsys.readouterr().out


def test_a_schema_saved_with_a_transformer_model_keeps_its_polar_labels():
    from baselines.transformers.common import schema_from_record, schema_record

    schema = schema_from_dict(MINE)
    assert schema_from_record(json.loads(json.dumps(schema_record(schema)))) == schema


def test_source_labels_are_mention_labels_but_not_entity_labels():
    from benchmark.schema import KHABAR, SchemaError, schema_from_dict, schema_to_dict

    assert KHABAR.source_labels == ("SOURCE",)
    assert "SOURCE" not in KHABAR.entity_labels
    assert KHABAR.mention_labels == (*KHABAR.entity_labels, "SOURCE")
    assert schema_from_dict(schema_to_dict(KHABAR)) == KHABAR
    plain = schema_from_dict({"name": "mine", "entity_labels": ["PER"]})
    assert plain.source_labels == () and "source_labels" not in schema_to_dict(plain)
    with pytest.raises(SchemaError, match="both an entity label and a source label"):
        schema_from_dict({"name": "x", "entity_labels": ["PER", "SOURCE"], "source_labels": ["SOURCE"]})
    with pytest.raises(SchemaError, match='"source_labels" must be a list'):
        schema_from_dict({"name": "x", "entity_labels": ["PER"], "source_labels": None})
