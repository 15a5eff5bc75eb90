"""Hybrid search: BM25 over jieba tokens, dense e5 vectors in faiss and a concept signal, fused by
weighted reciprocal-rank fusion; the query is linked to concepts, whose aliases expand the lexical query.

The signals are registered in :mod:`.signals`, the fusion is :func:`.fusion.fuse`, and an optional
reranker (:mod:`.rerank`, off by default) can reorder the fused top passages.
"""
from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import fields

import networkx as nx
import numpy as np

from gokg.errors import InputError
from gokg.ingest.lexicon import ConceptMatcher
from gokg.models import Concept, Mention, Passage
from gokg.ingest.normalize import alias_key
from gokg.ingest.tokenize import Tokenizer

from .answers import Answer, Neighbours, group_passages, merged_text, share_limited, common_section
from .fusion import FusionWeights, demote, fuse, fused_ranks
from .lexical import LexicalIndex
from .rerank import Reranker, load_reranker
from .hit_tokens import hit_text
from .sections import HeadingIndex, pointer_share
from .results import Hit, LinkedConcept, SearchResult
from .signals import HINT_SCORE, SIGNALS, Query, check_signals, get_signal
from .vectors import VectorIndex

__all__ = ["Searcher", "FusionWeights", "SIGNALS"]

