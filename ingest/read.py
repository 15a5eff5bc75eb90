"""Find article files and read each with the reader registered for its suffix (see :mod:`.readers`).

A file that cannot be read becomes a :class:`~gokg.models.Problem` naming the file and the reason;
every other file is still read.
"""
from __future__ import annotations

import os
from pathlib import Path

from gokg.errors import InputError
from gokg.hashing import bytes_hash
from gokg.models import Document, Problem

from .readers import READERS, decode, read_text, suffixes

__all__ = ["SUFFIXES", "MAX_FILE_BYTES", "find_files", "read_file", "read_documents", "decode"]

MAX_FILE_BYTES = 20 * 1024 * 1024


def __getattr__(name: str):
    # SUFFIXES is read from the reader registry when asked for, so a reader registered later counts.
    if name == "SUFFIXES":
        return suffixes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def find_files(paths: list[str | Path]) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    """Expand files and folders (recursively) into ``(file, root)`` pairs with a supported suffix.

    Symlinked folders are not followed, so a symlink loop cannot recurse; each real file is listed once.
    """
    found: list[tuple[Path, Path]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    readable = set(suffixes())
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_file():
            candidates = [(path, path.parent)]
        else:
            candidates = []
            for folder, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    candidates.append((Path(folder) / name, path))
        for file, root in candidates:
            if file.suffix.lower() not in readable:
                continue
            try:
                real = os.path.realpath(file, strict=True)
            except (OSError, RuntimeError) as exc:  # dangling link or a symlink loop
                problems.append(Problem(str(file), f"cannot resolve the path ({exc.__class__.__name__})"))
                continue
            if real in seen:
                continue
            seen.add(real)
            found.append((file, root))
    return found, problems


def read_file(file: Path, root: Path) -> Document | Problem:
    """Read one file into a :class:`Document` with the reader for its suffix, or a Problem with the reason."""
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            return Problem(str(file), f"too large ({size / 2**20:.1f} MB > {MAX_FILE_BYTES // 2**20} MB)")
        data = file.read_bytes()
    except FileNotFoundError:
        return Problem(str(file), "vanished before it could be read")
    except OSError as exc:
        return Problem(str(file), f"cannot be read ({exc.strerror or exc})")
    if not data.strip():
        return Problem(str(file), "empty file")
    suffix = file.suffix.lower()
    # A file find_files would skip (read_file called on it directly) is read as text, as it always was.
    reader = READERS.get(suffix) if suffix in READERS else read_text
    try:
        text, encoding = reader(data)
    except ValueError as exc:  # the reader's reason, e.g. "binary file (NUL bytes)"
        return Problem(str(file), str(exc))
    except Exception as exc:  # noqa: BLE001 - a reader's failure must name the file, not stop ingest
        return Problem(str(file), f"the {suffix} reader failed ({exc.__class__.__name__}: {exc})")
    if not text.strip():
        return Problem(str(file), "no text after decoding")
    name = file.name if root == file.parent and file.is_relative_to(root) else str(file.relative_to(root))
    digest = bytes_hash(data)
    return Document(name=name, path=str(file), text=text, sha256=digest, encoding=encoding)


def read_documents(paths: list[str | Path]) -> tuple[list[Document], list[Problem]]:
    """Read every supported file under ``paths``; return the documents and the problems."""
    files, problems = find_files(paths)
    documents: list[Document] = []
    names: set[str] = set()
    for file, root in files:
        result = read_file(file, root)
        if isinstance(result, Problem):
            problems.append(result)
        elif result.name in names:
            problems.append(Problem(str(file), f"another file is already indexed as {result.name}"))
        else:
            names.add(result.name)
            documents.append(result)
    return documents, problems
