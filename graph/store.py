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
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ingest.errors import IndexFormatError, IndexMissingError
from ingest.models import Concept, Mention, Passage

__all__ = ["FORMAT_VERSION", "staging_dir", "commit", "read_manifest", "write_json", "read_jsonl", "write_jsonl"]

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def staging_dir(index_dir: Path) -> Path:
    """A fresh temporary folder beside ``index_dir`` (same file system, so the final rename is atomic)."""
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = index_dir.parent / f".{index_dir.name}.tmp-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    return tmp


def commit(tmp: Path, index_dir: Path) -> None:
    """Swap the finished ``tmp`` folder into ``index_dir``; the old index is removed only afterwards."""
    index_dir = Path(index_dir)
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
