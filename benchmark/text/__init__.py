r"""The Arabic text layer: normalisation with offset maps, tokenization, span ↔ BIO alignment.

Every offset is a half-open code-point offset on the ORIGINAL text (DESIGN §1); nothing here
modifies a text. The submodules ``normalize`` and ``tokenize`` share their names with their main
functions, which this package exports: import from ``benchmark.text`` (or use
``from benchmark.text.tokenize import CliticRule``), not ``import benchmark.text.tokenize as m``.

Normalise for a model or for matching, and map spans back::

>>> from benchmark.text import normalize, tokenize, tokenize_for_spans, spans_to_bio, bio_to_spans
>>> text = "وقال بوتــين\u200f: «سيدي الرئيسُ»"
>>> n = normalize(text)
>>> n.text
'وقال بوتين: «سيدي الرئيس»'
>>> n.original_span(5, 10), text[5:12]
((5, 12), 'بوتــين')

Tokenize (offsets on the original; clitics split on request)::

>>> [t.text for t in tokenize("وبوتين لروسيا", split_clitics=True)]
['و', 'بوتين', 'ل', 'روسيا']

Token/BIO view of entity spans, and back (seqeval strict IOB2 semantics)::

>>> spans = [(5, 12, "PER")]
>>> tokens = tokenize_for_spans(text, spans)
>>> tags = spans_to_bio(tokens, spans)
>>> list(zip([t.text for t in tokens], tags))[:3]
[('و', 'O'), ('قال', 'O'), ('بوتــين', 'B-PER')]
>>> bio_to_spans(tokens, tags)
[(5, 12, 'PER')]
"""

from __future__ import annotations

from benchmark.text.align import (
    AlignmentError,
    BioView,
    article_to_bio,
    bio_to_spans,
    outermost_layer,
    spans_to_bio,
    tokenize_for_spans,
    trim_span,
)
from benchmark.text.normalize import NormalizationConfig, Normalized, SpanMappingError, normalize
from benchmark.text.tokenize import (
    DEFAULT_CLITIC_RULE,
    KEEP_WHOLE,
    CliticRule,
    Token,
    split_at,
    split_proclitics,
    tokenize,
)

__all__ = [
    "DEFAULT_CLITIC_RULE",
    "KEEP_WHOLE",
    "AlignmentError",
    "BioView",
    "CliticRule",
    "NormalizationConfig",
    "Normalized",
    "SpanMappingError",
    "Token",
    "article_to_bio",
    "bio_to_spans",
    "normalize",
    "outermost_layer",
    "spans_to_bio",
    "split_at",
    "split_proclitics",
    "tokenize",
    "tokenize_for_spans",
    "trim_span",
]
