"""The publication date a page shows its readers beside the headline.

Page metadata and the visible date disagree more often than one would hope: a template's
``article:published_time`` left at the post's first draft, a day and month read the wrong way round,
a site-wide date. Where the two disagree, the date shown beside the headline is taken. Dates the page
labels as updates ("Last updated: ...") are not publication dates and are never taken; a page that
shows several dates keeps the metadata's choice among them. A URL filed under a day or a month
(/2025/12/20/slug) overrules both, the declared publication date replaces a modification date the
extractor took for it, and a machine-readable date replaces one whose day and month the extractor
swapped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from urllib.parse import urlsplit

from docclean.tasks.text import tokens, word_count
from docclean.tasks.wordlists import MONTHS, alternation

# month name or its first three letters -> month number
_MONTHS = {key: n for n, names in enumerate(MONTHS, 1) for name in names for key in (name, name[:3])}
_MONTH = alternation(_MONTHS)
# no \b at either end: markup glues dates to the words beside them ("By AnaOctober 8, 2024Share")
_YEAR = r"(?:19|20)\d\d(?!\d)"
_DAY = r"\d{1,2}(?:st|nd|rd|th|er)?"
DATE = re.compile(
    rf"(?<!\d)(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR})"  # March 9, 2026
    rf"|(?P<d2>{_DAY})\.?\s+(?:de\s+)?(?P<m2>{_MONTH})\.?,?\s+(?:de\s+)?(?P<y2>{_YEAR})"  # 9 March 2026, 9. März 2026
    rf"|(?P<y3>{_YEAR})-(?P<m3>\d\d)-(?P<d3>\d\d)(?!\d)"  # 2026-03-09
    rf"|(?P<d4>\d{{1,2}})\.(?P<m4>\d{{1,2}})\.(?P<y4>{_YEAR})"  # 09.03.2026 (day first wherever dots are used)
    rf"|(?P<y5>{_YEAR})年(?P<m5>\d{{1,2}})月(?P<d5>\d{{1,2}})日)",  # 2026年3月9日
    re.IGNORECASE,
)
# a date so labelled is a revision's, not the publication's
_UPDATE_LABEL = re.compile(
    r"updat|modifi|revis|reviewed|aktualisiert|geändert|mis à jour|actualizad|modificad|更新", re.IGNORECASE
)
# how far from the headline, in lines, a byline block reaches; and how long its lines are
_BEFORE, _AFTER, _MAX_WORDS = 5, 25, 12


def parse_date(match: re.Match[str]) -> date | None:
    """The day a ``DATE`` match names, or None for an impossible one (February 30)."""
    n = next(n for n in "12345" if match[f"y{n}"])
    month, day = match[f"m{n}"], match[f"d{n}"].rstrip("stndrhe")
    try:
        return date(int(match[f"y{n}"]), int(month) if month.isdigit() else _MONTHS[month.lower()], int(day))
    except ValueError:
        return None


def byline_lines(lines: list[str], headline: str | None) -> list[int]:
    """Indexes of the short lines around the headline, where a byline and its date sit; none without a
    headline found among the lines: elsewhere on a page, dates and names belong to teasers, comments
    and archives. Where the headline shows more than once (a sidebar listing the site's posts, then
    the article), around the first showing with a date within a few lines of it."""
    key = tokens(headline or "")
    at = _headline_at(lines, key, len(headline or "")) if key else None
    if at is None:
        return []
    window = range(max(0, at - _BEFORE), min(len(lines), at + _AFTER + 1))
    return [i for i in window if word_count(lines[i]) <= _MAX_WORDS]


def _headline_at(lines: list[str], key: list[str], size: int) -> int | None:
    """The headline's line: the headline alone (``key``, ``size`` characters long), else a line that
    holds it; of several, the first with a date within a few lines of it, else the first."""

    def alone(line: str) -> bool:
        return abs(len(line) - size) <= size // 2 + 8 and tokens(line) == key  # the cheap test first

    def holds(line: str) -> bool:
        return _holds_headline(tokens(line), key)

    for shows in (alone, holds):
        showings = [i for i, line in enumerate(lines) if shows(line)]
        if showings:
            return next((i for i in showings if any(map(DATE.search, lines[max(0, i - 2) : i + 4]))), showings[0])
    return None


def shown_dates(lines: list[str], headline: str | None) -> list[date]:
    """Dates in the byline lines around the headline, in page order, leaving out labelled updates (the
    label may sit in the line before: "Last updated:" / "Dec 12, 2025")."""
    found = []
    for i in byline_lines(lines, headline):
        line = lines[i]
        if _UPDATE_LABEL.search(line) or (i and word_count(lines[i - 1]) <= 3 and _UPDATE_LABEL.search(lines[i - 1])):
            continue
        found += [day for match in DATE.finditer(line) if (day := parse_date(match))]
    return found


def _holds_headline(line: list[str], key: list[str]) -> bool:
    """The headline's line: the headline alone, or with what a template put before or after it in its
    element (a date, "Posted ...": see ``tasks.html``), up to eight words of it."""
    extra = len(line) - len(key)
    return 0 <= extra <= 8 and (line[: len(key)] == key or line[extra:] == key)


# a post filed under the day or month it went out: /2025/12/20/slug, /2025-12-20-slug, /2025/12/slug
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])(?:[/-](0?[1-9]|[12]\d|3[01]))?(?=[/-])")


def url_date(url: str | None) -> tuple[date, date] | None:
    """The first and last day of the day or month a URL's path files its page under, or None."""
    match = _URL_DATE.search(urlsplit(url).path + "/") if url else None
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    try:
        if match[3]:
            return date(year, month, int(match[3])), date(year, month, int(match[3]))
    except ValueError:  # /2025/02/30/: no such day, the month stands
        pass
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return date(year, month, 1), last


