"""Train the plain-text line model (``tasks/models/line_model.txt``) on the tune sets.

Each tune page's visible text (as ``bench/extraction.py`` renders it for the plain-text mode) goes
through the cleaner's rules; every line the rules leave is labelled by the gold article (in it, or not)
and described by ``tasks.linemodel.line_features``. A LightGBM classifier with a fixed seed is fitted
on them and saved as text. Validation sets are never read.

    python bench/train_line_model.py [--out tasks/models/line_model.txt] [--rounds 200]

Prints the number of lines, the cross-validated (by page) accuracy at the 0.5 threshold, and seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lightgbm  # noqa: E402
import numpy as np  # noqa: E402

from bench.extraction import SETS, load_pages  # noqa: E402
from docclean.tasks.boilerplate import context_classes, rule_pass  # noqa: E402
from docclean.tasks.config import Config  # noqa: E402
from docclean.tasks.language import detect_language  # noqa: E402
from docclean.tasks.linemodel import FEATURES, MODEL_PATH, line_features  # noqa: E402
from docclean.tasks.text import normalize, tokens, word_count  # noqa: E402
from docclean.tasks.visible import visible_text  # noqa: E402

PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": 7,
    "deterministic": True,
    "num_threads": 2,
    "verbose": -1,
}


def _trigrams(words: list[str]) -> set[tuple[str, ...]]:
    return set(zip(words, words[1:], words[2:]))


def in_gold(line: str, gold_trigrams: set[tuple[str, ...]], gold_lines: set[str]) -> bool:
    """A line belongs to the article when most of its word trigrams are the gold's (the gold may split or
    join paragraphs differently, or drop a footnote mark), or, for a short line of under six words, when
    the gold holds it as a line of its own (a short label may occur inside the gold's sentences)."""
    words = tokens(line)
    if len(words) < 6:
        return normalize(line) in gold_lines
    grams = _trigrams(words)
    return len(grams & gold_trigrams) >= 0.5 * len(grams)


def page_rows(text: str, gold_text: str, cfg: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and weights (words: the benchmark scores words, not lines) of a text's lines."""
    _, lines, why = rule_pass(text, cfg.boilerplate)
    if not lines:
        return np.zeros((0, len(FEATURES)), dtype=np.float32), np.zeros(0), np.zeros(0)
    stops, initial, final = context_classes(lines, why, detect_language(text, cfg.language)[0], cfg.boilerplate)
    features = line_features(lines, why, stops, initial, final)
    gold = _trigrams(tokens(gold_text))
    gold_lines = {normalize(line) for line in gold_text.splitlines() if line.strip()}
    labels = np.array([in_gold(line, gold, gold_lines) for line in lines], dtype=np.float32)
    keep = np.array([i not in why for i in range(len(lines))])  # the model judges what the rules left
    words = np.array([word_count(line) for line in lines], dtype=np.float32)
    return features[keep], labels[keep], words[keep]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    start = time.perf_counter()
    cfg = Config()
    rows, labels, weights, groups = [], [], [], []
    for name, (_, _, role) in SETS.items():
        if role != "tune":
            continue
        for page in load_pages(None, name):
            x, y, w = page_rows(visible_text(page.html), page.gold["main_content"] or "", cfg)
            rows.append(x), labels.append(y), weights.append(w), groups.append(np.full(len(y), len(groups)))
    x, y, w, group = np.vstack(rows), np.concatenate(labels), np.concatenate(weights), np.concatenate(groups)
    print(f"{len(y)} lines from {len(rows)} tune pages, {y.mean():.1%} in the gold")
    folds = group % 5  # by page: a page's lines are never split between training and testing
    right = 0
    for fold in range(5):
        test = folds == fold
        data = lightgbm.Dataset(x[~test], y[~test], weight=w[~test], feature_name=list(FEATURES))
        model = lightgbm.train(PARAMS, data, num_boost_round=args.rounds)
        right += float((((model.predict(x[test]) >= 0.5) == (y[test] == 1)) * w[test]).sum())
    print(f"5-fold accuracy by page, of words: {right / w.sum():.4f}")
    context = x[:, FEATURES.index("context_class")] > 0  # jusText's verdict on the same lines
    print(f"jusText's context classifier on the same lines: {((context == (y == 1)) * w).sum() / w.sum():.4f}")
    data = lightgbm.Dataset(x, y, weight=w, feature_name=list(FEATURES))
    model = lightgbm.train(PARAMS, data, num_boost_round=args.rounds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save_model(str(args.out))
    print(f"saved {args.out} ({args.out.stat().st_size / 1024:.0f} KiB) in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
