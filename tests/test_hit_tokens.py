"""Each passage's tokens are saved at build time; search reads them instead of tokenizing its hits."""
from __future__ import annotations

import json
import shutil
from dataclasses import asdict

from gokg import KnowledgeBase
from gokg.graph.hit_tokens import FOLDER, hit_text


def test_saved_tokens_are_the_passages_tokens(hash_index):
    kb = KnowledgeBase.open(hash_index)
    searcher = kb.searcher
    assert searcher._hit_tokens is not None
    for passage in kb.passages:
        assert searcher._hit_tokens(passage.id) == frozenset(searcher.tokenizer(hit_text(passage))), passage.id


def _without_hit_tokens(index, to):
    """A copy of ``index`` as gokg wrote it before hit tokens were saved."""
    shutil.copytree(index, to)
    shutil.rmtree(to / FOLDER)
    manifest = json.loads((to / "manifest.json").read_text("utf-8"))
    manifest["checksums"] = {k: v for k, v in manifest["checksums"].items() if not k.startswith(FOLDER + "/")}
    (to / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    return to


def test_an_index_without_saved_tokens_answers_the_same(hash_index, tmp_path):
    old = KnowledgeBase.open(_without_hit_tokens(hash_index, tmp_path / "old"))
    assert old.searcher._hit_tokens is None
    new = KnowledgeBase.open(hash_index)
    for query in ["saga 补偿", "sync.Pool 对象复用", "熔断 降级", "pprof 火焰图", "consistent hashing"]:
        assert asdict(old.search(query)) == asdict(new.search(query)), query


def test_a_section_copied_into_another_article_is_one_hit(tmp_path):
    section = (
        "## 连接池配置\n\n连接池的最大空闲连接数决定了突发流量下的复用率，MaxIdleConns 过小会导致频繁建连。\n"
        "MaxOpenConns 限制并发连接总数，ConnMaxLifetime 让连接定期轮换，避免被中间设备断开。\n"
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(f"# 数据库调优\n\n{section}", "utf-8")
    (docs / "b.md").write_text(f"# 数据库调优\n\n{section}", "utf-8")
    (docs / "c.md").write_text("# 缓存\n\n## 连接池与缓存\n\nRedis 客户端同样有连接池，PoolSize 决定并发上限。\n", "utf-8")
    kb = KnowledgeBase.build([docs], tmp_path / "index", encoder="hash")
    docs_hit = [hit.doc for hit in kb.search("连接池 MaxIdleConns").hits]
    assert docs_hit.count("a.md") + docs_hit.count("b.md") == 1, docs_hit
