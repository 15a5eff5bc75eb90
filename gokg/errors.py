"""The errors a user can cause. The CLI turns each into one line on stderr, the UI into ``st.error``."""

__all__ = ["GokgError", "InputError", "IndexMissingError", "IndexFormatError", "ConceptNotFoundError", "EncoderError",
           "IndexBusyError"]


class GokgError(Exception):
    """Base class: the message is meant for the user, in one line."""


class InputError(GokgError):
    """Bad user input: a missing path, an empty query, a bad value."""


class IndexMissingError(GokgError):
    """No index where one was expected."""


class IndexFormatError(GokgError):
    """The index on disk was written by another format version, or is damaged."""


class ConceptNotFoundError(GokgError):
    """No concept carries that name or alias."""


class EncoderError(GokgError):
    """The embedding model cannot be loaded (unknown name, missing optional dependency)."""


class IndexBusyError(GokgError):
    """Another process is writing the index (one writer at a time)."""
