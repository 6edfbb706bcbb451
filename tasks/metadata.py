"""A document's metadata (title, author, publication date, site, URL, tags), decided in one place, each
field with the source it came from.

Structured data first (JSON-LD, Open Graph and other meta tags, ``<time datetime>``), then what the page
shows its readers next to the headline (the byline, the date), then the cleaned text (a plain text's
first line, its "By" line). A JSONL record's own fields win over all of these: the scraper that wrote
them saw the page. The evidence for each field is read in ``tasks.titles``, ``tasks.authors`` and
``tasks.dates``; this module weighs it.

trafilatura's and htmldate's readers are used for the fields docclean keeps, one by one:
``trafilatura.bare_extraction(with_metadata=True)`` runs every search on every page (its byline search
deep-copies the whole tree; it also looks for categories and a licence). Here trafilatura's byline
search runs only when no structured source names a person. htmldate reads the date on every page: it
weighs a declared publication date against the rest of the page, and taking the declared date unread
measured slightly worse.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from courlan import extract_domain
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura import metadata as trafilatura_meta

from docclean.tasks.authors import (
    AuthorEvidence,
    author_evidence,
    full_name,
    misread_author,
    names_person,
    page_author,
    shown_byline,
)
from docclean.tasks.dates import original_date, publication_date
from docclean.tasks.text import optional_str
from docclean.tasks.titles import h1_texts, headline, page_title

logger = logging.getLogger(__name__)

# keep the time and zone when the page has them
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
SHOWN_DATE = "date by the headline, or the URL's date path"


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    author: str | None = None  # "; "-separated when several
    published_at: str | None = None  # ISO 8601, with the time and zone when the source gives them
    site: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # field name -> where its value was found

    def set(self, name: str, value: object, source: str) -> None:
        """Set a field that is still empty, and note where its value came from."""
        if value and not getattr(self, name):
            setattr(self, name, value)
            self.sources[name] = source


def html_metadata(tree: HtmlElement, url: str | None, lines: list[str]) -> Metadata:
    """The metadata of an HTML page whose visible lines are ``lines``. A failure of one of the many
    readers (third-party ones among them) costs the structured metadata, not the page: the fields are
    then read from the visible text alone, and a warning logged. Leaves ``tree`` as is."""
    try:
        found = trafilatura_metadata(tree, url)
        authors = author_evidence(tree)
        extracted_author = optional_str(found.get("author"))
        if not extracted_author and not names_person(authors, optional_str(found.get("sitename"))):
            extracted_author = searched_author(tree)  # costly: asked only where its answer is used
            if extracted_author and misread_author(tree, extracted_author):  # a reader's comment, a section
                extracted_author = None
        h1s, declared_title = h1_texts(tree), page_title(tree)
        declared = declared_dates(tree)
        machine = [str(value) for value in tree.xpath("//time/@datetime")]
    except Exception as exc:  # noqa: BLE001 - see the docstring
        logger.warning("metadata of %s not read, text kept: %s: %s", url or "a page", type(exc).__name__, exc)
        found, authors, extracted_author, h1s, declared_title = {}, AuthorEvidence(None), None, [], None
        declared, machine = (None, None), []

    meta = Metadata()
    meta.set("url", url, "input")
    meta.set("url", optional_str(found.get("url")), "canonical link")
    meta.set("site", optional_str(found.get("sitename")), "site name")
    meta.set("site", optional_str(found.get("hostname")), "canonical link")
    meta.set("tags", found.get("tags") or [], "meta tags")

    title = headline(h1s, declared_title or optional_str(found.get("title")), meta.site)
    meta.set("title", title, "<h1>" if title and any(title in h1 for h1 in h1s) else "og:title or <title>")

    found_date = _htmldate(tree, optional_str(found.get("url"))) if found else None
    meta_date = original_date(found_date, *declared, machine=machine)
    shown = publication_date(meta_date, lines, meta.title, url=url)
    meta.set("published_at", shown, _date_source(shown, meta_date, found_date, declared[0]))

    author = page_author(authors, extracted_author, meta.site, shown_byline(lines, meta.title))
    meta.set("author", full_name(author.value, lines, meta.title), author.source or "")
    return meta


def text_metadata(lines: list[str], title: str | None, author: str | None, url: str | None) -> Metadata:
    """The metadata a plain text shows: its headline (found by the line cleaner), the date and the name
    in the byline by the headline, the date path of its URL."""
    meta = Metadata()
    meta.set("title", title, "first line")
    date = publication_date(None, lines, title, url=url)
    meta.set("published_at", date, SHOWN_DATE)
    shown = shown_byline(lines, title)
    source = "byline line" if author else "byline by the headline"
    meta.set("author", full_name(author or (shown.name if shown else None), lines, title), source)
    return meta


def document_metadata(
    found: Metadata,
    *,
    url: str | None,
    title: str | None,
    published_at: datetime | None,
    text_title: str | None,
    text_author: str | None,
    text_tags: list[str],
) -> Metadata:
    """The fields written with an article: the input record's own (``url``, ``title``, ``published_at``
    from a JSONL record) first, then the document's metadata ``found``, then what the line cleaner
    found in the text; the site is the URL's host when nothing names it."""
    meta = Metadata()
    meta.set("url", url, "input")
    meta.set("title", title, "input")
    meta.set("published_at", published_at.isoformat() if published_at else None, "input")
    for name in ("url", "title", "author", "published_at", "site"):
        meta.set(name, getattr(found, name), found.sources.get(name, ""))
    meta.set("title", text_title, "first line")
    meta.set("author", text_author, "byline line")
    meta.set("site", _host(meta.url), "URL")
    tags = list(dict.fromkeys([*_split_tags(found.tags), *text_tags]))
    sources = [source for source, some in ((found.sources.get("tags"), found.tags), ("text", text_tags)) if some]
    meta.set("tags", tags, " + ".join(s for s in sources if s))
    return meta


