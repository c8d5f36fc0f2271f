"""The index folder under faults: other people's files, damage, races, kills, read-only.

Most tests run in-process with the session's MiniLM and an "export" that copies the one
real export made by the concurrent-build test, so each repair costs a second, not a
model export; that test and the SIGKILL tests run real ``matcher`` processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from matcher import Matcher
from matcher.cli import app
from matcher.embedding import onnx_export
from matcher.embedding.onnx_encoder import OnnxEncoder
from matcher.index import checksums
from matcher.index import folder as index_folder
from matcher.index import store as index_store
from matcher.search import matching

from .conftest import CORPUS, D003, REPO

runner = CliRunner()
QUESTION = "Tell me about a time you failed at work"
ENV = {**os.environ, "PYTHONPATH": str(REPO), "MATCHER_MODEL": "minilm", "HF_HUB_OFFLINE": "1",
       "TRANSFORMERS_OFFLINE": "1"}


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def visible_hashes(folder: Path) -> dict[str, str]:
    return {k: v for k, v in tree_hashes(folder).items() if not k.startswith(".")}


@pytest.fixture(autouse=True)
def corpus_untouched():
    """The repo's corpus is byte-identical after every test (the tests edit copies only)."""
    before = tree_hashes(CORPUS)
    yield
    assert tree_hashes(CORPUS) == before


def small_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    shutil.copy(CORPUS / D003, corpus / D003)
    return corpus


def matcher_cli(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "matcher", *args], env=ENV, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture(scope="module")
def raced(tmp_path_factory):
    """Two real `matcher ask` processes started together on an empty index folder."""
    root = tmp_path_factory.mktemp("raced")
    corpus = small_corpus(root)
    index_dir = root / "index"
    index_dir.mkdir()
    procs = [matcher_cli("ask", QUESTION, "--json", "--corpus", str(corpus), "--index-dir", str(index_dir))
             for _ in range(2)]
    outputs = [(p.wait(timeout=900), *p.communicate()) for p in procs]
    return corpus, index_dir, outputs


def export_folder(index_dir: Path) -> Path:
    state = index_store.export_state(index_dir, index_store.read_manifest(index_dir))
    assert state.folder is not None, state.problem
    return state.folder


def test_two_concurrent_builds_on_an_empty_folder(raced):
    corpus, index_dir, outputs = raced
    for code, out, err in outputs:
        assert code == 0, err
        assert json.loads(out)["results"]
    assert sum(err.count("Building the index") for _, _, err in outputs) == 1  # the other waited
    assert not [p for p in index_dir.iterdir() if p.name.endswith(".tmp")]
    vector = OnnxEncoder("minilm", export_folder(index_dir)).encode([QUESTION])
    assert np.isfinite(vector).all()
    notes: list[str] = []
    matcher = Matcher.open([corpus], index_dir, notify=notes.append)
    assert notes == [] and isinstance(matcher.encoder, OnnxEncoder)


