"""Benchmark ``khabar build`` against plain ``json.load`` + ``pyarrow.parquet.write_table``.

Usage::

    python scripts/bench_build.py ../shared/data/saudinewsnet/dataset --articles 100000 \\
        --workdir work/khabar-bench [--with-split]

1. Writes a Label Studio JSON export of ``--articles`` tasks of real length (SaudiNewsNet texts,
   cycled with new doc_ids; each with one annotation holding three entity regions and an
   article-level stance choice) and a split manifest for them (hash assignment).
2. Runs, each in its own child process, the **reference** (``json.load`` of the export, then
   ``pyarrow.Table.from_pylist`` + ``pyarrow.parquet.write_table`` of the same task records) and
   the **build** (``build_release`` of the export: strict Label Studio conversion, validation,
   the ``articles``/``ner``/``quotes``/``stance`` configs, public inputs-only test split, private
   gold, revision and card). With ``--with-split`` it also times ``assign_splits`` (MinHash LSH).
   Each child starts with its output absent: a previous run's output is deleted before timing.
3. Peak memory is the child's peak resident set size, read with ``os.wait4`` (the kernel's
   ``ru_maxrss`` of exactly that child, in KiB on Linux); time is the wall time of the child,
   interpreter start and imports included for both.

Prints the figures and the ratios against the targets: build time ≤ 2× reference, build peak
RSS ≤ 3× the export's size on disk.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

LABELS = ("PER", "ORG", "LOC")


def _snn_records(folder: Path):
    for zip_path in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(zip_path) as archive:
            for member in sorted(n for n in archive.namelist() if n.endswith(".json")):
                for record in json.loads(archive.read(member)):
                    if (record.get("content") or "").strip():
                        yield record


def _task(number: int, record: dict) -> dict:
    import re

    text = record["content"]
    words = list(re.finditer(r"\w+", text))[:30:10]
    result = [
        {
            "id": f"e{i}",
            "from_name": "entity",
            "to_name": "text",
            "type": "labels",
            "value": {"start": m.start(), "end": m.end(), "text": m.group(), "labels": [LABELS[i % 3]]},
        }
        for i, m in enumerate(words)
    ]
    result.append(
        {
            "id": "st",
            "from_name": "article_stance",
            "to_name": "text",
            "type": "choices",
            "value": {"choices": [("favor", "against", "neutral")[number % 3]]},
        }
    )
    doc_id = f"saudinewsnet-bench/{number:06d}"
    return {
        "id": number + 1,
        "data": {
            "doc_id": doc_id,
            "text": text,
            "title": record.get("title") or None,
            "source": record.get("source"),
            "url": record.get("url"),
            "published": (record.get("date_extracted") or "2015-07-21")[:10],
            "variety": "msa",
            "target": "الاقتصاد السعودي",
            "meta": {"author": record.get("author")},
        },
        "annotations": [
            {
                "id": number + 1,
                "completed_by": 1 + number % 4,
                "result": result,
                "lead_time": 30.0 + number % 50,
                "was_cancelled": False,
            }
        ],
        "predictions": [],
    }


def make_inputs(snn: Path, count: int, workdir: Path) -> tuple[Path, Path]:
    """Write (once) the export and its split manifest into ``workdir``."""
    from benchmark.release.splits import DEFAULT_RATIOS, DEFAULT_SALT, Assignment, Manifest, hash_split

    export, manifest_path = workdir / f"export-{count}.json", workdir / f"manifest-{count}.json"
    if export.exists() and manifest_path.exists():
        return export, manifest_path
    workdir.mkdir(parents=True, exist_ok=True)
    documents = {}
    records = _snn_records(snn)
    pool: list[dict] = []
    with export.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        for number in range(count):
            if len(pool) < number + 1 and records is not None:
                record = next(records, None)
                if record is None:
                    records = None
                else:
                    pool.append(record)
            task = _task(number, pool[number % len(pool)])
            handle.write(("," if number else "") + json.dumps(task, ensure_ascii=False) + "\n")
            doc_id = task["data"]["doc_id"]
            documents[doc_id] = Assignment(hash_split(doc_id, DEFAULT_RATIOS, DEFAULT_SALT), doc_id, "hash")
        handle.write("]\n")
    Manifest(documents=documents).save(manifest_path)
    return export, manifest_path


# --------------------------------------------------------------------------- children


def child_reference(export: Path, out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    with export.open("r", encoding="utf-8") as handle:
        tasks = json.load(handle)
    pq.write_table(pa.Table.from_pylist(tasks), out)


def child_build(export: Path, manifest: Path, out: Path, configs: Path, workers: Path) -> None:
    import resource

    from benchmark.release.build import ReleaseSource, build_release
    from benchmark.release.sources import SourceSpec, read_source
    from benchmark.release.splits import Manifest

    articles = read_source(SourceSpec("studio", export))
    kinds = tuple(str(configs).split(","))
    build_release(
        [ReleaseSource("khabar", articles, kinds=kinds)],
        Manifest.load(manifest),
        out,
        overwrite=True,
        progress=False,
        workers=int(str(workers)),
    )
    own, forked = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    (out.parent / "build-cpu.json").write_text(json.dumps({
        "main": own.ru_utime + own.ru_stime, "workers": forked.ru_utime + forked.ru_stime}))


def child_split(export: Path) -> None:
    from benchmark.release.sources import SourceSpec, read_source
    from benchmark.release.splits import assign_splits

    assign_splits(read_source(SourceSpec("studio", export)), progress=False)


def _clear(*paths: Path) -> None:
    """Delete a previous run's output before timing the next (each child writes into nothing)."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def measure(args: list[str]) -> tuple[float, int, float]:
    """Run ``python bench_build.py --child …``; return (wall seconds, peak RSS bytes, CPU seconds)
    of that child (CPU: user + system, its waited-for descendants included)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--child", *args])
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"child {args[0]} failed with exit code {process.returncode}")
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("snn", nargs="?", help="SaudiNewsNet dataset folder (the *.zip day files)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "khabar-bench"))
    parser.add_argument(
        "--configs",
        nargs="+",
        default=["articles", "articles,ner,quotes,stance"],
        help="config sets to build, each timed separately (comma-separated kinds)",
    )
    parser.add_argument("--workers", type=int, default=1, help="build worker processes (default 1)")
    parser.add_argument("--with-split", action="store_true", help="also time assign_splits (MinHash LSH)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure reference and builds this many times, alternating; print the median ratio "
                        "(the reference's own wall time moves by ±20%% between runs on a shared machine)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *paths = args.child
        {"reference": child_reference, "build": child_build, "split": child_split}[kind](*map(Path, paths))
        return 0
    if not args.snn:
        parser.error("give the SaudiNewsNet dataset folder, e.g. ../shared/data/saudinewsnet/dataset")
    workdir = Path(args.workdir)
    export, manifest = make_inputs(Path(args.snn), args.articles, workdir)
    size = export.stat().st_size
    print(f"input: {args.articles} Label Studio tasks, export {size / 2**20:.1f} MiB ({export})")
    ratios: dict[str, list[float]] = {configs: [] for configs in args.configs}
    for repetition in range(1, args.repeat + 1):
        if args.repeat > 1:
            print(f"-- repetition {repetition} of {args.repeat}")
        _clear(workdir / "reference.parquet")
        ref_time, ref_rss, ref_cpu = measure(["reference", str(export), str(workdir / "reference.parquet")])
        print(f"reference json.load + write_table: {ref_time:7.1f} s  peak RSS {ref_rss / 2**20:7.0f} MiB  "
              f"CPU {ref_cpu:6.1f} s")
        for configs in args.configs:
            _clear(workdir / "release", workdir / "release-private")
            build_time, build_rss, _ = measure(
                ["build", str(export), str(manifest), str(workdir / "release"), configs, str(args.workers)]
            )
            cpu = json.loads((workdir / "build-cpu.json").read_text())
            time_ratio, memory_ratio = build_time / ref_time, build_rss / size
            ratios[configs].append(time_ratio)
            print(
                f"khabar build [{configs}] (public + private gold, {args.workers} worker(s)): {build_time:7.1f} s  "
                f"peak RSS {build_rss / 2**20:7.0f} MiB"
            )
            print(
                f"    time   build / reference  = {time_ratio:5.2f}  (target ≤ 2.0: "
                f"{'ok' if time_ratio <= 2 else 'MISSED'})"
            )
            print(
                f"    memory build peak / input = {memory_ratio:5.2f}  (target ≤ 3.0: "
                f"{'ok' if memory_ratio <= 3 else 'MISSED'}); reference peak / input = {ref_rss / size:.2f}"
            )
            busiest = max(cpu["main"], cpu["workers"])
            print(
                f"    CPU: main process {cpu['main']:.1f} s, other build processes {cpu['workers']:.1f} s (sum); "
                f"busiest / reference CPU = {busiest / ref_cpu:5.2f} (wall ratio expected on idle cores)"
            )
    if args.repeat > 1:
        for configs, values in ratios.items():
            print(f"median time ratio [{configs}] over {len(values)} repetitions: {statistics.median(values):.2f} "
                  f"(each: {', '.join(f'{v:.2f}' for v in values)})")
    if args.with_split:
        split_time, split_rss, _ = measure(["split", str(export)])
        print(f"khabar split (MinHash LSH, from scratch): {split_time:7.1f} s  peak RSS {split_rss / 2**20:7.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
