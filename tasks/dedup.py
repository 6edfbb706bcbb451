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


def _minhash(grams: set[bytes], cfg: DedupConfig) -> MinHash:
    mh = MinHash(num_perm=cfg.num_perm, seed=cfg.seed)
    mh.update_batch(list(grams))
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
    """MinHash-LSH over every document, then connected components of near-duplicate pairs.

    A pair is near-duplicate text when its estimated Jaccard similarity reaches ``near_threshold``, or
    when most of the shorter text is contained in the longer (a truncated or re-wrapped copy). Copies
    link through each other (a truncated copy of a re-headlined copy of the original), so each
    connected component is one article: its canonical is chosen by the canonical rule, and every
    other member becomes a duplicate of it."""
    lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    signatures: dict[str, tuple[MinHash, int]] = {}
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    ranked = _canonical_first(docs)
    rank = {doc.doc_id: i for i, doc in enumerate(ranked)}
    for doc in ranked:
        grams = shingles(doc.text, cfg.shingle_words)
        mh = _minhash(grams, cfg)
        parent[doc.doc_id] = doc.doc_id
        for other in lsh.query(mh):
            if similarity(mh, len(grams), *signatures[other], cfg) > 0.0:
                a, b = sorted((root(doc.doc_id), root(other)), key=rank.__getitem__)
                parent[b] = a  # the better-ranked root (longer text) stays the component's root
        lsh.insert(doc.doc_id, mh)
        signatures[doc.doc_id] = (mh, len(grams))

    articles, duplicates = [], []
    for doc in ranked:
        canonical = root(doc.doc_id)
        if canonical == doc.doc_id:
            articles.append(doc)
        else:
            jaccard = signatures[doc.doc_id][0].jaccard(signatures[canonical][0])
            duplicates.append(Duplicate(doc.doc_id, doc.source_uri, canonical, "near", round(jaccard, 4)))
    return DedupResult(articles, duplicates)


def similarity(a: MinHash, size_a: int, b: MinHash, size_b: int, cfg: DedupConfig) -> float:
    """Estimated Jaccard similarity when the pair counts as near-duplicate text, else 0."""
    jaccard = a.jaccard(b)
    # |A∩B| from the Jaccard estimate and the set sizes; containment of the smaller set in the larger
    common = jaccard * (size_a + size_b) / (1 + jaccard)
    containment = common / max(1, min(size_a, size_b))
    near = jaccard >= cfg.near_threshold or (
        containment >= cfg.containment_threshold and jaccard >= cfg.jaccard_floor
    )
    return jaccard if near else 0.0


def deduplicate(docs: list[Document], cfg: DedupConfig) -> DedupResult:
    exact = exact_dedupe(docs)
    near = near_dedupe(exact.articles, cfg)
    # An exact copy of a text that turned out to be a near duplicate points at that text's canonical.
    folded = {d.doc_id: d.duplicate_of for d in near.duplicates}
    for dup in exact.duplicates:
        dup.duplicate_of = folded.get(dup.duplicate_of, dup.duplicate_of)
    return DedupResult(near.articles, exact.duplicates + near.duplicates)


def _canonical_first(docs: list[Document]) -> list[Document]:
    """The canonical rule as an order: longest clean text first, then the smallest source_uri."""
    return sorted(docs, key=lambda d: (-len(d.text), d.source_uri))


@task(name="deduplicate", cache_policy=NO_CACHE)
def dedup_task(docs: list[Document], cfg: Config) -> DedupResult:
    return deduplicate(docs, cfg.dedup)
