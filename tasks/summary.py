"""The summary of one run (a Prefect artifact, the CLI's table) and of a whole output (``docclean report``).

Both are lists of (what, value) rows with the same labels, so a run and the dataset read alike.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from docclean.tasks.dataset import SCHEMAS, dataset, snapshot_root, table_files
from docclean.tasks.output import RunResult

Rows = list[tuple[str, str]]
ARTIFACT_KEY = "docclean-run-summary"


def run_rows(run: RunResult) -> Rows:
    rows = [
        ("run id", run.run_id),
        ("inputs", str(run.inputs)),
        ("skipped (processed before)", str(run.skipped)),
        *_outcome_rows(
            run.articles, run.duplicates_of_kind("exact"), run.duplicates_of_kind("near"), run.rejects_by_reason
        ),
        ("languages", _counts(run.languages)),
        ("stories", f"{run.story_count} ({run.new_stories} new)"),
    ]
    rows += [(f"  {s.stage} seconds", f"{s.seconds:.2f}") for s in run.stages]
    return rows


def dataset_rows(output: str | Path) -> Rows:
    """What the output's current snapshot holds, computed by DuckDB over its Parquet: every input ever
    decided is one article, duplicate or reject; time per stage over all runs, in pipeline order."""
    con = _connect(output)
    if con is None:
        return [("snapshot", "none: no run has committed to this output yet")]

    def one(sql: str) -> object:
        return con.execute(sql).fetchall()[0][0]

    def pairs(sql: str) -> Counter[str]:
        return Counter({str(k): int(v) for k, v in con.execute(sql).fetchall()})

    articles = int(one("SELECT count(*) FROM articles"))
    exact = int(one("SELECT count(*) FROM duplicates WHERE kind = 'exact'"))
    near = int(one("SELECT count(*) FROM duplicates WHERE kind = 'near'"))
    rejects = pairs("SELECT reason, count(*) FROM rejects GROUP BY reason")
    first, last = con.execute("SELECT min(started_at), max(finished_at) FROM runs").fetchall()[0]
    rows = [
        ("snapshot", snapshot_root(output).name),
        ("runs", f"{one('SELECT count(*) FROM runs')} ({first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC)"),
        ("documents decided", str(articles + exact + near + sum(rejects.values()))),
        *_outcome_rows(articles, exact, near, rejects),
        ("languages", _counts(pairs("SELECT coalesce(language, 'unknown'), count(*) FROM articles GROUP BY 1"))),
        ("stories", str(one("SELECT count(DISTINCT story_id) FROM articles"))),
    ]
    seconds: dict[str, float] = {}  # first seen first: a run lists its stages in pipeline order
    for (stages,) in con.execute("SELECT stages FROM runs ORDER BY started_at").fetchall():
        for stage in stages:
            seconds[stage["stage"]] = seconds.get(stage["stage"], 0.0) + (stage["seconds"] or 0.0)
    rows += [(f"  {stage} seconds", f"{total:.2f}") for stage, total in seconds.items()]
    return rows


RUN_COLUMNS = (
    "run",
    "started (UTC)",
    "inputs",
    "skipped",
    "articles",
    "exact",
    "near",
    "rejects",
    "new stories",
    "seconds",
)


def run_history(output: str | Path) -> list[tuple[str, ...]]:
    """One row per run, oldest first: what it read, skipped as processed before, and decided."""
    con = _connect(output)
    if con is None:
        return []
    found = con.execute(
        "SELECT run_id, started_at, inputs, coalesce(skipped, 0), articles, duplicates_exact, duplicates_near,"
        " rejects, new_stories, epoch(finished_at) - epoch(started_at) FROM runs ORDER BY started_at"
    ).fetchall()
    return [
        (run_id, f"{started:%Y-%m-%d %H:%M:%S}", *(str(n) for n in counts), f"{seconds:.1f}")
        for run_id, started, *counts, seconds in found
    ]


def _connect(output: str | Path):
    """A DuckDB connection with the snapshot's tables registered, or None when no run has committed."""
    if not table_files(output, "runs"):
        return None
    import duckdb  # only `docclean report` needs it: a run does not pay for the import

    con = duckdb.connect()
    for name in SCHEMAS:
        # DuckDB scans the pyarrow dataset lazily, in today's schema: files written by an older
        # version read their missing columns as nulls
        con.register(name, dataset(output, name))
    return con


def _outcome_rows(articles: int, exact: int, near: int, rejects: Counter[str]) -> Rows:
    return [
        ("articles", str(articles)),
        ("duplicates (exact)", str(exact)),
        ("duplicates (near)", str(near)),
        ("rejects", str(sum(rejects.values()))),
        *((f"  rejected: {reason}", str(count)) for reason, count in sorted(rejects.items())),
    ]


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counter.most_common()) or "-"


def markdown(rows: Rows, title: str) -> str:
    lines = [f"### {title}", "", "| what | value |", "|---|---|"]
    lines += [f"| {what.replace('  ', '&nbsp;&nbsp;', 1)} | {value} |" for what, value in rows]
    return "\n".join(lines)


def publish_summary(run: RunResult) -> None:
    """Attach the run's summary to its Prefect flow run as a markdown artifact. The run's output is
    already committed by then: a failure to publish is logged, not turned into a failed run."""
    from prefect.artifacts import create_markdown_artifact
    from prefect.logging import get_run_logger

    try:
        create_markdown_artifact(
            markdown=markdown(run_rows(run), f"docclean run {run.run_id}"),
            key=ARTIFACT_KEY,
            description="counts by outcome, rejects by reason, new stories, time per stage",
        )
    except Exception as exc:  # noqa: BLE001
        get_run_logger().warning("could not publish the run summary artifact: %s: %s", type(exc).__name__, exc)
