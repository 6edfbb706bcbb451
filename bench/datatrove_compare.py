"""docclean against datatrove doing the comparable job on the same pages: trafilatura extraction,
MinHash deduplication (datatrove's four stages, its default MinhashConfig) and Parquet writing.

Needs the bench extra (`pip install -e ".[bench]"`: datatrove from the package registry; its
`processing` extra is not used, as it pins trafilatura < 1.12). Both tools get the throughput
corpus (bench/throughput.py) and two worker processes; each runs in a fresh process. Prints pages
per second (and docclean's CPU-seconds per page: datatrove's worker pool is not reaped by its parent,
so its CPU cannot be counted this way), then extraction quality on extraction-dev of datatrove's
Trafilatura extractor (its defaults: favour_precision, deduplicate) beside docclean's HTML mode.

    python bench/datatrove_compare.py [--pages 1600] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.throughput import build_corpus, measure  # noqa: E402


def run_datatrove(corpus: Path, work: Path, workers: int) -> None:
    """Extraction + MinHash dedup + Parquet with datatrove's LocalPipelineExecutor."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
    )
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter, ParquetWriter

    config = MinhashConfig()
    tasks = workers
    stages = [
        dict(pipeline=[
            JsonlReader(str(corpus)),
            Trafilatura(),
            JsonlWriter(str(work / "extracted")),
            MinhashDedupSignature(output_folder=str(work / "signatures"), config=config),
        ], tasks=tasks),
        dict(pipeline=[
            MinhashDedupBuckets(input_folder=str(work / "signatures"), output_folder=str(work / "buckets"),
                                config=config),
        ], tasks=config.num_buckets),
        dict(pipeline=[
            MinhashDedupCluster(input_folder=str(work / "buckets"), output_folder=str(work / "remove"), config=config),
        ], tasks=1),
        dict(pipeline=[
            JsonlReader(str(work / "extracted")),
            MinhashDedupFilter(input_folder=str(work / "remove")),
            ParquetWriter(str(work / "parquet")),
        ], tasks=tasks),
    ]  # fmt: skip
    for n, stage in enumerate(stages):
        LocalPipelineExecutor(**stage, workers=workers, logging_dir=str(work / f"logs-{n}")).run()


def jsonl_shards(folder: Path, out: Path, shards: int) -> None:
    """The corpus as datatrove reads it: JSONL of {id, text: html}, one file per worker."""
    out.mkdir()
    files = [(out / f"shard-{k}.jsonl").open("w", encoding="utf-8") for k in range(shards)]
    for n, page in enumerate(sorted(folder.glob("*.html"))):
        files[n % shards].write(json.dumps({"id": page.stem, "text": page.read_text(encoding="utf-8")}) + "\n")
    for fh in files:
        fh.close()


def extraction_quality() -> None:
    from datatrove.pipeline.extractors import Trafilatura

    from bench.extraction import Output, load_pages, run_docclean, score
    from docclean.tasks.config import load_config

    pages = load_pages(None)
    extractor = Trafilatura()
    datatrove = score(pages, [Output(extractor.extract(p.html) or "") for p in pages])
    docclean = score(pages, run_docclean(pages, load_config(), as_text=False))
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    for name, s in (("datatrove Trafilatura()", datatrove), ("docclean HTML", docclean)):
        print(f"{name:<24} P {mean(s.p):.4f}  R {mean(s.r):.4f}  F1 {mean(s.f):.4f}  "
              f"leak {s.leaked / max(s.without, 1):.4f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--datatrove-only", dest="dt", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dt:
        run_datatrove(args.dt[0], args.dt[1], args.workers)
        return
    work = Path(tempfile.mkdtemp(prefix="docclean-vs-datatrove-"))
    try:
        pages_dir = work / "pages"
        pages_dir.mkdir()
        pages = build_corpus(pages_dir, args.pages)
        jsonl_shards(pages_dir, work / "jsonl", args.workers)
        env = {**os.environ, "PREFECT_HOME": str(work / "prefect")}
        dt_cmd = [sys.executable, __file__, "--workers", str(args.workers), "--datatrove-only",
                  str(work / "jsonl"), str(work / "datatrove")]  # fmt: skip
        results = {"datatrove": measure(dt_cmd, env)}
        cmd = [sys.executable, "-m", "docclean.flows.clean", str(pages_dir), "--output", str(work / "out"),
               "--workers", str(args.workers)]  # fmt: skip
        results["docclean"] = measure(cmd, env)
        print(f"{pages} distinct HTML pages, {args.workers} workers, {os.cpu_count()} cores")
        print(f"{'run':<10} {'pages/s':>8} {'CPU s/page':>11} {'peak MiB':>9}")
        r = results["datatrove"]  # its pool workers are not reaped by the parent: their CPU and memory go uncounted
        print(f"{'datatrove':<10} {pages / r['wall']:>8.1f} {'-':>11} {'-':>9}")
        r = results["docclean"]
        print(f"{'docclean':<10} {pages / r['wall']:>8.1f} {r['cpu'] / pages:>11.4f} {r['peak_mib']:>9.0f}")
        print(f"docclean pages/s over datatrove's: {results['datatrove']['wall'] / results['docclean']['wall']:.2f}x")
        extraction_quality()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
