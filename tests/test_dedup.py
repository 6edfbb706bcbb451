import numpy as np

from docclean.tasks.dedup import deduplicate, exact_dedupe, fingerprint, near_dedupe, shingle_hashes
from docclean.tasks.records import Document
from docclean.tasks.text import content_hash, normalize

STORY = (
    "Japan's drillship Chikyu lifted rare earth mud from a depth of nearly six thousand metres near Minamitorishima. "
    "The trial is part of a government programme to test whether the sediment can be mined commercially. "
    "Officials said the concentration of rare earth elements in the mud is still being analysed in laboratories. "
    "If the tests succeed, a processing plant could be built on the island before the end of the decade. "
    "China dominates the processing of heavy rare earths, and Tokyo wants to reduce its dependence on Beijing."
)
OTHER_EVENT = (
    "Australia's Lynas Rare Earths said on Monday it would expand its processing plant in Malaysia. "
    "The company expects the new separation line to start production next year, lifting capacity by a third. "
    "Shares rose more than three percent after the announcement, as investors welcomed the plan. "
    "Analysts said the expansion would help customers in Japan and the United States diversify supply. "
    "Lynas is the largest producer of separated rare earths outside China."
)


def doc(doc_id: str, text: str, uri: str | None = None) -> Document:
    return Document(doc_id=doc_id, source_uri=uri or f"/raw/{doc_id}.txt", source_format="text", text=text)


def test_normalisation_ignores_case_width_and_whitespace():
    assert normalize("Ｔｏｋｙｏ  Rare\r\nEarths") == normalize("tokyo rare earths")
    assert content_hash("A b\r\nc") == content_hash("a  B\nc")
    assert content_hash("a b c") != content_hash("a b d")


def test_exact_copies_point_at_one_canonical():
    docs = [doc("b", STORY, "/raw/b.txt"), doc("a", STORY.upper(), "/raw/a.txt"), doc("c", OTHER_EVENT)]
    result = exact_dedupe(docs)
    assert sorted(d.doc_id for d in result.articles) == ["a", "c"]  # same length: smallest source_uri wins
    (dup,) = result.duplicates
    assert (dup.doc_id, dup.duplicate_of, dup.kind, dup.similarity) == ("b", "a", "exact", 1.0)


def test_syndicated_copy_is_a_near_duplicate_of_the_longest_version():
    sentences = STORY.split(". ")
    syndicated = "Japan tests deep-sea mud. " + ". ".join(sentences[:4]).replace("nearly six", "almost six")
    docs = [doc("copy", syndicated), doc("orig", STORY), doc("other", OTHER_EVENT)]
    result = deduplicate(docs, _cfg())
    assert sorted(d.doc_id for d in result.articles) == ["orig", "other"]
    (dup,) = result.duplicates
    assert (dup.doc_id, dup.duplicate_of, dup.kind) == ("copy", "orig", "near")
    assert 0.45 <= dup.similarity < 1.0


def test_same_event_by_another_outlet_is_not_a_duplicate():
    rewrite = (
        "A Japanese research vessel has recovered sediment rich in rare earths from the seabed off a remote island. "
        "Tokyo hopes the deposits will one day cut its reliance on Chinese supplies of the strategic metals."
    )
    result = near_dedupe([doc("orig", STORY), doc("rewrite", rewrite)], _cfg())
    assert len(result.articles) == 2 and result.duplicates == []


def test_decisions_do_not_depend_on_input_order():
    syndicated = STORY.rsplit(". ", 1)[0]
    forward = deduplicate([doc("orig", STORY), doc("copy", syndicated), doc("other", OTHER_EVENT)], _cfg())
    backward = deduplicate([doc("other", OTHER_EVENT), doc("copy", syndicated), doc("orig", STORY)], _cfg())
    key = lambda r: (sorted(d.doc_id for d in r.articles), sorted((d.doc_id, d.duplicate_of) for d in r.duplicates))  # noqa: E731
    assert key(forward) == key(backward) == (["orig", "other"], [("copy", "orig")])


def _cfg():
    from docclean.tasks.config import Config

    return Config().dedup


