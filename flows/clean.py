"""The docclean flow: raw documents in, clean deduplicated articles in Parquet out.

Run it with ``docclean run`` or ``python -m docclean.flows.clean [RAW] [--output DIR]``.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.client.orchestration import get_client
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from docclean.tasks.batch import CleanedBatch, clean_task
from docclean.tasks.config import Config, ExecutionConfig
from docclean.tasks.decide import Decided, decide_batch, decide_short_copies
from docclean.tasks.dedup import ShortText
from docclean.tasks.index import legacy_index_folder, load_index_task
from docclean.tasks.output import RunResult, RunWriter, commit_run
from docclean.tasks.read import discover_task, input_kind, read_task
from docclean.tasks.records import RawRecord, Reject
from docclean.tasks.sandbox import retire
from docclean.tasks.state import Index
from docclean.tasks.store import current_snapshot, locked, prune
from docclean.tasks.summary import publish_summary

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
    """Discover inputs; clean the new ones batch by batch and deduplicate them batch by batch, writing
    each batch's rows into a new output snapshot; place the run's articles in stories together and
    commit the snapshot with the updated index. A run that fails leaves the output as it was.

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
        with run.stages.timed("load-index"):
            snapshot = current_snapshot(out)
            index = load_index_task(snapshot / "index" if snapshot else legacy_index_folder(out), cfg)
        with run.stages.timed("discover"):
            uris = discover_task(raw, cfg)
        run.stages.count("discover", 0, len(uris))
        writer = RunWriter(out, run, cfg)
        try:
            with _workers_share_api():
                try:
                    _clean_and_decide(run, uris, index, writer, cfg)
                finally:
                    retire()  # the cleaning child of this process, if it cleaned batches itself
            if run.inputs:
                commit_run(writer, index, cfg)
            else:  # nothing new: the current snapshot stays, so scheduled runs that find nothing churn nothing
                writer.discard()
        except BaseException:
            writer.discard()
            raise
    publish_summary(run)
    get_run_logger().info(counts_line(run))
    return run


def counts_line(run: RunResult) -> str:
    """One line of counts per run, for logs (``docclean serve`` prints it for every scheduled run)."""
    seconds = (datetime.now(timezone.utc) - run.started_at).total_seconds()
    written = "" if run.inputs else ", nothing new: no snapshot written"
    return (
        f"docclean run {run.run_id}: inputs {run.inputs}, articles {run.articles}, "
        f"duplicates {len(run.duplicates)}, rejects {len(run.rejects)}, skipped {run.skipped}, "
        f"{seconds:.1f} s{written}"
    )


# (input files finished with it, their read rejects, their cleaning)
InFlight = tuple[int, list[Reject], PrefectFuture | CleanedBatch]


