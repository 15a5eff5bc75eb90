"""Search signals: a registry of ranking functions; SIGNALS stays the default set, in fusion order."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gokg.errors import InputError
from gokg.graph.signals import SIGNAL_REGISTRY, SIGNALS, Query, get_signal, register_signal, top


@pytest.fixture
def kb(hash_index):
    from gokg import KnowledgeBase

    return KnowledgeBase.open(hash_index)  # a fresh one per test: searchers keep caches


@pytest.fixture
def code_signal():
    """A signal registered for one test: passages that contain a code block, longest first."""

    @register_signal("has-code-test", weight=0.25)
    def has_code(searcher, query: Query):
        scores = np.array([p.text.count("\n") + 1.0 if "code" in p.kinds else 0.0 for p in searcher.passages])
        return top(scores, query.depth)

    yield has_code
    SIGNAL_REGISTRY.unregister("has-code-test")


def test_signals_is_the_default_set_in_registration_order():
    assert SIGNALS == ("bm25", "expanded", "dense", "concept", "heading") == SIGNAL_REGISTRY.names()[:5]


def test_a_registered_signal_is_picked_up_only_when_named(kb, code_signal):
    default = kb.search("saga 补偿").to_dict()
    assert all("has-code-test" not in hit["why"]["ranks"] for hit in default["hits"])
    with_code = kb.search("saga 补偿", signals=SIGNALS + ("has-code-test",))
    assert any("has-code-test" in hit.why["ranks"] for hit in with_code.hits)
    assert kb.searcher.weight("has-code-test") == 0.25 and kb.searcher.weight("expanded") == 1.5
    assert kb.search("saga 补偿").to_dict() == default  # registering it changed nothing else
    alone = kb.search("saga 补偿", signals=("has-code-test",)).hits
    assert alone and all(set(hit.why["ranks"]) == {"has-code-test"} for hit in alone)


def test_unknown_signal_names_the_signals(kb, code_signal):
    with pytest.raises(InputError) as error:
        kb.search("saga", signals=("bm25", "sparse"))
    assert str(error.value) == "signal='sparse': use 'bm25', 'expanded', 'dense', 'concept', 'heading' or 'has-code-test'"
    with pytest.raises(InputError, match="signal='nope'"):
        get_signal("nope")


def test_signal_order_does_not_depend_on_how_they_are_asked_for(kb):
    assert kb.search("熔断 sentinel", signals=("concept", "bm25")).to_dict() == \
        kb.search("熔断 sentinel", signals=("bm25", "concept")).to_dict()
    assert kb.search("熔断 sentinel", signals="bm25").to_dict() == kb.search("熔断 sentinel", signals=("bm25",)).to_dict()


def test_each_signal_returns_plain_ranked_pairs(kb):
    searcher = kb.searcher
    lists = searcher.ranked_lists("circuit breaker 熔断", searcher.link_concepts("circuit breaker 熔断"))
    assert list(lists) == list(SIGNALS)
    for name, ranked in lists.items():
        assert 0 < len(ranked) <= 100, name
        assert all(type(pid) is int and type(score) is float for pid, score in ranked), name
        assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True), name


@given(st.lists(st.sampled_from([0.0, -1.0, 0.5, 1.0, 1.5, 2.0, 3.25]), max_size=60), st.integers(0, 70))
def test_top_is_the_best_scores_with_ties_by_passage_id(values, depth):
    # The slow, obviously correct reference: every positive score sorted by (-score, passage id).
    expected = sorted(((i, v) for i, v in enumerate(values) if v > 0), key=lambda item: (-item[1], item[0]))[:depth]
    assert top(np.array(values, dtype=np.float64), depth) == expected


def test_postings_are_the_passages_whose_indexed_tokens_hold_the_token(kb):
    searcher = kb.searcher
    scores = searcher.lexical.scores(["saga"])
    assert sorted(searcher.lexical.postings("saga").tolist()) == np.flatnonzero(scores > 0).tolist()
    assert searcher.lexical.postings("no-such-token-anywhere").size == 0


def test_bm25_weighs_less_for_a_query_its_best_passages_barely_contain(kb):
    """A query in the articles' words keeps BM25's weight; one in other words (a paraphrase) loses most of it,
    so the vectors and concepts rank its answers instead of passages that share its common words."""
    from gokg.graph.signals import lexical_coverage

    searcher = kb.searcher

    def bm25_weight(text: str) -> tuple[float, float]:
        query = searcher.query(text)
        lists = searcher.ranked_lists(text, list(query.linked))
        return lexical_coverage(searcher, query, lists), searcher.query_weights(query, lists)["bm25"]

    own_coverage, own_weight = bm25_weight("saga 补偿")
    other_coverage, other_weight = bm25_weight("程序跑久了占的内存越来越大，重启才恢复，怎么查是哪里没放掉")
    assert own_coverage == pytest.approx(1.0) and own_weight == pytest.approx(kb.searcher.weights.bm25)
    assert other_coverage < 0.5 and other_weight == pytest.approx(other_coverage * kb.searcher.weights.bm25)


def test_a_concept_only_hinted_or_described_weighs_less_than_one_the_query_names(kb):
    """Where the articles do not mention what the query names, a hinted neighbour (or a concept linked by its
    description) is a guess: the concept signal then weighs in proportion to that link's confidence."""
    from gokg.graph.results import LinkedConcept
    from gokg.graph.signals import HINT_SCORE, KNOWN_FLOOR

    searcher = kb.searcher
    named = searcher.query("熔断 降级")
    assert named.linked and max(c.score for c in named.linked) == 1.0
    hinted = Query(named.text, named.tokens, tuple(LinkedConcept(c.id, c.name, c.type, HINT_SCORE) for c in named.linked), named.depth)
    lists = searcher.ranked_lists(named.text, list(named.linked))
    named_weight = searcher.query_weights(named, lists)["concept"]
    hinted_weight = searcher.query_weights(hinted, lists)["concept"]
    assert hinted_weight < named_weight
    assert hinted_weight == pytest.approx(HINT_SCORE * searcher.weights.concept * KNOWN_FLOOR)  # no tokens covered


def test_the_heading_signal_weighs_in_only_for_a_query_that_names_a_known_concept(kb):
    """Without a named concept a heading can only share the query's words, which BM25 already reads."""
    searcher = kb.searcher

    def heading_weight(text: str) -> float:
        query = searcher.query(text)
        lists = searcher.ranked_lists(text, list(query.linked))
        assert lists.get("heading"), "a heading names the query's words"
        return searcher.query_weights(query, lists)["heading"]

    assert heading_weight("saga 补偿") == pytest.approx(searcher.weight("heading"))
    assert heading_weight("版本 兼容性 检查") == 0.0  # a heading holds these words, the query names nothing
