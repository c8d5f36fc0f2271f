"""Matching with the real model on the real documents."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from typer.testing import CliRunner

from matcher import Catalogue, Matcher
from matcher.cli import app
from matcher.index import store
from matcher.index.lexical import LexicalIndex
from matcher.index.prepared import PreparedKinds
from matcher.index.views import strip_boilerplate
from matcher.ingest import read_corpus
from matcher.search.matching import QuestionError, clean_question
from matcher.search.scoring import Lexical
from matcher.report.coverage import coverage
from matcher.results import Answer, PrincipleScore

from .conftest import D003, one_document
from .layout_score import DATA


@pytest.mark.parametrize(
    ("question", "story_ids"),
    [
        (
            "A colleague kept manually copying permissions for test users. What did you do about it?",
            {"001-c576131ad8ff3fdf/a-time-you-stepped-outside-of-job-scope-or-responsibility"},
        ),
        (
            "Did you ever swap a distributed framework for something simpler because the data was small?",
            {"001-c576131ad8ff3fdf/a-time-of-a-radical-approach-you-proposed-to-solve-a-big"},
        ),
        (
            "A user reports that text they saved comes back truncated. Walk me through how you found the cause.",
            {"001-c576131ad8ff3fdf/a-time-you-linked-two-or-more-problems-together-an"},
        ),
        (
            "What would you tell me about shrinking an overprovisioned cluster to cut cost?",
            {"001-c576131ad8ff3fdf/a-specific-metric-you-have-used-to-identify-a-need-for-a"},
        ),
        ("What's your biggest weakness?", {"000-237d671b235dd58d/what-are-your-strengths-and-weaknesses"}),
        (
            "Why do you want to work at Amazon?",
            {
                "000-237d671b235dd58d/why-amazon",
                "000-237d671b235dd58d/why-amazon-2",
                "001-c576131ad8ff3fdf/why-amazon",
            },
        ),
    ],
)
def test_questions_worded_unlike_headings_find_the_story(matcher, question, story_ids):
    answer = matcher.ask(question)
    assert answer.results[0].story.id in story_ids, [m.story.id for m in answer.results]


def test_duplicates_appear_once_with_both_sources(matcher):
    answer = matcher.ask("When did you push back on your manager's schedule, and how did it end?", k=5)
    ids = [m.story.group for m in answer.results]
    assert len(ids) == len(set(ids))
    twin = answer.results[0]
    assert twin.story.title == "Tell me about a time you disagreed with your manager"
    assert {s.file for s in twin.sources} == {"000_237d671b235dd58d.txt", "001_c576131ad8ff3fdf.txt"}


def test_off_topic_is_not_behavioural(matcher):
    for question in ("Write a function to reverse a linked list.", "zxcv qwop blorf", "How are you today?"):
        answer = matcher.ask(question)
        assert answer.verdict == "not_behavioural" and not answer.match and not answer.results


def test_question_no_story_answers_is_no_match(matcher):
    answer = matcher.ask("How have you made your workplace more inclusive?")
    assert answer.verdict == "no_match" and not answer.match
    assert answer.principles  # still says which principle to prepare for


def test_planned_question_is_mentioned(matcher):
    answer = matcher.ask("What's the toughest customer conversation you have had?")
    assert any(p.title == "Most difficult customer interaction" for p in answer.planned)


def test_principles_are_ranked_with_scores(matcher):
    answer = matcher.ask("Tell me about a time you disagreed with your manager and still committed.")
    names = [p.name for p in answer.principles]
    assert names[0] == "Have Backbone; Disagree and Commit"
    assert [p.score for p in answer.principles] == sorted((p.score for p in answer.principles), reverse=True)


def test_json_schema(matcher):
    data = matcher.ask("Why this company?").to_dict()
    assert set(data) >= {"question", "principles", "match", "results"}
    assert set(data["principles"][0]) >= {"name", "score"}
    result = data["results"][0]
    assert set(result) >= {"story", "score", "passage"}
    assert set(result["story"]) >= {"id", "title", "principles", "sources"}
    assert set(result["story"]["sources"][0]) == {"file", "line"}
    json.dumps(data)  # serialisable
    assert "**" not in result["story"]["title"] and not result["story"]["title"].startswith("#")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \n\t ", "empty"),
        ("x" * 100_000, "100,000 characters"),
        ("你上次和经理意见不合是什么时候？", "English"),
    ],
)
def test_bad_questions(text, message):
    with pytest.raises(QuestionError, match=message):
        clean_question(text)


def test_control_characters_are_removed():
    assert clean_question("Tell me\x00 about\x1b a\tfailure\r\n") == "Tell me about a failure"


def open_quiet(corpus, index_dir, encoder, **kwargs):
    notes: list[str] = []
    matcher = Matcher.open([corpus], index_dir, notify=notes.append, encoder=encoder, **kwargs)
    return matcher, notes


def test_index_is_reused_then_rebuilt_when_a_document_changes(small_corpus, tmp_path, encoder):
    index_dir = tmp_path / "index"
    _, notes = open_quiet(small_corpus, index_dir, encoder)
    assert notes and "no index yet" in notes[0]
    _, notes = open_quiet(small_corpus, index_dir, encoder)
    assert notes == []
    doc = small_corpus / D003
    doc.write_text(doc.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _, notes = open_quiet(small_corpus, index_dir, encoder)
    assert "documents changed (003_9f0ed41cec8ba5a7.txt)" in notes[0]
    assert len(list(index_dir.glob("build-*"))) == 1  # the old build is gone


def test_switching_model_is_stale(small_corpus, tmp_path, encoder):
    from matcher.index import store as index_store

    index_dir = tmp_path / "index"
    open_quiet(small_corpus, index_dir, encoder)
    manifest = index_store.read_manifest(index_dir)
    assert index_store.staleness(manifest, [small_corpus], "minilm") is None
    assert index_store.staleness(manifest, [small_corpus], "mpnet") == "model changed (minilm -> mpnet)"


def test_corrupt_index_is_rebuilt(small_corpus, tmp_path, encoder):
    index_dir = tmp_path / "index"
    open_quiet(small_corpus, index_dir, encoder)
    build = next(index_dir.glob("build-*"))
    (build / "views.npy").write_bytes(b"garbage")
    matcher, notes = open_quiet(small_corpus, index_dir, encoder)
    assert "views.npy damaged" in notes[0]
    assert matcher.ask("Tell me about a failure at work").results
    (index_dir / "manifest.json").write_text("{not json", encoding="utf-8")
    _, notes = open_quiet(small_corpus, index_dir, encoder)
    assert "manifest unreadable" in notes[0]


def test_unwritable_index_folder_answers_unsaved(small_corpus, tmp_path, encoder):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    matcher, notes = open_quiet(small_corpus, blocker / "index", encoder)
    assert any("Could not save the index" in n for n in notes)
    assert matcher.ask("Tell me about a failure at work").results
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_corpus_without_stories_is_a_clear_error(tmp_path, encoder):
    from matcher.ingest import CorpusError

    (tmp_path / "notes.txt").write_text("nothing structured here\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no stories found"):
        open_quiet(tmp_path, tmp_path / "index", encoder)


def test_every_view_fits_the_model(matcher, encoder):
    longest = max(encoder.count_tokens(v.text) for v in matcher.index.views)
    assert longest <= 256


def test_same_named_documents_in_two_folders_each_make_the_index_stale(tmp_path, encoder):
    corpus = tmp_path / "prep"
    shutil.copytree(DATA / "layouts" / "folder_case", corpus)
    index_dir = tmp_path / "index"
    open_quiet(corpus, index_dir, encoder)
    edited = corpus / "2024" / "stories.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    matcher, notes = open_quiet(corpus, index_dir, encoder)
    assert "documents changed (2024/stories.md)" in notes[0]
    assert {"README.md", "2023/stories.md", "2024/stories.md"} == set(matcher.index.bank.documents)


@pytest.mark.parametrize(
    "question",
    [
        "What made you want to interview at Amazon in particular?",
        "Tell me about yourself.",
        "Why are you looking to leave your current firm?",
        "What would you say is your biggest weakness?",
    ],
)
def test_prepared_non_star_answers_are_never_hidden_as_not_behavioural(matcher, question):
    answer = matcher.ask(question)
    assert answer.verdict != "not_behavioural" and answer.results


def test_each_prepared_wording_is_closest_to_its_own_kind(encoder):
    """A wording nearer a behavioural example would draw behavioural questions to a
    "Why Amazon?" answer."""
    kinds = PreparedKinds.load()
    examples, _, off_topic = store.reference_texts(Catalogue.load())
    wordings = encoder.encode(kinds.texts)
    among = wordings @ wordings.T
    np.fill_diagonal(among, -1.0)
    own_kind = np.where(kinds.owner[:, None] == kinds.owner[None, :], among, -1.0).max(axis=1)
    rival = (wordings @ encoder.encode(examples + off_topic).T).max(axis=1)
    assert [t for t, own, other in zip(kinds.texts, own_kind, rival) if own <= other] == []


def test_headings_of_prepared_answers_are_told_from_story_headings(encoder):
    kinds = PreparedKinds.load()
    examples, _, off_topic = store.reference_texts(Catalogue.load())
    headings = {
        "Why Amazon?": "Why this company",
        "Why I applied here": "Why this company",
        "Why leave Initech?": "Why you are leaving",
        "About me": "Tell me about yourself",
        "Elevator pitch": "Tell me about yourself",
        "My biggest weakness": "Strengths and weaknesses",
        "Tell me about a time you took ownership of a failing project": None,
        "A time I missed a deadline": None,
        "Migrating the payroll reports": None,
    }
    found = kinds.of_headings(
        encoder.encode([strip_boilerplate(h) for h in headings]), encoder.encode(kinds.texts), encoder.encode(examples + off_topic)
    )
    assert [kinds.names[k] if k >= 0 else None for k in found] == list(headings.values())


@pytest.mark.parametrize(
    ("question", "titles"),
    [
        ("So, who am I talking to today? Give me some background.", {"Introduce"}),
        ("How would you describe your career path up to now?", {"Introduce"}),
        ("How come you're exploring a change right now?", {"Why are you leaving your current company?", "Why leave current firm"}),
    ],
)
def test_a_prepared_answer_is_found_through_other_wordings_of_its_question(matcher, question, titles):
    answer = matcher.ask(question)
    assert answer.verdict == "match" and answer.results[0].story.title in titles, answer.results[0].story.title


def test_a_principle_with_no_story_can_be_the_first_prediction(matcher):
    untagged = set(matcher.catalogue.names) - {p for s in matcher.index.bank.stories for p in s.principles}
    assert "Are Right, A Lot" in untagged
    answer = matcher.ask("Describe a judgement call you made with incomplete data that turned out right.")
    assert answer.principles[0].name == "Are Right, A Lot"
    assert answer.principles[0].stories == ()  # shown as "your stories for this: none yet"


def test_a_two_story_bank_still_answers_with_its_story(tmp_path, encoder):
    # With its own stories alone as the reference, a bank of two always looked undecided.
    corpus = one_document(
        tmp_path,
        "## Moving billing to a new database\n\n"
        "**Situation:** Our billing database was ten years old and failed every week.\n"
        "**Action:** I planned the migration, rehearsed it twice on a copy and moved it over a weekend.\n"
        "**Result:** No downtime, and hosting costs fell by 30%.\n\n"
        "## Hiring my first team\n\n"
        "**Situation:** The team was me and a contractor.\n"
        "**Action:** I wrote the job descriptions, ran forty interviews and onboarded four engineers.\n"
        "**Result:** We shipped the next release on time.\n",
    )
    m = Matcher.open([corpus], tmp_path / "index", notify=lambda _: None, encoder=encoder)
    answer = m.ask("Walk me through a risky data migration you led. How did you avoid an outage?")
    assert answer.match and answer.results[0].story.title == "Moving billing to a new database"
    assert not m.ask("Tell me about a time you disagreed with a customer about their contract.").match


SCIENCE = """# My stories — school science department lead

