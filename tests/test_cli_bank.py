"""The story-bank commands as a user runs them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from matcher.cli import app

from .conftest import CORPUS, one_document

runner = CliRunner()


def test_stories_json_lists_stories_planned_and_warnings():
    result = runner.invoke(app, ["stories", "--json", "-c", str(CORPUS)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["stories"]) == 78 and len(data["planned"]) == 18
    story = data["stories"][0]
    assert set(story) >= {"id", "title", "principles", "source", "completeness", "group", "sections"}


def test_stories_table_and_show():
    listing = runner.invoke(app, ["stories", "-c", str(CORPUS)])
    assert listing.exit_code == 0 and "78 stories" in listing.stdout
    shown = runner.invoke(app, ["stories", "show", "a-time-you-saw-a-peer", "-c", str(CORPUS)])
    assert shown.exit_code == 0 and "CloudFormation" in shown.stdout


def test_show_unknown_or_ambiguous_id_is_a_clean_error():
    missing = runner.invoke(app, ["stories", "show", "no-such-story", "-c", str(CORPUS)])
    assert missing.exit_code == 2 and "no story with id" in missing.stderr
    assert "Traceback" not in missing.output
    ambiguous = runner.invoke(app, ["stories", "show", "disagreed", "-c", str(CORPUS)])
    assert ambiguous.exit_code == 2 and "matches" in ambiguous.stderr


def test_principles_counts_duplicates_once():
    result = runner.invoke(app, ["principles", "--json", "-c", str(CORPUS)])
    counts = {row["name"]: row for row in json.loads(result.stdout)}
    assert len([r for r in counts.values() if r["in_catalogue"]]) == 16
    assert counts["Frugality"]["stories"] == 0
    assert counts["Long-Term Thinking"]["in_catalogue"] is False


def test_missing_corpus_is_a_clean_error(tmp_path):
    result = runner.invoke(app, ["stories", "-c", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "not found" in result.stderr


def test_corpus_with_nothing_usable_says_so(tmp_path):
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = runner.invoke(app, ["stories", "-c", str(tmp_path)])
    assert result.exit_code == 0
    assert "No stories or planned questions found" in result.stdout
    assert "binary file, skipped" in result.stderr


def test_rich_markup_in_documents_and_questions_prints_as_text(tmp_path):
    corpus = one_document(
        tmp_path,
        "## Tell me about a time you shipped [/] a fix [link=http://x]now[/link] [draft]\n\n"
        "**Situation:** Our [bold]nightly[/bold] export broke and I owned it.\n"
        "**Result:** Fixed in a day.\n",
    )
    listing = runner.invoke(app, ["stories", "--corpus", str(corpus)])
    assert listing.exit_code == 0 and "[/]" in listing.stdout, listing.output
    shown = runner.invoke(app, ["stories", "show", "shipped", "--corpus", str(corpus)])
    assert shown.exit_code == 0 and "[link=http://x]now[/link]" in shown.stdout
    batch = runner.invoke(
        app, ["batch", "-", "--corpus", str(corpus), "--index-dir", str(tmp_path / "index")],
        input="Tell me about a time you shipped [/] a fix\n",
    )
    assert batch.exit_code == 0 and "[/]" in batch.stdout, batch.output


def test_show_reads_the_corpus_given_before_the_subcommand(tmp_path):
    # `stories -c FOLDER show ID` read the default corpus and reported no such story.
    (tmp_path / "prep.txt").write_text(
        "THE WAREHOUSE SCANNER FIRMWARE\n\n~ Context ~\nScanners froze mid-shift.\n\n"
        "~ What I did ~\nI replayed a week of logs and found the roaming bug.\n\n"
        "~ Outcome ~\nFreezes went from forty a day to zero.\n\n* * *\n\n"
        "THE HANDOVER I WOULD NOT SIGN\n\n~ Context ~\nA team wanted to hand us a broken exporter.\n\n"
        "~ What I did ~\nI set three conditions and lent two engineers.\n\n"
        "~ Outcome ~\nThey fixed both bugs first.\n",
        encoding="utf-8",
    )
    shown = runner.invoke(app, ["stories", "-c", str(tmp_path), "show", "warehouse", "--json"])
    assert shown.exit_code == 0, shown.output
    story = json.loads(shown.output)
    # "* * *" is a rule between stories, not text left at the end of the Result.
    assert story["sections"][-1]["text"] == "Freezes went from forty a day to zero."
