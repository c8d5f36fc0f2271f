"""Ingest of the three real prep documents: facts checked by reading them."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from pathlib import Path

import pytest

from matcher import read_corpus
from matcher.ingest import CorpusError

from .conftest import CORPUS, D000, D001, D003, REPO, by_title, simple_pdf


def test_counts_per_document(bank):
    assert Counter(s.source.file for s in bank.stories) == {D000: 45, D001: 25, D003: 8}
    assert Counter(p.source.file for p in bank.planned) == {D000: 1, D001: 12, D003: 5}


def test_multi_principle_aligns_with_lines(bank):
    proud = by_title(bank, D000, "Tell me about a project that you are most proud")
    assert proud.principles == ("Deliver Results", "Invent and Simplify")
    easier = by_title(bank, D000, "Tell me about a time when you made something easier")
    assert easier.principles == ("Customer Obsession", "Invent and Simplify")  # "Simplify"
    # 'This aligns with "Insists on Highest Standards”, Think Big" (…) and "Dive Deep"'
    status_quo = by_title(bank, D001, "A time you had to change the status quo")
    assert status_quo.principles == ("Insist on the Highest Standards", "Think Big", "Dive Deep")


def test_principle_from_enclosing_section(bank):
    # No tag line: the principle comes from "### 3.3 Ownership – 主人翁精神".
    assert by_title(bank, D001, "A time you saw a peer struggling").principles == ("Ownership",)
    # Unquoted tag: "- This related with Dive Deep".
    assert by_title(bank, D001, "A  time you were trying to understand").principles == ("Dive Deep",)


def test_story_heading_at_section_level_stays_in_section(bank):
    nested = by_title(bank, D001, "Tell me about a time you disagreed with your manager")
    assert nested.source.line == 750
    assert "Have Backbone; Disagree and Commit" in nested.principles
    # The section after it still opens normally.
    assert by_title(bank, D001, "A time when you submitted a good idea").principles == (
        "Have Backbone; Disagree and Commit",
    )


def test_unknown_tags_are_kept_and_warned(bank):
    sacrifice = by_title(bank, D000, "Tell me about a time you had to sacrifice")
    assert sacrifice.principles == ("Think Big", "Long-Term Thinking")
    assert any("Long-Term Thinking" in w and "743" in w for w in bank.warnings)
    assert any("Seek and Embrace Opportunities" in w for w in bank.warnings)


def test_templates_and_answerless_headings_are_planned(bank):
    titles = {p.title: p for p in bank.planned}
    assert titles["Most difficult customer interaction"].reason == "empty template"
    assert titles["Most difficult customer interaction"].principles == ("Customer Obsession",)
    assert titles["A time you made a decision without data"].reason == "no answer written"
    assert titles["3 things you’re working on to improve overall effectiveness"]
    yourself = titles["Tell me about yourself and your background"]
    assert yourself.principles == ("Customer Obsession", "Invent and Simplify", "Earn Trust")
    story_titles = {s.title for s in bank.stories}
    assert not story_titles & set(titles) - {"Tell me about yourself and your background"}
    # Principle description sections are neither stories nor planned questions.
    assert not any("Ownership" == t for t in story_titles | set(titles))


def test_sections_labels_and_boilerplate(bank):
    proud = by_title(bank, D000, "Tell me about a project that you are most proud")
    labels = [s.label for s in proud.sections]
    assert labels == ["Situation", "Task", "Action", "Result", "Challenge", "Conflict", "Ambiguity", "Learning"]
    assert proud.completeness == "STAR"
    why = [s for s in bank.stories if s.source.file == D000 and s.title == "Why Amazon?"][0]
    assert "Certainly" not in why.text
    assert why.sections[0].text.startswith("Throughout my career")


def test_introduce_and_why_answers(bank):
    intro = by_title(bank, D000, "Introduce")
    assert intro.sections[0].label == "Answer" and "BlackRock" in intro.text
    assert intro.completeness == "----"
    leave = by_title(bank, D001, "Why leave current firm")
    assert "report line is not stable" in leave.text
    assert by_title(bank, D000, "What are your strengths and weaknesses")


def test_plain_text_layout(bank):
    failed = by_title(bank, D003, "Tell me about a time when you failed at work")
    assert [s.label for s in failed.sections] == ["Situation", "Task", "Action", "Result", "Learning"]
    assert failed.principles == ("Ownership",) and failed.source.line == 18
    vision = by_title(bank, D003, "How do you ensure your team stays connected")
    assert vision.sections[0].label == "Answer"
    assert vision.sections[0].text == "Frequent Check Ins, and written responses."
    assert by_title(bank, D003, "Tell me about an initiative").completeness == "S---"
    second_source = [p for p in bank.planned if p.source.file == D003 and p.source.line >= 59]
    assert len(second_source) == 3


def test_duplicate_groups(bank):
    groups = [g for g in bank.groups().values() if len(g) > 1]
    assert sorted(tuple(s.title for s in g) for g in groups) == sorted(
        [
            ("Introduce", "Introduce"),
            ("Why Amazon", "Why Amazon"),
            ("Tell me about a project that you are most proud of and the most challenging project you worked on",) * 2,
            ("Tell me about a time you disagreed with your manager",) * 2,
        ]
    )
    assert all({s.source.file for s in g} == {D000, D001} for g in groups)


def test_ids_are_stable_when_the_body_changes(tmp_path):
    original = (CORPUS / D001).read_text(encoding="utf-8")
    edited = original.replace("FTP server pull 3 rd party data", "An SFTP job pulled vendor data")
    assert edited != original
    (tmp_path / D001).write_text(edited, encoding="utf-8")
    before = [s.id for s in read_corpus([CORPUS / D001]).stories]
    after = [s.id for s in read_corpus([tmp_path / D001]).stories]
    assert before == after and len(set(before)) == len(before)


def test_structured_yaml_and_json(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "stories:\n"
        "  - title: Cut our cloud bill\n"
        "    principles: [Frugality, Invent & Simplify]\n"
        "    sections:\n"
        "      Situation: EC2 nodes idled at night.\n"
        "      Result: Saved 30%.\n"
        "  - title: A time you hired someone\n"
        "    principles: [Hire and Develop the Best]\n",
        encoding="utf-8",
    )
    data = {"stories": [{"title": "Why us?", "sections": {"Answer": "I like the team."}}]}
    (tmp_path / "mine.json").write_text(json.dumps(data), encoding="utf-8")
    bank = read_corpus([tmp_path])
    assert [(s.title, s.principles, s.source.line) for s in bank.stories] == [
        ("Why us?", (), 1),
        ("Cut our cloud bill", ("Frugality", "Invent and Simplify"), 2),
    ]
    assert bank.stories[1].completeness == "S--R"
    assert [(p.title, p.source.line) for p in bank.planned] == [("A time you hired someone", 7)]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
        ("empty.md", b"  \n\n", "empty file"),
        ("cyrillic.txt", "## История\n\n> S: мы выпустили релиз".encode("cp1251"), "not UTF-8"),
        ("notes.txt", b"just some notes\nwith no structure at all\n", "no story headings"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable Word file (damaged"),
        ("broken.pdf", b"%PDF-1.4 not really a PDF", "not a readable PDF"),
        ("broken.odt", b"PK\x03\x04 not really a zip", "not a readable OpenDocument file (damaged"),
        ("scanned.pdf", simple_pdf([[]]), "no text in this PDF (a scanned document?)"),
        ("cut.enex", b'<?xml version="1.0"?><en-export><note><title>Cut off', "not a readable Evernote export"),
        ("saved.ipynb", b'{"cells": 3}', "not a readable Jupyter notebook"),
    ],
)
def test_bad_files_warn_and_the_rest_is_ingested(tmp_path, name, content, problem):
    (tmp_path / name).write_bytes(content)
    bank = read_corpus([tmp_path, CORPUS / D003])
    assert len(bank.stories) == 8
    assert any(w.startswith(name) and problem in w for w in bank.warnings), bank.warnings


def test_a_windows_1252_text_file_is_read_with_a_warning(tmp_path):
    """Word's "Plain Text" and older Notepad save in the Windows code page, not UTF-8."""
    text = "## Winning back the café chain\n\nSituation: Our “premium” tier – €40 a seat – lost the account.\n"
    (tmp_path / "notes.txt").write_bytes(text.encode("cp1252"))
    bank = read_corpus([tmp_path])
    assert [(s.title, s.sections[0].text) for s in bank.stories] == [
        ("Winning back the café chain", "Our “premium” tier – €40 a seat – lost the account.")
    ]
    assert any("notes.txt:1: not UTF-8: read as Windows-1252" in w for w in bank.warnings), bank.warnings


