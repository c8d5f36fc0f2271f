"""Choose the signal weights and verdict thresholds on the development set.

    .venv/bin/python benchmarks/tune.py [--model minilm]

Prints Recall@1/@3 and principle top-1 for each signal alone and for weight grids, then the
precision/recall of the "no prepared story fits" and "not behavioural" decisions over a
range of thresholds. The chosen values are set by hand in ``matcher/scoring.py``. Only
``questions/dev.jsonl`` is read: the test split is never used for tuning.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np

from matcher import Catalogue, Matcher
from matcher.bench import metrics
from matcher.questions import load_questions
from matcher.scoring import CALIBRATION, Weights

HERE = Path(__file__).parent


def recall(matcher, questions, signals, weights, key="combined"):
    """Recall@1 and @3 over answerable questions, ranking duplicate groups as bench does."""
    groups = {s.id: s.group for s in matcher.index.bank.stories}
    hits = {1: [], 3: []}
    for q, sig in zip(questions, signals):
        if not q.answerable:
            continue
        per_story = sig.combined(weights) if key == "combined" else getattr(sig, key)
        relevant = {groups[s] for s in q.stories}
        ranking = metrics.rank(matcher.group_scores(per_story), relevant)
        for k in hits:
            hits[k].append(metrics.recall_at_k(ranking, relevant, k))
    return float(np.mean(hits[1])), float(np.mean(hits[3]))


def roc_auc(negatives: list[float], positives: list[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pairs = [(p > n) + 0.5 * (p == n) for p in positives for n in negatives]
    return sum(pairs) / len(pairs) if pairs else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    matcher = Matcher.open(model=args.model)
    catalogue = Catalogue.load()
    questions = load_questions(HERE / "questions" / "dev.jsonl", matcher.index.bank, catalogue)
    signals = matcher.signals([q.question for q in questions])
    print(f"model {matcher.index.model}, {sum(q.answerable for q in questions)} answerable dev questions")

    for key in ("dense", "lexical", "principle_match"):
        print(f"{key:>16} alone: R@1 {recall(matcher, questions, signals, None, key)[0]:.3f}")
    rows = []
    for wl, wp in itertools.product([0, 0.05, 0.1, 0.15, 0.2, 0.3], [0, 0.02, 0.05, 0.1, 0.2]):
        rows.append((*recall(matcher, questions, signals, Weights(wl, wp)), wl, wp))
    print("best weight pairs (R@1, R@3, lexical, principle):")
    for row in sorted(rows, reverse=True)[:8]:
        print("  %.3f %.3f  %.2f %.2f" % row)

    names = catalogue.names
    labelled = [(q, s) for q, s in zip(questions, signals) if q.principles]
    top1 = np.mean([names[int(np.argmax(s.principles))] in q.principles for q, s in labelled])
    print(f"principle top-1 {top1:.3f} on {len(labelled)} questions with principle labels")

    behavioural = [(q.behavioural, s) for q, s in zip(questions, signals)]
    print("not-behavioural decision (off_topic > behavioural or behavioural < t):")
    for t in (0.2, 0.25, 0.3, 0.35, 0.4):
        flagged = [(b, s.off_topic > s.behavioural or s.behavioural < t) for b, s in behavioural]
        tp = sum(1 for b, f in flagged if f and not b)
        fp = sum(1 for b, f in flagged if f and b)
        fn = sum(1 for b, f in flagged if not f and not b)
        print(f"  t={t:.2f} precision {tp / max(tp + fp, 1):.2f} recall {tp / max(tp + fn, 1):.2f} (flagged behavioural: {fp})")

    behavioural_signals = [(q.answerable, s) for q, s in zip(questions, signals) if q.behavioural]
    for c in (0.0, 0.02, 0.05, 0.1):
        fits = [(a, float(s.dense.max()) + c * s.lexical_top) for a, s in behavioural_signals]
        print(f"no-match decision (fit = best dense + {c} * best raw BM25 < t), "
              f"ROC AUC {roc_auc([f for a, f in fits if not a], [f for a, f in fits if a]):.3f}:")
        answerable = sum(1 for a, _ in fits if a)
        for t in np.quantile([f for _, f in fits], np.linspace(0.05, 0.5, 10)):
            tp = sum(1 for a, f in fits if f < t and not a)
            fp = sum(1 for a, f in fits if f < t and a)
            fn = sum(1 for a, f in fits if f >= t and not a)
            print(f"  t={t:.3f} reject precision {tp / max(tp + fp, 1):.2f} recall {tp / max(tp + fn, 1):.2f}"
                  f"  answerable wrongly rejected {fp / answerable:.2f}")
    shipped = CALIBRATION[matcher.index.model]
    fits = [(a, s.fit) for a, s in behavioural_signals]
    tp = sum(1 for a, f in fits if f < shipped.match and not a)
    fp = sum(1 for a, f in fits if f < shipped.match and a)
    fn = sum(1 for a, f in fits if f >= shipped.match and not a)
    print(f"shipped no-match threshold {shipped.match}: reject precision {tp / max(tp + fp, 1):.2f} "
          f"recall {tp / max(tp + fn, 1):.2f}, answerable wrongly rejected "
          f"{fp / sum(1 for a, _ in fits if a):.2f}")
    print("planned-question mention (cosine to a planned heading >= t):")
    for t in (0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        tp = fp = fn = 0
        for q, s in zip(questions, signals):
            said = {i for i, v in enumerate(s.planned) if v >= t}
            tp += len(said & q.planned)
            fp += len(said - q.planned)
            fn += len(q.planned - said)
        print(f"  t={t:.2f} precision {tp / max(tp + fp, 1):.2f} recall {tp / max(tp + fn, 1):.2f}")


if __name__ == "__main__":
    main()
