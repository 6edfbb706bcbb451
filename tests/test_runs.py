"""Runs that downstream jobs can trust, each checked with real Prefect flow runs: fsspec inputs,
retries of transient read failures, inputs that vanish or are broken in new ways, the run's summary
artifact, and `docclean report` over the whole output."""

from __future__ import annotations

import codecs
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import fsspec
import pyarrow.parquet as pq
import pytest
from fsspec.implementations.memory import MemoryFileSystem
from prefect.artifacts import Artifact
from prefect.testing.utilities import prefect_test_harness
from typer.testing import CliRunner

from docclean.flows.clean import docclean_flow
from docclean.flows.cli import app
from docclean.tasks.config import load_config
from docclean.tasks.dataset import read_table, table_files
from docclean.tasks.summary import ARTIFACT_KEY

pytestmark = pytest.mark.slow  # starts Prefect, servers or subprocesses; runs whole flows

RAW = Path(__file__).resolve().parents[1] / "raw"
SEEDS = sorted(RAW.glob("0*.txt"))
ARTICLE = (
    "The harbour authority said on Tuesday that the new ferry terminal will open in April, two months "
    "later than planned, because the steel for the pier arrived late from the mill. The delay will cost "
    "the port about four million euros, most of it covered by the builder's insurance, officials said. "
    "Ferry companies have been told to keep using the old quay until the spring."
)


@pytest.fixture(scope="module", autouse=True)
def prefect_server():
    with prefect_test_harness(server_startup_timeout=90):
        yield


class _TestFileSystem(MemoryFileSystem):
    """memory:// under another protocol name (files live in the same in-process store)."""

    @classmethod
    def _strip_protocol(cls, path):
        return MemoryFileSystem._strip_protocol(path.replace(f"{cls.protocol}://", "memory://", 1))


class FlakyFileSystem(_TestFileSystem):
    """memory:// whose files named ``flaky*`` time out on their first two opens, ``dead*`` always,
    and ``locked*`` refuse permission (a deterministic failure)."""

    protocol = "flaky"
    opens: Counter[str] = Counter()

    def _open(self, path, mode="rb", **kwargs):
        name = path.rsplit("/", 1)[-1]
        if "r" not in mode:
            return super()._open(path, mode, **kwargs)
        self.opens[name] += 1
        if name.startswith("dead") or (name.startswith("flaky") and self.opens[name] <= 2):
            raise TimeoutError(f"read timed out: {path}")
        if name.startswith("locked"):
            raise PermissionError(f"permission denied: {path}")
        return super()._open(path, mode, **kwargs)


class VanishingFileSystem(_TestFileSystem):
    """Lists a file that is gone when it is read: deleted between discovery and reading."""

    protocol = "vanishing"

    def find(self, path, *args, **kwargs):
        return sorted([*super().find(path, *args, **kwargs), f"{path.rstrip('/')}/gone.txt"])


fsspec.register_implementation("flaky", FlakyFileSystem, clobber=True)
fsspec.register_implementation("vanishing", VanishingFileSystem, clobber=True)


def put(url: str, data: bytes) -> None:
    with fsspec.open(url, "wb") as fh:
        fh.write(data)


def outcomes(out: Path) -> dict[str, str]:
    """source_uri -> articles | duplicates | rejects:<reason>, checking that no input appears twice."""
    seen: dict[str, str] = {}
    for name in ("articles", "duplicates", "rejects"):
        for row in read_table(out, name).to_pylist():
            assert row["source_uri"] not in seen, f"{row['source_uri']} is in two rows"
            seen[row["source_uri"]] = f"rejects:{row['reason']}" if name == "rejects" else name
    return seen


def test_memory_url_inputs(tmp_path):
    for seed in SEEDS[:2]:
        put(f"memory://seeds/{seed.name}", seed.read_bytes())
    run = docclean_flow("memory://seeds", str(tmp_path), load_config())
    assert run.articles == 2
    assert outcomes(tmp_path) == {f"memory:///seeds/{s.name}": "articles" for s in SEEDS[:2]}  # fsspec's canonical form


