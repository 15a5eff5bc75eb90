"""Concepts beyond the lexicon, so a user's own articles yield concepts too.

Candidates, each kept only when it recurs (precision first):
- what the author marks (:mod:`.candidates`): headings and the key term of a heading, bold terms, list heads,
  link texts; everyday words, identifiers, table cells and section names need corroboration;
- pairs written as 熔断器（Circuit Breaker） / 前缀树(Trie): a new bilingual concept, or a new alias of a
  known one (a pair never joins two known concepts);
- English names in prose: CamelCase (SonarQube, TTHeader), acronyms (JIT), hyphenated (kitex-benchmark) and
  Title Case (Nocopy Buffer) names, plain words (grype) only with a cue, a repository or a heading;
- Go import paths in code (github.com/IBM/sarama, go.uber.org/zap);
- Go packages the text calls into and also names in prose (`klog.SetLogger` … klog 提供的实现), when the
  name is no English word (server, log and retry are mostly variables or generic words);
- Chinese noun phrases that end in a type cue (…模式, …框架, …协议, …算法).
Types come from the cue that follows a name (X框架 -> framework, X工具 -> tool ...), else from the form.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace
from functools import lru_cache
from itertools import islice

from .candidates import SECTION_WORDS as _SECTION_WORD, english_names, is_english_term, structural_candidates
from .lexicon import URL, ConceptMatcher, concept_id
from .relation_rules import COMPONENT
from gokg.models import Concept, Passage
from gokg.text import link_text
from .normalize import alias_key, camel_parts

__all__ = ["discover_concepts"]

_PAIR = re.compile(r"([\u4e00-\u9fff]{2,10}(?:[-–][\u4e00-\u9fff]{1,8})?)[”\"」』]?\s*[（(]\s*([A-Za-z][A-Za-z0-9 .+\-/]{1,38}[A-Za-z0-9])\s*[)）]")
# The forms of an English name; only a CamelCase name stands on its own (SonarQube, TTHeader), the others
# need a cue, a heading, a link or a repository somewhere in the corpus (Fleet, JIT, kitex-benchmark).
_FORMS = (
    ("camel", re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+|[A-Z]{2,}[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)*")),
    ("acronym", re.compile(r"[A-Z][A-Z0-9]{1,5}")),
    ("word", re.compile(r"[A-Z]?[a-z]{3,}[0-9]*")),
    ("short", re.compile(r"[A-Za-z][a-z]{1,2}")),
    ("hyphen", re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-+][A-Za-z0-9]+)+")),
    ("words", re.compile(r"[A-Z][A-Za-z0-9'’]*(?:\s[A-Z][A-Za-z0-9'’]*(?:-[A-Za-z0-9]+)*){1,2}")),
)
_FORM_TYPE = {"acronym": "concept", "words": "concept", "chinese": "concept"}
_IMPORT = re.compile(r"\b((?:github\.com|gitlab\.com|go\.uber\.org|golang\.org/x|google\.golang\.org|k8s\.io|sigs\.k8s\.io|gopkg\.in|go\.etcd\.io)/[\w.\-]+(?:/[\w.\-]+)?)")
_ZH_PHRASE = re.compile(r"([\u4e00-\u9fff]{2,8}(?:模式|框架|协议|算法|架构|引擎|中间件))")
_GENERIC_ZH = re.compile(r"^(高|易|非|低|可|深度|跳出|核心|整体|基础|基本|技术|系统|总体|典型|通用|新|旧|该|此|这种|一种|我们的|现有|传统|现代|分层|服务|传输|消息|通信|网络|开源|应用|业务|内部|底层|上层|字节跳动|公司|自研|其他|多种|各种|不同|相关|默认|主流|常见|常用|完整|高性能|简单|复杂|统一|完全|支持|实现|使用|选择)")
_CUE_WORD_FREQ = 100  # jieba count above which a cue's first characters are an everyday word's (包括, 库存)
_COMMON_ZH_FREQ = 2000  # jieba dictionary count above which a word is everyday Chinese (因此, 内部, 消息)
# A Chinese phrase with a verb or particle inside is a sentence fragment (完全解决了秒杀架构), not a term.
_FUNCTION_ZH = set("了的是在和与把被将让使对从向就都也还又很更最能会可要个于得些其")
_FRAGMENT_WORDS = re.compile(r"同时|整个|可以|支持|通过|进行|解决|选择|不同")


def _fragment_zh(phrase: str) -> bool:
    """A Chinese phrase with a verb or particle inside is a sentence fragment (完全解决了秒杀架构), not a term;
    a function character inside a rare word is not one (会话序号, 在线租约), inside an everyday word it still
    marks a topic rather than a term (性能表现, 治理能力).

    >>> [_fragment_zh(t) for t in ("完全解决了秒杀架构", "会话序号", "在线租约", "可扩展", "消息的顺序", "性能表现")]
    [True, False, False, True, True, True]
    """
    import jieba

    return bool(_FRAGMENT_WORDS.search(phrase)) or any(
        (len(word) == 1 or _jieba_count(word) >= _COMMON_ZH_FREQ) and set(word) & _FUNCTION_ZH
        for word in jieba.lcut(phrase))


_TYPE_CUES = (
    ("framework", ("框架", "framework")),
    ("tool", ("工具", "命令", "CLI", "脚手架", "tool")),
    ("pattern", ("模式", "pattern")),  # not 架构: "Kitex 架构", "Wickline 架构演进" are a product's architecture
    ("protocol", ("协议", "protocol")),
    ("platform", ("平台", "数据库", "集群", "引擎", "服务器", "注册中心", "配置中心", "服务网格", "消息队列", "platform")),
    ("library", ("库", "包", "SDK", "客户端", "插件", "library", "plugin")),  # a Go plugin is a module one imports
    ("language", ("语言",)),
    ("concept", ("特性", "机制", "指令集", "算法")),
)
# What may stand between a name and its type cue: an acronym (HTTP, RPC, JSON) and a few Chinese characters
# (网络, 微服务, 通信; at most three), as in "Hertz HTTP 框架", "Netpoll 网络库".
_CUE_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}\s*(?=[\u4e00-\u9fff])")
_ZH_ONLY = re.compile(r"[\u4e00-\u9fff]+$")
_NOT_A_MODIFIER = re.compile(r"兼容|使用|实现|基于|采用|提供|替换|扩展|接入|对接|集成|调用|包括|包含|作为|成为|类似|比如|例如|如|即|或|及|等|但|而|才|再"
                             r"|默认|其他|其它|多|单|跨|全|非|无|各种|不同|相关|这|那|该|此|每|各|某")
# Acronyms that name measures, units or everyday computing, not a concept a reader looks up.
_GENERIC_ACRONYMS = frozenset(
    """API APIs CPU CPUs GPU QPS TPS RT RTT ID IDs OK IO UI UX IP OS PR PRs CI CD IDE SDK URL URI FAQ README TODO
    AVG P99 P999 P90 P50 GB MB KB TB MS NS US KV CN EN AI IT HR VS DEMO NEW NOTE TIPS TIP WIP RFC PDF PPT SQL DB
    QA QPM PV UV AB KPI OKR ROI CEO CTO""".split()
)
# Capitalised English words that are ordinary prose, not names of things.
_COMMON = frozenset(
    """The This That These Those With When What Where Which While From Into Over Under About After Before Each
    Every Other Some Many Most More Less Only Also Then Than Just Like Such Very Well Good Best Note Step Steps
    Example Examples Input Output Error Errors Server Client Request Response Req Resp Ctx Err Args Opts Cfg Msg
    Handler Service Services Config
    Value Values Data Time Type Types Name Names User Users Order Orders Status Level Mode Default Test Tests
    Build Deploy Release Version Update Create Delete Read Write Start Stop Run Running Check Event Events
    Message Model Layer Table Field Fields Path Port Host Node Nodes Pod Cluster Token Cache Queue Worker Task
    Tasks Job Jobs Stage Phase Result Results Summary Overview Introduction Conclusion Part Chapter Section
    Posted Reply Comment Share Agent Mesh Flow Rule Rules Policy Store Core Base Engine Metric Trace Span Log Logs
    Linux Windows Google Apache Netflix Alibaba Uber Microsoft Amazon ByteDance Benchmark Benchmarks Demo Demos
    Client Clients Server Servers Response Responses Request Requests Context Header Headers Body Option Options
    Config Configs Interface Interfaces Struct Function Method Methods Field Key Keys Value Object Objects List Map
    Buffer Buffers Conn Connection Connections Reader Writer Encoder Decoder Codec Handler Handlers Provider
    Consumer Producer Registry Resolver Balancer Picker Instance Instances Endpoint Endpoints Address Network
    Thread Threads Process Memory Size Count Total Max Min Info Debug Warn Fatal Panic True False None Null
    Hello World Echo Example Usage Install Installation Quick Start Guide Getting Started Contributing License
    Issue Issues Pull Feature Features Support Community Blog News Docs Documentation Reference Release Notes
    Performance Latency Throughput Traffic Stream Streaming Protocol Framework Library Tool Tools Plugin Plugins
    Extension Extensions Module Modules Package Packages Project Projects Open Source GitHub Gitee README""".split()
)
# API identifiers (option functions, getters, fields) are code, not concepts: WithResolver, GetConn, MaxQPS.
_API_NAME = re.compile(r"^(With|Get|Set|New|Is|Has|Max|Min|Allow|Default|Enable|Disable|Level|On|Must|Should|Gen|Init|Test|Bench|Example|Err)[A-Z0-9_]")
# The last segment of a repository path or URL names a project: github.com/cloudwego/netpoll -> netpoll.
_REPOSITORY = re.compile(r"(?:github\.com|gitlab\.com|gitee\.com)/[\w.\-]+/([\w.\-]+)")
_DOTTED = re.compile(r"[A-Za-z]\.[A-Za-z]")
_AT_MENTION = re.compile(r"(?<![\w.])@\[?([A-Za-z][\w\-]{1,38})")


_QUALIFIER = re.compile(r"(?<![\w./\-])([a-z][a-z0-9]{1,15})\.[A-Z]\w*")  # klog.SetLogger: a package's exported name
_BARE_WORD = re.compile(r"(?<![\w./\-])([a-z][a-z0-9]{1,15})(?![\w\-/.(])")
_PLACEHOLDER = re.compile(r"x{3}|foo|bar|demo|example|sample|test|hello|my", re.I)


def _go_packages(passages: list[Passage]) -> dict[str, set[int]]:
    """Go packages the text calls into (`klog.SetLogger`, `hlog.Info`, twice at least) and also names as a
    word in its prose (``klog 提供的实现…``), with the passages that name them: a component of what the
    docs describe. Names that are English words (server, log, retry, fmt) are left out: as qualifiers
    they are mostly variables, and as words mostly not a package; so are placeholders (xxxservice)."""
    qualified: Counter[str] = Counter()
    named: dict[str, set[int]] = defaultdict(set)
    in_prose: set[str] = set()
    for passage in passages:
        for line in passage.text.split("\n"):
            for match in _QUALIFIER.finditer(line):
                qualified[match.group(1)] += 1
                named[match.group(1)].add(passage.id)
            if _looks_like_code(line):
                continue
            words = URL.sub(" ", link_text(re.sub(r"`[^`]*`", " ", line)))
            for match in _BARE_WORD.finditer(words):
                in_prose.add(match.group(1))
                named[match.group(1)].add(passage.id)
    return {word: named[word] for word in in_prose
            if qualified[word] >= 2 and _zipf(word) < 1.5 and not _PLACEHOLDER.search(word)}


# An acronym spelt out: P2C（Power of Two Choices）, JIT (Just-In-Time).
_EXPANSION = re.compile(
    r"(?<![\w.\-])([A-Z][A-Z0-9]{1,6})\s*[（(]\s*([A-Z][A-Za-z]*(?:[\s\-]+[A-Za-z][A-Za-z0-9]*){1,5})\s*(?:[，,、]\s*[^）)，,]{1,12})?[)）]"
)  # ... also with a Chinese gloss after it: WAL（Write-Ahead Log，预写日志）
# ... or the other way round, with the acronym it is abbreviated to: "Ripplecast Control Protocol，下文简称 RCP"
_ABBREVIATED = re.compile(
    r"(?<![\w.\-])([A-Z][A-Za-z]*(?:[\s\-]+[A-Za-z][A-Za-z0-9]*){1,5})\s*[，,]?\s*(?:下文|下面|以下|后文|后面)?(?:简称|缩写|简写)为?\s*"
    r"[“\"「`]?([A-Z][A-Z0-9]{1,6})(?![\w.\-])"
    # ... or in a parenthesis after it: "Server-Side Apply（SSA）"
    r"|(?<![\w.\-])([A-Z][A-Za-z]*(?:[\s\-]+[A-Za-z][A-Za-z0-9]*){1,5})\s*[（(]\s*([A-Z][A-Z0-9]{1,6})\s*[)）]"
)
# A Chinese term and what a parenthesis after it says: the same term glossed two ways in one line, a table's
# row ("| 滑动窗口（环形桶） | 滑动窗口（LeapArray） |"), is annotated with what differs, not translated.
_GLOSS = re.compile(r"([\u4e00-\u9fff]{2,10}(?:[-–][\u4e00-\u9fff]{1,8})?)[”\"」』]?\s*[（(]\s*([^（()）\n]{1,40}?)\s*[)）]")


def _glossed_twice(text: str, offset: int, term: str) -> bool:
    """Whether the line around ``offset`` glosses ``term`` two different ways.

    >>> row = "| 统计方式 | 滑动窗口（环形桶） | 滑动窗口（LeapArray） |"
    >>> _glossed_twice(row, row.index("滑动窗口（L"), "滑动窗口"), _glossed_twice(row[12:], 0, "滑动窗口")
    (True, False)
    """
    return len({alias_key(m.group(2)) for m in _GLOSS.finditer(_line_around(text, offset)) if m.group(1).endswith(term)}) > 1


def _expands(acronym: str, expansion: str) -> bool:
    """Whether ``expansion`` spells out ``acronym``: its first letter, and its letters in order among the
    initials of the expansion's words.

    >>> _expands("P2C", "Power of Two Choices"), _expands("JIT", "Just-In-Time"), _expands("QPS", "Redis Cluster")
    (True, True, False)
    >>> _expands("OIDC", "OpenID Connect")
    True
    """
    # a word's capitals count as initials too: OIDC（OpenID Connect）
    initials = [c for word in re.split(r"[\s\-]+", expansion) if word for c in word[0].upper() + re.sub(r"[^A-Z]", "", word[1:])]
    letters = [c for c in acronym if c.isalpha()]
    if not initials or initials[0] != letters[0]:
        return False
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return True


def _type_after(text: str, end: int, default: str) -> str:
    """The type a cue right after a name gives it, across a short modifier of the cue: ``Netpoll 网络库``,
    ``Hertz HTTP 框架``, ``Kitex 微服务框架`` (but not ``Kitex 支持的协议``, ``Kitex Thrift 协议``).

    >>> [_type_after(t, 7, "") for t in ("Netpoll 网络库", "Netpoll HTTP 框架", "Netpoll 支持的协议", "Netpoll Thrift 协议")]
    ['library', 'framework', '', '']
    """
    following = text[end : end + 16].lstrip(" `*")
    acronym = _CUE_ACRONYM.match(following)
    rest = following[acronym.end() :] if acronym else following
    for length in range(0, 4):
        modifier, head = rest[:length], rest[length:]
        if length and (not _ZH_ONLY.match(modifier) or _fragment_zh(modifier) or _NOT_A_MODIFIER.search(modifier)):
            break  # "支持的协议", "默认协议": a verb phrase or a determiner, the cue is not the name's kind
        for ctype, cues in _TYPE_CUES:
            cue = next((cue for cue in cues if head.startswith(cue) and not _starts_word(head, cue)), None)
            if cue is not None:
                # "IPC 通信库 ShmIPC", "Go 框架 Gin": the cue introduces the name after it
                return default if re.match(r"\s*[`*“]*[A-Za-z]", head[len(cue) :]) else ctype
    return default


# A definition: the name, maybe glossed in parentheses, then a copula ("ArcHash 是 Corvex 内置的一种负载均衡器",
# "Frugal 作为 Kitex 的默认编解码器"); the clause it opens ends with the head noun that says what the name is.
_COPULA = re.compile(r"[\s`*”\"]*(?:[（(][^）)\n]{1,40}[）)])?\s*(?:则|也|就|其实|本质上)?(?:是|即|作为)(?!否|不是|因为|为了|由于|指|说|在)")
_CLAUSE = re.compile(r"[^，,。；;：:\n（(！？!?]{2,48}")
# The head nouns of a definition, by type; a longer head is tried before its suffix (服务器 before 器).
_DEFINITION_HEADS = (
    ("platform", ("服务器", "平台", "数据库", "注册中心", "配置中心", "服务网格", "消息队列", "消息中间件", "网关", "系统",
                  "控制面", "控制平面", "数据面", "数据平面", "platform")),
    ("tool", ("编译器", "生成器", "分析器", "查看器", "检测器", "剖析器", "采集器", "工具", "命令行", "CLI", "脚手架", "工具插件",
              "agent", "Agent", "tool")),  # a program one runs; a 解析器 or 限流器 is a library one imports
    ("framework", ("框架", "framework")),
    ("protocol", ("协议", "protocol")),
    ("language", ("语言",)),
    ("pattern", ("模式", "架构", "策略", "pattern")),
    ("concept", ("算法", "机制", "特性", "数据结构", "指令集")),
    ("library", ("库", "SDK", "客户端", "组件", "模块", "插件", "实现", "引擎", "套件", "器", "library")),
)


def _type_defined(text: str, end: int) -> str:
    """The type a definition of the name ending at ``end`` gives it: the head noun that closes the clause its
    copula opens (what is between is the head's modifiers, so only the clause's end counts).

    >>> text = "ArcHash 是 Corvex 内置的一种负载均衡器，它基于一致性哈希。Corvex 是一个使用 Go 语言编写的高性能 RPC 框架"
    >>> _type_defined(text, 7), _type_defined(text, text.rindex("Corvex") + 6)
    ('library', 'framework')
    >>> _type_defined("Thrift 作为 IDL 的定义", 6), _type_defined("Proxyless 是 Kitex 面向开源场景提供的支持", 9)
    ('', '')
    """
    copula = _COPULA.match(text, end)
    clause = _CLAUSE.match(text, copula.end()) if copula else None
    if not clause:
        return ""
    return _head_noun_type(clause.group().rstrip(" `*”\"").removesuffix("之一"))


def _head_noun_type(head: str, bare_qi: bool = True) -> str:
    """The type the head noun ending ``head`` says (its longest cue first): 负载均衡器 -> library, 配置中心 -> platform;
    a bare 器 counts only with ``bare_qi``, and never in 容器.

    >>> _head_noun_type("一种负载均衡器"), _head_noun_type("一种负载均衡器", bare_qi=False), _head_noun_type("容器")
    ('library', '', '')
    """
    for ctype, cues in _DEFINITION_HEADS:
        if any(head.endswith(cue) and not (cue == "器" and (not bare_qi or head.endswith("容器"))) for cue in cues):
            return ctype
    return ""


_NAMED = re.compile(r"([\u4e00-\u9fffA-Za-z]{1,10})\s*(?:叫做?|称为|称作|名为|命名为)\s*[“\"「『`]?\s*$")


def _type_named(text: str, start: int) -> str:
    """The type a naming before the name at ``start`` gives it: ``负责降载的算法叫 Gillnet`` -> concept,
    ``这个工具叫 pelgen`` -> tool; the head noun before 叫/称为 says what the name is.

    >>> text = "Tarnwick 里负责降载的算法叫 Gillnet；我们叫它 Gillnet"
    >>> _type_named(text, text.index("Gillnet")), _type_named(text, text.rindex("Gillnet"))
    ('concept', '')
    """
    named = _NAMED.search(text[max(0, start - 16) : start])
    return _head_noun_type(named.group(1), bare_qi=False) if named else ""


def _starts_word(text: str, cue: str) -> bool:
    """Whether ``cue`` at the start of ``text`` begins a longer everyday word (包 of 包括, 库 of 库存)."""
    return len(text) > len(cue) and _jieba_count(text[: len(cue) + 1]) > _CUE_WORD_FREQ


def _type_around(text: str, start: int, end: int) -> str:
    """The type a cue next to a name gives it: ``Netpoll 网络库``, ``网络库 Netpoll``, ``命令行工具 hz``."""
    after = _type_after(text, end, "")
    if after:
        return after
    preceding = text[max(0, start - 8) : start].rstrip(" `*“\"'")
    for ctype, cues in _TYPE_CUES:
        if any(preceding.endswith(cue) for cue in cues):
            return ctype
    return ""


def discover_concepts(
    passages: list[Passage], lexicon: list[Concept], *, min_passages: int = 2
) -> tuple[list[Concept], list[Concept]]:
    """Return ``(lexicon with aliases learnt from pairs, discovered concepts)``."""
    matcher = ConceptMatcher(lexicon)
    by_id = {c.id: c for c in lexicon}
    learnt: dict[str, list[str]] = defaultdict(list)
    seen_in: dict[str, set[int]] = defaultdict(set)
    surface: dict[str, Counter] = defaultdict(Counter)
    kind: dict[str, Counter] = defaultdict(Counter)
    partner: dict[str, str] = {}
    in_code: Counter[str] = Counter()
    cued: set[str] = set()
    uncued: set[str] = set()
    repositories = {alias_key(m.group(1)) for p in passages for m in _REPOSITORY.finditer(p.text)}
    in_code_lines = Counter(alias_key(m.group()) for p in passages for line in p.text.split("\n") if _looks_like_code(line)
                            for m in re.finditer(r"[A-Za-z_]\w{1,}", line))
    code_names = {key for key in in_code_lines if len(key) >= 4}
    people = {alias_key(m.group(1)) for p in passages for m in _AT_MENTION.finditer(p.text)}
    structural: dict[str, set[str]] = defaultdict(set)
    joined: dict[str, Counter] = defaultdict(Counter)
    fallback: dict[str, str] = {}  # the type a name's form suggests when no cue or peer gives one
    joined_in: dict[str, set[int]] = defaultdict(set)
    bare: dict[str, Counter] = defaultdict(Counter)  # lower-case words in prose without a cue, held back
    bare_in: dict[str, set[int]] = defaultdict(set)

    def known(term: str) -> str | None:
        return matcher.lookup(term)

    kept_using: dict[str, bool] = {}  # a term found in three passages or more, once per term however often glossed

    def keeps_using(term: str) -> bool:
        if term not in kept_using:
            kept_using[term] = next(islice((p for p in passages if term in p.text), 2, None), None) is not None
        return kept_using[term]

    def new_pair(name: str, other: str, passage_id: int, text: str, end: int) -> None:
        """A name written with its second name (熔断器（Circuit Breaker）, P2C（Power of Two Choices）), neither
        known: a new concept, typed by a cue after the pair; a written pair is evidence enough on its own."""
        key = alias_key(name)
        seen_in[key].add(passage_id)
        surface[key][name] += 1
        cue = _type_after(text, end, "") or _type_defined(text, end)  # 瞭望（Liaowang）是…可观测性套件
        # without a cue: a rare capitalised word is a product's name (瞭望（Liaowang）), a phrase or a
        # common word an idea (熔断器（Circuit Breaker）, 重试（Retry）)
        proper = bool(re.fullmatch(r"[A-Z][a-z]{3,}", name)) and _zipf(name.lower()) < 2.0
        kind[key][cue or ("library" if proper else "concept")] += 1 if cue else 0.5  # a cue outweighs the default
        if own := _own_type(other):
            kind[key][own] += 1  # RCP（Ripplecast Control Protocol）: the long name says what it is
        partner[key] = other

    packages: set[str] = set()
    for word, ids in _go_packages(passages).items():
        if not known(word):
            key = alias_key(word)
            packages.add(key)
            seen_in[key] |= ids
            surface[key][word] += len(ids)
            kind[key]["library"] += 1

    for passage in passages:
        text = passage.text
        prose = "code" not in passage.kinds or "paragraph" in passage.kinds
        for match in _PAIR.finditer(text):
            zh, en = match.group(1), match.group(2).strip()
            if re.search(r"\bv?\d+(\.\d+)+\b|\d{3,}", en) or len(en.split()) > 4:
                continue  # "(order-monolith v2.3)", "(QPS 1200)": a version or a figure, not a term
            if en in _COMMON or en.title() in _COMMON or _API_NAME.match(en) or _DOTTED.search(en):
                continue  # "客户端(Client)", "超时(kerrors.ErrRPCTimeout)": a word or an identifier, not a term
            if en.upper() in _GENERIC_ACRONYMS or re.search(r"[+/]|\s[-–]\s", en):
                continue  # "极高(SDK)", "新架构(Flink+RocksDB)", "对象数量(Mallocs - Frees)": an annotation, not a translation
            if re.match(r"[A-Za-z0-9\-]", text[match.start() - 1 : match.start()]):
                continue  # "Go-清除(…)": the Chinese side is the tail of a longer term
            if _glossed_twice(text, match.start(), zh):
                continue  # "滑动窗口（环形桶） | 滑动窗口（LeapArray）": annotations, not a second name
            zh_id, en_id = known(zh), known(en)
            term = _clean_zh(zh, translated=bool(re.fullmatch(r"[a-z]+(?: [a-z]+)+", en)))
            if not zh_id and term.endswith("器") and known(term[:-1]):
                zh_id = known(term[:-1])  # 垃圾回收器（garbage collector）: the agent of a known idea is its name too
                learnt[zh_id].append(term)
            if not zh_id and re.fullmatch(r"[a-z][a-z0-9]*", en) and any(m.end == len(zh) for m in matcher.find(zh)):
                continue  # "设置请求重试(callopt)": a known idea annotated with the package that configures it
            if not zh_id and not en_id and re.fullmatch(r"[a-z]+", en) and _zipf(en) >= 3.0 and not (
                    len(term) >= 4 and keeps_using(term)):
                continue  # "灯芯（wick）": an everyday word translates a name; "心跳保活（heartbeat）", a term the corpus keeps using
            if zh_id and not en_id and len(en) >= 3:
                learnt[zh_id].append(en)
            elif en_id and not zh_id and term:
                learnt[en_id].append(term)
            elif not zh_id and not en_id and term:
                new_pair(en, term, passage.id, text, match.end())
        spelt_out = [(m.group(1), m.group(2), m.end()) for m in _EXPANSION.finditer(text)]
        spelt_out += [(m.group(2) or m.group(4), m.group(1) or m.group(3), m.end()) for m in _ABBREVIATED.finditer(text)]
        for acronym, expansion, end in spelt_out:
            if not _expands(acronym, expansion) or acronym in _GENERIC_ACRONYMS:
                continue
            short_id, long_id = known(acronym), known(expansion)
            if long_id and not short_id:
                learnt[long_id].append(acronym)
            elif short_id and not long_id:
                learnt[short_id].append(expansion)
            elif not short_id and not long_id:
                new_pair(acronym, expansion, passage.id, text, end)
        for match in _IMPORT.finditer(text):
            path = match.group(1).rstrip(".")
            if path.count("/") < 2 and not path.startswith(("gopkg.in", "go.uber.org", "k8s.io")):
                continue  # github.com/hertz-contrib: an organisation, not a library
            if known(path) or any(known(part) for part in path.split("/")[1:]):
                continue
            key = alias_key(path)
            seen_in[key].add(passage.id)
            surface[key][path] += 1
            kind[key]["library"] += 1
        for candidate in structural_candidates(text):
            term = candidate.text
            if known(term) or _API_NAME.match(term) or term in _COMMON or term.upper() in _GENERIC_ACRONYMS:
                continue
            if is_english_term(term):
                form = _name_form(term) or "words"
                if _all_known_words(term, matcher) or _known_prefix_compound(term, matcher):
                    continue  # "Kitex Proxyless": two known names side by side, not a third
            elif _chinese_term(term, matcher):
                form = "chinese"
            else:
                continue
            key = alias_key(term)
            fallback.setdefault(key, _FORM_TYPE.get(form, "library"))
            if _weak_structure(term, form, candidate.source, text, matcher):
                uncued.add(key)  # a table cell, an everyday word or an identifier: corroboration needed
            else:
                structural[key].add(candidate.source)
            if candidate.source == "defined":
                cued.add(key)  # "所谓影子配置，就是…": the author says it is a term
            seen_in[key].add(passage.id)
            surface[key][term] += 1
        if prose:
            known_spans = [(m.start, m.end) for m in matcher.find(text)]
            for name, start, end in english_names(text):
                form = _name_form(name)
                if not form or name in _COMMON or known(name) or _API_NAME.match(name):
                    continue
                if any(s <= start and end <= e and e - s > end - start for s, e in known_spans):
                    continue  # "trace" of "go tool trace": a word inside a known name, not a name of its own
                if form == "acronym" and name in _GENERIC_ACRONYMS:
                    continue
                if form == "words" and (_all_known_words(name, matcher) or _known_prefix_compound(name, matcher)):
                    joined[alias_key(name)][name] += 1  # "Kitex Protobuf": an alias if KitexProtobuf is a name
                    joined_in[alias_key(name)].add(passage.id)
                    continue
                line = _clause_around(text, start)
                if _looks_like_code(re.sub(r"`[^`\n]*`", " ", line)):  # `IsValid() error` quoted in prose is prose
                    continue
                key = alias_key(name)
                if _in_backticks(text, start, end):
                    in_code[key] += 1  # `WithResolver`: an identifier quoted from code
                    continue
                ctype = _type_around(text, start, end)
                defined = _type_defined(text, end) or _type_named(text, start)
                if defined:
                    kind[key][defined] += 3  # what a definition says outweighs a cue beside a mention
                if ctype or defined:
                    cued.add(key)
                elif form == "camel" and (key in code_names or _identifier_like(name, matcher)):
                    uncued.add(key)  # RequestContext, WriteFinish: names from the code, unless corroborated
                elif form != "camel":
                    # A plain word, an acronym, a hyphenated or a multi-word name in Chinese prose
                    # (用 Netpoll 替换, 基于 JIT 的) may be a name without a cue; it must be corroborated below
                    # (a repository path, a cue or a heading elsewhere), as Unary, Mixed or Payload are not.
                    if form == "word" and not (name[0].isupper() and _in_chinese_prose(text, start, end)):
                        bare[key][name] += 1  # a lower-case word counts only if the corpus cues it somewhere
                        bare_in[key].add(passage.id)
                        continue
                    uncued.add(key)
                seen_in[key].add(passage.id)
                surface[key][name] += 1
                if ctype:
                    kind[key][ctype] += 1
                fallback.setdefault(key, _FORM_TYPE.get(form, "library"))
                for peer in _coordinated(text, start, end, matcher, by_id):
                    kind[key][peer] += 0.6  # "Kitex、Hertz、Volo": named beside frameworks, likely one too
            for match in _ZH_PHRASE.finditer(text):
                phrase = _head_term(match.group(1))
                if not phrase or known(phrase) or matcher.find(phrase) or _GENERIC_ZH.match(phrase) or _fragment_zh(phrase[:-2]):
                    continue
                key = alias_key(phrase)
                seen_in[key].add(passage.id)
                surface[key][phrase] += 1
                kind[key][_type_after(phrase, len(phrase) - 2, "pattern")] += 1

    for key in cued & set(bare):  # "pelgen 是一个命令行工具": its other mentions, without a cue, count too
        surface[key].update(bare[key])
        seen_in[key] |= bare_in[key]
    # An import path whose last segment is also a discovered name is that concept's alias, not a new one.
    for key in [k for k in seen_in if "/" in k]:
        short = alias_key(key.rsplit("/", 1)[-1])
        if short != key and short in seen_in:
            seen_in[short] |= seen_in.pop(key)
            surface[short].update(surface.pop(key))
            kind.pop(key, None)
    for main, others in _name_families(surface).items():
        for other in others:
            seen_in[main] |= seen_in.pop(other)
            surface[main].update(surface.pop(other))
            kind[main].update(kind.pop(other, Counter()))
            structural[main] |= structural.pop(other, set())
            in_code[main] += in_code.pop(other, 0)
            if other in cued:
                cued.add(main)
            if other not in uncued:
                uncued.discard(main)  # one form that stands on its own is enough
            if other in partner:
                partner.setdefault(main, partner.pop(other))
    for key in [k for k in seen_in if k.startswith("no") and len(k) >= 5]:
        # "NoCopy" and "zero copy" are one name in two forms: a no-X of a known zero-X is its alias.
        if same := known("zero" + key[2:]):
            learnt[same].extend(surface[key])
            seen_in.pop(key)
    owners = Counter(alias_key(a) for aliases in learnt.values() for a in set(aliases))
    learnt = {cid: [a for a in aliases if owners[alias_key(a)] == 1] for cid, aliases in learnt.items()}
    updated = [
        replace(c, aliases=tuple(dict.fromkeys([*c.aliases, *learnt[c.id]]))) if learnt.get(c.id) else c
        for c in lexicon
    ]
    for key in set(joined) & set(seen_in):
        surface[key].update(joined[key])
        seen_in[key] |= joined_in[key]
    mentions, times = _recurrence({k: surface[k] for k in structural if k in surface}, passages)
    discovered: list[Concept] = []
    taken = {alias_key(a) for c in updated for a in c.aliases}
    for key, passages_seen in sorted(seen_in.items()):
        # in the text, not only in its heading: two passages, or one section that keeps using it
        recurring = max(len(passages_seen), mentions[key]) >= min_passages or (key.isascii() and times[key] >= 3)
        if (not recurring and key not in partner) or key in taken:
            continue
        shown = surface[key].most_common(1)[0][0]
        cue_count = sum(n for k, n in kind[key].items() if n >= 1)
        central = len(passages_seen) >= 5 and cue_count >= 2 and shown[0].isupper()  # Saga 模式, across the corpus
        if (_everyday_word(shown) and key not in repositories and key not in partner and (shown.islower() or (
                not structural[key] and not central and not (kind[key].keys() & COMPONENT)))):
            # "Payload 协议", "Origin 字段": an everyday English word before a cue names no product; written in
            # lower case ("kitex tool 命令"), it is the word, whatever follows
            continue
        if in_code[key] > sum(surface[key].values()) and key not in partner:
            continue  # mostly quoted from code: an identifier of an example, not a concept
        if (_name_form(shown) in ("word", "short") and in_code_lines[key] >= 2 * sum(surface[key].values())
                and key not in cued and key not in repositories and key not in partner and key not in packages):
            continue  # resp, resolver, logger: a variable of the examples that prose mentions in passing
        if key in people:
            continue  # @DMwangnima: a person, thanked or cited, not a concept
        talked_about = (len(passages_seen) >= 5 and not _identifier_like(shown, matcher)
                        and all(_zipf(w.lower()) < 3.5 for w in re.split(r"[\s\-]+", shown) if w))
        if (key in uncued and key not in cued and key not in repositories and key not in partner
                and not structural[key] and not talked_about):
            continue
        # Chinese terms need one mention more: a heading with its first sentence is not yet a term of the corpus
        if structural[key] and key not in cued and key not in partner and (
                (times[key] < 3 and mentions[key] < 2) or (not key.isascii() and (mentions[key] < 3 or times[key] < 4))):
            continue  # a heading or a bold phrase said once is not yet a concept of this corpus
        plain = [s for s, _ in surface[key].most_common() if "/" not in s]
        name = plain[0] if plain else surface[key].most_common(1)[0][0]
        aliases = [name, *[s for s in surface[key] if s != name]]
        if key in partner and alias_key(partner[key]) not in taken:
            aliases.append(partner[key])
            taken.add(alias_key(partner[key]))
        taken.add(key)
        cid = concept_id(name)
        if cid in by_id:
            continue
        discovered.append(
            Concept(id=cid, name=name, type=_own_type(name) or _vote(kind[key] + _head_type(name, matcher, by_id),
                                                                       fallback.get(key, "library")),
                    aliases=tuple(aliases), discovered=True)
        )
    return updated, discovered


def _name_words(name: str) -> tuple[str, ...]:
    """The words of an English name in any of its forms: codec-dubbo, DubboCodec and "Dubbo Codec" all
    read (codec, dubbo); the ``gen`` of a code generator's plugin name is dropped, as protoc-gen-X and
    thrift-gen-X are the plugins that generate X (thrift-gen-validator is the Thrift validator)."""
    words = [w.lower() for part in re.split(r"[\s\-_]+", name) for w in camel_parts(part)]
    if len(words) >= 3 and "gen" in words[1:-1]:
        words.remove("gen")
    return tuple(sorted(words)) if len(words) >= 2 and all(w.isalnum() for w in words) else ()


def _name_families(surface: dict[str, Counter]) -> dict[str, list[str]]:
    """English candidates that are one name written in different forms, by the most used key of each."""
    families: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key, forms in surface.items():
        words = {_name_words(form) for form in forms if form.isascii() and "/" not in form}
        if len(words) == 1 and (family := words.pop()):
            families[family].append(key)
    merged = {}
    for keys in families.values():
        if len(keys) > 1:
            main, *others = sorted(keys, key=lambda k: -sum(surface[k].values()))
            merged[main] = others
    return merged


_PEER_GAP = re.compile(r"^\s*(、|,|，|/|和|与|及|以及|或)\s*$")


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    """How common an English word is in general text (Zipf scale: 3 = once per million words)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _identifier_like(name: str, matcher: ConceptMatcher) -> bool:
    """A CamelCase name made of everyday words (ClientConnFinish, ServiceName, RPCTimeout), or of a known
    name and everyday words (EpollWait), reads as an API identifier rather than the name of a thing."""
    parts = camel_parts(name)
    if len(parts) < 2:
        return False
    rest = parts[1:] if matcher.lookup(parts[0]) else parts
    return all(p.isupper() or p.isdigit() or _zipf(p.lower()) >= 3.0 for p in rest)


