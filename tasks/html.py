"""HTML pages: trafilatura's main text and metadata, the page's visible text, and the headline."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from tasks.authors import (
    AuthorEvidence,
    author_evidence,
    full_name,
    misread_author,
    names_person,
    page_author,
    shown_byline,
)
from tasks.config import ExtractionConfig
from tasks.dates import DATE, original_date, publication_date
from tasks.decode import RejectError
from tasks.metadata import page_metadata, searched_author
from tasks.records import RejectReason
from tasks.text import optional_str, tokens, word_count
from tasks.visible import visible_text_of

logger = logging.getLogger(__name__)
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
_LABEL_BAR = re.compile(r"\s+\|\s+")
_HOST = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}")  # lower case: "Node.js" is a headline, "davidbau.com" a host


@dataclass(slots=True)
class HtmlExtraction:
    text: str  # trafilatura's main text, one paragraph per line ("" when it found none)
    visible: str  # every visible line of the page, for the fallback
    meta: dict[str, object] = field(default_factory=dict)
    link_density: list[float] = field(default_factory=list)  # per line of ``text``: its share of link text


def extract_html(html: str, url: str | None, cfg: ExtractionConfig) -> HtmlExtraction:
    """Main text (comments excluded), visible text and metadata of an HTML page."""
    try:
        tree = load_html(html)
        if tree is None:
            raise RejectError(RejectReason.NO_CONTENT, "no HTML document could be parsed")
        facts = _page_facts(tree, url)
        visible = visible_text_of(tree)
        meta = facts.meta
        page_url = url or optional_str(meta.get("url"))
        result = _trafilatura(tree, page_url, cfg, favor_recall=cfg.favor_recall)  # works on a copy of the tree
        kept = _words(result)
        if cfg.favor_recall and kept < cfg.fallback_ratio * word_count(visible):
            # favor_recall sometimes keeps only one section of a page its balanced mode reads whole:
            # when it kept little of the visible text, ask the balanced mode too.
            balanced = _trafilatura(tree, page_url, cfg, favor_recall=False)
            if _words(balanced) > kept:
                result = balanced
    except RejectError:
        raise
    except Exception as exc:  # noqa: BLE001 - contain the third-party parser; the reason is kept
        raise RejectError(RejectReason.EXTRACTION_FAILED, f"{type(exc).__name__}: {exc}") from exc
    site = optional_str(meta.get("sitename"))
    title = facts.declared_title or optional_str(meta.get("title"))
    meta["title"] = headline(facts.headings, title, site)
    meta_date = original_date(optional_str(meta.get("date")), *facts.declared, machine=facts.machine)
    lines = visible.split("\n")
    meta["date"] = publication_date(meta_date, lines, meta["title"], url=url)
    author = page_author(facts.authors, facts.extracted_author, site, shown_byline(lines, meta["title"]))
    meta["author"] = full_name(author, lines, meta["title"])
    text, density = unlinked((result.text or "") if result is not None else "")
    return HtmlExtraction(text=text, visible=visible, meta=meta, link_density=density)


# trafilatura's text with include_links: a link is written "[text](target)"
_LINK = re.compile(r"\[((?:\\.|[^\[\]\\])*)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)")
_ESCAPED = re.compile(r"\\([\[\]])")


def unlinked(text: str) -> tuple[str, list[float]]:
    """The text without its link markup, and each line's share of characters that were link text: a
    line that is all link is a pointer to another page (a teaser, a menu entry), evidence no wording gives.
    A link's text may run over a line break (an anchor hard-wrapped in the page's source)."""
    lines, linked = [""], [0]

    def add(segment: str, is_link: bool) -> None:
        for k, part in enumerate(segment.split("\n")):
            if k:
                lines.append("")
                linked.append(0)
            lines[-1] += part
            linked[-1] += len(part) if is_link else 0

    end = 0
    for match in _LINK.finditer(text):
        add(text[end : match.start()], False)
        add(_ESCAPED.sub(r"\1", match[1]), True)
        end = match.end()
    add(text[end:], False)
    density = [min(1.0, chars / len(line.strip())) if line.strip() else 0.0 for line, chars in zip(lines, linked)]
    return "\n".join(lines), density


@dataclass(slots=True)
class _PageFacts:
    """What a page's markup says about it, read before trafilatura works on its copy of the tree."""

    headings: list[str] = field(default_factory=list)
    declared_title: str | None = None
    authors: AuthorEvidence = field(default_factory=lambda: AuthorEvidence(None))
    declared: tuple[str | None, str | None] = (None, None)  # publication and modification dates
    machine: list[str] = field(default_factory=list)  # <time datetime> values
    meta: dict[str, object] = field(default_factory=dict)  # trafilatura's and htmldate's reading
    extracted_author: str | None = None


