"""Bad input, generated here: no traceback, no hang, the good files indexed, nothing of the user's lost.

The bad files (FIFO, socket, symlinks to devices and outside the folder, 600,000 nested <div>, a 10 MB
line, stray bytes, legacy encodings, boilerplate-only articles, ...) come from
``benchmarks/probe_bad_inputs.py``, which prints the same checks as totals. The ingest runs the real CLI
in a subprocess under a timeout, so a hang fails the test instead of stalling it.
"""
from __future__ import annotations

import errno
import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("probe_bad_inputs", ROOT / "benchmarks" / "probe_bad_inputs.py")
probe = importlib.util.module_from_spec(_spec)
sys.modules["probe_bad_inputs"] = probe  # dataclasses look their module up by name
_spec.loader.exec_module(probe)


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory):
    """One folder with a good article and every bad file, ingested once by the CLI."""
    tmp = tmp_path_factory.mktemp("bad")
    folder, outside, index = tmp / "corpus", tmp / "outside", tmp / "index"
    made = probe.make_corpus(folder, outside, probe.BAD_FILES)
    before = probe.snapshot(folder, outside)
    run = probe.gokg("ingest", str(folder), "--index", str(index))
    return made, run, index, before, probe.snapshot(folder, outside)


def test_ingest_of_bad_files_finishes_without_a_traceback(bad_corpus):
    made, run, index, before, after = bad_corpus
    assert run.code is not None, f"hang: gokg ingest ran over {probe.TIMEOUT} s"
    assert not run.traceback, run.stderr
    assert run.code == 0, run.stderr
    assert len(made) >= len(probe.BAD_FILES) - 2  # FIFOs and sockets exist wherever this suite runs


def test_every_bad_file_is_skipped_or_kept_as_expected_and_said(bad_corpus):
    made, run, index, before, after = bad_corpus
    files = probe.indexed_files(index)
    assert "good.md" in files
    wrong = {case.name: probe.check_ingest(case, run, index, before, after) for case in made}
    assert {name: problems for name, problems in wrong.items() if problems} == {}


def test_what_gokg_says_about_each_kind(bad_corpus):
    made, run, index, before, after = bad_corpus
    said = {line.split(": ", 1)[0].rsplit("/", 1)[-1]: line.split(": ", 1)[1]
            for line in run.stdout.splitlines() if line.startswith(("skipped", "warning"))}
    expected = {
        "pipe.md": "a named pipe (FIFO), not a regular file: not read",
        "zero.md": "a symlink to /dev/zero, outside",
        "random.txt": "a symlink to /dev/urandom, outside",
        "private.md": "outside",
        "nested_div.html": "HTML nested 600,002 elements deep",
        "one_line.txt": "line 1 has 8,000,000 characters",
        "huge.md": "too large (21.0 MB > 20 MB",
        "stray_ff.md": "1 undecodable byte replaced with U+FFFD (decoded as utf-8)",
        "one_nul.md": "1 NUL byte removed",
        "not_utf16.md": "2 undecodable bytes replaced",
        "posted_in.md": "only boilerplate ('Posted in Go, microservices'): no passage indexed",
        "caf\ufffd.md": "the file name is not valid UTF-8: rename the file",
    }
    for name, reason in expected.items():
        assert reason in said[name], (name, said[name])


def test_nothing_outside_gokgs_own_files_is_changed(bad_corpus):
    made, run, index, before, after = bad_corpus
    assert before == after and len(before) > len(made)


def test_decoded_texts_are_not_mojibake(bad_corpus):
    made, run, index, before, after = bad_corpus
    texts = "\n".join(probe.passage_texts(index))
    for text in probe.EXPECTED_TEXT.values():
        assert text in texts
    assert "私人笔记" not in texts  # the symlink out of the folder was not followed


def test_the_good_article_is_searchable(bad_corpus):
    made, run, index, before, after = bad_corpus
    found = probe.gokg("search", "熔断器 雪崩", "--json", "-k", "10", "--index", str(index))
    assert found.code == 0 and not found.traceback
    # good.md and the kept copies hold the same text; search shows one of the identical passages
    top = json.loads(found.stdout)["hits"][0]
    assert top["doc"] in {"good.md", "stray_ff.md", "one_nul.md", "not_utf16.md", "gbk_stray.txt"}
    assert "熔断器保护下游服务，避免雪崩。" in top["text"]


# -- mistakes on the command line ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def cli_index(tmp_path_factory):
    from gokg import KnowledgeBase

    index = tmp_path_factory.mktemp("cli") / "index"
    KnowledgeBase.build([ROOT / "seeds"], index, encoder="hash")
    return index