def _everyday_word(name: str) -> bool:
    """A single English word common in general text (Payload, Binary, Origin; not Netpoll, Frugal)."""
    return _name_form(name) in ("word", "short") and _zipf(name.lower()) >= 3.3


def _name_form(name: str) -> str:
    """Which form an English name has (camel, acronym, word, short, hyphen, words), or "" for none."""
    return next((form for form, pattern in _FORMS if pattern.fullmatch(name)), "")


def _weak_structure(term: str, form: str, source: str, text: str, matcher: ConceptMatcher) -> bool:
    """Whether a structural candidate is too weak to stand without a cue: table cells (option names,
    values), everyday English words (default, issue, Origin), identifiers (ReadFinish), numbered benchmark
    names (BenchmarkMarshal-4), and a known name with a suffix (Thrift Buffered, Istio Bookinfo)."""
    if source == "table" or re.search(r"-\d+$", term):
        return True
    if form in ("word", "short"):
        whole_heading = re.search(rf"^#+\s+{re.escape(term)}\s*$", text, re.M)
        return _zipf(term.lower()) >= (4.5 if whole_heading else 3.0)
    if form == "camel":
        return _identifier_like(term, matcher)
    return False


def _known_prefix_compound(name: str, matcher: ConceptMatcher) -> bool:
    """A known name followed by another name (Thrift Buffered, Istio Bookinfo): two things, the second to be
    found on its own; a known name followed by everyday words (Kitex Tool) is one thing of its own."""
    first, _, rest = name.partition(" ")
    return bool(rest) and bool(matcher.lookup(first)) and not all(_zipf(w.lower()) >= 3.0 for w in re.split(r"[\s-]+", rest))


