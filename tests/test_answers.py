"""Hits that are answers: adjacent passages of one section merged, and a file's share of the top."""
from __future__ import annotations

from gokg.graph.answers import Answer, Neighbours, group_passages, merged_text, share_limited
from gokg.models import Passage

TEXT = ["2.4 Saga", "Saga 通过补偿保证最终一致性。", "", "执行流程", "A --> B", "", "", "补偿策略", "对比表", "", "", "", "尾注"]


def _passage(pid, start, end, section, doc="a.md"):
    return Passage(pid, doc, start, end, section, "\n".join(TEXT[start - 1 : end]))


PASSAGES = [
    _passage(0, 1, 2, "2.4 Saga"),
    _passage(1, 4, 5, "2.4 Saga > 执行流程"),
    _passage(2, 8, 9, "2.4 Saga > 补偿策略"),
    _passage(3, 13, 13, "2.4 Saga > 补偿策略"),  # three lines away: something else (boilerplate) may lie between
]


def test_an_opening_passage_joins_the_subsection_after_it_and_the_text_is_the_lines_it_names():
    answers = group_passages([(1, 0.9), (0, 0.8), (2, 0.7), (3, 0.6)], Neighbours(PASSAGES))
    assert [a.passages for a in answers] == [(0, 1), (2,), (3,)]
    run = [PASSAGES[p] for p in answers[0].passages]
    assert answers[0].anchor == 1 and answers[0].score == 0.9
    assert merged_text(run) == "\n".join(TEXT[0:5])  # lines 1-5, the blank line 3 included


def test_runs_stay_within_the_line_limit_and_the_ranked_pool():
    assert [a.passages for a in group_passages([(1, 0.9), (0, 0.8)], Neighbours(PASSAGES), max_lines=4)] == [(1,), (0,)]
    assert [a.passages for a in group_passages([(1, 0.9), (0, 0.8)], Neighbours(PASSAGES), pool=1)] == [(1,), (0,)]


def test_sibling_subsections_stay_apart():
    answers = group_passages([(1, 0.9), (2, 0.8)], Neighbours(PASSAGES))
    assert [a.passages for a in answers] == [(1,), (2,)]


def _answers(*docs_scores):
    return [Answer((i,), i, score, doc) for i, (doc, score) in enumerate(docs_scores)]


def test_a_file_gets_its_share_while_other_files_are_relevant():
    answers = _answers(("a", 1.0), ("a", 0.99), ("a", 0.98), ("b", 0.95), ("c", 0.5))
    chosen = share_limited(answers, 4, share=0.5, relevant=0.9)
    assert [a.doc for a in chosen] == ["a", "b", "a", "a"]  # b (0.95) is relevant; c (0.5) is not


def test_nothing_else_relevant_keeps_the_file():
    answers = _answers(("a", 1.0), ("a", 0.99), ("b", 0.2))
    assert [a.doc for a in share_limited(answers, 3, share=0.5, relevant=0.9)] == ["a", "a", "b"]