## Rebuilding the chemistry lab schedule
**Principles:** Deliver Results, Ownership

**Situation:** Two teachers left in September and the lab timetable collapsed; four classes had no practical sessions for three weeks.
**Task:** I had to get every class back into the lab before the mock exams.
**Action:** I mapped every free period, doubled up two small classes, ran Saturday catch-up practicals myself and trained a teaching assistant to prepare the equipment.
**Result:** All classes finished the required practicals a week before the mocks, and pass rates matched the previous year.

## Standing firm on exam marking
**Principles:** Have Backbone; Disagree and Commit, Insist on the Highest Standards

**Situation:** The head wanted us to raise predicted grades to improve the league table.
**Task:** I believed inflated predictions would hurt students when results came in.
**Action:** I showed the head three years of data comparing predictions with real results and proposed a moderation meeting instead.
**Result:** The predictions stayed evidence-based, and the head later asked me to run moderation for the whole school.

## Coaching a struggling new teacher
**Principles:** Hire and Develop the Best

**Situation:** A newly qualified physics teacher was losing control of his classes and thinking of quitting.
**Task:** I wanted to keep him and help him grow.
**Action:** I observed his lessons weekly, co-planned with him, and let him watch two experienced colleagues teach the same topic.
**Result:** By spring his observations were rated good and he stayed for a second year.

