"""The question adapter shipped for mpnet, on real mpnet vectors (the suite's MiniLM has none)."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.embedding.adapter import QuestionAdapter, adapter_path
from matcher.embedding.models import MODELS

# Three answers with no heading, and questions that share almost no word with them.
PASSAGES = {
    "deadline": "I told the director in writing that the launch date would slip by three weeks, "
    "listed what would break if we shipped on time, and offered two smaller releases instead.",
    "mentor": "A new hire kept missing review comments, so I paired with her twice a week, wrote "
    "a checklist with her, and by the next quarter she was reviewing other people's code.",
    "cost": "Our cloud bill had doubled; I traced most of it to idle test clusters, set them to "
    "shut down at night, and cut the monthly spend by forty percent.",
}
QUESTIONS = {
    "When did you push back on a timeline your leadership wanted?": "deadline",
    "How have you helped a junior colleague grow?": "mentor",
    "Give an example of saving money for your team.": "cost",
}


def test_only_mpnet_ships_an_adapter_sized_for_it():
    for name, spec in MODELS.items():
        assert adapter_path(name).is_file() == (name == "mpnet")
    assert np.load(adapter_path("mpnet")).shape == (MODELS["mpnet"].dimension,) * 2
    vectors = np.eye(3, dtype=np.float32)
    assert QuestionAdapter.for_model("minilm")(vectors) is vectors


@pytest.fixture(scope="module")
def mpnet():
    from matcher.embedding.encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder("mpnet")


def test_adapted_questions_find_their_answer_and_stay_near_the_question(mpnet):
    adapter = QuestionAdapter.for_model("mpnet")
    names = list(PASSAGES)
    passages = mpnet.encode([PASSAGES[n] for n in names])
    questions = mpnet.encode(list(QUESTIONS))
    moved = adapter(questions)
    assert np.allclose(np.linalg.norm(moved, axis=1), 1, atol=1e-5)
    # A nudge toward answer text, not a different space: questions stay close to themselves.
    assert (np.sum(moved * questions, axis=1) > 0.8).all()
    assert [names[i] for i in (moved @ passages.T).argmax(axis=1)] == list(QUESTIONS.values())


def test_a_story_question_is_not_drawn_to_the_wordings_of_why_amazon(mpnet, tmp_path):
    """The adapted question sits near every question view, and "Why Amazon?" carries a
    dozen extra wordings: in this five-story bank the question about killing a product
    came to "Why Amazon?" first, shown as a match. A question nearer a principle's example
    than any such wording no longer meets them; one asking why Amazon still does."""
    from pathlib import Path

    from matcher import Matcher

    corpus = Path(__file__).parent / "data" / "odt"
    m = Matcher.open([corpus], tmp_path / "index", notify=lambda _: None, encoder=mpnet)
    story = m.ask("Tell me about a product you decided to kill even though leadership liked it.")
    assert story.results[0].story.title == "Shutting down the invoice-financing beta"
    why = m.ask("What made you want to interview at Amazon in particular?")
    assert why.match and why.results[0].story.title == "Why Amazon?"
