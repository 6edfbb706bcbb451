"""Where a run's time goes: one `docclean` flow run under cProfile, per stage and per function.

The run cleans every record in its own process (one batch, no CPU-limit child), so that one profile
sees every stage; a normal run spreads the same functions over worker processes. Prints the run's
stage table (from its `runs` row), then the functions with the most time of their own and the most
time including what they call.

    python bench/profile_run.py [--pages 400] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # last: a docclean on PYTHONPATH (another version, to compare) goes first

from bench.throughput import build_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docclean-profile-"))
    os.environ.setdefault("PREFECT_HOME", str(work / "prefect"))
    try:
        corpus = work / "pages"
        corpus.mkdir()
        build_corpus(corpus, args.pages)
        from docclean.flows.clean import docclean_flow
        from docclean.tasks.config import load_config
        from docclean.tasks.dataset import read_table

        overrides = [f"input.batch_size={args.pages}", "extraction.max_cpu_seconds=0", "execution.workers=1"]
        cfg = load_config(overrides)
        docclean_flow(str(ROOT / "raw"), str(work / "warm"), cfg)  # Prefect's server and imports, not profiled
        profile = cProfile.Profile()
        start = time.process_time()
        profile.enable()
        docclean_flow(str(corpus), str(work / "out"), cfg)
        profile.disable()
        cpu = time.process_time() - start
        (row,) = read_table(work / "out", "runs").to_pylist()
        print(f"{args.pages} pages in one process: {cpu:.1f} CPU s, {1000 * cpu / args.pages:.1f} ms a page (profiled)")
        print(f"{'stage':<16} {'in':>6} {'out':>6} {'seconds':>8} {'ms/page':>8}")
        for s in row["stages"]:
            ms = 1000 * s["seconds"] / args.pages
            print(f"{s['stage']:<16} {s['items_in']:>6} {s['items_out']:>6} {s['seconds']:>8.2f} {ms:>8.1f}")
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
            print(f"\nby {order}:")
            print("\n".join(line for line in out.getvalue().splitlines() if line.strip()[:1].isdigit()))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
