"""Exact and near-duplicate detection on the clean text.

Canonical rule: documents are decided batch by batch, in input order (sorted source URIs), and a
decision is never revisited. Within a batch, the canonical article of a set of copies is the one
with the longest clean text, ties going to the smallest source URI; a copy of a text decided in an
earlier batch or run is a duplicate of that text's canonical. Every other copy becomes a
``Duplicate`` pointing at the canonical's ``doc_id``. Decisions are made by id, never by position.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from hashlib import sha1
from itertools import chain, islice, tee

import numpy as np

from docclean.tasks.config import DedupConfig
from docclean.tasks.lsh import BandIndex
from docclean.tasks.records import Document, Duplicate, Reject
from docclean.tasks.state import DedupState, Indexed
from docclean.tasks.text import content_hash, iter_tokens


@dataclass(slots=True)
class DedupResult:
    articles: list[Document]
    duplicates: list[Duplicate]


def shingle_hashes(words: Iterable[str], size: int) -> np.ndarray:
    """The distinct 32-bit hashes (datasketch's ``sha1_hash32``: SHA-1's first four bytes, little-endian)
    of the word ``size``-grams of ``words``, or of all of them when there are fewer. Four bytes a
    shingle, collected as they are hashed: the set of a long text's shingles as strings would cost
    many times the text's size."""
    stream = iter(words)
    head = list(islice(stream, size))
    if len(head) < size:
        return _hashes([" ".join(head)])
    shifted = tee(chain(head, stream), size)
    for k, words_from in enumerate(shifted):
        deque(islice(words_from, k), maxlen=0)  # the k-th stream starts at the k-th word
    return _hashes(map(" ".join, zip(*shifted)))


def _hashes(shingles: Iterable[str]) -> np.ndarray:
    digests = bytearray()
    for shingle in shingles:
        digests += sha1(shingle.encode("utf-8")).digest()[:4]
    return np.unique(np.frombuffer(bytes(digests), dtype="<u4").astype(np.uint32))


# The scheme of the signatures the index stores: datasketch's "affine32" MinHash (each shingle hash
# mixed by MurmurHash3's finalizer, then permuted as a * h + b modulo 2^32, odd a), computed here in
# numpy from the shingles' hashes. tests/test_dedup.py checks it against datasketch's MinHash.
MINHASH_SCHEME = "affine32"
# a slice of shingles at a time: (shingles x num_perm) 32-bit values, 1 KiB a shingle at 256 permutations
_MINHASH_SLICE = 4096


@cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for ``seed``: the same draws from the same generator."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def minhash(hashes: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """The affine32 MinHash signature (``num_perm`` uint32 values) of a set of 32-bit shingle hashes."""
    a, b = _permutations(num_perm, seed)
    signature = np.full(num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, len(hashes), _MINHASH_SLICE):
        mixed = _fmix32(hashes[start : start + _MINHASH_SLICE].astype(np.uint32, copy=False))
        np.minimum(signature, (mixed[:, None] * a + b).min(axis=0), out=signature)
    return signature


def _signature(words: Iterable[str], cfg: DedupConfig) -> tuple[np.ndarray, int]:
    """MinHash signature and distinct shingle count of the text of ``words``."""
    hashes = shingle_hashes(words, cfg.shingle_words)
    return minhash(hashes, cfg.num_perm, cfg.seed), len(hashes)


def fingerprint(doc: Document, cfg: DedupConfig, words: Iterable[str] | None = None) -> None:
    """The document's content hash and MinHash signature, computed where it was cleaned (a worker, in
    parallel): the run's single dedup step then only looks them up in the index. ``words``: its text's
    ``iter_tokens``, when the caller has them."""
    doc.content_hash = content_hash(doc.text)
    doc.minhash = _signature(iter_tokens(doc.text) if words is None else words, cfg)


def exact_dedupe(docs: list[Document], state: DedupState | None = None) -> DedupResult:
    """Group by the hash of the normalised text (NFKC, case, whitespace); keep the canonical of each.
    A text already indexed by an earlier run is a duplicate of that run's canonical article."""
    state = state if state is not None else DedupState()
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        doc.content_hash = doc.content_hash or content_hash(doc.text)
        groups.setdefault(doc.content_hash, []).append(doc)
    articles, duplicates = [], []
    for digest, group in groups.items():
        canonical = None
        canonical_id = state.hashes.get(digest)
        if canonical_id is None:
            canonical = _canonical_first(group)[0]
            canonical_id = canonical.doc_id
            articles.append(canonical)
        duplicates.extend(
            Duplicate(d.doc_id, d.source_uri, canonical_id, "exact", 1.0) for d in group if d is not canonical
        )
    return DedupResult(articles, duplicates)