def test_an_opendocument_file_reads_like_a_word_file():
    """LibreOffice Writer's own format, written by a helper without sight of the reader:
    headings by outline level, bold labels in spans, a list of questions still to prepare."""
    bank = read_corpus([Path(__file__).parent / "data" / "odt"])
    assert [(s.title, s.source.line, s.principles, s.completeness) for s in bank.stories] == [
        ("Why Amazon?", 3, (), "----"),
        ("Shutting down the invoice-financing beta", 5, ("Customer Obsession", "Are Right, A Lot"), "STAR"),
        ("Failed payouts nobody was looking at", 12, ("Customer Obsession", "Dive Deep"), "STAR"),
        ("Instant payouts in six weeks", 18, ("Bias for Action", "Deliver Results"), "STAR"),
        ("Growing an APM into a PM", 25, ("Hire and Develop the Best",), "STAR"),
    ]
    # A known misread: of three questions listed to prepare, the one not worded as a
    # question ("Most frugal thing you've done – …") is read as the text of the one above.
    assert len(bank.planned) == 2
    assert not bank.warnings


def test_missing_corpus_path_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        read_corpus([tmp_path / "nope"])
    with pytest.raises(CorpusError, match="no documents"):
        read_corpus([tmp_path])


def test_default_corpus_is_the_seeds_byte_for_byte():
    seeds = REPO.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    for seed in seeds.iterdir():
        assert (CORPUS / seed.name).read_bytes() == seed.read_bytes()


