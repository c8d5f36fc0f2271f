"""`matcher ask` and `matcher index` as a user runs them, including with no network."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from matcher.cli import app

from .conftest import CORPUS, D003

runner = CliRunner()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A one-document corpus and an index folder for it."""
    root = tmp_path_factory.mktemp("cli")
    (root / "corpus").mkdir()
    shutil.copy(CORPUS / D003, root / "corpus" / D003)
    return ["--corpus", str(root / "corpus"), "--index-dir", str(root / "index")]


def test_ask_json_schema(small):
    result = runner.invoke(app, ["ask", "Tell me about a time you failed at work", "--json", *small])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["match"] in (True, False)
    assert data["results"][0]["story"]["sources"][0]["file"] == D003
    assert {"name", "score"} <= set(data["principles"][0])


def test_ask_reads_stdin(small):
    result = runner.invoke(app, ["ask", "-", "--json", *small], input="What did you learn from a failure?\n")
    assert result.exit_code == 0 and json.loads(result.stdout)["question"] == "What did you learn from a failure?"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["ask", ""], None, "empty"),
        (["ask", "   "], None, "empty"),
        (["ask", "q" * 100_000], None, "characters long"),
        (["ask", "-"], b"\xff\xfe\x00bad", "not UTF-8"),
        (["ask", "Tell me about a failure", "--model", "gpt"], None, "unknown model"),
    ],
)
def test_bad_input_is_one_clear_line(small, args, stdin, message):
    result = runner.invoke(app, [*args, *small], input=stdin)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_a_missing_corpus_is_reported_without_announcing_a_build(tmp_path):
    where = ["--corpus", str(tmp_path / "nowhere"), "--index-dir", str(tmp_path / "index")]
    result = runner.invoke(app, ["ask", "Tell me about a failure", *where])
    assert result.exit_code == 2 and "corpus path not found" in result.stderr
    assert "Building the index" not in result.output


def test_index_info_before_and_after_build(tmp_path, small):
    missing = runner.invoke(app, ["index", "info", "--index-dir", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "matcher index build" in missing.stderr
    runner.invoke(app, ["ask", "Tell me about a failure", *small])
    info = runner.invoke(app, ["index", "info", "--json", *small])
    data = json.loads(info.stdout)
    assert data["stale"] is None and data["model"]["name"] == "minilm"
    assert data["faiss_index"] == "IndexFlatIP" and data["counts"]["stories"] == 8


@pytest.mark.skipif(not shutil.which("unshare"), reason="unshare is not installed")
def test_build_and_ask_with_the_network_cut_off(tmp_path):
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("user namespaces are not permitted here")
    (tmp_path / "corpus").mkdir()
    shutil.copy(CORPUS / D003, tmp_path / "corpus" / D003)
    where = ["--corpus", str(tmp_path / "corpus"), "--index-dir", str(tmp_path / "index")]
    build = subprocess.run(
        ["unshare", "-rn", sys.executable, "-m", "matcher", "index", "build", *where],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    assert list((tmp_path / "index").glob("encoder-minilm-*/encoder.onnx"))
    # The question path: no network, and none of the heavy libraries is even imported.
    ask = subprocess.run(
        ["unshare", "-rn", sys.executable, "-X", "importtime", "-m", "matcher",
         "ask", "How do you hand a project over?", "--json", *where],
        capture_output=True,
        text=True,
    )
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["results"]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in ask.stderr.splitlines()
                if line.startswith("import time:")}
    assert "onnxruntime" in imported
    assert not imported & {"torch", "transformers", "sentence_transformers", "scipy", "sklearn", "faiss"}


def test_interactive_asks_until_an_empty_line(small):
    result = runner.invoke(
        app, ["ask", "-i", "--json", *small], input="What did you learn from a failure?\n   \nnot asked\n"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["question"] == "What did you learn from a failure?"
    assert "not asked" not in result.stdout


def test_ask_without_a_question_explains_itself():
    result = runner.invoke(app, ["ask"])
    assert result.exit_code == 2 and "-i to ask several" in result.stderr


def test_the_default_model_is_mpnet_unless_matcher_model_says_otherwise(monkeypatch):
    from matcher.paths import default_model

    monkeypatch.delenv("MATCHER_MODEL")
    assert default_model() == "mpnet"
    monkeypatch.setenv("MATCHER_MODEL", "minilm")
    assert default_model() == "minilm"
