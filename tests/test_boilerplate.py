from pathlib import Path

import pytest

from docclean.tasks.boilerplate import classify_line, clean_lines, is_sentence

RAW = Path(__file__).resolve().parents[1] / "raw"


def seed(prefix: str) -> list[str]:
    (path,) = Path(RAW).glob(f"{prefix}_*.txt")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def reasons(cleaned) -> dict[str, str]:
    return {r.line: r.reason for r in cleaned.removed}


# --- the five seeds: every article line kept, all furniture gone, metadata kept as fields ---


def test_seed_000_drops_the_trailing_list_of_unrelated_headlines(cfg):
    lines = seed("000")
    cleaned = clean_lines("\n".join(lines), cfg.boilerplate)
    assert cleaned.lines == lines[:5]
    assert len(lines) == 21
    assert set(reasons(cleaned).values()) == {"unrelated_headlines"}
    assert "Japan’s Nikkei Drops as Markets Await Key U.S. Inflation Data" in reasons(cleaned)


def test_seed_001_is_all_article(cfg):
    lines = seed("001")
    cleaned = clean_lines("\n".join(lines), cfg.boilerplate)
    assert cleaned.lines == lines and cleaned.removed == []


def test_seed_002_keeps_subheadings_and_fact_list_and_takes_the_headline_as_title(cfg):
    lines = seed("002")
    cleaned = clean_lines("\n".join(lines), cfg.boilerplate)
    assert cleaned.title == "Japan and US Partner on Deep-Sea Mining to Counter China’s Rare Earth Monopoly"
    assert cleaned.lines == lines[1:]
    assert "Strategic Collaboration for Mineral Security" in cleaned.lines
    assert "Exam Oriented Facts" in cleaned.lines


def test_seed_003_drops_prompts_byline_and_teasers_and_keeps_the_author(cfg):
    lines = seed("003")
    cleaned = clean_lines("\n".join(lines), cfg.boilerplate)
    assert cleaned.author == "Badri Ariffin"
    assert cleaned.lines == lines[4:12]
    assert cleaned.lines[0].startswith("In a landmark move")
    assert "Expanding Energy Cooperation" in cleaned.lines
    why = reasons(cleaned)
    assert why["You have not yet added any article to your bookmarks!"] == "prompt"
    assert why["Join 10k+ people to get notified about new posts, news and tips."] == "prompt"
    assert why["Do not worry we don't spam!"] == "prompt"
    assert why["Post by : Badri Ariffin"] == "byline"
    assert [why[line] for line in lines[12:]] == ["unrelated_headlines"] * 12


def test_seed_004_drops_follow_disclosure_hashtags_and_keeps_tags(cfg):
    lines = seed("004")
    cleaned = clean_lines("\n".join(lines), cfg.boilerplate)
    assert cleaned.lines == lines[:-3]
    assert "The US focuses on securing rare earths with Project Vault" in cleaned.lines
    assert [r.reason for r in cleaned.removed] == ["share", "disclosure", "hashtags"]
    assert cleaned.tags == ["Japans", "milestone", "rare", "earth", "mining"]


