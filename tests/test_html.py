import gzip

import pytest

from docclean.tasks.authors import (
    AuthorEvidence,
    ShownByline,
    author_evidence,
    byline_author,
    clean_author,
    full_name,
    misread_author,
    names_person,
    page_author,
    shown_byline,
)
from docclean.tasks.boilerplate import Cleaned
from docclean.tasks.config import Config
from docclean.tasks.decode import RejectError
from docclean.tasks.extract import _fallback_to_visible, extract_record
from docclean.tasks.html import extract_html
from docclean.tasks.metadata import SHOWN_DATE, Metadata, document_metadata, html_metadata
from docclean.tasks.records import RawRecord, RejectReason
from docclean.tasks.text import word_count
from docclean.tasks.titles import h1_texts, headline
from docclean.tasks.visible import visible_text_of


def test_headline_prefers_the_h1_that_agrees_with_the_title():
    assert headline(["Menu", "Libraries to stay open later"], "Libraries to stay open later | Gazette") == (
        "Libraries to stay open later"
    )
    # no h1 agrees: the h1 if it is the only one (three words or more), else the title
    assert headline(["Top MBA Programs of 2025"], "Business schools ranked") == "Top MBA Programs of 2025"
    assert headline(["Blog"], "Business schools ranked") == "Business schools ranked"
    widgets = ["Open Menu Close Menu", "Webcams"]
    assert headline(widgets, "Webcams - Yosemite National Park (U.S. National Park Service)") == (
        "Yosemite National Park (U.S. National Park Service)"
    )
    assert headline(["Contact Us", "Return to Nationwide Website"], "Smart Home Concerns") == "Smart Home Concerns"
    assert headline(["Return to Nationwide Website"] * 2, "Smart Home Concerns") == "Return to Nationwide Website"
    # a lead-in and a paragraph set in an <h1> are not headlines
    assert headline(["A message from our co-founder:"], "Cloud inference at scale") == "Cloud inference at scale"
    summary = "Learn which home renovations have the best return on investment and get expert tips on how to plan your next project well"
    assert headline([summary], "The 10 Best Home Improvement ROI Projects | RenoFi") == (
        "The 10 Best Home Improvement ROI Projects"
    )
    assert headline([summary], None) is None
    # no h1: the title without the site name
    assert headline([], "How to book a flight - It's All Trip To Me") == "How to book a flight"
    assert headline([], None) is None
    # an h1 that names the site (a blog's name above every post) is not the headline
    assert headline(["Human in the Loop"], "AI Trains on Your Art — Human in the Loop") == "AI Trains on Your Art"
    assert headline(["Recycle by City"], "Zero Waste 101", site="Recycle by City") == "Zero Waste 101"
    # a site name that repeats the title says nothing about the h1
    full = "15 Apps Compared - Personally Tested"
    assert headline([full], full, site=full) == full


def test_short_labels_after_a_bar_in_the_h1_are_not_the_headline():
    sleep = "How to help babies, toddlers sleep through the night"
    assert headline([f"{sleep} | Patient Education | UC Davis Children's Hospital"], None) == sleep
    meditation = "How meditation rewires brains and improves physical health"
    assert headline([f"{meditation} | Opinion"], f"{meditation} | Opinion") == meditation
    # a long part after the bar is the headline's own subtitle; a short headline keeps its label
    cameras = "Top 10 Digital Cameras of 2025 | The Best Mirrorless Cameras on the Market"
    assert headline([cameras], cameras) == cameras
    assert headline(["Ask Amy | Advice"], "Ask Amy | Advice") == "Ask Amy | Advice"


def test_an_h1_written_as_a_host_name_names_the_site():
    assert headline(["davidbau.com"], "davidbau.com Vibe Coding") == "Vibe Coding"
    assert headline(["davidbau.com", "Vibe Coding"], "davidbau.com Vibe Coding") == "Vibe Coding"
    assert headline(["Node.js"], "Node.js — Run JavaScript Everywhere") == "Node.js"


