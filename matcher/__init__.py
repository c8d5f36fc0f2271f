"""matcher: find the prepared interview story that fits a question, offline.

Data flows one way: documents -> stories -> vectors -> index -> matches -> renderers.
"""

from matcher.ingest import read_corpus
from matcher.principles import Catalogue, Principle
from matcher.stories import PlannedQuestion, Section, Source, Story, StoryBank

__all__ = [
    "Catalogue",
    "PlannedQuestion",
    "Principle",
    "Section",
    "Source",
    "Story",
    "StoryBank",
    "read_corpus",
]
