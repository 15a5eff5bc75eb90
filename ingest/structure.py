"""Recover the structure of a scraped article: typed blocks with their original line spans.

Scraped posts lose their markup: headings come as ``第3章``, ``一、``, ``2.1`` or ``#`` lines, code comes
without fences, tables come as space-separated rows and mermaid diagrams as bare ``graph TD`` lines.
:func:`parse_blocks` reads them back as a Go engineer would.
"""
from __future__ import annotations

import re

from gokg.models import Block
from gokg.text import front_matter_title

__all__ = ["parse_blocks", "heading_level", "is_code_line", "split_cells", "table_cells"]

_CN_NUM = "一二三四五六七八九十百零〇两"
_HEADING_PATTERNS = (
    (re.compile(r"^(#{1,6})\s+\S"), None),
    (re.compile(rf"^第[{_CN_NUM}0-9]+[章篇部](?![节的分])"), 1),  # not 第一章节的内容…
    (re.compile(rf"^第[{_CN_NUM}0-9]+[节讲课]"), 2),
    (re.compile(rf"^[{_CN_NUM}]+[、.．]\s*\S"), 2),
    (re.compile(r"^\d+\.\d+\.\d+\.?\s*\S"), 3),
    (re.compile(r"^\d+\.\d+\.?\s*\S"), 2),
    (re.compile(rf"^[（(][{_CN_NUM}0-9]+[)）]\s*\S"), 3),
)
_SENTENCE_END = re.compile(r"[。！？!?；;，,：:]\s*$|[。；;]")
_MERMAID = re.compile(
    r"^\s*(graph|flowchart)\s+(TD|TB|LR|RL|BT)\b|^\s*(sequenceDiagram|classDiagram|stateDiagram(-v2)?|erDiagram|gantt|pie|journey|mindmap|timeline)\b"
)
_LIST_ITEM = re.compile(r"^\s*([•·▪●◦\-*+]|\d{1,2}[.)、]|[a-z][.)])\s+\S|^\s*[•·▪●◦]\S")
_BOILERPLATE = re.compile(
    r"^\s*(Posted in|发表回复|发表评论|评论|Leave a (Reply|Comment)|Share this|分享到|上一篇|下一篇|相关文章|"
    r"Related posts|You may also like|Copyright|版权所有|本文链接|转载请注明|取消回复|Comments?|"
    r"版权声明|原文链接|复制代码|文章标签|分类专栏|最新推荐文章|阅读\s*\d+|点赞|收藏|打赏|关注我们|扫码关注)\b.*$|"
    r"^\s*(Posted in|发表回复|取消回复)\s*$",
    re.IGNORECASE,
)
_CODE_START = re.compile(
    r"^\s*((package|import|func|type|var|const|return|else|defer|select|struct|interface|chan|map)\b(?!\s*[\u4e00-\u9fff])|"
    r"(if|for|switch|case)\b.*[{:]\s*$|default:|go func|\$ |\}|\{|\)|"
    r"(FROM|RUN|COPY|CMD|ENTRYPOINT|WORKDIR|ENV|EXPOSE|ARG|ADD|USER|LABEL) \S|"
    r"(apiVersion|kind|metadata|spec|name|image|steps|jobs|on|uses|with|run|env|replicas|containers|ports|"
    r"resources|limits|requests|selector|labels|template|script|stage|stages|services|volumes):(\s|$)|- name:|"
    r"(kubectl|docker|helm|curl|make|git|wrk|ab|hey|k6|protoc|buf|kratos|terraform|npm|pip|apt-get|go) \S|"
    r"syntax = |message \w+ \{|service \w+ \{|rpc \w+\(|option \w|(SELECT|INSERT|UPDATE|CREATE|DELETE) |@\w+|<[a-zA-Z/!])"
)
# (?<!\w): a name is matched from its start only, so a 10 MB run of letters is scanned once, not once per letter.
_CODE_TOKENS = re.compile(r":=|\{\s*$|^\s*\}|;\s*$|\(\)|->|=>|\b(err|nil|ctx)\b|==|!=|(?<!\w)\w+\.\w+\(|(?<!\w)\w+\(\w*\)")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def heading_level(line: str, *, standalone: bool = True) -> int:
    """The heading level of ``line`` (1 = chapter), or 0 when it is not a heading.

    >>> heading_level("第二章:Gin框架深度实训体系解析"), heading_level("2.1 Gin路由机制"), heading_level("## 小结")
    (1, 2, 2)
    >>> heading_level("Saga 协调器核心逻辑"), heading_level("Gin 的路由基于前缀树(Trie)实现,支持动态路径参数。")
    (4, 0)
    >>> heading_level("> 中间件可能执行不止一次"), heading_level("下面的方法总有一款适合你~"), heading_level("通常你可以不用关心 .")
    (0, 0, 0)
    """
    text = line.strip()
    if not text or len(text) > 80:
        return 0
    for pattern, level in _HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            if level is None:
                return min(len(match.group(1)), 6)
            if _SENTENCE_END.search(text) and len(text) > 40:
                return 0
            return level
    # A short standalone line without sentence punctuation reads as a minor heading ("TCC 对比要点"); not a
    # quote or a line that ends like a remark ("… 不用关心 .", "… 适合你~").
    if (
        standalone
        and len(text) <= 36
        and _HAN.search(text)
        and not _SENTENCE_END.search(text)
        and not re.search(r"[.~～…]$|^>", text)
        and not is_code_line(text)
        and not _LIST_ITEM.match(text)
        and not re.search(r"\s{2,}|\t", text)
    ):
        return 4
    return 0