RERANK_DEPTH = 30  # how many of the fused top passages a reranker sees
MAX_HIT_LINES = 40  # a hit made of adjacent passages spans at most this many original lines
MERGE_POOL = 30  # adjacent passages of one section merge when both are among the fused top MERGE_POOL
DESCRIBED_SCORE = 0.5  # a concept whose description is clearly the query's meaning: between hinted and named
DESCRIBED_Z = 3.0  # "clearly": its similarity this many standard deviations above the concepts' mean
FILE_SHARE = 0.5  # among the first n hits, one file has at most ceil(FILE_SHARE * n) ...
POINTER_PENALTY = 0.5  # a passage that only points elsewhere (links, "see also") loses up to half its score
RELEVANT = 0.9  # ... unless the best hit of another file scores less than RELEVANT times as much
NEAR_DUPLICATE = 0.9  # a hit whose tokens have this Jaccard index with a better hit's is a copy of it


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
        reranker: Reranker | str | None = None,
        rerank_depth: int = RERANK_DEPTH,
        hit_tokens: Callable[[int], frozenset[str]] | None = None,
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
        self.neighbours = Neighbours(passages)
        self._headings: HeadingIndex | None = None
        self._descriptions: tuple[list[str], np.ndarray] | None = None
        self._pointers: dict[int, float] | None = None
        self._passage_tokens: dict[int, frozenset[str]] = {}
        self._hit_tokens = hit_tokens  # saved at build time (graph/hit_tokens.py); None: tokenize hits here
        self._concept_tokens: dict[str, list[str]] = {}
        self._mentioning: dict[str, np.ndarray] = {}
        self._last_vector: tuple[str, np.ndarray | None] = ("", None)
        # Curated hints (Sentinel implements 熔断, 熔断 solves 雪崩), in both directions.
        self._hinted: dict[str, set[str]] = defaultdict(set)
        for concept in concepts:
            for _, target in concept.hints:
                self._hinted[concept.id].add(target)
                self._hinted[target].add(concept.id)
        self._ascii_keys = {alias_key(a): c.id for c in concepts for a in c.aliases if a.isascii() and len(alias_key(a)) >= 5}
        self._keys_by_length: dict[int, list[str]] = defaultdict(list)
        for key in self._ascii_keys:
            self._keys_by_length[len(key)].append(key)
        self.passage_concepts: dict[int, list[str]] = defaultdict(list)
        self.concept_passages: dict[str, set[int]] = defaultdict(set)
        for mention in mentions:
            if mention.concept_id not in self.passage_concepts[mention.passage_id]:
                self.passage_concepts[mention.passage_id].append(mention.concept_id)
            self.concept_passages[mention.concept_id].add(mention.passage_id)
        if rerank_depth < 1:
            raise InputError(f"rerank_depth={rerank_depth}, rerank_depth must be >= 1")
        self.rerank_depth = rerank_depth
        self.reranker: Reranker | None = None
        self.set_reranker(reranker)

    def set_reranker(self, reranker: Reranker | str | None) -> None:
        """Rerank the fused top passages with ``reranker`` (a registered name or an object); None: off."""
        if isinstance(reranker, str):
            reranker = load_reranker(reranker, self)
        elif reranker is not None and not isinstance(reranker, Reranker):
            raise InputError(f"reranker={reranker!r}: needs a name and rerank(query, passages, scores)")
        self.reranker = reranker

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
                # A typo keeps the length within 2 ("services" is not "service mesh"); only those keys are compared.
                near = [c for size in range(len(key) - 2, len(key) + 3) for c in self._keys_by_length.get(size, ())]
                close = difflib.get_close_matches(key, near, n=1, cutoff=0.84)
                if close:
                    link(self._ascii_keys[close[0]], 0.8)
        # Only for a query that names no known concept: one that does says what it is about, and when the articles
        # do not mention it ("saga 补偿" over docs without Saga) the closest description would be a guess shown as a match.
        described = None if scores else self.described(query)
        if described is not None and described not in scores:
            scores[described] = DESCRIBED_SCORE  # a paraphrase: 请求太多时直接拒绝一部分 -> Rate Limiting
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

    def described(self, query: str) -> str | None:
        """The concept whose name and description the query's vector is clearly closest to (z-score of its
        cosine among all described concepts >= :data:`DESCRIBED_Z`), or None. Scale-free, so any encoder
        works; with one whose vectors mean little (``hash``) nothing stands out."""
        ids, vectors = self.description_vectors
        if len(ids) < 3:
            return None
        sims = vectors @ self.query_vector(query)
        spread = float(sims.std())
        best = int(np.argmax(sims))
        if spread <= 0 or (float(sims[best]) - float(sims.mean())) / spread < DESCRIBED_Z:
            return None
        return ids[best]

    @property
    def description_vectors(self) -> tuple[list[str], np.ndarray]:
        """``name：description`` of each concept the articles mention, encoded like a query (so query and
        description compare as equals); computed on first use, about 10 ms a concept with e5."""
        if self._descriptions is None:
            described = [c for c in self.concepts.values() if c.description and c.id in self.graph]
            vectors = [self.encode_query(f"{c.name}：{c.description}") for c in described]
            self._descriptions = ([c.id for c in described],
                                  np.stack(vectors) if vectors else np.zeros((0, 1), dtype=np.float32))
        return self._descriptions

    # -- ranking -------------------------------------------------------------------------------
    def ranked_lists(self, query: str, linked: list[LinkedConcept], signals=SIGNALS) -> dict[str, list[tuple[int, float]]]:
        """Each signal's ranked ``(passage id, score)`` list for ``query``; empty lists are left out."""
        return self._ranked_lists(self._query(query, linked), signals)

    def _query(self, query: str, linked: list[LinkedConcept]) -> Query:
        return Query(query, tuple(self.tokenizer(query)), tuple(linked), min(self.weights.depth, len(self.passages)))

    def _ranked_lists(self, query: Query, signals) -> dict[str, list[tuple[int, float]]]:
        lists: dict[str, list[tuple[int, float]]] = {}
        for name in check_signals(signals):
            ranked = get_signal(name).rank(self, query)
            if ranked:
                lists[name] = ranked
        return lists

    def query_weights(self, query: Query, lists, weights: dict[str, float] | None = None) -> dict[str, float]:
        """The fusion weight of each list for ``query``: the signal's weight (from ``weights``, else
        :meth:`weight`) times how much the signal can know about the query (see :class:`.signals.Signal`)."""
        out = {}
        for name in lists:
            signal = get_signal(name)
            base = weights[name] if weights is not None else self.weight(name)
            out[name] = base * (signal.knows(self, query, lists) if signal.knows is not None else 1.0)
        return out

    def fused(self, lists, weights: dict[str, float], rrf_k: int | None = None) -> list[tuple[int, float]]:
        """The lists fused (:func:`.fusion.fuse`), with passages that only point elsewhere demoted."""
        fused = fuse(lists, weights, self.weights.rrf_k if rrf_k is None else rrf_k)
        return demote(fused, self.pointers, POINTER_PENALTY)

    def query(self, query: str) -> Query:
        """What the signals get for ``query``: its tokens and the concepts it names that the articles mention."""
        return self._query(query, self.link_concepts(query))

    def weight(self, signal: str) -> float:
        """The fusion weight of ``signal``: the field of :attr:`weights` of that name (a subclass of
        :class:`FusionWeights` may add some), else the weight the signal was registered with."""
        if signal not in ("rrf_k", "depth") and signal in {f.name for f in fields(self.weights)}:
            return getattr(self.weights, signal)
        return get_signal(signal).weight

    @property
    def headings(self) -> HeadingIndex:
        """The heading paths' terms and the passages under them (built on first use)."""
        if self._headings is None:
            self._headings = HeadingIndex(self.passages, self.tokenizer,
                                          lambda text: {m.concept_id for m in self.matcher.find(text)})
        return self._headings

    @property
    def pointers(self) -> dict[int, float]:
        """Passages that only point elsewhere, with how much of them does (see :func:`.sections.pointer_share`)."""
        if self._pointers is None:
            shares = {p.id: pointer_share(p) for p in self.passages}
            self._pointers = {pid: share for pid, share in shares.items() if share > 0}
        return self._pointers

    def query_vector(self, query: str) -> np.ndarray:
        """The encoder's vector for ``query``; the last one is kept (a reranker may need it again)."""
        text, vector = self._last_vector
        if vector is None or text != query:
            vector = self.encode_query(query)
            self._last_vector = (query, vector)
        return vector

    def passages_mentioning(self, concept_id: str) -> np.ndarray:
        """The ids of the passages that mention ``concept_id``, as an array (made on first use, then kept)."""
        ids = self._mentioning.get(concept_id)
        if ids is None:
            ids = self._mentioning[concept_id] = np.fromiter(self.concept_passages.get(concept_id, ()), dtype=np.int64)
        return ids

    def alias_tokens(self, concept_id: str) -> list[str]:
        """The tokens of a concept's aliases (tokenized on first use, then kept)."""
        tokens = self._concept_tokens.get(concept_id)
        if tokens is None:
            tokens = self._concept_tokens[concept_id] = [t for a in self.concepts[concept_id].aliases for t in self.tokenizer(a)]
        return tokens

    def search(self, query: str, k: int = 10, signals=SIGNALS, *, within: str | None = None) -> SearchResult:
        """The ``k`` best hits for ``query``; ``within`` (a folder or a file of the index) limits them to it."""
        query = (query or "").strip()
        if not query:
            raise InputError("empty query: type a few words, e.g. `saga 补偿`")
        if not re.search(r"\w", query):
            raise InputError(f"no words in the query {query!r}: type a few words, e.g. `saga 补偿`")
        if k < 1:
            raise InputError(f"k={k}, k must be >= 1")
        everything = self.link_all(query)
        linked = [c for c in everything if c.id in self.graph]
        request = self._query(query, linked)
        lists = self._ranked_lists(request, signals)
        fused = self.fused(lists, self.query_weights(request, lists))
        ranks = fused_ranks(lists)
        scores = dict(fused)
        ranked = [pid for pid, _ in fused]
        if within:
            ranked = self._within(ranked, within)
        reranked: dict[int, dict] = {}
        if self.reranker is not None:  # off by default: then nothing here differs from plain fusion
            ranked, reranked = self._rerank(request, ranked, scores)
        dense_scores = dict(lists.get("dense", []))
        # The reranked order, but the fused scores judge what is relevant enough to take a file's place:
        # a reranker's scores may be on any scale.
        answers = self.answers(ranked, dict(fused), k)
        linked_ids = {c.id for c in linked}
        query_tokens = list(dict.fromkeys(request.tokens))
        hits = [self._hit(answer, scores[answer.anchor], ranks, dense_scores, reranked, linked_ids, query_tokens)
                for answer in answers]
        # Only concepts the query names (not those hinted): `saga 补偿` does not warn that no article mentions DTM.
        absent = [c for c in everything if c.id not in self.graph and c.score > HINT_SCORE]
        return SearchResult(query=query, concepts=linked, hits=hits, absent=absent)

    def _within(self, ranked: list[int], within: str) -> list[int]:
        folder = within.strip().strip("/")
        inside = {p.doc for p in self.passages if p.doc == folder or p.doc.startswith(folder + "/")}
        if not inside:
            raise InputError(f"within={within!r}: no indexed file or folder of that name")
        return [pid for pid in ranked if self.passages[pid].doc in inside]

    def _rerank(self, query: Query, ranked: list[int], scores: dict[int, float]) -> tuple[list[int], dict[int, dict]]:
        """Reorder the top :attr:`rerank_depth` by the reranker's scores, which replace their fused
        scores in ``scores``; return the new order and, per reranked passage, its fused rank and score."""
        head = ranked[: self.rerank_depth]
        passages = [self.passages[pid] for pid in head]
        new = [float(score) for score in self.reranker.rerank(query, passages, [scores[pid] for pid in head])]
        if len(new) != len(head):
            raise ValueError(f"reranker {self.reranker.name!r} returned {len(new)} scores for {len(head)} passages")
        why = {
            pid: {"by": self.reranker.name, "fused_rank": rank, "fused_score": round(scores[pid], 6)}
            for rank, pid in enumerate(head, start=1)
        }
        scores.update(zip(head, new))
        # Ties keep the fused order: a reranker that has nothing to say changes nothing.
        order = sorted(range(len(head)), key=lambda i: (-new[i], i))
        return [head[i] for i in order] + ranked[self.rerank_depth :], why

    def _tokens_of(self, passage: Passage) -> frozenset[str]:
        if self._hit_tokens is not None:
            return self._hit_tokens(passage.id)
        tokens = self._passage_tokens.get(passage.id)
        if tokens is None:  # tokenized on first use, then kept: hits recur across queries
            tokens = self._passage_tokens[passage.id] = frozenset(self.tokenizer(hit_text(passage)))
        return tokens

    def answers(self, ranked: list[int], scores: dict[int, float], k: int) -> list[Answer]:
        """The ``k`` hits: adjacent passages of one section merged, near-duplicates of a better hit (a section
        copied between articles) left out, and no file over its share of the top."""
        head = ranked[: max(4 * k, MERGE_POOL)]
        answers = group_passages([(pid, scores[pid]) for pid in head], self.neighbours,
                                 max_lines=MAX_HIT_LINES, pool=MERGE_POOL, alone=self.pointers)
        return share_limited(self._distinct(answers), k, FILE_SHARE, RELEVANT)

    def _distinct(self, answers: list[Answer]):
        """The answers, lazily, without near-duplicates of a better one (a section copied between articles)."""
        kept: list[frozenset[str]] = []
        for answer in answers:
            tokens = self._tokens_of(self.passages[answer.anchor])
            if any(_near_duplicate(tokens, other) for other in kept):
                continue
            kept.append(tokens)
            yield answer

    def _hit(self, answer: Answer, score: float, ranks: dict, dense_scores: dict, reranked: dict, linked_ids: set[str],
             query_tokens: list[str]) -> Hit:
        parts = [self.passages[pid] for pid in answer.passages]
        anchor = self.passages[answer.anchor]
        mentioned = list(dict.fromkeys(cid for p in parts for cid in self.passage_concepts.get(p.id, [])))
        ordered = sorted(mentioned, key=lambda cid: cid not in linked_ids)
        tokens = frozenset().union(*(self._tokens_of(p) for p in parts))
        pid = answer.anchor
        why = {
            "ranks": ranks[pid],
            "dense_similarity": round(float(dense_scores[pid]), 4) if pid in dense_scores else None,
            "matched_terms": [t for t in query_tokens if t in tokens],
            "matched_concepts": [self.concepts[cid].name for cid in ordered if cid in linked_ids],
            **({"rerank": reranked[pid]} if pid in reranked else {}),
        }
        if len(parts) > 1:  # which passages the hit joins, and where its best one is
            why["merged"] = [{"lines": [p.line_start, p.line_end], "section": p.section} for p in parts]
            why["best_lines"] = [anchor.line_start, anchor.line_end]
        return Hit(
            doc=anchor.doc,
            line_start=parts[0].line_start,
            line_end=parts[-1].line_end,
            section=common_section([p.section for p in parts]) if len(parts) > 1 else anchor.section,
            text=merged_text(parts),
            score=round(float(score), 6),
            concepts=[self.concepts[cid].name for cid in ordered],
            why=why,
        )


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


def _near_duplicate(a: frozenset[str], b: frozenset[str], threshold: float = NEAR_DUPLICATE) -> bool:
    """Whether the Jaccard index of ``a`` and ``b`` is at least ``threshold``; it is at most the ratio of their
    sizes, so sets of unlike sizes are told apart without intersecting them."""
    if not a or not b or min(len(a), len(b)) < threshold * max(len(a), len(b)):
        return False
    shared = len(a & b)
    return shared >= threshold * (len(a) + len(b) - shared)