def trafilatura_metadata(tree: HtmlElement, url: str | None) -> dict[str, object]:
    """Title, URL, host, site name, declared date, tags, and the author the meta tags or JSON-LD name, as
    trafilatura's metadata reads them. Leaves ``tree`` as is."""
    meta = trafilatura_meta.examine_meta(tree)
    if meta.author and " " not in meta.author:  # trafilatura's rule: a one-word meta author is a login
        meta.author = None
    try:
        meta = trafilatura_meta.extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001 - as trafilatura does: a JSON-LD reader bug costs the JSON-LD fields only
        pass
    meta.title = meta.title or trafilatura_meta.extract_title(tree)
    meta.url = meta.url or trafilatura_meta.extract_url(tree, url)
    meta.hostname = extract_domain(meta.url, fast=True) if meta.url else None
    meta.sitename = _site_name(meta.sitename or trafilatura_meta.extract_sitename(tree), meta.url)
    meta.tags = meta.tags or trafilatura_meta.extract_catstags("tag", tree)
    meta.clean_and_trim()
    return meta.as_dict()


def searched_author(tree: HtmlElement) -> str | None:
    """trafilatura's search of the page for a byline (it works on a copy of the whole tree)."""
    return trafilatura_meta.extract_author(tree)


def declared_dates(tree: HtmlElement) -> tuple[str | None, str | None]:
    """The publication and modification dates the page's metadata declares (Open Graph and article
    tags, microdata, else JSON-LD), as written, or None."""
    return (
        _declared(tree, "article:published_time", "og:published_time", "datePublished"),
        _declared(tree, "article:modified_time", "og:updated_time", "dateModified"),
    )


def _declared(tree: HtmlElement, article_tag: str, og_tag: str, schema_key: str) -> str | None:
    found = tree.xpath(
        f'//meta[@property="{article_tag}" or @property="{og_tag}" or @itemprop="{schema_key}"]/@content'
    )
    if found:
        return str(found[0])
    json_ld = re.compile(rf'"{schema_key}"\s*:\s*"([^"]+)"')
    scripts = tree.xpath('//script[@type="application/ld+json"]/text()')
    return next((match[1] for script in scripts if (match := json_ld.search(script))), None)


def _htmldate(tree: HtmlElement, url: str | None) -> str | None:
    return find_date(tree, url=url, outputformat=DATE_FORMAT, original_date=True)


def _date_source(chosen: str | None, meta_date: str | None, found: str | None, declared: str | None) -> str:
    if chosen is None or chosen != meta_date:
        return SHOWN_DATE
    if chosen == found:
        return "htmldate"
    return "declared publication date" if chosen == declared else "<time datetime>"


def _site_name(name: str | None, url: str | None) -> str | None:
    """trafilatura's clean-up: no Twitter "@", a lower-case name capitalised, else the URL's domain."""
    if name:
        name = name.lstrip("@")
        return name.title() if name and "." not in name and not name[0].isupper() else name
    match = trafilatura_meta.META_URL.match(url) if url else None
    return match[1] if match else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _split_tags(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [tag.strip() for item in items for tag in str(item).split(",") if tag.strip()]
