"""The stance baseline names each quote-holder row's quote: by target relevance, or by the learned ranker of a Khabar
stance model (baselines.sklearn.stance_holders)."""

from __future__ import annotations

from baselines.sklearn.stance_holders import assign_holder_quotes, relevance
from baselines.sklearn.submission import stance_lines
from benchmark.harness import evaluate_submission
from benchmark.model import Article, Mention, Quote, Span, Stance
from benchmark.tasks.stance import with_candidate_quotes

TEXT = ('قال الوزير: "الاتفاق مع إيران خطأ كبير". وتابع المدرب: "الدوري السعودي قوي هذا الموسم". '
        'وأضاف: "الطقس حار".')


def _span(surface: str) -> tuple[int, int]:
    start = TEXT.index(surface)
    return start, start + len(surface)


IRAN, LEAGUE, WEATHER = _span("الاتفاق مع إيران خطأ كبير"), _span("الدوري السعودي قوي هذا الموسم"), _span("الطقس حار")


def _row(number: int, target: str) -> dict:
    return {"id": f"d#{number}", "doc_id": "d", "text": TEXT, "target": target, "holder_kind": "quote"}


def _holders(rows: list[dict]) -> list[tuple[int, int]]:
    return [(row["holder_start"], row["holder_end"]) for row in rows]


def test_rows_of_two_targets_get_the_quote_about_their_target():
    rows = [_row(1, "الدوري السعودي"), _row(2, "إيران")]  # row order: by target, not by text
    candidates = {"d": [IRAN, LEAGUE, WEATHER]}
    assert _holders(assign_holder_quotes(rows, candidates)) == [LEAGUE, IRAN]
    assert _holders(with_candidate_quotes(rows, candidates)) == [IRAN, LEAGUE]  # the plain rule: both wrong


def test_one_row_takes_the_relevant_candidate_not_the_first():
    assert _holders(assign_holder_quotes([_row(1, "الدوري السعودي")], {"d": [IRAN, LEAGUE, WEATHER]})) == [LEAGUE]


def test_more_rows_than_candidates_use_every_candidate_then_the_best():
    rows = [_row(1, "إيران"), _row(2, "إيران"), _row(3, "الدوري السعودي")]
    holders = _holders(assign_holder_quotes(rows, {"d": [IRAN, LEAGUE]}))
    assert set(holders) == {IRAN, LEAGUE} and holders[2] == LEAGUE


def test_rows_of_one_target_name_their_quotes_in_text_order_whatever_the_assignment(monkeypatch):
    """Rows of one document and target have the same inputs: which names which quote is arbitrary, so it is fixed
    (text order) and a swap inside the assignment (float noise between processes) cannot change the lines."""
    import baselines.sklearn.stance_holders as holders

    rows = [_row(1, "إيران"), _row(2, "الدوري السعودي"), _row(3, "إيران")]
    candidates = {"d": [IRAN, LEAGUE, WEATHER]}
    monkeypatch.setattr(holders, "_assign", lambda scores: {0: 2, 1: 1, 2: 0})  # the two إيران rows swapped
    assert _holders(assign_holder_quotes(rows, candidates)) == [IRAN, LEAGUE, WEATHER]


def test_without_relevance_text_order_is_kept_and_article_rows_have_no_quote():
    rows = [{**_row(1, "t"), "holder_kind": "article"}, _row(2, "كلمة غائبة"), _row(3, "كلمة غائبة")]
    out = assign_holder_quotes(rows, {"d": [IRAN, LEAGUE, WEATHER]})
    assert _holders(out) == [(-1, -1), IRAN, LEAGUE]
    assert relevance(TEXT, WEATHER, "كلمة غائبة") == 0.0


def test_the_baseline_lines_name_the_gold_holders_of_a_two_target_document():
    article = Article(doc_id="d", text=TEXT, entities=(Mention("m1", 4, 10, "PER"),),
                      quotes=(Quote("q1", IRAN[0] - 1, IRAN[1] + 1, "direct", cue=Span(0, 3), speaker="m1"),
                              Quote("q2", LEAGUE[0] - 1, LEAGUE[1] + 1, "direct", speaker=None)),
                      stances=(Stance("s1", "q1", "إيران", "against"), Stance("s2", "q2", "الدوري السعودي", "favor")))

    class Favor:
        def predict(self, rows):
            return ["favor"] * len(rows)

    lines = stance_lines(Favor(), [article], candidates={"d": [IRAN, LEAGUE, WEATHER]})
    from benchmark.harness.gold import GoldSet
    from benchmark.tasks import get_task

    gold = GoldSet.from_rows("stance", get_task("stance").rows([article]))
    results = evaluate_submission("stance", lines, gold=gold, n_resamples=10)
    assert results.metrics["quote_holder/holder_accuracy"].value == 1.0  # marks trimmed: the same core span


def test_the_modules_docstring_examples_hold():
    import doctest

    import baselines.sklearn.stance_holders as module

    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- the learned ranker (stance model v4)

