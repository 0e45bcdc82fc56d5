"""``khabar build``: articles + split manifest → a Hugging Face Hub-layout dataset folder (DESIGN §4).

Layout of the public folder (what ``khabar publish`` uploads)::

    README.md                                   generated dataset card (YAML configs + features)
    khabar_release.json                         revision, task versions, package version, counts
    splits.json                                 the split manifest of exactly the released documents
    data/<config>/<split>-00000-of-0000N.parquet

and of the private folder (``<out>-private/`` unless given; the leaderboard reads it): the same
layout holding only the hidden split (``test``) *with* gold. In the public folder every gold
column of the hidden split is null: the inputs are there, the labels are not.

Configs: ``articles`` (every layer, features declared in :mod:`benchmark.release.rows`) and one per
task (``ner``, ``quotes``, ``stance``: features and rows from the task registry). An imported
corpus builds into a config named after it, holding the rows of its task.

Everything streams: articles are read one at a time, rows are buffered per (config, split) and
written as parquet row groups, shards roll over at ``shard_bytes`` (:mod:`benchmark.release.writers`);
only the doc_ids and counters are kept in memory. With ``workers > 1`` the configs are shared between
processes (:mod:`benchmark.release.workers`).

>>> import tempfile, pathlib
>>> from benchmark.model import Article, Mention
>>> out = pathlib.Path(tempfile.mkdtemp()) / "khabar"
>>> arts = [Article(doc_id=f"d{i}", text=f"زار بوتين روسيا {i}", entities=(Mention("m1", 4, 9, "PER"),))
...         for i in range(6)]
>>> manifest = Manifest(ratios={"train": 0.5, "test": 0.5}, documents={
...     a.doc_id: Assignment("train" if i % 2 else "test", a.doc_id, "hash") for i, a in enumerate(arts)})
>>> sources = [ReleaseSource("khabar", arts, kinds=("articles",))]
>>> result = build_release(sources, manifest, out, progress=False)
>>> result.rows["articles"]
{'test': 3, 'train': 3}
>>> sorted(p.name for p in (out / "data" / "articles").iterdir())
['test-00000-of-00001.parquet', 'train-00000-of-00001.parquet']
"""

from __future__ import annotations

import functools
import gc
import json
import multiprocessing
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.model import Article
from benchmark.release.encode import compile_encoder
from benchmark.release.errors import BuildError
from benchmark.release.revision import dataset_revision, manifest_sha256
from benchmark.release.rows import ArticleRows
from benchmark.release.splits import Assignment, Manifest, official_split
from benchmark.release.workers import Workers, build_in_worker, process_groups
from benchmark.release.writers import Writers
from benchmark.schema import GUIDELINES_VERSION, KHABAR, LabelSchema
from benchmark.stats import speaker_key

__all__ = [
    "KHABAR_KINDS",
    "PRIVATE_MARKER",
    "RELEASE_FILE",
    "BuildError",
    "BuildResult",
    "ConfigPlan",
    "ReleaseSource",
    "build_release",
    "plan_config",
]

KHABAR_KINDS: tuple[str, ...] = ("articles", "ner", "quotes", "stance")
RELEASE_FILE = "khabar_release.json"
PRIVATE_MARKER = "KHABAR_PRIVATE_GOLD"
"""A file present only in private folders; ``khabar publish`` refuses any folder holding it."""
DEFAULT_LICENSE = "cc-by-4.0"
# --------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class ConfigPlan:
    """How one config is built: its features, which columns are gold, Article → encoded gold rows,
    and Article → encoded inputs-only rows (the public hidden split: gold columns null). The
    inputs-only rows are made from the article's inputs, never from its gold rows: a gold row may
    hold labels of another config (``public``, ``public_table``)."""

    name: str
    kind: str
    source: str
    schema: LabelSchema
    features: Any
    gold_columns: tuple[str, ...]
    rows: Callable[[Article], list[dict[str, Any]]]
    public: Callable[[Article], list[dict[str, Any]]]
    version: str | None = None
    submission_example: Mapping[str, Any] | None = None
    table: Callable[[list[Article]], Any] | None = None
    """Optional vectorised ``rows`` for a batch of articles: one ``pyarrow.Table`` of encoded gold
    rows, equal to ``rows`` row for row (the task's ``arrow_rows``); the build prefers it."""
    reads: frozenset[str] | None = None
    """The :class:`Article` fields ``rows``/``table`` read (``None``: all); a worker process is
    sent only these (the task's ``article_fields``)."""
    public_table: Callable[[list[Article]], Any] | None = None
    """Optional vectorised ``public`` for a batch of articles (configs with ``table``)."""

    def hide_table(self, table: Any) -> Any:
        """``table`` with every gold column null."""
        return _null_columns(self.gold_columns, table)


