"""The gokg command line: a thin shell over :class:`gokg.KnowledgeBase`.

Each command calls one library function, prints text or ``--json``, and turns a library error into one
line on stderr and exit status 1.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer

from gokg.errors import GokgError, IndexMissingError, InputError
from gokg.paths import seeds_dir, ui_app

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="gokg: knowledge graph and search over Chinese Go engineering articles.")

IndexOption = Annotated[Path, typer.Option("--index", envvar="GOKG_INDEX", help="Index folder (default ./index, or $GOKG_INDEX).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DEFAULT_INDEX = Path("index")


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


def _progress():
    """Bars on a terminal; plain lines with counts and time left otherwise (CI logs, `make run`)."""
    from gokg.ingest.progress import progress_reporter

    return progress_reporter(sys.stderr)


def _build(paths: list[Path], index: Path, encoder: str | None, lexicon: Path | None = None, *, force: bool = False):
    """Build in two stages, saying when the index answers: first everything but the vectors, then the
    vectors, chunk by chunk (Ctrl-C or a kill loses at most one chunk; the next ingest continues)."""
    from gokg import KnowledgeBase, Settings

    settings = Settings(lexicon=str(lexicon.resolve()) if lexicon else None)

    def searchable(state) -> None:
        left = state.passages - state.embedded
        which = f"the remaining {left} of {state.passages}" if state.embedded else f"{left}"
        typer.echo(f"{index} answers now (lexical and concept signals); embedding {which} passages for the dense "
                   "signal (Ctrl-C stops; the same `gokg ingest` continues)", err=True)

    try:
        return KnowledgeBase.build(paths, index, encoder=encoder, settings=settings, progress=_progress(),
                                   resume=not force, on_searchable=searchable)
    except KeyboardInterrupt:
        typer.echo(f"gokg: stopped; {KnowledgeBase.status(index).summary()}", err=True)
        raise typer.Exit(130) from None


def _open(index: Path):
    """Open the index; if there is none, build it from the bundled seeds first, saying so."""
    from gokg import KnowledgeBase

    try:
        return KnowledgeBase.open(index)
    except IndexMissingError:
        seeds = seeds_dir()
        typer.echo(f"no index at {index}: building it from {seeds} first ...", err=True)
        return _build([seeds], index, os.environ.get("GOKG_ENCODER"))


@app.command()
def ingest(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders (.txt, .md, .html); default: the bundled seeds/.")] = None,
    index: IndexOption = DEFAULT_INDEX,
    encoder: Annotated[Optional[str], typer.Option(envvar="GOKG_ENCODER", help="e5 (default), hash, or sentence-transformers:NAME_OR_PATH.")] = None,
    lexicon: Annotated[Optional[Path], typer.Option("--lexicon", help="Your own lexicon TSV, merged with the built-in one (see README).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when the index is already built from these files.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Read articles and build the index (atomically: a failed ingest keeps the old index)."""
    from gokg import KnowledgeBase

    sources = paths or [seeds_dir()]
    if lexicon is not None and not lexicon.is_file():
        raise InputError(f"{lexicon}: no such lexicon file")
    user_lexicon = lexicon.resolve() if lexicon else None
    if not force and KnowledgeBase.is_current(sources, index, encoder, user_lexicon):
        if as_json:
            _echo_json({"index_dir": str(index), "current": True})
        else:
            typer.echo(f"index {index} is current (same files, encoder and lexicon): nothing to do; --force rebuilds")
        return
    kb = _build(sources, index, encoder, lexicon, force=force)
    report = kb.build_report
    if as_json:
        _echo_json(report.to_dict())
        return
    typer.echo(
        f"indexed {report.files} files: {report.passages} passages ({report.embedded} embedded), "
        f"{report.concepts} concepts, {report.relations} relations -> {report.index_dir}"
    )
    for problem in report.problems:
        typer.echo(f"skipped {problem.path}: {problem.reason}")


