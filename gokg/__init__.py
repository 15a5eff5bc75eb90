"""gokg: a knowledge graph and semantic search engine over Chinese-language Go engineering articles.

>>> from gokg import KnowledgeBase   # the one API that the CLI, the UI and notebooks call
"""
__version__ = "0.1.0"

from graph import FusionWeights, KnowledgeBase  # noqa: E402
from ingest import Settings, load_encoder  # noqa: E402
from ingest.errors import GokgError  # noqa: E402

__all__ = ["KnowledgeBase", "FusionWeights", "Settings", "GokgError", "load_encoder", "__version__"]
