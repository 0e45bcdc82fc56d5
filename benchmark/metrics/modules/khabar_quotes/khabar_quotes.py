"""Khabar quote attribution: end-to-end F1 (quote span + speaker cluster) as a local `evaluate` module.

Load it offline with ``evaluate.load("benchmark/metrics/modules/khabar_quotes")``; the numbers come
from ``benchmark.metrics.quotes`` (the same code the Khabar harness scores with).
"""

import datasets
import evaluate

from benchmark.metrics.quotes import quote_scores

_CITATION = """\
@misc{khabar,
  title = {Khabar: an Arabic news understanding benchmark},
  year = {2026}
}
"""

_DESCRIPTION = """\
Quote attribution scored end to end: a predicted quote counts when its span equals a gold quote span AND its
speaker span is one of the mention spans of the gold speaker's entity cluster (or both say "no speaker").
Also: quote span F1 (exact and overlap), speaker and kind accuracy on matched quotes, figures by kind and by
speaker type (named at the quote, elided, unnamed).
"""

_KWARGS_DESCRIPTION = """\
Args:
    predictions: one list per document of {"start", "end", "kind", "speaker_start", "speaker_end"}
        (speaker_start = speaker_end = -1 when the system names no speaker).
    references: one list per document of {"start", "end", "kind", "speaker_cluster": [{"start", "end"}],
        "speaker_elided": bool} (the quotes rows of the Khabar dataset).
    kinds: the quote kinds (default: direct, indirect, mixed).
Returns:
    A flat dict: e2e/f1 (headline), e2e/precision, e2e/recall, span_exact/*, span_overlap/*, speaker_accuracy,
    kind_accuracy, kind/<kind>/..., speaker/<named|elided|unnamed>/..., and raw counts under "counts".
"""

_SPAN = {"start": datasets.Value("int32"), "end": datasets.Value("int32")}


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class KhabarQuotes(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({
                "predictions": datasets.List({**_SPAN, "kind": datasets.Value("string"),
                                              "speaker_start": datasets.Value("int32"),
                                              "speaker_end": datasets.Value("int32")}),
                "references": datasets.List({**_SPAN, "kind": datasets.Value("string"),
                                             "speaker_cluster": datasets.List(_SPAN),
                                             "speaker_elided": datasets.Value("bool")}),
            }),
        )

    def _compute(self, predictions, references, kinds=("direct", "indirect", "mixed")):
        def as_submission(quote):
            speaker = None
            if quote["speaker_start"] >= 0:
                speaker = {"start": quote["speaker_start"], "end": quote["speaker_end"]}
            return {"start": quote["start"], "end": quote["end"], "kind": quote["kind"], "speaker": speaker}

        return quote_scores(references, [[as_submission(q) for q in doc] for doc in predictions], kinds=kinds)
