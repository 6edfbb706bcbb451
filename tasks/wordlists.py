"""Named word lists, one per concept, in the languages docclean meets most (English, German, French,
Spanish, Portuguese, Italian, Dutch, Czech): lower-case words, read by every rule that needs the concept.

Patterns that need their own shape around them stay beside their rule; the words of a concept live here,
and a rule builds its pattern from them with ``alternation``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of ``words`` (taken literally), longest first so that a longer
    word wins over its prefix ("sept" over "sep")."""
    return "|".join(sorted({re.escape(word) for word in words}, key=len, reverse=True))


# the word that introduces a byline's name: "By Jane Doe", "Von Anna Meier", "Por Ana Ruiz", "Par Léa Roy"
BY_LABELS = ("by", "von", "por", "par")
# also introduce a byline, but are name particles too ("Lucia di Maria", "Jan door"): only where the
# whole line has to read as a byline
BY_LABELS_LINE_ONLY = ("di", "door")
# what may stand before "by" in a byline: "Written by", "Posted by", "Story by", "Photos by"
BYLINE_VERBS = (
    "written", "posted", "post", "article", "articles", "story", "words", "text", "reviewed", "reported",
    "authored", "recipe", "photo", "photos",
)  # fmt: skip

# month names (English, German, French, Spanish); a name's first three letters abbreviate it too
MONTHS = (
    ("january", "januar", "janvier", "enero", "jänner"),
    ("february", "februar", "février", "fevrier", "febrero"),
    ("march", "märz", "maerz", "mars", "marzo"),
    ("april", "avril", "abril"),
    ("may", "mai", "mayo"),
    ("june", "juni", "juin", "junio"),
    ("july", "juli", "juillet", "juil", "julio"),
    ("august", "août", "aout", "agosto"),
    ("september", "sept", "septembre", "septiembre"),
    ("october", "oktober", "octobre", "octubre"),
    ("november", "novembre", "noviembre"),
    ("december", "dezember", "décembre", "decembre", "diciembre"),
)
# the months that are also given names: a name may end with one ("Mary June")
MONTHS_ALSO_NAMES = frozenset({"april", "may", "june", "july"})

# full names only: an abbreviation may end a name ("Lisa Sun")
WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday"
    " montag dienstag mittwoch donnerstag freitag samstag sonntag"
    " lundi mardi mercredi jeudi vendredi samedi dimanche"
    " lunes martes miércoles jueves viernes sábado domingo"
    " segunda-feira terça-feira quarta-feira quinta-feira sexta-feira"
    " pondělí úterý středa čtvrtek pátek sobota neděle".split()
)
# English abbreviations, for dates written in full ("Tue, 3 May")
WEEKDAY_ABBREVIATIONS = frozenset("mon tue tues wed thu thurs fri sat sun".split())
# "3 hours ago" after a byline's name: "Aleš Vávra před 2 hodinami", "vor 3 Stunden", "hace 2 horas"
TIME_AGO = frozenset("ago před vor hace há geleden".split())
# a news site's sections, which its byline widgets show where no author is named
SECTIONS = frozenset(
    "world politics business sport sports opinion culture science technology tech health entertainment"
    " lifestyle travel local national international economy weather"
    " welt politik wirtschaft kultur wissen meinung"
    " monde politique économie société sciences"
    " mundo política economía deportes cultura opinión"
    " mundo política economia esportes"
    " svět domácí zahraničí ekonomika".split()
)
# interface words: labels of buttons, links and widgets, never part of a person's name
UI_WORDS = frozenset(
    "view comments comment share print email e-mail menu search login logout subscribe follow reply"
    " navigation skip toggle close open next previous more read home contact newsletter"
    " authority control control sign register cookie cookies privacy"
    " mehr lesen artikel empfehlen teilen drucken kommentare anmelden suche weiterlesen"
    " plus lire partager commentaires imprimer connexion recherche suite"
    " más leer compartir comentarios imprimir buscar"
    " mais ler compartilhar comentários"
    " více číst sdílet komentáře"
    " www http https".split()
)

# what a paywall or a teaser page puts where the article would go ("READ FULL ARTICLE"); lower case
PAYWALL_PHRASES = (
    "read full article", "read the full article", "to continue reading", "subscribe to read",
    "subscribe to continue", "subscribers only", "for subscribers", "already a subscriber", "unlock this article",
    "this article is for subscribers", "become a member to read",
    "weiterlesen mit", "artikel freischalten", "nur für abonnenten", "jetzt abonnieren und weiterlesen",
    "pour lire la suite", "réservé aux abonnés", "lire la suite de l'article",
    "exclusivo para suscriptores", "para seguir leyendo", "contenido exclusivo", "suscríbete para seguir leyendo",
    "conteúdo exclusivo para assinantes", "assine para ler",
)  # fmt: skip

# what introduces a pointer to other articles, as a heading or before a link ("Read next", "Lesen Sie auch:")
READ_NEXT = (
    "also read", "read also", "see also", "further reading", "keep reading",
    "lesen sie auch", "mehr zum thema", "lee también", "te puede interesar", "à lire aussi", "a lire aussi",
    "関連記事", "相关阅读",
)  # fmt: skip