def test_corpus_unchanged_after_a_run(bank):
    from typer.testing import CliRunner

    from matcher.cli import app

    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in CORPUS.iterdir()}
    result = CliRunner().invoke(app, ["stories", "--json", "--corpus", str(CORPUS)])
    assert result.exit_code == 0
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in CORPUS.iterdir()}
    assert before == after
    assert {n: h for n, h in after.items() if n in bank.documents} == bank.documents


def test_utf16_with_bom_is_read(tmp_path):
    text = "## Tell me about a time you failed\n\n**Situation:** Our nightly export broke.\n"
    (tmp_path / "notes.md").write_bytes(text.encode("utf-16"))
    bank = read_corpus([tmp_path])
    assert [s.title for s in bank.stories] == ["Tell me about a time you failed"]
    assert bank.stories[0].sections[0].text == "Our nightly export broke."


def test_broken_link_and_unreadable_file_are_named_and_the_rest_is_read(tmp_path, unreadable):
    (tmp_path / "good.md").write_text("## Why Amazon\n\nI like the pace.\n", encoding="utf-8")
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing.md")
    (tmp_path / "locked.md").write_text("## A story\n\nI did it.\n", encoding="utf-8")
    unreadable("locked.md")
    bank = read_corpus([tmp_path])
    assert [s.title for s in bank.stories] == ["Why Amazon"]
    assert "gone.md: broken link, skipped" in bank.warnings
    assert "locked.md: cannot be read (permission denied), skipped" in bank.warnings


