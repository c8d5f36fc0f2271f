"""Learn the question adapters (``matcher/data/adapters/<model>.npy``) and measure them.

    .venv/bin/python benchmarks/train_adapter.py [--write MODEL]

For each model, a linear map ``x -> x + x @ A`` on question vectors is fitted so that each
labelled answerable question of the tuning corpora scores its own story above the other
stories of its corpus (softmax over stories, a story scoring as its best view, as at
search time), with an L2 penalty on ``A``. It is measured leaving one corpus out (trained
on the other two, scored on the third): Recall@1 of the shipped ranking, the hub counts,
small banks, and the verdict with a threshold taken from corpora that the adapter scoring
them was not trained on. The verdict's agreement weight and number of closest stories are
chosen the same way (``agreement_settings``), and the printed threshold, over all three
corpora each scored as the model ships, is the one for
``matcher.search.scoring.CALIBRATION``. ``--write MODEL`` then fits that model's adapter on
all three corpora and saves it. Only mpnet's is shipped (see the adapter module).

Needs torch (a development dependency); matcher itself only applies the saved matrix.
"""

from __future__ import annotations

import argparse
import dataclasses

import numpy as np

import experiments as E
from matcher.embedding.adapter import QuestionAdapter, adapter_path
from matcher.embedding.encoder import SentenceTransformerEncoder
from matcher.index.store import best_per_story, hub_scores
from matcher.search.scoring import CALIBRATION

L2 = 0.01  # chosen leaving one corpus out among 0.001, 0.01, 0.1: all three gained on every corpus
TEMPERATURE = 0.05
STEPS = 300
TUNING = ("seeds-dev", "backend_sre", "product_ops")
LEXICAL = E.SHIPPED[1]  # the ranking measured is the shipped one, without its small principle term


def fit(sets: list[E.Arrays]) -> QuestionAdapter:
    """The adapter fitted on the answerable questions of ``sets``."""
    import torch

    torch.manual_seed(0)
    batches = []
    for a in sets:
        asked = [i for i, r in enumerate(a.relevant) if r]
        right = np.array([[g in a.relevant[i] for g in a.group_of] for i in asked])
        batches.append((
            torch.tensor(a.question_vectors[asked]), torch.tensor(a.view_vectors),
            torch.tensor(a.view_story, dtype=torch.int64), torch.tensor(right),
        ))
    dimension = sets[0].question_vectors.shape[1]
    residual = torch.zeros(dimension, dimension, requires_grad=True)
    optimiser = torch.optim.Adam([residual], lr=1e-3)
    for _ in range(STEPS):
        optimiser.zero_grad()
        loss = L2 * (residual**2).sum()
        for questions, views, view_story, right in batches:
            moved = questions + questions @ residual
            moved = moved / moved.norm(dim=1, keepdim=True)
            best = torch.full(right.shape, -2.0).scatter_reduce(
                1, view_story.expand(len(moved), -1), moved @ views.T, reduce="amax"
            )
            logits = best / TEMPERATURE
            right_mass = torch.logsumexp(logits.masked_fill(~right, -1e9), dim=1)
            loss = loss + (torch.logsumexp(logits, dim=1) - right_mass).mean() / len(batches)
        loss.backward()
        optimiser.step()
    return QuestionAdapter(residual.detach().numpy().astype(np.float32))


def adapted(a: E.Arrays, adapter: QuestionAdapter | None) -> E.Arrays:
    """``a`` with its question-to-story cosines computed from adapted questions."""
    if adapter is None:
        return a
    stories = a.dense.shape[1]
    return dataclasses.replace(
        a,
        dense=best_per_story(adapter(a.question_vectors) @ a.view_vectors.T, a.view_story, stories),
        hub_dense=best_per_story(adapter(a.example_vectors) @ a.view_vectors.T, a.view_story, stories),
    )


def corpus_of(name: str):
    """The story folder of the question set called ``name``."""
    return next(qs.corpus for qs in E.SETS if qs.name == name)


def verdict(name: str, a: E.Arrays, model: str, encoder, adapter: QuestionAdapter | None) -> np.ndarray:
    """Per question, the verdict's fit with ``adapter`` applied to questions."""
    background = E.background_scores(a, model, encoder, corpus_of(name), adapter)
    return E.verdict_fit(adapted(a, adapter), model, background, np.ones(a.dense.shape[1], dtype=bool))[0]


