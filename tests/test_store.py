"""The snapshot store: atomic publication, hard-linked history, pruning, compaction and the run lock."""

from __future__ import annotations

import multiprocessing
import os
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from docclean.tasks.config import Config, OutputConfig
from docclean.tasks.dataset import read_table
from docclean.tasks.output import compact
from docclean.tasks.records import REJECTS_SCHEMA
from docclean.tasks.store import OutputLocked, Snapshot, current_snapshot, locked, prune

KEEP_ALL = OutputConfig(keep_snapshots=100)


def commit(output, run_id: str, files: dict[str, bytes], cfg: OutputConfig = KEEP_ALL) -> Snapshot:
    snap = Snapshot(output, run_id)
    snap.link_previous()
    for rel, data in files.items():
        snap.path(rel).write_bytes(data)
    snap.publish(cfg)
    return snap


def test_nothing_is_visible_until_publish(tmp_path):
    commit(tmp_path, "r1", {"articles/a.parquet": b"one"})
    snap = Snapshot(tmp_path, "r2")
    snap.link_previous()
    snap.path("articles/b.parquet").write_bytes(b"two")
    live = current_snapshot(tmp_path)
    assert sorted(p.name for p in (live / "articles").iterdir()) == ["a.parquet"]
    snap.publish(KEEP_ALL)
    live = current_snapshot(tmp_path)
    assert live.name == "000002"
    assert sorted(p.name for p in (live / "articles").iterdir()) == ["a.parquet", "b.parquet"]


def test_snapshots_share_files_through_hard_links(tmp_path):
    commit(tmp_path, "r1", {"articles/a.parquet": b"one"})
    commit(tmp_path, "r2", {"articles/b.parquet": b"two"})
    first = tmp_path / "snapshots/000001/articles/a.parquet"
    second = tmp_path / "snapshots/000002/articles/a.parquet"
    assert first.stat().st_ino == second.stat().st_ino and first.stat().st_nlink == 2


def test_excluded_folders_are_not_carried_over(tmp_path):
    commit(tmp_path, "r1", {"index/meta.json": b"{}", "runs/r1.parquet": b"x"})
    snap = Snapshot(tmp_path, "r2")
    snap.link_previous(exclude=("index",))
    assert (snap.root / "runs/r1.parquet").exists() and not (snap.root / "index").exists()


def test_old_snapshots_are_pruned_but_files_still_in_use_survive(tmp_path):
    cfg = OutputConfig(keep_snapshots=2, snapshot_grace_seconds=0)
    for n in range(1, 5):
        commit(tmp_path, f"r{n}", {f"runs/r{n}.parquet": b"x"}, cfg)
    assert sorted(p.name for p in (tmp_path / "snapshots").iterdir()) == ["000003", "000004"]
    assert sorted(p.name for p in (current_snapshot(tmp_path) / "runs").iterdir()) == [
        "r1.parquet", "r2.parquet", "r3.parquet", "r4.parquet",
    ]  # fmt: skip


def test_a_recently_replaced_snapshot_stays_for_its_readers(tmp_path):
    cfg = OutputConfig(keep_snapshots=1, snapshot_grace_seconds=3600)
    commit(tmp_path, "r1", {"runs/r1.parquet": b"x"}, cfg)
    commit(tmp_path, "r2", {"runs/r2.parquet": b"x"}, cfg)
    assert sorted(p.name for p in (tmp_path / "snapshots").iterdir()) == ["000001", "000002"]


def test_debris_of_a_crashed_commit_is_removed_and_the_old_snapshot_stays(tmp_path):
    commit(tmp_path, "r1", {"runs/r1.parquet": b"x"})
    crashed = Snapshot(tmp_path, "r2")  # a run that died before publish
    crashed.link_previous()
    crashed.path("runs/r2.parquet").write_bytes(b"half")
    assert current_snapshot(tmp_path).name == "000001"
    assert crashed.root in prune(tmp_path, KEEP_ALL)
    assert not crashed.root.exists()
    assert commit(tmp_path, "r3", {}).name == "000002"


def _hold_lock(output, ready, release):
    with locked(output, 0):
        ready.set()
        release.wait(30)


