"""Documents -> stories: read a corpus of prep documents into a :class:`StoryBank`.

The layout of each file is detected from its content, not its extension: a YAML/JSON
``stories`` file, Markdown with headings, or plain text with numbered questions. A file
that cannot be read (binary, not UTF-8, empty, unknown layout) is skipped with a warning
naming it; the rest of the corpus is still ingested. Files are only ever read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from matcher.ingest import markdown, plaintext, structured
from matcher.ingest.document import DocumentBuilder
from matcher.ingest.duplicates import group_duplicates
from matcher.principles import Catalogue
from matcher.stories import StoryBank

# Order matters: a YAML file may contain '#' comments that look like headings.
LAYOUTS = (structured, markdown, plaintext)


class CorpusError(Exception):
    """The corpus paths themselves are unusable (missing, or no files at all)."""


def corpus_files(paths: Iterable[Path]) -> list[Path]:
    """The document files named by ``paths``: files as given, folders' files sorted by name.

    Hidden files and README files inside folders are skipped: they describe the folder.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and not p.name.startswith(".")
                and not p.name.casefold().startswith("readme")
            )
        elif path.is_file():
            files.append(path)
        else:
            raise CorpusError(f"corpus path not found: {path}")
    if not files:
        raise CorpusError("no documents in " + ", ".join(str(p) for p in paths))
    return files


def read_corpus(paths: Iterable[Path], catalogue: Catalogue | None = None) -> StoryBank:
    """Parse every document under ``paths`` into one story bank with duplicate groups."""
    catalogue = catalogue or Catalogue.load()
    bank = StoryBank()
    for path in corpus_files(paths):
        data = path.read_bytes()
        bank.documents[path.name] = hashlib.sha256(data).hexdigest()
        text, problem = _decode(data)
        if problem:
            bank.warnings.append(f"{path.name}: {problem}, skipped")
            continue
        layout = next((m for m in LAYOUTS if m.looks_like(text)), None)
        if layout is None:
            bank.warnings.append(
                f"{path.name}: unknown layout (no Markdown headings, numbered questions "
                "or 'stories:' list), skipped"
            )
            continue
        doc = DocumentBuilder(path, catalogue)
        try:
            layout.parse(text, doc)
        except structured.StructureError as exc:
            bank.warnings.append(f"{path.name}: {exc}, skipped")
            continue
        if not doc.stories and not doc.planned:
            doc.warnings.append(f"{path.name}: no stories or questions found")
        bank.stories += doc.stories
        bank.planned += doc.planned
        bank.warnings += doc.warnings
    bank.stories = group_duplicates(bank.stories)
    return bank


def _decode(data: bytes) -> tuple[str, str | None]:
    if b"\x00" in data[:8192]:
        return "", "binary file"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return "", f"not UTF-8 text (invalid byte at offset {exc.start})"
    if not text.strip():
        return "", "empty file"
    return text, None