def _page_facts(tree: HtmlElement, url: str | None) -> _PageFacts:
    """The page's metadata; a failure of one of its many readers (third-party ones among them) costs
    the metadata, not the page's text: the page is then kept with its title, date and author read from
    the text alone, and a warning logged."""
    try:
        authors = author_evidence(tree)
        meta = page_metadata(tree, url)
        extracted_author = optional_str(meta.get("author"))
        if not extracted_author and not names_person(authors, optional_str(meta.get("sitename"))):
            extracted_author = searched_author(tree)  # costly: asked only where its answer is used
            if extracted_author and misread_author(tree, extracted_author):  # a reader's comment, a section
                extracted_author = None
        return _PageFacts(
            headings=_h1_texts(tree),
            declared_title=page_title(tree),
            authors=authors,
            declared=declared_dates(tree),
            machine=[str(value) for value in tree.xpath("//time/@datetime")],
            meta=meta,
            extracted_author=extracted_author,
        )
    except Exception as exc:  # noqa: BLE001 - see the docstring
        logger.warning("metadata of %s not read, text kept: %s: %s", url or "a page", type(exc).__name__, exc)
        return _PageFacts()


def page_title(tree: HtmlElement) -> str | None:
    """The title the page declares: og:title, else <title>. trafilatura's own title sometimes comes
    from an <h1> widget (a karma score "Ω 48", a blog's name above every post), which is a poorer
    witness for choosing among the page's <h1>s."""
    og = tree.xpath('//meta[@property="og:title"]/@content')
    found = [str(og[0])] if og else [element.text_content() for element in tree.iter("title")]
    return next((text for raw in found if (text := " ".join(raw.split()))), None)


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


def _trafilatura(tree: HtmlElement, url: str | None, cfg: ExtractionConfig, *, favor_recall: bool):
    return trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=cfg.include_tables,
        include_links=True,  # link density is evidence for the line cleaner; the markup is removed after
        favor_precision=cfg.favor_precision,
        favor_recall=favor_recall,
        deduplicate=False,  # its dedup cache is process-global: results would depend on run order
        with_metadata=False,  # read apart, and only what is used: tasks.metadata
    )


def _words(result) -> int:
    return word_count(result.text or "") if result is not None else 0


# what templates put inside the <h1> beside the headline: a date or a section label before it, a
# "Posted ..." after it ("Dec 18 2025 Preparing a transition", "Blog: Best agencies", "Headline Posted")
_H1_LEAD = re.compile(rf"^(?:(?:{DATE.pattern})\s*[-–—|·:]?\s*|(?:blog|title)\s*:\s*)", re.IGNORECASE)
_H1_TAIL = re.compile(r"\s+(?:posted|published)(?:\s+(?:on|by)\b.*)?$", re.IGNORECASE)


def _h1_texts(tree: HtmlElement) -> list[str]:
    texts = (" ".join(h1.text_content().split()) for h1 in tree.iter("h1"))
    return [text for raw in texts if (text := _H1_TAIL.sub("", _H1_LEAD.sub("", raw)))]


def headline(h1s: list[str], meta_title: str | None, site: str | None = None) -> str | None:
    """The page's headline: the <h1> that agrees with the <title>/og:title, else the first <h1> of three
    words or more, else the <title> without its site name ("Headline | Site"). An <h1> that only names
    the site (a blog's name above every post) is not the headline."""
    # an <h1> written as a host name ("davidbau.com") names the site, and a <title> may open with it
    hosts = [h1 for h1 in h1s if _HOST.fullmatch(h1)]
    if meta_title and (host := next((h for h in hosts if meta_title.startswith(h + " ")), None)):
        meta_title = meta_title[len(host) :].strip()
    parts = _TITLE_SEPARATOR.split(meta_title) if meta_title else []
    # the site: the metadata's site name (not when it merely repeats the title) and "Headline | Site"
    site_names = {tuple(tokens(name)) for name in [site, *parts[1:][-1:]] if name} - {tuple(tokens(meta_title or ""))}
    h1s = [
        _without_labels(h1)
        for h1 in h1s
        if tuple(tokens(h1)) not in site_names and h1 not in hosts and _headline_shaped(h1)
    ]
    if h1s and meta_title:
        best = max(h1s, key=lambda h1: _overlap(h1, meta_title))
        if _overlap(best, meta_title) >= 0.3:
            return best
    # several different <h1>s, none of them the title's: the template uses <h1> for its widgets
    # ("Open Menu Close Menu", "Contact Us", "Webcams"), and the <title> is the better witness
    several = len(set(h1s)) > 1 and meta_title
    if (long := [h1 for h1 in h1s if word_count(h1) >= 3]) and not several:
        return long[0]
    if meta_title:
        return max(parts, key=len) if len(parts) > 1 else meta_title
    return h1s[0] if h1s else None


def _headline_shaped(h1: str) -> bool:
    """Not a lead-in ("A message from our founder:") and not a paragraph set in an <h1> (a page's
    description: a headline is rarely over 20 words)."""
    return not h1.endswith(":") and word_count(h1) <= 20


def _without_labels(h1: str) -> str:
    """An <h1> without the short labels a template appends after " | " (a section, the site):
    "How to help babies sleep | Patient Education | UC Davis Children's Hospital" -> its first part.
    A long part after the bar is the headline's own subtitle and stays."""
    parts = _LABEL_BAR.split(h1)
    while len(parts) > 1 and word_count(parts[-1]) <= 4 and word_count(parts[0]) >= 4:
        parts.pop()
    return " | ".join(parts)


def _overlap(a: str, b: str) -> float:
    x, y = set(tokens(a)), set(tokens(b))
    return len(x & y) / len(x | y) if x | y else 0.0
