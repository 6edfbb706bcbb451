"""What a scraper hands over as plain text: a page's visible text, one line per block element."""

from __future__ import annotations

import re

import lxml.html

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
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    parts: list[str] = []
    _walk(root, parts)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _walk(el: lxml.html.HtmlElement, parts: list[str]) -> None:
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
