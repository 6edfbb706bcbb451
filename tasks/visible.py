"""A page's visible text, one line per block element: what a scraper hands over as plain text.

docclean falls back to it (cleaned by the line classifier) when the HTML extractor misses most of
an article; the benchmark uses it to build the plain-text version of each page."""

from __future__ import annotations

import re

import lxml.html
from lxml.html import HtmlElement

_SKIP = {"head", "script", "style", "noscript", "template", "svg", "iframe", "object"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul", "button",
    "option", "label", "caption", "tbody", "thead", "tfoot", "menu",
}  # fmt: skip
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def visible_text(html: str) -> str:
    try:
        return visible_text_of(lxml.html.document_fromstring(html))
    except (ValueError, lxml.etree.ParserError):
        return ""


def visible_text_of(root: HtmlElement) -> str:
    parts: list[str] = []
    _walk(root, parts)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _walk(el: HtmlElement, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP or not tag:  # comments and processing instructions have no string tag
        return
    block = tag in _BLOCKS
    if block:
        parts.append("\n")
    if el.text:
        parts.append(el.text.replace("\n", " "))
    for child in el:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail.replace("\n", " "))
    if block:
        parts.append("\n")