TOPICS = [("إيران", "الاتفاق مع إيران خطأ كبير"), ("الدوري السعودي", "الدوري السعودي قوي هذا الموسم"),
          ("النفط", "أسعار النفط سترتفع قريبا"), ("التعليم", "التعليم يحتاج إلى إصلاح")]


def _training_rows(n_docs: int = 12) -> list[dict]:
    """Documents of three quotes each: two about the document's targets (the holders), one about the weather."""
    rows = []
    for d in range(n_docs):
        (t1, q1), (t2, q2) = TOPICS[d % 4], TOPICS[(d + 1) % 4]
        text = f'قال الوزير: "{q1}". وتابع المدرب: "{q2}". وأضاف: "الطقس حار اليوم".'
        for number, (target, quote) in enumerate(((t1, q1), (t2, q2)), start=1):
            start = text.index(quote)
            rows.append({"id": f"t{d}#{number}", "doc_id": f"t{d}", "text": text, "target": target,
                         "holder_kind": "quote", "holder_start": start, "holder_end": start + len(quote),
                         "label": "against" if number == 1 else "favor"})
    return rows


def test_the_learned_ranker_names_each_targets_quote_and_skips_the_off_topic_one():
    from baselines.sklearn.stance_holders import HolderRanker

    rows = _training_rows()
    candidates = {}
    for row in rows:
        candidates.setdefault(row["doc_id"], []).append((row["holder_start"], row["holder_end"]))
        weather = row["text"].index("الطقس")
        candidates[row["doc_id"]].append((weather, weather + len("الطقس حار اليوم")))
    ranker = HolderRanker.train(rows, candidates)
    test_rows = [_row(1, "الدوري السعودي"), _row(2, "إيران")]
    assert _holders(assign_holder_quotes(test_rows, {"d": [WEATHER, IRAN, LEAGUE]}, ranker=ranker)) == [LEAGUE, IRAN]
    scores = ranker.scores(test_rows, [WEATHER, IRAN, LEAGUE])
    assert scores.shape == (2, 3) and scores[0].argmax() == 2 and scores[1].argmax() == 1


def test_a_ranker_needs_holders_and_other_candidates():
    import pytest

    from baselines.sklearn.stance_holders import HolderRanker

    firsts = [row for row in _training_rows(2) if row["id"].endswith("#1")]  # one target, one candidate each
    only_holders = {row["doc_id"]: [(row["holder_start"], row["holder_end"])] for row in firsts}
    with pytest.raises(ValueError, match="holder and non-holder candidates"):
        HolderRanker.train(firsts, only_holders)


def test_a_khabar_stance_model_carries_its_ranker_and_context_block_an_ans_model_does_not():
    from baselines.sklearn.stance import StanceModel, context_words

    rows = [{**row, "target": row["target"] + " والموقف"} for row in _training_rows()]  # a word the quote drops
    model = StanceModel.train(rows)
    assert model.holder_ranker is not None and model.context is not None and model.group_smoothing > 0
    assert model.meta["holder_choice"] == "learned ranker" and model.meta["context_block"]
    assert context_words(rows[0]) == "c:قال c:وزير"
    assert model.predict(rows[:2]) == ["against", "favor"]
    ans = [{"target": "ارتفاع أسعار النفط", "text": t, "label": y}
           for t, y in [("ارتفاع أسعار النفط اليوم", "agree"), ("انخفاض أسعار النفط", "disagree")] * 5]
    plain = StanceModel.train(ans)
    assert plain.holder_ranker is None and plain.context is None and plain.group_smoothing == 0.0
    assert plain.meta["holder_choice"] == "none"


def test_the_ranker_learns_from_predicted_spans_that_answer_a_holder_by_its_core():
    """Predicted quotes are cut otherwise than the gold (here without the quotation marks the gold holders
    include); a candidate is a positive when the scorer would count it right: the same core span."""
    from baselines.sklearn.stance import StanceModel
    from baselines.sklearn.stance_holders import HolderRanker

    rows = [{**row, "holder_start": row["holder_start"] - 1, "holder_end": row["holder_end"] + 1}
            for row in _training_rows()]
    assert all(row["text"][row["holder_start"]] == '"' for row in rows)
    predicted: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        predicted.setdefault(row["doc_id"], []).append((row["holder_start"] + 1, row["holder_end"] - 1))
        weather = row["text"].index("الطقس")
        predicted[row["doc_id"]].append((weather, weather + len("الطقس حار اليوم")))
    ranker = HolderRanker.train(rows, predicted)  # exact matching would find no positive and refuse
    assert _holders(assign_holder_quotes([_row(1, "الدوري السعودي"), _row(2, "إيران")], {"d": [WEATHER, IRAN, LEAGUE]},
                                         ranker=ranker)) == [LEAGUE, IRAN]
    rows = [{**row, "target": row["target"] + " والموقف"} for row in rows]  # a word the quote drops
    assert StanceModel.train(rows, holder_candidates=predicted).meta["holder_ranker_candidates"] == "given quote spans"
    assert StanceModel.train(rows).meta["holder_ranker_candidates"] == "gold holder quotes"
