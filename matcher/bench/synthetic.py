"""Synthetic story banks for the scale benchmark: realistic STAR prep notes, any size.

Stories are assembled from sentence templates filled from varied vocabulary with a
seeded random generator, so a bank of a given size and seed is the same on every run.
They are written as Markdown documents of ``STORIES_PER_FILE`` stories each, with
``## question`` headings and bold Situation/Task/Action/Result labels, the layout most
prep notes use. About one story in fifty is a lightly edited copy of an earlier one in a
later document, as candidates copy stories between documents.
"""

from __future__ import annotations

import random
from pathlib import Path

STORIES_PER_FILE = 40
COPY_SHARE = 0.02

_COMPANIES = (
    "Northwind", "Contoso", "Globex", "Initech", "Umbrella Health", "Stark Logistics",
    "Wayne Retail", "Acme Payments", "Hooli", "Vandelay Imports", "Soylent Foods",
    "Tyrell Energy", "Cyberdyne Robotics", "Wonka Media", "Oscorp Labs", "Pied Piper",
)
_SYSTEMS = (
    "billing service", "search ranking pipeline", "mobile checkout", "data warehouse",
    "recommendation engine", "fraud detection model", "customer support portal",
    "inventory API", "deployment pipeline", "notification service", "identity platform",
    "pricing engine", "analytics dashboard", "feature store", "payments gateway",
    "onboarding flow", "logging stack", "shipping estimator", "reporting job",
    "partner integration", "Kafka ingestion layer", "Kubernetes cluster", "GraphQL gateway",
)
_TEAMS = (
    "the platform team", "two junior engineers", "the data science group", "our SRE on-call",
    "the product manager", "a partner team in Dublin", "the security reviewers",
    "finance stakeholders", "the design lead", "three contractors", "the support managers",
    "the QA team", "my manager", "the legal team", "a new hire I was mentoring",
)
_PROBLEMS = (
    "latency had doubled over two quarters", "the error rate spiked after every release",
    "customers kept abandoning the flow halfway", "the nightly job missed its window",
    "costs had grown faster than traffic", "two teams owned overlapping pieces",
    "nobody trusted the numbers on the dashboard", "the launch date was fixed by a contract",
    "the original owner had left the company", "requirements changed every week",
    "a regulator asked for an audit trail we did not have", "on-call pages woke people nightly",
    "the test suite took forty minutes", "a key customer threatened to churn",
    "the design review had stalled for a month", "our estimates were off by a factor of three",
)
_GOALS = (
    "cut the p99 latency below 200 milliseconds", "ship the migration without downtime",
    "get both teams to agree on one owner", "bring the monthly bill down by a third",
    "restore trust in the reporting", "deliver a first version before the deadline",
    "reduce pages to fewer than two a week", "keep the customer on the platform",
    "make the release process safe enough to run daily", "document every data flow for the audit",
    "unblock the review and get a decision", "rebuild the estimate from evidence",
)
_ACTIONS = (
    "I profiled the hot path and found {detail}",
    "I wrote a one-page proposal comparing {option_a} with {option_b} and shared it with {team}",
    "I set up a weekly check-in with {team} so blockers surfaced early",
    "I split the work into milestones and took the riskiest one myself",
    "I added dashboards and alerts for {metric} before changing anything",
    "I ran a small experiment on five percent of traffic to test {option_a}",
    "I paired with {team} to review every change touching the {system}",
    "I pushed back on the scope and negotiated {option_b} as a first step",
    "I wrote a runbook and trained {team} to handle the common failures",
    "I dug through six months of incidents and grouped them by cause",
    "I asked {team} for honest feedback on the plan and changed it twice",
    "I automated the manual steps with a script that {detail}",
    "I escalated the dependency early with a clear ask and a date",
    "I rolled the change out behind a feature flag, one region at a time",
    "I booked a session with {team} to map the {system} on a whiteboard",
    "I measured {metric} for a week to get a baseline nobody could argue with",
    "I proposed {option_a} and accepted {option_b} when the data favoured it",
    "I took the on-call rotation myself for a month to feel the pain first hand",
    "I read the code of the {system} end to end and wrote down every assumption",
    "I set a clear deadline for the decision and named who would make it",
    "I handed the easy tickets to {team} and kept the migration script",
    "I built a prototype over a weekend to show {option_a} was feasible",
)
_THEN = ("Then ", "Next, ", "After that, ", "In parallel, ", "Once that was done, ",
         "To build trust, ", "Within a week, ", "Later, ", "", "", "")