# --- single-line rules ---


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("#Japans #milestone #rare #earth #mining", "hashtags"),
        ("By Jane Q. Doe", "byline"),
        ("Posted by: Tom Brown", "byline"),
        ("Von Jana Petersen", "byline"),
        ("Por Lucía Romero", "byline"),
        ("Sign up for our morning newsletter", "prompt"),
        ("We use cookies to improve your experience on our website.", "consent"),
        ("Jetzt den Newsletter abonnieren!", "prompt"),
        ("Suscríbete a nuestro boletín", "prompt"),
        ("Share this article on Facebook", "share"),
        ("Suivez-nous sur Instagram", "share"),
        ("Disclaimer: This is not investment advice.", "disclosure"),
        ("© 2025 Example Media. All rights reserved.", "disclosure"),
        ("Products are chosen independently by our editors. Purchases may earn us a commission.", "disclosure"),
        ("As an Amazon Associate we earn from qualifying purchases", "disclosure"),
        ("SeniorGuide.org is supported by commissions from providers listed on our site.", "disclosure"),
        ("Advertisement", "navigation"),
        ("Related stories:", "navigation"),
        ("Advertisement - Continue Reading Below", "navigation"),
        ("Book a free demo", "navigation"),
        ("< Back to all articles", "navigation"),
        ("Nov 08, 2025 · 7 min read · By Ana Ruiz", "dateline"),
        ("24 Apr 2000 • 3 min read", "dateline"),
        ("2025年3月12日 10:00", "dateline"),  # a date alone, in the forms tasks.dates reads
        ("12 de marzo de 2025", "dateline"),
        ("1er mars 2024", "dateline"),
        ("09.03.2026", "dateline"),
        ("March 9, 2026, 4:30 pm", "dateline"),
        ("Posted by IndustrySelect on Tuesday, August 29, 2023", "dateline"),
        ("All investing is subject to risk, including the possible loss of the money you invest.", "disclosure"),
        ("This material has been prepared for informational purposes only.", "disclosure"),
        ("We do not offer medical advice. Always consult your doctor.", "disclosure"),
        (
            "This story was developed in partnership with Ferah Catering by 360West's branded content team.",
            "disclosure",
        ),
        ("Siteline is not affiliated with The American Institute of Architects.", "disclosure"),
        ("Also read: Who is Demis Hassabis: CEO of DeepMind, AI career, Nobel laureate", "related_link"),
        ("Related: Cybersecurity M&A Roundup: 40 Deals Announced in September 2025", "related_link"),
        ("READ MORE: Will ChatGPT Eliminate the College Admissions Essay?", "related_link"),
        ("Lesen Sie auch: Die Bahn erhöht die Preise", "related_link"),
        ("https://finance.yahoo.com/news/major-home-appliances-market-2023-070000949.html", "navigation"),
        ("About the Author", "navigation"),
        ("Table of Contents Show", "navigation"),
        ("Related Reading: 4 Best Robot Vacuums for Hardwood Floors", "related_link"),
        ("You May Also Check: Best Project Management Software", "related_link"),
        ("Estimated reading time: 4 minutes", "dateline"),
    ],
)
def test_single_line_rules(cfg, line, reason):
    assert classify_line(line, cfg.boilerplate) == reason


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the year, the company expects its revenue to double.",
        "The newspaper's newsletter business grew quickly last year, and now accounts for a third of all "
        "subscription revenue, according to the annual report published on Monday.",
        "Police said the suspect had followed the victim home.",
        "The editors chose the winners independently of the sponsors, the jury said.",
        "Amazon said its associates would earn more from next year.",
        "2025年3月12日に政府は試験採掘の開始を発表した。",
        "On March 9, 2026 the council met.",
        "Back to school",  # a section heading, not a link back to the blog
        "The report is a 12 min read, and worth every minute of it.",
        "Comments",  # a comment section's header: the comments rule cuts what follows it
        "Read more about the council's plan in our report from last week.",  # no label: a sentence
        "Related costs rose by a third: fuel, parts and wages all went up.",
        "The clinic gave advice to patients who could not travel to the city.",
        "The fund's adviser said investors should not sell in a panic.",
        "The full list is at https://example.org/list and in the appendix.",
    ],
)
def test_article_sentences_are_not_furniture(cfg, line):
    assert classify_line(line, cfg.boilerplate) is None


@pytest.mark.parametrize(
    "line",
    [
        "This website uses cookies to improve your experience while you navigate through the website, and some "
        "of them are stored in your browser because they are essential to the basic functions of the site.",
        "Wir verwenden Cookies, um Inhalte zu personalisieren und die Zugriffe auf unsere Website zu analysieren; "
        "mit einem Klick auf Akzeptieren geben Sie Ihre Einwilligung.",
        "Nous utilisons des cookies pour mesurer l'audience de ce site et vous proposer des contenus adaptés à "
        "vos centres d'intérêt, sous réserve de votre consentement.",
        "Utilizamos cookies propias y de terceros para analizar el uso de este sitio y mostrarle publicidad "
        "relacionada con sus preferencias.",
        "当サイトではCookieを使用しています。サイトの利用を続けることで、Cookieの使用に同意したものとみなします。",
    ],
)
def test_cookie_notices_of_any_length_are_consent(cfg, line):
    assert classify_line(line, cfg.boilerplate) == "consent"


