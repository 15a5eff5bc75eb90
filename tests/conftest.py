"""Shared fixtures: the real seed articles, indexed once per test session.

The e5 index (the real default model) is built once and shared; most graph and CLI tests use it.
A hash-encoder index (no model) serves tests that need to rebuild indexes cheaply.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_lines():
    """1-based line access to the seed files: seed_lines(doc)[n] is line n."""
    cache: dict[str, list[str]] = {}

    def lines(doc: str) -> list[str]:
        if doc not in cache:
            cache[doc] = [""] + (SEEDS / doc).read_text("utf-8").split("\n")
        return cache[doc]

    return lines


@pytest.fixture(scope="session")
def e5_index(tmp_path_factory) -> Path:
    from gokg import KnowledgeBase

    index = tmp_path_factory.mktemp("e5") / "index"
    KnowledgeBase.build([SEEDS], index, encoder="e5")
    return index


@pytest.fixture(scope="session")
def kb(e5_index):
    from gokg import KnowledgeBase

    return KnowledgeBase.open(e5_index)


@pytest.fixture(scope="session")
def hash_index(tmp_path_factory) -> Path:
    from gokg import KnowledgeBase

    index = tmp_path_factory.mktemp("hash") / "index"
    KnowledgeBase.build([SEEDS], index, encoder="hash")
    return index


@pytest.fixture(scope="session")
def dev_queries() -> Path:
    path = EVAL / "dev_queries.jsonl"
    if not path.exists():
        pytest.skip("../shared/eval is not beside this checkout")
    return path


@pytest.fixture(autouse=True)
def _no_index_env(monkeypatch):
    monkeypatch.delenv("GOKG_INDEX", raising=False)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def copy_with_format_version(index: Path, to: Path, version) -> Path:
    """A copy of ``index`` whose manifest claims another format version (an index from another gokg)."""
    import json
    import shutil

    shutil.copytree(index, to)
    manifest = json.loads((to / "manifest.json").read_text("utf-8"))
    manifest["format_version"] = version
    (to / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    return to
