"""The principle catalogue: canonical principles, their aliases and example questions.

A catalogue is a JSON file (see ``matcher/data/amazon_principles.json``) so that another
company's value set can replace Amazon's without touching code. Tag text found in the
candidate's documents is normalised to canonical names through the aliases.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

DEFAULT_CATALOGUE = Path(__file__).parent / "data" / "amazon_principles.json"

# Curly quotes and apostrophes are folded so "Earth’s" and "Earth's" compare equal.
_QUOTE_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "＆": "&"})
_NON_WORD = re.compile(r"[^\w']+")
_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")
_PARENTHETICAL = re.compile(r"\([^()]*\)")
_FILLER = {"and", "or", "the", "a", "of", "to", "with", "as", "such", "like", "also", "和", "与", "及"}
# "also good for Ownership", "backup: Dive Deep": words that lead into a list of principles.
_LIST_FILLER = _FILLER | {
    "lp", "lps", "principle", "principles", "leadership", "amazon", "tags", "tag",
    "good", "for", "fits", "works", "covers", "relevant", "too", "backup", "secondary", "alt",
}


def normalise(text: str) -> str:
    """Fold case, quotes, '&' and punctuation so spelling variants of a name compare equal."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_FOLD).casefold()
    text = text.replace("&", " and ").replace("'", "")
    return " ".join(_NON_WORD.sub(" ", text).split())


@dataclass(frozen=True)
class Principle:
    """One principle of a value set, e.g. Amazon's "Ownership"."""

    name: str
    definition: str
    aliases: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """An ordered set of principles with alias lookup."""

    name: str
    principles: tuple[Principle, ...]

    @classmethod
    def load(cls, path: Path | None = None) -> Catalogue:
        """Read a catalogue JSON file; the packaged Amazon catalogue by default."""
        data = json.loads((path or DEFAULT_CATALOGUE).read_text(encoding="utf-8"))
        principles = tuple(
            Principle(
                name=p["name"],
                definition=p.get("definition", ""),
                aliases=tuple(p.get("aliases", ())),
                examples=tuple(p.get("examples", ())),
            )
            for p in data["principles"]
        )
        return cls(name=data.get("name", ""), principles=principles)

    @cached_property
    def _alias_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for principle in self.principles:
            for alias in (principle.name, *principle.aliases):
                key = normalise(alias)
                if key:
                    index[key] = principle.name
        return index

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Canonical names in catalogue order."""
        return tuple(p.name for p in self.principles)

    def get(self, name: str) -> Principle:
        """The principle with this canonical name."""
        return next(p for p in self.principles if p.name == name)

    def resolve(self, text: str) -> str | None:
        """The canonical name that ``text`` spells, or None if it is no known alias."""
        return self._alias_index.get(normalise(text))

    def find_in(self, text: str) -> list[str]:
        """Canonical names mentioned anywhere in ``text``, in order of first mention.

        Longer aliases are matched first so "Invent and Simplify" is not also read as a
        separate "Simplify".
        """
        return self._scan(text)[0]

    def only_names(self, text: str) -> list[str]:
        """The principles ``text`` lists when it holds nothing else ("Ownership, Dive Deep").

        Empty when the text has words other than principle names, separators and
        filler such as "and" or "LP", so a sentence that merely uses "ownership" is no tag.
        """
        names, leftover = self._scan(text)
        return names if names and all(w in _LIST_FILLER for w in leftover.split()) else []

    def _scan(self, text: str) -> tuple[list[str], str]:
        haystack = f" {normalise(text)} "
        found: list[tuple[int, str]] = []
        for alias in sorted(self._alias_index, key=len, reverse=True):
            needle = f" {alias} "
            start = haystack.find(needle)
            while start != -1:
                found.append((start, self._alias_index[alias]))
                # Blank the match out so shorter aliases inside it are not counted again.
                haystack = haystack[:start] + " " * len(needle) + haystack[start + len(needle):]
                start = haystack.find(needle)
        ordered: list[str] = []
        for _, name in sorted(found):
            if name not in ordered:
                ordered.append(name)
        return ordered, haystack

    def parse_tags(self, line: str) -> tuple[list[str], list[str]]:
        """Split a tag line into (canonical principles, unknown quoted tags).

        Tag lines look like ``This aligns with "Deliver Results" (why…) and "Ownership"``,
        with straight or curly quotes, sometimes unbalanced, sometimes unquoted. The
        explanations in parentheses are dropped first: they often use principle words in
        their ordinary sense ("taking ownership of…").
        """
        bare = _PARENTHETICAL.sub(" ", line)
        known = self.find_in(bare)
        unknown = []
        for span in _QUOTED.findall(bare):
            words = normalise(span).split()
            if not words or all(w in _FILLER for w in words) or len(words) > 6:
                continue
            if not self.find_in(span):
                unknown.append(span.strip(" ,.;:"))
        return known, unknown
