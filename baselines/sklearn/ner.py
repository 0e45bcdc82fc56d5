"""The CRF NER baseline: a feature-based linear-chain CRF (sklearn-crfsuite) over BIO tags.

Train on :class:`~benchmark.model.Article` records with entities; predict character spans.

* Tokens and tags come from the text layer: ``benchmark.text.article_to_bio`` (tokens cut at every
  gold boundary; nested mentions beyond the outermost layer cannot be carried by BIO: training
  warns with their number (:class:`NestedSpansWarning`, :func:`nested_spans_message`) and counts
  them in ``NerModel.meta["not_in_bio"]``; the scorer still scores every layer, and its
  ``outermost`` figures show what a one-layer model can reach). At prediction time the same tokenizer runs
  without gold, the CRF tags, invalid ``I-X`` (after ``O`` or another type) become ``B-X``, and
  ``benchmark.text.bio_to_spans`` turns tags into character spans on the original text.
* Proclitics: Khabar's guidelines leave ``و``/``ل``/``ب``… outside the span (``لروسيا`` → ``روسيا``),
  ANERcorp's tag whole tokens (``ولبنان``). ``split_clitics="auto"`` (default) looks at the gold:
  when more mentions start right after a proclitic than include one, tokens are split at
  proclitics, otherwise not. The decision is stored in the model.
* Features: :mod:`baselines.sklearn.features` (with word clusters when given).
* Document-level consistency (:func:`propagate_labels`, on by default): a token sequence the CRF
  tagged as an entity somewhere in a document is tagged (with its majority label) wherever else it
  occurs in that document, unless that overlaps another prediction. A CRF labels each occurrence from
  its local context only; names tend to keep one type within a news story ("one sense per discourse").

>>> from benchmark.model import Article, Mention
>>> arts = [Article(doc_id=f"d{i}", text="قال بوتين في موسكو .",
...                 entities=(Mention("m1", 4, 9, "PER"), Mention("m2", 13, 18, "LOC")))
...         for i in range(3)]
>>> model = NerModel.train(arts, max_iterations=20)
>>> model.predict_spans("قال بوتين في موسكو .")
[(4, 9, 'PER'), (13, 18, 'LOC')]
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from baselines.sklearn.features import FEATURE_VERSION, normalise_token, sentence_features
from baselines.sklearn.persist import load_model, save_model
from benchmark.model import Article
from benchmark.schema import KHABAR, LabelSchema
from benchmark.tasks.ner import entity_view
from benchmark.text import Token, article_to_bio, bio_to_spans, tokenize

if TYPE_CHECKING:  # pragma: no cover
    from baselines.sklearn.wordclusters import WordClusters

__all__ = ["NerModel", "NestedSpansWarning", "choose_clitic_splitting", "entity_layers", "nested_spans_message",
           "propagate_labels", "repair_bio"]

MODEL_FILE = "ner_crf.joblib"


class NestedSpansWarning(UserWarning):
    """Training data holds nested entities that the one-layer CRF cannot learn."""


def nested_spans_message(count: int, layers: int = 1) -> str:
    """The warning line for ``count`` mentions the CRF(s) of ``layers`` layers cannot learn.

    >>> nested_spans_message(571).split(":")[0]
    '571 nested spans (inner layer) cannot be learned by the CRF'
    """
    if layers == 1:
        return (f"{count:,} nested span{'s' if count != 1 else ''} (inner layer) cannot be learned by the CRF: "
                "it trains on the outermost layer (--depths N learns N layers)")
    return (f"{count:,} nested span{'s' if count != 1 else ''} deeper than layer {layers} cannot be learned by the "
            f"CRFs: they train on the {layers} outermost layers (--depths N learns N layers)")


def entity_layers(mentions: Sequence[Any], depths: int) -> tuple[list[list[Any]], int]:
    """Peel ``mentions`` into at most ``depths`` layers with :func:`benchmark.text.outermost_layer`
    (layer 1 the outermost, layer 2 the outermost of the rest …); also how many are left over.

    >>> entity_layers([(0, 12, "OCC"), (5, 12, "GPE"), (8, 12, "X"), (14, 16, "PER")], 2)
    ([[(0, 12, 'OCC'), (14, 16, 'PER')], [(5, 12, 'GPE')]], 1)
    """
    from benchmark.text import outermost_layer

    layers, rest = [], list(mentions)
    while rest and len(layers) < depths:
        kept, rest = outermost_layer(rest)
        layers.append(kept)
    return layers, len(rest)


def _fit_inner_layers(articles: Sequence[Article], depths: int, split: bool, clusters: WordClusters | None,
                      fit: Any) -> tuple[list[Any], int]:
    """One CRF per nested layer 2…``depths`` that holds an entity; how many mentions are left over."""
    peeled = [entity_layers(article.entities, depths) for article in articles]
    crfs = []
    for depth in range(2, depths + 1):
        if not any(len(layers) >= depth for layers, _ in peeled):
            break
        sequences, targets = [], []
        for article, (layers, _) in zip(articles, peeled, strict=True):
            layer = layers[depth - 1] if len(layers) >= depth else []
            view = article_to_bio(Article(doc_id=article.doc_id, text=article.text, entities=tuple(layer)),
                                  split_clitics=split)
            sequences.append(sentence_features([t.text for t in view.tokens], clusters))
            targets.append(list(view.tags))
        crfs.append(fit(sequences, targets))
    return crfs, sum(rest for _, rest in peeled)  # peeled stops at the deepest layer present


def _add_layer(spans: list[tuple[int, int, str]], layer: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``spans`` plus the inner layer's spans that are not already there (one prediction per span)."""
    seen = {(start, end) for start, end, _ in spans}
    return sorted(spans + [span for span in layer if span[:2] not in seen])


