"""Persist the dedup and story state and the ledger of processed inputs inside each output
snapshot, so a run compares new documents with everything already stored without re-reading text.

Layout of ``<snapshot>/index/``: ``texts.parquet`` (doc_id, canonical, shingle count, MinHash
signature), ``hashes.parquet`` (content_hash -> canonical), ``stories.parquet`` (story centroids),
``df.parquet`` (document frequencies), ``ledger.parquet`` (input keys already processed) and
``meta.json``. It is written with the run's Parquet and published with it (``tasks.store``), so the
index and the tables always describe the same runs.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.config import Config, DedupConfig
from tasks.dedup import MINHASH_SCHEME
from tasks.state import DedupState, Index, Indexed, StoryState

INDEX_VERSION = 2  # 2: the ledger of processed inputs


class IndexMismatch(RuntimeError):
    """The stored index was built with other MinHash settings; its signatures cannot be compared."""


def _fingerprint(cfg: DedupConfig) -> dict[str, object]:
    return {"num_perm": cfg.num_perm, "seed": cfg.seed, "shingle_words": cfg.shingle_words, "scheme": MINHASH_SCHEME}


def load_index(folder: Path | None, cfg: Config) -> Index:
    """The index stored in ``folder`` (a snapshot's ``index/``); empty when there is none yet."""
    if folder is None or not (folder / "meta.json").exists():
        return Index()
    meta = json.loads((folder / "meta.json").read_text())
    if meta["dedup"] != _fingerprint(cfg.dedup):
        raise IndexMismatch(
            f"the index in {folder} was built with {meta['dedup']}, this run uses {_fingerprint(cfg.dedup)}: "
            "run with the same dedup settings, or start a new output folder"
        )
    dedup = DedupState()
    # a batch at a time: each batch's signatures stay one array, viewed row by row, never copied whole
    for batch in pq.ParquetFile(folder / "texts.parquet").iter_batches(batch_size=65_536):
        signatures = batch.column("signature").flatten().to_numpy().reshape(-1, cfg.dedup.num_perm)
        for doc_id, canonical, size, sig in zip(
            batch.column("doc_id").to_pylist(), batch.column("canonical").to_pylist(),
            batch.column("size").to_pylist(), signatures,
        ):  # fmt: skip
            dedup.texts[doc_id] = Indexed(canonical, size, sig)
    hashes = pq.read_table(folder / "hashes.parquet")
    dedup.hashes = dict(zip(hashes.column("content_hash").to_pylist(), hashes.column("canonical").to_pylist()))

    stories = StoryState(n_docs=meta["n_docs"])
    for batch in pq.ParquetFile(folder / "stories.parquet").iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            stories.centroids[row["story_id"]] = stories.terms.centroid(dict(zip(row["terms"], row["weights"])))
    df = pq.read_table(folder / "df.parquet")
    stories.df = Counter(dict(zip(df.column("term").to_pylist(), df.column("df").to_pylist())))
    return Index(dedup, stories, meta["runs"], _ledger(folder))


def legacy_index_folder(output: Path) -> Path | None:
    """The index of an output written before snapshots: ``index/CURRENT`` named its folder."""
    pointer = output / "index" / "CURRENT"
    return output / "index" / pointer.read_text().strip() if pointer.exists() else None


def _ledger(folder: Path) -> set[str]:
    if (folder / "ledger.parquet").exists():
        return set(pq.read_table(folder / "ledger.parquet").column("key").to_pylist())
    # an index from before the ledger (output/index/<run_id>/): its inputs are the stored doc_ids
    output = folder.parent.parent
    return {
        doc_id
        for table in ("articles", "duplicates")
        for path in (output / table).rglob("*.parquet")
        for doc_id in pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()
    }


def save_index(folder: Path, index: Index, cfg: Config) -> None:
    """Write ``index`` into ``folder`` (a snapshot under construction: not yet visible to anyone).

    Each file is written a chunk of rows at a time: at a million texts a whole-table copy of the
    signatures alone would take a GB on top of the index itself, at the end of the run."""
    folder.mkdir(parents=True, exist_ok=True)
    dedup, stories = index.dedup, index.stories
    ids = list(dedup.texts)

    def texts(rows: slice) -> dict[str, pa.Array]:
        entries = [dedup.texts[i] for i in ids[rows]]
        # affine32 hash values fit 32 bits: half the size of datasketch's in-memory uint64
        flat = np.concatenate([e.signature for e in entries]).astype(np.uint32, copy=False) if entries else []
        return {
            "doc_id": pa.array(ids[rows], pa.string()),
            "canonical": pa.array([e.canonical for e in entries], pa.string()),
            "size": pa.array([e.size for e in entries], pa.int32()),
            "signature": pa.FixedSizeListArray.from_arrays(pa.array(flat, pa.uint32()), cfg.dedup.num_perm),
        }

    _write(folder / "texts.parquet", len(ids), texts, chunk=8192)
    hashes, canonicals = list(dedup.hashes), list(dedup.hashes.values())
    _write(folder / "hashes.parquet", len(hashes), lambda rows: {
        "content_hash": pa.array(hashes[rows], pa.string()),
        "canonical": pa.array(canonicals[rows], pa.string()),
    })  # fmt: skip
    sids = list(stories.centroids)

    def centroids(rows: slice) -> dict[str, pa.Array]:
        chosen = [stories.centroids[s] for s in sids[rows]]
        offsets = pa.array(np.cumsum([0, *(len(c.ids) for c in chosen)]), pa.int32())
        strings = stories.terms.strings
        terms = pa.array([strings[t] for c in chosen for t in c.ids.tolist()], pa.string())
        weights = pa.array(np.concatenate([c.weights for c in chosen]) if chosen else [], pa.float64())
        return {
            "story_id": pa.array(sids[rows], pa.string()),
            "terms": pa.ListArray.from_arrays(offsets, terms),
            "weights": pa.ListArray.from_arrays(offsets, weights),
        }

    _write(folder / "stories.parquet", len(sids), centroids, chunk=1024)
    terms, counts = list(stories.df), list(stories.df.values())
    _write(folder / "df.parquet", len(terms), lambda rows: {
        "term": pa.array(terms[rows], pa.string()),
        "df": pa.array(counts[rows], pa.int64()),
    })  # fmt: skip
    seen = sorted(index.seen)
    _write(folder / "ledger.parquet", len(seen), lambda rows: {"key": pa.array(seen[rows], pa.string())})
    meta = {"version": INDEX_VERSION, "dedup": _fingerprint(cfg.dedup), "n_docs": stories.n_docs, "runs": index.runs}
    (folder / "meta.json").write_text(json.dumps(meta))


def _write(path: Path, n: int, columns: Callable[[slice], dict[str, pa.Array]], chunk: int = 65_536) -> None:
    """``n`` rows, ``chunk`` at a time (a row group each): ``columns(rows)`` gives those rows' arrays."""
    writer = None
    for start in range(0, max(n, 1), chunk):  # an empty table still gets its file and schema
        table = pa.table(columns(slice(start, start + chunk)))
        if writer is None:
            # no dictionary for hash values: none repeat, and trying costs memory and time
            dictionary = [f.name for f in table.schema if not pa.types.is_fixed_size_list(f.type)]
            writer = pq.ParquetWriter(path, table.schema, compression="zstd", use_dictionary=dictionary)
        writer.write_table(table)
    writer.close()


@task(name="load-index", cache_policy=NO_CACHE)
def load_index_task(folder: Path | None, cfg: Config) -> Index:
    return load_index(folder, cfg)
