"""What later runs need to know about earlier ones, without re-reading their text.

``DedupState``: the content hash and MinHash signature of every text already indexed, and its
canonical article. ``StoryState``: each story's centroid (top terms) and the corpus' document
frequencies. ``Index`` holds both plus the ledger of processed inputs; it lives in memory during a
run, and ``tasks.index`` persists it inside each output snapshot.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from docclean.tasks.lsh import BandIndex


@dataclass(slots=True)
class Indexed:
    canonical: str  # doc_id of the article this text is (itself) or duplicates
    size: int  # number of shingles, for the containment estimate
    signature: np.ndarray  # MinHash hash values, [num_perm]


@dataclass(slots=True)
class DedupState:
    hashes: dict[str, str] = field(default_factory=dict)  # content_hash -> canonical doc_id
    texts: dict[str, Indexed] = field(default_factory=dict)  # doc_id -> signature entry
    # The LSH band index over ``texts`` (position i is ``positions[i]``): built on first use, kept in
    # step as batches are added, never persisted (it is rebuilt from the signatures).
    bands: BandIndex | None = field(default=None, repr=False, compare=False)
    positions: list[str] = field(default_factory=list, repr=False, compare=False)
    # (texts, hashes) already stored when the index was loaded or saved: later entries are new
    loaded: tuple[int, int] = field(default=(0, 0), repr=False, compare=False)


@dataclass(slots=True)
class Centroid:
    """A story's summed member vectors as parallel arrays: term ids (ascending) and weights. About 12
    bytes a term, where a dict of strings takes ten times that: stories are the index's bulk."""

    ids: np.ndarray  # int64 term ids, ascending
    weights: np.ndarray  # float64
    members: int = 1  # articles summed (average-link divides by it)

    @staticmethod
    def of(ids: np.ndarray, weights: np.ndarray, members: int = 1) -> Centroid:
        """A centroid of terms in any order: sorted by id."""
        order = np.argsort(ids)
        return Centroid(ids[order], weights[order], members)


@dataclass(slots=True)
class Pending:
    """An article collected for the run's story step: its term ids and counts, not its text."""

    doc_id: str
    ids: np.ndarray  # int32 term ids
    counts: np.ndarray  # float32 (a run's articles wait in memory until its commit)


@dataclass(slots=True)
class Terms:
    """Term strings <-> the ids centroids store (ids are this process's own; files keep strings)."""

    ids: dict[str, int] = field(default_factory=dict)
    strings: list[str] = field(default_factory=list)

    def id(self, term: str) -> int:
        if (tid := self.ids.get(term)) is None:
            tid = self.ids[term] = len(self.strings)
            self.strings.append(term)
        return tid


@dataclass(slots=True)
class StoryState:
    centroids: dict[str, Centroid] = field(default_factory=dict)  # story_id -> summed member vectors
    terms: Terms = field(default_factory=Terms)
    df: Counter[str] = field(default_factory=Counter)  # term -> articles containing it
    n_docs: int = 0
    # this run's articles, waiting for the commit to place them in stories together; never persisted
    pending: list[Pending] = field(default_factory=list, repr=False, compare=False)
    # Since the index was loaded or saved: stories founded or changed, and the document frequencies
    # added (``tasks.index`` writes only these as the run's part). ``df_added`` is None for a state
    # not loaded from an index (its df is all new: no second Counter of every term on a first run).
    changed: set[str] = field(default_factory=set, repr=False, compare=False)
    df_added: Counter[str] | None = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class Index:
    """Everything a run needs from earlier runs: their dedup and story state, which runs they were,
    and the ledger of input keys already processed (content hashes, so renamed copies count too)."""

    dedup: DedupState = field(default_factory=DedupState)
    stories: StoryState = field(default_factory=StoryState)
    runs: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
