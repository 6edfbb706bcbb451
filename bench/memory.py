"""Peak memory of whole `docclean run`s as the corpus grows (the goal: bounded by batch size).

Generates plain-text articles (bench/scale.py's generator: ~250 words, stories of ten, 20%
syndicated copies) as JSONL files of 1,000 records, runs `docclean run` on each size in a fresh
process with a fresh Prefect home, and prints documents per second and the peak RSS of the largest
process (the flow's; workers and the Prefect server are smaller).

    python bench/memory.py [--sizes 10000,100000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scale import generate  # noqa: E402
from bench.throughput import measure  # noqa: E402


def write_corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    docs = generate(n)
    for start in range(0, n, 1000):
        with (folder / f"part-{start // 1000:05d}.jsonl").open("w", encoding="utf-8") as fh:
            for doc in docs[start : start + 1000]:
                fh.write(json.dumps({"text": doc.text.replace(". ", ".\n")}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"{'docs':>9} {'docs/s':>8} {'peak MiB':>9}")
    peaks = []
    for n in map(int, args.sizes.split(",")):
        work = Path(tempfile.mkdtemp(prefix="docclean-memory-"))
        try:
            write_corpus(work / "raw", n)
            env = {**os.environ, "PREFECT_HOME": str(work / "prefect")}
            cmd = [sys.executable, "-m", "docclean.flows.clean", str(work / "raw"), "--output", str(work / "out"),
                   "--workers", str(args.workers)]  # fmt: skip
            r = measure(cmd, env)
            peaks.append(r["peak_mib"])
            print(f"{n:>9,} {n / r['wall']:>8.0f} {r['peak_mib']:>9.0f}", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if len(peaks) > 1:
        print(f"peak memory, largest size over smallest: {peaks[-1] / peaks[0]:.2f}x (goal: at most 2x)")


if __name__ == "__main__":
    main()
