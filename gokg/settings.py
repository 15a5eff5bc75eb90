"""One frozen dataclass of settings with their defaults; what a build used is written into its manifest."""
from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    encoder: str = "e5"
    max_passage_lines: int = 40
    target_passage_chars: int = 900  # dev-set sweep: 400 -> 0.738, 900 -> 0.781, 1300 -> 0.775 nDCG@10
    min_cooccurrence: int = 2
    min_npmi: float = 0.2
    discover: bool = True  # concepts beyond the lexicon (English names, import paths, 术语（Term） pairs)
    lexicon: str | None = None  # path to another lexicon TSV; None = the bundled one

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Settings":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)
