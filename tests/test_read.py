"""Reading files: encodings are detected, bad input is reported per file and never stops the rest."""
from __future__ import annotations

import os

import pytest

from gokg.ingest import read
from gokg.errors import InputError
from gokg.ingest.pipeline import prepare
from gokg.ingest.read import decode, read_documents

TEXT = "第一章:服务发现\n\nKratos 基于 Consul 实现服务注册与发现。\n"


def test_decodes_gbk_utf16_and_bom(tmp_path):
    (tmp_path / "gbk.txt").write_bytes(TEXT.encode("gbk"))
    (tmp_path / "utf16.txt").write_bytes(TEXT.encode("utf-16"))
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    docs, problems = read_documents([tmp_path])
    assert problems == []
    assert {d.name: d.text for d in docs} == {"bom.md": TEXT, "gbk.txt": TEXT, "utf16.txt": TEXT}


def test_gb18030_text_round_trips():
    text = "熔断器与限流：Sentinel-Go 的滑动窗口统计" * 5
    assert decode(text.encode("gb18030"))[0] == text


def test_bad_files_are_reported_and_the_rest_indexed(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(TEXT, "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 2)
    (tmp_path / "nul.md").write_bytes(b"abc\x00def\x00" * 100 + b"\xff\xfe\x00")
    (tmp_path / "huge.txt").write_bytes(b"a" * 2048)
    (tmp_path / "broken.html").write_text("<html><body><h1>熔断</h1><p>Sentinel 实现熔断<div><pre>go run", "utf-8")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 1024)
    docs, problems = read_documents([tmp_path])
    reasons = {os.path.basename(p.path): p.reason for p in problems}
    assert sorted(d.name for d in docs) == ["broken.html", "good.txt"]
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "binary" in reasons["nul.md"]
    assert reasons["huge.txt"].startswith("too large")
    assert "ignored.png" not in reasons
    broken = next(d for d in docs if d.name == "broken.html")
    assert "# 熔断" in broken.text and "go run" in broken.text


def test_symlink_loop_does_not_hang(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "note.md").write_text(TEXT, "utf-8")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling.txt")
    docs, problems = read_documents([tmp_path])
    assert [d.name for d in docs] == ["a/note.md"]
    assert any("dangling.txt" in p.path for p in problems)


def test_vanished_file_is_a_problem_not_a_crash(tmp_path):
    gone = tmp_path / "gone.txt"
    result = read.read_file(gone, tmp_path)
    assert result.reason == "vanished before it could be read"


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="nope"):
        read_documents([tmp_path / "nope"])


def test_html_keeps_structure():
    from gokg.ingest.html import html_to_text

    text = html_to_text(
        "<h2>对比</h2><table><tr><th>维度</th><th>Saga</th></tr><tr><td>一致性</td><td>最终一致</td></tr></table>"
        "<ul><li>Gin</li><li>Kratos</li></ul><script>alert(1)</script>"
    )
    assert "## 对比" in text and "维度\tSaga" in text and "• Gin" in text and "alert" not in text