def _all_known_words(name: str, matcher: ConceptMatcher) -> bool:
    """Every word of a multi-word name is a known concept (Kitex Proxyless), or every word is an everyday
    word (Getting Started): the name is no new concept."""
    words = re.split(r"[\s\-]+", name)
    if len(words) < 2:
        return False
    return all(matcher.lookup(w) for w in words) or all(w in _COMMON or w.lower() in _COMMON_LOWER for w in words)


_COMMON_LOWER = frozenset(w.lower() for w in _COMMON)


def _chinese_term(term: str, matcher: ConceptMatcher) -> bool:
    """A Chinese term an author singled out (a heading, a bold phrase): short, no function word inside, not
    an everyday word of general Chinese, and no known concept inside it (服务发现实践 is not a new concept)."""
    import jieba

    if not re.fullmatch(r"[\u4e00-\u9fff]{2,8}", term) or _GENERIC_ZH.match(term) or _fragment_zh(term):
        return False
    if _SECTION_WORD.search(term) or matcher.find(term):
        return False
    if re.search(r"(工具|框架|库|组件|模块|插件|接口|扩展|拓展)$", term):
        return False  # 命令行工具, 扩展接口, 监控拓展: a kind of thing, not one thing
    if re.search(r"(证券|银行|科技|集团|公司|保险|基金|传媒|控股|大学|学院|研究院)$", term):
        return False  # 华兴证券: an organisation, a user of the software, not a concept of it
    if re.search(r"(优化|运营|推广|建设|分享|改进|招聘)$", term):
        return False  # 文档优化, 社区运营: work done, not a thing a reader looks up
    if re.match(r"(减少|降低|提升|提高|增加|加快|缩短|节省|改善|增强|简化|避免)", term):
        return False  # 减少函数调用, 提升吞吐: an aim pursued, not a thing
    if re.search(r"(环境|图|截图|示例|样例)$", term):
        return False  # 生产环境, 时序图: where software runs or how a page shows it, not a concept of it
    words = jieba.lcut(term, HMM=False)
    if max(len(w) for w in words) < 2:
        return False  # 占比: single characters, not a compound of words
    if len(words) == 1 and _jieba_count(term) > 0:
        return False  # one word of general Chinese (架构, 痛点, 客户端): a topic, not a term of this corpus
    return True


