"""What the user gave matcher is never overwritten, and never acted on by the terminal."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from matcher.cli import app

from .conftest import one_document

runner = CliRunner()
ESC_HEADING = "## Led the \x1b[2J\x1b]8;;http://evil\x1b\\migration\x1b]8;;\x1b\\ [/] [link=http://x]now[/link]\n\n"
STORY = (
    "**Situation:** Our billing database was years old and failing weekly.\n"
    "**Action:** I planned the migration, rehearsed it twice and ran it over a weekend.\n"
    "**Result:** No downtime, and costs fell by 30%.\n"
)


@pytest.fixture
def prep(tmp_path):
    """A corpus with one story whose heading carries escape sequences and markup."""
    corpus = one_document(tmp_path, ESC_HEADING + STORY)
    questions = tmp_path / "questions.txt"
    questions.write_text("How did you migrate a failing database?\n", encoding="utf-8")
    before = hashlib.sha256((corpus / "prep.md").read_bytes()).hexdigest()
    yield corpus, questions, ["--corpus", str(corpus), "--index-dir", str(tmp_path / "index")]
    assert hashlib.sha256((corpus / "prep.md").read_bytes()).hexdigest() == before


def test_escape_sequences_and_markup_in_a_heading_print_as_text(prep):
    corpus, questions, options = prep
    for command in (["stories", "--corpus", str(corpus)], ["ask", "How did you migrate a failing database?", *options]):
        result = runner.invoke(app, command, env={"COLUMNS": "400"})  # no wrapping inside the heading
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout
        assert "␛[2J" in result.stdout and "[link=http://x]now[/link]" in result.stdout


def test_out_onto_a_document_or_into_the_corpus_is_refused(prep):
    corpus, questions, options = prep
    for target in (corpus / "prep.md", corpus / "results.csv"):
        result = runner.invoke(app, ["batch", str(questions), "--out", str(target), "--force", *options])
        assert result.exit_code == 2 and "write it elsewhere" in result.stderr
    assert sorted(p.name for p in corpus.iterdir()) == ["prep.md"]


def test_out_is_checked_before_any_work(prep, tmp_path):
    _, questions, options = prep
    cases = {
        str(tmp_path / "missing" / "out.csv"): "does not exist",
        str(tmp_path / "out.xml"): "cannot tell the format of out.xml",
    }
    for target, message in cases.items():
        result = runner.invoke(app, ["batch", str(questions), "--out", target, *options])
        assert result.exit_code == 2 and message in result.stderr
    wrong_format = runner.invoke(app, ["batch", str(questions), "--out", str(tmp_path / "o.csv"), "--format", "xml", *options])
    assert wrong_format.exit_code == 2 and "unknown --format 'xml'" in wrong_format.stderr
    # Refused before the index is built: nothing was made.
    assert not (tmp_path / "index").exists()


def test_existing_out_file_needs_force(prep, tmp_path):
    _, questions, options = prep
    existing = tmp_path / "mine.csv"
    existing.write_text("my own notes\n", encoding="utf-8")
    refused = runner.invoke(app, ["batch", str(questions), "--out", str(existing), *options])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert existing.read_text(encoding="utf-8") == "my own notes\n"
    replaced = runner.invoke(app, ["batch", str(questions), "--out", str(existing), "--force", *options])
    assert replaced.exit_code == 0 and existing.read_text(encoding="utf-8").startswith("question,")


def test_invalid_utf8_in_the_argument_and_in_ask_i(prep):
    _, _, options = prep
    matcher = [sys.executable, "-m", "matcher"]
    argument = subprocess.run([*matcher, "ask", b"why \xff here?", *options], capture_output=True)
    assert argument.returncode == 2 and argument.stderr.strip() == b"error: the question is not valid UTF-8 text"
    session = subprocess.run(
        [*matcher, "ask", "-i", "--json", *options],
        input=b"why \xff here?\nHow did you migrate a failing database?\n",
        capture_output=True,
    )
    assert session.returncode == 0, session.stderr
    assert b"not valid UTF-8" in session.stderr and b"Traceback" not in session.stderr
    assert b'"question": "How did you migrate a failing database?"' in session.stdout
