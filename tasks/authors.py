"""Who wrote an HTML page: the page's structured metadata first, then the byline a reader sees.

Sources, most explicit first (`python bench/extraction.py --modes html` measures the order):
the schema.org article's ``author`` in JSON-LD, Twitter's "Written by" card label, ``<meta name=author>``,
scholarly ``citation_author`` tags, trafilatura's reading (its meta tags and JSON-LD, else its byline
search), a byline element, a link to the site's author page, a name shown by the headline (see
``shown_byline``), the name heading an author box, and last a WordPress data layer's post author.
Each candidate is cleaned (prefixes, dates and job titles glued on by the markup, template placeholders);
one that cleans to nothing gives way to the next.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from lxml.html import HtmlElement

from docclean.tasks.dates import DATE, byline_lines
from docclean.tasks.text import tokens
from docclean.tasks.wordlists import (
    BY_LABELS,
    BYLINE_VERBS,
    MONTHS,
    MONTHS_ALSO_NAMES,
    SECTIONS,
    TIME_AGO,
    UI_WORDS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    alternation,
)

_BY = alternation(BY_LABELS)
_VERBS = alternation(BYLINE_VERBS)
_AUTHOR_PREFIX = re.compile(
    rf"^(?:(?:(?:article|post|story)\s+)?(?:{_VERBS}|more)\s+by"
    rf"|(?:read\s+)?more\s+(?:about|from)|view\s+all\s+posts\s+by|{_BY}|authors?)\b\s*:?\s*",
    re.IGNORECASE,
)
_MONTHS = (
    alternation(name for names in MONTHS for name in names)
    + "|"
    + alternation(name[:3] for names in MONTHS for name in names)
)
_WEEKDAYS = alternation(WEEKDAYS | WEEKDAY_ABBREVIATIONS)
_MONTHS_NOT_NAMES = alternation(names[0] for names in MONTHS if names[0] not in MONTHS_ALSO_NAMES)
# A date, a bullet, a job title or a label glued after the name by the page's markup. Month names that
# are also names (May, June, July, April) only go when a day number follows them.
_AUTHOR_TAIL = re.compile(
    rf"\s*(?:[•·|]\s*.*|\s(?:{_MONTHS})\b\.?\s+\d.*$"
    rf"|\s(?:{_MONTHS_NOT_NAMES})$"
    rf"|\s(?:updated|published|sponsored)\b.*$"
    rf"|\s(?:trending|senior|staff|contributing|former)\s+\w+.*$|\s(?:founder|co-founder|ceo|rn)\b.*$)",
    re.IGNORECASE,
)
# Not names: a date alone, a label ("About the Author"), a template placeholder (page.head.extra.author, or
# "Page Head Extra Author" as trafilatura's byline search words it).
_NOT_A_NAME = re.compile(
    rf"^(?:(?:updated|published|posted)?\s*(?:(?:{_MONTHS}|{_WEEKDAYS})\b\.?[\s,\d]*)+|by|name|share"
    rf"|admin|undefined|null|updated|published|posted|written|(?:no|\d+)\s+comments?"
    rf"|\w+(?:\.\w+){{2,}}|.*[{{}}<>].*|.*\bauthors?)$",
    re.IGNORECASE,
)


class Sourced(NamedTuple):
    """A metadata value and where it was found (None, None when nowhere)."""

    value: str | None
    source: str | None


@dataclass(slots=True)
class AuthorEvidence:
    """What the page says about its author, read before the extractor prunes the tree."""

    structured: str | None  # JSON-LD, Twitter card or <meta name=author>, cleaned
    byline: str | None = None  # only looked for when the structured sources name nobody
    link: str | None = None
    box: str | None = None  # the name heading an author box
    post_author: str | None = None  # a WordPress data layer's (GTM4WP), the last resort
    structured_source: str = "structured data"  # which structured source named ``structured``


def author_evidence(tree: HtmlElement) -> AuthorEvidence:
    sources = (
        ("JSON-LD", json_ld_author),
        ("twitter card", _twitter_written_by),
        ("meta author", lambda t: _first(t.xpath('//meta[@name="author" or @name="Author"]/@content'))),
        ("citation_author", _citation_authors),
    )
    structured, source = next(
        ((name, source) for source, read in sources if (name := clean_author(read(tree), None))), (None, "")
    )
    if structured and not _is_site(structured, _first(tree.xpath('//meta[@property="og:site_name"]/@content'))):
        return AuthorEvidence(structured, structured_source=source)
    return AuthorEvidence(
        structured,
        byline_author(tree),
        _author_page_link(tree),
        _author_box_name(tree),
        _data_layer_author(tree),
        structured_source=source or "structured data",
    )


def page_author(
    evidence: AuthorEvidence,
    extracted: str | None,
    site: str | None,
    shown: ShownByline | None = None,
) -> Sourced:
    """The page's author(s), "; "-separated, and its source: the structured metadata, else trafilatura's
    reading, else the byline, else the link to an author page, else the name shown near the headline (see
    ``shown_byline``), else the name heading an author box, else the post's author in a WordPress data
    layer. A source naming only the site gives way to a later one naming a person (the byline under a
    newspaper's own name in its metadata). A "By" line under the headline naming someone no earlier
    source names overrules them: readers take it for the byline, and the metadata then names a CMS
    account or an editor ("KatieS" over "by Aoife O'Riordan")."""
    candidates = (
        (evidence.structured, evidence.structured_source),
        (extracted, "trafilatura"),
        (evidence.byline, "byline element"),
        (evidence.link, "author page link"),
        (shown.name if shown else None, "byline by the headline"),
        (evidence.box, "author box"),
        (evidence.post_author, "data layer"),
    )
    names = [Sourced(name, source) for candidate, source in candidates if (name := clean_author(candidate, site))]
    # a login as trafilatura words it ("Q Admin" for "q_admin") is the login still
    logins = {_name_key(name) for name, _ in names if _names_no_person(name, site)}
    person = (
        found for found in names if not _names_no_person(found.value, site) and _name_key(found.value) not in logins
    )
    author = next(person, names[0] if names else Sourced(None, None))
    if shown and shown.labelled and author.value and (signed := clean_author(shown.name, site)):
        return author if set(tokens(signed)) & set(tokens(author.value)) else Sourced(signed, "byline by the headline")
    return author


def names_person(evidence: AuthorEvidence, site: str | None) -> bool:
    """The page's structured metadata names a person: ``page_author`` will not look further."""
    name = clean_author(evidence.structured, site)
    return bool(name) and not _names_no_person(name, site)


# signatures that name no person: a login ("kffnirmitap"), a desk ("Aidoc Staff", "Editorial Team")
_HANDLE = re.compile(r"[a-z0-9._-]+")
_DESK = re.compile(r"\b(?:staff|team|editors|editorial|newsroom|desk)\b", re.IGNORECASE)


# a part of a "; "-list that links a profile, not a person: "South Carolina Garden Network on Facebook"
_PROFILE_LINK = re.compile(r"\bon (?:facebook|twitter|x|instagram|linkedin|threads)$", re.IGNORECASE)


def _names_no_person(name: str, site: str | None) -> bool:
    """The site's name, a login or a desk."""
    return _is_site(name, site) or bool(_HANDLE.fullmatch(name) or _DESK.search(name))


def _is_site(name: str, site: str | None) -> bool:
    """The site's name, or words of it ("Human" for "Human in the Loop")."""
    return bool(site) and set(tokens(name)) <= set(tokens(site or ""))


def clean_author(raw: str | None, site: str | None) -> str | None:
    """Names only: no "By"/"Author:" prefix, no date or role glued after them, and not the site itself
    when a person is named beside it (a site named alone is the author: many companies sign so)."""
    if not raw:
        return None
    names = []
    for part in html.unescape(raw).split(";"):
        name = _AUTHOR_PREFIX.sub("", part.strip(" ,"))
        name = _without_trailing_words(_once(_AUTHOR_TAIL.sub("", name).strip(" ,|•-")))
        if (
            name
            and any(ch.isalpha() for ch in name)
            and not _NOT_A_NAME.match(name)
            and "http" not in name
            and not _PROFILE_LINK.search(name)
            and not _reads_as_prose(name)
            and not _interface_text(name)
        ):
            names.append(name)
    site_key = tokens(site or "")
    names = list(dict.fromkeys(_without_site(name, site_key) for name in names))
    if len(names) > 1 and site_key:
        names = [name for name in names if tokens(name) != site_key]
    return "; ".join(names) or None


_TRAILING = WEEKDAYS | TIME_AGO


def _without_trailing_words(name: str) -> str:
    """A weekday or a "... ago" the markup glued after the name: "Jeff Foust Monday", "Aleš Vávra před"."""
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip(".,") in _TRAILING:
        words.pop()
    return " ".join(words)


def _interface_text(part: str) -> bool:
    """A widget's label, not a name: an interface word in it ("View Comments", "Authority control",
    "mehr", "So Artikel Empfehlen", "Www Medianotions De"), or a section's name alone ("World")."""
    words = {word.lower().strip(".,:") for word in part.split()}
    return bool(words & UI_WORDS) or len(words) == 1 and bool(words & SECTIONS)


def _once(name: str) -> str:
    """A name the markup shows twice (a heading and its screen-reader copy): "Jane Doe Jane Doe"."""
    words = name.split()
    half = len(words) // 2
    return " ".join(words[:half]) if half >= 2 and words[:half] == words[half:] else name


def _reads_as_prose(text: str) -> bool:
    """Prose, not names: an author box's bio that trafilatura's byline search returns whole ("Lauren Vetter
    Lauren Vetter is a growth-focused marketing professional ..."). Names and roles have few lower-case
    words ("Center for Drug Evaluation and Research", "Candidate Representative to the Liaison Committee")."""
    return sum(word[0].islower() and word not in _PARTICLES for word in text.split()) > 3


def _without_site(name: str, site_key: list[str]) -> str:
    """ "Brian Truitt USA TODAY" -> "Brian Truitt": a byline's name with the site's name after it, or
    words of it after a comma ("Ana Ruiz, The Commercial Appeal" for "Memphis Commercial Appeal")."""
    head, _, tail = name.rpartition(",")
    if head and site_key and (after := set(tokens(tail)) - {"the"}) and after <= set(site_key):
        return head.strip(" ,|-")
    words = name.split()
    if site_key and len(words) > len(site_key) and tokens(" ".join(words[-len(site_key) :])) == site_key:
        return " ".join(words[: -len(site_key)]).strip(" ,|-")
    return name


# schema.org types whose `author` is the page's author (not a review's, a comment's or a book's)
_ARTICLE_TYPE = re.compile(r"Article|Posting|Report|WebPage|Blog|Review|Recipe|HowTo|Story", re.IGNORECASE)


def json_ld_author(tree: HtmlElement) -> str | None:
    names: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        for node in _walk(data):
            kind = node.get("@type")
            kind = " ".join(map(str, kind)) if isinstance(kind, list) else str(kind or "")
            if "author" in node and _ARTICLE_TYPE.search(kind):
                names += _names(node["author"])
        if names:
            break
    return "; ".join(dict.fromkeys(name.strip() for name in names if name.strip())) or None


def _walk(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _twitter_written_by(tree: HtmlElement) -> str | None:
    """Twitter card labels: ``twitter:label1 = "Written by"`` names the author in ``twitter:data1``."""
    for label in tree.xpath('//meta[starts-with(@name, "twitter:label")]'):
        if re.search(r"written by|author", label.get("content") or "", re.IGNORECASE):
            number = label.get("name").removeprefix("twitter:label")
            return _first(tree.xpath(f'//meta[@name="twitter:data{number}"]/@content'))
    return None


def _citation_authors(tree: HtmlElement) -> str | None:
    """Scholarly pages' Highwire Press tags (arXiv, journals): a ``citation_author`` meta per author, as
    "Last, First" ("Roy, Aniruddha"), which other readers split into two names."""
    names = []
    for value in tree.xpath('//meta[@name="citation_author"]/@content'):
        last, comma, first = value.partition(",")
        names.append(f"{first.strip()} {last.strip()}" if comma and first.strip() else value.strip())
    return "; ".join(filter(None, names)) or None


def _author_page_link(tree: HtmlElement) -> str | None:
    for link in tree.xpath('//a[contains(@href, "/author/") or contains(@href, "/authors/")]'):
        text = " ".join(link.text_content().split())
        if text and len(text.split()) <= 5:
            return text
    return None


def _author_box_name(tree: HtmlElement) -> str | None:
    """The name heading an author box, in an element of its own, when the bio under it opens with that
    name or its first word: "Lauren Vetter" / "Lauren Vetter is a growth-focused marketing ..."."""
    for element in tree.xpath(_BYLINE_XPATH):
        if not isinstance(element.tag, str) or element.tag in _BYLINE_SKIP_TAGS:
            continue
        pieces = [" ".join(piece.split()) for piece in element.itertext() if piece.strip()]
        if len(pieces) < 2 or not _name_shaped(name := pieces[0], 2):
            continue
        bio = " ".join(pieces[1:])
        if bio.startswith((name + " ", name.split()[0] + " ")):
            return name
    return None


_COMMENT_AUTHOR_XPATH = '//*[contains(@class, "comment-author") or contains(@class, "comment_author")]'


def misread_author(tree: HtmlElement, name: str) -> bool:
    """``name`` signs a reader's comment (the name, or a login it was read from: "Fullysecret" from
    "fullysecret1dbb6551f4") or is a link to a section's posts ("HR Strategy" linking to
    "?content_topic=906"): trafilatura's byline search sometimes takes either for the author."""
    key = _name_key(name)
    if not key:
        return False
    for element in tree.xpath(_COMMENT_AUTHOR_XPATH):
        text = " ".join(element.text_content().split())
        if text and len(text.split()) <= 5 and _name_key(text).startswith(key):
            return True
    return any(
        _LISTING_LINK.search(link.get("href") or "") and _name_key(link.text_content()) == key
        for link in tree.iter("a")
    )


def _name_key(text: str) -> str:
    """A name's words as one key, whatever its case and punctuation: "q_admin" and "Q Admin" agree."""
    return " ".join(tokens(text))


_POST_AUTHOR = re.compile(r'"pagePostAuthor"\s*:\s*("(?:[^"\\]|\\.)*")')


def _data_layer_author(tree: HtmlElement) -> str | None:
    """The post's author as Google Tag Manager for WordPress (GTM4WP, on a great many WordPress sites)
    puts it in the page's data layer: ``var dataLayer_content = {..., "pagePostAuthor": "Krystyna"}``."""
    for script in tree.xpath('//script[contains(text(), "pagePostAuthor")]/text()'):
        if match := _POST_AUTHOR.search(script):
            try:
                return json.loads(match[1]) or None
            except ValueError:
                continue
    return None


def _first(values: list[str]) -> str | None:
    return next((value.strip() for value in values if value.strip()), None)


# Elements that hold a byline, by the names sites give them; not comment authors, author boxes' bios,
# avatars or share widgets.
_BYLINE_XPATH = (
    '//*[@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "Byline")'
    ' or contains(@class, "author") or contains(@id, "author")]'
)
_NOT_BYLINE = re.compile(r"comment|avatar|image|img|photo|bio|desc|social|share|follow|related|widget|footer|sidebar"
                         r"|button|title", re.IGNORECASE)  # fmt: skip
_BYLINE_SKIP_TAGS = {"link", "meta", "img", "body", "html", "article", "main", "section", "script", "style"}
_LISTING_LINK = re.compile(r"[/?&](?:category|categories|tags?|topics?|content_topic|section)[/=]", re.IGNORECASE)
_BYLINE_SEPARATOR = re.compile(r"\s*(?:[|•·●▪◦∙/,]| - | – | — )\s*")
_BYLINE_TAIL = re.compile(
    rf"\b(?:{_MONTHS})\b\.?\s+\d|\d{{1,2}}[/.-]\d{{1,2}}|\b(?:updated|published|on)\b|\d", re.IGNORECASE
)


def byline_author(tree: HtmlElement) -> str | None:
    """The first name-like text of a byline element ("By Jane Doe | May 3, 2025" -> "Jane Doe")."""
    for element in tree.xpath(_BYLINE_XPATH):
        marks = " ".join(filter(None, [element.get("class"), element.get("id")]))
        if not isinstance(element.tag, str) or element.tag in _BYLINE_SKIP_TAGS or _NOT_BYLINE.search(marks):
            continue
        if _LISTING_LINK.search(element.get("href") or ""):  # a link to a section's posts, not a person's
            continue
        text = " ".join(" ".join(element.itertext()).split())
        if text and len(text.split()) <= 15 and (name := name_in_byline(text)):
            return name
    return _signed_line(tree)


# A short text that starts with "By" (or "Von", "Por", "Par"): a byline without a class saying so.
_SIGNED_XPATH = (
    "//body//*[not(self::script or self::style or self::a or self::option)"
    " and not(ancestor::nav or ancestor::footer"
    " or ancestor::*[contains(@class, 'menu') or contains(@class, 'nav')])]/text()"
    f"[re:test(normalize-space(.), '^(({_VERBS})( written)? )?({_BY})(\\s|:|$)', 'i')]"
)
# what joins a signature's name to its date: "David at " -> "David"
_BEFORE_DATE = re.compile(r"[\s,|·•-]*(?:\b(?:at|on|am|el|le)\b)?[\s,|·•-]*$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[^\W_][\w.'’-]*|and|&|van|von|der|de|la|da|di|del|le)$")


def _signed_line(tree: HtmlElement) -> str | None:
    """ "By Jane Doe" or "Written by Jane Doe and Li Wei" in an element of its own (each name in its own
    child element or text), or the label alone ("By", "Article written by:") followed by the name in the
    next element, or a signature with the date after the name ("Posted by David at December 16, 2025").
    Several names are "; "-separated."""
    for text in tree.xpath(_SIGNED_XPATH, namespaces={"re": "http://exslt.org/regular-expressions"}):
        if not text.is_text:  # a tail: text after an element, not inside one
            continue
        element = text.getparent()
        pieces = [" ".join(piece.split()) for piece in element.itertext() if piece.strip()]
        pieces[0] = _AUTHOR_PREFIX.sub("", pieces[0])
        labelled = len(pieces) == 1 and not pieces[0]
        dated = DATE.search(pieces[0]) if len(pieces) == 1 else None
        if labelled:  # <span>By</span><span>Name</span>, <p>Written by</p><p>Name - Role</p>
            following = element.xpath("following::text()[normalize-space()][1]")
            pieces = [_BYLINE_SEPARATOR.split(" ".join(following[0].split()))[0]] if following else []
        elif dated:  # "Posted by David at December 16, 2025 11:15 AM"
            pieces = [_BEFORE_DATE.sub("", pieces[0][: dated.start()])]
        names = [piece.strip(" ,") for piece in pieces if piece.strip(" ,&").lower() not in ("", "and")]
        # one word only after an explicit label or before a date: "Written by / Eliz", not "By Design"
        if names and all(_name_shaped(name, 1 if labelled or dated else 2) for name in names):
            return "; ".join(names)
    return None


def _name_shaped(name: str, least_words: int) -> bool:
    words = name.split()
    return (
        least_words <= len(words) <= 5
        and not name[0].islower()
        and not _NOT_A_NAME.match(name)
        and all(_NAME_WORD.match(word) for word in words)
    )


# a label glued to the name before it by the markup ("Korin MillerPublished: Jan 29, 2025"), or to the
# name after it ("ByKathryn Giuffrida")
_GLUED_LABEL = re.compile(
    rf"(?<=[a-z])(?=(?:Published|Updated|Posted|Last updated|On)\b)|^(?:{alternation(map(str.title, BY_LABELS))})(?=[A-Z][a-z])"
)


def name_in_byline(text: str) -> str | None:
    """The name a byline's text starts with: "By Jane Doe | May 3, 2025" -> "Jane Doe"."""
    text = _AUTHOR_PREFIX.sub("", _AUTHOR_PREFIX.sub("", _GLUED_LABEL.sub(lambda m: m[0] + " ", text)))
    if tail := _BYLINE_TAIL.search(text):
        text = text[: tail.start()]
    name = next((part.strip(" :,-") for part in _BYLINE_SEPARATOR.split(text) if part.strip()), "")
    if not 1 <= len(name.split()) <= 6 or len(name) > 60 or not any(ch.isalpha() for ch in name):
        return None
    return None if _NOT_A_NAME.match(name) else name


# "Mahua Das in Project Management": the post's section after the name
_IN_SECTION = re.compile(r"\s+in(?:\s.*)?$", re.IGNORECASE)
_PARTICLES = {"and", "van", "von", "der", "de", "la", "da", "di", "del", "le"}


def bio_names(author: str) -> list[str]:
    """The names an author's bio could open with: each author's full name ("Jane Doe", two words or
    more: a one-word author is as often the site or a login) and, for a person's name, its first word
    ("Jane has covered …"; not for acronyms: "QCY Official"). Not the last name alone: a report's last
    lines may name someone else of that name ("Doe was charged …")."""
    names = []
    for part in re.split(r"\s*(?:[,;&(]|\band\b)\s*", author):
        words = part.strip(" )").split()
        if len(words) < 2 or not _name_shaped(" ".join(words), 2):
            continue
        names.append(" ".join(words))
        if all((word[0].isupper() and not word.isupper()) or word in _PARTICLES for word in words):
            names.append(words[0])
    return names


_BY_LABEL = re.compile(rf"(?:{_BY})\s+\S", re.IGNORECASE)  # "by Jane Doe", not "Bytes"


@dataclass(frozen=True, slots=True)
class ShownByline:
    """The name a byline near the headline shows, and whether a "By" label introduces it."""

    name: str
    labelled: bool


def shown_byline(lines: list[str], headline: str | None) -> ShownByline | None:
    """A name in a byline line near the headline, for bylines no element marks: beside a date ("March
    15, 2022 · 3 min read · By ASU Online", "Dec 26, 2025 • Mahua Das in Project Management"), after
    a "By" label ("by Aoife O'Riordan", its date on the next line), or alone on the line before or after
    the first dated one ("Elliot Raba" / "23.07.2025 · 6 min read") where no line is labelled "By" (a
    "by jsteinhardt" line is the byline, and "AI Alignment Forum" beside its date something else).
    Stricter than other bylines (two words or more, each capitalised but for particles; no "&", which
    joins a section's words more often than names: "Wellness & Prevention"), and other lines are left
    alone: a short title-case line under a headline is as often a section or a tag as a name."""
    near = byline_lines(lines, headline)
    dated = next((i for i in near if DATE.search(lines[i])), None)
    if any(_BY_LABEL.match(lines[i].strip()) for i in near):  # the byline is the "By" line, whatever it names
        dated = None
    for i in near:
        line = lines[i].strip()
        if not DATE.search(line) and not _BY_LABEL.match(line):
            if dated is not None and abs(i - dated) == 1 and (names := _names_alone(line, headline, lines)):
                return ShownByline(names, labelled=False)
            continue
        for part in _BYLINE_SEPARATOR.split(DATE.sub(" | ", line)):
            name = _IN_SECTION.sub("", name_in_byline(part.strip()) or "")
            if _name_shaped(name, 2) and _capitalised(name):
                return ShownByline(name, labelled=bool(_BY_LABEL.match(part.strip()) or _BY_LABEL.match(line)))
    return None


def _capitalised(name: str) -> bool:
    return all(word[0].isupper() or word in _PARTICLES for word in name.split())


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _names_alone(line: str, headline: str | None, lines: list[str]) -> str | None:
    """The names a line of its own holds, "; "-separated, when each reads as a person's name, not a
    label, a section or a list of them: two or three capitalised words ("Elliot Raba"), none of which
    the page writes in lower case elsewhere (as it writes "comments" for "No Comments" or "technology"
    for "Patients and Families, Technology"): names are proper nouns in any cased script. A desk's
    word is the exception ("DianaHR Team"), not the whole ("Our Team"). Not the headline itself."""
    text = _AUTHOR_PREFIX.sub("", _GLUED_LABEL.sub(lambda m: m[0] + " ", line))
    names = [part.strip() for part in _BYLINE_SEPARATOR.split(text) if part.strip()]
    if not names or tokens(text) == tokens(headline or ""):
        return None
    if not all(2 <= len(name.split()) <= 3 and _name_shaped(name, 2) and _capitalised(name) for name in names):
        return None
    lower = {word for line in lines for word in _WORD.findall(line) if word[0].islower()}
    proper = {
        word.lower() for name in names for word in name.split() if not (word in _PARTICLES or _DESK.fullmatch(word))
    }
    return "; ".join(names) if proper and not proper & lower else None


def full_name(author: str | None, lines: list[str], headline: str | None) -> str | None:
    """A one-word author completed by a name line by the headline that starts with it: "Juliette", as
    an "Articles by Juliette" link gives it, is "Juliette Carreiro" under the headline."""
    if not author or " " in author:
        return author
    for i in byline_lines(lines, headline):
        if lines[i].startswith(author + " ") and (names := _names_alone(lines[i], headline, lines)):
            return names
    return author
