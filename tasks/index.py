"""Persist the dedup and story state beside the Parquet output, so a run compares new documents with
everything already stored without re-reading its text.

Layout: ``<output>/index/CURRENT`` names the live version folder ``<output>/index/<run_id>/``, which
holds ``texts.parquet`` (doc_id, canonical, shingle count, MinHash signature), ``hashes.parquet``
(content_hash -> canonical), ``stories.parquet`` (story centroids), ``df.parquet`` (document
frequencies) and ``meta.json``. A new version is written in full under a temporary name, renamed,
and only then made live by replacing ``CURRENT``: a reader or a crashed run sees one whole version.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.config import Config, DedupConfig
from tasks.dedup import MINHASH_SCHEME
from tasks.state import DedupState, Indexed, StoryState

INDEX_VERSION = 1


class IndexMismatch(RuntimeError):
    """The stored index was built with other MinHash settings; its signatures cannot be compared."""


def _fingerprint(cfg: DedupConfig) -> dict[str, object]:
    return {"num_perm": cfg.num_perm, "seed": cfg.seed, "shingle_words": cfg.shingle_words, "scheme": MINHASH_SCHEME}


def load_index(output: str, cfg: Config) -> tuple[DedupState, StoryState, list[str]]:
    """The stored state (empty when there is none yet) and the run ids it covers."""
    root = Path(output) / "index"
    current = root / "CURRENT"
    if not current.exists():
        return DedupState(), StoryState(), []
    folder = root / current.read_text().strip()
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
        stories.centroids[row["story_id"]] = dict(zip(row["terms"], row["weights"]))
    df = pq.read_table(folder / "df.parquet")
    stories.df = Counter(dict(zip(df.column("term").to_pylist(), df.column("df").to_pylist())))
    return dedup, stories, meta["runs"]


def save_index(output: str, run_id: str, runs: list[str], dedup: DedupState, stories: StoryState, cfg: Config) -> Path:
    root = Path(output) / "index"
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{run_id}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()

    ids = list(dedup.texts)
    flat = np.concatenate([dedup.texts[i].signature for i in ids]) if ids else np.zeros(0, dtype=np.uint32)
    # affine32 hash values fit 32 bits: half the size of datasketch's in-memory uint64
    signature = pa.FixedSizeListArray.from_arrays(pa.array(flat.astype(np.uint32)), cfg.dedup.num_perm)
    _write(tmp / "texts.parquet", {
        "doc_id": pa.array(ids, pa.string()),
        "canonical": pa.array([dedup.texts[i].canonical for i in ids], pa.string()),
        "size": pa.array([dedup.texts[i].size for i in ids], pa.int32()),
        "signature": signature,
    })  # fmt: skip
    _write(tmp / "hashes.parquet", {
        "content_hash": pa.array(list(dedup.hashes), pa.string()),
        "canonical": pa.array(list(dedup.hashes.values()), pa.string()),
    })  # fmt: skip
    sids = list(stories.centroids)
    _write(tmp / "stories.parquet", {
        "story_id": pa.array(sids, pa.string()),
        "terms": pa.array([list(stories.centroids[s]) for s in sids], pa.list_(pa.string())),
        "weights": pa.array([list(stories.centroids[s].values()) for s in sids], pa.list_(pa.float64())),
    })  # fmt: skip
    _write(tmp / "df.parquet", {
        "term": pa.array(list(stories.df), pa.string()),
        "df": pa.array(list(stories.df.values()), pa.int64()),
    })  # fmt: skip
    meta = {"version": INDEX_VERSION, "dedup": _fingerprint(cfg.dedup), "n_docs": stories.n_docs, "runs": runs}
    (tmp / "meta.json").write_text(json.dumps(meta))

    final = root / run_id
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    pointer = root / ".CURRENT.tmp"
    pointer.write_text(run_id)
    os.replace(pointer, root / "CURRENT")  # the switch: readers see the old version or the new one
    for old in root.iterdir():
        if old.is_dir() and old.name != run_id:
            shutil.rmtree(old, ignore_errors=True)
    return final


def _write(path: Path, columns: dict[str, pa.Array]) -> None:
    pq.write_table(pa.table(columns), path, compression="zstd")


@task(name="load-index", cache_policy=NO_CACHE)
def load_index_task(output: str, cfg: Config) -> tuple[DedupState, StoryState, list[str]]:
    return load_index(output, cfg)


@task(name="save-index", cache_policy=NO_CACHE)
def save_index_task(
    output: str, run_id: str, runs: list[str], dedup: DedupState, stories: StoryState, cfg: Config
) -> Path:
    return save_index(output, run_id, runs, dedup, stories, cfg)
