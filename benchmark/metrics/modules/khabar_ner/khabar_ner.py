"""Khabar NER: strict span P/R/F1 and the SemEval-2013 schemes, as an `evaluate` module.

Load it from the installed package (offline)::

    import evaluate
    from benchmark.metrics import module_path
    metric = evaluate.load(module_path("ner"))

The numbers come from ``benchmark.metrics.ner`` (the code the Khabar harness scores with); the
inputs, the result shape and the errors are those of ``benchmark.metrics.module_support``.
"""

import datasets
import evaluate

from benchmark.metrics.module_support import JsonInputs, score_module

_CITATION = """\
@inproceedings{segura-bedmar-etal-2013-semeval,
  title = {SemEval-2013 Task 9: Extraction of Drug-Drug Interactions from Biomedical Texts},
  author = {Segura-Bedmar, Isabel and Mart{\\'i}nez, Paloma and Herrero-Zazo, Mar{\\'i}a},
  booktitle = {Proceedings of SemEval 2013},
  year = {2013}
}
"""

_DESCRIPTION = """\
Entity spans scored on character offsets. Headline: strict span micro-F1 (exact boundaries and label),
identical to seqeval's strict IOB2 mode on a BIO view. Also: macro-F1 over labels, per-label figures and
the SemEval-2013 9.1 schemes (strict, exact, partial, ent_type), identical to nervaluate 1.2.1.
"""

_KWARGS_DESCRIPTION = """\
Args:
    predictions: one per document: a submission line {"doc_id", "entities": [{"start", "end", "label"}]}
        or just its entities list (half-open code points; extra fields such as "score" are ignored).
    references: the ner gold rows (or their entities lists), same document order.
    labels: the label set (default: Khabar's PER, ORG, LOC, GPE, DATE, MISC); an unknown label raises
        ValueError naming it, the allowed set and the fix.
    min_overlap_percentage: SemEval partial-overlap threshold in percent of the gold span (default 1.0).
Returns:
    {"headline": "strict/f1", "strict/f1": ..., "strict/precision": ..., "macro/f1": ..., "strict/<LABEL>/f1": ...,
     "<scheme>/f1": ..., ..., "counts": {...}}: the names and values of khabar evaluate's results.json
    (None when undefined: 0/0).
Example:
    >>> from benchmark.metrics import module_path
    >>> metric = evaluate.load(module_path("ner"))
    >>> result = metric.compute(predictions=[{"doc_id": "d1", "entities": [{"start": 0, "end": 5, "label": "PER"}]}],
    ...                         references=[[{"start": 0, "end": 5, "label": "PER"}]])
    >>> result["headline"], result[result["headline"]]
    ('strict/f1', 1.0)
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class KhabarNer(JsonInputs, evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
            reference_urls=["https://github.com/MantisAI/nervaluate", "https://github.com/chakki-works/seqeval"],
        )

    def _compute(self, predictions, references, labels=None, min_overlap_percentage=1.0):
        import json

        return score_module("ner", [json.loads(p) for p in predictions], [json.loads(r) for r in references],
                            labels=labels, min_overlap_percentage=min_overlap_percentage)
