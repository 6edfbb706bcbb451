"""Same-story clustering: average-link over a run's new articles and the stories of earlier runs.

A run's articles are collected batch by batch (``collect``: their term counts, and the corpus'
document frequencies) and placed in stories together when the run commits (``settle``), so the
result does not depend on the order the inputs came in. Each article is a sublinear TF-IDF vector;
candidate neighbours are those sharing most of its strongest terms (an inverted index, capped per
term: no all-pairs step); on that sparse graph, clusters merge while the mean cosine over their
article pairs reaches the threshold (average link; pairs the search did not propose count as
unrelated). An earlier run's story takes part as a cluster of its members (its centroid is their
summed vectors, so an article's dot product with it is the sum of its cosines with them): new
articles may join it, two earlier stories never merge, and a story id once given never changes. A
new story's id is derived from its smallest ``doc_id``.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable

import numpy as np
from scipy import sparse

from docclean.tasks.config import StoryConfig
from docclean.tasks.records import Document
from docclean.tasks.state import Centroid, Pending, StoryState
from docclean.tasks.text import iter_tokens, tokens

_NAME = re.compile(r"(?<![.!?\"“]\s)(?<!^)(?<!\n)\b([A-Z][^\W\d_]+)")


def term_counts(doc: Document, cfg: StoryConfig, words: Iterable[str] | None = None) -> Counter[str]:
    """The content terms' counts of the document (its text's ``iter_tokens`` as ``words`` when the
    caller has them). Counted where it was cleaned (a worker, in parallel): they depend on its text
    alone, so the run's story step only weighs them."""
    # token by token, CJK bigrams aside: only words are counted
    words = iter_tokens(doc.text) if words is None else words
    counts = Counter(t for t in words if len(t) >= 4 and not t.isdigit())
    # Names tell two similar events apart (one actress's rehab from another's): a capitalised word
    # that does not open a sentence counts extra.
    for match in _NAME.finditer(doc.text):
        name = match.group(1).casefold()
        if len(name) >= 3:
            counts[name] += cfg.name_weight
    if doc.title:  # the headline names the event: weigh its terms like a second mention
        counts.update(t for t in tokens(doc.title) if len(t) >= 4)
    return counts


def collect(docs: list[Document], cfg: StoryConfig, state: StoryState) -> None:
    """Keep the articles' term counts (as term ids) for ``settle`` and count them into the document
    frequencies. The text is not kept: a run's articles cost a couple of KB each until the commit."""
    for doc in docs:
        counts = doc.terms if doc.terms is not None else term_counts(doc, cfg)
        state.df.update(counts.keys())
        if state.df_added is not None:
            state.df_added.update(counts.keys())
        ids = np.fromiter((state.terms.id(t) for t in counts), np.int32, len(counts))
        state.pending.append(Pending(doc.doc_id, ids, np.fromiter(counts.values(), np.float32, len(counts))))
    state.n_docs += len(docs)


def settle(cfg: StoryConfig, state: StoryState) -> tuple[dict[str, str], int]:
    """Place every collected article in a story: (doc_id -> story_id, the number of new stories).
    ``state`` gains the new stories and the grown ones; its collected articles are cleared."""
    pending = sorted(state.pending, key=lambda p: p.doc_id)  # input order never matters
    state.pending = []
    if not pending:
        return {}, 0
    doc_ids = [p.doc_id for p in pending]
    vectors = _tfidf(pending, cfg, state)
    del pending  # weighed: the term counts make room for the pair graph
    n = len(doc_ids)
    probes = _probe_matrix(vectors, cfg)
    old = _candidate_stories(probes, cfg, state)
    old_rows = _centroid_matrix([state.centroids[s] for s in old], vectors.shape[1])
    left, right = _candidate_pairs(sparse.vstack([probes, _probe_matrix(old_rows, cfg)]).tocsr(), n, cfg)
    sizes = [1] * n + [state.centroids[s].members for s in old]
    clusters = _average_link(sizes, n, left, right, _dots(vectors, old_rows, left, right), cfg.threshold)
    assigned, founded = {}, 0
    for members in clusters:
        articles = [m for m in members if m < n]
        if not articles:
            continue
        stored = [old[m - n] for m in members if m >= n]
        sid = stored[0] if stored else f"story-{doc_ids[articles[0]][:16]}"
        founded += not stored
        grown = _sum_rows(vectors, articles)
        if stored:  # (re-inserted: the centroids stay in the order they last grew)
            grown = _add(state.centroids.pop(sid), grown)
        state.centroids[sid] = _trim(grown, cfg.centroid_terms)
        state.changed.add(sid)
        for m in articles:
            assigned[doc_ids[m]] = sid
    return assigned, founded


def assign_stories(docs: list[Document], cfg: StoryConfig, state: StoryState | None = None) -> int:
    """Place ``docs`` in stories together (``collect`` then ``settle``), joining the stories of earlier
    runs in ``state``; set each one's ``story_id`` and return the number of new stories."""
    state = state if state is not None else StoryState()
    collect(docs, cfg, state)
    assigned, founded = settle(cfg, state)
    for doc in docs:
        doc.story_id = assigned[doc.doc_id]
    return founded


