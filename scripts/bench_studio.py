"""Push and pull throughput against a real Label Studio server, on real-length Arabic news.

Reads N articles from the SaudiNewsNet zips (path from the command line; the text is never
committed), starts a throw-away local Label Studio (or uses --url/--token), then measures:

- push (reference): N bare tasks, no predictions, into project A;
- push: N tasks, each with a silver prediction (quote + cue regions found by a regex), into
  project B — via ``StudioClient.push`` (one task listing, batches of 500);
- push again: the idempotent re-run (nothing created);
- pull: snapshot export of project B after every task got one annotation (created in bulk,
  untimed) and conversion of annotations + predictions to ``Article`` s.

Targets (docs/perf-studio.md): 10k pushed ≤ 60 s, pulled ≤ 30 s.

    python scripts/bench_studio.py ../shared/data/saudinewsnet/dataset --n 10000
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from benchmark.model import Article, Provenance, Quote, Span
from benchmark.studio.client import StudioClient
from benchmark.studio.convert import article_to_result, article_to_task, export_to_articles
from benchmark.studio.server import start_server

QUOTE = re.compile(r"(قال|أكد|أضاف|أوضح|صرح|أشار)[^«\"“\n]{0,80}?([«\"“][^«»\"“”\n]{2,400}[»\"”])")


def read_saudinewsnet(folder: Path, n: int) -> list[Article]:
    """The first ``n`` non-empty articles, in zip order (doc_id: source/date/index)."""
    articles: list[Article] = []
    for path in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for i, row in enumerate(json.loads(archive.read(name))):
                    text = row.get("content") or ""
                    if not text.strip():
                        continue
                    date = (row.get("date_extracted") or "")[:10] or None
                    articles.append(
                        Article(
                            doc_id=f"saudinewsnet/{row.get('source')}/{Path(name).stem}/{i:04d}",
                            text=text,
                            title=row.get("title") or None,
                            source=row.get("source"),
                            url=row.get("url"),
                            published=date,
                        )
                    )
                    if len(articles) == n:
                        return articles
    return articles


def silver_prediction(article: Article) -> Article:
    """Quote + cue spans found by a speech-verb regex (a stand-in for a baseline model)."""
    quotes = []
    for i, match in enumerate(QUOTE.finditer(article.text)):
        quotes.append(Quote(f"q{i}", match.start(2), match.end(2), "direct", cue=Span(match.start(1), match.end(1))))
    return article.replace(quotes=tuple(quotes), provenance=Provenance(annotator="model:silver-regex"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("saudinewsnet", type=Path, help="folder with the SaudiNewsNet YYYY-MM-DD.zip files")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--url", default=None, help="use this server instead of starting one")
    parser.add_argument("--token", default=None)
    args = parser.parse_args(argv)

    t = time.perf_counter()
    articles = read_saudinewsnet(args.saudinewsnet, args.n)
    predictions = {a.doc_id: silver_prediction(a) for a in articles}
    chars = sum(len(a.text) for a in articles)
    n_quotes = sum(len(p.quotes) for p in predictions.values())
    print(
        f"read {len(articles)} articles ({chars / len(articles):.0f} chars on average), {n_quotes} silver quotes "
        f"in {time.perf_counter() - t:.1f} s"
    )

    server = None
    if args.url:
        url, token = args.url, args.token or ""
    else:
        token = "bench-token-0123456789abcdef"
        t = time.perf_counter()
        server = start_server(
            Path(tempfile.mkdtemp(prefix="khabar-bench-ls-")),
            username="bench@khabar.local",
            password="bench-password",
            token=token,
        )
        url = server.url
        print(f"started Label Studio {url} in {time.perf_counter() - t:.1f} s (first start migrates; not counted)")
    try:
        client = StudioClient(url, token, timeout=300)
        client.check()
        stamp = time.strftime("%H%M%S")
        bare, _ = client.setup_project(f"bench-bare-{stamp}")
        full, _ = client.setup_project(f"bench-full-{stamp}")

        t = time.perf_counter()
        client.push(bare, articles, batch_size=args.batch_size, progress=False)
        t_bare = time.perf_counter() - t
        t = time.perf_counter()
        report = client.push(
            full,
            articles,
            predictions=predictions,
            model_version="silver-regex",
            batch_size=args.batch_size,
            progress=False,
        )
        t_push = time.perf_counter() - t
        assert report.created == len(articles), report.summary()
        t = time.perf_counter()
        again = client.push(
            full,
            articles,
            predictions=predictions,
            model_version="silver-regex",
            batch_size=args.batch_size,
            progress=False,
        )
        t_again = time.perf_counter() - t
        assert again.created == 0 and again.predictions_added == 0, again.summary()

        # Pull set-up (untimed in the targets): a third project where every task has an annotation
        # (article-level stance) and the prediction, imported in batches straight through the SDK.
        annotated, _ = client.setup_project(f"bench-annotated-{stamp}")
        result = [
            {
                "id": "st-article",
                "from_name": "article_stance",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": ["neutral"]},
            },
            {
                "id": "st-article-target",
                "from_name": "article_stance_target",
                "to_name": "text",
                "type": "textarea",
                "value": {"text": ["الخبر"]},
            },
        ]
        rows = [
            {
                "data": article_to_task(a),
                "annotations": [{"result": result, "lead_time": 10.0}],
                "predictions": [{"model_version": "silver-regex", "result": article_to_result(predictions[a.doc_id])}],
            }
            for a in articles
        ]
        t = time.perf_counter()
        for start in range(0, len(rows), args.batch_size):
            client.sdk.projects.import_tasks(annotated, request=rows[start : start + args.batch_size])
        t_annotate = time.perf_counter() - t

        t = time.perf_counter()
        tasks = client.export_snapshot(annotated)
        t_export = time.perf_counter() - t
        t = time.perf_counter()
        converted = export_to_articles(tasks, source="bench.json", include_predictions=True)
        t_convert = time.perf_counter() - t
        t = time.perf_counter()
        json.loads(json.dumps(tasks, ensure_ascii=False))
        t_json = time.perf_counter() - t
        assert len(converted.articles) == len(articles) and len(converted.predictions) == len(articles), (
            converted.summary()
        )
        assert not converted.problems, converted.problems[:3]
    finally:
        if server is not None:
            server.stop()

    n = len(articles)
    t_pull = t_export + t_convert
    print(f"\n{n} articles, batch {args.batch_size}")
    print(f"push bare (reference)        {t_bare:7.1f} s  {n / t_bare:8.0f} tasks/s")
    print(
        f"push + prediction each       {t_push:7.1f} s  {n / t_push:8.0f} tasks/s  "
        f"({t_push / t_bare:.1f}× the bare push)"
        f"  target ≤ 60 s: {'OK' if t_push <= 60 else 'MISSED'}"
    )
    print(f"push again (idempotent)      {t_again:7.1f} s  (created 0)")
    print(f"import with annotation+prediction (pull set-up) {t_annotate:5.1f} s")
    print(f"pull: snapshot export        {t_export:7.1f} s")
    print(
        f"pull: convert to Article     {t_convert:7.1f} s  ({t_convert / t_json:.1f}× a json dumps+loads of the export)"
    )
    print(f"pull total                   {t_pull:7.1f} s  target ≤ 30 s: {'OK' if t_pull <= 30 else 'MISSED'}")
    print(
        f"converted {len(converted.articles)} annotation(s) + {len(converted.predictions)} prediction(s), "
        f"{len(converted.problems)} problem(s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
