#!/usr/bin/env python
"""Audit the independence of Khabar v0.1's round-2 annotation passes (annotator-a × annotator-b).

Round 1 (the first 40 doc_ids of ``selection.json``) and round 2 (the next 20) are compared on
the same measures, so every round-2 figure has its round-1 reference:

1. **shared material** — textual similarity of the two passes' working files (notes, helper
   scripts, annotation scripts), identical locator lines and locator conventions, document order;
2. **agreement and its disagreements** — strict / partial entity F1, the kinds of entity
   disagreement (label only, boundary, one pass only), quote span F1 and kind agreement;
3. **external signals** — each pass against the CRF pre-annotation; the guidelines v1.1 decision
   tables (rows that rule on a round-1 divergence) and the round-1 conflicts they settle;
4. **easier documents?** — length, entity density, outlets; round-1 agreement on the round-1
   documents most like the round-2 ones, and how often a random 20 of the round-1 documents reach
   the round-2 figure.

Only offsets, hashes and statistics are read from the repository; the working folders outside it
(``../v01``) are read, never written, and no corpus text or locator string is printed.

    python scripts/audit_v01_rounds.py            # the defaults below
    python scripts/audit_v01_rounds.py --json work/audit.json --resamples 20000
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASS_USERS = {"a": "annotator-a", "b": "annotator-b"}
#: CRF pre-annotation labels (ANERcorp) and how a Khabar label projects onto them (DATE has none)
CRF_PROJECTION = {"PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "MISC": "MISC"}


class AuditError(RuntimeError):
    """An input file is missing or malformed; the message names it and the fix."""


# --------------------------------------------------------------------------- pure helpers


def f1(matched: int, n_a: int, n_b: int) -> float:
    """Dice / F1 of two sets: 2·matched / (|a| + |b|) (1.0 when both are empty).

    >>> f1(9, 10, 10)
    0.9
    """
    return 1.0 if n_a + n_b == 0 else 2 * matched / (n_a + n_b)


def strict_counts(a: Iterable[tuple], b: Iterable[tuple]) -> tuple[int, int, int]:
    """(matched, |a|, |b|) of two collections of hashable items compared exactly.

    >>> strict_counts([(0, 3, "PER"), (5, 9, "GPE")], [(0, 3, "PER"), (5, 9, "LOC")])
    (1, 2, 2)
    """
    sa, sb = set(a), set(b)
    return len(sa & sb), len(sa), len(sb)


def disagreement_kinds(a: Sequence[tuple[int, int, str]], b: Sequence[tuple[int, int, str]]) -> Counter:
    """Classify the strict entity disagreements between two passes of one document.

    Every mention not matched exactly (span and label) is counted once per pass under
    ``label`` (the other pass has the same span with another label), ``boundary`` (it overlaps
    a mention of the other pass of another span) or ``a_only`` / ``b_only`` (nothing overlaps).

    >>> sorted(disagreement_kinds([(0, 3, "PER"), (5, 9, "GPE"), (20, 30, "ORG")],
    ...                           [(0, 3, "PER"), (5, 9, "LOC"), (22, 30, "ORG"), (40, 44, "DATE")]).items())
    [('b_only', 1), ('boundary', 2), ('label', 2)]
    """
    sa, sb = set(a), set(b)
    kinds: Counter = Counter()
    for mine, other, side in ((sa - sb, sb, "a_only"), (sb - sa, sa, "b_only")):
        other_spans = {(s, e) for s, e, _ in other}
        for s, e, _label in mine:
            if (s, e) in other_spans:
                kinds["label"] += 1
            elif any(s < oe and os_ < e for os_, oe, _ in other):
                kinds["boundary"] += 1
            else:
                kinds[side] += 1
    return kinds


def text_similarity(x: str, y: str) -> float:
    """difflib's ratio of two texts (0 = nothing in common, 1 = identical).

    >>> text_similarity("abcd", "abcd"), text_similarity("ab", "cd")
    (1.0, 0.0)
    """
    return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()


def ngram_jaccard(x: str, y: str, n: int = 5) -> float:
    """Jaccard similarity of the word n-gram sets of two texts (0.0 when either has none).

    >>> ngram_jaccard("a b c d e f", "a b c d e g", n=5)
    0.3333333333333333
    """
    def grams(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text)
        return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}

    gx, gy = grams(x), grams(y)
    return len(gx & gy) / len(gx | gy) if gx and gy else 0.0


def shared_lines(x: str, y: str, min_chars: int = 30) -> tuple[int, int]:
    """(lines of ``y`` found verbatim in ``x``, lines of ``y``), stripped lines of ≥ ``min_chars`` only.

    >>> line = "the same long line of the notes"
    >>> shared_lines(line + "\\nother", line + "\\na new line of at least thirty chars")
    (1, 2)
    """
    lines_x = {line.strip() for line in x.splitlines() if len(line.strip()) >= min_chars}
    lines_y = [line.strip() for line in y.splitlines() if len(line.strip()) >= min_chars]
    return sum(line in lines_x for line in lines_y), len(lines_y)


def blocks_by_doc(text: str, doc_ids: Iterable[str]) -> dict[str, str]:
    """Split an annotation script into one block per doc_id: from the doc_id to the next one named.

    >>> blocks_by_doc('A("d1", E=[1]) A("d2", E=[2])', ["d1", "d2", "d3"])
    {'d1': 'd1", E=[1]) A("', 'd2': 'd2", E=[2])'}
    """
    starts = sorted((text.find(d), d) for d in doc_ids if d in text)
    ends = [start for start, _ in starts[1:]] + [len(text)]
    return {d: text[start:end] for (start, d), end in zip(starts, ends, strict=True)}


def resample_share_at_least(
    per_doc: Sequence[tuple[int, int, int]], size: int, threshold: float, resamples: int, seed: int = 0
) -> float:
    """Share of random ``size``-document subsets (without replacement) whose micro F1 ≥ ``threshold``.

    ``per_doc`` holds (matched, |a|, |b|) per document.

    >>> resample_share_at_least([(1, 1, 1)] * 5 + [(0, 1, 1)] * 5, 10, 0.5, 100)
    1.0
    """
    rng = random.Random(seed)
    hits = 0
    for _ in range(resamples):
        pick = rng.sample(list(per_doc), size)
        m, a, b = (sum(x[i] for x in pick) for i in range(3))
        hits += f1(m, a, b) >= threshold
    return hits / resamples


def nearest_matches(
    targets: Sequence[tuple[float, ...]], pool: Sequence[tuple[float, ...]]
) -> list[int]:
    """For each target (in order), the index of the nearest unused pool item (scaled Euclidean).

    Features are divided by their standard deviation over targets + pool first.

    >>> nearest_matches([(1.0, 10.0), (5.0, 50.0)], [(5.0, 49.0), (1.0, 11.0), (9.0, 90.0)])
    [1, 0]
    """
    columns = list(zip(*(list(targets) + list(pool)), strict=True))
    scale = [statistics.pstdev(col) or 1.0 for col in columns]
    used: set[int] = set()
    picks = []
    for t in targets:
        best = min(
            (i for i in range(len(pool)) if i not in used),
            key=lambda i: sum(((t[k] - pool[i][k]) / scale[k]) ** 2 for k in range(len(t))),
        )
        used.add(best)
        picks.append(best)
    return picks


def decision_table_rows(guidelines: str) -> list[tuple[str, str]]:
    """(§ column, v01 column) of every row of the guidelines' §7 decision tables.

    >>> table = "## 7. Decisions\\n| case | rule | § | v01 |\\n|---|---|---|---|\\n| x | y | 3.2 | B |"
    >>> decision_table_rows(table + "\\n## 8. Checklist")
    [('3.2', 'B')]
    """
    section = guidelines.split("## 7.", 1)[-1].split("\n## 8.", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.match(r"^\d", cells[2]):
            rows.append((cells[2], cells[3]))
    return rows


def sections_of(text: str) -> set[str]:
    """The guideline sections (``3.2``, ``5.3.1`` …) a text cites, with or without ``§``.

    >>> sorted(sections_of("§3.10 and §5.3.1; see 7.2 (v1.1)"))
    ['3.10', '5.3.1', '7.2']
    """
    return set(re.findall(r"(?<![\w.])(\d{1,2}\.\d{1,2}(?:\.\d)?)(?![\d])", text))


# --------------------------------------------------------------------------- loading


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    from benchmark.io import iter_jsonl_records

    if not path.is_file():
        raise AuditError(f"{path}: no such file (fix: pass the right path; see --help for the defaults)")
    records = []
    for number, record, issue in iter_jsonl_records(path):
        if issue is not None:
            raise AuditError(f"{path}:{number}: {issue.message} (fix: restore the file)")
        records.append(record)
    return records


def by_doc(records: Iterable[Mapping[str, Any]], path: Path) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for number, record in enumerate(records, 1):
        if "doc_id" not in record:
            raise AuditError(f"{path}: record {number} has no doc_id (fix: restore the file)")
        out[record["doc_id"]] = record
    return out


def read_text(path: Path) -> str:
    if not path.is_file():
        raise AuditError(f"{path}: no such file (fix: pass the right --work folder)")
    return path.read_text(encoding="utf-8")


def entity_set(record: Mapping[str, Any]) -> list[tuple[int, int, str]]:
    return [(e["start"], e["end"], e["label"]) for e in record.get("entities") or []]


def stance_holders(record: Mapping[str, Any]) -> dict[tuple[int, int] | str, str]:
    """Stance label by holder: the holder quote's span, or ``"article"``."""
    spans = {q["id"]: (q["start"], q["end"]) for q in record.get("quotes") or []}
    return {spans.get(st["holder"], st["holder"]): st["label"] for st in record.get("stances") or []}