def test_the_pages_own_og_title_chooses_among_its_h1s(cfg):
    """trafilatura's title for this page shape (extraction-dev 0384) is the karma widget's <h1>; og:title
    names the article when <title> names only the site."""
    head = "<title>LessWrong</title>" + (
        '<meta property="og:title" content="Scalable End-to-End Interpretability — LessWrong">'
    )
    widgets = "<h1>94</h1><h1>Ω 48</h1>"
    body = f"{widgets}<article><h1>Scalable End-to-End Interpretability</h1><p>{PROSE}</p></article>{widgets}"
    page = f"<html><head>{head}</head><body>{body}</body></html>"
    assert extract_html(page, None, cfg.extraction).meta.title == "Scalable End-to-End Interpretability"
    # a blog's name in the <h1>, the post's title only in <title> (extraction-dev 0389)
    blog = "<html><head><title>Progress Report #39</title></head><body><h1>Antoyo's Blog</h1>"
    blog += f"<h2>Progress Report #39</h2><p>{PROSE}</p></body></html>"
    assert extract_html(blog, None, cfg.extraction).meta.title == "Progress Report #39"


def test_the_h1_loses_the_date_label_and_posted_line_templates_put_in_it():
    h1s = "".join(
        f"<h1>{text}</h1>"
        for text in (
            "Dec 18 2025 Preparing a transition",
            "December 18, 2025 — Big news",
            "Blog: Best Social Media Agencies",
            "Top Strategies for Blockchain Posted on March 3 by Admin",
            "Review: The new ferry",  # a label that may belong to the headline stays
            "Posted",
        )
    )
    assert h1_texts(_tree(h1s)) == [
        "Preparing a transition",
        "Big news",
        "Best Social Media Agencies",
        "Top Strategies for Blockchain",
        "Review: The new ferry",
        "Posted",
    ]


def test_clean_author():
    assert clean_author("By Jane Doe", None) == "Jane Doe"
    assert clean_author("Recipe by PJ Hamel", None) == "PJ Hamel"
    assert clean_author("Supermove February 8", None) == "Supermove"
    assert clean_author("Haley Hoekstra • March", None) == "Haley Hoekstra"
    assert clean_author("Gazette; Maria Lopez", "Gazette") == "Maria Lopez"  # the site beside a person is not
    assert clean_author("Gazette", "Gazette") == "Gazette"  # a site that signs alone is the author
    assert clean_author("Theresa May", None) == "Theresa May"
    assert clean_author("Maria; Katerina", None) == "Maria; Katerina"
    assert clean_author("2025-01-01", None) is None
    # dates, labels and job titles that markup glues to a name; placeholders a template left unfilled
    assert clean_author("Luke Kim December", None) == "Luke Kim"
    assert clean_author("Help Net Security Sponsored", None) == "Help Net Security"
    assert clean_author("Mateusz Haberny Founder", None) == "Mateusz Haberny"
    assert clean_author("Read more about The Upwork Team", None) == "The Upwork Team"
    assert clean_author("Ana &amp; Bo", None) == "Ana & Bo"
    placeholders = (
        "page.head.extra.author",
        "Page Head Extra Author",
        "{{author}}",
        "About the Author",
        "Name",
        "undefined",
    )
    for not_a_name in ("Updated January", "Sat", "Dec", "October", *placeholders):
        assert clean_author(not_a_name, None) is None, not_a_name
    # the site's words after a comma, a profile link beside the name
    two = "Manoj Jain and Jagpreet Chhatwal"
    assert clean_author(f"{two}, The Commercial Appeal", "Memphis Commercial Appeal") == two
    assert clean_author(f"{two}, Lyon", "Memphis Commercial Appeal") == f"{two}, Lyon"
    assert clean_author("Arlene Marturano; Garden-based Learning Network on Facebook", None) == "Arlene Marturano"
    # prose is not a name; a name with a role or an organisation's name is
    assert clean_author("Lauren Vetter Lauren Vetter is a growth-focused marketing professional", None) is None
    for named in ("Center for Drug Evaluation and Research", "Agatha Caleo, Candidate Representative to the Board"):
        assert clean_author(named, None) == named


def test_visible_text_is_kept_beside_the_extraction(cfg):
    page = "<html><head><script>var x=1;</script></head><body><nav><a>Home</a></nav><p>One line.</p></body></html>"
    result = extract_html(page, None, cfg.extraction)
    assert result.visible.splitlines() == ["Home", "One line."]


def test_the_balanced_mode_is_asked_when_favor_recall_kept_little_of_the_page(cfg):
    """On this real page (extraction-dev 0073) trafilatura's favor_recall keeps the first section only
    (510 words); its balanced mode reads the whole article (1,629), sections that follow included."""
    from bench.extraction import DATA

    path = DATA / "html" / "0073.html.gz"
    if not path.exists():
        pytest.skip(f"development data not found at {DATA}")
    html = gzip.decompress(path.read_bytes()).decode("utf-8")
    result = extract_html(html, "https://nutritionsource.hsph.harvard.edu/healthy-eating-plate/", cfg.extraction)
    assert "Your Plate and the Planet" in result.text
    assert len(result.text.split()) > 1200


