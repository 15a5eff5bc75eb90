"""gokg at scale, on real text: a corpus of N articles copied from the real ones (seeds/ and the cloudwego docs),
each copy perturbed so its passages differ, ingested and searched. Prints, per size: each ingest stage's
time and rate, peak memory, index size, and query latency p50/p95 (exact search below
``graph.vectors.HNSW_THRESHOLD`` passages, HNSW above it).

    python benchmarks/scale.py                       # 1,000 and 10,000 articles
    python benchmarks/scale.py --sizes 1000 --sample 200

The bulk is embedded with the hash encoder (no model; 384 dimensions, the size of e5's vectors, so the
vector index has its real size). The e5 stage is measured on a random sample of the corpus's passages
and extrapolated to all of them, and printed as such. Queries are encoded by e5 (its real cost) and
searched against the hash vectors: the ranking is meaningless, the time is real.

Each size is ingested in one fresh process and searched in another (as a user's search process would
open the index), and each one's peak memory is its own (see benchmarks/peak.py).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SOURCES = [ROOT / "seeds", ROOT.parent / "shared" / "eval" / "cloudwego" / "docs"]
QUERIES = ["saga 补偿", "如何实现服务熔断降级", "pprof 火焰图定位性能热点", "sync.Pool", "rate limiting requests in microservices",
           "Gin 自定义中间件", "Kitex 服务注册与发现", "Hertz 路由分组", "how do I trace a request across services", "连接池 超时 重试"]
DIM = 384  # e5-small's dimension


def line(label: str, value: str, how: str) -> None:
    print(f"{label:44} {value:>18}   [{how}]", flush=True)


# -- the corpus --------------------------------------------------------------------------------
def source_articles() -> list[tuple[str, str]]:
    articles = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*")):
            if path.suffix in (".txt", ".md", ".html"):
                articles.append((path.name, path.read_text("utf-8", errors="replace")))
    return articles


def perturb(text: str, rng: random.Random, donors: list[str]) -> str:
    """A copy of an article whose passages differ from the original's and from other copies': about one
    prose line in six is dropped, one in six gets a sentence from another article, and sentences of a
    line are sometimes swapped. Headings, code and line structure otherwise stay as they were."""
    out = []
    for row in text.split("\n"):
        prose = len(row) > 30 and not row.startswith((" ", "\t", "#", "|", "```")) and not re.search(r"[{};]\s*$", row)
        if prose:
            roll = rng.random()
            if roll < 1 / 6:
                continue
            sentences = [s for s in re.split(r"(?<=[。！？.!?])", row) if s]
            if roll < 2 / 6:
                donor = rng.choice(donors)
                sentences.insert(rng.randrange(len(sentences) + 1), donor)
            elif roll < 3 / 6 and len(sentences) > 1:
                i, j = rng.sample(range(len(sentences)), 2)
                sentences[i], sentences[j] = sentences[j], sentences[i]
            row = "".join(sentences)
        out.append(row)
    return "\n".join(out)


def make_corpus(folder: Path, size: int, seed: int = 0) -> int:
    """Write ``size`` perturbed copies of the real articles into ``folder``; returns the bytes written."""
    rng = random.Random(seed)
    articles = source_articles()
    donors = [s for _, text in articles for s in re.split(r"(?<=[。！？])", text) if 12 <= len(s.strip()) <= 120 and "\n" not in s.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for number in range(size):
        name, text = articles[number % len(articles)]
        copy = text if number < len(articles) else perturb(text, rng, donors)
        path = folder / f"{number:05d}_{Path(name).stem}{Path(name).suffix}"
        written += path.write_text(copy, "utf-8")
    return written


# -- measuring one size (in a fresh process, so peak memory is this size's) ----------------------
class _Timers:
    """Wraps the ingest's stage functions where the pipeline looks them up, adding up the time each takes."""

    STAGES = {
        "read": [("gokg.ingest.pipeline", "read_documents")],
        "structure + passages": [("gokg.ingest.pipeline", "parse_blocks"), ("gokg.ingest.pipeline", "make_passages")],
        "concepts + relations": [("gokg.ingest.pipeline", "discover_concepts"), ("gokg.ingest.pipeline", "find_mentions"),
                                 ("gokg.ingest.pipeline", "extract_relations"), ("gokg.ingest.pipeline", "find_definitions")],
        "embed (hash)": [],
        "write index (tokenize, BM25, faiss, graph, files)": [("gokg.graph.store", "write_index")],
        "  of which faiss": [("gokg.graph.store", "VectorIndex.build")],
        "  of which BM25 (tokens given)": [("gokg.graph.store", "LexicalIndex.build")],
    }

    def __init__(self):
        import importlib

        self.seconds: dict[str, float] = defaultdict(float)
        for stage, targets in self.STAGES.items():
            for module_name, attribute in targets:
                owner = importlib.import_module(module_name)
                *path, name = attribute.split(".")
                for part in path:
                    owner = getattr(owner, part)
                if hasattr(owner, name):
                    self._wrap(owner, name, stage)

    def _wrap(self, owner, name: str, stage: str) -> None:
        function = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - start

        setattr(owner, name, staticmethod(timed) if isinstance(owner, type) else timed)