def _clean_and_decide(run: RunResult, uris: list[str], index: Index, writer: RunWriter, cfg: Config) -> None:
    """Read in order, leaving out what earlier runs processed, and hand the records to the task runner
    in batches (other processes or a Dask cluster clean while the next ones are read). Cleaned
    batches are decided and written in input order as they come back, so every decision is the same
    whatever ran them; at most two batches per worker are in flight, so memory follows the batch
    size, not the corpus. Then the run's too-short texts are checked against every known article."""
    read = read_task.with_options(retries=cfg.input.read_retries, retry_delay_seconds=cfg.input.retry_delay_seconds)
    workers = cfg.execution.workers or os.cpu_count() or 1
    size, inline_budget = batch_plan(len(uris), cfg.input.batch_size)
    limit = 2 * workers
    in_flight: deque[InFlight] = deque()
    shorts: list[ShortText] = []  # too-short texts, checked against all the run's articles at its end
    files_done = 0

    def decide_oldest() -> None:
        nonlocal files_done
        files, *batch = in_flight.popleft()
        _decide(run, *batch, index, writer, cfg, shorts)
        files_done += files
        _report_progress(files_done, len(uris))

    for group in read_groups(uris, size):
        with run.stages.timed("read"):
            records, rejects = read(group, cfg)
            records, rejects, skipped = drop_processed(records, rejects, index.seen)
        run.skipped += skipped
        run.inputs += len(records) + len(rejects)
        dropped = [*(str(r.reason) for r in rejects), *["processed before"] * skipped]
        run.stages.count("read", len(group), len(records), dropped)
        batch = cfg.input.batch_size  # a JSONL or WARC file's records, however few files there are
        chunks = [records[i : i + batch] for i in range(0, len(records), batch)] or [[]]
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            if not chunk:  # everything in the group was processed before, or unreadable
                cleaning: PrefectFuture | CleanedBatch = CleanedBatch([], [])
            elif len(chunk) <= inline_budget:
                inline_budget -= len(chunk)
                cleaning = clean_task(chunk, cfg)
            else:
                inline_budget = 0
                cleaning = clean_task.submit(chunk, cfg)
            in_flight.append((len(group) if last else 0, rejects if last else [], cleaning))
            while len(in_flight) > limit:
                decide_oldest()
    while in_flight:
        decide_oldest()
    _record(run, decide_short_copies(shorts, cfg, index), [], writer)


def batch_plan(files: int, batch_size: int) -> tuple[int, int]:
    """How many files a batch holds, and how many records the flow's own process cleans before any
    goes to a worker. A run of at most ``batch_size`` files is cleaned in the flow's process: starting
    workers costs more than cleaning them. Otherwise the files are split into as few batches as
    ``batch_size`` allows, of even sizes (120 files: 60 and 60, not 100 and 20), so that no worker waits
    for another's long batch. The plan depends on the files and the setting only, never on the workers:
    batches are decided in order, and the same inputs must be decided alike however many clean them."""
    inline = batch_size if files <= batch_size else 0
    batches = max(1, -(-files // batch_size))
    return max(1, -(-files // batches)), inline


_CONTAINERS = ("jsonl", "warc")


def read_groups(uris: list[str], size: int) -> list[list[str]]:
    """The files read together: up to ``size`` of them, except that a JSONL or WARC file, which may hold
    many records, is read on its own (its records are then cleaned ``size`` at a time)."""
    groups: list[list[str]] = []
    for uri in uris:
        alone = input_kind(uri) in _CONTAINERS
        if alone or not groups or len(groups[-1]) >= size or input_kind(groups[-1][-1]) in _CONTAINERS:
            groups.append([])
        groups[-1].append(uri)
    return groups


def _decide(
    run: RunResult, read_rejects: list[Reject], cleaning: PrefectFuture | CleanedBatch,
    index: Index, writer: RunWriter, cfg: Config, shorts: list[ShortText],
) -> None:  # fmt: skip
    """Deduplicate one cleaned batch and collect its articles for the story step, then write it; its
    too-short texts join ``shorts``. Called here, in the flow's process, batch after batch: the
    decisions update the index in place."""
    start = time.perf_counter()
    cleaned = cleaning if isinstance(cleaning, CleanedBatch) else cleaning.result()
    waited = time.perf_counter() - start
    run.stages.add(cleaned.stages)  # the worker's account of extract, language and fingerprint
    run.stages["clean (waited)"].seconds += waited  # how long this process waited for it
    shorts += cleaned.shorts
    decided = decide_batch(cleaned.docs, cfg, index)
    _record(run, decided, read_rejects + cleaned.rejects, writer)


def _record(run: RunResult, decided: Decided, rejects: list[Reject], writer: RunWriter) -> None:
    run.stages.add(decided.stages)
    rejects = rejects + decided.rejects
    writer.write(decided.articles, decided.duplicates, rejects)
    run.add_articles(decided.articles)
    run.duplicates += decided.duplicates
    run.rejects += rejects


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


if __name__ == "__main__":
    from docclean.flows.cli import app

    app(["run", *sys.argv[1:]])
