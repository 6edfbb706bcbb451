"""One batch's decisions, taken in input order: which documents are articles (exact and near-duplicate
detection against everything decided before, in earlier batches and runs). The articles are then
collected for the story step, which places the whole run's articles together when it commits
(``tasks.output.commit_run``). Both update the run's index, so the next batch is judged against this one.
The run's too-short texts wait for the end of its batches (``decide_short_copies``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from docclean.tasks.config import Config
from docclean.tasks.dedup import ShortText, deduplicate, find_short_copies
from docclean.tasks.records import Document, Duplicate, Reject
from docclean.tasks.state import Index
from docclean.tasks.stats import Stages
from docclean.tasks.stories import collect


@dataclass(slots=True)
class Decided:
    articles: list[Document]
    duplicates: list[Duplicate]
    rejects: list[Reject]  # too_short texts that copy no known article
    stages: Stages = field(default_factory=Stages)


def decide_batch(docs: list[Document], cfg: Config, index: Index) -> Decided:
    """Called by the flow itself, batch after batch: it updates ``index`` in place, and the next batch is
    judged against it."""
    stages = Stages()
    with stages.timed("deduplicate"):
        deduped = deduplicate(docs, cfg.dedup, index.dedup)
    stages.count("deduplicate", len(docs), len(deduped.articles), (f"{d.kind} duplicate" for d in deduped.duplicates))
    with stages.timed("collect stories"):
        collect(deduped.articles, cfg.stories, index.stories)
    stages.count("collect stories", len(deduped.articles), len(deduped.articles))
    return Decided(deduped.articles, deduped.duplicates, [], stages)


def decide_short_copies(shorts: list[ShortText], cfg: Config, index: Index) -> Decided:
    """The run's too_short texts, once all its batches are decided: each is a near duplicate of the known
    article that contains it (of this run, wherever its file sorts, or an earlier one), or a reject."""
    stages = Stages()
    with stages.timed("short copies"):
        copies, rejects = find_short_copies(shorts, cfg.dedup, index.dedup)
    stages.count("short copies", len(shorts), len(copies), (str(r.reason) for r in rejects))
    return Decided([], copies, rejects, stages)