def is_code_line(line: str) -> bool:
    """Whether a line looks like source code, a shell command or a config line (comments excluded).

    >>> is_code_line("r := gin.Default()"), is_code_line("go tool pprof http://localhost:6060/debug/pprof/heap")
    (True, True)
    >>> is_code_line("r.Use(gin.Recovery())   // 捕获panic并返回500"), is_code_line("Gin 的路由基于前缀树实现。")
    (True, False)
    """
    stripped = line.strip()
    if not stripped or _is_comment(stripped):
        return False
    code_part = re.split(r"\s//|\s#\s", stripped)[0]
    if len(_HAN.findall(code_part)) * 4 > len(code_part):
        return False  # Chinese prose
    if _CODE_START.match(code_part) or line.startswith(("    ", "\t")):
        return True
    return bool(_CODE_TOKENS.search(code_part))


def _is_comment(stripped: str) -> bool:
    return stripped.startswith(("//", "/*", "*/", "#")) and not stripped.startswith("#!")


def _chunks(lines: list[str]) -> list[tuple[int, int, bool]]:
    """Runs of non-blank lines as ``(first, last, fenced)`` 0-based indexes; a fence keeps its blank lines."""
    out: list[tuple[int, int, bool]] = []
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].strip():
            i += 1
            continue
        if lines[i].lstrip().startswith(("```", "~~~")):
            fence = lines[i].lstrip()[:3]
            j = i + 1
            while j < n and not lines[j].lstrip().startswith(fence):
                j += 1
            out.append((i, min(j, n - 1), True))
            i = j + 1
            continue
        j = i
        while j + 1 < n and lines[j + 1].strip() and not lines[j + 1].lstrip().startswith(("```", "~~~")):
            j += 1
        out.append((i, j, False))
        i = j + 1
    return out


_YAML_LINE = re.compile(r"^(?:[\w-]+:(?:\s|$)|\s+\S|-\s|#)")  # key: value, an indented or list line, a comment


def _front_matter_end(lines: list[str]) -> int | None:
    """The line that closes a front matter opened by the first line, when every line between reads as YAML
    (else the two ``---`` are horizontal rules around article text).

    >>> _front_matter_end(["---", "title: 熔断", "tags:", "  - kitex", "---", "正文"]), _front_matter_end(["---", "本文介绍熔断。", "---"])
    (4, None)
    """
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, min(len(lines), 40)):
        if lines[i].strip() == "---":
            return i
        if lines[i].strip() and not _YAML_LINE.match(lines[i]):
            return None
    return None


def _front_matter_blocks(lines: list[str], front: int) -> list[tuple[str, int, int, int]]:
    """The front matter (lines 0 to ``front``) as boilerplate, around its title line when it has one.

    >>> _front_matter_blocks(["---", 'title: "熔断"', "date: 2023", "---"], 3)
    [('boilerplate', 0, 0, 0), ('title', 1, 1, 0), ('boilerplate', 2, 3, 0)]
    """
    title = next((i for i in range(1, front) if front_matter_title(lines[i])), None)
    if title is None:
        return [("boilerplate", 0, front, 0)]
    return [("boilerplate", 0, title - 1, 0), ("title", title, title, 0), ("boilerplate", title + 1, front, 0)]


