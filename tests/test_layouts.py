"""The parser against prep documents written in many layouts, scored with truth files.

``tests/data/layouts/`` holds documents written for this test in the layouts real people
use (principle sections with bullet stories, HTML/MDX, Word, numbered questions, plain
text, tags in many places, several stories under one heading, a folder with a README
and same-named files); ``tests/data/layout_truth/`` says what a careful reader finds in
each. ``python -m tests.layout_score`` prints the per-document table.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import read_corpus
from matcher.ingest.files import CorpusFile
from matcher.ingest import read_document
from matcher.principles import Catalogue
from matcher.terminal import visible

from .layout_score import DATA, score, summary


@pytest.mark.parametrize(
    ("documents", "truth"),
    [("layouts", "layout_truth"), ("layouts_holdout", "layouts_holdout_truth")],
)
def test_every_layout_document_parses_as_its_truth_says(documents, truth):
    # layouts_holdout was written later by someone who had not seen the parser and was
    # scored once before any fix (see the closing note of the ingest issue).
    scores = score(DATA / documents, DATA / truth)
    assert len(scores) >= 6
    problems = [p for s in scores for p in s.problems]
    assert summary(scores)["correct"] == 1.0 and not problems, "\n".join(problems)


def test_same_named_files_in_two_folders_are_two_documents():
    bank = read_corpus([DATA / "layouts" / "folder_case"])
    assert {"README.md", "2023/stories.md", "2024/stories.md"} <= set(bank.documents)
    ids = [s.id for s in bank.stories]
    assert len(ids) == len(set(ids))
    assert any(i.startswith("2023-stories/") for i in ids)
    assert any(i.startswith("2024-stories/") for i in ids)


# -- robustness: every pattern linear, any text parsed without an exception ------------

@pytest.mark.parametrize(
    "line",
    [
        "## Tell me about a time you failed" + " " * 1500 + "(2019)",
        "1. Tell me about a time" + " " * 5000 + "x",
        "**Situation" + " " * 5000,
        "Situation" + " \t" * 5000 + "-",
        "Q1" + " " * 5000 + ":",
        "[a](b)" * 3000,
        "(S)" * 5000,
        "x" * 100_000,
        "# " + "a " * 50_000,
        "<details>" * 5000,
        "Tags:" + " Ownership," * 5000,
    ],
)
def test_adversarial_lines_parse_fast(tmp_path, line):
    path = tmp_path / "doc.md"
    path.write_text(f"## A story\n\n{line}\n\n**Situation:** we shipped.\n", encoding="utf-8")
    start = time.perf_counter()
    read_corpus([path])
    assert time.perf_counter() - start < 1.0


_PIECES = st.sampled_from(
    [
        "# ", "## ", "### ", "#### ", "> ", "- ", "* ", "1. ", "2) ", "Q1: ", "**", "__", "*",
        "Situation:", "**Task**:", "S -", "(S) ", "(T) ", "Result", "Story 2:", "Example 1",
        "Ownership", "Customer Obsession", "LP: Dive Deep", "Tags: frugality", "🏷️ ",
        "<details>", "<summary>", "</summary>", "<b>", "</b>", "<br>", "&nbsp;", "&amp;",
        "<ul><li>", "---", "```", "\n", "\n\n", "\t", " ", "Tell me about a time ", "?",
        "[x](#y)", "(Ownership, Bias for Action)", "a\t", "Successes", "I ", "we did it.",
    ]
)
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_DOCUMENTS = st.lists(st.one_of(_PIECES, _TEXT), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_DOCUMENTS)
def test_any_text_parses_and_stories_come_from_it(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("doc") / "doc.md"
    path.write_bytes(text.encode("utf-8"))
    doc, report = read_document(CorpusFile(path, "doc.md"), _CATALOGUE)
    assert report.name == "doc.md"
    html = "&" in text or "<" in text  # entities and tags become other characters
    shown = visible(text)  # control characters are shown as symbols
    for story in doc.stories:
        assert story.title
        for section in story.sections:
            for word in section.text.split():
                assert html or word in shown, (word, text)


_CATALOGUE = Catalogue.load()