def repair_bio(tags: Sequence[str]) -> list[str]:
    """IOB2 repair: an ``I-X`` that does not continue an ``X`` entity becomes ``B-X``.

    >>> repair_bio(["O", "I-PER", "I-PER", "I-LOC"])
    ['O', 'B-PER', 'I-PER', 'B-LOC']
    """
    out: list[str] = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        previous = tag
    return out


def propagate_labels(tokens: Sequence[Token], spans: Sequence[tuple[int, int, str]], min_chars: int = 3
                     ) -> list[tuple[int, int, str]]:
    """Add the other occurrences (same normalised token sequence) of every predicted entity.

    Sequences shorter than ``min_chars`` letters are not propagated; an occurrence that overlaps
    a span already kept is skipped; a sequence predicted with several labels takes the most
    frequent one (ties: the first predicted).

    >>> tokens = tokenize("زار بوتين موسكو ثم عاد بوتين")
    >>> propagate_labels(tokens, [(4, 9, "PER")])
    [(4, 9, 'PER'), (23, 28, 'PER')]
    """
    keys = [normalise_token(t.text) for t in tokens]
    index_of_start = {t.start: i for i, t in enumerate(tokens)}
    index_of_end = {t.end: i for i, t in enumerate(tokens)}
    labels_of: dict[tuple[str, ...], list[str]] = {}
    for start, end, label in spans:
        first, last = index_of_start.get(start), index_of_end.get(end)
        if first is None or last is None:
            continue
        sequence = tuple(keys[first:last + 1])
        if len("".join(sequence)) >= min_chars:
            labels_of.setdefault(sequence, []).append(label)
    taken = sorted((s, e) for s, e, _ in spans)
    out = list(spans)
    for sequence, labels in labels_of.items():
        label = max(dict.fromkeys(labels), key=labels.count)
        n = len(sequence)
        for i in range(len(tokens) - n + 1):
            if tuple(keys[i:i + n]) != sequence:
                continue
            start, end = tokens[i].start, tokens[i + n - 1].end
            if all(end <= s or start >= e for s, e in taken):
                out.append((start, end, label))
                taken.append((start, end))
    return sorted(out)