def _split_runs(lines: list[str], chunks: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Split a chunk where a bullet list meets other lines with no blank line between (list, then table)."""
    out: list[tuple[int, int, bool]] = []
    for first, last, fenced in chunks:
        if fenced:
            out.append((first, last, fenced))
            continue
        start = first
        for i in range(first + 1, last + 1):
            if _MERMAID.match(lines[i]):  # a diagram that starts right under a table or paragraph
                out.append((start, i - 1, False))
                start = i
                continue
            was_item, is_item = bool(_LIST_ITEM.match(lines[i - 1])), bool(_LIST_ITEM.match(lines[i]))
            # A list item may wrap onto a plain continuation line; split only between runs of 2+ lines.
            if was_item != is_item and i - start >= 2 and last - i + 1 >= 2:
                out.append((start, i - 1, False))
                start = i
        out.append((start, last, False))
    return out


def _is_table(rows: list[str]) -> bool:
    if len(rows) < 2 or any(len(row.strip()) > 120 for row in rows):
        return False
    cells = [split_cells(row) for row in rows]
    if any(len(c) < 2 for c in cells):
        return False
    if any(_SENTENCE_END.search(row) for row in rows[:1]):
        return False
    prose = sum(1 for row in rows if re.search(r"[。，,]", row))
    return prose * 2 < len(rows) and not any(is_code_line(row) and not _HAN.search(row) for row in rows[:1])


def split_cells(row: str) -> list[str]:
    """The cells of a table row: split on tabs, pipes or runs of spaces, else on spaces outside brackets."""
    if "\t" in row or "|" in row.strip().strip("|"):
        parts = re.split(r"\t|\s*\|\s*", row.strip().strip("|"))
    elif re.search(r"\S\s{2,}\S", row):
        parts = re.split(r"\s{2,}", row.strip())
    else:
        parts = _split_outside_brackets(row.strip())
    return [p.strip() for p in parts if p.strip()]


def _split_outside_brackets(row: str) -> list[str]:
    """Split on spaces, except inside (…)/（…）: ``高(需拆分 Try/Confirm/Cancel)`` stays one cell."""
    parts, current, depth = [], [], 0
    for ch in row:
        depth += ch in "(（[" and 1 or 0
        depth -= ch in ")）]" and depth > 0 and 1 or 0
        if ch == " " and depth == 0:
            if current:
                parts.append("".join(current))
            current = []
        else:
            current.append(ch)  # a list: str += is quadratic where CPython cannot extend in place
    return parts + (["".join(current)] if current else [])


def table_cells(text: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a table block as cells; a separator row (|---|) is dropped.

    >>> table_cells("维度 Saga TCC\\n侵入性 低(仅需提供补偿接口) 高(需拆分 Try/Confirm/Cancel)")
    (('维度', 'Saga', 'TCC'), ('侵入性', '低(仅需提供补偿接口)', '高(需拆分 Try/Confirm/Cancel)'))
    """
    rows = []
    for line in text.split("\n"):
        if not line.strip() or re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line):
            continue
        rows.append(tuple(c.strip() for c in split_cells(line)))
    return tuple(rows)


def _classify(chunk: list[str], fenced: bool) -> tuple[str, int] | None:
    """The kind of a whole chunk, or ``None`` when its lines are mixed and must be read one by one."""
    first = chunk[0].strip()
    if fenced:
        body = chunk[1:]
        language = first.strip("`~ ").lower()
        if language == "mermaid" or (body and _MERMAID.match(body[0])):
            return "mermaid", 0
        return "code", 0
    if all(_BOILERPLATE.match(line) for line in chunk) and len(chunk) <= 3:
        return "boilerplate", 0
    if _MERMAID.match(first) and all(_is_mermaid_line(line) for line in chunk[1:]):
        return "mermaid", 0
    if len(chunk) == 1:
        level = heading_level(first)
        if level and not is_code_line(first):
            return "heading", level
        return ("code", 0) if is_code_line(first) else ("paragraph", 0)
    code_lines = sum(1 for line in chunk if is_code_line(line))
    comments = sum(1 for line in chunk if _is_comment(line.strip()))
    if code_lines and (code_lines + comments) >= 0.8 * len(chunk):
        return "code", 0
    if all(_LIST_ITEM.match(line) or line.startswith(" ") for line in chunk) and _LIST_ITEM.match(chunk[0]):
        return "list", 0
    if _is_table(chunk):
        return "table", 0
    if not any(is_code_line(line) or heading_level(line, standalone=False) or _MERMAID.match(line) for line in chunk):
        if sum(1 for line in chunk if _LIST_ITEM.match(line)) * 2 > len(chunk):
            return "list", 0
        return "paragraph", 0
    return None


