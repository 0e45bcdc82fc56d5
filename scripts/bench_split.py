"""Benchmark ``khabar split`` on near-duplicate-heavy input (issue #17).

Usage::

    python scripts/bench_split.py ../shared/data/saudinewsnet --articles 100000 --dup-rate 0.9 \\
        --workdir work/khabar-bench-split --reference-sizes 3000 6000 12000

1. Writes (once per size, rate and seed) a Label Studio JSON export of ``--articles`` tasks whose
   texts are real SaudiNewsNet articles (read through :mod:`benchmark.importers`), where a
   fraction ``--dup-rate`` of the tasks are *lightly edited copies*: of an earlier original
   (popular stories are copied far more often: a few clusters hold thousands of copies) or of an
   earlier copy (chains ``A ~ B ~ C`` whose ends may not be similar). An edit is a few word
   replacements, deletions or insertions, sometimes a dateline prefix or an agency suffix; one
   copy in ten is edited heavily (about 10 % of its words), which puts it near the threshold.
2. Runs ``python -m benchmark split EXPORT --manifest NEW.json --no-progress`` in a child
   process: wall time (interpreter start and imports included) and peak RSS (``os.wait4``, the
   kernel's ``ru_maxrss`` of that child), against the targets: ≤ 60 s and ≤ 3× the export's
   size on disk.
3. For each of ``--reference-sizes`` (sizes where the pairwise algorithm of Khabar ≤ 0.1 still
   finishes), runs in one child the first N tasks of the same export through both
   :func:`benchmark.release.dedup.reference_clusters` (pairwise: every text against its whole
   LSH buckets) and :class:`benchmark.release.dedup.NearDuplicateClusters`, prints both times,
   their ratio, and whether the clusters are identical (the command exits 1 when they are not).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILLERS = ("وأضاف", "كما", "المصدر", "اليوم", "أمس", "العام", "الجديد", "الرياض", "جدة", "الدمام")
DATELINES = ("الرياض - واس - ", "جدة: ", "الدمام - ", "مكة المكرمة - ")
SUFFIXES = (" (واس)", " - المصدر: وكالات", " .. انتهى")


def _originals(snn: Path):
    """SaudiNewsNet texts (``benchmark.importers``), each distinct text once."""
    from benchmark.importers import get_importer

    seen: set[str] = set()
    for article in get_importer("saudinewsnet").load(snn):
        if article.text not in seen:
            seen.add(article.text)
            yield article


def light_edit(text: str, rng: random.Random) -> str:
    """A copy of ``text`` with a few word edits (one copy in ten: about 10 % of the words)."""
    words = text.split()
    edits = max(1, len(words) // 10) if rng.random() < 0.1 else rng.randint(1, 4)
    for _ in range(edits):
        if not words:
            break
        at, what = rng.randrange(len(words)), rng.random()
        if what < 0.4:
            words[at] = rng.choice(FILLERS)
        elif what < 0.7:
            del words[at]
        else:
            words.insert(at, rng.choice(FILLERS))
    edited = " ".join(words) or text  # never an empty task (a short text can lose all its words)
    if rng.random() < 0.2:
        edited = rng.choice(DATELINES) + edited
    if rng.random() < 0.2:
        edited += rng.choice(SUFFIXES)
    return edited


def make_export(snn: Path, count: int, dup_rate: float, skew: float, seed: int, workdir: Path) -> Path:
    """Write (once) the Label Studio export of ``count`` tasks; return its path. A copy's
    original is ``pool[int(len(pool) * u ** skew)]`` (``u`` uniform in [0, 1)): the larger
    ``skew``, the more copies go to the first stories."""
    export = workdir / f"split-{count}-{dup_rate}-{skew}-{seed}.json"
    if export.exists():
        return export
    workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    originals = _originals(snn)
    pool: list[str] = []
    copies: list[str] = []
    tmp = export.with_name(export.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        for number in range(count):
            article = None if pool and rng.random() < dup_rate else next(originals, None)
            if article is not None:
                text, source = article.text, article.source
                pool.append(text)
            elif copies and rng.random() < 0.3:
                text, source = light_edit(rng.choice(copies), rng), "copy-of-copy"
                copies.append(text)
            else:
                text, source = light_edit(pool[int(len(pool) * rng.random() ** skew)], rng), "copy"
                copies.append(text)
            task = {"id": number + 1, "data": {"doc_id": f"bench/{number:06d}", "text": text, "source": source}}
            handle.write(("," if number else "") + json.dumps(task, ensure_ascii=False) + "\n")
        handle.write("]\n")
    tmp.replace(export)
    return export


# --------------------------------------------------------------------------- children


def child_compare(export: Path, size: str) -> None:
    """Cluster the first ``size`` tasks pairwise and with the bucket algorithm; print a JSON line."""
    import itertools

    from benchmark.release.dedup import NearDuplicateClusters, normalise_for_matching, reference_clusters
    from benchmark.release.sources import SourceSpec, read_source

    articles = list(itertools.islice(read_source(SourceSpec("studio", export), texts_only=True), int(size)))
    # the bucket algorithm first: the normalisation caches it fills would otherwise favour it
    start = time.process_time()
    clusters = NearDuplicateClusters()
    for article in articles:
        clusters.add(article.doc_id, normalise_for_matching(article.text))
    found = clusters.clusters()
    new_s = time.process_time() - start
    start = time.process_time()
    reference = reference_clusters((a.doc_id, a.text, None) for a in articles)
    reference_s = time.process_time() - start
    print(json.dumps({
        "size": len(articles), "reference_s": reference_s, "new_s": new_s, "same": reference == found,
        "clusters": len(found), "largest": max(len(c.members) for c in found), "comparisons": clusters.comparisons,
    }))


def measure(command: list[str]) -> tuple[float, float, int, str]:
    """Run ``command``; return (wall seconds, CPU seconds, peak RSS bytes, stdout) of that child."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: conflicts reported (none expected here)
        raise SystemExit(f"{' '.join(command)} failed with exit code {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("snn", nargs="?", help="SaudiNewsNet folder (../shared/data/saudinewsnet)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--dup-rate", type=float, default=0.9, help="fraction of tasks that are edited copies")
    parser.add_argument("--skew", type=float, default=8.0,
                        help="popularity skew of the copied stories (8: about 40%% of the copies go to the first 10)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "khabar-bench-split"))
    parser.add_argument("--reference-sizes", type=int, nargs="*", default=[3000, 6000, 12000])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_compare(*args.child)
        return 0
    if not args.snn:
        parser.error("give the SaudiNewsNet folder")
    workdir = Path(args.workdir)
    export = make_export(Path(args.snn), args.articles, args.dup_rate, args.skew, args.seed, workdir)
    size = export.stat().st_size
    print(f"input: {export} ({args.articles:,} tasks, dup rate {args.dup_rate}, {size / 2**20:.1f} MiB)")
    ok = True
    for count in args.reference_sizes:
        _, _, _, out = measure([sys.executable, __file__, "--child", str(export), str(count)])
        row = json.loads(out.strip().splitlines()[-1])
        ok &= row["same"]
        print(
            f"first {row['size']:>7,}: CPU pairwise {row['reference_s']:7.1f} s, buckets {row['new_s']:6.1f} s "
            f"({row['reference_s'] / row['new_s']:5.1f}x faster), clusters identical: {row['same']} "
            f"({row['clusters']:,} clusters, largest {row['largest']:,}, {row['comparisons']:,} comparisons)"
        )
    manifest = workdir / "manifest-new.json"
    manifest.unlink(missing_ok=True)
    command = [sys.executable, "-m", "benchmark", "split", str(export), "--manifest", str(manifest)]
    elapsed, cpu, peak, out = measure([*command, "--no-progress"])
    print(f"khabar split, {args.articles:,} tasks: {elapsed:.1f} s wall, {cpu:.1f} s CPU (target <= 60 s), "
          f"peak RSS {peak / 2**20:.0f} MiB = {peak / size:.2f}x the input (target <= 3x); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n  {out.strip().splitlines()[0]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
