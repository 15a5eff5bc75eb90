"""The CLI contracts: every command's --json shape, batch search, errors as one line."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import copy_with_format_version
from gokg.cli import app
from gokg.ingest.lexicon import load_lexicon

runner = CliRunner()


def run(*args: str, index=None, input: str | None = None):
    argv = list(args) + (["--index", str(index)] if index else [])
    result = runner.invoke(app, argv, input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_search_json_shape(e5_index, seed_lines):
    data = json.loads(run("search", "saga 补偿", "--json", "-k", "5", index=e5_index))
    assert set(data) == {"query", "concepts", "hits"}
    assert set(data["concepts"][0]) == {"id", "name", "type", "score"}
    assert "Saga" in [c["name"] for c in data["concepts"]]
    hit = data["hits"][0]
    assert set(hit) == {"doc", "line_start", "line_end", "section", "text", "score", "concepts", "why"}
    assert "Saga" in hit["concepts"]
    assert "\n".join(seed_lines(hit["doc"])[hit["line_start"] : hit["line_end"] + 1]) == hit["text"]
    assert len(data["hits"]) == 5


def test_concept_json_shape_with_chinese_alias(e5_index):
    data = json.loads(run("concept", "熔断器", "--json", index=e5_index))
    assert set(data) == {"id", "name", "type", "aliases", "docs", "mentions", "neighbors"}
    assert data["name"] == "Circuit Breaker" and set(data["mentions"][0]) == {"doc", "line"}
    neighbour = data["neighbors"][0]
    assert set(neighbour) == {"name", "type", "relation", "direction", "weight", "evidence", "via", "distance"}
    assert set(neighbour["evidence"][0]) == {"doc", "line", "text"}
    assert json.loads(run("concept", "circuit breaker", "--json", index=e5_index))["id"] == data["id"]


def test_concepts_json_shape_and_type_filter(e5_index):
    data = json.loads(run("concepts", "--type", "framework", "--json", index=e5_index))
    assert data and all(set(c) == {"id", "name", "type", "aliases", "docs", "mentions"} for c in data)
    assert {c["type"] for c in data} == {"framework"} and isinstance(data[0]["mentions"], int)
    assert {"Gin", "Kratos"} <= {c["name"] for c in data}


def test_batch_search_one_json_line_per_query(e5_index, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("saga 补偿\n\nsync.Pool\n", "utf-8")
    lines = run("search", "--batch", str(queries), "-k", "3", index=e5_index).strip().split("\n")
    assert [(json.loads(line)["line"], json.loads(line)["query"]) for line in lines] == [(1, "saga 补偿"), (3, "sync.Pool")]
    stdin_lines = run("search", "--batch", "-", index=e5_index, input="gin 中间件\n").strip().split("\n")
    assert json.loads(stdin_lines[0])["query"] == "gin 中间件"


def test_neighbors_topics_export(e5_index, tmp_path):
    near = json.loads(run("neighbors", "Saga", "--json", index=e5_index))
    far = json.loads(run("neighbors", "Saga", "--depth", "2", "--json", index=e5_index))
    assert 0 < len(near) < len(far)
    # a second hop is the edge of the neighbour the path goes through, and the text output says whose it is
    second = [n for n in far if n["distance"] == 2]
    near_names = {n["name"] for n in near}
    assert second and all(n["via"] in near_names for n in second)
    line = next(l for l in run("neighbors", "Saga", "--depth", "2", index=e5_index).splitlines() if l.startswith("  "))
    assert any(line.strip().startswith(f"{name} ") for name in near_names)
    topics = json.loads(run("topics", "--json", index=e5_index))
    assert set(topics[0]) == {"id", "label", "size", "members"}
    run("export", "json", str(tmp_path / "g.json"), index=e5_index)
    data = json.loads((tmp_path / "g.json").read_text("utf-8"))
    assert {"nodes", "edges"} <= set(data)


def test_eval_prints_the_three_metrics(e5_index, dev_queries):
    out = run("eval", str(dev_queries), index=e5_index)
    assert "nDCG@10=" in out and "Recall@10=" in out and "MRR=" in out
    data = json.loads(run("eval", str(dev_queries), "--json", index=e5_index))
    assert 0 < data["full"]["ndcg"] <= 1


def test_every_command_has_help():
    for command in app.registered_commands:
        assert command.callback.__doc__, command.name


def _gokg(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "gokg.cli", *args], capture_output=True, text=True, env={**os.environ, **(env or {})}
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", ""], "gokg: empty query"),
        (["search", "！！！？？"], "gokg: no words in the query"),
        (["concept", "不存在的概念"], "gokg: '不存在的概念' is not a known concept"),
        (["eval", "/no/such.jsonl"], "gokg: /no/such.jsonl: no such file"),
        (["ingest", "/no/such/folder"], "gokg: /no/such/folder: no such file or folder"),
    ],
)
def test_errors_are_one_line_without_traceback(hash_index, args, message):
    proc = _gokg(*args, "--index", str(hash_index))
    assert proc.returncode == 1
    assert proc.stderr.strip() == proc.stderr.strip().split("\n")[0]
    assert proc.stderr.startswith(message) and "Traceback" not in proc.stderr


def test_index_from_environment_and_old_version_message(hash_index, tmp_path):
    old = copy_with_format_version(hash_index, tmp_path / "old", 99)
    proc = _gokg("concepts", env={"GOKG_INDEX": str(old)})
    assert proc.returncode == 1 and "format version 99" in proc.stderr and "gokg ingest" in proc.stderr


def test_missing_default_index_is_built_from_seeds_saying_so_a_named_one_is_an_error(tmp_path):
    env = {"GOKG_ENCODER": "hash"}
    proc = subprocess.run([sys.executable, "-m", "gokg.cli", "concept", "Saga", "--json"], capture_output=True,
                          text=True, cwd=tmp_path, env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    assert "building it from" in proc.stderr and (tmp_path / "index").is_dir()
    assert json.loads(proc.stdout)["name"] == "Saga"
    named = _gokg("search", "熔断", "--index", str(tmp_path / "mistyped"), env=env)
    assert named.returncode == 1 and named.stderr.startswith(f"gokg: no index at {tmp_path / 'mistyped'}")
    assert not (tmp_path / "mistyped").exists()


def test_report_and_discovered_and_neo4j(e5_index, tmp_path):
    report = json.loads(run("report", "--json", index=e5_index))
    assert report["concepts"] > 100 and report["relations_by_type"]["uses"] > 0
    assert {"largest_components", "possible_duplicates", "relations_by_type_and_origin"} <= set(report)
    discovered = json.loads(run("concepts", "--discovered", "--json", index=e5_index))
    lexicon = {c.id for c in load_lexicon()}
    assert discovered and not {c["id"] for c in discovered} & lexicon  # found in the articles, beyond the lexicon
    assert "标量替换" in {a for c in discovered for a in c["aliases"]}  # 标量替换（Scalar Replacement）: its pair
    run("export", "neo4j", str(tmp_path / "neo"), index=e5_index)
    header = (tmp_path / "neo" / "nodes.csv").read_text("utf-8").split("\n")[0]
    assert header.startswith("id:ID,name,type,aliases:string[]")
    assert (tmp_path / "neo" / "relationships.csv").read_text("utf-8").startswith(":START_ID,:END_ID,:TYPE")


def test_ingest_summary_names_bad_files_and_exit_status_follows_outcome(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.md").write_text("# 熔断\n\nSentinel 实现熔断与限流。\n", "utf-8")
    (corpus / "bad.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (corpus / "gbk.txt").write_bytes("# 服务发现\n\nConsul 实现服务注册与发现。\n".encode("gbk"))
    proc = _gokg("ingest", str(corpus), "--index", str(tmp_path / "idx"), "--encoder", "hash")
    assert proc.returncode == 0, proc.stderr
    assert "indexed 2 files" in proc.stdout
    assert f"skipped {corpus / 'bad.txt'}: binary file" in proc.stdout
    only_bad = tmp_path / "only_bad"
    only_bad.mkdir()
    (only_bad / "empty.md").write_text("", "utf-8")
    proc = _gokg("ingest", str(only_bad), "--index", str(tmp_path / "idx"), "--encoder", "hash")
    assert proc.returncode == 1 and "nothing to index" in proc.stderr and "empty.md: empty file" in proc.stderr
    assert json.loads(_gokg("concept", "服务发现", "--json", "--index", str(tmp_path / "idx")).stdout)["name"] == "Service Discovery"


def test_report_sample_is_seeded_and_quotes_its_evidence(e5_index):
    data = json.loads(run("report", "--json", "--sample", "5", "--seed", "3", index=e5_index))
    assert {"lexicon", "discovered", "relations_by_origin", "relations_by_type_and_origin", "sample"} <= set(data)
    assert data["lexicon"] + data["discovered"] == data["concepts"]
    assert len(data["sample"]) == 5 and data["seed"] == 3
    for item in data["sample"]:
        assert set(item) == {"source", "relation", "target", "origin", "weight", "evidence"}
        assert item["relation"] != "related_to" and item["evidence"]
        assert all(set(e) == {"doc", "line", "text"} and e["text"] for e in item["evidence"])
    assert json.loads(run("report", "--json", "--sample", "5", "--seed", "3", index=e5_index))["sample"] == data["sample"]
    assert json.loads(run("report", "--json", "--sample", "5", "--seed", "4", index=e5_index))["sample"] != data["sample"]
    assert len(json.loads(run("report", "--json", index=e5_index))["sample"]) == 20  # the default
    text = run("report", "--sample", "3", index=e5_index)
    assert "from the lexicon" in text and "relations by type and origin:" in text
    first = json.loads(run("report", "--json", "--sample", "3", index=e5_index))["sample"][0]
    assert f"{first['source']} -{first['relation']}-> {first['target']}" in text
    assert f"{first['evidence'][0]['doc']}:{first['evidence'][0]['line']}" in text
    assert runner.invoke(app, ["report", "--sample", "-1", "--index", str(e5_index)]).exit_code == 2
