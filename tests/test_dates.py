from datetime import date

import pytest

from docclean.tasks.authors import ShownByline, shown_byline
from docclean.tasks.dates import original_date, publication_date, shown_dates, url_date
from docclean.tasks.extract import extract_record
from docclean.tasks.html import extract_html
from docclean.tasks.records import RawRecord

HEADLINE = "Ferry timetable changes from Monday"
BODY = "The harbour council said the new timetable adds two evening crossings on weekdays."


def page_lines(*byline: str, before: tuple[str, ...] = ("Home", "News")) -> list[str]:
    return [*before, HEADLINE, *byline, BODY]


def article_page(head: str = "", byline: str = "") -> str:
    """An HTML article page under HEADLINE: ``head`` in its <head>, ``byline`` between <h1> and text."""
    prose = " ".join([BODY] * 6)
    return (
        f"<html><head><title>{HEADLINE}</title>{head}</head><body><article><h1>{HEADLINE}</h1>{byline}"
        f"<p>{prose}</p><p>{prose}</p></article></body></html>"
    )


@pytest.mark.parametrize(
    "line, day",
    [
        ("By Ana Ruiz · March 9, 2026", date(2026, 3, 9)),
        ("Sept. 3rd, 2024 | 4 min read", date(2024, 9, 3)),
        ("21 Dec 2023", date(2023, 12, 21)),
        ("2026-03-09", date(2026, 3, 9)),
        ("Veröffentlicht am 9. März 2026", date(2026, 3, 9)),  # German
        ("09.03.2026 um 14:00", date(2026, 3, 9)),  # day first wherever dots are used
        ("Publicado el 12 de marzo de 2025", date(2025, 3, 12)),  # Spanish
        ("Publié le 1er mars 2024", date(2024, 3, 1)),  # French
        ("2025年3月12日 10:00", date(2025, 3, 12)),  # Japanese, Chinese
        ("BySarah July 30, 2019January 18, 2023", date(2019, 7, 30)),  # markup glued to the next date
    ],
)
def test_the_date_shown_beside_the_headline_is_read_in_its_forms_and_languages(line, day):
    assert shown_dates(page_lines(line), HEADLINE)[0] == day


def test_the_byline_is_read_by_the_headline_the_date_is_shown_beside():
    # the site's list of posts names the article first; its byline sits by the second showing, far below
    posts = ("Home", HEADLINE, *(f"Harbour notice {n}" for n in range(30)), "About")
    lines = page_lines("2025-12-17·", "Trond Teigen", before=posts)
    assert shown_dates(lines, HEADLINE) == [date(2025, 12, 17)]
    assert shown_byline(lines, HEADLINE) == ShownByline("Trond Teigen", labelled=False)


def test_the_shown_date_wins_when_the_metadata_disagrees():
    lines = page_lines("By Ana Ruiz", "October 8, 2024")
    assert publication_date("2016-07-01T09:00:00+00:00", lines, HEADLINE) == "2024-10-08"
    assert publication_date(None, lines, HEADLINE) == "2024-10-08"
    # the page shows the metadata's day, or one either side (time zones): the metadata stands, with its time
    assert publication_date("2024-10-08T09:30:00-04:00", lines, HEADLINE) == "2024-10-08T09:30:00-04:00"
    assert publication_date("2024-10-09T01:30:00+00:00", lines, HEADLINE) == "2024-10-09T01:30:00+00:00"
    assert publication_date("not a date", lines, HEADLINE) == "2024-10-08"


def test_several_shown_dates_keep_the_metadata_choice_among_them():
    lines = page_lines("Published March 2, 2025", "Edited for clarity March 5, 2025")
    assert publication_date("2025-03-05T08:00:00", lines, HEADLINE) == "2025-03-05T08:00:00"
    assert publication_date("2019-01-01", lines, HEADLINE) == "2025-03-02"  # neither: the first shown


