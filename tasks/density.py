"""Context-sensitive line classification in the manner of jusText (Pomikálek, 2011), for plain text.

A line is first judged alone by its length and its share of function words (stop words of the
text's language): long lines rich in function words are prose, lines poor in them are menus, link
lists and labels. Short lines, and lines in between, then take the class of the prose or furniture
around them; the document's edges count as furniture, so menus at the top and footers at the bottom
go, while headings and list items inside an article stay.
"""

from __future__ import annotations

from functools import cache

import justext

from docclean.tasks.config import BoilerplateConfig
from docclean.tasks.text import is_sentence, tokens

GOOD, NEARGOOD, SHORT, BAD = "good", "neargood", "short", "bad"

# ISO 639-1 codes (as langdetect gives them) of the stop-word lists that jusText ships.
_STOPLIST_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French", "gu": "Gujarati", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "kn": "Kannada",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi",
    "ne": "Nepali", "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese",
}  # fmt: skip


@cache
def stopwords(language: str | None) -> frozenset[str]:
    """The stop words of a language (empty when jusText has no list for it, e.g. Chinese, Japanese)."""
    name = _STOPLIST_NAMES.get(language or "")
    if name is None:
        return frozenset()
    return frozenset(t for word in justext.get_stoplist(name) for t in tokens(word))


def stop_density(line: str, stops: frozenset[str]) -> float:
    toks = tokens(line)
    return sum(t in stops for t in toks) / len(toks) if toks else 0.0


def initial_class(line: str, stops: frozenset[str], cfg: BoilerplateConfig) -> str:
    length = _visual_length(line)
    if "©" in line:
        return BAD
    if length < cfg.length_low:
        return SHORT
    if not stops:  # no stop-word list for this language: sentence punctuation stands in for it
        return GOOD if is_sentence(line) else BAD
    density = stop_density(line, stops)
    if density >= cfg.stopwords_high:
        return GOOD if length > cfg.length_high else NEARGOOD
    if density >= cfg.stopwords_low:
        return NEARGOOD
    # Few function words, yet it ends like a sentence (a terse fact, a name-heavy sentence): prose
    # unless furniture surrounds it on both sides.
    return NEARGOOD if is_sentence(line) else BAD


def _visual_length(line: str) -> int:
    # A CJK character carries about as much as a short word: weigh it like three Latin letters.
    cjk = sum(1 for t in tokens(line) if len(t) == 1 and ord(t) > 0x2E80)
    return len(line) + 2 * cjk


def revise(classes: list[str], lines: list[str], headings: list[bool], cfg: BoilerplateConfig) -> list[str]:
    """jusText's context rules: short and near-good lines take the class of their good/bad neighbours."""
    out = list(classes)
    lengths = [len(line) for line in lines]

    def good_follows(i: int) -> bool:
        distance, j = 0, i + 1
        while j < len(out) and distance <= cfg.max_heading_distance:
            if out[j] == GOOD:
                return True
            distance += lengths[j]
            j += 1
        return False

    for i in range(len(out)):  # a short heading right before prose is near-good
        if headings[i] and out[i] == SHORT and good_follows(i):
            out[i] = NEARGOOD

    updates = {}
    for i, cls in enumerate(out):
        if cls != SHORT:
            continue
        prev, nxt = _neighbour(out, i, -1, True), _neighbour(out, i, 1, True)
        if prev == nxt:
            updates[i] = prev
        elif (prev == BAD and _neighbour(out, i, -1, False) == NEARGOOD) or (
            nxt == BAD and _neighbour(out, i, 1, False) == NEARGOOD
        ):
            updates[i] = GOOD
        else:
            updates[i] = BAD
    for i, cls in updates.items():
        out[i] = cls

    for i, cls in enumerate(out):
        if cls == NEARGOOD:
            both_bad = _neighbour(out, i, -1, True) == BAD and _neighbour(out, i, 1, True) == BAD
            out[i] = BAD if both_bad else GOOD

    for i in range(len(out)):  # headings that lost their neighbours but introduce prose come back
        if headings[i] and out[i] == BAD and classes[i] != BAD and good_follows(i):
            out[i] = GOOD
    return out


def _neighbour(classes: list[str], i: int, step: int, ignore_neargood: bool) -> str:
    i += step
    while 0 <= i < len(classes):
        cls = classes[i]
        if cls in (GOOD, BAD) or (cls == NEARGOOD and not ignore_neargood):
            return cls
        i += step
    return BAD  # the document's edges count as furniture
