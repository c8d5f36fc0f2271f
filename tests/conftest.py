"""Shared fixtures: the real seed corpus, parsed once per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from matcher import StoryBank, read_corpus

# The shipped default is mpnet; the suite runs on MiniLM (the same code path, a model a
# fifth the size) so that every index it builds takes seconds. `make demo` runs mpnet.
os.environ["MATCHER_MODEL"] = "minilm"
# The exports shared between index folders (matcher.embedding.shared_exports) go to a
# cache folder of this session, never the user's own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="matcher-tests-cache-")

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
D000, D001, D003 = (
    "000_237d671b235dd58d.txt",
    "001_c576131ad8ff3fdf.txt",
    "003_9f0ed41cec8ba5a7.txt",
)


@pytest.fixture(scope="session")
def bank() -> StoryBank:
    return read_corpus([CORPUS])


def by_title(bank: StoryBank, file: str, title_start: str):
    """The one story of ``file`` whose title starts with ``title_start``."""
    found = [s for s in bank.stories if s.source.file == file and s.title.startswith(title_start)]
    assert len(found) == 1, [s.title for s in found]
    return found[0]


def one_document(tmp_path: Path, text: str, name: str = "prep.md") -> Path:
    """A corpus folder ``tmp_path/prep`` holding one document ``name`` with ``text``."""
    corpus = tmp_path / "prep"
    corpus.mkdir()
    (corpus / name).write_text(text, encoding="utf-8")
    return corpus


@pytest.fixture(scope="session")
def encoder():
    """The real MiniLM model, loaded once for the whole session."""
    from matcher.embedding.encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder("minilm")


@pytest.fixture(scope="session")
def matcher(encoder, tmp_path_factory):
    """A Matcher over the real seed corpus with an index built once in a temp folder."""
    from matcher import Matcher

    index_dir = tmp_path_factory.mktemp("index")
    return Matcher.open([CORPUS], index_dir, notify=lambda _: None, encoder=encoder)


@pytest.fixture
def small_corpus(tmp_path):
    """A corpus folder holding one seed document (a copy: tests may edit it)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(CORPUS / D003, folder / D003)
    return folder


@pytest.fixture
def unreadable(monkeypatch):
    """Make reading files of a given name fail with PermissionError.

    Tests run as root, where ``chmod 000`` does not stop a read, so the refusal the
    operating system would give an ordinary user is raised here instead.
    """
    names: set[str] = set()
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name in names:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return names.add


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(os.environ["XDG_CACHE_HOME"], ignore_errors=True)


@pytest.fixture
def no_shared_export(tmp_path, monkeypatch):
    """An empty shared-export cache, for tests that count or break exports."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def simple_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages show these lines in Helvetica; pypdf reads PDFs but writes no text."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        shown = " ".join("(" + line.replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines)
        stream = f"BT /F1 11 Tf 72 780 Td 14 TL {shown} ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    table = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{table}\n%%EOF\n".encode()
    return out