PROSE = (
    "The council said on Tuesday that it would extend the opening hours of all the public libraries in the city, "
    "because many of the people who use them work during the day and cannot visit before the evening."
)


def test_the_visible_text_stands_in_only_when_the_extractor_found_next_to_nothing():
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    paragraphs = [PROSE.replace("Tuesday", day) for day in days]
    visible = "\n".join(["Home", *paragraphs, "Contact us"])
    assert _fallback_to_visible(Cleaned(lines=[]), visible, None, None, Config()).lines == paragraphs
    assert _fallback_to_visible(Cleaned(lines=["Tuesday"]), visible, None, None, Config()).lines == paragraphs
    kept = Cleaned(lines=paragraphs[:1])  # one paragraph of six is an article: the extractor's answer stands
    assert _fallback_to_visible(kept, visible, None, None, Config()) is kept


def test_a_short_story_on_a_portal_page_keeps_the_extractors_answer():
    """The portal's other prose (teasers with a sentence each) is far more than the story, and is not
    the article's."""
    story = [PROSE, PROSE.replace("libraries", "swimming pools")]
    menu = [f"Section {n}" for n in range(12)]
    teasers = [PROSE.replace("council", f"ministry number {n}") for n in range(10)]
    visible = "\n".join([*menu, "Local news", *story, *menu, *teasers, *menu])
    kept = Cleaned(lines=story)
    assert _fallback_to_visible(kept, visible, None, None, Config()).lines == story


def _tree(body: str, head: str = ""):
    from trafilatura.utils import load_html

    return load_html(f"<html><head>{head}</head><body>{body}</body></html>")


def test_byline_author_reads_the_byline_the_reader_sees():
    assert byline_author(_tree('<div class="post-byline">By Jane Doe | May 3, 2025</div>')) == "Jane Doe"
    assert byline_author(_tree('<span class="author vcard">Written by <a>Tom Li</a></span>')) == "Tom Li"
    assert byline_author(_tree('<p class="autor-byline">Von Anna Schmidt, 3. Mai 2025</p>')) == "Anna Schmidt"
    assert byline_author(_tree('<a rel="author">Por María López</a>')) == "María López"
    # a label the markup glued to the name
    assert byline_author(_tree('<div class="byline">By Korin MillerPublished: Jan 29, 2025</div>')) == "Korin Miller"
    # a comment's author, an author box's biography, a share widget: not the byline
    assert byline_author(_tree('<div class="comment-author">Troll99 says:</div>')) is None
    assert byline_author(_tree('<div class="author-bio">Jane writes about cities and their libraries.</div>')) is None
    assert byline_author(_tree('<div class="author">Share</div><p>No byline here.</p>')) is None


def test_a_line_that_starts_with_by_is_a_byline_without_a_class():
    assert byline_author(_tree("<h1>Keyboards</h1><p>By Jerry Chu</p>")) == "Jerry Chu"
    assert byline_author(_tree("<div><span>By</span><span>Daryl Austin</span></div>")) == "Daryl Austin"
    assert byline_author(_tree("<li>by <a href='#'>Marketing Team</a></li>")) == "Marketing Team"
    assert byline_author(_tree("<p>Von Anna Schmidt</p>")) == "Anna Schmidt"
    assert byline_author(_tree("<p>Written by Meghan Neville</p>")) == "Meghan Neville"
    # several names, each in its own element: one author each
    two = "<p>Written by <a href='/a/1'>Emily Walker</a><a href='/a/2'>Casey McDevitt</a></p>"
    assert byline_author(_tree(two)) == "Emily Walker; Casey McDevitt"
    assert byline_author(_tree("<p>By <a>Ana Ruiz</a> and <a>Li Wei</a></p>")) == "Ana Ruiz; Li Wei"
    # the label alone, the name in the next element (a one-word name too, its role cut off)
    assert byline_author(_tree("<p>Article written by:</p><p>Doris Munoz</p>")) == "Doris Munoz"
    assert byline_author(_tree("<div><span>Written by</span></div><div>Eliz - Product marketer</div>")) == "Eliz"
    assert byline_author(_tree("<p>Written by</p><p>Admin</p>")) is None
    # a signature with its date (a blog's "Posted by"): a one-word name too, the date and time cut off
    assert byline_author(_tree("<span>Posted by David at December 16, 2025 11:15 AM</span>")) == "David"
    assert byline_author(_tree("<p>By Ana Ruiz on 3 May 2025</p>")) == "Ana Ruiz"
    assert byline_author(_tree("<p>By 2025, libraries will open later.</p>")) is None
    # a menu's "By Use Case", a sentence that starts with "By": not bylines
    assert byline_author(_tree("<nav><ul><li>By Use Case</li></ul></nav>")) is None
    assert byline_author(_tree("<footer><h3>By Ovolo Collective</h3></footer>")) is None  # the site's credit
    assert byline_author(_tree("<p>By clicking subscribe, you agree to our terms.</p>")) is None
    assert byline_author(_tree("<p>By the way, this is not a name at all</p>")) is None


