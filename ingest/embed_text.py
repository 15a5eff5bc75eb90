"""What a passage is embedded by: its prose as written; code, diagrams and markup by what carries meaning.

:func:`embed_text` is a passage's text for the indexes: its heading path (last two levels), then the
passage. The lexical index reads it whole, and its hash keys the embedding cache. The encoder reads a
compact form of it (:func:`compact_text`), because its time grows with the tokens it reads and a listing
spends most of its tokens on syntax (``}``, ``if err != nil {``, imports) that says little about what a
passage is about:

- prose, lists, tables and headings are kept as written (a heading repeated by the heading path once);
- code is replaced by its comments, string literals and identifiers (each identifier once, keywords out);
- a mermaid diagram by its node and edge labels;
- markup that carries no meaning goes: code fences, table separator rows, HTML-only lines, link
  reference definitions, the URL of a Markdown link (its text stays).

:class:`CompactPassages` wraps an encoder so that it reads passages this way and embeds each distinct
text once (identical passages, repeated boilerplate); :func:`gokg.ingest.embed.load_encoder` applies it.
On the seeds the encoder reads 20 % fewer tokens, and search quality holds (nDCG@10 on the seeds' dev
queries 0.790, was 0.795; on the cloudwego docs 0.696, was 0.695).
"""
from __future__ import annotations

import re

import numpy as np

from gokg.models import Passage
from gokg.text import heading_title

from .structure import parse_blocks

__all__ = ["embed_text", "compact_text", "code_summary", "mermaid_labels", "encode_unique", "CompactPassages"]

# Words a Go (or shell, YAML, Dockerfile) listing repeats everywhere: they tell passages apart no better than `}`.
_NOISE = frozenset(
    """
    func return if else for range var const type struct interface package import defer go chan map select
    case default switch break continue fallthrough goto nil err true false string int int8 int16 int32 int64
    uint uint8 uint16 uint32 uint64 float32 float64 bool byte rune error any make new len cap append panic
    fmt main ctx self this def class public private static void null none let
    """.split()
)
_IDENTIFIER = re.compile(r"[A-Za-z_][\w-]*(?:[./][A-Za-z_][\w-]*)*")
_STRING = re.compile(r'"((?:[^"\\\n]|\\.){1,80})"|`([^`\n]{1,80})`|\'([^\'\n]{2,80})\'')
_TRAILING_COMMENT = re.compile(r"(?:^|\s)(?://|#)\s*(.*)$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff\w，、]*")  # prose read as code (`可以通过 x := f() 注入`) stays

_MERMAID_HEADER = re.compile(
    r"^\s*(graph|flowchart)\s+\w+\s*$|^\s*(sequenceDiagram|classDiagram|stateDiagram(-v2)?|erDiagram|gantt|pie|"
    r"journey|mindmap|timeline)\b\s*$"
)
_MERMAID_KEYWORDS = re.compile(r"^\s*(end|style|classDef|class|click|linkStyle|%%)\b")
_MERMAID_LABEL = re.compile(r"\[\[?\(?\"?([^\]\"]+?)\"?\)?\]?\]|\(\(?\"?([^)\"]+?)\"?\)?\)|\{\{?\"?([^}\"]+?)\"?\}?\}|\|\"?([^|\"]+?)\"?\||:\s*(.+)$")

_FENCE = re.compile(r"^\s*(```|~~~)")
_SEPARATOR_ROW = re.compile(r"^\s*\|?[\s:|-]*-{3,}[\s:|-]*\|?\s*$")
_HTML_ONLY = re.compile(r"^\s*(<[^>]+>\s*)+$")
_LINK_DEFINITION = re.compile(r"^\s*\[[^\]]+\]:\s*\S+\s*$")
_MARKDOWN_LINK = re.compile(r"(!?)\[([^\]]*)\]\([^)]*\)")
# A cheap test before parsing: text without any of these has no code or diagram for parse_blocks to find.
_MAY_HOLD_CODE = re.compile(r"[{}();=<>]|:=|->|^\s*(graph|flowchart|sequenceDiagram|\$|#|//|FROM |RUN |apiVersion)", re.MULTILINE)


def embed_text(passage: Passage, with_section: bool = True) -> str:
    """A passage's text for the indexes: the heading path (its last two levels), then the passage."""
    if not with_section or not passage.section:
        return passage.text
    section = " > ".join(passage.section.split(" > ")[-2:])
    return passage.text if passage.text.startswith(section) else f"{section}\n{passage.text}"


def compact_text(text: str) -> str:
    """What the encoder reads for ``text``: prose as written, code by its comments and identifiers,
    diagrams by their labels, no markup.

    >>> print(compact_text("2.1 路由分组\\n```go\\nr := gin.Default()\\napi := r.Group(\\"/api/v1\\") // 版本化\\n}\\n```"))
    2.1 路由分组
    gin.Default api r.Group /api/v1 版本化
    """
    text = _drop_repeated_heading(text)
    if not _MAY_HOLD_CODE.search(text):
        return _strip_markup(text)
    seen: set[str] = set()
    parts = []
    for block in parse_blocks(text):
        if block.kind == "code":
            parts.append(code_summary(block.text, seen))
        elif block.kind == "mermaid":
            parts.append(mermaid_labels(block.text, seen))
        else:
            parts.append(_strip_markup(block.text))
    return "\n".join(part for part in parts if part)


