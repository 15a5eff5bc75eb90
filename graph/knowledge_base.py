"""The one library API that the CLI, the UI and notebooks all call::

    from gokg import KnowledgeBase
    kb = KnowledgeBase.open("index")          # or KnowledgeBase.build(["seeds"], "index")
    kb.search("saga 补偿").hits[0].doc         # '000_ec0da037d95f2b7d.txt'
    kb.concept("熔断器").neighbors             # typed relations with evidence
"""
from __future__ import annotations

import re
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import networkx as nx

from gokg.ingest.embed import Encoder, load_encoder
from gokg.errors import ConceptNotFoundError, GokgError, IndexFormatError, InputError
from gokg.hashing import reader_hash
from gokg.ingest.lexicon import ConceptMatcher, lexicon_hash
from gokg.models import CONCEPT_TYPES, Concept, Mention, Passage, Problem
from gokg.ingest.pipeline import prepare
from gokg.settings import Settings
from gokg.ingest.tokenize import Tokenizer

from . import concept_graph, store
from .chunks import ChunkLedger, embed_missing, seed_from_cache
from .lock import IndexLock
from .status import IndexStatus, index_status
from .evaluate import EvalReport, evaluate, load_queries
from .hit_tokens import HitTokens
from .lexical import LexicalIndex
from .results import ConceptInfo, ConceptSummary, EvidenceRef, Neighbor, SearchResult, Topic
from .search import SIGNALS, FusionWeights, Searcher
from .vectors import VectorIndex

__all__ = ["KnowledgeBase", "BuildReport", "IndexStatus", "CHUNK_SIZE"]

Progress = Callable[[str, int, int], None]

CHUNK_SIZE = 32  # texts per persisted chunk of vectors: what a kill can lose (a few seconds of e5 on 2 cores)


class BuildReport:
    """What an ingest did: counts, how many passages were embedded (run through the encoder) in this run,
    the stage it left the index in, whether it continued an interrupted one, and the files that failed."""

    def __init__(self, manifest: dict, index_dir: Path, *, embedded: int, stage: str, resumed: bool = False):
        counts = manifest["counts"]
        self.index_dir = str(index_dir)
        self.files = counts.get("files", 0)
        self.passages = counts["passages"]
        self.concepts = counts.get("concepts", 0)
        self.relations = counts.get("relations", 0)
        self.embedded = embedded
        self.stage = stage
        self.resumed = resumed
        self.problems: list[Problem] = [
            Problem(p["path"], p["reason"], p.get("kept") is True) for p in manifest.get("problems", [])
        ]

    def to_dict(self) -> dict:
        data = dict(vars(self))
        data["problems"] = [{"path": p.path, "reason": p.reason, "kept": p.kept} for p in self.problems]
        return data