@pytest.mark.parametrize(
    "byline",
    [
        ("Last updated: Dec 12, 2025",),
        ("Last updated:", "Dec 12, 2025"),  # the label in an element of its own
        ("Medically reviewed by Kim Rose — Updated on March 7, 2025",),
        ("Aktualisiert am 12.12.2025",),
        ("更新日 2025年12月12日",),
    ],
)
def test_a_date_labelled_as_an_update_is_not_the_publication_date(byline):
    assert shown_dates(page_lines(*byline), HEADLINE) == []
    assert publication_date("2024-02-27", page_lines(*byline), HEADLINE) == "2024-02-27"


def test_dates_away_from_the_headline_or_inside_sentences_are_not_shown_dates():
    teasers = [f"Teaser headline number {n}" for n in range(30)] + ["Harbour fees rise - November 27, 2025"]
    assert shown_dates([*page_lines(), *teasers], HEADLINE) == []
    sentence = "The nomination process is now open and runs through July 31, 2025 for every resident."
    assert shown_dates(page_lines(sentence), HEADLINE) == []
    # the headline's own element may hold the date too (the h1 loses it: see tasks.html)
    assert shown_dates(["Home", f"Dec 18, 2025 {HEADLINE}", BODY], HEADLINE) == [date(2025, 12, 18)]
    # digits glued to a date make it another number ("2025-11-0314 min read")
    assert shown_dates(page_lines("2025-11-0314 min read"), HEADLINE) == []
    # no headline among the lines: the top of a page is navigation, its dates are not the article's
    assert shown_dates(["Home", "June 1, 2025", BODY], HEADLINE) == []
    assert shown_dates(["Home", "June 1, 2025", BODY], None) == []


def test_an_html_page_and_a_plain_text_get_the_date_their_byline_shows(cfg):
    page = article_page(
        head="<meta property='article:published_time' content='2016-07-01T09:00:00+00:00'>",
        byline="<div class='meta'><span>By Ana Ruiz</span><span>October 8, 2024</span></div>",
    )
    assert extract_html(page, None, cfg.extraction).meta.published_at == "2024-10-08"
    prose = " ".join([BODY] * 6)
    text = "\n".join(["Home", HEADLINE, "By Ana Ruiz", "October 8, 2024", prose, prose])
    doc = extract_record(RawRecord("t", "mem://t.txt", "text", text, False), cfg)
    assert (doc.title, doc.published_at.date()) == (HEADLINE, date(2024, 10, 8))
    assert "October 8, 2024" not in doc.text


@pytest.mark.parametrize(
    "url, filed",
    [
        ("https://example.org/2025/12/20/book-beat/", (date(2025, 12, 20), date(2025, 12, 20))),
        ("https://example.org/blog/2025-12-17-release-notes", (date(2025, 12, 17), date(2025, 12, 17))),
        ("https://example.org/2025/6/9/story.html", (date(2025, 6, 9), date(2025, 6, 9))),
        ("https://example.org/2024/02/ferry-news", (date(2024, 2, 1), date(2024, 2, 29))),  # a month: all of it
        ("https://example.org/2025/12/", (date(2025, 12, 1), date(2025, 12, 31))),
        ("https://example.org/2025/02/30/no-such-day", (date(2025, 2, 1), date(2025, 2, 28))),
        ("https://example.org/top-10-phones-2025/", None),  # a year alone files nothing
        ("https://example.org/products/2025/13/x", None),  # no 13th month
        ("https://example.org/item?id=2025/12/20", None),  # the query is not the path
        ("https://example.org/20251220/story", None),
        (None, None),
    ],
)
def test_a_url_files_its_page_under_a_day_or_a_month(url, filed):
    assert url_date(url) == filed