@pytest.mark.parametrize(
    "line",
    [
        "We use brown butter in these cookies for a nutty flavour, and chill the dough overnight.",
        "Regulators said websites must ask visitors for consent before setting tracking cookies on their devices.",
        "I prefer magic links that keep the session cookies of your browser in the tab you started from.",
    ],
)
def test_cookies_in_a_recipe_news_or_a_developers_post_are_article(cfg, line):
    assert classify_line(line, cfg.boilerplate) is None


def test_lines_about_cookies_beside_a_cookie_notice_go_with_it(cfg):
    banner = (
        "We use cookies on our website to give you the most relevant experience by remembering your preferences.\n"
        "Manage consent\n"
        "Necessary cookies are absolutely essential for the site to function properly.\n"
        "Analytical cookies help us understand how visitors interact with the pages they read.\n"
    )
    cleaned = clean_lines(BODY_EN + banner, cfg.boilerplate, context=False)
    assert cleaned.lines == BODY_EN.strip().splitlines()
    assert set(reasons(cleaned).values()) == {"consent"}


def test_is_sentence_handles_closing_quotes_and_cjk():
    assert is_sentence("He said it was “a first step.”")
    assert is_sentence("政府は発表した。")
    assert not is_sentence("Trump and Lula Discuss Trade in “Productive” Phone Call")


# --- other languages: no English word list needed for the structure signals ---

BODY_DE = (
    "Der Hamburger Hafen hat am Mittwoch seine größte Landstromanlage für Kreuzfahrtschiffe in Betrieb genommen.\n"
    "Während der Liegezeit laufen auf den Schiffen bislang die Dieselgeneratoren, was Anwohner seit Jahren beklagen.\n"
    "Die Anlage am Terminal Steinwerder kostete rund 38 Millionen Euro, der Bund übernahm die Hälfte der Kosten.\n"
)


def test_german_text_with_teaser_list(cfg):
    text = (
        "Hamburg nimmt neue Landstromanlage in Betrieb\n"
        "Von Jana Petersen\n" + BODY_DE + "HSV verpflichtet Innenverteidiger aus Kopenhagen\n"
        "Mietpreise in Altona steigen weiter\n"
        "Elbphilharmonie meldet Besucherrekord im Sommer\n"
    )
    cleaned = clean_lines(text, cfg.boilerplate)
    assert cleaned.title == "Hamburg nimmt neue Landstromanlage in Betrieb"
    assert cleaned.author == "Jana Petersen"
    assert cleaned.lines == BODY_DE.strip().splitlines()
    assert reasons(cleaned)["Mietpreise in Altona steigen weiter"] == "unrelated_headlines"


def test_spanish_and_french_prompts(cfg):
    body = (
        "El Ayuntamiento de Sevilla activó este martes el nivel rojo de su plan contra las altas temperaturas.\n"
        "Los servicios sociales han contactado por teléfono con más de tres mil usuarios de la teleasistencia.\n"
    )
    text = "Suscríbete a nuestro boletín\n" + body + "Suivez-nous sur Facebook\n"
    cleaned = clean_lines(text, cfg.boilerplate)
    assert cleaned.lines == body.strip().splitlines()


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Would you like to receive notifications about new posts?", "prompt"),
        ("Turn on push notifications", "prompt"),
        ("Get the latest news about our live events and online courses.", "prompt"),
        ("Keep up with the latest and greatest in growth marketing", "prompt"),
        ("Be the first to know about new franchise opportunities.", "prompt"),
        ("Join 18,000+ other marketers and get weekly updates", "prompt"),
        ("Add as a preferred source on Google", "prompt"),
        ("Pin this for later!", "share"),
        ("Stay connected with me!", "share"),
        ("View all posts by Craig Randall", "byline"),
        # article sentences about the same things stay
        ("The app sends notifications when a train is late.", None),
        ("Many riders turn on push notifications for delays.", None),
        ("Get the latest version of the firmware from the maker's site.", None),
        ("Residents will be the first to know when the plan changes.", None),
        ("Join 40 volunteers on Saturday to clean the beach.", None),
        ("Pin it to the fridge door and check it daily.", None),
        ("Stay connected to the grid, officials urged residents.", None),
        (
            "Regulators said users who receive notifications about new posts from strangers were more likely "
            "to report harassment, according to the survey.",
            None,
        ),
    ],
)
def test_invitations_follow_prompts_and_author_page_links(cfg, line, reason):
    assert classify_line(line, cfg.boilerplate) == reason