@app.command()
def status(
    index: IndexOption = DEFAULT_INDEX,
    verify: Annotated[bool, typer.Option("--verify", help="Check the checksum of every file, however large.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Which stage the index is in: passages embedded, estimated time left, whether an ingest is running."""
    from gokg import KnowledgeBase

    state = KnowledgeBase.status(index, verify=verify)
    if as_json:
        _echo_json(state.to_dict())
    elif state.stage not in ("missing", "damaged"):
        typer.echo(f"{index}: {state.summary()}")
    if state.stage in ("missing", "damaged"):
        raise GokgError(state.problem)


@app.command()
def search(
    query: Annotated[Optional[str], typer.Argument(help="What to look for, in Chinese, English or both.")] = None,
    k: Annotated[int, typer.Option("-k", help="Number of hits.")] = 10,
    batch: Annotated[Optional[str], typer.Option("--batch", help="File with one query a line (- for stdin); prints JSON lines.")] = None,
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """Search passages; show the concepts the query is about."""
    if batch is None and query is None:
        raise InputError("give a QUERY or --batch FILE")
    kb = _open(index)
    if batch is not None:
        stream = sys.stdin if batch == "-" else _open_text(batch)
        for line in stream:
            if line.strip():
                _echo_json(_search_json(kb.search(line.strip(), k=k)))
        return
    result = kb.search(query or "", k=k)
    if as_json:
        _echo_json(_search_json(result))
        return
    if result.notice:
        typer.echo(f"({result.notice})")
    chips = ", ".join(f"{c.name} ({c.type})" for c in result.concepts) or "-"
    typer.echo(f"concepts: {chips}")
    if result.absent:
        typer.echo("not in the indexed articles: " + ", ".join(c.name for c in result.absent))
    typer.echo("")
    for rank, hit in enumerate(result.hits, start=1):
        typer.echo(f"{rank:2}. {hit.doc}:{hit.line_start}-{hit.line_end}  [{hit.section}]  score={hit.score:.4f}")
        snippet = " ".join(hit.text.split())[:160]
        typer.echo(f"    {snippet}")


def _open_text(path: str):
    try:
        return open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None


def _search_json(result) -> dict:
    return result.to_dict()


@app.command()
def concept(
    name: Annotated[str, typer.Argument(help="A concept name or alias, Chinese or English.")],
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """Show one concept: type, aliases, files, mentions and related concepts with evidence."""
    info = _open(index).concept(name)
    if as_json:
        _echo_json(info.to_dict())
        return
    typer.echo(f"{info.name} ({info.type})  {info.description}")
    typer.echo(f"aliases: {', '.join(info.aliases)}")
    typer.echo(f"{len(info.mentions)} mentions in {', '.join(info.docs)}")
    for n in info.neighbors[:25]:
        arrow = "->" if n.direction == "out" else "<-"
        where = f"  ({n.evidence[0].doc}:{n.evidence[0].line})" if n.evidence else ""
        typer.echo(f"  {arrow} {n.relation:15} {n.name} [{n.type}]{where}")


@app.command()
def concepts(
    type: Annotated[Optional[str], typer.Option("--type", help="framework, library, tool, pattern, protocol, platform, language or concept.")] = None,
    discovered: Annotated[bool, typer.Option("--discovered", help="Only concepts found beyond the lexicon.")] = False,
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """List the concepts found in the indexed articles."""
    items = _open(index).concepts(type=type, discovered=True if discovered else None)
    if as_json:
        _echo_json([asdict(c) for c in items])
        return
    for c in items:
        typer.echo(f"{c.mentions:4}  {c.name} [{c.type}]  {', '.join(c.aliases[:4])}")


@app.command()
def neighbors(
    name: Annotated[str, typer.Argument(help="A concept name or alias.")],
    depth: Annotated[int, typer.Option(help="Hops (1-3).")] = 1,
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """Concepts related to NAME, by relation, with evidence."""
    items = _open(index).neighbors(name, depth=depth)
    if as_json:
        _echo_json([n.to_dict() for n in items])
        return
    for n in items:
        arrow = "->" if n.direction == "out" else "<-"
        typer.echo(f"{arrow} {n.relation:15} {n.name} [{n.type}] weight={n.weight}")


@app.command()
def topics(index: IndexOption = DEFAULT_INDEX, as_json: JsonOption = False) -> None:
    """Topic clusters of the concept graph."""
    items = _open(index).topics()
    if as_json:
        _echo_json([t.to_dict() for t in items])
        return
    for t in items:
        typer.echo(f"[{t.id}] {t.label} ({t.size}): {', '.join(t.members[:12])}")


@app.command("eval")
def eval_(
    queries: Annotated[Path, typer.Argument(help="Queries with judgements (JSON lines).")],
    ablation: Annotated[bool, typer.Option(help="Also score each signal alone.")] = False,
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """nDCG@10, Recall@10 and MRR over a judged query set."""
    from gokg import FusionWeights

    kb = _open(index)
    runs = {"full": kb.evaluate(queries)}
    if ablation:
        for signal in ("bm25", "dense", "concept", "expanded"):
            runs[f"{signal} alone"] = kb.evaluate(queries, signals=(signal,))
        runs["bm25+dense (RRF)"] = kb.evaluate(queries, signals=("bm25", "dense"))
        runs["full without dense"] = kb.evaluate(queries, signals=("bm25", "expanded", "concept"))
        tuned = kb.searcher.weights
        kb.set_weights(FusionWeights(bm25=1, expanded=1, dense=1, concept=1, rrf_k=60))
        runs["all signals, equal-weight RRF"] = kb.evaluate(queries)
        kb.set_weights(tuned)
    if as_json:
        _echo_json({name: asdict(report) for name, report in runs.items()})
        return
    full = runs["full"]
    typer.echo(f"{'query':6} {'kind':10} {'nDCG@10':>8} {'R@10':>6} {'MRR':>6}  q")
    for s in full.per_query:
        typer.echo(f"{s.id:6} {s.kind:10} {s.ndcg:8.4f} {s.recall:6.4f} {s.mrr:6.4f}  {s.q}")
    for s in full.no_answer:
        typer.echo(f"{s.id:6} {s.kind:10} {'(no judged passage) top dense similarity':>22} {s.top_score:.4f}  {s.q}")
    typer.echo("")
    for name, report in runs.items():
        typer.echo(f"{name:30} nDCG@10={report.ndcg:.4f}  Recall@10={report.recall:.4f}  MRR={report.mrr:.4f}  ({report.queries} queries)")


@app.command()
def export(
    format: Annotated[str, typer.Argument(help="graphml, json (networkx node-link data) or neo4j (CSV for neo4j-admin import).")],
    out: Annotated[Path, typer.Argument(help="Output file (a folder for neo4j).")],
    index: IndexOption = DEFAULT_INDEX,
) -> None:
    """Export the concept graph."""
    path = _open(index).export(format, out)
    typer.echo(f"wrote {path}")


@app.command()
def report(
    sample: Annotated[int, typer.Option("--sample", min=0, help="Typed relations to draw at random, with their evidence, for review.")] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sample: the same seed draws the same relations.")] = 0,
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """Review the graph: concepts from the lexicon and discovered, relations by type and origin, components,
    possible duplicates, and a seeded random sample of typed relations with their evidence."""
    data = _open(index).report(sample=sample, seed=seed)
    if as_json:
        _echo_json(data)
        return
    typer.echo(f"{data['concepts']} concepts ({data['lexicon']} from the lexicon, {data['discovered']} discovered), "
               f"{data['relations']} relations, {data['components']} components")
    discovered = data["discovered_by_type"]
    typer.echo("concepts by type:    " + ", ".join(
        f"{k} {v}" + (f" ({discovered[k]} discovered)" if discovered.get(k) else "") for k, v in data["concepts_by_type"].items()))
    typer.echo("relations by origin: " + ", ".join(f"{k} {v}" for k, v in data["relations_by_origin"].items()))
    typer.echo("relations by type and origin:")
    by_origin: dict[str, list[str]] = {}
    for key, count in data["relations_by_type_and_origin"].items():
        relation, _, origin = key.partition("/")
        by_origin.setdefault(relation, []).append(f"{origin} {count}")
    for relation, count in data["relations_by_type"].items():
        typer.echo(f"  {relation:16} {count:6}  {', '.join(by_origin.get(relation, []))}")
    for component in data["largest_components"]:
        typer.echo(f"component of {component['size']}: {', '.join(component['top'])}")
    duplicates = data["possible_duplicates"]
    for a, b in duplicates[:DUPLICATES_SHOWN]:
        typer.echo(f"possible duplicate: {a} / {b}")
    if len(duplicates) > DUPLICATES_SHOWN:
        typer.echo(f"... and {len(duplicates) - DUPLICATES_SHOWN} more possible duplicates (--json lists them all)")
    typer.echo("")
    typer.echo(f"{len(data['sample'])} typed relations drawn at random (--seed {seed}) to review:")
    for number, item in enumerate(data["sample"], start=1):
        typer.echo(f"{number:3}. {item['source']} -{item['relation']}-> {item['target']}  [{item['origin']}]")
        for evidence in item["evidence"][:1]:
            more = f"  (+{len(item['evidence']) - 1} more)" if len(item["evidence"]) > 1 else ""
            typer.echo(f"     {evidence['doc']}:{evidence['line']}  {' '.join(evidence['text'].split())[:160]}{more}")


DUPLICATES_SHOWN = 20  # a real corpus has hundreds; the text report stays readable, --json has them all


@app.command()
def ui(
    index: IndexOption = DEFAULT_INDEX,
    port: Annotated[int, typer.Option(help="Port.")] = 8501,
) -> None:
    """Start the Streamlit app on http://localhost:PORT."""
    import subprocess

    app_file = ui_app()
    env = {**os.environ, "GOKG_INDEX": str(index.resolve())}
    typer.echo(f"gokg UI on http://localhost:{port}")
    raise typer.Exit(
        subprocess.call(
            [sys.executable, "-m", "streamlit", "run", str(app_file), "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            env=env,
        )
    )


def main() -> None:
    try:
        app()  # standalone: usage errors print a short message and exit 2
    except GokgError as exc:
        typer.echo(f"gokg: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
