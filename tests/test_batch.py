"""Question lists in, mappings, coverage and loop plans out."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.question_lists import QuestionListError, read_question_list
from matcher.report.coverage import coverage, suggestions
from matcher.report.planning import assign, plan

from .conftest import CORPUS, REPO

MIXED = REPO / "tests" / "data" / "mixed_questions.md"
runner = CliRunner()


def test_markdown_list_items_and_question_headings():
    listed = read_question_list(MIXED)
    assert listed.questions == [
        "When did you push back on your manager's schedule, and how did it end?",
        "What's your biggest weakness?",
        "Reverse a linked list in place.",
        "Why do you want to work at Amazon?",
        "How have you made your workplace more inclusive?",
        "Tell me about a time you saved money by right-sizing servers after checking their CPU and memory use",
    ]
    assert listed.duplicates == {"What's your biggest weakness?": 2}


def test_text_numbering_bullets_blank_lines_and_bad_lines(tmp_path):
    path = tmp_path / "list.txt"
    path.write_bytes(
        b"1. Why Amazon?\n\n2) Tell me about a failure\n- Q3: What is your weakness?\n"
        b"\xff\xfe broken line\n" + b"x" * 5000 + b"\n\t4\tDescribe a conflict\n"
    )
    listed = read_question_list(path)
    assert listed.questions == ["Why Amazon?", "Tell me about a failure", "What is your weakness?", "Describe a conflict"]
    assert listed.skipped == ["line 5: not UTF-8 text", "line 6: 5,000 characters, longer than a question"]


def test_csv_column(tmp_path):
    path = tmp_path / "bank.csv"
    path.write_text('id,prompt\n1,"Why this team, and why now?"\n2,Tell me about a failure\n', encoding="utf-8")
    assert read_question_list(path, column="prompt").questions == [
        "Why this team, and why now?",
        "Tell me about a failure",
    ]
    with pytest.raises(QuestionListError, match="no column 'question'"):
        read_question_list(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "no questions"), (b"\n \n", "no questions"), (b"\x00\x01binary", "binary")],
)
def test_unusable_inputs(tmp_path, content, message):
    path = tmp_path / "list.txt"
    path.write_bytes(content)
    with pytest.raises(QuestionListError, match=message):
        read_question_list(path)


def test_mixed_list_maps_correctly(matcher):
    answers = matcher.ask_many(read_question_list(MIXED).questions)
    verdicts = [a.verdict for a in answers]
    assert verdicts[2] == "not_behavioural"
    assert verdicts[4] == "no_match"
    assert answers[0].results[0].story.title == "Tell me about a time you disagreed with your manager"
    assert answers[1].results[0].story.title == "What are your strengths and weaknesses?"
    assert "why-amazon" in answers[3].results[0].story.id
    assert "specific-metric" in answers[5].results[0].story.id


def test_batch_outputs_round_trip(tmp_path, matcher):
    from matcher.report import outputs
    from matcher.report.coverage import summarise

    answers = matcher.ask_many(read_question_list(MIXED).questions)
    summary = summarise(answers)
    expected = {a.question: (a.verdict, a.results[0].story.id if a.match else "") for a in answers}
    outputs.write_batch(tmp_path / "out.csv", "csv", answers, summary)
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["question"]: (r["verdict"], r["story_id"]) for r in rows} == expected
    outputs.write_batch(tmp_path / "out.json", "json", answers, summary)
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert {
        a["question"]: (a["verdict"], a["results"][0]["story"]["id"] if a["match"] else "")
        for a in data["answers"]
    } == expected
    assert data["summary"]["not_behavioural"] == 1
    outputs.write_batch(tmp_path / "out.md", "md", answers, summary)
    assert "| 1 |" in (tmp_path / "out.md").read_text(encoding="utf-8")


def test_batch_cli_from_stdin_with_out_file(tmp_path):
    out = tmp_path / "mapping.json"
    result = runner.invoke(
        app,
        ["batch", "-", "--out", str(out), "--corpus", str(CORPUS), "--index-dir", str(tmp_path / "index")],
        input="Why Amazon?\nWhy Amazon?\nImplement quicksort.\n",
    )
    assert result.exit_code == 0, result.output
    assert "listed more than once" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [a["verdict"] for a in data["answers"]] == ["match", "not_behavioural"]


def test_batch_cli_bad_inputs(tmp_path):
    missing = runner.invoke(app, ["batch", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "not found" in missing.stderr
    csv_file = tmp_path / "q.csv"
    csv_file.write_text("prompt\nWhy Amazon?\n", encoding="utf-8")
    no_column = runner.invoke(app, ["batch", str(csv_file)])
    assert no_column.exit_code == 2 and "no column 'question'" in no_column.stderr
    bad_format = runner.invoke(app, ["batch", str(csv_file), "--column", "prompt", "--out", str(tmp_path / "x.xlsx")])
    assert bad_format.exit_code == 2 and "--format" in bad_format.stderr


def test_coverage_finds_principles_without_a_story(matcher):
    rows = coverage(matcher.index.bank, matcher.catalogue)
    missing = {r.name for r in rows if not r.stories}
    assert missing == {"Are Right, A Lot", "Frugality", "Strive to be Earth's Best Employer", "Success and Scale Bring Broad Responsibility"}
    by_name = {r.name: r for r in rows}
    assert len(by_name["Are Right, A Lot"].planned) == 3
    assert len(by_name["Ownership"].stories) == len({s.group for s in by_name["Ownership"].stories})
    answers = matcher.ask_many(["How have you made your workplace more inclusive?"])
    advice = suggestions(coverage(matcher.index.bank, matcher.catalogue, answers), matcher.catalogue)
    assert advice[0].name == answers[0].principles[0].name  # the unanswered question's principle first


def test_assignment_is_optimal_on_a_hand_checked_case():
    # Greedy (best first) gives q0->A (9) then q1->B (1): 10. The optimum is q0->B, q1->A: 8+7=15.
    scores = np.array([[9.0, 8.0], [7.0, 1.0]])
    assert assign(scores) == {0: 1, 1: 0}
    # More questions than stories: one question gets none.
    assert len(assign(np.array([[1.0], [2.0], [0.5]]))) == 1


def test_plan_never_repeats_a_story(matcher):
    questions = [
        "When did you push back on your manager's schedule, and how did it end?",
        "Tell me about disagreeing with your boss.",
        "Have you ever told your manager a plan needed two more weeks than they thought?",
        "What's your biggest weakness?",
        "Write a function to reverse a linked list.",
    ]
    assignments = plan(matcher, questions)
    groups = [a.story.group for a in assignments if a.story]
    assert len(groups) == len(set(groups)) == 4
    assert assignments[4].story is None
    assert any(a.loss > 0 for a in assignments[:3])  # someone had to take a second choice


def test_coverage_matrix_csv(tmp_path):
    out = tmp_path / "coverage.csv"
    result = runner.invoke(app, ["coverage", "--out", str(out), "--corpus", str(CORPUS),
                                 "--index-dir", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows[0]) == 1 + 74  # principle column + one per story, duplicates once
    frugality = next(r for r in rows if r[0] == "Frugality")
    assert set(frugality[1:]) == {"0"}
