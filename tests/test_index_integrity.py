"""A damaged index is refused with one line saying how to rebuild it; one writer at a time.

Each case damages a copy of a real index in code (no binary fixtures). Most cases are tried twice: as the
damage is, which the checksums in the manifest catch, and "resealed" (the manifest's checksums rewritten
to match), which only the checks that passages, vectors, lexical rows and graph line up can catch.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time

import faiss
import numpy as np
import pytest

from gokg import KnowledgeBase
from gokg.errors import IndexBusyError, IndexFormatError
from gokg.graph import store
from gokg.graph.integrity import file_record
from gokg.graph.lock import IndexLock


def _gokg(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "gokg.cli", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def _manifest(index):
    return json.loads((index / "manifest.json").read_text("utf-8"))


def _write_manifest(index, manifest):
    (index / "manifest.json").write_text(json.dumps(manifest), "utf-8")


def _reseal(index):
    """Rewrite the manifest's checksums to match the files as they now are."""
    manifest = _manifest(index)
    manifest["checksums"] = {name: file_record(index / name) for name in manifest["checksums"]}
    _write_manifest(index, manifest)


def _rewrite_lines(path, change):
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join(change(lines)) + "\n", "utf-8")


def _faiss_of_another_dimension(index):
    other = faiss.IndexFlatIP(8)
    other.add(np.eye(8, dtype=np.float32)[np.arange(len(store.read_jsonl(index / "passages.jsonl"))) % 8])
    faiss.write_index(other, str(index / "vectors.faiss"))


def _replace_vector_rows(index):
    vectors = faiss.read_index(str(index / "vectors.faiss"))
    rows = vectors.reconstruct_n(0, vectors.ntotal)
    rows[[0, 1]] = rows[[1, 0]]
    swapped = faiss.IndexFlatIP(rows.shape[1])
    swapped.add(rows)
    faiss.write_index(swapped, str(index / "vectors.faiss"))


def _drop_passage(index):
    _rewrite_lines(index / "passages.jsonl", lambda lines: lines[:-1])
    manifest = _manifest(index)
    manifest["counts"]["passages"] -= 1  # a consistent count: only the vectors and lexical rows disagree
    _write_manifest(index, manifest)


def _shuffle_passages(index):
    _rewrite_lines(index / "passages.jsonl", lambda lines: random.Random(0).sample(lines, len(lines)))


def _line_start_of_wrong_type(index):
    def change(lines):
        row = json.loads(lines[3])
        row["line_start"] = str(row["line_start"])
        return lines[:3] + [json.dumps(row, ensure_ascii=False)] + lines[4:]

    _rewrite_lines(index / "passages.jsonl", change)


