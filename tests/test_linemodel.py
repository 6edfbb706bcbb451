"""The trained line model: its features, the shipped model file, and what it decides on plain text."""

import numpy as np

from docclean.tasks.boilerplate import clean_lines, context_classes, rule_pass
from docclean.tasks.config import load_config
from docclean.tasks.density import stopwords
from docclean.tasks.html import unlinked
from docclean.tasks.linemodel import FEATURES, MODEL_PATH, content_probability, line_features

ARTICLE = [
    "The city council voted on Tuesday to extend the opening hours of all public libraries until ten in the evening.",
    "The measure, which costs about two million euros a year, was approved by a large majority after a long debate.",
    "Librarians welcomed the decision but said they would need more staff to keep the buildings open safely.",
    "The new hours take effect in March, and the council will review them after a year of use by the public.",
]
FURNITURE_TOP = ["Home", "News", "Sport", "Weather", "Log in", "Menu"]
FURNITURE_BOTTOM = ["Most read", "Contact", "Privacy policy", "Terms of use", "© 2025 Riverside Gazette", "Careers"]
TEXT = "\n".join([*FURNITURE_TOP, *ARTICLE, *FURNITURE_BOTTOM])


def _features(text: str):
    cfg = load_config()
    _, lines, why = rule_pass(text, cfg.boilerplate)
    stops, initial, final = context_classes(lines, why, "en", cfg.boilerplate)
    return lines, line_features(lines, why, stops, initial, final)


def test_features_describe_every_line_and_its_neighbours():
    lines, features = _features(TEXT)
    assert features.shape == (len(lines), len(FEATURES))
    column = {name: k for k, name in enumerate(FEATURES)}
    first = lines.index(ARTICLE[0])
    assert features[first, column["sentence"]] == 1 and features[0, column["sentence"]] == 0
    assert features[first, column["stop_density"]] > features[lines.index("Privacy policy"), column["stop_density"]]
    assert features[first - 1, column["sentence@+1"]] == 1  # the next line's verdict, seen from the line before
    assert features[0, column["log_chars@-1"]] == -1  # nothing before the first line


def test_the_shipped_model_loads_offline_and_is_deterministic():
    assert MODEL_PATH.exists() and MODEL_PATH.stat().st_size < 2_000_000
    _, features = _features(TEXT)
    first, second = content_probability(features), content_probability(features)
    assert np.array_equal(first, second)
    assert ((0 <= first) & (first <= 1)).all()


def test_with_the_line_model_on_prose_stays_and_the_pages_furniture_goes():
    cfg = load_config(["boilerplate.line_model=true"])
    cleaned = clean_lines(TEXT, cfg.boilerplate)
    assert cleaned.lines == ARTICLE
    reasons = {removed.line: removed.reason for removed in cleaned.removed}
    assert set(reasons) == {*FURNITURE_TOP, *FURNITURE_BOTTOM}
    assert stopwords("en")  # the density feature had a language to read


def test_link_markup_becomes_each_lines_share_of_link_text():
    text, density = unlinked("Read [the report](https://x.org/r_(2)) today\n[Next story](/n)\nNo links here")
    assert text.splitlines() == ["Read the report today", "Next story", "No links here"]
    assert 0.4 < density[0] < 0.8 and density[1] == 1.0 and density[2] == 0.0
    assert unlinked(r"See [\[1\]](https://x.org#cite)")[0] == "See [1]"
