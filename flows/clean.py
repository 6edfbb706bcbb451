"""The docclean flow: raw documents in, clean deduplicated articles in Parquet out.

Run it with ``docclean run`` or ``python -m flows.clean [RAW] [--output DIR]``.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from prefect import flow
from prefect.client.orchestration import get_client
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from tasks.batch import CleanedBatch, clean_task
from tasks.config import Config, ExecutionConfig
from tasks.dedup import dedup_task
from tasks.index import legacy_index_folder, load_index_task
from tasks.output import RunResult, commit_task
from tasks.read import discover_task, read_task
from tasks.records import Document, RawRecord, Reject
from tasks.store import current_snapshot, locked, prune
from tasks.stories import stories_task
from tasks.summary import publish_summary

ProgressCallback = Callable[[int, int], None]
# Not a flow parameter: parameters travel with every task to its worker, and a progress bar does not
# pickle (nor belong in the flow run's record).
_progress: ContextVar[ProgressCallback | None] = ContextVar("docclean_progress", default=None)


@contextmanager
def reporting_progress(callback: ProgressCallback) -> Iterator[None]:
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def _report_progress(done: int, total: int) -> None:
    # The flow reaches the ContextVar only through this function: Prefect pickles the flow function by
    # value for its workers (with the globals it names), and a ContextVar does not pickle.
    if callback := _progress.get():
        callback(done, total)


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


def task_runner_for(cfg: ExecutionConfig) -> TaskRunner:
    """Where the batches are cleaned: local worker processes, or a Dask cluster (prefect-dask)."""
    workers = cfg.workers or os.cpu_count() or 1
    if cfg.executor == "dask":
        from prefect_dask import DaskTaskRunner

        if cfg.dask_address:
            return DaskTaskRunner(address=cfg.dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})
    return ProcessPoolTaskRunner(max_workers=workers)


# The default runner follows the environment's config (DOCCLEAN_EXECUTION__WORKERS, ...), so that
# deployments get it too; `docclean run --workers/--executor` replaces it with `with_options`.
@flow(name="docclean", validate_parameters=False, task_runner=task_runner_for(Config().execution))
def docclean_flow(
    raw: str = "raw",
    output: str = "output",
    config: Config | dict | None = None,
) -> RunResult:
    """Discover inputs, clean the new ones batch by batch, deduplicate, cluster stories, and commit
    the run's Parquet and index as one new output snapshot.

    Holds the output folder's lock throughout: a second run on the same output waits up to
    ``output.lock_wait_seconds``, then fails with a clear message. Within ``reporting_progress(f)``,
    ``f(done, total)`` is called after every batch (the CLI draws its progress bar with it).
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
        with _workers_share_api():
            docs = _collect(run, _read_and_submit(run, uris, index.seen, cfg), len(uris), cfg)

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


Pending = list[tuple[int, PrefectFuture | CleanedBatch]]  # (records submitted, their cleaning)


def _read_and_submit(run: RunResult, uris: list[str], seen: set[str], cfg: Config) -> Pending:
    """Read batch by batch, in order, leaving out what earlier runs processed, and hand each batch's
    records to the task runner (other processes or a Dask cluster clean while the next is read)."""
    read = read_task.with_options(retries=cfg.input.read_retries, retry_delay_seconds=cfg.input.retry_delay_seconds)
    inline = len(uris) <= cfg.input.batch_size  # one batch: starting workers would cost more than it saves
    pending: Pending = []
    for start in range(0, len(uris), cfg.input.batch_size):
        batch = uris[start : start + cfg.input.batch_size]
        with _timed(run, "read"):
            records, rejects = read(batch, cfg)
            records, rejects, skipped = drop_processed(records, rejects, seen)
        run.skipped += skipped
        run.rejects += rejects
        run.inputs += len(records) + len(rejects)
        _count(run, "read", len(batch), len(records))
        pending.append((len(records), clean_task(records, cfg) if inline else clean_task.submit(records, cfg)))
    return pending


def _collect(run: RunResult, pending: Pending, total: int, cfg: Config) -> list[Document]:
    """The cleaned documents in batch order, so every later decision is the same whatever ran them."""
    docs: list[Document] = []
    with _timed(run, "clean (wall)"):
        for done, (submitted, future) in enumerate(pending, start=1):
            cleaned = future if isinstance(future, CleanedBatch) else future.result()
            docs += cleaned.docs
            run.rejects += cleaned.rejects
            for stage, seconds in cleaned.seconds.items():
                run.stage(stage).seconds += seconds
            _count(run, "extract", submitted, len(cleaned.docs))
            _count(run, "language", len(cleaned.docs), len(cleaned.docs))
            _report_progress(min(done * cfg.input.batch_size, total), total)
    return docs


@contextmanager
def _workers_share_api() -> Iterator[None]:
    """Point worker processes started meanwhile at this run's Prefect API (they read the environment
    when they start), so that they do not each start a temporary server of their own. Held until
    every result is in: Prefect starts workers from a background thread."""
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    with get_client(sync_client=True) as client:
        os.environ["PREFECT_API_URL"] = str(client.api_url)
    try:
        yield
    finally:
        del os.environ["PREFECT_API_URL"]


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
