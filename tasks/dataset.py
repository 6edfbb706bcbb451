"""Read docclean's output as a reader should: one snapshot, whatever schema version wrote each file.

    from docclean.tasks.dataset import read_table
    articles = read_table("output", "articles")        # a pyarrow.Table in the current schema

Files written by an older docclean lack the columns added since; they read as nulls. Outputs written
before snapshots existed (schema version 1: the tables at the top of the output folder) read too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from docclean.tasks.records import (
    ARTICLES_SCHEMA,
    DUPLICATES_SCHEMA,
    REJECTS_SCHEMA,
    RUNS_SCHEMA,
)
from docclean.tasks.store import current_snapshot, parquet_files

if TYPE_CHECKING:
    import pyarrow.dataset as ds

SCHEMAS = {"articles": ARTICLES_SCHEMA, "duplicates": DUPLICATES_SCHEMA, "rejects": REJECTS_SCHEMA, "runs": RUNS_SCHEMA}


def snapshot_root(output: str | Path) -> Path:
    """The folder holding the tables: the current snapshot, or the output itself for version-1 outputs."""
    root = Path(output)
    return current_snapshot(root) or root


def table_files(output: str | Path, name: str) -> list[Path]:
    return parquet_files(snapshot_root(output) / name)


def dataset(output: str | Path, name: str) -> ds.Dataset:
    """The table as a lazy pyarrow dataset in the current schema (filter and project before reading)."""
    import pyarrow.dataset as ds  # here, not at the top: it imports pandas (0.4 s), which a run never needs

    if name not in SCHEMAS:
        raise ValueError(f"unknown table {name!r}: one of {', '.join(SCHEMAS)}")
    return ds.dataset([str(p) for p in table_files(output, name)], schema=SCHEMAS[name], format="parquet")


def read_table(output: str | Path, name: str) -> pa.Table:
    return dataset(output, name).to_table()


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` in ``schema``: columns it lacks (added by a later version) filled with nulls."""
    columns = [
        table.column(f.name) if f.name in table.column_names else pa.nulls(table.num_rows, f.type) for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)
