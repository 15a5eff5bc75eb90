"""Content hashes, in one place: what decides whether a file changed or a passage must be embedded again."""
from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["bytes_hash", "file_hash", "text_hash"]


def bytes_hash(data: bytes) -> str:
    """sha256 of raw bytes: a file's identity in the manifest."""
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes, or "" when it cannot be read (then it never looks unchanged)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:  # in chunks: a huge file is hashed without holding it in memory
            for chunk in iter(lambda: handle.read(2**20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def text_hash(text: str) -> str:
    """A short hash of the exact text an encoder saw: the key of the embedding cache.

    >>> text_hash("saga") == text_hash("saga"), text_hash("saga") == text_hash("Saga")
    (True, False)
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
