"""Weighted reciprocal-rank fusion: the one function that merges the search signals' ranked lists.

:class:`~gokg.graph.search.Searcher` and ``benchmarks/tune_fusion.py`` both call :func:`fuse`, so the
weights tuned there are the weights of the search here.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gokg.errors import InputError

__all__ = ["FusionWeights", "fuse", "fused_ranks", "demote"]

Ranked = Sequence[tuple[int, float]]


@dataclass(frozen=True)
class FusionWeights:
    """Weights of each ranked list in reciprocal-rank fusion, tuned on the dev set as a whole."""

    bm25: float = 1.0
    expanded: float = 1.5
    dense: float = 0.5
    concept: float = 1.0
    heading: float = 0.5
    rrf_k: int = 30
    depth: int = 100  # how deep each list is read


def fuse(lists: Mapping[str, Ranked], weights: Mapping[str, float], rrf_k: int) -> list[tuple[int, float]]:
    """Fuse ranked lists of ``(passage id, score)``: each list adds ``weight / (rrf_k + rank)``.

    Returns ``(passage id, fused score)`` pairs, best first, ties by passage id. Only ranks count,
    so signals whose scores are on different scales fuse fairly.

    >>> fused = fuse({"bm25": [(7, 12.5), (3, 9.0)], "dense": [(3, 0.8)]}, {"bm25": 1.0, "dense": 0.5}, rrf_k=30)
    >>> [(pid, round(score, 4)) for pid, score in fused]  # 3: 1/32 + 0.5/31; 7: 1/31
    [(3, 0.0474), (7, 0.0323)]
    """
    if rrf_k < 0:
        raise InputError(f"rrf_k={rrf_k}, rrf_k must be >= 0")
    missing = [name for name in lists if name not in weights]
    if missing:
        raise InputError(f"no weight for the ranked list {missing[0]!r}")
    fused: dict[int, float] = defaultdict(float)
    for name, ranked in lists.items():  # the lists' order fixes the order of the float additions
        weight = weights[name]
        for rank, (pid, _) in enumerate(ranked, start=1):
            fused[pid] += weight / (rrf_k + rank)
    return [(int(pid), float(fused[pid])) for pid in sorted(fused, key=lambda pid: (-fused[pid], pid))]


def fused_ranks(lists: Mapping[str, Ranked]) -> dict[int, dict[str, int]]:
    """Each passage's 1-based rank in each list it is in: why a fused hit ranks where it does.

    >>> fused_ranks({"bm25": [(7, 12.5), (3, 9.0)], "dense": [(3, 0.8)]})
    {7: {'bm25': 1}, 3: {'bm25': 2, 'dense': 1}}
    """
    ranks: dict[int, dict[str, int]] = defaultdict(dict)
    for name, ranked in lists.items():
        for rank, (pid, _) in enumerate(ranked, start=1):
            ranks[int(pid)][name] = rank
    return dict(ranks)


def demote(fused: Sequence[tuple[int, float]], shares: Mapping[int, float], penalty: float) -> list[tuple[int, float]]:
    """Scale down each fused score by ``penalty`` times the passage's share in ``shares`` (how much of it only
    points elsewhere) and sort again, best first.

    >>> demote([(7, 0.05), (3, 0.04)], {7: 1.0}, penalty=0.5)
    [(3, 0.04), (7, 0.025)]
    """
    if not 0 <= penalty <= 1:
        raise InputError(f"penalty={penalty}, penalty must be between 0 and 1")
    scaled = [(pid, score * (1 - penalty * shares.get(pid, 0.0))) for pid, score in fused]
    return sorted(scaled, key=lambda item: (-item[1], item[0]))
