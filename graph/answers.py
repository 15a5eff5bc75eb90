"""From ranked passages to answers: adjacent passages of one section merged into one hit, and no file taking
more than its share of the top results.

Passages are small (a heading and its first paragraph, a code block, a table), so the fused ranking often
holds three fragments of one section where a reader wants that section once, and the other articles that
answer the question beside it. :func:`group_passages` merges a ranked passage with the adjacent passages of
its section that rank well too (never past ``max_lines`` original lines); :func:`share_limited` then keeps
one file from filling the top of the list while other files have relevant passages.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from gokg.models import Passage

__all__ = ["Answer", "Neighbours", "group_passages", "share_limited", "merged_text", "common_section"]

MAX_GAP = 2  # ingest leaves out blank lines and boilerplate chunks; boilerplate (blank-separated) needs >= 3


@dataclass(frozen=True)
class Answer:
    """One hit: a run of adjacent passages of one document and section, ranked at its best passage."""

    passages: tuple[int, ...]  # passage ids in document order
    anchor: int  # the best-ranked passage of the run
    score: float
    doc: str


class Neighbours:
    """Which passage comes before and after each passage in its document, when only blank lines lie between."""

    def __init__(self, passages: Sequence[Passage]):
        self.passages = passages
        self.before: dict[int, int] = {}
        self.after: dict[int, int] = {}
        by_doc: dict[str, list[Passage]] = defaultdict(list)
        for passage in passages:
            by_doc[passage.doc].append(passage)
        for items in by_doc.values():
            items.sort(key=lambda p: p.line_start)
            for a, b in zip(items, items[1:]):
                if 0 <= b.line_start - a.line_end - 1 <= MAX_GAP:
                    self.after[a.id] = b.id
                    self.before[b.id] = a.id


def common_section(sections: Sequence[str]) -> str:
    """The heading path the sections share.

    >>> common_section(["2.4 Saga", "2.4 Saga > 执行流程", "2.4 Saga > 补偿策略"])
    '2.4 Saga'
    """
    parts = [s.split(" > ") if s else [] for s in sections]
    shared: list[str] = []
    for level in zip(*parts):
        if any(p != level[0] for p in level):
            break
        shared.append(level[0])
    return " > ".join(shared)


def _one_section(sections: list[str]) -> bool:
    """Passages of one section, led (or not) by the opening passage of the section it belongs to: a heading
    with its first lines joins the subsection that follows it, but two subsections stay two hits.

    >>> _one_section(["2.4 Saga", "2.4 Saga > 执行流程", "2.4 Saga > 执行流程"])
    True
    >>> _one_section(["2.4 Saga > 执行流程", "2.4 Saga > 补偿策略"]), _one_section(["2.4 Saga > 执行流程", "2.4 Saga"])
    (False, False)
    """
    shared = common_section(sections)
    rest = sections[next((i for i, s in enumerate(sections) if s != shared), len(sections)) :]
    return all(s == rest[0] for s in rest) and (not rest or rest[0].startswith(shared))


def group_passages(
    ranked: Sequence[tuple[int, float]],
    neighbours: Neighbours,
    *,
    max_lines: int = 40,
    pool: int = 30,
    ratio: float = 0.0,
    alone: Collection[int] = (),
) -> list[Answer]:
    """Merge each ranked passage with the adjacent passages of its section that are among the ``pool``
    best ranked and score at least ``ratio`` times its score, while the run spans at most ``max_lines``
    original lines. Passages in ``alone`` (those that only point elsewhere) join nothing.
    Returns the answers, best first; each passage is in one answer."""
    passages = neighbours.passages
    scores = dict(ranked)
    rank = {pid: i for i, (pid, _) in enumerate(ranked)}
    used: set[int] = set()
    answers: list[Answer] = []
    for pid, score in ranked:
        if pid in used:
            continue
        run = [pid]
        used.add(pid)
        while pid not in alone:
            options = []
            for side in (neighbours.before.get(run[0]), neighbours.after.get(run[-1])):
                if side is None or side in used or side in alone or rank.get(side, pool) >= pool \
                        or scores[side] < ratio * score:
                    continue
                span = [side, *run] if side == neighbours.before.get(run[0]) else [*run, side]
                if passages[span[-1]].line_end - passages[span[0]].line_start + 1 > max_lines:
                    continue
                if not _one_section([passages[p].section for p in span]):
                    continue
                options.append((rank[side], span, side))
            if not options:
                break
            _, run, side = min(options)
            used.add(side)
        answers.append(Answer(tuple(run), pid, float(score), passages[pid].doc))
    return answers


def share_limited(answers: Iterable[Answer], k: int, share: float, relevant: float = 0.0) -> list[Answer]:
    """The ``k`` best answers where, among the first ``n``, one file has at most ``ceil(share * n)`` of them
    (at least one), unless nothing else is relevant: an answer over its file's share waits for the next
    answer of another file only when that one scores at least ``relevant`` times as much. ``answers`` is
    read lazily, only as far as needed."""
    chosen: list[Answer] = []
    count: dict[str, int] = defaultdict(int)
    stream = iter(answers)
    queue: list[Answer] = []

    def pending():  # the waiting answers, then the rest of the stream as it is read
        yield from queue
        for answer in stream:
            queue.append(answer)
            yield answer

    while len(chosen) < k:
        head = next(pending(), None)
        if head is None:
            break
        cap = max(1, math.ceil(share * (len(chosen) + 1)))
        pick = head
        if count[head.doc] >= cap:
            other = next((a for a in pending() if count[a.doc] < cap and a.score >= relevant * head.score), None)
            if other is not None:
                pick = other
        queue.remove(pick)
        chosen.append(pick)
        count[pick.doc] += 1
    return chosen


def merged_text(passages: Sequence[Passage]) -> str:
    """The original lines from the first passage's first line to the last one's last line: the passages'
    text, and the blank lines between them (:data:`MAX_GAP` at most, see :class:`Neighbours`)."""
    parts = [passages[0].text]
    for a, b in zip(passages, passages[1:]):
        parts.extend([""] * (b.line_start - a.line_end - 1))
        parts.append(b.text)
    return "\n".join(parts)
