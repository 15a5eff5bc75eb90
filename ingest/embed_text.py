"""What a passage is embedded by: its prose as written; code, diagrams and markup by what carries meaning.

:func:`embed_text` is a passage's text for the indexes: its heading path (last two levels), then the
passage. The lexical index reads it whole, and its hash keys the embedding cache. The encoder reads a
compact form of it (:func:`compact_text`), because its time grows with the tokens it reads and a listing
spends most of its tokens on syntax (``}``, ``if err != nil {``, imports) that says little about what a
passage is about:

- prose, lists, tables and headings are kept as written (a heading repeated by the heading path once),
  less the numbering of headings and list items (``第二章:``, ``2.1``, ``3.``);
- code is replaced by its comments, Chinese text and first identifiers and string literals (each once,
  keywords out, at most :data:`CODE_IDENTIFIERS` a listing);
- a mermaid diagram by its first :data:`DIAGRAM_LABELS` node and edge labels;
- markup that carries no meaning goes: code fences, table separator rows, HTML-only lines, link
  reference definitions, the URL of a Markdown link (its text stays).

:class:`CompactPassages` wraps an encoder so that it reads passages this way, each distinct text once
(identical passages, repeated boilerplate), and a long one in windows of at most :data:`WINDOW_TOKENS`
tokens whose vectors are averaged; :func:`gokg.ingest.embed.load_encoder` applies it. e5 attends to every
pair of tokens in a window, so a token costs more in a longer one (0.66 ms at 64 tokens, 0.83 at 256,
0.93 at 384 on 2 cores: ``benchmarks/bench.py --reading``), and e5-small's mean-pooled vector of a long
passage is a blur of its topics: read in windows of 256 tokens, nDCG@10 rose from 0.818 to 0.844 on the
seeds' dev queries and from 0.763 to 0.776 on the cloudwego docs (windows of 192 or 128 lose quality on
the seeds). On the seeds the encoder reads 77 % of the original tokens, on the cloudwego docs 79 %.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

from gokg import text as text_helpers
from gokg.hashing import code_hash
from gokg.models import Passage
from gokg.text import heading_title

from . import structure as block_parser
from .structure import parse_blocks


@lru_cache(maxsize=1)
def reading() -> str:
    """What this module makes of a passage for the encoder, as a short hash of the code that decides it (this
    module, the block parser and the shared text helpers; comments and docstrings left out): vectors of a
    previous index are reused only when they were embedded from the same reading (graph.store.embedding_cache).
    Computed when an index is written or resumed, not when one is searched (parsing the code takes ~13 ms)."""
    sources = (__file__, block_parser.__file__, text_helpers.__file__)
    return code_hash("\n".join(Path(path).read_text(encoding="utf-8") for path in sources))

__all__ = [
    "embed_text", "compact_text", "code_summary", "mermaid_labels", "split_windows", "pool_windows", "encode_unique",
    "CompactPassages",
    "WINDOW_TOKENS", "reading",
]

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

WINDOW_TOKENS = 256  # the longest window the encoder reads of a passage (see the module's docstring)
CODE_IDENTIFIERS = 12  # names and literals a listing is read by, after its comments and Chinese text
DIAGRAM_LABELS = 12  # labels a diagram is read by

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
# Numbering at the start of a heading, a heading path's level or a list item (`第二章:`, `2.1`, `3.`, `一、`):
# it orders a document and says nothing about what a passage is about.
_NUMBERING = re.compile(
    r"(^#*\s*|(?<= > ))(?:第[一二三四五六七八九十百零\d]+[章节部分篇讲](?:[:：、.]\s*|\s+)|\d+(?:\.\d+)+\.?\s+"
    r"|\d+[.、)](?!\d)\s*|[一二三四五六七八九十]+、\s*)"
)
_BOUNDARIES = (re.compile(r"(?<=\n)"), re.compile(r"(?<=[。！？；.!?;])"), re.compile(r"(?<= )"))
# A cheap test before parsing: text without any of these has no code or diagram for parse_blocks to find.
_MAY_HOLD_CODE = re.compile(r"[{}();=<>]|:=|->|^\s*(graph|flowchart|sequenceDiagram|\$|#|//|FROM |RUN |apiVersion)", re.MULTILINE)


def embed_text(passage: Passage, with_section: bool = True) -> str:
    """A passage's text for the indexes: the heading path (its last two levels), then the passage."""
    if not with_section or not passage.section:
        return passage.text
    section = " > ".join(passage.section.split(" > ")[-2:])
    return passage.text if passage.text.startswith(section) else f"{section}\n{passage.text}"


