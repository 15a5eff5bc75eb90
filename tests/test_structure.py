"""Golden tests on excerpts of the real seed articles: every block kind with its original line span."""
from __future__ import annotations

import pytest

from gokg.ingest.structure import parse_blocks


@pytest.fixture(scope="module")
def blocks(seeds):
    def of(doc: str):
        return {(b.line_start, b.line_end): b for b in parse_blocks((seeds / doc).read_text("utf-8"))}

    return of


def test_headings_in_every_style(blocks):
    b = blocks("000_ec0da037d95f2b7d.txt")
    assert (b[(5, 5)].kind, b[(5, 5)].level) == ("heading", 1)  # 第一章:...
    assert (b[(39, 39)].kind, b[(39, 39)].level) == ("heading", 2)  # 2.1 ...
    assert (b[(43, 43)].kind, b[(43, 43)].level) == ("heading", 4)  # short standalone line


def test_paragraphs(blocks):
    b = blocks("000_ec0da037d95f2b7d.txt")
    assert b[(41, 41)].kind == "paragraph"  # Gin 的路由基于前缀树(Trie)实现 ...
    assert b[(375, 375)].kind == "paragraph"
    assert blocks("003_e117c7eadb5835c2.txt")[(2, 2)].kind == "paragraph"


def test_unfenced_go_code_is_one_block(blocks):
    b = blocks("000_ec0da037d95f2b7d.txt")
    assert b[(379, 397)].kind == "code"  # OrderSagaCoordinator.Execute with its leading comment
    assert b[(56, 63)].kind == "code"


def test_shell_comments_stay_in_code_not_headings(blocks):
    b = blocks("000_ec0da037d95f2b7d.txt")
    assert b[(31, 33)].kind == "code"  # "# 检查是否理解goroutine泄漏风险" is a shell comment


def test_flattened_table_and_list_split_without_blank_line(blocks):
    b = blocks("000_ec0da037d95f2b7d.txt")
    assert b[(21, 23)].kind == "list"
    assert b[(24, 27)].kind == "table"
    assert b[(403, 405)].kind == "table"  # 维度 Saga TCC
    assert b[(403, 405)].cells[0] == ("维度", "Saga", "TCC")
    assert b[(403, 405)].cells[1] == ("侵入性", "低(仅需提供补偿接口)", "高(需拆分 Try/Confirm/Cancel)")
    assert b[(406, 413)].kind == "mermaid"  # starts right under the table


def test_mermaid_and_boilerplate(blocks):
    b = blocks("000_ec0da037d95f2b7d.txt")
    assert b[(105, 109)].kind == "mermaid"
    assert b[(1, 1)].kind == "boilerplate"  # Posted in
    assert b[(522, 522)].kind == "boilerplate"  # 发表回复


def test_article_without_blank_lines_is_read_line_by_line(blocks):
    b = blocks("003_e117c7eadb5835c2.txt")
    assert b[(1, 1)].kind == "heading"
    assert b[(5, 20)].kind == "code"  # package main ... func main() { ... }
    assert b[(35, 39)].kind == "table"  # | 组件 | 工具 | 关键命令 |
    assert b[(35, 39)].cells[:2] == (("组件", "工具", "关键命令"), ("日志", "zerolog", 'log.With().Str("req_id", id).Info().Msg("handled")'))
    assert b[(64, 68)].kind == "mermaid"


def test_every_nonblank_line_in_exactly_one_block(seeds):
    for path in sorted(seeds.iterdir()):
        text = path.read_text("utf-8")
        covered: list[int] = []
        for block in parse_blocks(text):
            covered.extend(range(block.line_start, block.line_end + 1))
        nonblank = [i for i, line in enumerate(text.split("\n"), start=1) if line.strip()]
        assert len(covered) == len(set(covered)), path.name
        assert set(nonblank) <= set(covered), path.name


def test_markdown_article():
    text = (
        "---\ntitle: Go 并发模式\n---\n\n# Go 并发模式详解\n\n## 1. Worker Pool\n\nWorker Pool 是一种模式：\n\n"
        "```go\nfunc worker() {\n\n    return\n}\n```\n\n- 使用 channel\n- 通过 WaitGroup\n\n"
        "| 模式 | 复杂度 |\n|---|---|\n| Worker Pool | 低 |\n\n```mermaid\ngraph LR\n    A --> B\n```\n"
    )
    kinds = [(b.kind, b.line_start, b.line_end) for b in parse_blocks(text)]
    assert kinds == [
        ("boilerplate", 1, 1), ("title", 2, 2), ("boilerplate", 3, 3), ("heading", 5, 5), ("heading", 7, 7),
        ("paragraph", 9, 9), ("code", 11, 16),
        ("list", 18, 19), ("table", 21, 23), ("mermaid", 25, 28),
    ]
    table = [b for b in parse_blocks(text) if b.kind == "table"][0]
    assert table.cells == (("模式", "复杂度"), ("Worker Pool", "低"))