def _recurrence(keys: dict[str, Counter], passages: list[Passage]) -> tuple[Counter, Counter]:
    """How many passages mention each candidate (by any of its surfaces), and how many times in all."""
    names = [Concept(id=key, name=key, type="concept", aliases=tuple(forms)) for key, forms in keys.items()]
    matcher = ConceptMatcher(names)
    count: Counter = Counter()
    total: Counter = Counter()
    for passage in passages:
        found = [m.concept_id for m in matcher.find(passage.text)]
        total.update(found)
        count.update(set(found))
    return count, total


_OWN_TYPES = {"tool": "tool", "tools": "tool", "cli": "tool", "framework": "framework", "protocol": "protocol",
              "library": "library", "sdk": "library", "platform": "platform", "benchmark": "tool"}
_OWN_TYPE = re.compile(rf"[\s\-]({'|'.join(_OWN_TYPES)})$", re.I)


def _own_type(name: str) -> str:
    """The type an English name says itself: Kitex Tool is a tool, Foo Protocol a protocol, a repository of
    benchmarks (kitex-benchmark) a tool.

    >>> _own_type("Kitex Tool"), _own_type("Wallaby-CLI"), _own_type("Nocopy Buffer")
    ('tool', 'tool', '')
    """
    found = _OWN_TYPE.search(name)
    return _OWN_TYPES[found.group(1).lower()] if found else ""


