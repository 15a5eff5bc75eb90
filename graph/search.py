"""Hybrid search: BM25 over jieba tokens, dense e5 vectors in faiss and a concept signal, fused by
weighted reciprocal-rank fusion; the query is linked to concepts, whose aliases expand the lexical query.
"""
from __future__ import annotations

import difflib
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import numpy as np

from gokg.errors import InputError
from gokg.ingest.lexicon import ConceptMatcher
from gokg.models import Concept, Mention, Passage
from gokg.ingest.normalize import alias_key
from gokg.ingest.tokenize import Tokenizer

from .lexical import LexicalIndex
from .results import Hit, LinkedConcept, SearchResult
from .vectors import VectorIndex

__all__ = ["Searcher", "FusionWeights", "SIGNALS"]

SIGNALS = ("bm25", "expanded", "dense", "concept")
NEIGHBOUR_WEIGHT = 0.1  # a passage about a graph neighbour of a linked concept
HINT_SCORE = 0.3  # dev set: 0.2-0.5 within 0.001 nDCG; hints matter for queries naming a problem


@dataclass(frozen=True)
class FusionWeights:
    """Weights of each ranked list in reciprocal-rank fusion, tuned on the dev set as a whole."""

    bm25: float = 1.0
    expanded: float = 1.5
    dense: float = 0.5
    concept: float = 1.0
    rrf_k: int = 30
    depth: int = 100  # how deep each list is read


