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
from .models import Concept, Evidence, Mention, Passage, Relation

__all__ = ["find_mentions", "extract_relations"]

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_MAX_GAP = 16
# (relation, regex on the text between two mentions A … B, whether the relation points B -> A)
_CUES: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("alternative_to", re.compile(r"(\bvs\.?\b|\bVS\b|versus|替代|取代|代替|而非|而不是|相比|对比|优于|不如|or\b)", re.I), False),
    ("is_a", re.compile(r"^\s*(是一种|是一个|是一款|作为一种|属于|is an?)\s*$", re.I), False),
    ("integrates_with", re.compile(r"^\s*[+＋&]\s*$|集成|对接|整合|结合|配合|联动|接入|integrat", re.I), False),
    ("measures", re.compile(r"(监控|度量|测量|分析|定位|检测|排查|观测|采集|剖析|诊断|measures?|monitors?|profil)", re.I), False),
    ("solves", re.compile(r"(解决|防止|避免|应对|缓解|防护|防御|抵御|治理|solves?|prevents?)", re.I), False),
    ("implements", re.compile(r"(实现了?|提供了?|生成|内置|implements?|provides?)\s*$", re.I), False),
    ("uses", re.compile(r"(使用|采用|基于|借助|依赖|调用|通过|利用|引入|uses?|built on|based on|via)", re.I), False),
    ("part_of", re.compile(r"^\s*(是|为)?\s*(的)?\s*(核心)?(组件|组成部分|子系统|模块|一部分)", re.I), False),
)
_RELATION_TYPES_BY_TARGET = {
    "measures": {"concept", "pattern"},
    "solves": {"concept", "pattern"},
    "implements": {"concept", "pattern", "protocol"},
}
_MERMAID_NODE = re.compile(r"([A-Za-z][\w]*)\s*(?:\[\(?|\(\(?|\{\{?|>)([^\]\)\}]*)[\]\)\}]+")
_MERMAID_EDGE = re.compile(r"([A-Za-z][\w]*)(?:\s*[\[\(\{>][^\]\)\}]*[\]\)\}]+)?\s*(?:-->|---|==>|-\.->|-->>|->>)\s*(?:\|[^|]*\|\s*)?([A-Za-z][\w]*)")


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
    relations.extend(_cooccurrence(passages, matcher, min_cooccurrence, min_npmi))
    return relations


def _relations_in(passage: Passage, matcher: ConceptMatcher, types: dict[str, str]):
    text = passage.text
    if "mermaid" in passage.kinds:
        yield from _mermaid_relations(text, matcher)
    for line_match in re.finditer(r"[^\n]+", text) if "table" in passage.kinds else ():
        row = line_match.group()
        yield from (
            (a, "alternative_to", b, line_match.start(), "table") for a, b in _table_header_pairs(row, matcher, types)
        )
    for sentence in _SENTENCE.finditer(text):
        matches = _distinct(matcher.find(sentence.group()))
        for first, second in zip(matches, matches[1:]):
            between = sentence.group()[first.end : second.start]
            if len(between) > _MAX_GAP or first.concept_id == second.concept_id:
                continue
            for rtype, cue, _ in _CUES:
                if cue.search(between):
                    allowed = _RELATION_TYPES_BY_TARGET.get(rtype)
                    if allowed and types.get(second.concept_id) not in allowed:
                        continue
                    if rtype == "alternative_to" and types.get(first.concept_id) != types.get(second.concept_id):
                        continue
                    yield first.concept_id, rtype, second.concept_id, sentence.start() + first.start, "pattern"
                    break


def _distinct(matches: list[Match]) -> list[Match]:
    return [m for i, m in enumerate(matches) if i == 0 or m.concept_id != matches[i - 1].concept_id]


def _table_header_pairs(row: str, matcher: ConceptMatcher, types: dict[str, str]):
    """A comparison table's header (``特性 gRPC REST/JSON``): the concepts it compares are alternatives."""
    if re.search(r"[。，,：:{}\[\]()]|-->|//|#", row) or len(row) > 80:
        return
    matches = _distinct(matcher.find(row))
    cells = re.split(r"\t|\s{2,}|\s*\|\s*| ", row.strip().strip("|"))
    if len(matches) < 2 or len(cells) < 3 or len(cells) > 6:
        return
    if matcher.find(cells[0]):
        return  # the first cell names a row, not a dimension: this is a data row
    for a, b in combinations(matches[:4], 2):
        if a.concept_id != b.concept_id and types.get(a.concept_id) == types.get(b.concept_id):
            yield a.concept_id, b.concept_id


def _mermaid_relations(text: str, matcher: ConceptMatcher):
    labels: dict[str, str] = {}
    for match in _MERMAID_NODE.finditer(text):
        labels.setdefault(match.group(1), match.group(2))
    for line_match in re.finditer(r"[^\n]+", text):
        for edge in _MERMAID_EDGE.finditer(line_match.group()):
            source = matcher.find(labels.get(edge.group(1), ""))
            target = matcher.find(labels.get(edge.group(2), ""))
            if source and target and source[0].concept_id != target[0].concept_id:
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
