"""The docclean flow: raw documents in, clean deduplicated articles in Parquet out.

Run it with ``docclean run`` or ``python -m flows.clean [RAW] [--output DIR]``.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

from prefect import flow
from prefect.runtime import flow_run

from tasks.config import Config
from tasks.dedup import dedup_task
from tasks.extract import extract_task
from tasks.index import load_index_task, save_index_task
from tasks.language import language_task
from tasks.output import RunResult, write_task
from tasks.read import discover_task, read_task
from tasks.records import Document
from tasks.stories import stories_task

ProgressCallback = Callable[[int, int], None]


def pipeline_version() -> str:
    try:
        return version("docclean")
    except PackageNotFoundError:
        return "0+unknown"


@contextmanager
def _timed(run: RunResult, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    run.stage(stage).seconds += time.perf_counter() - start


@flow(name="docclean", validate_parameters=False)
def docclean_flow(
    raw: str = "raw",
    output: str = "output",
    config: Config | None = None,
    progress: ProgressCallback | None = None,
) -> RunResult:
    """Discover inputs, clean them batch by batch, deduplicate, cluster stories, write Parquet.

    ``progress(done, total)`` is called after every batch (the CLI draws a progress bar with it).
    """
    cfg = config or Config()
    run = RunResult(
        run_id=str(flow_run.id or uuid.uuid4()),
        started_at=datetime.now(timezone.utc),
        pipeline_version=pipeline_version(),
    )
    with _timed(run, "load-index"):
        dedup_state, story_state, indexed_runs = load_index_task(output, cfg)
    with _timed(run, "discover"):
        uris = discover_task(raw, cfg)
    run.stage("discover").items_out = len(uris)

    docs: list[Document] = []
    size = cfg.input.batch_size
    for start in range(0, len(uris), size):
        batch = uris[start : start + size]
        with _timed(run, "read"):
            records, rejects = read_task(batch, cfg)
        run.rejects += rejects
        run.inputs += len(records) + len(rejects)
        _count(run, "read", len(batch), len(records))
        with _timed(run, "extract"):
            cleaned, rejects = extract_task(records, cfg)
        run.rejects += rejects
        _count(run, "extract", len(records), len(cleaned))
        with _timed(run, "language"):
            docs += language_task(cleaned, cfg)
        _count(run, "language", len(cleaned), len(cleaned))
        if progress:
            progress(min(start + size, len(uris)), len(uris))

    with _timed(run, "deduplicate"):
        deduped = dedup_task(docs, cfg, dedup_state)
    run.articles, run.duplicates = deduped.articles, deduped.duplicates
    _count(run, "deduplicate", len(docs), len(run.articles))
    with _timed(run, "stories"):
        run.new_stories = stories_task(run.articles, cfg, story_state)
    _count(run, "stories", len(run.articles), run.story_count)

    write_task(run, output, cfg)
    save_index_task(output, run.run_id, [*indexed_runs, run.run_id], dedup_state, story_state, cfg)
    return run


def _count(run: RunResult, stage: str, items_in: int, items_out: int) -> None:
    stat = run.stage(stage)
    stat.items_in += items_in
    stat.items_out += items_out


if __name__ == "__main__":
    from flows.cli import app

    app(["run", *sys.argv[1:]])
