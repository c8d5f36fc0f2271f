"""Benchmark metrics on hand-computed cases, question-file errors, and a small bench run."""

from __future__ import annotations

import json
import math
import re
import shutil

import pytest
from typer.testing import CliRunner

from matcher.bench import metrics
from matcher.bench.questions import QuestionFileError, load_questions
from matcher.cli import app

from .conftest import CORPUS, D003


def test_rank_breaks_ties_against_the_retriever():
    scores = {"a": 0.9, "right": 0.5, "b": 0.5, "c": 0.1}
    assert metrics.rank(scores, {"right"}) == ["a", "b", "right", "c"]


def test_recall_with_several_acceptable_answers():
    ranking = ["a", "b", "c", "d"]
    assert metrics.recall_at_k(ranking, {"c", "d"}, 1) == 0.0
    assert metrics.recall_at_k(ranking, {"c", "d"}, 3) == 1.0
    assert metrics.recall_at_k(ranking, set(), 3) == 0.0  # empty gold never counts as a hit


def test_mrr_and_ndcg_by_hand():
    ranking = ["a", "b", "c", "d"]
    assert metrics.mrr_at_k(ranking, {"b", "d"}) == 0.5
    assert metrics.mrr_at_k(ranking, {"d"}, k=3) == 0.0
    # relevant at ranks 2 and 4: DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert metrics.ndcg_at_k(ranking, {"b", "d"}) == pytest.approx(expected)
    assert metrics.ndcg_at_k(ranking, {"a"}) == 1.0
    assert metrics.ndcg_at_k(ranking, set()) == 0.0


def test_precision_recall():
    assert metrics.precision_recall([True, True, False, False], [True, False, True, False]) == (0.5, 0.5)
    assert metrics.precision_recall([False, False], [True, False]) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"question": "q", "stories": [], "kind": "unseen"}', "mine.jsonl:2: missing key(s) principles"),
        ('{"question": "q", "stories": ["nope/story"], "principles": [], "kind": "unseen"}',
         "mine.jsonl:2: unknown story id 'nope/story'"),
        ('{"question": "q", "stories": [{"file": "x.txt", "title": "T"}], "principles": [], "kind": "unseen"}',
         "mine.jsonl:2: no story titled 'T' in 'x.txt'"),
        ('{"question": "q", "stories": [], "principles": ["Teamwork"], "kind": "unseen"}',
         "mine.jsonl:2: unknown principle 'Teamwork'"),
        ('{"question": "q", "stories": [], "principles": [], "kind": "easy"}', "mine.jsonl:2: kind must be"),
        ("not json", "mine.jsonl:2: not JSON"),
    ],
)
def test_question_file_errors_name_the_line(tmp_path, bank, line, message):
    from matcher import Catalogue

    good = '{"question": "Why Amazon?", "stories": [{"file": "000_237d671b235dd58d.txt", "title": "why amazon"}], "principles": [], "kind": "paraphrase"}'
    path = tmp_path / "mine.jsonl"
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=re.escape(message)):
        load_questions(path, bank, Catalogue.load())


def test_small_bench_run_end_to_end(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / D003, corpus / D003)
    rows = [
        {"question": "What did you do when a teammate who used to excel was suddenly underperforming?",
         "stories": [{"file": D003, "title": "Give me an example of when you saw a peer struggling and decided to step in and help. What's the situation and what actions did you take? What was the outcome?"}],
         "principles": ["Ownership"], "kind": "unseen"},
        {"question": "How do you write hand-off docs so a new owner can take over?",
         "stories": ["003-9f0ed41cec8ba5a7/what-steps-do-you-take-to-ensure-projects-you-complete-get"],
         "principles": ["Ownership"], "kind": "unseen"},
        {"question": "Implement a trie.", "stories": [], "principles": [], "kind": "off_topic"},
    ]
    questions = tmp_path / "mine.jsonl"
    questions.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "results"
    result = CliRunner().invoke(
        app,
        ["bench", "--no-speed", "--json", "-q", str(questions), "--corpus", str(corpus),
         "--index-dir", str(tmp_path / "index"), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    split = report["splits"]["mine"]
    assert split["answerable"] == 2
    names = [r["retriever"] for r in split["retrievers"]]
    assert names == ["matcher", "dense views", "bm25", "principle match", "naive full text", "headings only"]
    assert split["not_behavioural"]["recall"] == 1.0
    assert {p.name for p in out.iterdir()} == {"results.json", "report.md", "misses.md", "plot.png"}
    assert "| matcher |" in (out / "report.md").read_text(encoding="utf-8")


def test_bench_reports_a_bad_question_file_cleanly(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "q"}\n', encoding="utf-8")
    result = CliRunner().invoke(
        app, ["bench", "--no-speed", "-q", str(bad), "--corpus", str(CORPUS / D003),
              "--index-dir", str(tmp_path / "index"), "--out", str(tmp_path / "out")],
    )
    assert result.exit_code == 2 and "bad.jsonl:1: missing key(s)" in result.stderr