class _TimedEncoder:
    """The hash encoder at e5's dimension, timed."""

    name = "hash"
    compact_passages = False

    def __init__(self, timers: _Timers):
        from gokg.ingest.embed import HashEncoder

        self._inner, self.dim, self._timers = HashEncoder(dim=DIM), DIM, timers

    def encode(self, texts, *, kind):
        start = time.perf_counter()
        try:
            return self._inner.encode(texts, kind=kind)
        finally:
            self._timers.seconds["embed (hash)"] += time.perf_counter() - start


class _E5QueriesUnderTheHashName:
    """e5 encodes the queries (its real cost), under the name of the encoder the index was built with."""

    name = "hash"

    def __init__(self):
        from gokg.ingest.embed import load_encoder

        self._e5 = load_encoder("e5")
        self.dim = self._e5.dim

    def encode(self, texts, *, kind):
        return self._e5.encode(texts, kind=kind)


def measure_ingest(size: int, work: Path) -> dict:
    """Make the corpus of ``size`` articles and ingest it with the (timed) hash encoder."""
    from gokg import KnowledgeBase

    corpus, index = work / f"corpus-{size}", work / f"index-{size}"
    start = time.perf_counter()
    size_bytes = make_corpus(corpus, size)
    made = time.perf_counter() - start
    timers = _Timers()
    start = time.perf_counter()
    kb = KnowledgeBase.build([corpus], index, encoder=_TimedEncoder(timers))
    ingest = time.perf_counter() - start
    index_bytes = sum(f.stat().st_size for f in index.rglob("*") if f.is_file())
    return {
        "articles": size, "corpus_mb": size_bytes / 1e6, "corpus_seconds": made, "passages": len(kb.passages),
        "ingest_seconds": ingest, "stages": dict(timers.seconds), "index_mb": index_bytes / 1e6,
        "vector_index": kb.manifest.get("vector_index"),
    }


def measure_queries(size: int, work: Path, sample: int) -> dict:
    """Open the index of ``size`` articles in this fresh process (as a user's search process would), time
    searches, and time e5 on a sample of its passages."""
    from gokg import KnowledgeBase
    from gokg.ingest.embed import load_encoder
    from gokg.ingest.embed_text import embed_text

    start = time.perf_counter()
    kb = KnowledgeBase.open(work / f"index-{size}", encoder=_E5QueriesUnderTheHashName())
    opened = time.perf_counter() - start
    start = time.perf_counter()
    kb.search("warm up")  # loads e5 and the tokenizer, encodes the concepts' descriptions
    warm = time.perf_counter() - start
    first, again = [], []
    for round_ in range(3):  # the first round: each query's first search in this process
        for query in QUERIES:
            start = time.perf_counter()
            kb.search(query)
            (first if round_ == 0 else again).append((time.perf_counter() - start) * 1000)
    encode = []
    for query in QUERIES:
        start = time.perf_counter()
        kb.encoder.encode([query], kind="query")
        encode.append((time.perf_counter() - start) * 1000)
    # e5 on a sample of this corpus's passages, extrapolated to all of them.
    picked = random.Random(1).sample(kb.passages, min(sample, len(kb.passages)))
    e5 = load_encoder("e5")
    start = time.perf_counter()
    e5.encode([embed_text(p) for p in picked], kind="passage")
    e5_seconds = time.perf_counter() - start
    latencies = sorted(first + again)
    return {
        "open_seconds": opened, "warm_seconds": warm,
        "e5_sample": len(picked), "e5_sample_seconds": e5_seconds, "e5_threads": getattr(e5, "threads", None),
        "p50_ms": latencies[len(latencies) // 2], "p95_ms": latencies[max(int(len(latencies) * 0.95) - 1, 0)],
        "queries": len(latencies), "first_p50_ms": _pct(first, 50), "first_p95_ms": _pct(first, 95),
        "again_p50_ms": _pct(again, 50), "again_p95_ms": _pct(again, 95), "encode_p50_ms": _pct(encode, 50),
    }


def _pct(values: list[float], percent: int) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(int(len(values) * percent / 100 + 0.5) - 1, 0))]