def _tfidf(pending: list[Pending], cfg: StoryConfig, state: StoryState) -> sparse.csr_matrix:
    """Unit sublinear TF-IDF rows of the ``max_terms`` strongest terms, over this process's term ids;
    the document frequencies include every article collected so far. Weighed a slice of articles at a
    time: the temporary arrays hold every term of each article, the result only its strongest."""
    return sparse.vstack(
        [_tfidf_slice(pending[i : i + _PAIR_SLICE], cfg, state) for i in range(0, len(pending), _PAIR_SLICE)]
    ).tocsr()


def _tfidf_slice(pending: list[Pending], cfg: StoryConfig, state: StoryState) -> sparse.csr_matrix:
    lengths = np.fromiter((len(p.ids) for p in pending), np.int64, len(pending))
    ids = np.concatenate([p.ids for p in pending]).astype(np.int64)
    counts = np.concatenate([p.counts for p in pending]).astype(np.float64)
    row = np.repeat(np.arange(len(pending)), lengths)
    unique, inverse = np.unique(ids, return_inverse=True)
    strings, df = state.terms.strings, state.df
    doc_freq = np.fromiter((df[strings[t]] for t in unique.tolist()), np.float64, len(unique))
    idf = (np.log((state.n_docs + 1) / (doc_freq + 1)) + 1) ** cfg.idf_power
    weights = (1 + np.log(counts)) * idf[inverse]
    keep = _strongest(row, ids, weights, cfg.max_terms)
    row, ids, weights = row[keep], ids[keep], weights[keep]
    norms = np.sqrt(np.bincount(row, weights * weights, len(pending)))
    shape = (len(pending), len(state.terms.strings))
    return sparse.csr_matrix(((weights / norms[row]).astype(np.float32), (row, ids)), shape=shape)


