"""Metric cards (README.md) of the local ``evaluate`` modules, generated from the task declarations.

Regenerate after changing a task or a metric::

    python -m benchmark.metrics.cards        # writes benchmark/metrics/modules/khabar_*/README.md

A test checks that the committed cards equal what this module renders.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmark.metrics import MODULES
from benchmark.schema import KHABAR
from benchmark.tasks import get_task

__all__ = ["MODULES", "MODULES_DIR", "render_card", "write_cards"]

MODULES_DIR = Path(__file__).resolve().parent / "modules"

_INPUTS = {
    "ner": """predictions = [{"doc_id": "d1", "entities": [{"start": 5, "end": 10, "label": "PER"}]},  # submission
               {"doc_id": "d2", "entities": []}]                                          # lines
references = [[{"start": 5, "end": 10, "label": "PER"}], [{"start": 0, "end": 4, "label": "GPE"}]]  # or gold rows
result = metric.compute(predictions=predictions, references=references)
result["headline"], result["strict/f1"]   # ('strict/f1', 0.6666…)""",
    "quotes": """text = 'قال بوتين إن "روسيا مستعدة".'
predictions = [{"doc_id": "d1", "quotes": [{"start": 14, "end": 26, "kind": "indirect",
                                            "speaker": {"start": 4, "end": 9}}]}]          # submission lines
references = [{"doc_id": "d1", "text": text, "quotes": [{"start": 10, "end": 27, "kind": "indirect",
               "speaker_elided": False, "speaker_cluster": [{"start": 4, "end": 9}]}]}]  # gold rows
result = metric.compute(predictions=predictions, references=references)
result["e2e/f1"], result["e2e_exact/f1"]   # (1.0, 0.0): the complementizer and quotation marks are trimmed""",
    "stance": """metric.compute(predictions=["favor", "against"], references=["favor", "favor"])["macro/f1"]
metric.compute(predictions=[{"id": "d1#s1", "label": "agree"}], references=["other"],
               labels=["agree", "disagree", "other"], polar=["agree", "disagree"])   # a corpus' own labels""",
}

_DEFINITIONS = {
    "ner": """- **strict/f1** (headline, `f1` in this module): a predicted entity is correct when a gold entity of the
  same document has the same `[start, end)` and label; micro-averaged. Identical to seqeval
  `mode="strict", scheme=IOB2` on a BIO view (differential tests, random data included).
- **macro/f1**: mean of per-label F1 over labels present in gold or predictions (as seqeval).
- **SemEval-2013 §9.1 schemes** `strict`, `exact` (boundaries only), `partial` (overlap counts ½),
  `ent_type` (overlap + label) with raw counts correct / incorrect / partial / missed / spurious /
  possible / actual. Identical to nervaluate 1.2.1 (greedy matching in document order; an overlap must
  cover ≥ `min_overlap_percentage` % of the gold span, default 1.0).
- **outermost/f1** (with precision, recall and counts `outermost/tp|n_pred|n_gold`): strict matching on
  the outermost layer only (gold and predictions each cut to the entities no other entity contains);
  the other figures score every layer of nested entities.""",
    "quotes": """- **e2e/f1** (headline): a predicted quote counts when its span matches a gold quote's (the same
  *core*: the span without edge quotation marks, whitespace, punctuation and a leading complementizer
  أن/إن/بأن/وأن/أنه …, so that both annotation conventions score alike) AND its speaker span is one of the
  spans of the gold speaker's cluster (any mention: `بوتين`, `الرئيس الروسي` …), an unnamed `SOURCE`
  speaker (`مصادر أمنية`, guidelines 2.0) included; when the gold quote has no speaker in the text, the
  prediction must name no speaker. One-to-one pairs.
- **e2e_v1/{precision,recall,f1}**: the same, but a gold quote whose speaker is a `SOURCE` is also right with
  no predicted speaker (what quotes v1.x gold had there): the figure comparable with v1.x results. Equal to
  e2e on gold without `SOURCE` speakers.
- **e2e_exact/f1**: the same with character-exact quote spans (Khabar quotes v1.0's headline).
- **e2e_overlap/f1**: the same where cores sharing ≥ 50 % of their word tokens (Jaccard) also pair (partial).
- **span_exact/***, **span_robust/***: quote spans only. **span_overlap/***: P = predictions overlapping a gold
  quote, R = gold quotes overlapped by a prediction.
- **speaker_accuracy**, **kind_accuracy**: on the quotes paired by the headline's matching.
- **kind/<kind>/{exact,e2e}/***: restricted to gold and predicted quotes of that kind.
- **speaker/<named|elided|unnamed>/{e2e_recall,speaker_accuracy}**: by how the gold speaker appears — named
  at the quote, elided (`وتابع: "…"`, named earlier), or not named in the text.
- **speaker_type/<entity|source|none>/{e2e_recall,speaker_accuracy}**: by what the gold speaker is — an entity
  mention, a `SOURCE` mention, or none (read from the reference rows' `entities` labels).""",
    "stance": """- **macro/f1** (headline): mean F1 over every label of the schema, scikit-learn
  `f1_score(average="macro", labels=all, zero_division=0)` (tested equal).
- **f_avg**: mean F1 of the two polar labels (favor/against; agree/disagree for ANS) — SemEval-2016 Task 6 /
  StanceEval style.
- **accuracy**, **<label>/{precision,recall,f1}**, **confusion** (`{gold: {predicted: count}}`).""",
}


