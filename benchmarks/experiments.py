"""Cross-corpus experiments for matching: every signal as arrays, cached per corpus and model.

    .venv/bin/python benchmarks/experiments.py [--final]

The tuning corpora are the seeds' dev questions and the two corpora in
``matcher/data/background/`` (questions in ``benchmarks/corpora/``); settings are compared by cross-validation over them (folds
grouped by story, so a story's questions never sit on both sides) and, for verdict
thresholds, by leaving one corpus out. ``--final`` also scores the final test sets (the
seeds' test split and ``benchmarks/heldout/``), which must be run rarely: say how often
in the closing note.

Arrays are cached in ``benchmarks/.cache/`` (not committed), keyed by corpus, model and
the question file's hash.
"""

from __future__ import annotations

import argparse
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher import Catalogue, Matcher
from matcher.bench.questions import LabelledQuestion, load_questions
from matcher.embedding.adapter import QuestionAdapter
from matcher.embedding.encoder import SentenceTransformerEncoder
from matcher.index import store
from matcher.index.lexical import LexicalIndex
from matcher.index.store import BACKGROUND_DIR, best_per_story, hub_scores, infer_tags, principle_affinity
from matcher.index.views import story_views
from matcher.index.views import strip_boilerplate
from matcher.ingest import read_corpus
from matcher.search.matching import clean_question
from matcher.search.scoring import CALIBRATION, Lexical, nearest_agreement

HERE = Path(__file__).parent
REPO = HERE.parent
CACHE = HERE / ".cache"
MODELS = ("minilm", "mpnet")


@dataclass(frozen=True)
class QuestionSet:
    """A corpus and one labelled file of questions about it."""

    name: str
    corpus: Path
    questions: Path
    final: bool = False


SETS = (
    QuestionSet("seeds-dev", REPO / "corpus", HERE / "questions" / "dev.jsonl"),
    QuestionSet("backend_sre", BACKGROUND_DIR / "backend_sre", HERE / "corpora" / "backend_sre.jsonl"),
    QuestionSet("product_ops", BACKGROUND_DIR / "product_ops", HERE / "corpora" / "product_ops.jsonl"),
    QuestionSet("seeds-test", REPO / "corpus", HERE / "questions" / "test.jsonl", final=True),
    QuestionSet(
        "heldout", HERE / "heldout" / "data_platform", HERE / "heldout" / "data_platform.jsonl", final=True
    ),
    *(
        QuestionSet(name, HERE / "heldout" / name, HERE / "heldout" / f"{name}.jsonl", final=True)
        for name in ("mobile_games", "support_sa", "quality_terse")
    ),
)

_STOP = set(
    "a an the and or of to in on for with at by from about as is are was were be been you your "
    "me my i we our us it its that this what which who when where why how tell time describe "
    "give example did do does have has had can could would will there their they them".split()
)
_WORD = re.compile(r"[a-z0-9']+")


def overlap(question: str, heading: str) -> float:
    """Jaccard overlap of content words: how much a question reuses its story's heading."""
    a = {w for w in _WORD.findall(question.casefold()) if w not in _STOP}
    b = {w for w in _WORD.findall(heading.casefold()) if w not in _STOP}
    return len(a & b) / len(a | b) if a | b else 0.0


@dataclass
class Arrays:
    """Every per-question, per-story number the experiments need for one set and model."""

    questions: list[LabelledQuestion]
    group_of: np.ndarray  # story -> duplicate group number
    relevant: list[set[int]]  # question -> acceptable groups
    overlap: np.ndarray  # question -> best overlap with an acceptable story's heading
    dense: np.ndarray  # question x story: best view cosine
    lexical: np.ndarray  # question x story: BM25 / best BM25 (see bank_lexical)
    story_texts: list[str]  # as BM25 reads them
    question_texts: list[str]  # cleaned and stripped, as the matcher reads them
    background_texts: list[str]  # the background stories, this corpus's own left out
    hub_dense: np.ndarray  # reference question x story: best view cosine
    tags: np.ndarray  # story x principle
    question_vectors: np.ndarray
    example_vectors: np.ndarray
    example_owner: np.ndarray
    off_topic_vectors: np.ndarray
    principle_labels: list[set[int]]
    view_vectors: np.ndarray
    view_story: np.ndarray  # view -> story


