"""The stance baselines' predict path: inputs only, a candidate quote for quote-holder rows (issue #16)."""

from __future__ import annotations

import json

import pytest

from baselines.sklearn.submission import stance_lines
from benchmark.harness import evaluate_submission
from benchmark.model import Article, Mention, Quote, Span, Stance
from benchmark.tasks.stance import read_quote_candidates

TEXT = 'وقال بوتين: "أهلا بكم في روسيا". وتابع: "نحن مستعدون".'


def _article() -> Article:
    return Article(doc_id="d1", text=TEXT, entities=(Mention("m1", 5, 10, "PER"),),
                   quotes=(Quote("q1", 12, 31, "direct", cue=Span(1, 4), speaker="m1"),
                           Quote("q2", 40, 53, "direct", speaker="m1", speaker_elided=True)),
                   stances=(Stance("s1", "q2", "روسيا", "favor"), Stance("s2", "article", "الزيارة", "neutral")))


class _Recorder:
    """A stance model that answers 'favor' and keeps the rows it was shown."""

    def predict(self, rows):
        self.rows = rows
        return ["favor"] * len(rows)


def test_the_model_never_sees_the_gold_holder_and_lines_name_a_candidate():
    model = _Recorder()
    lines = stance_lines(model, [_article()], candidates={"d1": [(12, 31)]})
    assert all("label" not in row and "holder" not in row and "stance_id" not in row for row in model.rows)
    assert [(row["holder_kind"], row["holder_start"], row["holder_end"]) for row in model.rows] == [
        ("article", -1, -1), ("quote", 12, 31)]  # the candidate, not the gold holder q2 (40, 53)
    assert lines == [{"id": "d1#1", "label": "favor"}, {"id": "d1#2", "label": "favor",
                                                        "quote": {"start": 12, "end": 31}}]
    results = evaluate_submission("stance", lines, gold=_gold(), n_resamples=10)
    assert results.metrics["quote_holder/holder_accuracy"].value == 0.0  # a wrong candidate is a wrong answer


def test_without_candidates_the_spans_in_quotation_marks_are_used():
    model = _Recorder()
    lines = stance_lines(model, [_article()])
    assert lines[1]["quote"] == {"start": 13, "end": 30}  # the first quoted span, marks left out
    results = evaluate_submission("stance", lines, gold=_gold(), n_resamples=10)
    assert results.metrics["quote_holder/holder_accuracy"].value == 0.0  # q1, not the holder q2


def test_read_quote_candidates_names_a_bad_line(tmp_path):
    path = tmp_path / "quotes.jsonl"
    path.write_text(json.dumps({"doc_id": "d1", "quotes": [{"start": 40, "end": 53, "kind": "direct",
                                                            "speaker": None}]}) + "\n", encoding="utf-8")
    assert read_quote_candidates(path) == {"d1": [(40, 53)]}
    path.write_text('{"doc_id": "d1", "entities": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 1: not a quotes submission line \(fix: "):
        read_quote_candidates(path)


def _gold():
    from benchmark.harness.gold import GoldSet
    from benchmark.tasks import get_task

    return GoldSet.from_rows("stance", get_task("stance").rows([_article()]))
