"""PDF files (a prep document exported from Word or Google Docs), read with pypdf.

A PDF keeps no paragraph styles, only text placed on pages, so each extracted line
becomes a line for the outline reader: titles come out as short lines and "Situation:"
labels as they were typed, which the reader knows from plain-text notes. A page's number
alone on a line ("3", "Page 3 of 5") is dropped. Line numbers count the extracted lines
through the whole document. A PDF with no text (a scanned page) is reported, not guessed.
"""

from __future__ import annotations

import io
import re

from matcher.ingest.lines import Line
from matcher.terminal import visible

_PAGE_NUMBER = re.compile(
    r"(?:page[ \t]+)?\d{1,4}(?:[ \t]*(?:/|of)[ \t]*\d{1,4})?|-[ \t]*\d{1,4}[ \t]*-", re.IGNORECASE
)


class PdfError(ValueError):
    """The bytes are not a PDF whose text can be read."""


def pdf_lines(data: bytes) -> list[Line]:
    """The text lines of a PDF, numbered through the document."""
    from pypdf import PdfReader  # here, not at the top: only PDF files need it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PdfError("a password-protected PDF; save it without the password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise PdfError(f"not a readable PDF ({exc})") from None
    except (ValueError, KeyError, TypeError, OSError) as exc:
        if isinstance(exc, PdfError):
            raise
        raise PdfError(f"not a readable PDF ({exc.__class__.__name__})") from None
    if not any(page.strip() for page in pages):
        raise PdfError("no text in this PDF (a scanned document?); export it with its text")
    lines: list[Line] = []
    for page in pages:
        for text in page.splitlines():
            if _PAGE_NUMBER.fullmatch(text.strip()):
                continue
            lines.append(Line(len(lines) + 1, visible(text)))
        lines.append(Line(len(lines), ""))  # a page break is a paragraph break
    return lines