def arrays(qs: QuestionSet, model: str, encoder: SentenceTransformerEncoder) -> Arrays:
    """The arrays of one question set for one model (built, or read from the cache)."""
    index_dir = CACHE / f"index-{qs.corpus.name}-{model}"
    matcher = Matcher.open([qs.corpus], index_dir, notify=lambda _: None, encoder=encoder)
    catalogue = Catalogue.load()
    bank = matcher.index.bank
    questions = load_questions(qs.questions, bank, catalogue)
    stories = bank.stories
    groups = sorted({s.group for s in stories})
    group_number = {g: i for i, g in enumerate(groups)}
    group_of = np.array([group_number[s.group] for s in stories])
    by_id = {s.id: s for s in stories}
    key = hashlib.sha256(qs.questions.read_bytes() + model.encode() + str(matcher.index.manifest.get("reference")).encode()).hexdigest()[:16]
    cached = CACHE / f"{qs.name}-{model}-{key}.npz"
    view_story = np.array([{s.id: i for i, s in enumerate(stories)}[v.story_id] for v in matcher.index.views])
    view_vectors = np.asarray(matcher.index.view_index.vectors)  # ExactSearch: these banks are small
    texts = [strip_boilerplate(clean_question(q.question)) for q in questions]
    if cached.is_file():
        data = dict(np.load(cached))
    else:
        qv = encoder.encode(texts)
        rv = matcher.index.example_vectors  # the reference questions, already embedded
        data = {
            "dense": best_per_story(qv @ view_vectors.T, view_story, len(stories)),
            "hub_dense": best_per_story(rv @ view_vectors.T, view_story, len(stories)),
            "question_vectors": qv,
        }
        CACHE.mkdir(exist_ok=True)
        np.savez(cached, **data)
    names = {n: i for i, n in enumerate(catalogue.names)}
    tags = np.zeros((len(stories), len(names)), dtype=np.float32)
    for i, s in enumerate(stories):
        for p in s.principles:
            if p in names:
                tags[i, names[p]] = 1
    relevant = [{group_number[by_id[s].group] for s in q.stories} for q in questions]
    best_overlap = np.array(
        [max((overlap(q.question, by_id[s].title) for s in q.stories), default=np.nan) for q in questions]
    )
    story_texts = store.story_texts(stories)
    background_texts = [
        text
        for folder in sorted(p for p in BACKGROUND_DIR.iterdir() if p.is_dir() and p.name != qs.corpus.name)
        for text in store.story_texts(read_corpus([folder], catalogue).stories)
    ]
    return Arrays(
        questions=questions,
        group_of=group_of,
        relevant=relevant,
        overlap=best_overlap,
        dense=data["dense"],
        lexical=bank_lexical(story_texts, background_texts, texts),
        story_texts=story_texts,
        question_texts=texts,
        background_texts=background_texts,
        hub_dense=data["hub_dense"],
        tags=tags,
        question_vectors=data["question_vectors"],
        example_vectors=matcher.index.example_vectors,
        example_owner=matcher.index.example_owner,
        off_topic_vectors=matcher.index.off_topic_vectors,
        principle_labels=[{names[p] for p in q.principles} for q in questions],
        view_vectors=view_vectors,
        view_story=view_story,
    )


def bank_lexical(stories: list[str], background: list[str], questions: list[str]) -> np.ndarray:
    """question x story BM25 signal of a bank holding ``stories``, as matcher computes it
    (IDF over the bank and the background, divided by the best of both); the benchmarks
    pass a background without the bank's own corpus, which the shipped one holds."""
    scorer = Lexical(LexicalIndex.build(stories, background), len(stories))
    return np.array([scorer.scores(q) for q in questions])


def group_max(scores: np.ndarray, group_of: np.ndarray) -> np.ndarray:
    """question x story scores -> question x group, a group scoring as its best story."""
    out = np.full((scores.shape[0], group_of.max() + 1), -np.inf, dtype=np.float64)
    for g in range(out.shape[1]):
        out[:, g] = scores[:, group_of == g].max(axis=1)
    return out


