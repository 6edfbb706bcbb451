"""The same run on a local Dask cluster of two worker processes (prefect-dask) and on local worker
processes: the same rows, the same duplicate and story decisions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.testing.utilities import prefect_test_harness

from docclean.flows.clean import docclean_flow, task_runner_for
from docclean.tasks.config import ExecutionConfig, load_config
from docclean.tasks.dataset import read_table

pytestmark = pytest.mark.slow  # starts Prefect, servers or subprocesses; runs whole flows

distributed = pytest.importorskip("distributed")
RAW = Path(__file__).resolve().parents[1] / "raw"


@pytest.fixture(scope="module")
def api_url():
    with prefect_test_harness(server_startup_timeout=90):
        with get_client(sync_client=True) as client:
            yield str(client.api_url)


@pytest.fixture(scope="module")
def cluster(api_url):
    # Dask workers read the environment when they start: point them at the test's Prefect server
    os.environ["PREFECT_API_URL"] = api_url
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
            yield c
    finally:
        del os.environ["PREFECT_API_URL"]


def decisions(out: Path) -> dict[str, list]:
    return {
        "articles": sorted(read_table(out, "articles").select(["source_uri", "doc_id", "story_id", "text"]).to_pylist(),
                           key=lambda r: r["source_uri"]),
        "duplicates": sorted(read_table(out, "duplicates").select(["source_uri", "duplicate_of", "kind"]).to_pylist(),
                             key=lambda r: r["source_uri"]),
        "rejects": sorted(read_table(out, "rejects").select(["source_uri", "reason"]).to_pylist(),
                          key=lambda r: r["source_uri"]),
    }  # fmt: skip


def test_a_dask_run_decides_exactly_like_a_local_run(cluster, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    shutil.copy(next(RAW.glob("001_*.txt")), raw / "copy-of-001.txt")
    cfg = load_config(["input.batch_size=2"])  # five batches: the runs really spread work
    local = docclean_flow.with_options(task_runner=task_runner_for(ExecutionConfig(workers=2)))
    local(str(raw), str(tmp_path / "local"), cfg)
    on_dask = docclean_flow.with_options(
        task_runner=task_runner_for(ExecutionConfig(executor="dask", dask_address=cluster.scheduler_address))
    )
    before = cluster.scheduler.transition_counter
    run = on_dask(str(raw), str(tmp_path / "dask"), cfg)
    assert cluster.scheduler.transition_counter > before  # the batches really went through the cluster
    assert decisions(tmp_path / "dask") == decisions(tmp_path / "local")
    assert run.articles == 7 and len(run.duplicates) == 3
