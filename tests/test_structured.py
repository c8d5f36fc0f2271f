"""The structured (YAML/JSON) layout: values kept as written, malformed files reported in one line."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

from matcher import read_corpus
from matcher.cli import app
from matcher.ingest import structured
from matcher.ingest.document import DocumentBuilder
from matcher.principles import Catalogue


def ingest(tmp_path, name: str, text: str):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return read_corpus([tmp_path])


def test_scalars_stay_text_as_written(tmp_path):
    bank = ingest(
        tmp_path,
        "mine.yaml",
        "stories:\n"
        "  - title: yes\n"
        "    principles: Ownership\n"
        "    sections:\n"
        "      Situation: 1:30\n"
        "      Task: yes\n"
        "      Action: 2019-05-01\n"
        "      Result: 012\n"
        "      Learning: ~\n",
    )
    (story,) = bank.stories
    assert story.title == "yes" and story.principles == ("Ownership",)
    assert [(s.label, s.text) for s in story.sections] == [
        ("Situation", "1:30"),
        ("Task", "yes"),
        ("Action", "2019-05-01"),
        ("Result", "012"),
    ]
    assert not bank.warnings


def test_principles_as_a_list_and_json_tabs(tmp_path):
    data = {"stories": [{"title": "Why us?", "principles": ["Ownership", "1"], "sections": {"Answer": 42}}]}
    bank = ingest(tmp_path, "mine.json", json.dumps(data, indent="\t"))
    (story,) = bank.stories
    assert story.principles == ("Ownership", "1") and story.sections[0].text == "42"
    assert story.source.line == 3


def test_non_string_principle_skips_only_that_story(tmp_path):
    text = '{"stories": [\n  {"title": "A", "principles": 1, "sections": {"Answer": "x"}},\n'
    text += '  {"title": "B", "principles": [true], "sections": {"Answer": "y"}},\n'
    text += '  {"title": "C", "sections": {"Answer": "z"}}\n]}\n'
    bank = ingest(tmp_path, "bad.json", text)
    assert [s.title for s in bank.stories] == ["C"]
    assert bank.warnings == [
        "bad.json:2: 'principles' must be a string or a list of strings, story skipped",
        "bad.json:3: 'principles' must be a string or a list of strings, story skipped",
    ]


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("stories:\n  - title: A\nstories:\n  - title: B\n", "line 3: key 'stories' repeated (first at line 1)"),
        ("stories: just text\n", "line 1: 'stories' must be a list"),
        ("stories:\n  - title: A\n    sections: [oops\n", "line 4: not valid YAML/JSON ("),
        ('{"stories": [], "stories": [{"title": "B"}]}', "line 1: key 'stories' repeated"),
        ("stories:\n" + "  " + "[" * 2000 + "\n", "nested too deeply"),
    ],
)
def test_malformed_file_is_skipped_with_one_warning(tmp_path, text, warning):
    bank = ingest(tmp_path, "bad.yaml", text)
    assert not bank.stories and not bank.planned
    assert len(bank.warnings) == 1 and "\n" not in bank.warnings[0]
    assert bank.warnings[0].startswith(f"bad.yaml: {warning}") and bank.warnings[0].endswith(", skipped")


def test_malformed_story_is_skipped_and_the_rest_kept(tmp_path):
    bank = ingest(
        tmp_path,
        "mine.yaml",
        "stories:\n"
        "  - Just a title\n"
        "  - title: Bad sections\n"
        "    sections: I did it\n"
        "  - title: Twice\n"
        "    sections:\n"
        "      Action: first\n"
        "      Action: second\n"
        "  - title: [a, list]\n"
        "  - title: Good\n"
        "    section:\n"
        "      Answer: typo in the key\n",
    )
    assert [p.title for p in bank.planned] == ["Good"]
    assert bank.warnings == [
        "mine.yaml:2: a story must be a mapping with a 'title', story skipped",
        "mine.yaml:4: 'sections' must be a mapping of label to text, story skipped",
        "mine.yaml:8: key 'Action' repeated (first at line 7), story skipped",
        "mine.yaml:9: 'title' must be text, story skipped",
        "mine.yaml:12: unknown story key 'section' ignored",
    ]


def test_top_level_that_is_not_a_mapping_is_rejected(tmp_path):
    doc = DocumentBuilder(tmp_path / "list.yaml", Catalogue.load())
    with pytest.raises(structured.StructureError, match="^line 1: the top level must be a mapping"):
        structured.parse("- stories: []\n", doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\n# my stories\n\nstories:\n  - title: x\n", True),
        ("name: Jane\nstories: []\n", True),
        ('  \n {"stories": []}', True),
        ('{"title": "no stories key"}', False),
        ("# Prep\n\nMy notes, not data.\nstories: told below\n", False),
        ("## 1. Introduce\n\n> stories: none\n", False),
        ("Tell me about a time: you failed?\nS: it went wrong\n", False),
    ],
)
def test_looks_like_sniffs_without_parsing(text, expected):
    assert structured.looks_like(text) is expected


def test_looks_like_is_linear_on_pathological_lines():
    spaces = " " * 200_000
    texts = [
        "a" + spaces + "x",  # a first line that is almost a key
        "k: v\n" + ("stories" + spaces + "x\n") * 2,  # almost a 'stories:' line
        "{" + ('"stories"' + spaces) * 2,  # almost a JSON "stories" key
    ]
    start = time.perf_counter()
    for text in texts:
        assert not structured.looks_like(text)
    assert time.perf_counter() - start < 1.0


def test_cli_reports_a_malformed_file_in_one_line(tmp_path):
    bad = tmp_path / "dup.yaml"
    bad.write_text("stories:\n  - title: A\nstories:\n  - title: B\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["stories", "--corpus", str(bad)])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    warnings = [line for line in result.stderr.splitlines() if "dup.yaml" in line]
    assert warnings == ["warning: dup.yaml: line 3: key 'stories' repeated (first at line 1), skipped"]
