"""Term candidates from the structure of a passage: what an author marks as a name.

Headings and the key term of a heading (``### 内部落地的经典案例：合并部署`` -> 合并部署, ``### 基于 GAT 设计``
-> GAT), bold terms, list heads (``- **X**：``), link texts (``[kitex-benchmark](https://...)``) and the
first cells of table rows. Each candidate says where it came from, so discovery can weigh the sources.
These are candidates only: discovery keeps a term when it recurs and passes the term checks.

>>> [(c.text, c.source) for c in structural_candidates("### Nocopy Buffer 设计和优势\\n用 **Frugal** 编解码")]
[('Nocopy Buffer', 'heading'), ('Frugal', 'bold')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SECTION_WORDS", "Candidate", "structural_candidates", "english_names", "heading_key_term", "is_english_term"]


@dataclass(frozen=True)
class Candidate:
    text: str
    source: str  # heading | defined | bold | list_head | link | table


_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_BOLD = re.compile(r"\*\*([^*\n]{2,40}?)\*\*")
_LIST_HEAD = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\*\*([^*\n]{2,40}?)\*\*\s*[：:]", re.M)
_LINK = re.compile(r"(?<![!@])\[([^\]\n]{2,40})\](?:\(|\[)")
_TABLE_ROW = re.compile(r"^\s*\|\s*([^|\n]{2,40}?)\s*\|", re.M)
# English names: words of letters and digits, joined by spaces, hyphens or an apostrophe (Cap'n Proto).
# Chinese prose glues names to the characters around them ("基于Storm的", "采用Istio流量镜像"): only ASCII
# word characters bound a name (\w would count the Chinese ones too).
_EN_NAME = re.compile(r"(?<![A-Za-z0-9_./@'-])([A-Za-z][A-Za-z0-9]*(?:['’][a-z]+)?(?:[-+][A-Za-z0-9]+)*"
                      r"(?:\s[A-Z][A-Za-z0-9]*(?:['’][a-z]+)?(?:-[A-Za-z0-9]+)*){0,2})(?![A-Za-z0-9_/@'-])")
SECTION_WORDS = re.compile(
    r"(介绍|简介|概述|概览|说明|示例|例子|方式|方法|步骤|流程|问题|事项|总结|小结|背景|原理|实践|设计|实现|使用|用法|安装|"
    r"配置|开始|测试|对比|结论|展望|规划|参考|附录|致谢|优势|特性|功能|目录|前言|引言|更新|变更|场景|效果|收益|思路|方案|"
    r"细节|分析|数据|结果|现状|挑战|目标|演进|历程|未来|计划|阅读|链接|资料|文档|教程|指南|入门|答疑|讨论|案例|后记|结语|"
    r"痛点|梳理|缘起|地址|代码|顺序|特点|困难|维护|怪圈|项|好|观|收获|体会|感想|心得)$"
)
# What a heading asks about a term: "回水保护是什么", "什么是流量染色", "Q3 影子配置是怎么回事".
_QUESTION = re.compile(r"^(?:Q\d+[.:：、]?\s*)?(?:什么是|何为|何谓)\s*|\s*(?:到底|究竟)?(?:是什么|是啥|是怎么回事|指的是什么)(?:呢|啊)?$|\s*(?:应该|要|该)?(?:怎么|如何)[\u4e00-\u9fff]{0,3}$|^Q\d+[.:：、]?\s*")
# A term the prose defines: "所谓影子配置，就是…", "这就是所谓的流量染色：…".
_SO_CALLED = re.compile(r"所谓的?\s*[“\"「]?([\u4e00-\u9fff]{2,8})[”\"」]?\s*(?=[，,：:（(]|就是|是|指)"
                        # a sentence that opens with the term and says what it is: "离线信箱本质上是一条…队列"
                        r"|(?:^|(?<=[。！？!?\n]))\s*([\u4e00-\u9fff]{2,8})(?=本质上是|实质上是|是指|指的是|说白了就是)")
_NUMBERING = re.compile(r"^(?:[\d.]+|[一二三四五六七八九十]+[、.]|第[一二三四五六七八九十\d]+[章节部分]|[(（]?\d+[)）])\s*")


def structural_candidates(text: str) -> list[Candidate]:
    """Terms the markup of ``text`` singles out, in order of appearance per source."""
    found: list[Candidate] = []
    for match in _HEADING.finditer(text):
        found += [Candidate(term, "heading") for term in heading_key_term(match.group(1))]
    found += [Candidate(match.group(1) or match.group(2), "defined") for match in _SO_CALLED.finditer(text)]
    for pattern, source in ((_LIST_HEAD, "list_head"), (_BOLD, "bold"), (_LINK, "link"), (_TABLE_ROW, "table")):
        for match in pattern.finditer(text):
            term = _strip(match.group(1))
            if source == "bold" and _LIST_HEAD.match(text, text.rfind("\n", 0, match.start()) + 1):
                continue  # counted once, as a list head
            if term and not re.fullmatch(r"[-:| ]+", term):
                found.append(Candidate(term, source))
    return found


def heading_key_term(heading: str) -> list[str]:
    """The terms a heading is about: the whole heading when it is short, the part after a colon, and the
    English names inside it.

    >>> heading_key_term("内部落地的经典案例：合并部署")
    ['合并部署']
    >>> heading_key_term("2.1 使用 SIMD 优化 Thrift 编码")
    ['SIMD', 'Thrift']
    >>> heading_key_term("为什么需要 Nocopy Buffer ?")
    ['Nocopy Buffer']
    >>> heading_key_term("四、回水保护是什么"), heading_key_term("Q12 灰度怎么做？流量染色是什么？")
    (['回水保护'], ['灰度', '流量染色'])
    """
    heading = _NUMBERING.sub("", _strip(heading))
    questions = [q for q in re.split(r"\s*[？?]\s*", heading) if q]
    if len(questions) > 1:  # "灰度发布怎么做？流量染色是什么？": each question asks about its own term
        return [term for question in questions for term in heading_key_term(question)]
    heading = _QUESTION.sub("", heading) or heading  # "回水保护是什么", "什么是 Saga": the term asked about
    if "：" in heading or ":" in heading:
        tail = re.split(r"[：:]", heading)[-1].strip()
        if tail:
            heading = tail
    heading = heading.strip(" ?？!！.。")
    if is_english_term(heading):
        return [heading]
    terms = [m.group(1) for m in _EN_NAME.finditer(heading) if is_english_term(m.group(1))]
    if not terms and re.fullmatch(r"[\u4e00-\u9fff]{2,8}", heading) and not SECTION_WORDS.search(heading):
        terms.append(heading)
    return terms


def english_names(text: str) -> list[tuple[str, int, int]]:
    """English names in ``text`` with their spans (multi-word names only when Title Case)."""
    return [(m.group(1), m.start(1), m.end(1)) for m in _EN_NAME.finditer(text)]


_LOWER_STOP = frozenset(
    """a an the and or of to in on for with by at from as is are be how why what when where which this that
    it its we you they our your not no yes vs via per new old more less all any each some other using use used
    get set add put delete remove replace update list run start stop go do done""".split()
)


def is_english_term(text: str) -> bool:
    """A name-like English string: at most four words, no sentence, URL, host or dotted identifier.

    >>> [is_english_term(t) for t in ["Nocopy Buffer", "kitex-benchmark", "how to use it", "hlog.Info", "https://x.io"]]
    [True, True, False, False, False]
    """
    if len(text) < 2 or len(text) > 40 or not re.fullmatch(r"[A-Za-z0-9 '’+\-/]+", text) or not re.match(r"[A-Za-z]", text):
        return False
    if re.fullmatch(r"[vV]?\d+(?:\.\d+)*[a-z]?", text):
        return False  # v2, 1.18: a version, not a name
    if re.search(r"/(?!\d)", text):
        return False  # CloudWeGo/Kitex, a/b: a path or a choice, not one name (HTTP/2 is one)
    if "://" in text or re.search(r"\.(com|org|io|net|cn)\b", text) or re.search(r"[A-Za-z]\.[A-Za-z]", text):
        return False
    words = text.split()
    if len(words) > 4 or any(w.lower() in _LOWER_STOP for w in words):
        return False
    if len(words) > 1 and not all(w[0].isupper() or w[0].isdigit() or re.search(r"[A-Z]", w) for w in words):
        return False  # "nocopy buffer design": a phrase; names in headings are Title Case
    return True


def _strip(term: str) -> str:
    term = re.sub(r"[`*_]+", "", term).strip()
    return term.strip(" \t:：,，.。;；()（）\"'“”")
