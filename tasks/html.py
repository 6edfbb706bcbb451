"""HTML pages: trafilatura's main text and metadata, the page's visible text, and the headline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from tasks.config import ExtractionConfig
from tasks.decode import RejectError
from tasks.records import RejectReason
from tasks.text import optional_str, tokens, word_count
from tasks.visible import visible_text_of

_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
_AUTHOR_PREFIX = re.compile(
    r"^(?:(?:written|posted|article|recipe|story|words|reviewed|text|photos?|authored)\s+by|by|authors?|von|por|par)\b"
    r"\s*:?\s*",
    re.IGNORECASE,
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# A date, a bullet or a job title glued after the name by the page's markup.
_AUTHOR_TAIL = re.compile(
    rf"\s*(?:[•·|]\s*.*|\s(?:{_MONTHS})\b\.?\s+\d.*$|\s(?:updated|published)\b.*$"
    rf"|\s(?:trending|senior|staff|contributing|former)\s+\w+.*$)",
    re.IGNORECASE,
)


@dataclass(slots=True)
class HtmlExtraction:
    text: str  # trafilatura's main text, one paragraph per line ("" when it found none)
    visible: str  # every visible line of the page, for the fallback
    meta: dict[str, object] = field(default_factory=dict)


def extract_html(html: str, url: str | None, cfg: ExtractionConfig) -> HtmlExtraction:
    """Main text (comments excluded), visible text and metadata of an HTML page."""
    try:
        tree = load_html(html)
        if tree is None:
            raise RejectError(RejectReason.NO_CONTENT, "no HTML document could be parsed")
        headings = _h1_texts(tree)
        byline = byline_author(tree)
        visible = visible_text_of(tree)  # before trafilatura, which prunes the tree it is given
        result = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_tables=cfg.include_tables,
            favor_precision=cfg.favor_precision,
            favor_recall=cfg.favor_recall,
            deduplicate=False,  # its dedup cache is process-global: results would depend on run order
            with_metadata=True,
            # keep the time and zone when the page has them, and prefer the original publication date
            date_extraction_params={"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True},
        )
    except RejectError:
        raise
    except Exception as exc:  # noqa: BLE001 - contain the third-party parser; the reason is kept
        raise RejectError(RejectReason.EXTRACTION_FAILED, f"{type(exc).__name__}: {exc}") from exc
    meta = result.as_dict() if result is not None else {}
    meta["title"] = headline(headings, optional_str(meta.get("title")))
    # the page's metadata first (JSON-LD, <meta>), else the byline the reader sees
    meta["author"] = clean_author(optional_str(meta.get("author")), optional_str(meta.get("sitename"))) or byline
    return HtmlExtraction(text=(result.text or "") if result is not None else "", visible=visible, meta=meta)


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


# Elements that hold a byline, by the names sites give them; not comment authors, author boxes' bios,
# avatars or share widgets.
_BYLINE_XPATH = (
    '//*[@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "Byline")'
    ' or contains(@class, "author") or contains(@id, "author")]'
)
_NOT_BYLINE = re.compile(r"comment|avatar|image|img|photo|bio|desc|social|share|follow|related|widget|footer|sidebar"
                         r"|button|title", re.IGNORECASE)  # fmt: skip
_BYLINE_SKIP_TAGS = {"link", "meta", "img", "body", "html", "article", "main", "section", "script", "style"}
_BYLINE_SEPARATOR = re.compile(r"\s*(?:[|•·/,]| - | – | — )\s*")
_BYLINE_TAIL = re.compile(
    rf"\b(?:{_MONTHS})\b\.?\s+\d|\d{{1,2}}[/.-]\d{{1,2}}|\b(?:updated|published|on)\b|\d", re.IGNORECASE
)
_NOT_A_NAME = {"author", "authors", "by", "share", "admin", "posted", "written"}


def byline_author(tree: HtmlElement) -> str | None:
    """The first name-like text of a byline element ("By Jane Doe | May 3, 2025" -> "Jane Doe")."""
    for element in tree.xpath(_BYLINE_XPATH):
        marks = " ".join(filter(None, [element.get("class"), element.get("id")]))
        if not isinstance(element.tag, str) or element.tag in _BYLINE_SKIP_TAGS or _NOT_BYLINE.search(marks):
            continue
        text = " ".join(" ".join(element.itertext()).split())
        if text and len(text.split()) <= 15 and (name := _name_in_byline(text)):
            return name
    return None


def _name_in_byline(text: str) -> str | None:
    text = _AUTHOR_PREFIX.sub("", _AUTHOR_PREFIX.sub("", text))
    if tail := _BYLINE_TAIL.search(text):
        text = text[: tail.start()]
    name = next((part.strip(" :,-") for part in _BYLINE_SEPARATOR.split(text) if part.strip()), "")
    if not 1 <= len(name.split()) <= 6 or len(name) > 60 or not any(ch.isalpha() for ch in name):
        return None
    return None if name.lower() in _NOT_A_NAME else name


def _overlap(a: str, b: str) -> float:
    x, y = set(tokens(a)), set(tokens(b))
    return len(x & y) / len(x | y) if x | y else 0.0