def test_utf16_without_bom_and_binary_that_decodes(tmp_path):
    (tmp_path / "le.txt").write_bytes(TEXT.encode("utf-16-le"))
    (tmp_path / "be.txt").write_bytes(TEXT.encode("utf-16-be"))
    (tmp_path / "ctrl.txt").write_bytes(b"\x01\x02\x03\x04abc" * 200)
    (tmp_path / "pairs.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    docs, problems = read_documents([tmp_path])
    assert {d.name: d.text for d in docs} == {"be.txt": TEXT, "le.txt": TEXT}
    assert {os.path.basename(p.path): p.reason.split(" (")[0] for p in problems} == {
        "ctrl.txt": "binary file", "pairs.txt": "binary file"}


def test_blog_html_page_keeps_the_article_and_drops_the_chrome(tmp_path):
    page = """<!DOCTYPE html><html><head><title>t</title><style>.x{}</style></head><body>
    <nav><a href="/">首页</a> <a href="/tags">标签</a></nav>
    <article><h1>Go 限流实践</h1><p>使用 <code>golang.org/x/time/rate</code> 实现令牌桶限流。</p>
    <h2>示例</h2><pre><code class="language-go">lim := rate.NewLimiter(10, 20)
if !lim.Allow() {
    return errTooMany
}</code></pre>
    <ul><li>令牌桶</li><li>漏桶</li></ul>
    <table><thead><tr><th>算法</th><th>突发</th></tr></thead><tbody><tr><td>令牌桶</td><td>允许</td></tr></tbody></table>
    </article><footer>版权所有 © 2024</footer><script>track()</script></body></html>"""
    (tmp_path / "post.html").write_text(page, "utf-8")
    docs, problems = read_documents([tmp_path])
    assert problems == []
    text = docs[0].text
    assert "首页" not in text and "track()" not in text and "版权所有" not in text
    from gokg.ingest.structure import parse_blocks

    kinds = [b.kind for b in parse_blocks(text)]
    assert kinds == ["heading", "paragraph", "heading", "code", "list", "table"]
    code = [b for b in parse_blocks(text) if b.kind == "code"][0]
    assert "lim := rate.NewLimiter(10, 20)" in code.text and "    return errTooMany" in code.text


def test_html_passages_and_relations_cite_the_lines_of_the_page(tmp_path):
    """A reader opens page.html at the cited line and finds the cited text there."""
    page = "\n".join([
        "<!DOCTYPE html>", "<html>", "<head>", "<title>Netwick 设计</title>", "</head>", "<body>",
        "<h1>Netwick 设计</h1>",                                   # 7
        "<p>Netwick 是一个 <b>Go</b> 网络库。</p>",                  # 8
        "",
        "<pre><code>conn := netwick.Dial()",                       # 10
        "conn.Close()</code></pre>",
        "<ul>",
        "<li>零拷贝</li>",                                          # 13
        "</ul>",
        "",
        "<h2>传输</h2>",                                            # 16
        "<p>Netwick 基于 <code>epoll</code> 实现 Reactor 模型，Hertz 使用 Netwick。</p>",  # 17
        "</body>", "</html>",
    ])
    (tmp_path / "page.html").write_text(page, "utf-8")
    corpus = prepare([tmp_path])
    lines = page.split("\n")
    for passage in corpus.passages:
        first = passage.text.split("\n")[0].lstrip("# ")
        assert first[:6] in lines[passage.line_start - 1], (passage.line_start, first)
    uses = [r for r in corpus.relations if (r.source, r.type, r.target) == ("hertz", "uses", "netwick")]
    assert uses and uses[0].evidence[0].line == 17


# -- the reader registry ------------------------------------------------------------------------
@pytest.fixture
def shout_reader():
    """A reader registered for ``.shout`` files for one test: upper-cased text."""
    from gokg.ingest.readers import READERS, decode, register_reader

    @register_reader(".shout", ".SHOUT2")
    def read_shout(data: bytes) -> tuple[str, str]:
        text, encoding = decode(data)
        if text.startswith("whisper"):
            raise ValueError("not loud enough")
        if text.startswith("crash"):
            raise RuntimeError("parser bug")
        return text.upper(), encoding

    yield read_shout
    READERS.unregister(".shout")
    READERS.unregister(".shout2")


def test_the_built_in_suffixes_come_from_the_registry():
    from gokg.ingest.readers import READERS, read_html, read_text

    assert read.SUFFIXES == (".txt", ".md", ".markdown", ".html", ".htm") == READERS.names()
    from gokg.ingest.readers import reader_for

    assert reader_for(".Md") is read_text and reader_for(".HTM") is read_html


def test_a_registered_reader_is_picked_up(tmp_path, shout_reader):
    (tmp_path / "a.shout").write_text("熔断 circuit breaker\n", "utf-8")
    (tmp_path / "b.SHOUT2").write_text("限流 rate limit\n", "gbk")
    (tmp_path / "c.txt").write_text(TEXT, "utf-8")
    (tmp_path / "quiet.shout").write_text("whisper\n", "utf-8")
    (tmp_path / "bug.shout").write_text("crash\n", "utf-8")
    docs, problems = read_documents([tmp_path])
    assert {d.name: (d.text, d.encoding) for d in docs} == {
        "a.shout": ("熔断 CIRCUIT BREAKER\n", "utf-8"),
        "b.SHOUT2": ("限流 RATE LIMIT\n", "gb18030"),
        "c.txt": (TEXT, "utf-8"),
    }
    # one clear reason per file; the rest is still read
    assert {os.path.basename(p.path): p.reason for p in problems} == {
        "quiet.shout": "not loud enough", "bug.shout": "the .shout reader failed (RuntimeError: parser bug)"}
    assert ".shout" in read.SUFFIXES and ".shout2" in read.SUFFIXES
    from gokg.ingest.read import SUFFIXES  # the name the UI imports

    assert SUFFIXES[:5] == (".txt", ".md", ".markdown", ".html", ".htm") and SUFFIXES[5:] == (".shout", ".shout2")


def test_unknown_suffix_names_the_readers():
    from gokg.ingest.readers import reader_for

    with pytest.raises(InputError) as error:
        reader_for(".pdf")
    assert str(error.value) == "suffix='.pdf': use '.txt', '.md', '.markdown', '.html' or '.htm'"


def test_reader_registration_is_checked():
    from gokg.ingest.readers import register_reader

    with pytest.raises(ValueError, match="starts with a dot"):
        register_reader("pdf")
    with pytest.raises(ValueError, match="'.md' is already registered"):
        register_reader(".MD")(lambda data: ("", "utf-8"))


def test_reading_a_file_with_no_reader_directly_reads_it_as_text(tmp_path):
    (tmp_path / "notes").write_text(TEXT, "utf-8")
    assert read.read_file(tmp_path / "notes", tmp_path).text == TEXT


# -- decoding that keeps what it can --------------------------------------------------------------
ARTICLE = "熔断器保护下游服务，避免雪崩。\n\n限流使用令牌桶算法。\n"


def _read(tmp_path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    docs, problems = read_documents([tmp_path / name])
    return docs, {p.reason: p.kept for p in problems}


def test_a_stray_byte_is_replaced_and_counted_not_the_article_dropped(tmp_path):
    data = ARTICLE.encode("utf-8")
    docs, problems = _read(tmp_path, "ff.md", data[:12] + b"\xff" + data[12:])
    assert docs[0].text == ARTICLE[:4] + "\ufffd" + ARTICLE[4:]
    assert problems == {"1 undecodable byte replaced with U+FFFD (decoded as utf-8)": True}
    gbk = ARTICLE.encode("gbk")
    docs, problems = _read(tmp_path, "gbk.md", gbk[:10] + b"\xff" + gbk[10:])
    assert docs[0].encoding == "gb18030" and docs[0].text.replace("\ufffd", "") == ARTICLE
    assert list(problems) == ["1 undecodable byte replaced with U+FFFD (decoded as gb18030)"]


def test_one_nul_is_removed_and_said(tmp_path):
    data = ARTICLE.encode("utf-8")
    docs, problems = _read(tmp_path, "nul.txt", data[:3] + b"\x00" + data[3:])
    assert docs[0].text == ARTICLE and problems == {"1 NUL byte removed": True}


@pytest.mark.parametrize("text, encoding", [
    ("熔斷器保護下游服務，避免雪崩。", "big5"),
    ("服務發現", "big5"),
    ("Café résumé: naïve façade", "latin-1"),
    ("déjà vu", "latin-1"),
    ("サーキットブレーカーはサービスを保護します。", "shift_jis"),
    ("日本語のテキストです。", "shift_jis"),
    ("服务发现", "gbk"),
    ("熔断\n降级", "gbk"),
])
def test_short_legacy_texts_are_not_mojibake(text, encoding):
    """Short texts fool statistical detectors: each is decoded exactly, or refused with a reason, never garbled."""
    try:
        decoded, _ = decode(text.encode(encoding))
    except ValueError as error:
        assert "UTF-8" in str(error)
    else:
        assert decoded == text


def test_a_utf16_bom_on_a_file_that_is_not_utf16_is_not_indexed_as_garbage(tmp_path):
    docs, problems = _read(tmp_path, "fffe.md", b"\xff\xfe" + ARTICLE.encode("utf-8"))
    assert docs[0].text == "\ufffd\ufffd" + ARTICLE and list(problems) == [
        "2 undecodable bytes replaced with U+FFFD (decoded as utf-8)"]
    docs, problems = _read(tmp_path, "odd.md", b"\xff\xfe" + ARTICLE.encode("utf-8")[:-1])  # odd length too
    assert docs[0].text.startswith("\ufffd\ufffd熔断器")


def test_utf16_in_any_language_truncated_or_with_a_stray_byte(tmp_path):
    russian = "Привет, мир. Это статья о сервисах.\n"
    assert decode(russian.encode("utf-16")) == (russian, "utf-16")  # a BOM: any language
    docs, problems = _read(tmp_path, "cut.txt", ARTICLE.encode("utf-16")[:-1])  # odd length: one byte cut
    assert docs[0].text.startswith(ARTICLE[:-1]) and list(problems) == [
        "1 undecodable byte replaced with U+FFFD (decoded as utf-16)"]
    docs, problems = _read(tmp_path, "bom8.md", b"\xef\xbb\xbf" + ARTICLE.encode()[:6] + b"\xff" + ARTICLE.encode()[6:])
    assert docs[0].text == ARTICLE[:2] + "\ufffd" + ARTICLE[2:]  # the UTF-8 BOM is not kept as text


def test_bytes_no_encoding_reads_well_are_refused_with_the_reason(tmp_path):
    docs, problems = _read(tmp_path, "noise.txt", bytes(range(128, 256)) * 4)
    assert docs == [] and "save it as UTF-8" in next(iter(problems))


def test_a_boilerplate_only_article_gives_a_warning(tmp_path):
    for line in ("Posted in Go, 微服务", "Copyright 2024 某某", "Comments"):
        docs, problems = _read(tmp_path, "one.md", (line + "\n").encode("utf-8"))
        assert len(docs) == 1
        assert problems == {f"only boilerplate ({line!r}): no passage indexed": True}


def test_what_is_indexed_is_what_was_hashed(tmp_path):
    from gokg.hashing import bytes_hash

    data = ARTICLE.encode("gbk")
    (tmp_path / "a.txt").write_bytes(data)
    doc = read.read_file(tmp_path / "a.txt", tmp_path)
    assert doc.sha256 == bytes_hash(data) and doc.text.encode("gbk") == data


# -- only regular files, inside the folder, bounded -------------------------------------------------
def test_symlink_out_of_the_folder_is_skipped_and_said(tmp_path):
    outside = tmp_path / "outside"
    corpus = tmp_path / "corpus"
    outside.mkdir()
    corpus.mkdir()
    (outside / "secret.md").write_text(ARTICLE, "utf-8")
    (corpus / "a.md").write_text(ARTICLE, "utf-8")
    os.symlink(outside / "secret.md", corpus / "secret.md")
    os.symlink(corpus / "a.md", corpus / "same.md")  # inside: the same file, listed once
    docs, problems = read_documents([corpus])
    assert [d.name for d in docs] == ["a.md"]
    assert [(os.path.basename(p.path), p.reason.split(",")[1]) for p in problems] == [
        ("secret.md", f" outside {corpus}: not followed")]
    # named on the command line, a symlink is read wherever it points: the user chose the file
    assert [d.text for d in read_documents([corpus / "secret.md"])[0]] == [ARTICLE]


def test_a_fifo_is_listed_as_a_problem_and_never_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "a.md").write_text(ARTICLE, "utf-8")
    files, problems = read.find_files([tmp_path])
    assert [f.name for f, _ in files] == ["a.md"]
    assert [p.reason for p in problems] == ["a named pipe (FIFO), not a regular file: not read"]
    with pytest.raises(ValueError, match="named pipe"):  # opened without blocking, refused once open
        read.read_bytes(tmp_path / "pipe.md")


def test_reading_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 1000)
    (tmp_path / "big.md").write_bytes(b"a\n" * 600)
    docs, problems = read_documents([tmp_path])
    assert docs == [] and problems[0].reason.startswith("too large (0.0 MB > 0.000953674 MB; $GOKG_MAX_FILE_MB")


