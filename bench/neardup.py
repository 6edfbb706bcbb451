"""Near-duplicate detection on ../shared/data/neardup-dev.jsonl: ARI, pairwise P/R/F1, over all texts,
the tune topics and the validation topics.

By default through the product (``bench/product.py``): every text a file, `docclean run`, the outcome
read from the output; a text's predicted cluster is the article it became or copies, a rejected text
is alone. ``--stages`` calls the cleaner and the dedup stage directly instead (seconds, not a minute,
for trying settings; texts under extraction.min_words, which a run rejects, stay alone), with
``--raw`` on the texts as given.

    python bench/neardup.py [--data PATH] [--stages [--raw]] [--set dedup.near_threshold=0.5 ...]
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
from docclean.tasks.boilerplate import clean_lines  # noqa: E402
from docclean.tasks.config import Config, load_config  # noqa: E402
from docclean.tasks.dedup import deduplicate  # noqa: E402
from docclean.tasks.records import Document  # noqa: E402
from docclean.tasks.text import word_count  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "neardup-dev.jsonl"


def evaluate(rows: list[dict], cfg: Config, *, raw: bool = False) -> tuple[dict[str, float], str]:
    """Scores against the gold clusters, and a line of counts and speeds."""
    start = time.perf_counter()
    docs = []
    for r in rows:
        text = r["text"] if raw else "\n".join(clean_lines(r["text"], cfg.boilerplate).lines)
        docs.append(Document(doc_id=r["doc_id"], source_uri=r["doc_id"], source_format="text", text=text))
    cleaned = time.perf_counter()
    # As in the pipeline, texts too short to be articles are rejected before deduplication: here
    # they count as clusters of their own.
    long_enough = [d for d in docs if word_count(d.text) >= cfg.extraction.min_words]
    result = deduplicate(long_enough, cfg.dedup)
    done = time.perf_counter()

    label = {d.doc_id: d.doc_id for d in docs}
    label.update({d.doc_id: d.duplicate_of for d in result.duplicates})
    scores = cluster_scores([r["cluster"] for r in rows], [label[r["doc_id"]] for r in rows])
    counts = (
        f"{len(rows)} texts, {len({r['cluster'] for r in rows})} gold clusters, {len(result.articles)} articles kept, "
        f"{len(result.duplicates)} duplicates; dedup {len(rows) / (done - cleaned):,.0f} docs/s, "
        f"cleaning {len(rows) / (cleaned - start):,.0f} docs/s"
    )
    return scores, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--stages", action="store_true", help="call the stages directly, not `docclean run`")
    parser.add_argument("--raw", action="store_true", help="with --stages: the texts as given, without cleaning")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    if args.stages:
        scores, counts = evaluate(rows, load_config(args.overrides), raw=args.raw)
        print(f"neardup-dev, stages called directly: {counts}")
        print("  ".join(f"{k} {v:.4f}" for k, v in scores.items()))
        return
    outcome = run_product(rows, args.overrides)
    kinds = Counter(kind for kind, _, _ in outcome.values())
    print(f"neardup-dev through `docclean run`: {len(rows)} texts; " + ", ".join(f"{k} {n}" for k, n in kinds.items()))
    cluster = lambda r: outcome[r["doc_id"]][1]  # noqa: E731
    report("near-duplicate clusters", rows, cluster, "cluster")
    kept = [r for r in rows if outcome[r["doc_id"]][0] in ("article", "duplicate")]
    report("over the texts the run did not reject", kept, cluster, "cluster")


if __name__ == "__main__":
    main()