def quote_set(record: Mapping[str, Any]) -> dict[tuple[int, int], str]:
    return {(q["start"], q["end"]): q["kind"] for q in record.get("quotes") or []}


# --------------------------------------------------------------------------- the audit


def agreement_section(rounds: Mapping[str, list[str]], a: Mapping, b: Mapping) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, docs in rounds.items():
        strict = [strict_counts(entity_set(a[d]), entity_set(b[d])) for d in docs]
        m, na, nb = (sum(x[i] for x in strict) for i in range(3))
        kinds: Counter = Counter()
        for d in docs:
            kinds += disagreement_kinds(entity_set(a[d]), entity_set(b[d]))
        q_match = q_a = q_b = kind_same = 0
        for d in docs:
            qa, qb = quote_set(a[d]), quote_set(b[d])
            common = qa.keys() & qb.keys()
            q_match, q_a, q_b = q_match + len(common), q_a + len(qa), q_b + len(qb)
            kind_same += sum(qa[k] == qb[k] for k in common)
        st_a = st_b = st_both = st_same = 0
        for d in docs:
            ha, hb = stance_holders(a[d]), stance_holders(b[d])
            st_a, st_b = st_a + len(ha), st_b + len(hb)
            st_both += len(ha.keys() & hb.keys())
            st_same += sum(ha[k] == hb[k] for k in ha.keys() & hb.keys())
        per_label = {}
        for label in ("PER", "ORG", "GPE", "LOC", "MISC", "DATE"):
            lm = la = lb = 0
            for d in docs:
                x, y, z = strict_counts(
                    [e for e in entity_set(a[d]) if e[2] == label], [e for e in entity_set(b[d]) if e[2] == label]
                )
                lm, la, lb = lm + x, la + y, lb + z
            per_label[label] = {"f1": round(f1(lm, la, lb), 3), "mentions_a_b": (la, lb)}
        mentions = (na + nb) / 2
        out[name] = {
            "documents": len(docs),
            "entity_strict_f1": round(f1(m, na, nb), 3),
            "mentions_a_b": (na, nb),
            "disagreements_per_100_mentions": {k: round(100 * v / mentions, 2) for k, v in sorted(kinds.items())},
            "disagreement_shares": {k: round(v / sum(kinds.values()), 3) for k, v in sorted(kinds.items())},
            "per_label_f1": per_label,
            "quote_exact_span_f1": round(f1(q_match, q_a, q_b), 3),
            "quote_kind_agreement": round(kind_same / q_match, 3) if q_match else None,
            "stances_a_b_both_same_label": (st_a, st_b, st_both, st_same),
            "stance_holders_both_labelled_of_either": (
                round(st_both / (st_a + st_b - st_both), 3) if st_a + st_b else None
            ),
            "per_doc": strict,
        }
    return out


