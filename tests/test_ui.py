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
