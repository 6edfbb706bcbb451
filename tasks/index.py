"""Persist the dedup and story state and the ledger of processed inputs inside each output
snapshot, so a run compares new documents with everything already stored without re-reading text.

Layout of ``<snapshot>/index/``: one folder per kind of state, each holding per-run parts:
``texts/`` (doc_id, canonical, shingle count, MinHash signature), ``hashes/`` (content_hash ->
canonical), ``stories/`` (story centroids; a later part's centroid replaces an earlier one's),
``df/`` (document frequencies; parts add up) and ``ledger/`` (input keys already processed), plus
``meta.json``. A run writes only what it added or changed, as one new part per folder, and hard-links
the earlier parts from the previous snapshot (they never change): at a million texts a scheduled
run of a hundred files writes kilobytes, not the gigabyte of signatures. A folder holding more than
``output.max_files_per_partition`` parts is rewritten as one. The index is published with the run's
Parquet (``tasks.store``), so the index and the tables always describe the same runs.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from prefect import task
from prefect.cache_policies import NO_CACHE

from docclean.tasks.config import Config, DedupConfig
from docclean.tasks.dedup import MINHASH_SCHEME
from docclean.tasks.state import Centroid, DedupState, Index, Indexed, StoryState

INDEX_VERSION = 3  # 2: the ledger of processed inputs; 3: per-run parts
_KINDS = ("texts", "hashes", "stories", "df", "ledger")


class IndexMismatch(RuntimeError):
    """The stored index was built with other MinHash settings; its signatures cannot be compared."""


def _fingerprint(cfg: DedupConfig) -> dict[str, object]:
    return {"num_perm": cfg.num_perm, "seed": cfg.seed, "shingle_words": cfg.shingle_words, "scheme": MINHASH_SCHEME}


def _meta(folder: Path | None) -> dict | None:
    return json.loads((folder / "meta.json").read_text()) if folder and (folder / "meta.json").exists() else None


def _parts(folder: Path, meta: dict, kind: str) -> list[Path]:
    """The files holding ``kind``, oldest first: a folder of parts, or one file (index version 2)."""
    if meta["version"] >= 3:
        return sorted((folder / kind).glob("*.parquet"))
    single = folder / f"{kind}.parquet"
    return [single] if single.exists() else []


def load_index(folder: Path | None, cfg: Config) -> Index:
    """The index stored in ``folder`` (a snapshot's ``index/``); empty when there is none yet."""
    meta = _meta(folder)
    if meta is None:
        return Index()
    if meta["dedup"] != _fingerprint(cfg.dedup):
        raise IndexMismatch(
            f"the index in {folder} was built with {meta['dedup']}, this run uses {_fingerprint(cfg.dedup)}: "
            "run with the same dedup settings, or start a new output folder"
        )
    dedup = DedupState()
    for path in _parts(folder, meta, "texts"):
        # a batch at a time: each batch's signatures stay one array, viewed row by row, never copied whole
        for batch in pq.ParquetFile(path).iter_batches(batch_size=65_536):
            signatures = batch.column("signature").flatten().to_numpy().reshape(-1, cfg.dedup.num_perm)
            for doc_id, canonical, size, sig in zip(
                batch.column("doc_id").to_pylist(), batch.column("canonical").to_pylist(),
                batch.column("size").to_pylist(), signatures,
            ):  # fmt: skip
                dedup.texts[doc_id] = Indexed(canonical, size, sig)
    for path in _parts(folder, meta, "hashes"):
        hashes = pq.read_table(path)
        dedup.hashes.update(zip(hashes.column("content_hash").to_pylist(), hashes.column("canonical").to_pylist()))
    dedup.loaded = (len(dedup.texts), len(dedup.hashes))
    stories = StoryState(n_docs=meta["n_docs"], df_added=Counter())
    for path in _parts(folder, meta, "stories"):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
            _load_centroids(batch, stories)
    for path in _parts(folder, meta, "df"):
        df = pq.read_table(path)
        stories.df.update(dict(zip(df.column("term").to_pylist(), df.column("df").to_pylist())))
    return Index(dedup, stories, meta["runs"], _ledger(folder, meta))


def _load_centroids(batch: pa.RecordBatch, stories: StoryState) -> None:
    """Stored centroids into ``stories``. A story holds hundreds of terms and stories share most of them:
    each distinct term string of the batch is looked up once, the rest is array slicing."""
    terms = batch.column("terms")
    encoded = pc.dictionary_encode(terms.flatten())
    ids = np.fromiter(map(stories.terms.id, encoded.dictionary.to_pylist()), np.int64)[encoded.indices.to_numpy()]
    weights = batch.column("weights").flatten().to_numpy()
    offsets = terms.offsets.to_numpy()
    offsets = offsets - offsets[0]
    # Indexes written before stories counted their members: the norm of the summed unit vectors, which
    # is at most their number, stands in for it.
    members = batch.column("members").to_pylist() if "members" in batch.schema.names else [None] * batch.num_rows
    for story_id, lo, hi, size in zip(batch.column("story_id").to_pylist(), offsets[:-1], offsets[1:], members):
        centroid = Centroid.of(ids[lo:hi], weights[lo:hi])
        centroid.members = size or max(1, round(float(np.sqrt(centroid.weights @ centroid.weights))))
        stories.centroids.pop(story_id, None)  # a later part's centroid replaces it and is more recent
        stories.centroids[story_id] = centroid


def legacy_index_folder(output: Path) -> Path | None:
    """The index of an output written before snapshots: ``index/CURRENT`` named its folder."""
    pointer = output / "index" / "CURRENT"
    return output / "index" / pointer.read_text().strip() if pointer.exists() else None


def _ledger(folder: Path, meta: dict) -> set[str]:
    if parts := _parts(folder, meta, "ledger"):
        return {key for path in parts for key in pq.read_table(path).column("key").to_pylist()}
    # an index from before the ledger (output/index/<run_id>/): its inputs are the stored doc_ids
    output = folder.parent.parent
    return {
        doc_id
        for table in ("articles", "duplicates")
        for path in (output / table).rglob("*.parquet")
        for doc_id in pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()
    }


def save_index(
    folder: Path, index: Index, cfg: Config, *, previous: Path | None = None, new_keys: Iterable[str] = ()
) -> None:
    """Write ``index`` into ``folder`` (a snapshot under construction: not yet visible to anyone).

    ``previous`` is the index ``index`` was loaded from (``folder`` itself to update in place): its
    parts are kept (hard-linked) and only what this run added or changed is written, as a new part;
    ``new_keys`` are the ledger keys this run added. Without ``previous`` (or when it is an older
    layout, or a folder would exceed ``max_files_per_partition`` parts) the state is written whole."""
    folder.mkdir(parents=True, exist_ok=True)
    prior = _meta(previous)
    prior_parts = {kind: _parts(previous, prior, kind) for kind in _KINDS} if prior and prior["version"] >= 3 else {}
    name = f"part-{len(index.runs):06d}.parquet"
    dedup, stories = index.dedup, index.stories
    new_keys = set(new_keys)
    added = {  # what this run added or changed, per kind
        "texts": len(dedup.texts) - dedup.loaded[0],
        "hashes": len(dedup.hashes) - dedup.loaded[1],
        "stories": len(stories.changed),
        "df": len(stories.df_added or ()),
        "ledger": len(new_keys),
    }
    writers = {
        "texts": lambda whole: _write_texts(folder / "texts" / name, dedup, 0 if whole else dedup.loaded[0], cfg),
        "hashes": lambda whole: _write_hashes(folder / "hashes" / name, dedup, 0 if whole else dedup.loaded[1]),
        "stories": lambda whole: _write_stories(
            folder / "stories" / name, stories, list(stories.centroids) if whole else sorted(stories.changed)
        ),
        "df": lambda whole: _write_counts(folder / "df" / name, stories.df if whole else stories.df_added),
        "ledger": lambda whole: _write_keys(folder / "ledger" / name, sorted(index.seen if whole else new_keys)),
    }
    for kind, write in writers.items():
        (folder / kind).mkdir(exist_ok=True)
        keep = prior_parts.get(kind)
        whole = (
            keep is None
            or (kind == "df" and stories.df_added is None)  # not tracked: the df is all new
            or len(keep) + bool(added[kind]) > cfg.output.max_files_per_partition
            or any(path.name == name for path in keep)  # saved twice for one run: write it whole
        )
        for path in (folder / kind).glob("*.parquet"):  # a part that is not kept is replaced
            if whole or path not in keep:
                path.unlink()
        if not whole and previous != folder:
            for path in keep:
                os.link(path, folder / kind / path.name)
        if whole or added[kind]:
            write(whole)
    # what is written is the stored state now: a later save of this index writes only what follows
    dedup.loaded = (len(dedup.texts), len(dedup.hashes))
    stories.changed.clear()
    stories.df_added = Counter()
    for stale in folder.glob("*.parquet"):  # the files of an index version 2 updated in place
        stale.unlink()
    meta = {"version": INDEX_VERSION, "dedup": _fingerprint(cfg.dedup), "n_docs": stories.n_docs, "runs": index.runs}
    (folder / "meta.json").unlink(missing_ok=True)  # never write through a link into an older snapshot
    (folder / "meta.json").write_text(json.dumps(meta))


def _write_texts(path: Path, dedup: DedupState, start: int, cfg: Config) -> None:
    ids = list(islice(dedup.texts, start, None))  # not a list of every key to keep the last few

    def columns(rows: slice) -> dict[str, pa.Array]:
        entries = [dedup.texts[i] for i in ids[rows]]
        # affine32 hash values fit 32 bits: half the size of datasketch's in-memory uint64
        flat = np.concatenate([e.signature for e in entries]).astype(np.uint32, copy=False) if entries else []
        return {
            "doc_id": pa.array(ids[rows], pa.string()),
            "canonical": pa.array([e.canonical for e in entries], pa.string()),
            "size": pa.array([e.size for e in entries], pa.int32()),
            "signature": pa.FixedSizeListArray.from_arrays(pa.array(flat, pa.uint32()), cfg.dedup.num_perm),
        }

    _write(path, len(ids), columns, chunk=8192)


def _write_hashes(path: Path, dedup: DedupState, start: int) -> None:
    hashes = list(islice(dedup.hashes, start, None))
    canonicals = [dedup.hashes[h] for h in hashes]
    _write(path, len(hashes), lambda rows: {
        "content_hash": pa.array(hashes[rows], pa.string()),
        "canonical": pa.array(canonicals[rows], pa.string()),
    })  # fmt: skip


def _write_stories(path: Path, stories: StoryState, sids: list[str]) -> None:
    def columns(rows: slice) -> dict[str, pa.Array]:
        chosen = [stories.centroids[s] for s in sids[rows]]
        offsets = pa.array(np.cumsum([0, *(len(c.ids) for c in chosen)]), pa.int32())
        strings = stories.terms.strings
        terms = pa.array([strings[t] for c in chosen for t in c.ids.tolist()], pa.string())
        weights = pa.array(np.concatenate([c.weights for c in chosen]) if chosen else [], pa.float64())
        return {
            "story_id": pa.array(sids[rows], pa.string()),
            "terms": pa.ListArray.from_arrays(offsets, terms),
            "weights": pa.ListArray.from_arrays(offsets, weights),
            "members": pa.array([c.members for c in chosen], pa.int64()),
        }

    _write(path, len(sids), columns, chunk=1024)


def _write_counts(path: Path, counts: Counter[str]) -> None:
    terms, values = list(counts), list(counts.values())
    _write(path, len(terms), lambda rows: {
        "term": pa.array(terms[rows], pa.string()),
        "df": pa.array(values[rows], pa.int64()),
    })  # fmt: skip


def _write_keys(path: Path, keys: list[str]) -> None:
    _write(path, len(keys), lambda rows: {"key": pa.array(keys[rows], pa.string())})


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