## Cutting the consumables budget
**Principles:** Frugality

**Situation:** Our consumables budget was cut by a third mid-year.
**Task:** I had to keep practical work going on less money.
**Action:** I switched to micro-scale experiments, shared kits with the neighbouring school and stopped buying single-use plastics.
**Result:** We ran every planned practical and finished the year under budget.
"""


def test_a_small_bank_matches_its_stories_and_names_what_to_prepare(tmp_path, encoder):
    corpus = one_document(tmp_path, SCIENCE)
    m = Matcher.open([corpus], tmp_path / "index", notify=lambda _: None, encoder=encoder)
    for question, title in (
        ("Tell me about helping someone junior who was close to giving up.", "Coaching a struggling new teacher"),
        ("Describe getting the same work done with much less money.", "Cutting the consumables budget"),
    ):
        answer = m.ask(question)
        assert answer.match and answer.results[0].story.title == title, question
    for question, principle in (
        ("How have you made your workplace more inclusive?", "Strive to be Earth's Best Employer"),
        ("Tell me about a time you had to win back an unhappy customer.", "Customer Obsession"),
    ):
        answer = m.ask(question)
        assert answer.verdict == "no_match" and principle in answer.to_prepare, question


UNTAGGED = """# My stories

## Rolled back a bad schema migration at 2 a.m.
Situation: our nightly migration locked the orders table and checkout started timing out.
Task: I was on call and owned the database that night.
Action: I killed the migration, restored the table from the replica and paged the team lead.
Result: 14 minutes of checkout downtime instead of hours; no migration has locked a table since.