def _strongest(row: np.ndarray, ids: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Positions of each row's ``k`` heaviest entries (ties to the lower term id)."""
    order = np.lexsort((ids, -weights, row))
    starts = np.searchsorted(row[order], row[order], side="left")
    return order[np.arange(len(order)) - starts < k]


def _probe_matrix(rows: sparse.csr_matrix, cfg: StoryConfig) -> sparse.csr_matrix:
    """Each row's ``probe_terms`` strongest terms as ones: what candidates must share (a slice of rows
    at a time)."""
    slices = []
    for start in range(0, rows.shape[0], _PAIR_SLICE):
        coo = rows[start : start + _PAIR_SLICE].tocoo()
        keep = _strongest(coo.row, coo.col, coo.data, cfg.probe_terms)
        slices.append(sparse.csr_matrix((np.ones(len(keep), np.float32), (coo.row[keep], coo.col[keep])), coo.shape))
    return sparse.vstack(slices, format="csr") if slices else sparse.csr_matrix(rows.shape, dtype=np.float32)


def _candidate_stories(probes: sparse.csr_matrix, cfg: StoryConfig, state: StoryState) -> list[str]:
    """Earlier runs' stories strong in one of the new articles' strongest terms: per term, the
    ``max_postings`` most recently grown (news stories are local in time)."""
    wanted = set(np.unique(probes.indices).tolist())
    postings: dict[int, list[str]] = {}
    for sid in reversed(state.centroids):  # most recently stored or grown last
        centroid = state.centroids[sid]
        strongest = centroid.ids[np.argsort(-centroid.weights, kind="stable")[: cfg.probe_terms]]
        for term in strongest.tolist():
            if term in wanted and len(listed := postings.setdefault(term, [])) < cfg.max_postings:
                listed.append(sid)
    return sorted({sid for listed in postings.values() for sid in listed})


def _centroid_matrix(centroids: list[Centroid], width: int) -> sparse.csr_matrix:
    if not centroids:
        return sparse.csr_matrix((0, width))
    lengths = [len(c.ids) for c in centroids]
    row = np.repeat(np.arange(len(centroids)), lengths)
    ids = np.concatenate([c.ids for c in centroids])
    weights = np.concatenate([c.weights for c in centroids])
    return sparse.csr_matrix((weights, (row, ids)), shape=(len(centroids), width))


def _candidate_pairs(probes: sparse.csr_matrix, n_new: int, cfg: StoryConfig) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (left < right) worth scoring: each new article (the first ``n_new`` rows) with the
    ``max_candidates`` rows sharing most of its strongest terms (ties to the lower row). A term strong
    in more than ``max_postings`` rows is left out of the count: it says little and would make the
    count quadratic. Counted a slice of articles at a time, so memory follows the slice."""
    crowded = np.diff(probes.tocsc().indptr) > cfg.max_postings + 1
    probes = (probes @ sparse.diags((~crowded).astype(np.float64))).tocsr()
    transposed = probes.T.tocsc()
    left, right = [], []
    for start in range(0, n_new, _PAIR_SLICE):
        shared = (probes[start : min(start + _PAIR_SLICE, n_new)] @ transposed).tocsr()
        for row in range(shared.shape[0]):
            i = start + row
            cols = shared.indices[shared.indptr[row] : shared.indptr[row + 1]]
            counts = shared.data[shared.indptr[row] : shared.indptr[row + 1]]
            best = cols[np.lexsort((cols, -counts))]
            best = best[best != i][: cfg.max_candidates]
            left.append(np.minimum(best, i))
            right.append(np.maximum(best, i))
    pairs = np.unique(np.stack([np.concatenate(left), np.concatenate(right)]), axis=1)
    return pairs[0].astype(np.int64), pairs[1].astype(np.int64)


# articles weighed, or whose shared-term counts are held (up to ~1,000 entries each), or pairs scored at once
_PAIR_SLICE = 2048


def _average_link(
    sizes: list[int], n_new: int, left: np.ndarray, right: np.ndarray, similarity: np.ndarray, threshold: float
) -> list[list[int]]:
    """Merge clusters while the mean cosine of their members' pairs reaches ``threshold``. Node ``i`` is an
    article's unit vector (``i < n_new``) or an earlier story's summed member vectors (``sizes[i]``
    members), which no other earlier story may join. Each candidate pair's similarity is its dot product;
    a cluster pair's is the sum over its candidate pairs (pairs the search did not propose count as
    unrelated), divided by the product of the sizes. Ties go to the lower nodes: the result depends on
    the nodes, not on any order of arrival."""
    n = len(sizes)
    sizes = list(sizes)
    stored = [i >= n_new for i in range(n)]
    links: list[dict[int, float]] = [{} for _ in range(n)]  # cluster -> other cluster -> summed similarity
    for a, b, s in zip(left.tolist(), right.tolist(), similarity.tolist()):
        if s > 0:
            links[a][b] = links[b][a] = s
    version = [0] * n
    heap = [
        (-s / (sizes[a] * sizes[b]), a, b, 0, 0)
        for a in range(n)
        for b, s in links[a].items()
        if a < b and s / (sizes[a] * sizes[b]) >= threshold
    ]
    heapq.heapify(heap)
    members = [[i] for i in range(n)]
    while heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if va != version[a] or vb != version[b] or (stored[a] and stored[b]):
            continue  # stale: one of them merged since
        keep, gone = (a, b) if (stored[a] or not stored[b]) else (b, a)
        gone_links, links[gone] = links[gone], {}
        for other, s in gone_links.items():
            del links[other][gone]
            if other != keep:
                links[keep][other] = links[other][keep] = links[keep].get(other, 0.0) + s
        sizes[keep] += sizes[gone]
        stored[keep] = stored[keep] or stored[gone]
        members[keep] += members[gone]
        members[gone] = []
        version[keep] += 1
        version[gone] = -1
        for other, s in links[keep].items():
            mean = s / (sizes[keep] * sizes[other])
            if mean >= threshold and not (stored[keep] and stored[other]):
                x, y = min(keep, other), max(keep, other)
                heapq.heappush(heap, (-mean, x, y, version[x], version[y]))
    return [sorted(m) for m in members if m]


def _dots(vectors: sparse.csr_matrix, old_rows: sparse.csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The dot products of the pairs (``left`` an article; ``right`` an article, or an earlier story
    past the articles), a slice of pairs at a time: each pair's two rows are copied."""
    n = vectors.shape[0]
    out = np.empty(len(left))
    for start in range(0, len(left), _PAIR_SLICE):
        a, b = left[start : start + _PAIR_SLICE], right[start : start + _PAIR_SLICE]
        article = b < n
        part = np.empty(len(a))
        part[article] = vectors[a[article]].multiply(vectors[b[article]]).sum(axis=1).A1
        part[~article] = vectors[a[~article]].multiply(old_rows[b[~article] - n]).sum(axis=1).A1
        out[start : start + len(a)] = part
    return out


def _sum_rows(vectors: sparse.csr_matrix, rows: list[int]) -> Centroid:
    summed = sparse.csr_matrix(vectors[rows].sum(axis=0))
    return Centroid.of(summed.indices.astype(np.int64), summed.data.astype(np.float64), members=len(rows))


def _add(story: Centroid, grown: Centroid) -> Centroid:
    ids, position = np.unique(np.concatenate([story.ids, grown.ids]), return_inverse=True)
    weights = np.bincount(position, weights=np.concatenate([story.weights, grown.weights]))
    return Centroid(ids, weights, story.members + grown.members)


def _trim(centroid: Centroid, k: int) -> Centroid:
    """The ``k`` strongest terms (ties to the lower id), ids ascending again."""
    if len(centroid.ids) <= k:
        return centroid
    keep = np.sort(np.lexsort((centroid.ids, -centroid.weights))[:k])
    return Centroid(centroid.ids[keep], centroid.weights[keep], centroid.members)
