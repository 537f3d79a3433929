"""Voice engine benchmark: sentiment quality against two baselines, language detection, speed.

    .venv/bin/python bench/voice.py [--texts 100000] [--throughput 20000]

Needs no database. Prints macro-F1 per language on bench/data/voice_eval.csv (600 hand-labelled texts)
for the majority class, a plain lexicon count, the engine's lexicon and the engine with its learner
(trained on synthetic weakly labelled history, see bench/voice_corpus.py); language detection accuracy;
sentiment + topic assignment in texts/s on one core (goal ≥ 1,000/s) and the topic rebuild time for
100,000 texts (goal ≤ 60 s). Exits non-zero when a speed goal is missed.
"""

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # one core, also for numpy/scikit-learn

import argparse  # noqa: E402
import csv  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.voice_corpus import generate  # noqa: E402
from voice.analysis import SentimentModel, TopicModel, analyse, detect_language  # noqa: E402
from voice.analysis.sentiment import LABELS, plain_count  # noqa: E402

DATA = common.BASE_DIR / "bench" / "data"
GOAL_PER_S, GOAL_REBUILD_S = 1000, 60


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(t == p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(p == label != t for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label != p for t, p in zip(truth, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def read(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100_000, help="texts for the topic rebuild")
    parser.add_argument("--throughput", type=int, default=20_000, help="texts for the throughput run")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    rows = read("voice_eval.csv")
    history = generate(5000, seed=7, noise=0.2)  # weak labels: a fifth contradict the text
    learner = SentimentModel().fit(
        [t for t, _, _ in history], [lang for _, lang, _ in history], [x for *_, x in history]
    )
    quality = {}
    print(f"sentiment, macro-F1 on {len(rows)} hand-labelled texts (bench/data/voice_eval.csv)")
    print(f"{'language':<9} {'n':>4} {'majority':>9} {'plain count':>12} {'engine':>8} {'+ learner':>10}")
    for language in ("de", "en"):
        subset = [r for r in rows if r["language"] == language]
        truth = [r["label"] for r in subset]
        texts = [r["text"] for r in subset]
        majority = Counter(truth).most_common(1)[0][0]
        result = {
            "n": len(subset),
            "majority": macro_f1(truth, [majority] * len(truth)),
            "plain_count": macro_f1(truth, [plain_count(t, language).label for t in texts]),
            "engine": macro_f1(truth, [analyse(t, language).label for t in texts]),
            "engine_learner": macro_f1(truth, [s.label for s in learner.predict(texts, [language] * len(texts))]),
        }
        quality[language] = {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}
        print(
            f"{language:<9} {len(subset):>4} {result['majority']:>9.3f} {result['plain_count']:>12.3f} "
            f"{result['engine']:>8.3f} {result['engine_learner']:>10.3f}"
        )

    started = time.perf_counter()
    correct = sum(detect_language(r["text"]) == r["language"] for r in rows)
    detect_per_s = len(rows) / (time.perf_counter() - started)
    print(f"language detection: {correct}/{len(rows)} = {correct / len(rows):.1%} correct, {detect_per_s:,.0f} texts/s")

    corpus = generate(args.texts, seed=14)
    texts, languages = [t for t, _, _ in corpus], [lang for _, lang, _ in corpus]
    model = TopicModel()
    started = time.perf_counter()
    topics = model.rebuild(texts, languages)
    rebuild_s = time.perf_counter() - started
    print(f"topic rebuild: {len(texts):,} texts in {rebuild_s:.1f} s, {len(topics)} topics (goal ≤ {GOAL_REBUILD_S} s)")
    print("  largest: " + ", ".join(f"{t.label} ({t.count:,})" for t in topics[:8]))

    fresh = generate(args.throughput, seed=15) + [(r["text"], r["language"], r["label"]) for r in rows]
    started = time.perf_counter()
    for text, language, _ in fresh:
        analyse(text, language)
        model.assign(text, language)
    per_s = len(fresh) / (time.perf_counter() - started)
    started = time.perf_counter()
    learner.predict([t for t, _, _ in fresh], [lang for _, lang, _ in fresh])
    learner_per_s = len(fresh) / (time.perf_counter() - started)
    print(f"sentiment + topic assignment: {per_s:,.0f} texts/s on one core (goal ≥ {GOAL_PER_S:,}/s)")
    print(f"learner (lexicon + model, batches): {learner_per_s:,.0f} texts/s on one core")

    met = per_s >= GOAL_PER_S and rebuild_s <= GOAL_REBUILD_S
    common.record(
        "voice",
        {
            "quality": quality,
            "language_accuracy": round(correct / len(rows), 4),
            "texts_per_s": round(per_s),
            "learner_texts_per_s": round(learner_per_s),
            "rebuild_texts": len(texts),
            "rebuild_s": round(rebuild_s, 2),
            "topics": len(topics),
            "met": met,
        },
    )
    if not met:
        sys.exit("voice: a speed goal was missed")


if __name__ == "__main__":
    main()