def difficulty_section(
    rounds: Mapping[str, list[str]], gold: Mapping, agreement: Mapping[str, Any], resamples: int
) -> dict[str, Any]:
    def features(d: str) -> tuple[float, float, float]:
        length = gold[d]["text_length"]
        return (float(length), 1000 * len(gold[d]["entities"]) / length, float(len(gold[d]["quotes"])))

    r1, r2 = rounds["round1"], rounds["round2"]
    out: dict[str, Any] = {}
    for name, docs in rounds.items():
        feats = [features(d) for d in docs]
        out[name] = {
            "median_length": statistics.median(f[0] for f in feats),
            "mean_length": round(statistics.mean(f[0] for f in feats)),
            "gold_mentions_per_1000_chars": round(statistics.mean(f[1] for f in feats), 2),
            "gold_quotes_per_doc": round(statistics.mean(f[2] for f in feats), 2),
            "outlets": dict(sorted(Counter(gold[d]["source"] for d in docs).items())),
        }
    per_doc_1 = dict(zip(r1, agreement["round1"]["per_doc"], strict=True))
    target = agreement["round2"]["entity_strict_f1"]

    def micro(docs: Iterable[str]) -> float:
        picked = [per_doc_1[d] for d in docs]
        return round(f1(*(sum(x[i] for x in picked) for i in range(3))), 3)

    matched = nearest_matches([features(d) for d in r2], [features(d) for d in r1])
    outlets_2 = {gold[d]["source"] for d in r2}
    lo, hi = min(gold[d]["text_length"] for d in r2), max(gold[d]["text_length"] for d in r2)
    in_range = [d for d in r1 if lo <= gold[d]["text_length"] <= hi]
    same_outlet = [d for d in r1 if gold[d]["source"] in outlets_2]
    per_doc_f1 = {
        name: [f1(*x) for x in agreement[name]["per_doc"]] for name in ("round1", "round2")
    }
    out["round1_on_comparable_docs"] = {
        "nearest_by_length_density_quotes": {
            "documents": len(matched), "entity_strict_f1": micro(r1[i] for i in matched)
        },
        "length_within_round2_range": {"documents": len(in_range), "entity_strict_f1": micro(in_range)},
        "outlets_of_round2": {"documents": len(same_outlet), "entity_strict_f1": micro(same_outlet)},
    }
    out["round1_random_20_reaching_round2_f1"] = {
        "threshold": target,
        "resamples": resamples,
        "share": resample_share_at_least(agreement["round1"]["per_doc"], len(r2), target, resamples),
    }
    rng = random.Random(1)
    draws = sorted(
        micro(rng.sample(r1, len(r2))) for _ in range(min(resamples, 2000))
    )
    out["round1_random_20_f1_median_p95_max"] = (
        draws[len(draws) // 2], draws[int(0.95 * (len(draws) - 1))], draws[-1]
    )
    out["per_doc_f1_median"] = {k: round(statistics.median(v), 3) for k, v in per_doc_f1.items()}
    out["docs_with_f1_1"] = {k: f"{sum(x == 1.0 for x in v)}/{len(v)}" for k, v in per_doc_f1.items()}
    return out


def crf_section(rounds: Mapping[str, list[str]], a: Mapping, b: Mapping, crf: Mapping) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, docs in rounds.items():
        row: dict[str, Any] = {}
        for who, passes in (("a", a), ("b", b)):
            m = n_pass = n_crf = 0
            for d in docs:
                projected = [
                    (s, e, CRF_PROJECTION[lab]) for s, e, lab in entity_set(passes[d]) if lab in CRF_PROJECTION
                ]
                x, y, z = strict_counts(projected, entity_set(crf[d]))
                m, n_pass, n_crf = m + x, n_pass + y, n_crf + z
            row[f"{who}_vs_crf_f1"] = round(f1(m, n_pass, n_crf), 3)
        # where a and b disagree: how often does each side coincide with the CRF?
        agree_with_crf = Counter()
        for d in docs:
            pa = {(s, e, CRF_PROJECTION[lab]) for s, e, lab in entity_set(a[d]) if lab in CRF_PROJECTION}
            pb = {(s, e, CRF_PROJECTION[lab]) for s, e, lab in entity_set(b[d]) if lab in CRF_PROJECTION}
            pc = set(entity_set(crf[d]))
            agree_with_crf["a_only_in_crf"] += len((pa - pb) & pc)
            agree_with_crf["b_only_in_crf"] += len((pb - pa) & pc)
            agree_with_crf["both_in_crf"] += len(pa & pb & pc)
            agree_with_crf["both"] += len(pa & pb)
        row["share_of_a_and_b_agreed_mentions_the_crf_also_has"] = round(
            agree_with_crf["both_in_crf"] / agree_with_crf["both"], 3
        )
        row["crf_sides_with_a_only_b_only"] = (agree_with_crf["a_only_in_crf"], agree_with_crf["b_only_in_crf"])
        out[name] = row
    return out


def guidelines_section(rounds: Mapping[str, list[str]], guidelines: str, adjudication: list[Mapping]) -> dict:
    rows = decision_table_rows(guidelines)
    column = Counter()
    for _, v01 in rows:
        key = v01.split()[0].strip("`()") if v01 else "?"
        column[key if key in {"both", "A", "B", "neither", "—"} else "other"] += 1
    split_rows = [sec for sec, v01 in rows if v01.split() and v01.split()[0] not in {"both", "—"}]
    settled_sections = {s for sec in split_rows for s in sections_of(sec)}
    out: dict[str, Any] = {
        "decision_table_rows": len(rows),
        "rows_by_v01_column": dict(sorted(column.items())),
        "sections_ruling_a_round1_split": sorted(settled_sections, key=lambda s: [int(x) for x in s.split(".")]),
    }
    for name, docs in rounds.items():
        wanted = set(docs)
        lines = [line for line in adjudication if line["doc_id"] in wanted]
        cited = [sections_of(line.get("reason", "")) for line in lines]
        layers = Counter(line["layer"] for line in lines)
        settled = [bool(c & settled_sections) for c in cited]
        entity_unsettled = sum(
            1 for line, hit in zip(lines, settled, strict=True) if line["layer"] == "entity" and not hit
        )
        out[name] = {
            "adjudication_lines": len(lines),
            "per_doc": round(len(lines) / len(docs), 2),
            "by_layer": dict(sorted(layers.items())),
            "citing_a_split_ruling_section": sum(settled),
            "not_citing_one_per_doc": round((len(lines) - sum(settled)) / len(docs), 2),
            "entity_lines_per_doc": round(layers["entity"] / len(docs), 2),
            "entity_lines_not_citing_one_per_doc": round(entity_unsettled / len(docs), 2),
            "top_sections": Counter(s for c in cited for s in c).most_common(6),
        }
    return out


def working_files_section(work: Path, rounds: Mapping[str, list[str]]) -> dict[str, Any]:
    folders = {"round1": ("passA", "passB"), "round2": ("passA/extra", "passB/extra")}
    scripts = {"passA": "ann*.py", "passB": "specs_*.py"}
    out: dict[str, Any] = {}
    texts: dict[tuple[str, str], str] = {}
    for name, (fa, fb) in folders.items():
        row: dict[str, Any] = {}
        notes_a, notes_b = read_text(work / fa / "notes.md"), read_text(work / fb / "notes.md")
        texts[name, "a"], texts[name, "b"] = notes_a, notes_b
        row["notes_similarity"] = round(text_similarity(notes_a, notes_b), 3)
        row["notes_word5gram_jaccard"] = round(ngram_jaccard(notes_a, notes_b), 3)
        row["notes_b_lines_verbatim_in_a"] = shared_lines(notes_a, notes_b)
        row["build_py_similarity"] = round(
            text_similarity(read_text(work / fa / "build.py"), read_text(work / fb / "build.py")), 3
        )
        row["render_py_similarity"] = round(
            text_similarity(read_text(work / fa / "render.py"), read_text(work / fb / "render.py")), 3
        )
        ann_a = "".join(read_text(p) for p in sorted((work / fa).glob(scripts["passA"])))
        ann_b = "".join(read_text(p) for p in sorted((work / fb).glob(scripts["passB"])))
        blocks_a, blocks_b = blocks_by_doc(ann_a, rounds[name]), blocks_by_doc(ann_b, rounds[name])
        both = [d for d in rounds[name] if d in blocks_a and d in blocks_b]
        row["annotation_script_blocks_compared"] = len(both)
        row["annotation_script_block_similarity_median"] = round(
            statistics.median(text_similarity(blocks_a[d], blocks_b[d]) for d in both), 3
        )
        row["cross_references_to_the_other_pass_folder"] = cross_references(work / fa, work / fb)
        row["minutes_of_overlap_of_the_two_folders_file_times"] = overlap_minutes(work / fa, work / fb)
        row.update(locator_figures(work / fa, work / fb, rounds[name]))
        out[name] = row
    out["self_reuse_round1_to_round2"] = {
        f"{who}_build_py": round(
            text_similarity(read_text(work / folder / "build.py"), read_text(work / folder / "extra" / "build.py")), 3
        )
        for who, folder in (("a", "passA"), ("b", "passB"))
    } | {
        "a_notes": round(text_similarity(texts["round1", "a"], texts["round2", "a"]), 3),
        "b_notes": round(text_similarity(texts["round1", "b"], texts["round2", "b"]), 3),
    }
    return out


def cross_references(folder_a: Path, folder_b: Path) -> int:
    """How many times a file of one pass names the other pass's folder (passA ↔ passB)."""
    count = 0
    for folder, other in ((folder_a, "passB"), (folder_b, "passA")):
        for path in folder.iterdir():
            if path.is_file() and path.suffix in {".py", ".md"}:
                count += read_text(path).count(other)
    return count


def overlap_minutes(folder_a: Path, folder_b: Path) -> dict[str, float]:
    """Span of the file modification times of each folder's files, and how long the two overlap (minutes)."""
    def span(folder: Path) -> tuple[float, float]:
        times = [p.stat().st_mtime for p in folder.iterdir() if p.is_file()]
        return min(times), max(times)

    (a0, a1), (b0, b1) = span(folder_a), span(folder_b)
    return {
        "a_minutes": round((a1 - a0) / 60, 1),
        "b_minutes": round((b1 - b0) / 60, 1),
        "overlap": round(max(0.0, min(a1, b1) - max(a0, b0)) / 60, 1),
    }


def locator_figures(folder_a: Path, folder_b: Path, docs: Sequence[str]) -> dict[str, Any]:
    """Locator lines of the two passes: identical lines, conventions, document order."""
    loc_a = by_doc(read_jsonl(folder_a / "locators.jsonl"), folder_a / "locators.jsonl")
    loc_b = by_doc(read_jsonl(folder_b / "locators.jsonl"), folder_b / "locators.jsonl")
    art_a = by_doc(read_jsonl(folder_a / "articles.jsonl"), folder_a / "articles.jsonl")
    art_b = by_doc(read_jsonl(folder_b / "articles.jsonl"), folder_b / "articles.jsonl")
    order_a = [r["doc_id"] for r in read_jsonl(folder_a / "locators.jsonl")]
    order_b = [r["doc_id"] for r in read_jsonl(folder_b / "locators.jsonl")]

    def located(loc: Mapping, art: Mapping, layer: str) -> dict[tuple[int, int], Mapping]:
        spans = {x["id"]: (x["start"], x["end"]) for x in art[layer]}
        missing = [x["id"] for x in loc[layer] if x["id"] not in spans]
        if missing:
            raise AuditError(
                f"{loc['doc_id']}: {layer} ids {missing} of locators.jsonl are not in articles.jsonl "
                "(fix: the two files of a pass folder must come from the same build.py run)"
            )
        return {spans[x["id"]]: x for x in loc[layer]}

    same_line = lines = matched = same_at = bracketed = same_bracketed = 0
    q_matched = q_same_at = q_same_cue = 0
    uses_n = Counter()
    n_entities = Counter()
    for d in docs:
        ea, eb = located(loc_a[d], art_a[d], "entities"), located(loc_b[d], art_b[d], "entities")
        key = lambda x: (x["at"], x["label"], x.get("n"))  # noqa: E731
        ca, cb = Counter(map(key, ea.values())), Counter(map(key, eb.values()))
        same_line += sum((ca & cb).values())
        lines += (sum(ca.values()) + sum(cb.values())) / 2
        for who, ents in (("a", ea), ("b", eb)):
            n_entities[who] += len(ents)
            uses_n[who] += sum(x.get("n") is not None for x in ents.values())
        for span in ea.keys() & eb.keys():
            matched += 1
            same = ea[span]["at"] == eb[span]["at"]
            same_at += same
            if "[" in ea[span]["at"] or "[" in eb[span]["at"]:
                bracketed += 1
                same_bracketed += same
        qa, qb = located(loc_a[d], art_a[d], "quotes"), located(loc_b[d], art_b[d], "quotes")
        for span in qa.keys() & qb.keys():
            q_matched += 1
            q_same_at += qa[span]["at"] == qb[span]["at"]
            q_same_cue += qa[span]["cue"] == qb[span]["cue"]
    common_order = [d for d in order_a if d in set(order_b)]
    return {
        "entity_locator_lines_identical": round(same_line / lines, 3),
        "same_span_mentions_with_identical_locator": round(same_at / matched, 3),
        "same_span_mentions_whose_locator_has_context": bracketed,
        "of_those_identical": round(same_bracketed / bracketed, 3) if bracketed else None,
        "same_span_quotes_identical_quote_locator": round(q_same_at / q_matched, 3) if q_matched else None,
        "same_span_quotes_identical_cue_locator": round(q_same_cue / q_matched, 3) if q_matched else None,
        "entity_locators_using_occurrence_n": {
            w: round(uses_n[w] / n_entities[w], 3) for w in ("a", "b")
        },
        "same_document_order": common_order == [d for d in order_b if d in set(order_a)],
        "b_order_is_a_order_reversed": common_order == [d for d in order_b if d in set(order_a)][::-1],
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    selection = json.loads(read_text(args.selection))
    ids = [entry["doc_id"] for entry in selection.get("articles", [])]
    if len(ids) <= args.round1:
        raise AuditError(
            f"{args.selection}: {len(ids)} articles, expected more than --round1 {args.round1} "
            "(fix: pass the 60-article selection.json)"
        )
    rounds = {"round1": ids[: args.round1], "round2": ids[args.round1 :]}
    a = by_doc(read_jsonl(args.pass_a), args.pass_a)
    b = by_doc(read_jsonl(args.pass_b), args.pass_b)
    gold = by_doc(read_jsonl(args.gold), args.gold)
    crf = by_doc(read_jsonl(args.crf), args.crf)
    for path, records in ((args.pass_a, a), (args.pass_b, b), (args.gold, gold), (args.crf, crf)):
        missing = [d for d in ids if d not in records]
        if missing:
            raise AuditError(
                f"{path}: {len(missing)} selected doc_id(s) missing, e.g. {missing[0]} "
                "(fix: pass the file covering all selected documents)"
            )
    adjudication = read_jsonl(args.adjudication)
    agreement = agreement_section(rounds, a, b)
    report = {
        "agreement": agreement,
        "vs_gold": {
            name: {
                who: round(f1(*(sum(x[i] for x in (strict_counts(entity_set(p[d]), entity_set(gold[d])) for d in docs))
                                for i in range(3))), 3)
                for who, p in (("a", a), ("b", b))
            }
            for name, docs in rounds.items()
        },
        "difficulty": difficulty_section(rounds, gold, agreement, args.resamples),
        "crf": crf_section(rounds, a, b, crf),
        "guidelines": guidelines_section(rounds, read_text(args.guidelines), adjudication),
        "working_files": working_files_section(args.work, rounds),
    }
    for name in rounds:
        agreement[name].pop("per_doc")
    return report


def print_report(report: Mapping[str, Any]) -> None:
    def show(title: str, block: Mapping[str, Any], indent: str = "  ") -> None:
        print(f"{indent}{title}")
        for key, value in block.items():
            if isinstance(value, Mapping) and any(isinstance(v, Mapping) for v in value.values()):
                show(key, value, indent + "  ")
            else:
                print(f"{indent}  {key}: {value}")

    for section, block in report.items():
        print(f"== {section}")
        for key, value in block.items():
            if isinstance(value, Mapping):
                show(key, value)
            else:
                print(f"  {key}: {value}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    v01 = ROOT / "annotations" / "v0.1"
    parser.add_argument("--selection", type=Path, default=v01 / "selection.json")
    parser.add_argument("--pass-a", type=Path, default=v01 / "passes" / "annotator-a.standoff.jsonl")
    parser.add_argument("--pass-b", type=Path, default=v01 / "passes" / "annotator-b.standoff.jsonl")
    parser.add_argument("--gold", type=Path, default=v01 / "gold.standoff.jsonl")
    parser.add_argument("--adjudication", type=Path, default=v01 / "adjudication.jsonl")
    parser.add_argument("--guidelines", type=Path, default=ROOT / "annotations" / "guidelines.md")
    parser.add_argument("--crf", type=Path, default=Path("work/k60/ner-pred60.jsonl"),
                        help="the CRF pre-annotation of the 60 articles (khabar baseline ner predict, see "
                        "docs/corpus-v0.1.md)")
    parser.add_argument("--work", type=Path, default=Path("../v01"),
                        help="the passes' working folders (passA, passB, each with extra/ for round 2); read only")
    parser.add_argument("--round1", type=int, default=40, help="how many selection entries make round 1")
    parser.add_argument("--resamples", type=int, default=10000, help="random 20-document subsets of round 1")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    try:
        report = run(args)
    except AuditError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
