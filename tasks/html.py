"""HTML pages: trafilatura's main text, the page's visible text and its metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from docclean.tasks.config import ExtractionConfig
from docclean.tasks.decode import RejectError
from docclean.tasks.metadata import Metadata, html_metadata
from docclean.tasks.records import RejectReason
from docclean.tasks.text import word_count
from docclean.tasks.visible import visible_text_of


@dataclass(slots=True)
class HtmlExtraction:
    text: str  # trafilatura's main text, one paragraph per line ("" when it found none)
    visible: str  # every visible line of the page, for the fallback
    meta: Metadata = field(default_factory=Metadata)
    link_density: list[float] = field(default_factory=list)  # per line of ``text``: its share of link text


def extract_html(html: str, url: str | None, cfg: ExtractionConfig) -> HtmlExtraction:
    """Main text (comments excluded), visible text and metadata of an HTML page."""
    try:
        tree, visible = _parsed(html, cfg)
        meta = html_metadata(tree, url, visible.split("\n"))
        result = _trafilatura(tree, meta.url, cfg, favor_recall=cfg.favor_recall)  # works on a copy of the tree
        kept = _words(result)
        if cfg.favor_recall and kept < cfg.fallback_ratio * word_count(visible):
            # favor_recall sometimes keeps only one section of a page its balanced mode reads whole:
            # when it kept little of the visible text, ask the balanced mode too.
            balanced = _trafilatura(tree, meta.url, cfg, favor_recall=False)
            if _words(balanced) > kept:
                result = balanced
    except RejectError:
        raise
    except Exception as exc:  # noqa: BLE001 - contain the third-party parser; the reason is kept
        raise RejectError(RejectReason.EXTRACTION_FAILED, f"{type(exc).__name__}: {exc}") from exc
    text, density = unlinked((result.text or "") if result is not None else "")
    return HtmlExtraction(text=text, visible=visible, meta=meta, link_density=density)


# wrappers that carry no text of their own: what a page nested too deep for the parser is made of
_WRAPPER_TAG = re.compile(r"</?(?:div|span|section|article|main|font|center)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_NOT_TEXT = re.compile(r"<(script|style|noscript|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)


def _parsed(html: str, cfg: ExtractionConfig):
    """The page's tree and visible text. libxml2 stops at a nesting depth of a few hundred elements and
    drops the rest of the page silently: when the tree holds next to no text while the markup does, the
    page is parsed again without its wrapper elements, and if the text is still missing the page is
    rejected with that reason (not as a page without content)."""
    tree = load_html(html)
    if tree is None:
        raise RejectError(RejectReason.NO_CONTENT, "no HTML document could be parsed")
    visible = visible_text_of(tree)
    if word_count(visible) >= cfg.min_words:
        return tree, visible
    if word_count(_TAG.sub(" ", _NOT_TEXT.sub(" ", html))) < max(cfg.min_words, 5 * word_count(visible)):
        return tree, visible
    flat = load_html(_WRAPPER_TAG.sub("", html))
    flat_visible = visible_text_of(flat) if flat is not None else ""
    if word_count(flat_visible) < cfg.min_words:
        raise RejectError(
            RejectReason.EXTRACTION_FAILED,
            "the HTML parser lost the page's text (markup nested deeper than its limit, or broken beyond repair)",
        )
    return flat, flat_visible


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