def test_the_url_date_overrules_shown_dates_and_metadata_that_disagree_with_it():
    url = "https://example.org/2021/01/18/tool-choices"
    changelog = page_lines("Published on 2021-01-18", "2022-04-12 Link to a related post")
    assert publication_date("2021-01-18T19:55:00", changelog, HEADLINE, url=url) == "2021-01-18T19:55:00"
    # without the URL, the later shown date would win over the metadata
    assert publication_date("2023-01-01", page_lines("2022-04-12"), HEADLINE) == "2022-04-12"
    assert publication_date("2023-01-01", page_lines("2022-04-12"), HEADLINE, url=url) == "2021-01-18"
    # a month path: a shown date in that month still beats the metadata, one outside it does not
    month = "https://example.org/2025/12/book-beat"
    released = page_lines("Released: June 17, 2025 by Tor Books")
    assert publication_date("2025-12-20T03:00:00", released, HEADLINE, url=month) == "2025-12-20T03:00:00"
    shown = page_lines("December 19, 2025")
    assert publication_date("2025-12-01", shown, HEADLINE, url=month) == "2025-12-19"
    assert publication_date("2025-12-01", page_lines("November 20, 2025"), HEADLINE, url=month) == "2025-12-01"
    # metadata outside a month path stays: only a day path is precise enough to replace it
    assert publication_date("2014-01-01", page_lines(), HEADLINE, url=month) == "2014-01-01"


def test_the_declared_publication_date_replaces_a_modification_date_taken_for_it():
    published, modified = "2024-03-17T19:47:39+00:00", "2024-05-03T10:57:58+00:00"
    assert original_date("2024-05-03T10:57:58+0000", published, modified) == published
    assert original_date("2024-03-17T19:47:39+0000", published, modified) == "2024-03-17T19:47:39+0000"
    assert original_date("2023-01-01", published, modified) == "2023-01-01"  # found elsewhere: it stands
    assert original_date(modified, None, modified) == modified  # nothing better declared
    assert original_date(modified, modified, modified) == modified  # never changed


def test_a_day_and_month_read_the_wrong_way_round_give_way_to_the_machine_readable_date():
    machine = ["2023-10-12T19:38:01Z"]  # <time datetime=...>10/12/2023 7:38:01 PM</time>
    assert original_date("2023-12-10T00:00:00", None, None, machine) == machine[0]
    assert original_date("2023-12-10", "2023-10-12T08:00:00+00:00", None) == "2023-10-12T08:00:00+00:00"
    assert original_date("2023-12-10", None, None, ["2023-12-10T19:38:01Z"]) == "2023-12-10"  # they agree
    assert original_date("2023-12-10", None, None, ["2023-11-12T19:38:01Z"]) == "2023-12-10"  # not its swap
    assert original_date("2023-12-10", None, None) == "2023-12-10"  # nothing to read it against


def test_an_html_page_whose_time_element_the_extractor_misreads_gets_its_datetime(cfg):
    page = article_page(byline='<small><time datetime="2023-10-12T19:38:01Z">10/12/2023 7:38:01 PM</time></small>')
    assert extract_html(page, None, cfg.extraction).meta.published_at[:10] == "2023-10-12"


def test_an_html_page_that_declares_its_dates_gets_the_original_one(cfg):
    page = article_page(
        head="<meta property='article:modified_time' content='2024-05-03T10:57:58+00:00'>"
        '<script type="application/ld+json">{"@type": "Article", "datePublished": "2024-03-17T19:47:39+00:00",'
        '"dateModified": "2024-05-03T10:57:58+00:00"}</script>'
    )
    assert extract_html(page, None, cfg.extraction).meta.published_at[:10] == "2024-03-17"
    # a URL filed under another day overrules both, and the date the page shows beside its headline
    shown = page.replace("<p>", "<p>March 25, 2024</p><p>", 1)
    assert extract_html(shown, None, cfg.extraction).meta.published_at[:10] == "2024-03-25"
    assert (
        extract_html(shown, "https://example.org/2024/03/20/ferry", cfg.extraction).meta.published_at[:10]
        == "2024-03-20"
    )
