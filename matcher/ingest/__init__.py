"""Documents -> stories: read a corpus of prep documents into a :class:`StoryBank`.

Each document is read by content, not by extension: a YAML/JSON ``stories`` file, a Word
file, or text (Markdown, MDX, plain notes) for the outline reader, which understands the
layouts people actually write (see ``corpus/README.md``). A file that cannot be read
(unreadable, binary, neither UTF-8 nor Western text in Windows-1252, empty, broken link)
is skipped with a warning naming it;
the rest of the corpus is still ingested. Files are only ever read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from matcher.ingest import outline, structured, tables
from matcher.ingest.document import DocumentBuilder
from matcher.ingest.docx import DocxError, docx_lines
from matcher.ingest.enex import ENEX_SUFFIX, EnexError, enex_lines
from matcher.ingest.duplicates import group_duplicates
from matcher.ingest.files import (
    CorpusError, CorpusFile, decode, is_docx, is_odt, is_pdf, list_corpus, read_bytes,
)
from matcher.ingest.odt import OdtError, odt_lines
from matcher.ingest.pdf import PdfError, pdf_lines
from matcher.ingest.lines import Line, read_lines, read_text
from matcher.ingest.notebook import NOTEBOOK_SUFFIX, NotebookError, notebook_lines
from matcher.principles import Catalogue
from matcher.stories import DocumentReport, StoryBank

__all__ = ["CorpusError", "DocumentReport", "corpus_files", "document_lines", "read_corpus", "read_document"]

# What a document with no story is told: what was looked for, and what to write instead.
NO_STORY = (
    "no story headings, STAR labels or numbered questions found; write a title line per "
    'story, then its parts labelled "Situation: …", "Action: …", "Result: …" '
    "(`matcher stories --explain FILE` shows how each line was read)"
)


def corpus_files(paths: Iterable[Path]) -> list[CorpusFile]:
    """The documents under ``paths`` (see :mod:`matcher.ingest.files`)."""
    return list_corpus(paths).files


def read_corpus(paths: Iterable[Path], catalogue: Catalogue | None = None) -> StoryBank:
    """Parse every document under ``paths`` into one story bank with duplicate groups."""
    catalogue = catalogue or Catalogue.load()
    listing = list_corpus(paths)
    bank = StoryBank(warnings=list(listing.warnings))
    stories = []
    for file in listing.files:
        doc, report = read_document(file, catalogue)
        stories += doc.stories
        bank.planned += doc.planned
        bank.sections += doc.sections
        bank.warnings += doc.warnings
        bank.reports.append(report)
        bank.documents[file.name] = doc.digest
    bank.stories = group_duplicates(stories)
    return bank


def document_lines(paths: Iterable[Path], name: str) -> list[Line]:
    """The lines of the corpus document known as ``name``, numbered as sources number them.

    ``name`` is only looked up among the documents the corpus lists, never opened as a
    path, so it may come from a request.
    """
    file = next((f for f in list_corpus(paths).files if f.name == name), None)
    if file is None:
        raise CorpusError(f"{name} is not a document of the corpus")
    data, problem = read_bytes(file.path)
    if problem is None:
        try:
            if binary := _binary_lines(file.path, data):
                return binary[1]
        except (DocxError, OdtError, PdfError) as exc:
            problem = str(exc)
    decoded = decode(data) if problem is None else None
    if decoded is None or decoded.problem:
        raise CorpusError(f"{name}: {problem or decoded.problem}")
    return [Line(n, line) for n, line in enumerate(_plain(file.path, decoded.text).splitlines(), start=1)]


def read_document(file: CorpusFile, catalogue: Catalogue) -> tuple[DocumentBuilder, DocumentReport]:
    """One document's records and the report ``matcher stories`` shows for it."""
    doc = DocumentBuilder(file.path, catalogue, file.name)
    data, problem = read_bytes(file.path)
    doc.digest = hashlib.sha256(data).hexdigest()
    layout = ""
    if problem is None:
        layout, problem = _parse(file.path, data, doc)
    if problem:
        doc.warnings.append(f"{file.name}: {problem}, skipped")
    elif not doc.stories and not doc.planned and not _is_readme(file.name):
        # A README that describes its folder is expected to hold no story.
        problem = NO_STORY
        doc.warnings.append(f"{file.name}: {problem}")
    principles = tuple(dict.fromkeys(p for s in doc.stories for p in s.principles))
    report = DocumentReport(
        file.name, layout, len(doc.stories), len(doc.planned), principles,
        len(doc.warnings), problem or "", tuple(doc.steps),
    )
    return doc, report


