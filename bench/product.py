"""Clustering benchmarks through the product: each text written as a file of its own and `docclean run`
on the folder (a temporary Prefect server, the default workers), then the outcome read back from the
output's Parquet, as a user reads it.

A text's predicted cluster is the article it became or was found a duplicate of; a rejected text is a
cluster of its own. ECB+ topics 2, 5, 12, 18, 21, 23, 34 and 35 are the validation split
(``../shared/data/README.md``); the rest are tuned on.
"""

from __future__ import annotations

import random
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.metrics import cluster_scores

VALIDATION_TOPICS = {2, 5, 12, 18, 21, 23, 34, 35}
_UNSAFE = re.compile(r"[^\w.~+-]")


def run_product(
    rows: list[dict], overrides: list[str], order_seed: int | None = None
) -> dict[str, tuple[str, str, str | None]]:
    """Every row's outcome by its ``doc_id``: (``article``, ``duplicate`` or the reject reason; the
    ``doc_id`` of the article it is or copies; that article's story id). With ``order_seed``, the files'
    names start with their rank in a random order (docclean reads inputs in name order)."""
    import docclean
    from docclean.tasks.config import load_config
    from docclean.tasks.dataset import read_table

    work = Path(tempfile.mkdtemp(prefix="docclean-bench-"))
    try:
        raw = work / "raw"
        raw.mkdir()
        names = {}
        ranks = list(range(len(rows)))
        if order_seed is not None:
            random.Random(order_seed).shuffle(ranks)
        for rank, r in zip(ranks, rows):
            name = f"{_UNSAFE.sub('_', r['doc_id'])}.txt"
            if order_seed is not None:
                name = f"{rank:06d}-{name}"
            names[str(raw / name)] = r["doc_id"]
            (raw / name).write_text(r["text"], encoding="utf-8")
        docclean.run(str(raw), str(work / "out"), config=load_config(overrides))
        out = work / "out"
        articles = read_table(out, "articles").to_pylist()
        by_id = {a["doc_id"]: (names[a["source_uri"]], a["story_id"]) for a in articles}
        outcome: dict[str, tuple[str, str, str | None]] = {}
        for a in articles:
            outcome[names[a["source_uri"]]] = ("article", *by_id[a["doc_id"]])
        for d in read_table(out, "duplicates").to_pylist():
            outcome[names[d["source_uri"]]] = ("duplicate", *by_id[d["duplicate_of"]])
        for j in read_table(out, "rejects").to_pylist():
            own = names[j["source_uri"]]
            outcome[own] = (j["reason"], own, None)
        return outcome
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(
    title: str, rows: list[dict], label: Callable[[dict], str], gold: str, quiet: bool = False
) -> dict[str, dict[str, float]]:
    """Prints (unless ``quiet``) and returns the scores of ``label`` against the ``gold`` field over all
    rows, the tune topics' and the validation topics'."""
    splits = {
        "all": rows,
        "tune": [r for r in rows if int(r["topic"]) not in VALIDATION_TOPICS],
        "validation": [r for r in rows if int(r["topic"]) in VALIDATION_TOPICS],
    }
    show = (lambda *a: None) if quiet else print
    show(title)
    show(f"{'split':<11} {'texts':>6} {'ARI':>7} {'P':>7} {'R':>7} {'F1':>7}")
    scores = {}
    for name, part in splits.items():
        s = scores[name] = cluster_scores([r[gold] for r in part], [label(r) for r in part])
        show(f"{name:<11} {len(part):>6} {s['ari']:>7.4f} {s['precision']:>7.4f} {s['recall']:>7.4f} {s['f1']:>7.4f}")
    return scores
