"""nDCG@10, Recall@10 and MRR exactly as defined in the evaluation set's README.

A hit *covers* a judged passage when it is in the same file and its line range overlaps the judged
range; a hit longer than 40 lines covers nothing; each judged passage is covered once, by the first hit.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gokg.errors import InputError

__all__ = ["Judged", "Query", "QueryScore", "load_queries", "score_query", "evaluate", "EvalReport", "by_kind"]

MAX_HIT_LINES = 40


@dataclass(frozen=True)
class Judged:
    doc: str
    start: int
    end: int
    grade: int


@dataclass(frozen=True)
class Query:
    id: str
    q: str
    kind: str
    relevant: list[Judged]


@dataclass(frozen=True)
class QueryScore:
    id: str
    q: str
    kind: str
    ndcg: float
    recall: float
    mrr: float
    top_score: float


@dataclass(frozen=True)
class EvalReport:
    ndcg: float
    recall: float
    mrr: float
    queries: int
    per_query: list[QueryScore] = field(default_factory=list)
    no_answer: list[QueryScore] = field(default_factory=list)


def load_queries(path: str | Path) -> list[Query]:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    queries = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            relevant = [Judged(r["doc"], r["lines"][0], r["lines"][1], int(r["grade"])) for r in row.get("relevant", [])]
            queries.append(Query(str(row.get("id", number)), row["q"], row.get("kind", ""), relevant))
        except (json.JSONDecodeError, KeyError, IndexError, TypeError) as exc:
            raise InputError(f"{path}:{number}: not a query line ({exc.__class__.__name__}: {exc})") from None
    return queries


def score_query(hits: list[tuple[str, int, int]], relevant: list[Judged], k: int = 10) -> tuple[float, float, float]:
    """(nDCG@k, Recall@k, MRR) for hits given as ``(doc, line_start, line_end)``.

    >>> judged = [Judged("a.txt", 10, 20, 2), Judged("a.txt", 30, 35, 1)]
    >>> score_query([("a.txt", 1, 5), ("a.txt", 18, 32)], judged)
    (0.5213, 1.0, 0.5)
    """
    covered: set[int] = set()
    dcg, first = 0.0, 0.0
    for rank, (doc, start, end) in enumerate(hits[:k], start=1):
        if end - start + 1 > MAX_HIT_LINES:
            continue
        newly = [i for i, j in enumerate(relevant) if i not in covered and j.doc == doc and start <= j.end and j.start <= end]
        if not newly:
            continue
        covered.update(newly)
        gain = max(relevant[i].grade for i in newly)
        dcg += (2**gain - 1) / math.log2(rank + 1)
        if gain > 0 and not first:
            first = 1.0 / rank
    ideal = sorted((j.grade for j in relevant), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    ndcg = dcg / idcg if idcg else 0.0
    recall = len(covered) / len(relevant) if relevant else 0.0
    return round(ndcg, 4), round(recall, 4), round(first, 4)


def evaluate(queries: list[Query], search: Callable[[str], list]) -> EvalReport:
    """Run ``search(q)`` (returning hits with doc/line_start/line_end/score) for each query and score it."""
    judged: list[QueryScore] = []
    unjudged: list[QueryScore] = []
    for query in queries:
        hits = search(query.q)
        spans = [(h.doc, h.line_start, h.line_end) for h in hits]
        top = float(hits[0].why.get("dense_similarity") or 0.0) if hits and hasattr(hits[0], "why") else 0.0
        if query.relevant:
            ndcg, recall, mrr = score_query(spans, query.relevant)
            judged.append(QueryScore(query.id, query.q, query.kind, ndcg, recall, mrr, top))
        else:
            unjudged.append(QueryScore(query.id, query.q, query.kind, 0.0, 0.0, 0.0, top))
    n = len(judged) or 1
    return EvalReport(
        ndcg=round(sum(s.ndcg for s in judged) / n, 4),
        recall=round(sum(s.recall for s in judged) / n, 4),
        mrr=round(sum(s.mrr for s in judged) / n, 4),
        queries=len(judged),
        per_query=judged,
        no_answer=unjudged,
    )


def by_kind(report: EvalReport) -> dict[str, EvalReport]:
    """The report's judged queries split by kind (zh, en, mixed, code, paraphrase), each with its means.

    >>> scores = [QueryScore("a", "x", "zh", 1.0, 1.0, 1.0, 0.0), QueryScore("b", "y", "en", 0.5, 0.0, 0.5, 0.0),
    ...           QueryScore("c", "z", "zh", 0.0, 0.5, 0.0, 0.0)]
    >>> {kind: (r.queries, r.ndcg) for kind, r in by_kind(EvalReport(0.5, 0.5, 0.5, 3, scores)).items()}
    {'en': (1, 0.5), 'zh': (2, 0.5)}
    """
    kinds: dict[str, list[QueryScore]] = {}
    for score in report.per_query:
        kinds.setdefault(score.kind or "-", []).append(score)
    return {
        kind: EvalReport(
            ndcg=round(sum(s.ndcg for s in scores) / len(scores), 4),
            recall=round(sum(s.recall for s in scores) / len(scores), 4),
            mrr=round(sum(s.mrr for s in scores) / len(scores), 4),
            queries=len(scores),
            per_query=scores,
        )
        for kind, scores in sorted(kinds.items())
    }