def publication_date(
    meta_date: str | None,
    lines: list[str],
    headline: str | None,
    *,
    url: str | None = None,
) -> str | None:
    """The metadata's date (ISO 8601), unless the page shows a different day beside its headline (a day
    either side is the same: metadata is often in UTC, the page in its own time zone).

    A date path in the URL overrules both: a shown date outside the day or month it names belongs to a
    teaser, a changelog or a book's release, and a path with a day beats metadata that disagrees with it
    when the page shows no date that fits."""
    meta_day, filed = _day(meta_date), url_date(url)
    shown = [day for day in shown_dates(lines, headline) if filed is None or _filed_on(day, filed)]
    if filed and filed[0] == filed[1] and not shown and not (meta_day and _filed_on(meta_day, filed)):
        return filed[0].isoformat()
    if not shown or (meta_day and any(_near(day, meta_day) for day in shown)):
        return meta_date
    return shown[0].isoformat()


def original_date(
    found: str | None, published: str | None, modified: str | None, machine: Sequence[str] = ()
) -> str | None:
    """The extractor's date, or the declared publication date when the extractor took the declared
    modification date instead (htmldate does so when only the modification has an Open Graph tag and the
    publication is in JSON-LD), or the machine-readable date (the declared publication, a
    ``<time datetime>``) whose day and month the extractor read the wrong way round from the page's
    "10/12/2023"."""
    found_day, published_day, modified_day = _day(found), _day(published), _day(modified)
    if found_day and published_day and found_day == modified_day and published_day != modified_day:
        return published
    if found_day and found_day.day <= 12 and found_day.day != found_day.month:
        swapped = date(found_day.year, found_day.day, found_day.month)
        return next((iso for iso in (published, *machine) if _day(iso) == swapped), found)
    return found


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def _near(a: date, b: date) -> bool:
    return abs((a - b).days) <= 1


def _filed_on(day: date, filed: tuple[date, date]) -> bool:
    return filed[0] - timedelta(days=1) <= day <= filed[1] + timedelta(days=1)
