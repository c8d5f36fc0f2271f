"""Index -> signals -> answers.

- ``scoring``: the signals for a question, how they combine, and the verdicts;
- ``matching``: ``Matcher``, the library's front door (``from matcher import Matcher``).
"""
