"""Content hashes, in one place: what decides whether a file changed or a passage must be embedded again."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["bytes_hash", "file_hash", "text_hash", "reader_hash"]


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


@lru_cache(maxsize=1)
def reader_hash() -> str:
    """A short hash of the code that reads articles into passages, concepts and relations (``gokg.ingest``
    and the shared text helpers): an index built by other such code is rebuilt by the next ingest, even
    under the same version number (its vectors are reused where the passages are unchanged)."""
    digest = hashlib.sha256()
    for package in ("gokg.ingest", "gokg"):
        root = resources.files(package)
        for entry in sorted(root.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".py") and (package == "gokg.ingest" or entry.name in ("models.py", "text.py")):
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()[:16]