def _head_type(name: str, matcher: ConceptMatcher, by_id: dict[str, Concept]) -> Counter:
    """A vote for the type of the known concept an English compound ends with: Failure Retry is a kind of
    Retry (a pattern), Kitex Protobuf a kind of Protobuf (a protocol).

    >>> from gokg.ingest.lexicon import load_lexicon
    >>> lexicon = load_lexicon()
    >>> _head_type("Failure Retry", ConceptMatcher(lexicon), {c.id: c for c in lexicon})
    Counter({'pattern': 1.5})
    """
    words = name.split()  # not config-nacos: a package is named <what it is>-<what it serves>
    head = matcher.lookup(words[-1]) if len(words) >= 2 and len(words[-1]) >= 4 else None
    if head not in by_id or by_id[head].type in COMPONENT:
        return Counter()  # a Retry Storm is no kind of Storm, a Knotwell Server no kind of Knotwell
    return Counter({by_id[head].type: 1.5})


FRAMEWORK_SHARE = 0.25  # of the leading type's votes that the framework cues need to win (see _vote)


def _vote(votes: Counter, fallback: str = "library") -> str:
    """The type most cues and enumeration peers gave a name; else what its form suggests (an acronym or a
    multi-word name a concept, a bare product name a library).

    A framework wins with a share of the votes: frameworks name their command-line tool and their own
    protocol after themselves ("kitex 命令", "Dubbo 协议"), so the docs of a framework say "X 命令" more
    often than "X 框架", while a tool or a protocol is seldom called a framework.

    >>> _vote(Counter({"tool": 19, "framework": 7})), _vote(Counter({"tool": 10, "framework": 1})), _vote(Counter())
    ('framework', 'tool', 'library')
    >>> _vote(Counter({"pattern": 1.5, "framework": 0.6}))  # named once beside a framework, no framework cue
    'pattern'
    """
    votes = +votes
    if not votes:
        return fallback
    leading, most = votes.most_common(1)[0]
    framework = votes["framework"]  # a cue counts 1, a framework listed beside the name 0.6: a cue is needed
    return "framework" if framework >= 1 and framework >= FRAMEWORK_SHARE * most else leading


