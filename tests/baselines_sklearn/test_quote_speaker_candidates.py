"""The quote baseline's speaker candidates beyond the NER mentions (feature version 3): repaired NER spans,
word runs after the cue, cross-fitted training mentions and the cluster-best mention. Tiny texts, no corpus."""

from __future__ import annotations

from baselines.sklearn.quotes import (
    QuoteModel,
    _cross_fitted_mentions,
    cluster_best,
    mention_cuts,
    speaker_candidates,
    speaker_mentions,
    subject_spans,
)
from benchmark.model import Article, Mention, Quote, Span


def test_a_ner_span_with_a_title_inside_is_cut_at_the_title():
    text = "عبدالله التركي الأمين العام"
    assert [text[s:e] for s, e in mention_cuts(text, 0, len(text))] == ["عبدالله التركي", "العام"]
    text = "باسم الجمارك المستشار عيسى العيسى"
    assert "عيسى العيسى" in {text[s:e] for s, e in mention_cuts(text, 0, len(text))}
    assert mention_cuts("خالد بانافع", 0, len("خالد بانافع")) == []


def test_the_words_after_a_cue_offer_the_subject_without_prepositions_or_honorifics():
    text = "وقال الدكتور ياكوب فال في بيان إن الوضع مستقر"
    cue = (text.index("قال"), text.index("قال") + 3)
    runs = {text[s:e] for s, e in subject_spans(text, cue)}
    assert "ياكوب فال" in runs and not any(r.startswith("في") or r.endswith("في") for r in runs)
    candidates = speaker_candidates(text, [], [cue])
    assert {"ياكوب فال", "فال"} <= {text[m.start:m.end] for m in candidates}
    assert all(m.source == "subject" for m in candidates)
    assert speaker_candidates(text, [], [cue], variants=False) == []


def test_cluster_best_moves_a_surname_to_the_full_name_found_more_often():
    text = "قال خالد بانافع . وأكد خالد بانافع . وتابع بانافع"
    mentions = speaker_mentions(text, [(4, 15, "PER"), (23, 34, "PER"), (43, 49, "PER")])
    s, e = cluster_best(text, (43, 49), mentions)
    assert text[s:e] == "خالد بانافع" and s == 23  # the nearest occurrence
    assert cluster_best(text, (4, 15), mentions) == (4, 15)  # already the most frequent surface


class _Trainer:
    """A NER trainer that records which articles it trained on and tags the first word of every text."""

    def __init__(self) -> None:
        self.seen: list[set[str]] = []

    def __call__(self, docs):
        self.seen.append({a.doc_id for a in docs})

        class _Ner:
            @staticmethod
            def predict_spans(text: str):
                return [(0, text.index(" "), "PER")]
        return _Ner()


def test_training_mentions_are_predicted_by_ner_models_that_never_saw_the_article():
    articles = [Article(doc_id=f"x/{i}", text=f"كلمة{i} قال", entities=(Mention("m1", 0, 3, "PER"),))
                for i in range(6)]
    trainer = _Trainer()
    mentions = _cross_fitted_mentions(articles, trainer, folds=3)
    assert len(trainer.seen) == 3
    for article in articles:
        assert mentions[article.doc_id] == [(0, len(f"كلمة{article.doc_id[-1]}"), "PER")]
        trained_with = [seen for seen in trainer.seen if article.doc_id not in seen]
        assert len(trained_with) == 1  # exactly one model predicted it, and it did not train on it
    gold = _cross_fitted_mentions(articles, None, folds=3)
    assert gold["x/0"] == [(0, 3, "PER")]


def _quoted(i: int) -> Article:
    """``X قال: "…"`` with X a mention, then an unattributed report."""
    names = ["بوتين", "كيم", "وود", "ليف"]
    speaker, other = names[i % 4], names[(i + 1) % 4]
    text = f'التقى {other} بالوفد. وقال {speaker}: "الوضع مستقر". وذكرت مصادر أن الوفد غادر.'
    s_other, s_speaker = text.index(other), text.index(speaker, text.index("وقال"))
    q1 = (text.index('"'), text.index('"', text.index('"') + 1) + 1)
    q2 = (text.index("الوفد غادر"), text.rindex("."))
    return Article(doc_id=f"xfit/{i}", text=text,
                   entities=(Mention("m1", s_other, s_other + len(other), "PER"),
                             Mention("m2", s_speaker, s_speaker + len(speaker), "PER")),
                   quotes=(Quote("q1", *q1, "direct", cue=Span(text.index("قال"), text.index("قال") + 3),
                                 speaker="m2"),
                           Quote("q2", *q2, "indirect", cue=Span(text.index("ذكرت"), text.index("ذكرت") + 4))))


def test_a_quote_model_trained_with_cross_fitting_says_so_and_predicts():
    articles = [_quoted(i) for i in range(8)]
    model = QuoteModel.train(articles, ner_trainer=_Trainer())
    assert model.meta["speaker_mentions"] == "cross-fitted NER"
    gold_model = QuoteModel.train(articles)
    assert gold_model.meta["speaker_mentions"] == "gold entities"
    predicted = gold_model.predict_article(_quoted(9))
    assert {(q["start"], q["end"]) for q in predicted} >= {(q.start, q.end) for q in _quoted(9).quotes}
