"""Same-story clustering: single-pass leader clustering on TF-IDF vectors.

Each article is compared only with the stories that share one of its top terms (an inverted
index, no all-pairs step); it joins the most similar story's centroid when the cosine reaches
the threshold, else it founds a new story whose id is derived from its own ``doc_id``.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator

from tasks.config import StoryConfig
from tasks.records import Document
from tasks.state import StoryState, Vector
from tasks.text import content_terms_of, tokens

_NAME = re.compile(r"(?<![.!?\"“]\s)(?<!^)(?<!\n)\b([A-Z][^\W\d_]+)")


def term_counts(doc: Document, cfg: StoryConfig) -> Counter[str]:
    toks = tokens(doc.text)
    keep = content_terms_of(toks)
    counts = Counter(t for t in toks if t in keep)
    # Names tell two similar events apart (one actress's rehab from another's): a capitalised word
    # that does not open a sentence counts extra.
    for match in _NAME.finditer(doc.text):
        name = match.group(1).casefold()
        if len(name) >= 3:
            counts[name] += cfg.name_weight
    if doc.title:  # the headline names the event: weigh its terms like a second mention
        counts.update(t for t in tokens(doc.title) if len(t) >= 4)
    return counts


def tfidf_vectors(docs: list[Document], cfg: StoryConfig, state: StoryState) -> list[Vector]:
    """Sublinear TF-IDF over the top ``max_terms`` terms; document frequencies count earlier runs'
    articles (``state``) and this batch, which is then added to ``state``."""
    counts = [term_counts(d, cfg) for d in docs]
    state.df.update(term for c in counts for term in c)
    state.n_docs += len(docs)
    n, df = state.n_docs, state.df
    vectors = []
    for c in counts:
        weights = {t: (1 + math.log(k)) * (math.log((n + 1) / (df[t] + 1)) + 1) for t, k in c.items()}
        top = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[: cfg.max_terms])
        vectors.append(_unit(top))
    return vectors


def assign_stories(docs: list[Document], cfg: StoryConfig, state: StoryState | None = None) -> int:
    """Set ``story_id`` on every document (in the given order), joining the stories of earlier runs
    (``state``) or founding new ones; return the number of new stories. ``state`` is updated.

    Candidates come from an inverted index of each story's strongest terms, probed with the
    article's strongest terms, each term listing at most ``max_postings`` recent stories: the work
    per article stays flat as stories accumulate."""
    state = state if state is not None else StoryState()
    centroids = state.centroids
    if state.postings is None:  # first batch of the run: index the earlier runs' stories
        state.norms = {sid: _norm(c) for sid, c in centroids.items()}
        state.postings = defaultdict(dict)
        for sid, centroid in centroids.items():
            for term in _strongest(centroid, cfg.probe_terms):
                _post(state.postings, term, sid, cfg.max_postings)
    postings, norms = state.postings, state.norms
    founded = 0
    touched = set()
    for doc, vec in _vectors(docs, cfg, state):
        probe = _strongest(vec, cfg.probe_terms)
        # Full cosines only for the stories sharing the most of the article's strongest terms.
        shared = Counter(sid for term in probe for sid in postings.get(term, ()))
        candidates = sorted(shared, key=lambda sid: (-shared[sid], sid))[: cfg.max_candidates]
        best = max(((_dot(vec, centroids[sid]) / norms[sid], sid) for sid in candidates), default=(0.0, ""))
        if best[0] >= cfg.threshold:
            sid = best[1]
            centroid = centroids[sid]
            squared = norms[sid] ** 2
            for term, weight in vec.items():
                old = centroid.get(term, 0.0)
                centroid[term] = old + weight
                squared += (old + weight) ** 2 - old * old
            norms[sid] = math.sqrt(squared)
            if len(centroid) > 2 * cfg.centroid_terms:  # bound memory during long runs too
                centroids[sid] = _top(centroid, cfg.centroid_terms)
                norms[sid] = _norm(centroids[sid])
        else:
            sid = f"story-{doc.doc_id[:16]}"
            centroids[sid] = dict(vec)
            norms[sid] = 1.0
            founded += 1
        for term in probe:
            _post(postings, term, sid, cfg.max_postings)
        touched.add(sid)
        doc.story_id = sid
    for sid in touched:  # bound each story's memory: keep its strongest terms
        centroids[sid] = _top(centroids[sid], cfg.centroid_terms)
        norms[sid] = _norm(centroids[sid])
    return founded


def _post(postings: dict[str, dict[str, None]], term: str, sid: str, limit: int) -> None:
    """``sid`` becomes the most recent story strong in ``term``; the oldest beyond ``limit`` drops out
    (news stories are local in time: capped lists keep the work per article bounded)."""
    stories = postings[term]
    stories.pop(sid, None)
    stories[sid] = None
    if len(stories) > limit:
        del stories[next(iter(stories))]


# Articles vectorised at a time: document frequencies then include each chunk before its articles
# are placed (as they include earlier runs), and memory holds one chunk's vectors, not the run's
# (about 14 KB per article at 150 terms).
_VECTOR_CHUNK = 1000


def _vectors(docs: list[Document], cfg: StoryConfig, state: StoryState) -> Iterator[tuple[Document, Vector]]:
    for start in range(0, len(docs), _VECTOR_CHUNK):
        chunk = docs[start : start + _VECTOR_CHUNK]
        yield from zip(chunk, tfidf_vectors(chunk, cfg, state))


def _top(vec: Vector, k: int) -> Vector:
    return dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def _strongest(vec: Vector, k: int) -> list[str]:
    return list(_top(vec, k))


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _norm(vec: Vector) -> float:
    return math.sqrt(sum(w * w for w in vec.values()))


def _unit(vec: Vector) -> Vector:
    norm = _norm(vec) or 1.0
    return {t: w / norm for t, w in vec.items()}
