"""One real flow run (Prefect ephemeral server, real Parquet) on the sample raw/ plus copies and bad
inputs, read back with pyarrow and DuckDB. The run happens once per module, through the CLI."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from prefect.testing.utilities import prefect_test_harness
from typer.testing import CliRunner

from docclean.flows.cli import app
from tests.warcs import write_warc

pytestmark = pytest.mark.slow  # starts Prefect, servers or subprocesses; runs whole flows

RAW = Path(__file__).resolve().parents[1] / "raw"
SEED_003 = next(RAW.glob("003_*.txt"))
FRENCH = (
    "Le conseil municipal de Lyon a voté mardi soir la prolongation des horaires d'ouverture de toutes les "
    "bibliothèques publiques de la ville jusqu'à vingt-deux heures. La mesure coûtera environ deux millions "
    "d'euros par an et sera financée par une réduction du budget de communication de la mairie. Les "
    "bibliothécaires ont salué cette décision, tout en demandant des recrutements supplémentaires."
)
BROKEN_HTML = (
    "<html><head><title>Storm closes schools</title></head><body><article><h1>Storm closes schools</h1>"
    "<p>Heavy snow closed every school in the northern district on Monday as the storm brought nearly half a "
    "metre of snow overnight, and the council asked residents to stay at home.</p>"
    "<p>Bus services were suspended across the valley, and engineers worked through the night to restore "
    "power to more than four thousand homes that lost electricity in the"
)

# The input documents of the run, as they are named in the output (`#N` for .jsonl lines).
EXPECTED_INPUTS = {
    "000_29b04343ea17f447.txt", "001_96e24ef6ba94037e.txt", "002_a8ea809325a8ef07.txt",
    "003_52f2a795d7ea89a4.txt", "004_5026019d58151b83.txt",
    "pages/pacific-ledger-rare-earths-framework.html", "pages/nordkurier-landstrom-hamburg.html",
    "pages/diario-del-sur-ola-de-calor-sevilla.html",
    "feeds/wire-2026-02-03.jsonl#1", "feeds/wire-2026-02-03.jsonl#2",
    "copies/003-crlf.txt", "copies/003-mojibake.txt", "copies/000-cp1252.txt", "copies/renamed.txt",
    "bad/empty.txt", "bad/image.html", "bad/garbage.txt", "bad/broken.html", "bad/script-only.html",
    "bad/mixed.jsonl#1", "bad/mixed.jsonl#2", "bad/mixed.jsonl#3",
    "warc/site.warc.gz#urn:test:harbour", "warc/site.warc.gz#urn:test:logo", "warc/site.warc.gz#urn:test:landstrom",
    "warc/diario.html.gz",
}  # fmt: skip

ARTICLE_COLUMNS = {
    "doc_id": pa.string(), "source_uri": pa.string(), "source_format": pa.string(), "url": pa.string(),
    "site": pa.string(), "title": pa.string(), "author": pa.string(),
    "published_at": pa.timestamp("us", tz="UTC"), "tags": pa.list_(pa.string()), "language": pa.string(),
    "language_prob": pa.float64(), "text": pa.string(), "word_count": pa.int32(), "content_hash": pa.string(),
    "story_id": pa.string(),
    "boilerplate": pa.list_(pa.struct([("line", pa.string()), ("reason", pa.string())])),
    "ingested_at": pa.timestamp("us", tz="UTC"), "run_id": pa.string(), "pipeline_version": pa.string(),
}  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def prefect_server():
    """A real, temporary Prefect server for this module, started and stopped outside CliRunner's streams."""
    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(RAW, raw, dirs_exist_ok=True)
    (raw / "copies").mkdir()
    (raw / "copies/003-crlf.txt").write_bytes(SEED_003.read_bytes().replace(b"\n", b"\r\n"))
    # saved by a tool that had read the UTF-8 as cp1252: "won’t" became "wonâ€™t"
    (raw / "copies/003-mojibake.txt").write_text(SEED_003.read_bytes().decode("cp1252"), encoding="utf-8")
    seed_000 = next(RAW.glob("000_*.txt")).read_text(encoding="utf-8")
    (raw / "copies/000-cp1252.txt").write_bytes(seed_000.encode("cp1252"))
    (raw / "copies/renamed.txt").write_bytes(next(RAW.glob("001_*.txt")).read_bytes())
    (raw / "bad").mkdir()
    (raw / "bad/empty.txt").write_bytes(b"")
    (raw / "bad/image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (raw / "bad/garbage.txt").write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 14, 15, 16, 17]) * 100)
    (raw / "bad/broken.html").write_text(BROKEN_HTML, encoding="utf-8")
    (raw / "bad/script-only.html").write_text("<html><head><script>var a = 1;</script></head><body></body></html>")
    (raw / "bad/mixed.jsonl").write_text(
        json.dumps({"text": FRENCH, "url": "https://lyon.example/bibliotheques"}, ensure_ascii=False)
        + '\n{"text": "unterminated\n'
        + json.dumps({"title": "no body"})
        + "\n",
        encoding="utf-8",
    )
    (raw / "notes.md").write_text("not an input: unknown extension")
    (raw / "warc").mkdir()
    german = (RAW / "pages/nordkurier-landstrom-hamburg.html").read_bytes()
    responses = [
        ("https://harbour.example/ferries", "text/html; charset=utf-8", HARBOUR_PAGE.encode()),
        ("https://harbour.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("https://nordkurier.example/landstrom", "text/html; charset=windows-1252", german),
    ]
    ids = ["urn:test:harbour", "urn:test:logo", "urn:test:landstrom"]
    write_warc(raw / "warc/site.warc.gz", responses, record_ids=ids)
    spanish = (RAW / "pages/diario-del-sur-ola-de-calor-sevilla.html").read_bytes()
    (raw / "warc/diario.html.gz").write_bytes(gzip.compress(spanish))
    out = tmp_path_factory.mktemp("output")
    result = CliRunner().invoke(app, ["run", str(raw), "--output", str(out), "--set", "input.batch_size=4"])
    return raw, out, result


HARBOUR_PAGE = (
    "<html><head><title>Harbour ferries add a night service | Harbour Herald</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Harbour ferries add a night service</h1>"
    "<p>The harbour authority said on Monday that its ferries will run every hour through the night from "
    "next month, after a year in which the number of passengers on the late boats doubled.</p>"
    "<p>Night workers at the port and the hospital asked for the service, and the council agreed to pay "
    "for the extra crews for two years while the authority counts how many people use it.</p>"
    "</article><footer>Share this article</footer></body></html>"
)


def table(out: Path, name: str) -> pa.Table:
    partitioning = None if name == "runs" else "hive"
    return ds.dataset(out / "current" / name, format="parquet", partitioning=partitioning).to_table()


def rel(raw: Path, uri: str) -> str:
    return (
        str(Path(uri).relative_to(raw))
        if "#" not in uri
        else f"{Path(uri.split('#')[0]).relative_to(raw)}#{uri.split('#')[1]}"
    )


def by_input(raw: Path, out: Path) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for name in ("articles", "duplicates", "rejects"):
        for row in table(out, name).to_pylist():
            key = rel(raw, row["source_uri"])
            assert key not in rows, f"{key} appears twice"
            rows[key] = {**row, "table": name}
    return rows


def test_cli_run_succeeds_and_prints_the_summary(run):
    _, _, result = run
    assert result.exit_code == 0, result.output
    for label in ["inputs", "articles", "duplicates (exact)", "rejects", "languages", "stories", "seconds"]:
        assert label in result.output
    assert "rejected: binary" in result.output


def test_every_input_is_exactly_one_article_duplicate_or_reject(run):
    raw, out, _ = run
    assert set(by_input(raw, out)) == EXPECTED_INPUTS  # by_input fails on any input listed twice


def test_seeds_are_five_clean_english_articles(run):
    raw, out, _ = run
    rows = by_input(raw, out)
    seeds = {k: v for k, v in rows.items() if "/" not in k}
    assert {v["table"] for v in seeds.values()} == {"articles"}
    assert all(v["language"] == "en" and v["language_prob"] > 0.9 for v in seeds.values())
    for furniture in ["bookmarks", "Post by", "Drishyam", "Dollar Slides", "follow us", "Disclosure", "#Japans"]:
        assert not any(furniture in v["text"] for v in seeds.values()), furniture
    s003 = rows["003_52f2a795d7ea89a4.txt"]
    assert s003["author"] == "Badri Ariffin"
    body = SEED_003.read_text(encoding="utf-8").splitlines()[4:12]
    assert s003["text"] == "\n".join(line.strip() for line in body)
    assert rows["004_5026019d58151b83.txt"]["tags"] == ["Japans", "milestone", "rare", "earth", "mining"]
    assert rows["002_a8ea809325a8ef07.txt"]["title"].startswith("Japan and US Partner on Deep-Sea Mining")
    reasons = {b["reason"] for b in s003["boilerplate"]}
    assert {"prompt", "byline", "unrelated_headlines"} <= reasons


def test_copies_point_at_their_seed_article(run):
    raw, out, _ = run
    rows = by_input(raw, out)
    seed_ids = {k[:3]: v["doc_id"] for k, v in rows.items() if "/" not in k}
    expectations = {
        "pages/pacific-ledger-rare-earths-framework.html": ("003", "exact"),
        "copies/003-crlf.txt": ("003", "exact"),
        "copies/003-mojibake.txt": ("003", "exact"),
        "copies/000-cp1252.txt": ("000", "exact"),
        "copies/renamed.txt": ("001", "exact"),
        "feeds/wire-2026-02-03.jsonl#1": ("004", "near"),
    }
    for uri, (seed, kind) in expectations.items():
        row = rows[uri]
        assert (row["table"], row["duplicate_of"], row["kind"]) == ("duplicates", seed_ids[seed], kind), uri
    assert rows["copies/renamed.txt"]["doc_id"] == seed_ids["001"]  # same bytes, same content-derived id


def test_bad_inputs_are_rejects_with_reasons(run):
    raw, out, _ = run
    rows = by_input(raw, out)
    expected = {
        "bad/empty.txt": "empty",
        "bad/image.html": "binary",
        "bad/garbage.txt": "undecodable",
        "bad/script-only.html": "no_content",
        "bad/mixed.jsonl#2": "bad_record",
        "bad/mixed.jsonl#3": "bad_record",
        "feeds/wire-2026-02-03.jsonl#2": "too_short",
    }
    assert {k: rows[k]["reason"] for k in expected} == expected
    assert all(rows[k]["detail"] for k in expected)
    assert rows["bad/broken.html"]["table"] == "articles"  # truncated HTML still yields its text
    assert "four thousand homes" in rows["bad/broken.html"]["text"]
    french = rows["bad/mixed.jsonl#1"]
    assert (french["table"], french["language"], french["source_format"]) == ("articles", "fr", "jsonl")
    assert french["site"] == "lyon.example"


def test_warc_responses_and_gzip_pages_are_inputs_like_files(run):
    raw, out, _ = run
    rows = by_input(raw, out)
    harbour = rows["warc/site.warc.gz#urn:test:harbour"]
    assert (harbour["table"], harbour["source_format"], harbour["url"]) == (
        "articles",
        "warc",
        "https://harbour.example/ferries",
    )
    assert harbour["title"] == "Harbour ferries add a night service"
    assert "night workers" in harbour["text"].lower() and "Share this article" not in harbour["text"]
    logo = rows["warc/site.warc.gz#urn:test:logo"]
    assert (logo["table"], logo["reason"]) == ("rejects", "not_article")
    # the same bytes as a page file: one article and an exact duplicate of it, whatever the container
    for copy, page in [
        ("warc/site.warc.gz#urn:test:landstrom", "pages/nordkurier-landstrom-hamburg.html"),
        ("warc/diario.html.gz", "pages/diario-del-sur-ola-de-calor-sevilla.html"),
    ]:
        duplicate, article = sorted((rows[copy], rows[page]), key=lambda row: row["table"] != "duplicates")
        assert (duplicate["table"], article["table"]) == ("duplicates", "articles")
        assert (duplicate["duplicate_of"], duplicate["kind"]) == (article["doc_id"], "exact")


def test_pages_in_other_languages_and_encodings(run):
    raw, out, _ = run
    rows = by_input(raw, out)
    de = rows["pages/nordkurier-landstrom-hamburg.html"]  # windows-1252 bytes, declared in a meta tag
    assert (de["language"], de["author"], de["site"]) == ("de", "Jana Petersen", "Nordkurier Online")
    assert "größte Landstromanlage" in de["text"] and "Cookies" not in de["text"]
    es = rows["pages/diario-del-sur-ola-de-calor-sevilla.html"]
    assert (es["language"], es["author"]) == ("es", "Lucía Romero")
    assert es["published_at"].isoformat() == "2025-07-29T16:40:00+00:00"
    assert "pepe_sev" not in es["text"] and "Betis" not in es["text"]


def test_articles_schema_is_the_contract(run):
    _, out, _ = run
    files = list((out / "current" / "articles").rglob("*.parquet"))
    assert files and all(f.parent.name.startswith("ingest_date=") for f in files)
    schema = pq.read_schema(files[0])
    assert {f.name: f.type for f in schema} == ARTICLE_COLUMNS
    assert schema.metadata[b"docclean.schema_version"] == b"3"


def test_duckdb_reads_the_output(run):
    raw, out, _ = run
    con = duckdb.connect()
    articles = f"read_parquet('{out}/current/articles/**/*.parquet', hive_partitioning=true)"
    duplicates = f"read_parquet('{out}/current/duplicates/**/*.parquet', hive_partitioning=true)"
    n_articles, n_dates = con.execute(f"select count(*), count(distinct ingest_date) from {articles}").fetchone()
    assert (n_articles, n_dates) == (10, 1)
    orphans = con.execute(f"select count(*) from {duplicates} d anti join {articles} a on d.duplicate_of = a.doc_id")
    assert orphans.fetchone() == (0,)
    reasons = dict(
        con.execute(f"select b.reason, count(*) from {articles}, unnest(boilerplate) as t(b) group by 1").fetchall()
    )
    assert reasons["unrelated_headlines"] == 16 + 12
    assert reasons["hashtags"] == 1


def test_runs_table_counts_the_run(run):
    raw, out, result = run
    (row,) = table(out, "runs").to_pylist()
    assert (row["inputs"], row["articles"], row["duplicates_exact"], row["duplicates_near"], row["rejects"]) == (
        26, 10, 7, 1, 8,
    )  # fmt: skip
    assert {c["name"]: c["count"] for c in row["rejects_by_reason"]}["bad_record"] == 2
    stages = {s["stage"]: (s["items_in"], s["items_out"]) for s in row["stages"]}
    assert list(stages)[:3] == ["load-index", "discover", "read"]
    dropped: dict[str, dict[str, int]] = {}
    for d in row["dropped"]:
        dropped.setdefault(d["stage"], {})[d["reason"]] = d["count"]
    # each stage's own account: what it took in went on or was dropped, with the reason
    assert dropped["deduplicate"] == {"exact duplicate": 7, "near duplicate": 1}
    assert stages["deduplicate"] == (18, 10) and stages["stories"] == (10, 10)
    extract_in, extract_out = stages["extract"]
    assert extract_in == stages["read"][1] and extract_out == 18
    assert extract_in - extract_out == sum(dropped["extract"].values())
    assert sum(dropped["read"].values()) + sum(dropped["extract"].values()) == 8  # the run's rejects
    assert dropped["read"]["bad_record"] == 2
    assert stages["language"] == stages["fingerprint"] == (18, 18) and stages["write"] == (26, 26)
    assert json.loads(row["config"])["input"]["batch_size"] == 4
    assert row["finished_at"] >= row["started_at"]
    assert row["run_id"] in result.output


def test_a_missing_input_is_one_clear_line_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(app, ["run", str(tmp_path / "nope"), "--output", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"docclean: no input at {tmp_path / 'nope'} (a folder, a file or an fsspec URL)"
    ]
    assert not (tmp_path / "out").exists()


def test_bad_override_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["run", str(tmp_path), "--set", "threshold=1"])
    assert result.exit_code == 2


def test_module_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "docclean.flows.clean", "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "--output" in done.stdout


def test_a_second_run_is_judged_against_the_first(run, tmp_path_factory):
    raw, out, _ = run
    seed_id = by_input(raw, out)["003_52f2a795d7ea89a4.txt"]["doc_id"]
    week2 = tmp_path_factory.mktemp("week2")
    body = SEED_003.read_text(encoding="utf-8").splitlines()[4:10]
    (week2 / "syndicated.txt").write_text("U.S. and Japan seal rare earths pact\n" + "\n".join(body), encoding="utf-8")
    (week2 / "seed-reformatted.txt").write_bytes(SEED_003.read_bytes() + b"\n\n")  # new bytes, same text
    (week2 / "seed-renamed.txt").write_bytes(SEED_003.read_bytes())  # the same bytes: processed before
    result = CliRunner().invoke(app, ["run", str(week2), "--output", str(out)])
    assert result.exit_code == 0, result.output
    second = {
        Path(r["source_uri"]).name: r for r in table(out, "duplicates").to_pylist() if str(week2) in r["source_uri"]
    }
    assert set(second) == {"syndicated.txt", "seed-reformatted.txt"}
    assert (second["syndicated.txt"]["duplicate_of"], second["syndicated.txt"]["kind"]) == (seed_id, "near")
    assert (second["seed-reformatted.txt"]["duplicate_of"], second["seed-reformatted.txt"]["kind"]) == (
        seed_id,
        "exact",
    )
    runs = sorted(table(out, "runs").to_pylist(), key=lambda r: r["started_at"])
    assert [(r["inputs"], r["skipped"]) for r in runs] == [(26, 0), (2, 1)]
    assert sum(r["articles"] for r in runs) == 10
    assert (out / "current").readlink() == Path("snapshots/000002")
    assert json.loads((out / "current/index/meta.json").read_text())["runs"] == [r["run_id"] for r in runs]


def test_running_again_on_the_same_inputs_adds_no_rows(run):
    raw, out, _ = run
    before = {name: table(out, name).num_rows for name in ("articles", "duplicates", "rejects", "runs")}
    snapshot, snapshots = (out / "current").readlink(), sorted((out / "snapshots").iterdir())
    result = CliRunner().invoke(app, ["run", str(raw), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert re.search(r"skipped \(processed before\)\s*│\s*26\b", result.output)
    # nothing new: no new snapshot, no run row (a schedule that finds nothing churns nothing)
    assert {name: table(out, name).num_rows for name in before} == before
    assert (out / "current").readlink() == snapshot
    assert sorted((out / "snapshots").iterdir()) == snapshots


def test_the_python_api_runs_the_flow_as_the_cli_does(tmp_path):
    import docclean

    raw = tmp_path / "raw"
    raw.mkdir()
    for seed in sorted(RAW.glob("00[01]_*.txt")):
        shutil.copy(seed, raw / seed.name)
    result = docclean.run(str(raw), str(tmp_path / "out"), input__batch_size=1, execution__workers=1)
    assert (len(result.article_ids), len(result.rejects)) == (2, 0)
    assert table(tmp_path / "out", "articles").num_rows == 2
    with pytest.raises(ValueError):
        docclean.run(str(raw), str(tmp_path / "out"), batch_size=1)  # not section__key


QUAKE_C = (
    "Aid reached Mamuju on Sunday, two days after the magnitude 6.1 earthquake on Sulawesi. "
    "Soldiers handed out rice and tents to families whose homes the quake destroyed, and engineers checked "
    "the Mamuju hospital, which the Sulawesi earthquake had damaged, the disaster agency said."
)


def _story_run(raw: Path, out: Path, texts: dict[str, str]):
    import docclean

    raw.mkdir()
    for name, text in texts.items():
        (raw / name).write_text(text, encoding="utf-8")
    result = docclean.run(str(raw), str(out), input__batch_size=2, execution__workers=1)
    articles = {Path(r["source_uri"]).name: r for r in table(out, "articles").to_pylist()}
    return result, articles


def test_stories_and_short_copies_through_runs_in_any_file_order(tmp_path):
    from tests.test_dedup import STORY, TEASER
    from tests.test_stories import ELECTION, QUAKE_A, QUAKE_B

    contents = {"quake-a": QUAKE_A, "quake-b": QUAKE_B, "vote": ELECTION, "mud": STORY, "teaser": TEASER,
                "stranger": "Heavy snow closed the mountain pass again, and the ferry to the island was cancelled."}  # fmt: skip
    partitions = []
    for order, prefix in (("forward", lambda i: f"{i:02d}"), ("reversed", lambda i: f"{99 - i:02d}")):
        names = {key: f"{prefix(i)}-{key}.txt" for i, key in enumerate(contents)}
        result, articles = _story_run(tmp_path / f"raw-{order}", tmp_path / f"out-{order}", {
            names[key]: text for key, text in contents.items()
        })  # fmt: skip
        key_of = {name: key for key, name in names.items()}
        stories: dict[str, set[str]] = {}
        for name, row in articles.items():
            stories.setdefault(row["story_id"], set()).add(key_of[name])
        partitions.append(
            (sorted(map(sorted, stories.values())), {key_of[n]: r["story_id"] for n, r in articles.items()})
        )
        # the teaser is a copy of the article it was cut from; the short stranger copies nothing
        dups = {Path(d["source_uri"]).name: d for d in table(tmp_path / f"out-{order}", "duplicates").to_pylist()}
        assert [(key_of[n], d["kind"], d["duplicate_of"]) for n, d in dups.items()] == [
            ("teaser", "near", articles[names["mud"]]["doc_id"])
        ]
        rejects = table(tmp_path / f"out-{order}", "rejects").to_pylist()
        assert [(key_of[Path(r["source_uri"]).name], r["reason"]) for r in rejects] == [("stranger", "too_short")]
        (row,) = table(tmp_path / f"out-{order}", "runs").to_pylist()
        assert {s["stage"]: (s["items_in"], s["items_out"]) for s in row["stages"]}["short copies"] == (2, 1)
    (forward, forward_ids), (backward, backward_ids) = partitions
    assert forward == backward == [["mud"], ["quake-a", "quake-b"], ["vote"]]
    assert forward_ids == backward_ids  # a new story is named after its smallest doc_id, whatever the order

    # a later run: a third report of the quake joins its story; the first run's rows keep their ids
    out = tmp_path / "out-forward"
    before = {r["doc_id"]: r["story_id"] for r in table(out, "articles").to_pylist()}
    _, articles = _story_run(
        tmp_path / "raw-later", out, {"quake-c.txt": QUAKE_C, "vote-2.txt": ELECTION + " More soon."}
    )
    after = {r["doc_id"]: r["story_id"] for r in table(out, "articles").to_pylist()}
    assert {k: after[k] for k in before} == before
    assert articles["quake-c.txt"]["story_id"] == forward_ids["quake-a"]
