"""Character spans ↔ sub-token windows: the machinery the NER and quote baselines share.

How an article becomes model input, and how predictions become character spans again:

1. **Words.** The text layer tokenizes the article (:func:`benchmark.text.tokenize`, clitics
   split, so ``لروسيا`` is ``ل`` + ``روسيا``). For training, :func:`benchmark.text.tokenize_for_spans`
   also cuts at every gold span edge, and :func:`benchmark.text.spans_to_bio` tags the words
   (IOB2). Spans that BIO cannot carry (nested or crossing ones) are kept out by
   :func:`benchmark.text.outermost_layer` and *counted* (:attr:`EncodedDoc.not_in_bio`).
2. **Sub-tokens.** The words go to a fast tokenizer with ``is_split_into_words=True``; a word the
   tokenizer would drop entirely (a lone bidi mark) is replaced by the unknown token, so every
   word has at least one sub-token and therefore a prediction.
3. **Windows.** An article longer than ``max_length`` sub-tokens is cut into overlapping windows
   (``stride`` shared sub-tokens, the tokenizer's ``return_overflowing_tokens``).
4. **Labels on the first sub-token of each word** (the word's real first piece, found with the
   offset mapping, so a window that starts in the middle of a word does not label its tail);
   the other pieces get ``-100`` and are ignored by the loss.
5. **Merging.** A word seen in two windows takes the label scores (log-probabilities) of the
   window where it sits farthest from the window's edges (most context on both sides).
6. **Decoding.** The word tags are the best *valid* IOB2 sequence under those scores
   (:func:`viterbi_tags`: ``I-X`` only after ``B-X``/``I-X``), not a per-word argmax, so one
   weak word inside a long quote does not cut it in two.
7. **Spans.** The tags go back through :func:`benchmark.text.bio_to_spans`, giving
   ``(start, end, label)`` in code points on the original text.

A span whose edge falls inside a word of the prediction-time tokenization (not a clitic the
text layer splits) cannot be predicted exactly; that is a limit of any word-level tagger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from benchmark.text import Token, bio_to_spans, outermost_layer, spans_to_bio, tokenize, tokenize_for_spans

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from transformers import PreTrainedTokenizerBase

__all__ = ["IGNORE", "EncodedDoc", "Window", "bio_label_names", "decode_spans", "encode_doc", "merge_word_scores",
           "predict_docs", "train_tagger", "viterbi_tags"]

IGNORE = -100
"""The label id the loss ignores (non-first sub-tokens, special tokens)."""

Span = tuple[int, int, str]


def bio_label_names(span_labels: Sequence[str]) -> tuple[str, ...]:
    """``O`` then ``B-X``, ``I-X`` for every span label X, in order.

    >>> bio_label_names(["PER", "GPE"])
    ('O', 'B-PER', 'I-PER', 'B-GPE', 'I-GPE')
    """
    return ("O", *(f"{prefix}-{label}" for label in span_labels for prefix in ("B", "I")))


@dataclass
class Window:
    """One model input: sub-token ids and, per position, the word it starts (or -1)."""

    features: dict[str, list[int]]
    word_starts: list[int]  # per position: index of the word whose FIRST sub-token is here, else -1


@dataclass
class EncodedDoc:
    """An article as words (code-point offsets on its text) and model windows."""

    doc_id: str
    words: list[Token]
    windows: list[Window]
    tags: list[str] | None = None  # gold word tags (training only)
    not_in_bio: list[Span] = field(default_factory=list)  # gold spans BIO could not carry


def encode_doc(tokenizer: PreTrainedTokenizerBase, doc_id: str, text: str, *, max_length: int, stride: int,
               gold: Sequence[Span] | None = None, label2id: dict[str, int] | None = None) -> EncodedDoc:
    """Words and windows of one article; with ``gold`` spans, word tags and window labels too.

    Raises ``ValueError`` naming the doc_id when a gold span cannot be aligned to words.
    """
    if gold is not None:
        try:
            words = tokenize_for_spans(text, gold, split_clitics=True)
            kept, rest = outermost_layer(list(gold))
            tags = spans_to_bio(words, kept, text=text)
        except ValueError as error:
            raise ValueError(f"{doc_id}: {error}") from error
    else:
        words, tags, rest = tokenize(text, split_clitics=True), None, []
    windows = _windows(tokenizer, [w.text for w in words], max_length, stride)
    if tags is not None:
        if label2id is None:
            raise ValueError("encode_doc: gold spans need label2id")
        unknown = sorted({t for t in tags if t not in label2id})
        if unknown:
            raise ValueError(f"{doc_id}: tags {unknown} are not in the model's labels {sorted(label2id)} (fix: "
                             "train with the schema the data is labelled in, --schema)")
        for window in windows:
            window.features["labels"] = [label2id[tags[w]] if w >= 0 else IGNORE for w in window.word_starts]
    return EncodedDoc(doc_id, words, windows, tags, [tuple(s) for s in rest])


def _windows(tokenizer: PreTrainedTokenizerBase, words: list[str], max_length: int, stride: int) -> list[Window]:
    if not words:
        return []

    def encode(items: list[str]) -> Any:
        return tokenizer(items, is_split_into_words=True, truncation=True, max_length=max_length, stride=stride,
                         return_overflowing_tokens=True, return_offsets_mapping=True)

    encoding = encode(words)
    seen = {w for i in range(len(encoding["input_ids"])) for w in encoding.word_ids(i) if w is not None}
    if len(seen) < len(words):  # words the tokenizer drops entirely (bidi marks …): stand in [UNK]
        unk = tokenizer.unk_token or "[UNK]"
        words = [word if i in seen else unk for i, word in enumerate(words)]
        encoding = encode(words)
    # the real first piece of every word: the smallest start offset among its pieces
    first_offset: dict[int, int] = {}
    for i in range(len(encoding["input_ids"])):
        for word, (start, _) in zip(encoding.word_ids(i), encoding["offset_mapping"][i], strict=True):
            if word is not None and start < first_offset.get(word, 1 << 30):
                first_offset[word] = start
    windows = []
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in encoding]
    for i in range(len(encoding["input_ids"])):
        starts, labelled = [], set()
        for word, (start, _) in zip(encoding.word_ids(i), encoding["offset_mapping"][i], strict=True):
            if word is not None and word not in labelled and start == first_offset[word]:
                starts.append(word)
                labelled.add(word)
            else:
                starts.append(-1)
        windows.append(Window({k: list(encoding[k][i]) for k in keys}, starts))
    return windows


def merge_word_scores(doc: EncodedDoc, window_scores: Sequence[np.ndarray]) -> np.ndarray:
    """Per-word label scores ``[n_words, n_labels]`` from per-window scores ``[positions, n_labels]``
    (log-probabilities from the model). A word in several windows takes the scores of the window
    where it is farthest from the edges. Every word has a first sub-token in some window (see
    :func:`encode_doc`), so every word gets scores."""
    import numpy as np

    best: dict[int, tuple[int, np.ndarray]] = {}  # word -> (distance to the window edge, scores)
    for window, scores in zip(doc.windows, window_scores, strict=True):
        hi = len(window.word_starts) - 1
        for position, word in enumerate(window.word_starts):
            if word < 0:
                continue
            margin = min(position, hi - position)
            if word not in best or margin > best[word][0]:
                best[word] = (margin, scores[position])
    missing = [i for i in range(len(doc.words)) if i not in best]
    if missing:
        raise RuntimeError(f"{doc.doc_id}: words {missing[:5]} got no prediction (a tokenizer that drops "
                           "them even as its unknown token?)")
    if not best:
        return np.zeros((0, 0))
    return np.stack([best[i][1] for i in range(len(doc.words))])


def viterbi_tags(scores: np.ndarray, labels: Sequence[str]) -> list[str]:
    """The highest-scoring tag sequence that is valid IOB2: ``I-X`` only after ``B-X`` or ``I-X``.

    ``scores[t, j]`` is the log-probability of label j for word t. Unlike a per-word argmax, this
    does not break an entity (or a long quote) at one weak word, and never starts one with ``I-``.

    >>> import numpy as np
    >>> labels = ["O", "B-PER", "I-PER"]
    >>> log = np.log(np.array([[0.1, 0.8, 0.1], [0.5, 0.05, 0.45], [0.1, 0.1, 0.8]]))
    >>> [labels[i] for i in log.argmax(axis=1)], viterbi_tags(log, labels)
    (['B-PER', 'O', 'I-PER'], ['B-PER', 'I-PER', 'I-PER'])
    """
    import numpy as np

    n_words, n_labels = scores.shape if scores.size else (0, len(labels))
    if n_words == 0:
        return []
    allowed = np.zeros((n_labels, n_labels))  # allowed[previous, next]: 0 or -inf
    for j, tag in enumerate(labels):
        if tag.startswith("I-"):
            for i, previous in enumerate(labels):
                if previous[2:] != tag[2:] or previous == "O":
                    allowed[i, j] = -np.inf
    start = np.array([-np.inf if tag.startswith("I-") else 0.0 for tag in labels])
    best = start + scores[0]
    back = np.zeros((n_words, n_labels), dtype=np.int64)
    for t in range(1, n_words):
        candidates = best[:, None] + allowed  # [previous, next]
        back[t] = candidates.argmax(axis=0)
        best = candidates.max(axis=0) + scores[t]
    path = [int(best.argmax())]
    for t in range(n_words - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return [labels[i] for i in reversed(path)]


def decode_spans(doc: EncodedDoc, tags: Sequence[str]) -> list[Span]:
    """Character spans ``(start, end, label)`` on the original text from (valid IOB2) word tags."""
    return bio_to_spans(doc.words, list(tags), mode="strict")


def predict_docs(model: Any, tokenizer: PreTrainedTokenizerBase, docs: Sequence[EncodedDoc], *,
                 batch_size: int = 16, progress: bool = True) -> list[list[str]]:
    """Word tags of every document: windows are batched across documents and run without
    gradients; their log-probabilities are merged back per document (:func:`merge_word_scores`)
    and decoded into valid IOB2 (:func:`viterbi_tags`)."""
    import torch
    from tqdm.auto import tqdm

    flat = [(d, k) for d, doc in enumerate(docs) for k in range(len(doc.windows))]
    predictions: dict[tuple[int, int], np.ndarray] = {}
    model.eval()
    batches = range(0, len(flat), batch_size)
    for begin in tqdm(batches, desc="predict (windows)", unit="batch", disable=not progress):
        chunk = flat[begin:begin + batch_size]
        features = [{k: v for k, v in docs[d].windows[k_].features.items() if k != "labels"} for d, k_ in chunk]
        batch = tokenizer.pad(features, return_tensors="pt")
        with torch.no_grad():
            log_probs = torch.log_softmax(model(**batch).logits.float(), dim=-1).cpu().numpy()
        for (d, k), scores in zip(chunk, log_probs, strict=True):
            predictions[(d, k)] = scores[: len(docs[d].windows[k].word_starts)]
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    return [viterbi_tags(merge_word_scores(doc, [predictions[(d, k)] for k in range(len(doc.windows))]), labels)
            if doc.windows else [] for d, doc in enumerate(docs)]


def train_tagger(base_model: str, train_docs: Sequence[EncodedDoc], dev_docs: Sequence[EncodedDoc] | None,
                 label_names: Sequence[str], options: Any, out_dir: str, tokenizer: PreTrainedTokenizerBase) -> Any:
    """Fine-tune ``AutoModelForTokenClassification`` on the windows of ``train_docs`` with the
    ``Trainer`` and save model and tokenizer to ``out_dir``; return the trained model.

    ``options`` is a :class:`~baselines.transformers.common.TrainOptions`. The classification
    head is new (``ignore_mismatched_sizes``: a model fine-tuned on other labels can be the base).
    """
    from transformers import AutoModelForTokenClassification, DataCollatorForTokenClassification, Trainer, set_seed

    from baselines.transformers.common import head_optimizer, training_arguments

    set_seed(options.seed)
    id2label = dict(enumerate(label_names))
    model = AutoModelForTokenClassification.from_pretrained(
        base_model, num_labels=len(label_names), id2label=id2label,
        label2id={label: i for i, label in id2label.items()}, ignore_mismatched_sizes=True)
    train = [w.features for doc in train_docs for w in doc.windows]
    dev = [w.features for doc in dev_docs for w in doc.windows] if dev_docs else None
    if not train:
        raise ValueError("no training windows: the training file has no text")
    trainer = Trainer(model=model, args=training_arguments(out_dir, options, has_dev=bool(dev)),
                      optimizers=head_optimizer(model, options),
                      train_dataset=train, eval_dataset=dev, processing_class=tokenizer,
                      data_collator=DataCollatorForTokenClassification(tokenizer))
    trainer.train()
    trainer.save_model(out_dir)
    tokenizer.save_pretrained(out_dir)
    return trainer.model
