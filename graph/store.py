"""The index on disk: a folder of plain files, written to a temporary folder and renamed into place.

    manifest.json     format version, gokg version, encoder, settings, lexicon hash, file hashes, counts,
                      the stage (``embedding`` or ``complete``) and the size and sha256 of every file below
    passages.jsonl    one passage a line (ensure_ascii=False), with the hash of the text that is embedded
    bm25/             the bm25s index (JSON + .npy, loaded without pickle)
    hit_tokens/       each passage's tokens, for search to compare hits (see :mod:`.hit_tokens`; an index
                      written before it existed is read without it, and search tokenizes hits itself)
    concepts.json     the lexicon used, mentions.jsonl, graph.json (networkx node-link data)
    embedding/        while embedding: vectors in chunks, persisted as they complete (see :mod:`.chunks`)
    vectors.npy       once complete: float32 passage vectors (also the embedding cache of the next ingest)
    vectors.faiss     the faiss index over them

An ingest commits in two stages. First everything but the vectors (seconds): the index answers with
its lexical and concept signals. Then the vectors, chunk by chunk, into the committed folder; when the
last chunk is done, ``vectors.npy`` and ``vectors.faiss`` are written and the manifest is replaced (one
atomic rename) by one that says ``complete``, and the dense signal joins. A kill loses at most one chunk
and the next ingest continues. One process writes an index at a time (:mod:`.lock`); readers only read
a committed folder and never repair or rename anything while a writer holds the lock.

A killed or failed first stage leaves the previous index as it was. An index of another format version,
or one whose files do not match its manifest (:mod:`.integrity`), is refused with a message saying how
to rebuild it.
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
from gokg.hashing import file_hash, reader_hash, text_hash
from gokg.models import Concept, Mention, Passage

from . import concept_graph, integrity
from .chunks import CHUNK_DIR, ChunkLedger
from .hit_tokens import FOLDER as HIT_TOKENS, HitTokens
from .lexical import LexicalIndex
from .lock import writer_running
from .vectors import VectorIndex

__all__ = [
    "FORMAT_VERSION", "IndexData", "check_replaceable", "staging_dir", "commit", "read_manifest", "read_index", "write_index",
    "source_hashes", "embedding_cache", "write_json", "read_jsonl", "write_jsonl", "write_manifest", "finish_vectors",
    "passage_texts", "verify", "STAGE_EMBEDDING", "STAGE_COMPLETE",
]

FORMAT_VERSION = 2  # 2: staged vectors, checksums of every file
MANIFEST = "manifest.json"
STAGE_EMBEDDING = "embedding"  # committed and searchable, vectors still being embedded
STAGE_COMPLETE = "complete"
STAGE_ONE_FILES = ["passages.jsonl", "concepts.json", "mentions.jsonl", "graph.json", "bm25"]
WRITTEN_FILES = [*STAGE_ONE_FILES, HIT_TOKENS]  # what write_index writes; an older index may lack the last
VECTOR_FILES = ["vectors.npy", "vectors.faiss"]


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
    """If a swap was interrupted between its two renames, put the previous index back. Writers call it
    holding the lock; a reader only when no writer runs (a running writer finishes its own swap)."""
    index_dir = Path(index_dir)
    backup = index_dir.parent / f".{index_dir.name}.old"
    if not index_dir.exists() and backup.exists():
        os.rename(backup, index_dir)


def _wait_for_swap(index_dir: Path, timeout: float = 5.0) -> None:
    """A reader that finds the folder missing but its backup present is between a writer's two renames:
    wait for the writer (microseconds, normally); repair only a swap that no running writer owns."""
    backup = index_dir.parent / f".{index_dir.name}.old"
    deadline = time.monotonic() + timeout
    while not index_dir.exists() and backup.exists():
        if not writer_running(index_dir):
            try:
                recover(index_dir)
            except OSError:
                pass  # another reader repaired it first
            return
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)


def manifest_for(*, encoder_name: str, dim: int, reads: str | None = None, settings: dict, lexicon_hash: str, files: dict, sources: dict,
                 counts: dict, problems: list[dict], inputs: list[str], checksums: dict) -> dict:
    from gokg import __version__

    return {
        "format_version": FORMAT_VERSION,
        "gokg_version": __version__,
        "reader": reader_hash(),
        "python": platform.python_version(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "stage": STAGE_EMBEDDING,
        "encoder": {"name": encoder_name, "dim": dim, **({"reads": reads} if reads else {})},
        "vector_index": None,
        "settings": settings,
        "lexicon_hash": lexicon_hash,
        "inputs": inputs,
        "files": files,
        "sources": sources,
        "counts": counts,
        "problems": problems,
        "checksums": checksums,
    }


def read_manifest(index_dir: Path) -> dict:
    """The manifest of the index at ``index_dir``, its shape checked (not yet the files it lists)."""
    index_dir = Path(index_dir)
    _wait_for_swap(index_dir)
    path = index_dir / MANIFEST
    if not path.exists():
        raise IndexMissingError(f"{index_dir}: no gokg index here (run `gokg ingest` to build one)")
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise integrity.damaged(index_dir, f"unreadable manifest: {exc}") from None
    version = manifest.get("format_version") if isinstance(manifest, dict) else None
    if isinstance(manifest, dict) and version != FORMAT_VERSION:
        raise IndexFormatError(
            f"{index_dir}: index format version {version}, this gokg reads version {FORMAT_VERSION}; "
            f"{integrity.rebuild_hint(index_dir, manifest)}"
        )
    return integrity.check_manifest(index_dir, manifest)


def write_manifest(folder: Path, manifest: dict) -> None:
    """Replace the manifest in one rename: a reader sees the old one or the new one, never half of one."""
    tmp = Path(folder) / f".{MANIFEST}.tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(json.dumps(manifest, ensure_ascii=False, indent=1))
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, Path(folder) / MANIFEST)


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
        hints=tuple(tuple(h) for h in row.get("hints", ())), bare=tuple(row.get("bare", ())),
    )


def mention_from_row(row: dict) -> Mention:
    return Mention(**row)


def load_vectors(path: Path) -> np.ndarray:
    return np.load(path, allow_pickle=False)


@dataclass(frozen=True)
class IndexData:
    """Everything an index folder holds, loaded. ``vectors`` is empty until the index is complete."""

    manifest: dict
    passages: list[Passage]
    concepts: list[Concept]
    mentions: list[Mention]
    graph: nx.MultiDiGraph
    lexical: LexicalIndex
    vectors: VectorIndex
    embedded: int  # passages with a vector (all of them once complete)
    hit_tokens: HitTokens | None = None  # None in an index written before they were saved

    @property
    def complete(self) -> bool:
        return self.manifest["stage"] == STAGE_COMPLETE


def verify(index_dir: Path, *, full: bool = False) -> dict:
    """The manifest, after checking that every file it lists is there with its size and checksum (all
    checksums with ``full``); cheaper than :func:`read_index`, which also checks that the parts line up."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    _check_listed(index_dir, manifest, manifest["stage"] == STAGE_COMPLETE)
    integrity.verify_files(index_dir, manifest, full=full)
    return manifest


