"""Khabar NER: strict span P/R/F1 and the SemEval-2013 schemes, as a local `evaluate` module.

Load it offline with ``evaluate.load("benchmark/metrics/modules/khabar_ner")``; the numbers come
from ``benchmark.metrics.ner`` (the same code the Khabar harness scores with).
"""

import datasets
import evaluate

from benchmark.metrics.ner import ner_scores

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
the SemEval-2013 9.1 schemes (strict, exact, partial, ent_type) with raw counts, identical to nervaluate 1.2.1.
"""

_KWARGS_DESCRIPTION = """\
Args:
    predictions: one list per document of {"start": int, "end": int, "label": str} (half-open code points).
    references: the gold entities, same shape, same document order.
    labels: the label set (default: the labels seen in references and predictions).
    min_overlap_percentage: SemEval partial-overlap threshold in percent of the gold span (default 1.0).
Returns:
    precision, recall, f1 (strict micro), macro_f1, per_label, schemes, schemes_per_label, counts.
Example:
    >>> metric = evaluate.load("benchmark/metrics/modules/khabar_ner")
    >>> metric.compute(predictions=[[{"start": 0, "end": 5, "label": "PER"}]],
    ...                references=[[{"start": 0, "end": 5, "label": "PER"}]])["f1"]
    1.0
"""

_SPAN = {"start": datasets.Value("int32"), "end": datasets.Value("int32"), "label": datasets.Value("string")}


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class KhabarNer(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({
                "predictions": datasets.List(_SPAN),
                "references": datasets.List(_SPAN),
            }),
            reference_urls=["https://github.com/MantisAI/nervaluate", "https://github.com/chakki-works/seqeval"],
        )

    def _compute(self, predictions, references, labels=None, min_overlap_percentage=1.0):
        report = ner_scores(references, predictions, labels=labels, min_overlap_percentage=min_overlap_percentage)
        strict = report["strict"]
        return {
            "precision": strict["precision"],
            "recall": strict["recall"],
            "f1": strict["f1"],
            "macro_f1": report["macro"]["f1"],
            "per_label": report["per_label"],
            "schemes": report["schemes"],
            "schemes_per_label": report["schemes_per_label"],
            "counts": {"tp": strict["tp"], "n_pred": strict["n_pred"], "n_gold": strict["n_gold"]},
        }
