"""Submission lines (DESIGN §5) from the trained scikit-learn baselines — one function per task, used by
``khabar baseline … predict`` and by ``khabar run``."""

from __future__ import annotations

from collections.abc import Sequence
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


def stance_lines(model: Any, articles: Sequence[Article], schema: LabelSchema = KHABAR) -> list[dict[str, Any]]:
    """``{"id", "label"}`` per stance row of the articles (the task registry's rows), from a ``StanceModel``
    or anything with ``predict(rows) -> labels``."""
    from benchmark.tasks import get_task

    rows = get_task("stance").rows(articles, schema)
    return [{"id": row["id"], "label": label} for row, label in zip(rows, model.predict(rows), strict=True)]
