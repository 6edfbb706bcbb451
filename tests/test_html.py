from tasks.boilerplate import Cleaned
from tasks.config import Config
from tasks.extract import _fallback_to_visible
from tasks.html import clean_author, extract_html, headline


def test_headline_prefers_the_h1_that_agrees_with_the_title():
    assert headline(["Menu", "Libraries to stay open later"], "Libraries to stay open later | Gazette") == (
        "Libraries to stay open later"
    )
    # no h1 agrees: the first h1 of three words or more
    assert headline(["Blog", "Top MBA Programs of 2025"], "Business schools ranked") == "Top MBA Programs of 2025"
    # no h1: the title without the site name
    assert headline([], "How to book a flight - It's All Trip To Me") == "How to book a flight"
    assert headline([], None) is None


def test_clean_author():
    assert clean_author("By Jane Doe", None) == "Jane Doe"
    assert clean_author("Recipe by PJ Hamel", None) == "PJ Hamel"
    assert clean_author("Supermove February 8", None) == "Supermove"
    assert clean_author("Haley Hoekstra • March", None) == "Haley Hoekstra"
    assert clean_author("Gazette; Maria Lopez", "Gazette") == "Maria Lopez"  # the site is not an author
    assert clean_author("Theresa May", None) == "Theresa May"
    assert clean_author("Maria; Katerina", None) == "Maria; Katerina"
    assert clean_author("2025-01-01", None) is None


def test_visible_text_is_kept_beside_the_extraction(cfg):
    page = "<html><head><script>var x=1;</script></head><body><nav><a>Home</a></nav><p>One line.</p></body></html>"
    result = extract_html(page, None, cfg.extraction)
    assert result.visible.splitlines() == ["Home", "One line."]


PROSE = (
    "The council said on Tuesday that it would extend the opening hours of all the public libraries in the city, "
    "because many of the people who use them work during the day and cannot visit before the evening."
)


def test_fallback_to_the_visible_text_only_when_the_extractor_missed_most_of_it():
    visible = "\n".join(["Home", *[PROSE] * 6, "Contact us"])
    missed = Cleaned(lines=[PROSE])  # the extractor kept one paragraph of six
    chosen = _fallback_to_visible(missed, visible, None, Config())
    assert chosen.lines == [PROSE] * 6
    kept = Cleaned(lines=[PROSE] * 5)
    assert _fallback_to_visible(kept, visible, None, Config()) is kept


def _tree(body: str):
    from trafilatura.utils import load_html

    return load_html(f"<html><body>{body}</body></html>")


def test_byline_author_reads_the_byline_the_reader_sees():
    from tasks.html import byline_author

    assert byline_author(_tree('<div class="post-byline">By Jane Doe | May 3, 2025</div>')) == "Jane Doe"
    assert byline_author(_tree('<span class="author vcard">Written by <a>Tom Li</a></span>')) == "Tom Li"
    assert byline_author(_tree('<p class="autor-byline">Von Anna Schmidt, 3. Mai 2025</p>')) == "Anna Schmidt"
    assert byline_author(_tree('<a rel="author">Por María López</a>')) == "María López"
    # a comment's author, an author box's biography, a share widget: not the byline
    assert byline_author(_tree('<div class="comment-author">Troll99 says:</div>')) is None
    assert byline_author(_tree('<div class="author-bio">Jane writes about cities and their libraries.</div>')) is None
    assert byline_author(_tree('<div class="author">Share</div><p>No byline here.</p>')) is None


def test_the_byline_is_the_author_when_the_metadata_has_none(cfg):
    page = (
        "<html><head><title>Libraries to stay open later</title></head><body><article>"
        "<h1>Libraries to stay open later</h1><div class='byline'>By Jane Doe · 3 May 2025</div>"
        f"<p>{PROSE}</p></article></body></html>"
    )
    assert extract_html(page, None, cfg.extraction).meta["author"] == "Jane Doe"
    with_meta = page.replace("<head>", "<head><meta name='author' content='Maria Lopez'>")
    assert extract_html(with_meta, None, cfg.extraction).meta["author"] == "Maria Lopez"  # metadata first