def _parse(path: Path, data: bytes, doc: DocumentBuilder) -> tuple[str, str | None]:
    """Read ``data`` into ``doc``; (the layout recognised, a problem or None)."""
    try:
        binary = _binary_lines(path, data)
    except (DocxError, OdtError, PdfError) as exc:
        return "", str(exc)
    if binary:
        outline.parse(tables.rewrite(binary[1]), doc, _named_tags(path))
        return binary[0], None
    decoded = decode(data)
    if decoded.problem:
        return "", decoded.problem
    text = decoded.text
    if decoded.windows:
        doc.warn(1, "not UTF-8: read as Windows-1252 (saving it as UTF-8 removes this warning)")
    text = _plain(path, text)
    suffix = path.suffix.casefold()
    if suffix in (".csv", ".tsv"):
        rows = tables.csv_lines(text, "\t" if suffix == ".tsv" else ",")
        outline.parse(tables.rewrite(rows), doc, _named_tags(path))
        return suffix[1:].upper(), None
    try:
        if suffix == ENEX_SUFFIX:
            outline.parse(tables.rewrite(enex_lines(text)), doc, _named_tags(path))
            return "Evernote export", None
        if suffix == NOTEBOOK_SUFFIX:
            outline.parse(tables.rewrite(read_lines(notebook_lines(text)).lines), doc, _named_tags(path))
            return "Jupyter notebook", None
    except (EnexError, NotebookError) as exc:
        return "", str(exc)
    if structured.looks_like(text):
        try:
            structured.parse(text, doc)
        except structured.StructureError as exc:
            return "", str(exc)
        return "YAML/JSON", None
    document = read_text(text, _MARKUP.get(path.suffix.casefold(), ""))
    outline.parse(tables.rewrite(document.lines), doc, document.tags + _named_tags(path))
    return ("HTML page" if document.page else _text_layout(document, doc)), None


_MARKUP = {".org": "org", ".adoc": "asciidoc", ".asciidoc": "asciidoc"}


def _binary_lines(path: Path, data: bytes) -> tuple[str, list[Line]] | None:
    """(layout, lines) of a Word, OpenDocument or PDF file, None for a text file; raises
    DocxError, OdtError or PdfError for one that cannot be read."""
    if is_docx(path, data):
        return "Word", docx_lines(data)
    if is_odt(path, data):
        return "OpenDocument", odt_lines(data)
    if is_pdf(path, data):
        return "PDF", pdf_lines(data)
    return None


def _plain(path: Path, text: str) -> str:
    """The text of a Rich Text file (TextEdit's and WordPad's default) without its control
    words, read with striprtf; any other text as it is. Its lines are the RTF paragraphs."""
    if path.suffix.casefold() != ".rtf":
        return text
    from striprtf.striprtf import rtf_to_text  # here, not at the top: few notes are RTF

    return rtf_to_text(text)


def _named_tags(path: Path) -> list[str]:
    """A document named after a principle ("ownership.md", "Dive-Deep.docx") tags its stories
    with it, as people who keep one file per principle never write the name inside."""
    return [path.stem.replace("-", " ").replace("_", " ")]


def _text_layout(document, doc: DocumentBuilder) -> str:
    """A short name for the layout of a text document, from what the reader saw in it."""
    kinds = {step.kind for step in doc.steps}
    headings = any(line.text.lstrip().startswith("#") for line in document.lines)
    name = "Markdown" if headings else "plain text"
    if document.has_html:
        name += " + HTML"
    if "principle section" in kinds and not headings:
        name += ", principle lines"
    return name


def _is_readme(name: str) -> bool:
    return Path(name).name.casefold().startswith("readme")