class Remembering:
    """The session's MiniLM, remembering every text's vector: these tests rebuild the same
    small index dozens of times, and a build embeds hundreds of reference questions."""

    model = "minilm"

    def __init__(self, encoder) -> None:
        self.encoder = encoder
        self.vectors: dict[str, np.ndarray] = {}

    def encode(self, texts, progress=None) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.encoder.encode(missing)))
        if progress:
            progress(len(texts))
        return np.array([self.vectors[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)


@pytest.fixture(scope="module")
def remembering(encoder):
    return Remembering(encoder)


@pytest.fixture
def fast(monkeypatch, remembering, raced, no_shared_export):
    """Builds with the session's model; exports copy the real export. Returns export calls."""
    source = export_folder(raced[1])
    calls: list[str] = []

    def copy_export(model: str, folder: Path) -> None:
        calls.append(model)
        for file in source.iterdir():
            shutil.copy(file, folder / file.name)

    monkeypatch.setattr(matching, "SentenceTransformerEncoder", lambda model: remembering)
    monkeypatch.setattr(onnx_export, "_export", copy_export)
    return calls


def open_noted(corpus: Path, index_dir: Path, **kwargs) -> tuple[Matcher, list[str]]:
    notes: list[str] = []
    return Matcher.open([corpus], index_dir, notify=notes.append, **kwargs), notes


def assert_finite(answer) -> None:
    numbers = [p.score for p in answer.principles] + [m.score for m in answer.results]
    numbers += [v for m in answer.results for v in m.signals.values()]
    assert numbers and np.isfinite(numbers).all()


def test_a_users_folder_is_refused_then_left_alone_with_force(fast, tmp_path):
    corpus = small_corpus(tmp_path)
    mine = tmp_path / "mine"
    for name, text in [("build-x/plan.md", "my build notes"), ("encoder-y/notes.txt", "mine"), ("todo.txt", "x")]:
        (mine / name).parent.mkdir(parents=True, exist_ok=True)
        (mine / name).write_text(text, encoding="utf-8")
    before = tree_hashes(mine)
    where = ["--corpus", str(corpus), "--index-dir", str(mine)]
    refused = runner.invoke(app, ["ask", QUESTION, *where])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and tree_hashes(mine) == before
    assert runner.invoke(app, ["ask", QUESTION, *where, "--force"]).exit_code == 0
    doc = corpus / D003
    doc.write_text(doc.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rebuilt = runner.invoke(app, ["ask", QUESTION, *where, "--force"])
    assert rebuilt.exit_code == 0 and "Building the index (documents changed" in rebuilt.stderr
    hashes = tree_hashes(mine)
    assert {k: v for k, v in hashes.items() if k in before} == before
    assert len(list(mine.glob("build-2*"))) == 1 and len(list(mine.glob("encoder-minilm-*"))) == 1


def test_a_foreign_manifest_is_never_overwritten(fast, tmp_path):
    corpus = small_corpus(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "manifest.json").write_text('{"name": "my web app"}', encoding="utf-8")
    result = runner.invoke(app, ["index", "build", "--corpus", str(corpus), "--index-dir",
                                 str(tmp_path / "site"), "--force"])
    assert result.exit_code == 2 and "not matcher's" in result.stderr
    assert (tmp_path / "site" / "manifest.json").read_text(encoding="utf-8") == '{"name": "my web app"}'


def test_an_index_inside_the_corpus_is_not_read_as_documents(fast, tmp_path):
    corpus = small_corpus(tmp_path)
    for index_dir, force in [(corpus / "index", False), (corpus, True)]:
        _, notes = open_noted(corpus, index_dir, force=force)
        assert "Building the index" in notes[0]
        matcher, notes = open_noted(corpus, index_dir, force=force)
        assert notes == [] and isinstance(matcher.encoder, OnnxEncoder)
        assert set(matcher.index.bank.documents) == {D003}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, raced):
    """A complete index (build and export) to copy and damage."""
    root = tmp_path_factory.mktemp("pristine")
    corpus = small_corpus(root)
    shutil.copytree(raced[1], root / "index")
    return corpus, root / "index"


def damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 2]))
    else:  # the same size, 4 KB (or the whole file) overwritten in the middle
        start = max(0, len(data) // 2 - 2048)
        end = min(len(data), start + 4096)
        data[start:end] = bytes(b ^ 0x5A for b in data[start:end])
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "same size"])
@pytest.mark.parametrize("part", ["build", "export"])
def test_every_damaged_file_is_repaired_once(fast, tmp_path, pristine, part, how):
    corpus, source = pristine
    manifest = index_store.read_manifest(source)
    folder = manifest["build"] if part == "build" else manifest["export"]["folder"]
    files = sorted(p.name for p in (source / folder).iterdir())
    assert len(files) >= 3
    for name in files:
        index_dir = tmp_path / name
        shutil.copytree(source, index_dir)
        damage(index_dir / folder / name, how)
        matcher, notes = open_noted(corpus, index_dir)
        assert len(notes) == 1 and name in notes[0], (name, notes)
        assert_finite(matcher.ask(QUESTION))
        matcher, notes = open_noted(corpus, index_dir)
        assert notes == [] and isinstance(matcher.encoder, OnnxEncoder), (name, notes)
        assert not [p for p in index_dir.iterdir() if p.name.endswith(".tmp")]
    # The first repaired export is made anew and shared; the next repairs borrow it.
    assert len(fast) == (1 if part == "export" else 0)