def read_index(index_dir: Path) -> IndexData:
    """Load the index at ``index_dir`` and check that its parts line up; IndexMissingError or
    IndexFormatError (saying how to rebuild) otherwise."""
    index_dir = Path(index_dir)
    manifest = verify(index_dir)
    complete = manifest["stage"] == STAGE_COMPLETE
    try:
        rows = read_jsonl(index_dir / "passages.jsonl")
        for position, row in enumerate(rows):
            integrity.check_passage_row(index_dir, row, position, manifest)
        passages = [passage_from_row(r) for r in rows]
        concepts = [concept_from_row(r) for r in json.loads((index_dir / "concepts.json").read_text("utf-8"))]
        mentions = [mention_from_row(r) for r in read_jsonl(index_dir / "mentions.jsonl")]
        graph_data = json.loads((index_dir / "graph.json").read_text("utf-8"))
        integrity.check_graph_data(index_dir, graph_data, manifest)
        graph = concept_graph.from_node_link(graph_data)
        lexical = LexicalIndex.load(index_dir / "bm25", len(passages))
        dim = manifest["encoder"]["dim"]
        vectors = VectorIndex.load(index_dir / "vectors.faiss") if complete else VectorIndex.build(np.zeros((0, dim), np.float32))
        listed = {name.split("/")[0] for name in manifest["checksums"]}
        hit_tokens = HitTokens.load(index_dir / HIT_TOKENS) if HIT_TOKENS in listed else None
    except IndexFormatError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RuntimeError) as exc:
        raise integrity.damaged(index_dir, f"{exc.__class__.__name__}: {exc}", manifest) from None
    counts = manifest["counts"]
    if len(passages) != counts["passages"]:
        raise integrity.damaged(index_dir, f"{len(passages)} passages, the manifest says {counts['passages']}", manifest)
    lexical_rows = _lexical_rows(index_dir)
    if lexical_rows != len(passages):
        raise integrity.damaged(index_dir, f"the lexical index has {lexical_rows} rows for {len(passages)} passages", manifest)
    if complete and (vectors.size != len(passages) or vectors.dim != dim):
        raise integrity.damaged(
            index_dir, f"{vectors.size} vectors of dimension {vectors.dim} for {len(passages)} passages of dimension {dim}",
            manifest)
    if hit_tokens is not None and len(hit_tokens) != len(passages):
        raise integrity.damaged(index_dir, f"{HIT_TOKENS} has {len(hit_tokens)} rows for {len(passages)} passages", manifest)
    if any(not 0 <= m.passage_id < len(passages) for m in mentions):
        raise integrity.damaged(index_dir, "a mention points at a passage that is not there", manifest)
    embedded = len(passages) if complete else _embedded_count(index_dir, rows)
    return IndexData(manifest, passages, concepts, mentions, graph, lexical, vectors, embedded, hit_tokens)