def _coordinated(text: str, start: int, end: int, matcher: ConceptMatcher, by_id: dict) -> list[str]:
    """Types of lexicon concepts written in one enumeration with the name at ``start:end``; not a concept
    (anything may stand beside one) and not a language (a lexicon lists the languages, so a new name beside
    Go or Rust is a product or a community: "CloudWeGo 及 Rust 开源社区").

    >>> from gokg.ingest.lexicon import load_lexicon
    >>> lexicon = load_lexicon()
    >>> peers = lambda text, name: _coordinated(text, text.index(name), text.index(name) + len(name), ConceptMatcher(lexicon), {c.id: c for c in lexicon})
    >>> peers("共同建设 Foobar 及 Rust 开源社区", "Foobar"), peers("Kitex、Foobar、Hertz 都是框架", "Foobar")
    ([], ['framework', 'framework'])
    """
    window = 24
    left, right = text[max(0, start - window) : start], text[end : end + window]
    types = []
    # a known name inside a longer one is no peer: "registry-etcd、registry-nacos" lists plugins, not etcd
    before = [m for m in matcher.find(left) if not re.match(r"[\w\-]", left[m.start - 1 : m.start] or " ", re.A)]
    if before and _PEER_GAP.match(left[before[-1].end :]):
        types.append(by_id[before[-1].concept_id].type)
    after = [m for m in matcher.find(right) if not re.match(r"[\w\-]", right[m.end : m.end + 1] or " ", re.A)]
    if after and _PEER_GAP.match(right[: after[0].start]):
        types.append(by_id[after[0].concept_id].type)
    return [t for t in types if t not in ("concept", "language")]