def _null_columns(columns: Sequence[str], table: Any) -> Any:
    """``table`` with ``columns`` null."""
    import pyarrow as pa

    for column in columns:
        index = table.schema.get_field_index(column)
        table = table.set_column(index, table.schema.field(index), pa.nulls(table.num_rows,
                                                                           table.schema.field(index).type))
    return table


def _get_task(name: str) -> Any:
    try:
        import benchmark.tasks as registry
    except ImportError as error:  # pragma: no cover - only while the registry is being written
        raise BuildError(f"config {name!r} needs the task registry (benchmark.tasks): {error}") from None
    getter = getattr(registry, "get_task", None)
    if getter is not None:
        return getter(name)
    tasks = getattr(registry, "TASKS", None) or getattr(registry, "REGISTRY", None) or {}
    if name not in tasks:
        raise BuildError(f"no task named {name!r} in the registry; known: {sorted(tasks)}")
    return tasks[name]


def plan_config(name: str, kind: str, source: str, schema: LabelSchema) -> ConfigPlan:
    """The plan of config ``name`` holding ``kind`` rows (``"articles"`` or a task name)."""
    if kind == "articles":
        layout = ArticleRows(schema)
        hide = functools.partial(_null_columns, layout.gold_columns)
        return ConfigPlan(
            name,
            kind,
            source,
            schema,
            layout.features(),
            layout.gold_columns,
            lambda article: [layout.row(article)],
            lambda article: [layout.input_row(layout.row(article))],
            table=layout.table,
            public_table=lambda articles: hide(layout.table(articles)),
        )

    task = _get_task(kind)
    features = task.features(schema)
    input_features = task.input_features(schema)
    gold = tuple(column for column in features if column not in input_features)
    encode = compile_encoder(features)

    def task_rows(article: Article) -> list[dict[str, Any]]:
        return [encode(row) for row in task.article_rows(article, schema)]

    def public_rows(article: Article) -> list[dict[str, Any]]:
        # from the inputs alone; the encoder leaves the gold columns (absent here) null
        return [encode(row) for row in task.public_rows(article, schema)]

    example = getattr(task, "submission_example", None)
    arrow_rows = getattr(task, "arrow_rows", None)

    def public_table(articles: list[Article]) -> Any:
        if task.input_rows is None and arrow_rows is not None:  # the rows of the bare text, gold nulled
            return _null_columns(gold, arrow_rows([article.only(()) for article in articles], schema))
        import pyarrow as pa

        return pa.Table.from_pylist([row for article in articles for row in public_rows(article)],
                                    schema=features.arrow_schema)
    return ConfigPlan(
        name,
        kind,
        source,
        schema,
        features,
        gold,
        task_rows,
        public_rows,
        getattr(task, "version", None),
        dict(example) if example else None,
        None if arrow_rows is None else (lambda articles: arrow_rows(articles, schema)),
        getattr(task, "article_fields", None),
        public_table,
    )


@dataclass
class ReleaseSource:
    """One body of articles to release: Khabar's own (``name="khabar"``, configs ``articles``,
    ``ner``, ``quotes``, ``stance``) or an imported corpus (one config named after it)."""

    name: str
    articles: Iterable[Article]
    schema: LabelSchema = KHABAR
    kinds: Sequence[str] = KHABAR_KINDS
    license: str = DEFAULT_LICENSE
    citation: str = ""
    description: str = ""
    homepage: str = ""
    total: int | None = None

    def config_names(self) -> dict[str, str]:
        """kind → config name."""
        if self.name == "khabar":
            return {kind: kind for kind in self.kinds}
        if len(self.kinds) == 1:
            return {self.kinds[0]: self.name}
        return {kind: f"{self.name}_{kind}" for kind in self.kinds}


# --------------------------------------------------------------------------- writing


