"""matcher: find the prepared interview story that fits a question, offline.

Data flows one way: documents -> stories -> vectors -> index -> matches -> renderers.
"""

from matcher.ingest import read_corpus
from matcher.principles import Catalogue, Principle
from matcher.stories import PlannedQuestion, Section, Source, Story, StoryBank

__all__ = [
    "Answer",
    "Catalogue",
    "Match",
    "Matcher",
    "PlannedQuestion",
    "Principle",
    "Section",
    "Source",
    "Story",
    "StoryBank",
    "read_corpus",
]


def __getattr__(name: str):
    # Matcher and its results pull in numpy and the index code: imported on first use so
    # that `import matcher` (and `matcher --help`) stays cheap.
    if name == "Matcher":
        from matcher.matching import Matcher

        return Matcher
    if name in ("Answer", "Match"):
        from matcher import results

        return getattr(results, name)
    raise AttributeError(f"module 'matcher' has no attribute {name!r}")