def _head_term(phrase: str) -> str:
    """The term a cue word closes: the last jieba word before the cue, kept only when it is not a common
    word of general Chinese (jieba's own dictionary frequencies are the background): 观察者模式 is a term,
    因此框架 and 新框架 are not."""

    cue = next(c for c in ("中间件", "模式", "框架", "协议", "算法", "架构", "引擎") if phrase.endswith(c))
    import jieba.posseg

    words = jieba.posseg.lcut(phrase[: -len(cue)], HMM=False)
    if not words or len(words[-1].word) < 2 or not words[-1].flag.startswith(("n", "eng")):
        return ""  # 打磨框架, 下发协议: a verb before the cue, not a name
    word = words[-1].word
    return "" if _everyday_zh(word) else word + cue


def _in_backticks(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return text.count("`", line_start, start) % 2 == 1 and "`" in text[end : text.find("\n", end) if "\n" in text[end:] else len(text)]


def _in_chinese_prose(text: str, start: int, end: int) -> bool:
    """Chinese on at least one side within a few characters: the name sits in a Chinese sentence."""
    around = text[max(0, start - 3) : start] + text[end : end + 3]
    return bool(re.search(r"[\u4e00-\u9fff]", around))


def _line_around(text: str, offset: int) -> str:
    end = text.find("\n", offset)
    return text[text.rfind("\n", 0, offset) + 1 : end if end >= 0 else len(text)]


_CLAUSE_END = re.compile(r"[，。；！？]")


def _clause_around(text: str, offset: int) -> str:
    """The clause of its line that ``offset`` is in: a call written in one clause of a Chinese sentence does not
    make the rest of it code.

    >>> text = "Knotwise 是做锁竞争分析的工具。我们设的是 SetMutexProfileFraction(50)，它再分析"
    >>> _clause_around(text, 0), _clause_around(text, text.index("Set"))
    ('Knotwise 是做锁竞争分析的工具', '我们设的是 SetMutexProfileFraction(50)')
    """
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    start = max((m.end() for m in _CLAUSE_END.finditer(text, line_start, offset)), default=line_start)
    end = _CLAUSE_END.search(text, offset, line_end)
    return text[start : end.start() if end else line_end]


# Words that end what comes before a term (verbs that take it as their object, particles, conjunctions).
_BEFORE_TERM = frozenset(
    """通过 使用 采用 基于 利用 引入 实现 支持 提供 包括 包含 以及 一个 一种 一款 这个 这种 的 了 并 和 与 及 或 在 对 把 将
    被 是 即 如 为 用 以 从 向 由 叫 称为 称作 也 都 还 就 即为 叫做 所谓 称之为
    形成 产生 造成 导致 引发 出现 发生 避免 防止 解决 触发 遇到 转入 进入 放入 写入 存入 交给 交由 经过 调用 依赖 借助
    依靠 结合 配合 搭配 接入 对接 集成 封装 开启 启用 选择 选用 遵循 需要 涉及 处理 配置 设置 构建 加上 加入
    就是 即是 正是 便是 也是 都是 一场 一套 一类 一条 一份 一层 一项 一组""".split()
)


def _clean_zh(text: str, translated: bool = False) -> str:
    """The term at the end of a Chinese run before a parenthesis: what follows the run's last verb, particle
    or conjunction (the term is their object), kept when it is 2-6 characters and no everyday word.

    >>> _clean_zh("并通过重试预算"), _clean_zh("带抖动的指数退避"), _clean_zh("对象池"), _clean_zh("参与者"), _clean_zh("为准")
    ('重试预算', '指数退避', '对象池', '参与者', '')
    >>> _clean_zh("抖就是一场重连风暴")
    '重连风暴'
    """
    import jieba

    words = jieba.lcut(text, HMM=False)
    # a verb ending the run introduces no object after it (影子配置: 配置 is the term's head here)
    last = max((i for i, word in enumerate(words[:-1]) if word in _BEFORE_TERM), default=-1)
    text = "".join(words[last + 1 :])  # 并通过重试预算 -> 重试预算, 带抖动的指数退避 -> 指数退避
    if not translated and re.search(r"(示例|配置|代码|文件|方式|流程|步骤|说明|版本|场景|阶段|结果|对比|实践|部分)$", text):
        return ""  # "服务注册示例(Spring Boot)" names an example, not a term; "影子配置（shadow config）" translates one
    if re.search(r"(结构体|接口|函数|方法|字段|类型|变量|参数|路径|目录|对象|实例|命令|选项|指针|对应)$", text):
        return ""  # "对应结构体(pollDesc)", "路径(tmpfs)": a kind of code object glossed with its name
    if re.search(r"(委员会|团队|社区|公司|小组|基金会|部门|工作组|联盟)$", text):
        return ""  # "技术委员会（QTC）": people who make the software, not a concept of it
    if not 2 <= len(text) <= 6 or _everyday_zh(text):
        return ""  # 单位(UCUM): an everyday word glosses the name, it is not a second name of it
    if len(text) == 2 and text[0] == "为":
        return ""  # "Git 为准（GitOps）": 为准, 为止, 为例 close a phrase, they name nothing
    return text


def _everyday_zh(word: str) -> bool:
    return _jieba_count(word) > _COMMON_ZH_FREQ


def _jieba_count(word: str) -> int:
    """How often ``word`` occurs in jieba's dictionary (its background of general Chinese); 0 if it is not in it."""
    import jieba

    jieba.dt.check_initialized()  # the dictionary loads on first use, and this may be the first
    return jieba.dt.FREQ.get(word, 0)


def _looks_like_code(line: str) -> bool:
    """Go syntax, or a call (``client.Call(ctx)``); a Chinese word before a parenthesis (``路由(含限流)``) is prose."""
    return bool(re.search(r":=|[{};]\s*$|^\s*(func|package|import|return)\b|[A-Za-z_][\w.]*\(.*\)", line, re.ASCII))