def test_structured_metadata_names_the_author_first():
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "Book", "author": "Someone Else"},'
        '{"@type": ["NewsArticle"], "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"name": "Bo Li"}]}]}'
        "</script>"
    )
    meta = '<meta name="author" content="Zach">'
    twitter = '<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Chase Bernath">'
    assert (
        author_evidence(_tree("<p>Text.</p>", ld + meta + twitter)).structured == "Ana Ruiz; Bo Li"
    )  # the article's, not the book's
    assert author_evidence(_tree("<p>Text.</p>", meta + twitter)).structured == "Chase Bernath"
    assert (
        author_evidence(_tree("<p>Text.</p>", meta)).structured == "Zach"
    )  # one word is a name too (trafilatura drops it)
    broken = '<script type="application/ld+json">{"@type": "Article", "author": </script>'
    assert author_evidence(_tree("<p>Text.</p>", broken + meta)).structured == "Zach"
    # none: the byline, then a link to the site's author page
    evidence = author_evidence(_tree('<p>Text.</p><a href="/authors/trevor-jackins">Trevor Jackins</a>'))
    assert (evidence.structured, evidence.byline, evidence.link) == (None, None, "Trevor Jackins")


def test_a_wordpress_data_layer_names_the_author_when_nothing_else_does(cfg):
    layer = (
        '<script>var dataLayer_content = {"pagePostType":"post","pagePostAuthor":"Kryst\\u00fdna Nov\\u00e1"};</script>'
    )
    page = f"<html><head>{layer}</head><body><article><h1>Libraries to stay open later</h1><p>{PROSE}</p></article></body></html>"
    assert extract_html(page, None, cfg.extraction).meta.author == "Krystýna Nová"
    # the last resort: any other source names the author first
    signed = page.replace("<article>", "<article><div class='byline'>By Jane Doe</div>")
    assert extract_html(signed, None, cfg.extraction).meta.author == "Jane Doe"


def test_the_name_heading_an_author_box_whose_bio_opens_with_it_is_the_author(cfg):
    box = (
        "<div class='blog_author-box'><img alt='Lauren Vetter' src='/a.jpg'><div>Lauren Vetter</div>"
        "<p>Lauren Vetter is a growth-focused marketing professional who writes about clinics.</p></div>"
    )  # trafilatura's byline search returns the whole box: a sentence, not a name
    page = f"<html><body><article><h1>Libraries to stay open later</h1><p>{PROSE}</p>{box}</article></body></html>"
    assert extract_html(page, None, cfg.extraction).meta.author == "Lauren Vetter"
    # a box whose bio does not open with the name: a heading such as "Expert Verified", not a name
    label = box.replace("<div>Lauren Vetter</div>", "<div>Expert Verified</div>")
    assert extract_html(page.replace(box, label), None, cfg.extraction).meta.author is None


def test_a_person_in_the_byline_wins_over_metadata_that_names_only_the_site(cfg):
    site = '<meta property="og:site_name" content="USA TODAY">'
    signed = site + '<meta name="author" content="USA TODAY">'
    byline = '<p>Text.</p><div class="byline">By Brian Truitt USA TODAY</div>'
    evidence = author_evidence(_tree(byline, signed))
    assert (evidence.structured, evidence.byline) == ("USA TODAY", "Brian Truitt USA TODAY")
    assert page_author(evidence, "USA TODAY", "USA TODAY").value == "Brian Truitt"  # the site's name after it cut
    # words of the site's name are the site too: a person named later still wins
    assert page_author(AuthorEvidence("Human in the Loop", None, "Tim Green"), "Human", "Human in the Loop").value == (
        "Tim Green"
    )
    # a site that signs alone stays the author; a person in the metadata needs no byline
    assert page_author(author_evidence(_tree("<p>Text.</p>", signed)), None, "USA TODAY").value == "USA TODAY"
    person = author_evidence(_tree(byline, site + '<meta name="author" content="Ana Ruiz">'))
    assert (person.structured, person.byline) == ("Ana Ruiz", None)


