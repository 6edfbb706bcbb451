"""Clustering metrics for the benchmarks: adjusted Rand index and pairwise precision/recall/F1."""

from __future__ import annotations

from collections import Counter
from math import comb


def _pairs(counts: Counter) -> int:
    return sum(comb(n, 2) for n in counts.values())


def cluster_scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    """ARI (Hubert and Arabie) and pairwise P/R/F1 of ``pred`` against ``gold`` labels of the same items."""
    assert len(gold) == len(pred)
    n = len(gold)
    both = _pairs(Counter(zip(gold, pred)))
    gold_pairs = _pairs(Counter(gold))
    pred_pairs = _pairs(Counter(pred))
    total = comb(n, 2)
    expected = gold_pairs * pred_pairs / total if total else 0.0
    maximum = (gold_pairs + pred_pairs) / 2
    ari = (both - expected) / (maximum - expected) if maximum != expected else 1.0
    precision = both / pred_pairs if pred_pairs else 1.0
    recall = both / gold_pairs if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"ari": ari, "precision": precision, "recall": recall, "f1": f1}