def near_dedupe(docs: list[Document], cfg: DedupConfig, state: DedupState | None = None) -> DedupResult:
    """MinHash-LSH over every document, then connected components of near-duplicate pairs.

    A pair is near-duplicate text when its estimated Jaccard similarity reaches ``near_threshold``, or
    when most of the shorter text is contained in the longer (a truncated or re-wrapped copy). Copies
    link through each other (a truncated copy of a re-headlined copy of the original), so each
    connected component is one article: its canonical is chosen by the canonical rule, and every
    other member becomes a duplicate of it. A component that reaches a text indexed by an earlier batch
    or run joins that text's canonical article (the most similar one): earlier decisions never change.
    The new texts are added to ``state``."""
    state = state if state is not None else DedupState()
    index = _band_index(state, cfg)
    keys = state.positions  # index position -> doc_id
    # signature and shingle count of every text a candidate may point at: earlier ones on demand
    new: dict[str, tuple[np.ndarray, int]] = {}

    def entry(key: str) -> tuple[np.ndarray, int]:
        return new[key] if key in new else (state.texts[key].signature, state.texts[key].size)

    ranked = _canonical_first(docs)
    rank = {doc.doc_id: i for i, doc in enumerate(ranked)}
    parent = {doc.doc_id: doc.doc_id for doc in ranked}
    earlier: dict[str, tuple[float, str]] = {}  # new doc_id -> best (similarity, old canonical)

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for doc in ranked:
        signature, size = doc.minhash or _signature(iter_tokens(doc.text), cfg)
        for position in index.query(signature):
            other = keys[position]
            sim = similarity(signature, size, *entry(other), cfg)
            if sim == 0.0:
                continue
            if other not in new:  # a text of an earlier batch or run
                link = (sim, state.texts[other].canonical)
                earlier[doc.doc_id] = max(earlier.get(doc.doc_id, link), link)
            else:
                a, b = sorted((root(doc.doc_id), root(other)), key=rank.__getitem__)
                parent[b] = a  # the better-ranked root (longer text) stays the component's root
        index.add(signature)
        keys.append(doc.doc_id)
        new[doc.doc_id] = (signature, size)

    # A component that touches earlier texts joins the earlier canonical it resembles most.
    joins: dict[str, tuple[float, str]] = {}
    for key, link in earlier.items():
        r = root(key)
        joins[r] = max(joins.get(r, link), link)

    articles, duplicates = [], []
    for doc in ranked:
        r = root(doc.doc_id)
        canonical = joins[r][1] if r in joins else r
        signature, size = new[doc.doc_id]
        state.texts[doc.doc_id] = Indexed(canonical, size, signature)
        state.hashes[doc.content_hash] = canonical
        if canonical == doc.doc_id:
            articles.append(doc)
            continue
        similar = round(jaccard(signature, entry(canonical)[0]), 4)
        duplicates.append(Duplicate(doc.doc_id, doc.source_uri, canonical, "near", similar))
    return DedupResult(articles, duplicates)