def test_an_author_page_link_names_the_author_and_a_placeholder_names_nobody(cfg):
    prose = "The council voted on Tuesday to keep the city's libraries open until nine in the evening."
    cleaned = clean_lines(f"View all posts by Craig Randall\n{prose}", cfg.boilerplate)
    assert (cleaned.author, cleaned.lines) == ("Craig Randall", [prose])
    cleaned = clean_lines(f"View All Articles by This Author\n{prose}", cfg.boilerplate)
    assert (cleaned.author, cleaned.lines) == (None, [prose])


def test_japanese_unrelated_headlines_are_dropped(cfg):
    body = (
        "日本政府は南鳥島周辺の海底でレアアースを含む泥の試験採掘を開始したと発表した。\n"
        "地球深部探査船ちきゅうが水深約六千メートルから泥を引き揚げる計画で、採掘技術の実証を目指す。\n"
        "政府はレアアースの供給網を強化し、中国への依存を減らしたい考えだ。\n"
    )
    text = body + "大谷翔平が今季五十本目の本塁打\n東京株式市場で日経平均が続落\n新型スマートフォンの予約が始まる\n"
    cleaned = clean_lines(text, cfg.boilerplate)
    assert cleaned.lines == body.strip().splitlines()
    assert set(reasons(cleaned).values()) == {"unrelated_headlines"}


def test_chinese_related_subheadings_survive(cfg):
    text = (
        "美国和日本宣布将共同开发南鸟岛附近海域的稀土资源，以减少对中国稀土供应的依赖。\n"
        "稀土开发合作\n"
        "南鸟岛稀土资源\n"
        "日本政府表示，南鸟岛周边海底的稀土泥储量丰富，开发合作将在明年正式启动。\n"
    )
    cleaned = clean_lines(text, cfg.boilerplate)
    assert len(cleaned.lines) == 4  # a run of two headings that share the article's terms is kept


# --- a "read next" heading after the article starts a tail of other articles ---

BODY_EN = (
    "The city council approved a new bus lane on Harbor Street after a two-hour debate on Tuesday evening.\n"
    "Council members said the lane would cut commuting times for about twelve thousand daily riders.\n"
    "Construction of the bus lane is expected to begin in March and to take roughly four months.\n"
)
TEASERS = (
    "Local bakery wins national award\n"
    "The family-run bakery on Elm Avenue was named the best in the country by a panel of pastry judges.\n"
    "High school robotics team heads to finals\n"
    "Students built a machine that sorts recycling faster than any entry in the competition's history.\n"
)


@pytest.mark.parametrize("heading", ["Read This Next", "More stories:", "Lesen Sie auch", "À lire aussi", "関連記事"])
def test_a_read_next_heading_after_the_article_cuts_the_teasers_after_it(cfg, heading):
    # the teasers' descriptions are sentences: only the heading tells that they are not the article
    cleaned = clean_lines(BODY_EN + heading + "\n" + TEASERS, cfg.boilerplate)
    assert cleaned.lines == BODY_EN.strip().splitlines()
    assert set(reasons(cleaned).values()) == {"related_tail"}


def test_a_read_next_heading_followed_by_more_of_the_article_cuts_nothing(cfg):
    more = (
        "Bus riders at Harbor Street said the new lane and the council's debate were long overdue.\n"
        "The council will review the bus lane's effect on commuting times after one year of construction.\n"
    )
    cleaned = clean_lines(BODY_EN + "Keep reading\n" + more, cfg.boilerplate, context=False)
    assert cleaned.lines == [*BODY_EN.strip().splitlines(), "Keep reading", *more.strip().splitlines()]


def test_a_stories_heading_in_the_navigation_above_the_article_cuts_nothing(cfg):
    banner = "This website uses a new layout; tell us what you think of it through the feedback form.\n"
    cleaned = clean_lines(banner + "Top Stories\n" + BODY_EN, cfg.boilerplate, context=False)
    assert cleaned.lines[-3:] == BODY_EN.strip().splitlines()


