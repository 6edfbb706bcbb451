"""Real `docclean run` processes killed with SIGKILL in the middle of a run, and run side by side.

The run under test reads its inputs through ``tests.stallfs``, which hangs on the last input: the run
holds the output's lock there, every other input read and cleaned, until the test kills it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docclean.tasks.dataset import read_table
from docclean.tasks.store import current_snapshot

pytestmark = pytest.mark.slow  # starts Prefect, servers or subprocesses; runs whole flows

RAW = Path(__file__).resolve().parents[1] / "raw"
SEEDS = sorted(RAW.glob("0*.txt"))
DOCCLEAN = [sys.executable, "-m", "tests.stallfs", "run"]


def docclean(raw: Path, out: Path, home: Path, *args: str, **popen) -> subprocess.Popen:
    """A `docclean run` in its own process group, with its own Prefect home (its own temporary server)."""
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home)}
    return subprocess.Popen(
        [*DOCCLEAN, f"stall://{raw}", "--output", str(out), *args],
        env=env, cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True, **popen,
    )  # fmt: skip


def wait_until_stalled(marker: Path, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert proc.poll() is None, proc.stdout.read()
        assert time.monotonic() < deadline, "the run never reached the stalling input"
        time.sleep(0.1)


def rows(out: Path) -> dict[str, list[str]]:
    return {
        name: sorted(read_table(out, name).column("source_uri").to_pylist())
        for name in ("articles", "duplicates", "rejects")
    }


def test_sigkill_mid_run_keeps_the_old_dataset_and_the_next_run_completes_the_work(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, raw)
    first = docclean(raw, out, tmp_path / "home1")
    assert first.wait(300) == 0, first.stdout.read()
    before = rows(out)
    assert len(before["articles"]) == 2

    for seed in SEEDS[2:]:
        shutil.copy(seed, raw)
    stall = raw / "zz-stall.txt"  # sorted last: read after the three new seeds
    stall.write_bytes(SEEDS[0].read_bytes() + b"\nOne more line.")
    victim = docclean(raw, out, tmp_path / "home2", "--set", "input.batch_size=1")
    try:
        wait_until_stalled(raw / "zz-stall.txt.reached", victim)
        # meanwhile a second run on the same output is turned away, clearly, without touching it
        second = docclean(raw, out, tmp_path / "home3")
        second.wait(300)
        message = " ".join(second.stdout.read().split())
        assert second.returncode == 2, message
        assert "another docclean run is writing to" in message and f"pid {victim.pid}" in message
    finally:
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(60)
    assert current_snapshot(out).name == "000001"
    assert rows(out) == before  # the killed run left nothing visible

    stall.unlink()
    (raw / "zz-stall.txt.reached").unlink()
    third = docclean(raw, out, tmp_path / "home4")
    assert third.wait(300) == 0, third.stdout.read()
    after = rows(out)
    assert len(after["articles"]) == 5 and after["articles"] == sorted(set(after["articles"]))
    assert set(before["articles"]) <= set(after["articles"])
    assert current_snapshot(out).name == "000002"
    assert not list((out / "snapshots").glob(".*.tmp"))
