"""Two runs against one persisted index: later documents are judged against earlier ones without
their text, and earlier decisions (canonical articles, story ids) never change."""

import numpy as np
import pyarrow.parquet as pq
import pytest

from docclean.tasks.config import Config
from docclean.tasks.dedup import deduplicate
from docclean.tasks.index import IndexMismatch, load_index, save_index
from docclean.tasks.records import Document
from docclean.tasks.state import Indexed
from docclean.tasks.stories import assign_stories

from .test_dedup import OTHER_EVENT, STORY
from .test_stories import ELECTION, QUAKE_A, QUAKE_B, centroid, weights

pytestmark = pytest.mark.slow  # starts Prefect, servers or subprocesses; runs whole flows

CFG = Config()


def doc(doc_id: str, text: str) -> Document:
    return Document(doc_id=doc_id, source_uri=f"/raw/{doc_id}.txt", source_format="text", text=text)


def run(folder, run_id: str, docs: list[Document], runs: list[str]):
    """One run's dedup and story stages against the index stored in ``folder``, then saved back."""
    index = load_index(folder, CFG)
    assert index.runs == runs
    result = deduplicate(docs, CFG.dedup, index.dedup)
    assign_stories(result.articles, CFG.stories, index.stories)
    index.runs.append(run_id)
    save_index(folder, index, CFG)
    return result


def test_second_run_is_judged_against_the_first(tmp_path):
    week1 = [doc("orig", STORY), doc("lynas", OTHER_EVENT), doc("quake-a", QUAKE_A), doc("vote", ELECTION)]
    first = run(tmp_path, "run-1", week1, [])
    assert sorted(d.doc_id for d in first.articles) == ["lynas", "orig", "quake-a", "vote"]
    stories_before = {d.doc_id: d.story_id for d in first.articles}

    longer_copy = "Japan tests deep-sea mud. " + STORY + " Reporting by the wire desk; editing by the desk."
    week2 = [
        doc("copy", STORY.rsplit(". ", 1)[0]),  # a truncated copy of last week's article
        doc("longer-copy", longer_copy),  # longer than the original, yet the original stays canonical
        doc("again", STORY.upper()),  # the same text again: an exact duplicate
        doc("quake-b", QUAKE_B),  # another outlet on last week's earthquake
    ]
    second = run(tmp_path, "run-2", week2, ["run-1"])
    assert [d.doc_id for d in second.articles] == ["quake-b"]
    folded = {d.doc_id: (d.duplicate_of, d.kind) for d in second.duplicates}
    assert folded == {"copy": ("orig", "near"), "longer-copy": ("orig", "near"), "again": ("orig", "exact")}
    assert second.articles[0].story_id == stories_before["quake-a"]  # joins last week's story

    # a third run still sees both earlier runs, and no story id has moved
    third = run(tmp_path, "run-3", [doc("vote-copy", ELECTION + " More to follow.")], ["run-1", "run-2"])
    assert [(d.duplicate_of, d.kind) for d in third.duplicates] == [("vote", "near")]
    index = load_index(tmp_path, CFG)
    assert set(index.stories.centroids) >= set(stories_before.values())
    # a story's member count is stored: the quake's two reports (average link divides by it)
    assert index.stories.centroids[stories_before["quake-a"]].members == 2
    assert index.stories.centroids[stories_before["vote"]].members == 1
    assert index.dedup.texts["copy"].canonical == "orig"


def test_the_ledger_of_processed_inputs_round_trips(tmp_path):
    index = load_index(tmp_path, CFG)
    index.seen.update({"a" * 32, "unreadable:/raw/gone.txt"})
    save_index(tmp_path, index, CFG)
    assert load_index(tmp_path, CFG).seen == {"a" * 32, "unreadable:/raw/gone.txt"}


def test_an_index_built_with_other_minhash_settings_is_refused(tmp_path):
    run(tmp_path, "run-1", [doc("orig", STORY)], [])
    other = Config.model_validate({**CFG.model_dump(), "dedup": {**CFG.dedup.model_dump(), "num_perm": 128}})
    with pytest.raises(IndexMismatch, match="num_perm"):
        load_index(tmp_path, other)


