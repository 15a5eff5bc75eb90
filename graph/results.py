"""What the library API returns: dataclasses of plain Python values, JSON-ready with ``to_dict()``.

In a notebook they render as HTML (article text escaped) and lists of them convert to pandas.
"""
from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field

from gokg.text import heading_title

__all__ = [
    "LinkedConcept",
    "Hit",
    "SearchResult",
    "EvidenceRef",
    "Neighbor",
    "ConceptInfo",
    "ConceptSummary",
    "Topic",
    "to_frame",
]


class _Record:
    def to_dict(self) -> dict:
        return asdict(self)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LinkedConcept(_Record):
    id: str
    name: str
    type: str
    score: float


@dataclass(frozen=True)
class Hit(_Record):
    doc: str
    line_start: int
    line_end: int
    section: str
    text: str
    score: float
    concepts: list[str]
    why: dict = field(default_factory=dict)

    @property
    def source(self) -> str:
        """Where the hit is, to copy: ``file:first-last``."""
        return f"{self.doc}:{self.line_start}-{self.line_end}"

    def best_lines(self, n: int = 3) -> list[tuple[int, str]]:
        """The ``n`` lines (number, text) that name most of the query's matched terms and concepts, in file
        order; the first lines of text when none does.

        >>> hit = Hit("a.md", 10, 13, "熔断", "熔断\\n熔断器打开后快速失败。\\n\\n配置阈值。", 1.0, [], {"matched_terms": ["熔断"]})
        >>> hit.best_lines(1)
        [(11, '熔断器打开后快速失败。')]
        """
        terms = [t.lower() for t in self.why.get("matched_terms", []) + self.why.get("matched_concepts", []) if t]
        heading = self.section.rsplit(" > ", 1)[-1].strip()
        lines = [(self.line_start + i, line) for i, line in enumerate(self.text.split("\n"))
                 if line.strip() and heading_title(line) != heading]
        if not lines:
            return [(self.line_start + i, line) for i, line in enumerate(self.text.split("\n")) if line.strip()][:n]
        scored = sorted(lines, key=lambda item: (-sum(item[1].lower().count(t) for t in terms), item[0]))
        return sorted(scored[:n])

    def _repr_html_(self) -> str:
        return (
            f"<div><b>{html.escape(self.doc)}</b> L{self.line_start}-{self.line_end} "
            f"<i>{html.escape(self.section)}</i> score {self.score:.4f}"
            f"<pre style='white-space:pre-wrap'>{html.escape(self.text)}</pre></div>"
        )


@dataclass(frozen=True)
class SearchResult(_Record):
    query: str
    concepts: list[LinkedConcept]
    hits: list[Hit]
    absent: list[LinkedConcept] = field(default_factory=list)  # known concepts no indexed article mentions
    notice: str = ""  # e.g. "dense signal off: 120/400 passages embedded" while an index is still embedding

    def to_dict(self) -> dict:
        """The CLI contract: query, concepts, hits (and a notice, when there is one)."""
        data = asdict(self)
        data.pop("absent")
        if not data["notice"]:
            data.pop("notice")
        return data

    def to_frame(self):
        """The hits as a pandas DataFrame (one row a hit)."""
        return to_frame(self.hits)

    def _repr_html_(self) -> str:
        chips = ", ".join(f"{html.escape(c.name)} ({html.escape(c.type)})" for c in self.concepts) or "none"
        rows = "".join(hit._repr_html_() for hit in self.hits)
        return f"<div><p>Query <b>{html.escape(self.query)}</b> · concepts: {chips}</p>{rows}</div>"


@dataclass(frozen=True)
class EvidenceRef(_Record):
    doc: str
    line: int
    text: str


@dataclass(frozen=True)
class Neighbor(_Record):
    """A concept reached from the one asked about, by the edge from ``via`` (the concept asked about, or at a
    second or third hop the neighbour the path goes through); ``direction`` is ``out`` when the edge goes from
    ``via`` to this concept."""

    name: str
    type: str
    relation: str
    direction: str
    weight: float
    evidence: list[EvidenceRef]
    via: str = ""
    distance: int = 1


@dataclass(frozen=True)
class ConceptInfo(_Record):
    id: str
    name: str
    type: str
    aliases: list[str]
    docs: list[str]
    mentions: list[dict]
    neighbors: list[Neighbor]
    description: str = ""
    definition: dict = field(default_factory=dict)  # {"doc", "line", "text"}: where an article defines it
    discovered: bool = False

    def to_dict(self) -> dict:
        """The CLI contract's fields; description, definition and discovered are shown on concept pages."""
        data = asdict(self)
        for extra in ("description", "definition", "discovered"):
            data.pop(extra)
        return data

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(n.relation)}</td><td>{'→' if n.direction == 'out' else '←'}</td>"
            f"<td>{html.escape(n.name)}</td><td>{html.escape(n.evidence[0].text) if n.evidence else ''}</td></tr>"
            for n in self.neighbors[:30]
        )
        return (
            f"<div><h4>{html.escape(self.name)} <small>{html.escape(self.type)}</small></h4>"
            f"<p>{html.escape(self.description)}</p><p>aliases: {html.escape(', '.join(self.aliases))}</p>"
            f"<p>{len(self.mentions)} mentions in {len(self.docs)} files</p><table>{rows}</table></div>"
        )


@dataclass(frozen=True)
class ConceptSummary(_Record):
    id: str
    name: str
    type: str
    aliases: list[str]
    docs: list[str]
    mentions: int


@dataclass(frozen=True)
class Topic(_Record):
    id: int
    label: str
    size: int
    members: list[str]


def to_frame(records):
    """A list of result dataclasses as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame([r.to_dict() if hasattr(r, "to_dict") else asdict(r) for r in records])