def test_damaged_weights_never_reach_the_json(fast, tmp_path, pristine):
    corpus, source = pristine
    index_dir = tmp_path / "index"
    shutil.copytree(source, index_dir)
    damage(export_folder(index_dir) / onnx_export.WEIGHTS_FILE, "same size")

    def no_nan(token: str):
        raise AssertionError(f"{token} in the JSON")

    result = runner.invoke(app, ["ask", QUESTION, "--json", "--corpus", str(corpus), "--index-dir", str(index_dir)])
    assert result.exit_code == 0 and "needs repair" in result.stderr
    data = json.loads(result.stdout, parse_constant=no_nan)
    assert data["results"] and data["stale_index"] is None


def test_a_damaged_manifest_is_rebuilt_without_leaving_orphans(fast, tmp_path, pristine):
    corpus, source = pristine
    index_dir = tmp_path / "index"
    shutil.copytree(source, index_dir)
    (index_dir / "manifest.json").write_text('{"format": 3, "bu', encoding="utf-8")
    matcher, notes = open_noted(corpus, index_dir)
    assert "manifest unreadable" in notes[0] and matcher.ask(QUESTION).results
    _, notes = open_noted(corpus, index_dir)
    assert notes == []
    assert len(list(index_dir.glob("build-*"))) == 1 and len(list(index_dir.glob("encoder-*"))) == 1


def test_non_finite_scores_mean_one_rebuild_and_are_never_answered(fast, tmp_path, pristine, monkeypatch):
    corpus, source = pristine
    index_dir = tmp_path / "index"
    shutil.copytree(source, index_dir)
    matcher, notes = open_noted(corpus, index_dir)
    good = matcher.encoder.encode
    failures = iter([True])

    def nan_once(texts, progress=None):
        vectors = good(texts)
        if next(failures, False):
            vectors[:] = np.nan
        return vectors

    matcher.encoder.encode = nan_once
    assert_finite(matcher.ask(QUESTION))
    assert any("rebuild requested" in n for n in notes)

    monkeypatch.setattr(OnnxEncoder, "encode", lambda self, texts, progress=None: np.full((len(texts), 384), np.inf, np.float32))
    with pytest.raises(matching.DamagedIndex):
        open_noted(corpus, index_dir)[0].ask(QUESTION)
    result = runner.invoke(app, ["ask", QUESTION, "--json", "--corpus", str(corpus), "--index-dir", str(index_dir)])
    assert result.exit_code == 1 and "not finite" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("command", [["plan"], ["bench", "--no-speed"]])