def report(r: dict) -> None:
    n, p = r["articles"], r["passages"]
    print(f"\n{n:,} articles ({r['corpus_mb']:.0f} MB of text, {p:,} passages; copies of {len(source_articles())} real articles, perturbed):")
    line("  whole ingest (hash encoder)", f"{r['ingest_seconds']:.0f} s", f"KnowledgeBase.build, {p / r['ingest_seconds']:,.0f} passages/s")
    for stage in _Timers.STAGES:
        seconds = r["stages"].get(stage, 0.0)
        line(f"    {stage}", f"{seconds:.1f} s", f"{p / seconds:,.0f} passages/s" if seconds else "")
    per_passage = r["e5_sample_seconds"] / r["e5_sample"]
    line("    embed (e5), EXTRAPOLATED", f"{per_passage * p / 60:,.0f} min", f"{r['e5_sample']} random passages took {r['e5_sample_seconds']:.1f} s on {r['e5_threads']} threads; x {p:,}")
    line("  peak memory: ingest / search process", f"{r['peak_ingest_mb']:,.0f} / {r['peak_query_mb']:,.0f} MB",
         "ru_maxrss of each fresh process; aim <= 4 GB")
    line("  index size on disk", f"{r['index_mb']:,.0f} MB", f"vectors: {r['vector_index']}")
    line("  open the index / first search", f"{r['open_seconds']:.1f} / {r['warm_seconds']:.1f} s", "KnowledgeBase.open; a search loading e5 and the concepts' vectors")
    line("  query p50 / p95", f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f} ms", f"{r['queries']} searches incl. e5 query encoding, {r['vector_index']}; aim p95 <= 100 ms")
    if "first_p50_ms" in r:
        line("    first search of a query p50 / p95", f"{r['first_p50_ms']:.0f} / {r['first_p95_ms']:.0f} ms", "each query's first search in this process")
        line("    same query again p50 / p95", f"{r['again_p50_ms']:.0f} / {r['again_p95_ms']:.0f} ms", f"of which e5 query encoding p50 {r['encode_p50_ms']:.0f} ms")


def run(sizes: list[int], sample: int = 300, work: Path | None = None) -> list[dict]:
    """Measure each size, its ingest and its searches each in a fresh process, and print the figures."""
    from peak import run_measured

    own = work is None
    work = work or Path(tempfile.mkdtemp(prefix="gokg-scale-"))
    results = []
    try:
        for size in sizes:
            try:
                out, ingest_mb = run_measured([__file__, "--ingest", str(size), "--work", str(work)], ROOT)
                result = {**json.loads(out.strip().splitlines()[-1]), "peak_ingest_mb": ingest_mb}
                out, query_mb = run_measured([__file__, "--queries", str(size), "--work", str(work), "--sample", str(sample)], ROOT)
                result.update(json.loads(out.strip().splitlines()[-1]), peak_query_mb=query_mb)
            except RuntimeError as exc:
                print(f"\n{size:,} articles: failed\n{exc}", flush=True)
                continue
            report(result)
            results.append(result)
            shutil.rmtree(work / f"corpus-{size}", ignore_errors=True)
            shutil.rmtree(work / f"index-{size}", ignore_errors=True)
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--sample", type=int, default=300, help="passages embedded with e5 to extrapolate from")
    parser.add_argument("--ingest", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--queries", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ingest:
        print(json.dumps(measure_ingest(args.ingest, args.work)))
        return
    if args.queries:
        print(json.dumps(measure_queries(args.queries, args.work, args.sample)))
        return
    print(f"gokg scale benchmark · {platform.platform()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(f"command: python benchmarks/scale.py {' '.join(sys.argv[1:])}")
    run([int(s) for s in args.sizes.split(",")], args.sample)


if __name__ == "__main__":
    main()
