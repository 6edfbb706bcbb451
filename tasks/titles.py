"""A page's headline: its <h1>s and the title its metadata declares, weighed against each other."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from docclean.tasks.dates import DATE
from docclean.tasks.text import tokens, word_count

_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
_LABEL_BAR = re.compile(r"\s+\|\s+")
_HOST = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}")  # lower case: "Node.js" is a headline, "davidbau.com" a host


def page_title(tree: HtmlElement) -> str | None:
    """The title the page declares: og:title, else <title>. trafilatura's own title sometimes comes
    from an <h1> widget (a karma score "Ω 48", a blog's name above every post), which is a poorer
    witness for choosing among the page's <h1>s."""
    og = tree.xpath('//meta[@property="og:title"]/@content')
    found = [str(og[0])] if og else [element.text_content() for element in tree.iter("title")]
    return next((text for raw in found if (text := " ".join(raw.split()))), None)


# what templates put inside the <h1> beside the headline: a date or a section label before it, a
# "Posted ..." after it ("Dec 18 2025 Preparing a transition", "Blog: Best agencies", "Headline Posted")
_H1_LEAD = re.compile(rf"^(?:(?:{DATE.pattern})\s*[-–—|·:]?\s*|(?:blog|title)\s*:\s*)", re.IGNORECASE)
_H1_TAIL = re.compile(r"\s+(?:posted|published)(?:\s+(?:on|by)\b.*)?$", re.IGNORECASE)


def h1_texts(tree: HtmlElement) -> list[str]:
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
