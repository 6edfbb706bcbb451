"""The CPU-heavy part of a run, as one task per batch: decode, extract and clean, detect the language,
and fingerprint each text for the decisions made after it (content hash and MinHash signature for
deduplication, term counts for stories).

This is what the task runner spreads over processes (``--workers``) or a Dask cluster: its input is
the batch's records (a file's bytes as read) and its output the batch's documents and rejects, so
workers need neither the inputs' storage nor the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prefect import task
from prefect.cache_policies import NO_CACHE

from docclean.tasks.config import Config
from docclean.tasks.dedup import ShortText, fingerprint, short_text
from docclean.tasks.extract import extract_batch
from docclean.tasks.language import detect_batch
from docclean.tasks.records import Document, RawRecord, Reject
from docclean.tasks.stats import Stages
from docclean.tasks.stories import term_counts
from docclean.tasks.text import iter_tokens


@dataclass(slots=True)
class CleanedBatch:
    docs: list[Document]
    rejects: list[Reject]
    shorts: list[ShortText] = field(default_factory=list)  # too_short texts that may copy an article
    stages: Stages = field(default_factory=Stages)  # what each stage did with the batch, in the worker


def clean_batch(records: list[RawRecord], cfg: Config) -> CleanedBatch:
    stages = Stages()
    with stages.timed("extract"):
        docs, extracted_rejects = extract_batch(records, cfg)
        rejects, shorts = [], []
        for reject in extracted_rejects:
            if short := short_text(reject, cfg.dedup):
                shorts.append(short)
            else:
                rejects.append(reject)
    # a short text is not dropped yet: the run checks whether it copies an article (``decide_short_copies``)
    stages.count("extract", len(records), len(docs) + len(shorts), (str(r.reason) for r in rejects))
    with stages.timed("language"):
        detect_batch(docs, cfg.language)
    stages.count("language", len(docs), len(docs))
    with stages.timed("fingerprint"):
        for doc in docs:  # one tokenisation of each text serves both
            words = iter_tokens(doc.text)
            fingerprint(doc, cfg.dedup, words)
            doc.terms = term_counts(doc, cfg.stories, words)
    stages.count("fingerprint", len(docs), len(docs))
    return CleanedBatch(docs, rejects, shorts, stages)


@task(name="clean", cache_policy=NO_CACHE)
def clean_task(records: list[RawRecord], cfg: Config) -> CleanedBatch:
    return clean_batch(records, cfg)
