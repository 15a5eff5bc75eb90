"""Passages: at most 40 lines, exact original text, every non-boilerplate line covered once."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gokg.models import Document
from gokg.ingest.passages import make_passages
from gokg.ingest.structure import parse_blocks

LINES = st.sampled_from(
    [
        "",
        "第二章:熔断限流",
        "2.1 Sentinel-Go 集成",
        "## 小结",
        "Saga 模式以正向操作加补偿回滚保障最终一致性。",
        "func main() {",
        "    r := gin.Default()",
        "}",
        "graph TD",
        "    A[请求] --> B[熔断器]",
        "维度 Saga TCC",
        "  • 企业名称",
        "Posted in",
        "发表回复",
        "| 组件 | 工具 |",
        "# 检查 goroutine 泄漏",
        "go tool pprof http://localhost:6060/debug/pprof/heap",
        "x" * 300,
        "---",
        'title: "熔断"',
    ]
)


def _check(text: str, **kwargs) -> None:
    doc = Document("t.txt", "t.txt", text, "0")
    blocks = parse_blocks(text)
    passages = make_passages(doc, blocks, **kwargs)
    lines = text.split("\n")
    seen: list[int] = []
    for p in passages:
        assert p.line_end - p.line_start + 1 <= kwargs.get("max_lines", 40)
        assert p.text == "\n".join(lines[p.line_start - 1 : p.line_end])
        seen.extend(range(p.line_start, p.line_end + 1))
    assert len(seen) == len(set(seen))
    boiler = {i for b in blocks if b.kind in ("boilerplate", "title") for i in range(b.line_start, b.line_end + 1)}
    wanted = {i for i, line in enumerate(lines, start=1) if line.strip()} - boiler
    assert wanted <= set(seen)
    assert not (boiler & set(seen))


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, max_size=120), st.integers(min_value=3, max_value=40))
def test_any_text_is_covered_exactly_once(lines, max_lines):
    _check("\n".join(lines), max_lines=max_lines)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_arbitrary_unicode(text):
    _check(text)


def test_real_seeds_passages(seeds):
    for path in sorted(seeds.iterdir()):
        _check(path.read_text("utf-8"))


def test_heading_joined_to_following_text(seeds):
    text = (seeds / "000_ec0da037d95f2b7d.txt").read_text("utf-8")
    passages = make_passages(Document("000.txt", "", text, "0"), parse_blocks(text))
    saga = next(p for p in passages if p.line_start == 373)
    assert saga.text.startswith("4.2 分布式事务解决方案(Saga/TCC)")
    assert saga.section.endswith("4.2 分布式事务解决方案(Saga/TCC)在订单域中的Go实现")
    assert saga.line_end > 373


def test_section_titles_read_without_markup():
    text = "## 03 **服务治理**\n\n### [Kitex][Kitex] 的 `熔断`\n\n熔断器在错误率超过阈值时打开。\n"
    passages = make_passages(Document("t.md", "t.md", text, "0"), parse_blocks(text))
    assert passages[-1].section == "03 服务治理 > Kitex 的 熔断"


def test_front_matter_title_heads_every_section_and_is_no_passage():
    text = '---\ntitle: "熔断"\nkeywords: ["Kitex", "熔断"]\n---\n\n## 介绍\n\nKitex 提供了熔断器。\n\n## 使用方式\n\n### 示例\n\n见下文。\n'
    passages = make_passages(Document("cb.md", "cb.md", text, "0"), parse_blocks(text))
    assert [p.section for p in passages] == ["熔断 > 介绍", "熔断 > 使用方式 > 示例"]
    assert all("title:" not in p.text and "keywords" not in p.text for p in passages)
    again = text.replace("## 介绍", "# 熔断\n\n## 介绍")  # an H1 that repeats the title is said once
    assert [p.section for p in make_passages(Document("cb.md", "cb.md", again, "0"), parse_blocks(again))][-2:] == \
        ["熔断 > 介绍", "熔断 > 使用方式 > 示例"]
    later = text + "\n### 熔断\n\n熔断器的细节。\n"  # a subsection named like the document keeps its place
    assert make_passages(Document("cb.md", "cb.md", later, "0"), parse_blocks(later))[-1].section == "熔断 > 使用方式 > 熔断"


def test_headings_stay_with_the_start_of_a_listing_longer_than_what_is_left():
    code = "\n".join(f"    step{i}()" for i in range(38))
    text = f"## 使用方式\n\n### 使用示例：\n\n```go\nfunc main() {{\n{code}\n}}\n```\n"
    passages = make_passages(Document("t.md", "t.md", text, "0"), parse_blocks(text))
    assert all(p.line_end - p.line_start + 1 <= 40 for p in passages)
    assert passages[0].line_start == 1 and "code" in passages[0].kinds  # not a passage of headings alone