def test_readme_holding_stories_is_read_and_one_describing_the_folder_is_quiet(tmp_path):
    (tmp_path / "README.md").write_text(
        "## Tell me about a time you failed\n\n**Situation:** I shipped a bug.\n", encoding="utf-8"
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "README.md").write_text("These are my notes.\n", encoding="utf-8")
    bank = read_corpus([tmp_path])
    assert [(s.title, s.source.file) for s in bank.stories] == [
        ("Tell me about a time you failed", "README.md")
    ]
    assert bank.warnings == []


def test_other_file_types_in_a_folder_are_skipped_with_one_note(tmp_path):
    (tmp_path / "a.md").write_text("## Why Amazon\n\nI like the pace.\n", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "slides.pptx").write_bytes(b"PK\x03\x04")
    bank = read_corpus([tmp_path])
    assert len(bank.stories) == 1
    assert any("2 file(s) that are not prep notes (.png, .pptx) skipped" in w for w in bank.warnings)


def test_rich_text_from_textedit_is_read(tmp_path):
    (tmp_path / "prep.rtf").write_text(
        r"{\rtf1\ansi\deff0 {\fonttbl {\f0 Helvetica;}}\f0\fs24 "
        r"{\b Migrating billing off the monolith (Ownership)}\par "
        r"Situation: Billing lived in a ten-year-old monolith.\par "
        r"Action: I split it out in six steps.\par "
        r"Result: Billing moved out in eight months.\par}",
        encoding="utf-8",
    )
    (story,) = read_corpus([tmp_path]).stories
    assert (story.title, story.principles, story.completeness) == (
        "Migrating billing off the monolith", ("Ownership",), "S-AR"
    )


def test_a_pdf_export_is_read_page_by_page(tmp_path):
    """Titles and "Situation:" labels as typed; a page number alone on a line is no text."""
    (tmp_path / "prep.pdf").write_bytes(simple_pdf([
        [
            "Interview prep",
            "Migrating billing off the monolith (Ownership)",
            "Situation: Billing lived in a ten-year-old monolith.",
            "Action: I split it out in six steps.",
            "Result: Billing moved out in eight months.",
            "1",
        ],
        ["Hiring my first engineer", "Situation: The team was me alone.", "Result: We shipped on time.", "Page 2 of 2"],
    ]))
    billing, hiring = read_corpus([tmp_path]).stories
    assert (billing.title, billing.principles, billing.completeness) == (
        "Migrating billing off the monolith", ("Ownership",), "S-AR"
    )
    assert (hiring.title, hiring.completeness) == ("Hiring my first engineer", "S--R")
    assert hiring.sections[-1].text == "We shipped on time."



def test_q_and_a_notes_read_a_as_the_answer(tmp_path):
    (tmp_path / "qa.txt").write_text(
        "Q: Why do you want to work here?\n"
        "A: I want my warehouse fixes to reach millions of packages.\n\n"
        "Q: Tell me about a time you changed a director's mind.\n"
        "A: I showed him the scan data instead of adding a night shift.\n",
        encoding="utf-8",
    )
    bank = read_corpus([tmp_path])
    assert [(s.title, s.sections[0].label) for s in bank.stories] == [
        ("Why do you want to work here?", "Answer"),
        ("Tell me about a time you changed a director's mind.", "Answer"),
    ]


def test_story_prefix_lines_and_question_style_labels(tmp_path):
    (tmp_path / "notes.markdown").write_text(
        "My stories\n\n"
        "STORY: The flaky checkout tests\n"
        "Principle: Insist on the Highest Standards\n"
        "What was going on: The suite failed one run in five.\n"
        "What I had to do: Make it trustworthy before the freeze.\n"
        "What I did: I gave each test its own seeded account.\n"
        "How it ended: Flakes fell from 19% to under 1%.\n\n"
        "STORY: Saying no to the VP's dashboard\n"
        "What was going on: A VP wanted reads from the primary.\n"
        "How it ended: He took the replica option.\n",
        encoding="utf-8",
    )
    bank = read_corpus([tmp_path])
    assert [(s.title, s.principles, s.completeness) for s in bank.stories] == [
        ("The flaky checkout tests", ("Insist on the Highest Standards",), "STAR"),
        ("Saying no to the VP's dashboard", (), "S--R"),
    ]


