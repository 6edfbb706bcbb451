"""MinHash LSH with band keys in numpy arrays, for indexes of millions of texts.

Same banding as datasketch's MinHashLSH (its optimal bands × rows for the threshold): two texts are
candidates when all the rows of at least one band agree. Instead of a Python set per band per text
(about 16 KB per indexed text at 51 bands), each band key is salted with its band number and all of
them sit in one sorted uint64 array with a parallel int32 array of positions: 12 bytes per band per
text, and a query is two ``searchsorted`` calls for all its bands at once.

Texts added one by one go to a small dict, flushed every ``buffer`` texts into a second sorted array
of recent texts, which is merged into the main one when it reaches an eighth of the index: however
long a run is, each text's keys are copied O(log n) times and the dict stays small.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

_MIX = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime: mixes a band's rows into one key
_SALT = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio constant: spreads band numbers over 64 bits


class _Sorted:
    """Salted band keys in ascending order, with the position of the text each one belongs to."""

    def __init__(self) -> None:
        self.keys = np.empty(0, np.uint64)
        self.positions = np.empty(0, np.int32)

    def __len__(self) -> int:
        return len(self.keys)

    def merge(self, keys: np.ndarray, positions: np.ndarray) -> None:
        """Merge unsorted keys in: sort the newcomers, then one linear insert."""
        order = np.argsort(keys, kind="stable")
        keys, positions = keys[order], positions[order]
        at = np.searchsorted(self.keys, keys, side="right")
        self.keys, self.positions = np.insert(self.keys, at, keys), np.insert(self.positions, at, positions)

    def lookup(self, keys: np.ndarray) -> list[int]:
        lo = np.searchsorted(self.keys, keys, side="left")
        hi = np.searchsorted(self.keys, keys, side="right")
        hits = np.flatnonzero(hi > lo)
        return [p for h in hits.tolist() for p in self.positions[lo[h] : hi[h]].tolist()]


class BandIndex:
    def __init__(self, threshold: float, num_perm: int, min_merge: int = 4096, buffer: int = 256) -> None:
        self.min_merge = min_merge  # recent texts before merging them into the main array is worth it
        self.buffer = buffer  # texts held in the dict before they go to the recent array
        # here, not at the top: datasketch's lsh module imports scipy, which the worker processes (they
        # import this module with the dedup stage's) do not need
        from datasketch.lsh import _optimal_param

        self.bands, self.rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
        self._salts = (np.arange(1, self.bands + 1, dtype=np.uint64) * _SALT)[None, :]
        self._main, self._recent = _Sorted(), _Sorted()
        self._buffered: dict[int, list[int]] = {}
        self._buffered_keys: list[np.ndarray] = []  # [bands] keys of the buffered texts, in order
        self.size = 0

    def band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """[n, num_perm] hash values -> [n, bands] uint64 keys (one per band, salted with its number)."""
        rows = np.asarray(signatures, dtype=np.uint64)[:, : self.bands * self.rows]
        rows = rows.reshape(len(rows), self.bands, self.rows)
        keys = rows[:, :, 0].copy()
        with np.errstate(over="ignore"):  # the mixing wraps around 2**64 on purpose
            for r in range(1, self.rows):
                keys = (keys * _MIX) ^ rows[:, :, r]
            return (keys * _MIX) ^ self._salts

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
            self._main.merge(keys.ravel(), self._positions(0, self.size))

    def add(self, signature: np.ndarray) -> int:
        """Index one more text; returns its position."""
        position = self.size
        keys = self.band_keys(signature[None, :])[0]
        for key in keys.tolist():
            self._buffered.setdefault(key, []).append(position)
        self._buffered_keys.append(keys)
        self.size += 1
        if len(self._buffered_keys) >= self.buffer:
            self._flush()
        if len(self._recent) >= self.bands * max(self.min_merge, self.size // 8):
            self._main.merge(self._recent.keys, self._recent.positions)
            self._recent = _Sorted()
        return position

    def _flush(self) -> None:
        n = len(self._buffered_keys)
        self._recent.merge(np.concatenate(self._buffered_keys), self._positions(self.size - n, self.size))
        self._buffered, self._buffered_keys = {}, []

    def _positions(self, start: int, stop: int) -> np.ndarray:
        """Each position of start..stop-1 once per band, in the order of ``band_keys(...).ravel()``."""
        return np.repeat(np.arange(start, stop, dtype=np.int32), self.bands)

    def query(self, signature: np.ndarray) -> set[int]:
        """Positions of the indexed texts that share at least one band with ``signature``."""
        keys = self.band_keys(signature[None, :])[0]
        found = set(self._main.lookup(keys))
        found.update(self._recent.lookup(keys))
        for key in keys.tolist():
            found.update(self._buffered.get(key, ()))
        return found
