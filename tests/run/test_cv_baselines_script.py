"""``scripts/cv_baselines.py``, the cross-validation loop the v0.2 baselines were developed with: train/validation
documents only, NER mentions cached out of fold, quotes then stance scored by the shared harness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..support import load_script, sample_manifest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "annotations" / "gold" / "sample.articles.jsonl"


@pytest.mark.slow
def test_the_loop_scores_quotes_and_stance_and_reuses_its_cached_mentions(tmp_path, capsys):
    script = load_script("cv_baselines")
    manifest = sample_manifest(tmp_path, {"seed/vostochny": "train", "seed/un-security-council": "validation"})
    cache = tmp_path / "cv"
    args = [str(SAMPLE), "--manifest", str(manifest), "--cache", str(cache), "--folds", "2"]
    assert script.main(args) == 0
    results = json.loads((cache / "results-all.json").read_text(encoding="utf-8"))
    assert results["documents"] == 2 and results["folds"] == 2
    assert 0.0 <= results["quotes"]["e2e/f1"]["value"] <= 1.0
    assert set(results["stance"]) == {"end to end", "oracle"}
    cached = cache / "ner_oof.json"
    assert set(json.loads(cached.read_text(encoding="utf-8"))) == {"seed/vostochny", "seed/un-security-council"}
    before = cached.stat().st_mtime_ns
    assert script.main([*args, "--task", "quotes"]) == 0
    assert cached.stat().st_mtime_ns == before  # the NER is not trained again
    assert "[ner]" not in capsys.readouterr().out.split("[quotes]")[-1]


def test_test_documents_are_never_read(tmp_path):
    script = load_script("cv_baselines")
    manifest = sample_manifest(tmp_path, {"seed/vostochny": "train", "seed/un-security-council": "test"})
    with pytest.raises(ValueError, match="at least two documents"):  # one train document left: nothing to fold
        script.main([str(SAMPLE), "--manifest", str(manifest), "--cache", str(tmp_path / "cv"), "--folds", "2"])