@pytest.mark.parametrize("signature", ["kffnirmitap", "Aidoc Staff", "David Jackson - FullStack Editorial Team"])
def test_a_login_or_a_desk_gives_way_to_a_person_named_later(signature):
    assert page_author(AuthorEvidence(signature, None, None), "Nirmita Panchal", None).value == "Nirmita Panchal"
    # named alone, it stays: many companies sign as a team
    assert page_author(AuthorEvidence(signature, None, None), None, None).value == signature
    # a person named first keeps the place
    assert page_author(AuthorEvidence("Ana Ruiz", None, None), signature, None).value == "Ana Ruiz"


def test_a_login_reworded_by_trafilatura_is_the_login_still():
    assert page_author(AuthorEvidence("q_admin"), "Q Admin", None).value == "q_admin"
    assert page_author(AuthorEvidence("q_admin"), "Nirmita Panchal", None).value == "Nirmita Panchal"


def _authors_with_and_without_metadata(byline: str, cfg: Config) -> tuple[str, str]:
    """The author of a page whose byline element is ``byline``, without and with <meta name=author>."""
    page = (
        "<html><head><title>Libraries to stay open later</title></head><body><article>"
        f"<h1>Libraries to stay open later</h1>{byline}<p>{PROSE}</p></article></body></html>"
    )
    with_meta = page.replace("<head>", "<head><meta name='author' content='Maria Lopez'>")
    return tuple(extract_html(html, None, cfg.extraction).meta.author for html in (page, with_meta))


def test_scholarly_citation_tags_name_every_author_first_name_first(cfg):
    head = "".join(f'<meta name="citation_author" content="{n}">' for n in ("Roy, Aniruddha", "Patel, Jyoti", "Li Wei"))
    page = f"<html><head>{head}</head><body><article><h1>AlignMerge</h1><p>{PROSE}</p></article></body></html>"
    assert extract_html(page, None, cfg.extraction).meta.author == "Aniruddha Roy; Jyoti Patel; Li Wei"


def test_a_readers_comment_does_not_sign_the_page(cfg):
    # trafilatura's byline search reads the comment's heading, a login it turns into "Fullysecret"
    comment = "<ol><li class='comment'><div class='wp-block-comment-author-name'>fullysecret1dbb6551f4</div>"
    page = (
        f"<html><body><article><h1>Libraries to stay open later</h1>{{byline}}<p>{PROSE}</p><p>{PROSE}</p>"
        f"</article>{comment}<p>Great news for students.</p></li></ol></body></html>"
    )
    assert extract_html(page.format(byline=""), None, cfg.extraction).meta.author is None
    signed = page.format(byline="<p class='byline'>By Sir Nuno</p>")
    assert extract_html(signed, None, cfg.extraction).meta.author == "Sir Nuno"
    assert misread_author(_tree(signed), "Fullysecret") and not misread_author(_tree(signed), "Sir Nuno")


def test_a_link_to_a_sections_posts_does_not_sign_the_page(cfg):
    topic = "<a id='author-modal' href='/resources/blog/?content_topic=906'>HR Strategy</a>"
    page = f"<html><body><article><h1>Libraries to stay open later</h1>{{byline}}<p>{PROSE}</p><p>{PROSE}</p>"
    page += "</article></body></html>"
    assert extract_html(page.format(byline=topic), None, cfg.extraction).meta.author is None
    signed = page.format(byline=topic + "<div class='author'>Paycom Blog Contributor Paycom Blog Contributor</div>")
    assert extract_html(signed, None, cfg.extraction).meta.author == "Paycom Blog Contributor"  # shown twice
    assert byline_author(
        _tree(topic.replace("content_topic=906", "author=jane").replace("HR Strategy", "Jane Doe"))
    ) == ("Jane Doe")


def test_the_byline_is_the_author_when_the_metadata_has_none(cfg):
    byline = "<div class='byline'>Jane Doe · 3 May 2025</div>"
    assert _authors_with_and_without_metadata(byline, cfg) == ("Jane Doe", "Maria Lopez")  # metadata first
    # unless the byline is a "By" line under the headline: readers take it for the author
    signed = "<div class='byline'>By Jane Doe · 3 May 2025</div>"
    assert _authors_with_and_without_metadata(signed, cfg) == ("Jane Doe", "Jane Doe")


