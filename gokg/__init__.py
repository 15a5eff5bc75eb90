"""gokg: a knowledge graph and semantic search engine over Chinese-language Go engineering articles.

>>> from gokg import KnowledgeBase   # the one API that the CLI, the UI and notebooks call

Importing ``gokg`` (or ``gokg.errors``, ``gokg.models``, ``gokg.settings``) is cheap: the knowledge base
and its heavy dependencies load on first use of a name below.
"""
from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gokg")
except PackageNotFoundError:  # a checkout on sys.path without an install
    __version__ = "0+unknown"

__all__ = ["KnowledgeBase", "FusionWeights", "Settings", "GokgError", "load_encoder", "__version__"]

_LAZY = {
    "KnowledgeBase": "gokg.graph",
    "FusionWeights": "gokg.graph",
    "load_encoder": "gokg.ingest.embed",
    "Settings": "gokg.settings",
    "GokgError": "gokg.errors",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gokg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
