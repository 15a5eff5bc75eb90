"""Every relation rule keeps its promises: each example gives exactly its edge, each counter-example none.

Examples mark concept mentions as ``{Name:type}`` (or ``{surface=Name:type}``); the first marked mention is A, the second B, and the
rule's direction says which one is the source. The vocabulary is the example's own marks, so the rules are
tested apart from the curated lexicon (which others change).
"""
from __future__ import annotations

import re

import pytest

from gokg.ingest.extract import extract_relations
from gokg.ingest.lexicon import ConceptMatcher, concept_id
from gokg.ingest.passages import make_passages
from gokg.ingest.relation_rules import RULES, WHERE, Rule, resolve
from gokg.ingest.structure import parse_blocks
from gokg.models import CONCEPT_TYPES, Concept, Document

# {surface:type}, or {surface=Name:type} when the text names a concept by an alias (性能优化 = Performance Tuning)
MARK = re.compile(r"\{([^{}:=]+)(?:=([^{}:]+))?:(\w+)\}")


def parse(example: str) -> tuple[str, list[Concept]]:
    """The plain text of an example and the concepts it marks, in order of appearance."""
    concepts: dict[str, Concept] = {}
    for surface, name, ctype in MARK.findall(example):
        assert ctype in CONCEPT_TYPES, f"{surface}: type={ctype!r}"
        cid = concept_id(name or surface)
        known = concepts.get(cid)
        aliases = tuple(dict.fromkeys((known.aliases if known else ()) + (surface,)))
        concepts[cid] = Concept(cid, name or surface, ctype, aliases)
    return MARK.sub(lambda m: m.group(1), example), list(concepts.values())


def typed_edges(text: str, concepts: list[Concept]) -> set[tuple[str, str, str]]:
    doc = Document("example.md", "example.md", text, "0")
    passages = make_passages(doc, parse_blocks(text))
    relations = extract_relations(passages, ConceptMatcher(concepts), concepts)
    return {(r.source, r.type, r.target) for r in relations if r.type != "related_to"}


def _cases(kind: str):
    for rule in RULES:
        for i, text in enumerate(rule.examples if kind == "example" else rule.counter):
            yield pytest.param(rule, text, id=f"{rule.name}-{i}")


@pytest.mark.parametrize("rule, example", list(_cases("example")))
def test_example_gives_exactly_its_edge(rule: Rule, example: str):
    text, concepts = parse(example)
    assert len(concepts) == 2, "an example marks exactly two concepts: A, then B"
    a, b = concepts[0].id, concepts[1].id
    expected = (a, rule.relation, b) if rule.direction == "A->B" else (b, rule.relation, a)
    assert typed_edges(text, concepts) == {expected}


@pytest.mark.parametrize("rule, counter", list(_cases("counter")))
def test_counter_example_gives_no_typed_edge(rule: Rule, counter: str):
    text, concepts = parse(counter)
    assert typed_edges(text, concepts) == set()


def test_every_rule_is_documented_by_examples_both_ways():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names)), "rule names are unique"
    for rule in RULES:
        assert rule.examples and rule.counter, f"rule {rule.name} needs examples and counter-examples"
        assert rule.where in WHERE
    covered = {r.relation for r in RULES}
    assert covered == {"uses", "part_of", "is_a", "implements", "alternative_to", "integrates_with", "solves", "measures"}
    assert {r.where for r in RULES} == set(WHERE)


def test_a_bad_row_is_refused_with_its_name():
    with pytest.raises(ValueError, match="rule oops: relation='related_to'"):
        Rule("oops", "related_to", "x")
    with pytest.raises(ValueError, match="direction='A<-B'"):
        Rule("oops", "uses", "x", direction="A<-B")


def test_types_decide_between_two_readings_of_one_cue():
    # 支持: a component that supports a registry integrates with it; one that supports a protocol implements it
    text, concepts = parse("{Kitex:framework} 支持 {Nacos:platform}，{Hertz:framework} 支持 {HTTP/2:protocol}。")
    assert typed_edges(text, concepts) == {("kitex", "integrates_with", "nacos"), ("hertz", "implements", "http/2")}


def test_resolve_applies_direction_and_limits_for_every_source():
    types = {"kitex": "framework", "nacos": "platform", "go": "language", "saga": "pattern", "tcc": "pattern"}
    uses = next(r for r in RULES if r.name == "uses")
    assert resolve(uses, "kitex", "nacos", types) == ("kitex", "uses", "nacos")
    assert resolve(uses, "kitex", "go", types) is None  # written in Go is not "uses"
    solves = next(r for r in RULES if r.name == "solves")
    assert resolve(solves, "saga", "tcc", types) is None  # a pattern is not a problem to solve
    versus = next(r for r in RULES if r.name == "versus")
    assert resolve(versus, "kitex", "nacos", types) is None  # alternatives are of one kind