class KnowledgeBase:
    """The loaded knowledge base: passages, concept graph, lexical and vector indexes.

    Build it with :meth:`build`, open a saved one with :meth:`open`. ``kb.graph`` is a networkx
    ``MultiDiGraph`` a notebook can use directly.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = "# 分布式事务\\n\\nSaga 模式通过补偿事务保证最终一致性。\\n\\n维度 Saga TCC\\n侵入性 低 高\\n"
    >>> _ = (folder / "note.md").write_text(text, "utf-8")
    >>> kb = KnowledgeBase.build([folder], folder / "index", encoder="hash")
    >>> hit = kb.search("saga 补偿").hits[0]
    >>> hit.doc, hit.line_start, hit.line_end
    ('note.md', 1, 6)
    >>> kb.concept("补偿事务").name, kb.concept("saga pattern").type
    ('Compensating Transaction', 'pattern')
    >>> sorted((n.relation, n.name) for n in kb.neighbors("Saga") if n.relation != "related_to")
    [('alternative_to', 'TCC'), ('uses', 'Compensating Transaction')]
    >>> sorted(kb.subgraph("TCC", depth=1).nodes)
    ['saga', 'tcc']
    """

    def __init__(
        self,
        index_dir: Path,
        manifest: dict,
        passages: list[Passage],
        concepts: list[Concept],
        mentions: list[Mention],
        graph: nx.MultiDiGraph,
        lexical: LexicalIndex,
        vectors: VectorIndex,
        encoder: Encoder | None = None,
        embedded: int | None = None,
        hit_tokens: HitTokens | None = None,
    ):
        self.index_dir = Path(index_dir)
        self.manifest = manifest
        self.embedded = len(passages) if embedded is None else embedded  # passages with a vector
        self.build_report: BuildReport | None = None  # set by build()
        self.passages = passages
        self.graph = graph
        self._concepts = concepts
        self._mentions = mentions
        self._encoder = encoder
        self._matcher = ConceptMatcher(concepts)
        self._lexical = lexical
        self._vectors = vectors
        self._searcher: Searcher | None = None
        self._hit_tokens = hit_tokens
        self._by_concept: dict[str, list[Mention]] = defaultdict(list)
        for mention in mentions:
            self._by_concept[mention.concept_id].append(mention)

    # -- building and opening ----------------------------------------------------------------
    @classmethod
    def build(
        cls,
        paths: list[str | Path],
        index_dir: str | Path,
        encoder: Encoder | str | None = None,
        *,
        settings: Settings | None = None,
        progress: Progress | None = None,
        embed: bool = True,
        resume: bool = True,
        chunk_size: int = CHUNK_SIZE,
        on_searchable: Callable[[IndexStatus], None] | None = None,
    ) -> "KnowledgeBase":
        """Ingest ``paths`` into the index at ``index_dir`` and return it, opened.

        In two stages: everything but the vectors is committed first (the index then answers with its
        lexical and concept signals), then the vectors are embedded in chunks of ``chunk_size`` texts,
        each persisted as it completes; ``embed=False`` returns after the first stage. Vectors of texts
        unchanged since the previous index at ``index_dir`` (same encoder, reading passages the same way) are reused, and a change of at
        most one chunk is embedded before the commit, so the dense signal never goes off for it. With
        ``resume``, an index of the same files left embedding (killed, Ctrl-C) is continued where it
        stopped. ``on_searchable(status)`` is called when the index answers but still has vectors to
        embed. One process writes an index at a time: IndexBusyError otherwise. The
        :class:`BuildReport` is in ``kb.build_report``.
        """
        settings = settings or Settings()
        if isinstance(encoder, str):
            settings = Settings(**{**settings.to_dict(), "encoder": encoder})
        if chunk_size < 1:
            raise InputError(f"chunk_size={chunk_size}, chunk_size must be >= 1")
        index_dir = Path(index_dir)
        store.check_replaceable(index_dir)
        report = progress or (lambda stage, done, total: None)
        try:
            return cls._build(paths, index_dir, encoder, settings, report, embed, resume, chunk_size, on_searchable)
        except OSError as exc:  # disk full, read-only file system, a folder that cannot be created
            where = f"{exc.filename}: " if exc.filename else ""
            raise GokgError(f"{index_dir}: cannot write the index ({where}{exc.strerror or exc}); what was "
                            "committed before is kept") from None

    @classmethod
    def _build(cls, paths, index_dir: Path, encoder, settings: Settings, report: Progress, embed: bool, resume: bool,
               chunk_size: int, on_searchable) -> "KnowledgeBase":
        with IndexLock(index_dir):
            store.recover(index_dir)
            enc = encoder if encoder is not None and not isinstance(encoder, str) else load_encoder(settings.encoder)
            if resume and cls._resumable(paths, index_dir, enc, settings):
                if embed and on_searchable:
                    on_searchable(index_status(index_dir))
                embedded = cls._embed_stage(index_dir, enc, report, chunk_size) if embed else 0
                return cls._opened(index_dir, enc, embedded, resumed=True)
            corpus = prepare([Path(p) for p in paths], settings, progress=report)
            if not corpus.passages:
                reasons = "; ".join(f"{p.path}: {p.reason}" for p in corpus.problems[:5])
                raise InputError(f"nothing to index in {', '.join(map(str, paths))}" + (f" ({reasons})" if reasons else ""))
            report("index", 0, 2)
            cache = store.embedding_cache(index_dir, enc.name, getattr(enc, "reads", None))
            tmp = store.staging_dir(index_dir)
            embedded = 0
            try:
                inputs = [str(Path(p)) for p in paths]
                store.write_index(tmp, corpus, settings, enc, _tokenizer_for(corpus.concepts),
                                  lexicon_hash(settings.lexicon), inputs=inputs)
                report("index", 1, 2)
                _, texts, _ = store.passage_texts(corpus.passages)
                pending = len(texts) - seed_from_cache(tmp, texts, cache)
                # Everything from here on is read from the folder: what the stages made in memory goes (at
                # 10,000 articles, passages, mentions and the previous index's vectors hold about a GB).
                del corpus, cache, texts
                if pending <= chunk_size:
                    embedded = cls._embed_stage(tmp, enc, report, chunk_size)
                report("index", 2, 2)
                store.commit(tmp, index_dir)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            if embed:
                if on_searchable and store.read_manifest(index_dir)["stage"] != store.STAGE_COMPLETE:
                    on_searchable(index_status(index_dir))
                embedded += cls._embed_stage(index_dir, enc, report, chunk_size)
            return cls._opened(index_dir, enc, embedded)

    @classmethod
    def _embed_stage(cls, folder: Path, enc: Encoder, report: Progress, chunk_size: int) -> int:
        """Embed what the folder's ledger lacks, chunk by chunk, then complete its vectors; how many texts
        went through the encoder."""
        if store.read_manifest(folder)["stage"] == store.STAGE_COMPLETE:
            return 0
        rows = store.read_jsonl(folder / "passages.jsonl")
        passages = [store.passage_from_row(r) for r in rows]
        hashes, texts, passages_of = store.passage_texts(passages)
        embedded = embed_missing(folder, texts, lambda batch: enc.encode(batch, kind="passage"),
                                 chunk_size=chunk_size, progress=report, passages_of=passages_of)
        if not store.finish_vectors(folder):  # a chunk file was damaged: embed its texts again
            valid = set(ChunkLedger(folder).vectors(store.read_manifest(folder)["encoder"]["dim"]))
            embedded += embed_missing(folder, texts, lambda batch: enc.encode(batch, kind="passage"),
                                      chunk_size=chunk_size, passages_of=passages_of, have=valid)
            if not store.finish_vectors(folder):
                raise IndexFormatError(f"{folder}: vectors could not be completed; rebuild it with `gokg ingest --force`")
        return embedded

    @classmethod
    def _opened(cls, index_dir: Path, enc: Encoder, embedded: int, *, resumed: bool = False) -> "KnowledgeBase":
        kb = cls.open(index_dir, encoder=enc)
        stage = store.STAGE_COMPLETE if kb.dense_on else store.STAGE_EMBEDDING
        kb.build_report = BuildReport(kb.manifest, index_dir, embedded=embedded, stage=stage, resumed=resumed)
        return kb

    @staticmethod
    def _same_build(manifest: dict, paths: list[str | Path], encoder_name: str, settings: Settings) -> bool:
        """Whether ``manifest`` was built from exactly these files with this encoder, settings and lexicon."""
        if manifest["encoder"]["name"] != encoder_name:
            return False
        built = {**manifest.get("settings", {}), "encoder": None}
        if Settings.from_dict(built) != Settings(**{**settings.to_dict(), "encoder": None}):
            return False  # built with other settings than these, or another user lexicon
        if manifest.get("lexicon_hash") != lexicon_hash(settings.lexicon):
            return False
        return store.source_hashes([Path(p) for p in paths]) == manifest.get("sources")

    @classmethod
    def _resumable(cls, paths, index_dir: Path, enc: Encoder, settings: Settings) -> bool:
        """An intact index of the same build, left embedding, whose passage hashes this gokg reproduces and
        whose vectors so far were embedded from passages read as this encoder reads them."""
        try:
            manifest = store.read_manifest(index_dir)
            if manifest["stage"] != store.STAGE_EMBEDDING or not cls._same_build(manifest, paths, enc.name, settings):
                return False
            if manifest["encoder"].get("reads") != getattr(enc, "reads", None):
                return False
            data = store.read_index(index_dir)
        except Exception:  # noqa: BLE001 - missing, damaged or of another build: build it afresh
            return False
        stored = [row["hash"] for row in store.read_jsonl(index_dir / "passages.jsonl")]
        return store.passage_texts(data.passages)[0] == stored

    @classmethod
    def is_current(cls, paths: list[str | Path], index_dir: str | Path, encoder: str | None = None,
                   lexicon: str | Path | None = None) -> bool:
        """Whether the index at ``index_dir`` is complete, intact (sizes and checksums) and was built from
        exactly these files, with this encoder (default: e5) and user lexicon file, by this version of
        gokg (and the same code reading articles, :func:`gokg.hashing.reader_hash`) with its settings,
        lexicon and format (so ingesting again changes nothing)."""
        try:
            manifest = store.verify(Path(index_dir))
        except Exception:  # noqa: BLE001 - missing, old or damaged index: not current
            return False
        if manifest["stage"] != store.STAGE_COMPLETE:
            return False
        from gokg import __version__

        if manifest.get("gokg_version") != __version__ or manifest.get("reader") != reader_hash():
            return False  # another gokg may read the same files into another graph: ingest again (vectors are reused)
        settings = Settings(encoder=encoder or Settings().encoder, lexicon=str(lexicon) if lexicon else None)
        return cls._same_build(manifest, paths, encoder or Settings().encoder, settings)

    @classmethod
    def open(cls, index_dir: str | Path, encoder: Encoder | None = None) -> "KnowledgeBase":
        """Open a saved index, complete or still embedding (then search runs without the dense signal and
        says so). Raises IndexMissingError, or IndexFormatError for an index of another format or a
        damaged one, with what to do."""
        data = store.read_index(index_dir)
        return cls(Path(index_dir), data.manifest, data.passages, data.concepts, data.mentions, data.graph, data.lexical,
                   data.vectors, encoder, data.embedded, data.hit_tokens)

    @staticmethod
    def status(index_dir: str | Path, *, verify: bool = False) -> IndexStatus:
        """The stage of the index at ``index_dir`` (complete, embedding: how far and how long still,
        missing or damaged), cheap to ask while an ingest runs; ``verify`` checks every file's checksum."""
        return index_status(index_dir, verify=verify)

    @property
    def dense_on(self) -> bool:
        """Whether every passage has its vector, so search uses the dense signal."""
        return self.manifest["stage"] == store.STAGE_COMPLETE

    @property
    def notice(self) -> str:
        """What search leaves out, if anything: "" once the index is complete."""
        if self.dense_on:
            return ""
        return (f"dense signal off: {self.embedded}/{len(self.passages)} passages embedded "
                "(lexical and concept signals only until `gokg ingest` completes the index)")

    # -- search ------------------------------------------------------------------------------
    @property
    def encoder(self) -> Encoder:
        """The encoder the index was built with, loaded on first use (a concept lookup never needs it)."""
        if self._encoder is None:
            self._encoder = load_encoder(self.manifest["encoder"]["name"])
        if self._encoder.name != self.manifest["encoder"]["name"]:
            raise InputError(
                f"encoder={self._encoder.name!r}, but the index was built with {self.manifest['encoder']['name']!r}"
            )
        return self._encoder

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            tokenizer = _tokenizer_for(self._concepts)
            self._searcher = Searcher(
                self.passages, self._concepts, self._mentions, self.graph, self._lexical, self._vectors, tokenizer,
                lambda q: self.encoder.encode([q], kind="query")[0],
                matcher=self._matcher, hit_tokens=self._hit_tokens,
            )
        return self._searcher

    def search(self, query: str, k: int = 10, *, signals=SIGNALS, within=None) -> SearchResult:
        """Passages that answer ``query`` (Chinese, English or both), with the concepts it is about;
        ``within`` limits hits to files or folders (see :meth:`scopes`).
        While the index is still embedding, the dense signal is left out and ``result.notice`` says so."""
        if self.dense_on:
            return self.searcher.search(query, k, signals, within=within)
        names = (signals,) if isinstance(signals, str) else tuple(signals)
        without_dense = tuple(name for name in names if name != "dense")
        if without_dense:
            result = self.searcher.search(query, k, without_dense, within=within)
        else:
            result = SearchResult(query=query, concepts=self.searcher.link_concepts(query), hits=[])
        return replace(result, notice=self.notice)

    def set_weights(self, weights: FusionWeights) -> None:
        self.searcher.weights = weights

    def set_reranker(self, reranker) -> None:
        """Rerank the fused top hits with a registered reranker (by name, e.g. ``"heading"``), or None for none."""
        self.searcher.set_reranker(reranker)

    # -- concepts ----------------------------------------------------------------------------
    def resolve(self, name_or_alias: str) -> str:
        """The concept id for a name or alias in either language; ConceptNotFoundError otherwise."""
        text = (name_or_alias or "").strip()
        if not text:
            raise InputError("empty concept name")
        cid = self._matcher.lookup(text)
        if cid is None:
            matches = self._matcher.find(text)
            if len(matches) == 1 and matches[0].end - matches[0].start == len(text.strip()):
                cid = matches[0].concept_id
        if cid is None or cid not in self.graph:
            known = cid is not None
            hint = "is in the lexicon but not mentioned in the indexed articles" if known else "is not a known concept"
            suggestions = self._suggest(text)
            more = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
            raise ConceptNotFoundError(f"{text!r} {hint}{more}")
        return cid

    def _suggest(self, text: str) -> list[str]:
        import difflib

        names = {self.graph.nodes[n]["name"]: n for n in self.graph}
        return difflib.get_close_matches(text, list(names), n=3, cutoff=0.6)

    def concept(self, name_or_alias: str) -> ConceptInfo:
        cid = self.resolve(name_or_alias)
        node = self.graph.nodes[cid]
        mentions = sorted({(m.doc, m.line) for m in self._by_concept.get(cid, [])})
        return ConceptInfo(
            id=cid,
            name=node["name"],
            type=node["type"],
            aliases=list(node["aliases"]),
            docs=list(node["docs"]),
            mentions=[{"doc": doc, "line": line} for doc, line in mentions],
            neighbors=self._neighbors(cid, depth=1),
            description=node.get("description", ""),
            definition=dict(node.get("definition") or {}),
            discovered=bool(node.get("discovered", False)),
        )

    def neighbors(self, name: str, depth: int = 1, relations: set[str] | None = None) -> list[Neighbor]:
        if depth < 1:
            raise InputError(f"depth={depth}, depth must be >= 1")
        return self._neighbors(self.resolve(name), depth, relations)

    def _neighbors(self, cid: str, depth: int, relations: set[str] | None = None) -> list[Neighbor]:
        out = []
        for item in concept_graph.neighbors(self.graph, cid, depth=depth, relations=relations):
            node = self.graph.nodes[item["id"]]
            out.append(
                Neighbor(
                    name=node["name"],
                    type=node["type"],
                    relation=item["relation"],
                    direction=item["direction"],
                    weight=round(item["weight"], 4),
                    evidence=[EvidenceRef(e["doc"], int(e["line"]), e["text"]) for e in item["evidence"]],
                    via=self.graph.nodes[item["via"]]["name"],
                    distance=int(item["distance"]),
                )
            )
        return out

    def subgraph(self, name: str, depth: int = 1) -> nx.MultiDiGraph:
        """The concept's neighbourhood as a networkx graph with all node and edge attributes."""
        return concept_graph.neighborhood(self.graph, self.resolve(name), depth)

    def concepts(self, type: str | None = None, *, discovered: bool | None = None) -> list[ConceptSummary]:
        """Concepts found in the articles, most mentioned first; ``discovered=True`` keeps those found
        beyond the lexicon."""
        if type is not None and type not in CONCEPT_TYPES:
            raise InputError(f"type={type!r}, must be one of {', '.join(CONCEPT_TYPES)}")
        out = [
            ConceptSummary(cid, d["name"], d["type"], list(d["aliases"]), list(d["docs"]), int(d["mentions"]))
            for cid, d in self.graph.nodes(data=True)
            if (type is None or d["type"] == type) and (discovered is None or bool(d.get("discovered")) == discovered)
        ]
        return sorted(out, key=lambda c: (-c.mentions, c.name))

    def topics(self, seed: int = 0) -> list[Topic]:
        """Communities of the concept graph, labelled by their most mentioned members."""
        topics = []
        for number, members in enumerate(concept_graph.communities(self.graph, seed=seed)):
            names = [self.graph.nodes[m]["name"] for m in members]
            label = " · ".join(self._bilingual(m) for m in members[:3])
            topics.append(Topic(id=number, label=label, size=len(members), members=names))
        return topics

    def _bilingual(self, cid: str) -> str:
        """``Circuit Breaker 熔断`` : the name and, when it is not Chinese already, its first Chinese alias."""
        node = self.graph.nodes[cid]
        if re.search(r"[\u4e00-\u9fff]", node["name"]):
            return node["name"]
        chinese = next((a for a in node.get("aliases", []) if re.search(r"[\u4e00-\u9fff]", a)), "")
        return f"{node['name']} {chinese}".strip()

    # -- evaluation and export ---------------------------------------------------------------
    def evaluate(self, queries_path: str | Path, *, signals=SIGNALS) -> EvalReport:
        queries = load_queries(queries_path)
        return evaluate(queries, lambda q: self.search(q, k=10, signals=signals).hits)

    def export(self, fmt: str, out: str | Path) -> Path:
        out = Path(out)
        if fmt == "json":
            store.write_json(out, concept_graph.to_node_link(self.graph))
        elif fmt == "graphml":
            concept_graph.write_graphml(self.graph, out)
        elif fmt == "neo4j":
            concept_graph.write_neo4j_csv(self.graph, out)
        else:
            raise InputError(f"format={fmt!r}, must be graphml, json or neo4j")
        return out

    def report(self, *, sample: int = 0, seed: int = 0) -> dict:
        """A review of the graph's quality: counts, relation sources, components, possible duplicates, and
        ``sample`` typed relations drawn at random (``seed``) with their evidence."""
        return concept_graph.graph_report(self.graph, sample=sample, seed=seed)

    def context(self, doc: str, line_start: int, line_end: int, around: int = 8) -> list[tuple[int, str]]:
        """The indexed lines of ``doc`` from ``around`` lines before ``line_start`` to after ``line_end``."""
        lo, hi = line_start - around, line_end + around
        lines: list[tuple[int, str]] = []
        for passage in self.passages:
            if passage.doc == doc and passage.line_start <= hi and passage.line_end >= lo:
                for offset, text in enumerate(passage.text.split("\n")):
                    number = passage.line_start + offset
                    if lo <= number <= hi:
                        lines.append((number, text))
        return sorted(lines)

    def files(self) -> list[dict]:
        """The indexed files with their passage and concept counts."""
        passages: dict[str, int] = defaultdict(int)
        for passage in self.passages:
            passages[passage.doc] += 1
        concepts: dict[str, set[str]] = defaultdict(set)
        for mention in self._mentions:
            concepts[mention.doc].add(mention.concept_id)
        return [
            {"doc": doc, "passages": passages[doc], "concepts": len(concepts[doc]), "sha256": sha}
            for doc, sha in sorted(self.manifest["files"].items())
        ]

    def __repr__(self) -> str:
        counts = self.manifest.get("counts", {})
        return f"KnowledgeBase({str(self.index_dir)!r}, passages={counts.get('passages')}, concepts={counts.get('concepts')})"

    def scopes(self) -> list[str]:
        """What a search can be limited to (``kb.searcher.search(q, within=...)``): the folders of the indexed
        files (``a/b/``), then the files."""
        docs = sorted({p.doc for p in self.passages})
        folders = sorted({"/".join(doc.split("/")[:depth]) + "/" for doc in docs for depth in range(1, doc.count("/") + 1)})
        return folders + docs


@lru_cache(maxsize=4)  # bounded: a long-lived UI or notebook opens many index versions
def _tokenizer(words: tuple[str, ...]) -> Tokenizer:
    return Tokenizer(list(words))


def _tokenizer_for(concepts: list[Concept]) -> Tokenizer:
    return _tokenizer(tuple(alias for concept in concepts for alias in concept.aliases))
