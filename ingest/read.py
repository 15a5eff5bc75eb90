"""Find article files and decode them to text, detecting the encoding instead of assuming it.

A file that cannot be read becomes a :class:`~gokg.models.Problem` naming the file and the reason;
every other file is still read.
"""
from __future__ import annotations

import codecs
import os
from pathlib import Path

from gokg.errors import InputError
from gokg.hashing import bytes_hash
from gokg.models import Document, Problem

__all__ = ["SUFFIXES", "MAX_FILE_BYTES", "find_files", "read_file", "read_documents", "decode"]

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_FILE_BYTES = 20 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def find_files(paths: list[str | Path]) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    """Expand files and folders (recursively) into ``(file, root)`` pairs with a supported suffix.

    Symlinked folders are not followed, so a symlink loop cannot recurse; each real file is listed once.
    """
    found: list[tuple[Path, Path]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
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
            if file.suffix.lower() not in SUFFIXES:
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


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text, returning ``(text, encoding)``; raise ``ValueError`` with the reason.

    >>> decode("服务发现".encode("gb18030"))[0]
    '服务发现'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if b"\x00" in data[:4096] and _looks_like_utf16(data):
        # UTF-16 without a BOM: NULs in the high bytes of ASCII characters tell the byte order.
        encoding = "utf-16-le" if data[1:4096:2].count(0) > data[0:4096:2].count(0) else "utf-16-be"
        try:
            text = _reject_control(data.decode(encoding))
        except (UnicodeDecodeError, ValueError):
            raise ValueError("binary file (NUL bytes)") from None
        if not _plausible(text):
            raise ValueError("binary file (NUL bytes)")
        return text, encoding
    if b"\x00" in data[:4096]:
        raise ValueError("binary file (NUL bytes)")
    try:
        return _reject_control(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    # Chinese articles: GB18030 (a superset of GBK/GB2312) is by far the most common legacy encoding,
    # and short texts fool statistical detectors; accept it when it decodes to mostly Han and ASCII.
    try:
        text = data.decode("gb18030")
        if _plausible(text, 0.97):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise ValueError("undecodable bytes (not UTF-8, UTF-16, GB18030 or another known encoding)")
    encoding = best.encoding
    # GBK text is decoded as its superset GB18030, which never loses a character.
    if encoding in ("gbk", "gb2312", "hz"):
        encoding = "gb18030"
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise ValueError(f"undecodable bytes ({exc})") from None


def read_file(file: Path, root: Path) -> Document | Problem:
    """Read one file into a :class:`Document` (HTML is reduced to structured text), or a Problem."""
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
    try:
        text, encoding = decode(data)
    except ValueError as exc:
        return Problem(str(file), str(exc))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if file.suffix.lower() in (".html", ".htm"):
        from .html import html_to_text

        try:
            text = html_to_text(text)
        except Exception as exc:  # noqa: BLE001 - a parser failure must name the file, not stop ingest
            return Problem(str(file), f"broken HTML ({exc.__class__.__name__}: {exc})")
    if not text.strip():
        return Problem(str(file), "no text after decoding")
    name = file.name if root == file.parent and file.is_relative_to(root) else str(file.relative_to(root))
    digest = bytes_hash(data)
    return Document(name=name, path=str(file), text=text, sha256=digest, encoding=encoding)


def _plausible(text: str, share: float = 0.9) -> bool:
    """Mostly ASCII, CJK ideographs and CJK punctuation: what a Chinese engineering article is made of."""
    sample = text[:20000]
    plain = sum(
        1 for ch in sample
        if ch.isascii() or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        or ch in "•·—–…“”‘’"
    )
    return plain >= share * max(len(sample), 1)


def _reject_control(text: str) -> str:
    """Text full of control characters is a binary file that happens to decode."""
    sample = text[:20000]
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    if control > max(len(sample) // 50, 2):
        raise ValueError("binary file (control characters)")
    return text


def _looks_like_utf16(data: bytes) -> bool:
    head = data[:4096]
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    # ASCII characters put NULs on one side only (Chinese ones rarely have a zero byte at all).
    return max(even_nuls, odd_nuls) > len(head) / 8 and min(even_nuls, odd_nuls) * 4 <= max(even_nuls, odd_nuls)


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
