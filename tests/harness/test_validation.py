"""Submission validation: a catalogue of malformed submissions, each with its expected error code."""

from __future__ import annotations

import json

import pytest

from benchmark.harness import ERROR_CODES, SubmissionInvalid, evaluate_submission, validate_submission

OK_NER = [{"doc_id": "demo/1", "entities": [{"start": 5, "end": 10, "label": "PER"}]},
          {"doc_id": "demo/2", "entities": []}]
OK_QUOTES = [{"doc_id": "demo/1", "quotes": [{"start": 12, "end": 31, "kind": "direct",
                                              "speaker": {"start": 5, "end": 10}}]},
             {"doc_id": "demo/2", "quotes": []}]
OK_STANCE = [{"id": "demo/1#1", "label": "neutral"},
             {"id": "demo/1#2", "label": "favor", "quote": {"start": 12, "end": 31}},
             {"id": "demo/2#1", "label": "against"}]
OK = {"ner": OK_NER, "quotes": OK_QUOTES, "stance": OK_STANCE}


def lines(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def ner_with(entity) -> str:
    return lines({"doc_id": "demo/1", "entities": [entity]}, OK_NER[1])


def quotes_with(quote) -> str:
    return lines({"doc_id": "demo/1", "quotes": [quote]}, OK_QUOTES[1])


CATALOGUE = [
    # (case id, task, file content (str | bytes | None = no file), expected code)
    ("empty-file", "ner", "", "E01"),
    ("blank-lines-only", "ner", "\n\n  \n", "E01"),
    ("not-json", "ner", lines('{"doc_id": "demo/1", "entities": [}', OK_NER[1]), "E02"),
    ("trailing-garbage", "stance", lines(*OK_STANCE[:2], '{"id": "demo/2#1", "label": "favor"} x'), "E02"),
    ("not-object-list", "ner", lines("[1, 2]", *OK_NER), "E03"),
    ("not-object-string", "stance", lines('"demo/1#1 favor"', *OK_STANCE), "E03"),
    ("stance-file-to-ner", "ner", lines(*OK_STANCE), "E04"),
    ("ner-file-to-quotes", "quotes", lines(*OK_NER), "E04"),
    ("quotes-file-to-stance", "stance", lines(*OK_QUOTES), "E04"),
    ("missing-entities", "ner", lines({"doc_id": "demo/1"}, OK_NER[1]), "E05"),
    ("entity-missing-label", "ner", ner_with({"start": 5, "end": 10}), "E05"),
    ("quote-missing-speaker-key", "quotes", quotes_with({"start": 12, "end": 31, "kind": "direct"}), "E05"),
    ("stance-missing-label", "stance", lines({"id": "demo/1#1"}, *OK_STANCE[1:]), "E05"),
    ("stance-no-id-at-all", "stance", lines({"label": "neutral"}, *OK_STANCE[1:]), "E05"),
    ("stance-quote-missing-end", "stance",
     lines(OK_STANCE[0], {"id": "demo/1#2", "label": "favor", "quote": {"start": 12}}, OK_STANCE[2]), "E05"),
    ("start-as-string", "ner", ner_with({"start": "5", "end": 10, "label": "PER"}), "E06"),
    ("start-as-bool", "ner", ner_with({"start": True, "end": 10, "label": "PER"}), "E06"),
    ("entities-not-list", "ner", lines({"doc_id": "demo/1", "entities": {}}, OK_NER[1]), "E06"),
    ("entity-not-object", "ner", lines({"doc_id": "demo/1", "entities": [[5, 10, "PER"]]}, OK_NER[1]), "E06"),
    ("doc-id-not-string", "ner", lines({"doc_id": 1, "entities": []}, *OK_NER), "E06"),
    ("speaker-not-object", "quotes", quotes_with({"start": 12, "end": 31, "kind": "direct", "speaker": "بوتين"}),
     "E06"),
    ("entity-label-is-a-list", "ner", ner_with({"start": 5, "end": 10, "label": ["PER"]}), "E06"),
    ("label-not-string", "stance", lines({"id": "demo/1#1", "label": 0}, *OK_STANCE[1:]), "E06"),
    ("typo-field", "ner", lines({"doc_id": "demo/1", "entites": []}, OK_NER[1]), "E07"),
    ("unknown-doc-id", "ner", lines(*OK_NER, {"doc_id": "demo/3", "entities": []}), "E08"),
    ("unknown-stance-id", "stance", lines(*OK_STANCE, {"id": "demo/1#9", "label": "favor"}), "E08"),
    ("duplicate-doc-id", "ner", lines(*OK_NER, OK_NER[0]), "E09"),
    ("duplicate-stance-id", "stance", lines(*OK_STANCE, OK_STANCE[0]), "E09"),
    ("stance-v1-spelling", "stance", lines({"doc_id": "demo/1", "stance_id": "s2", "label": "neutral"},
                                           *OK_STANCE[1:]), "E07"),
    ("missing-doc", "ner", lines(OK_NER[0]), "E10"),
    ("missing-stance", "stance", lines(*OK_STANCE[:2]), "E10"),
    ("bad-entity-label", "ner", ner_with({"start": 5, "end": 10, "label": "PERSON"}), "E11"),
    ("lowercase-entity-label", "ner", ner_with({"start": 5, "end": 10, "label": "per"}), "E11"),
    ("bad-stance-label", "stance", lines({"id": "demo/1#1", "label": "FAVOR"}, *OK_STANCE[1:]), "E11"),
    ("end-past-text", "ner", ner_with({"start": 50, "end": 1000, "label": "PER"}), "E12"),
    ("negative-start", "ner", ner_with({"start": -1, "end": 3, "label": "PER"}), "E12"),
    ("speaker-out-of-range", "quotes",
     quotes_with({"start": 12, "end": 31, "kind": "direct", "speaker": {"start": 5, "end": 99}}), "E12"),
    ("reversed-span", "ner", ner_with({"start": 10, "end": 5, "label": "PER"}), "E13"),
    ("empty-span", "ner", ner_with({"start": 5, "end": 5, "label": "PER"}), "E13"),
    ("reversed-quote", "quotes", quotes_with({"start": 31, "end": 12, "kind": "direct", "speaker": None}), "E13"),
    ("stance-quote-past-text", "stance",
     lines(OK_STANCE[0], {"id": "demo/1#2", "label": "favor", "quote": {"start": 12, "end": 99}}, OK_STANCE[2]),
     "E12"),
    ("duplicate-entity-span", "ner",
     lines({"doc_id": "demo/1", "entities": [{"start": 5, "end": 10, "label": "PER"},
                                             {"start": 5, "end": 10, "label": "ORG"}]}, OK_NER[1]), "E14"),
    ("duplicate-quote-span", "quotes",
     lines({"doc_id": "demo/1", "quotes": [OK_QUOTES[0]["quotes"][0]] * 2}, OK_QUOTES[1]), "E14"),
    ("bad-quote-kind", "quotes", quotes_with({"start": 12, "end": 31, "kind": "quoted", "speaker": None}), "E15"),
    ("stance-quote-holder-without-quote", "stance",
     lines(OK_STANCE[0], {"id": "demo/1#2", "label": "favor"}, OK_STANCE[2]), "E18"),
    ("stance-article-holder-with-quote", "stance",
     lines({**OK_STANCE[0], "quote": {"start": 12, "end": 31}}, *OK_STANCE[1:]), "E18"),
    ("not-utf8", "ner", "صحيفة".encode("cp1256") + b"\n", "E17"),
    ("no-such-file", "ner", None, "E17"),
]


@pytest.mark.parametrize(("case", "task", "content", "code"), CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_malformed_submission_gets_its_code(tmp_path, gold_sets, case, task, content, code):
    path = tmp_path / f"{case}.jsonl"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    report = validate_submission(task, path, gold_sets[task])
    assert not report.ok
    assert code in report.codes(), report.summary()
    error = next(e for e in report.errors if e.code == code)
    assert error.message and error.fix and error.name == ERROR_CODES[code][0]
    assert [e.number for e in report.errors] == list(range(1, len(report.errors) + 1))
    with pytest.raises(SubmissionInvalid):  # a submission that fails validation is never scored
        evaluate_submission(task, path, gold=gold_sets[task], n_resamples=10)


def test_catalogue_covers_every_code():
    assert {c[3] for c in CATALOGUE} == set(ERROR_CODES)
    assert len(CATALOGUE) >= 20


@pytest.mark.parametrize("task", ["ner", "quotes", "stance"])
def test_valid_submission_passes(tmp_path, gold_sets, task):
    path = tmp_path / "ok.jsonl"
    path.write_text(lines(*OK[task]), encoding="utf-8")
    report = validate_submission(task, path, gold_sets[task])
    assert report.ok, report.summary()
    assert report.n_lines == len(OK[task]) and len(report.predictions) == len(OK[task])
    assert report.summary().startswith("OK")


def test_errors_name_line_id_and_fix(tmp_path, gold_sets):
    path = tmp_path / "sub.jsonl"
    path.write_text(lines(OK_NER[0], {"doc_id": "demo/2", "entities": [{"start": 4, "end": 99, "label": "PER"}]}),
                    encoding="utf-8")
    (error,) = validate_submission("ner", path, gold_sets["ner"]).errors
    text = str(error)
    assert text.startswith("#1 [E12 span-out-of-range] line 2, id 'demo/2': entities[0]: span [4, 99)")
    assert "length 41" in text and "fix:" in text


def test_unknown_id_suggests_the_closest(tmp_path, gold_sets):
    path = tmp_path / "sub.jsonl"
    path.write_text(lines(OK_NER[0], {"doc_id": "demo-2", "entities": []}), encoding="utf-8")
    report = validate_submission("ner", path, gold_sets["ner"])
    assert report.codes() == ["E08", "E10"]
    assert "did you mean 'demo/2'" in report.errors[0].message


def test_all_errors_are_collected_and_the_listing_is_capped(tmp_path, gold_sets):
    bad = [{"start": i, "end": i + 100, "label": "X"} for i in range(30)]  # 30 × (E11 + E12)
    path = tmp_path / "sub.jsonl"
    path.write_text(lines({"doc_id": "demo/1", "entities": bad}, OK_NER[1]), encoding="utf-8")
    report = validate_submission("ner", path, gold_sets["ner"])
    assert len(report.errors) == 60
    summary = report.summary(limit=5)
    assert "60 error(s)" in summary and "… and 55 more (E11×28, E12×27)" in summary
    assert summary.count("\n  #") == 5


def test_in_memory_lines_are_validated_too(gold_sets):
    report = validate_submission("stance", [{"id": "demo/1#1", "label": "pro"}], gold_sets["stance"])
    assert report.codes() == ["E11", "E10", "E10"]


# --------------------------------------------------------------------------- extra fields (issue 17)

EXTRA_FIELDS = [
    ("model-name", "ner", lines({**OK_NER[0], "model": "crf-v2"}, OK_NER[1]), "unknown field 'model'"),
    ("entity-score", "ner", ner_with({"start": 5, "end": 10, "label": "PER", "score": 0.9}),
     "entities[0]: unknown field 'score'"),
    ("quote-confidence", "quotes",
     lines({"doc_id": "demo/1", "quotes": [{"start": 12, "end": 31, "kind": "direct",
                                            "speaker": {"start": 5, "end": 10}, "confidence": 0.7}]},
           {"doc_id": "demo/2", "quotes": []}), "quotes[0]: unknown field 'confidence'"),
    ("stance-probability", "stance", lines({**OK_STANCE[0], "probability": 0.8}, *OK_STANCE[1:]),
     "unknown field 'probability'"),
]


@pytest.mark.parametrize(("case", "task", "content", "message"), EXTRA_FIELDS, ids=[c[0] for c in EXTRA_FIELDS])
def test_harmless_extra_fields_warn_and_score_normally(tmp_path, gold_sets, case, task, content, message):
    path = tmp_path / f"{case}.jsonl"
    path.write_text(content, encoding="utf-8")
    report = validate_submission(task, path, gold_sets[task])
    assert report.ok and len(report.warnings) == 1, report.summary()
    warning = report.warnings[0]
    assert warning.code == "E07" and warning.line == 1 and warning.id is not None and warning.message == message
    assert f"line 1, id {warning.id!r}: {message} (ignored; --strict makes it an error)" in report.summary()
    without = tmp_path / "without.jsonl"
    without.write_text("".join(json.dumps(_strip(json.loads(x)), ensure_ascii=False) + "\n"
                               for x in content.splitlines()), encoding="utf-8")
    scored = evaluate_submission(task, path, gold=gold_sets[task], n_resamples=20)
    plain = evaluate_submission(task, without, gold=gold_sets[task], n_resamples=20)
    assert scored.metrics == plain.metrics and scored.submission["n_warnings"] == 1
    strict = validate_submission(task, path, gold_sets[task], strict=True)
    assert strict.codes() == ["E07"] and not strict.warnings
    with pytest.raises(SubmissionInvalid):
        evaluate_submission(task, path, gold=gold_sets[task], strict=True)


def _strip(value):
    """The line without the extra fields of EXTRA_FIELDS."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("model", "score", "confidence", "probability")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def test_a_misspelt_required_field_stays_an_error(gold_sets):
    report = validate_submission("ner", [{"doc_id": "demo/1", "entites": []}, {"doc_id": "demo/2", "entities": []}],
                                 gold_sets["ner"])
    assert report.codes() == ["E05", "E07"] and not report.warnings


@pytest.mark.parametrize("command", ["validate-submission", "evaluate"])
def test_cli_warns_by_default_and_refuses_with_strict(tmp_path, gold_sets, articles_file, capsys, command):
    from benchmark.cli import main

    path = tmp_path / "sub.jsonl"
    path.write_text(EXTRA_FIELDS[1][2], encoding="utf-8")
    head = ["validate-submission", str(path)] if command == "validate-submission" else \
        ["evaluate", "--submission", str(path), "--resamples", "20"]
    assert main([*head, "--task", "ner", "--gold", str(articles_file)]) == 0
    captured = capsys.readouterr()
    assert "line 1, id 'demo/1': entities[0]: unknown field 'score' (ignored; --strict makes it an error)" in \
        captured.out + captured.err
    assert main([*head, "--task", "ner", "--gold", str(articles_file), "--strict"]) == 1
    assert "[E07 unknown-field] line 1, id 'demo/1': entities[0]: unknown field 'score'" in \
        "".join(capsys.readouterr())
