"""Staged ingest: searchable before the vectors are done, resumable after a kill, honest about progress."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gokg import KnowledgeBase
from gokg.graph.chunks import ChunkLedger
from gokg.ingest.embed import HashEncoder
from gokg.ingest.progress import LineProgress


def _gokg(*args, env=None, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "gokg.cli", *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "OMP_NUM_THREADS": "1", **(env or {})},
    )


class StopAfter(HashEncoder):
    """The hash encoder, interrupted (as by Ctrl-C) when asked for chunk number ``stop_at``."""

    def __init__(self, stop_at: int):
        super().__init__()
        self.calls = 0
        self.stop_at = stop_at
        self.texts = 0

    def encode(self, texts, *, kind):
        self.calls += 1
        if self.calls == self.stop_at:
            raise KeyboardInterrupt
        self.texts += len(texts)
        return super().encode(texts, kind=kind)


def test_interrupted_e5_ingest_resumes_where_it_stopped(seeds, tmp_path):
    """The real model on real articles: SIGKILL mid-embedding, then the next ingest embeds only the rest."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in sorted(p.name for p in seeds.iterdir())[:2]:  # 115 passages: 4 chunks of e5 work
        shutil.copy(seeds / name, corpus / name)
    index = tmp_path / "index"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gokg.cli", "ingest", str(corpus), "--index", str(index), "--encoder", "e5"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    ledger = ChunkLedger(index)
    deadline = time.time() + 600
    while not ledger.entries() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    state = KnowledgeBase.status(index)
    assert state.stage == "embedding" and 0 < state.embedded < state.passages and not state.writer_running
    kb = KnowledgeBase.open(index)  # the killed index answers, without the dense signal
    result = kb.search("saga 补偿")
    assert result.hits and "dense signal off" in result.notice

    done = _gokg("ingest", str(corpus), "--index", str(index), "--encoder", "e5", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["resumed"] and report["stage"] == "complete"
    assert 0 < report["embedded"] <= report["passages"] - state.embedded < report["passages"]
    kb = KnowledgeBase.open(index)
    assert kb.dense_on and kb.search("saga 补偿").notice == ""
    assert kb.search("saga 补偿", signals=("dense",)).hits  # the dense signal answers on its own now
    assert not (index / "embedding").exists()


def test_ctrl_c_loses_at_most_one_chunk(seeds, tmp_path):
    index = tmp_path / "index"
    stopped = StopAfter(stop_at=4)
    with pytest.raises(KeyboardInterrupt):
        KnowledgeBase.build([seeds], index, encoder=stopped, chunk_size=20)
    assert stopped.texts == 60
    assert len(ChunkLedger(index).hashes()) == 60  # every chunk the encoder finished was kept
    searchable = KnowledgeBase.open(index)
    assert not searchable.dense_on and searchable.search("熔断 雪崩").hits

    again = StopAfter(stop_at=0)
    kb = KnowledgeBase.build([seeds], index, encoder=again, chunk_size=20)
    texts = KnowledgeBase.open(index).manifest["counts"]["texts"]
    assert kb.build_report.resumed and kb.build_report.embedded == again.texts == texts - 60
    assert kb.dense_on and kb.build_report.stage == "complete"


def test_an_index_still_embedding_answers_and_says_so(seeds, tmp_path):
    index = tmp_path / "index"
    kb = KnowledgeBase.build([seeds], index, encoder="hash", embed=False)
    assert not kb.dense_on and kb.embedded == 0 and kb.build_report.stage == "embedding"
    result = kb.search("saga 补偿")
    assert result.hits and result.hits[0].why["dense_similarity"] is None
    assert result.notice == f"dense signal off: 0/{len(kb.passages)} passages embedded " \
                            "(lexical and concept signals only until `gokg ingest` completes the index)"
    assert result.to_dict()["notice"] == result.notice

    proc = _gokg("search", "saga 补偿", "--index", str(index))
    assert proc.returncode == 0 and proc.stdout.startswith("(dense signal off: 0/")
    data = json.loads(_gokg("search", "saga 补偿", "--json", "--index", str(index)).stdout)
    assert data["notice"].startswith("dense signal off") and data["hits"]
    status = _gokg("status", "--index", str(index))
    assert status.returncode == 0 and f"embedding: 0/{len(kb.passages)} passages embedded" in status.stdout

    kb = KnowledgeBase.build([seeds], index, encoder="hash")
    assert kb.dense_on and "notice" not in kb.search("saga 补偿").to_dict()
    assert KnowledgeBase.status(index).summary().startswith("complete:")


def test_a_small_change_never_turns_the_dense_signal_off(hash_index, seeds, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(hash_index, index)
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    with (corpus / "000_ec0da037d95f2b7d.txt").open("a", encoding="utf-8") as f:
        f.write("\n新增一节\n\nSaga 补偿需要幂等。\n")
    kb = KnowledgeBase.build([corpus], index, encoder="hash", embed=False)
    assert kb.dense_on and 1 <= kb.build_report.embedded <= 3  # embedded before the commit: no gap


def test_progress_lines_when_output_is_not_a_terminal(seeds, tmp_path):
    proc = _gokg("ingest", str(seeds), "--index", str(tmp_path / "index"), "--encoder", "hash")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert not any("\r" in line or "%|" in line for line in lines)  # no bars when not a terminal
    for stage, unit in [("read", "files"), ("passages", "files"), ("concepts", "steps"), ("index", "steps"),
                        ("embed", "passages")]:
        ends = [line for line in lines if line.startswith(f"{stage}: ")]
        assert ends, f"no progress line for {stage}"
        done, total = ends[-1].split()[1].split("/")
        assert done == total and unit in ends[-1]  # every stage completes
    assert any("answers now" in line for line in lines)


def test_line_progress_gives_counts_rate_and_time_left():
    import io

    out = io.StringIO()
    report = LineProgress(out, interval=0)
    report("embed", 0, 100)
    time.sleep(0.05)
    report("embed", 50, 100)
    report("embed", 100, 100)
    first, middle, last = out.getvalue().splitlines()
    assert first == "embed: 0/100 passages"
    assert middle.startswith("embed: 50/100 passages (50%), ") and "/s, about" in middle and middle.endswith(" s left")
    assert last.startswith("embed: 100/100 passages, done in ")


def test_the_ui_says_the_index_is_still_embedding(seeds, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from gokg.ui.state import TEXT

    index = tmp_path / "index"
    KnowledgeBase.build([seeds], index, encoder="hash", embed=False)
    monkeypatch.setenv("GOKG_INDEX", str(index))
    monkeypatch.setenv("GOKG_UPLOADS", str(tmp_path / "uploads"))
    app = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "ui" / "app.py"), default_timeout=120)
    app.switch_page("pages/corpus.py")
    app.run()
    assert not app.exception
    info = " ".join(i.value for i in app.info)
    assert info.startswith("Still embedding: 0/") and TEXT["stage_stopped"][0].strip() in info


def test_a_damaged_chunk_is_embedded_again_on_resume(seeds, tmp_path):
    index = tmp_path / "index"
    with pytest.raises(KeyboardInterrupt):
        KnowledgeBase.build([seeds], index, encoder=StopAfter(stop_at=3), chunk_size=20)
    first = sorted((index / "embedding").glob("*.npy"))[0]
    first.write_bytes(first.read_bytes()[:-8] + b"\0" * 8)  # same size, other rows: the ledger's checksum differs
    again = StopAfter(stop_at=0)
    kb = KnowledgeBase.build([seeds], index, encoder=again, chunk_size=20)
    assert kb.dense_on and kb.build_report.resumed
    assert again.texts == kb.manifest["counts"]["texts"] - 20  # the damaged chunk's 20 texts again, not the good one
    fresh = KnowledgeBase.build([seeds], tmp_path / "fresh", encoder="hash")
    assert kb.search("saga 补偿").to_dict() == fresh.search("saga 补偿").to_dict()


def test_bars_on_a_terminal_all_complete(seeds, tmp_path):
    import io

    from gokg.ingest.progress import progress_reporter

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    KnowledgeBase.build([seeds], tmp_path / "index", encoder="hash", progress=progress_reporter(screen))
    shown = screen.getvalue()
    for stage in ("read", "passages", "concepts", "index", "embed"):
        assert f"{stage}: 100%|" in shown, stage
    assert "\n" + "embed: 0/" not in shown  # bars, not lines