def compact_text(text: str) -> str:
    """What the encoder reads for ``text``: prose as written (its numbering out), code by its comments and
    first identifiers, diagrams by their labels, no markup.

    >>> print(compact_text("2.1 路由分组\\n```go\\nr := gin.Default()\\napi := r.Group(\\"/api/v1\\") // 版本化\\n}\\n```"))
    路由分组
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
        lines.append(_NUMBERING.sub(r"\1", _MARKDOWN_LINK.sub(r"\2", line)))
    return "\n".join(lines).strip("\n")


def code_summary(code: str, seen: set[str] | None = None, identifiers: int = CODE_IDENTIFIERS) -> str:
    """A listing by its comments, string literals and identifiers, in order; an identifier already in ``seen``
    (updated), a keyword or a one-letter name is left out, and after the first ``identifiers`` (names and
    literals without Chinese) only comments and Chinese text are kept.

    >>> code_summary('h := server.Default()\\n// 注册路由\\nh.GET("/ping", handler)\\nif err != nil {\\n    return err\\n}')
    'server.Default 注册路由 h.GET /ping handler'
    >>> code_summary('a.One()\\nb.Two() // 第二步\\nc.Three("第三步")', identifiers=2)
    'a.One b.Two 第二步 第三步'
    """
    seen = set() if seen is None else seen
    words: list[str] = []
    left = identifiers

    def add(word: str) -> None:
        nonlocal left
        key = word.lower()
        if key in seen or key in _NOISE or not (len(word) > 1 or word.isupper()):
            return
        if not _HAN.search(word):
            if left <= 0:
                return
            left -= 1
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


def mermaid_labels(diagram: str, seen: set[str] | None = None, limit: int = DIAGRAM_LABELS) -> str:
    """A mermaid diagram by its first ``limit`` labels, each once; a node without a label by its name
    (one-letter ids left out).

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
            if label and label.lower() not in seen and len(words) < limit:
                seen.add(label.lower())
                words.append(label)
    return " ".join(words)


def split_windows(text: str, limit: int, count: Callable[[str], int]) -> list[str]:
    """``text`` in consecutive pieces of at most ``limit`` tokens as ``count`` counts them: cut at line ends,
    a longer line at sentence ends, then at spaces, then in halves.

    >>> split_windows("一二三。四五六。\\n七八", 4, len)
    ['一二三。', '四五六。', '七八']
    """
    if count(text) <= limit:
        return [text]
    pieces, current = [], ""
    for unit in _units(text, limit, count):
        if current and count(current + unit) > limit:
            pieces.append(current.strip())
            current = unit
        else:
            current += unit
    if current.strip():
        pieces.append(current.strip())
    return [piece for piece in pieces if piece] or [text]


def _units(text: str, limit: int, count: Callable[[str], int]) -> list[str]:
    if count(text) <= limit or len(text) < 2:
        return [text]
    for boundary in _BOUNDARIES:
        parts = [part for part in boundary.split(text) if part]
        if len(parts) > 1:
            return [unit for part in parts for unit in _units(part, limit, count)]
    half = len(text) // 2
    return _units(text[:half], limit, count) + _units(text[half:], limit, count)


def pool_windows(pieces: list[list[str]], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """One unit vector per text from the windows it was cut into (``pieces``, as :func:`split_windows` cuts
    them): ``encode`` embeds all the windows in one call; a text's vector is the normalised sum of its windows'.

    >>> from gokg.ingest.embed import HashEncoder
    >>> encode = HashEncoder(dim=8).encode
    >>> vectors = pool_windows([["saga"], ["saga", "tcc"]], lambda windows: encode(windows, kind="passage"))
    >>> vectors.shape, bool(np.allclose(np.linalg.norm(vectors, axis=1), 1))
    ((2, 8), True)
    >>> bool(np.allclose(vectors[0], encode(["saga"], kind="passage")[0]))
    True
    """
    flat = [window for windows in pieces for window in windows]
    vectors = np.asarray(encode(flat), dtype=np.float32)
    if len(flat) != len(pieces):
        owner = np.repeat(np.arange(len(pieces)), [len(windows) for windows in pieces])
        summed = np.zeros((len(pieces), vectors.shape[1]), dtype=np.float32)
        np.add.at(summed, owner, vectors)
        vectors = summed
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


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
    """An encoder that reads passages in their compact form (:func:`compact_text`), in windows of at most
    ``window`` tokens when the wrapped encoder counts tokens (``token_count``), each distinct window once;
    a passage's vector is the mean of its windows'.

    Queries pass through unchanged. ``name`` and ``dim`` are the wrapped encoder's, so an index records
    the encoder it was built with; ``reads`` names how passages are read (an index's vectors are reused
    only by a reader that reads them the same way); other attributes are the wrapped encoder's.
    """

    def __init__(self, encoder, window: int = WINDOW_TOKENS):
        self.encoder = encoder
        self.window = window

    @property
    def name(self) -> str:
        return self.encoder.name

    @property
    def dim(self) -> int:
        return self.encoder.dim

    @property
    def reads(self) -> str:
        windows = f", windows of {self.window} tokens" if hasattr(self.encoder, "token_count") else ""
        return f"compact text {reading()}{windows}"

    def __getattr__(self, attribute: str):
        return getattr(self.__dict__["encoder"], attribute)

    def windows(self, text: str) -> list[str]:
        """What the encoder reads of the passage text ``text``: its compact form, in windows."""
        compact = compact_text(text)
        count = getattr(self.encoder, "token_count", None)
        return split_windows(compact, self.window, count) if count else [compact]

    def encode(self, texts: list[str], *, kind: str) -> np.ndarray:
        if kind != "passage":
            return self.encoder.encode(texts, kind=kind)
        return pool_windows([self.windows(text) for text in texts],
                            lambda windows: encode_unique(self.encoder, windows, kind=kind))

    def __repr__(self) -> str:
        return f"CompactPassages({self.encoder!r})"
