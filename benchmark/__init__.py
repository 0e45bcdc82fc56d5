"""Khabar (خبر): an Arabic news understanding benchmark.

The public API, imported lazily so that ``import benchmark`` stays cheap::

    from benchmark import Article, Mention, Quote, Stance, read_articles, write_articles
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Article": "benchmark.model",
    "ArticleError": "benchmark.model",
    "Issue": "benchmark.model",
    "Mention": "benchmark.model",
    "Provenance": "benchmark.model",
    "Quote": "benchmark.model",
    "Span": "benchmark.model",
    "Stance": "benchmark.model",
    "find_problems": "benchmark.model",
    "LabelSchema": "benchmark.schema",
    "KHABAR": "benchmark.schema",
    "read_articles": "benchmark.io",
    "scan_articles": "benchmark.io",
    "write_articles": "benchmark.io",
    "write_jsonl": "benchmark.io",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'benchmark' has no attribute {name!r}")
