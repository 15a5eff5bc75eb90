"""The index on disk: round trip, format guard, atomic writes, a killed ingest, incremental re-ingest."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import copy_with_format_version
from gokg import KnowledgeBase
from gokg.errors import IndexFormatError, IndexMissingError, InputError


def test_round_trip_gives_the_same_results(hash_index, seeds, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(hash_index, copy)
    a, b = KnowledgeBase.open(hash_index), KnowledgeBase.open(copy)
    assert a.search("saga 补偿").to_dict() == b.search("saga 补偿").to_dict()
    manifest = json.loads((copy / "manifest.json").read_text("utf-8"))
    assert manifest["encoder"] == {"name": "hash", "dim": 256}
    assert set(manifest["files"]) == {p.name for p in seeds.iterdir()}
    assert manifest["counts"]["passages"] == len(a.passages)


def test_wrong_format_version_is_refused(hash_index, tmp_path):
    old = copy_with_format_version(hash_index, tmp_path / "old", 0)
    with pytest.raises(IndexFormatError, match=r"format version 0.*gokg ingest .*--index .*--force"):
        KnowledgeBase.open(old)


def test_damaged_index_is_refused(hash_index, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(hash_index, broken)
    (broken / "graph.json").write_text("{", "utf-8")
    with pytest.raises(IndexFormatError, match="damaged index"):
        KnowledgeBase.open(broken)


def test_missing_index(tmp_path):
    with pytest.raises(IndexMissingError, match="gokg ingest"):
        KnowledgeBase.open(tmp_path / "none")


def test_failed_ingest_keeps_the_old_index(hash_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(hash_index, index)
    before = (index / "manifest.json").read_text("utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("", "utf-8")
    with pytest.raises(InputError, match="nothing to index"):
        KnowledgeBase.build([empty], index, encoder="hash")
    assert (index / "manifest.json").read_text("utf-8") == before
    assert not list(tmp_path.glob(".index.tmp-*"))


def test_killed_ingest_keeps_the_old_index(hash_index, seeds, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(hash_index, index)
    before = KnowledgeBase.open(index).search("saga 补偿").to_dict()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(60):  # big enough that the ingest is still running when it is killed
        for seed in seeds.iterdir():
            shutil.copy(seed, corpus / f"{i:03d}_{seed.name}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gokg.cli", "ingest", str(corpus), "--index", str(index), "--encoder", "hash"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while not list(tmp_path.glob(".index.tmp-*")) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert KnowledgeBase.open(index).search("saga 补偿").to_dict() == before
    # the next successful ingest cleans up what the killed one left behind
    KnowledgeBase.build([seeds], index, encoder="hash")
    assert not list(tmp_path.glob(".index.tmp-*"))


def test_unchanged_reingest_embeds_nothing(hash_index, seeds, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(hash_index, index)
    kb = KnowledgeBase.build([seeds], index, encoder="hash")
    assert kb.build_report.embedded == 0 and kb.build_report.passages > 200
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    with (corpus / "000_ec0da037d95f2b7d.txt").open("a", encoding="utf-8") as f:
        f.write("\n新增一节\n\nSaga 补偿需要幂等。\n")
    kb = KnowledgeBase.build([corpus], index, encoder="hash")
    assert 1 <= kb.build_report.embedded <= 3


def test_is_current(hash_index, seeds, tmp_path):
    assert KnowledgeBase.is_current([seeds], hash_index, encoder="hash")
    assert not KnowledgeBase.is_current([seeds], hash_index)  # the default encoder is e5
    corpus = tmp_path / "c"
    shutil.copytree(seeds, corpus)
    assert not KnowledgeBase.is_current([corpus], hash_index, encoder="hash")


def test_an_index_read_by_other_extraction_code_is_rebuilt_without_embedding_again(hash_index, seeds, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(hash_index, index)
    manifest = json.loads((index / "manifest.json").read_text("utf-8"))
    manifest["reader"] = "an-older-reader"  # the same gokg version, other code that reads the articles
    (index / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    assert not KnowledgeBase.is_current([seeds], index, encoder="hash")
    assert KnowledgeBase.build([seeds], index, encoder="hash").build_report.embedded == 0
    assert KnowledgeBase.is_current([seeds], index, encoder="hash")


def test_a_folder_gokg_did_not_create_is_never_replaced(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "mine.txt").write_text("my own notes", "utf-8")
    article = tmp_path / "a.md"
    article.write_text("# Saga\n\nSaga 模式通过补偿事务保证最终一致性。\n", "utf-8")
    with pytest.raises(InputError, match="not a gokg index"):
        KnowledgeBase.build([article], notes, encoder="hash")
    assert [p.name for p in notes.iterdir()] == ["mine.txt"]
    a_file = tmp_path / "a-file"
    a_file.write_text("keep", "utf-8")
    with pytest.raises(InputError, match="not a folder"):
        KnowledgeBase.build([article], a_file, encoder="hash")
    assert a_file.read_text("utf-8") == "keep"
    assert not list(tmp_path.glob(".*tmp-*"))  # nothing left behind either
    empty = tmp_path / "empty"
    empty.mkdir()
    assert KnowledgeBase.build([article], empty, encoder="hash").search("saga").hits


def test_a_command_that_would_build_the_seeds_into_a_users_folder_refuses(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "mine.txt").write_text("my own notes", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "gokg.cli", "report", "--index", str(notes)],
        capture_output=True, text=True, env={**os.environ, "GOKG_ENCODER": "hash"},
    )
    assert result.returncode == 1 and "not a gokg index" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # the "building from seeds" notice, then one error line
    assert (notes / "mine.txt").read_text("utf-8") == "my own notes"


def test_a_file_edited_during_ingest_is_read_again_next_time(tmp_path, monkeypatch):
    """The manifest records the hash of the bytes that were indexed, not of the file as it is at the end."""
    from gokg import KnowledgeBase
    from gokg.graph import store

    docs = tmp_path / "docs"
    docs.mkdir()
    article = docs / "a.md"
    article.write_text("# 熔断\n\nKitex 的熔断器在下游故障时快速失败。\n", "utf-8")
    real = store.source_hashes

    def edited_meanwhile(paths, **kwargs):
        article.write_text("# 限流\n\nHertz 的限流中间件保护服务端。\n", "utf-8")  # a save while gokg ingests
        return real(paths, **kwargs)

    monkeypatch.setattr(store, "source_hashes", edited_meanwhile)
    KnowledgeBase.build([docs], tmp_path / "index", encoder="hash")
    monkeypatch.setattr(store, "source_hashes", real)
    assert not KnowledgeBase.is_current([docs], tmp_path / "index", encoder="hash")