def choose_clitic_splitting(articles: Iterable[Article]) -> tuple[bool, dict[str, int]]:
    """Whether the gold leaves proclitics outside entity spans.

    Counts mentions that start exactly where the text layer would cut a proclitic off
    (``ل|روسيا``: excluded) against mentions that start at a word that has a proclitic cut
    inside the mention (``ولبنان`` tagged whole: included). Splits when excluded > included.
    """
    excluded = included = 0
    for article in articles:
        if not article.entities:
            continue
        plain = tokenize(article.text)
        split = tokenize(article.text, split_clitics=True)
        word_starts = {t.start for t in plain}
        cuts = {t.start for t in split} - word_starts
        word_end = {t.start: t.end for t in plain}
        for mention in article.entities:
            if mention.start in cuts:
                excluded += 1
            elif mention.start in word_starts:
                end = min(word_end[mention.start], mention.end)
                if any(mention.start < c < end for c in cuts):
                    included += 1
    return excluded > included, {"clitic_excluded": excluded, "clitic_included": included}


def _fit_with_progress(crf: Any, sequences: list, targets: list, max_iterations: int) -> None:
    """``crf.fit`` with a progress bar over the L-BFGS iterations (loss shown), on stderr, after
    sklearn-crfsuite's own bar over loading the data; CRFsuite's log is not printed, and the CRF
    keeps no trace of the progress trainer (it is pickled with the model)."""
    import contextlib
    import sys

    import pycrfsuite
    from tqdm.auto import tqdm

    bar = tqdm(total=max_iterations, desc="CRF training (L-BFGS)", unit="iter", file=sys.stderr)

    class ProgressTrainer(pycrfsuite.Trainer):
        def on_iteration(self, log: Any, info: dict) -> None:
            bar.set_postfix(loss=f"{info.get('loss', float('nan')):.1f}", refresh=False)
            bar.update(1)

        def on_start(self, log: Any) -> None: ...
        def on_featgen_progress(self, log: Any, percent: Any) -> None: ...
        def on_featgen_end(self, log: Any) -> None: ...
        def on_prepared(self, log: Any) -> None: ...
        def on_prepare_error(self, log: Any) -> None: ...
        def on_optimization_end(self, log: Any) -> None: ...
        def on_end(self, log: Any) -> None: ...

    crf.verbose, crf.trainer_cls = True, ProgressTrainer
    try:
        with contextlib.redirect_stdout(sys.stderr):  # sklearn-crfsuite prints blank lines when verbose
            crf.fit(sequences, targets)
    finally:
        crf.verbose, crf.trainer_cls = False, None
        bar.close()


