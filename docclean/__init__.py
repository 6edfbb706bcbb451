"""docclean: raw scraped news documents (HTML, WARC, plain text, JSONL) to clean, deduplicated articles
in Parquet.

The Python API cleans one document in this process, with no Prefect server::

    import docclean

    article = docclean.clean_html(page_bytes, url="https://example.org/news/1")
    article.text, article.title, article.author, article.language

    try:
        docclean.clean_text(scraped_text)
    except docclean.RejectError as exc:
        print(exc.reason, exc.detail)  # a reject reason: "too_short", "no_content", ...

and ``docclean.run(raw, output, **settings)`` runs the whole flow (dedupe, stories, Parquet) as
``docclean run`` does. The pipeline's stages live in ``docclean.tasks``, the Prefect flow and the
command line in ``docclean.flows``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from docclean.tasks.config import Config, load_config
from docclean.tasks.decode import RejectError
from docclean.tasks.extract import extract_record
from docclean.tasks.language import detect_language
from docclean.tasks.read import content_id
from docclean.tasks.records import RawRecord, RejectReason

if TYPE_CHECKING:
    from docclean.tasks.output import RunResult

try:
    __version__ = version("docclean")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["Article", "Config", "RejectError", "RejectReason", "__version__", "clean_html", "clean_text", "run"]


@dataclass(slots=True)
class Article:
    """One cleaned document: the fields of an ``articles`` row that belong to the document itself."""

    text: str
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    site: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    language_prob: float = 0.0
    word_count: int = 0
    boilerplate: list[tuple[str, str]] = field(default_factory=list)  # (line, reason) of each removed line
    # where each metadata field was found ("JSON-LD", "<h1>", "htmldate", "byline by the headline", ...)
    metadata_sources: dict[str, str] = field(default_factory=dict)


def clean_html(html: str | bytes, url: str | None = None, config: Config | None = None) -> Article:
    """Clean one HTML page (bytes are decoded as ``docclean run`` decodes files: BOM, ``<meta charset>``,
    UTF-8, detection). Raises ``RejectError`` (``.reason`` is a ``RejectReason``) when the page holds no
    article."""
    return _clean(html, True, url, config)


def clean_text(text: str, config: Config | None = None) -> Article:
    """Clean one plain text a scraper pulled out of a page (site furniture and all). Raises
    ``RejectError`` when no article is left."""
    return _clean(text, False, None, config)


def run(raw: str = "raw", output: str = "output", **settings: object) -> RunResult:
    """Run the flow on ``raw`` (a folder, a file or an fsspec URL) into ``output``, as ``docclean run``
    does. ``settings`` are ``section__key=value`` overrides (``dedup__near_threshold=0.6``, ``execution__workers=1``),
    or a whole ``config=Config(...)``. Starts a temporary Prefect server unless ``PREFECT_API_URL`` is set."""
    from docclean.flows.clean import docclean_flow, task_runner_for

    given = settings.pop("config", None)
    if given is not None and (not isinstance(given, Config) or settings):
        raise TypeError("give either config=docclean.Config(...) or section__key settings, not both")
    cfg = given or load_config([f"{key.replace('__', '.', 1)}={_setting(value)}" for key, value in settings.items()])
    return docclean_flow.with_options(task_runner=task_runner_for(cfg.execution))(raw, output, cfg)


def _clean(content: str | bytes, is_html: bool, url: str | None, config: Config | None) -> Article:
    cfg = config or Config()
    data = content.encode("utf-8") if isinstance(content, str) else content
    if len(data) > cfg.input.max_bytes:
        raise RejectError(RejectReason.TOO_LARGE, f"{len(data)} bytes > {cfg.input.max_bytes}")
    record = RawRecord(content_id(data), url or "<api>", "html" if is_html else "text", content, is_html, url=url)
    doc = extract_record(record, cfg)
    language, probability = detect_language(doc.text, cfg.language)
    return Article(
        text=doc.text,
        title=doc.title,
        author=doc.author,
        published_at=doc.published_at,
        site=doc.site,
        url=doc.url,
        tags=doc.tags,
        language=language,
        language_prob=probability,
        word_count=doc.word_count,
        boilerplate=[(removed.line, str(removed.reason)) for removed in doc.boilerplate],
        metadata_sources=doc.metadata_sources,
    )


def _setting(value: object) -> str:
    """A Python value as ``load_config`` reads an override's value (JSON, else the string)."""
    return value if isinstance(value, str) else json.dumps(value)
