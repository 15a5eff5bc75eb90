"""Readers by file type: each turns a file's bytes into ``(text, encoding)``, registered per suffix.

The built-in readers decode text, detecting the encoding instead of assuming it (``.txt``, ``.md``,
``.markdown``), and reduce HTML to structured text (``.html``, ``.htm``). Another format is one module,
``ingest/reader_<format>.py``, that registers its reader::

    from gokg.ingest.readers import register_reader

    @register_reader(".pdf")
    def read_pdf(data: bytes) -> tuple[str, str]:
        import pypdf  # imported when a PDF is read, not when gokg is

        ...
        return text, "pdf"

A reader returns text with ``\\n`` line ends (line numbers cite it) and raises ``ValueError`` with a
short reason when the file cannot be read; :func:`gokg.ingest.read.read_file` reports the reason
against the file and goes on with the next one.
"""
from __future__ import annotations

import codecs
from collections.abc import Callable

from gokg.errors import InputError

from .registry import Registry

__all__ = ["Reader", "READERS", "register_reader", "reader_for", "suffixes", "read_text", "read_html", "decode"]

Reader = Callable[[bytes], tuple[str, str]]

READERS: Registry[Reader] = Registry("suffix", error=InputError, plugins=("gokg.ingest", "reader_"))

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def register_reader(*suffixes: str, replace: bool = False) -> Callable[[Reader], Reader]:
    """Decorator: read files with these suffixes (``".pdf"``, any case) with the decorated function."""
    if not suffixes:
        raise ValueError("register_reader needs at least one suffix, e.g. register_reader('.pdf')")
    for suffix in suffixes:
        if not isinstance(suffix, str) or not suffix.startswith(".") or len(suffix) < 2:
            raise ValueError(f"suffix={suffix!r}, a suffix starts with a dot: '.pdf'")

    def add(reader: Reader) -> Reader:
        for suffix in suffixes:
            READERS.register(suffix.lower(), reader, replace=replace)
        return reader

    return add


def reader_for(suffix: str) -> Reader:
    """The reader for ``suffix`` (any case); ``InputError`` naming the supported suffixes otherwise.

    >>> reader_for(".MD") is read_text
    True
    """
    return READERS.get(suffix.lower() if isinstance(suffix, str) else suffix)


def suffixes() -> tuple[str, ...]:
    """The suffixes that have a reader, in registration order.

    >>> suffixes()[:5]
    ('.txt', '.md', '.markdown', '.html', '.htm')
    """
    return READERS.names()


@register_reader(".txt", ".md", ".markdown")
def read_text(data: bytes) -> tuple[str, str]:
    """Decode plain text (see :func:`decode`) with ``\\n`` line ends.

    >>> read_text("熔断\\r\\n降级".encode("gbk"))
    ('熔断\\n降级', 'gb18030')
    """
    text, encoding = decode(data)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""), encoding


@register_reader(".html", ".htm")
def read_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML page and reduce it to text that keeps its structure (see :mod:`gokg.ingest.html`)."""
    text, encoding = read_text(data)
    from .html import html_to_text  # selectolax is imported when a page is read, not when gokg is

    try:
        return html_to_text(text), encoding
    except Exception as exc:  # noqa: BLE001 - a parser failure is the file's problem, reported as one line
        raise ValueError(f"broken HTML ({exc.__class__.__name__}: {exc})") from exc


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