def test_teasers_longer_than_a_short_extracted_article_are_still_its_tail(cfg):
    # what the extractor kept is the article from its first line: 100 words of it before the heading
    # suffice, though each teaser's description is longer than any of the article's paragraphs
    article = BODY_EN + BODY_EN.replace("Harbor Street", "Elm Avenue")
    long_teasers = "".join(
        f"{title}\n{description} {description}\n" for title, description in zip(*[iter(TEASERS.splitlines())] * 2)
    )
    cleaned = clean_lines(article + "Read This Next\n" + long_teasers, cfg.boilerplate, context=False, extracted=True)
    assert cleaned.lines == article.strip().splitlines()
    # a few words in: the heading leads into the article, not out of it
    cleaned = clean_lines("Bus lanes\nRead This Next\n" + long_teasers, cfg.boilerplate, context=False, extracted=True)
    assert "related_tail" not in set(reasons(cleaned).values())


@pytest.mark.parametrize("header", ["12 Comments", "Comments (4)", "Kommentare", "3 thoughts on “Bus lanes”"])
def test_a_comment_section_header_after_the_article_cuts_the_comments(cfg, header):
    comments = "Maria says:\nMarch 3, 2025 at 10:46 am\nFinally! The old lane was a nightmare every morning.\nReply\n"
    cleaned = clean_lines(BODY_EN + header + "\n" + comments, cfg.boilerplate, context=False)
    assert cleaned.lines == BODY_EN.strip().splitlines()
    assert reasons(cleaned)[header] == "comments"


# --- a page's visible text: the headline sits under the navigation, above the article ---

FERRY_BODY = (
    "The harbour council approved a new ferry timetable on Monday that adds two evening crossings.\n"
    "Commuters had asked for later ferries since the bridge closed for repairs in the spring, the council said.\n"
    "The new timetable starts on the first of June and the council will review the ferry service in autumn.\n"
)


def visible_page(*above_body: str) -> str:
    return (
        "\n".join(["Home", "News", "Sport", "Weather", "Subscribe to our newsletter", *above_body]) + "\n" + FERRY_BODY
    )


def test_the_headline_of_a_visible_text_is_the_title_shaped_line_above_the_article(cfg):
    text = visible_page(
        "Ferry timetable adds evening crossings",  # the headline
        "By Ana Ruiz",
        "May 3, 2025",
        "Get started with our app today",  # a call to action between headline and article
    )
    cleaned = clean_lines(text, cfg.boilerplate)
    assert cleaned.title == "Ferry timetable adds evening crossings"
    assert reasons(cleaned)["Ferry timetable adds evening crossings"] == "title"  # not left in the text
    assert cleaned.lines[-3:] == FERRY_BODY.strip().splitlines()
    # a headline may ask a question; a byline or a date line sharing its words is not the headline
    asks = clean_lines(
        visible_page("Will the new ferry timetable help commuters?", "Ferry council, May 3, 2025"), cfg.boilerplate
    )
    assert asks.title == "Will the new ferry timetable help commuters?"
    signed = clean_lines(visible_page("Posted by the harbour council ferry desk"), cfg.boilerplate)
    assert signed.title is None


def test_no_title_when_no_line_above_the_article_shares_its_words(cfg):
    cleaned = clean_lines(
        visible_page("Get started with our app today", "Download the mobile edition"), cfg.boilerplate
    )
    assert cleaned.title is None
    assert "Download the mobile edition" not in cleaned.lines


def test_the_headline_above_a_german_article_is_found_too(cfg):
    text = "Startseite\nPolitik\nWirtschaft\nLandstromanlage im Hamburger Hafen geht in Betrieb\n" + BODY_DE
    cleaned = clean_lines(text, cfg.boilerplate)
    assert cleaned.title == "Landstromanlage im Hamburger Hafen geht in Betrieb"
    assert cleaned.lines[-3:] == BODY_DE.strip().splitlines()
    assert cleaned.title not in cleaned.lines


