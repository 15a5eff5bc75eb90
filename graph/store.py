"""The index on disk: a folder of plain files, written to a temporary folder and renamed into place.

    manifest.json     format version, gokg version, encoder, settings, lexicon hash, file hashes, counts
    passages.jsonl    one passage a line (ensure_ascii=False), with the hash of the text that was embedded
    vectors.npy       float32 passage vectors (also the embedding cache of the next ingest)
    vectors.faiss     the faiss index over them
    bm25/             the bm25s index (JSON + .npy, loaded without pickle)
    concepts.json     the lexicon used, mentions.jsonl, graph.json (networkx node-link data)

A killed or failed write leaves the previous index as it was. An index of another format version is
refused with a message saying how to rebuild it.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import networkx as nx
import numpy as np

from gokg.errors import IndexFormatError, IndexMissingError, InputError
from gokg.hashing import file_hash, text_hash
from gokg.models import Concept, Mention, Passage

from . import concept_graph
from .lexical import LexicalIndex
from .vectors import VectorIndex

__all__ = [
    "FORMAT_VERSION", "IndexData", "check_replaceable", "staging_dir", "commit", "read_manifest", "read_index", "write_index",
    "source_hashes", "embedding_cache", "write_json", "read_jsonl", "write_jsonl",
]

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def check_replaceable(index_dir: Path) -> None:
    """Refuse an ``index_dir`` that gokg did not create: gokg writes only into a missing folder, an empty
    one, or over a gokg index (a folder with a manifest), and never deletes anything else of the user's."""
    index_dir = Path(index_dir)
    if not index_dir.exists() and not index_dir.is_symlink():
        return
    if not index_dir.is_dir():
        raise InputError(f"{index_dir}: exists and is not a folder; choose a new or empty folder for the index")
    if (index_dir / MANIFEST).is_file() or not any(index_dir.iterdir()):
        return
    raise InputError(
        f"{index_dir}: not a gokg index (no {MANIFEST}) and not empty; gokg does not replace folders it did not "
        "create, choose a new or empty folder for the index"
    )


