"""Commit a run: its tables and the updated index go into a new output snapshot (``tasks.store``).

Tables inside a snapshot, with the explicit schemas of ``tasks.records``:
  articles/ingest_date=YYYY-MM-DD/part-<run_id>.parquet
  duplicates/ingest_date=YYYY-MM-DD/part-<run_id>.parquet
  rejects/ingest_date=YYYY-MM-DD/part-<run_id>.parquet
  runs/part-<run_id>.parquet
A partition that collects more than ``output.max_files_per_partition`` files is compacted into one
file in the new snapshot; earlier snapshots keep the small files until they are pruned.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.config import Config
from tasks.dataset import SCHEMAS, conform
from tasks.index import save_index
from tasks.records import (
    ARTICLES_SCHEMA,
    DUPLICATES_SCHEMA,
    REJECTS_SCHEMA,
    RUNS_SCHEMA,
    Document,
    Duplicate,
    Reject,
)
from tasks.state import Index
from tasks.store import Snapshot


@dataclass(slots=True)
class StageStat:
    stage: str
    items_in: int = 0
    items_out: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class RunResult:
    run_id: str
    started_at: datetime
    pipeline_version: str
    articles: list[Document] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    stages: dict[str, StageStat] = field(default_factory=dict)
    inputs: int = 0
    skipped: int = 0  # inputs an earlier run already processed
    new_stories: int = 0
    finished_at: datetime | None = None

    def stage(self, name: str) -> StageStat:
        return self.stages.setdefault(name, StageStat(name))

    @property
    def rejects_by_reason(self) -> Counter[str]:
        return Counter(str(r.reason) for r in self.rejects)

    @property
    def languages(self) -> Counter[str]:
        return Counter(d.language or "unknown" for d in self.articles)

    @property
    def story_count(self) -> int:
        return len({d.story_id for d in self.articles})

    def input_keys(self) -> list[str]:
        """The ledger keys of everything this run decided on."""
        return [
            *(d.doc_id for d in self.articles),
            *(d.doc_id for d in self.duplicates),
            *(r.key() for r in self.rejects),
        ]

    def duplicates_of_kind(self, kind: str) -> int:
        return sum(1 for d in self.duplicates if d.kind == kind)


def articles_table(run: RunResult) -> pa.Table:
    rows = [
        {
            "doc_id": d.doc_id,
            "source_uri": d.source_uri,
            "source_format": d.source_format,
            "url": d.url,
            "site": d.site,
            "title": d.title,
            "author": d.author,
            "published_at": d.published_at,
            "tags": d.tags,
            "language": d.language,
            "language_prob": d.language_prob,
            "text": d.text,
            "word_count": d.word_count,
            "content_hash": d.content_hash,
            "story_id": d.story_id,
            "boilerplate": [asdict(r) for r in d.boilerplate],
            **_run_columns(run),
            "pipeline_version": run.pipeline_version,
        }
        for d in run.articles
    ]
    return pa.Table.from_pylist(rows, schema=ARTICLES_SCHEMA)


def duplicates_table(run: RunResult) -> pa.Table:
    rows = [{**asdict(d), **_run_columns(run)} for d in run.duplicates]
    return pa.Table.from_pylist(rows, schema=DUPLICATES_SCHEMA)


def rejects_table(run: RunResult) -> pa.Table:
    rows = [
        {
            "source_uri": r.source_uri,
            "reason": str(r.reason),
            "detail": r.detail,
            "input_key": r.key(),
            **_run_columns(run),
        }
        for r in run.rejects
    ]
    return pa.Table.from_pylist(rows, schema=REJECTS_SCHEMA)


def runs_table(run: RunResult, cfg: Config) -> pa.Table:
    row = {
        "run_id": run.run_id,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "inputs": run.inputs,
        "skipped": run.skipped,
        "articles": len(run.articles),
        "duplicates_exact": run.duplicates_of_kind("exact"),
        "duplicates_near": run.duplicates_of_kind("near"),
        "rejects": len(run.rejects),
        "stories": run.story_count,
        "new_stories": run.new_stories,
        "rejects_by_reason": _counts(run.rejects_by_reason),
        "languages": _counts(run.languages),
        "stages": [asdict(s) for s in run.stages.values()],
        "pipeline_version": run.pipeline_version,
        "config": cfg.to_json(),
    }
    return pa.Table.from_pylist([row], schema=RUNS_SCHEMA)


def _run_columns(run: RunResult) -> dict[str, object]:
    return {"ingested_at": run.started_at, "run_id": run.run_id}


def _counts(counter: Counter[str]) -> list[dict[str, object]]:
    return [{"name": k, "count": v} for k, v in sorted(counter.items())]


def write_parquet(table: pa.Table, path: Path, cfg: Config) -> None:
    pq.write_table(table, path, compression=cfg.output.compression)


def commit_run(run: RunResult, index: Index, output: str, cfg: Config) -> Path:
    """Write the run's tables, the updated index and the run's row into a new snapshot; publish it."""
    start = time.perf_counter()
    snap = Snapshot(Path(output), run.run_id)
    snap.link_previous(exclude=("index",))  # the index is rewritten whole
    partition = f"ingest_date={run.started_at:%Y-%m-%d}"
    name = f"part-{run.run_id}.parquet"
    for table_name, table in (
        ("articles", articles_table(run)),
        ("duplicates", duplicates_table(run)),
        ("rejects", rejects_table(run)),
    ):
        if table.num_rows or not snap.files(table_name):  # an empty file only so that every table exists
            write_parquet(table, snap.path(f"{table_name}/{partition}/{name}"), cfg)
        compact(snap, table_name, run.run_id, cfg)
    index.runs.append(run.run_id)
    index.seen.update(run.input_keys())
    save_index(snap.path("index"), index, cfg)
    write = run.stage("write")
    write.items_in = write.items_out = len(run.articles) + len(run.duplicates) + len(run.rejects)
    write.seconds = time.perf_counter() - start
    run.finished_at = datetime.now(timezone.utc)
    write_parquet(runs_table(run, cfg), snap.path(f"runs/{name}"), cfg)
    compact(snap, "runs", run.run_id, cfg)
    return snap.publish(cfg.output)


def compact(snap: Snapshot, table_name: str, run_id: str, cfg: Config) -> None:
    """Merge each partition of ``table_name`` holding too many files into one, row group by row group."""
    by_folder: dict[Path, list[Path]] = {}
    for path in snap.files(table_name):
        by_folder.setdefault(path.parent, []).append(path)
    schema = SCHEMAS[table_name]
    for folder, files in by_folder.items():
        if len(files) <= cfg.output.max_files_per_partition:
            continue
        merged = folder / f"part-compacted-{run_id}.parquet"
        with pq.ParquetWriter(merged, schema, compression=cfg.output.compression) as writer:
            for path in files:
                parquet = pq.ParquetFile(path)
                for group in range(parquet.num_row_groups):
                    writer.write_table(conform(parquet.read_row_group(group), schema))
        for path in files:
            path.unlink()  # only this snapshot's link: older snapshots keep the file


@task(name="commit", cache_policy=NO_CACHE)
def commit_task(run: RunResult, index: Index, output: str, cfg: Config) -> Path:
    return commit_run(run, index, output, cfg)