## Talked a customer out of a custom fork
Situation: our largest customer wanted us to fork the product for their compliance rules.
Task: I had to keep them happy without maintaining a second codebase.
Action: I spent two days with their compliance team and built three settings for everyone.
Result: they renewed for three years and two other customers used the same settings.

## Mentored a new hire through her first on-call
Situation: a new engineer joined and was anxious about her first on-call week.
Task: I wanted her to be confident without me holding her hand.
Action: I paired with her on two past incidents, wrote a runbook with her and shadowed her first night.
Result: she handled a real outage alone in week two and now trains others.
"""


def test_a_bank_with_no_written_principles_gets_inferred_ones(tmp_path, encoder):
    # Without tags every principle looked uncovered and an obvious fit was "no story fits".
    corpus = one_document(tmp_path, UNTAGGED, "stories.md")
    m = Matcher.open([corpus], tmp_path / "index", notify=lambda _: None, encoder=encoder)
    answer = m.ask("Describe a time you helped a less experienced colleague grow.")
    best = answer.results[0]
    assert answer.match and best.story.title == "Mentored a new hire through her first on-call"
    assert best.principles_inferred and "Hire and Develop the Best" in best.principles
    assert best.story.principles == ()  # the document itself is not changed
    assert answer.principles[0].stories  # "your stories for …" lists the inferred ones
    assert best.to_dict()["story"]["principles_inferred"] is True
    # Coverage counts the inferred principles too, instead of "no story" for all sixteen.
    rows = {r.name: r for r in coverage(m.tagged_bank, m.catalogue)}
    assert [s.title for s in rows["Hire and Develop the Best"].stories] == [best.story.title]
    assert m.principles_inferred and m.index.bank.stories[0].principles == ()
    # Scripts reading coverage are told so as well as people.
    printed = CliRunner().invoke(app, ["coverage", "--json", "-c", str(corpus), "--index-dir", str(tmp_path / "index")])
    assert printed.exit_code == 0 and json.loads(printed.stdout)["principles_inferred"] is True


def test_a_tagged_bank_keeps_its_untagged_answers_untagged(matcher):
    # "Why Amazon" tests no principle: in a bank with tags, untagged means deliberately so.
    answer = matcher.ask("Why do you want to work at Amazon?")
    why = next(r for r in answer.results if r.story.title == "Why Amazon")
    assert why.principles == () and not why.principles_inferred


def test_no_story_fits_names_only_principles_without_stories():
    def principle(name, stories):
        return PrincipleScore(name, 0.5, stories)

    answer = Answer("q", "no_match", (principle("Ownership", ("A story",)), principle("Frugality", ())), (), ())
    assert answer.to_prepare == ("Frugality",)
    both = Answer("q", "no_match", (principle("Ownership", ("A",)), principle("Frugality", ("B",))), (), ())
    assert both.to_prepare == ()


THREE_STORIES = """\
STORY 1 — "The night the payment gateway died"
S) Black Friday, 11 pm: our card processor started timing out and checkout conversion fell.
A) I switched traffic to our backup processor and posted updates to support every ten minutes.
R) Checkout recovered in 25 minutes.

