"""Wire the ingest stages: read -> structure -> passages -> mentions and relations -> vectors.

:func:`prepare` runs every stage but the vectors (what the index needs to answer with its lexical and
concept signals); :func:`ingest` adds the vectors in one go. The knowledge base commits the first, then
embeds chunk by chunk (:mod:`gokg.graph.chunks`). Every stage reports ``progress(stage, done, total)``
and ends with ``done == total``."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .discover import discover_concepts
from .embed import Encoder
from .embed_text import embed_text  # what a passage is embedded by (its own module)
from .extract import extract_relations, find_definitions, find_mentions
from .lexicon import ConceptMatcher, load_lexicon
from gokg.hashing import text_hash
from gokg.models import Concept, Document, Evidence, Mention, Passage, Problem, Relation
from .passages import make_passages
from .read import read_documents
from gokg.settings import Settings
from .structure import parse_blocks

__all__ = ["Corpus", "prepare", "ingest", "embed_text", "STAGES"]

Progress = Callable[[str, int, int], None]

# The stages an ingest reports, in order, with what they count.
STAGES = {"read": "files", "passages": "files", "concepts": "steps", "index": "steps", "embed": "passages"}


@dataclass(frozen=True)
class Corpus:
    """Everything ingest produced, ready to be indexed."""

    documents: list[Document]
    passages: list[Passage]
    concepts: list[Concept]
    mentions: list[Mention]
    relations: list[Relation]
    definitions: dict[str, Evidence]
    vectors: np.ndarray | None  # None from prepare(): the vectors are embedded afterwards
    problems: list[Problem] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    embedded: int = 0  # how many passages were actually run through the encoder (the rest came from cache)


def prepare(paths: list[str | Path], settings: Settings = Settings(), *, progress: Progress | None = None) -> Corpus:
    """Read ``paths`` into passages, concepts, mentions and relations: a :class:`Corpus` without vectors."""
    report = progress or (lambda stage, done, total: None)
    documents, problems = read_documents(paths, progress=lambda done, total: report("read", done, total))
    passages: list[Passage] = []
    report("passages", 0, len(documents))
    for number, doc in enumerate(documents, start=1):
        blocks = parse_blocks(doc.text)
        passages.extend(
            make_passages(
                doc,
                blocks,
                first_id=len(passages),
                max_lines=settings.max_passage_lines,
                target_chars=settings.target_passage_chars,
            )
        )
        report("passages", number, len(documents))
    steps = 4
    report("concepts", 0, steps)
    concepts = load_lexicon(settings.lexicon)
    if settings.discover:
        concepts, discovered = discover_concepts(passages, concepts)
        concepts = concepts + discovered
    report("concepts", 1, steps)
    matcher = ConceptMatcher(concepts)
    mentions = find_mentions(passages, matcher)
    report("concepts", 2, steps)
    relations = extract_relations(
        passages, matcher, concepts, min_cooccurrence=settings.min_cooccurrence, min_npmi=settings.min_npmi
    )
    report("concepts", 3, steps)
    definitions = find_definitions(passages, matcher)
    report("concepts", 4, steps)
    return Corpus(documents, passages, concepts, mentions, relations, definitions, None, problems, [Path(p) for p in paths])


def ingest(
    paths: list[str | Path],
    encoder: Encoder,
    settings: Settings = Settings(),
    *,
    cache: dict[str, np.ndarray] | None = None,
    progress: Progress | None = None,
    batch_size: int = 32,
) -> Corpus:
    """Read ``paths`` and produce a :class:`Corpus` with its vectors, in one go. ``cache`` maps text hashes
    to vectors already computed by the same encoder, so unchanged passages are not embedded again."""
    corpus = prepare(paths, settings, progress=progress)
    vectors, embedded = _embed(corpus.passages, encoder, cache or {}, progress, batch_size)
    return replace(corpus, vectors=vectors, embedded=embedded)


def _embed(passages, encoder, cache, progress, batch_size) -> tuple[np.ndarray, int]:
    texts = [embed_text(p) for p in passages]
    hashes = [text_hash(t) for t in texts]
    vectors = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    todo: list[int] = []
    for i, h in enumerate(hashes):
        cached = cache.get(h)
        if cached is not None and cached.shape == (encoder.dim,):
            vectors[i] = cached
        else:
            todo.append(i)
    # Identical texts (repeated boilerplate, copied sections) are embedded once.
    unique: dict[str, list[int]] = {}
    for i in todo:
        unique.setdefault(hashes[i], []).append(i)
    keys = list(unique)
    if progress:
        progress("embed", 0, len(keys))
    for start in range(0, len(keys), batch_size):
        batch = keys[start : start + batch_size]
        encoded = encoder.encode([texts[unique[k][0]] for k in batch], kind="passage")
        for key, vector in zip(batch, encoded):
            vectors[unique[key]] = vector
        if progress:
            progress("embed", min(start + batch_size, len(keys)), len(keys))
    return vectors, len(keys)