def _drop_repeated_heading(text: str) -> str:
    """The heading path ``A > B`` then the heading lines ``A`` and ``B`` (how :func:`embed_text` starts a
    passage that opens with its own headings): each heading is read once.

    >>> _drop_repeated_heading("第一章 入门 > 1.1 路由\\n第一章 入门\\n\\n## 1.1 路由\\n正文")
    '第一章 入门 > 1.1 路由\\n正文'
    """
    first, _, rest = text.partition("\n")
    levels = {level.strip() for level in first.split(" > ")}
    if len(levels) < 2:
        return text
    lines = rest.split("\n")
    start = 0
    while start < len(lines) and (not lines[start].strip() or heading_title(lines[start]) in levels):
        start += 1
    return f"{first}\n" + "\n".join(lines[start:]) if start else text


def _strip_markup(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        if _FENCE.match(line) or _SEPARATOR_ROW.match(line) or _HTML_ONLY.match(line) or _LINK_DEFINITION.match(line):
            continue
        lines.append(_MARKDOWN_LINK.sub(r"\2", line))
    return "\n".join(lines).strip("\n")


def code_summary(code: str, seen: set[str] | None = None) -> str:
    """A listing by its comments, string literals and identifiers, in order; an identifier already in ``seen``
    (updated), a keyword or a one-letter name is left out.

    >>> code_summary('h := server.Default()\\n// 注册路由\\nh.GET("/ping", handler)\\nif err != nil {\\n    return err\\n}')
    'server.Default 注册路由 h.GET /ping handler'
    """
    seen = set() if seen is None else seen
    words: list[str] = []

    def add(word: str) -> None:
        key = word.lower()
        if key not in seen and key not in _NOISE and (len(word) > 1 or word.isupper()):
            seen.add(key)
            words.append(word)

    for line in code.split("\n"):
        stripped = line.strip()
        if not stripped or _FENCE.match(stripped):
            continue
        if stripped.startswith(("//", "/*", "*", "#")) and not stripped.startswith("#!"):
            comment = stripped.lstrip("/*# ").rstrip("*/ ").strip()
            if comment:
                words.append(comment)
            continue
        comment = _TRAILING_COMMENT.search(stripped)
        if comment and "://" not in stripped[max(comment.start() - 6, 0) : comment.start() + 3]:
            stripped, note = stripped[: comment.start()], comment.group(1).strip()
        else:
            note = ""
        for match in re.finditer(rf"{_STRING.pattern}|{_IDENTIFIER.pattern}|{_HAN_RUN.pattern}", stripped):
            literal = next((g for g in match.groups() if g is not None), None)
            add(literal.strip() if literal is not None else match.group(0))
        if note:
            words.append(note)
    return " ".join(w for w in words if w)


def mermaid_labels(diagram: str, seen: set[str] | None = None) -> str:
    """A mermaid diagram by its labels, each once; a node without a label by its name (one-letter ids left out).

    >>> mermaid_labels("graph TD\\n    A[HTTP Request] --> B{Router Match}\\n    B -->|命中| C[Handler]\\n    C --> D")
    'HTTP Request Router Match 命中 Handler'
    """
    seen = set() if seen is None else seen
    words: list[str] = []
    for line in diagram.split("\n"):
        if not line.strip() or _FENCE.match(line) or _MERMAID_HEADER.match(line) or _MERMAID_KEYWORDS.match(line):
            continue
        labels = [next(g for g in m.groups() if g is not None).strip() for m in _MERMAID_LABEL.finditer(line)]
        if not labels:  # bare node names: `C --> D`, `participant Order`
            bare = re.sub(r"[-=.>x|o]{2,}|\bparticipant\b|\bactor\b|\bsubgraph\b", " ", line)
            labels = [w for w in re.findall(r"[\w\u4e00-\u9fff.-]+", bare) if len(w) > 1 or _HAN.match(w)]
        for label in (label.strip() for label in labels):
            if label and label.lower() not in seen:
                seen.add(label.lower())
                words.append(label)
    return " ".join(words)


def encode_unique(encoder, texts: list[str], *, kind: str = "passage") -> np.ndarray:
    """``encoder.encode(texts)``, each distinct text embedded once (identical passages, repeated boilerplate).

    >>> from gokg.ingest.embed import HashEncoder
    >>> vectors = encode_unique(HashEncoder(dim=8), ["saga", "tcc", "saga"])
    >>> vectors.shape, bool((vectors[0] == vectors[2]).all())
    ((3, 8), True)
    """
    order: dict[str, int] = {}
    rows = [order.setdefault(text, len(order)) for text in texts]
    if not order:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return encoder.encode(list(order), kind=kind)[rows]


class CompactPassages:
    """An encoder that reads passages in their compact form (:func:`compact_text`), each distinct one once.

    Queries pass through unchanged. ``name`` and ``dim`` are the wrapped encoder's, so an index records
    the encoder it was built with; other attributes are the wrapped encoder's too.
    """

    def __init__(self, encoder):
        self.encoder = encoder

    @property
    def name(self) -> str:
        return self.encoder.name

    @property
    def dim(self) -> int:
        return self.encoder.dim

    def __getattr__(self, attribute: str):
        return getattr(self.__dict__["encoder"], attribute)

    def encode(self, texts: list[str], *, kind: str) -> np.ndarray:
        if kind != "passage":
            return self.encoder.encode(texts, kind=kind)
        return encode_unique(self.encoder, [compact_text(text) for text in texts], kind=kind)

    def __repr__(self) -> str:
        return f"CompactPassages({self.encoder!r})"
