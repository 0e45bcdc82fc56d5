"""Unsupervised word clusters from raw news, used as Brown-cluster-like features by the NER baseline.

Recipe (all numpy/scipy/scikit-learn, a few minutes on 2 cores for SaudiNewsNet's 8.8M words):

1. count every word and keep the ``vocab_size`` most frequent (``min_count`` or more);
2. count co-occurrences of each vocabulary word with the ``context_size`` most frequent words at each
   relative position in a ``±window`` (left and right contexts are separate columns, so the
   embedding sees word order, as Brown clusters do);
3. positive PMI with context-distribution smoothing (alpha 0.75), then TruncatedSVD to ``dims``
   dimensions and L2 row normalisation;
4. MiniBatchKMeans into the finest granularity (e.g. 1024 clusters), then k-means over those
   centroids (weighted by word counts) into each coarser granularity (256, 64). The levels are
   *nested*: a word's coarse cluster is a function of its fine cluster, like a Brown-cluster bit
   prefix, so the CRF can back off from fine to coarse.

Words are looked up by a *key* (by default :func:`cluster_key`: the text layer's normalised form of
the token), so spelling variants (أ/إ/ا, ى/ي, tatweel, harakat) share a cluster.

>>> docs = [["قال", "الرئيس", "إن", "الوضع", "مستقر"], ["أكد", "الوزير", "أن", "الوضع", "صعب"]] * 40
>>> clusters = train_word_clusters(docs, granularities=(2, 4), dims=4, min_count=1, show_progress=False)
>>> sorted(clusters.granularities)
[2, 4]
>>> len(clusters.lookup("الوضع"))
2
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "WordClusters",
    "cluster_key",
    "iter_saudinewsnet_texts",
    "train_word_clusters",
]

FORMAT_VERSION = 1


def cluster_key(token: str) -> str:
    """The lookup key of a token: the text layer's normalised form (alef/ya/taa-marbuta variants,
    tatweel, harakat and bidi marks folded; Latin lower-cased)."""
    from baselines.sklearn.features import normalise_token

    return normalise_token(token)


@dataclass(frozen=True)
class WordClusters:
    """A word → cluster-id table at several nested granularities (coarse to fine)."""

    granularities: tuple[int, ...]
    words: tuple[str, ...]
    labels: np.ndarray  # shape (len(words), len(granularities)), int
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.labels.shape != (len(self.words), len(self.granularities)):
            raise ValueError(f"labels has shape {self.labels.shape}, expected "
                             f"({len(self.words)}, {len(self.granularities)})")
        object.__setattr__(self, "_index", {w: i for i, w in enumerate(self.words)})

    def lookup(self, key: str) -> tuple[int, ...] | None:
        """Cluster ids (one per granularity, coarse to fine) of a key, or ``None`` if unseen."""
        row = self._index.get(key)  # type: ignore[attr-defined]
        return None if row is None else tuple(int(x) for x in self.labels[row])

    def __contains__(self, key: str) -> bool:
        return key in self._index  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.words)

    def save(self, path: str | Path) -> Path:
        """Write to one ``.npz`` file (words, labels, granularities, JSON meta)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                words=np.array(self.words, dtype=object).astype(str),
                labels=self.labels.astype(np.int32),
                granularities=np.array(self.granularities, dtype=np.int32),
                meta=np.array(json.dumps({"format_version": FORMAT_VERSION, **self.meta}, ensure_ascii=False)),
            )
        return path

    @classmethod
    def load(cls, path: str | Path) -> WordClusters:
        """Read a file written by :meth:`save` (clear error when it is missing or not ours)."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"word clusters file {path} does not exist; train it with "
                                    "`python scripts/train_word_clusters.py --corpus <dir> --out {path}`")
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                return cls(granularities=tuple(int(g) for g in data["granularities"]),
                           words=tuple(str(w) for w in data["words"]), labels=np.asarray(data["labels"]),
                           meta=meta)
        except (KeyError, ValueError, OSError) as error:
            raise ValueError(f"{path} is not a word clusters file written by WordClusters.save ({error}); "
                             "re-run scripts/train_word_clusters.py") from error


def iter_saudinewsnet_texts(corpus_dir: str | Path) -> Iterator[str]:
    """Yield the non-empty ``title`` and ``content`` strings of the SaudiNewsNet dump
    (``dataset/*.zip``, each holding one JSON array of articles), or of ``*.txt`` files
    (one document per file) when the folder holds no zips — used by the tests' tiny corpora."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus_dir} does not exist (expected SaudiNewsNet's folder "
                                "with dataset/*.zip, or a folder of .txt files)")
    zips = sorted(corpus_dir.glob("*.zip")) or sorted(corpus_dir.glob("dataset/*.zip"))
    if zips:
        for path in zips:
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if not name.endswith(".json"):
                        continue
                    try:
                        records = json.loads(archive.read(name))
                    except json.JSONDecodeError as error:
                        raise ValueError(f"{path}:{name} is not valid JSON ({error.msg})") from error
                    for record in records:
                        for key in ("title", "content"):
                            value = record.get(key)
                            if isinstance(value, str) and value.strip():
                                yield value
        return
    texts = sorted(corpus_dir.glob("*.txt"))
    if not texts:
        raise FileNotFoundError(f"{corpus_dir} holds no *.zip (SaudiNewsNet) and no *.txt files")
    for path in texts:
        yield path.read_text(encoding="utf-8")


def train_word_clusters(
    documents: Iterable[Sequence[str]],
    *,
    key: Callable[[str], str] | None = None,
    vocab_size: int = 60_000,
    context_size: int = 8_000,
    min_count: int = 3,
    window: int = 2,
    dims: int = 100,
    granularities: Sequence[int] = (64, 256, 1024),
    seed: int = 0,
    show_progress: bool = True,
) -> WordClusters:
    """Train nested word clusters from tokenised documents (each a sequence of tokens).

    ``key`` maps a token to its lookup key (default: identity; the training script passes
    :func:`cluster_key`). Deterministic for a given ``seed``.
    """
    from scipy import sparse
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize
    from tqdm.auto import tqdm

    granularities = tuple(sorted(int(g) for g in granularities))
    if not granularities or granularities[0] < 1:
        raise ValueError(f"granularities must be positive cluster counts, got {granularities}")
    keyed = key or (lambda token: token)

    # 1. keys of every document, and their counts
    sequences: list[list[str]] = []
    counts: Counter[str] = Counter()
    for tokens in tqdm(documents, desc="reading corpus", unit="doc", disable=not show_progress):
        keys = [keyed(t) for t in tokens]
        keys = [k for k in keys if k]
        sequences.append(keys)
        counts.update(keys)
    vocab = [w for w, c in counts.most_common(vocab_size) if c >= min_count]
    if len(vocab) < granularities[-1]:
        raise ValueError(f"only {len(vocab)} words occur {min_count}+ times, fewer than the "
                         f"{granularities[-1]} clusters asked for: use a bigger corpus or smaller granularities")
    word_id = {w: i for i, w in enumerate(vocab)}
    n_context = min(context_size, len(vocab))

    # 2. one id array for the whole corpus (-1 = out of vocabulary, -2 = document boundary)
    pieces = []
    for keys in sequences:
        pieces.append(np.fromiter((word_id.get(k, -1) for k in keys), dtype=np.int64, count=len(keys)))
        pieces.append(np.full(window, -2, dtype=np.int64))
    ids = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
    del sequences

    rows, cols = [], []
    offsets = [d for d in range(-window, window + 1) if d != 0]
    for slot, d in enumerate(offsets):
        if d > 0:
            centre, context = ids[:-d], ids[d:]
        else:
            centre, context = ids[-d:], ids[:d]
        keep = (centre >= 0) & (context >= 0) & (context < n_context)
        rows.append(centre[keep])
        cols.append(context[keep] + slot * n_context)
    row = np.concatenate(rows)
    col = np.concatenate(cols)
    cooc = sparse.coo_matrix((np.ones(len(row), dtype=np.float64), (row, col)),
                             shape=(len(vocab), n_context * len(offsets))).tocsr()
    cooc.sum_duplicates()

    # 3. PPMI with context-distribution smoothing, SVD, normalise
    total = cooc.sum()
    row_sum = np.asarray(cooc.sum(axis=1)).ravel()
    col_smoothed = np.asarray(cooc.sum(axis=0)).ravel() ** 0.75
    col_prob = col_smoothed / col_smoothed.sum()
    coo = cooc.tocoo()
    pmi = np.log((coo.data / total) / ((row_sum[coo.row] / total) * col_prob[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=cooc.shape)
    n_components = max(1, min(dims, min(ppmi.shape) - 1))
    svd = TruncatedSVD(n_components=n_components, algorithm="randomized", n_iter=5, random_state=seed)
    vectors = svd.fit_transform(ppmi)
    # fit_transform gives U·S; the usual choice for word similarity is U·S^0.5
    vectors = normalize(vectors / np.sqrt(np.maximum(svd.singular_values_, 1e-12)))

    # 4. fine clusters, then nested coarse clusters over the fine centroids
    finest = granularities[-1]
    fine = MiniBatchKMeans(n_clusters=finest, batch_size=4096, n_init=3, max_iter=50, random_state=seed)
    fine_labels = fine.fit_predict(vectors)
    weights = np.bincount(fine_labels, weights=np.array([counts[w] for w in vocab], dtype=float),
                          minlength=finest)
    labels = np.zeros((len(vocab), len(granularities)), dtype=np.int32)
    labels[:, -1] = fine_labels
    for level, k in enumerate(granularities[:-1]):
        coarse = KMeans(n_clusters=k, n_init=3, random_state=seed)
        centroid_labels = coarse.fit(fine.cluster_centers_, sample_weight=weights + 1e-9).labels_
        labels[:, level] = centroid_labels[fine_labels]
    meta = {"vocab_size": len(vocab), "context_size": n_context, "window": window, "dims": n_components,
            "min_count": min_count, "seed": seed, "tokens": int((ids >= -1).sum()),
            "key": getattr(key, "__name__", "identity") if key else "identity"}
    return WordClusters(granularities=granularities, words=tuple(vocab), labels=labels, meta=meta)
