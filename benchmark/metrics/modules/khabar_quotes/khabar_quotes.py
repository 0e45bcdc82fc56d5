"""Khabar quote attribution: end-to-end F1 (quote span + speaker cluster) as an `evaluate` module.

Load it from the installed package (offline)::

    import evaluate
    from benchmark.metrics import module_path
    metric = evaluate.load(module_path("quotes"))

The numbers come from ``benchmark.metrics.quotes`` (the code the Khabar harness scores with); the
inputs, the result shape and the errors are those of ``benchmark.metrics.module_support``.
"""

import datasets
import evaluate

from benchmark.metrics.module_support import JsonInputs, score_module

_CITATION = """\
@misc{khabar,
  title = {Khabar: an Arabic news understanding benchmark},
  year = {2026}
}
"""

_DESCRIPTION = """\
Quote attribution scored end to end: a predicted quote counts when its span matches a gold quote span (the
same core once edge quotation marks, punctuation and a leading complementizer are trimmed) AND its speaker span
is one of the mention spans of the gold speaker's cluster (or both say "no speaker"); an unnamed SOURCE speaker
(guidelines 2.0) must be found too. Also: e2e_v1 (a SOURCE speaker is also right with no predicted speaker: the
figure comparable with quotes v1.x), the same with character-exact spans (e2e_exact) and with token overlap
(e2e_overlap), quote span F1, speaker and kind accuracy, figures by kind, by where the speaker is named (named
at the quote, elided, unnamed) and by what it is (entity, SOURCE, none).
"""

_KWARGS_DESCRIPTION = """\
Args:
    predictions: one per document: a submission line {"doc_id", "quotes": [{"start", "end", "kind",
        "speaker": {"start", "end"} or null}]} or just its quotes list.
    references: the quotes gold rows ({"doc_id", "text", "entities", "quotes": [...]}, quotes with
        speaker_cluster and speaker_elided; the entities' labels say which speakers are SOURCE), or their
        quotes lists together with texts=[...] (a quote may then say "speaker_type": entity/source/none).
    texts: the document texts, when the references do not carry them.
    labels: the quote kinds (default: direct, indirect, mixed); an unknown kind raises ValueError.
Returns:
    {"headline": "e2e/f1", "e2e/f1": ..., "e2e_exact/f1": ..., "e2e_overlap/f1": ..., "span_exact/f1": ...,
     "speaker_accuracy": ..., ..., "counts": {...}}: the names and values of khabar evaluate's results.json
    (None when undefined: 0/0).
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class KhabarQuotes(JsonInputs, evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
        )

    def _compute(self, predictions, references, labels=None, texts=None):
        import json

        return score_module("quotes", [json.loads(p) for p in predictions], [json.loads(r) for r in references],
                            labels=labels, texts=texts)