def _band_index(state: DedupState, cfg: DedupConfig) -> BandIndex:
    """The state's band index, built from its signatures the first time a run needs it."""
    if state.bands is None:
        state.bands = BandIndex(cfg.lsh_threshold, cfg.num_perm)
        state.positions = list(state.texts)
        state.bands.build(state.texts[key].signature for key in state.positions)
    return state.bands


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity two MinHash signatures estimate: the share of equal hash values."""
    return float(np.count_nonzero(a == b)) / len(a)


def similarity(a: np.ndarray, size_a: int, b: np.ndarray, size_b: int, cfg: DedupConfig) -> float:
    """Estimated Jaccard similarity when the pair counts as near-duplicate text, else 0."""
    jaccard_ab = jaccard(a, b)
    # |A∩B| from the Jaccard estimate and the set sizes; containment of the smaller set in the larger
    common = jaccard_ab * (size_a + size_b) / (1 + jaccard_ab)
    containment = common / max(1, min(size_a, size_b))
    near = jaccard_ab >= cfg.near_threshold or (
        containment >= cfg.containment_threshold and jaccard_ab >= cfg.jaccard_floor
    )
    return jaccard_ab if near else 0.0


@dataclass(slots=True)
class ShortText:
    """A text too short to be an article, fingerprinted where it was cleaned: it may be a copy of one."""

    reject: Reject  # its too_short reject, which stands unless it turns out to be a copy
    signature: np.ndarray
    size: int


def short_text(reject: Reject, cfg: DedupConfig) -> ShortText | None:
    """The fingerprint of a too_short reject's text, when it has enough words to be checked as a copy;
    the reject drops its text either way."""
    text, reject.text = reject.text, None
    words = list(iter_tokens(text or ""))
    if len(words) < cfg.short_copy_min_words:
        return None
    return ShortText(reject, *_signature(words, cfg))


def find_short_copies(
    shorts: list[ShortText], cfg: DedupConfig, state: DedupState
) -> tuple[list[Duplicate], list[Reject]]:
    """Each short text that is contained in a known article (of this run or an earlier one) becomes a
    near duplicate of it, its similarity the share of it found there; the others stay rejected.

    Containment from two MinHash signatures: under each permutation the union's smallest shingle lies
    in both texts (equal values), only in the short text (its value is the smaller) or only in the
    article, so equal / (equal + smaller) estimates the share of the short text inside the article.
    LSH cannot propose these pairs (a 20-word copy of an 800-word article has a Jaccard similarity near
    0.03), so every known article is compared, a stacked slice of articles at a time."""
    if not shorts:
        return [], []
    best = [(0.0, 0, "")] * len(shorts)  # (share, equal values, article) of each short text
    articles = [key for key, entry in state.texts.items() if entry.canonical == key]
    for start in range(0, len(articles), _STACK):
        ids = articles[start : start + _STACK]
        signatures = np.stack([state.texts[key].signature for key in ids])
        for k, short in enumerate(shorts):
            equal = np.count_nonzero(signatures == short.signature, axis=1)
            smaller = np.count_nonzero(short.signature < signatures, axis=1)
            share = equal / np.maximum(equal + smaller, 1)
            for i in np.flatnonzero((equal >= cfg.short_copy_min_matches) & (share >= cfg.containment_threshold)):
                best[k] = max(best[k], (float(share[i]), int(equal[i]), ids[i]))
    duplicates, rejects = [], []
    for short, (share, _, article) in zip(shorts, best):
        reject = short.reject
        if article:
            duplicates.append(Duplicate(reject.key(), reject.source_uri, article, "near", round(share, 4)))
        else:
            rejects.append(reject)
    return duplicates, rejects


_STACK = 65_536  # articles' signatures stacked at a time for the short-copy search (64 MiB at 256 permutations)


def deduplicate(docs: list[Document], cfg: DedupConfig, state: DedupState | None = None) -> DedupResult:
    """Exact, then near-duplicate detection, against ``state`` (earlier runs) when given; ``state``
    is updated with this batch's texts."""
    state = state if state is not None else DedupState()
    exact = exact_dedupe(docs, state)
    near = near_dedupe(exact.articles, cfg, state)
    # An exact copy of a text that turned out to be a near duplicate points at that text's canonical.
    folded = {d.doc_id: d.duplicate_of for d in near.duplicates}
    for dup in exact.duplicates:
        dup.duplicate_of = folded.get(dup.duplicate_of, dup.duplicate_of)
    return DedupResult(near.articles, exact.duplicates + near.duplicates)


def _canonical_first(docs: list[Document]) -> list[Document]:
    """The canonical rule as an order: longest clean text first, then the smallest source_uri."""
    return sorted(docs, key=lambda d: (-len(d.text), d.source_uri))
