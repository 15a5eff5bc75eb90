"""Concept mentions and typed relations, each traceable to a file, a line and the sentence that says it.

Typed relations come from the rules of :mod:`gokg.ingest.relation_rules` (data, each row with examples),
read in four places: sentences (a cue between two mentions), tables (a header naming what it compares),
mermaid arrows, and sub-headings under a chapter about one component. Every candidate goes through
``relation_rules.resolve`` (direction and type limits) and through the precision guards here: no edge
across a negation or a contrast, from a roadmap or a question, out of an enumeration the cue is not about,
from a URL, a link target or a code line. Co-occurrence in passages, weighted by NPMI, gives ``related_to``.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import combinations

from gokg.models import Concept, Evidence, Mention, Passage, Relation
from gokg.text import LINK, link_text
from .lexicon import URL, ConceptMatcher, Match, modified as _modified
from .normalize import camel_parts
from .relation_rules import AGENTS, COMPONENT, IDEA, SYMMETRIC, Rule, allowed, resolve, rules_for
from .structure import parse_blocks, split_cells

__all__ = ["find_mentions", "extract_relations", "find_definitions"]

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
# A cue must sit close to both names: 20 characters leave room for "默认使用自研的高性能网络库", not for a clause.
_MAX_GAP = 20
# The full-width comma ends a clause; the ASCII one lists names in scraped text ("go-micro, Kitex").
_COORDINATION = re.compile(r"\s*(?:[、,/&]|和|与|及|以及|或|或者|还是|and|or)\s*", re.I)
_CLAUSE_BREAK = re.compile(r"[，,：:；;]")
_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")
_OPEN, _CLOSE = "（([【", "）)]】"
_CJK_EDGE = re.compile(r"[\u4e00-\u9fff]{2}")


def _glued(text: str, a: Match, b: Match) -> bool:
    """``a`` ends where ``b`` starts, Chinese on both sides ("网关雪崩", "超时重试"): a only qualifies b."""
    return a.end == b.start and bool(_CJK_EDGE.match(text[a.end - 1 : a.end + 1]))
_NEGATION = re.compile(
    r"(?<!差)不(?!仅|只|同|断|少|错|久|论|管|但|如)|无法|无需|无须|没|未(?!来)|并非|而非|而是|(?<!不)但|然而|却|反而|否则|除了|"
    r"\b(?:not|no|never|cannot|without|instead|but|however|except)\b|n't\b",
    re.I,
)
_ROADMAP = re.compile(
    r"未来|计划|将会|将要|即将|后续(?:[^，,。；;]{0,16}?(?:将|会)|版本|计划)|之后(?:的版本)?[^，,。；;]{0,12}?将|规划|预计|打算|希望|期望|期待|待支持|尚未|"
    r"将(?:默认)?(?:支持|实现|提供|引入|集成|推出|加入|替代|取代|接入|内嵌|内置|使用|采用)|正在(?:开发|实现|规划|计划|设计|推进)|"
    r"有待|roadmap|TODO|coming soon|\bwill\b|\bplan(?:s|ned)?\s+to\b|\bupcoming\b",
    re.I,
)
# Questions and conditions assert nothing: "A 是否支持 B？", "如果 A 能直接对接 B".
# "如果说 A 是…，那么 B 是…" asserts both halves: a rhetorical 如果说, not a condition
_QUESTION_END = re.compile(r"[?？]\s*$|吗\s*[。.]?\s*$")
_UNASSERTED = re.compile(rf"{_QUESTION_END.pattern}|是否|能否|可否|如果(?!说)|假如|假设|倘若|要是|若(?!干)|\bif\b", re.I)
# "为 A 提供…", "把 A 接入…": A is not the subject of what follows, so a directed cue does not start at A.
# "基于 A 的 B": A is what B is built on, the object of 基于, never the subject of another cue
_OBJECT_MARK = re.compile(r"(?:(?<![作成认])为|给|向|对|把|将|基于|基於|构建于|建立在|建立于)\s*$")
# A verb before a list makes the list its object ("支持 Saga、TCC 等模式"): the list is not a subject.
_OBJECT_VERB = re.compile(r"使用|采用|支持|包括|包含|提供|基于|通过|集成|对比|比较|对接|接入|选择|选用|例如|比如|诸如|(?<!所)有|用|如")
_HEAD_TAIL = re.compile(r"\s*(?:系统|工具|框架|库|组件|平台|中间件|服务|协议|方案|技术|产品|软件|模型|算法|机制|策略|实现|方式|类型){0,2}\s*$")
_TAG = re.compile(r"</?[A-Za-z][^>]{0,80}>")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇两0-9]+[章篇部节讲课][:：、.\s]*|[一二三四五六七八九十]+[、.．]\s*|"
    r"\d+(?:\.\d+)*[.、．)]?\s+|[（(][一二三四五六七八九十0-9]+[)）]\s*)"
)
_MERMAID_NODE = re.compile(r"([A-Za-z][\w]*)\s*(?:\[\(?|\(\(?|\{\{?|>)([^\]\)\}]*)[\]\)\}]+")
_MERMAID_EDGE = re.compile(
    r"([A-Za-z][\w]*)(?:\s*[\[\(\{>][^\]\)\}]*[\]\)\}]+)?\s*(?:-->|---|==>|-\.->|-->>|->>)\s*(?:\|([^|]*)\|\s*)?([A-Za-z][\w]*)"
)
_MERMAID_STORE = re.compile(r"([A-Za-z]\w*)\s*\[\(")  # a node drawn as a cylinder: a database, a queue, a store
# what a node of a process diagram does: a step, not a component ("Trivy 扫描", "HTTP POST 至 Loki")
_MERMAID_ACTION = re.compile(
    r"扫描|校验|检查|生成|推送|推入|签名|部署|构建|构造|发布|检测|上报|同步|触发|提交|执行|审批|回滚|发送|写入|读取|"
    r"(?<![A-Za-z])(?:Push|POST|GET|PUT|Sync|Build|Deploy|Scan|Sign|Release|Commit)(?![A-Za-z])"  # "POST至Loki"
)
_SEPARATOR_ROW = re.compile(r"\s*\|?[\s:|-]+\|?\s*")
_VERSION = re.compile(r"^\s*v?\d+(?:\.\d+)*\+?(?=\s|[\u4e00-\u9fff]|$)", re.I)  # "go-micro v4", "Kafka 3.5+"
# A definition list item, "- GoReleaser：基于 Git tag 构建": the term before the colon is the subject.
_CLAUSE_END = re.compile(r"\s*(?:[，,。；;!！]|$)")
_TERM = re.compile(r"\s*[：:]\s*")
_ITEM_START = re.compile(r"[\s\-*•·>#\d.、]*")
# An import or repository path: only its last segment names the package. ASCII, or \w would run into Chinese.
_PATH = re.compile(r"[A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+){2,}")


@dataclass(frozen=True)
class _Edge:
    source: str
    relation: str
    target: str
    evidence: Evidence
    origin: str  # pattern | table | mermaid | heading | name


@dataclass(frozen=True)
class _Layout:
    """The block kind of every line of one document, rebuilt from its passages (code and mermaid lines,
    table headers and rows are read differently from prose)."""

    lines: list[str]
    kinds: list[str]
    starts: list[int]  # 0-based index of the first line of each line's block


def _line_of(passage: Passage, offset: int) -> int:
    return passage.line_start + passage.text.count("\n", 0, offset)


def find_mentions(passages: list[Passage], matcher: ConceptMatcher) -> list[Mention]:
    """Every alias occurrence in every passage, with its file and line."""
    mentions: list[Mention] = []
    for passage in passages:
        for match in matcher.find(passage.text):
            mentions.append(
                Mention(match.concept_id, passage.doc, _line_of(passage, match.start), passage.id, match.surface)
            )
    return mentions


_DEFINITION = re.compile(r"^\s*(?:[（(][^)）]{1,40}[)）])?\s*(?:是一种|是一个|是一款|是(?!否)|指的是|作为|is an?\b|refers to)", re.I)


def find_definitions(passages: list[Passage], matcher: ConceptMatcher) -> dict[str, Evidence]:
    """The first sentence that defines a concept: ``X 是…``, ``X（…）是…``, ``X is a …``."""
    found: dict[str, Evidence] = {}
    for passage in passages:
        if passage.kinds and passage.kinds[-1] == "code" and "paragraph" not in passage.kinds:
            continue
        for sentence in _SENTENCE.finditer(passage.text):
            raw = sentence.group()
            text = raw.lstrip(" •·-*\t")
            lead = len(raw) - len(text)
            matches = matcher.find(text)
            if not matches or matches[0].start > 0 or matches[0].concept_id in found:
                continue
            rest = text[matches[0].end :]
            if _DEFINITION.match(rest) and len(text) >= 12:
                line = _line_of(passage, sentence.start() + lead)
                found[matches[0].concept_id] = Evidence(passage.doc, line, text.strip()[:300])
    return found


def extract_relations(
    passages: list[Passage],
    matcher: ConceptMatcher,
    concepts: list[Concept],
    *,
    min_cooccurrence: int = 2,
    min_npmi: float = 0.2,
) -> list[Relation]:
    """Typed relations with evidence, merged per (source, type, target), then ``related_to`` edges."""
    types = {c.id: c.type for c in concepts}
    layouts = _layouts(passages)
    found: dict[tuple[str, str, str], list[_Edge]] = defaultdict(list)
    for passage in passages:
        for edge in _typed_edges(passage, matcher, types, layouts[passage.doc]):
            found[(edge.source, edge.relation, edge.target)].append(edge)
    for edge in _name_edges(passages, matcher, concepts, layouts):
        found[(edge.source, edge.relation, edge.target)].append(edge)
    relations = [
        Relation(
            source=s,
            type=t,
            target=o,
            evidence=tuple(dict.fromkeys(e.evidence for e in edges))[:8],
            weight=float(len(edges)),
            origin=Counter(e.origin for e in edges).most_common(1)[0][0],
        )
        for (s, t, o), edges in found.items()
    ]
    typed_pairs = {frozenset((r.source, r.target)) for r in relations}
    # a pair with a typed edge needs no co-occurrence edge beside it: the typed one says more
    relations.extend(r for r in _cooccurrence(passages, matcher, min_cooccurrence, min_npmi)
                     if frozenset((r.source, r.target)) not in typed_pairs)
    return relations


_KINDS_OF = frozenset({"pattern", "concept", "protocol"})  # what a compound's head may be a kind of


def _name_edges(passages: list[Passage], matcher: ConceptMatcher, concepts: list[Concept],
                layouts: dict[str, _Layout]) -> Iterator[_Edge]:
    """A discovered name that ends with a known idea's name is a kind of it: Failure Retry is a Retry,
    PayloadCodec a Codec, Basic access authentication an Authentication. Not a package named <what it
    is>-<what it serves> (config-nacos), nor a name whose head is a product (RequestContext is no kind of
    Go's context package). The evidence is the prose sentence that shows it best: one that says so ("Kitex
    Protobuf 是 Kitex 自定义的 Protobuf 消息协议"), else one that pairs the name with its translation
    ("异常重试（Failure Retry）"), else one that names the kind beside it, else the first that writes the name."""
    types = {c.id: c.type for c in concepts}
    heads = {}
    for concept in concepts:
        if concept.discovered and "-" not in concept.name:
            words = concept.name.split() if " " in concept.name else camel_parts(concept.name)
            head = matcher.lookup(words[-1]) if len(words) >= 2 and len(words[-1]) >= 4 else None
            if head and head != concept.id and types.get(head) in _KINDS_OF:
                heads[concept.id] = head
    best: dict[str, tuple[int, Evidence]] = {}
    for passage in passages:
        for i, row in enumerate(passage.text.split("\n")):
            if len(best) == len(heads) and all(score == 3 for score, _ in best.values()):
                break  # every kind has its best evidence: the rest of the text need not be read again
            number = passage.line_start + i
            if layouts[passage.doc].kinds[number - 1] in ("code", "boilerplate", "mermaid"):
                continue
            for match in matcher.find(row):
                if match.concept_id not in heads:
                    continue
                sentence = next((s for s in _sentences(row) if match.surface in s), row)
                name = re.escape(match.surface)
                copula = re.search(rf"{name}\s*(?:[（(][^）)]*[）)])?\s*(?:是(?!否)|即(?!可|使|便)|作为|属于)", sentence)
                kind_after = [m for m in matcher.find(sentence) if m.concept_id == heads[match.concept_id]
                              and (copula is None or m.start >= copula.end())]
                if copula and kind_after:
                    score = 3  # "X 是 … Y": the sentence says it
                elif re.search(rf"[（(]\s*{name}\s*[）)]|{name}\s*[（(]", sentence):
                    score = 2  # the name with its translation: where the text defines it
                elif kind_after:
                    score = 1  # the kind named on its own beside the name
                else:
                    score = 0
                if match.concept_id not in best or score > best[match.concept_id][0]:
                    best[match.concept_id] = (score, Evidence(passage.doc, number, sentence.strip()[:300]))
    for concept_id, (_, evidence) in best.items():
        yield _Edge(concept_id, "is_a", heads[concept_id], evidence, "name")


def _layouts(passages: list[Passage]) -> dict[str, _Layout]:
    numbered: dict[str, dict[int, str]] = defaultdict(dict)
    for passage in passages:
        for i, line in enumerate(passage.text.split("\n")):
            numbered[passage.doc][passage.line_start + i] = line
    layouts: dict[str, _Layout] = {}
    for doc, by_number in numbered.items():
        lines = [by_number.get(n, "") for n in range(1, max(by_number) + 1)]
        kinds, starts = ["paragraph"] * len(lines), list(range(len(lines)))
        for block in parse_blocks("\n".join(lines)):
            for i in range(block.line_start - 1, block.line_end):
                kinds[i], starts[i] = block.kind, block.line_start - 1
        layouts[doc] = _Layout(lines, kinds, starts)
    return layouts


def _typed_edges(passage: Passage, matcher: ConceptMatcher, types: dict[str, str], layout: _Layout) -> Iterator[_Edge]:
    def edges(found, line: int, text: str, origin: str) -> Iterator[_Edge]:
        for source, relation, target in dict.fromkeys(found):
            yield _Edge(source, relation, target, Evidence(passage.doc, line, text.strip()[:300]), origin)

    section_topic = _section_topic(passage, matcher, types)
    previous, carried = "", ""  # the last sentence read, and the kind of the row it is in
    for i, row in enumerate(passage.text.split("\n")):
        number = passage.line_start + i
        kind, start = layout.kinds[number - 1], layout.starts[number - 1]
        if kind in ("code", "boilerplate") or not row.strip():
            continue  # a code line, comments included, states nothing about concepts
        if kind == "mermaid":
            labels, steps, stores = _mermaid_block(layout, start)
            yield from edges(_mermaid_edges(row, labels, steps, matcher, types, stores), number, row, "mermaid")
            continue
        if kind == "table":
            if number - 1 == start:
                for found, line in _table_edges(layout, start, matcher, types):
                    yield from edges(found, line + 1, layout.lines[line], "table")
            for cell in split_cells(row):
                yield from edges(_sentence_edges(cell, matcher, types), number, row, "pattern")
            continue
        if kind != "paragraph" or carried != "paragraph":
            previous = ""  # a pronoun reaches back over blank lines to the paragraph before, not over a heading
        carried = kind
        for sentence in _sentences(row):
            yield from edges(_sentence_edges(sentence, matcher, types), number, sentence, "pattern")
            said, topic = _with_antecedent(previous, sentence, matcher)
            if said:  # only what the antecedent adds: the sentence's other edges were read just above
                about = (e for e in _sentence_edges(said, matcher, types) if topic in (e[0], e[2]))
                yield from edges(about, number, previous + sentence, "pattern")
            elif section_topic and kind in ("paragraph", "list") and _ELIDED_SUBJECT.match(sentence):
                # "## Shoalmark" then "基于 etcd 实现服务发现。": a sentence without a subject is about its section's product
                about = _sentence_edges(f"{section_topic.surface} {sentence}", matcher, types)
                yield from edges((e for e in about if e[0] == section_topic.concept_id), number, sentence, "pattern")
            previous = said or sentence
    for line, child, found in _heading_edges(passage, matcher, types):
        yield from edges(found, line, child, "heading")


# A sentence that opens with what a product does, its subject left out: "基于 etcd 实现服务发现", "默认使用 Raft"
_ELIDED_SUBJECT = re.compile(r"[\s\-*•>\d.、]*(?:它|其)?\s*(?:也|还|则|同样|默认|直接|主要|整体|底层)*\s*"
                             r"(?:基于|使用|采用|依赖|内置|集成|兼容|利用|借助|构建在|运行在|实现了)")


def _section_topic(passage: Passage, matcher: ConceptMatcher, types: dict[str, str]) -> Match | None:
    """The product the passage's own heading names, when it names exactly one and nothing else ("## Shoalmark",
    "## Shoalmark 架构"), else None."""
    if not passage.section:
        return None
    found = matcher.find(passage.section.split(" > ")[-1])
    if len({m.concept_id for m in found}) != 1 or types.get(found[0].concept_id) not in COMPONENT:
        return None
    return found[0]


# a name that only starts the subject: "幂等账本是…" (a noun runs on to the copula), not "门神负责…", "门神也是…"
_NOUN_GOES_ON = re.compile(r"(?![也就则都还才又即便其本])[\u4e00-\u9fff]{1,4}?(?:是|指)")
_PRONOUN_OPENING = re.compile(r"\s*(?:而|另外|此外|同时)?\s*(?:它|其)(?!们|他|它|实|中|余|次|间)")


def _with_antecedent(previous: str, sentence: str, matcher: ConceptMatcher) -> tuple[str, str]:
    """``sentence`` with the 它/其 it opens with replaced by the name the previous sentence of its line opens
    with, its subject ("Lanternstore 是最重的组件。它的 ingester 实现了 SootWire 协议" -> "Lanternstore 的 ingester
    实现了 SootWire 协议"), and that subject's concept; ("", "") when it opens otherwise or the previous sentence
    has no named subject.

    >>> from gokg.models import Concept
    >>> m = ConceptMatcher([Concept("kitex", "Kitex", "framework", ("Kitex",)), Concept("go", "Go", "language", ("Go",))])
    >>> _with_antecedent("Kitex 是 RPC 框架。", "它内置熔断器。", m), _with_antecedent("这是 Go 写的。", "它内置熔断器。", m)
    (('Kitex 内置熔断器。', 'kitex'), ('', ''))
    """
    opening = _PRONOUN_OPENING.match(sentence)
    if not opening or not previous:
        return "", ""
    found = _standalone(previous, matcher.find(previous))
    if not found or not _TOPIC_OPENING.fullmatch(previous[: found[0].start]) or _NOUN_GOES_ON.match(previous, found[0].end):
        return "", ""  # "幂等账本是什么呢？它是…": the subject is 幂等账本, not the 幂等 its name starts with
    return f"{found[0].surface} {sentence[opening.end():].lstrip()}", found[0].concept_id


def _sentences(line: str) -> list[str]:
    """The sentences of a line; a ``?`` or ``!`` inside a URL or a link does not end one."""
    masked = URL.sub(lambda m: "x" * len(m.group()), LINK.sub(lambda m: "x" * len(m.group()), line))
    return [line[m.start() : m.end()] for m in _SENTENCE.finditer(masked)]


# Asides that comment on a statement without changing its subject ("A 对我们来说就是 B 的替代品"): the 我们 in
# them is no new agent.
_DISCOURSE = re.compile(r"对我们来说|对我们而言|在我们看来|说实话|老实说|坦白说|简单说|简单来说|说到底|说白了")


def _clean(text: str, matcher: ConceptMatcher) -> str:
    """The text that relations are read from: link targets, URLs and HTML tags dropped, emphasis removed,
    inline code kept only when it is exactly one concept name.

    >>> from gokg.models import Concept
    >>> m = ConceptMatcher([Concept("kitex", "Kitex", "framework", ("Kitex",))])
    >>> _clean("[Kitex](https://github.com/cloudwego/kitex) 和 `Kitex` 与 `kitex.NewClient()` **对比**", m)
    'Kitex 和 Kitex 与 □ 对比'
    """
    text = link_text(text)
    text = _TAG.sub("", URL.sub("", text))
    text = _CODE_SPAN.sub(lambda m: _code_span(m.group(1), matcher), text)
    text = _DISCOURSE.sub("", text.replace("**", "").replace("__", ""))
    return re.sub(r"[（(]\s*[)）]", "", text)  # what a dropped URL leaves behind


def _code_span(code: str, matcher: ConceptMatcher) -> str:
    found = matcher.find(code.strip())
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(code.strip()):
        return code.strip()
    return "□"  # an identifier or a call: opaque, so "streaming.Stream" is not the concept Streaming


def _blocked(text: str) -> bool:
    """Roadmaps, questions and conditions state no relation: "未来将支持 B", "A 是否支持 B？"."""
    return bool(_ROADMAP.search(text) or _UNASSERTED.search(text))


_ASIDE_BREAK = re.compile(r"[，,；;：:]|——")


# "如果 …，" / "假如 …，" opening a sentence: the condition's clause (parentheses inside it included)
_OPENING_CONDITION = re.compile(r"\s*(?:但|不过|另外|此外|而|当然)?\s*(?:如果|假如|假设|倘若|要是)(?!说)[^，,。；;（(]*(?:[（(][^）)]*[）)][^，,。；;（(]*)*[，,]\s*")


# "A 没有为每个连接启动 goroutine，而是基于 epoll …": what is denied goes, what 而是 asserts is said of A
_NOT_BUT = re.compile(r"(?:并|也|都|既)?(?:没有|没|不是|不会|不用|不再|不|并非|未)[^，,。；;!！?？]{0,40}[，,]\s*而是(?:直接)?")


def _asserted(text: str) -> str:
    """The part of a sentence that asserts something: all of it, or the clauses before the first roadmap or
    condition (what follows a "如果" or a "未来将" in the sentence is said under it); "" for a question.

    >>> _asserted("A 可以看作 B 的替代方案，前提是你愿意——而如果你的服务全是 Go 写的，这个前提是免费的。")
    'A 可以看作 B 的替代方案，前提是你愿意'
    >>> _asserted("如果 A 能直接对接 B，就省事了。"), _asserted("A 是否支持 B？")
    ('就省事了。', '')

    A condition that opens the sentence governs its own clause; the main clause after it states what holds
    anyway ("如果只需要单向推送，SSE 是 WebSocket 的一个更轻量的替代方案"):

    >>> _asserted("如果只需要单向推送（行情、通知），SSE 是 WebSocket 的替代方案。")
    'SSE 是 WebSocket 的替代方案。'

    What a sentence denies before a 而是 goes; what follows is said of its subject:

    >>> _asserted("Netwick 没有使用 goroutine-per-connection 模型，而是基于 epoll 实现了 Reactor 模型。")
    'Netwick  基于 epoll 实现了 Reactor 模型。'
    """
    if _QUESTION_END.search(text):
        return ""
    text = _NOT_BUT.sub(" ", text)
    opening = _OPENING_CONDITION.match(text)
    if opening:
        return _asserted(text[opening.end() :])
    marks = [m.start() for m in (_ROADMAP.search(text), _UNASSERTED.search(text)) if m]
    if not marks:
        return text
    first = min(marks)
    cut = max((m.start() for m in _ASIDE_BREAK.finditer(text, 0, first)), default=0)
    return text[:cut]


_MAX_SENTENCE = 600  # characters; a longer run without a full stop is data or a list, not a sentence


def _sentence_edges(sentence: str, matcher: ConceptMatcher, types: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    text = _clean(sentence, matcher)
    found = _out_of_ecosystems(text, matcher, list(_read_sentence(text, matcher, types)))
    owned = list(_owner_edges(text, matcher, types, found))
    # "go-zero 的负载均衡用的就是 P2C" is about go-zero's load balancing, not load balancing in general
    stated = {(owner, relation, target) for owner, relation, target, _ in owned}
    general = {idea_edge for *_, idea_edge in owned}
    yield from (edge for edge in found if edge not in general)
    yield from stated


_PLACED_RELATIONS = frozenset({"uses", "implements", "measures", "solves"})  # what the subject does in the place
_ECOSYSTEM = re.compile(r"\s*(?:的)?\s*(?:生态圈|生态|社区|全家桶|家族)")
# "X 是 Wickline 里专门检测泄漏的库": after 是, a name followed by 里/中 places X in it
_PLACE_AFTER_BE = re.compile(r"是\s*(?:整个|整套)?\s*$")
_PLACE = re.compile(r"\s*(?:里|中|内)(?:负责|专门|用来|用于|最|唯一)")


def _out_of_ecosystems(text: str, matcher: ConceptMatcher, edges: list[Edge]) -> list[Edge]:
    """``edges`` with a name that only places something ("Tarnflux 生态中负责限流的库") neither an agent nor a
    thing used: in its ecosystem, a product is only a part of it. What such a name seemed to do, the sentence's
    subject before it does ("Kitex 是 CloudWeGo 生态中负责 RPC 的框架").

    >>> from gokg.models import Concept
    >>> m = ConceptMatcher([Concept("kitex", "Kitex", "framework", ("Kitex",)), Concept("cloudwego", "CloudWeGo", "tool", ("CloudWeGo",))])
    >>> _out_of_ecosystems("Kitex 是 CloudWeGo 生态里的", m, [("cloudwego", "implements", "x"), ("kitex", "part_of", "cloudwego")])
    [('kitex', 'implements', 'x'), ('kitex', 'part_of', 'cloudwego')]
    >>> _out_of_ecosystems("CloudWeGo 生态里的 Kitex", m, [("cloudwego", "implements", "x"), ("kitex", "part_of", "cloudwego")])
    [('kitex', 'part_of', 'cloudwego')]
    """
    places: dict[str, bool] = {}
    matches = matcher.find(text)
    for match in matches:
        placed = bool(_ECOSYSTEM.match(text, match.end)) or bool(
            _PLACE.match(text, match.end) and _PLACE_AFTER_BE.search(text, 0, match.start))
        places[match.concept_id] = places.get(match.concept_id, True) and placed
    only_places = {concept for concept, placed in places.items() if placed}
    if not only_places:
        return edges
    subject = matches[0].concept_id if matches[0].concept_id not in only_places else None
    kept = []
    for source, relation, target in edges:
        if source in only_places and relation in _PLACED_RELATIONS and subject and subject != target:
            source = subject
        if source not in only_places and (target not in only_places or relation == "part_of"):
            kept.append((source, relation, target))
    return list(dict.fromkeys(kept))


_OWNED = re.compile(r"\s*的\s*[\u4e00-\u9fff]{0,3}?")  # "Tarnwick 的单机限流": a short modifier may stand before the idea
_OWNER_RELATIONS = frozenset({"uses", "implements"})


Edge = tuple[str, str, str]


def _owner_edges(text: str, matcher: ConceptMatcher, types: dict[str, str], found: list[Edge]) -> Iterator[tuple[str, str, str, Edge]]:
    """What a product's own idea uses is what the product uses: "go-zero 的负载均衡用的就是 P2C" says that
    go-zero's load balancing uses P2C, so go-zero uses P2C too (and implements what its idea implements). Each
    edge comes with the idea's edge it is said instead of.

    >>> from gokg.models import Concept
    >>> m = ConceptMatcher([Concept("go-zero", "go-zero", "framework", ("go-zero",)),
    ...                     Concept("lb", "负载均衡", "pattern", ("负载均衡",)), Concept("p2c", "P2C", "pattern", ("P2C",))])
    >>> types = {"go-zero": "framework", "lb": "pattern", "p2c": "pattern"}
    >>> list(_owner_edges("go-zero 的负载均衡用的就是 P2C", m, types, [("lb", "uses", "p2c")]))
    [('go-zero', 'uses', 'p2c', ('lb', 'uses', 'p2c'))]
    """
    matches = _standalone(text, matcher.find(text))
    owners = {}
    for i, (owner, idea) in enumerate(zip(matches, matches[1:])):
        rest = matches[i + 2 :]
        # the idea is named once after its owner, in one clause with what it relates to (not "Corvex 的重试策略
        # 模块，它在每次重试之间使用指数退避": that is about another mention of 重试)
        if (types.get(owner.concept_id) in COMPONENT and types.get(idea.concept_id) in IDEA
                and _OWNED.fullmatch(text[owner.end : idea.start]) and rest
                and all(m.concept_id != idea.concept_id for m in rest)
                and not _CLAUSE_BREAK.search(text, idea.end, rest[0].start)):
            owners[idea.concept_id] = owner.concept_id
    for source, relation, target in found:
        if relation in _OWNER_RELATIONS and source in owners and allowed(relation, owners[source], target, types):
            yield owners[source], relation, target, (source, relation, target)


def _read_sentence(text: str, matcher: ConceptMatcher, types: dict[str, str]) -> Iterator[Edge]:
    """The typed edges of one cleaned sentence."""
    if len(text) > _MAX_SENTENCE:
        return  # pairing every mention with the next is quadratic in such a run, and states nothing
    text = _asserted(text)
    if not text:
        return
    matches = _standalone(text, matcher.find(text))
    if len(matches) < 2:
        return
    spans = list(_span_edges(text, matches, types))
    yield from spans
    # a phrase rule reads the whole construction, so it speaks for its pair ("X：基于 Y 的 Z 实现")
    paired = {frozenset((source, target)) for source, _, target in spans}
    containers = _containers(text, matches)
    objects = [m.span(1) for m in _HANDED_OBJECT.finditer(text)]
    for container in dict.fromkeys(containers):
        # Names inside a parenthesis ("Kitex（基于 Netpoll）") pair with each other, not with those outside.
        chain = [m for m, c in zip(matches, containers) if c == container]
        edges = [e for e in _chain_edges(text, chain, types) if frozenset((e[0], e[2])) not in paired]
        yield from edges
        # "Berthgate 把心跳检测交给 tickloom 完成": what is handed over is no party of the cue around it
        handed = [m for m in chain if not any(a <= m.start and m.end <= b for a, b in objects)]
        if objects and len(handed) < len(chain):
            yield from (e for e in _chain_edges(text, handed, types) if e not in edges and frozenset((e[0], e[2])) not in paired)
    yield from _topic_edges(text, matches, types)


# The object of 把 before a verb that hands it to, or puts it in, another party.
_HANDED_OBJECT = re.compile(r"(?:把|将)([^，,。；;：:!！?？]{1,30}?)(?=(?:委托给|交给|交由|转交给|存放在|存放到|存到|存入|放在|放到|写入|写进|写到|追加到|推给|发给|托管在|保存到|保存在|作为|用|以|按))")


# "X 是…的库，它基于 A 构建，具有 B 的特点": after a sentence that says what X is, Chinese drops the subject
# of the clauses that follow (or says 它/其); they are still about X, until a clause names a new subject.
_TOPIC_OPENING = re.compile(r"[\s\-*•>\d.、]*(?:[AQ答问]\s*[:：])?\s*(?:而|另外|此外|其中)?\s*")  # "A：" answers in a Q&A
# ... or a definition list item, "- Thriftgo：Go 实现的 thrift 编译器，支持插件机制": the term is the topic
_TOPIC_COPULA = re.compile(r"\s*(?:[（(][^）)]{1,40}[）)])?\s*(?:(?:也|其实|本质上|实际上|就|则)?(?:是|作为)(?!否|不是)|[：:](?!\s*$))")
_TOPIC_CLAUSE = re.compile(r"[^，；;]+")
_CARRIED_SUBJECT = re.compile(r"\s*(?:它们|它|其|并且|并|同时|还|也|且|而且)*\s*")
_NEW_SUBJECT = re.compile(rf"{AGENTS}|这|那|该|此|前者|后者|如果|虽然|但|而|所以|因此|因而|于是|因为|由于|导致|结果|大部分|大多数|多数|很多|许多|一些|部分|所有|每个|各个|其他|其它")


def _topic_edges(text: str, matches: list[Match], types: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    topic = matches[0]
    if not _TOPIC_OPENING.fullmatch(text[: topic.start]):
        return
    if not _TOPIC_COPULA.match(text, topic.end) and not _sole_subject(text, topic, matches):
        return
    clauses = [c for c in _TOPIC_CLAUSE.finditer(text) if c.start() > topic.end]
    for clause in clauses:
        inside = [m for m in matches if clause.start() <= m.start and m.end <= clause.end()]
        carried = _CARRIED_SUBJECT.match(text, clause.start()).end()
        before = inside[0].start if inside else clause.end()
        if (inside and inside[0].start == carried) or _NEW_SUBJECT.search(text, carried, before):
            break  # a clause that names its own subject ends the chain
        if not inside or re.search(r"(?:时|时候|之后|以后|之前)\s*$", text[clause.start() : clause.end()]):
            continue  # "…，使用 Kitex 与其它服务互通时，": when something happens, not what the topic does
        offset = carried - len(topic.surface) - 1
        said = f"{topic.surface} {text[carried : clause.end()]}"
        moved = [replace(topic, start=0, end=len(topic.surface))]
        moved += [replace(m, start=m.start - offset, end=m.end - offset) for m in inside]
        yield from (e for e in _chain_edges(said, moved, types) if topic.concept_id in (e[0], e[2]))


# what a name before it makes a noun of: the name's extension, client, team, … is the subject, not the name
_PRODUCT_PART = re.compile(r"\s*(?:拓展|扩展|插件|客户端|服务端|SDK|驱动|适配器|中间件|组件|模块|团队|社区|官方|文档|项目|仓库|版本|节点|集群|实例)")


def _sole_subject(text: str, topic: Match, matches: list[Match]) -> bool:
    """Whether ``topic`` opens the sentence as the only name of its first clause, the subject of a verb, so
    that the clauses after it that name no subject of their own are about it too ("Ebbgate 做路由决策时，直接读
    Shoalmark 里的实例元数据"); not "Ebbgate 的泳道…" (the subject is a part of it) nor a name that runs on
    into a longer noun ("幂等账本是…").

    >>> from gokg.models import Concept
    >>> m = ConceptMatcher([Concept(n.lower(), n, "tool", (n,)) for n in ("Ebbgate", "Shoalmark")])
    >>> sole = lambda text: _sole_subject(text, m.find(text)[0], m.find(text))
    >>> sole("Ebbgate 做路由决策时，直接读 Shoalmark 里的元数据"), sole("Ebbgate 读 Shoalmark，很快"), sole("Ebbgate 的规则，存在 Shoalmark")
    (True, False, False)
    """
    clause = _TOPIC_CLAUSE.match(text, topic.end)
    if not clause or clause.end() >= len(text.rstrip("。.!！ ")) or re.match(r"\s*(?:的|之|和|与|及|或|、|等)", text[topic.end :]):
        return False
    if _NOUN_GOES_ON.match(text, topic.end) or _PRODUCT_PART.match(text, topic.end):
        return False  # the subject is a longer noun: "幂等账本是…", "Etcd 拓展对…进行了封装"
    return not any(topic.end <= m.start < clause.end() for m in matches)


def _standalone(text: str, matches: list[Match]) -> list[Match]:
    """Mentions that name a concept on their own: not a piece of a hyphenated name ("Thrift-validator",
    "codec-dubbo"), and in a path ("github/cloudwego/kitex") only the last segment, the package itself.

    >>> from gokg.models import Concept
    >>> m = ConceptMatcher([Concept(n.lower(), n, "tool", (n,)) for n in ("Thrift", "Kitex", "github")])
    >>> text = "Thrift、Thrift-validator 与 github/cloudwego/kitex"
    >>> [x.surface for x in _standalone(text, m.find(text))]
    ['Thrift', 'kitex']
    """
    paths = [p.span() for p in _PATH.finditer(text)]
    kept = []
    for m in matches:
        if re.match(r"-\w", text[m.end : m.end + 2]) or re.search(r"\w-$", text[max(m.start - 2, 0) : m.start]):
            continue
        if any(start <= m.start and m.end < end for start, end in paths):
            continue
        kept.append(m)
    return kept


def _containers(text: str, matches: list[Match]) -> list[int]:
    """For each mention, the position of the innermost bracket it sits in (-1 at top level)."""
    stack: list[int] = []
    out: list[int] = []
    position = 0
    for match in matches:
        for i in range(position, match.start):
            if text[i] in _OPEN:
                stack.append(i)
            elif text[i] in _CLOSE and stack:
                stack.pop()
        position = match.start
        out.append(stack[-1] if stack else -1)
    return out


def _chain_edges(text: str, chain: list[Match], types: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    """Pairs of neighbouring mentions. Names joined by 、/和/与 form a group: a cue before or after the
    group speaks for all of it ("A 支持 B、C"), while two names inside a group relate only through a cue
    about exactly that pair ("A 与 B 集成"), never because they were listed together. A product followed by
    its category ("Zookeeper 配置中心") is one group too, so a cue after the category reaches the product."""
    joined = [
        bool(_COORDINATION.fullmatch(text[a.end : b.start])) or _apposition(text, a, b, types) or _both_roles(text, a, b)
        for a, b in zip(chain, chain[1:])
    ]
    # "Paifang 网关本身就是用 Qilou 写成的": the category word names the product again, it is no second party
    categories = {id(b) for a, b, link in zip(chain, chain[1:], joined) if link and _names_category(text, a, b, types)}
    group_of: list[int] = [0]
    for link in joined:
        group_of.append(group_of[-1] + (0 if link else 1))
    groups: dict[int, list[Match]] = defaultdict(list)
    for match, group in zip(chain, group_of):
        groups[group].append(match)
    # Two names that a pair rule relates ("Kitex 与 FastThrift 的对比") are a phrase of their own: a cue
    # outside it reaches only the nearer name, not both ("Frugal 结合 Kitex 与 FastThrift 的性能对比").
    phrases: set[int] = set()
    for i, link in enumerate(joined):
        if link and len(groups[group_of[i]]) == 2 and not _both_roles(text, chain[i], chain[i + 1]):
            inside = list(_pair_edges(text, [chain[i]], [chain[i + 1]], types))
            phrases |= {group_of[i]} if inside else set()
            yield from inside
    for i, link in enumerate(joined):
        if not link:
            left, right = groups[group_of[i]], groups[group_of[i + 1]]
            left = left[-1:] if group_of[i] in phrases else left
            right = right[:1] if group_of[i + 1] in phrases else right
            left = [m for m in left if id(m) not in categories] or left
            right = [m for m in right if id(m) not in categories] or right
            after_right = chain[chain.index(right[-1]) + 1] if right[-1] is not chain[-1] else None
            # a name glued to the next one modifies it ("MySQL Binlog 同步模块"): it is not a phrase's head
            modifier = after_right is not None and after_right.start - right[-1].end <= 1
            produced = list(_pair_edges(text, left, right, types, modifier))
            yield from produced
            owner = _owner_before(text, chain, left[0], types) if not produced and len(left) == 1 else None
            if owner is not None:
                # "Paifang 的动态配置默认保存在 etcd 中": what the product's own idea is said to do, the product does
                stand_in = [replace(left[0], concept_id=owner.concept_id)]
                yield from (e for e in _pair_edges(text, stand_in, right, types, modifier) if e[1] in _OWNER_RELATIONS)
            if modifier and _glued(text, right[-1], after_right):
                # "避免后端阻塞导致网关雪崩": 网关 only qualifies 雪崩, so the cue also reaches the head it qualifies
                yield from _pair_edges(text, left, [after_right], types)


def _owner_before(text: str, chain: list[Match], idea: Match, types: dict[str, str]) -> Match | None:
    """The product whose own idea ``idea`` is, named just before it ("Paifang 的动态配置"), or None."""
    i = next((k for k, m in enumerate(chain) if m is idea), 0)
    if i == 0:
        return None
    owner = chain[i - 1]
    if types.get(owner.concept_id) in COMPONENT and types.get(idea.concept_id) in IDEA and _OWNED.fullmatch(text[owner.end : idea.start]):
        return owner
    return None


def _both_roles(text: str, first: Match, second: Match) -> bool:
    """Two roles of one subject ("Nacos 既是注册中心又是配置中心"): listed together, neither is a kind of the other.

    >>> text = "Nacos 既是注册中心又是配置中心"
    >>> _both_roles(text, Match(8, 12, "a", "注册中心"), Match(14, 18, "b", "配置中心"))
    True
    """
    return bool(re.fullmatch(r"\s*(?:又|也|还)是\s*", text[first.end : second.start])
                and re.search(r"既是\s*$|既\s*$", text[: first.start]))


_CATEGORY = re.compile(r"(?:API\s*)?网关|注册中心|配置中心|服务网格|消息队列|数据库|控制面|控制平面|数据面|数据平面")


def _names_category(text: str, first: Match, second: Match, types: dict[str, str]) -> bool:
    """A product followed by the category it belongs to ("Paifang 网关", "Nacos 注册中心")."""
    return (text[first.end : second.start] in ("", " ") and types.get(first.concept_id) in COMPONENT
            and bool(_CATEGORY.fullmatch(text[second.start : second.end])))


def _apposition(text: str, first: Match, second: Match, types: dict[str, str]) -> bool:
    """A product named with its category ("Nacos 注册中心集成到 Kitex", "Paifang 网关本身就是用 Qilou 写成的"):
    one noun phrase, not two subjects."""
    if _names_category(text, first, second, types) and not re.match(r"\s*(?:$|[，,。；;：:!！?？)）(（]|与|和|及|、)", text[second.end :]):
        return True  # not at a phrase's end: there "Nacos 注册中心" says what Nacos provides
    return (
        text[first.end : second.start] in ("", " ")
        and types.get(first.concept_id) in COMPONENT
        and types.get(second.concept_id) == "concept"
        and bool(re.match(r"\s*(?:集成|接入|对接|作为|扩展|适配)", text[second.end :]))
    )


def _pair_edges(
    text: str, left: list[Match], right: list[Match], types: dict[str, str], modifier: bool = False
) -> Iterator[tuple[str, str, str]]:
    # "A（…）是一种 B": the aside is not the cue; nor is a version ("go-micro v4 框架", "Kafka 3.5+")
    gap = _VERSION.sub("", _BRACKETS.sub("", text[left[-1].end : right[0].start]), count=1)
    if len(gap) > _MAX_GAP or any(ch in _OPEN + _CLOSE for ch in gap):
        return
    clause = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, left[0].start)), default=0)
    prefix = text[clause : left[0].start]
    term = _TERM.match(gap)
    gaps = [gap]
    if term and len(left) == 1 and _ITEM_START.fullmatch(text[: left[0].start]):
        # a definition list: "GoReleaser：基于 Git tag 构建", the term is the subject; and what follows the colon
        # says what the term is ("Shoalmark：Quillmere 的服务发现组件" reads "Shoalmark 是 Quillmere 的…")
        gap = gap[term.end() :]
        gaps = [gap, f"是{gap}"]
    negated = bool(_NEGATION.search(gap) or _NEGATION.search(prefix))
    # A cue speaks for the whole group after it ("基于 B 和 C 实现") or, when "与" joins two phrases rather
    # than two names ("zap结构化日志与prometheus暴露指标"), for the first member only.
    readings = [(right, text[right[-1].end :])] + ([([right[0]], text[right[0].end :])] if len(right) > 1 else [])
    for rule, gap in ((rule, gap) for gap in gaps for rule in rules_for("sentence")):
        if not rule.cue_re.fullmatch(gap) or (negated and not rule.negated):
            continue
        if gap is not gaps[0] and rule.relation == "is_a":
            continue  # "2PC：强一致", "重试风暴：调用链上…": a description after the colon, not a category
        if rule.before_re and not rule.before_re.search(prefix):
            continue
        if len(left) > 1 and not (rule.of_group or rule.before_re) and _OBJECT_VERB.search(prefix):
            continue  # the list is what an earlier verb acts on, not the subject of this cue
        if rule.relation not in SYMMETRIC and not rule.before_re and _OBJECT_MARK.search(prefix):
            continue
        if modifier and rule.direction == "B->A":
            continue  # B would be the subject, but it only qualifies the name after it
        for targets, after in readings:
            tail = rule.after_re.match(after) if rule.after_re else None
            # a cue that ends after B is a noun phrase ("A 对 B 的支持"): what follows it may negate it
            said = after[: tail.end() + 6].split("，")[0] if tail else ""
            if rule.after_re and (not tail or (not rule.negated and _NEGATION.search(said))):
                continue
            if gap is not gaps[0] and not _CLAUSE_END.match(after, tail.end() if tail else 0):
                continue  # "服务网格：Istio 的控制面很重" says something of Istio's control plane, not what 服务网格 is
            sources, targets = ([left[-1]], targets[:1]) if rule.adjacent else (left, targets)
            edges = [e for a in sources for b in targets if (e := resolve(rule, a.concept_id, b.concept_id, types))
                     and not _kind_of_more(text, e, a, b)]
            if edges:
                yield from edges
                return


def _kind_of_more(text: str, edge: tuple[str, str, str], a: Match, b: Match) -> bool:
    """An is_a whose subject is the head of a longer name ("块缓存是一个分片的 LRU"): the longer name is the
    kind, not the concept its head names, so the edge would make a whole concept a kind of something."""
    subject = a if edge[0] == a.concept_id else b
    return edge[1] == "is_a" and "\u4e00" <= subject.surface[:1] <= "\u9fff" and _modified(text, subject.start)


# What may stand between the start of a list item and its name: "如 Kafka", "、“RabbitMQ”", "和 **NATS**".
_ITEM_OPENS = re.compile(r"(?:^|[、，,/]|和|与|或|及|以及|还是)\s*[“\"'「`*]*$")


def _span_edges(text: str, matches: list[Match], types: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    """A phrase that names one side and a list that names the other: "B 由 A、C 构成", "B（如 A、C）".
    As for pairs, the first rule that fits a (head, member) pair wins."""
    done: set[tuple[str, str]] = set()
    # "超时重试": a Chinese name glued to the next one only qualifies it, the compound is about the second
    glued = {id(a) for a, b in zip(matches, matches[1:]) if _glued(text, a, b)}
    matches = [m for m in matches if id(m) not in glued]
    for rule in rules_for("span"):
        for found in rule.cue_re.finditer(text):
            if _NEGATION.search(found.group()):
                continue
            first = [m for m in matches if found.start("first") <= m.start and m.end <= found.end("first")]
            second = [m for m in matches if found.start("second") <= m.start and m.end <= found.end("second")]
            if rule.second_head:
                second = [m for m in second[-1:] if m.end == found.end("second")]
            if rule.items:
                second = [m for m in second if _ITEM_OPENS.search(text[found.start("second") : m.start])]
            # the first side is the head of its phrase: "消息队列（如 …）", "链路追踪系统（如 …）"
            heads = [m for m in first[-1:] if _HEAD_TAIL.fullmatch(text[m.end : found.end("first")])]
            for head in heads:
                for member in second:
                    pair = (head.concept_id, member.concept_id)
                    edge = None if pair in done else resolve(rule, *pair, types)
                    if edge and not _kind_of_more(text, edge, head, member):
                        done.add(pair)
                        yield edge


def _distinct(matches: list[Match]) -> list[Match]:
    return [m for i, m in enumerate(matches) if i == 0 or m.concept_id != matches[i - 1].concept_id]


def _heading_edges(passage: Passage, matcher: ConceptMatcher, types: dict[str, str]):
    """A chapter about one component and a sub-heading under it that names what it does with another:
    ``# Kitex 扩展`` > ``## 接入 Nacos`` -> Kitex integrates_with Nacos. Yields (line, heading, edges)."""
    levels = passage.section.split(" > ") if passage.section else []
    rows = [row.strip().lstrip("#").strip() for row in passage.text.split("\n")]
    for parent, child in zip(levels, levels[1:]):
        if child not in rows:
            continue  # the sub-heading's own passage gives the evidence, so it counts once
        parent = _clean(parent, matcher)
        in_parent = matcher.find(parent)
        owners = {m.concept_id for m in in_parent if types.get(m.concept_id) in COMPONENT}
        text = _NUMBERING.sub("", _clean(child, matcher).strip())
        if len(owners) != 1 or _blocked(text):
            continue
        owner = owners.pop()
        found = []
        for match in _distinct(matcher.find(text)):
            before, after = text[: match.start], text[match.end :]
            if _NEGATION.search(before):
                continue
            for rule in rules_for("heading"):
                if not rule.cue_re.fullmatch(before) or (rule.after_re and not rule.after_re.match(after)):
                    continue
                if rule.parent_re and not _names_both(parent, in_parent, owner, match.concept_id, rule):
                    continue
                edge = resolve(rule, owner, match.concept_id, types)
                if edge:
                    found.append(edge)
                    break
        yield passage.line_start + rows.index(child), child, found


def _names_both(parent: str, mentions: list[Match], owner: str, other: str, rule: Rule) -> bool:
    """Whether the parent heading names the owner and later ``other``, with the rule's ``parent`` text between."""
    return any(
        a.concept_id == owner and b.concept_id == other and rule.parent_re.fullmatch(parent[a.end : b.start])
        for a, b in combinations(mentions, 2)
    )


def _table_edges(layout: _Layout, start: int, matcher: ConceptMatcher, types: dict[str, str]):
    """Comparison tables: the concepts a header compares (``特性 gRPC REST/JSON``), and the concepts that
    open the rows (``chaos-mesh …`` / ``go-chaos …``) unless the header says the rows are the parts of a
    stack (``组件 版本 用途``). Yields (edges, 0-based evidence line)."""
    header = layout.lines[start]
    label = (split_cells(header) or [""])[0].strip("| ")
    end = start + 1
    while end < len(layout.lines) and layout.kinds[end] == "table" and layout.starts[end] == start:
        end += 1
    pairs = [] if _used_together(layout, start, end) else list(_table_header_pairs(header, matcher))
    for rule in rules_for("table-header"):
        if rule.cue_re.fullmatch(label):
            yield [e for a, b in pairs if (e := resolve(rule, a, b, types))], start
    leaders: list[tuple[str, int]] = []
    for line in range(start + 1, end):
        row = layout.lines[line]
        cells = split_cells(row)
        if not _SEPARATOR_ROW.fullmatch(row) and len(cells) >= 3 and not re.search(r"[。，,]|-->|[{}]", row):
            first = _distinct(matcher.find(cells[0]))
            # the row is about the concept itself, not about a function of it ("encoding/json.Marshal")
            if len(first) == 1 and first[0].start == 0 and not re.match(r"[.(/:]\w|\.\(", cells[0][first[0].end :]):
                leaders.append((first[0].concept_id, line))
    for rule in rules_for("table-rows"):
        if rule.cue_re.fullmatch(label):
            for (a, line), (b, _) in combinations(leaders[:6], 2):
                edge = resolve(rule, a, b, types)
                if edge:
                    yield [edge], line
    yield from _column_edges(layout, start, end, matcher, types)


def _column_edges(layout: _Layout, start: int, end: int, matcher: ConceptMatcher, types: dict[str, str]):
    """Selection tables: the column whose label the rule's cue names (组件: 日志, 链路追踪) and the column its
    ``after`` names (工具: zerolog, OpenTelemetry) pair up row by row, a cell that names one concept with the
    names in the other's cell. Yields (edges, 0-based evidence line)."""
    labels = [cell.strip("| *") for cell in split_cells(layout.lines[start])]
    for rule in rules_for("table-columns"):
        first = next((i for i, label in enumerate(labels) if rule.cue_re.fullmatch(label)), None)
        second = next((i for i, label in enumerate(labels) if rule.after_re.fullmatch(label)), None)
        if first is None or second is None or first == second:
            continue
        for line in range(start + 1, end):
            cells = split_cells(layout.lines[line])
            if _SEPARATOR_ROW.fullmatch(layout.lines[line]) or len(cells) <= max(first, second):
                continue
            named = _distinct(matcher.find(cells[first]))
            if len(named) != 1:
                continue  # a cell of one concept, not a phrase about several
            edges = [e for b in _distinct(matcher.find(cells[second])) if (e := resolve(rule, named[0].concept_id, b.concept_id, types))]
            if edges:
                yield edges, line


_TOGETHER = re.compile(r"组合|搭配|配合|协同|一起使用|同时使用|同时开启|combination|together", re.I)
_TOGGLE = re.compile(r"\s*(?:开启|关闭|启用|禁用|打开|on|off|enabled?|disabled?)\b.*", re.I)


def _used_together(layout: _Layout, start: int, end: int) -> bool:
    """Whether a table's header names things used together, not compared: the sentence that introduces it
    says so (下表汇总了推荐组合), or its cells switch each column's component on or off (开启 / 关闭).

    >>> rows = ["下表汇总了不同类型服务的推荐组合：", "", "| 服务类型 | A | B |", "| --- | --- | --- |", "| 网关 | 开启 | 关闭 |"]
    >>> _used_together(_Layout(rows, ["paragraph", "blank", "table", "table", "table"], [0, 1, 2, 2, 2]), 2, 5)
    True
    """
    intro = next((i for i in range(start - 1, max(start - 4, -1), -1) if layout.lines[i].strip()), None)
    if intro is not None and layout.kinds[intro] != "table" and _TOGETHER.search(layout.lines[intro]):
        return True
    cells = [cell.strip("| *") for line in range(start + 1, end) if not _SEPARATOR_ROW.fullmatch(layout.lines[line])
             for cell in split_cells(layout.lines[line])[1:]]
    return bool(cells) and sum(bool(_TOGGLE.fullmatch(cell)) for cell in cells) * 2 >= len(cells)


def _table_header_pairs(row: str, matcher: ConceptMatcher) -> Iterator[tuple[str, str]]:
    """A comparison table's header: a dimension label, then the concepts it compares."""
    if re.search(r"[。，,：:{}\[\]()]|-->|//|#", row) or len(row) > 80 or re.match(r"\s*[•·*-]\s", row):
        return
    matches = _distinct(matcher.find(row))
    cells = split_cells(row)
    if len(matches) < 2 or len(cells) < 3 or len(cells) > 6:
        return
    if matcher.find(cells[0]):
        return  # the first cell names a row, not a dimension: this is a data row
    for a, b in combinations(matches[:4], 2):
        if a.concept_id != b.concept_id:
            yield a.concept_id, b.concept_id


def _mermaid_block(layout: _Layout, start: int) -> tuple[dict[str, str], bool, set[str]]:
    """The node labels of the diagram that starts at ``start``, whether it is a single path of steps (every
    node one arrow in, one out: a timeline such as 发起调用 -> RPCStart -> … -> RPCFinish), and the nodes drawn
    as stores (``K[(Kafka)]``, a cylinder)."""
    labels: dict[str, str] = {}
    stores: set[str] = set()
    ins: Counter[str] = Counter()
    outs: Counter[str] = Counter()
    end = start
    while end < len(layout.lines) and layout.starts[end] == start:
        for match in _MERMAID_NODE.finditer(layout.lines[end]):
            labels.setdefault(match.group(1), match.group(2))
        stores.update(_MERMAID_STORE.findall(layout.lines[end]))
        for edge in _MERMAID_EDGE.finditer(layout.lines[end]):
            outs[edge.group(1)] += 1
            ins[edge.group(3)] += 1
        end += 1
    steps = sum(outs.values()) >= 3 and max(outs.values()) <= 1 and max(ins.values()) <= 1
    return labels, steps, stores


def _mermaid_edges(line: str, labels: dict[str, str], steps: bool, matcher: ConceptMatcher, types: dict[str, str],
                   stores: set[str] = frozenset()):
    for edge in [] if steps else _MERMAID_EDGE.finditer(line):
        start, end = edge.group(1), edge.group(3)
        if start in stores and end not in stores:
            start, end = end, start  # "K[(Kafka)] --> TF": data read from a store, by what the arrow points to
        source_label, target_label = labels.get(start, ""), labels.get(end, "")
        source, target = matcher.find(source_label), matcher.find(target_label)
        if not source or not target or _blocked(edge.group(2) or ""):
            continue
        if _MERMAID_ACTION.search(source_label) or _MERMAID_ACTION.search(target_label):
            continue  # "Git Push --> OPA 校验": steps of a process, not one component calling another
        for rule in rules_for("mermaid"):
            if rule.cue_re.fullmatch((edge.group(2) or "").strip()):
                found = resolve(rule, source[0].concept_id, target[0].concept_id, types)
                if found:
                    yield found
                    break
    # a node label is a sentence of its own: "C --> D[syft生成SBOM]"
    for label in _MERMAID_NODE.finditer(line):
        yield from _sentence_edges(label.group(2), matcher, types)


def _cooccurrence(passages: list[Passage], matcher: ConceptMatcher, min_count: int, min_npmi: float) -> list[Relation]:
    """related_to edges between concepts that share passages more often than chance (NPMI)."""
    total = len(passages)
    if total < 2:
        return []
    single: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], list[tuple[Passage, list[Match]]]] = defaultdict(list)
    for passage in passages:
        found = matcher.find(passage.text)
        ids = sorted({m.concept_id for m in found})
        single.update(ids)
        for pair in combinations(ids, 2):
            pairs[pair] += 1
            where[pair].append((passage, found))
    relations: list[Relation] = []
    for (a, b), count in pairs.items():
        if count < min_count:
            continue
        p_ab = count / total
        if p_ab >= 1.0:
            continue
        npmi = math.log(p_ab / ((single[a] / total) * (single[b] / total))) / -math.log(p_ab)
        if npmi < min_npmi:
            continue
        evidence = tuple(_together(p, found, a, b) for p, found in where[(a, b)][:5])
        relations.append(Relation(a, "related_to", b, evidence, weight=round(npmi, 4), origin="cooccurrence"))
    return relations


def _together(passage: Passage, found: list[Match], a: str, b: str) -> Evidence:
    """Where a passage names both ``a`` and ``b``: the first line that names both, else the first line of
    whichever of the two the passage names later (not the passage's heading).

    >>> from gokg.ingest.lexicon import load_lexicon
    >>> matcher = ConceptMatcher(load_lexicon())
    >>> text = "## 02 简介\\n\\nKitex 是 RPC 框架。\\n它内置熔断器。"
    >>> p = Passage(id=0, doc="a.md", line_start=3, line_end=6, section="02 简介", text=text)
    >>> e = _together(p, matcher.find(text), "circuit-breaker", "kitex")
    >>> e.line, e.text
    (6, '它内置熔断器。')
    """
    named: dict[int, set[str]] = defaultdict(set)  # line number -> which of the two it names
    for match in found:
        if match.concept_id in (a, b):
            named[_line_of(passage, match.start)].add(match.concept_id)
    both = [number for number, ids in sorted(named.items()) if len(ids) == 2]
    number = both[0] if both else max(min(n for n, ids in named.items() if cid in ids) for cid in (a, b))
    line = passage.text.split("\n")[number - passage.line_start]
    return Evidence(passage.doc, number, line.strip()[:200])