def render_card(task_name: str) -> str:
    """The README.md of the ``evaluate`` module of ``task_name``."""
    task = get_task(task_name)
    module = MODULES[task.name]
    labels = ", ".join(task.label_names(KHABAR))
    example = json.dumps(dict(task.submission_example), ensure_ascii=False)
    return f"""---
title: {module}
tags:
- evaluate
- metric
- arabic
description: "{task.description}"
---

# Metric card: `{module}` (Khabar task `{task.name}` v{task.version})

<!-- Generated by `python -m benchmark.metrics.cards` from the task declaration in
     benchmark/tasks/{task.name}.py — edit those, not this file. -->

## Description

{task.description}

- Headline metric: **`{task.headline}`** ({"higher" if task.higher_is_better else "lower"} is better).
- Khabar labels: {labels} (other corpora pass their own label set).
- Unit scored: one {"document" if task.unit == "document" else "stance item"}; the Khabar harness resamples
  documents for bootstrap confidence intervals (`khabar evaluate`).

## How to use

Offline, from the installed package (`pip install khabar`; the module ships with it):

```python
import evaluate
from benchmark.metrics import module_path
metric = evaluate.load(module_path("{task.name}"))
{_INPUTS[task.name]}
```

Predictions are what a submission holds (a submission line, or just its list / label); references
are the gold rows of the `{task.name}` config (or just their list / label). The result is flat: the
metric names and values of `khabar evaluate`'s `results.json` (`None` when undefined: 0/0), plus
`"headline"` (the headline metric's name) and `"counts"`. An unknown label raises `ValueError`
naming it, the allowed set and the fix.

The same numbers come from the plain functions in `benchmark/metrics/{task.name}.py` and from
`khabar evaluate --task {task.name}`, whose submission lines look like:

```json
{example}
```

## Metric definitions

{_DEFINITIONS[task.name]}

## Limitations

- Offsets are half-open Unicode code-point offsets on the original text: a system that normalises text
  (tatweel, harakat, bidi marks) must map its spans back before scoring.
- This module scores what it is given; the harness (`khabar validate-submission`) is what checks ids,
  spans and labels and refuses malformed submissions.
"""


def write_cards() -> list[Path]:
    """Write every module's README.md; return the paths."""
    paths = []
    for task_name, module in MODULES.items():
        path = MODULES_DIR / module / "README.md"
        path.write_text(render_card(task_name), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":  # pragma: no cover
    for written in write_cards():
        print(f"wrote {written}")