class Searcher:
    def __init__(
        self,
        passages: list[Passage],
        concepts: list[Concept],
        mentions: list[Mention],
        graph: nx.MultiDiGraph,
        lexical: LexicalIndex,
        vectors: VectorIndex,
        tokenizer: Tokenizer,
        encode_query: Callable[[str], np.ndarray],
        weights: FusionWeights = FusionWeights(),
        matcher: ConceptMatcher | None = None,
    ):
        self.passages = passages
        self.concepts = {c.id: c for c in concepts}
        self.graph = graph
        self.lexical = lexical
        self.vectors = vectors
        self.tokenizer = tokenizer
        self.encode_query = encode_query
        self.weights = weights
        self.matcher = matcher or ConceptMatcher(concepts)
        self._passage_tokens: dict[int, frozenset[str]] = {}
        self._concept_tokens: dict[str, list[str]] = {}
        # Curated hints (Sentinel implements 熔断, 熔断 solves 雪崩), in both directions.
        self._hinted: dict[str, set[str]] = defaultdict(set)
        for concept in concepts:
            for _, target in concept.hints:
                self._hinted[concept.id].add(target)
                self._hinted[target].add(concept.id)
        self._ascii_keys = {alias_key(a): c.id for c in concepts for a in c.aliases if a.isascii() and len(alias_key(a)) >= 5}
        self.passage_concepts: dict[int, list[str]] = defaultdict(list)
        self.concept_passages: dict[str, set[int]] = defaultdict(set)
        for mention in mentions:
            if mention.concept_id not in self.passage_concepts[mention.passage_id]:
                self.passage_concepts[mention.passage_id].append(mention.concept_id)
            self.concept_passages[mention.concept_id].add(mention.passage_id)

    # -- query understanding -------------------------------------------------------------------
    def link_concepts(self, query: str) -> list[LinkedConcept]:
        """Concepts the query is about that the articles mention (see :meth:`link_all`)."""
        return [c for c in self.link_all(query) if c.id in self.graph]

    def link_all(self, query: str) -> list[LinkedConcept]:
        """Concepts the query is about: exact aliases in either language, then tolerant of small typos;
        including lexicon concepts that no indexed article mentions."""
        scores: dict[str, float] = {}

        def link(cid: str | None, score: float) -> None:
            if cid:
                scores[cid] = max(scores.get(cid, 0.0), score)

        for match in self.matcher.find(query):
            link(match.concept_id, 1.0)
        words = query.replace("，", " ").replace(",", " ").split()
        # English phrases in the plural ("circuit breakers", "goroutines"): singular forms of 1-3 words.
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                phrase = words[start : start + size]
                if all(w.isascii() for w in phrase):
                    for last in _singulars(phrase[-1]):
                        link(self.matcher.lookup(" ".join([*phrase[:-1], last])), 1.0)
        for word in words:
            cid = self.matcher.lookup(word)
            link(cid, 1.0)
            if cid is None and word.isascii() and len(word) >= 6 and not self.matcher.find(word) and not any(
                self.matcher.lookup(w) for w in _singulars(word)
            ):
                key = alias_key(word)
                close = [c for c in difflib.get_close_matches(key, list(self._ascii_keys), n=3, cutoff=0.84)
                         if abs(len(c) - len(key)) <= 2]  # a typo, not a longer name ("services" is not "service mesh")
                if close:
                    link(self._ascii_keys[close[0]], 0.8)
        for cid, score in list(scores.items()):
            for hinted in self._hinted.get(cid, ()):
                if hinted not in scores:
                    scores[hinted] = HINT_SCORE * score  # what an engineer would also look for
        linked = [
            LinkedConcept(cid, self.concepts[cid].name, self.concepts[cid].type, round(score, 3))
            for cid, score in scores.items()
            if cid in self.concepts
        ]
        return sorted(linked, key=lambda c: (-c.score, c.name))

    # -- ranking -------------------------------------------------------------------------------
    def ranked_lists(self, query: str, linked: list[LinkedConcept], signals=SIGNALS) -> dict[str, list[tuple[int, float]]]:
        depth = min(self.weights.depth, len(self.passages))
        lists: dict[str, list[tuple[int, float]]] = {}
        tokens = self.tokenizer(query)
        if "bm25" in signals:
            lists["bm25"] = _top(self.lexical.scores(tokens), depth)
        if "expanded" in signals and linked:
            expansion: list[str] = []
            for concept in linked:
                if concept.score <= HINT_SCORE:
                    continue  # hinted concepts weigh in through the concept signal only
                expansion.extend(self._alias_tokens(concept.id))
            lists["expanded"] = _top(self.lexical.scores(tokens + list(dict.fromkeys(expansion))), depth)
        if "dense" in signals:
            ids, scores = self.vectors.search(self.encode_query(query), depth)
            lists["dense"] = list(zip(ids, scores))
        if "concept" in signals and linked:
            lists["concept"] = self._concept_ranking(linked, depth)
        return {name: ranked for name, ranked in lists.items() if ranked}

    def _concept_ranking(self, linked: list[LinkedConcept], depth: int) -> list[tuple[int, float]]:
        """Passages that mention the linked concepts; graph neighbours add a weaker signal."""
        score: dict[int, float] = defaultdict(float)
        for concept in linked:
            # A concept that few passages mention says more about a passage than one that many do.
            weight = concept.score * self._idf(concept.id)
            for pid in self.concept_passages.get(concept.id, ()):
                score[pid] += weight
            if concept.id in self.graph:
                for neighbour in set(self.graph.successors(concept.id)) | set(self.graph.predecessors(concept.id)):
                    for pid in self.concept_passages.get(neighbour, ()):
                        score[pid] += NEIGHBOUR_WEIGHT * weight
        ranked = sorted(score.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:depth]

    def _alias_tokens(self, concept_id: str) -> list[str]:
        tokens = self._concept_tokens.get(concept_id)
        if tokens is None:  # tokenized on first use, then kept
            tokens = self._concept_tokens[concept_id] = [t for a in self.concepts[concept_id].aliases for t in self.tokenizer(a)]
        return tokens

    def _idf(self, concept_id: str) -> float:
        df = len(self.concept_passages.get(concept_id, ())) or 1
        return math.log(1 + len(self.passages) / df)

    def search(self, query: str, k: int = 10, signals=SIGNALS) -> SearchResult:
        query = (query or "").strip()
        if not query:
            raise InputError("empty query: type a few words, e.g. `saga 补偿`")
        if k < 1:
            raise InputError(f"k={k}, k must be >= 1")
        everything = self.link_all(query)
        linked = [c for c in everything if c.id in self.graph]
        lists = self.ranked_lists(query, linked, signals)
        fused: dict[int, float] = defaultdict(float)
        ranks: dict[int, dict[str, int]] = defaultdict(dict)
        for name, ranked in lists.items():
            weight = getattr(self.weights, name)
            for rank, (pid, _) in enumerate(ranked, start=1):
                fused[pid] += weight / (self.weights.rrf_k + rank)
                ranks[pid][name] = rank
        dense_scores = dict(lists.get("dense", []))
        order = self._diversified(sorted(fused, key=lambda pid: (-fused[pid], pid)), k)
        linked_ids = {c.id for c in linked}
        query_tokens = list(dict.fromkeys(self.tokenizer(query)))
        hits = []
        for pid in order:
            passage = self.passages[pid]
            mentioned = self.passage_concepts.get(pid, [])
            ordered = sorted(mentioned, key=lambda cid: cid not in linked_ids)
            hits.append(
                Hit(
                    doc=passage.doc,
                    line_start=passage.line_start,
                    line_end=passage.line_end,
                    section=passage.section,
                    text=passage.text,
                    score=round(float(fused[pid]), 6),
                    concepts=[self.concepts[cid].name for cid in ordered],
                    why={
                        "ranks": ranks[pid],
                        "dense_similarity": round(float(dense_scores[pid]), 4) if pid in dense_scores else None,
                        "matched_terms": [t for t in query_tokens if t in self._tokens_of(passage)],
                        "matched_concepts": [self.concepts[cid].name for cid in ordered if cid in linked_ids],
                    },
                )
            )
        absent = [c for c in everything if c.id not in self.graph]
        return SearchResult(query=query, concepts=linked, hits=hits, absent=absent)

    def _tokens_of(self, passage: Passage) -> frozenset[str]:
        tokens = self._passage_tokens.get(passage.id)
        if tokens is None:  # tokenized on first use, then kept: hits recur across queries
            tokens = self._passage_tokens[passage.id] = frozenset(self.tokenizer(passage.section + "\n" + passage.text))
        return tokens

    def _diversified(self, ranked: list[int], k: int, threshold: float = 0.9) -> list[int]:
        """The top ``k``, skipping near-duplicates of a better hit (a section copied between articles)."""
        chosen: list[int] = []
        for pid in ranked:
            tokens = self._tokens_of(self.passages[pid])
            if any(_jaccard(tokens, self._tokens_of(self.passages[other])) >= threshold for other in chosen):
                continue
            chosen.append(pid)
            if len(chosen) == k:
                break
        return chosen


def _singulars(word: str) -> list[str]:
    """``breakers`` -> breaker; ``proxies`` -> proxy; ``classes`` -> class (only for English words)."""
    lower = word.lower()
    if len(lower) < 4 or not lower.isalpha() or not lower.endswith("s") or lower.endswith("ss"):
        return []
    forms = [word[:-1]]
    if lower.endswith("ies"):
        forms.append(word[:-3] + "y")
    if lower.endswith("es"):
        forms.append(word[:-2])
    return forms


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _top(scores: np.ndarray, depth: int) -> list[tuple[int, float]]:
    if scores.size == 0:
        return []
    positive = np.flatnonzero(scores > 0)
    if positive.size == 0:
        return []
    top = positive[np.argsort(-scores[positive], kind="stable")[:depth]]
    return [(int(i), float(scores[i])) for i in top]
