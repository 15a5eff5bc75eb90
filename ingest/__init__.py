"""gokg ingest: read Chinese Go engineering articles into passages, concepts, relations and vectors."""
from .embed import DEFAULT_ENCODER, Encoder, HashEncoder, load_encoder
from gokg.errors import ConceptNotFoundError, EncoderError, GokgError, IndexFormatError, IndexMissingError, InputError
from .lexicon import ConceptMatcher, load_lexicon
from gokg.models import Block, Concept, Document, Evidence, Mention, Passage, Problem, Relation
from .pipeline import Corpus, ingest
from gokg.settings import Settings
from .tokenize import Tokenizer

__all__ = [
    "Block", "Concept", "ConceptMatcher", "Corpus", "DEFAULT_ENCODER", "Document", "Encoder", "EncoderError",
    "Evidence", "GokgError", "HashEncoder", "IndexFormatError", "IndexMissingError", "InputError",
    "ConceptNotFoundError", "Mention", "Passage", "Problem", "Relation", "Settings", "Tokenizer", "ingest",
    "load_encoder", "load_lexicon",
]