def test_an_index_still_damaged_after_its_rebuild_is_one_line_in_plan_and_bench(
    fast, tmp_path, pristine, monkeypatch, command
):
    corpus, source = pristine
    index_dir = tmp_path / "index"
    shutil.copytree(source, index_dir)
    listed = tmp_path / "questions.txt"
    listed.write_text(QUESTION + "\n", encoding="utf-8")
    questions = tmp_path / "labelled.jsonl"
    questions.write_text(json.dumps({"question": QUESTION, "stories": [], "principles": [], "kind": "paraphrase"}) + "\n", encoding="utf-8")
    monkeypatch.setattr(OnnxEncoder, "encode", lambda self, texts, progress=None: np.full((len(texts), 384), np.nan, np.float32))
    args = [str(listed)] if command == ["plan"] else ["--questions", str(questions), "--out", str(tmp_path / "results")]
    result = runner.invoke(app, [*command, *args, "--corpus", str(corpus), "--index-dir", str(index_dir)])
    assert result.exit_code == 1 and "not finite" in result.stderr and "even after rebuilding" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_read_only_stale_index_answers_with_a_notice(fast, tmp_path, pristine, monkeypatch):
    corpus, source = pristine
    index_dir = tmp_path / "index"
    shutil.copytree(source, index_dir)
    doc = corpus / D003
    original = doc.read_text(encoding="utf-8")
    doc.write_text(original + "\n", encoding="utf-8")
    try:
        def read_only(index_dir: Path, force: bool) -> None:
            raise PermissionError(13, "Permission denied", str(index_dir))

        monkeypatch.setattr(index_folder, "claim", read_only)
        before = visible_hashes(index_dir)
        matcher, notes = open_noted(corpus, index_dir)
        assert len(notes) == 1 and "out of date" in notes[0] and "--index-dir" in notes[0]
        assert matcher.stale.startswith("documents changed") and matcher.ask(QUESTION).results
        result = runner.invoke(app, ["ask", QUESTION, "--json", "--corpus", str(corpus), "--index-dir", str(index_dir)])
        assert json.loads(result.stdout)["stale_index"].startswith("documents changed")
        listed = tmp_path / "questions.txt"
        listed.write_text(QUESTION + "\n", encoding="utf-8")
        result = runner.invoke(app, ["batch", str(listed), "--json", "--corpus", str(corpus), "--index-dir", str(index_dir)])
        batch = json.loads(result.stdout)
        assert batch["stale_index"].startswith("documents changed") and batch["answers"][0]["results"]
        assert visible_hashes(index_dir) == before  # nothing rebuilt
    finally:
        doc.write_text(original, encoding="utf-8")


def test_a_read_only_folder_hashes_its_large_files_once(tmp_path, monkeypatch):
    """Its sidecar cannot be written there, so it goes to the user's cache; damage made
    afterwards is still caught."""
    root = tmp_path / "index"
    (root / "export").mkdir(parents=True)
    weights = root / "export" / "encoder.onnx"
    weights.write_bytes(os.urandom(checksums.ALWAYS_HASHED + 1))
    expected = checksums.record(root, "export")
    checksums.forget(root)  # as if copied from elsewhere: nothing remembered
    writable = checksums._replace
    monkeypatch.setattr(checksums, "_replace", lambda path, text: path.parent != root and writable(path, text))
    hashed = []
    sha256 = checksums._sha256
    monkeypatch.setattr(checksums, "_sha256", lambda path: hashed.append(path) or sha256(path))
    assert checksums.damaged(root, "export", expected) is None
    assert checksums.damaged(root, "export", expected) is None
    assert hashed == [weights] and not (root / checksums.CACHE_FILE).exists()
    with weights.open("r+b") as f:
        f.write(b"\0" * 16)
    assert checksums.damaged(root, "export", expected) == "encoder.onnx damaged"


