"""Outputs written by earlier versions stay readable, and later runs build on them.

tests/data/output-v1 was written on 2026-11-21 by docclean at commit 5d76c60 (schema version 1: the
tables at the top of the output folder, no snapshots, no ledger); tests/data/output-v2 by the first
version with snapshots (schema version 2). Both from the same four inputs: seeds 000 and 003, a
byte-identical copy of 003 and an empty file. tests/data/output-v2-index-v3 by the first version with
per-run index parts (tables still schema version 2, index version 3), from the same inputs in two
runs: seed 000 and the empty file, then 003 and its copy. Never regenerate them: they stand for data
in the wild.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from prefect.testing.utilities import prefect_test_harness
from typer.testing import CliRunner

from docclean.flows.clean import docclean_flow
from docclean.flows.cli import app
from docclean.tasks.config import load_config
from docclean.tasks.dataset import SCHEMAS, read_table, table_files

pytestmark = pytest.mark.slow  # starts Prefect, servers or subprocesses; runs whole flows

DATA = Path(__file__).resolve().parent / "data"
RAW = Path(__file__).resolve().parents[1] / "raw"
OUTPUTS = {"output-v1": (1, 1), "output-v2": (2, 1), "output-v2-index-v3": (2, 2)}  # (table schema, runs)
VERSIONS = list(OUTPUTS)


@pytest.fixture(scope="module")
def prefect_server():
    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.mark.parametrize("version", VERSIONS)
def test_every_table_reads_in_todays_schema(version):
    out = DATA / version
    counts = {name: read_table(out, name).num_rows for name in SCHEMAS}
    schema_version, runs = OUTPUTS[version]
    assert counts == {"articles": 2, "duplicates": 1, "rejects": 1, "runs": runs}
    for name, schema in SCHEMAS.items():
        assert read_table(out, name).schema == schema
    written = {pq.read_schema(table_files(out, n)[0]).metadata[b"docclean.schema_version"] for n in SCHEMAS}
    assert written == {str(schema_version).encode()}  # every file says which schema version wrote it


def test_columns_added_later_read_as_null_in_old_files():
    (reject,) = read_table(DATA / "output-v1", "rejects").to_pylist()
    (run,) = read_table(DATA / "output-v1", "runs").to_pylist()
    assert (reject["reason"], reject["input_key"], run["skipped"]) == ("empty", None, None)
    (reject,) = read_table(DATA / "output-v2", "rejects").to_pylist()
    assert reject["input_key"]


@pytest.mark.parametrize("version", VERSIONS)
def test_report_reads_old_outputs(version):
    result = CliRunner().invoke(app, ["report", str(DATA / version)])
    assert result.exit_code == 0, result.output
    assert "articles" in result.output and "rejected: empty" in result.output


@pytest.mark.parametrize(("version", "skipped"), [("output-v1", 3), ("output-v2", 4), ("output-v2-index-v3", 4)])
def test_a_new_run_builds_on_an_old_output(prefect_server, tmp_path, version, skipped):
    out = tmp_path / "out"
    shutil.copytree(DATA / version, out, symlinks=True)
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("000_29b04343ea17f447.txt", "003_52f2a795d7ea89a4.txt", "001_96e24ef6ba94037e.txt"):
        shutil.copy(RAW / name, raw)
    shutil.copy(RAW / "003_52f2a795d7ea89a4.txt", raw / "copy-of-003.txt")
    (raw / "empty.txt").write_bytes(b"")
    run = docclean_flow(str(raw), str(out), load_config())
    # version 1 kept no key for rejects, so its empty file is judged again; everything else is known
    assert run.skipped == skipped
    articles = read_table(out, "articles").to_pylist()
    new = [a for a in articles if a["run_id"] == run.run_id]
    assert [a["source_uri"].rsplit("/", 1)[1] for a in new] == ["001_96e24ef6ba94037e.txt"]
    assert run.article_ids == [a["doc_id"] for a in new]
    assert len(articles) == 3 and read_table(out, "runs").num_rows == OUTPUTS[version][1] + 1
    assert (out / "current").is_symlink()
    # an index of per-run parts gets one more part; an older index is rewritten whole, as one part
    parts = sorted(path.name for path in (out / "current" / "index" / "texts").iterdir())
    runs = OUTPUTS[version][1] + 1
    if version == "output-v2-index-v3":
        assert parts == [f"part-{n:06d}.parquet" for n in range(1, runs + 1)]
    else:
        assert parts == [f"part-{runs:06d}.parquet"]