@dataclass
class NerModel:
    """A trained CRF tagger with everything needed to predict (clusters included)."""

    crf: Any
    split_clitics: bool
    clusters: WordClusters | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    propagate: bool = True
    inner: tuple[Any, ...] = ()  # one CRF per nested layer below the outermost (train with depths > 1)

    # -- training ----------------------------------------------------------------------------

    @classmethod
    def train(cls, articles: Iterable[Article], *, clusters: WordClusters | None = None,
              split_clitics: bool | str = "auto", c1: float = 0.05, c2: float = 0.05,
              max_iterations: int = 100, show_progress: bool = False, depths: int = 1,
              schema: LabelSchema = KHABAR) -> NerModel:
        """Fit the CRF on the articles' entities (articles without entities still teach ``O``).

        Only entity mentions are learned: the mentions with one of ``schema``'s source labels
        (Khabar's ``SOURCE``, a speaker-only label) are left out, as the ``ner`` task does
        (:func:`benchmark.tasks.ner.entity_view`).

        ``depths`` > 1 also fits one CRF per nested layer below the outermost (layers peeled as
        :func:`entity_layers` does), up to ``depths`` layers; the mentions deeper than that are
        counted in ``meta["not_in_bio"]`` and warned about (:class:`NestedSpansWarning`).
        """
        import sklearn_crfsuite
        from tqdm.auto import tqdm

        articles = [entity_view(article, schema) for article in articles]
        if not articles:
            raise ValueError("no training articles: give an Article JSONL with entities (and check --split)")
        if not any(a.entities for a in articles):
            raise ValueError(f"none of the {len(articles)} training articles has entities; "
                             "train on a corpus with entity annotations")
        if split_clitics == "auto":
            split, clitic_counts = choose_clitic_splitting(articles)
        elif isinstance(split_clitics, bool):
            split, clitic_counts = split_clitics, {}
        else:
            raise ValueError(f"split_clitics must be True, False or 'auto', got {split_clitics!r}")
        sequences, targets = [], []
        not_in_bio = 0
        for article in tqdm(articles, desc="features", unit="doc", disable=not show_progress):
            view = article_to_bio(article, split_clitics=split)
            not_in_bio += len(view.not_in_bio)
            sequences.append(sentence_features([t.text for t in view.tokens], clusters))
            targets.append(list(view.tags))
        if depths < 1:
            raise ValueError(f"depths must be at least 1, got {depths}")

        def fit(sequences: list[Any], targets: list[list[str]]) -> Any:
            crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=c1, c2=c2, max_iterations=max_iterations,
                                       all_possible_transitions=True)
            if show_progress:
                _fit_with_progress(crf, sequences, targets, max_iterations)
            else:
                crf.fit(sequences, targets)
            return crf

        started = time.perf_counter()
        crf = fit(sequences, targets)
        inner = []
        if depths > 1:
            inner, not_in_bio = _fit_inner_layers(articles, depths, split, clusters, fit)
        if not_in_bio:
            warnings.warn(nested_spans_message(not_in_bio, 1 + len(inner)), NestedSpansWarning, stacklevel=2)
        fit_seconds = time.perf_counter() - started
        labels = sorted({tag[2:] for tags in targets for tag in tags if tag != "O"})
        meta = {"feature_version": FEATURE_VERSION, "labels": labels, "n_articles": len(articles),
                "n_tokens": sum(len(t) for t in targets), "not_in_bio": not_in_bio, "layers": 1 + len(inner),
                "split_clitics": split, **clitic_counts, "c1": c1, "c2": c2,
                "max_iterations": max_iterations, "fit_seconds": round(fit_seconds, 2),
                "clusters": None if clusters is None else {"words": len(clusters),
                                                           "granularities": list(clusters.granularities)}}
        return cls(crf=crf, split_clitics=split, clusters=clusters, meta=meta, inner=tuple(inner))

    # -- prediction --------------------------------------------------------------------------

    def predict_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Entity spans ``(start, end, label)`` on ``text`` (code points, half-open)."""
        tokens = tokenize(text, split_clitics=self.split_clitics)
        if not tokens:
            return []
        features = sentence_features([t.text for t in tokens], self.clusters)
        spans = self._spans(tokens, self.crf.predict_single(features))
        for crf in self.inner:
            spans = _add_layer(spans, self._spans(tokens, crf.predict_single(features)))
        return spans

    def _spans(self, tokens: Sequence[Token], tags: Sequence[str]) -> list[tuple[int, int, str]]:
        spans = bio_to_spans(tokens, repair_bio(tags))
        return propagate_labels(tokens, spans) if self.propagate else spans

    def predict_many(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """:meth:`predict_spans` for many texts (one CRF call)."""
        tokenised = [tokenize(text, split_clitics=self.split_clitics) for text in texts]
        features = [sentence_features([t.text for t in tokens], self.clusters) for tokens in tokenised]
        nonempty = [i for i, tokens in enumerate(tokenised) if tokens]
        predicted = self.crf.predict([features[i] for i in nonempty]) if nonempty else []
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        for i, tags in zip(nonempty, predicted, strict=True):
            out[i] = self._spans(tokenised[i], tags)
        for crf in self.inner:
            layer = crf.predict([features[i] for i in nonempty]) if nonempty else []
            for i, tags in zip(nonempty, layer, strict=True):
                out[i] = _add_layer(out[i], self._spans(tokenised[i], tags))
        return out

    # -- persistence -------------------------------------------------------------------------

    def save(self, out_dir: str | Path) -> Path:
        """Write ``out_dir/ner_crf.joblib`` (not meant to be committed)."""
        return save_model(self, out_dir, MODEL_FILE)

    @classmethod
    def load(cls, model_dir: str | Path) -> NerModel:
        """Read a model written by :meth:`save`; refuse one built with other features."""
        return load_model(cls, model_dir, MODEL_FILE, task="ner", feature_version=FEATURE_VERSION)
