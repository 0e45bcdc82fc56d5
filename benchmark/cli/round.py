"""``khabar round``: run an annotation round (docs/annotation-workflow.md, "Running a round").

    khabar round select --corpus saudinewsnet:PATH --n 340 --seed khabar-v0.2 \\
        --exclude-standoff annotations/v0.1/gold.standoff.jsonl --out annotations/v0.2/selection.json
    khabar round articles annotations/v0.2/selection.json --corpus saudinewsnet:PATH --out WORK/raw.jsonl
    # push WORK/raw.jsonl, annotate, pull: khabar annotate push / pull
    khabar round finish --pass annotator-a=A.jsonl --pass annotator-b=B.jsonl \\
        --decisions annotations/v0.2/adjudication.jsonl --out annotations/v0.2 --work WORK \\
        --targets annotations/targets.jsonl --topics annotations/v0.2/article-topics.jsonl

The library behind it is :mod:`benchmark.rounds`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmark.cli._options import add_progress_option

NAME = "round"
HELP = "an annotation round: select articles (seeded rule), read them back (hash-checked), finish it"


def _corpus_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", required=True, metavar="NAME:PATH",
                        help="the corpus, read by its importer (e.g. saudinewsnet:../shared/data/saudinewsnet)")


def _pass_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pass", dest="passes", action="append", default=[], required=True,
                        metavar="NAME=ARTICLES.jsonl",
                        help="one annotator's pass (Article JSONL, e.g. from khabar annotate pull); twice or more")


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("select", help="choose a round's articles by the seeded rule (no text in the output)")
    _corpus_arg(p)
    p.add_argument("--n", type=int, required=True, help="how many articles to select")
    p.add_argument("--seed", required=True, help="the seed of the ranking (recorded; e.g. khabar-v0.2)")
    p.add_argument("--exclude-standoff", type=Path, action="append", default=[], metavar="STANDOFF.jsonl",
                   help="already-annotated documents: never selected, nor their near-duplicates (repeatable)")
    p.add_argument("--min-chars", type=int, default=900, help="shortest text in code points (default 900)")
    p.add_argument("--max-chars", type=int, default=2600, help="longest text in code points (default 2600)")
    p.add_argument("--min-quote-cues", type=int, default=3, help="speech-verb cues required (default 3)")
    p.add_argument("--any-quote", action="store_true",
                   help="do not require a direct quote (a cue followed by a quotation mark)")
    p.add_argument("--floor", type=int, default=5, help="articles every outlet gives at least (default 5)")
    p.add_argument("--out", type=Path, required=True, help="selection JSON to write")
    add_progress_option(p)

    p = actions.add_parser("articles", help="the selected articles from your corpus, every text hash checked")
    p.add_argument("selection", type=Path, help="selection JSON (khabar round select)")
    _corpus_arg(p)
    p.add_argument("--out", type=Path, required=True, help="Article JSONL to write (holds text: keep it out of git)")

    p = actions.add_parser("agreement", help="agreement of two or more passes over the documents they share "
                                             "(e.g. the from-scratch pair: the headline IAA)")
    _pass_arg(p)
    p.add_argument("--out", type=Path, required=True, metavar="AGREEMENT.json",
                   help="the report as JSON; the table goes beside it as .md")
    p.add_argument("--name", default="Khabar", help="the release's name in the report's title")

    p = actions.add_parser("finish", help="agreement → conflicts → the reviewer's decisions → gold → stand-off")
    _pass_arg(p)
    p.add_argument("--decisions", type=Path, default=None, metavar="ADJUDICATION.jsonl",
                   help="the reviewer's decisions, one line per conflict with a one-line reason (absent: none yet)")
    p.add_argument("--out", type=Path, required=True, help="the round's folder for the committed files (no text)")
    p.add_argument("--work", type=Path, required=True,
                   help="a folder outside the repo for the files with text (conflicts.md, gold.articles.jsonl)")
    p.add_argument("--lead", default=None, metavar="NAME",
                   help="the pass the gold starts from (default: the first --pass)")
    p.add_argument("--lead-decides-the-rest", action="store_true",
                   help="a conflict without a decision follows the lead (v0.1's rule); by default each needs one")
    p.add_argument("--union-stances-from", default=None, metavar="NAME",
                   help="add this pass's stances on holders the gold has none for")
    p.add_argument("--selection", type=Path, default=None,
                   help="the round's selection: every annotated document must be selected, with the same text")
    p.add_argument("--predictions", type=Path, default=None,
                   help="the pre-annotations pushed with the tasks: compared with the gold (anchoring check)")
    p.add_argument("--model-version", default=None, help="their model version")
    p.add_argument("--guidelines", default=None, metavar="VERSION",
                   help="the guidelines version the passes followed, recorded in the provenance of every pass "
                        "article without one (a Label Studio export carries none; default: the current "
                        "version, benchmark.schema.GUIDELINES_VERSION)")
    p.add_argument("--name", default="Khabar", help="the release's name in the reports' titles (e.g. 'Khabar v0.2')")
    p.add_argument("--targets", type=Path, default=None, metavar="TARGETS.jsonl",
                   help="with --topics: every stance target of every pass must be an entry of its article's topic "
                   "or general (the stance target inventory, e.g. annotations/targets.jsonl)")
    p.add_argument("--topics", type=Path, default=None, metavar="ARTICLE_TOPICS.jsonl",
                   help="with --targets: the round's article topics (e.g. annotations/v0.2/article-topics.jsonl)")


def run(args: argparse.Namespace) -> int:
    try:
        actions = {"select": _select, "articles": _articles, "agreement": _agreement, "finish": _finish}
        return actions[args.action](args)
    except (ValueError, OSError) as error:  # SelectionError, DecisionError, ArticleError name the item and fix
        print(f"error: {error}", file=sys.stderr)
        return 1


def _corpus(spec: str):
    """``NAME:PATH`` → (name, iterator of articles); ``None`` after printing the fix."""
    from benchmark.importers import IMPORTERS, get_importer

    name, sep, path = spec.partition(":")
    if not sep or not path:
        print(f"error: --corpus {spec!r} must be NAME:PATH (e.g. saudinewsnet:../shared/data/saudinewsnet)",
              file=sys.stderr)
        return None
    if name not in IMPORTERS:
        print(f"error: --corpus: no importer named {name!r}; known: {sorted(IMPORTERS)}", file=sys.stderr)
        return None
    if not Path(path).exists():
        print(f"error: --corpus: {path} does not exist (fix: point to your copy of {name})", file=sys.stderr)
        return None
    return name, get_importer(name).load(path)


def _select(args: argparse.Namespace) -> int:
    from benchmark.rounds.selection import SelectionRule, annotated_hashes, select_articles, write_selection
    from benchmark.standoff import StandoffError

    corpus = _corpus(args.corpus)
    if corpus is None:
        return 2
    rule = SelectionRule(n=args.n, seed=args.seed, min_chars=args.min_chars, max_chars=args.max_chars,
                         min_quote_cues=args.min_quote_cues, direct_quote=not args.any_quote, floor=args.floor)
    try:
        annotated, sources = annotated_hashes(args.exclude_standoff)
    except (OSError, StandoffError) as error:
        print(f"error: --exclude-standoff: {error}", file=sys.stderr)
        return 1
    from tqdm.auto import tqdm

    name, articles = corpus
    scanning = tqdm(articles, desc=f"scanning {name}", unit="doc", disable=not args.progress)
    selection = select_articles(scanning, rule, corpus_name=name, annotated=annotated, exclude_sources=sources)
    write_selection(args.out, selection)
    per_outlet = ", ".join(f"{o} {row['selected']}" for o, row in selection["per_outlet"].items())
    print(f"selected {len(selection['articles'])} of {selection['eligible']} eligible article(s) "
          f"({selection['considered']} considered; dropped {selection['dropped'] or 'none'}) → {args.out}")
    print(f"per outlet: {per_outlet}")
    if selection["outlets_not_represented"]:
        print(f"warning: no eligible article left in {selection['outlets_not_represented']} "
              "(fix: wider --min-chars/--max-chars or fewer --min-quote-cues)", file=sys.stderr)
    return 0


def _articles(args: argparse.Namespace) -> int:
    from benchmark.io import write_articles
    from benchmark.rounds.selection import load_selection

    corpus = _corpus(args.corpus)
    if corpus is None:
        return 2
    articles = load_selection(args.selection, corpus[1])
    count = write_articles(args.out, articles)
    print(f"{count} selected article(s), text hashes checked → {args.out}")
    return 0


def _read_passes(specs: list[str]) -> dict[str, list] | None:
    """``NAME=ARTICLES.jsonl`` specs → annotator e-mail → articles; ``None`` after printing the fix."""
    from benchmark.io import read_articles
    from benchmark.rounds.decisions import email_of

    passes: dict[str, list] = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            print(f"error: --pass {spec!r} must be NAME=ARTICLES.jsonl (e.g. annotator-a=passA.jsonl)",
                  file=sys.stderr)
            return None
        if email_of(name) in passes:
            print(f"error: --pass {name} is given twice", file=sys.stderr)
            return None
        passes[email_of(name)] = list(read_articles(path))
    return passes


def _agreement(args: argparse.Namespace) -> int:
    from benchmark.rounds.finish import write_agreement

    passes = _read_passes(args.passes)
    if passes is None:
        return 2
    if len(passes) < 2:
        print("error: agreement needs two or more --pass", file=sys.stderr)
        return 2
    names = sorted(passes)
    shared = set.intersection(*({a.doc_id for a in articles} for articles in passes.values()))
    report = write_agreement(args.out.parent, passes, (
        f"# {args.name} — agreement ({' × '.join(n.split('@')[0] for n in names)}, {len(shared)} shared "
        "document(s))\n\nMade by `khabar round agreement` (docs/annotation-workflow.md).\n\n"),
        stem=args.out.stem)
    print(report.format_table())
    print(f"{len(shared)} document(s) in every pass → {args.out} and {args.out.with_suffix('.md')}")
    return 0


def _finish(args: argparse.Namespace) -> int:
    from benchmark.model import Provenance
    from benchmark.rounds.decisions import email_of, load_decisions
    from benchmark.rounds.finish import finish_round
    from benchmark.schema import GUIDELINES_VERSION
    from benchmark.studio.client import read_predictions

    passes = _read_passes(args.passes)
    if passes is None:
        return 2
    if (args.topics is None) != (args.targets is None):
        print("error: --topics and --targets go together (fix: pass both, or neither)", file=sys.stderr)
        return 2
    if args.targets is not None:
        from benchmark.targets import check_stance_targets, read_article_topics, read_inventory

        inventory = read_inventory(args.targets)
        check_stance_targets((a for articles in passes.values() for a in articles),
                             read_article_topics(args.topics, inventory), inventory)
    decisions = {}
    if args.decisions is not None and args.decisions.exists():
        decisions = load_decisions(args.decisions)
    elif args.decisions is not None:
        print(f"note: {args.decisions} does not exist yet: no decisions")
    predictions = []
    if args.predictions is not None:
        texts = {a.doc_id: a.text for articles in passes.values() for a in articles}
        model = f"model:{args.model_version}" if args.model_version else "model"
        predictions = [a.replace(provenance=Provenance(annotator=model))
                       for a in read_predictions(args.predictions, texts).values()]
    if args.selection is not None:
        from benchmark.rounds.selection import check_against_selection

        left = check_against_selection(args.selection, (a for articles in passes.values() for a in articles))
        if left:
            print(f"note: {len(left)} selected document(s) are not annotated yet, e.g. {left[:3]}")
    lead = email_of(args.lead) if args.lead else next(iter(passes))
    union = email_of(args.union_stances_from) if args.union_stances_from else None
    result = finish_round(passes, out=args.out, work=args.work, decisions=decisions, lead=lead, name=args.name,
                          union_stances_from=union, lead_decides_the_rest=args.lead_decides_the_rest,
                          predictions=predictions, guidelines_version=args.guidelines or GUIDELINES_VERSION)
    summary = result.summary
    print(result.agreement.format_table())
    print(f"{summary['conflicts']} conflict(s): {summary['reviewed']} reviewed, {summary['ruled']} ruled; "
          f"gold {summary['gold']}")
    print(f"wrote {args.out}: agreement, conflicts, adjudication-summary, agreement-vs-gold, passes/, "
          f"gold.standoff.jsonl; with text: {args.work}")
    return 0
