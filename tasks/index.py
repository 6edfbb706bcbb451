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
    texts = pq.read_table(folder / "texts.parquet")
    signatures = texts.column("signature").combine_chunks().flatten().to_numpy().reshape(-1, cfg.dedup.num_perm)
    for doc_id, canonical, size, sig in zip(
        texts.column("doc_id").to_pylist(), texts.column("canonical").to_pylist(), texts.column("size").to_pylist(),
        signatures,
    ):  # fmt: skip
        dedup.texts[doc_id] = Indexed(canonical, size, sig)
    hashes = pq.read_table(folder / "hashes.parquet")
    dedup.hashes = dict(zip(hashes.column("content_hash").to_pylist(), hashes.column("canonical").to_pylist()))

    stories = StoryState(n_docs=meta["n_docs"])
    for row in pq.read_table(folder / "stories.parquet").to_pylist():
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
    """Write ``index`` into ``folder`` (a snapshot under construction: not yet visible to anyone)."""
    folder.mkdir(parents=True, exist_ok=True)
    dedup, stories = index.dedup, index.stories
    ids = list(dedup.texts)
    flat = np.concatenate([dedup.texts[i].signature for i in ids]) if ids else np.zeros(0, dtype=np.uint32)
    # affine32 hash values fit 32 bits: half the size of datasketch's in-memory uint64
    signature = pa.FixedSizeListArray.from_arrays(pa.array(flat.astype(np.uint32)), cfg.dedup.num_perm)
    _write(folder / "texts.parquet", {
        "doc_id": pa.array(ids, pa.string()),
        "canonical": pa.array([dedup.texts[i].canonical for i in ids], pa.string()),
        "size": pa.array([dedup.texts[i].size for i in ids], pa.int32()),
        "signature": signature,
    })  # fmt: skip
    _write(folder / "hashes.parquet", {
        "content_hash": pa.array(list(dedup.hashes), pa.string()),
        "canonical": pa.array(list(dedup.hashes.values()), pa.string()),
    })  # fmt: skip
    sids = list(stories.centroids)
    vectors = [stories.terms.vector(stories.centroids[s]) for s in sids]
    _write(folder / "stories.parquet", {
        "story_id": pa.array(sids, pa.string()),
        "terms": pa.array([list(v) for v in vectors], pa.list_(pa.string())),
        "weights": pa.array([list(v.values()) for v in vectors], pa.list_(pa.float64())),
    })  # fmt: skip
    _write(folder / "df.parquet", {
        "term": pa.array(list(stories.df), pa.string()),
        "df": pa.array(list(stories.df.values()), pa.int64()),
    })  # fmt: skip
    _write(folder / "ledger.parquet", {"key": pa.array(sorted(index.seen), pa.string())})
    meta = {"version": INDEX_VERSION, "dedup": _fingerprint(cfg.dedup), "n_docs": stories.n_docs, "runs": index.runs}
    (folder / "meta.json").write_text(json.dumps(meta))


def _write(path: Path, columns: dict[str, pa.Array]) -> None:
    pq.write_table(pa.table(columns), path, compression="zstd")


@task(name="load-index", cache_policy=NO_CACHE)
def load_index_task(folder: Path | None, cfg: Config) -> Index:
    return load_index(folder, cfg)
