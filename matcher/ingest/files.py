"""Which files a corpus holds, under which names, and their text.

A document's name is its path relative to the corpus folder it was found in (its file
name when the file was named directly), so ``2023/notes.md`` and ``2024/notes.md`` are two
documents. Folders are walked recursively; hidden files and folders are skipped, and so
are files whose extension says they are not prep notes (images, archives) and the
files of a matcher index kept inside the corpus. A file
that cannot be read is reported by name and the rest is still read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from matcher.index.folder import index_entries
from matcher.terminal import visible

TEXT_SUFFIXES = {
    ".md", ".markdown", ".mdx", ".txt", ".text", ".rst", ".org", ".csv", ".rtf",
    ".yaml", ".yml", ".json", ".html", ".htm", ".enex", ".ipynb", ".tsv", ".adoc", ".asciidoc", "",
}
DOCX_SUFFIX = ".docx"
PDF_SUFFIX = ".pdf"
ODT_SUFFIX = ".odt"
READ_SUFFIXES = TEXT_SUFFIXES | {DOCX_SUFFIX, PDF_SUFFIX, ODT_SUFFIX}
_SKIPPED_FOLDERS = {"node_modules", "__pycache__"}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class CorpusError(Exception):
    """The corpus paths themselves are unusable (missing, or no files at all)."""


@dataclass(frozen=True)
class CorpusFile:
    """One document of a corpus: where it is and the name it is known by."""

    path: Path
    name: str


@dataclass(frozen=True)
class Listing:
    """The documents of a corpus and what was passed over while finding them."""

    files: list[CorpusFile]
    warnings: list[str]


def list_corpus(paths: Iterable[Path]) -> Listing:
    """The documents under ``paths``: files as given, folders walked in name order."""
    files: list[CorpusFile] = []
    warnings: list[str] = []
    taken: set[str] = set()
    paths = list(paths)

    def add(path: Path, name: str) -> None:
        if name in taken:  # the same relative name under two corpus folders
            name = f"{path.parent.name}/{name}"
        taken.add(name)
        files.append(CorpusFile(path, visible(name)))

    for root in paths:
        if root.is_dir():
            other: list[str] = []
            for path in _walk(root):
                name = path.relative_to(root).as_posix()
                if path.is_symlink() and not path.exists():
                    warnings.append(f"{name}: broken link, skipped")
                elif path.suffix.casefold() in READ_SUFFIXES:
                    add(path, name)
                else:
                    other.append(name)
            if other:
                kinds = ", ".join(sorted({Path(n).suffix.casefold() for n in other}))
                warnings.append(
                    f"{root}: {len(other)} file(s) that are not prep notes ({kinds}) skipped"
                )
        elif root.is_file():
            add(root, root.name)
        elif root.is_symlink():
            raise CorpusError(f"corpus path is a broken link: {root}")
        else:
            raise CorpusError(f"corpus path not found: {root}")
    if not files:
        raise CorpusError(
            "no documents in " + ", ".join(str(p) for p in paths)
            + " (matcher reads .md, .mdx, .txt, .rst, .org, .csv, .rtf, .html, .docx, .pdf, .yaml and .json files)"
        )
    return Listing(files, warnings)


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        # An index kept inside the corpus (or in the corpus folder itself) is not prep notes.
        index = index_entries(Path(folder), [*dirs, *names])
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and d not in _SKIPPED_FOLDERS and d not in index
        )
        found += [Path(folder) / n for n in sorted(names) if not n.startswith(".") and n not in index]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix().casefold())


def read_bytes(path: Path) -> tuple[bytes, str | None]:
    """The file's bytes, or a problem a user can act on instead of an exception."""
    try:
        return path.read_bytes(), None
    except PermissionError:
        return b"", "cannot be read (permission denied)"
    except IsADirectoryError:
        return b"", "is a folder"
    except OSError as exc:
        return b"", f"cannot be read ({exc.strerror or exc.__class__.__name__})"


@dataclass(frozen=True)
class Decoded:
    """A document's text, or why it has none; ``windows``: read as Windows-1252."""

    text: str
    problem: str | None = None
    windows: bool = False


def decode(data: bytes) -> Decoded:
    """The text of a document's bytes: UTF-8, UTF-16 with its byte-order mark, or, when
    it is not UTF-8, Windows-1252, the encoding Word's "Plain Text" and older Notepad save
    in on English and Western European Windows."""
    windows = False
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return Decoded("", "not valid UTF-16 text")
    elif b"\x00" in data[:8192]:
        return Decoded("", "binary file")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text, windows = _western_windows_text(data), True
            if text is None:
                return Decoded("", f"not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8")
    if not text.strip():
        return Decoded("", "empty file")
    return Decoded(visible(text), None, windows)


def _western_windows_text(data: bytes) -> str | None:
    """``data`` read as Windows-1252, if it reads as Western text. An encoding guesser
    (charset-normalizer) named cp1250 or cp775 for short notes of this kind, turning
    "très" into "trčs"; here, Windows-1252 is taken when it decodes and accented letters
    stay few, as in Western text (Cyrillic or Greek bytes read this way are mostly
    accented Latin letters)."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    accented = sum(c > "\u00bf" for c in letters)
    return text if accented <= 0.15 * len(letters) else None


def is_pdf(path: Path, data: bytes) -> bool:
    """True for a file named .pdf (its bytes are checked when it is read)."""
    return path.suffix.casefold() == PDF_SUFFIX


def is_odt(path: Path, data: bytes) -> bool:
    """True for a file named .odt (its bytes are checked when it is read)."""
    return path.suffix.casefold() == ODT_SUFFIX


def is_docx(path: Path, data: bytes) -> bool:
    """True for a Word document (a zip archive named .docx)."""
    return path.suffix.casefold() == DOCX_SUFFIX and data.startswith(b"PK")