def _lexical_rows(index_dir: Path):
    try:
        return json.loads((index_dir / "bm25" / "params.index.json").read_text("utf-8")).get("num_docs")
    except (OSError, ValueError, AttributeError):
        return None


def _check_listed(index_dir: Path, manifest: dict, complete: bool) -> None:
    """The manifest lists every file its stage needs (a manifest that forgot one would skip its check)."""
    listed = {name.split("/")[0] for name in manifest["checksums"]}
    needed = set(STAGE_ONE_FILES) | (set(VECTOR_FILES) if complete else set())
    missing = sorted(needed - listed)
    if missing:
        raise integrity.damaged(index_dir, f"the manifest has no checksum of {', '.join(missing)}", manifest)


def _embedded_count(index_dir: Path, rows: list[dict]) -> int:
    done = ChunkLedger(index_dir).hashes()
    return sum(1 for row in rows if row["hash"] in done)


def passage_texts(passages: list[Passage]) -> tuple[list[str], dict[str, str], dict[str, int]]:
    """What the encoder sees for each passage: its hash per passage, the text per distinct hash, and how
    many passages share each hash (identical texts are embedded once)."""
    from gokg.ingest.pipeline import embed_text

    hashes: list[str] = []
    texts: dict[str, str] = {}
    passages_of: dict[str, int] = {}
    for passage in passages:
        text = embed_text(passage)
        key = text_hash(text)
        hashes.append(key)
        texts.setdefault(key, text)
        passages_of[key] = passages_of.get(key, 0) + 1
    return hashes, texts, passages_of


def write_index(tmp: Path, corpus, settings, encoder, tokenizer, lexicon_hash: str, *, inputs: list[str]) -> dict:
    """Write everything but the vectors for ``corpus`` into the staging folder ``tmp``; return its manifest
    (stage ``embedding``: :func:`finish_vectors` completes it once every vector is in the ledger)."""
    hashes, texts, _ = passage_texts(corpus.passages)
    write_jsonl(tmp / "passages.jsonl", (passage_row(p, h) for p, h in zip(corpus.passages, hashes)))
    tokens = {h: tokenizer(text) for h, text in texts.items()}  # each distinct text once
    lexical = LexicalIndex.build([tokens[h] for h in hashes])
    (tmp / "bm25").mkdir()
    lexical.save(tmp / "bm25")
    HitTokens.build(corpus.passages, tokenizer, {texts[h]: t for h, t in tokens.items()}).save(tmp / HIT_TOKENS)
    del tokens
    write_json(tmp / "concepts.json", [asdict(c) for c in corpus.concepts])
    write_jsonl(tmp / "mentions.jsonl", (asdict(m) for m in corpus.mentions))
    graph = concept_graph.build_graph(corpus.concepts, corpus.mentions, corpus.relations, corpus.definitions)
    write_json(tmp / "graph.json", concept_graph.to_node_link(graph))
    manifest = manifest_for(
        encoder_name=encoder.name,
        dim=int(encoder.dim),
        reads=getattr(encoder, "reads", None),
        settings=settings.to_dict(),
        lexicon_hash=lexicon_hash,
        files={d.name: d.sha256 for d in corpus.documents},
        sources=indexed_sources(corpus),
        counts={
            "files": len(corpus.documents),
            "passages": len(corpus.passages),
            "texts": len(texts),
            "concepts": graph.number_of_nodes(),
            "relations": graph.number_of_edges(),
            "mentions": len(corpus.mentions),
        },
        problems=[{"path": p.path, "reason": p.reason, **({"kept": True} if p.kept else {})} for p in corpus.problems],
        inputs=inputs,
        checksums=integrity.checksums(tmp, WRITTEN_FILES),
    )
    # The manifest is written last: a folder without one is never mistaken for an index.
    write_manifest(tmp, manifest)
    return manifest