STORY 2 — "Killing my own feature"
S) I had pushed for a recommendations widget and spent a quarter building it.
A) I presented the A/B result to my director myself and recommended removing it.
R) We removed it; the write-up became the template for our experiment reviews.

STORY 3 — "Teaching support to read logs"
S) Support escalated about 60 tickets a week to engineering, most answerable from logs.
A) I ran six lunchtime sessions and built a one-page log guide.
R) Escalations fell to 20 a week.
"""


def test_bm25_in_a_three_story_bank_weighs_words_against_the_background(tmp_path):
    """Over three stories alone, "was" or "a" found in one story is that story's best
    match and scores 1; with the background stories, words that every bank uses count
    little and a real match still scores 1."""
    stories = read_corpus([one_document(tmp_path, THREE_STORIES, "prep.txt")]).stories
    assert len(stories) == 3
    alone = Lexical(LexicalIndex.build(store.story_texts(stories)), 3)
    background = store.story_texts(store.background_stories(Catalogue.load()))
    shipped = Lexical(LexicalIndex.build(store.story_texts(stories), background), 3)
    no_shared_topic = "Tell me about a time you had to admit something you championed was a mistake"
    assert alone.scores(no_shared_topic).max() == pytest.approx(1.0)
    assert shipped.scores(no_shared_topic).max() < 0.6
    outage = shipped.scores("How did you handle the checkout outage when the card processor failed?")
    assert outage[0] == pytest.approx(1.0) and outage[1:].max() < 0.3
