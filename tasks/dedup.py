"""Exact and near-duplicate detection on the clean text.

Canonical rule: within a set of copies the canonical article is the one with the longest clean
text; ties go to the input seen first (sorted source order). Every other copy becomes a
``Duplicate`` pointing at the canonical's ``doc_id``. Decisions are made by id, never by position.
"""

from __future__ import annotations

from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.config import Config, DedupConfig
from tasks.records import Document, Duplicate
from tasks.text import content_hash, tokens


@dataclass(slots=True)
class DedupResult:
    articles: list[Document]
    duplicates: list[Duplicate]


def shingles(text: str, size: int) -> set[bytes]:
    toks = tokens(text)
    if len(toks) < size:
        return {" ".join(toks).encode("utf-8")}
    return {" ".join(toks[i : i + size]).encode("utf-8") for i in range(len(toks) - size + 1)}


def minhash(text: str, cfg: DedupConfig) -> MinHash:
    mh = MinHash(num_perm=cfg.num_perm, seed=cfg.seed)
    mh.update_batch(list(shingles(text, cfg.shingle_words)))
    return mh


def exact_dedupe(docs: list[Document]) -> DedupResult:
    """Group by the hash of the normalised text (NFKC, case, whitespace); keep the canonical of each."""
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        doc.content_hash = content_hash(doc.text)
        groups.setdefault(doc.content_hash, []).append(doc)
    articles, duplicates = [], []
    for group in groups.values():
        canonical = _canonical_first(group)[0]
        articles.append(canonical)
        duplicates.extend(
            Duplicate(d.doc_id, d.source_uri, canonical.doc_id, "exact", 1.0) for d in group if d is not canonical
        )
    return DedupResult(articles, duplicates)


def near_dedupe(docs: list[Document], cfg: DedupConfig) -> DedupResult:
    """MinHash-LSH: a document whose estimated Jaccard with an already kept (longer) article reaches
    the threshold is a near duplicate of it. Only canonicals enter the index, so no chains form."""
    lsh = MinHashLSH(threshold=cfg.near_threshold, num_perm=cfg.num_perm)
    kept: dict[str, MinHash] = {}
    articles, duplicates = [], []
    for doc in _canonical_first(docs):
        mh = minhash(doc.text, cfg)
        scored = [(mh.jaccard(kept[key]), key) for key in lsh.query(mh)]
        best = max(scored, default=None)
        if best is not None and best[0] >= cfg.near_threshold:
            duplicates.append(Duplicate(doc.doc_id, doc.source_uri, best[1], "near", round(best[0], 4)))
            continue
        lsh.insert(doc.doc_id, mh)
        kept[doc.doc_id] = mh
        articles.append(doc)
    return DedupResult(articles, duplicates)


def deduplicate(docs: list[Document], cfg: DedupConfig) -> DedupResult:
    exact = exact_dedupe(docs)
    near = near_dedupe(exact.articles, cfg)
    return DedupResult(near.articles, exact.duplicates + near.duplicates)


def _canonical_first(docs: list[Document]) -> list[Document]:
    """The canonical rule as an order: longest clean text first, then the smallest source_uri."""
    return sorted(docs, key=lambda d: (-len(d.text), d.source_uri))


@task(name="deduplicate", cache_policy=NO_CACHE)
def dedup_task(docs: list[Document], cfg: Config) -> DedupResult:
    return deduplicate(docs, cfg.dedup)
