"""Word clusters from a raw news corpus: the step behind ``khabar baseline clusters``.

    khabar baseline clusters --corpus ../shared/data/saudinewsnet --out ~/.cache/khabar/word_clusters.npz

Reads SaudiNewsNet (``dataset/*.zip``; or a folder of ``*.txt`` files), tokenises each title and body
with :func:`benchmark.text.tokenize`, keys every token by :func:`baselines.sklearn.features.normalise_token`
and runs :func:`baselines.sklearn.wordclusters.train_word_clusters` (PPMI over ±2 positional contexts →
TruncatedSVD → nested MiniBatchKMeans). The NER baseline takes the file with ``--clusters``; Khabar
v0.1's published NER and quote figures use it (without: NER 0.469 and quotes e2e 0.253 instead of 0.605
and 0.338, docs/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from baselines.sklearn.wordclusters import WordClusters

__all__ = ["PROBES", "cluster_examples", "train_corpus_clusters"]

PROBES = ("بوتين", "الرياض", "محمد", "شركة")
"""Words whose finest cluster is printed after training, so a human can see the clusters make sense."""


def train_corpus_clusters(corpus: str | Path, *, granularities: Sequence[int] = (64, 256, 1024),
                          vocab_size: int = 60_000, context_size: int = 8_000, min_count: int = 3, dims: int = 100,
                          seed: int = 0, show_progress: bool = True) -> WordClusters:
    """Nested word clusters of every title and body of ``corpus`` (see the module docs)."""
    from baselines.sklearn.features import normalise_token
    from baselines.sklearn.wordclusters import iter_saudinewsnet_texts, train_word_clusters
    from benchmark.text import tokenize

    documents = ([t.text for t in tokenize(text)] for text in iter_saudinewsnet_texts(corpus))
    return train_word_clusters(documents, key=normalise_token, vocab_size=vocab_size, context_size=context_size,
                               min_count=min_count, dims=dims, granularities=tuple(granularities), seed=seed,
                               show_progress=show_progress)


def cluster_examples(clusters: WordClusters, probes: Sequence[str] = PROBES, size: int = 12) -> list[str]:
    """One line per probe word found: its cluster ids and up to ``size`` words of its finest cluster."""
    from baselines.sklearn.features import normalise_token

    finest = clusters.labels[:, -1]
    lines = []
    for probe in probes:
        found = clusters.lookup(normalise_token(probe))
        if found is None:
            continue
        same = [w for w, c in zip(clusters.words, finest, strict=True) if c == found[-1]][:size]
        lines.append(f"{probe}: cluster {found} -> {' '.join(same)}")
    return lines
