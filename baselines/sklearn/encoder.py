"""Frozen sentence embeddings: an optional dense block for the scikit-learn stance baseline.

A :class:`SentenceEncoder` reads a ``transformers`` encoder (a folder such as the one ``khabar convert-e5`` writes
from the bundled multilingual-e5-small, or any model id the Hub cache holds) and returns mean-pooled, L2-normalised
embeddings. Nothing is trained: the encoder stays frozen, and the stance model uses the vectors as features, in its
classifier (the holder quote's meaning) and in its holder ranker (how close a candidate quote is to a row's target:
``الرياض`` for ``المملكة العربية السعودية``, ``التفجير`` for ``تفجير مسجد …``, which shared stems miss).

E5 models were trained with ``query: `` and ``passage: `` prefixes (targets are the queries, quotes the passages);
another encoder may want other prefixes (``query_prefix``/``passage_prefix``, empty for none).

Pickling keeps the model name and settings only (a saved stance model does not carry the encoder's weights): the
encoder is read again, lazily, at the first embedding after loading.

>>> SentenceEncoder("runs/e5-small").describe()
"runs/e5-small (mean-pooled, max 128 tokens, prefixes 'query: ' / 'passage: ')"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["EncoderError", "SentenceEncoder"]

DECIMALS = 4  # embeddings are rounded: padding for longer batch-mates moves a vector's last float bits, and
# rounding hides that (but for a value on a rounding boundary), so a text's features hardly depend on its batch


class EncoderError(ValueError):
    """The encoder cannot be read (the message names it and the fix)."""


@dataclass
class SentenceEncoder:
    """Mean-pooled, L2-normalised embeddings of a frozen ``transformers`` encoder (``model``: a folder or a model id),
    memoised per text."""

    model: str
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    max_length: int = 128
    batch_size: int = 32
    _loaded: Any = field(default=None, repr=False, compare=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_loaded": None, "_memo": {}}

    def describe(self) -> str:
        return (f"{self.model} (mean-pooled, max {self.max_length} tokens, prefixes {self.query_prefix!r} / "
                f"{self.passage_prefix!r})")

    def queries(self, texts: Sequence[str]) -> Any:
        """Embeddings of ``texts`` as queries (stance targets): ``[len(texts), dim]``."""
        return self.embed([self.query_prefix + text for text in texts])

    def passages(self, texts: Sequence[str]) -> Any:
        """Embeddings of ``texts`` as passages (quotes, their context, an article's lead)."""
        return self.embed([self.passage_prefix + text for text in texts])

    def embed(self, texts: Sequence[str]) -> Any:
        """Embeddings of ``texts`` as given (no prefix added): ``[len(texts), dim]`` float32 rows of norm 1."""
        import numpy as np

        # batches by length, ties by text: never by set order, which follows the per-process string hash seed and
        # would change a text's batch-mates (and, on a rounding boundary, its rounded vector) from run to run
        missing = sorted({text for text in texts if text not in self._memo}, key=lambda text: (len(text), text))
        if missing:
            tokenizer, encoder = self._load()
            for start in range(0, len(missing), self.batch_size):
                batch = missing[start:start + self.batch_size]
                for text, vector in zip(batch, self._encode(tokenizer, encoder, batch), strict=True):
                    self._memo[text] = vector
        if not texts:
            return np.zeros((0, self.dimension()), dtype=np.float32)
        return np.stack([self._memo[text] for text in texts])

    def dimension(self) -> int:
        _, encoder = self._load()
        return int(encoder.config.hidden_size)

    def _encode(self, tokenizer: Any, encoder: Any, batch: Sequence[str]) -> Any:
        import numpy as np
        import torch

        inputs = tokenizer(list(batch), padding=True, truncation=True, max_length=self.max_length,
                           return_tensors="pt")
        with torch.inference_mode():
            hidden = encoder(**inputs).last_hidden_state
        mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = torch.nn.functional.normalize((hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1), dim=-1)
        return np.round(pooled.float().numpy(), DECIMALS).astype(np.float32)

    def _load(self) -> tuple[Any, Any]:
        if self._loaded is None:
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging

            name = str(Path(self.model).expanduser()) if Path(self.model).expanduser().exists() else self.model
            verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
            hf_logging.set_verbosity_error()  # "pooler weights newly initialised": the pooler is not used
            hf_logging.disable_progress_bar()  # a bar per weight file: noise in a baseline run's log
            try:
                tokenizer = AutoTokenizer.from_pretrained(name)
                encoder = AutoModel.from_pretrained(name).eval()
            except (OSError, ValueError) as error:
                raise EncoderError(
                    f"cannot read the sentence encoder {self.model!r}: {str(error).splitlines()[0]} (fix: give a "
                    "transformers model folder, e.g. `khabar convert-e5 --out DIR` writes multilingual-e5-small "
                    "offline, or a model id in the Hugging Face cache)") from None
            finally:
                hf_logging.set_verbosity(verbosity)
                if bars:
                    hf_logging.enable_progress_bar()
            self._loaded = (tokenizer, encoder)
        return self._loaded
