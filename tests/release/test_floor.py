"""The release loads with the lowest ``datasets`` pyproject declares: no feature type newer than the floor.

``scripts/check_floor.py`` (run by ``scripts/test.sh``) proves it end to end in a separate venv; these
tests hold the parts that can be checked in this environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.model import Article
from benchmark.release.rows import ArticleRows

from ..support import load_script


def test_the_card_declares_no_json_feature_type(tmp_path):
    """``dtype: json`` (the ``Json`` feature) loads only with datasets >= 4.7: ``meta`` is JSON text."""
    from datasets import Value

    assert ArticleRows().features()["meta"] == Value("string")
    check_floor = load_script("check_floor")
    public, private = check_floor.build_sample_release(tmp_path)
    for folder in (public, private):
        card = (Path(folder) / "README.md").read_text(encoding="utf-8")
        assert "dtype: json" not in card
        assert "json.loads(row['meta'])" in card  # the card says how to read it


def test_meta_reads_back_from_json_text_and_bad_meta_names_the_document():
    layout = ArticleRows()
    article = Article(doc_id="d1", text="خبر", meta={"split": "train", "url_sha": "ab"})
    row = layout.row(article)
    assert json.loads(row["meta"]) == {"split": "train", "url_sha": "ab"}
    assert layout.article(row) == article
    assert layout.article({**row, "meta": {"split": "train", "url_sha": "ab"}}) == article  # a parsed mapping too
    with pytest.raises(ValueError, match=r"d1: column 'meta' is not a JSON object .*fix: rebuild"):
        layout.article({**row, "meta": "{not json"})
    with pytest.raises(ValueError, match=r"d1: column 'meta' holds JSON list"):
        layout.article({**row, "meta": "[1]"})


def test_the_floor_script_reads_pyproject_floors():
    floors = load_script("check_floor").declared_floors()
    assert set(floors) == {"datasets", "pyarrow", "numpy"}
    assert int(floors["datasets"].split(".")[0]) >= 4  # the code imports datasets.List (4.0+)
