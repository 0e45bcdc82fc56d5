"""Check the declared dependency floor: a release built here loads, row for row, with the lowest ``datasets``.

    python scripts/check_floor.py                      # the floors pyproject.toml declares
    python scripts/check_floor.py --datasets 4.6.0     # any other version (e.g. to see an older one fail)

1. Builds a release of the bundled gold sample (one document in ``train``, one in the hidden ``test``
   split, so public test rows carry null gold) with the current environment, and reads every config
   and split of the public and private folders back with this environment's ``load_dataset``.
2. Makes a throw-away virtual environment (``python -m venv``) holding only ``datasets``, ``pyarrow``
   and ``numpy`` pinned at the floors ``pyproject.toml`` declares (``datasets>=4.0`` → ``datasets==4.0``,
   which pip reads as 4.0.0),
   installed from the package index (pip's own cache is reused; nothing else is kept).
3. Loads the same folders there with ``load_dataset`` offline, and compares every row.

Prints one line per config and split; exit 0 when every row is equal, 1 with the first difference (or
the floor's own error) otherwise. About a minute, most of it the install. Run by ``scripts/test.sh``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "annotations" / "gold" / "sample.json"
FLOORED = ("datasets", "pyarrow", "numpy")

# Run by the floor environment's python: only `datasets` and the standard library.
LOADER = """
import json, sys
from datasets import get_dataset_config_names, load_dataset
out = {}
for folder in sys.argv[2:]:
    for config in sorted(get_dataset_config_names(folder)):
        for split, rows in load_dataset(folder, config).items():
            out[f"{folder}|{config}|{split}"] = [dict(row) for row in rows]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, sort_keys=True)
"""


def declared_floors(pyproject: Path = REPO / "pyproject.toml") -> dict[str, str]:
    """``{package: lowest version}`` for the :data:`FLOORED` packages of ``[project] dependencies``."""
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    floors = {}
    for requirement in dependencies:
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(?:,.*)?", requirement.strip())
        if found and found[1].lower() in FLOORED:
            floors[found[1].lower()] = found[2]
    missing = [name for name in FLOORED if name not in floors]
    if missing:
        raise SystemExit(f"error: pyproject.toml declares no 'NAME>=VERSION' floor for {missing} "
                         "(fix: declare one, e.g. datasets>=4.0)")
    return floors


def build_sample_release(folder: Path) -> list[str]:
    """Build the bundled sample (first document train, second test) under ``folder``; return the
    public and private release folders."""
    from benchmark.release.build import ReleaseSource, build_release
    from benchmark.release.sources import parse_source, read_source
    from benchmark.release.splits import Assignment, Manifest

    articles = list(read_source(parse_source(str(SAMPLE))))
    splits = dict(zip((a.doc_id for a in articles), ("train", "test"), strict=False))
    manifest = Manifest(documents={doc: Assignment(split, doc, "check_floor") for doc, split in splits.items()})
    built = build_release([ReleaseSource("khabar", articles, total=len(articles))], manifest,
                          folder / "release", folder / "release-private", overwrite=True, progress=False)
    return [str(built.public), str(built.private)]


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    floors = declared_floors()
    for name in FLOORED:
        parser.add_argument(f"--{name}", default=floors[name],
                            help=f"{name} version for the floor environment (default: pyproject's floor, "
                                 f"{floors[name]}; pip reads ==4.0 as 4.0.0)")
    args = parser.parse_args(argv)
    pins = [f"{name}=={getattr(args, name)}" for name in FLOORED]

    with tempfile.TemporaryDirectory(prefix="khabar-floor-") as tmp:
        work = Path(tmp)
        # the floor environment's datasets cache and Hub home stay inside the throw-away folder
        env = {**os.environ, "HF_HOME": str(work / "hf"), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1",
               "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONPATH": ""}
        os.environ.update({"HF_HOME": env["HF_HOME"], "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"})
        folders = build_sample_release(work)
        (work / "loader.py").write_text(LOADER, encoding="utf-8")
        here = run([sys.executable, str(work / "loader.py"), str(work / "here.json"), *folders], env={
            **env, "PYTHONPATH": os.environ.get("PYTHONPATH", "")})
        if here.returncode:
            print(f"error: this environment cannot load the release it built:\n{here.stderr[-3000:]}")
            return 1
        venv = work / "venv"
        print(f"floor environment: {' '.join(pins)} (python -m venv, pip install)")
        made = run([sys.executable, "-m", "venv", str(venv)], env)
        python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
        installed = made if made.returncode else run([str(python), "-m", "pip", "install", "--quiet", *pins], env)
        if installed.returncode:
            print(f"error: could not make the floor environment ({' '.join(pins)}):\n{installed.stderr[-3000:]}")
            return 1
        floor = run([str(python), str(work / "loader.py"), str(work / "floor.json"), *folders], env)
        if floor.returncode:
            print(f"error: {' '.join(pins)} cannot load a release built with this environment — the declared "
                  f"floor is not true (fix: change the features, or raise the floor in pyproject.toml):\n"
                  f"{floor.stderr[-3000:]}")
            return 1
        return compare(_read(work / "here.json"), _read(work / "floor.json"), work)


def _read(path: Path) -> dict[str, list[dict[str, Any]]]:
    return json.loads(path.read_text(encoding="utf-8"))


def compare(here: dict[str, list[dict[str, Any]]], floor: dict[str, list[dict[str, Any]]], work: Path) -> int:
    """Print one line per config and split; 1 at the first row that differs (or a missing split)."""
    if sorted(here) != sorted(floor):
        print(f"error: the floor loads {sorted(floor)}, this environment {sorted(here)}")
        return 1
    for key in sorted(here):
        folder, config, split = key.split("|")
        name = f"{Path(folder).name}/{config}/{split}"
        for index, (mine, theirs) in enumerate(zip(here[key], floor[key], strict=False)):
            if mine != theirs:
                print(f"error: {name} row {index} differs:\n  here:  {json.dumps(mine, ensure_ascii=False)[:500]}"
                      f"\n  floor: {json.dumps(theirs, ensure_ascii=False)[:500]}")
                return 1
        if len(here[key]) != len(floor[key]):
            print(f"error: {name}: {len(here[key])} rows here, {len(floor[key])} with the floor")
            return 1
        print(f"  {name}: {len(here[key])} rows equal")
    print("ok: every config and split of the built release loads identically at the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