def finish_vectors(index_dir: Path) -> bool:
    """If the ledger holds a vector for every passage, write ``vectors.npy`` and ``vectors.faiss``, then
    the manifest that says ``complete`` (one rename), then drop the chunks. False if vectors are missing."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    if manifest["stage"] == STAGE_COMPLETE:
        return True
    dim = manifest["encoder"]["dim"]
    rows = read_jsonl(index_dir / "passages.jsonl")
    have = ChunkLedger(index_dir).vectors(dim)
    if any(row["hash"] not in have for row in rows):
        return False
    matrix = np.stack([have[row["hash"]] for row in rows]).astype(np.float32) if rows else np.zeros((0, dim), np.float32)
    np.save(index_dir / ".vectors.npy.tmp.npy", matrix, allow_pickle=False)
    os.replace(index_dir / ".vectors.npy.tmp.npy", index_dir / "vectors.npy")
    vectors = VectorIndex.build(matrix)
    vectors.save(index_dir / ".vectors.faiss.tmp")
    os.replace(index_dir / ".vectors.faiss.tmp", index_dir / "vectors.faiss")
    manifest = {
        **manifest,
        "stage": STAGE_COMPLETE,
        "vector_index": vectors.kind,
        "counts": {**manifest["counts"], "vectors": len(matrix)},
        "checksums": {**manifest["checksums"], **integrity.checksums(index_dir, VECTOR_FILES)},
    }
    write_manifest(index_dir, manifest)
    shutil.rmtree(index_dir / CHUNK_DIR, ignore_errors=True)
    return True


def indexed_sources(corpus) -> dict[str, str]:
    """The manifest's file hashes: of the bytes that were read for every indexed document (a file edited
    during the ingest then differs from its record, so the next ingest reads it again), and of the current
    bytes for files that were skipped; a document's file is not read a second time."""
    read = {doc.path: doc.sha256 for doc in corpus.documents}
    return {**source_hashes(corpus.paths, known=read), **read}


def source_hashes(paths: list[Path], known: dict[str, str] | None = None) -> dict[str, str]:
    """sha256 of every candidate file under ``paths``, by path: what an ingest would read. ``known``
    hashes (by path) are taken as they are instead of reading those files again."""
    from gokg.ingest.read import find_files

    known = known or {}
    files, _ = find_files([Path(p) for p in paths])
    return {str(file): known.get(str(file)) or file_hash(file) for file, _root in files}


def embedding_cache(index_dir: Path, encoder_name: str, reads: str | None = None) -> dict[str, np.ndarray]:
    """Vectors of the previous index at ``index_dir`` by text hash, if it was built with the same encoder
    reading passages the same way (``reads``: see gokg.ingest.embed_text.CompactPassages): its vectors once
    complete, its persisted chunks while embedding. Files that do not match their checksums are not used
    (a vector must belong to the text its hash names)."""
    index_dir = Path(index_dir)
    try:
        manifest = json.loads((index_dir / MANIFEST).read_text("utf-8"))
        if manifest["encoder"]["name"] != encoder_name or manifest["encoder"].get("reads") != reads:
            return {}
        dim = int(manifest["encoder"]["dim"])
        if manifest.get("format_version") == 1:  # before checksums: the rows of vectors.npy follow passages.jsonl
            return _rows_by_hash(read_jsonl(index_dir / "passages.jsonl"), load_vectors(index_dir / "vectors.npy"), dim)
        manifest = integrity.check_manifest(index_dir, manifest)
        if manifest["stage"] != STAGE_COMPLETE:
            return ChunkLedger(index_dir).vectors(dim)
        integrity.verify_files(index_dir, {"checksums": {
            k: v for k, v in manifest["checksums"].items() if k in ("passages.jsonl", "vectors.npy")}}, full=True)
        return _rows_by_hash(read_jsonl(index_dir / "passages.jsonl"), load_vectors(index_dir / "vectors.npy"), dim)
    except Exception:  # noqa: BLE001 - no usable previous index just means nothing is cached
        return {}


def _rows_by_hash(rows: list[dict], vectors: np.ndarray, dim: int) -> dict[str, np.ndarray]:
    if vectors.ndim != 2 or vectors.shape != (len(rows), dim):
        return {}
    return {row["hash"]: vectors[i] for i, row in enumerate(rows)}