def test_trafilaturas_byline_search_is_asked_when_no_structured_source_names_a_person(cfg):
    # only trafilatura's byline search reads a "writer" paragraph; metadata naming a person makes it moot
    assert _authors_with_and_without_metadata("<p class='writer'>Jane Doe</p>", cfg) == ("Jane Doe", "Maria Lopez")
    assert names_person(AuthorEvidence("Maria Lopez", None, None), "Harbour Herald")
    assert not names_person(AuthorEvidence("Harbour Herald", None, None), "Harbour Herald")  # the site
    assert not names_person(AuthorEvidence(None, "Jane Doe", None), None)  # a byline is not structured


def test_page_metadata_reads_each_field_and_says_where_it_was_found():
    head = (
        '<meta property="og:site_name" content="Harbour Herald"><meta property="article:tag" content="ferries">'
        '<meta property="article:published_time" content="2025-03-04T08:30:00+01:00">'
        '<link rel="canonical" href="https://herald.example/news/ferry-fares">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Ana Ruiz"}}</script>'
        "<title>Ferry fares rise again this spring | Harbour Herald</title>"
    )
    tree = _tree(f"<article><h1>Ferry fares rise again this spring</h1><p>{PROSE}</p></article>", head)
    meta = html_metadata(tree, None, visible_text_of(tree).split("\n"))
    assert (meta.title, meta.author, meta.site, meta.tags, meta.url) == (
        "Ferry fares rise again this spring",
        "Ana Ruiz",
        "Harbour Herald",
        ["ferries"],
        "https://herald.example/news/ferry-fares",
    )
    assert meta.published_at.startswith("2025-03-04T08:30:00")
    assert meta.sources == {
        "title": "<h1>",
        "author": "JSON-LD",
        "site": "site name",
        "tags": "meta tags",
        "url": "canonical link",
        "published_at": "htmldate",
    }
    # the date shown by the headline overrules a declared one that disagrees
    shown = _tree(f"<h1>Ferry fares rise again this spring</h1><p>March 9, 2025</p><p>{PROSE}</p>", head)
    meta = html_metadata(shown, "https://herald.example/a", visible_text_of(shown).split("\n"))
    assert (meta.published_at, meta.sources["published_at"], meta.url) == (
        "2025-03-09",
        SHOWN_DATE,
        "https://herald.example/a",
    )
    # nothing declared: the title tag without the site's name, the URL's domain as the site, tag links
    bare = _tree(
        f"<p>{PROSE}</p><div class='tags'><a href='/tag/ferries'>ferries</a></div>",
        "<title>Ferry fares rise | Herald</title>",
    )
    meta = html_metadata(bare, "https://www.herald.example/a", visible_text_of(bare).split("\n"))
    assert (meta.title, meta.site, meta.tags, meta.author, meta.published_at) == (
        "Ferry fares rise",
        "herald.example",
        ["ferries"],
        None,
        None,
    )
    assert meta.sources["title"] == "og:title or <title>"


def test_a_records_own_fields_win_and_the_text_fills_the_rest():
    found = Metadata(title="Page title", author="Ana Ruiz", site="Herald", tags=["a, b"])
    found.sources.update(title="<h1>", author="JSON-LD", site="site name", tags="meta tags")
    meta = document_metadata(
        found,
        url="https://www.herald.example/x",
        title="Scraper's title",
        published_at=None,
        text_title="First line",
        text_author="Bo Li",
        text_tags=["b", "c"],
    )
    assert (meta.title, meta.author, meta.site, meta.tags) == ("Scraper's title", "Ana Ruiz", "Herald", ["a", "b", "c"])
    assert meta.sources == {
        "url": "input",
        "title": "input",
        "author": "JSON-LD",
        "site": "site name",
        "tags": "meta tags + text",
    }
    bare = document_metadata(
        Metadata(), url="https://www.herald.example/x", title=None, published_at=None, text_title="First line",
        text_author="Bo Li", text_tags=[],
    )  # fmt: skip
    assert (bare.title, bare.author, bare.site, bare.tags) == ("First line", "Bo Li", "herald.example", [])
    assert bare.sources == {"url": "input", "title": "first line", "author": "byline line", "site": "URL"}