def _main(monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``gokg ARGV`` in this process, through the entry point users run; (exit code, stdout, stderr)."""
    from gokg.cli import main

    monkeypatch.setattr(sys, "argv", ["gokg", *argv])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_each_user_mistake_is_one_line_and_exit_1(cli_index, tmp_path, monkeypatch, capsys):
    cases = probe.cli_cases(tmp_path, cli_index)
    before = probe.snapshot(tmp_path)
    results = {}
    for name, argv, _stdin in cases:
        code, out, err = _main(monkeypatch, capsys, *argv)
        lines = [line for line in probe.error_lines(err) if not line.startswith("no index at")]
        results[name] = (code, len(lines), lines[0][:6] if lines else "")
    assert results == {name: (1, 1, "gokg: ") for name, _, _ in cases}
    after = probe.snapshot(tmp_path)
    assert {p: h for p, h in before.items() if "new-index" not in p} == {
        p: h for p, h in after.items() if p in before and "new-index" not in p}


def test_disk_full_while_writing_the_index_is_one_line(tmp_path, monkeypatch, capsys):
    from gokg.graph import store

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(store, "write_json", full)
    (tmp_path / "a.md").write_text(probe.ARTICLE, "utf-8")
    code, out, err = _main(monkeypatch, capsys, "ingest", str(tmp_path / "a.md"), "--index", str(tmp_path / "idx"),
                           "--encoder", "hash")
    assert code == 1
    said = probe.error_lines(err)
    assert len(said) == 1 and said[0].startswith("gokg: ") and "No space left on device" in said[0]
    assert (tmp_path / "a.md").exists()


def test_a_batch_with_one_bad_line_answers_the_rest(cli_index, tmp_path):
    run, wrong = probe.batch_case(tmp_path, cli_index)
    assert wrong == [], run.stderr


def test_a_utf16_batch_file_is_read(cli_index, tmp_path, monkeypatch, capsys):
    (tmp_path / "q.txt").write_bytes("saga 补偿\n限流\n".encode("utf-16"))
    code, out, err = _main(monkeypatch, capsys, "search", "--batch", str(tmp_path / "q.txt"), "--index", str(cli_index))
    assert code == 0 and [json.loads(line)["query"] for line in out.splitlines()] == ["saga 补偿", "限流"]


def test_ui_listens_on_this_machine_unless_told_otherwise(monkeypatch):
    import subprocess

    from typer.testing import CliRunner

    from gokg.cli import app

    calls = []
    monkeypatch.setattr(subprocess, "call", lambda argv, env: calls.append(argv) or 0)
    assert CliRunner().invoke(app, ["ui"]).exit_code == 0
    exposed = CliRunner().invoke(app, ["ui", "--host", "0.0.0.0"])
    assert exposed.exit_code == 0 and "anyone who can reach it" in exposed.output
    addresses = [argv[argv.index("--server.address") + 1] for argv in calls]
    assert addresses == ["127.0.0.1", "0.0.0.0"]


# -- the UI on a damaged index and with refused uploads -----------------------------------------------
APP = str(ROOT / "ui" / "app.py")
PAGES = ("pages/search.py", "pages/concept.py", "pages/explorer.py", "pages/topics.py", "pages/corpus.py")


def _small_corpus(tmp_path: Path) -> tuple[Path, Path]:
    seeds, uploads = tmp_path / "seeds", tmp_path / "uploads"
    seeds.mkdir()
    uploads.mkdir()
    (seeds / "a.md").write_text("# 熔断\n\nSentinel 实现熔断与限流，保护下游服务。\n", "utf-8")
    return seeds, uploads


@pytest.fixture
def ui_env(tmp_path, monkeypatch):
    from gokg import KnowledgeBase

    seeds, uploads = _small_corpus(tmp_path)
    KnowledgeBase.build([seeds], tmp_path / "idx", encoder="hash")
    monkeypatch.setenv("GOKG_INDEX", str(tmp_path / "idx"))
    monkeypatch.setenv("GOKG_SEEDS", str(seeds))
    monkeypatch.setenv("GOKG_UPLOADS", str(uploads))
    monkeypatch.setenv("GOKG_ENCODER", "hash")
    return tmp_path / "idx"


@pytest.mark.parametrize("damage, content", [("graph.json", "null"), ("vectors.faiss", "not faiss"),
                                             ("manifest.json", "[]")])
def test_every_page_of_a_damaged_index_shows_the_error_and_a_rebuild(ui_env, damage, content):
    from streamlit.testing.v1 import AppTest

    (ui_env / damage).write_text(content, "utf-8")
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, at.exception)
        assert at.error and str(ui_env) in at.error[0].value, page
        assert [b.label for b in at.button] == ["Rebuild the index"], page
    at.button(key="rebuild-index").click().run()  # the way out: rebuild, then the page works
    assert not at.exception and not at.error
    assert list(at.dataframe[0].value["doc"]) == ["a.md"]


def test_a_missing_manifest_offers_a_rebuild_and_never_deletes_the_folder(ui_env, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "mine.txt").write_text("my own notes\n", "utf-8")
    monkeypatch.setenv("GOKG_INDEX", str(notes))  # a user's folder, not an index
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception and at.error
    assert (notes / "mine.txt").read_text("utf-8") == "my own notes\n"


def test_a_refused_upload_stays_on_screen_after_the_reingest(ui_env, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from gokg.ui import state

    monkeypatch.setattr(state, "MAX_UPLOAD_BYTES", 100)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/corpus.py")
    at.run()
    at.file_uploader[0].set_value([("big.md", "熔断".encode("utf-8") * 100, "text/markdown"),
                                   ("b.md", "# 限流\n\n令牌桶限流。\n".encode("utf-8"), "text/markdown")]).run()
    at.button[0].click().run()
    assert not at.exception
    assert "2 files" in at.success[0].value  # b.md was added and the index rebuilt (a rerun)
    assert [e.value for e in at.error] == [f"big.md: larger than {100 // 2**20} MB"]
