"""The ``docclean`` command line."""

from __future__ import annotations

import sys
import time
from itertools import islice
from pathlib import Path
from typing import Annotated

import fsspec
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from docclean import __version__
from docclean.tasks.config import load_config
from docclean.tasks.store import OutputLocked
from docclean.tasks.summary import RUN_COLUMNS, dataset_rows, run_history, run_rows

app = typer.Typer(add_completion=False, no_args_is_help=True)
console = Console(stderr=True)


def _show_version(show: bool) -> None:
    if show:
        typer.echo(f"docclean {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """docclean: raw scraped news documents to clean, deduplicated articles in Parquet."""


def _require_input(raw: str) -> None:
    """A missing or unreadable input: one clear line and exit code 1, before Prefect starts and before
    anything is written."""
    try:
        fs, path = fsspec.core.url_to_fs(raw)
        found = fs.exists(path)
    except Exception as exc:  # noqa: BLE001 - a bad URL or an unreachable store says so in one line
        console.print(f"[red]docclean: cannot read {raw}:[/red] {type(exc).__name__}: {exc}", soft_wrap=True)
        raise typer.Exit(1) from exc
    if not found:
        console.print(f"[red]docclean: no input at {raw}[/red] (a folder, a file or an fsspec URL)", soft_wrap=True)
        raise typer.Exit(1)


@app.command()
def run(
    raw: Annotated[str, typer.Argument(help="folder, file or fsspec URL of raw inputs")] = "raw",
    output: Annotated[str, typer.Option("--output", "-o", help="output folder")] = "output",
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="override a setting: section.key=value (repeatable), e.g. dedup.near_threshold=0.5"),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="worker processes that clean batches (default: one per core)")
    ] = None,
    executor: Annotated[str | None, typer.Option(help="local (worker processes) or dask")] = None,
    address: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")] = None,
) -> None:
    """Clean, deduplicate and cluster the documents under RAW; write Parquet under OUTPUT."""
    _require_input(raw)
    flags = {"workers": workers, "executor": executor, "dask_address": address}
    extra = [f"execution.{key}={value}" for key, value in flags.items() if value is not None]
    try:
        cfg = load_config([*(overrides or []), *extra])
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--set") from exc
    # imported here, not at the top: Prefect is slow to import, and `docclean --help` should not wait
    from docclean.flows.clean import docclean_flow, reporting_progress, task_runner_for

    flow = docclean_flow.with_options(task_runner=task_runner_for(cfg.execution))

    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]cleaning"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        job = bar.add_task("files", total=None)
        try:
            with reporting_progress(lambda done, total: bar.update(job, completed=done, total=total)):
                result = flow(raw, output, cfg)
        except OutputLocked as exc:
            console.print(f"[red]docclean run not started:[/red] {exc}")
            raise typer.Exit(2) from exc
        except Exception as exc:  # the run itself failed (not one input: those become rejects)
            console.print(f"[red]docclean run failed:[/red] {type(exc).__name__}: {exc}")
            raise typer.Exit(1) from exc
    rows = [*run_rows(result), ("seconds", f"{time.perf_counter() - started:.1f}")]
    console.print(summary_table(rows, "docclean run"))


def summary_table(rows: list[tuple[str, str]], title: str) -> Table:
    table = Table(title=title, show_header=True, header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    for what, value in rows:
        table.add_row(what, value)
    return table


@app.command()
def report(
    output: Annotated[str, typer.Argument(help="output folder")] = "output",
    runs: Annotated[bool, typer.Option("--runs", help="one row per run instead of the dataset's totals")] = False,
) -> None:
    """Summarise the dataset in OUTPUT (what its current snapshot holds), or with --runs each run."""
    if not Path(output).is_dir():
        console.print(f"[red]no output folder at {output}[/red]")
        raise typer.Exit(1)
    if not runs:
        Console().print(summary_table(dataset_rows(output), f"docclean report: {output}"))
        return
    table = Table(title=f"docclean runs: {output}", header_style="bold")
    for column in RUN_COLUMNS:
        table.add_column(column, justify="left" if column in ("run", "started (UTC)") else "right", no_wrap=True)
    for row in run_history(output):
        table.add_row(*row)
    Console(width=200).print(table)


@app.command()
def serve(
    raw: Annotated[str, typer.Argument(help="folder, file or fsspec URL of raw inputs")] = "raw",
    output: Annotated[str, typer.Option("--output", "-o", help="output folder")] = "output",
    cron: Annotated[str | None, typer.Option(help='cron schedule, e.g. "*/15 * * * *"')] = None,
    interval: Annotated[float | None, typer.Option(help="or: seconds between runs")] = None,
    name: Annotated[str, typer.Option(help="deployment name")] = "docclean-scheduled",
    overrides: Annotated[list[str] | None, typer.Option("--set", help="override a setting: section.key=value")] = None,
) -> None:
    """Serve the flow as a deployment on a schedule, until interrupted (needs a Prefect server)."""
    if (cron is None) == (interval is None):
        raise typer.BadParameter("give exactly one of --cron or --interval")
    _require_input(raw)
    try:
        cfg = load_config(overrides)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--set") from exc
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        console.print(
            "[red]docclean serve needs a Prefect server[/red]: start one with `prefect server start` "
            "and set PREFECT_API_URL=http://127.0.0.1:4200/api (schedules do not run on the temporary server)"
        )
        raise typer.Exit(1)
    from docclean.flows.clean import docclean_flow

    docclean_flow.serve(
        name=name,
        cron=cron,
        interval=interval,
        parameters={"raw": _absolute(raw), "output": _absolute(output), "config": cfg.model_dump(mode="json")},
        limit=1,  # one run at a time: a second run on the same output would be refused by its lock
    )


@app.command()
def inspect(
    path: Annotated[str, typer.Argument(help="an HTML page, a text, a .gz of one, or a JSONL or WARC file")],
    record: Annotated[int, typer.Option(min=1, help="which document of a JSONL or WARC file (1 = the first)")] = 1,
    overrides: Annotated[list[str] | None, typer.Option("--set", help="override a setting: section.key=value")] = None,
) -> None:
    """Show how one document is cleaned: each line kept or dropped (and why), then its metadata and sources."""
    _require_input(path)
    try:
        cfg = load_config(overrides)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--set") from exc
    from docclean.tasks.decode import RejectError
    from docclean.tasks.extract import extract_record
    from docclean.tasks.language import detect_language
    from docclean.tasks.read import read_input
    from docclean.tasks.records import Reject

    item = next(islice(read_input(path, cfg), record - 1, None), None)
    if item is None:
        console.print(f"[red]docclean: {path} holds fewer than {record} documents[/red]")
        raise typer.Exit(1)
    typer.echo(f"document: {item.source_uri}")
    if isinstance(item, Reject):
        typer.echo(f"rejected: {item.reason} ({item.detail})")
        return
    try:
        doc = extract_record(item, cfg, verdicts=True)
    except RejectError as exc:
        typer.echo(f"rejected: {exc.reason} ({exc.detail})")
        return
    for line, reason in doc.line_verdicts or []:
        typer.echo(f"{'keep' if reason is None else 'drop':<5}{reason or '':<21}{line}")
    language, probability = detect_language(doc.text, cfg.language)
    typer.echo(
        f"\n{doc.word_count} words kept, {len(doc.boilerplate)} lines removed; language {language} ({probability:.2f})"
    )
    for name in ("title", "author", "published_at", "site", "url", "tags"):
        value = getattr(doc, name)
        source = doc.metadata_sources.get(name, "")
        typer.echo(f"{name:<13}{value if value not in (None, []) else '-'}{f'   [{source}]' if source else ''}")


def _absolute(location: str) -> str:
    """Scheduled runs may start in another working directory: pin local paths, keep URLs."""
    return location if "://" in location else str(Path(location).resolve())


if __name__ == "__main__":
    sys.exit(app())
