"""A trained line classifier for plain text: is this line of a page's text part of its article?

Each line is described by shallow features of itself and of its neighbours, in the manner of
boilerpipe (Kohlschütter et al., 2010) and jusText: its length, function-word density in the text's
language, sentence punctuation, capitalisation, position, how many of its content words the rest of
the text shares, whether it repeats, what the single-line rules said of it, and jusText's context
verdict. A gradient-boosted tree model (LightGBM), trained by ``bench/train_line_model.py`` on the
tune sets' visible text with lines labelled by the gold article, turns them into a probability.
The model file ships in the package and is loaded offline; prediction is deterministic.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np

from docclean.tasks.density import BAD, GOOD, NEARGOOD, SHORT, stop_density
from docclean.tasks.records import LineReason
from docclean.tasks.text import content_terms, is_sentence, normalize, tokens

MODEL_PATH = Path(__file__).resolve().parent / "models" / "line_model.txt"

# the reasons the single-line and structural rules give before the model runs, as features
RULE_REASONS = (
    LineReason.HASHTAGS, LineReason.BYLINE, LineReason.CONSENT, LineReason.PROMPT, LineReason.RELATED_LINK,
    LineReason.SHARE, LineReason.DISCLOSURE, LineReason.CAPTION, LineReason.DATELINE, LineReason.NAVIGATION,
    LineReason.COMMENTS, LineReason.RELATED_TAIL, LineReason.TITLE, LineReason.UNRELATED_HEADLINES,
)  # fmt: skip
_CONTEXT = {GOOD: 1.0, NEARGOOD: 0.66, SHORT: 0.33, BAD: 0.0}
_OWN = (
    "log_chars", "words", "stop_density", "sentence", "upper_start", "title_case", "digits", "punctuation",
    "shared_terms", "repeated", "initial_class", "context_class", "is_rule",
)  # fmt: skip
_NEIGHBOURS = (-2, -1, 1, 2)
_FROM_NEIGHBOUR = ("log_chars", "stop_density", "sentence", "shared_terms", "context_class", "is_rule")
FEATURES = (
    *_OWN,
    "position",
    "prose_before",
    "prose_after",
    *(f"rule_{reason}" for reason in RULE_REASONS),
    *(f"{name}@{step:+d}" for step in _NEIGHBOURS for name in _FROM_NEIGHBOUR),
)


def line_features(
    lines: list[str],
    why: dict[int, LineReason],
    stops: frozenset[str],
    initial: list[str],
    final: list[str],
) -> np.ndarray:
    """One row of ``FEATURES`` per line. ``why`` holds the rules' reasons; ``initial`` and ``final`` are
    jusText's classes of each line alone and after its context rules."""
    n = len(lines)
    toks = [tokens(line) for line in lines]
    terms = [content_terms(line) for line in lines]
    frequency: Counter[str] = Counter(term for line_terms in terms for term in line_terms)
    keys = Counter(normalize(line) for line in lines)
    own = np.zeros((n, len(_OWN)), dtype=np.float32)
    for i, line in enumerate(lines):
        words = toks[i]
        capitalised = sum(1 for word in line.split() if word[:1].isupper())
        own[i] = (
            math.log1p(len(line)),
            len(words),
            stop_density(line, stops) if stops else -1.0,
            is_sentence(line),
            line[:1].isupper(),
            capitalised / max(len(line.split()), 1),
            sum(ch.isdigit() for ch in line) / len(line),
            sum(not ch.isalnum() and not ch.isspace() for ch in line) / len(line),
            sum(frequency[t] > 1 for t in terms[i]) / len(terms[i]) if terms[i] else 0.0,
            keys[normalize(line)] > 1,
            _CONTEXT[initial[i]],
            _CONTEXT[final[i]],
            i in why,
        )
    prose = [own[i, 3] and len(lines[i]) >= 70 and i not in why for i in range(n)]
    first = next((i for i in range(n) if prose[i]), n)
    last = next((i for i in reversed(range(n)) if prose[i]), -1)
    place = np.array([[i / max(n - 1, 1), i < first, i > last] for i in range(n)], dtype=np.float32).reshape(n, 3)
    rules = np.array([[why.get(i) == reason for reason in RULE_REASONS] for i in range(n)], dtype=np.float32).reshape(
        n, len(RULE_REASONS)
    )
    picked = [_OWN.index(name) for name in _FROM_NEIGHBOUR]
    padding = np.full((1, len(picked)), -1.0, dtype=np.float32)
    columns = []
    for step in _NEIGHBOURS:
        shifted = np.vstack([padding] * abs(step) + [own[:, picked]] + [padding] * abs(step))
        start = abs(step) + step
        columns.append(shifted[start : start + n])
    return np.hstack([own, place, rules, *columns])


@cache
def _booster():
    import lightgbm  # imported on first use: only plain-text cleaning needs it

    return lightgbm.Booster(model_file=str(MODEL_PATH))


def content_probability(features: np.ndarray) -> np.ndarray:
    """The model's probability that each line belongs to the article."""
    if len(features) == 0:
        return np.zeros(0)
    return _booster().predict(features, num_threads=1)