def test_an_index_larger_than_one_write_chunk_round_trips(tmp_path):
    """The index files are written a chunk of rows at a time: rows on both sides of a chunk's edge
    come back with their own signature, canonical and centroid."""
    rng = np.random.default_rng(5)
    index = load_index(tmp_path, CFG)
    for i in range(8192 + 10):  # texts go 8,192 rows at a time
        sig = rng.integers(0, 2**32, CFG.dedup.num_perm, dtype=np.uint64).astype(np.uint32)
        index.dedup.texts[f"doc-{i}"] = Indexed(f"doc-{i - i % 3}", i % 97 + 1, sig)
    for s in range(1024 + 5):  # stories 1,024 at a time
        index.stories.centroids[f"story-{s}"] = centroid(index.stories.terms, {f"t{s}": 2.0, f"u{s % 7}": 1.0})
    save_index(tmp_path, index, CFG)
    loaded = load_index(tmp_path, CFG)
    assert list(loaded.dedup.texts) == list(index.dedup.texts)
    for key in ("doc-0", "doc-8191", "doc-8192", "doc-8201"):
        expected, got = index.dedup.texts[key], loaded.dedup.texts[key]
        assert (got.canonical, got.size) == (expected.canonical, expected.size)
        assert np.array_equal(got.signature, expected.signature)
    for sid in ("story-0", "story-1023", "story-1024", "story-1028"):
        vector = weights(loaded.stories.terms, loaded.stories.centroids[sid])
        assert vector == weights(index.stories.terms, index.stories.centroids[sid])
        assert loaded.stories.centroids[sid].members == index.stories.centroids[sid].members
        assert list(loaded.stories.centroids[sid].ids) == sorted(loaded.stories.centroids[sid].ids)


def _rows(path):
    return pq.read_table(path).to_pylist()


def _state(index):
    """What an index says, in plain values: texts, hashes, centroids as term vectors, df, ledger."""
    dedup, stories = index.dedup, index.stories
    return (
        {k: (e.canonical, e.size, e.signature.tolist()) for k, e in dedup.texts.items()},
        dict(dedup.hashes),
        {sid: weights(stories.terms, c) for sid, c in stories.centroids.items()},
        dict(stories.df),
        stories.n_docs,
        set(index.seen),
        list(index.runs),
    )


def _snapshot_run(previous, folder, run_id, docs, cfg=CFG):
    """One run as a snapshot makes it: load the previous snapshot's index, save into a new folder."""
    index = load_index(previous, cfg)
    result = deduplicate(docs, cfg.dedup, index.dedup)
    assign_stories(result.articles, cfg.stories, index.stories)
    index.runs.append(run_id)
    keys = [d.doc_id for d in docs]
    index.seen.update(keys)
    save_index(folder, index, cfg, previous=previous, new_keys=keys)
    return index


WEEKS = [
    [doc("orig", STORY), doc("quake-a", QUAKE_A)],
    [doc("lynas", OTHER_EVENT), doc("quake-b", QUAKE_B)],
    [doc("vote", ELECTION), doc("copy", STORY.rsplit(". ", 1)[0])],
]


def test_a_run_writes_only_what_it_added_and_links_the_rest(tmp_path):
    snaps = [tmp_path / f"snap-{n}" for n in range(len(WEEKS))]
    previous = None
    for n, (folder, week) in enumerate(zip(snaps, WEEKS)):
        in_memory = _snapshot_run(previous, folder, f"run-{n}", week)
        previous = folder
    texts = sorted((snaps[2] / "texts").iterdir())
    assert [p.name for p in texts] == ["part-000001.parquet", "part-000002.parquet", "part-000003.parquet"]
    # the earlier parts are the earlier snapshots' files (hard links), not copies
    assert texts[0].stat().st_ino == (snaps[0] / "texts" / "part-000001.parquet").stat().st_ino
    assert texts[1].stat().st_ino == (snaps[1] / "texts" / "part-000002.parquet").stat().st_ino
    # the last run's parts hold that run's texts and the stories it founded or joined, nothing older
    assert sorted(row["doc_id"] for row in _rows(texts[2])) == ["copy", "vote"]
    assert len(_rows(snaps[2] / "stories" / "part-000003.parquet")) == 1  # the vote's new story
    # read back, the parts are the whole state, as a whole rewrite of it would be
    whole = tmp_path / "whole"
    save_index(whole, in_memory, CFG)
    assert [p.name for p in (whole / "texts").iterdir()] == ["part-000003.parquet"]
    assert _state(load_index(snaps[2], CFG)) == _state(load_index(whole, CFG)) == _state(in_memory)


def test_a_folder_past_its_part_limit_is_rewritten_as_one(tmp_path):
    cfg = Config.model_validate(
        {**CFG.model_dump(), "output": {**CFG.output.model_dump(), "max_files_per_partition": 2}}
    )
    previous = None
    for n, week in enumerate(WEEKS):
        folder = tmp_path / f"snap-{n}"
        in_memory = _snapshot_run(previous, folder, f"run-{n}", week, cfg)
        previous = folder
    assert [p.name for p in (previous / "texts").iterdir()] == ["part-000003.parquet"]
    assert len(_rows(previous / "texts" / "part-000003.parquet")) == 6  # every text, written whole
    assert _state(load_index(previous, cfg)) == _state(in_memory)
    # the snapshot before keeps its own parts: rewriting the newer one touched none of them
    assert sorted(p.name for p in (tmp_path / "snap-1" / "texts").iterdir()) == [
        "part-000001.parquet",
        "part-000002.parquet",
    ]
