"""Shared test setup: offline Hugging Face, the path to ../shared/data, and its skip marker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Never reach the Hub from a test: a Hub name without these can hang for minutes.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("KHABAR_SHARED_DATA", REPO.parent / "shared" / "data"))
SEED_ARTICLE = REPO.parent / "shared" / "seed" / "article.txt"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public corpora beside the repo; tests using it skip (with the reason) when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public corpora not found at {SHARED_DATA} (present in CI; set KHABAR_SHARED_DATA)")
    return SHARED_DATA


def corpus_dir(shared: Path, name: str) -> Path:
    path = shared / name
    if not path.is_dir():
        pytest.skip(f"corpus {name!r} not found under {shared}")
    return path
