"""The NER baseline's post-processing: IOB2 repair, document-level propagation, clitic decision."""

from __future__ import annotations

from baselines.sklearn.ner import choose_clitic_splitting, propagate_labels, repair_bio
from benchmark.model import Article, Mention
from benchmark.text import tokenize


def test_repair_turns_orphan_inside_tags_into_beginnings():
    assert repair_bio(["I-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-PER"]) == [
        "B-PER", "I-PER", "O", "B-LOC", "B-ORG", "B-PER"]
    assert repair_bio([]) == []


def test_propagation_adds_other_occurrences_without_overlaps():
    text = "التقى كيم جونج أون بوتين ثم غادر كيم جونج أون و بوتين"
    tokens = tokenize(text)
    first_kim = (text.index("كيم"), text.index("أون") + 3, "PER")
    second_kim_start = text.index("كيم", first_kim[1])
    crossing = (second_kim_start + 4, second_kim_start + 12, "ORG")  # "جونج أون" predicted as ORG
    spans = propagate_labels(tokens, [first_kim, crossing])
    assert first_kim in spans and crossing in spans
    assert (second_kim_start, second_kim_start + 12, "PER") not in spans  # it would overlap the ORG span
    assert propagate_labels(tokens, [(text.index("بوتين"), text.index("بوتين") + 5, "PER")]) == [
        (text.index("بوتين"), text.index("بوتين") + 5, "PER"), (text.rindex("بوتين"), len(text), "PER")]


def test_propagation_matches_normalised_forms_and_skips_tiny_sequences():
    text = "زار أحمد القاهرة ثم قال احمد إن ب"
    tokens = tokenize(text)
    spans = propagate_labels(tokens, [(4, 8, "PER"), (len(text) - 1, len(text), "LOC")])
    assert (text.index("احمد"), text.index("احمد") + 4, "PER") in spans
    assert len(spans) == 3  # the one-letter LOC is not propagated


def test_clitic_decision_follows_the_gold_convention():
    outside = Article(doc_id="k", text="سافر لروسيا وبوتين", entities=(Mention("m1", 6, 11, "GPE"),
                                                                        Mention("m2", 13, 18, "PER")))
    inside = Article(doc_id="a", text="سافر لروسيا وبوتين", entities=(Mention("m1", 5, 11, "LOC"),
                                                                       Mention("m2", 12, 18, "PER")))
    assert choose_clitic_splitting([outside])[0] is True
    split, counts = choose_clitic_splitting([inside])
    assert split is False and counts == {"clitic_excluded": 0, "clitic_included": 2}