def test_transient_failures_are_retried_by_prefect_and_deterministic_ones_are_not(tmp_path):
    FlakyFileSystem.opens.clear()
    for name in ("flaky.txt", "dead.txt", "locked.txt"):
        put(f"flaky://feed/{name}", ARTICLE.encode())
    cfg = load_config(["input.batch_size=1", "input.read_retries=2", "input.retry_delay_seconds=0"])
    docclean_flow("flaky://feed", str(tmp_path), cfg)
    assert FlakyFileSystem.opens == {"flaky.txt": 3, "dead.txt": 3, "locked.txt": 1}
    assert outcomes(tmp_path) == {
        "flaky:///feed/flaky.txt": "articles",  # the third attempt succeeded
        "flaky:///feed/dead.txt": "rejects:unreadable",  # still failing after the retries: a reject
        "flaky:///feed/locked.txt": "rejects:unreadable",  # not worth retrying
    }
    details = {r["source_uri"]: r["detail"] for r in read_table(tmp_path, "rejects").to_pylist()}
    assert details["flaky:///feed/dead.txt"].startswith("TimeoutError")
    assert details["flaky:///feed/locked.txt"].startswith("PermissionError")


def test_bad_inputs_end_as_rejects_or_articles_and_the_run_completes(tmp_path):
    put("vanishing://in/good.txt", ARTICLE.encode())
    put("vanishing://in/big.txt", b"a" * (100 * 1024 * 1024))  # 100 MB
    deep = "<html><body>" + "<div>" * 50_000 + "<p>deep</p>" + "</div>" * 50_000 + "</body></html>"
    put("vanishing://in/deep.html", deep.encode())
    put("vanishing://in/invalid-utf8.txt", b"\xff\xfe\xfa" + bytes(range(128, 256)) * 20)
    put("vanishing://in/wrong-charset.html", (  # declares UTF-8, is windows-1252
        '<html><head><meta charset="utf-8"><title>Ferry terminal delayed</title></head><body><article>'
        f"<h1>Ferry terminal delayed</h1><p>{ARTICLE} “Nobody is happy about it,” the harbour’s chief said.</p>"
        "</article></body></html>"
    ).encode("cp1252"))  # fmt: skip
    put("vanishing://in/utf16.txt", codecs.BOM_UTF16_LE + ARTICLE.replace("April", "May").encode("utf-16-le"))
    run = docclean_flow("vanishing://in", str(tmp_path), load_config())
    assert outcomes(tmp_path) == {
        "vanishing:///in/wrong-charset.html": "articles",  # the longest copy of the ferry story
        "vanishing:///in/good.txt": "duplicates",
        "vanishing:///in/utf16.txt": "duplicates",
        "vanishing:///in/big.txt": "rejects:too_large",
        "vanishing:///in/deep.html": "rejects:no_content",
        "vanishing:///in/invalid-utf8.txt": "rejects:undecodable",
        "vanishing:///in/gone.txt": "rejects:unreadable",
    }
    assert run.inputs == 7
    (page,) = read_table(tmp_path, "articles").to_pylist()
    assert "“Nobody is happy about it,” the harbour’s chief said." in page["text"]  # decoded as cp1252
    assert all(r["detail"] for r in read_table(tmp_path, "rejects").to_pylist())  # every reject says why


def test_a_big_input_does_not_cost_its_size_in_memory(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (100 * 1024 * 1024))
    small = tmp_path / "small.txt"
    small.write_bytes(ARTICLE.encode())
    probe = (
        "import resource, sys; from docclean.tasks.config import load_config; from docclean.tasks.read import read_batch; "
        "from docclean.tasks.extract import extract_batch; records, rejects = read_batch([sys.argv[1]], load_config()); "
        "extract_batch(records, load_config()); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )

    def peak_kib(path: Path) -> int:
        done = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True)
        return int(done.stdout.split()[-1])

    assert peak_kib(big) - peak_kib(small) < 32 * 1024  # a 100 MB input adds under 32 MiB


