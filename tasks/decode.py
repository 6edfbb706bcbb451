"""Bytes to text: BOMs, declared charsets, UTF-8, then statistical detection; binary refused."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import ftfy
from charset_normalizer import from_bytes

from docclean.tasks.config import DecodeConfig
from docclean.tasks.records import RejectReason

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Magic numbers of formats that turn up in scraped folders and must not be read as text.
_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\x7fELF", b"RIFF")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f\ufffd]")
# the first bytes of UTF-8's multi-byte sequences (E2 80 for quotes and dashes, C3 for accented Latin,
# C2 for NBSP) as cp1252 or latin-1 show them: every mojibake page carries one; few clean pages do
_MOJIBAKE_MARKS = ("â€", "â\x80", "Ã", "Â")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class RejectError(Exception):
    """A deterministic reason to reject an input; carries the reason from the fixed vocabulary."""

    def __init__(self, reason: RejectReason, detail: str = "", text: str | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.text = text  # the clean text of a too_short record (it may be a copy of an article)


@dataclass(slots=True, frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_bytes(data: bytes, cfg: DecodeConfig, *, html: bool = False, charset: str | None = None) -> Decoded:
    """Decode an input's bytes, or raise RejectError(empty | binary | undecodable). ``charset`` is the
    one the transport declared (a WARC record's HTTP Content-Type): after a BOM, before ``<meta charset>``,
    as browsers rank them."""
    if not data.strip():
        raise RejectError(RejectReason.EMPTY, f"{len(data)} bytes of whitespace" if data else "0 bytes")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data, encoding, cfg)
            except UnicodeDecodeError:
                break  # bytes that merely look like a BOM: sniff as if there were none
    head = data[: cfg.sniff_bytes]
    if any(head.startswith(magic) for magic in _MAGIC):
        raise RejectError(RejectReason.BINARY, f"binary signature {head[:4]!r}")
    if b"\x00" in head:
        raise RejectError(RejectReason.BINARY, "NUL bytes in the first block")

    candidates = [name] if charset and (name := _browser_charset(charset)) else []
    if html and (declared := _declared_charset(head)):
        candidates.append(declared)
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return _checked(data, encoding, cfg)
        except (UnicodeDecodeError, LookupError):
            continue
    if rescued := _mostly_utf8(data, cfg):
        return rescued
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise RejectError(RejectReason.UNDECODABLE, "no encoding fits these bytes")
    try:
        return _checked(data, best.encoding, cfg)
    except (UnicodeDecodeError, LookupError) as exc:
        raise RejectError(RejectReason.UNDECODABLE, f"{best.encoding}: {exc}") from exc


def decoded_text(content: bytes | str, cfg: DecodeConfig, *, html: bool, charset: str | None = None) -> str:
    """A record's text: bytes decoded (``decode_bytes``), text as it is. Raises RejectError, also for a
    decoder bug, which must cost its input (as ``undecodable``), not its batch."""
    if isinstance(content, str):
        return content
    try:
        return decode_bytes(content, cfg, html=html, charset=charset).text
    except RejectError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise RejectError(RejectReason.UNDECODABLE, f"{type(exc).__name__}: {exc}") from exc


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    return _browser_charset(match.group(1).decode("ascii", "ignore")) if match else None


def _browser_charset(name: str) -> str | None:
    name = name.lower()
    try:
        # Browsers read latin-1 and ascii declarations as windows-1252 (WHATWG encoding spec).
        return "cp1252" if codecs.lookup(name).name in {"latin-1", "iso8859-1", "ascii"} else name
    except LookupError:
        return None


def _mostly_utf8(data: bytes, cfg: DecodeConfig) -> Decoded | None:
    """UTF-8 with a few corrupt bytes keeps its text (with U+FFFD) instead of becoming mojibake in a
    legacy code page. The evidence is the valid multi-byte sequences: a text in a legacy code page
    almost never forms one by chance (its "é" is one byte followed by ASCII), so bad bytes outnumbered
    by valid sequences are damage to a UTF-8 text, up to ``max_bad_utf8_ratio`` of its characters."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())  # a U+FFFD written in the input is no damage
    valid = len(_NON_ASCII.findall(text))
    if valid and (
        bad <= max(1, cfg.max_replacement_ratio * len(text))
        or (bad <= valid and bad <= cfg.max_bad_utf8_ratio * len(text))
    ):
        return _validated(text, "utf-8 (repaired)", cfg)
    return None


def _checked(data: bytes, encoding: str, cfg: DecodeConfig) -> Decoded:
    return _validated(data.decode(encoding), encoding, cfg)


def _validated(text: str, encoding: str, cfg: DecodeConfig) -> Decoded:
    text = text.lstrip("\ufeff")
    if cfg.repair_mojibake and any(mark in text for mark in _MOJIBAKE_MARKS):
        # the bytes decoded fine, but the page was saved from text already decoded wrongly upstream;
        # ftfy only re-decodes runs that form valid UTF-8 (a legitimate "Ã" stays)
        text = ftfy.fix_encoding(text)
    controls = len(_CONTROL.findall(text))
    if controls > cfg.max_control_ratio * max(len(text), 1):
        raise RejectError(RejectReason.UNDECODABLE, f"{controls} control characters after decoding as {encoding}")
    if not text.strip():
        raise RejectError(RejectReason.EMPTY, f"no text after decoding as {encoding}")
    return Decoded(text, encoding)