def staging_dir(index_dir: Path) -> Path:
    """A fresh temporary folder beside ``index_dir`` (same file system, so the final rename is atomic)."""
    index_dir = Path(index_dir)
    check_replaceable(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = index_dir.parent / f".{index_dir.name}.tmp-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    return tmp


def commit(tmp: Path, index_dir: Path) -> None:
    """Swap the finished ``tmp`` folder into ``index_dir``; the old index is removed only afterwards."""
    index_dir = Path(index_dir)
    check_replaceable(index_dir)  # again: the folder may have changed while the index was being built
    backup = index_dir.parent / f".{index_dir.name}.old"
    if backup.exists():
        shutil.rmtree(backup)
    if index_dir.exists():
        os.rename(index_dir, backup)
    os.rename(tmp, index_dir)
    shutil.rmtree(backup, ignore_errors=True)
    for stale in index_dir.parent.glob(f".{index_dir.name}.tmp-*"):
        _remove_if_dead(stale)


def _remove_if_dead(stale: Path) -> None:
    """Remove a staging folder left by a killed ingest (its process no longer runs)."""
    try:
        pid = int(stale.name.split(".tmp-")[1].split("-")[0])
        os.kill(pid, 0)
    except ProcessLookupError:
        shutil.rmtree(stale, ignore_errors=True)
    except (ValueError, IndexError, PermissionError, OSError):
        pass


def recover(index_dir: Path) -> None:
    """If a swap was interrupted between its two renames, put the previous index back."""
    index_dir = Path(index_dir)
    backup = index_dir.parent / f".{index_dir.name}.old"
    if not index_dir.exists() and backup.exists():
        os.rename(backup, index_dir)


def manifest_for(*, encoder_name: str, dim: int, settings: dict, lexicon_hash: str, files: dict, sources: dict,
                 counts: dict, problems: list[dict], vector_index: str) -> dict:
    from gokg import __version__

    return {
        "format_version": FORMAT_VERSION,
        "gokg_version": __version__,
        "python": platform.python_version(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "encoder": {"name": encoder_name, "dim": dim},
        "vector_index": vector_index,
        "settings": settings,
        "lexicon_hash": lexicon_hash,
        "files": files,
        "sources": sources,
        "counts": counts,
        "problems": problems,
    }


def read_manifest(index_dir: Path) -> dict:
    index_dir = Path(index_dir)
    recover(index_dir)
    path = index_dir / MANIFEST
    if not path.exists():
        raise IndexMissingError(f"{index_dir}: no gokg index here (run `gokg ingest` to build one)")
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise IndexFormatError(f"{path}: unreadable manifest ({exc}); rebuild it with `gokg ingest`") from None
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexFormatError(
            f"{index_dir}: index format version {version}, this gokg reads version {FORMAT_VERSION}; "
            f"rebuild it with `gokg ingest --index {index_dir}`"
        )
    return manifest


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")


def write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def passage_row(passage: Passage, text_hash: str) -> dict:
    row = asdict(passage)
    row["kinds"] = list(passage.kinds)
    row["hash"] = text_hash
    return row


def passage_from_row(row: dict) -> Passage:
    return Passage(
        id=row["id"], doc=row["doc"], line_start=row["line_start"], line_end=row["line_end"],
        section=row["section"], text=row["text"], kinds=tuple(row.get("kinds", ())),
    )


def concept_from_row(row: dict) -> Concept:
    return Concept(
        id=row["id"], name=row["name"], type=row["type"], aliases=tuple(row["aliases"]),
        description=row.get("description", ""), discovered=row.get("discovered", False),
        hints=tuple(tuple(h) for h in row.get("hints", ())),
    )


def mention_from_row(row: dict) -> Mention:
    return Mention(**row)


def load_vectors(path: Path) -> np.ndarray:
    return np.load(path, allow_pickle=False)


@dataclass(frozen=True)
class IndexData:
    """Everything an index folder holds, loaded."""

    manifest: dict
    passages: list[Passage]
    concepts: list[Concept]
    mentions: list[Mention]
    graph: nx.MultiDiGraph
    lexical: LexicalIndex
    vectors: VectorIndex


def read_index(index_dir: Path) -> IndexData:
    """Load the index at ``index_dir``; IndexMissingError or IndexFormatError say what to do otherwise."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    try:
        passages = [passage_from_row(r) for r in read_jsonl(index_dir / "passages.jsonl")]
        concepts = [concept_from_row(r) for r in json.loads((index_dir / "concepts.json").read_text("utf-8"))]
        mentions = [mention_from_row(r) for r in read_jsonl(index_dir / "mentions.jsonl")]
        graph = concept_graph.from_node_link(json.loads((index_dir / "graph.json").read_text("utf-8")))
        lexical = LexicalIndex.load(index_dir / "bm25", len(passages))
        vectors = VectorIndex.load(index_dir / "vectors.faiss")
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise IndexFormatError(f"{index_dir}: damaged index ({exc.__class__.__name__}: {exc}); rebuild it with `gokg ingest`") from None
    return IndexData(manifest, passages, concepts, mentions, graph, lexical, vectors)


def write_index(tmp: Path, corpus, settings, encoder, tokenizer, lexicon_hash: str) -> None:
    """Write every component of the index for ``corpus`` into the staging folder ``tmp``."""
    from gokg.ingest.pipeline import embed_text

    texts = [embed_text(p) for p in corpus.passages]
    write_jsonl(tmp / "passages.jsonl", (passage_row(p, text_hash(t)) for p, t in zip(corpus.passages, texts)))
    np.save(tmp / "vectors.npy", corpus.vectors, allow_pickle=False)
    vectors = VectorIndex.build(corpus.vectors)
    vectors.save(tmp / "vectors.faiss")
    lexical = LexicalIndex.build([tokenizer(t) for t in texts])
    (tmp / "bm25").mkdir()
    lexical.save(tmp / "bm25")
    write_json(tmp / "concepts.json", [asdict(c) for c in corpus.concepts])
    write_jsonl(tmp / "mentions.jsonl", (asdict(m) for m in corpus.mentions))
    graph = concept_graph.build_graph(corpus.concepts, corpus.mentions, corpus.relations, corpus.definitions)
    write_json(tmp / "graph.json", concept_graph.to_node_link(graph))
    manifest = manifest_for(
        encoder_name=encoder.name,
        dim=int(encoder.dim),
        settings=settings.to_dict(),
        lexicon_hash=lexicon_hash,
        files={d.name: d.sha256 for d in corpus.documents},
        sources=source_hashes(corpus.paths),
        counts={
            "files": len(corpus.documents),
            "passages": len(corpus.passages),
            "concepts": graph.number_of_nodes(),
            "relations": graph.number_of_edges(),
            "mentions": len(corpus.mentions),
        },
        problems=[{"path": p.path, "reason": p.reason} for p in corpus.problems],
        vector_index=vectors.kind,
    )
    # The manifest is written last: a folder without one is never mistaken for an index.
    write_json(tmp / MANIFEST, manifest)


def source_hashes(paths: list[Path]) -> dict[str, str]:
    """sha256 of every candidate file under ``paths``, by path: what an ingest would read."""
    from gokg.ingest.read import find_files

    files, _ = find_files([Path(p) for p in paths])
    return {str(file): file_hash(file) for file, _root in files}


def embedding_cache(index_dir: Path, encoder_name: str) -> dict[str, np.ndarray]:
    """Vectors of the previous index, by text hash, if it was built with the same encoder."""
    try:
        manifest = read_manifest(index_dir)
        if manifest["encoder"]["name"] != encoder_name:
            return {}
        rows = read_jsonl(Path(index_dir) / "passages.jsonl")
        vectors = load_vectors(Path(index_dir) / "vectors.npy")
    except Exception:  # noqa: BLE001 - no usable previous index just means nothing is cached
        return {}
    return {row["hash"]: vectors[i] for i, row in enumerate(rows) if i < len(vectors)}