def test_two_situation_labels_in_a_row_stay_one_story(tmp_path):
    """"Context" then "Background" both name the situation: one story, both kept; a
    situation after a story's result still starts the next one."""
    (tmp_path / "prep.md").write_text(
        "## Migrating billing off the monolith (Ownership)\n"
        "Context: Billing lived inside a ten-year-old monolith.\n"
        "Background: Two earlier attempts to split it out had stalled.\n"
        "Task: I owned getting billing out by year end.\n"
        "Action: I split the work into six strangler steps.\n"
        "Result: Billing moved out in eight months.\n"
        "Situation: A new engineer missed three sprint goals.\n"
        "Action: Weekly pairing and a written ramp plan.\n"
        "Result: By month three he kept the team's pace.\n",
        encoding="utf-8",
    )
    first, second = read_corpus([tmp_path]).stories
    assert (first.title, first.completeness) == ("Migrating billing off the monolith", "STAR")
    assert [s.text for s in first.sections if s.label == "Situation"] == [
        "Billing lived inside a ten-year-old monolith.",
        "Two earlier attempts to split it out had stalled.",
    ]
    assert second.completeness == "S-AR" and second.sections[0].text.startswith("A new engineer")


def test_a_title_written_in_quotes_is_shown_without_them(tmp_path):
    (tmp_path / "prep.txt").write_text(
        'STORY 1 — "The night the payment gateway died"\n'
        "S) Black Friday: our card processor started timing out.\n"
        "A) I switched traffic to the backup processor.\n\n"
        'STORY 2 — "Disagree and commit" with my VP\n'
        "S) The VP wanted a rewrite before the launch.\n"
        "A) I argued for shipping first, then committed to his call.\n\n"
        '## "The midnight schema change" — Dive Deep, Ownership\n'
        "Situation: A partner changed a feed's schema without notice.\n"
        "Action: I patched the parser and backfilled six hours of data.\n",
        encoding="utf-8",
    )
    stories = read_corpus([tmp_path]).stories
    assert [s.title for s in stories] == [
        "The night the payment gateway died",
        '"Disagree and commit" with my VP',
        "The midnight schema change",
    ]
    assert stories[2].principles == ("Dive Deep", "Ownership")


def test_tag_lines_in_italics_belong_to_their_own_story(tmp_path):
    """"*also good for Ownership*" under a heading is a tag line, not the story's title; a
    tag line after a story's result is that story's, not the next one's under the heading."""
    (tmp_path / "bank.md").write_text(
        "## Customer Obsession\n\n"
        "### Tell me about going above and beyond for a customer\n\n"
        "*also good for Ownership*\n\n"
        "**S:** A client's payroll import failed an hour before the bank cutoff.\n\n"
        "**R:** Every driver was paid on time.\n\n"
        "## Invent and Simplify\n\n"
        "### KB overhaul\n\n"
        "**S:** Our help centre had 600 stale articles.\n\n"
        "**R:** Self-service deflection doubled.\n\n"
        "*also Insist on the Highest Standards*\n\n"
        "---\n\n"
        "**S:** Enterprise onboarding was a 40-page checklist.\n\n"
        "**R:** Onboarding took three weeks instead of seven.\n\n"
        "*LPs: Deliver Results*\n",
        encoding="utf-8",
    )
    customer, kb, onboarding = read_corpus([tmp_path]).stories
    assert customer.title == "Tell me about going above and beyond for a customer"
    assert customer.principles == ("Ownership", "Customer Obsession")
    assert kb.principles == ("Insist on the Highest Standards", "Invent and Simplify")
    assert onboarding.principles == ("Deliver Results", "Invent and Simplify")