def test_an_exact_copy_of_a_near_duplicate_points_at_the_final_canonical():
    shorter = STORY.rsplit(". ", 1)[0]
    docs = [doc("orig", STORY), doc("copy", shorter), doc("copy-again", shorter.lower())]
    result = deduplicate(docs, _cfg())
    assert [d.doc_id for d in result.articles] == ["orig"]
    assert {d.doc_id: d.duplicate_of for d in result.duplicates} == {"copy": "orig", "copy-again": "orig"}


def test_copies_link_through_each_other():
    sentences = STORY.split(". ")
    first_half = ". ".join(sentences[:3])  # contained in the original
    reheadlined = "Deep-sea mud test off remote island. " + first_half + ". Reporting by the wire desk."
    truncated = ". ".join(sentences[:3])[:-20]
    result = deduplicate([doc("orig", STORY), doc("re", reheadlined), doc("cut", truncated)], _cfg())
    assert [d.doc_id for d in result.articles] == ["orig"]
    assert {d.duplicate_of for d in result.duplicates} == {"orig"}


def test_fingerprints_computed_by_the_worker_give_the_same_decisions_and_are_the_ones_used():
    sentences = STORY.split(". ")
    texts = {"orig": STORY, "copy": ". ".join(sentences[:-1]) + ".", "other": OTHER_EVENT}
    fresh = deduplicate([doc(k, t) for k, t in texts.items()], _cfg())
    worked = [doc(k, t) for k, t in texts.items()]
    for d in worked:
        fingerprint(d, _cfg())
    for d in worked:
        signature, size = d.minhash
        assert d.content_hash == content_hash(d.text) and signature.dtype.name == "uint32"
        assert signature.shape == (_cfg().num_perm,) and size > 50  # one signature value per permutation
    result = deduplicate(worked, _cfg())
    assert [(x.doc_id, x.duplicate_of, x.similarity) for x in result.duplicates] == [
        (x.doc_id, x.duplicate_of, x.similarity) for x in fresh.duplicates
    ]
    assert [x.doc_id for x in result.duplicates] == ["copy"]
    # the stage trusts what the worker computed: the other event, given the story's fingerprint, is its copy
    other, story = doc("other", OTHER_EVENT), doc("story", STORY)
    fingerprint(story, _cfg())
    other.minhash = story.minhash
    assert [x.doc_id for x in near_dedupe([story, other], _cfg()).duplicates] == ["other"]


def test_a_long_text_is_normalised_and_tokenised_piece_by_piece_exactly_as_at_once():
    import hashlib
    import random

    from docclean.tasks.text import content_hash, iter_tokens, normalize, tokens

    rng = random.Random(3)
    # cuts fall between whitespace and an ASCII word: composing marks, ligatures, odd spaces around them
    alphabet = [
        *"abcdefghij ABC xyz 0123",
        " ",
        "\n",
        "\u00a0",
        "\u3000",
        "é",
        "e\u0301",
        "ß",
        "ﬁ",
        "Ⅻ",
        "’",
        "日本",
        "\u0301",
        "İ",
    ]
    for _ in range(5):
        text = "  \n " + "".join(rng.choice(alphabet) for _ in range(rng.randint(150_000, 300_000))) + " \n\u3000 "
        assert content_hash(text) == hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()
        words = iter_tokens(text)
        assert list(words) == tokens(text) == list(words)  # iterated again: each consumer has its own pass
    assert np.array_equal(shingle_hashes(iter_tokens(text), 3), shingle_hashes(tokens(text), 3))


def test_shingle_hashes_are_datasketchs_sha1_hash32_of_each_shingle():
    from datasketch.hashfunc import sha1_hash32

    words = "the harbour council met on friday and the council voted".split()
    expected = {sha1_hash32(" ".join(words[i : i + 3]).encode()) for i in range(len(words) - 2)}
    assert shingle_hashes(words, 3).tolist() == sorted(expected)
    assert shingle_hashes(iter(words), 3).tolist() == sorted(expected)
    assert shingle_hashes(["two", "words"], 3).tolist() == [sha1_hash32(b"two words")]
    assert shingle_hashes(iter(["two", "words"]), 3).tolist() == [sha1_hash32(b"two words")]


