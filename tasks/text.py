"""Language-agnostic text helpers shared by the stages: normalisation, tokens, word counts."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator

# Han, Hiragana, Katakana, Hangul and CJK punctuation-free ranges: scripts written without spaces,
# where each character is taken as a token.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# A word may carry inner apostrophes (don't, l'été): one token, not two.
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:['’][^\W_{_CJK}]+)*")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_SPACE = re.compile(r"\s+")
# A line that ends like a sentence: terminal punctuation, optionally followed by closing quotes.
_SENTENCE_END = re.compile(r"[.!?。！？…:;][\"'”’»)\]」』]*$")


def normalize(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: the form exact duplicates are compared in."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_hash(text: str) -> str:
    """SHA-256 of ``normalize(text)``. A long text is normalised piece by piece (``_pieces``): all at
    once, NFKC costs several copies of it."""
    if len(text) < _LONG:
        return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()
    digest = hashlib.sha256()
    pending = ""  # each piece's trailing whitespace waits: the last piece's is stripped
    for k, piece in enumerate(_pieces(text)):
        normal = _SPACE.sub(" ", unicodedata.normalize("NFKC", piece).casefold())
        normal = normal.lstrip() if k == 0 else normal
        if not normal:
            continue
        body = normal.rstrip()
        digest.update((pending + body).encode("utf-8"))
        pending = normal[len(body) :]
    return digest.hexdigest()


def _pieces(text: str) -> Iterator[str]:
    """``text`` in pieces of about ``_PIECE`` characters, each cut between whitespace and an ASCII
    letter or digit: nothing that NFKC composes or case folding changes spans a cut, and neither
    does a run of whitespace or a token, so normalising and tokenising piece by piece gives what
    normalising and tokenising the whole gives."""
    start = 0
    while start < len(text):
        cut = _CUT.search(text, start + _PIECE)
        end = cut.start() if cut else len(text)
        yield text[start:end]
        start = end


def tokens(text: str) -> list[str]:
    """Case-folded word tokens; in CJK scripts every character is a token."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def iter_tokens(text: str) -> Iterable[str]:
    """``tokens``, a long text's piece by piece: its whole token list would cost about ten times its
    size, and normalising it at once several copies of it. A short text's come as the list (faster).
    Either can be iterated more than once."""
    return tokens(text) if len(text) < _LONG else _PieceTokens(text)


class _PieceTokens:
    """A long text's tokens, normalised and found piece by piece each time they are iterated."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __iter__(self) -> Iterator[str]:
        for piece in _pieces(self.text):
            for match in _TOKEN.finditer(unicodedata.normalize("NFKC", piece).casefold()):
                yield match[0]


def content_terms(text: str) -> set[str]:
    """Tokens that carry topic: words of four letters or more (short ones are mostly function words,
    in any alphabetic language) and bigrams of consecutive CJK characters (one a token each)."""
    terms: set[str] = set()
    previous_cjk = ""
    for token in iter_tokens(text):
        if len(token) >= 4:
            if not token.isdigit():
                terms.add(token)
        elif len(token) == 1 and _CJK_CHAR.match(token):
            if previous_cjk:
                terms.add(previous_cjk + token)
            previous_cjk = token
    return terms


def optional_str(value: object) -> str | None:
    """A stripped, non-empty string, or None (for metadata fields of unknown type)."""
    return value.strip() or None if isinstance(value, str) else None


def word_count(text: str) -> int:
    """Words, counting each CJK character as one (those scripts do not separate words)."""
    if len(text) < _LONG:
        return len(_TOKEN.findall(text))
    return sum(1 for _ in _TOKEN.finditer(text))  # without the list of every word of a long text


_LONG = 100_000
_PIECE = 65_536
_CUT = re.compile(r"(?<=\s)(?=[A-Za-z0-9])")


def is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))
