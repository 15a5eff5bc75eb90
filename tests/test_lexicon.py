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
