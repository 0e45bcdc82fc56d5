"""The examples in the text layer's docstrings run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["benchmark.text", "benchmark.text.normalize", "benchmark.text.tokenize", "benchmark.text.align",
           "benchmark.text.batch", "benchmark.text.clitic_batch"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    # import_module, not attribute access: benchmark.text.normalize/tokenize are also function names.
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
