"""What the graph finds when the lexicon knows nothing of a corpus: discovery alone.

    python benchmarks/discovery_alone.py seeds
    python benchmarks/discovery_alone.py ../shared/eval/cloudwego/docs --gold ../shared/eval/cloudwego

Builds a graph (hash encoder, in a temporary folder) with the built-in lexicon reduced to its languages, so
every other concept must come from the articles themselves, then scores it like ``eval_concepts.py``. A
stand-in for a user's documents whose central concepts no lexicon lists; the full lexicon's figures are
``eval_concepts.py`` on a normal index. The lexicon is reduced in this process only (``load_lexicon`` as the
pipeline sees it), nothing on disk changes.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import gokg.ingest.pipeline as pipeline
from gokg import KnowledgeBase

from eval_concepts import DEV_GOLD, report

_full_lexicon = pipeline.load_lexicon


def languages_only(path=None):
    return [concept for concept in _full_lexicon(path) if concept.type == "language"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="folder of articles")
    parser.add_argument("--gold", type=Path, default=DEV_GOLD, help="dev_concepts.json, or a folder with concepts.json and relations.json")
    args = parser.parse_args()
    pipeline.load_lexicon = languages_only
    with tempfile.TemporaryDirectory() as work:
        kb = KnowledgeBase.build([args.corpus], Path(work) / "index", encoder="hash")
        print(f"discovery alone (lexicon reduced to languages) on {args.corpus}:")
        report(kb.graph, args.gold)


if __name__ == "__main__":
    main()