def test_a_very_long_line_is_skipped_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_LINE_CHARS", 100)
    (tmp_path / "line.txt").write_text("标题\n\n" + "熔断" * 60 + "\n", "utf-8")
    (tmp_path / "ok.txt").write_text(ARTICLE, "utf-8")
    docs, problems = read_documents([tmp_path])
    assert [d.name for d in docs] == ["ok.txt"]
    assert problems[0].reason.startswith("line 3 has 120 characters (more than 100;")


def test_size_limits_come_from_the_environment(monkeypatch):
    import importlib

    monkeypatch.setenv("GOKG_MAX_FILE_MB", "3")
    monkeypatch.setenv("GOKG_MAX_LINE_CHARS", "500")
    try:
        fresh = importlib.reload(read)
        assert (fresh.MAX_FILE_BYTES, fresh.MAX_LINE_CHARS) == (3 * 2**20, 500)
        monkeypatch.setenv("GOKG_MAX_FILE_MB", "lots")
        with pytest.raises(InputError, match="GOKG_MAX_FILE_MB='lots': use a whole number >= 1"):
            importlib.reload(read)
    finally:
        monkeypatch.delenv("GOKG_MAX_FILE_MB")
        monkeypatch.delenv("GOKG_MAX_LINE_CHARS")
        importlib.reload(read)


