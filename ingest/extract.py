"""Concept mentions and typed relations, each traceable to a file and a line.

Relations come from four deterministic sources, cheapest first:
- sentence patterns between two mentions (基于, 使用…, 是一种, 集成, 与…对比, 替代, A+B, vs …);
- comparison tables (a header row naming two concepts: ``维度 Saga TCC``);
- mermaid edges (``A[otelgin] --> B[OTLP Exporter]``);
- co-occurrence in passages, weighted by NPMI (``related_to``).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from itertools import combinations

from .lexicon import ConceptMatcher, Match
from gokg.models import Concept, Evidence, Mention, Passage, Relation
from .structure import split_cells

__all__ = ["find_mentions", "extract_relations", "find_definitions"]

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_MAX_GAP = 16
_COORDINATION = re.compile(r"^\s*([、,，/&]|和|与|及|以及|或|and|or)\s*$", re.I)
_WHOLE_OF_PARTS = re.compile(r"([^，,。；;]{1,30}?)由([^。；;]{2,80}?)(?:等|三者|四者|几部分|几个部分)?(?:协同)?(?:构成|组成)")
_CHOICE_AMONG = re.compile(r"(.{1,20}?)的?(?:取舍|选型|选择|之争)\s*[:：]")
# (relation, regex on the text between two mentions A … B): A relation B
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("alternative_to", re.compile(r"(\bvs\.?\b|\bVS\b|versus|替代|取代|代替|而非|而不是|相比|对比|优于|不如|or\b)", re.I)),
    ("is_a", re.compile(r"^\s*(是一种|是一个|是一款|作为一种|属于|is an?)\s*$", re.I)),
    ("integrates_with", re.compile(r"^\s*[+＋&]\s*$|集成|对接|整合|结合|配合|联动|接入|integrat", re.I)),
    ("measures", re.compile(r"(监控|度量|测量|分析|定位|检测|排查|观测|采集|剖析|诊断|measures?|monitors?|profil)", re.I)),
    ("solves", re.compile(r"(解决|防止|避免|应对|缓解|防护|防御|抵御|治理|solves?|prevents?)", re.I)),
    ("implements", re.compile(r"(实现了?|提供了?|生成|内置|implements?|provides?)\s*$", re.I)),
    ("uses", re.compile(r"(使用|采用|基于|借助|依赖|调用|通过|利用|引入|uses?|built on|based on|via)", re.I)),
    ("part_of", re.compile(r"^\s*(是|为)?\s*(的)?\s*(核心)?(组件|组成部分|子系统|模块|一部分)", re.I)),
)
_COMPONENT_TYPES = {"framework", "library", "tool", "platform"}
_PROVIDER_TYPES = _COMPONENT_TYPES | {"protocol"}
_MERMAID_NODE = re.compile(r"([A-Za-z][\w]*)\s*(?:\[\(?|\(\(?|\{\{?|>)([^\]\)\}]*)[\]\)\}]+")
_MERMAID_EDGE = re.compile(r"([A-Za-z][\w]*)(?:\s*[\[\(\{>][^\]\)\}]*[\]\)\}]+)?\s*(?:-->|---|==>|-\.->|-->>|->>)\s*(?:\|[^|]*\|\s*)?([A-Za-z][\w]*)")
# What each relation type may connect: (allowed source types, allowed target types); None = any.
_TYPE_RULES: dict[str, tuple[set[str] | None, set[str] | None]] = {
    "measures": ({"tool", "library", "platform", "framework"}, {"concept", "pattern"}),
    "solves": (_PROVIDER_TYPES | {"pattern"}, {"concept", "pattern"}),
    "implements": (_PROVIDER_TYPES, {"concept", "pattern", "protocol"}),
    "integrates_with": (_PROVIDER_TYPES | {"language"}, _PROVIDER_TYPES | {"language"}),
    "uses": (_PROVIDER_TYPES | {"pattern", "language"}, None),
}


def _types_allow(rtype: str, source: str | None, target: str | None) -> bool:
    sources, targets = _TYPE_RULES.get(rtype, (None, None))
    return (sources is None or source in sources) and (targets is None or target in targets)



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
    """Typed relations with evidence, merged per (source, type, target)."""
    types = {c.id: c.type for c in concepts}
    found: dict[tuple[str, str, str], list[tuple[Evidence, str]]] = defaultdict(list)
    for passage in passages:
        for source, rtype, target, offset, origin in _relations_in(passage, matcher, types):
            line = _line_of(passage, offset)
            text = passage.text.split("\n")[line - passage.line_start].strip()
            found[(source, rtype, target)].append((Evidence(passage.doc, line, text[:300]), origin))
    relations = [
        Relation(
            source=s,
            type=t,
            target=o,
            evidence=tuple(dict.fromkeys(e for e, _ in items))[:8],
            weight=float(len(items)),
            origin=Counter(origin for _, origin in items).most_common(1)[0][0],
        )
        for (s, t, o), items in found.items()
    ]
    relations.extend(_heading_relations(passages, matcher, types))
    relations.extend(_cooccurrence(passages, matcher, min_cooccurrence, min_npmi))
    return relations


def _heading_relations(passages: list[Passage], matcher: ConceptMatcher, types: dict[str, str]) -> list[Relation]:
    """A chapter about one component and a section under it about a concept or another component:
    ``第三章:Kratos框架…`` > ``3.1 Kratos分层架构设计与Protobuf契约驱动开发`` -> Kratos uses Protobuf."""
    found: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for passage in passages:
        levels = passage.section.split(" > ") if passage.section else []
        first_line = passage.text.split("\n", 1)[0].strip().lstrip("#").strip()
        for parent, child in zip(levels, levels[1:]):
            if child != first_line:
                continue  # evidence is the child heading's own line, so only its first passage counts
            owners = {m.concept_id for m in matcher.find(parent) if types.get(m.concept_id) in _COMPONENT_TYPES}
            if len(owners) != 1:
                continue
            owner = owners.pop()
            for match in _distinct(matcher.find(child)):
                if match.concept_id != owner and types.get(match.concept_id) not in ("language", "concept"):
                    evidence = Evidence(passage.doc, passage.line_start, first_line[:300])
                    found[(owner, "uses", match.concept_id)].append(evidence)
    return [Relation(s, t, o, tuple(ev[:8]), float(len(ev)), "heading") for (s, t, o), ev in found.items()]


def _relations_in(passage: Passage, matcher: ConceptMatcher, types: dict[str, str]):
    text = passage.text
    if "mermaid" in passage.kinds:
        yield from _mermaid_relations(text, matcher, types)
    if "table" in passage.kinds:
        yield from _table_relations(text, matcher, types)
    for sentence in _SENTENCE.finditer(text):
        yield from _sentence_relations(sentence.group(), sentence.start(), matcher, types)


def _groups(sentence: str, matches: list[Match]) -> list[list[Match]]:
    """Mentions joined by 、 , / 和 与 及 form one coordinated group ("go-micro, Kitex 内置服务发现")."""
    groups: list[list[Match]] = []
    for match in matches:
        if groups:
            gap = sentence[groups[-1][-1].end : match.start]
            if _COORDINATION.match(gap):
                groups[-1].append(match)
                continue
        groups.append([match])
    return groups


def _sentence_relations(sentence: str, offset: int, matcher: ConceptMatcher, types: dict[str, str]):
    matches = _distinct(matcher.find(sentence))
    if len(matches) < 2:
        return
    whole = _WHOLE_OF_PARTS.search(sentence)
    if whole:
        # "GMP 模型由 G(goroutine)、M(OS 线程)、P(...)三者协同构成": the parts are part_of the whole.
        owners = [m for m in matches if m.end <= whole.start(1) + len(whole.group(1)) and m.start >= whole.start(1)]
        parts = [m for m in matches if whole.start(2) <= m.start < whole.end(2)]
        for owner in owners[-1:]:
            for part in parts:
                if part.concept_id != owner.concept_id:
                    yield part.concept_id, "part_of", owner.concept_id, offset + part.start, "pattern"
    choice = _CHOICE_AMONG.search(sentence)
    if choice:
        # "服务网格的取舍:Linkerd vs 自研Sidecar": each option is_a the category being chosen.
        category = [m for m in matches if m.end <= choice.end(1)]
        options = [m for m in matches if m.start >= choice.end()]
        for cat in category[-1:]:
            for option in options:
                if option.concept_id != cat.concept_id and types.get(cat.concept_id) in ("pattern", "concept"):
                    yield option.concept_id, "is_a", cat.concept_id, offset + option.start, "pattern"
    groups = _groups(sentence, matches)
    for left, right in zip(groups, groups[1:]):
        between = sentence[left[-1].end : right[0].start]
        rtype = _relation_between(between, left, right, types)
        if rtype is None:
            continue
        for first in left:
            for second in right:
                if first.concept_id == second.concept_id:
                    continue
                if not _types_allow(rtype, types.get(first.concept_id), types.get(second.concept_id)):
                    continue
                if rtype == "alternative_to" and types.get(first.concept_id) != types.get(second.concept_id):
                    continue
                yield first.concept_id, rtype, second.concept_id, offset + first.start, "pattern"


def _relation_between(between: str, left: list[Match], right: list[Match], types: dict[str, str]) -> str | None:
    if len(between) > _MAX_GAP:
        return None
    for rtype, cue in _CUES:
        if cue.search(between):
            return rtype
    # "OpenTelemetry 全链路追踪", "zap结构化日志": a tool named right before the concept it provides.
    if not between.strip() and types.get(left[-1].concept_id) in _COMPONENT_TYPES and types.get(right[0].concept_id) in ("concept", "pattern"):
        return "implements"
    return None


def _distinct(matches: list[Match]) -> list[Match]:
    return [m for i, m in enumerate(matches) if i == 0 or m.concept_id != matches[i - 1].concept_id]


_STACK_HEADERS = re.compile(r"^(组件|模块|层|层级|阶段|步骤|字段|参数|配置项|目录|文件|指标|名称|版本|角色|component|layer|field|step)", re.I)


def _table_relations(text: str, matcher: ConceptMatcher, types: dict[str, str]):
    """Comparison tables: the concepts a header compares (``特性 gRPC REST/JSON``) and the concepts that
    open the rows (``chaos-mesh …`` / ``go-chaos …`` / ``litmuschaos …``) are alternatives, unless the
    header says the rows are the parts of a stack (``组件 版本 用途``)."""
    tables: list[tuple[str, list[tuple[Match, int]]]] = []
    above = ""
    offset = 0
    for row in text.split("\n"):
        start, previous = offset, above
        offset += len(row) + 1
        above = row
        if not row.strip():
            continue
        cells = split_cells(row)
        if len(split_cells(previous)) < 3:  # the first row of a table is its header
            for a, b in _table_header_pairs(row, matcher):
                yield a, "alternative_to", b, start, "table"
            tables.append((cells[0] if cells else "", []))
            continue
        if tables and len(cells) >= 3 and not re.search(r"[。，,]|-->|[{}]", row):
            first = _distinct(matcher.find(cells[0]))
            if len(first) == 1 and first[0].start == 0:
                tables[-1][1].append((first[0], start))
    for header, leaders in tables:
        if _STACK_HEADERS.match(header.strip("| ")):
            continue
        for (a, where), (b, _) in combinations(leaders[:6], 2):
            if a.concept_id != b.concept_id and types.get(a.concept_id) == types.get(b.concept_id):
                yield a.concept_id, "alternative_to", b.concept_id, where, "table"


def _table_header_pairs(row: str, matcher: ConceptMatcher):
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


def _mermaid_relations(text: str, matcher: ConceptMatcher, types: dict[str, str]):
    labels: dict[str, str] = {}
    for match in _MERMAID_NODE.finditer(text):
        labels.setdefault(match.group(1), match.group(2))
    for line_match in re.finditer(r"[^\n]+", text):
        for edge in _MERMAID_EDGE.finditer(line_match.group()):
            source = matcher.find(labels.get(edge.group(1), ""))
            target = matcher.find(labels.get(edge.group(2), ""))
            # A flowchart arrow is a step, not a dependency, unless both ends name components.
            if source and target and source[0].concept_id != target[0].concept_id and all(
                types.get(m[0].concept_id) in _PROVIDER_TYPES for m in (source, target)
            ):
                yield source[0].concept_id, "uses", target[0].concept_id, line_match.start(), "mermaid"
        # a single label that says "syft生成SBOM" carries a relation of its own
        for label in _MERMAID_NODE.finditer(line_match.group()):
            inner = _distinct(matcher.find(label.group(2)))
            for first, second in zip(inner, inner[1:]):
                between = label.group(2)[first.end : second.start]
                if re.search(r"生成|实现|产出|输出", between):
                    yield first.concept_id, "implements", second.concept_id, line_match.start(), "mermaid"


def _cooccurrence(passages: list[Passage], matcher: ConceptMatcher, min_count: int, min_npmi: float) -> list[Relation]:
    """related_to edges between concepts that share passages more often than chance (NPMI)."""
    total = len(passages)
    if total < 2:
        return []
    single: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for passage in passages:
        ids = sorted({m.concept_id for m in matcher.find(passage.text)})
        single.update(ids)
        for pair in combinations(ids, 2):
            pairs[pair] += 1
            where[pair].append(passage)
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
        evidence = tuple(
            Evidence(p.doc, p.line_start, (p.section.split(" > ")[-1] or p.text.split("\n")[0])[:200])
            for p in where[(a, b)][:5]
        )
        relations.append(Relation(a, "related_to", b, evidence, weight=round(npmi, 4), origin="cooccurrence"))
    return relations
