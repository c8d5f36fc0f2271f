"""Practice: draw a question, let the candidate pick principle(s) and a story, grade the pick
against matcher's answer, and keep a local history of how each principle went.

    from matcher.practice import Deck, grade, History
"""

from matcher.practice.history import History, HistoryUnavailable, PrincipleRecord, default_history_path
from matcher.practice.rounds import SOURCES, Deck, Draw, Round, grade, question_pool

__all__ = [
    "SOURCES",
    "Deck",
    "Draw",
    "History",
    "HistoryUnavailable",
    "PrincipleRecord",
    "Round",
    "default_history_path",
    "grade",
    "question_pool",
]