@pytest.mark.parametrize(
    "example, expected",
    [
        # an enumeration is not a relation between its members
        ("支持 {Seata:framework}、{DTM:framework}、{gRPC:protocol} 和 {Nacos:platform}。", set()),
        # a list that is the object of an earlier verb is not the subject of the next cue
        ("我们对比了 {Kitex:framework}、{Hertz:framework} 使用 {Nacos:platform} 的效果。", set()),
        # contrast and negation across the pair
        ("{Kitex:framework} 并不依赖 {etcd:platform}，但是可以通过插件接入。", set()),
        # what is denied before 而是 gives nothing; what follows it is said of the subject
        ("{Kitex:framework} 没有 {Dubbo:framework} 那样的注册中心，而是使用 {Nacos:platform}。", {("kitex", "uses", "nacos")}),
        ("{Kitex:framework} 不是基于 {Dubbo:framework}，而是基于 {Netpoll:library} 实现的。", {("kitex", "uses", "netpoll")}),
        # a roadmap
        ("下个版本 {Hertz:framework} 将支持 {HTTP/3:protocol}。", set()),
        # a name inside a URL or a link target
        ("参考 https://github.com/cloudwego/{Kitex:framework} 使用 {Nacos:platform} 的示例。", set()),
        ("详见[文档](https://example.com/{Kitex:framework}) 使用 {Nacos:platform}。", set()),
        # inside a code block, comments included
        ("```go\n// {Kitex:framework} 使用 {Nacos:platform} 作为注册中心\ncli := client.New()\n```\n", set()),
        # too far apart for the cue to be about both
        ("{Kitex:framework} 这个框架在字节跳动内部经过了很多年的打磨之后开始使用 {Nacos:platform}。", set()),
        # a name that only qualifies the next one is not a subject ("the MySQL binlog module is built on Flink CDC")
        ("同步模块基于 {Flink CDC:platform} 2.4 构建的 {MySQL:platform} {Binlog:concept} 增量同步", set()),
        # a beneficiary is not a subject: Sentinel brings the circuit breaker, Kitex uses Sentinel
        ("{Sentinel:library} 给 {Kitex:framework} 提供{熔断:pattern}能力。", {("kitex", "uses", "sentinel")}),
    ],
)
def test_guards(example: str, expected: set):
    text, concepts = parse(example)
    assert typed_edges(text, concepts) == expected


def test_a_cue_before_a_list_speaks_for_every_member():
    text, concepts = parse("{Kitex:framework} 支持 {Thrift:protocol}、{Protobuf:protocol} 和 {gRPC:protocol}。")
    assert typed_edges(text, concepts) == {
        ("kitex", "implements", "thrift"),
        ("kitex", "implements", "protobuf"),
        ("kitex", "implements", "grpc"),
    }
    text, concepts = parse("{go-micro:framework}, {Kitex:framework} 内置{服务发现:concept}、{熔断:pattern}")
    assert typed_edges(text, concepts) == {
        (s, "implements", o) for s in ("go-micro", "kitex") for o in ("服务发现", "熔断")
    }


def test_a_compared_pair_is_not_a_list_for_an_outer_cue():
    # "Frugal (combined with Kitex) vs FastThrift": 结合 reaches Kitex, not FastThrift
    text, concepts = parse("下表是 {Frugal:library} 结合 {Kitex:framework} 与 {FastThrift:library} 的性能对比。")
    edges = typed_edges(text, concepts)
    assert ("frugal", "integrates_with", "kitex") in edges
    assert ("frugal", "integrates_with", "fastthrift") not in edges


def test_evidence_is_the_sentence_and_its_line():
    text, concepts = parse("# 网络层\n\n背景介绍。{Hertz:framework} 默认使用 {Netpoll:library}。其余略。\n")
    doc = Document("n.md", "n.md", text, "0")
    relations = extract_relations(make_passages(doc, parse_blocks(text)), ConceptMatcher(concepts), concepts)
    (edge,) = [r for r in relations if r.type != "related_to"]
    assert edge.evidence[0].doc == "n.md" and edge.evidence[0].line == 3
    assert edge.evidence[0].text == "Hertz 默认使用 Netpoll。"
