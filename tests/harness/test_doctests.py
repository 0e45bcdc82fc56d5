"""Run the examples in the harness modules' docstrings (the repo's pytest does not collect doctests)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "benchmark.tasks", "benchmark.tasks.checks", "benchmark.metrics.base", "benchmark.metrics.ner",
    "benchmark.metrics.quotes", "benchmark.metrics.stance", "benchmark.harness.bootstrap",
    "benchmark.harness.gold", "benchmark.harness.validation", "benchmark.harness.evaluate",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