@dataclass
class _Stats:
    """Per-split counts of one source's articles (labels only outside the hidden split)."""

    source_labels: frozenset[str] = frozenset()
    documents: Counter = field(default_factory=Counter)
    labels: dict[str, dict[str, Counter]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    guidelines: Counter = field(default_factory=Counter)

    def add(self, article: Article, split: str) -> None:
        """Count ``article``'s labels: entity mentions and source mentions (``SOURCE``, guidelines
        2.0 §5.7) apart, quotes by kind and by speaker (:data:`benchmark.stats.SPEAKER_KEYS`)."""
        self.documents[split] += 1
        layer = self.labels[split]
        sources = self.source_labels
        if article.entities:  # (empty layers stay out of the counts)
            entities = layer["entities"]
            entities.update(m.label for m in article.entities)
            for label in sources:
                if label in entities:
                    layer["sources"][label] += entities.pop(label)
        if article.quotes:
            layer["quotes"].update(q.kind for q in article.quotes)
            layer["quote speakers"].update(speaker_key(article, q, sources) for q in article.quotes)
        if article.stances:
            layer["stances"].update(s.label for s in article.stances)
        if article.provenance.guidelines_version:
            self.guidelines[article.provenance.guidelines_version] += 1

    def to_dict(self, hidden_split: str) -> dict[str, Any]:
        return {
            "documents": dict(sorted(self.documents.items())),
            "labels": {
                split: {layer: dict(sorted(c.items())) for layer, c in layers.items() if c}
                for split, layers in sorted(self.labels.items())
                if split != hidden_split
            },
            "guidelines_versions": dict(sorted(self.guidelines.items())),
        }


@dataclass
class BuildResult:
    """What was built: folders, revision, rows per config and split, the release record."""

    public: Path
    private: Path
    revision: str
    rows: dict[str, dict[str, int]]
    release: dict[str, Any]


def _split_of(article: Article, manifest: Manifest) -> tuple[str | None, Assignment | None]:
    assignment = manifest.documents.get(article.doc_id)
    if assignment is not None:
        return assignment.split, assignment
    split = official_split(article)
    if split is not None:
        return split, Assignment(split, article.doc_id, "official", None)
    return None, None


def _prepare(folder: Path, overwrite: bool) -> Path:
    if folder.exists():
        if not overwrite:
            raise BuildError(f"{folder} exists; pass --overwrite to replace it, or choose another --out")
        if not (folder / RELEASE_FILE).exists() and any(folder.iterdir()):
            raise BuildError(
                f"{folder} exists and is not a Khabar release folder (no {RELEASE_FILE}); "
                f"refusing to delete it: choose another --out"
            )
    staging = folder.with_name(folder.name + ".building")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def _few_collections(function: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``function`` with the cyclic garbage collector set for a streaming batch job: objects
    that exist before it starts (imported modules, the manifest) are frozen out of collections,
    and young objects are collected every 50,000 allocations instead of 700. A build makes
    millions of short-lived dicts and records that hold no cycles; the default passes cost it
    6-8% of its CPU time (docs/perf-build.md). Memory stays bounded: the collector still runs."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        threshold = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)
        try:
            return function(*args, **kwargs)
        finally:
            gc.set_threshold(*threshold)
            gc.unfreeze()

    return wrapper


@_few_collections
def build_release(
    sources: Sequence[ReleaseSource],
    manifest: Manifest | None,
    out: str | Path,
    private: str | Path | None = None,
    *,
    hidden_split: str = "test",
    agreement: Mapping[str, Any] | None = None,
    pretty_name: str = "Khabar",
    overwrite: bool = False,
    batch_rows: int = 1000,
    shard_bytes: int = 256 * 2**20,
    workers: int = 1,
    progress: bool = True,
) -> BuildResult:
    """Build the public folder ``out`` and the private gold folder (``<out>-private`` by default).

    Every article must have a split: in ``manifest`` or, for corpora with an official split,
    in ``meta["split"]``. Unassigned articles stop the build (all of them are listed) and nothing
    is left behind; a finished build replaces ``out`` only at the end (``overwrite=True``).
    ``workers > 1`` shares the configs between that many processes (forked, by measured costs:
    with two, ``ner`` and ``quotes`` go to the child; see ``workers.process_groups``): this process
    reads, converts and validates every article once and sends it to the children, which make and
    write their configs' rows. The output is the same, byte for byte.
    """
    from tqdm.auto import tqdm

    from benchmark import __version__
    from benchmark.release.card import render_card

    public = Path(out)
    private_dir = Path(private) if private is not None else public.with_name(public.name + "-private")
    if private_dir.resolve() == public.resolve():
        raise BuildError("the private gold folder must differ from the public folder")
    manifest = manifest or Manifest()

    plans: list[ConfigPlan] = []
    source_plans: dict[str, list[ConfigPlan]] = {}
    for source in sources:
        source_plans[source.name] = []
        for kind, config in source.config_names().items():
            try:
                source_plans[source.name].append(plan_config(config, kind, source.name, source.schema))
            except (ValueError, KeyError) as error:
                raise BuildError(
                    f"{source.name}: config {config!r} ({kind} rows) cannot be built with the "
                    f"{source.schema.name} label schema: {error}"
                ) from error
        plans.extend(source_plans[source.name])
    names = [plan.name for plan in plans]
    if len(set(names)) != len(names):
        raise BuildError(f"two sources build the same config name: {sorted(n for n in names if names.count(n) > 1)}")
    stage_public, stage_private = _prepare(public, overwrite), _prepare(private_dir, overwrite)

    writers = Writers(stage_public, stage_private, hidden_split, batch_rows, shard_bytes)
    groups = process_groups(plans, workers)
    if len(groups) > 1 and "fork" not in multiprocessing.get_all_start_methods():
        groups = [set(names)]  # pragma: no cover - Windows: no fork

    children = Workers()

    released: dict[str, Assignment] = {}
    unassigned: list[str] = []
    stats = {source.name: _Stats(frozenset(source.schema.source_labels)) for source in sources}

    read: Counter = Counter()

    def assigned(source: ReleaseSource) -> Iterator[tuple[Article, str]]:
        for number, article in enumerate(tqdm(
            source.articles, desc=f"building {source.name}", unit="doc", total=source.total, disable=not progress
        )):
            if number % 1000 == 999:
                children.check()
            read[source.name] += 1
            split, assignment = _split_of(article, manifest)
            if article.doc_id in released:
                raise BuildError(
                    f"{article.doc_id}: doc_id appears twice in the inputs; every released "
                    f"article needs a unique doc_id"
                )
            if split is None or assignment is None:
                unassigned.append(article.doc_id)
                continue
            released[article.doc_id] = assignment
            stats[source.name].add(article, split)
            yield article, split

    try:
        for group in groups[1:]:
            children.start(build_in_worker, group,
                           {name: [p for p in here if p.name in group] for name, here in source_plans.items()},
                           Writers(stage_public, stage_private, hidden_split, batch_rows, shard_bytes))
        for source in sources:
            plans_here = [p for p in source_plans[source.name] if p.name in groups[0]]
            for article, split in assigned(source):
                writers.add(article, split, plans_here)
                children.feed(source.name, article, split)
        children.close_feeds()
        empty = [source for source in sources if not read[source.name]]
        if empty:
            raise BuildError("; ".join(
                f"{source.name}: the input holds no articles ({getattr(source.articles, 'description', 'no items')})"
                for source in empty) + ": nothing to release from it (fix: pass inputs with articles; `khabar "
                "validate FILE` says why a file gives none)")
        if unassigned:
            shown = ", ".join(unassigned[:20]) + (" …" if len(unassigned) > 20 else "")
            raise BuildError(
                f"{len(unassigned)} article(s) have no split ({shown}): run `khabar split` on the "
                f"articles to add them to the manifest (existing assignments never move)"
            )
        outputs = {**writers.close(), **children.results(tqdm.write if progress else None)}
        files: dict[str, dict[str, list[Path]]] = {"public": defaultdict(list), "private": defaultdict(list)}
        rows: dict[str, dict[str, int]] = defaultdict(dict)
        private_rows: dict[str, dict[str, int]] = defaultdict(dict)
        sizes: dict[str, dict[str, dict[str, int]]] = {
            "public": defaultdict(dict),
            "private": defaultdict(dict),
        }
        digests: dict[Path, str] = {}
        for (visibility, config, split), (paths, row_count, num_bytes, hashes) in sorted(outputs.items()):
            digests.update(zip(paths, hashes, strict=True))
            if paths:
                files[visibility][config].extend(paths)
                (rows if visibility == "public" else private_rows)[config][split] = row_count
                sizes[visibility][config][split] = num_bytes
    except BaseException:
        children.stop()
        writers.abort()
        shutil.rmtree(stage_public, ignore_errors=True)
        shutil.rmtree(stage_private, ignore_errors=True)
        raise

    try:
        released_manifest = Manifest(
            ratios=dict(manifest.ratios),
            salt=manifest.salt,
            dedup=manifest.dedup,
            documents=dict(sorted(released.items())),
        )
        manifest_text = released_manifest.to_json()
        (stage_public / "splits.json").write_text(manifest_text, encoding="utf-8")
        public_hashes = {
            str(p.relative_to(stage_public)): digests[p]
            for config in sorted(files["public"])
            for p in files["public"][config]
        }
        private_hashes = {
            str(p.relative_to(stage_private)): digests[p]
            for config in sorted(files["private"])
            for p in files["private"][config]
        }
        manifest_digest = manifest_sha256(manifest_text)
        revision, gold_digest = dataset_revision(manifest_digest, public_hashes, private_hashes)

        configs: dict[str, Any] = {}
        for source in sources:
            for plan in source_plans[source.name]:
                if plan.name not in rows:
                    continue
                configs[plan.name] = {
                    "kind": plan.kind,
                    "source": source.name,
                    "schema": plan.schema.name,
                    "task_version": plan.version,
                    "gold_columns": list(plan.gold_columns),
                    "features": plan.features.to_dict(),
                    "rows": dict(sorted(rows[plan.name].items())),
                    "submission_example": plan.submission_example,
                    "num_bytes": dict(sorted(sizes["public"][plan.name].items())),
                    "private_rows": dict(sorted(private_rows.get(plan.name, {}).items())),
                    "private_num_bytes": dict(sorted(sizes["private"].get(plan.name, {}).items())),
                    "files": sorted(str(p.relative_to(stage_public)) for p in files["public"][plan.name]),
                }
        release: dict[str, Any] = {
            "name": pretty_name,
            "revision": revision,
            "package_version": __version__,
            "guidelines_version": GUIDELINES_VERSION,
            "hidden_split": hidden_split,
            "manifest_sha256": manifest_digest,
            "gold_sha256": gold_digest,
            "tasks": {p.kind: p.version for p in plans if p.version is not None and p.name in configs},
            "documents": {name: s.to_dict(hidden_split) for name, s in stats.items()},
            "configs": configs,
            "sources": {
                s.name: {
                    "license": s.license,
                    "citation": s.citation,
                    "description": s.description,
                    "homepage": s.homepage,
                    "schema": s.schema.name,
                }
                for s in sources
            },
            "files": public_hashes,
        }
        skipped = sorted({p.name for p in plans} - set(configs))
        if skipped:
            release["empty_configs"] = skipped
        if agreement is not None:
            release["agreement"] = agreement

        # the sizes of the private gold grow with the number of hidden items: they stay private
        public_release = {**release, "visibility": "public", "configs": {
            name: {k: v for k, v in c.items() if not k.startswith("private_")} for name, c in configs.items()}}
        _write_json(stage_public / RELEASE_FILE, public_release)
        (stage_public / "README.md").write_text(render_card(public_release, visibility="public"), encoding="utf-8")
        private_release = {
            **release,
            "visibility": "private",
            "files": private_hashes,
            "configs": {
                name: {
                    **c,
                    "rows": c["private_rows"],
                    "num_bytes": c["private_num_bytes"],
                    "files": sorted(str(p.relative_to(stage_private)) for p in files["private"].get(name, [])),
                }
                for name, c in configs.items()
                if files["private"].get(name)
            },
        }
        _write_json(stage_private / RELEASE_FILE, private_release)
        (stage_private / PRIVATE_MARKER).write_text(
            f"Private gold of the hidden '{hidden_split}' split of {pretty_name} revision {revision}.\n"
            f"Read by the leaderboard; never publish this folder.\n",
            encoding="utf-8",
        )
        (stage_private / "README.md").write_text(render_card(private_release, visibility="private"), encoding="utf-8")

    except BaseException:
        shutil.rmtree(stage_public, ignore_errors=True)
        shutil.rmtree(stage_private, ignore_errors=True)
        raise

    for staging, final in ((stage_public, public), (stage_private, private_dir)):
        if final.exists():
            shutil.rmtree(final)
        staging.replace(final)
    return BuildResult(public, private_dir, revision, {k: dict(sorted(v.items())) for k, v in rows.items()}, release)


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