_DETAILS = (
    "an N+1 query hidden in the ORM", "a lock held across a network call",
    "retries that multiplied the load during outages", "a cache keyed on the wrong field",
    "duplicate events from the upstream producer", "an index missing on the largest table",
    "validated every record against the schema", "rebuilt the test data from production samples",
    "serialisation taking most of the CPU time", "a cron job that overlapped with backups",
)
_OPTIONS = (
    "a full rewrite", "an incremental refactor", "buying a vendor tool", "a read replica",
    "a queue in front of the service", "batching the writes", "a simpler data model",
    "dropping the least used feature", "a manual fallback", "sharding by customer",
)
_METRICS = (
    "p99 latency", "error budget burn", "conversion", "queue depth", "cost per request",
    "time to recovery", "build duration", "ticket volume", "data freshness",
)
_RESULTS = (
    "{metric} improved by {percent} percent within {weeks} weeks",
    "we shipped {weeks} weeks later than planned but with no incidents",
    "the customer renewed and expanded their contract",
    "pages dropped from {count} a week to one or two",
    "the approach became the template for {team}",
    "we saved roughly {money} thousand dollars a year",
    "the audit passed with no findings",
    "the launch went out on the contractual date",
    "I learned to share bad news early instead of hoping it would improve",
    "in hindsight I would have involved {team} a week sooner",
    "my manager asked me to lead the next migration",
)
_QUESTIONS = (
    "Tell me about a time you {verb} the {system} at {company}",
    "Describe a situation where {problem}",
    "Give an example of when you had to {goal}",
    "Tell me about a time you disagreed with {team}",
    "What is the hardest problem you solved on the {system}?",
    "Tell me about a time you took ownership of the {system}",
    "Describe a time you had to deliver with {problem}",
    "Tell me about a time you simplified the {system}",
)
_CODENAMES = (
    "Falcon", "Atlas", "Juniper", "Orion", "Cobalt", "Maple", "Nimbus", "Quartz", "Harbor",
    "Sierra", "Tundra", "Willow", "Ember", "Granite", "Lumen", "Mosaic", "Pioneer", "Redwood",
    "Saffron", "Vertex", "Beacon", "Cascade", "Delta", "Fjord", "Helix", "Kestrel", "Lotus",
)
_VERBS = ("rescued", "rebuilt", "migrated", "stabilised", "scaled", "inherited", "redesigned")


_WHEN = (
    "Last spring", "In my second year", "During a reorg", "Right after a big launch",
    "Early in the quarter", "While I was tech lead", "Just before peak season",
    "Soon after I joined", "In the middle of a hiring freeze", "After a painful outage",
    "When we moved to the cloud", "During an acquisition", "Two weeks into a new role",
)
# Several framings per sentence, so two stories rarely share a run of three words
# outside their content (duplicate detection compares word 3-grams).
_SITUATION = (
    "{when} at {company}, {problem} on the {system}.",
    "{when}, I was working on the {system} at {company}, where {problem}.",
    "I had just taken over the {system} at {company}; {problem}.",
    "The {system} at {company} was in trouble: {problem}.",
    "{company} relied on a {system} that was falling behind, and {problem}.",
    "My team at {company} owned the {system}. {when}, {problem}.",
)
_ALSO = (
    "To make it worse, {other}.", "At the same time, {other}.", "Meanwhile {other}.",
    "{team_cap} also warned us that {other}.", "On top of that, {other}.",
    "Nobody had noticed yet that {other}.",
)
_STAKES = (
    "It mattered because {team} depended on it for {metric}.",
    "Leadership watched {metric} every week, so this was visible.",
    "Every day of delay hurt {metric} and the patience of {team}.",
    "If it failed, {team} would have to explain it to customers.",
    "The quarterly goals of {team} were tied to {metric}.",
)
# Figures differ from story to story, as real stories' do: runs of three words that
# include one are that story's own.
_FIGURES = (
    "It served about {volume} requests a day for {customers} customers in {regions} regions.",
    "It had {services} services, {engineers} engineers and a budget of {money} thousand dollars.",
    "Roughly {volume} records a day flowed through it from {customers} partner systems.",
    "{engineers} engineers had touched it in the last {weeks} months, {services} of them still around.",
)
_CHANGE = (
    "{metric_cap} went from {before} to {after} over {weeks} weeks.",
    "We measured {metric} at {before} before and {after} after the change.",
    "By week {weeks}, {metric} was down from {before} to {after}.",
)
_TASK = (
    "My job was to {goal}.", "I was asked to {goal}.", "I volunteered to {goal}.",
    "The goal I set with my manager was to {goal}.", "I owned the plan to {goal}.",
)
_CONSTRAINT = (
    "I had {weeks} weeks and no extra headcount, and {team} had doubts.",
    "We had a budget freeze and only {weeks} weeks of runway.",
    "{team_cap} had tried twice before and given up.",
    "There was no documentation and the tests covered almost nothing.",
    "I could not change the public interface without a deprecation period.",
)


