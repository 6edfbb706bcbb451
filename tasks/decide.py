"""One batch's decisions, taken in input order: which documents are articles (exact and near-duplicate
detection against everything decided before, in earlier batches and runs) and which story each
article joins. Both update the run's index, so the next batch is judged against this one."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from prefect import task
from prefect.cache_policies import NO_CACHE

from docclean.tasks.config import Config
from docclean.tasks.dedup import deduplicate
from docclean.tasks.records import Document, Duplicate
from docclean.tasks.state import Index
from docclean.tasks.stories import assign_stories


@dataclass(slots=True)
class Decided:
    articles: list[Document]
    duplicates: list[Duplicate]
    new_stories: int
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> seconds


def decide_batch(docs: list[Document], cfg: Config, index: Index) -> Decided:
    start = time.perf_counter()
    deduped = deduplicate(docs, cfg.dedup, index.dedup)
    deduplicated = time.perf_counter()
    new_stories = assign_stories(deduped.articles, cfg.stories, index.stories)
    seconds = {"deduplicate": deduplicated - start, "stories": time.perf_counter() - deduplicated}
    return Decided(deduped.articles, deduped.duplicates, new_stories, seconds)


@task(name="decide", cache_policy=NO_CACHE)
def decide_task(docs: list[Document], cfg: Config, index: Index) -> Decided:
    return decide_batch(docs, cfg, index)
