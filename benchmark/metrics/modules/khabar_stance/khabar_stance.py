"""Khabar stance: macro-F1, F_avg over the polar labels, per label and confusion, as an `evaluate` module.

Load it from the installed package (offline)::

    import evaluate
    from benchmark.metrics import module_path
    metric = evaluate.load(module_path("stance"))

The numbers come from ``benchmark.metrics.stance`` (equal to scikit-learn's with
``zero_division=np.nan``); the inputs, the result shape and the errors are those of
``benchmark.metrics.module_support``.
"""

import datasets
import evaluate

from benchmark.metrics.module_support import JsonInputs, score_module

_CITATION = """\
@inproceedings{mohammad-etal-2016-semeval,
  title = {SemEval-2016 Task 6: Detecting Stance in Tweets},
  author = {Mohammad, Saif and Kiritchenko, Svetlana and Sobhani, Parinaz and Zhu, Xiaodan and Cherry, Colin},
  booktitle = {Proceedings of SemEval 2016},
  year = {2016}
}
"""

_DESCRIPTION = """\
Stance of a holder toward a target. Headline: macro-F1 over the labels (scikit-learn, zero_division=nan:
a label absent from gold and predictions is left out). Also F_avg, the mean F1 of the two polar labels
(favor/against; agree/disagree for ANS), accuracy, per-label precision/recall/F1 and the confusion counts.
"""

_KWARGS_DESCRIPTION = """\
Args:
    predictions: one per stance item: a submission line {"id", "label"} or just the label (null: unanswered).
    references: the stance gold rows (labels decoded to names) or just the gold labels.
    labels: the label set (default: favor, against, neutral); an unknown label raises ValueError naming it,
        the allowed set and the fix.
    polar: the two labels F_avg averages (default: the first two labels).
Returns:
    {"headline": "macro/f1", "macro/f1": ..., "f_avg": ..., "accuracy": ..., "<label>/f1": ...,
     "counts": {"confusion/<gold>/<pred>": n, ...}}: the names and values of khabar evaluate's results.json
    (None when undefined: 0/0).
Example:
    >>> from benchmark.metrics import module_path
    >>> metric = evaluate.load(module_path("stance"))
    >>> metric.compute(predictions=["favor", "against"], references=["favor", "favor"])["accuracy"]
    0.5
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class KhabarStance(JsonInputs, evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
            reference_urls=["https://scikit-learn.org/stable/modules/generated/sklearn.metrics.f1_score.html"],
        )

    def _compute(self, predictions, references, labels=None, polar=None):
        import json

        return score_module("stance", [json.loads(p) for p in predictions], [json.loads(r) for r in references],
                            labels=labels, polar=polar)