def _edge_to_missing_node(index):
    data = json.loads((index / "graph.json").read_text("utf-8"))
    data["edges"][0]["target"] = "no-such-concept"
    (index / "graph.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _mention_of_missing_passage(index):
    _rewrite_lines(index / "mentions.jsonl",
                   lambda lines: [json.dumps({**json.loads(lines[0]), "passage_id": 10**6}, ensure_ascii=False)] + lines[1:])


FILE_DAMAGE = {
    "faiss of another dimension": _faiss_of_another_dimension,
    "vector rows replaced": _replace_vector_rows,
    "passages fewer than vectors": _drop_passage,
    "passages shuffled": _shuffle_passages,
    "line_start of the wrong type": _line_start_of_wrong_type,
    "graph.json is null": lambda index: (index / "graph.json").write_text("null", "utf-8"),
    "edge to a missing node": _edge_to_missing_node,
    "mention of a missing passage": _mention_of_missing_passage,
    "passages.jsonl not JSON": lambda index: (index / "passages.jsonl").write_bytes(b"\xff\xfe not json\n"),
    "bm25 vocabulary truncated": lambda index: (index / "bm25" / "vocab.index.json").write_text("{", "utf-8"),
    "vectors.faiss emptied": lambda index: (index / "vectors.faiss").write_bytes(b""),
}

MANIFEST_DAMAGE = {
    "manifest not an object": lambda m: [m],
    "manifest null": lambda m: None,
    "manifest without encoder": lambda m: {k: v for k, v in m.items() if k != "encoder"},
    "encoder without dim": lambda m: {**m, "encoder": {"name": m["encoder"]["name"]}},
    "manifest without checksums": lambda m: {k: v for k, v in m.items() if k != "checksums"},
    "checksum of passages dropped": lambda m: {**m, "checksums": {k: v for k, v in m["checksums"].items()
                                                                  if k != "passages.jsonl"}},
    "counts not an object": lambda m: {**m, "counts": 3},
    "manifest lists a file outside": lambda m: {**m, "checksums": {**m["checksums"], "../x": {"size": 1, "sha256": ""}}},
}


def _damaged_copy(hash_index, tmp_path, name):
    index = tmp_path / name.replace(" ", "_")
    shutil.copytree(hash_index, index)
    return index


@pytest.mark.parametrize("resealed", [False, True], ids=["as-is", "resealed"])
@pytest.mark.parametrize("damage", list(FILE_DAMAGE))
def test_damaged_files_are_refused(hash_index, tmp_path, damage, resealed):
    if resealed and damage == "vector rows replaced":
        pytest.skip("rows replaced by rows of the same shape: only the checksums can tell")
    index = _damaged_copy(hash_index, tmp_path, damage)
    FILE_DAMAGE[damage](index)
    if resealed:
        _reseal(index)
    with pytest.raises(IndexFormatError, match=r"damaged index .*rebuild it with `gokg ingest .* --index .* --force`"):
        KnowledgeBase.open(index)


@pytest.mark.parametrize("damage", list(MANIFEST_DAMAGE))
def test_damaged_manifests_are_refused(hash_index, tmp_path, damage):
    index = _damaged_copy(hash_index, tmp_path, damage)
    (index / "manifest.json").write_text(json.dumps(MANIFEST_DAMAGE[damage](_manifest(index))), "utf-8")
    with pytest.raises(IndexFormatError, match=r"damaged index .*--force"):
        KnowledgeBase.open(index)
    assert KnowledgeBase.status(index).stage == "damaged"


def test_the_cli_refuses_a_damaged_index_in_one_line_and_force_rebuilds_it(hash_index, seeds, tmp_path):
    index = _damaged_copy(hash_index, tmp_path, "cli")
    _shuffle_passages(index)
    for command in (["search", "saga"], ["concept", "Saga"], ["topics"], ["status"]):
        proc = _gokg(*command, "--index", str(index))
        assert proc.returncode == 1, command
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
        assert "damaged index" in proc.stderr and "--force" in proc.stderr
    assert not KnowledgeBase.is_current([seeds], index, encoder="hash")  # a plain ingest rebuilds it too
    rebuilt = _gokg("ingest", str(seeds), "--index", str(index), "--encoder", "hash", "--force")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert KnowledgeBase.open(index).search("saga 补偿").hits


def test_damaged_vectors_are_not_reused_as_a_cache(hash_index, seeds, tmp_path):
    index = _damaged_copy(hash_index, tmp_path, "cache")
    vectors = np.load(index / "vectors.npy")
    np.save(index / "vectors.npy", vectors[::-1].copy())  # rows no longer belong to their passages
    kb = KnowledgeBase.build([seeds], index, encoder="hash", resume=False)
    assert kb.build_report.embedded == kb.manifest["counts"]["texts"]  # nothing taken from the damaged file
    assert store.verify(index, full=True)["stage"] == "complete"


def test_a_second_writer_is_told_the_index_is_busy(hash_index, seeds, tmp_path):
    index = _damaged_copy(hash_index, tmp_path, "busy")
    with IndexLock(index):
        with pytest.raises(IndexBusyError, match="another gokg ingest is writing this index"):
            KnowledgeBase.build([seeds], index, encoder="hash")
        proc = _gokg("ingest", str(seeds), "--index", str(index), "--encoder", "hash", "--force")
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and str(os.getpid()) in proc.stderr
        assert KnowledgeBase.status(index).writer_running
        assert KnowledgeBase.open(index).search("saga").hits  # readers are not held up by the lock
    assert not KnowledgeBase.status(index).writer_running
    assert KnowledgeBase.build([seeds], index, encoder="hash").build_report.embedded == 0


def test_two_concurrent_ingests(seeds, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(6):
        for seed in seeds.iterdir():
            shutil.copy(seed, corpus / f"{i}_{seed.name}")
    index = tmp_path / "index"
    command = [sys.executable, "-m", "gokg.cli", "ingest", str(corpus), "--index", str(index), "--encoder", "hash"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert all("Traceback" not in err for _, err in outcomes)
    assert sorted(code for code, _ in outcomes)[0] == 0
    for code, err in outcomes:
        if code != 0:
            assert code == 1 and err.strip().splitlines()[-1].startswith("gokg: ") and "another gokg ingest" in err
    kb = KnowledgeBase.open(index)
    assert kb.dense_on and kb.search("saga 补偿").hits


def test_readers_during_commits_never_break_the_writer(hash_index, seeds, tmp_path):
    index = _damaged_copy(hash_index, tmp_path, "readers")
    reader = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time\nfrom gokg import KnowledgeBase\nfrom gokg.errors import GokgError\n"
            f"end = time.time() + 8\nwhile time.time() < end:\n"
            f"    try:\n        KnowledgeBase.open({str(index)!r})\n"
            "    except GokgError as exc:\n        print(exc, file=sys.stderr)\n")],
        stderr=subprocess.PIPE, text=True,
    )
    started = time.time()
    builds = 0
    while time.time() - started < 6:
        KnowledgeBase.build([seeds], index, encoder="hash", resume=False)  # every commit swaps the folder
        builds += 1
    reader.wait(timeout=60)
    assert builds >= 1 and reader.returncode == 0
    assert "damaged" not in reader.stderr and "Traceback" not in reader.stderr
    assert not list(tmp_path.glob(".readers.old")) and KnowledgeBase.open(index).dense_on


def test_large_files_are_checked_by_size_on_open_and_fully_by_status_verify(hash_index, tmp_path, monkeypatch):
    from gokg.graph import integrity

    index = _damaged_copy(hash_index, tmp_path, "large")
    _replace_vector_rows(index)
    monkeypatch.setattr(integrity, "CHECKSUM_ON_OPEN_BYTES", 1000)  # every file counts as large
    assert KnowledgeBase.open(index).dense_on  # same size and shape: only the checksum can tell
    assert KnowledgeBase.status(index).stage == "complete"
    state = KnowledgeBase.status(index, verify=True)
    assert state.stage == "damaged" and "vectors.faiss" in state.problem
    proc = _gokg("status", "--verify", "--index", str(index))
    assert proc.returncode == 1 and "vectors.faiss was changed" in proc.stderr and "--force" in proc.stderr


def test_an_index_that_cannot_be_written_is_one_line(seeds, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("keep", "utf-8")
    proc = _gokg("ingest", str(seeds), "--index", str(blocker / "index"), "--encoder", "hash")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith(f"gokg: {blocker / 'index'}: cannot write the index (")
    assert blocker.read_text("utf-8") == "keep"