def test_a_signed_line_beside_the_headline_names_the_author(cfg):
    glued = clean_lines(
        visible_page("Ferry timetable adds evening crossings", "By Ana RuizPublished: May 3, 2025"), cfg.boilerplate
    )
    assert glued.author == "Ana Ruiz"
    assert reasons(glued)["By Ana RuizPublished: May 3, 2025"] == "byline"
    written = clean_lines(
        visible_page("Ferry timetable adds evening crossings", "Written by Li Wei | Harbour desk"), cfg.boilerplate
    )
    assert written.author == "Li Wei"
    # a sentence that starts with "By", or a word that does: no author
    for line in ("By the way, ferries are late", "BYTE Magazine reviews ferries"):
        assert clean_lines(visible_page("Ferry timetable adds evening crossings", line), cfg.boilerplate).author is None


# --- the page rendering its content twice ---

REVIEWS = (
    "“Great doctors and staff. They genuinely care about you.”\n"
    "Mallory R.\n"
    "Everyone at the office has been great. It’s been easy to set up appointments.\n"
    "Brittany M.\n"
)
JAPANESE = (
    "日本政府は南鳥島周辺の海底でレアアースを含む泥の試験採掘を開始したと発表した。\n"
    "地球深部探査船ちきゅうが水深約六千メートルから泥を引き揚げる計画で、採掘技術の実証を目指す。\n"
    "政府はレアアースの供給網を強化し、中国への依存を減らしたい考えだ。\n"
    "試験採掘の結果は来年の春に公表される予定で、商業化の判断材料になる。\n"
)


@pytest.mark.parametrize(
    "first, copy",
    [
        (BODY_EN + "Riders welcomed the decision.\n", BODY_EN + "Riders welcomed the decision.\n"),  # mobile copy
        (BODY_EN + REVIEWS, REVIEWS),  # a carousel's cloned slides after the article
        (JAPANESE, JAPANESE),  # any script
    ],
)
def test_a_run_of_lines_the_text_already_showed_is_a_repeated_rendering(cfg, first, copy):
    cleaned = clean_lines(first + copy, cfg.boilerplate, context=False)
    assert cleaned.lines == first.strip().splitlines()
    assert [r.line for r in cleaned.removed if r.reason == "repeated"] == copy.strip().splitlines()


def test_a_line_repeated_alone_or_a_run_of_short_cells_stays(cfg):
    quote = "“We will not wait another decade for this bus lane,” the mayor said.\n"
    cells = "twelve minutes\nfour stops\neighteen minutes\nnine stops\n"  # a table's cells, under four words
    text = BODY_EN + quote + cells + "The lane opens in July.\n" + quote + "Buses will run every ten minutes.\n" + cells
    cleaned = clean_lines(text, cfg.boilerplate, context=False)
    assert cleaned.lines == text.strip().splitlines()
    # three repeated lines are not yet a run (repeated_run_lines is four)
    short = BODY_EN.strip().splitlines()
    three = "\n".join([*short, "The lane opens in July.", *short])
    assert clean_lines(three, cfg.boilerplate, context=False).lines == three.splitlines()


def test_related_links_inside_a_plain_text_do_not_take_the_paragraphs_around_them(cfg):
    # medium-length list paragraphs (near-good: under 200 characters) between two "Related:" lines: had the
    # context classifier seen those lines as furniture on both sides, the section would have gone with them
    section = [
        "Use tools like Keyword Planner and Ahrefs: find search terms with high relevance and manageable competition.",
        "Focus on long-tail keywords: these lower-volume terms often convert better because they are specific.",
        "Pay attention to search volume and competition: strike a balance between popular and achievable terms.",
    ]
    text = "\n".join(
        [
            "Build Your SEO Strategy Today",
            "Search engine optimization continues to evolve at a rapid pace, and the sites that keep up with the "
            "changes are the ones that keep their visitors, so it is worth looking at what changed this year and "
            "at what it means for the way we plan our content.",
            "Related: Standard for Measuring SEO Efforts: Metrics and KPIs You Need to Track",
            "2. Conduct Smarter Keyword Research",
            *section,
            "Related: Your Guide to Technical SEO: Boost Your Website's Search Engine Performance",
            "In the end, the strategy that works is the one that serves the reader first and the search engine "
            "second, and it is the one that keeps working when the next update of the ranking arrives, as it "
            "always does, a few months later.",
        ]
    )
    cleaned = clean_lines(text, cfg.boilerplate)
    assert all(line in cleaned.lines for line in section)
    assert [r.reason for r in cleaned.removed if r.line.startswith("Related:")] == ["related_link", "related_link"]