def hits(scores: np.ndarray, a: Arrays, k: int = 1) -> np.ndarray:
    """Per answerable question: 1.0 when an acceptable group is in the top ``k`` (ties pessimistic)."""
    grouped = group_max(scores, a.group_of)
    out = []
    for i, rel in enumerate(a.relevant):
        if not rel:
            continue
        best_right = max(grouped[i, g] for g in rel)
        better_wrong = sum(1 for g in range(grouped.shape[1]) if g not in rel and grouped[i, g] >= best_right)
        out.append(float(better_wrong < k))
    return np.array(out)


def story_folds(a: Arrays, k: int, seed: int = 0) -> np.ndarray:
    """A fold number per question; the questions of one story group share a fold."""
    rng = np.random.default_rng(seed)
    keys = [min(rel) if rel else -1 - i for i, rel in enumerate(a.relevant)]
    unique = sorted(set(keys))
    order = rng.permutation(len(unique))
    fold_of_key = {key: int(order[j] % k) for j, key in enumerate(unique)}
    return np.array([fold_of_key[key] for key in keys])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--final", action="store_true", help="also score the final test sets")
    args = parser.parse_args()
    sets = [s for s in SETS if args.final or not s.final]
    data: dict[tuple[str, str], Arrays] = {}
    for model in MODELS:
        encoder = SentenceTransformerEncoder(model)
        for qs in sets:
            if qs.questions.is_file():
                data[(qs.name, model)] = arrays(qs, model, encoder)
    report(data, sets)


def hub_penalty(a: Arrays) -> np.ndarray:
    """Per story: the index's hub score (CSLS's r_s), from the cached reference cosines."""
    return hub_scores(a.hub_dense)


def story_scores(parts: dict[str, Arrays], lexical: float, hub: float) -> np.ndarray:
    """The ranking score of one configuration; ``parts`` maps model -> arrays of one set."""
    dense = np.mean([x.dense - hub * hub_penalty(x) for x in parts.values()], axis=0)
    first = next(iter(parts.values()))
    return dense + lexical * first.lexical


# What matcher ships (matcher/search/scoring.py): mpnet, BM25 weight 0.3, hubness weight 0.5.
SHIPPED = (("mpnet",), 0.3, 0.5)
CONFIGS = [
    (models, lexical, hub)
    for models in (("minilm",), ("mpnet",), ("minilm", "mpnet"))
    for lexical in (0.0, 0.05, 0.1, 0.2, 0.3)
    for hub in (0.0, 0.25, 0.5, 0.75)
]


