"""Dedup and story stages at scale, on generated documents: documents per second and peak memory.

Each size runs in a fresh process (so peak memory is that size's own). Generated corpus: ~250-word
articles drawn from a Zipf vocabulary, grouped into stories of about ten articles that share
story-specific words, and 20% syndicated copies (sentences dropped, a new headline).

Then the index: saving it whole (a first run), loading it, and what the next scheduled run of 100
new documents writes beside the linked parts (``tasks.index``): seconds and megabytes.

    python bench/scale.py [--sizes 10000,30000,100000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def generate(n: int, seed: int = 7):
    from docclean.tasks.records import Document

    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(50_000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    docs: list[Document] = []
    while len(docs) < n:
        if docs and rng.random() < 0.2:  # a syndicated copy of an earlier article
            sentences = rng.choice(docs).text.split(". ")
            kept = [s for s in sentences if rng.random() > 0.2] or sentences[:1]
            text = "Breaking headline here. " + ". ".join(kept)
        else:
            story = len(docs) // 10
            topic = [f"s{story}x{k}" for k in range(12)]
            words = rng.choices(vocab, weights, k=250)
            words += rng.choices(topic, k=40)
            rng.shuffle(words)
            text = ". ".join(" ".join(words[i : i + 15]) for i in range(0, len(words), 15))
        docs.append(Document(doc_id=f"{len(docs):012d}", source_uri=str(len(docs)), source_format="text", text=text))
    return docs


def one(n: int) -> dict[str, float]:
    from docclean.tasks.config import Config
    from docclean.tasks.dedup import deduplicate
    from docclean.tasks.state import DedupState, Index, StoryState
    from docclean.tasks.stories import assign_stories

    cfg = Config()
    docs = generate(n)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    index = Index(DedupState(), StoryState())  # kept through both stages and saved, as a run keeps it
    result = deduplicate(docs, cfg.dedup, index.dedup)
    dedup_s = time.perf_counter() - start
    start = time.perf_counter()
    assign_stories(result.articles, cfg.stories, index.stories)
    story_s = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "docs": n,
        "dedup_docs_per_s": n / dedup_s,
        "story_docs_per_s": len(result.articles) / story_s,
        "peak_mib": peak / 1024,
        "stage_mib": (peak - base) / 1024,
        "articles": len(result.articles),
        **_index_costs(n, index, cfg),
    }


def _index_costs(n: int, index, cfg) -> dict[str, float]:
    """Save the stages' index whole, load it back, then run 100 new documents and save their part."""
    from docclean.tasks.dedup import deduplicate
    from docclean.tasks.index import load_index, save_index
    from docclean.tasks.stories import assign_stories

    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp, "first"), Path(tmp, "second")
        index.runs.append("run-1")
        start = time.perf_counter()
        save_index(first, index, cfg)
        save_s = time.perf_counter() - start
        start = time.perf_counter()
        loaded = load_index(first, cfg)
        load_s = time.perf_counter() - start
        new = generate(n + 100)[n:]
        result = deduplicate(new, cfg.dedup, loaded.dedup)
        assign_stories(result.articles, cfg.stories, loaded.stories)
        loaded.runs.append("run-2")
        start = time.perf_counter()
        save_index(second, loaded, cfg, previous=first, new_keys=[d.doc_id for d in new])
        next_s = time.perf_counter() - start
        return {
            "save_s": save_s, "save_mb": _megabytes(first, linked=True), "load_s": load_s,
            "next_s": next_s, "next_mb": _megabytes(second, linked=False),
        }  # fmt: skip


def _megabytes(folder: Path, *, linked: bool) -> float:
    """Bytes of the files in ``folder``: all of them, or only those not hard-linked from elsewhere."""
    files = [p for p in folder.rglob("*") if p.is_file() and (linked or p.stat().st_nlink == 1)]
    return sum(p.stat().st_size for p in files) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    print(
        f"{'docs':>9} {'dedup docs/s':>13} {'story docs/s':>13} {'peak MiB':>9} {'stages MiB':>11}"
        f" {'index save s/MB':>16} {'load s':>7} {'next run s/MB':>14}"
    )
    rows = []
    for n in map(int, args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        rows.append(r)
        print(
            f"{r['docs']:>9,} {r['dedup_docs_per_s']:>13,.0f} {r['story_docs_per_s']:>13,.0f} "
            f"{r['peak_mib']:>9,.0f} {r['stage_mib']:>11,.0f} {r['save_s']:>8.2f} / {r['save_mb']:<5,.0f}"
            f" {r['load_s']:>7.2f} {r['next_s']:>6.2f} / {r['next_mb']:<5.2f}",
            flush=True,
        )
    if len(rows) >= 2:  # linear extrapolation of the stages' memory and time to a million documents
        a, b = rows[-2], rows[-1]
        per_doc = (b["stage_mib"] - a["stage_mib"]) / (b["docs"] - a["docs"])
        secs = 1_000_000 / b["dedup_docs_per_s"] + 1_000_000 * b["articles"] / b["docs"] / b["story_docs_per_s"]
        print(
            f"extrapolated to 1,000,000 docs: ~{b['stage_mib'] + per_doc * (1_000_000 - b['docs']):,.0f} MiB "
            f"for the stages, ~{secs / 60:,.0f} min at the {b['docs']:,}-doc rates (an estimate, not a run)"
        )


if __name__ == "__main__":
    main()
