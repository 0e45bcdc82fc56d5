"""Benchmark: Khabar's NER metric against seqeval on a synthetic 1,000,000-token submission.

Builds random gold and predicted IOB2 tag sequences (documents of ~500 tokens, ~1 entity per 7
tokens, predictions that keep ~80 % of gold entities and shift, retype, drop or invent the
rest), converts them to character spans (token i covers [2i, 2i+1)), and times in one process:

* seqeval ``f1_score(mode="strict", scheme=IOB2)`` on the tags (the reference);
* ``benchmark.metrics.ner.ner_f1`` (strict span micro-F1 only) on the spans;
* ``ner_doc_counts`` with every figure (strict per label + the four SemEval schemes);
* the bootstrap over documents (1,000 resamples, every metric) on the count table;
* the whole harness, ``evaluate_submission`` (validation of every line, scoring, bootstrap, per-document
  errors), on the same submission given as dict lines;
* nervaluate 1.2.1's ``Evaluator`` (SemEval schemes) when ``--nervaluate`` is given (slow).

It checks that the F1 values are identical and prints each time and its ratio to seqeval.

    python scripts/bench_ner_metric.py                 # 1,000,000 tokens
    python scripts/bench_ner_metric.py --tokens 200000 --nervaluate
"""

from __future__ import annotations

import argparse
import random
import time


def make_tags(n_tokens: int, doc_len: int, seed: int) -> tuple[list[list[str]], list[list[str]]]:
    rng = random.Random(seed)
    labels = ["PER", "ORG", "LOC", "GPE", "DATE", "MISC"]
    gold_docs, pred_docs = [], []
    made = 0
    while made < n_tokens:
        n = min(doc_len, n_tokens - made)
        gold, pred = ["O"] * n, ["O"] * n
        i = 0
        while i < n:
            if rng.random() < 0.08:
                length = min(rng.choice([1, 1, 2, 2, 3, 4]), n - i)
                label = rng.choice(labels)
                gold[i] = f"B-{label}"
                for k in range(i + 1, i + length):
                    gold[k] = f"I-{label}"
                r = rng.random()
                p_start, p_len, p_label = i, length, label
                if r < 0.80:
                    pass
                elif r < 0.87:
                    p_len = max(1, length + rng.choice([-1, 1]))
                elif r < 0.93:
                    p_label = rng.choice(labels)
                else:
                    p_len = 0
                p_len = min(p_len, n - p_start)
                if p_len:
                    pred[p_start] = f"B-{p_label}"
                    for k in range(p_start + 1, p_start + p_len):
                        pred[k] = f"I-{p_label}"
                i += max(length, p_len) + 1
            elif rng.random() < 0.01:
                pred[i] = f"B-{rng.choice(labels)}"
                i += 2
            else:
                i += 1
        gold_docs.append(gold)
        pred_docs.append(pred)
        made += n
    return gold_docs, pred_docs


def tags_to_spans(tags: list[str]) -> list[dict[str, object]]:
    spans, start, label = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not tag.startswith("I-"):
            spans.append({"start": 2 * start, "end": 2 * (i - 1) + 1, "label": label})
            start = None
        if tag.startswith("B-"):
            start, label = i, tag[2:]
    return spans


def timed(function, repeat: int):
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - t0)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--doc-len", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs for each timing")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--nervaluate", action="store_true", help="also time nervaluate (slow)")
    args = parser.parse_args()

    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    from benchmark.metrics.ner import ner_doc_counts, ner_f1, ner_scores_from_counts

    gold_tags, pred_tags = make_tags(args.tokens, args.doc_len, args.seed)
    gold_spans = [tags_to_spans(t) for t in gold_tags]
    pred_spans = [tags_to_spans(t) for t in pred_tags]
    labels = ["PER", "ORG", "LOC", "GPE", "DATE", "MISC"]
    n_tokens = sum(map(len, gold_tags))
    print(f"{n_tokens:,} tokens in {len(gold_tags):,} documents; {sum(map(len, gold_spans)):,} gold and "
          f"{sum(map(len, pred_spans)):,} predicted entities")

    t_seqeval, f_seqeval = timed(lambda: f1_score(gold_tags, pred_tags, mode="strict", scheme=IOB2), args.repeat)
    t_f1, f_ours = timed(lambda: ner_f1(gold_spans, pred_spans, labels=labels), args.repeat)

    def full():
        table = ner_doc_counts(gold_spans, pred_spans, labels=labels)
        return ner_scores_from_counts(table.counts.sum(axis=0), table.columns)

    t_full, scores = timed(full, args.repeat)
    assert f_ours == f_seqeval, (f_ours, f_seqeval)
    assert float(scores["strict/f1"]) == f_seqeval
    print(f"strict micro-F1: seqeval {f_seqeval!r}  khabar {f_ours!r}  (identical)")
    print(f"{'scorer':<52} {'seconds':>8} {'speed-up vs seqeval':>20}")
    print(f"{'seqeval f1_score strict IOB2 (tags)':<52} {t_seqeval:>8.3f} {1.0:>19.1f}x")
    print(f"{'khabar ner_f1 (spans, strict micro-F1)':<52} {t_f1:>8.3f} {t_seqeval / t_f1:>19.1f}x")
    print(f"{'khabar ner_doc_counts (all figures, SemEval schemes)':<52} {t_full:>8.3f} "
          f"{t_seqeval / t_full:>19.1f}x")
    from benchmark.harness.bootstrap import bootstrap_ci

    table = ner_doc_counts(gold_spans, pred_spans, labels=labels)
    t_boot, intervals = timed(lambda: bootstrap_ci(table.counts, lambda t: ner_scores_from_counts(t, table.columns),
                                                   n_resamples=1000), 1)
    f1 = intervals["strict/f1"]
    print(f"{'bootstrap CIs, 1,000 document resamples, all metrics':<52} {t_boot:>8.3f}"
          f"   strict/f1 {f1.value:.4f} [{f1.low:.4f}, {f1.high:.4f}]")
    from benchmark.harness import GoldSet, evaluate_submission

    gold = GoldSet.from_rows("ner", [{"doc_id": f"d{i}", "text": "x" * (2 * len(tags)), "entities": spans}
                                     for i, (tags, spans) in enumerate(zip(gold_tags, gold_spans, strict=True))])
    lines = [{"doc_id": f"d{i}", "entities": spans} for i, spans in enumerate(pred_spans)]
    t_harness, results = timed(lambda: evaluate_submission("ner", lines, gold=gold), 1)
    assert results.score == f_seqeval
    print(f"{'evaluate_submission (validate+score+bootstrap+per-doc)':<52} {t_harness:>8.3f} "
          f"{t_seqeval / t_harness:>19.1f}x")
    if args.nervaluate:
        from nervaluate import Evaluator

        as_nervaluate = lambda docs: [[{"label": e["label"], "start": e["start"], "end": e["end"] - 1}  # noqa: E731
                                       for e in doc] for doc in docs]
        t_nerv, result = timed(lambda: Evaluator(as_nervaluate(gold_spans), as_nervaluate(pred_spans), tags=labels,
                                                 loader="dict").evaluate(), 1)
        for scheme in ("strict", "exact", "partial", "ent_type"):
            assert abs(result["overall"][scheme].f1 - float(scores[f"{scheme}/f1"])) < 1e-12, scheme
        print(f"{'nervaluate 1.2.1 Evaluator (dict loader, 1 run)':<52} {t_nerv:>8.3f} "
              f"{t_seqeval / t_nerv:>19.1f}x   (SemEval F1s identical to khabar's)")


if __name__ == "__main__":
    main()
