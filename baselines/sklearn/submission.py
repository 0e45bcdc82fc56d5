"""Submission lines (DESIGN §5) from the trained scikit-learn baselines — one function per task, used by
``khabar baseline … predict`` and by ``khabar run``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from benchmark.model import Article
from benchmark.schema import KHABAR, LabelSchema

__all__ = ["ner_lines", "quote_lines", "stance_lines"]


def ner_lines(model: Any, articles: Sequence[Article]) -> list[dict[str, Any]]:
    """``{"doc_id", "entities": [{start, end, label}]}`` per article, from an ``NerModel``."""
    predicted = model.predict_many([a.text for a in articles])
    return [{"doc_id": a.doc_id, "entities": [{"start": s, "end": e, "label": label} for s, e, label in spans]}
            for a, spans in zip(articles, predicted, strict=True)]


def quote_lines(model: Any, articles: Sequence[Article], *, ner: Any = None,
                use_gold_entities: bool = True) -> list[dict[str, Any]]:
    """``{"doc_id", "quotes": [...]}`` per article, from a ``QuoteModel``; speaker candidates come from the
    article's gold entities, or (``use_gold_entities=False``) from ``ner``'s predictions or the cue heuristic."""
    return [{"doc_id": a.doc_id, "quotes": model.predict_article(a, ner=ner, use_gold_entities=use_gold_entities)}
            for a in articles]


def stance_lines(model: Any, articles: Sequence[Article], schema: LabelSchema = KHABAR,
                 candidates: Mapping[str, Sequence[tuple[int, int]]] | None = None) -> list[dict[str, Any]]:
    """``{"id", "label"}`` per stance row of the articles (the task registry's rows), plus ``quote`` for a
    quote-holder row, from a ``StanceModel`` or anything with ``predict(rows) -> labels``.

    The model sees the inputs only: never the gold holder quote, which the hidden split does not give. A
    quote-holder row takes a candidate quote from ``candidates`` (``doc_id -> spans``, e.g. of ``quote_lines``),
    else the text's spans in quotation marks, assigned to the document's rows by the model's learned
    ``holder_ranker`` when it has one, else by target relevance
    (:func:`baselines.sklearn.stance_holders.assign_holder_quotes`), and is classified on that quote's text."""
    from baselines.sklearn.stance_holders import assign_holder_quotes
    from benchmark.tasks import get_task
    from benchmark.tasks.stance import stance_line

    rows = assign_holder_quotes(get_task("stance").rows(articles, schema), candidates,
                                ranker=getattr(model, "holder_ranker", None))
    return [stance_line(row, label) for row, label in zip(rows, model.predict(rows), strict=True)]