@pytest.mark.parametrize(
    "byline, name",
    [
        ("March 15, 2022 · 3 min read · By ASU Online", "ASU Online"),
        ("Dec 26, 2025 • Mahua Das in Project Management", "Mahua Das"),  # the section after it cut
        ("Dec 17, 2025Julian K. Arni", "Julian K. Arni"),  # glued by the markup
        ("May 18, 2023 By Sara Harberson In", "Sara Harberson"),
        ("ByKathryn GiuffridaMar 5, 2025 | 6 comments", "Kathryn Giuffrida"),
        ("12.03.2025 · Chen Zhao and Daryl Fairweather", "Chen Zhao and Daryl Fairweather"),
        ("Piet van der Berg | 2025-03-12", "Piet van der Berg"),
        ("by Meaghan Weeden ● December 23, 2025 ● 6 min read", "Meaghan Weeden"),  # bullets separate too
        ("by Aoife O'Riordan", "Aoife O'Riordan"),  # no date, but labelled
        ("Von Anna Schmidt", "Anna Schmidt"),
        # not names: a section, a label, a changelog entry, reading time, one word
        ("March 20, 2023 | Wellness & Prevention", None),
        ("Posted on March 20, 2023", None),
        ("2022-04-12 Link to Choosing Software", None),
        ("Reading time 5 min · March 20, 2023", None),
        ("March 20, 2023 · Politics", None),
        # a name with neither a date beside it nor a label is not taken: under a headline it is as
        # often a section; nor is a label followed by no name
        ("Table Of Contents", None),
        ("By the Numbers", None),
        ("By Design", None),
    ],
)
def test_a_name_beside_the_date_or_a_by_label_under_the_headline_is_the_author(byline, name):
    lines = ["Home", "Libraries to stay open later", byline, PROSE]
    shown = shown_byline(lines, "Libraries to stay open later")
    assert (shown.name if shown else None) == name
    assert shown_byline(lines, "Another headline entirely") is None  # no headline, no byline


@pytest.mark.parametrize(
    "byline, name",
    [
        (["Elliot Raba", "23.07.2025 · 6 min read"], "Elliot Raba"),
        (["2025-12-17·", "Trond Teigen"], "Trond Teigen"),  # the name after the date
        (["Jürgen Müller", "12.03.2025"], "Jürgen Müller"),
        (
            ["Naftali Tishby, Fernando C. Pereira, William Bialek", "24 Apr 2000"],
            ("Naftali Tishby; Fernando C. Pereira; William Bialek"),
        ),
        (["ByTrevor Jones", "Jan 12, 2026"], "Trevor Jones"),  # a label glued on by the markup
        (["DianaHR Team", "Feb 16, 2026", "Our team reviewed five tools."], "DianaHR Team"),  # a desk
        # not names: words the page also writes in lower case (a label, a section list), one word, a
        # name by a later date (an events list), a line not beside the date
        (["March 3, 2025", "Copy Link", "Tap the link to copy it."], None),
        (["December 24, 2024", "Patients and Families, Technology", "New technology helps them."], None),
        (["Elliot", "23.07.2025"], None),
        (["Editorial Team", "23.07.2025", "The editorial team"], None),
        (["March 16, 2026", "Fabcon", "Atlanta", "March 20, 2026", "Nvidia Gtc"], None),
        (["Elliot Raba", "Share", "23.07.2025"], None),
        # a "By" line is the byline, though it names a login: a name beside the date is something else
        (["by jsteinhardt", "18th Dec 2025", "Alignment Forum"], None),
    ],
)
def test_a_name_alone_beside_the_first_dated_line_under_the_headline_is_the_author(byline, name):
    lines = ["Home", "Libraries to stay open later", *byline, PROSE]
    assert shown_byline(lines, "Libraries to stay open later") == (ShownByline(name, False) if name else None)


def test_a_short_headline_beside_its_date_is_not_its_own_author():
    assert shown_byline(["Home", "Harbour Ferries", "March 3, 2025", PROSE], "Harbour Ferries") is None


def test_a_first_name_is_completed_by_the_name_shown_by_the_headline():
    headline = "Libraries to stay open later"
    lines = ["Home", headline, "Juliette Carreiro", "Tech Writer", "Articles by Juliette", PROSE]
    assert full_name("Juliette", lines, headline) == "Juliette Carreiro"
    assert full_name("Sarah", lines, headline) == "Sarah"  # no name starts with it
    assert full_name("Maria Lopez", lines, headline) == "Maria Lopez"
    # a line that starts with the word but is no name: its words are common words on the page
    later = ["Home", headline, "Opening Hours Extended", PROSE.replace("opening hours", "extended opening hours")]
    assert full_name("Opening", later, headline) == "Opening"


