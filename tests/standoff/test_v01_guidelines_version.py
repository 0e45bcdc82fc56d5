"""The v0.1 provenance records the guidelines version each annotation followed (issue #16: it was None).

The first 40 articles of ``selection.json`` were annotated under guidelines v1.0, the next 20 under v1.1
(docs/corpus-v0.1.md, annotations/guidelines-changelog.md); the gold takes its lead pass's version.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from benchmark.model import Article, Provenance
from benchmark.schema import GUIDELINES_VERSION

from ..support import load_script

FILES = ("passes/annotator-a.standoff.jsonl", "passes/annotator-b.standoff.jsonl", "gold.standoff.jsonl")


@pytest.fixture(scope="module")
def workflow():
    return load_script("v01_workflow")


def test_the_rounds_versions_are_released_guidelines_versions(repo_root, workflow):
    """Each round's version is a version of the changelog (v0.1 was annotated under 1.0 and 1.1, whatever
    the current version is)."""
    released = set(re.findall(r"^## (\S+) — ", (repo_root / "annotations" / "guidelines-changelog.md").read_text(
        encoding="utf-8"), flags=re.M))
    assert GUIDELINES_VERSION in released
    assert [version for version, _ in workflow.ROUND_GUIDELINES] == ["1.0", "1.1"] and {"1.0", "1.1"} <= released


@pytest.mark.parametrize("name", FILES)
def test_every_v01_record_names_its_round_s_guidelines(repo_root, workflow, name):
    versions = workflow.guidelines_versions()
    assert Counter(versions.values()) == {"1.0": 40, "1.1": 20}
    records = [json.loads(line) for line in (repo_root / "annotations" / "v0.1" / name).read_text(
        encoding="utf-8").splitlines()]
    assert len(records) == 60
    assert [r["provenance"]["guidelines_version"] for r in records] == [versions[r["doc_id"]] for r in records]


def test_a_pulled_pass_gets_its_round_s_version(workflow):
    pulled = Article(doc_id="d1", text="نص", provenance=Provenance(annotator="a"))
    recorded = Article(doc_id="d2", text="نص", provenance=Provenance(annotator="a", guidelines_version="9"))
    stamped = workflow.with_guidelines([pulled, recorded], {"d1": "1.0", "d2": "1.1"})
    assert [a.provenance.guidelines_version for a in stamped] == ["1.0", "9"]
