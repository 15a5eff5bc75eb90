"""Embeddings persisted in chunks as they complete, so a killed ingest loses at most one chunk.

Inside an index folder that is still embedding::

    embedding/ledger.jsonl    one line per finished chunk: its file, the text hashes of its rows, its sha256
    embedding/00000.npy       float32 rows, one per hash of that line (no pickle)

A chunk file is written (to a temporary name, then renamed) before its ledger line is appended, so a line
always names a complete file; a line cut short by a kill is ignored, and so is a chunk file no line names.
Vectors are keyed by the hash of the text the encoder saw: identical texts are embedded once, and the next
ingest, of the same or of changed files, reuses every vector whose text did not change.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from .integrity import file_sha256

__all__ = ["CHUNK_DIR", "ChunkLedger", "embed_missing", "seed_from_cache"]

CHUNK_DIR = "embedding"
LEDGER = "ledger.jsonl"

Progress = Callable[[str, int, int], None]


class ChunkLedger:
    """The embedding chunks of one index folder."""

    def __init__(self, index_dir: Path):
        self.folder = Path(index_dir) / CHUNK_DIR
        self._next: int | None = None  # the number of the next chunk file, counted once

    def entries(self) -> list[dict]:
        """The complete chunks, in the order they were written (a line cut short by a kill is left out)."""
        try:
            lines = (self.folder / LEDGER).read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []
        out = []
        for line in lines:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("hashes"), list) and isinstance(entry.get("file"), str):
                out.append(entry)
        return out

    def hashes(self) -> set[str]:
        return {h for entry in self.entries() for h in entry["hashes"]}

    def vectors(self, dim: int) -> dict[str, np.ndarray]:
        """Every persisted vector by text hash; a chunk whose file is missing, altered or of another
        dimension is left out (its passages are embedded again)."""
        out: dict[str, np.ndarray] = {}
        for entry in self.entries():
            path = self.folder / Path(entry["file"]).name
            try:
                if file_sha256(path) != entry.get("sha256"):
                    continue
                rows = np.load(path, allow_pickle=False)
            except (OSError, ValueError):
                continue
            if rows.ndim == 2 and rows.shape == (len(entry["hashes"]), dim):
                out.update(zip(entry["hashes"], rows))
        return out

    def append(self, hashes: list[str], vectors: np.ndarray, *, seconds: float) -> None:
        """Persist one chunk: its file first, then its ledger line (each flushed to disk)."""
        self.folder.mkdir(exist_ok=True)
        if self._next is None:
            self._next = len(self.entries())
        number = self._next
        name = f"{number:05d}.npy"
        while (self.folder / name).exists():  # a file left by a kill between the two writes
            number += 1
            name = f"{number:05d}.npy"
        tmp = self.folder / f".{name}.tmp"
        with open(tmp, "wb") as out:
            np.save(out, np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.folder / name)
        entry = {"file": name, "hashes": list(hashes), "sha256": file_sha256(self.folder / name),
                 "time": round(time.time(), 3), "seconds": round(seconds, 3)}
        with open(self.folder / LEDGER, "a", encoding="utf-8") as ledger:
            ledger.write(json.dumps(entry) + "\n")
            ledger.flush()
            os.fsync(ledger.fileno())
        self._next = number + 1

    def rate(self) -> float | None:
        """Texts embedded per second over the chunks the encoder actually ran (cached chunks cost nothing)."""
        timed = [e for e in self.entries() if e.get("seconds", 0) > 0]
        seconds = sum(e["seconds"] for e in timed)
        return sum(len(e["hashes"]) for e in timed) / seconds if seconds > 0 else None


def embed_missing(
    index_dir: Path,
    texts: dict[str, str],
    encode: Callable[[list[str]], np.ndarray],
    *,
    chunk_size: int = 32,
    progress: Progress | None = None,
    passages_of: dict[str, int] | None = None,
    total: int | None = None,
    have: set[str] | None = None,
) -> int:
    """Embed the texts (by hash) that the folder's ledger does not hold yet (or that are not in ``have``),
    one chunk at a time; return how many were run through the encoder. Progress counts passages
    (``passages_of``: passages per hash)."""
    ledger = ChunkLedger(index_dir)
    done = ledger.hashes() if have is None else have
    todo = [h for h in texts if h not in done]
    weight = passages_of or {}
    count = lambda hashes: sum(weight.get(h, 1) for h in hashes)  # noqa: E731
    total = total if total is not None else count(texts)
    finished = count(h for h in texts if h in done)
    if progress:
        progress("embed", finished, total)
    for start in range(0, len(todo), chunk_size):
        batch = todo[start : start + chunk_size]
        began = time.perf_counter()
        vectors = encode([texts[h] for h in batch])
        ledger.append(batch, vectors, seconds=time.perf_counter() - began)
        finished += count(batch)
        if progress:
            progress("embed", finished, total)
    return len(todo)


def seed_from_cache(index_dir: Path, hashes: Iterable[str], cache: dict[str, np.ndarray]) -> int:
    """Write the vectors ``cache`` already holds for ``hashes`` as one chunk (encoder time 0)."""
    found = [h for h in dict.fromkeys(hashes) if h in cache]
    if found:
        ChunkLedger(index_dir).append(found, np.stack([cache[h] for h in found]), seconds=0.0)
    return len(found)
