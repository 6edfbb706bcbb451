"""Write a run's tables to Parquet with the explicit schemas of ``tasks.records``.

Layout under the output folder:
  articles/ingest_date=YYYY-MM-DD/part-<run_id>.parquet
  duplicates/ingest_date=YYYY-MM-DD/part-<run_id>.parquet
  rejects/ingest_date=YYYY-MM-DD/part-<run_id>.parquet
  runs/part-<run_id>.parquet          (written last: a run without it did not finish)
Each file is written under a temporary name and moved into place with ``os.replace``.
"""

from __future__ import annotations

import os
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
from tasks.records import (
    ARTICLES_SCHEMA,
    DUPLICATES_SCHEMA,
    REJECTS_SCHEMA,
    RUNS_SCHEMA,
    Document,
    Duplicate,
    Reject,
)


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
        {"source_uri": r.source_uri, "reason": str(r.reason), "detail": r.detail, **_run_columns(run)}
        for r in run.rejects
    ]
    return pa.Table.from_pylist(rows, schema=REJECTS_SCHEMA)


def runs_table(run: RunResult, cfg: Config) -> pa.Table:
    row = {
        "run_id": run.run_id,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "inputs": run.inputs,
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
    """Write atomically: a reader sees the old file or the whole new one, never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression=cfg.output.compression)
    os.replace(tmp, path)


def write_run(run: RunResult, output: str, cfg: Config) -> list[Path]:
    """Write the data tables, then the run's row (with the write stage timed and finished_at set)."""
    start = time.perf_counter()
    root = Path(output)
    partition = f"ingest_date={run.started_at:%Y-%m-%d}"
    name = f"part-{run.run_id}.parquet"
    written = []
    for table_name, table in (
        ("articles", articles_table(run)),
        ("duplicates", duplicates_table(run)),
        ("rejects", rejects_table(run)),
    ):
        # Written even when empty, so that every table exists for readers after any run.
        path = root / table_name / partition / name
        write_parquet(table, path, cfg)
        written.append(path)
    write = run.stage("write")
    write.items_in = write.items_out = len(run.articles) + len(run.duplicates) + len(run.rejects)
    write.seconds = time.perf_counter() - start
    run.finished_at = datetime.now(timezone.utc)
    runs_path = root / "runs" / name
    write_parquet(runs_table(run, cfg), runs_path, cfg)
    written.append(runs_path)
    return written


@task(name="write", cache_policy=NO_CACHE)
def write_task(run: RunResult, output: str, cfg: Config) -> list[Path]:
    return write_run(run, output, cfg)
