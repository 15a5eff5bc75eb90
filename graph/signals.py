"""Search signals: each ranks passages for a query its own way; :func:`~gokg.graph.fusion.fuse` merges them.

A signal is one function ``signal(searcher, query) -> [(passage id, score), ...]``, best first, at most
``query.depth`` long (an empty list when it has nothing to say), registered by name. The built-in ones,
in :data:`SIGNALS` order: ``bm25`` (BM25 over the query's jieba tokens), ``expanded`` (BM25 with the
aliases of the linked concepts added), ``dense`` (cosine of encoder vectors) and ``concept`` (passages
that mention the linked concepts or their graph neighbours) and ``heading`` (passages whose heading path
names the query's terms and concepts).

Another signal is one module, ``graph/signal_<name>.py`` (imported on the first search)::

    from gokg.graph.signals import register_signal, top

    @register_signal("section", weight=0.5)
    def section(searcher, query):
        ...
        return top(scores, query.depth)  # scores: a numpy array with one score per passage

A new signal is off until a search names it (``kb.search(q, signals=SIGNALS + ("section",))``); its
fusion weight is the registered one unless :class:`~gokg.graph.fusion.FusionWeights` has a field of
that name.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gokg.errors import InputError
from gokg.ingest.registry import Registry

from .results import LinkedConcept

if TYPE_CHECKING:
    from .search import Searcher

__all__ = [
    "SIGNALS", "SIGNAL_REGISTRY", "Query", "Signal", "register_signal", "get_signal", "check_signals", "top",
    "HINT_SCORE", "NEIGHBOUR_WEIGHT", "MIN_HEADING_SHARE", "KNOWN_FLOOR", "concept_coverage", "names_a_known_concept",
    "lexical_coverage", "LEXICAL_TOP",
]

SIGNALS = ("bm25", "expanded", "dense", "concept", "heading")  # the default signals, in fusion order
NEIGHBOUR_WEIGHT = 0.1  # a passage about a graph neighbour of a linked concept
KNOWN_FLOOR = 0.7  # the concept signal's share of its weight when the concepts cover none of the query's tokens
MIN_HEADING_SHARE = 0.2  # a heading naming less of the query than this says little about the passage
LEXICAL_TOP = 3  # how many of BM25's best passages judge how much of the query it found
HINT_SCORE = 0.3  # dev set: 0.2-0.5 within 0.001 nDCG; hints matter for queries naming a problem

Ranked = list[tuple[int, float]]


@dataclass(frozen=True)
class Query:
    """What every signal (and reranker) gets: the query, its tokens, its linked concepts, the list depth."""

    text: str
    tokens: tuple[str, ...]
    linked: tuple[LinkedConcept, ...]
    depth: int


@dataclass(frozen=True)
class Signal:
    """A registered signal: its name, its ranking function and its default fusion weight."""

    name: str
    rank: Callable[["Searcher", Query], Ranked]
    weight: float = 1.0  # its fusion weight where FusionWeights has no field of this name
    # How much the signal can know about this query, from 0 to 1, given every signal's ranked list: its
    # fusion weight is scaled by it (None: 1).
    knows: Callable[["Searcher", Query, dict[str, Ranked]], float] | None = None


SIGNAL_REGISTRY: Registry[Signal] = Registry("signal", error=InputError, plugins=("gokg.graph", "signal_"))


def register_signal(name: str, *, weight: float = 1.0,
                    knows: Callable[["Searcher", Query, dict[str, Ranked]], float] | None = None,
                    replace: bool = False):
    """Decorator: register ``function(searcher, query) -> [(passage id, score), ...]`` as signal ``name``;
    ``knows(searcher, query, lists)`` (0 to 1) scales its fusion weight by how much it can know about the query."""
    if not isinstance(name, str) or ":" in name:
        raise ValueError(f"signal name {name!r}: a signal is one name, without ':'")

    def add(function: Callable[["Searcher", Query], Ranked]) -> Callable[["Searcher", Query], Ranked]:
        SIGNAL_REGISTRY.register(name, Signal(name, function, float(weight), knows), replace=replace)
        return function

    return add


def get_signal(name: str) -> Signal:
    """The registered signal ``name``; ``InputError`` naming the signals otherwise."""
    return SIGNAL_REGISTRY.get(name)


def check_signals(signals: Iterable[str] | str) -> tuple[str, ...]:
    """The requested signals in registration order (the order their scores are added in).

    >>> check_signals(("concept", "bm25"))
    ('bm25', 'concept')
    >>> check_signals("dense")
    ('dense',)
    >>> check_signals(("bm25", "sparse"))
    Traceback (most recent call last):
    ...
    gokg.errors.InputError: signal='sparse': use 'bm25', 'expanded', 'dense', 'concept' or 'heading'
    """
    wanted = {signals} if isinstance(signals, str) else set(signals)
    for name in wanted:
        SIGNAL_REGISTRY.get(name)  # an unknown name is an error, not a silently empty result
    return tuple(name for name in SIGNAL_REGISTRY.names() if name in wanted)


def top(scores: np.ndarray, depth: int) -> Ranked:
    """The ``depth`` best passages with a positive score, best first (ties by passage id).

    >>> top(np.array([0.0, 2.5, 1.0, 2.5]), 2)
    [(1, 2.5), (3, 2.5)]
    """
    if scores.size == 0:
        return []
    positive = np.flatnonzero(scores > 0)
    if positive.size == 0:
        return []
    if positive.size > depth > 0:
        # Only what can make the top: scores up to the depth-th best, all of its ties (sorting all the
        # positive scores of a 10,000-article corpus cost more than the rest of the signal).
        kth = np.partition(scores[positive], positive.size - depth)[positive.size - depth]
        positive = positive[scores[positive] >= kth]
    best = positive[np.argsort(-scores[positive], kind="stable")[:depth]]
    return [(int(i), float(scores[i])) for i in best]


def lexical_coverage(searcher: "Searcher", query: Query, lists: dict[str, Ranked]) -> float:
    """How much of the query BM25 found: the idf-weighted share of the query's tokens (those some passage has)
    that its best :data:`LEXICAL_TOP` passages contain, on average. A query in the articles' own words is
    mostly found (0.7 to 1 on both dev sets); a paraphrase shares only common words with its answers (0.1 to
    0.45), its BM25 list ranks whatever holds those words, and the vectors should speak instead."""
    best = [pid for pid, _ in lists.get("bm25", [])[:LEXICAL_TOP]]
    postings = {token: searcher.lexical.postings(token) for token in dict.fromkeys(query.tokens)}
    idf = {token: math.log(1 + len(searcher.passages) / (len(ids) + 1)) for token, ids in postings.items() if len(ids)}
    total = sum(idf.values())
    if not best or not total:
        return 1.0
    found = sum(idf[token] * int(np.isin(best, postings[token]).sum()) for token in idf)
    return found / (total * len(best))


@register_signal("bm25", knows=lexical_coverage)
def bm25(searcher: "Searcher", query: Query) -> Ranked:
    return top(searcher.lexical.scores(list(query.tokens)), query.depth)


def concept_coverage(searcher: "Searcher", query: Query, lists: dict[str, Ranked] | None = None) -> float:
    """How much of the query the concept layer understands: ``KNOWN_FLOOR`` plus the rest in proportion to
    the share of the query's tokens that belong to the concepts it names, times how sure the strongest link
    is (1 for a name the query writes; less for a concept only its description or a hint links, a guess that
    should not outvote the text where the articles do not mention what the query names)."""
    tokens = set(query.tokens)
    confidence = max((linked.score for linked in query.linked), default=1.0)
    if not tokens:
        return KNOWN_FLOOR * confidence
    covered: set[str] = set()
    for linked in query.linked:
        if linked.score > HINT_SCORE:
            covered.update(searcher.alias_tokens(linked.id))
    return (KNOWN_FLOOR + (1 - KNOWN_FLOOR) * len(tokens & covered) / len(tokens)) * confidence


@register_signal("expanded")
def expanded(searcher: "Searcher", query: Query) -> Ranked:
    """BM25 with the aliases of the concepts the query names (so 熔断 finds "circuit breaker")."""
    if not query.linked:
        return []
    expansion: list[str] = []
    for concept in query.linked:
        if concept.score <= HINT_SCORE:
            continue  # hinted concepts weigh in through the concept signal only
        expansion.extend(searcher.alias_tokens(concept.id))
    return top(searcher.lexical.scores(list(query.tokens) + list(dict.fromkeys(expansion))), query.depth)


@register_signal("dense")
def dense(searcher: "Searcher", query: Query) -> Ranked:
    ids, scores = searcher.vectors.search(searcher.query_vector(query.text), query.depth)
    return list(zip(ids, scores))


@register_signal("concept", knows=concept_coverage)
def concept(searcher: "Searcher", query: Query) -> Ranked:
    """Passages that mention the linked concepts; graph neighbours add a weaker signal."""
    if not query.linked:
        return []
    # One array over all passages, added to a concept at a time: the cost grows with the passages that
    # mention the concepts, in numpy, not in Python (a concept of a 10,000-article corpus has thousands).
    score = np.zeros(len(searcher.passages))
    touched = np.zeros(len(searcher.passages), dtype=bool)

    def add(concept_id: str, weight: float) -> None:
        pids = searcher.passages_mentioning(concept_id)
        score[pids] += weight  # a passage is once in pids: one addition each, in the order of the loop below
        touched[pids] = True

    for linked in query.linked:
        # A concept that few passages mention says more about a passage than one that many do.
        weight = linked.score * _idf(searcher, linked.id)
        add(linked.id, weight)
        if linked.id in searcher.graph:
            for neighbour in set(searcher.graph.successors(linked.id)) | set(searcher.graph.predecessors(linked.id)):
                add(neighbour, NEIGHBOUR_WEIGHT * weight)
    pids = np.flatnonzero(touched)
    best = pids[np.lexsort((pids, -score[pids]))[: query.depth]]  # by score, ties by passage id
    return [(int(pid), float(score[pid])) for pid in best]


def names_a_known_concept(searcher: "Searcher", query: Query, lists: dict[str, Ranked] | None = None) -> float:
    """1 when the query names a concept the articles mention, else 0: the heading signal's weight. Without
    one, a heading can only share the query's words, and BM25 already reads those (in the passage's own
    text and heading); where the graph knows little of a corpus, counting them twice outvotes the vectors
    (``benchmarks/sparse_graph.py``)."""
    return 1.0 if any(linked.score > HINT_SCORE for linked in query.linked) else 0.0


@register_signal("heading", knows=names_a_known_concept)
def heading(searcher: "Searcher", query: Query) -> Ranked:
    """Passages whose heading path names the query's terms and the concepts it names (its own heading counts
    more than the ones above it): the section whose heading is the question."""
    terms = list(query.tokens) + [f"concept:{c.id}" for c in query.linked if c.score > HINT_SCORE]
    shares = searcher.headings.shares(terms)
    pids = np.flatnonzero(shares >= MIN_HEADING_SHARE)
    best = pids[np.lexsort((pids, -shares[pids]))[: query.depth]]  # by share, ties by passage id
    return [(int(pid), float(shares[pid])) for pid in best]


def _idf(searcher: "Searcher", concept_id: str) -> float:
    df = len(searcher.concept_passages.get(concept_id, ())) or 1
    return math.log(1 + len(searcher.passages) / df)
