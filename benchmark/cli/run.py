"""``khabar run``: the main job — build → train the scikit-learn baselines → evaluate → leaderboard.

On the bundled gold sample by default; or on any articles (Label Studio export ``.json``, Article
``.jsonl``) with their split manifest. Prints where every output went. See :mod:`baselines.run`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmark.cli._options import add_encoder_option, add_progress_option

NAME = "run"
HELP = "the main job: build the dataset, train the sklearn baselines, evaluate them, write the leaderboard"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", metavar="INPUT",
                        help="articles: a Label Studio export (.json) or Article JSONL (.jsonl); "
                             "default: the gold sample bundled with the package (annotations/gold/sample.json)")
    parser.add_argument("--manifest", default=None,
                        help="split manifest (default: the committed annotations/splits/manifest.json, bundled "
                             "with the package; 'none' for official splits in meta['split'])")
    parser.add_argument("--out", type=Path, default=Path("runs/main"), help="output folder (default runs/main)")
    parser.add_argument("--design", choices=("auto", "test", "cv"), default="auto",
                        help="evaluation: the manifest's test split (test), k-fold cross-validation over documents "
                             "(cv), or test when the manifest has one, else cv (auto, default)")
    parser.add_argument("--folds", type=int, default=5, help="k for cross-validation over documents (default 5)")
    parser.add_argument("--clusters", default=None, help="word clusters for the NER baseline (.npz), optional")
    add_encoder_option(parser)
    parser.add_argument("--license", default=None,
                        help="licence of the built dataset for its card (Hub id; default: khabar build's, cc-by-4.0); "
                             "data rehydrated from SaudiNewsNet inherits cc-by-nc-sa-4.0")
    add_progress_option(parser)


def run(args: argparse.Namespace) -> int:
    from baselines.run import DEFAULT_INPUT, DEFAULT_MANIFEST, STAGES, run_main

    inputs = args.inputs or [str(DEFAULT_INPUT)]
    manifest = None if args.manifest == "none" else (args.manifest or DEFAULT_MANIFEST)
    print("stages: " + " → ".join(stage.name for stage in STAGES))
    started = time.perf_counter()
    try:
        report = run_main(inputs, manifest=manifest, out=args.out, folds=args.folds, design=args.design,
                          clusters=args.clusters, encoder=args.encoder, license=args.license,
                          progress=args.progress)
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"\ndone in {time.perf_counter() - started:.1f} s ({report.design}). Outputs:")
    width = max(len(k) for k in report.outputs)
    for what, where in report.outputs.items():
        print(f"  {what.ljust(width)}  {where}")
    return 0