def report(data: dict[tuple[str, str], Arrays], sets: list[QuestionSet]) -> None:
    """Print the comparison tables (see the module docstring)."""
    names = [s.name for s in sets if (s.name, "minilm") in data]
    tuning = [s.name for s in sets if not s.final and (s.name, "minilm") in data]

    def parts(name: str, models: tuple[str, ...]) -> dict[str, Arrays]:
        return {m: data[(name, m)] for m in models}

    print("== Recall@1 / @3 per question set (answerable questions) ==")
    print(f"{'config':34}" + "".join(f"{n:>18}" for n in names))
    for models, lexical, hub in CONFIGS:
        if hub not in (0.0, 0.5) or lexical not in (0.0, 0.1, 0.3):
            continue
        row = f"{'+'.join(models) + f' lex {lexical} hub {hub}':34}"
        for n in names:
            s = story_scores(parts(n, models), lexical, hub)
            row += f"{hits(s, data[(n, 'minilm')], 1).mean():>11.3f}/{hits(s, data[(n, 'minilm')], 3).mean():.3f}"
        print(row)

    print("\n== Cross-validation over the tuning sets (5 folds grouped by story, 3 seeds) ==")
    per_config = {}
    for config in CONFIGS:
        per_config[config] = np.concatenate(
            [hits(story_scores(parts(n, config[0]), config[1], config[2]), data[(n, "minilm")]) for n in tuning]
        )
    outcomes = []
    for seed in range(3):
        folds = np.concatenate([
            story_folds(data[(n, "minilm")], 5, seed)[[bool(r) for r in data[(n, "minilm")].relevant]]
            for n in tuning
        ])
        for f in range(5):
            train, test = folds != f, folds == f
            best = max(CONFIGS, key=lambda c: per_config[c][train].mean())
            outcomes.append((per_config[best][test].mean(), best))
    scores = np.array([o[0] for o in outcomes])
    chosen = max(CONFIGS, key=lambda c: per_config[c].mean())
    print(f"selected by CV: R@1 {scores.mean():.3f} ± {scores.std():.3f} (15 folds); "
          f"choices: {sorted({str(o[1]) for o in outcomes})}")
    print(f"chosen on all tuning questions: {chosen} (R@1 {per_config[chosen].mean():.3f})")
    family_best = [
        max((c for c in CONFIGS if c[0] == models), key=lambda c: per_config[c].mean())
        for models in (("minilm",), ("mpnet",), ("minilm", "mpnet"))
    ]
    for config in [(("minilm",), 0.3, 0.0), (("mpnet",), 0.0, 0.0), SHIPPED, *family_best]:
        fold_scores = []
        for seed in range(3):
            folds = np.concatenate([
                story_folds(data[(n, "minilm")], 5, seed)[[bool(r) for r in data[(n, "minilm")].relevant]]
                for n in tuning
            ])
            fold_scores += [per_config[config][folds == f].mean() for f in range(5)]
        print(f"  {str(config):40} fold R@1 {np.mean(fold_scores):.3f} ± {np.std(fold_scores):.3f}")

    print(f"\n== Recall@1 by word overlap with the gold heading (shipped: {SHIPPED}) ==")
    for n in names:
        a = data[(n, "minilm")]
        s = story_scores(parts(n, SHIPPED[0]), SHIPPED[1], SHIPPED[2])
        h = hits(s, a)
        ov = a.overlap[[bool(r) for r in a.relevant]]
        bands = [("0", ov == 0), ("(0,0.2]", (ov > 0) & (ov <= 0.2)), (">0.2", ov > 0.2)]
        print(f"  {n:14}" + "".join(f"  {label} n={m.sum():3d} R@1 {h[m].mean() if m.any() else float('nan'):.3f}" for label, m in bands))

    print("\n== Hubs: how often the three most frequent stories are first for the 546 reference questions ==")
    for n in names:
        counts = {}
        for label, models, hub in (("minilm", ("minilm",), 0.0), ("mpnet", ("mpnet",), 0.0),
                                   ("mpnet, hub 0.5 (shipped)", ("mpnet",), 0.5), ("chosen", chosen[0], chosen[2])):
            scores = np.mean([data[(n, m)].hub_dense - hub * hub_penalty(data[(n, m)]) for m in models], axis=0)
            counts[label] = sorted(np.bincount(np.argmax(scores, axis=1)).tolist())[-3:][::-1]
        print(f"  {n:14} {data[(n, 'minilm')].dense.shape[1]:3d} stories: " + "; ".join(f"{k} {v}" for k, v in counts.items()))

    principle_report(data, names)
    principle_detail(data, tuning)
    small_bank_ranking(data, tuning)
    for models in (("minilm",), ("mpnet",)):
        verdict_report(data, names, tuning, models)
    untagged_banks(data, names)


def principle_scores(a: Arrays, method: str) -> np.ndarray:
    """question x principle scores from the question vector alone."""
    q, e, owner = a.question_vectors, a.example_vectors, a.example_owner
    n = owner.max() + 1
    sims = q @ e.T
    if method == "top3":
        return principle_affinity(sims.T, owner, n)
    if method == "centroid":
        c = np.stack([e[owner == p].mean(axis=0) for p in range(n)])
        c /= np.linalg.norm(c, axis=1, keepdims=True)
        return q @ c.T
    if method == "knn":
        out = np.zeros((len(q), n))
        top = np.argsort(-sims, axis=1)[:, :15]
        for i in range(len(q)):
            for j in top[i]:
                out[i, owner[j]] += sims[i, j]
        return out
    if method == "logreg":
        w = _softmax_regression(e, owner, n)
        return np.c_[q, np.ones(len(q))] @ w
    raise ValueError(method)


