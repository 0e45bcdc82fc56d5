"""No public file of a release reveals a hidden test label of any config (issue #16, item 1).

Two checks on releases built from a synthetic corpus with every layer, both driven by what the
build made (every config of the release record: the task registry's configs and ``articles``),
so that a future config is checked without touching this file:

* **non-interference** (complete): the test documents' hidden labels are replaced by decoys
  (other entities, quotes, cues, speakers, stance labels and holders, other ids and counts; the
  same texts and the same stance questions: target and holder kind). Every public file must come
  out the same, except the digests of the private gold (``revision``, ``gold_sha256``). Whatever a
  public file holds is then a function of the inputs: it cannot reveal a label.
* **value scan** (readable): for every pair (public config C, hidden config D), no value in C's
  public files equals a hidden test value of D — a span (start/end pair), an id, a per-document
  count of hidden items — and no public file shows a test label distribution of D. The hidden
  values are canaries (ids no input contains, entity and cue spans that start or end inside a
  word, counts no input count equals), so a match can only be a leak.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from benchmark.model import Article, Mention, Provenance, Quote, Span, Stance
from benchmark.release.build import PRIVATE_MARKER, RELEASE_FILE, ReleaseSource, build_release
from benchmark.release.splits import Assignment, Manifest
from benchmark.schema import ARTICLE_HOLDER

from .conftest import story

HIDDEN = "test"
SPLITS = ["train"] * 6 + ["validation"] * 2 + [HIDDEN] * 3
ID_KEYS = {"id", "holder", "speaker", "cluster", "target_mention"}
LABEL_KEYS = {"label", "kind"}
PRIVATE_DIGESTS = ("revision", "gold_sha256")


def _text(seed: int) -> tuple[str, dict[str, tuple[int, int]]]:
    """A news text with three quotable passages, and where its pieces are."""
    parts = [
        ("cue1", "وقال"), (None, " "), ("speaker1", "الوزيرمحمد بن سلمان"), (None, ': "'),
        ("quote1", f"{story(seed, 8)} ستستمر"), (None, '". وأضاف '), ("speaker2", "خالدالعلي"), (None, ': "'),
        ("quote2", f"{story(seed + 50, 6)} انتهى"), (None, '". وأكدت '), ("org", "شركةأرامكو السعودية"),
        (None, " أن "), ("quote3", f"{story(seed + 90, 7)} قريبا"), (None, ". "), ("tail", story(seed + 7, 12)),
    ]
    text, where = "", {}
    for name, piece in parts:
        if name:
            where[name] = (len(text), len(text) + len(piece))
        text += piece
    return text, where


def _article(doc_id: str, seed: int, decoy: bool) -> Article:
    """Canary gold (``decoy=False``) or decoy gold of one article; same text, same stance questions
    (one article-holder stance on ``الاقتصاد``, two quote-holder stances on ``السياسة``)."""
    text, at = _text(seed)
    s1, e1 = at["speaker1"]
    s2 = at["speaker2"][0]
    so, eo = at["org"]
    c = f"canary{seed}"
    provenance = Provenance(annotator="ann", annotation_ids=("41", "42") if decoy else ("41",),
                            guidelines_version="1.1", lead_time=95.0 if decoy else 3.0, source="export.json")
    if not decoy:  # 5 entity mentions and a SOURCE (boundaries inside words), 4 quotes, 3 stances
        tail = at["tail"][0]
        q1, q2, q3 = at["quote1"], at["quote2"], at["quote3"]
        entities = (Mention(f"{c}-m1", s1 + 6, e1, "PER"), Mention(f"{c}-m2", s1, s1 + 6, "PER", f"{c}-m1"),
                    Mention(f"{c}-m3", s2, s2 + 4, "PER"), Mention(f"{c}-m4", so + 4, eo, "ORG"),
                    Mention(f"{c}-m5", tail + 2, tail + 5, "GPE"), Mention(f"{c}-s1", q1[0] + 1, q1[0] + 4, "SOURCE"))
        quotes = (Quote(f"{c}-q1", q1[0], q1[1], "direct", Span(at["cue1"][0], at["cue1"][1] - 1), f"{c}-m1"),
                  Quote(f"{c}-q2", q2[0] + 1, q2[1], "mixed", None, f"{c}-m3"),
                  Quote(f"{c}-q3", q3[0], q3[1] - 2, "indirect", Span(so - 6, so - 2), f"{c}-m4"),
                  Quote(f"{c}-q4", tail, tail + len(" ".join(text[tail:].split()[:2])), "direct", None,
                        f"{c}-s1"))
        stances = (Stance(f"{c}-st-q1", f"{c}-q1", "السياسة", "favor"),
                   Stance(f"{c}-st-a", ARTICLE_HOLDER, "الاقتصاد", "against", f"{c}-m4"),
                   Stance(f"{c}-st-q3", f"{c}-q3", "السياسة", "neutral"))
    else:  # other spans, ids, labels and counts; the same questions
        entities = (Mention("m1", s1, e1, "ORG"), Mention("m2", so, eo, "PER"))
        quotes = (Quote("q1", at["quote2"][0], at["quote2"][1], "direct", None, "m2"),
                  Quote("q2", at["quote3"][0] + 3, at["quote3"][1], "direct", Span(so, so + 3), "m1"))
        stances = (Stance("a", ARTICLE_HOLDER, "الاقتصاد", "favor"),
                   Stance("b", "q2", "السياسة", "against"), Stance("c", "q1", "السياسة", "against"))
    return Article(doc_id=doc_id, text=text, title=f"عنوان {seed}", source="test", published="2025-01-02",
                   meta={"outlet": "test"}, entities=entities, quotes=quotes, stances=stances, provenance=provenance)


def _corpus(decoy_test: bool) -> tuple[list[Article], Manifest]:
    articles, documents = [], {}
    for i, split in enumerate(SPLITS):
        doc_id = f"khabar/{i:03d}"
        articles.append(_article(doc_id, i, decoy=decoy_test and split == HIDDEN))
        documents[doc_id] = Assignment(split, doc_id, "hash")
    return articles, Manifest(ratios={"train": 0.6, "validation": 0.2, "test": 0.2}, documents=documents)


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("leak")
    built = {}
    for name, decoy in (("canary", False), ("decoy", True)):
        articles, manifest = _corpus(decoy)
        built[name] = build_release([ReleaseSource("khabar", articles)], manifest, root / name, progress=False)
    return built


# --------------------------------------------------------------------------- reading a folder


def _parquet_rows(folder: Path) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """``(config, split) -> rows`` of every parquet file of a release folder."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for path in sorted((folder / "data").glob("*/*.parquet")):
        out.setdefault((path.parent.name, path.name.split("-")[0]), []).extend(pq.read_table(path).to_pylist())
    return out


def _public_files(folder: Path) -> dict[str, str]:
    """Every non-parquet public file, by name, with the private gold digests masked."""
    record = json.loads((folder / RELEASE_FILE).read_text(encoding="utf-8"))
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".parquet"):
        text = path.read_text(encoding="utf-8")
        for key in PRIVATE_DIGESTS:
            text = text.replace(record[key], f"<{key}>").replace(record[key][:12], f"<{key}>")
        out[str(path.relative_to(folder))] = text
    return out


def test_public_release_does_not_depend_on_hidden_labels(releases):
    canary, decoy = releases["canary"].public, releases["decoy"].public
    assert not (canary / PRIVATE_MARKER).exists()
    assert releases["canary"].revision != releases["decoy"].revision  # the hidden gold did differ
    canary_rows, decoy_rows = _parquet_rows(canary), _parquet_rows(decoy)
    assert {config for config, _ in canary_rows} == set(releases["canary"].release["configs"])
    assert {split for _, split in canary_rows} == {"train", "validation", HIDDEN}
    for key, rows in canary_rows.items():
        assert rows == decoy_rows[key], f"public {key[0]}/{key[1]} rows depend on the hidden test labels"
    canary_files, decoy_files = _public_files(canary), _public_files(decoy)
    assert set(canary_files) == {"README.md", RELEASE_FILE, "splits.json"}
    for name, text in canary_files.items():
        assert text == decoy_files[name], f"public {name} depends on the hidden test labels"


# --------------------------------------------------------------------------- the value scan


def _spans(value: Any) -> Iterator[tuple[int, int]]:
    """Every (start, end) pair in a row: ``{start, end}`` objects and ``X_start``/``X_end`` keys."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            end_key = "end" if key == "start" else key[:-6] + "_end" if key.endswith("_start") else None
            if end_key and isinstance(item, int) and isinstance(value.get(end_key), int):
                yield item, value[end_key]
            yield from _spans(item)
    elif isinstance(value, list):
        for item in value:
            yield from _spans(item)


def _leaves(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """``(key, value)`` of every scalar in a row (a list's items under the list's key)."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            yield from _leaves(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, key)
    else:
        yield key, value


def _lengths(value: Any) -> Iterator[int]:
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _lengths(item)
    elif isinstance(value, list):
        yield len(value)
        for item in value:
            yield from _lengths(item)


def _hidden(release) -> dict[str, dict[str, Any]]:
    """Per hidden config: its test gold's spans, ids and list lengths (by doc_id), and label counts."""
    from datasets import Features

    record = json.loads((release.private / RELEASE_FILE).read_text(encoding="utf-8"))
    out = {}
    for (config, split), rows in _parquet_rows(release.private).items():
        assert split == HIDDEN
        gold = record["configs"][config]["gold_columns"]
        features = Features.from_dict(record["configs"][config]["features"])
        facts: dict[str, Any] = {"spans": set(), "ids": set(), "counts": set(), "labels": {}}
        for row in rows:
            doc = row["doc_id"]
            values = {column: row[column] for column in gold}
            facts["spans"] |= {(doc, *span) for span in _spans(values)}
            facts["ids"] |= {(doc, v) for k, v in _leaves(values) if isinstance(v, str) and v != ARTICLE_HOLDER
                             and (k in ID_KEYS or k.endswith("_id"))}
            facts["counts"] |= {(doc, column, len(value)) for column, value in values.items()
                                if isinstance(value, list)}
            for column in gold:
                for key, value in _leaves(values[column], column):
                    if key in LABEL_KEYS and value is not None:
                        names = _class_names({column: features[column]}, key)
                        label = names[value] if names and isinstance(value, int) else value
                        facts["labels"].setdefault(f"{column}/{key}", Counter())[label] += 1
        out[config] = facts
    return out


def _class_names(features: Any, key: str) -> list[str] | None:
    """The ClassLabel names of the (possibly nested) feature ``key``, if it is one."""
    from datasets import ClassLabel, List

    def find(feature: Any) -> list[str] | None:
        if isinstance(feature, dict):
            if isinstance(feature.get(key), ClassLabel):
                return feature[key].names
            return next((n for n in map(find, feature.values()) if n), None)
        if isinstance(feature, List):
            return find(feature.feature)
        return None

    return find(dict(features))


def _rendered(counts: Counter) -> list[str]:
    """How a label distribution shows in a card or JSON record."""
    ordered = dict(sorted(counts.items()))
    return [", ".join(f"{label} {n}" for label, n in ordered.items()),
            json.dumps(ordered, ensure_ascii=False, indent=2)[1:-1].strip(),
            json.dumps(ordered, ensure_ascii=False)[1:-1]]


def _leaks(release) -> list[str]:
    hidden = _hidden(release)
    assert set(hidden) == set(release.release["configs"]), "every config has hidden test gold"
    public_rows = _parquet_rows(release.public)
    public_files = _public_files(release.public)
    found = []
    for source, facts in hidden.items():
        counts = {(doc, n) for doc, _, n in facts["counts"]}
        for (config, split), rows in public_rows.items():
            where = f"public {config}/{split}"
            for row in rows:
                doc = row["doc_id"]
                found += [f"{where}: {doc} span {span} = a hidden {source} span"
                          for span in _spans(row) if (doc, *span) in facts["spans"]]
                found += [f"{where}: {doc} {key}={value!r} holds hidden {source} id {hidden_id!r}"
                          for key, value in _leaves(row) if isinstance(value, str) and key != "text"
                          for d, hidden_id in facts["ids"] if d == doc and hidden_id in value]
                if config != source:  # a config's own list lengths may follow its inputs (ner: a tag per token)
                    numbers = {v for k, v in _leaves(row) if isinstance(v, int) and not isinstance(v, bool)}
                    spans = {n for span in _spans(row) for n in span}
                    found += [f"{where}: {doc} shows {n}, a hidden {source} count" for n in
                              (numbers - spans) | set(_lengths(row)) if (doc, n) in counts]
        for key, distribution in facts["labels"].items():
            found += [f"public {name}: shows the hidden {source} test {key} distribution {dict(distribution)}"
                      for name, text in public_files.items() for shown in _rendered(distribution) if shown in text]
    return found


def test_no_public_value_reveals_a_hidden_label_of_any_config(releases):
    assert _leaks(releases["canary"]) == []


def test_the_scan_sees_a_leak(releases, tmp_path):
    """The scan is not blind: public stance rows that carry the holder quote's span, a stance id and
    a card that shows the test distribution are each reported."""
    import shutil

    import pyarrow as pa

    release = releases["canary"]
    copy = tmp_path / "public"
    shutil.copytree(release.public, copy)
    private = {row["id"]: row for row in _parquet_rows(release.private)[("stance", HIDDEN)]}
    (path,) = (copy / "data" / "stance").glob(f"{HIDDEN}-*.parquet")
    table = pq.read_table(path)
    rows = [{**row, "holder_start": private[row["id"]]["holder_start"], "holder_end": private[row["id"]]["holder_end"],
             "id": row["id"] + "-" + str(private[row["id"]]["stance_id"])} for row in table.to_pylist()]
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    card = copy / "README.md"
    shown = "\n| stances | against 3, favor 3, neutral 3 |\n"
    card.write_text(card.read_text(encoding="utf-8") + shown, encoding="utf-8")
    leaky = type(release)(copy, release.private, release.revision, release.rows, release.release)
    leaks = _leaks(leaky)
    assert any("span" in leak and "hidden quotes span" in leak for leak in leaks)
    assert any("hidden stance id" in leak for leak in leaks)
    assert any("public README.md: shows the hidden articles test stances/label distribution" in leak for leak in leaks)
