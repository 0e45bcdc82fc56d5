"""Fixtures for the gold-sample tests: the authoring script (loaded from its path) and its articles."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "annotations" / "gold"


@pytest.fixture(scope="session")
def author_gold() -> ModuleType:
    """``annotations/gold/author_gold.py`` as a module (it is a script, not part of the package)."""
    name = "khabar_author_gold"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, GOLD / "author_gold.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses need the module registered while it executes
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def authored(author_gold: ModuleType):
    """``(articles, resolved spans)`` as the authoring script builds them from the seed."""
    return author_gold.build_articles()
