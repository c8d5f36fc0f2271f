"""``matcher bench``: recall of the matcher and its baselines on labelled questions, and speed.

    from matcher.bench import run
    report = run(Matcher.open(), [Path("benchmarks/questions/test.jsonl")])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matcher.bench import metrics, speed
from matcher.bench.questions import LabelledQuestion, load_questions
from matcher.bench.retrievers import compare
from matcher.results import MATCH, NOT_BEHAVIOURAL
from matcher.search.matching import Matcher

RECALL_KS = (1, 3, 5)
CURVE_KS = tuple(range(1, 11))


def evaluate(matcher: Matcher, questions: Sequence[LabelledQuestion]) -> dict[str, Any]:
    """Story metrics for every retriever, principle accuracy, verdicts and misses."""
    groups = {s.id: s.group for s in matcher.index.bank.stories}
    titles = {s.group: s.title for s in matcher.index.bank.stories}
    texts = [q.question for q in questions]
    signals = matcher.signals(texts)
    answers = [matcher.answer(t, s) for t, s in zip(texts, signals)]
    answerable = [i for i, q in enumerate(questions) if q.answerable]

    rows = []
    for retriever in compare(matcher, texts, signals):
        per_k = {k: [] for k in CURVE_KS}
        mrr, ndcg = [], []
        for i in answerable:
            relevant = {groups[s] for s in questions[i].stories}
            ranking = metrics.rank(retriever.scores[i], relevant)
            for k in CURVE_KS:
                per_k[k].append(metrics.recall_at_k(ranking, relevant, k))
            mrr.append(metrics.mrr_at_k(ranking, relevant, 10))
            ndcg.append(metrics.ndcg_at_k(ranking, relevant, 10))
        rows.append(
            {
                "retriever": retriever.name,
                "description": retriever.description,
                **{f"recall@{k}": round(float(np.mean(per_k[k])), 3) for k in RECALL_KS},
                "mrr@10": round(float(np.mean(mrr)), 3),
                "ndcg@10": round(float(np.mean(ndcg)), 3),
                "recall_curve": [round(float(np.mean(per_k[k])), 3) for k in CURVE_KS],
            }
        )

    names = matcher.catalogue.names
    with_principles = [(q, s) for q, s in zip(questions, signals) if q.principles]
    top = [[names[j] for j in np.argsort(-s.principles)[:3]] for _, s in with_principles]
    principle_top1 = np.mean([t[0] in q.principles for (q, _), t in zip(with_principles, top)])
    principle_top3 = np.mean([bool(set(t) & q.principles) for (q, _), t in zip(with_principles, top)])

    rejected = [a.verdict != MATCH for a in answers]
    unanswerable = [not q.answerable for q in questions]
    reject_p, reject_r = metrics.precision_recall(rejected, unanswerable)
    off_p, off_r = metrics.precision_recall(
        [a.verdict == NOT_BEHAVIOURAL for a in answers], [not q.behavioural for q in questions]
    )
    wrongly = [rejected[i] for i in answerable]

    misses = []
    for i in answerable:
        q, answer = questions[i], answers[i]
        first = answer.results[0] if answer.results else None
        if first is None or first.story.group not in {groups[s] for s in q.stories}:
            misses.append(
                {
                    "line": q.line,
                    "question": q.question,
                    "kind": q.kind,
                    "expected": sorted({titles[groups[s]] for s in q.stories}),
                    "got": first.story.title if first else None,
                    "score": round(first.score, 3) if first else None,
                    "verdict": answer.verdict,
                }
            )
    return {
        "questions": len(questions),
        "answerable": len(answerable),
        "retrievers": rows,
        "principles": {
            "questions": len(with_principles),
            "top1": round(float(principle_top1), 3),
            "top3": round(float(principle_top3), 3),
        },
        "rejection": {
            "precision": round(reject_p, 3),
            "recall": round(reject_r, 3),
            "answerable_wrongly_rejected": round(float(np.mean(wrongly)), 3),
        },
        "not_behavioural": {"precision": round(off_p, 3), "recall": round(off_r, 3)},
        "misses": misses,
    }


def run(
    matcher: Matcher,
    question_files: Sequence[Path],
    corpus: Sequence[Path],
    with_speed: bool = True,
    step: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """The whole benchmark: quality per question file, then speed on all their questions.

    Raises matcher.bench.questions.QuestionFileError for an unusable question file.
    """
    sets = {}
    for path in question_files:
        step(f"questions: {path.name}")
        questions = load_questions(path, matcher.index.bank, matcher.catalogue)
        sets[path.stem] = (path, questions)
    report: dict[str, Any] = {"model": matcher.index.model, "splits": {}}
    for name, (path, questions) in sets.items():
        step(f"recall: {path.name}")
        report["splits"][name] = {"file": str(path), **evaluate(matcher, questions)}
    if with_speed:
        texts = [q.question for _, questions in sets.values() for q in questions]
        report["speed"] = speed.measure(matcher, corpus, texts, step)
    return report
