"""A run's output: its tables are written batch by batch into a new snapshot (``tasks.store``),
which the commit completes with the stories of the run's articles, the updated index and the run's
row, then publishes.

Tables inside a snapshot, with the explicit schemas of ``tasks.records``:
  articles/ingest_date=YYYY-MM-DD/part-<run_id>.parquet     (a row group per batch)
  duplicates/ingest_date=YYYY-MM-DD/part-<run_id>.parquet
  rejects/ingest_date=YYYY-MM-DD/part-<run_id>.parquet
  runs/part-<run_id>.parquet
A partition that collects more than ``output.max_files_per_partition`` files is compacted into one
file in the new snapshot; earlier snapshots keep the small files until they are pruned.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from docclean.tasks.config import Config
from docclean.tasks.dataset import SCHEMAS, conform
from docclean.tasks.index import save_index
from docclean.tasks.records import (
    ARTICLES_SCHEMA,
    DUPLICATES_SCHEMA,
    REJECTS_SCHEMA,
    RUNS_SCHEMA,
    Document,
    Duplicate,
    Reject,
)
from docclean.tasks.state import Index
from docclean.tasks.stats import Stages
from docclean.tasks.store import Snapshot
from docclean.tasks.stories import settle


@dataclass(slots=True)
class RunResult:
    """What a run decided, without the articles' text (that is in the snapshot's Parquet as soon as
    each batch is decided): memory holds a few small records per input, not the documents."""

    run_id: str
    started_at: datetime
    pipeline_version: str
    article_ids: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)  # articles per language
    story_ids: set[str] = field(default_factory=set)  # stories this run's articles are in (at commit)
    stages: Stages = field(default_factory=Stages)
    inputs: int = 0
    skipped: int = 0  # inputs an earlier run already processed
    new_stories: int = 0
    finished_at: datetime | None = None

    def add_articles(self, docs: list[Document]) -> None:
        self.article_ids += (d.doc_id for d in docs)
        self.languages.update(d.language or "unknown" for d in docs)

    @property
    def articles(self) -> int:
        return len(self.article_ids)

    @property
    def rejects_by_reason(self) -> Counter[str]:
        return Counter(str(r.reason) for r in self.rejects)

    @property
    def story_count(self) -> int:
        return len(self.story_ids)

    def input_keys(self) -> list[str]:
        """The ledger keys of everything this run decided on."""
        return [*self.article_ids, *(d.doc_id for d in self.duplicates), *(r.key() for r in self.rejects)]

    def duplicates_of_kind(self, kind: str) -> int:
        return sum(1 for d in self.duplicates if d.kind == kind)


def articles_table(docs: list[Document], run: RunResult) -> pa.Table:
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
        for d in docs
    ]
    return pa.Table.from_pylist(rows, schema=ARTICLES_SCHEMA)


def duplicates_table(duplicates: list[Duplicate], run: RunResult) -> pa.Table:
    rows = [{**asdict(d), **_run_columns(run)} for d in duplicates]
    return pa.Table.from_pylist(rows, schema=DUPLICATES_SCHEMA)


def rejects_table(rejects: list[Reject], run: RunResult) -> pa.Table:
    rows = [
        {
            "source_uri": r.source_uri,
            "reason": str(r.reason),
            "detail": r.detail,
            "input_key": r.key(),
            **_run_columns(run),
        }
        for r in rejects
    ]
    return pa.Table.from_pylist(rows, schema=REJECTS_SCHEMA)


def runs_table(run: RunResult, cfg: Config) -> pa.Table:
    row = {
        "run_id": run.run_id,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "inputs": run.inputs,
        "skipped": run.skipped,
        "articles": run.articles,
        "duplicates_exact": run.duplicates_of_kind("exact"),
        "duplicates_near": run.duplicates_of_kind("near"),
        "rejects": len(run.rejects),
        "stories": run.story_count,
        "new_stories": run.new_stories,
        "rejects_by_reason": _counts(run.rejects_by_reason),
        "languages": _counts(run.languages),
        "stages": [
            {"stage": s.stage, "items_in": s.items_in, "items_out": s.items_out, "seconds": s.seconds}
            for s in run.stages
        ],
        "dropped": [
            {"stage": s.stage, "reason": reason, "count": n}
            for s in run.stages
            for reason, n in sorted(s.dropped.items())
        ],
        "pipeline_version": run.pipeline_version,
        "config": cfg.to_json(),
    }
    return pa.Table.from_pylist([row], schema=RUNS_SCHEMA)


def _run_columns(run: RunResult) -> dict[str, object]:
    return {"ingested_at": run.started_at, "run_id": run.run_id}


def _counts(counter: Counter[str]) -> list[dict[str, object]]:
    return [{"name": k, "count": v} for k, v in sorted(counter.items())]


# The articles' staging file, inside the snapshot until the commit
_STAGING, _STAGED = "staging", "articles-staged"


def write_parquet(table: pa.Table, path: Path, cfg: Config) -> None:
    pq.write_table(table, path, compression=cfg.output.compression)


class RunWriter:
    """Writes a run's tables into its snapshot as the batches are decided: one file per table, a row
    group per batch. Articles go to a staging file first: their stories are decided when the run
    commits, and ``close`` copies them, a row group at a time, into the table with their story ids.
    The snapshot stays invisible until ``commit_run`` publishes it."""

    def __init__(self, output: Path, run: RunResult, cfg: Config) -> None:
        self.run, self.cfg = run, cfg
        self.snapshot = Snapshot(output, run.run_id)
        self.snapshot.link_previous(exclude=("index",))  # the index links the parts it keeps (tasks.index)
        self._writers: dict[str, pq.ParquetWriter] = {}

    def _path(self, table_name: str) -> Path:
        if table_name == _STAGED:
            return self.snapshot.path(f"{_STAGING}/{_STAGED}-{self.run.run_id}.parquet")
        return self.snapshot.path(
            f"{table_name}/ingest_date={self.run.started_at:%Y-%m-%d}/part-{self.run.run_id}.parquet"
        )

    def write(self, docs: list[Document], duplicates: list[Duplicate], rejects: list[Reject]) -> None:
        with self.run.stages.timed("write"):
            self._write(docs, duplicates, rejects)
        rows = len(docs) + len(duplicates) + len(rejects)
        self.run.stages.count("write", rows, rows)

    def _write(self, docs: list[Document], duplicates: list[Duplicate], rejects: list[Reject]) -> None:
        for table_name, table in (
            (_STAGED, articles_table(docs, self.run)),
            ("duplicates", duplicates_table(duplicates, self.run)),
            ("rejects", rejects_table(rejects, self.run)),
        ):
            if not table.num_rows:
                continue
            if table_name not in self._writers:
                self._writers[table_name] = pq.ParquetWriter(
                    self._path(table_name), table.schema, compression=self.cfg.output.compression
                )
            self._writers[table_name].write_table(table)

    def close(self, stories: dict[str, str]) -> None:
        """Finish the files, the articles with their ``stories`` (doc_id -> story_id); a table with no
        file yet gets an empty one, so that every table exists."""
        for writer in self._writers.values():
            writer.close()
        if _STAGED in self._writers:
            self._write_articles(self._path(_STAGED), stories)
        for table_name in ("articles", "duplicates", "rejects"):
            if table_name not in self._writers and not self.snapshot.files(table_name):
                write_parquet(SCHEMAS[table_name].empty_table(), self._path(table_name), self.cfg)

    def _write_articles(self, staged: Path, stories: dict[str, str]) -> None:
        column = ARTICLES_SCHEMA.get_field_index("story_id")
        field = ARTICLES_SCHEMA.field(column)
        source = pq.ParquetFile(staged)
        with pq.ParquetWriter(self._path("articles"), ARTICLES_SCHEMA, compression=self.cfg.output.compression) as out:
            for group in range(source.num_row_groups):
                table = source.read_row_group(group)
                story_ids = pa.array([stories[i] for i in table.column("doc_id").to_pylist()], pa.string())
                out.write_table(table.set_column(column, field, story_ids))
        source.close()
        staged.unlink()
        staged.parent.rmdir()

    def discard(self) -> None:
        """Give up the run: its snapshot is removed, the current one stays as it was."""
        for writer in self._writers.values():
            try:
                writer.close()
            except Exception:  # noqa: BLE001,S110 - the file is being removed anyway
                pass
        self.snapshot.discard()


def commit_run(writer: RunWriter, index: Index, cfg: Config) -> Path:
    """Place the run's articles in stories (together: the result does not depend on their order), finish
    the run's tables, write the updated index and the run's row, publish the snapshot. The flow calls it
    itself, with the run's open writer and its index: neither travels to another process."""
    run, snap = writer.run, writer.snapshot
    with run.stages.timed("stories"):
        stories, run.new_stories = settle(cfg.stories, index.stories)
    run.stages.count("stories", len(stories), len(stories))
    run.story_ids = set(stories.values())
    with run.stages.timed("commit"):
        writer.close(stories)
        for table_name in ("articles", "duplicates", "rejects"):
            compact(snap, table_name, run.run_id, cfg)
        index.runs.append(run.run_id)
        keys = run.input_keys()
        index.seen.update(keys)
        previous = snap.previous / "index" if snap.previous else None
        save_index(snap.path("index"), index, cfg, previous=previous, new_keys=keys)
    run.stages.count("commit", len(keys), len(keys))
    run.finished_at = datetime.now(timezone.utc)
    write_parquet(runs_table(run, cfg), snap.path(f"runs/part-{run.run_id}.parquet"), cfg)
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
