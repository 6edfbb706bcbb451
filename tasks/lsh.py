"""MinHash LSH with band keys in numpy arrays, for indexes of millions of texts.

Same banding as datasketch's MinHashLSH (its optimal bands × rows for the threshold): two texts are
candidates when all the rows of at least one band agree. Instead of a Python set per band per text
(about 16 KB per indexed text at 51 bands), the texts of earlier runs sit in one sorted uint64 array
per band (8 bytes per band per text, plus a 4-byte position), searched with ``searchsorted``. Texts
added one by one go to a dict per band, merged into the sorted arrays whenever they reach an eighth
of the index: the dicts stay small however long a run is.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from datasketch.lsh import _optimal_param

_MIX = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime: mixes a band's rows into one key


class BandIndex:
    def __init__(self, threshold: float, num_perm: int, min_merge: int = 4096) -> None:
        self.min_merge = min_merge  # texts added one by one before a merge is worth its sort
        self.bands, self.rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
        self._sorted_keys = [np.empty(0, np.uint64) for _ in range(self.bands)]
        self._sorted_pos = [np.empty(0, np.int64) for _ in range(self.bands)]
        self._recent: list[dict[int, list[int]]] = [{} for _ in range(self.bands)]
        self._recent_keys: list[np.ndarray] = []  # [bands] keys of the texts in ``_recent``, in order
        self.size = 0

    def band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """[n, num_perm] hash values -> [n, bands] uint64 keys (one per band)."""
        rows = np.asarray(signatures, dtype=np.uint64)[:, : self.bands * self.rows]
        rows = rows.reshape(len(rows), self.bands, self.rows)
        keys = rows[:, :, 0].copy()
        with np.errstate(over="ignore"):  # the mixing wraps around 2**64 on purpose
            for r in range(1, self.rows):
                keys = (keys * _MIX) ^ rows[:, :, r]
        return keys

    def build(self, signatures: Iterable[np.ndarray], chunk: int = 65_536) -> None:
        """Index texts in bulk (positions 0..n-1, in order): the earlier runs' texts, at the start."""
        assert self.size == 0, "build an empty index"
        parts, buffer = [], []
        for signature in signatures:
            buffer.append(signature)
            if len(buffer) == chunk:
                parts.append(self.band_keys(np.stack(buffer)))
                buffer = []
        if buffer:
            parts.append(self.band_keys(np.stack(buffer)))
        if parts:
            keys = np.concatenate(parts)
            self.size = len(keys)
            self._merge_sorted(keys)

    def add(self, signature: np.ndarray) -> int:
        """Index one more text; returns its position."""
        position = self.size
        keys = self.band_keys(signature[None, :])[0]
        for band, key in enumerate(keys.tolist()):
            self._recent[band].setdefault(key, []).append(position)
        self._recent_keys.append(keys)
        self.size += 1
        if len(self._recent_keys) >= max(self.min_merge, self.size // 8):
            self._merge_recent()
        return position

    def _merge_recent(self) -> None:
        """Move the texts added one by one into the sorted arrays (amortised: the merge threshold grows
        with the index, so each text is re-sorted O(log n) times in all)."""
        self._merge_sorted(np.stack(self._recent_keys))
        self._recent = [{} for _ in range(self.bands)]
        self._recent_keys = []

    def _merge_sorted(self, keys: np.ndarray) -> None:
        """Merge the [n, bands] keys of the last n texts (positions size-n .. size-1) into the arrays."""
        positions = np.arange(self.size - len(keys), self.size, dtype=np.int64)
        for band in range(self.bands):
            merged_keys = np.concatenate([self._sorted_keys[band], keys[:, band]])
            merged_pos = np.concatenate([self._sorted_pos[band], positions])
            order = np.argsort(merged_keys, kind="stable")
            self._sorted_keys[band], self._sorted_pos[band] = merged_keys[order], merged_pos[order]

    def query(self, signature: np.ndarray) -> set[int]:
        """Positions of the indexed texts that share at least one band with ``signature``."""
        found: set[int] = set()
        for band, key in enumerate(self.band_keys(signature[None, :])[0]):
            keys = self._sorted_keys[band]
            lo, hi = np.searchsorted(keys, key, side="left"), np.searchsorted(keys, key, side="right")
            if hi > lo:
                found.update(self._sorted_pos[band][lo:hi].tolist())
            found.update(self._recent[band].get(int(key), ()))
        return found