class _Writer:
    """One seeded generator of story parts."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def pick(self, options: tuple[str, ...]) -> str:
        return self.random.choice(options)

    def fill(self, template: str, slots: dict[str, str]) -> str:
        values = {
            "detail": self.pick(_DETAILS), "option_a": self.pick(_OPTIONS),
            "option_b": self.pick(_OPTIONS), "team": self.pick(_TEAMS),
            "metric": self.pick(_METRICS), "percent": str(self.random.randint(12, 80)),
            "weeks": str(self.random.randint(2, 12)), "count": str(self.random.randint(6, 40)),
            "money": str(self.random.randint(20, 900)), "verb": self.pick(_VERBS),
            "when": self.pick(_WHEN), "other": self.pick(_PROBLEMS), **slots,
        }
        values["team_cap"] = _sentence(values["team"])[:-1]
        values["metric_cap"] = _sentence(values["metric"])[:-1]
        values.update(
            volume=f"{self.random.randint(2, 900) * 1000:,}", customers=str(self.random.randint(3, 4000)),
            regions=str(self.random.randint(2, 30)), services=str(self.random.randint(3, 140)),
            engineers=str(self.random.randint(2, 60)), before=str(self.random.randint(100, 999)),
            after=str(self.random.randint(10, 99)),
        )
        return template.format(**values)

    def slots(self) -> dict[str, str]:
        """What one story is about."""
        return {
            "company": self.pick(_COMPANIES), "system": f"{self.pick(_CODENAMES)} {self.pick(_SYSTEMS)}",
            "problem": self.pick(_PROBLEMS), "goal": self.pick(_GOALS),
        }

    def story(self) -> tuple[str, dict[str, str]]:
        """A heading and its four sections."""
        slots = self.slots()
        title = self.fill(self.pick(_QUESTIONS), slots)
        parts = (_SITUATION, _FIGURES, _ALSO, _STAKES)
        situation = " ".join(_sentence(self.fill(self.pick(p), slots)[:-1]) for p in parts)
        task = " ".join(self.fill(self.pick(p), slots) for p in (_TASK, _CONSTRAINT))
        steps = self.random.sample(_ACTIONS, self.random.randint(3, 4))
        action = " ".join(_sentence(self.pick(_THEN) + self.fill(s, slots)) for s in steps)
        outcomes = self.random.sample(_RESULTS, self.random.randint(2, 3))
        result = " ".join([self.fill(self.pick(_CHANGE), slots)] + [_sentence(self.fill(s, slots)) for s in outcomes])
        return title, {"Situation": situation, "Task": task, "Action": action, "Result": result}

    def edit(self, sections: dict[str, str]) -> dict[str, str]:
        """A copy of a story with one sentence added, as when it is reused elsewhere."""
        return {**sections, "Result": sections["Result"] + " " + _sentence(self.fill(self.pick(_RESULTS), {}))}


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def _markdown(title: str, sections: dict[str, str]) -> str:
    body = "\n\n".join(f"**{label}:** {text}" for label, text in sections.items())
    return f"## {title}\n\n{body}\n"


def write_bank(folder: Path, stories: int, seed: int = 0) -> list[Path]:
    """Write a bank of ``stories`` stories as Markdown documents into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = _Writer(seed)
    written: list[tuple[str, dict[str, str]]] = []
    documents: list[str] = []
    for i in range(stories):
        if written and writer.random.random() < COPY_SHARE:
            title, sections = writer.random.choice(written)
            sections = writer.edit(sections)
        else:
            title, sections = writer.story()
        written.append((title, sections))
        documents.append(_markdown(title, sections))
    paths = []
    for n, start in enumerate(range(0, stories, STORIES_PER_FILE)):
        path = folder / f"prep-{n:04d}.md"
        path.write_text(f"# Interview prep, part {n + 1}\n\n" + "\n".join(documents[start : start + STORIES_PER_FILE]), encoding="utf-8")
        paths.append(path)
    return paths


def questions(count: int, seed: int = 1) -> list[str]:
    """``count`` interview questions in the bank's vocabulary (not copies of its headings)."""
    writer = _Writer(seed)
    return [writer.fill(writer.pick(_QUESTIONS), writer.slots()).rstrip("?") + "?" for _ in range(count)]
