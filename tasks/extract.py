"""Records to clean documents: HTML through ``tasks.html``, then the line classifier for both kinds.

For HTML the extractor's main text is cleaned; when it holds much less than the page's cleaned
visible text (the extractor missed most of the article), the visible text is used instead.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from tasks.authors import full_name, shown_byline
from tasks.boilerplate import Cleaned, clean_lines
from tasks.config import Config
from tasks.dates import publication_date
from tasks.decode import RejectError, decoded_text
from tasks.html import extract_html
from tasks.read import parse_timestamp
from tasks.records import Document, RawRecord, Reject, RejectReason
from tasks.text import normalize, optional_str, word_count
from tasks.wordlists import PAYWALL_PHRASES


def extract_record(rec: RawRecord, cfg: Config) -> Document:
    """Extract and clean one record; raise RejectError when nothing worth keeping is left."""
    bp = cfg.boilerplate
    meta: dict[str, object] = {}
    published_at = rec.published_at
    content = decoded_text(rec.content, cfg.decode, html=rec.is_html)
    if rec.is_html:
        page = extract_html(content, rec.url, cfg.extraction)
        meta = page.meta
        title = rec.title or optional_str(meta.get("title"))
        author = optional_str(meta.get("author"))
        extracted = clean_extracted(page.text, title, author, cfg, link_density=page.link_density)
        cleaned = _fallback_to_visible(extracted, page.visible, title, author, cfg)
    else:
        cleaned = clean_lines(content, bp, title=rec.title, context=bp.context_for_text)
        lines = content.splitlines()
        published_at = published_at or parse_timestamp(publication_date(None, lines, cleaned.title, url=rec.url))
        shown = shown_byline(lines, cleaned.title)
        meta["author"] = full_name(cleaned.author or (shown.name if shown else None), lines, cleaned.title)
    linked = rec.is_html and word_count(page.text) >= cfg.extraction.min_words
    if linked and (share := link_share(page.text, page.link_density)) > cfg.extraction.max_link_share:
        raise RejectError(RejectReason.NOT_ARTICLE, f"{share:.0%} of the main text is links to other pages")
    if not cleaned.lines:
        raise RejectError(RejectReason.NO_CONTENT, "no main text, or every line was boilerplate")
    clean_text = "\n".join(cleaned.lines)
    words = word_count(clean_text)
    if words < cfg.extraction.min_words:
        raise RejectError(RejectReason.TOO_SHORT, f"{words} words < {cfg.extraction.min_words}")
    shown = page.visible.split("\n") if rec.is_html else []
    if words < cfg.extraction.stub_words and (phrase := paywall_phrase([*cleaned.lines, *shown])):
        raise RejectError(RejectReason.NOT_ARTICLE, f"a paywall's teaser ({phrase!r}), {words} words")
    url = rec.url or optional_str(meta.get("url"))
    return Document(
        doc_id=rec.doc_id,
        source_uri=rec.source_uri,
        source_format=rec.source_format,
        text=clean_text,
        url=url,
        site=optional_str(meta.get("sitename")) or optional_str(meta.get("hostname")) or _host(url),
        title=cleaned.title,
        author=optional_str(meta.get("author")) or cleaned.author,
        published_at=published_at or parse_timestamp(meta.get("date")),
        tags=_dedupe([*_split_tags(meta.get("tags")), *cleaned.tags]),
        boilerplate=cleaned.removed,
    )


def clean_extracted(
    text: str, title: str | None, author: str | None, cfg: Config, link_density: list[float] | None = None
) -> Cleaned:
    """The line classifier over what trafilatura kept of an HTML page (before any visible-text fallback)."""
    bp = cfg.boilerplate
    return clean_lines(
        text, bp, title=title, author=author, context=bp.context_for_html, extracted=True, link_density=link_density
    )


def _fallback_to_visible(cleaned: Cleaned, visible: str, title: str | None, author: str | None, cfg: Config) -> Cleaned:
    """What the extractor missed of the article, taken from the page's cleaned visible text.

    Only when the extractor kept under ``fallback_ratio`` of the cleaned visible words. If it kept
    next to nothing, the cleaned visible text is the answer. Otherwise the article is where the
    extractor's lines are: the visible lines between the first and the last of them that the visible
    cleaner keeps are added (list items and table rows the extractor skipped inside the article), and
    nothing outside that span (a portal's teasers, menus and comments around a short story)."""
    ratio = cfg.extraction.fallback_ratio
    kept = word_count("\n".join(cleaned.lines))
    if kept >= ratio * word_count(visible):  # cheap bound: the cleaned visible text is no longer
        return cleaned
    alternative = clean_lines(visible, cfg.boilerplate, title=title, author=author, context=True)
    if kept >= ratio * word_count("\n".join(alternative.lines)):
        return cleaned
    if kept < cfg.extraction.min_words:
        return alternative
    return _filled(cleaned, alternative, cfg.boilerplate.region_gap_lines)


def _filled(cleaned: Cleaned, alternative: Cleaned, gap: int) -> Cleaned:
    """The article's region of the cleaned visible text: the kept lines from the first to the last one
    the extractor kept too, extended on either side while fewer than ``gap`` removed lines separate the
    next kept one (the article goes on; a portal's teasers and menus are long runs of removed lines).
    The extractor's answer when the visible text does not hold its lines."""
    ours = normalize("\n".join(cleaned.lines))
    anchors = [k for k, line in enumerate(alternative.lines) if normalize(line) in ours]
    if not anchors:
        return cleaned
    at = alternative.positions
    first, last = anchors[0], anchors[-1]
    while first > 0 and at[first] - at[first - 1] <= gap:
        first -= 1
    while last + 1 < len(at) and at[last + 1] - at[last] <= gap:
        last += 1
    region = alternative.lines[first : last + 1]
    if word_count("\n".join(region)) <= word_count("\n".join(cleaned.lines)):
        return cleaned
    return Cleaned(
        lines=region, removed=alternative.removed, title=cleaned.title, author=cleaned.author, tags=cleaned.tags
    )


def link_share(text: str, link_density: list[float]) -> float:
    """The share of the extracted text's characters that are link text."""
    sizes = [len(line.strip()) for line in text.split("\n")]
    total = sum(sizes)
    return sum(size * share for size, share in zip(sizes, link_density)) / total if total else 0.0


def paywall_phrase(lines: list[str]) -> str | None:
    """A paywall's wording on a line of its own ("READ FULL ARTICLE", "Subscribe to continue reading"), if any."""
    for line in lines:
        if len(line) <= 80 and (phrase := next((p for p in PAYWALL_PHRASES if p in line.lower()), None)):
            return phrase
    return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _split_tags(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [tag.strip() for item in items for tag in str(item).split(",") if tag.strip()]


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def extract_batch(records: list[RawRecord], cfg: Config) -> tuple[list[Document], list[Reject]]:
    docs: list[Document] = []
    rejects: list[Reject] = []
    limit = cfg.extraction.max_cpu_seconds
    for rec in records:
        try:
            with cpu_time_limit(limit):
                docs.append(extract_record(rec, cfg))
        except TimeLimitExceeded:
            detail = f"over {limit:g} CPU seconds"
            rejects.append(Reject(rec.source_uri, RejectReason.TIMED_OUT, detail, rec.doc_id))
        except RejectError as exc:
            rejects.append(Reject(rec.source_uri, exc.reason, exc.detail, rec.doc_id))
        except Exception as exc:  # noqa: BLE001 - a cleaner bug must cost this input, not the run
            detail = f"{type(exc).__name__}: {exc}"
            rejects.append(Reject(rec.source_uri, RejectReason.EXTRACTION_FAILED, detail, rec.doc_id))
    return docs, rejects


class TimeLimitExceeded(BaseException):
    """Not an ``Exception``: the extractor's own ``except Exception`` blocks must not swallow it."""


@contextmanager
def cpu_time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TimeLimitExceeded`` in the block once this process has spent ``seconds`` of CPU in it: a
    pathological page (a huge or deeply nested document) costs itself, not its batch or the run.
    Needs the main thread (signals; local worker processes and the flow's own process run tasks there);
    elsewhere, as in a Dask worker's threads, and for 0 seconds, there is no limit."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGPROF, expire)
    # CPU time: a busy machine does not time pages out. The timer fires again every 10 ms after it
    # expired: a handler that ran inside a finalizer or a weakref callback had its exception swallowed.
    signal.setitimer(signal.ITIMER_PROF, seconds, 0.01)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
