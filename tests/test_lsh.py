"""The numpy band index proposes exactly the candidates datasketch's MinHashLSH proposes."""

import random

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from docclean.tasks.dedup import MINHASH_SCHEME
from docclean.tasks.lsh import BandIndex

WORDS = "port ferry council river budget storm bridge museum school market station harbour".split()


def signatures(n: int, seed: int = 3) -> list[np.ndarray]:
    """Texts in families (a base text and edited copies), so that some pairs share bands and most don't."""
    rng = random.Random(seed)
    sigs = []
    for family in range(n // 5):
        base = [rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(60)]
        for copy in range(5):
            words = [w if rng.random() > 0.1 * copy else f"edit{family}x{copy}" for w in base]
            mh = MinHash(num_perm=128, seed=1, scheme=MINHASH_SCHEME)
            mh.update_batch([" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)])
            sigs.append(mh.hashvalues.astype(np.uint32))
    return sigs


# added texts: all in the dict / flushed to the recent array / and merged into the main one
@pytest.mark.parametrize(("min_merge", "buffer"), [(4096, 256), (4096, 8), (16, 8)])
def test_candidates_match_datasketch_for_built_and_added_texts(min_merge, buffer):
    sigs = signatures(300)
    reference = MinHashLSH(threshold=0.3, num_perm=128)
    for i, sig in enumerate(sigs):
        reference.insert(i, MinHash(num_perm=128, hashvalues=sig.astype(np.uint64), scheme=MINHASH_SCHEME))
    index = BandIndex(0.3, 128, min_merge=min_merge, buffer=buffer)
    assert (index.bands, index.rows) == (reference.b, reference.r)
    index.build(sigs[:200])  # earlier runs' texts, in bulk
    for position, sig in enumerate(sigs[200:], start=200):  # this run's, one by one
        assert index.add(sig) == position
    proposed = 0
    for sig in sigs:
        expected = set(reference.query(MinHash(num_perm=128, hashvalues=sig.astype(np.uint64), scheme=MINHASH_SCHEME)))
        assert index.query(sig) == expected
        proposed += len(expected)
    assert len(sigs) < proposed < len(sigs) ** 2 / 4  # copies are found, strangers are not


def test_an_empty_index_proposes_nothing():
    index = BandIndex(0.15, 256)
    index.build([])
    assert index.query(np.arange(256, dtype=np.uint32)) == set() and index.size == 0