def _is_mermaid_line(line: str) -> bool:
    if _MERMAID_LINE.search(line):
        return True
    # A node shape: [...] or {...}, found with find/rfind (a regex .* would rescan the line from every bracket).
    return any(-1 < line.find(open_) < line.rfind(close) for open_, close in ("[]", "{}"))


_MERMAID_LINE = re.compile(r"-->|---|==>|-\.->|->>|-->>|^\s*(subgraph|end|participant|style|classDef|click)\b")


def _line_kinds(chunk: list[str]) -> list[tuple[str, int]]:
    """Read a mixed chunk line by line (articles scraped with no blank lines between blocks)."""
    kinds: list[tuple[str, int]] = []
    depth = 0
    in_mermaid = False
    for i, line in enumerate(chunk):
        stripped = line.strip()
        if in_mermaid and _is_mermaid_line(line):
            kinds.append(("mermaid", 0))
            continue
        in_mermaid = bool(_MERMAID.match(line))
        if in_mermaid:
            kinds.append(("mermaid", 0))
            continue
        if (stripped.startswith("|") or stripped.endswith("|")) and "|" in stripped and depth == 0:
            kinds.append(("table", 0))
            continue
        code = is_code_line(line) or depth > 0
        if not code and _is_comment(stripped):
            near = chunk[max(i - 1, 0) : i] + chunk[i + 1 : i + 2]
            code = any(is_code_line(other) for other in near)
        if code:
            depth = max(depth + stripped.count("{") + stripped.count("(") - stripped.count("}") - stripped.count(")"), 0)
            kinds.append(("code", 0))
        elif _LIST_ITEM.match(line):
            kinds.append(("list", 0))
        elif level := heading_level(stripped):
            kinds.append(("heading", level))
        else:
            kinds.append(("paragraph", 0))
    return kinds


def parse_blocks(text: str) -> list[Block]:
    """Split ``text`` into typed blocks; every non-blank line belongs to exactly one block.

    >>> [(b.kind, b.line_start, b.line_end) for b in parse_blocks("2.1 路由\\n\\nr := gin.Default()\\nr.Run()\\n\\n说明文字。")]
    [('heading', 1, 1), ('code', 3, 4), ('paragraph', 6, 6)]
    """
    lines = text.split("\n")
    typed: list[tuple[str, int, int, int]] = []
    front = _front_matter_end(lines)
    if front is not None:  # Markdown front matter (--- title: … ---) is metadata, not article text,
        typed += _front_matter_blocks(lines, front)  # except its title: the document's own heading
    for first, last, fenced in _split_runs(lines, _chunks(lines)):
        if front is not None and first <= front:
            if last <= front:
                continue
            first = front + 1  # the article starts right below the front matter, no blank line between
        chunk = lines[first : last + 1]
        whole = _classify(chunk, fenced)
        if whole is not None:
            typed.append((whole[0], first, last, whole[1]))
            continue
        for offset, (kind, level) in enumerate(_line_kinds(chunk)):
            line_no = first + offset
            if typed and kind == typed[-1][0] and kind != "heading" and typed[-1][2] == line_no - 1:
                typed[-1] = (kind, typed[-1][1], line_no, 0)
            else:
                typed.append((kind, line_no, line_no, level))
    merged: list[tuple[str, int, int, int]] = []
    for kind, first, last, level in typed:
        if merged:
            prev_kind, prev_first, prev_last, prev_level = merged[-1]
            # Unfenced code keeps blank lines inside functions: join code runs split only by blank lines.
            continues_code = prev_kind == "code" and (
                kind == "code" or (kind in ("paragraph", "heading") and lines[first][:1] in (" ", "\t", "}"))
            )
            if continues_code and not lines[prev_last].lstrip().startswith(("```", "~~~")) and first - prev_last <= 2:
                merged[-1] = ("code", prev_first, last, 0)
                continue
        merged.append((kind, first, last, level))
    blocks = []
    for kind, first, last, level in merged:
        text = "\n".join(lines[first : last + 1])
        cells = table_cells(text) if kind == "table" else ()
        blocks.append(Block(kind=kind, line_start=first + 1, line_end=last + 1, text=text, level=level, cells=cells))
    return blocks