def _softmax_regression(x: np.ndarray, y: np.ndarray, n: int, l2: float = 1e-3, steps: int = 300) -> np.ndarray:
    x = np.c_[x, np.ones(len(x))]
    w = np.zeros((x.shape[1], n))
    onehot = np.eye(n)[y]
    for _ in range(steps):
        z = x @ w * 10
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        w -= 0.5 * (x.T @ (p - onehot) * 10 / len(x) + l2 * w)
    return w


def principle_report(data: dict[tuple[str, str], Arrays], names: list[str]) -> None:
    print("\n== Principles from the question alone: top-1 / top-3 ==")
    for model in MODELS:
        for method in ("top3", "centroid", "knn", "logreg"):
            row = f"  {model:7}{method:9}"
            for n in names:
                a = data[(n, model)]
                labelled = [i for i, p in enumerate(a.principle_labels) if p]
                s = principle_scores(a, method)[labelled]
                order = np.argsort(-s, axis=1)
                t1 = np.mean([order[j, 0] in a.principle_labels[i] for j, i in enumerate(labelled)])
                t3 = np.mean([bool(set(order[j, :3]) & a.principle_labels[i]) for j, i in enumerate(labelled)])
                row += f"  {n} {t1:.3f}/{t3:.3f}"
            print(row)


def principle_detail(data: dict[tuple[str, str], Arrays], names: list[str], model: str = "mpnet") -> None:
    """Top-1/top-3 per principle and the most frequent confusions, pooled over ``names``."""
    from collections import Counter

    catalogue = Catalogue.load()
    per: dict[int, list[tuple[bool, bool]]] = {}
    confusions: Counter = Counter()
    for n in names:
        a = data[(n, model)]
        order = np.argsort(-principle_scores(a, "top3"), axis=1)
        for i, labels in enumerate(a.principle_labels):
            for p in labels:
                per.setdefault(p, []).append((order[i, 0] in labels, bool(set(order[i, :3]) & labels)))
            if labels and order[i, 0] not in labels:
                confusions[(catalogue.names[min(labels)], catalogue.names[order[i, 0]])] += 1
    print(f"\n== Principles per principle ({model}, top-3 mean of examples; {', '.join(names)}) ==")
    for p, rows in sorted(per.items(), key=lambda kv: catalogue.names[kv[0]]):
        t1, t3 = np.mean([r[0] for r in rows]), np.mean([r[1] for r in rows])
        print(f"  {catalogue.names[p]:46} n={len(rows):3d} top-1 {t1:.2f} top-3 {t3:.2f}")
    print("  most frequent confusions (labelled -> predicted first):")
    for (truth, guess), count in confusions.most_common(8):
        print(f"    {count:3d}  {truth} -> {guess}")


def background_scores(
    a: Arrays, model: str, encoder: SentenceTransformerEncoder, corpus: Path, adapter: QuestionAdapter | None = None
) -> np.ndarray:
    """question x background story ``dense - hub``, leaving out ``corpus``'s own stories
    (the shipped background holds the two tuning corpora); questions and examples pass
    through ``adapter`` when one is given."""
    questions, examples = a.question_vectors, a.example_vectors
    if adapter is not None:
        questions, examples = adapter(questions), adapter(examples)
    parts = []
    for folder in sorted(p for p in BACKGROUND_DIR.iterdir() if p.is_dir() and p.name != corpus.name):
        stories = read_corpus([folder]).stories
        views = [v for story in stories for v in story_views(story)]
        cached = CACHE / f"background-{folder.name}-{model}-{len(views)}.npy"
        if not cached.is_file():
            np.save(cached, encoder.encode([v.text for v in views]))
        vectors = np.load(cached)
        owner = np.array([{s.id: i for i, s in enumerate(stories)}[v.story_id] for v in views])
        hub = hub_scores(best_per_story(examples @ vectors.T, owner, len(stories)))
        parts.append(best_per_story(questions @ vectors.T, owner, len(stories)) - HUB[model] * hub)
    return np.concatenate(parts, axis=1)


HUB = {"minilm": 0.75, "mpnet": 0.5}


