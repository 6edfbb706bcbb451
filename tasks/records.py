"""The records that flow through the stages, and the hand-written Parquet schemas they land in."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import numpy as np
import pyarrow as pa

from docclean.tasks.text import word_count

# 1: first release. 2: rejects.input_key, runs.skipped (added nullable: version-1 files read as null).
SCHEMA_VERSION = "3"


class RejectReason(StrEnum):
    """The fixed vocabulary of ``rejects.reason`` (documented in the README)."""

    EMPTY = "empty"  # zero bytes, or only whitespace
    BINARY = "binary"  # NUL bytes or a known binary magic number
    UNDECODABLE = "undecodable"  # no encoding yields clean text
    TOO_LARGE = "too_large"  # over input.max_bytes
    UNREADABLE = "unreadable"  # the file vanished or could not be read
    BAD_RECORD = "bad_record"  # a .jsonl line that is not a JSON object with html or text
    EXTRACTION_FAILED = "extraction_failed"  # the HTML extractor raised
    TIMED_OUT = "timed_out"  # decoding, extraction and cleaning took over extraction.max_cpu_seconds
    NO_CONTENT = "no_content"  # extraction found no main text
    TOO_SHORT = "too_short"  # clean text under extraction.min_words
    NOT_ARTICLE = "not_article"  # a paywall's teaser, or a page that is mostly links to other pages


class LineReason(StrEnum):
    """The fixed vocabulary of ``articles.boilerplate.reason``: why a line is not article text."""

    TITLE = "title"  # the headline, kept as the title field
    BYLINE = "byline"  # a byline, its name kept as the author field
    HASHTAGS = "hashtags"  # a line of hashtags, kept as tags
    CONSENT = "consent"  # a cookie or consent notice
    PROMPT = "prompt"  # bookmark, newsletter, notification and login prompts
    SHARE = "share"  # share and follow-us lines
    DISCLOSURE = "disclosure"  # affiliate, sponsorship, copyright and advice disclaimers
    CAPTION = "caption"  # a picture's caption or credit
    DATELINE = "dateline"  # a date, "Updated ...", a reading time
    NAVIGATION = "navigation"  # interface labels and bare links
    RELATED_LINK = "related_link"  # "Also read: <headline>"
    COMMENTS = "comments"  # a comment section and what follows it
    RELATED_TAIL = "related_tail"  # what follows a "Read next" heading the article does not continue
    AUTHOR_BIO = "author_bio"  # the author's bio after the article
    REPEATED = "repeated"  # a second rendering of lines the text already showed
    UNRELATED_HEADLINES = "unrelated_headlines"  # a run of headlines and teasers of other articles
    LOW_DENSITY = "low_density"  # few function words: menus, link lists
    CONTEXT = "context"  # a short or doubtful line among furniture


@dataclass(slots=True)
class RemovedLine:
    line: str
    reason: LineReason


@dataclass(slots=True)
class Reject:
    source_uri: str
    reason: RejectReason
    detail: str = ""
    # what the ledger remembers: the content hash when the bytes were read, else reason and name
    input_key: str | None = None
    # a too_short record's clean text, until the run has checked whether it copies a known article
    text: str | None = None

    def key(self) -> str:
        return self.input_key or f"{self.reason}:{self.source_uri}"


@dataclass(slots=True)
class RawRecord:
    """One input document before extraction: a file, or one record of a .jsonl file."""

    doc_id: str  # hash of the record's raw content: byte-identical inputs share it
    source_uri: str
    source_format: str  # html | text | jsonl | warc
    # a file's bytes, decoded where the record is cleaned (a worker: the run's own process only reads
    # them); a .jsonl record's text, decoded with its file
    content: bytes | str
    is_html: bool
    url: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    charset: str | None = None  # the charset a WARC record's HTTP headers declare


@dataclass(slots=True)
class Document:
    doc_id: str
    source_uri: str
    source_format: str
    text: str
    url: str | None = None
    site: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    boilerplate: list[RemovedLine] = field(default_factory=list)
    language: str | None = None
    language_prob: float = 0.0
    content_hash: str = ""
    story_id: str = ""
    # where each metadata field was found (``tasks.metadata``), for ``docclean inspect``; not written
    metadata_sources: dict[str, str] = field(default_factory=dict)
    # every line the cleaner saw, in order, with the reason it was removed (None: kept); only when
    # ``extract_record`` is asked for them (``docclean inspect``); not written
    line_verdicts: list[tuple[str, LineReason | None]] | None = None
    # MinHash signature (uint32) and shingle count of ``text``, when the worker that cleaned it computed
    # them (``tasks.dedup.fingerprint``); not written to the output
    minhash: tuple[np.ndarray, int] | None = None
    # its terms' counts for story clustering (``tasks.stories.term_counts``), likewise; not written
    terms: Counter[str] | None = None

    @property
    def word_count(self) -> int:
        return word_count(self.text)


@dataclass(slots=True)
class Duplicate:
    doc_id: str
    source_uri: str
    duplicate_of: str
    kind: str  # exact | near
    similarity: float


TS = pa.timestamp("us", tz="UTC")

ARTICLES_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source_uri", pa.string(), nullable=False),
        pa.field("source_format", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("site", pa.string()),
        pa.field("title", pa.string()),
        pa.field("author", pa.string()),
        pa.field("published_at", TS),
        pa.field("tags", pa.list_(pa.string()), nullable=False),
        pa.field("language", pa.string()),
        pa.field("language_prob", pa.float64(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("story_id", pa.string(), nullable=False),
        pa.field(
            "boilerplate",
            pa.list_(pa.struct([pa.field("line", pa.string()), pa.field("reason", pa.string())])),
            nullable=False,
        ),
        pa.field("ingested_at", TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("pipeline_version", pa.string(), nullable=False),
    ],
    metadata={"docclean.schema_version": SCHEMA_VERSION, "docclean.table": "articles"},
)

DUPLICATES_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source_uri", pa.string(), nullable=False),
        pa.field("duplicate_of", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("similarity", pa.float64(), nullable=False),
        pa.field("ingested_at", TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ],
    metadata={"docclean.schema_version": SCHEMA_VERSION, "docclean.table": "duplicates"},
)

REJECTS_SCHEMA = pa.schema(
    [
        pa.field("source_uri", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
        pa.field("input_key", pa.string()),
        pa.field("ingested_at", TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ],
    metadata={"docclean.schema_version": SCHEMA_VERSION, "docclean.table": "rejects"},
)

_COUNT = pa.struct([pa.field("name", pa.string()), pa.field("count", pa.int64())])
_DROPPED = pa.struct([pa.field("stage", pa.string()), pa.field("reason", pa.string()), pa.field("count", pa.int64())])
_STAGE = pa.struct(
    [
        pa.field("stage", pa.string()),
        pa.field("items_in", pa.int64()),
        pa.field("items_out", pa.int64()),
        pa.field("seconds", pa.float64()),
    ]
)

RUNS_SCHEMA = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("started_at", TS, nullable=False),
        pa.field("finished_at", TS, nullable=False),
        pa.field("inputs", pa.int64(), nullable=False),
        pa.field("skipped", pa.int64()),  # inputs already processed by an earlier run
        pa.field("articles", pa.int64(), nullable=False),
        pa.field("duplicates_exact", pa.int64(), nullable=False),
        pa.field("duplicates_near", pa.int64(), nullable=False),
        pa.field("rejects", pa.int64(), nullable=False),
        pa.field("stories", pa.int64(), nullable=False),
        pa.field("new_stories", pa.int64(), nullable=False),
        pa.field("rejects_by_reason", pa.list_(_COUNT), nullable=False),
        pa.field("languages", pa.list_(_COUNT), nullable=False),
        pa.field("stages", pa.list_(_STAGE), nullable=False),
        pa.field("dropped", pa.list_(_DROPPED)),  # schema version 3
        pa.field("pipeline_version", pa.string(), nullable=False),
        pa.field("config", pa.string(), nullable=False),
    ],
    metadata={"docclean.schema_version": SCHEMA_VERSION, "docclean.table": "runs"},
)
