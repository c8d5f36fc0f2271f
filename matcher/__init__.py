"""matcher: find the prepared interview story that fits a question, offline.

Data flows one way, one subpackage per stage: documents -> stories (``ingest``) -> views,
vectors and the on-disk index (``index``, ``embedding``) -> signals and answers (``search``)
-> renderers (``report``, ``web``).

    from matcher import Matcher, read_corpus
"""

from importlib import import_module

# Names resolve on first use (PEP 562) so that `import matcher`, and with it
# `matcher --help`, does not pay for the parsers, numpy or the index code.
_EXPORTS = {
    "Answer": "matcher.results",
    "Catalogue": "matcher.principles",
    "Match": "matcher.results",
    "Matcher": "matcher.search.matching",
    "PlannedQuestion": "matcher.stories",
    "Principle": "matcher.principles",
    "Section": "matcher.stories",
    "Source": "matcher.stories",
    "Story": "matcher.stories",
    "StoryBank": "matcher.stories",
    "read_corpus": "matcher.ingest",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'matcher' has no attribute {name!r}")
