"""The metrics, checked against hand-computed values from the definitions in shared/eval/README.md."""
from __future__ import annotations

import math

import pytest

from gokg.graph.evaluate import Judged, load_queries, score_query
from gokg.errors import InputError

J = [Judged("a.txt", 10, 20, 2), Judged("a.txt", 30, 35, 1), Judged("b.txt", 1, 5, 2)]
IDCG = 3 / math.log2(2) + 3 / math.log2(3) + 1 / math.log2(4)


def test_perfect_ranking():
    assert score_query([("a.txt", 10, 12), ("b.txt", 4, 9), ("a.txt", 35, 36)], J) == (1.0, 1.0, 1.0)


def test_one_hit_covering_two_judged_passages_gains_once():
    ndcg, recall, mrr = score_query([("x.txt", 1, 2), ("a.txt", 18, 32)], J)
    assert ndcg == round((3 / math.log2(3)) / IDCG, 4)
    assert recall == round(2 / 3, 4)
    assert mrr == 0.5


def test_a_judged_passage_is_covered_once():
    ndcg, recall, _ = score_query([("a.txt", 10, 11), ("a.txt", 12, 13)], J)
    assert ndcg == round(3 / IDCG, 4) and recall == round(1 / 3, 4)


def test_hits_longer_than_40_lines_cover_nothing():
    assert score_query([("a.txt", 1, 41)], J) == (0.0, 0.0, 0.0)


def test_bad_query_file_names_the_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "a", "q": "x", "relevant": []}\n{"oops"\n', "utf-8")
    with pytest.raises(InputError, match="q.jsonl:2"):
        load_queries(path)


def test_eval_takes_several_sets_and_prints_one_table_each_with_kinds(e5_index, dev_queries, tmp_path):
    import json

    from typer.testing import CliRunner

    from gokg.cli import app

    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "x1", "q": "sync.Pool 对象复用", "kind": "code",
                                 "relevant": [{"doc": "001_3cd8c82c34f706f9.txt", "lines": [493, 504], "grade": 2}]}) + "\n",
                     "utf-8")
    result = CliRunner().invoke(app, ["eval", str(dev_queries), str(other), "--index", str(e5_index), "--ablation"])
    assert result.exit_code == 0, result.output
    assert result.output.count("== ") == 2 and result.output.count("nDCG@10 by kind") == 2
    assert "paraphrase" in result.output and "heading alone" in result.output
    data = json.loads(CliRunner().invoke(app, ["eval", str(dev_queries), str(other), "--index", str(e5_index),
                                               "--json"]).output)
    assert [s["queries"] for s in data["sets"]] == [str(dev_queries), str(other)]
    bad = CliRunner().invoke(app, ["eval", str(dev_queries), str(other), "--index", "a", "--index", "b", "--index", "c"])
    assert bad.exit_code != 0