def small_bank_ranking(data: dict[tuple[str, str], Arrays], tuning: list[str], model: str = "mpnet") -> None:
    """Recall@1 in random sub-banks (30 per size) for the shipped ranking and without its
    hub correction or BM25: does a correction chosen on full banks hurt a small one?"""
    print(f"\n== Small banks: right story first, {model}, answerable questions whose story was kept ==")
    for label, lexical, hub in (("shipped", 0.3, HUB[model]), ("no hub", 0.3, 0.0), ("no BM25", 0.0, HUB[model])):
        row = f"  {label:8}"
        for size in (3, 8):
            found = [f"{sub_bank_recall(data[(n, model)], size, lexical, hub):.2f}" for n in tuning]
            row += f"  {size} stories: {' / '.join(found)}"
        print(row + f"   ({' / '.join(tuning)})")


def sub_bank_recall(a: Arrays, size: int, lexical: float, hub: float) -> float:
    """Right story first in 30 random sub-banks of ``size`` stories (questions whose story
    was kept), BM25 rebuilt for each sub-bank as matcher would build it."""
    rng, right = np.random.default_rng(1), []
    for _ in range(30):
        keep = np.zeros(a.dense.shape[1], dtype=bool)
        keep[rng.choice(len(keep), size, replace=False)] = True
        kept_texts = [a.story_texts[i] for i in np.flatnonzero(keep)]
        bm25 = bank_lexical(kept_texts, a.background_texts, a.question_texts) if lexical else 0.0
        scores = a.dense[:, keep] - hub * hub_penalty(a)[keep] + lexical * bm25
        top = np.flatnonzero(keep)[scores.argmax(axis=1)]
        kept = set(a.group_of[keep])
        right += [a.group_of[t] in r for t, r in zip(top, a.relevant) if r & kept]
    return float(np.mean(right))


def verdict_report(data, names, tuning, models) -> None:
    """The shipped verdict score, ``standout`` over the candidate's and the background
    stories plus the agreement weight x agreement, with a threshold rejecting 10% of the
    answerable questions of the other corpora (leave one corpus out)."""
    model = models[0]
    print(f"\n== 'No prepared story fits' (behavioural questions), {model}, leave one corpus out ==")
    encoder = SentenceTransformerEncoder(model)
    corpus_of = {qs.name: qs.corpus for qs in SETS}
    background = {n: background_scores(data[(n, model)], model, encoder, corpus_of[n]) for n in names}
    stats = {}
    for n in names:
        a = data[(n, model)]
        fit, _ = verdict_fit(a, model, background[n], np.ones(a.dense.shape[1], dtype=bool))
        behavioural = np.array([q.behavioural for q in a.questions])
        answerable = np.array([q.answerable for q in a.questions])
        stats[n] = (behavioural, answerable, fit)
    pooled = np.concatenate([stats[n][2][stats[n][0] & stats[n][1]] for n in tuning])
    print(f"  threshold on all tuning sets {np.quantile(pooled, 0.10):.3f}")
    for n in names:
        held = corpus_of[n]
        train = [m for m in tuning if corpus_of[m] != held]
        t = np.quantile(np.concatenate([stats[m][2][stats[m][0] & stats[m][1]] for m in train]), 0.10)
        b, ans, fit = stats[n]
        print(f"    held out {n:12} threshold {t:.3f}: unanswerable rejected {(fit[b & ~ans] < t).mean():.2f} "
              f"(n={(b & ~ans).sum()}), answerable rejected {(fit[b & ans] < t).mean():.2f}")
    shipped = CALIBRATION[model].match
    print(f"  small banks: random sub-banks of a tuning corpus (20 each), threshold {shipped}; a question")
    print("  whose stories were all left out counts as unanswerable; 'right first' = answerable questions")
    print("  whose story is first both in the sub-bank and in the full bank")
    rng = np.random.default_rng(0)
    for n in tuning:
        print(f"    {n:12}" + small_bank_verdicts(data[(n, model)], model, background[n], shipped, rng))


def small_bank_verdicts(
    a: Arrays, model: str, background: np.ndarray, threshold: float, rng, agreement: tuple[float, int] | None = None
) -> str:
    """Verdicts in 20 random sub-banks per size, as one printable row (see verdict_report)."""
    rejected = small_bank_rejections(a, model, background, threshold, rng, agreement)
    return "".join(
        f"  {size} stories: unanswerable rejected {unanswerable:.2f}, right first rejected {right:.2f}"
        for size, (unanswerable, right) in rejected.items()
    )


