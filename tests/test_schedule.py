"""A real `prefect server start` on 127.0.0.1; on it `docclean serve --interval` registering a scheduled
deployment whose scheduled run completes and writes the output, and `prefect deploy` registering the
project's prefect.yaml deployment on a process work pool, whose run a worker executes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from docclean.tasks.dataset import read_table

pytestmark = pytest.mark.slow  # starts Prefect, servers or subprocesses; runs whole flows

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "raw").glob("0*.txt"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)


def wait_for(check, timeout: float, what: str, *procs: subprocess.Popen, logs: list[Path]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        for proc, log in zip(procs, logs):
            assert proc.poll() is None, f"{proc.args[:4]} exited early:\n{log.read_text()[-3000:]}"
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}:\n" + "\n".join(log.read_text()[-3000:] for log in logs))


@pytest.fixture
def server(tmp_path):
    """A real Prefect server with its own PREFECT_HOME; yields the environment that points at it."""
    api = f"http://127.0.0.1:{free_port()}/api"
    port = api.split(":")[2].split("/")[0]
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": api}
    log = tmp_path / "server.log"
    proc = start([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", port], env, log)

    def healthy() -> bool:
        try:
            return httpx.get(f"{api}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, 120, "the Prefect server", proc, logs=[log])
        yield api, env, proc, log
    finally:
        stop(proc)


def _raw_with_two_seeds(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, raw)
    return raw


def test_a_scheduled_run_on_a_real_server_writes_the_output(tmp_path, server):
    api, env, server_proc, server_log = server
    raw, out = _raw_with_two_seeds(tmp_path), tmp_path / "out"
    serve_log = tmp_path / "serve.log"
    serve = None
    try:
        serve = start([sys.executable, "-m", "docclean.flows.cli", "serve", str(raw), "--output", str(out), "--interval", "5"],
                      env, serve_log)  # fmt: skip

        def completed_scheduled_runs() -> list[dict]:
            body = {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}, "limit": 10, "offset": 0}
            runs = httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10).json()
            return [r for r in runs if r.get("deployment_id")]

        (flow_run, *_) = wait_for(completed_scheduled_runs, 240, "a completed scheduled run", server_proc, serve,
                                  logs=[server_log, serve_log])  # fmt: skip
        deployment = httpx.get(f"{api}/deployments/{flow_run['deployment_id']}", timeout=10).json()
        assert deployment["name"] == "docclean-scheduled"
        assert [s["schedule"]["interval"] for s in deployment["schedules"]] == [5.0]
        runs = read_table(out, "runs").to_pylist()
        assert flow_run["id"] in {r["run_id"] for r in runs}  # the scheduled run wrote this output
        assert read_table(out, "articles").num_rows == 2
        # serve logs one line of counts per run
        line = f"docclean run {flow_run['id']}: inputs 2, articles 2, duplicates 0, rejects 0, skipped 0"
        wait_for(lambda: line in serve_log.read_text(errors="replace"), 30, "the run's counts in serve's log", serve,
                 logs=[serve_log])  # fmt: skip
    finally:
        if serve is not None:
            stop(serve)


def test_prefect_deploy_registers_the_projects_deployment_on_a_process_pool(tmp_path, server):
    api, env, _, _ = server
    raw, out = _raw_with_two_seeds(tmp_path), tmp_path / "out"

    def prefect(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "prefect", *args], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done.stdout

    prefect("work-pool", "create", "docclean", "--type", "process")
    prefect(
        "--no-prompt", "deploy", "--name", "docclean-scheduled", "--param", f"raw={raw}", "--param", f"output={out}"
    )
    (deployment,) = httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
    assert (deployment["name"], deployment["work_pool_name"]) == ("docclean-scheduled", "docclean")
    assert deployment["entrypoint"] == "flows/clean.py:docclean_flow"
    assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["*/15 * * * *"]
    prefect("deployment", "run", "docclean/docclean-scheduled")
    prefect("worker", "start", "--pool", "docclean", "--run-once")  # picks the run up and waits for it
    assert read_table(out, "articles").num_rows == 2
