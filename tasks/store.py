"""The output folder as a series of immutable snapshots, so readers never see half a run.

Layout:
  current -> snapshots/000042        a symlink, replaced atomically when a run commits
  snapshots/000042/articles/ingest_date=YYYY-MM-DD/part-<run_id>.parquet
                  /duplicates/... /rejects/... /runs/part-<run_id>.parquet
                  /index/...        the dedup/story index and the ledger of processed inputs
  .lock                              held by the running run (``fcntl.flock``)

A run builds its snapshot in a hidden folder: every file of the previous snapshot is hard-linked
into it (no copy), the run's new files are written beside them, then the folder is renamed and the
``current`` link swapped. A crash before the swap leaves the earlier snapshot current and whole;
the next run removes the debris. Hard links make old snapshots cheap and self-cleaning: a Parquet
file lives as long as one snapshot holds it. The last ``output.keep_snapshots`` snapshots (and any
younger than ``output.snapshot_grace_seconds``) stay, so a reader that resolved ``current`` a moment
ago keeps reading files that exist.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from docclean.tasks.config import OutputConfig

CURRENT = "current"
SNAPSHOTS = "snapshots"
LOCK = ".lock"


class OutputLocked(RuntimeError):
    """Another run holds the output folder."""


@contextmanager
def locked(output: Path, wait_seconds: float) -> Iterator[None]:
    """Hold the output folder's lock for the duration, waiting up to ``wait_seconds`` for it.

    The kernel drops the lock when its holder exits, however it exits (SIGKILL included).
    """
    output.mkdir(parents=True, exist_ok=True)
    with open(output / LOCK, "a+") as fh:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "unknown"
                    raise OutputLocked(
                        f"another docclean run is writing to {output} ({holder}); "
                        f"waited {wait_seconds:g} s (output.lock_wait_seconds)"
                    ) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {datetime.now(timezone.utc):%Y-%m-%dT%H:%M:%SZ}")
        fh.flush()
        try:
            yield
        finally:
            fh.truncate(0)
            fcntl.flock(fh, fcntl.LOCK_UN)


LEGACY_TABLES = ("articles", "duplicates", "rejects", "runs")


def is_legacy(output: Path) -> bool:
    """An output written by docclean before snapshots (schema version 1): tables at the top level."""
    return not (output / CURRENT).is_symlink() and (output / "runs").is_dir()


def parquet_files(folder: Path) -> list[Path]:
    """Every Parquet file under ``folder`` (a table), sorted; none when the table does not exist."""
    return sorted(folder.rglob("*.parquet")) if folder.exists() else []


def current_snapshot(output: Path) -> Path | None:
    """The live snapshot folder (resolved, so it stays put while you read it), or None."""
    link = output / CURRENT
    return link.resolve() if link.is_symlink() else None


class Snapshot:
    """A snapshot under construction: the previous one's files linked in, new files written beside.

    Use only while holding the lock. Nothing is visible to readers until ``publish``.
    """

    def __init__(self, output: Path, run_id: str) -> None:
        self.output = output
        self.previous = current_snapshot(output)
        number = int(self.previous.name) + 1 if self.previous else 1
        self.name = f"{number:06d}"
        self.root = output / SNAPSHOTS / f".{self.name}-{run_id}.tmp"
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)

    def link_previous(self, exclude: tuple[str, ...] = ()) -> None:
        """Hard-link every file of the previous snapshot, except those under the ``exclude`` folders.

        An output written before snapshots existed (its tables at the top) is adopted the same way.
        """
        source, only = self.previous, None
        if source is None and is_legacy(self.output):
            source, only = self.output, LEGACY_TABLES
        if source is None:
            return
        for src in source.rglob("*"):
            rel = src.relative_to(source)
            if src.is_file() and rel.parts[0] not in exclude and (only is None or rel.parts[0] in only):
                dst = self.root / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.link(src, dst)

    def path(self, rel: str | Path) -> Path:
        """Where to write a file of this snapshot (its folder is created)."""
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def files(self, folder: str) -> list[Path]:
        return parquet_files(self.root / folder)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def publish(self, cfg: OutputConfig) -> Path:
        """Make this snapshot the current one (an atomic symlink swap), then prune old snapshots."""
        final = self.output / SNAPSHOTS / self.name
        _fsync_tree(self.root)
        os.replace(self.root, final)
        tmp_link = self.output / f".{CURRENT}.tmp"
        tmp_link.unlink(missing_ok=True)
        tmp_link.symlink_to(Path(SNAPSHOTS) / self.name)
        os.replace(tmp_link, self.output / CURRENT)
        _fsync_dir(self.output)
        prune(self.output, cfg)
        return final


def prune(output: Path, cfg: OutputConfig) -> list[Path]:
    """Remove crashed runs' debris and snapshots beyond the kept ones; the current one always stays.
    Call it only while holding the lock."""
    folder = output / SNAPSHOTS
    if not folder.exists():
        return []
    live = current_snapshot(output)
    removed = []
    for debris in folder.glob(".*.tmp"):
        shutil.rmtree(debris, ignore_errors=True)
        removed.append(debris)
    snapshots = sorted((p for p in folder.iterdir() if p.name.isdigit()), key=lambda p: p.name)
    # renamed into place but never made current (a crash between the rename and the swap): no
    # reader ever saw them, and the next run must be free to use their numbers
    for orphan in [p for p in snapshots if live is None or p.name > live.name]:
        shutil.rmtree(orphan, ignore_errors=True)
        removed.append(orphan)
        snapshots.remove(orphan)
    now = time.time()
    # a snapshot stopped being current when its successor was built
    for old, successor in zip(snapshots[: -cfg.keep_snapshots], snapshots[1:]):
        if old != live and now - successor.stat().st_mtime > cfg.snapshot_grace_seconds:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return removed


def _fsync_tree(root: Path) -> None:
    """Flush new files and folders to disk before they become visible (a power cut must not
    publish a snapshot whose files are empty)."""
    for path in [*root.rglob("*"), root]:
        if path.is_dir():
            _fsync_dir(path)
        elif path.stat().st_nlink == 1:  # linked files were flushed by the run that wrote them
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
