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
from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run

from tasks.config import Config
from tasks.dedup import dedup_task
from tasks.extract import extract_task
from tasks.index import legacy_index_folder, load_index_task
from tasks.language import language_task
from tasks.output import RunResult, commit_task
from tasks.read import discover_task, read_task
from tasks.records import Document, RawRecord, Reject
from tasks.store import current_snapshot, locked, prune
from tasks.stories import stories_task
from tasks.summary import publish_summary

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
    config: Config | dict | None = None,
    progress: ProgressCallback | None = None,
) -> RunResult:
    """Discover inputs, clean the new ones batch by batch, deduplicate, cluster stories, and commit
    the run's Parquet and index as one new output snapshot.

    Holds the output folder's lock throughout: a second run on the same output waits up to
    ``output.lock_wait_seconds``, then fails with a clear message. ``progress(done, total)`` is
    called after every batch (the CLI draws a progress bar with it).
    """
    # a deployment passes the config as the JSON object it was stored as
    cfg = config if isinstance(config, Config) else Config.model_validate(config or {})
    run = RunResult(
        run_id=str(flow_run.id or uuid.uuid4()),
        started_at=datetime.now(timezone.utc),
        pipeline_version=pipeline_version(),
    )
    out = Path(output)
    with locked(out, cfg.output.lock_wait_seconds):
        prune(out, cfg.output)  # debris of a crashed run, snapshots past their grace
        with _timed(run, "load-index"):
            snapshot = current_snapshot(out)
            index = load_index_task(snapshot / "index" if snapshot else legacy_index_folder(out), cfg)
        with _timed(run, "discover"):
            uris = discover_task(raw, cfg)
        run.stage("discover").items_out = len(uris)
        read = read_task.with_options(retries=cfg.input.read_retries, retry_delay_seconds=cfg.input.retry_delay_seconds)

        docs: list[Document] = []
        size = cfg.input.batch_size
        for start in range(0, len(uris), size):
            batch = uris[start : start + size]
            with _timed(run, "read"):
                records, rejects = read(batch, cfg)
                records, rejects, skipped = drop_processed(records, rejects, index.seen)
            run.skipped += skipped
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
            deduped = dedup_task(docs, cfg, index.dedup)
        run.articles, run.duplicates = deduped.articles, deduped.duplicates
        _count(run, "deduplicate", len(docs), len(run.articles))
        with _timed(run, "stories"):
            run.new_stories = stories_task(run.articles, cfg, index.stories)
        _count(run, "stories", len(run.articles), run.story_count)
        commit_task(run, index, output, cfg)
    publish_summary(run)
    return run


def drop_processed(
    records: list[RawRecord], rejects: list[Reject], seen: set[str]
) -> tuple[list[RawRecord], list[Reject], int]:
    """Leave out inputs an earlier run already decided on (same content, whatever the name)."""
    new_records = [r for r in records if r.doc_id not in seen]
    new_rejects = [r for r in rejects if r.key() not in seen]
    return new_records, new_rejects, len(records) + len(rejects) - len(new_records) - len(new_rejects)


def _count(run: RunResult, stage: str, items_in: int, items_out: int) -> None:
    stat = run.stage(stage)
    stat.items_in += items_in
    stat.items_out += items_out


if __name__ == "__main__":
    from flows.cli import app

    app(["run", *sys.argv[1:]])