def start_holder(output):
    """Another process that takes the lock and keeps it until ``release`` is set (or it is killed)."""
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(output, ready, release))
    holder.start()
    assert ready.wait(60)
    return holder, release


def test_a_second_writer_gets_a_clear_refusal_and_may_wait(tmp_path):
    holder, release = start_holder(tmp_path)
    try:
        with pytest.raises(OutputLocked, match=rf"another docclean run is writing to .* \(pid {holder.pid} since"):
            with locked(tmp_path, 0.5):
                pass
        release.set()
        with locked(tmp_path, 30):  # waits for the holder to let go, then proceeds
            pass
    finally:
        release.set()
        holder.join(30)


def test_a_killed_holder_releases_the_lock(tmp_path):
    holder, _ = start_holder(tmp_path)
    os.kill(holder.pid, 9)
    holder.join(30)
    with locked(tmp_path, 5):
        pass


def _rejects(n: int, run_id: str) -> pa.Table:
    now = pa.scalar(int(time.time() * 1e6), pa.timestamp("us", tz="UTC")).as_py()
    rows = [
        {"source_uri": f"/raw/{run_id}-{i}", "reason": "empty", "detail": "0 bytes", "input_key": None,
         "ingested_at": now, "run_id": run_id}
        for i in range(n)
    ]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=REJECTS_SCHEMA)


def test_compaction_merges_a_crowded_partition_and_keeps_every_row(tmp_path):
    cfg = Config(output=OutputConfig(max_files_per_partition=3, keep_snapshots=100))
    for n in range(1, 6):
        snap = Snapshot(tmp_path, f"r{n}")
        snap.link_previous()
        pq.write_table(_rejects(2, f"r{n}"), snap.path(f"rejects/ingest_date=2026-11-21/part-r{n}.parquet"))
        compact(snap, "rejects", f"r{n}", cfg)
        snap.publish(cfg.output)
    files = sorted(p.name for p in (current_snapshot(tmp_path) / "rejects/ingest_date=2026-11-21").iterdir())
    assert files == ["part-compacted-r4.parquet", "part-r5.parquet"]  # r1..r4 merged when a 4th file came
    table = read_table(tmp_path, "rejects")
    assert sorted(table.column("source_uri").to_pylist()) == sorted(
        f"/raw/r{n}-{i}" for n in range(1, 6) for i in range(2)
    )
    # the snapshot a reader resolved before compaction still has its small files
    assert len(list((tmp_path / "snapshots/000003/rejects").rglob("*.parquet"))) == 3


def test_a_snapshot_renamed_but_never_made_current_is_removed(tmp_path):
    commit(tmp_path, "r1", {"runs/r1.parquet": b"x"})
    crashed = Snapshot(tmp_path, "r2")
    crashed.link_previous()
    os.replace(crashed.root, tmp_path / "snapshots" / crashed.name)  # died right after the rename
    assert current_snapshot(tmp_path).name == "000001"
    prune(tmp_path, KEEP_ALL)
    assert sorted(p.name for p in (tmp_path / "snapshots").iterdir()) == ["000001"]
    assert commit(tmp_path, "r3", {"runs/r3.parquet": b"x"}).name == "000002"
    assert current_snapshot(tmp_path).name == "000002"


def test_a_failed_run_leaves_the_output_as_it_was(tmp_path):
    from datetime import datetime, timezone

    from docclean.tasks.output import RunResult, RunWriter
    from docclean.tasks.records import Reject, RejectReason

    commit(tmp_path, "r1", {"articles/a.parquet": b"one"})
    before = current_snapshot(tmp_path)
    run = RunResult("r2", datetime.now(timezone.utc), "test")
    writer = RunWriter(tmp_path, run, Config())
    writer.write([], [], [Reject("file:///x", RejectReason.EMPTY, "0 bytes", "key")])  # a batch was written
    assert len(list((tmp_path / "snapshots").iterdir())) == 2  # the run's snapshot, not yet visible
    writer.discard()
    assert [p.name for p in (tmp_path / "snapshots").iterdir()] == ["000001"]
    assert current_snapshot(tmp_path) == before and (before / "articles" / "a.parquet").read_bytes() == b"one"
