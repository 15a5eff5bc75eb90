"""What a passage is, judged from its heading path and its shape: how well its headings name the query, and
whether it only points elsewhere (a link list, a table of contents, "see also", a line that names a section).

A heading is the author's own summary of what follows, so a query that the heading path names (`Saga 执行流程`
for `saga 补偿流程`) finds the section that answers it; a passage that only points elsewhere matches the same
words and answers nothing, so it is demoted.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from gokg.models import Passage
from gokg.text import heading_title

__all__ = ["HeadingIndex", "pointer_share", "own_heading"]

OWN_HEADING = 1.0  # a term in the passage's own heading ...
ANCESTOR_HEADING = 0.5  # ... counts more than one in the headings above it

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<https?://[^>]*>|https?://\S+|www\.\S+")
_LIST_MARK = re.compile(r"^\s*(?:[-*+•·]|\d+[.)、]|[（(]?\d+[)）])\s*")
_SEE_ALSO = re.compile(
    r"(扩展阅读|延伸阅读|相关阅读|推荐阅读|参考资料|参考文献|参考链接|相关链接|相关文档|相关文章|更多资料|目录|"
    r"see also|further reading|references|related (?:articles|docs|documents|links|reading)|table of contents|contents)"
    r"\s*[:：]?\s*$",
    re.IGNORECASE,
)
_POINTER = re.compile(
    r"详见|参见|请参考|参考(?:文档|链接)|请看|请阅读|请移步|移步|见下文|见上文|见第|"
    r"\bsee\b|refer to|check out|read more|learn more",
    re.IGNORECASE,
)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)\s*")
_LINK_LINE_TEXT = 12  # characters besides the links that a line of a link list may have ("- [熔断](cb.md)：用法")
MOSTLY = 0.6  # a passage is a link list when at least this share of its lines are links
_POINTER_LINES = 3  # "a few lines": a passage this short that says where to look is a pointer
_POINTER_CHARS = 160


def own_heading(section: str) -> str:
    """The last heading of a heading path (the passage's own heading)."""
    return section.rsplit(" > ", 1)[-1].strip() if section else ""


def pointer_share(passage: Passage) -> float:
    """How much of the passage only points elsewhere, from 0 (it says something) to 1 (links, a table of
    contents, a "see also" list, a short line that names where to look).

    >>> p = Passage(0, "a.md", 1, 4, "Kitex > 扩展阅读", "扩展阅读\\n- [熔断](cb.md)\\n- [限流](limit.md)")
    >>> pointer_share(p)
    1.0
    >>> pointer_share(Passage(1, "a.md", 1, 2, "熔断", "熔断\\n熔断器在错误率超过阈值时打开，拒绝后续请求。"))
    0.0
    """
    heading = own_heading(passage.section)
    body = [line.strip() for line in passage.text.split("\n") if line.strip()]
    if body and heading and heading_title(body[0]) == heading:
        body = body[1:]  # the heading line itself
    if not body:
        return 0.0  # a heading alone: a fragment that joins its section's next passage, not a pointer
    if _SEE_ALSO.search(heading):
        return 1.0
    body = [line for line in body if not _IMAGE.fullmatch(_LIST_MARK.sub("", line))]  # a figure is content
    if not body:
        return 0.0
    links = 0
    for line in body:
        stripped = _LIST_MARK.sub("", line)
        if _LINK.search(stripped) and len(_LINK.sub("", stripped).strip(" :：-–—|*_`,，。;；")) <= _LINK_LINE_TEXT:
            links += 1  # the line is a link (and a few words), nothing more
    share = links / len(body)
    share = share if share >= MOSTLY else 0.0  # a paragraph with a link or two says something
    if len(body) <= _POINTER_LINES and sum(map(len, body)) <= _POINTER_CHARS and _POINTER.search(" ".join(body)):
        share = max(share, 0.8)
    return round(share, 3)


class HeadingIndex:
    """For each term, the passages whose heading path has it (own heading or above), with an idf over
    heading paths; concepts a heading names count as terms ``concept:<id>``."""

    def __init__(self, passages: Sequence[Passage], tokenizer: Callable[[str], list[str]],
                 concepts_in: Callable[[str], set[str]]):
        self.size = len(passages)
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        cache: dict[str, frozenset[str]] = {}

        def terms(heading: str) -> frozenset[str]:
            if heading not in cache:
                cache[heading] = frozenset(tokenizer(heading)) | {f"concept:{c}" for c in concepts_in(heading)}
            return cache[heading]

        for passage in passages:
            if not passage.section:
                continue
            path = passage.section.split(" > ")
            weights: dict[str, float] = {}
            for depth, heading in enumerate(path):
                weight = OWN_HEADING if depth == len(path) - 1 else ANCESTOR_HEADING
                for term in terms(heading):
                    weights[term] = max(weights.get(term, 0.0), weight)
            for term, weight in weights.items():
                self._postings[term][passage.id] = weight

    def idf(self, term: str) -> float:
        df = len(self._postings.get(term, ()))
        return math.log(1 + self.size / (df + 1))

    def scores(self, terms: Sequence[str]) -> dict[int, float]:
        """Each passage's share of the query's terms (idf-weighted) that its heading path names, for the
        passages whose headings name at least one."""
        shares = self.shares(terms)
        return {int(pid): float(shares[pid]) for pid in np.flatnonzero(shares)}

    def shares(self, terms: Sequence[str]) -> np.ndarray:
        """:meth:`scores` as one array over all passages (0 where the headings name none of the terms)."""
        terms = list(dict.fromkeys(terms))
        out = np.zeros(self.size)
        total = sum(self.idf(t) for t in terms)
        if not total:
            return out
        for term in terms:
            idf = self.idf(term)
            pids, weights = self._posting(term)
            out[pids] += weights * idf / total  # a passage is once in pids; in numpy, not a Python loop
        return out

    def _posting(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The passages whose headings name ``term`` and their weights, as arrays (made on first use)."""
        arrays = self._arrays.get(term)
        if arrays is None:
            posting = self._postings.get(term, {})
            arrays = self._arrays[term] = (np.fromiter(posting.keys(), np.int64, len(posting)),
                                           np.fromiter(posting.values(), np.float64, len(posting)))
        return arrays