def test_deeply_nested_html_is_refused_quickly_and_moderate_nesting_is_read():
    from gokg.ingest.html import html_to_text

    with pytest.raises(ValueError, match="nested 50,000 elements deep"):
        html_to_text("<div>x" * 50_000)
    with pytest.raises(ValueError, match="nested 50,000 elements deep"):
        html_to_text("<div/>x" * 50_000)  # the slash is ignored: each <div/> opens a div
    assert html_to_text("<p>图标" + "<svg><path d='M0 0'/></svg>" * 2000 + "</p>") == "图标\n"  # SVG honours it
    text = html_to_text("<div>" * 900 + "<p>熔断器</p>" + "</div>" * 900)  # deeper than Python's recursion limit
    assert text == "熔断器\n"
    nested = html_to_text("<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>")
    assert nested == "• a b c\n"  # a nested list is part of its item, read once


def test_reading_reports_progress_file_by_file(tmp_path):
    for number in range(4):
        (tmp_path / f"{number}.md").write_text(f"# 第 {number} 篇\n\n正文 {number}。\n", "utf-8")
    (tmp_path / "empty.md").write_text("", "utf-8")  # a problem still counts as a file read
    calls = []
    documents, problems = read_documents([tmp_path], progress=lambda done, total: calls.append((done, total)))
    assert len(documents) == 4 and len(problems) == 1
    assert calls == [(done, 5) for done in range(6)]
