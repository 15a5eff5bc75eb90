"""The Streamlit app on the real seeds, driven by AppTest (no browser)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")


@pytest.fixture
def app(e5_index, monkeypatch, tmp_path):
    monkeypatch.setenv("GOKG_INDEX", str(e5_index))
    monkeypatch.setenv("GOKG_UPLOADS", str(tmp_path / "uploads"))
    return AppTest.from_file(APP, default_timeout=120)


def _text(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown) + "\n".join(str(c.value) for c in at.caption)


def test_search_page_from_the_url(app):
    app.query_params["q"] = "saga 补偿"
    app.run()
    assert not app.exception
    assert app.text_input(key="query").value == "saga 补偿"
    assert any(b.label.startswith("Saga · pattern") for b in app.button)
    assert "Saga 协调器核心逻辑" in _text(app) or "OrderSagaCoordinator" in _text(app)
    assert "<mark>" in _text(app)


def test_article_text_is_escaped(app, monkeypatch, tmp_path):
    from gokg import KnowledgeBase

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "xss.md").write_text("# 熔断\n\n熔断器 <script>alert('x')</script> 保护下游。\n", "utf-8")
    KnowledgeBase.build([corpus], tmp_path / "idx", encoder="hash")
    monkeypatch.setenv("GOKG_INDEX", str(tmp_path / "idx"))
    app.query_params["q"] = "熔断器"
    app.run()
    text = _text(app)
    assert "&lt;script&gt;" in text and "<script>" not in text


def test_concept_page(app):
    app.switch_page("pages/concept.py")
    app.query_params["name"] = "熔断器"
    app.run()
    assert not app.exception
    assert app.header[0].value == "Circuit Breaker"
    assert "熔断器" in _text(app)
    assert any(e.label.startswith("related_to") for e in app.expander)


def test_explorer_page(app):
    app.switch_page("pages/explorer.py")
    app.query_params["name"] = "Saga"
    app.run()
    assert not app.exception
    app.slider[0].set_value(2).run()
    assert not app.exception
    assert "concepts" in app.caption[0].value


def test_topics_page(app):
    app.switch_page("pages/topics.py")
    app.run()
    assert not app.exception
    assert len(app.expander) >= 3


def test_corpus_page(app):
    app.switch_page("pages/corpus.py")
    app.run()
    assert not app.exception
    files = app.dataframe[0].value
    assert set(files["doc"]) == {p.name for p in (Path(APP).parents[1] / "seeds").iterdir()}


def test_chinese_interface(app):
    app.run()
    app.toggle(key="zh").set_value(True).run()
    assert app.text_input(key="query").label == "搜索文章（中文或英文）"


def test_uploads_stay_inside_the_corpus_folder(tmp_path):
    from gokg.errors import InputError
    from gokg.ui.state import MAX_UPLOAD_BYTES, save_upload

    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ["../../evil.md", "/etc/evil.md", "..\\\\..\\\\evil.md", ".hidden.md"]:
        path = save_upload(name, "熔断器".encode("utf-8"), folder)
        assert path.parent == folder.resolve()
    assert sorted(p.name for p in folder.iterdir()) == ["evil.md", "hidden.md"]
    with pytest.raises(InputError, match="not a .txt, .md or .html"):
        save_upload("run.sh", b"rm -rf /", folder)
    with pytest.raises(InputError, match="larger than"):
        save_upload("big.txt", b"x" * (MAX_UPLOAD_BYTES + 1), folder)


def test_corpus_reingest_lists_bad_files_and_keeps_working(tmp_path, monkeypatch):
    from gokg import KnowledgeBase

    seeds, uploads = tmp_path / "seeds", tmp_path / "uploads"
    seeds.mkdir(), uploads.mkdir()
    (seeds / "a.md").write_text("# 熔断\n\nSentinel 实现熔断与限流。\n", "utf-8")
    KnowledgeBase.build([seeds], tmp_path / "idx", encoder="hash")
    (uploads / "b.md").write_text("# 服务发现\n\nConsul 实现服务注册与发现。\n", "utf-8")
    (uploads / "broken.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    monkeypatch.setenv("GOKG_INDEX", str(tmp_path / "idx"))
    monkeypatch.setenv("GOKG_SEEDS", str(seeds))
    monkeypatch.setenv("GOKG_UPLOADS", str(uploads))
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/corpus.py")
    at.run()
    assert list(at.dataframe[0].value["doc"]) == ["a.md"]
    at.button[0].click().run()
    assert not at.exception
    assert "2 files" in at.success[0].value
    assert any("broken.txt" in w.value and "binary file" in w.value for w in at.warning)
    assert sorted(at.dataframe[0].value["doc"]) == ["a.md", "b.md"]
    assert KnowledgeBase.open(tmp_path / "idx").manifest["encoder"]["name"] == "hash"


def test_pages_survive_a_corpus_without_concepts(tmp_path, monkeypatch):
    from gokg import KnowledgeBase

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "poem.md").write_text("# 春晓\n\n春眠不觉晓，处处闻啼鸟。\n", "utf-8")
    KnowledgeBase.build([corpus], tmp_path / "idx", encoder="hash")
    monkeypatch.setenv("GOKG_INDEX", str(tmp_path / "idx"))
    for page in ("pages/search.py", "pages/concept.py", "pages/explorer.py", "pages/topics.py", "pages/corpus.py"):
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page(page)
        at.query_params["q"] = "春眠"
        at.run()
        assert not at.exception, page


def test_explorer_accepts_an_alias_in_the_url(app):
    app.switch_page("pages/explorer.py")
    app.query_params["name"] = "熔断器"
    app.run()
    assert not app.exception and app.selectbox[0].value == "Circuit Breaker"


CLOUDWEGO = Path(APP).parents[2] / "shared" / "eval" / "cloudwego" / "docs"


def _drawn(at, number: int = 0) -> dict:
    """The graph series a page drew: the ECharts options sent to the browser."""
    import json

    return json.loads(at.get("bidi_component")[number].proto.json)["options"]["series"][0]


def _relations(series: dict) -> set[str]:
    return {r for link in series["links"] for r in link["relations"]}


def test_explorer_default_draws_typed_relations_up_to_the_cap(app):
    app.switch_page("pages/explorer.py")
    app.query_params["name"] = "Gin"
    app.run()
    assert not app.exception
    drawn = _drawn(app)
    assert 1 < len(drawn["data"]) <= 25 and drawn["links"]
    assert "related_to" not in _relations(drawn)
    assert all(link["lineStyle"]["type"] == "solid" for link in drawn["links"])
    app.toggle(key="explorer-cooccurrence").set_value(True).run()  # co-occurrence, on request
    drawn = _drawn(app)
    assert "related_to" in _relations(drawn) and len(drawn["data"]) <= 25
    app.slider(key="explorer-limit").set_value(5).run()
    assert len(_drawn(app)["data"]) == 5
    assert app.caption[0].value.startswith("5 of ")


def test_explorer_opens_the_concept_page_of_a_chosen_node(app):
    app.switch_page("pages/explorer.py")
    app.query_params["name"] = "Gin"
    app.run()
    choice = app.selectbox(key="explorer-open")
    assert choice.options == [node["name"] for node in _drawn(app)["data"][1:]]
    choice.set_value(choice.options[0]).run()
    assert not app.exception and app.header[0].value.replace("\\", "") == choice.options[0]


def test_explorer_in_chinese(app):
    app.switch_page("pages/explorer.py")
    app.session_state["zh"] = True  # the sidebar toggle's key
    app.run()
    assert app.slider(key="explorer-limit").label == "最多概念数"
    assert app.toggle(key="explorer-cooccurrence").label == "显示共现关系（related_to）"
    assert app.caption[0].value.startswith("显示 ")


@pytest.fixture(scope="module")
def cloudwego_index(tmp_path_factory) -> Path:
    """A real third-party corpus nobody wrote for gokg (the CloudWeGo docs), hash-encoded."""
    from gokg import KnowledgeBase

    if not CLOUDWEGO.is_dir():
        pytest.skip("../shared/eval/cloudwego is not beside this checkout")
    index = tmp_path_factory.mktemp("cloudwego") / "index"
    KnowledgeBase.build([CLOUDWEGO], index, encoder="hash")
    return index


def test_explorer_on_a_real_corpus_is_capped_and_every_node_has_a_page(cloudwego_index, monkeypatch):
    monkeypatch.setenv("GOKG_INDEX", str(cloudwego_index))
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/explorer.py")
    at.query_params["name"] = "Kitex"
    at.run()
    assert not at.exception
    drawn = _drawn(at)
    assert len(drawn["data"]) == 25 and "related_to" not in _relations(drawn)  # Kitex has far more neighbours
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in drawn["data"])
    for node in drawn["data"]:  # discovered concepts included
        page = AppTest.from_file(APP, default_timeout=120)
        page.switch_page("pages/concept.py")
        page.query_params["name"] = node["name"]
        page.run()
        assert not page.exception, node["name"]
        assert page.header[0].value.replace("\\", "") == node["name"]


def test_concept_page_shows_article_text_as_text(tmp_path, monkeypatch):
    """Evidence, aliases and file names are escaped HTML blocks: no markdown link, no lost underscores."""
    from gokg import KnowledgeBase

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "ops__notes__a.md").write_text(
        "# 熔断\n\nSentinel 实现熔断，见 [点我](http://evil.example) 与 <b>粗体</b>。\n", "utf-8")
    KnowledgeBase.build([corpus], tmp_path / "idx", encoder="hash")
    monkeypatch.setenv("GOKG_INDEX", str(tmp_path / "idx"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/concept.py")
    at.query_params["name"] = "Sentinel"
    at.run()
    assert not at.exception
    quoted = [m.value for m in at.markdown if "evil.example" in m.value]
    assert quoted and all(v.startswith("<div") and "[点我](http://evil.example)" in v for v in quoted)
    assert all("<b>粗体" not in v and "&lt;b&gt;粗体" in v for v in quoted)
    assert any(m.value.startswith("<div") and "ops__notes__a.md" in m.value for m in at.markdown)


def test_search_page_is_compact_with_source_to_copy_and_a_folder_filter(app):
    app.query_params["q"] = "saga 补偿"
    app.query_params["in"] = "002_b063d93aa04c4af9.txt"
    app.run()
    assert not app.exception
    assert app.selectbox(key="scope").value == "002_b063d93aa04c4af9.txt"
    sources = [c.value for c in app.code]
    assert sources and all(s.startswith("002_b063d93aa04c4af9.txt:") for s in sources)
    assert any(e.label.startswith("More") for e in app.expander)


def test_chinese_interface_from_the_url(app):
    app.query_params["q"] = "熔断"
    app.query_params["lang"] = "zh"
    app.run()
    assert not app.exception
    assert app.session_state["zh"] is True
    assert any(s.value == "结果" for s in app.subheader)


def test_links_in_passages_are_clickable_only_for_http():
    from gokg.ui.state import passage_html, prefers_chinese

    html = passage_html("见 [文档](https://example.com/a?x=1&y=2) javascript:alert(1) <b>熔断</b>", ["熔断"])
    assert '<a href="https://example.com/a?x=1&amp;y=2" target="_blank" rel="noopener noreferrer nofollow">文档</a>' in html
    assert "javascript:alert(1)" in html and 'href="javascript' not in html
    assert "&lt;b&gt;<mark>熔断</mark>&lt;/b&gt;" in html
    assert prefers_chinese("zh-CN") and prefers_chinese(None, "zh-TW,en;q=0.8") and not prefers_chinese("en-US", "zh")
