"""Find article files and read each with the reader registered for its suffix (see :mod:`.readers`).

A file that cannot be read becomes a :class:`~gokg.models.Problem` naming the file and the reason;
every other file is still read. What gokg reads, and what it leaves alone:

- only regular files: a FIFO, a device or a socket is skipped with the reason, never opened in a way
  that could block;
- inside the folder it was given: a symlink found in a folder that points outside it is skipped and said;
- at most ``MAX_FILE_BYTES`` (20 MB; ``$GOKG_MAX_FILE_MB`` changes it), checked before reading and
  again while reading, so a file that grows cannot blow up memory;
- no line longer than ``MAX_LINE_CHARS`` (10,000 characters; ``$GOKG_MAX_LINE_CHARS``): a 10 MB line is
  not an article, and relation extraction grows with the square of a sentence's length;
- each file's bytes are read once: the hash in the manifest is the hash of exactly the bytes decoded.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from gokg.errors import InputError
from gokg.hashing import bytes_hash
from gokg.models import Document, Problem

from .readers import READERS, collect_notes, decode, read_text, suffixes

__all__ = ["SUFFIXES", "MAX_FILE_BYTES", "MAX_LINE_CHARS", "find_files", "read_file", "read_documents", "decode"]


def _limit(name: str, default: int) -> int:
    """A positive whole number from the environment, else ``default``; a bad value is one clear error."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(f"{name}={raw!r}: use a whole number >= 1")
    return value


MAX_FILE_BYTES = _limit("GOKG_MAX_FILE_MB", 20) * 2**20
MAX_LINE_CHARS = _limit("GOKG_MAX_LINE_CHARS", 10_000)

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def __getattr__(name: str):
    # SUFFIXES is read from the reader registry when asked for, so a reader registered later counts.
    if name == "SUFFIXES":
        return suffixes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((what for test, what in _KINDS if test(mode)), "not a regular file")
    return f"{kind}, not a regular file: not read"


