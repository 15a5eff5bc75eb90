"""Frozen dataclasses that flow between the stages of gokg.

Every passage, mention and relation knows its file and 1-based line numbers in the original file,
so any answer can cite its source.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Document",
    "Block",
    "Passage",
    "Concept",
    "Mention",
    "Evidence",
    "Relation",
    "Problem",
    "BLOCK_KINDS",
    "CONCEPT_TYPES",
    "RELATION_TYPES",
]

BLOCK_KINDS = ("title", "heading", "paragraph", "list", "code", "table", "mermaid", "boilerplate")
CONCEPT_TYPES = ("framework", "library", "tool", "pattern", "protocol", "platform", "language", "concept")
RELATION_TYPES = (
    "uses",
    "part_of",
    "is_a",
    "implements",
    "alternative_to",
    "integrates_with",
    "solves",
    "measures",
    "related_to",
)


@dataclass(frozen=True)
class Document:
    """One source file, decoded to text. ``name`` is the path relative to the ingested root."""

    name: str
    path: str
    text: str
    sha256: str
    encoding: str = "utf-8"

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class Block:
    """A structural unit of a document: ``lines`` are the 1-based inclusive span in the original file."""

    kind: str
    line_start: int
    line_end: int
    text: str
    level: int = 0  # heading level (1 = chapter); 0 for other blocks
    cells: tuple[tuple[str, ...], ...] = ()  # table rows split back into cells, where they can be


@dataclass(frozen=True)
class Passage:
    """The unit of retrieval: at most 40 original lines under one heading path."""

    id: int
    doc: str
    line_start: int
    line_end: int
    section: str
    text: str
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    """A concept of the lexicon (curated) or discovered in the corpus."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    discovered: bool = False
    hints: tuple[tuple[str, str], ...] = ()  # curated (relation, concept id) pairs for query understanding
    bare: tuple[str, ...] = ()  # aliases that name it only standing alone: "调度器", not "任务调度器" or "Weirgate 调度器"


@dataclass(frozen=True)
class Mention:
    concept_id: str
    doc: str
    line: int
    passage_id: int
    surface: str


@dataclass(frozen=True)
class Evidence:
    doc: str
    line: int
    text: str


@dataclass(frozen=True)
class Relation:
    source: str  # concept id
    type: str
    target: str  # concept id
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    weight: float = 1.0
    origin: str = "pattern"  # pattern | mermaid | table | cooccurrence | heading | name


@dataclass(frozen=True)
class Problem:
    """A file that could not be ingested, and why (shown in the ingest summary). ``kept``: the file was
    indexed anyway and the reason is a warning (a few bad bytes replaced, only boilerplate found)."""

    path: str
    reason: str
    kept: bool = False
