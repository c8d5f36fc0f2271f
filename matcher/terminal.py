"""Control characters in the user's text, shown rather than sent to the terminal.

Rich's ``Text`` strips a few control codes but passes ESC through, so a heading holding
``ESC[2J`` or an OSC 8 hyperlink would be acted on by the terminal instead of shown. The
text is therefore cleaned where it enters matcher (documents as they are decoded,
questions as they are read), not where it is printed: rich measures columns before
printing, and a symbol swapped in afterwards would break the table layout.
"""

from __future__ import annotations

import re

# C0 controls but tab, newline and carriage return (line structure), DEL, and the C1
# controls (0x9b is CSI on some terminals).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _symbol(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ for ESC
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """``text`` with each control character replaced by a visible symbol."""
    return CONTROL.sub(_symbol, text)
