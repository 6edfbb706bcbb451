import pytest

from docclean.tasks.language import detect_language

SAMPLES = {
    "en": "The council voted on Tuesday to extend the opening hours of all public libraries in the city.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, die Öffnungszeiten aller öffentlichen Bibliotheken zu verlängern.",
    "es": "El ayuntamiento aprobó el martes ampliar el horario de todas las bibliotecas públicas de la ciudad.",
    "fr": "Le conseil municipal a voté mardi la prolongation des horaires de toutes les bibliothèques publiques.",
    "ja": "市議会は火曜日、市内のすべての公立図書館の開館時間を延長することを決めた。",
    "zh": "市议会周二投票决定延长市内所有公共图书馆的开放时间。",
}


@pytest.mark.parametrize(("lang", "text"), SAMPLES.items())
def test_languages(cfg, lang, text):
    code, prob = detect_language(text, cfg.language)
    assert code == lang
    assert 0.5 < prob <= 1.0


def test_too_short_or_featureless_text_is_unknown(cfg):
    assert detect_language("ok", cfg.language) == (None, 0.0)
    assert detect_language("1234567890 1234567890 1234567890", cfg.language) == (None, 0.0)


def test_deterministic_whatever_ran_before(cfg):
    mixed = "Der Stadtrat hat beschlossen. The council voted. El ayuntamiento aprobó la medida."
    first = detect_language(mixed, cfg.language)
    for text in SAMPLES.values():
        detect_language(text, cfg.language)
    assert detect_language(mixed, cfg.language) == first
