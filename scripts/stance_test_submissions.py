"""Train the scikit-learn stance baseline on a corpus' train/validation documents, as ``khabar run --design test``
does, and write its test-split submissions twice: end to end (``e2e.jsonl``: each quote-holder row names one of a
quotes submission's spans, exactly what ``khabar run`` writes) and with the gold holder quotes given
(``oracle.jsonl``: stance v1.0's setting, the figure "with the gold holder quote given" in docs/RESULTS.md).

For scoring a model already chosen (on the train/validation folds, ``scripts/cv_baselines.py``), never for choosing
one. Two uses: the oracle figure of the committed model, and a paired comparison of two stance models on the same
quote spans — run the older commit's copy of this file with its packages first on the path (``git worktree add
../old REV``, then ``PYTHONPATH=../old python ../old/scripts/stance_test_submissions.py …``) and compare the two
``e2e.jsonl`` with ``khabar evaluate --compare``. Usage::

    python scripts/stance_test_submissions.py GOLD.jsonl --manifest annotations/splits/manifest-v0.2.json \\
        --quotes runs/v02/submissions/sklearn-baselines/quotes.jsonl --encoder models/e5-small --out runs/stance-test
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from baselines.run import TRAIN_SPLITS, train_stance
from benchmark.cli._options import add_encoder_option
from benchmark.io import read_articles, write_jsonl
from benchmark.release.splits import Manifest


def stance_test_submissions(gold: str | Path, manifest: str | Path, quotes: str | Path,
                            encoder: str | None = None) -> dict[str, list[dict]]:
    """``{"e2e": lines, "oracle": lines}``: the stance baseline trained on the manifest's train/validation documents,
    predicting its test documents' rows (holder quotes named among ``quotes``' spans, or given from the gold)."""
    from baselines.sklearn.submission import stance_lines
    from benchmark.schema import KHABAR
    from benchmark.tasks import get_task
    from benchmark.tasks.stance import read_quote_candidates, stance_line

    splits = {doc: a.split for doc, a in Manifest.load(manifest).documents.items()}
    articles = list(read_articles(gold))
    train = [a for a in articles if splits.get(a.doc_id) in TRAIN_SPLITS]
    test = [a for a in articles if splits.get(a.doc_id) == "test"]
    if not train or not test:
        raise ValueError(f"{gold}: {len(train)} train/validation and {len(test)} test document(s) under {manifest} "
                         "(fix: pass the corpus and the manifest that splits it)")
    if encoder is not None:
        from baselines.sklearn.encoder import SentenceEncoder

        encoder = SentenceEncoder(encoder)
    task = get_task("stance")
    model = train_stance(train, [], encoder=encoder)  # as khabar run
    gold_rows = task.rows(test, KHABAR)  # the gold holder spans are kept: the oracle's input
    return {"e2e": stance_lines(model, test, candidates=read_quote_candidates(quotes)),
            "oracle": [stance_line(row, label) for row, label in zip(gold_rows, model.predict(gold_rows),
                                                                     strict=True)]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", help="the corpus with text (Article JSONL)")
    parser.add_argument("--manifest", required=True, help="split manifest: trains on train/validation, predicts test")
    parser.add_argument("--quotes", required=True, help="a quotes submission of the test documents (the candidates)")
    parser.add_argument("--out", required=True, help="folder for e2e.jsonl and oracle.jsonl")
    add_encoder_option(parser)
    args = parser.parse_args(argv)
    submissions = stance_test_submissions(args.gold, args.manifest, args.quotes, args.encoder)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, lines in submissions.items():
        write_jsonl(out / f"{name}.jsonl", lines)
        print(f"wrote {out / f'{name}.jsonl'} ({len(lines)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
