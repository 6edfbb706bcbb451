from datetime import date

import pytest

from tasks.dates import publication_date, shown_dates
from tasks.extract import extract_record
from tasks.html import extract_html
from tasks.records import RawRecord

HEADLINE = "Ferry timetable changes from Monday"
BODY = "The harbour council said the new timetable adds two evening crossings on weekdays."


def page_lines(*byline: str, before: tuple[str, ...] = ("Home", "News")) -> list[str]:
    return [*before, HEADLINE, *byline, BODY]


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
    prose = " ".join([BODY] * 6)
    page = (
        f"<html><head><title>{HEADLINE}</title>"
        "<meta property='article:published_time' content='2016-07-01T09:00:00+00:00'></head>"
        f"<body><article><h1>{HEADLINE}</h1><div class='meta'><span>By Ana Ruiz</span>"
        f"<span>October 8, 2024</span></div><p>{prose}</p><p>{prose}</p></article></body></html>"
    )
    assert extract_html(page, None, cfg.extraction).meta["date"] == "2024-10-08"
    text = "\n".join(["Home", HEADLINE, "By Ana Ruiz", "October 8, 2024", prose, prose])
    doc = extract_record(RawRecord("t", "mem://t.txt", "text", text, False), cfg)
    assert (doc.title, doc.published_at.date()) == (HEADLINE, date(2024, 10, 8))
    assert "October 8, 2024" not in doc.text