def report(model: str, data: dict[str, E.Arrays], encoder, write: bool) -> None:
    """Leave-one-corpus-out figures for ``model``; with ``write``, fit on all and save."""
    print(f"\n== {model}: leave one corpus out (trained on the other two) ==")
    behavioural = {n: np.array([q.behavioural for q in a.questions]) for n, a in data.items()}
    answerable = {n: np.array([q.answerable for q in a.questions]) for n, a in data.items()}
    answered = {n: behavioural[n] & answerable[n] for n in data}
    pooled, scored = [], {}
    for held in TUNING:
        others = [n for n in TUNING if n != held]
        adapter = fit([data[n] for n in others])
        row = f"  {held:12}"
        for label, chosen in (("raw", None), ("adapted", adapter)):
            a = adapted(data[held], chosen)
            counts = sorted(np.bincount(np.argmax(a.hub_dense - E.HUB[model] * E.hub_penalty(a), axis=1)).tolist())[-3:][::-1]
            scores = E.story_scores({model: a}, LEXICAL, E.HUB[model])
            small = [E.sub_bank_recall(a, size, LEXICAL, E.HUB[model]) for size in (3, 8)]
            row += (f"  {label}: R@1 {E.hits(scores, a, 1).mean():.3f} R@3 {E.hits(scores, a, 3).mean():.3f}"
                    f" hubs {counts} 3 stories {small[0]:.2f} 8 stories {small[1]:.2f}")
        print(row)
        # Each calibration corpus is scored by an adapter not trained on it, as a user's bank will be.
        calibration = []
        for other in others:
            rest = [n for n in others if n != other]
            calibration.append(verdict(other, data[other], model, encoder, fit([data[n] for n in rest]))[answered[other]])
        threshold = np.quantile(np.concatenate(calibration), 0.10)
        fits = verdict(held, data[held], model, encoder, adapter)
        unanswerable = behavioural[held] & ~answerable[held]
        print(f"    verdict, threshold {threshold:.2f}: unanswerable rejected {(fits[unanswerable] < threshold).mean():.2f}"
              f" (n={unanswerable.sum()}), answerable rejected {(fits[answered[held]] < threshold).mean():.2f}")
        shipped = CALIBRATION[model].match
        background = E.background_scores(data[held], model, encoder, corpus_of(held), adapter)
        print(f"    small banks, threshold {shipped}:" + E.small_bank_verdicts(
            adapted(data[held], adapter), model, background, shipped, np.random.default_rng(0)))
        # The verdict's settings are chosen for what ships: the adapter only for a model that has one.
        ships = adapter if adapter_path(model).is_file() else None
        a = adapted(data[held], ships)
        if ships is None:
            background = E.background_scores(data[held], model, encoder, corpus_of(held))
        scored[held] = (a, background)
        pooled.append(E.verdict_fit(a, model, background, np.ones(a.dense.shape[1], dtype=bool))[0][answered[held]])
    print(f"  threshold for CALIBRATION (10% of answerable, each corpus scored out of training): "
          f"{np.quantile(np.concatenate(pooled), 0.10):.2f}")
    agreement_settings(model, scored, answered, {n: behavioural[n] & ~answerable[n] for n in data})
    if write:
        adapter = fit([data[n] for n in TUNING])
        adapter_path(model).parent.mkdir(parents=True, exist_ok=True)
        np.save(adapter_path(model), adapter.residual)
        print(f"  wrote {adapter_path(model)}")


# (weight, nearest stories); 1000 stories is the whole bank's coverage, the verdict shipped before
AGREEMENT_GRID = [(2.0, 1000)] + [(w, k) for w in (2.0, 3.0, 4.0, 5.0) for k in (1, 2, 3, 5)]


def agreement_settings(
    model: str,
    scored: dict[str, tuple[E.Arrays, np.ndarray]],
    answered: dict[str, np.ndarray],
    unanswerable: dict[str, np.ndarray],
) -> None:
    """The verdict's agreement weight and number of nearest stories, leaving one corpus out:
    each corpus scored as it ships (mpnet's questions by an adapter not trained on it), the
    threshold rejecting 10% of the other two corpora's answerable questions; full banks and
    random sub-banks. The chosen setting rejects the most unanswerable questions in full
    banks plus, in small ones, the most unanswerable questions less right answers."""
    print("  verdict settings, leave one corpus out: full banks, unanswerable / answerable rejected per corpus;"
          " sub-banks of 2 / 4 / 8 stories, unanswerable rejected and right first rejected (means over corpora)")
    best = (-np.inf, None)
    for setting in AGREEMENT_GRID:
        fits = {n: E.verdict_fit(a, model, bg, np.ones(a.dense.shape[1], dtype=bool), agreement=setting)[0]
                for n, (a, bg) in scored.items()}
        full, small = [], []
        for held, (a, bg) in scored.items():
            t = np.quantile(np.concatenate([fits[n][answered[n]] for n in scored if n != held]), 0.10)
            full.append(((fits[held][unanswerable[held]] < t).mean(), (fits[held][answered[held]] < t).mean()))
            small.append(list(E.small_bank_rejections(a, model, bg, t, np.random.default_rng(0), setting).values()))
        per_corpus = "  ".join(f"{u:.2f} / {r:.2f}" for u, r in full)
        full, small = np.mean(full, axis=0), np.mean(small, axis=0)  # small: size x (unanswerable, right first)
        score = full[0] + np.mean(small[:, 0] - small[:, 1])
        print(f"    weight {setting[0]} nearest {setting[1]:4d}: full {per_corpus}, mean {full[0]:.2f} / {full[1]:.2f};"
              f" small unanswerable {' / '.join(f'{x:.2f}' for x in small[:, 0])},"
              f" right first {' / '.join(f'{x:.2f}' for x in small[:, 1])}; score {score:.3f}")
        best = max(best, (score, setting))
    print(f"  chosen: weight {best[1][0]}, nearest {best[1][1]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", choices=E.MODELS, help="fit this model's adapter on all tuning corpora and save it")
    args = parser.parse_args()
    sets = {qs.name: qs for qs in E.SETS}
    for model in E.MODELS:
        encoder = SentenceTransformerEncoder(model)
        data = {n: E.arrays(sets[n], model, encoder) for n in TUNING}
        report(model, data, encoder, args.write == model)


if __name__ == "__main__":
    main()
