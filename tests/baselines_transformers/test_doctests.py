"""The examples in the transformer baselines' docstrings run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["baselines.transformers.common", "baselines.transformers.tagging", "baselines.transformers.quotes",
           "baselines.transformers.stance", "baselines.transformers.tiny", "baselines.transformers.e5"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
