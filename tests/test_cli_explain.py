"""`matcher stories`: one line per document, and `--explain` for one document."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from matcher.cli import app

from .conftest import CORPUS, D003
from .layout_score import DATA

runner = CliRunner()


def test_stories_starts_with_one_line_per_document():
    result = runner.invoke(app, ["stories", "--corpus", str(DATA / "layouts")])
    assert result.exit_code == 0, result.output
    assert "nurse_to_analyst.txt  plain text · 6 stories · 2 planned" in result.output
    assert "google_docs_export.docx  Word · 6 stories · 1 planned" in result.output
    alone = runner.invoke(app, ["stories", "--corpus", str(DATA / "layouts" / "sre_lp_bullets.md")])
    assert "Principle sections without a story: Frugality (sre_lp_bullets.md:" in alone.output


def test_a_file_that_gives_nothing_says_why(tmp_path):
    (tmp_path / "thoughts.txt").write_text("I should write my stories soon.\n", encoding="utf-8")
    result = runner.invoke(app, ["stories", "--corpus", str(tmp_path)])
    assert result.exit_code == 0
    assert "no story headings, STAR labels or numbered questions found" in result.output
    # …and what to write instead, and where to see how each line was read.
    assert '"Situation: …"' in result.output and "matcher stories --explain FILE" in result.output
    assert "Traceback" not in result.output


def test_explain_shows_how_each_line_was_read():
    result = runner.invoke(app, ["stories", "--explain", str(CORPUS / D003), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["stories"] == 8 and data["planned"] == 5
    kinds = {(s["line"], s["kind"]) for s in data["steps"]}
    assert (1, "principle section") in kinds and (18, "story") in kinds and (19, "section") in kinds
    assert any(s["kind"] == "group" and "Second Source" in s["detail"] for s in data["steps"])


def test_explain_by_name_within_the_corpus_and_unknown_names():
    result = runner.invoke(
        app, ["stories", "--corpus", str(DATA / "layouts"), "--explain", "folder_case/2023/stories.md"]
    )
    assert result.exit_code == 0, result.output
    assert "principle section" in result.output
    missing = runner.invoke(app, ["stories", "--corpus", str(CORPUS), "--explain", "nope.md"])
    assert missing.exit_code == 2 and "no document 'nope.md'" in missing.output


def test_unreadable_document_is_one_warning_in_every_command(tmp_path, unreadable):
    (tmp_path / "good.md").write_text("## Why Amazon\n\nI like the pace.\n", encoding="utf-8")
    (tmp_path / "locked.md").write_text("## A story\n\nI did it.\n", encoding="utf-8")
    unreadable("locked.md")
    for command in (["stories"], ["principles"], ["index", "info", "--index-dir", str(tmp_path / "i")]):
        result = runner.invoke(app, [*command, "--corpus", str(tmp_path)])
        assert result.exit_code in (0, 1), (command, result.output)
        assert "Traceback" not in result.output and not isinstance(result.exception, PermissionError)
