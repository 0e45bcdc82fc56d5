"""Agreement coefficients against published worked examples and scikit-learn; per-layer span agreement."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from benchmark.model import Mention, Quote, Stance
from benchmark.studio.agreement import (
    agreement_report,
    cohen_kappa,
    entity_scores,
    fleiss_kappa,
    krippendorff_alpha,
    quote_scores,
)

N = None


def test_krippendorff_alpha_published_examples():
    # Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", nominal example: α = 0.743.
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)
    # Same paper, two observers, binary data: α = 0.095.
    binary = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    assert krippendorff_alpha(binary) == pytest.approx(0.095, abs=5e-4)
    assert krippendorff_alpha([[1, 1, N], [1, 1, 2]]) != krippendorff_alpha([[1, 1, 2], [1, 1, 2]])
    assert math.isnan(krippendorff_alpha([[1, N], [N, 1]]))  # nothing pairable


def test_fleiss_kappa_worked_example():
    # The Fleiss' kappa worked example (10 subjects, 14 raters, 5 categories): κ = 0.210.
    table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    assert fleiss_kappa(table) == pytest.approx(0.20993, abs=1e-5)
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa([[1, 1], [2, 1]])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=1, max_size=40))
def test_cohen_kappa_matches_sklearn(pairs):
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    ours = cohen_kappa(a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = cohen_kappa_score(a, b)
    if math.isnan(ours):
        assert math.isnan(theirs) or len(set(a) | set(b)) == 1
    else:
        assert ours == pytest.approx(theirs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("xyz"), st.sampled_from("xyz")), min_size=2, max_size=30))
def test_two_rater_fleiss_and_alpha_are_consistent(pairs):
    """Two raters, no missing data: Fleiss' κ is Scott's π and Krippendorff's α is π corrected for
    sample size, 1 − α = (1 − π)·(n − 1)/n with n = 2 × items pairable values."""
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    cats = sorted(set(a) | set(b))
    counts = [[(x == c) + (y == c) for c in cats] for x, y in pairs]
    pi = fleiss_kappa(counts)
    alpha = krippendorff_alpha([a, b])
    n = 2 * len(pairs)
    if math.isnan(pi) or math.isnan(alpha):
        return
    assert 1 - alpha == pytest.approx((1 - pi) * (n - 1) / n)


def test_span_agreement_and_speaker_by_cluster(make_article):
    a = make_article()
    # b: drops one entity, shifts another (partial match), and picks another mention of the same speaker.
    ents = list(a.entities)
    ents[1] = Mention("m2", ents[1].start, ents[1].end - 1, "GPE")
    b = a.replace(
        entities=tuple(ents[:2] + ents[3:]),
        quotes=tuple(q if q.id != "q1" else Quote("q1", q.start, q.end, q.kind, q.cue, "m3") for q in a.quotes),
        stances=tuple(s for s in a.stances if s.target_mention is None),
    )
    e = entity_scores(a, b)
    assert (e["strict"].a, e["strict"].b, e["strict"].matched) == (4, 3, 2)
    assert e["partial"].matched == 3
    q = quote_scores(a, b)
    assert q["matched_pairs"] == 3 and q["kind_agree"] == 3
    assert q["speaker_agree"] == 3  # m3 is in m1's cluster in both annotations


def test_agreement_report_pairs_stance_and_gold(make_article):
    a = make_article(annotator="a@x")
    b = a.replace(
        stances=tuple(Stance(s.id, s.holder, s.target, "against") if s.holder == "article" else s for s in a.stances)
    )
    c = a.replace(entities=a.entities[:1], quotes=(), stances=a.stances[-1:])
    report = agreement_report({"a": [a], "b": [b], "c": [c]}, gold=[a])
    assert [(p["a"], p["b"]) for p in report.pairs] == [("a", "b"), ("a", "c"), ("b", "c")]
    ab = report.pairs[0]
    assert ab["entities"]["strict"]["f1"] == 1.0 and ab["stance"]["items_both"] == 3
    assert ab["stance"]["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert report.stance["fleiss_items"] == 1 and report.stance["alpha_items"] == 3
    assert report.against_gold[0]["entities"]["strict"]["f1"] == 1.0
    assert report.against_gold[2]["entities"]["per_label"]["PER"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    table = report.format_table()
    assert "a × b" in table and "Krippendorff" in table and "annotator vs gold" in table
    with pytest.raises(ValueError, match="two annotations of this document"):
        agreement_report({"a": [a, a]})


# --------------------------------------------------------------------------- SOURCE mentions


def _relabel(article, mention_id, label, annotator):
    from benchmark.model import Mention, Provenance

    ents = tuple(Mention(m.id, m.start, m.end, label, m.cluster) if m.id == mention_id else m for m in article.entities)
    return article.replace(entities=ents, provenance=Provenance(annotator=annotator))


def test_entity_f1_leaves_sources_out_and_sources_get_their_own_f1(make_source_article):
    from benchmark.studio.agreement import agreement_report, entity_scores

    a = _relabel(make_source_article(), "m1", "ORG", "a@x")
    b = _relabel(make_source_article(), "s1", "ORG", "b@x")  # 'مصادر أمنية' as an entity: one more ORG, one SOURCE less
    scores = entity_scores(a, b)
    assert (scores["strict"].a, scores["strict"].b, scores["strict"].matched) == (1, 2, 1)
    assert set(scores["per_label"]) == {"ORG"}  # SOURCE is not an entity label
    assert (scores["source"]["strict"].a, scores["source"]["strict"].b, scores["source"]["strict"].matched) == (2, 1, 1)
    report = agreement_report({"a@x": [a], "b@x": [b]})
    (pair,) = report.pairs
    assert pair["entities"]["strict"]["f1"] == round(2 * 1 / 3, 4)
    assert pair["sources"]["strict"]["f1"] == round(2 * 1 / 3, 4)
    # q1, q2: a's speaker a SOURCE, b's an ORG of the same span → agree (one span), counted under both types
    by_type = pair["quotes"]["speaker_by_type"]
    assert by_type["source"] == {"pairs": 3, "agree": 3, "agreement": 1.0}
    assert by_type["entity"] == {"pairs": 2, "agree": 2, "agreement": 1.0}
    assert by_type["none"]["pairs"] == 0 and by_type["none"]["agreement"] is None
    assert "SOURCE F1 0.667/0.667" in report.format_table()


def test_speaker_agreement_by_type_counts_a_source_disagreement(make_source_article):
    from benchmark.model import Provenance, Quote
    from benchmark.studio.agreement import agreement_report

    a = make_source_article().replace(provenance=Provenance(annotator="a@x"))
    q3 = a.quotes[2]
    b = a.replace(quotes=(*a.quotes[:2], Quote(q3.id, q3.start, q3.end, q3.kind, q3.cue, "s1")),
                  entities=tuple(m for m in a.entities if m.id != "s2"), provenance=Provenance(annotator="b@x"))
    (pair,) = agreement_report({"a@x": [a], "b@x": [b]}).pairs
    assert pair["quotes"]["speaker_agreement"] == round(2 / 3, 4)
    assert pair["quotes"]["speaker_by_type"]["source"] == {"pairs": 3, "agree": 2, "agreement": round(2 / 3, 4)}
    assert pair["quotes"]["speaker_by_type"]["entity"]["pairs"] == 0
