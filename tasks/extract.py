"""Records to clean documents: trafilatura for HTML, the line classifier for both HTML and text."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.boilerplate import clean_lines
from tasks.config import Config
from tasks.decode import RejectError
from tasks.read import parse_timestamp
from tasks.records import Document, RawRecord, Reject, RejectReason
from tasks.text import tokens, word_count


_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
_AUTHOR_PREFIX = re.compile(
    r"^(?:(?:written|posted|article|recipe|story|words|reviewed|text|photos?)\s+by|by|author|von|por|par)\b\s*:?\s*",
    re.IGNORECASE,
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# A date, a bullet or a job title glued after the name by the page's markup.
_AUTHOR_TAIL = re.compile(
    rf"\s*(?:[•|]\s*.*|\s(?:{_MONTHS})\b\.?\s+\d.*$|\s(?:updated|published)\b.*$"
    rf"|\s(?:trending|senior|staff|contributing|former)\s+\w+.*$)",
    re.IGNORECASE,
)


def extract_record(rec: RawRecord, cfg: Config) -> Document:
    """Extract and clean one record; raise RejectError when nothing worth keeping is left."""
    meta: dict[str, object] = {}
    text = rec.content
    if rec.is_html:
        text, meta = extract_html(rec.content, rec.url, cfg)
    title = rec.title or _str(meta.get("title"))
    bp = cfg.boilerplate
    context = bp.context_for_html if rec.is_html else bp.context_for_text
    cleaned = clean_lines(text, bp, title=title, context=context)
    if not cleaned.lines:
        raise RejectError(RejectReason.NO_CONTENT, "every line was boilerplate")
    clean_text = "\n".join(cleaned.lines)
    words = word_count(clean_text)
    if words < cfg.extraction.min_words:
        raise RejectError(RejectReason.TOO_SHORT, f"{words} words < {cfg.extraction.min_words}")
    url = rec.url or _str(meta.get("url"))
    return Document(
        doc_id=rec.doc_id,
        source_uri=rec.source_uri,
        source_format=rec.source_format,
        text=clean_text,
        url=url,
        site=_str(meta.get("sitename")) or _str(meta.get("hostname")) or _host(url),
        title=cleaned.title,
        author=clean_author(_str(meta.get("author")), _str(meta.get("sitename"))) or cleaned.author,
        published_at=rec.published_at or parse_timestamp(meta.get("date")),
        tags=_dedupe([*_split_tags(meta.get("tags")), *cleaned.tags]),
        boilerplate=cleaned.removed,
    )


def extract_html(html: str, url: str | None, cfg: Config) -> tuple[str, dict[str, object]]:
    """Main text (paragraphs one per line, comments excluded) and metadata of an HTML page."""
    try:
        tree = load_html(html)
        headings = _h1_texts(tree) if tree is not None else []
        result = trafilatura.bare_extraction(
            tree if tree is not None else html,
            url=url,
            include_comments=False,
            include_tables=cfg.extraction.include_tables,
            favor_precision=cfg.extraction.favor_precision,
            favor_recall=cfg.extraction.favor_recall,
            deduplicate=False,  # its dedup cache is process-global: results would depend on run order
            with_metadata=True,
            # keep the time and zone when the page has them, and prefer the original publication date
            date_extraction_params={"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True},
        )
    except Exception as exc:  # noqa: BLE001 - contain the third-party parser; the reason is kept
        raise RejectError(RejectReason.EXTRACTION_FAILED, f"{type(exc).__name__}: {exc}") from exc
    if result is None or not (result.text or "").strip():
        raise RejectError(RejectReason.NO_CONTENT, "the extractor found no main text")
    meta = result.as_dict()
    meta["title"] = headline(headings, _str(meta.get("title")))
    return result.text, meta


def _h1_texts(tree: HtmlElement) -> list[str]:
    return [text for h1 in tree.iter("h1") if (text := " ".join(h1.text_content().split()))]


def headline(h1s: list[str], meta_title: str | None) -> str | None:
    """The page's headline: the <h1> that agrees with the <title>/og:title, else the first <h1> of three
    words or more, else the <title> without its site name ("Headline | Site")."""
    if h1s and meta_title:
        best = max(h1s, key=lambda h1: _overlap(h1, meta_title))
        if _overlap(best, meta_title) >= 0.3:
            return best
    if long := [h1 for h1 in h1s if word_count(h1) >= 3]:
        return long[0]
    if meta_title:
        parts = _TITLE_SEPARATOR.split(meta_title)
        return max(parts, key=len) if len(parts) > 1 else meta_title
    return h1s[0] if h1s else None


def clean_author(raw: str | None, site: str | None) -> str | None:
    """Names only: no "By"/"Author:" prefix, no date or role glued after them, not the site itself."""
    if not raw:
        return None
    site_key = tokens(site or "")
    names = []
    for part in raw.split(";"):
        name = _AUTHOR_PREFIX.sub("", part.strip())
        name = _AUTHOR_TAIL.sub("", name).strip(" ,|•-")
        if name and any(ch.isalpha() for ch in name) and tokens(name) != site_key:
            names.append(name)
    return "; ".join(dict.fromkeys(names)) or None


def _overlap(a: str, b: str) -> float:
    x, y = set(tokens(a)), set(tokens(b))
    return len(x & y) / len(x | y) if x | y else 0.0


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


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
    for rec in records:
        try:
            docs.append(extract_record(rec, cfg))
        except RejectError as exc:
            rejects.append(Reject(rec.source_uri, exc.reason, exc.detail))
    return docs, rejects


@task(name="extract", cache_policy=NO_CACHE)
def extract_task(records: list[RawRecord], cfg: Config) -> tuple[list[Document], list[Reject]]:
    return extract_batch(records, cfg)
