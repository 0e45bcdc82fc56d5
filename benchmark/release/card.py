"""The generated dataset card (``README.md``) of a built release.

YAML header as the Hub reads it — ``configs`` (data files per split, so that
``datasets.load_dataset(folder_or_repo, config)`` finds them), ``dataset_info`` (features and
split sizes), ``license``, ``language: ar``, ``task_categories`` — then the counts per split,
label distributions (not for the hidden split), agreement figures when given, licences,
citations, the guidelines version, how to load, and how to submit and evaluate.

Everything comes from the release record that :func:`benchmark.release.build.build_release`
writes to ``khabar_release.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["card_yaml", "render_card"]

_TASK_CATEGORIES = {
    "ner": ("token-classification", "named-entity-recognition"),
    "quotes": ("token-classification", None),
    "stance": ("text-classification", None),
}
_HF_LICENSES = {
    "apache-2.0",
    "mit",
    "cc-by-4.0",
    "cc-by-sa-4.0",
    "cc-by-nc-4.0",
    "cc-by-nc-sa-4.0",
    "cc-by-sa-3.0",
    "cc0-1.0",
    "odc-by",
    "other",
    "unknown",
}


def _license_ids(record: Mapping[str, Any]) -> list[str]:
    licenses = {source["license"] for source in record["sources"].values()}
    return sorted(licenses)


def card_yaml(record: Mapping[str, Any]) -> dict[str, Any]:
    """The YAML header of the card, as a dict."""
    from datasets import Features

    licenses = _license_ids(record)
    header: dict[str, Any] = {"pretty_name": record["name"], "language": ["ar"]}
    if len(licenses) == 1 and licenses[0] in _HF_LICENSES:
        header["license"] = licenses[0]
    else:
        header["license"] = "other"
        header["license_name"] = "mixed-per-config"
        header["license_details"] = "; ".join(
            f"{name}: {source['license']}" for name, source in record["sources"].items()
        )
    kinds = {config["kind"] for config in record["configs"].values()}
    categories = sorted({_TASK_CATEGORIES[k][0] for k in kinds if k in _TASK_CATEGORIES})
    header["task_categories"] = categories or ["token-classification", "text-classification"]
    task_ids = sorted({_TASK_CATEGORIES[k][1] for k in kinds if _TASK_CATEGORIES.get(k, (None, None))[1]})
    if task_ids:
        header["task_ids"] = task_ids
    header["tags"] = ["arabic", "news", "named-entity-recognition", "quote-attribution", "stance-detection"]
    header["configs"] = [
        {
            "config_name": name,
            "data_files": [{"split": split, "path": f"data/{name}/{split}-*"} for split in config["rows"]],
            **({"default": True} if name == "articles" else {}),
        }
        for name, config in record["configs"].items()
    ]
    header["dataset_info"] = [
        {
            "config_name": name,
            "features": Features.from_dict(config["features"])._to_yaml_list(),
            "splits": [
                {"name": split, "num_bytes": config["num_bytes"][split], "num_examples": n}
                for split, n in config["rows"].items()
            ],
        }
        for name, config in record["configs"].items()
    ]
    return header


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _numeric_leaves(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(data, Mapping):
        out = []
        for key, value in data.items():
            out += _numeric_leaves(value, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(data, bool) or not isinstance(data, int | float):
        return []
    return [(prefix, round(data, 4) if isinstance(data, float) else data)]


def render_card(record: Mapping[str, Any], visibility: str = "public") -> str:
    """The full ``README.md`` text for a release record."""
    import yaml

    hidden = record["hidden_split"]
    configs = record["configs"]
    parts = [
        "---",
        yaml.safe_dump(card_yaml(record), allow_unicode=True, sort_keys=False).rstrip(),
        "---",
        "",
    ]
    title = record["name"] + (" — PRIVATE GOLD (never publish)" if visibility == "private" else "")
    parts += [f"# {title}", ""]
    if visibility == "private":
        parts += [
            f"This folder holds the gold of the hidden `{hidden}` split. The leaderboard scores submissions "
            f"against it; the public release carries the same rows with every gold column null.",
            "",
        ]
    else:
        parts += [
            "Khabar (خبر) is an Arabic news understanding benchmark: named entities, quote attribution "
            "(who said what) and stance, annotated in Label Studio and released with fixed, leak-proof "
            "splits (near-duplicate articles never straddle splits).",
            "",
        ]
    parts += [
        f"- dataset revision: `{record['revision']}`",
        f"- Khabar package version: `{record['package_version']}`",
        f"- annotation guidelines: {_guidelines_line(record)}",
        f"- task versions: {', '.join(f'`{k}` {v}' for k, v in sorted(record['tasks'].items())) or '—'}",
        "",
    ]

    parts += ["## Configs and split sizes", ""]
    splits = sorted({s for c in configs.values() for s in c["rows"]})
    parts.append(
        _table(
            ["config", "source", "rows of", "task version", *splits],
            [
                [
                    f"`{name}`",
                    c["source"],
                    c["kind"],
                    c["task_version"] or "—",
                    *[c["rows"].get(s, 0) for s in splits],
                ]
                for name, c in configs.items()
            ],
        )
    )
    parts += ["", "Documents per split:", ""]
    doc_splits = sorted({s for d in record["documents"].values() for s in d["documents"]})
    parts += [
        _table(
            ["source", *doc_splits],
            [[name, *[d["documents"].get(s, 0) for s in doc_splits]] for name, d in record["documents"].items()],
        ),
        "",
    ]
    has_hidden = hidden in splits
    if visibility == "public" and has_hidden:
        parts += [
            f"In the `{hidden}` split every gold column is **null** (inputs only); the gold is kept "
            f"privately and read by the leaderboard. Gold columns per config: "
            + "; ".join(f"`{n}`: {', '.join(c['gold_columns'])}" for n, c in configs.items()),
            "",
        ]
    elif visibility == "public":
        parts += [
            f"This build has no hidden `{hidden}` split (splits: {', '.join(f'`{s}`' for s in splits) or '—'}): "
            "every row carries its gold.",
            "",
        ]

    parts += ["## Label distributions", ""]
    for name, documents in record["documents"].items():
        for split, layers in documents["labels"].items():
            rows = [
                [layer, ", ".join(f"{label} {count}" for label, count in counts.items())]
                for layer, counts in layers.items()
            ]
            if rows:
                parts += [f"**{name} / {split}**", "", _table(["layer", "counts"], rows), ""]
    if has_hidden:
        parts += [f"(No label counts are shown for the hidden `{hidden}` split.)", ""]
    if any("sources" in layers for d in record["documents"].values() for layers in d["labels"].values()):
        parts += [_SOURCE_NOTE, ""]

    agreement = record.get("agreement")
    if agreement:
        parts += ["## Inter-annotator agreement", ""]
        leaves = _numeric_leaves(agreement)
        parts += [
            _table(["figure", "value"], [[f"`{k}`", v] for k, v in leaves[:80]])
            if leaves
            else "```json\n" + json.dumps(agreement, ensure_ascii=False, indent=2)[:4000] + "\n```",
            "",
        ]

    parts += ["## Licences and citations", ""]
    for name, source in record["sources"].items():
        parts += [
            f"- **{name}** — licence: {source['license']}"
            + (f"; homepage: {source['homepage']}" if source.get("homepage") else "")
        ]
        if source.get("description"):
            parts += [f"  {source['description']}"]
        if source.get("citation"):
            parts += [f"  Citation: {source['citation']}"]
    parts += [""]
    guidelines = _guidelines_found(record)
    if guidelines:
        parts += [f"Guidelines versions found in the annotations: {', '.join(guidelines)}.", ""]

    example = next(iter(configs), "articles")
    parts += [
        "## How to load",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'data = load_dataset("<this folder or ORG/NAME on the Hub>", "{example}")',
        'print(data["train"][0])',
        "```",
        "",
        "Offsets are half-open `[start, end)` in Unicode code points on `text`, so "
        "`text[start:end]` is the surface; labels are `ClassLabel` ids "
        "(`data['train'].features` names them). `meta` (the `articles` config) is a JSON object "
        "stored as text, read with `json.loads(row['meta'])`.",
        "",
    ]
    labelled = [s for s in splits if s != hidden]
    scored = "validation" if "validation" in labelled else (labelled[0] if labelled else hidden)
    parts += [
        "## How to submit and evaluate",
        "",
        "A submission is JSONL, one line per document (per stance row for `stance`)"
        + (f", for the `{hidden}` split" if has_hidden else "") + ". Examples of one line:",
        "",
    ]
    for name, config in configs.items():
        if config.get("submission_example"):
            parts += [f"- `{name}`: `{json.dumps(config['submission_example'], ensure_ascii=False)}`"]
    if any(config["kind"] == "stance" for config in configs.values()):
        parts += ["", *_STANCE_NOTE]
    commands = []
    for name, config in configs.items():
        if config["kind"] not in _TASK_CATEGORIES:
            continue
        target = f"--task {config['kind']}" + (f" --config {name}" if name != config["kind"] else "")
        commands += [
            f"khabar validate-submission {target} preds.jsonl --dataset <this folder> --split {scored}",
            f"khabar evaluate {target} --submission preds.jsonl --dataset <this folder> "
            f"--split {scored} --out results/",
        ]
    parts += [
        "",
        f"Check and score a submission on a split whose labels you have (`{scored}`) with the Khabar "
        "harness (`pip install khabar`):",
        "",
        "```bash",
        *(commands or ["khabar evaluate --help"]),
        "```",
        "",
        (f"`{hidden}` predictions are scored by the leaderboard against the private gold with the same "
         "command. " if has_hidden else "")
        + f"Results are keyed by (task, task version, dataset revision `{record['revision'][:12]}…`) "
        "and come with bootstrap confidence intervals.",
        "",
    ]
    return "\n".join(parts)


_SOURCE_NOTE = (
    "`sources` counts the `SOURCE` mentions (guidelines 2.0 §5.7): an unnamed source that speaks a quote "
    "(`مصادر أمنية`, `شهود عيان`). They are not entity mentions: `entities` does not count them and the `ner` "
    "config does not carry them; the `articles` config lists them with the entities (label `SOURCE`, the last "
    "class) and the `quotes` config's `entities` carry them, so a `SOURCE` speaker's `speaker_cluster` is "
    "filled. `quote speakers` counts quotes by what the speaker is (an entity mention or a `SOURCE`), named at "
    "the quote or elided, and `none` (no speaker in the text)."
)

_STANCE_NOTE = (
    "`stance` rows: `target` and `holder_kind` (`article` or `quote`) are the inputs; where the gold is public "
    "the holder quote is given too (`holder`, `holder_start`, `holder_end`), but the hidden split says nothing "
    "of the quote (those are the `quotes` task's labels). A line for a quote-holder row therefore names the quote "
    'whose speaker holds the stance, `"quote": {"start": S, "end": E}`, and counts only when that quote is the '
    "gold holder quote (the quotes headline's matching: quotation marks and a leading complementizer trimmed) "
    "and the label is right; article-holder and quote-holder figures are reported apart.",
)


def _guidelines_line(record: Mapping[str, Any]) -> str:
    """The guidelines versions the annotations follow (from their provenance), and the version current at
    build time: a release of v1.x annotations built after the guidelines moved on must not claim the new one."""
    found = _guidelines_found(record)
    current = f"`{record['guidelines_version']}` current at build time"
    return f"{', '.join(f'`{v}`' for v in found)} in the annotations ({current})" if found else current


def _guidelines_found(record: Mapping[str, Any]) -> list[str]:
    """The guidelines versions recorded in the annotations' provenance, over every source, sorted."""
    return sorted({v for d in record["documents"].values() for v in d.get("guidelines_versions", {})})
