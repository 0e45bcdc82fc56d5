"""``khabar publish FOLDER --repo ORG/NAME``: upload a built public folder to the Hugging Face Hub.

Refuses a folder holding private gold (the ``-private`` folder, or a public folder whose hidden
test split carries labels) and a folder changed since the build. ``--check`` only runs the
checks. The token comes from ``huggingface-cli login`` or ``HF_TOKEN``.

Example::

    khabar publish release/khabar --repo khabar-benchmark/khabar --check
    khabar publish release/khabar --repo khabar-benchmark/khabar
"""

from __future__ import annotations

import argparse
import sys

NAME = "publish"
HELP = "upload a built public dataset folder to the Hugging Face Hub (refuses private gold)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="the public folder built by `khabar build`")
    parser.add_argument("--repo", required=True, help="dataset repo id, ORG/NAME")
    parser.add_argument("--private-repo", action="store_true", help="create the Hub repo as private")
    parser.add_argument("--check", action="store_true", help="only check that the folder may be published")
    parser.add_argument("--message", default=None, help="commit message on the Hub")


def run(args: argparse.Namespace) -> int:
    from benchmark.release.publish import PublishError, check_publishable, publish_folder

    problems = check_publishable(args.folder)
    if problems:
        print(
            "khabar publish: refusing to publish:\n" + "\n".join(f"  - {p}" for p in problems),
            file=sys.stderr,
        )
        return 1
    if args.check:
        print(f"{args.folder}: ready to publish to {args.repo}")
        return 0
    try:
        commit = publish_folder(
            args.folder, args.repo, private_repo=args.private_repo, commit_message=args.message
        )
    except PublishError as error:
        print(f"khabar publish: {error}", file=sys.stderr)
        return 1
    print(f"published {args.folder} to https://huggingface.co/datasets/{args.repo} ({commit})")
    return 0
