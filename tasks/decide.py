"""One batch's decisions, taken in input order: which documents are articles (exact and near-duplicate
detection against everything decided before, in earlier batches and runs) and which story each
article joins. Both update the run's index, so the next batch is judged against this one."""

from __future__ import annotations

from dataclasses import dataclass, field

from docclean.tasks.config import Config
from docclean.tasks.dedup import deduplicate
from docclean.tasks.records import Document, Duplicate
from docclean.tasks.state import Index
from docclean.tasks.stats import Stages
from docclean.tasks.stories import assign_stories


@dataclass(slots=True)
class Decided:
    articles: list[Document]
    duplicates: list[Duplicate]
    new_stories: int
    stages: Stages = field(default_factory=Stages)


def decide_batch(docs: list[Document], cfg: Config, index: Index) -> Decided:
    """Called by the flow itself, batch after batch: it updates ``index`` in place, and the next batch is
    judged against it."""
    stages = Stages()
    with stages.timed("deduplicate"):
        deduped = deduplicate(docs, cfg.dedup, index.dedup)
    stages.count("deduplicate", len(docs), len(deduped.articles), (f"{d.kind} duplicate" for d in deduped.duplicates))
    with stages.timed("stories"):
        new_stories = assign_stories(deduped.articles, cfg.stories, index.stories)
    stages.count("stories", len(deduped.articles), len(deduped.articles))
    return Decided(deduped.articles, deduped.duplicates, new_stories, stages)
