"""Fixed cost of a run: `docclean run` on the five seeds, cold, beside a bare two-task Prefect flow.

Both start in a fresh process with a fresh Prefect home and the same Prefect settings (docclean's
defaults), so both pay for Python, the imports and Prefect's temporary server. Prints wall and CPU
seconds (process tree) of each, median of --repeat runs, and their ratio.

    python bench/fixed_cost.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docclean.flows  # noqa: E402, F401 - docclean's Prefect defaults (startup timeout, no analytics) go to both runs

BARE_FLOW = """
from prefect import flow, task

@task
def load(path):
    return open(path, encoding="utf-8").read()

@task
def count(text):
    return len(text.split())

@flow
def bare(path):
    return count(load(path))

bare(__import__("sys").argv[1])
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    seeds = sorted((ROOT / "raw").glob("0*.txt"))
    results: dict[str, list[tuple[float, float]]] = {"bare two-task flow": [], "docclean run (5 seeds)": []}
    for n in range(args.repeat):
        work = Path(tempfile.mkdtemp(prefix="docclean-fixed-"))
        try:
            raw = work / "raw"
            raw.mkdir()
            for seed in seeds:
                shutil.copy(seed, raw)
            env = {**os.environ, "PREFECT_HOME": str(work / f"home-bare-{n}")}
            results["bare two-task flow"].append(timed([sys.executable, "-c", BARE_FLOW, str(seeds[0])], env))
            env = {**os.environ, "PREFECT_HOME": str(work / f"home-docclean-{n}")}
            cmd = [sys.executable, "-m", "docclean.flows.clean", str(raw), "--output", str(work / "out")]
            results["docclean run (5 seeds)"].append(timed(cmd, env))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"median of {args.repeat} cold runs, {os.cpu_count()} cores")
    print(f"{'run':<24} {'wall s':>7} {'CPU s':>7}")
    medians = {}
    for name, runs in results.items():
        medians[name] = (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        print(f"{name:<24} {medians[name][0]:>7.2f} {medians[name][1]:>7.2f}")
    (bw, bc), (dw, dc) = medians.values()
    print(f"docclean / bare: wall {dw / bw:.2f}x, CPU {dc / bc:.2f}x")


if __name__ == "__main__":
    main()
