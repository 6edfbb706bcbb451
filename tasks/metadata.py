"""An HTML page's metadata fields, read with trafilatura's and htmldate's own functions, but only the
fields docclean uses.

``trafilatura.bare_extraction(with_metadata=True)`` runs every metadata search on every page: its
byline search deep-copies the whole tree, and it also looks for categories and a licence. On 400
pages of the throughput corpus, trafilatura took 0.066 CPU-seconds a page with its metadata and 0.038
without (on the 2-core development machine). Here categories and the licence are not read, and
trafilatura's byline search is a separate call (``searched_author``) that ``tasks.html`` makes only
when the page's structured metadata names no person, the one case where its answer is used.
"""

from __future__ import annotations

from courlan import extract_domain
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura import metadata as trafilatura_meta

# keep the time and zone when the page has them
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def page_metadata(tree: HtmlElement, url: str | None) -> dict[str, object]:
    """Title, URL, host, site name, date (htmldate, the original publication date), tags, and the
    author the meta tags or JSON-LD name, as trafilatura's metadata reads them. Leaves ``tree`` as is."""
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
    meta.date = find_date(tree, url=meta.url, outputformat=DATE_FORMAT, original_date=True)
    meta.sitename = _site_name(meta.sitename or trafilatura_meta.extract_sitename(tree), meta.url)
    meta.tags = meta.tags or trafilatura_meta.extract_catstags("tag", tree)
    meta.clean_and_trim()
    return meta.as_dict()


def searched_author(tree: HtmlElement) -> str | None:
    """trafilatura's search of the page for a byline (it works on a copy of the whole tree)."""
    return trafilatura_meta.extract_author(tree)


def _site_name(name: str | None, url: str | None) -> str | None:
    """trafilatura's clean-up: no Twitter "@", a lower-case name capitalised, else the URL's domain."""
    if name:
        name = name.lstrip("@")
        return name.title() if name and "." not in name and not name[0].isupper() else name
    match = trafilatura_meta.META_URL.match(url) if url else None
    return match[1] if match else None
