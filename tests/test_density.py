from docclean.tasks.boilerplate import clean_lines
from docclean.tasks.config import BoilerplateConfig
from docclean.tasks.density import (
    BAD,
    GOOD,
    NEARGOOD,
    SHORT,
    initial_class,
    revise,
    stop_density,
    stopwords,
)

CFG = BoilerplateConfig()
PROSE_EN = (
    "The council said on Tuesday that it would extend the opening hours of all the public libraries in the "
    "city, because many of the people who use them work during the day and cannot visit them before evening."
)
MENU_EN = "Home News Sport Business Technology Science Health Entertainment Travel Culture Weather Video"


def test_stop_words_come_from_the_texts_language():
    assert "the" in stopwords("en") and "und" in stopwords("de") and "el" in stopwords("es")
    assert stopwords("ja") == frozenset()  # no list: punctuation stands in
    assert stop_density(PROSE_EN, stopwords("en")) > 0.4
    assert stop_density(MENU_EN, stopwords("en")) < CFG.stopwords_low


def test_initial_classes():
    en = stopwords("en")
    assert initial_class(PROSE_EN, en, CFG) == GOOD
    assert initial_class(MENU_EN, en, CFG) == BAD
    assert initial_class("Read more", en, CFG) == SHORT
    assert initial_class("© 2025 Example Media Group. All rights reserved. Registered in England.", en, CFG) == BAD
    terse = "Capacities: 34 ounces, 40 ounces; dimensions 10.15 x 5.6 x 5.2 inches, weight 2.5 pounds."
    assert initial_class(terse, en, CFG) == NEARGOOD  # few stop words, but it ends like a sentence


def test_cjk_prose_is_judged_by_its_punctuation():
    assert (
        initial_class("市議会は火曜日、市内のすべての公立図書館の開館時間を延長することを決めた。", frozenset(), CFG)
        == GOOD
    )
    assert (
        initial_class(
            "ホーム ニュース スポーツ 経済 テクノロジー 科学 健康 エンタメ 旅行 文化 天気 動画", frozenset(), CFG
        )
        == BAD
    )


def test_short_lines_take_the_class_of_their_neighbours():
    lines = ["Menu", PROSE_EN, "A short line.", PROSE_EN, "Footer link"]
    classes = [SHORT, GOOD, SHORT, GOOD, SHORT]
    assert revise(classes, lines, [False] * 5, CFG) == [BAD, GOOD, GOOD, GOOD, BAD]


def test_a_heading_before_prose_is_kept():
    lines = ["Section", "Why it matters", PROSE_EN]
    out = revise([BAD, SHORT, GOOD], lines, [False, True, False], CFG)
    assert out == [BAD, GOOD, GOOD]


def test_near_good_lines_need_one_good_neighbour():
    lines = ["x", "y", "z"]
    assert revise([BAD, NEARGOOD, BAD], lines, [False] * 3, CFG)[1] == BAD
    assert revise([GOOD, NEARGOOD, BAD], lines, [False] * 3, CFG)[1] == GOOD


def test_menus_and_footers_of_a_page_go_and_the_article_stays():
    article = [
        PROSE_EN,
        "Librarians welcomed the decision, but they said that more staff would be needed to keep the buildings "
        "open safely, and that the council had not yet said where the money for them would come from.",
        "The new hours start in March and will be reviewed after a year, when the council will look at how many "
        "people have used the libraries in the evenings and whether the extra cost is worth it.",
    ]
    page = ["Home", "News", "Sport", "Weather", *article, "About us", "Contact", "Privacy policy", "© 2025 Gazette"]
    cleaned = clean_lines("\n".join(page), CFG)
    assert cleaned.lines == article
    assert {r.reason for r in cleaned.removed} <= {
        "navigation", "context", "low_density", "disclosure", "unrelated_headlines"
    }  # fmt: skip


def test_a_prose_island_far_from_the_article_goes():
    article = [PROSE_EN] * 4
    bio = "Jane writes about cities and the people who live in them, and she has done so for the past twenty years."
    furniture = ["Related", "Most read", "Popular", "Topics", "Cities", "Transport", "Housing", "Weather", "Jobs"]
    cleaned = clean_lines("\n".join([*article, *furniture, bio]), CFG)
    assert bio not in cleaned.lines
    assert cleaned.lines == article
