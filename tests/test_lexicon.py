"""The lexicon: well-formed, no alias owned twice, matched in both languages."""
from __future__ import annotations

import pytest

from gokg.errors import InputError
from gokg.ingest.lexicon import ConceptMatcher, load_lexicon
from gokg.models import CONCEPT_TYPES


@pytest.fixture(scope="module")
def matcher():
    return ConceptMatcher(load_lexicon())


def test_lexicon_is_broad_and_typed():
    concepts = load_lexicon()
    assert len(concepts) >= 300
    assert {c.type for c in concepts} == set(CONCEPT_TYPES)
    assert len({c.id for c in concepts}) == len(concepts)


@pytest.mark.parametrize(
    ("alias", "name"),
    [("熔断器", "circuit-breaker"), ("circuit breaker", "circuit-breaker"), ("Circuit-Breaker", "circuit-breaker"),
     ("服务发现", "service-discovery"), ("Saga模式", "saga"), ("otel", "opentelemetry"), ("协程", "goroutine"),
     ("ＳＡＧＡ", "saga"), ("服務發現", "service-discovery"), ("SYNC.POOL", "sync.pool")],
)
def test_lookup_in_both_languages(matcher, alias, name):
    assert matcher.lookup(alias) == name


def test_ascii_aliases_match_whole_words_only(matcher):
    found = [m.concept_id for m in matcher.find("Google 的 Gopher 用 Go 写 gRPC-Gateway 和 sync.Pool")]
    assert found == ["go", "grpc-gateway", "sync.pool"]


def test_short_aliases_are_case_sensitive(matcher):
    assert [m.concept_id for m in matcher.find("the tcc and TCC")] == ["tcc"]


def test_alias_claimed_twice_is_an_error(tmp_path):
    path = tmp_path / "lex.tsv"
    path.write_text("A\tconcept\tfoo|barz\nB\tconcept\tBARZ\n", "utf-8")
    with pytest.raises(InputError, match=r"lex.tsv:2: alias 'BARZ' of B already belongs to A"):
        load_lexicon(path)


def test_bad_type_names_the_line(tmp_path):
    path = tmp_path / "lex.tsv"
    path.write_text("# comment\nA\tthing\tfoo\n", "utf-8")
    with pytest.raises(InputError, match="lex.tsv:2: type='thing'"):
        load_lexicon(path)


def test_hints_name_real_concepts(tmp_path):
    concepts = {c.id: c for c in load_lexicon()}
    assert ("implements", "circuit-breaker") in concepts["sentinel"].hints
    assert all(target in concepts for c in concepts.values() for _, target in c.hints)
    path = tmp_path / "lex.tsv"
    path.write_text("A\tconcept\ta1\t\tsolves:Nothing Here\n", "utf-8")
    with pytest.raises(InputError, match="lex.tsv:1: hint names 'nothing-here'"):
        load_lexicon(path)


def test_a_bare_alias_is_no_mention_as_the_head_of_a_longer_name(matcher, tmp_path):
    # 调度器 alone is Go's scheduler; a delayed-task scheduler or a product's scheduler is another thing
    def found(text):
        return [m.concept_id for m in matcher.find(text)]

    assert found("GMP 之外，调度器的 P 也管本地队列") == ["gmp-scheduler", "gmp-scheduler"]
    assert "gmp-scheduler" not in found("Netpoll 核心是 Reactor 事件监听调度器")
    assert found("Weirgate 调度器负责数据迁移") == []
    # so is 运行时: Go's runtime alone or named, not an actor runtime or a container runtime
    assert "go-runtime" in found("运行时会在 GC 时清空它") and "go-runtime" in found("Go 运行时负责调度")
    assert "go-runtime" not in found("Hivelet 是承载业务逻辑的 Actor 运行时") + found("containerd 是容器运行时")
    path = tmp_path / "lex.tsv"
    path.write_text("Shard Router\tconcept\tShard Router|~路由器\n", "utf-8")
    router = next(c for c in load_lexicon(path) if c.name == "Shard Router")
    assert router.bare == ("路由器",) and "路由器" in router.aliases
    mine = ConceptMatcher([router])
    assert [m.surface for m in mine.find("路由器把请求转给分片；家用无线路由器不是它")] == ["路由器"]
