"""Records to clean documents: HTML through ``tasks.html``, then the line classifier for both kinds.

For HTML the extractor's main text is cleaned; when the extractor found (next to) nothing, the page's
cleaned visible text is used instead.
"""

from __future__ import annotations

from functools import partial

from docclean.tasks.boilerplate import Cleaned, clean_lines
from docclean.tasks.config import Config
from docclean.tasks.decode import RejectError, decoded_text
from docclean.tasks.html import HtmlExtraction, extract_html
from docclean.tasks.metadata import document_metadata, text_metadata
from docclean.tasks.read import parse_timestamp
from docclean.tasks.records import Document, RawRecord, Reject, RejectReason
from docclean.tasks.sandbox import can_sandbox, sandboxed
from docclean.tasks.text import word_count
from docclean.tasks.wordlists import PAYWALL_PHRASES


def extract_record(rec: RawRecord, cfg: Config, *, verdicts: bool = False) -> Document:
    """Extract and clean one record; raise RejectError when nothing worth keeping is left. With
    ``verdicts``, the document carries every line the cleaner saw and its verdict."""
    bp = cfg.boilerplate
    content = decoded_text(rec.content, cfg.decode, html=rec.is_html, charset=rec.charset)
    page: HtmlExtraction | None = None
    if rec.is_html:
        page = extract_html(content, rec.url, cfg.extraction)
        found = page.meta
        title = rec.title or found.title
        extracted = clean_extracted(page.text, title, found.author, cfg, link_density=page.link_density)
        cleaned = _fallback_to_visible(extracted, page.visible, title, found.author, cfg)
    else:
        cleaned = clean_lines(content, bp, title=rec.title, context=bp.context_for_text)
        found = text_metadata(content.splitlines(), cleaned.title, cleaned.author, rec.url)
    if page is not None and word_count(page.text) >= cfg.extraction.min_words:
        if (share := link_share(page.text, page.link_density)) > cfg.extraction.max_link_share:
            raise RejectError(RejectReason.NOT_ARTICLE, f"{share:.0%} of the main text is links to other pages")
    if not cleaned.lines:
        raise RejectError(RejectReason.NO_CONTENT, "no main text, or every line was boilerplate")
    clean_text = "\n".join(cleaned.lines)
    words = word_count(clean_text)
    if words < cfg.extraction.min_words:
        raise RejectError(RejectReason.TOO_SHORT, f"{words} words < {cfg.extraction.min_words}", clean_text)
    if words < cfg.extraction.stub_words:
        on_page = page.visible.split("\n") if page is not None else []
        if phrase := paywall_phrase([*cleaned.lines, *on_page]):
            raise RejectError(RejectReason.NOT_ARTICLE, f"a paywall's teaser ({phrase!r}), {words} words")
    meta = document_metadata(
        found,
        url=rec.url,
        title=rec.title,
        published_at=rec.published_at,
        text_title=cleaned.title,
        text_author=cleaned.author,
        text_tags=cleaned.tags,
    )
    return Document(
        doc_id=rec.doc_id,
        source_uri=rec.source_uri,
        source_format=rec.source_format,
        text=clean_text,
        url=meta.url,
        site=meta.site,
        title=meta.title,
        author=meta.author,
        published_at=parse_timestamp(meta.published_at),
        tags=meta.tags,
        boilerplate=cleaned.removed,
        metadata_sources=meta.sources,
        line_verdicts=cleaned.verdicts if verdicts else None,
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
    """The page's cleaned visible text when the extractor kept too little to be an article (fewer than
    ``min_words`` words): better than rejecting the page. Otherwise the extractor's answer stands,
    however small a share of the page it is: a short story on a portal page is not the portal's text,
    and adding visible lines around the extractor's (list items it skipped) lost more on pages outside
    the tune sets than it won."""
    if word_count("\n".join(cleaned.lines)) >= cfg.extraction.min_words or not visible:
        return cleaned
    alternative = clean_lines(visible, cfg.boilerplate, title=title, author=author, context=True)
    return alternative if len(alternative.lines) > len(cleaned.lines) else cleaned


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


def extract_batch(records: list[RawRecord], cfg: Config) -> tuple[list[Document], list[Reject]]:
    """Each record cleaned, or rejected with its reason. Under ``extraction.max_cpu_seconds`` the records
    are cleaned in a child process the kernel stops at the limit (``tasks.sandbox``)."""
    limit = cfg.extraction.max_cpu_seconds
    clean = partial(extract_outcome, cfg=cfg)
    outcomes = sandboxed(records, clean, limit) if limit > 0 and can_sandbox() else map(clean, records)
    docs: list[Document] = []
    rejects: list[Reject] = []
    for outcome in outcomes:
        (docs if isinstance(outcome, Document) else rejects).append(outcome)
    return docs, rejects


def extract_outcome(rec: RawRecord, cfg: Config) -> Document | Reject:
    """``extract_record``, with every failure as a reject: a cleaner bug costs its input, not the run."""
    try:
        return extract_record(rec, cfg)
    except RejectError as exc:
        return Reject(rec.source_uri, exc.reason, exc.detail, rec.doc_id, exc.text)
    except Exception as exc:  # noqa: BLE001
        return Reject(rec.source_uri, RejectReason.EXTRACTION_FAILED, f"{type(exc).__name__}: {exc}", rec.doc_id)
