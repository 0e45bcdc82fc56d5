"""``khabar run`` from a built wheel in a fresh virtual environment and an empty folder (issue 16.3).

The main command's defaults (the gold sample and the split manifest) are package data
(``benchmark/resources``), copies of the files the annotation team edits under ``annotations/``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmark.resources import ORIGINALS, bundled_path

REPO = Path(__file__).resolve().parents[2]


def test_bundled_files_equal_the_committed_originals() -> None:
    for name, original in ORIGINALS.items():
        assert bundled_path(name).read_bytes() == (REPO / original).read_bytes(), (
            f"benchmark/resources/{name} differs from {original} (fix: cp {original} benchmark/resources/{name})")


def test_unknown_bundled_file_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"'gold/other.json' is not a bundled file \(one of \['gold/sample"):
        bundled_path("gold/other.json")


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.mark.slow
def test_khabar_run_from_a_wheel_in_a_fresh_venv_and_an_empty_folder(tmp_path) -> None:
    """Build the wheel from a copy of the sources (nothing written into the checkout), install it alone
    (``--no-deps``) into a venv that sees this environment's dependencies, run ``khabar run`` in an empty
    folder."""
    pytest.importorskip("setuptools", reason="building the wheel offline needs setuptools in this environment")
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for package in ("benchmark", "baselines"):
        shutil.copytree(REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
          "--wheel-dir", str(tmp_path / "dist"), str(source)], tmp_path, env)
    [wheel] = (tmp_path / "dist").glob("khabar-*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], tmp_path, env)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall",
          "--quiet", str(wheel)], tmp_path, env)
    empty = tmp_path / "empty"
    empty.mkdir()
    where = _run([str(bin_dir / "python"), "-c", "import benchmark, baselines; print(benchmark.__file__); "
                  "print(baselines.__file__)"], empty, env).stdout.split()
    assert all(Path(path).is_relative_to(venv) for path in where), where  # the wheel, not the checkout

    result = _run([str(bin_dir / "khabar"), "run", "--quiet"], empty, env)
    record = json.loads((empty / "runs" / "main" / "run.json").read_text(encoding="utf-8"))
    for what, path in record["outputs"].items():
        assert path in result.stdout and (empty / path).exists(), what
    assert sorted(d for fold in record["folds"] for d in fold["test"]) == ["seed/un-security-council",
                                                                           "seed/vostochny"]
    for task in ("ner", "quotes", "stance"):
        results = json.loads((empty / "runs" / "main" / "results" / task / "results.json").read_text("utf-8"))
        assert results["headline"]["ci_low"] <= results["headline"]["value"] <= results["headline"]["ci_high"]
    assert (empty / "runs" / "main" / "leaderboard" / "index.html").is_file()
    assert sorted(p.name for p in empty.iterdir()) == ["runs"]  # nothing else written into the folder