def small_bank_rejections(
    a: Arrays, model: str, background: np.ndarray, threshold: float, rng, agreement: tuple[float, int] | None = None
) -> dict[int, tuple[float, float]]:
    """Per sub-bank size (2, 4, 8 stories; 20 random sub-banks each): the share of
    unanswerable questions rejected and of answerable ones whose story comes first (in the
    sub-bank and in the full bank) rejected."""
    b = np.array([q.behavioural for q in a.questions])
    full_fit, full_top = verdict_fit(a, model, background, np.ones(a.dense.shape[1], dtype=bool), agreement=agreement)
    right_in_full = np.array([a.group_of[t] in r for t, r in zip(full_top, a.relevant)])
    out = {}
    for size in (2, 4, 8):
        unanswerable, right = [], []
        for _ in range(20):
            keep = np.zeros(a.dense.shape[1], dtype=bool)
            keep[rng.choice(len(keep), size, replace=False)] = True
            fit, top = verdict_fit(a, model, background, keep, agreement=agreement)
            kept_groups = set(a.group_of[keep])
            answerable = np.array([bool(r & kept_groups) for r in a.relevant])
            first = np.array([a.group_of[t] in r for t, r in zip(top, a.relevant)])
            unanswerable += list(fit[b & ~answerable] < threshold)
            right += list(fit[b & answerable & first & right_in_full] < threshold)
        out[size] = (float(np.mean(unanswerable)), float(np.mean(right)))
    return out


def untagged_banks(data: dict[tuple[str, str], Arrays], names: list[str], model: str = "mpnet") -> None:
    """The shipped verdict on each corpus as written, with its principle tags removed, and
    with tags inferred for the untagged stories (``matcher.index.store.infer_tags``)."""
    threshold = CALIBRATION[model].match
    print(f"\n== Untagged banks: 'no prepared story fits', {model}, threshold {threshold} (unanswerable / answerable rejected) ==")
    encoder = SentenceTransformerEncoder(model)
    corpus_of = {qs.name: qs.corpus for qs in SETS}
    for n in names:
        a = data[(n, model)]
        background = background_scores(a, model, encoder, corpus_of[n])
        behavioural = np.array([q.behavioural for q in a.questions])
        answerable = np.array([q.answerable for q in a.questions])
        untagged = np.zeros_like(a.tags)
        row = f"  {n:12} {a.tags.sum(axis=1).mean():.2f} tags per story:"
        for label, tags in (("as written", a.tags), ("tags removed", untagged),
                            ("inferred", infer_tags(untagged, a.hub_dense, a.example_owner)[0])):
            fit, _ = verdict_fit(a, model, background, np.ones(a.dense.shape[1], dtype=bool), tags)
            row += (f"  {label} {(fit[behavioural & ~answerable] < threshold).mean():.2f}"
                    f" / {(fit[behavioural & answerable] < threshold).mean():.2f}")
        print(row)


def verdict_fit(
    a: Arrays,
    model: str,
    background: np.ndarray,
    keep: np.ndarray,
    tags: np.ndarray | None = None,
    agreement: tuple[float, int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per question, the verdict's fit over the stories in ``keep`` (with ``tags``, by
    default the written ones, and ``agreement`` = (weight, nearest stories), by default
    the model's shipped ``CALIBRATION``), and its best story (index into all)."""
    weight, stories = agreement or (CALIBRATION[model].agreement_weight, CALIBRATION[model].nearest)
    own = (a.dense - HUB[model] * hub_penalty(a))[:, keep]
    population = np.c_[own, background]
    standout = (own.max(axis=1) - np.median(population, axis=1)) / np.maximum(population.std(axis=1), 0.02)
    probabilities = np.exp((principle_scores(a, "top3") - 1) / 0.05)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    tagged = (a.tags if tags is None else tags)[keep]
    fit = standout + weight * nearest_agreement(own, tagged, probabilities, stories)
    return fit, np.flatnonzero(keep)[own.argmax(axis=1)]


if __name__ == "__main__":
    main()