def test_an_export_failure_is_retried_by_the_next_build_only(fast, tmp_path, monkeypatch):
    corpus = small_corpus(tmp_path)
    calls = []

    def broken(model, folder):
        calls.append(model)
        raise RuntimeError("exporter cannot handle this model")

    monkeypatch.setattr(onnx_export, "_export", broken)
    for _ in range(2):
        matcher, notes = open_noted(corpus, tmp_path / "index")
        assert any("exporter cannot handle" in n for n in notes) and matcher.ask(QUESTION).results
    assert len(calls) == 1
    doc = corpus / D003
    doc.write_text(doc.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    open_noted(corpus, tmp_path / "index")
    assert len(calls) == 2


def wait_for(condition, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def holds_lock(pid: int, index_dir: Path) -> bool:
    """Whether process ``pid`` holds the folder's build lock (read from /proc/locks, so that
    looking does not take the lock from under it)."""
    lock = index_dir / index_folder.LOCK
    if not lock.exists():
        return False
    inode = lock.stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "FLOCK" in fields and str(pid) in fields and any(f.endswith(f":{inode}") for f in fields):
            return True
    return False


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_a_killed_build_leaves_the_previous_index_and_no_temporary_folder(fast, tmp_path, pristine):
    corpus, source = pristine
    index_dir = tmp_path / "index"
    shutil.copytree(source, index_dir)
    live = index_store.read_manifest(index_dir)["build"]
    where = ["--corpus", str(corpus), "--index-dir", str(index_dir)]

    # Killed while building (it holds the lock from before embedding to after saving).
    build = matcher_cli("index", "build", *where)
    wait_for(lambda: holds_lock(build.pid, index_dir) or build.poll() is not None)
    time.sleep(1)  # into loading the model and embedding
    assert build.poll() is None
    build.send_signal(signal.SIGKILL)
    build.wait()
    matcher, notes = open_noted(corpus, index_dir)
    assert notes == [] and matcher.index.manifest["build"] == live and matcher.ask(QUESTION).results

    # Killed while exporting (a damaged export is being made again).
    damage(export_folder(index_dir) / onnx_export.TOKENIZER_FILE, "truncated")
    ask = matcher_cli("ask", QUESTION, *where)
    wait_for(lambda: any(index_dir.glob(".encoder-*.tmp")) or ask.poll() is not None)
    ask.send_signal(signal.SIGKILL)
    ask.wait()

    # Killed while saving: what save() leaves, by matcher's own naming; and a user's look-alike.
    (index_dir / ".build-20260101-120000-4242-0badcafe.tmp").mkdir()
    (index_dir / ".build-20260101-120000-4242-0badcafe.tmp" / "views.npy").write_bytes(b"partial")
    (index_dir / ".build-notes.tmp").mkdir()
    matcher, notes = open_noted(corpus, index_dir)
    assert "needs repair" in notes[0] and matcher.ask(QUESTION).results
    open_noted(corpus, index_dir, rebuild=True)
    leftovers = sorted(p.name for p in index_dir.iterdir() if p.name.endswith(".tmp"))
    assert leftovers == [".build-notes.tmp"]
    _, notes = open_noted(corpus, index_dir)
    assert notes == []


def test_where_an_index_lives(monkeypatch, tmp_path):
    from matcher import paths
    from matcher.ingest import CorpusError

    monkeypatch.delenv("MATCHER_INDEX", raising=False)
    monkeypatch.delenv("MATCHER_CORPUS", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert paths.default_index_dir([REPO / "corpus"]) == REPO / "index"
    one, two = tmp_path / "one", tmp_path / "two"
    assert paths.default_index_dir([one]) == paths.default_index_dir([tmp_path / "x" / ".." / "one"])
    assert paths.default_index_dir([one]) != paths.default_index_dir([two])
    assert paths.default_index_dir([one]).is_relative_to(tmp_path / "cache" / "matcher")
    monkeypatch.setenv("MATCHER_INDEX", str(tmp_path / "mine"))
    assert paths.default_index_dir([one]) == tmp_path / "mine"

    info = runner.invoke(app, ["index", "info", "--json", "--corpus", str(one)])
    assert info.exit_code == 1 and str(tmp_path / "mine") in info.stderr

    monkeypatch.setattr(paths, "_REPO", tmp_path / "site-packages")  # installed outside a checkout
    with pytest.raises(CorpusError, match="--corpus"):
        paths.default_corpus()
    result = runner.invoke(app, ["ask", QUESTION])
    assert result.exit_code == 2 and "MATCHER_CORPUS" in result.stderr and "Traceback" not in result.output


def test_index_info_shows_the_folder_and_survives_an_odd_manifest(fast, tmp_path, pristine):
    corpus, source = pristine
    info = runner.invoke(app, ["index", "info", "--json", "--corpus", str(corpus), "--index-dir", str(source)])
    assert info.exit_code == 0 and json.loads(info.stdout)["index_dir"] == str(source)
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "manifest.json").write_text(json.dumps({"format": index_store.FORMAT, "build": "build-x"}), encoding="utf-8")
    result = runner.invoke(app, ["index", "info", "--corpus", str(corpus), "--index-dir", str(odd)])
    assert result.exit_code == 1 and "no model entry" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
