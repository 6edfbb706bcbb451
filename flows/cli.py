"""The ``docclean`` command line."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tasks.config import load_config
from tasks.output import RunResult

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(stderr=True)


@app.callback()
def main() -> None:
    """docclean: raw scraped news documents to clean, deduplicated articles in Parquet."""


@app.command()
def run(
    raw: Annotated[str, typer.Argument(help="folder, file or fsspec URL of raw inputs")] = "raw",
    output: Annotated[str, typer.Option("--output", "-o", help="output folder")] = "output",
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="override a setting: section.key=value (repeatable), e.g. dedup.near_threshold=0.5"),
    ] = None,
) -> None:
    """Clean, deduplicate and cluster the documents under RAW; write Parquet under OUTPUT."""
    try:
        cfg = load_config(overrides)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--set") from exc
    from flows.clean import docclean_flow  # imports Prefect: keep `docclean --help` fast

    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]cleaning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as bar:
        job = bar.add_task("files", total=None)
        try:
            result = docclean_flow(
                raw, output, cfg, progress=lambda done, total: bar.update(job, completed=done, total=total)
            )
        except Exception as exc:  # the run itself failed (not one input: those become rejects)
            console.print(f"[red]docclean run failed:[/red] {type(exc).__name__}: {exc}")
            raise typer.Exit(1) from exc
    console.print(summary_table(result, time.perf_counter() - started))


def summary_table(run: RunResult, seconds: float) -> Table:
    table = Table(title="docclean run", show_header=True, header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("run id", run.run_id)
    table.add_row("inputs", str(run.inputs))
    table.add_row("articles", str(len(run.articles)))
    table.add_row("duplicates (exact)", str(run.duplicates_of_kind("exact")))
    table.add_row("duplicates (near)", str(run.duplicates_of_kind("near")))
    table.add_row("rejects", str(len(run.rejects)))
    for reason, count in sorted(run.rejects_by_reason.items()):
        table.add_row(f"  rejected: {reason}", str(count))
    table.add_row("languages", ", ".join(f"{k} {v}" for k, v in run.languages.most_common()) or "-")
    table.add_row("stories", f"{run.story_count} ({run.new_stories} new)")
    table.add_row("seconds", f"{seconds:.1f}")
    for stat in run.stages.values():
        table.add_row(f"  {stat.stage} seconds", f"{stat.seconds:.2f}")
    return table


if __name__ == "__main__":
    sys.exit(app())
