"""gokg graph: the knowledge base (concept graph, vector and lexical indexes) and its library API."""
from .concept_graph import communities, neighborhood, neighbors
from .knowledge_base import BuildReport, KnowledgeBase
from .results import ConceptInfo, ConceptSummary, Hit, LinkedConcept, Neighbor, SearchResult, Topic, to_frame
from .search import FusionWeights
from .status import IndexStatus

__all__ = [
    "BuildReport", "ConceptInfo", "ConceptSummary", "FusionWeights", "Hit", "IndexStatus", "KnowledgeBase", "LinkedConcept",
    "Neighbor", "SearchResult", "Topic", "communities", "neighborhood", "neighbors", "to_frame",
]
