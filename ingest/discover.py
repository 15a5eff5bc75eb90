"""Concepts beyond the lexicon, so a user's own articles yield concepts too.

Candidates, each kept only when it recurs (precision first):
- pairs written as 熔断器（Circuit Breaker） / 前缀树(Trie): a new bilingual concept, or a new alias of a
  known one (a pair never joins two known concepts);
- English and CamelCase names in prose (SonarQube, FeatureFlow, grype);
- Go import paths in code (github.com/IBM/sarama, go.uber.org/zap);
- Chinese noun phrases that end in a type cue (…模式, …框架, …协议, …算法).
Types come from the cue that follows a name (X框架 -> framework, X工具 -> tool ...), else from the form.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace

from .lexicon import ConceptMatcher, concept_id
from gokg.models import Concept, Passage
from .normalize import alias_key

__all__ = ["discover_concepts"]

_PAIR = re.compile(r"([\u4e00-\u9fff]{2,10})\s*[（(]\s*([A-Za-z][A-Za-z0-9 .+\-/]{1,38}[A-Za-z0-9])\s*[)）]")
# CamelCase names (SonarQube, FeatureFlow) stand on their own; a plain word (Fleet, grype) only with a cue.
_CAMEL = re.compile(r"(?<![\w./@-])([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)(?![\w./@-])")
_WORD = re.compile(r"(?<![\w./@-])([A-Z]?[a-z]{3,}[0-9]*)(?![\w./@-])")
_IMPORT = re.compile(r"\b((?:github\.com|gitlab\.com|go\.uber\.org|golang\.org/x|google\.golang\.org|k8s\.io|sigs\.k8s\.io|gopkg\.in|go\.etcd\.io)/[\w.\-]+(?:/[\w.\-]+)?)")
_ZH_PHRASE = re.compile(r"([\u4e00-\u9fff]{2,8}(?:模式|框架|协议|算法|架构|引擎|中间件))")
_GENERIC_ZH = re.compile(r"^(核心|整体|基础|基本|技术|系统|总体|典型|通用|新|旧|该|此|这种|一种|我们的|现有|传统|现代|分层)")
_TYPE_CUES = (
    ("framework", ("框架", "framework")),
    ("tool", ("工具", "命令", "CLI", "tool")),
    ("pattern", ("模式", "架构", "pattern")),
    ("protocol", ("协议", "protocol")),
    ("platform", ("平台", "数据库", "集群", "引擎", "服务器", "platform")),
    ("library", ("库", "包", "SDK", "客户端", "library")),
    ("language", ("语言",)),
)
# Capitalised English words that are ordinary prose, not names of things.
_COMMON = frozenset(
    """The This That These Those With When What Where Which While From Into Over Under About After Before Each
    Every Other Some Many Most More Less Only Also Then Than Just Like Such Very Well Good Best Note Step Steps
    Example Examples Input Output Error Errors Server Client Request Response Handler Service Services Config
    Value Values Data Time Type Types Name Names User Users Order Orders Status Level Mode Default Test Tests
    Build Deploy Release Version Update Create Delete Read Write Start Stop Run Running Check Event Events
    Message Model Layer Table Field Fields Path Port Host Node Nodes Pod Cluster Token Cache Queue Worker Task
    Tasks Job Jobs Stage Phase Result Results Summary Overview Introduction Conclusion Part Chapter Section
    Posted Reply Comment Share Agent Mesh Flow Rule Rules Policy Store Core Base Engine Metric Trace Span Log Logs
    Linux Windows Google Apache Netflix Alibaba Uber Microsoft Amazon""".split()
)


def _type_after(text: str, end: int, default: str) -> str:
    following = text[end : end + 6]
    for ctype, cues in _TYPE_CUES:
        if any(following.lstrip().startswith(cue) for cue in cues):
            return ctype
    return default


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

    def known(term: str) -> str | None:
        return matcher.lookup(term)

    for passage in passages:
        text = passage.text
        prose = "code" not in passage.kinds or "paragraph" in passage.kinds
        for match in _PAIR.finditer(text):
            zh, en = match.group(1), match.group(2).strip()
            if re.search(r"\bv?\d+(\.\d+)+\b|\d{3,}", en) or len(en.split()) > 4:
                continue  # "(order-monolith v2.3)", "(QPS 1200)": a version or a figure, not a term
            zh_id, en_id = known(zh), known(en)
            if zh_id and not en_id and len(en) >= 3:
                learnt[zh_id].append(en)
            elif en_id and not zh_id and _clean_zh(zh):
                learnt[en_id].append(_clean_zh(zh))
            elif not zh_id and not en_id and _clean_zh(zh):
                key = alias_key(en)
                seen_in[key].add(passage.id)
                surface[key][en] += 1
                cue = _type_after(text, match.end(), "")
                kind[key][cue or "concept"] += 1 if cue else 0.5  # a cue outweighs the default
                partner[key] = _clean_zh(zh)  # a written pair is evidence enough on its own
        for match in _IMPORT.finditer(text):
            path = match.group(1).rstrip(".")
            if known(path) or any(known(part) for part in path.split("/")[1:]):
                continue
            key = alias_key(path)
            seen_in[key].add(passage.id)
            surface[key][path] += 1
            kind[key]["library"] += 1
        if prose:
            for pattern, needs_cue in ((_CAMEL, False), (_WORD, True)):
                for match in pattern.finditer(text):
                    name = match.group(1)
                    if name in _COMMON or known(name) or len(name) < 4:
                        continue
                    if _looks_like_code(_line_around(text, match.start())):
                        continue
                    ctype = _type_after(text, match.end(), "")
                    if needs_cue and not ctype:
                        continue
                    key = alias_key(name)
                    seen_in[key].add(passage.id)
                    surface[key][name] += 1
                    kind[key][ctype or "tool"] += 1 if ctype else 0.5
            for match in _ZH_PHRASE.finditer(text):
                phrase = match.group(1)
                if known(phrase) or matcher.find(phrase) or _GENERIC_ZH.match(phrase):
                    continue
                key = alias_key(phrase)
                seen_in[key].add(passage.id)
                surface[key][phrase] += 1
                kind[key][_type_after(phrase, len(phrase) - 2, "pattern")] += 1

    # An import path whose last segment is also a discovered name is that concept's alias, not a new one.
    for key in [k for k in seen_in if "/" in k]:
        short = alias_key(key.rsplit("/", 1)[-1])
        if short != key and short in seen_in:
            seen_in[short] |= seen_in.pop(key)
            surface[short].update(surface.pop(key))
            kind.pop(key, None)
    owners = Counter(alias_key(a) for aliases in learnt.values() for a in set(aliases))
    learnt = {cid: [a for a in aliases if owners[alias_key(a)] == 1] for cid, aliases in learnt.items()}
    updated = [
        replace(c, aliases=tuple(dict.fromkeys([*c.aliases, *learnt[c.id]]))) if learnt.get(c.id) else c
        for c in lexicon
    ]
    discovered: list[Concept] = []
    taken = {alias_key(a) for c in updated for a in c.aliases}
    for key, passages_seen in sorted(seen_in.items()):
        if (len(passages_seen) < min_passages and key not in partner) or key in taken:
            continue
        name = surface[key].most_common(1)[0][0]
        aliases = [name, *[s for s in surface[key] if s != name]]
        if key in partner and alias_key(partner[key]) not in taken:
            aliases.append(partner[key])
            taken.add(alias_key(partner[key]))
        taken.add(key)
        cid = concept_id(name)
        if cid in by_id:
            continue
        discovered.append(
            Concept(id=cid, name=name, type=kind[key].most_common(1)[0][0], aliases=tuple(aliases), discovered=True)
        )
    return updated, discovered


def _line_around(text: str, offset: int) -> str:
    end = text.find("\n", offset)
    return text[text.rfind("\n", 0, offset) + 1 : end if end >= 0 else len(text)]


def _clean_zh(text: str) -> str:
    """The noun at the end of a Chinese run before a parenthesis: 使用熔断器 -> 熔断器 is not knowable
    without a parser, so keep runs of at most 6 characters and drop leading function words."""
    text = re.sub(r"^(使用|采用|基于|通过|利用|引入|实现|支持|如|即|的|和|与|及|或)+", "", text)
    if re.search(r"(示例|配置|代码|文件|方式|流程|步骤|说明|版本|场景|阶段|结果|对比|实践|部分)$", text):
        return ""  # "服务注册示例(Spring Boot)" names an example, not a term
    return text if 2 <= len(text) <= 5 else ""


def _looks_like_code(line: str) -> bool:
    return bool(re.search(r":=|[{};]\s*$|^\s*(func|package|import|return)\b|\w+\(.*\)", line))
