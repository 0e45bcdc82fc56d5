"""Cross-validate the scikit-learn quote and stance baselines on a corpus' train/validation documents: the
development loop of the v0.2 baselines (docs/RESULTS.md, "Developing the v0.2 baselines by cross-validation").

Never touches the test split: only documents the manifest puts in train/validation are read. They are dealt into
the folds of ``khabar run --design cv`` (``baselines.run.evaluation_folds``: documents ordered by a hash of their
id). The NER model is trained once per fold and its out-of-fold mentions are cached (``CACHE/ner_oof.json``, a few
minutes once); every later run reuses them, so a quote-model change is scored in about a minute:

* **quotes** — per fold, ``QuoteModel.train`` on the other folds, its speaker ranker learning on the cached
  out-of-fold mentions of its training documents (``khabar run`` cross-fits a NER inside each fold instead: the
  same idea, 4 more NER models per fold), then predicting the held-out documents from their cached mentions;
* **stance** — per fold, ``StanceModel.train`` on the other folds' rows, then ``stance_lines``-style prediction of
  the held-out rows with the quotes run's spans as candidates, and once more with the gold holder quotes given
  (the oracle).

Both are scored by the shared harness (``evaluate_submission``) against the gold of the cross-validated documents,
with bootstrap CIs. Usage::

    python scripts/cv_baselines.py GOLD.jsonl --manifest annotations/splits/manifest-v0.2.json \\
        --clusters ~/.cache/khabar/word_clusters.npz --cache runs/cv-v02 [--task quotes|stance|all]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from baselines.run import TRAIN_SPLITS, evaluation_folds, train_stance
from benchmark.cli._options import add_encoder_option
from benchmark.io import read_articles, write_articles, write_jsonl
from benchmark.model import Article
from benchmark.release.splits import Manifest

QUOTE_METRICS = ("e2e/f1", "span_exact/f1", "span_overlap/recall", "speaker_accuracy",
                 "speaker_type/entity/speaker_accuracy", "speaker_type/source/speaker_accuracy")
STANCE_METRICS = ("macro/f1", "favor/f1", "against/f1", "neutral/f1")


class CachedMentions:
    """The NER model's interface (``predict_spans(text)``) answering from the cached out-of-fold mentions."""

    def __init__(self, articles: Sequence[Article], mentions: dict[str, list[tuple[int, int, str]]]) -> None:
        self.by_text = {a.text: mentions[a.doc_id] for a in articles}

    def predict_spans(self, text: str) -> list[tuple[int, int, str]]:
        return self.by_text[text]


def out_of_fold_mentions(folds: list[tuple[list[Article], list[Article]]], clusters: str | None,
                         cache: Path) -> dict[str, list[tuple[int, int, str]]]:
    """doc_id → NER mentions predicted by the model of the fold that held the document out (cached)."""
    path = cache / "ner_oof.json"
    if not path.exists():
        from baselines.sklearn.ner import NerModel, NestedSpansWarning
        from baselines.sklearn.wordclusters import WordClusters

        word_clusters = WordClusters.load(Path(clusters).expanduser()) if clusters else None
        found: dict[str, list[list[Any]]] = {}
        for i, (train, held) in enumerate(folds, start=1):
            started = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", NestedSpansWarning)
                ner = NerModel.train(train, clusters=word_clusters)
            for article, spans in zip(held, ner.predict_many([a.text for a in held]), strict=True):
                found[article.doc_id] = [list(span) for span in spans]
            print(f"[ner] fold {i}/{len(folds)}: {time.perf_counter() - started:.0f} s", flush=True)
        path.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    return {doc: [(s, e, label) for s, e, label in spans]
            for doc, spans in json.loads(path.read_text(encoding="utf-8")).items()}


def _report(task: str, name: str, lines: list[dict[str, Any]], gold: Path, keys: Sequence[str]) -> dict[str, Any]:
    from benchmark.harness import evaluate_submission
    from benchmark.harness.evaluate import format_interval

    metrics = evaluate_submission(task, lines, gold=gold).metrics
    shown = {k: metrics[k] for k in keys if k in metrics}
    print(f"[{task}] {name}: " + "; ".join(f"{k} {format_interval(m)}" for k, m in shown.items()), flush=True)
    return {k: {"value": m.value, "low": m.low, "high": m.high} for k, m in shown.items()}


