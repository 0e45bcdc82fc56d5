"""Khabar stance: macro-F1, F_avg over the polar labels, per label and confusion, as a local `evaluate` module.

Load it offline with ``evaluate.load("benchmark/metrics/modules/khabar_stance")``; the numbers come
from ``benchmark.metrics.stance`` (identical to scikit-learn's).
"""

import datasets
import evaluate

from benchmark.metrics.stance import stance_scores

_CITATION = """\
@inproceedings{mohammad-etal-2016-semeval,
  title = {SemEval-2016 Task 6: Detecting Stance in Tweets},
  author = {Mohammad, Saif and Kiritchenko, Svetlana and Sobhani, Parinaz and Zhu, Xiaodan and Cherry, Colin},
  booktitle = {Proceedings of SemEval 2016},
  year = {2016}
}
"""

_DESCRIPTION = """\
Stance of a holder toward a target. Headline: macro-F1 over all labels (scikit-learn, zero_division=0).
Also F_avg, the mean F1 of the two polar labels (favor/against; agree/disagree for ANS), accuracy,
per-label precision/recall/F1 and the confusion matrix.
"""

_KWARGS_DESCRIPTION = """\
Args:
    predictions: one label string per stance item.
    references: the gold label strings.
    labels: the label set (default: favor, against, neutral).
    polar: the two labels F_avg averages (default: the first two labels).
Returns:
    macro/f1 (headline), macro/precision, macro/recall, f_avg, accuracy, <label>/{precision,recall,f1}, confusion.
Example:
    >>> metric = evaluate.load("benchmark/metrics/modules/khabar_stance")
    >>> metric.compute(predictions=["favor", "against"], references=["favor", "favor"])["accuracy"]
    0.5
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class KhabarStance(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({
                "predictions": datasets.Value("string"),
                "references": datasets.Value("string"),
            }),
            reference_urls=["https://scikit-learn.org/stable/modules/generated/sklearn.metrics.f1_score.html"],
        )

    def _compute(self, predictions, references, labels=("favor", "against", "neutral"), polar=None):
        return stance_scores(references, predictions, labels=labels, polar=polar)