def test_a_by_line_under_the_headline_overrules_metadata_that_names_someone_else():
    signed, shown = ShownByline("Aoife O'Riordan", labelled=True), ShownByline("Aoife O'Riordan", labelled=False)
    assert page_author(AuthorEvidence("KatieS"), None, None, signed).value == "Aoife O'Riordan"  # a CMS account
    assert page_author(AuthorEvidence("KatieS"), None, None, shown).value == "KatieS"  # no label: metadata first
    # metadata that names the same person keeps its fuller answer (co-authors, the name's full form)
    team = AuthorEvidence("Craig Randall; Alli Miles")
    assert page_author(team, None, None, ShownByline("Craig Randall", True)).value == "Craig Randall; Alli Miles"


def test_the_shown_byline_names_the_author_of_a_page_and_a_plain_text_that_name_it_nowhere_else(cfg):
    byline = "<div class='meta'>Dec 26, 2025 • Mahua Das in News</div>"
    assert _authors_with_and_without_metadata(byline, cfg) == ("Mahua Das", "Maria Lopez")  # the last resort
    headline = "Council extends public library opening hours"
    text = "\n".join(["Home", headline, "Dec 26, 2025 • Mahua Das", PROSE, PROSE])
    doc = extract_record(RawRecord("t", "mem://t.txt", "text", text, False), cfg)
    assert (doc.title, doc.author) == (headline, "Mahua Das")


def test_the_bio_of_the_pages_author_after_the_article_is_not_article_text(cfg):
    bio = "Maria Lopez is a senior reporter who has covered libraries, schools and city budgets since 2012."
    page = (
        "<html><head><title>Libraries to stay open later</title><meta name='author' content='Maria Lopez'></head>"
        f"<body><article><h1>Libraries to stay open later</h1><p>{PROSE}</p><p>{PROSE.upper()}</p>"
        f"<p>{bio}</p></article></body></html>"
    )
    doc = extract_record(RawRecord("p", "mem://p.html", "html", page, True), cfg)
    assert doc.author == "Maria Lopez" and "senior reporter" not in doc.text and PROSE in doc.text
    assert {(r.line, r.reason) for r in doc.boilerplate} >= {(bio, "author_bio")}


@pytest.mark.parametrize(
    "widget",
    [
        "View Comments",
        "World",
        "mehr",
        "So Artikel Empfehlen",
        "Www Medianotions De",
        "Authority control",
        "Partager",
        "Leer más",
        "Compartilhar",
        "Sdílet",
        "Politik",
    ],
)
def test_interface_text_and_sections_are_never_authors(widget):
    assert clean_author(widget, None) is None
    evidence = AuthorEvidence(None, byline=widget)
    assert page_author(evidence, None, "Gazette").value is None


def test_a_weekday_or_a_time_ago_glued_after_the_name_leaves_it():
    assert clean_author("Jeff Foust Monday", None) == "Jeff Foust"
    assert clean_author("Aleš Vávra před", None) == "Aleš Vávra"
    # names that are words of those lists elsewhere stay: a team, a desk, a month that is a name
    assert clean_author("Help Net Security", None) == "Help Net Security"
    assert clean_author("TOI Lifestyle Desk", None) == "TOI Lifestyle Desk"
    assert clean_author("Alyssa Maio", None) == "Alyssa Maio"
    assert clean_author("Lisa Sun", None) == "Lisa Sun"


def test_a_page_nested_deeper_than_the_parser_allows_keeps_its_text(cfg):
    # libxml2 stops at a few hundred levels and silently drops the rest of the page
    story = f"<h1>Libraries open later</h1><p>{PROSE}</p><p>{PROSE.replace('libraries', 'pools')}</p>"
    page = (
        "<html><head><title>Deep</title></head><body>" + "<div>" * 50_000 + story + "</div>" * 50_000 + "</body></html>"
    )
    page = page.replace("<div>", '<div class="wrap">', 10)
    extracted = extract_html(page, None, cfg.extraction)
    assert PROSE in extracted.text and extracted.meta.title == "Libraries open later"
    # the same depth made of elements that are not mere wrappers: rejected, and the reason says why
    lost = "<html><body>" + "<ul><li>" * 20_000 + f"<p>{PROSE} {PROSE}</p>" + "</li></ul>" * 20_000 + "</body></html>"
    with pytest.raises(RejectError) as rejected:
        extract_html(lost, None, cfg.extraction)
    assert rejected.value.reason == RejectReason.EXTRACTION_FAILED and "nested deeper" in rejected.value.detail
    # a page whose words are all in scripts is a page without content, not a parser failure
    app_shell = "<html><body><div id='app'></div><script>" + "var x = 'word';" * 500 + "</script></body></html>"
    assert word_count(extract_html(app_shell, None, cfg.extraction).visible) == 0
