"""Content hashes, in one place: what decides whether a file changed or a passage must be embedded again."""
from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["bytes_hash", "file_hash", "text_hash", "code_hash", "reader_hash"]


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


def code_hash(source: str) -> str:
    """A short hash of Python source as it runs: comments, docstrings and layout left out, so that a reworded
    comment or doctest in the code that decides how passages are embedded does not make every index embed
    its passages again.

    >>> code_hash('def f(x):\\n    "Double."\\n    return 2 * x  # twice') == code_hash("def f(x):\\n    return 2*x")
    True
    >>> code_hash("def f(x):\\n    return 2 * x") == code_hash("def f(x):\\n    return 3 * x")
    False
    """
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return hashlib.sha256(ast.unparse(tree).encode("utf-8")).hexdigest()[:12]


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