def find_files(paths: list[str | Path]) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    """Expand files and folders (recursively) into ``(file, root)`` pairs with a supported suffix.

    Only regular files are listed; FIFOs, devices and sockets become problems (they are never opened).
    Symlinked folders are not followed, so a symlink loop cannot recurse; a symlink found in a folder
    that points outside it is a problem; each real file is listed once.
    """
    found: list[tuple[Path, Path]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    readable = set(suffixes())
    for raw in paths:
        path = Path(raw)
        if not os.path.lexists(path):
            raise InputError(f"{path}: no such file or folder")
        try:
            mode = path.stat().st_mode
        except (OSError, RuntimeError) as exc:  # dangling link, symlink loop, no permission
            problems.append(Problem(str(path), f"cannot be read ({getattr(exc, 'strerror', None) or exc})"))
            continue
        if stat.S_ISDIR(mode):
            candidates = []
            for folder, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    candidates.append((Path(folder) / name, path))
            inside = os.path.realpath(path)
        else:
            # A file named on the command line is read wherever it points: the user chose it.
            candidates, inside = [(path, path.parent)], None
            reason = _not_regular(mode)
            if reason is None and path.suffix.lower() not in readable:
                reason = f"no reader for this file type (gokg reads {', '.join(sorted(readable))})"
            if reason:
                problems.append(Problem(str(path), reason))
                continue
        for file, root in candidates:
            if file.suffix.lower() not in readable:
                continue
            shown = _printable(file)
            if shown != str(file):  # bytes that are not UTF-8 in the name: it could not be cited or written
                problems.append(Problem(shown, "the file name is not valid UTF-8: rename the file"))
                continue
            try:
                real = os.path.realpath(file, strict=True)
                mode = os.stat(real).st_mode
            except (OSError, RuntimeError) as exc:  # dangling link or a symlink loop
                problems.append(Problem(str(file), f"cannot resolve the path ({exc.__class__.__name__})"))
                continue
            if inside is not None and os.path.commonpath([inside, real]) != inside:
                problems.append(Problem(str(file), f"a symlink to {real}, outside {path}: not followed"))
                continue
            reason = _not_regular(mode)
            if reason:
                problems.append(Problem(str(file), reason))
                continue
            if real in seen:
                continue
            seen.add(real)
            found.append((file, root))
    return found, problems


def _printable(path: Path) -> str:
    """The path as text that can be printed and written (undecodable name bytes shown as U+FFFD)."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def read_bytes(file: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, at most ``limit`` (default ``MAX_FILE_BYTES``).

    Raises ``ValueError`` with the reason for anything else: the file is opened without blocking (a FIFO
    swapped in after :func:`find_files` looked cannot hang the run) and checked again once open.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        reason = _not_regular(info.st_mode)
        if reason:
            raise ValueError(reason)
        if info.st_size > limit:
            raise ValueError(_too_large(info.st_size, limit))
        data = handle.read(limit + 1)  # bounded: a file that grew since stat cannot take all memory
    if len(data) > limit:
        raise ValueError(_too_large(len(data), limit, grew=True))
    return data


def _too_large(size: int, limit: int, grew: bool = False) -> str:
    more = "more than " if grew else ""
    return f"too large ({more}{size / 2**20:.1f} MB > {limit / 2**20:g} MB; $GOKG_MAX_FILE_MB raises the limit)"


def read_file(file: Path, root: Path) -> Document | Problem:
    """Read one file into a :class:`Document` with the reader for its suffix, or a Problem with the reason.

    The bytes are read once; the document's hash is the hash of those bytes and its text their decoding.
    """
    documents, problems = _read_one(file, root)
    return documents[0] if documents else problems[0]


def _read_one(file: Path, root: Path) -> tuple[list[Document], list[Problem]]:
    """The document (if any) and every problem or warning about it."""
    try:
        data = read_bytes(file)
    except FileNotFoundError:
        return [], [Problem(str(file), "vanished before it could be read")]
    except OSError as exc:
        return [], [Problem(str(file), f"cannot be read ({exc.strerror or exc})")]
    except ValueError as exc:
        return [], [Problem(str(file), str(exc))]
    if not data.strip():
        return [], [Problem(str(file), "empty file")]
    suffix = file.suffix.lower()
    # A file find_files would skip (read_file called on it directly) is read as text, as it always was.
    reader = READERS.get(suffix) if suffix in READERS else read_text
    try:
        with collect_notes() as notes:
            text, encoding = reader(data)
    except ValueError as exc:  # the reader's reason, e.g. "binary file (NUL bytes)"
        return [], [Problem(str(file), str(exc))]
    except Exception as exc:  # noqa: BLE001 - a reader's failure must name the file, not stop ingest
        return [], [Problem(str(file), f"the {suffix} reader failed ({exc.__class__.__name__}: {exc})")]
    if not text.strip():
        return [], [Problem(str(file), "no text after decoding")]
    long_line = _longest_line(text)
    if long_line is not None:
        number, length = long_line
        return [], [Problem(str(file), f"line {number} has {length:,} characters (more than {MAX_LINE_CHARS:,}; "
                                       "$GOKG_MAX_LINE_CHARS raises the limit): not article text")]
    name = file.name if root == file.parent and file.is_relative_to(root) else str(file.relative_to(root))
    document = Document(name=name, path=str(file), text=text, sha256=bytes_hash(data), encoding=encoding)
    return [document], [Problem(str(file), warning, kept=True) for warning in notes + _boilerplate_only(text)]


def _longest_line(text: str) -> tuple[int, int] | None:
    """``(line number, length)`` of the first line longer than MAX_LINE_CHARS, or None (linear time)."""
    if len(text) <= MAX_LINE_CHARS:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            return number, len(line)
    return None


def _boilerplate_only(text: str) -> list[str]:
    """A warning when the boilerplate rules would leave nothing of the article (a one-line ``Copyright ...``)."""
    from .structure import parse_blocks

    if text.count("\n") > 400:  # boilerplate blocks are a few lines each; 400 lines of them are no article
        return []
    if all(block.kind in ("boilerplate", "title") for block in parse_blocks(text)):
        first = text.strip().split("\n", 1)[0][:60]
        return [f"only boilerplate ({first!r}): no passage indexed"]
    return []


def read_documents(
    paths: list[str | Path], progress: Callable[[int, int], None] | None = None
) -> tuple[list[Document], list[Problem]]:
    """Read every supported file under ``paths``; return the documents and the problems (``kept`` ones are
    warnings about documents that were read). ``progress(done, total)`` is called as files are read (not
    before every path was found: a missing one fails with one line)."""
    files, problems = find_files(paths)
    documents: list[Document] = []
    names: set[str] = set()
    report = progress or (lambda done, total: None)
    report(0, len(files))
    for number, (file, root) in enumerate(files, start=1):
        read, found = _read_one(file, root)
        if read and read[0].name in names:
            problems.append(Problem(str(file), f"another file is already indexed as {read[0].name}"))
        else:
            names.update(d.name for d in read)
            documents.extend(read)
            problems.extend(found)
        report(number, len(files))
    return documents, problems