BIO = "Jane Doe is a transport reporter who has covered the city's buses and trains for the Gazette since 2015."


@pytest.mark.parametrize(
    "bio",
    [
        BIO,
        "Jane has written about public transport for twelve years and lives beside the Harbor Street depot.",
    ],
)
def test_a_bio_of_the_author_at_the_end_goes_with_what_follows_it(cfg, bio):
    text = BODY_EN + f"{bio}\nRead more:\nAll loans made by Example Bank."
    cleaned = clean_lines(text, cfg.boilerplate, author="Jane Doe", context=False)
    assert cleaned.lines == BODY_EN.strip().splitlines()
    assert set(reasons(cleaned).values()) == {"author_bio"} and bio in reasons(cleaned)


def test_the_heading_of_an_author_box_goes_with_its_bio(cfg):
    body = BODY_EN.strip().splitlines()
    text = "\n".join([*body, "Jane Doe", "Contributing Writer", BIO])
    assert clean_lines(text, cfg.boilerplate, author="Jane Doe", context=False).lines == body
    # the article's last sentence above a bio stays
    assert clean_lines("\n".join([*body, BIO]), cfg.boilerplate, author="Jane Doe", context=False).lines == body


def test_the_byline_names_the_author_whose_bio_ends_a_plain_text(cfg):
    text = f"By Jane Doe\n{BODY_EN}{BIO}"
    cleaned = clean_lines(text, cfg.boilerplate, context=False)
    assert cleaned.author == "Jane Doe" and cleaned.lines == BODY_EN.strip().splitlines()
    assert reasons(cleaned)[BIO] == "author_bio"


def test_a_german_bio_goes_too(cfg):
    body = (
        "Der Stadtrat hat am Dienstagabend nach langer Debatte eine neue Busspur in der Hafenstraße beschlossen.\n"
        "Die Bauarbeiten sollen im März beginnen und ungefähr vier Monate dauern, teilte die Stadt mit.\n"
    )
    bio = "Anna Schmidt ist Redakteurin für Verkehr und Stadtentwicklung und schreibt seit 2018 für die Zeitung."
    cleaned = clean_lines(body + bio, cfg.boilerplate, author="Anna Schmidt", context=False)
    assert cleaned.lines == body.strip().splitlines()


@pytest.mark.parametrize(
    "author, line",
    [
        (None, BIO),  # no author known
        ("John Roe", BIO),  # someone else's bio: the article may be about them
        ("Clay", "Clay is a UI and UX design agency in San Francisco that works with startups and brands."),
        ("QCY Official", "QCY is already embracing many of these trends with its range of Bluetooth headphones."),
        ("Jane Doe", "Jane Doe is here."),  # too short to be a bio
        ("Jane Doe", "Doe was charged with fraud and will appear in court next month, the police said."),
    ],
)
def test_a_last_line_that_is_not_the_authors_bio_stays(cfg, author, line):
    text = BODY_EN + line
    assert clean_lines(text, cfg.boilerplate, author=author, context=False).lines == text.splitlines()


def test_a_short_text_that_opens_with_its_authors_bio_keeps_it(cfg):
    lines = [BIO, *BODY_EN.strip().splitlines()[:2]]  # the bio is among the last three lines, but first
    text = "\n".join(lines)
    assert clean_lines(text, cfg.boilerplate, author="Jane Doe", context=False).lines == lines


def test_the_author_named_early_in_the_article_is_not_a_bio(cfg):
    lines = [BIO, *BODY_EN.strip().splitlines(), "The council will vote on the budget for the lane next week."]
    text = "\n".join(lines)
    assert clean_lines(text, cfg.boilerplate, author="Jane Doe", context=False).lines == lines


def test_a_wrapped_line_that_starts_with_by_is_prose_not_a_byline(cfg):
    assert classify_line("by a technocratic government.", cfg.boilerplate) is None
    assert classify_line("By Jane Doe", cfg.boilerplate) == "byline"
    assert classify_line("Von Anna Schmidt", cfg.boilerplate) == "byline"
