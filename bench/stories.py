"""Same-story clustering on ../shared/data/stories-dev.jsonl: ARI, pairwise P/R/F1, over all articles,
the tune topics and the validation topics.

By default through the product (``bench/product.py``): every article a file, `docclean run`, each
article's story read from the output (a duplicate's is its article's, a rejected text is alone).
``--stages`` calls the story stage directly on the texts as given (seconds, for trying settings).

``--shuffles N`` runs the product N more times with the files named in random orders and prints the
spread of each split's ARI (the stories must not depend on the order inputs come in).

    python bench/stories.py [--data PATH] [--stages] [--shuffles 8] [--set stories.threshold=0.3 ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.metrics import cluster_scores  # noqa: E402
from bench.product import report, run_product  # noqa: E402
from docclean.tasks.config import Config, load_config  # noqa: E402
from docclean.tasks.records import Document  # noqa: E402
from docclean.tasks.stories import assign_stories  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "stories-dev.jsonl"


def evaluate(rows: list[dict], cfg: Config) -> tuple[dict[str, float], str]:
    """Scores against the gold stories, and a line of counts and speed."""
    docs = [
        Document(doc_id=r["doc_id"], source_uri=r["doc_id"], source_format="text", text=r["text"], title=r.get("title"))
        for r in rows
    ]
    start = time.perf_counter()
    stories = assign_stories(docs, cfg.stories)
    seconds = time.perf_counter() - start
    scores = cluster_scores([r["story"] for r in rows], [d.story_id for d in docs])
    gold = len({r["story"] for r in rows})
    return scores, f"{len(rows)} articles, {gold} gold stories, {stories} predicted; {len(rows) / seconds:,.0f} docs/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--stages", action="store_true", help="call the story stage directly, not `docclean run`")
    parser.add_argument("--shuffles", type=int, default=0, help="product runs in random file orders")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    if args.stages:
        scores, counts = evaluate(rows, load_config(args.overrides))
        print(f"stories-dev, the stage called directly: {counts}")
        print("  ".join(f"{k} {v:.4f}" for k, v in scores.items()))
        return
    outcome = run_product(rows, args.overrides)
    kinds = Counter(kind for kind, _, _ in outcome.values())
    print(
        f"stories-dev through `docclean run`: {len(rows)} articles; " + ", ".join(f"{k} {n}" for k, n in kinds.items())
    )
    report("same-story clusters", rows, lambda r: outcome[r["doc_id"]][2] or r["doc_id"], "story")
    if args.shuffles:
        spread(rows, args.overrides, args.shuffles)


def spread(rows: list[dict], overrides: list[str], shuffles: int) -> None:
    """ARI of each split over ``shuffles`` product runs, each with the files named in another order."""
    aris: dict[str, list[float]] = {}
    for seed in range(shuffles):
        outcome = run_product(rows, overrides, order_seed=seed)
        scores = report("", rows, lambda r: outcome[r["doc_id"]][2] or r["doc_id"], "story", quiet=True)
        for split, s in scores.items():
            aris.setdefault(split, []).append(s["ari"])
    print(f"ARI over {shuffles} random file orders")
    for split, values in aris.items():
        print(f"{split:<11} min {min(values):.4f} max {max(values):.4f} spread {max(values) - min(values):.4f}")


if __name__ == "__main__":
    main()
