"""Named word lists, one per concept, in the languages docclean meets most (English, German, French,
Spanish, Portuguese, Italian, Dutch, Czech): lower-case words, read by every rule that needs the concept.

Multi-word phrases and patterns that need their own shape around them stay beside their rule; a
word that names a concept lives here.
"""

from __future__ import annotations

# full names only: an abbreviation may end a name ("Lisa Sun")
WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday"
    " montag dienstag mittwoch donnerstag freitag samstag sonntag"
    " lundi mardi mercredi jeudi vendredi samedi dimanche"
    " lunes martes miércoles jueves viernes sábado domingo"
    " segunda-feira terça-feira quarta-feira quinta-feira sexta-feira"
    " pondělí úterý středa čtvrtek pátek sobota neděle".split()
)
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
