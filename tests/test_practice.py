"""Practice: drawing questions, grading a pick against matcher's answer, the history."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.practice import Deck, Draw, History, grade, question_pool
from matcher.practice.history import DATA_ENV, default_history_path

from .conftest import REPO


def test_pool_has_catalogue_examples_and_planned_questions(matcher):
    bank, catalogue = matcher.index.bank, matcher.catalogue
    pool = question_pool(catalogue, bank)
    origins = {d.origin for d in pool}
    assert origins == {"catalogue", "planned"}
    assert len(pool) > sum(len(p.examples) for p in catalogue.principles) - 20  # near-duplicates merge
    frugal = question_pool(catalogue, bank, principle="Frugality")
    assert frugal and all(d.principle == "Frugality" for d in frugal)
    listed = question_pool(catalogue, bank, ["list"], ["Why this company?", "why this company?"])
    assert [d.question for d in listed] == ["why this company?"]  # repeats drawn once


def test_a_seed_draws_the_same_session(matcher):
    pool = question_pool(matcher.catalogue, matcher.index.bank)
    one, two, other = Deck(pool, 4), Deck(pool, 4), Deck(pool, 5)
    assert [one.draw(n) for n in range(10)] == [two.draw(n) for n in range(10)]
    assert [one.draw(n) for n in range(10)] != [other.draw(n) for n in range(10)]
    assert one.draw(len(pool)) == one.draw(0)  # cycles when the pool runs out
    assert one.find("  " + one.draw(3).question.upper()) == one.draw(3)
    with pytest.raises(ValueError):
        Deck([], 1)


def test_grading_against_matchers_answer(matcher):
    bank = matcher.index.bank
    question = "Tell me about a time you disagreed with your manager"
    answer = matcher.ask(question)
    best = answer.results[0].story
    right = grade(Draw(question, "catalogue", answer.principles[0].name), answer,
                  [answer.principles[0].name], best.id, bank)
    assert right.principle_hit and right.story_hit
    twin = next((s for s in bank.stories if s.group == best.group and s.id != best.id), None)
    if twin is not None:  # telling the same story from another document is the same story
        assert grade(right.draw, answer, [], twin.id, bank).story_hit
    wrong = grade(Draw(question, "list"), answer, ["Frugality"], None, bank)
    assert not wrong.principle_hit and not wrong.story_hit
    assert wrong.expected == answer.principles[0].name  # no known principle: matcher's first
    small_talk = matcher.ask("What is the time complexity of quicksort?")
    assert small_talk.verdict == "not_behavioural"
    none = grade(Draw(small_talk.question, "list"), small_talk, [], None, bank)
    assert none.principle_hit and none.story_hit and none.expected is None


def test_history_per_principle_and_what_to_practise_next(matcher, tmp_path):
    bank = matcher.index.bank
    history = History(tmp_path / "nested" / "practice.sqlite3")
    assert history.by_principle() == []
    question = "Tell me about a time you disagreed with your manager"
    answer = matcher.ask(question)
    history.record(grade(Draw(question, "catalogue", "Ownership"), answer, ["Ownership"], answer.results[0].story.id, bank))
    history.record(grade(Draw(question, "catalogue", "Dive Deep"), answer, [], None, bank))
    records = {r.name: r for r in history.by_principle()}
    assert records["Ownership"].rounds == 1 and records["Ownership"].rate == 1.0
    assert records["Dive Deep"].rate == 0.0
    assert history.by_principle()[0].name == "Dive Deep"  # weakest first
    names = matcher.catalogue.names
    upcoming = history.to_practise(names, n=len(names))
    assert "Ownership" not in upcoming and upcoming[-1] == "Dive Deep"  # untried first, then weakest
    for picked in ([], ["Ownership"], ["Ownership"]):
        history.record(grade(Draw(question, "catalogue", "Ownership"), answer, picked, None, bank))
    recent = history.recent(n=3)
    assert [score for _, score in recent["Ownership"]] == [0, 1, 1]  # oldest first, the first round dropped
    assert [score for _, score in recent["Dive Deep"]] == [0]


def test_history_lives_outside_the_repo(monkeypatch, tmp_path):
    monkeypatch.delenv(DATA_ENV, raising=False)
    assert REPO not in default_history_path().parents
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    assert default_history_path() == tmp_path / "practice.sqlite3"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("practice")
    shutil.copytree(REPO / "tests" / "data" / "web", root / "corpus")
    return ["-c", str(root / "corpus"), "--index-dir", str(root / "index")]


def test_practice_in_the_terminal(small, monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    runner = CliRunner()
    # Round 1: an unknown principle is asked again, an ambiguous story id too; round 2: nothing.
    typed = "99, Not a principle\n1,Ownership\ntell-me\nsimplified\n\n\n"
    result = runner.invoke(app, ["practice", "-n", "2", "--seed", "3", *small], input=typed)
    assert result.exit_code == 0, result.output
    assert "not a principle" in result.stderr and "matches" in result.stderr
    assert result.stdout.count("principle: ") == 2 and "Practise next:" in result.stdout
    again = runner.invoke(app, ["practice", "-n", "2", "--seed", "3", *small], input="\n\n\n\n")
    questions = [line for line in result.stdout.splitlines() if line.startswith("“")]
    assert questions == [line for line in again.stdout.splitlines() if line.startswith("“")]
    stats = runner.invoke(app, ["practice", "--stats"])
    assert stats.exit_code == 0 and "practice so far" in stats.stdout


def test_practice_bad_options_are_one_line(small):
    runner = CliRunner()
    unknown = runner.invoke(app, ["practice", "--from", "web", *small])
    assert unknown.exit_code == 2 and "unknown --from" in unknown.stderr
    no_list = runner.invoke(app, ["practice", "--from", "list", *small])
    assert no_list.exit_code == 2 and "--questions" in no_list.stderr
    bad = runner.invoke(app, ["practice", "-p", "Kindness", *small])
    assert bad.exit_code == 2 and "unknown principle" in bad.stderr


def test_an_unusable_history_is_one_line(small, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(DATA_ENV, str(blocker / "data"))
    result = CliRunner().invoke(app, ["practice", *small])
    assert result.exit_code == 2 and "cannot use the practice history" in result.stderr
    assert "Traceback" not in result.output