def cross_validate_quotes(folds, mentions, gold: Path, cache: Path) -> dict[str, Any]:
    from baselines.sklearn.quotes import QuoteModel

    lines: list[dict[str, Any]] = []
    for train, held in folds:
        cached = CachedMentions(train + held, mentions)
        model = QuoteModel.train(train, ner_trainer=lambda docs, cached=cached: cached)
        lines += [{"doc_id": a.doc_id, "quotes": model.predict_article(a, ner=cached, use_gold_entities=False)}
                  for a in held]
    write_jsonl(cache / "quotes.oof.jsonl", lines)
    return _report("quotes", "5-fold CV", lines, gold, QUOTE_METRICS)


def cross_validate_stance(folds, gold: Path, cache: Path, encoder: str | None = None) -> dict[str, Any]:
    from baselines.sklearn.stance_holders import assign_holder_quotes
    from benchmark.schema import KHABAR
    from benchmark.tasks import get_task
    from benchmark.tasks.stance import read_quote_candidates, stance_line

    candidates = read_quote_candidates(cache / "quotes.oof.jsonl")
    if encoder is not None:
        from baselines.sklearn.encoder import SentenceEncoder

        encoder = SentenceEncoder(encoder)  # one object: its embeddings are memoised across the folds
    task = get_task("stance")
    lines, oracle = [], []
    for i, (train, held) in enumerate(folds, start=1):
        notes: list[str] = []
        try:
            model = train_stance(train, notes, encoder=encoder)  # as khabar run
        except ValueError as error:
            raise ValueError(f"fold {i}: {error}") from None
        for note in notes:
            print(f"[stance] fold {i}: note: {note}")
        gold_rows = task.rows(held, KHABAR)
        rows = assign_holder_quotes(gold_rows, candidates, ranker=getattr(model, "holder_ranker", None))
        lines += [stance_line(r, label) for r, label in zip(rows, model.predict(rows), strict=True)]
        given = [{**r, "holder_start": g["holder_start"], "holder_end": g["holder_end"]}
                 for r, g in zip(rows, gold_rows, strict=True)]
        oracle += [stance_line(r, label) for r, label in zip(given, model.predict(given), strict=True)]
    return {"end to end": _report("stance", "5-fold CV, holder quotes named", lines, gold, STANCE_METRICS),
            "oracle": _report("stance", "5-fold CV, gold holder quotes given", oracle, gold, STANCE_METRICS)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", help="the corpus with text (Article JSONL)")
    parser.add_argument("--manifest", required=True, help="split manifest: only its train/validation docs are used")
    parser.add_argument("--clusters", help="word clusters for the NER baseline (.npz)")
    parser.add_argument("--cache", required=True, help="folder for the cached mentions and the out-of-fold outputs")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--task", choices=("quotes", "stance", "all"), default="all")
    add_encoder_option(parser)
    args = parser.parse_args(argv)

    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    splits = {doc: a.split for doc, a in Manifest.load(args.manifest).documents.items()}
    articles = [a for a in read_articles(args.gold) if splits.get(a.doc_id) in TRAIN_SPLITS]
    _, folds = evaluation_folds(articles, {}, args.folds, "cv")
    gold = cache / "gold.articles.jsonl"
    write_articles(gold, articles)
    print(f"{len(articles)} train/validation documents, {len(folds)} folds", flush=True)
    results: dict[str, Any] = {"documents": len(articles), "folds": len(folds)}
    if args.task in ("quotes", "all"):
        results["quotes"] = cross_validate_quotes(folds, out_of_fold_mentions(folds, args.clusters, cache), gold,
                                                  cache)
    if args.task in ("stance", "all"):
        if not (cache / "quotes.oof.jsonl").exists():
            parser.error("the stance run names quotes from the quotes run's spans: run --task quotes first")
        results["stance"] = cross_validate_stance(folds, gold, cache, args.encoder)
    (cache / f"results-{args.task}.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