def test_a_long_text_costs_less_than_ten_times_its_size_to_clean(tmp_path):
    # a 10 MB text of varied sentences, cleaned as a worker cleans it (extraction in its child process)
    sentences = [
        line.strip() for seed in SEEDS for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    text = "\n".join(f"{sentences[n % len(sentences)]} ({n})" for n in range(60_000))
    (tmp_path / "long.txt").write_text(text[:10_000_000], encoding="utf-8")
    probe = (
        "import resource, sys; from docclean.tasks.config import load_config; from docclean.tasks.read import read_batch;"
        "from docclean.tasks.batch import clean_batch; from docclean.tasks.language import detect_language;"
        "from docclean.tasks.sandbox import retire;"
        "cfg = load_config(); detect_language('warm up the language profiles, loaded once per process', cfg.language);"
        "records, _ = read_batch([sys.argv[1]], cfg); peak = lambda: max(resource.getrusage(r).ru_maxrss for r in"
        " (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)); before = peak(); done = clean_batch(records, cfg);"
        "retire();"  # the cleaning child outlives its batch: ended, its peak is counted
        "print(len(done.docs), peak() - before)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "long.txt")], capture_output=True, text=True, check=True
    )
    articles, added_kib = map(int, out.stdout.split()[-2:])
    size_kib = (tmp_path / "long.txt").stat().st_size / 1024
    assert articles == 1 and added_kib < 10 * size_kib, f"{added_kib / size_kib:.1f} times the input"


def test_each_run_publishes_its_summary_as_an_artifact(tmp_path):
    put("memory://artifact/a.txt", ARTICLE.encode())
    put("memory://artifact/empty.txt", b"")
    run = docclean_flow("memory://artifact", str(tmp_path), load_config())
    artifact = Artifact.get(ARTIFACT_KEY)  # the latest version of the key: this run's
    assert str(artifact.flow_run_id) == run.run_id and artifact.type == "markdown"
    for line in (
        "| articles | 1 |",
        "| rejects | 1 |",
        "| &nbsp;&nbsp;rejected: empty | 1 |",
        "| stories | 1 (1 new) |",
    ):
        assert line in artifact.data
    assert "extract seconds" in artifact.data


def test_report_summarises_the_whole_output_with_duckdb(tmp_path):
    put("memory://week1/a.txt", ARTICLE.encode())
    put("memory://week1/b.txt", SEEDS[0].read_bytes())
    docclean_flow("memory://week1", str(tmp_path), load_config())
    put("memory://week2/a-again.txt", ARTICLE.encode())  # processed before: skipped
    put("memory://week2/c.txt", SEEDS[1].read_bytes())
    put("memory://week2/bin.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    docclean_flow("memory://week2", str(tmp_path), load_config())
    result = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = {
        cells[0]: cells[1]
        for line in result.output.splitlines()
        if len(cells := [c.strip() for c in line.strip("│┃ ").split("│")]) == 2
    }
    assert rows["runs"].startswith("2 (") and rows["snapshot"] == "000002"
    # the dataset's totals: every input decided once, whatever was read again
    assert (rows["documents decided"], rows["articles"], rows["rejects"], rows["rejected: binary"]) == (
        "4",
        "3",
        "1",
        "1",
    )
    assert rows["languages"] == "en 3" and "skipped (processed before)" not in rows
    stages = [what.strip().removesuffix(" seconds") for what in rows if what.endswith(" seconds")]
    assert stages.index("discover") < stages.index("read") < stages.index("deduplicate") < stages.index("write")
    history = CliRunner().invoke(app, ["report", str(tmp_path), "--runs"])
    assert history.exit_code == 0, history.output
    lines = [line for line in history.output.splitlines() if re.search(r"\d{4}-\d\d-\d\d \d\d:", line)]
    cells = [[c.strip() for c in line.strip("│┃ ").split("│")] for line in lines]
    # inputs, skipped, articles, exact, near, rejects of each run, oldest first
    assert [row[2:8] for row in cells] == [["2", "0", "2", "0", "0", "0"], ["2", "1", "1", "0", "0", "1"]]


def test_report_on_a_missing_output_fails_clearly(tmp_path):
    result = CliRunner().invoke(app, ["report", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "no output folder" in result.output


def test_many_small_runs_keep_few_files_and_a_changed_file_is_new_content(tmp_path):
    cfg = load_config(["output.max_files_per_partition=2"])
    for seed in SEEDS:  # five scheduled runs, one new article each
        put(f"memory://daily/{seed.name}", seed.read_bytes())
        docclean_flow("memory://daily", str(tmp_path), cfg)
    put(f"memory://daily/{SEEDS[0].name}", SEEDS[0].read_bytes() + b"\nUpdated with a correction.\n")
    last = docclean_flow("memory://daily", str(tmp_path), cfg)
    assert (last.inputs, last.skipped) == (1, 4)  # same name, new bytes: judged again
    # the cleaner drops the one-line note, so the clean text is the stored one: an exact duplicate
    assert [(d.source_uri.rsplit("/", 1)[1], d.kind) for d in last.duplicates] == [(SEEDS[0].name, "exact")]
    assert read_table(tmp_path, "articles").num_rows == 5 and read_table(tmp_path, "runs").num_rows == 6
    for table in ("articles", "duplicates", "rejects", "runs"):
        for folder in {p.parent for p in table_files(tmp_path, table)}:
            assert len(list(folder.glob("*.parquet"))) <= 2, f"{folder} was not compacted"


OTHER = (
    "The city council voted on Wednesday to close the central library for six months while its roof is "
    "replaced, after inspectors found water damage in the reading rooms. Books will be lent from a school "
    "gym nearby, and the council promised that the archive will stay open by appointment during the work."
)
LONGER = ARTICLE + "\nThe harbour master said the first ferry will sail from the new pier on the first of May."


@pytest.mark.parametrize(("batch_size", "canonical"), [(1, "a-short.txt"), (10, "b-longer.txt")])
def test_a_run_is_decided_batch_by_batch_and_an_earlier_batch_wins(tmp_path, batch_size, canonical):
    """One batch: the longest copy is the article. A batch per input: the copy decided first stays
    the article (decisions are never revisited), and each table is one file with a row group per batch."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a-short.txt").write_text(ARTICLE)
    (raw / "b-longer.txt").write_text(LONGER)
    (raw / "c-other.txt").write_text(OTHER)
    cfg = load_config([f"input.batch_size={batch_size}", "execution.workers=1"])
    run = docclean_flow(str(raw), str(tmp_path / "out"), cfg)
    articles = read_table(tmp_path / "out", "articles").to_pylist()
    assert sorted(a["source_uri"].rsplit("/", 1)[1] for a in articles) == sorted([canonical, "c-other.txt"])
    (dup,) = run.duplicates
    assert dup.kind == "near" and dup.duplicate_of == next(
        a["doc_id"] for a in articles if canonical in a["source_uri"]
    )
    (articles_file,) = table_files(tmp_path / "out", "articles")
    assert pq.ParquetFile(articles_file).num_row_groups == (2 if batch_size == 1 else 1)


def test_files_are_read_in_groups_and_a_jsonl_or_warc_file_alone():
    from docclean.flows.clean import read_groups

    uris = [
        "a.html",
        "b.txt",
        "c.html",
        "feed.JSONL",
        "d.txt",
        "e.txt",
        "f.txt",
        "more.jsonl",
        "crawl.warc.gz",
        "g.txt",
    ]
    assert read_groups(uris, 2) == [["a.html", "b.txt"], ["c.html"], ["feed.JSONL"], ["d.txt", "e.txt"], ["f.txt"],
                                    ["more.jsonl"], ["crawl.warc.gz"], ["g.txt"]]  # fmt: skip
    assert read_groups([], 2) == []


def test_a_jsonl_file_is_cleaned_batch_size_records_at_a_time(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "feed.jsonl").write_text("\n".join(json.dumps({"text": text}) for text in (ARTICLE, LONGER, OTHER)))
    cfg = load_config(["input.batch_size=1", "execution.workers=1"])
    run = docclean_flow(str(raw), str(tmp_path / "out"), cfg)
    articles = read_table(tmp_path / "out", "articles").to_pylist()
    assert sorted(a["source_uri"].rsplit("#", 1)[1] for a in articles) == ["1", "3"]  # the first copy stays
    assert [d.source_uri.rsplit("#", 1)[1] for d in run.duplicates] == ["2"]
    (articles_file,) = table_files(tmp_path / "out", "articles")
    assert pq.ParquetFile(articles_file).num_row_groups == 2


def test_a_run_of_a_few_batches_splits_its_files_evenly():
    from docclean.flows.clean import batch_plan

    assert batch_plan(120, 100) == (60, 0)  # not 100 and 20: no worker waits for another's long batch
    assert batch_plan(250, 100) == (84, 0)  # three batches, as few as the size allows
    assert batch_plan(1000, 100) == (100, 0)
    assert batch_plan(80, 100) == (80, 100)  # a small run is cleaned in the flow's process, as one batch
    assert batch_plan(0, 100) == (1, 100)