def test_minhash_signatures_are_datasketchs_affine32_ones():
    """The index stores signatures of datasketch's affine32 scheme: computed here in numpy, they must be
    the values datasketch gives the same shingle hashes, for any seed and number of permutations."""
    from datasketch import MinHash

    from docclean.tasks.dedup import minhash

    rng = np.random.default_rng(7)
    for num_perm, seed, shingles in ((256, 1, 9000), (128, 42, 3), (64, 7, 1)):
        hashes = np.unique(rng.integers(0, 2**32, shingles, dtype=np.uint64).astype(np.uint32))
        reference = MinHash(num_perm=num_perm, seed=seed, scheme="affine32", hashfunc=int)
        reference.update_batch(hashes)
        assert minhash(hashes, num_perm, seed).tolist() == reference.hashvalues.tolist()


TEASER = (
    "Japan's drillship Chikyu lifted rare earth mud from a depth of nearly six thousand metres near Minamitorishima."
)


def _short(doc_id: str, text: str):
    from docclean.tasks.dedup import short_text
    from docclean.tasks.records import Reject, RejectReason

    return short_text(Reject(f"/raw/{doc_id}.txt", RejectReason.TOO_SHORT, "few words", doc_id, text), _cfg())


def test_a_short_teaser_of_a_known_article_is_its_near_duplicate_and_a_stranger_stays_rejected():
    from docclean.tasks.dedup import find_short_copies
    from docclean.tasks.state import DedupState

    state = DedupState()
    deduplicate([doc("orig", STORY), doc("other", OTHER_EVENT)], _cfg(), state)
    stranger = "Heavy snow closed the mountain pass for a second day, and the ferry to the island was cancelled too."
    # half the teaser, half other words: it shares a phrase with the article but is not a copy of it
    mixed = "Japan's drillship Chikyu lifted rare earth mud, the harbour master told fishermen waiting at the quay."
    shorts = [_short("teaser", TEASER), _short("stranger", stranger), _short("mixed", mixed)]
    assert all(s is not None and s.reject.text is None for s in shorts)  # fingerprinted; the text is not kept
    copies, rejects = find_short_copies(shorts, _cfg(), state)
    assert [(d.doc_id, d.source_uri, d.duplicate_of, d.kind) for d in copies] == [
        ("teaser", "/raw/teaser.txt", "orig", "near")
    ]
    assert copies[0].similarity >= _cfg().containment_threshold  # the share of the teaser in the article
    assert sorted(r.key() for r in rejects) == ["mixed", "stranger"]
    assert {str(r.reason) for r in rejects} == {"too_short"}


def test_short_copies_are_found_in_articles_indexed_after_the_first_search():
    from docclean.tasks.dedup import find_short_copies
    from docclean.tasks.state import DedupState

    state = DedupState()
    deduplicate([doc("other", OTHER_EVENT)], _cfg(), state)
    assert find_short_copies([_short("teaser", TEASER)], _cfg(), state)[0] == []  # nothing contains it yet
    deduplicate([doc("orig", STORY)], _cfg(), state)  # a later batch
    copies, _ = find_short_copies([_short("teaser", TEASER)], _cfg(), state)
    assert [d.duplicate_of for d in copies] == ["orig"]


def test_a_text_with_too_few_words_is_not_checked_as_a_copy():
    assert _short("tiny", "Japan's drillship Chikyu lifted") is None


def test_two_outlets_quoting_the_same_paragraph_are_not_copies_of_each_other():
    quote = (
        '"We have confirmed that the mud contains rare earth elements at concentrations high enough to justify a '
        'second expedition next spring," the programme director told reporters at the port of Shimizu on Friday.'
    )
    first = (
        "Japan's deep-sea drilling ship returned to port this week with cores of seabed sediment from the Pacific. "
        + quote
        + " The government has spent several billion yen on the project since it began five years ago, and "
        "officials hope that a domestic supply of the metals will protect manufacturers from export controls."
    )
    second = (
        "Scientists aboard the Chikyu celebrated as the vessel docked, ending a month-long voyage to a remote atoll. "
        + quote
        + " Critics of the programme question whether mining at such depths could ever be profitable, and "
        "environmental groups warn that disturbing the seabed could harm ecosystems that are barely understood."
    )
    result = deduplicate([doc("first", first), doc("second", second)], _cfg())
    assert sorted(d.doc_id for d in result.articles) == ["first", "second"] and result.duplicates == []
