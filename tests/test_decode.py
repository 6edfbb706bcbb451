import codecs

import pytest

from docclean.tasks.decode import RejectError, decode_bytes
from docclean.tasks.records import RejectReason

ARTICLE = "Die Bürgermeisterin sagte: „Wir öffnen die Schwimmbäder länger.“ Das Café am Fluß bleibt zu."


def decode(data: bytes, cfg, html=False):
    return decode_bytes(data, cfg.decode, html=html)


def test_utf8_and_utf8_bom(cfg):
    assert decode(ARTICLE.encode(), cfg).text == ARTICLE
    assert decode(codecs.BOM_UTF8 + ARTICLE.encode(), cfg).text == ARTICLE


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(cfg, encoding):
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    assert decode(bom + ARTICLE.encode(encoding), cfg).text == ARTICLE


def test_cp1252_text_is_detected(cfg):
    text = "The minister said the “new rules” won’t apply before 2026 – a delay critics called “absurd”. " * 3
    assert decode(text.encode("cp1252"), cfg).text == text


def test_shift_jis_text_is_detected(cfg):
    text = (
        "日本政府は南鳥島周辺の海底でレアアースを含む泥の試験採掘を始めたと発表しました。今後の分析結果が注目されます。"
        * 2
    )
    assert decode(text.encode("shift_jis"), cfg).text == text


def test_mojibake_saved_as_utf8_is_repaired(cfg):
    # UTF-8 read as cp1252 by some tool upstream, then saved as UTF-8: valid bytes, wrong text
    mojibake = ARTICLE.encode().decode("cp1252")
    assert "Ã¶" in mojibake
    assert decode(mojibake.encode(), cfg).text == ARTICLE
    # read as latin-1 instead, C1 controls and all ("Investorâ\x80\x99s")
    quoted = "The Investor’s Guide – a “calculator” review. " * 3
    assert decode(quoted.encode().decode("latin-1").encode(), cfg).text == quoted


def test_mojibake_repair_leaves_real_text_and_can_be_turned_off(cfg):
    capitals = "SÃO PAULO — A prefeitura de SÃO PAULO anunciou novas linhas de ônibus. Â bientôt."
    assert decode(capitals.encode(), cfg).text == capitals
    mojibake = ARTICLE.encode().decode("cp1252")
    raw = cfg.model_copy(update={"decode": cfg.decode.model_copy(update={"repair_mojibake": False})})
    assert decode(mojibake.encode(), raw).text == mojibake


def test_meta_charset_is_honoured_for_html(cfg):
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Señor Muñoz ganó</p></body></html>'
    decoded = decode(page.encode("latin-1"), cfg, html=True)
    assert "Señor Muñoz ganó" in decoded.text
    assert decoded.encoding == "cp1252"  # latin-1 declarations mean windows-1252, as in browsers


def test_wrong_meta_charset_falls_back(cfg):
    page = '<html><head><meta charset="utf-8"></head><body><p>“Quoted” café</p></body></html>'
    assert "“Quoted” café" in decode(page.encode("cp1252"), cfg, html=True).text


def test_mostly_utf8_keeps_its_text(cfg):
    data = ("Größere Städte wachsen schneller. " * 20).encode() + b"\xff" + " Ende.".encode()
    decoded = decode(data, cfg)
    assert "Größere Städte" in decoded.text  # not mojibake such as "GrÃ¶ÃŸere"
    assert decoded.text.count("\ufffd") == 1


def test_utf8_with_a_few_stray_bytes_is_utf8_not_a_legacy_code_page(cfg):
    # two stray bytes in about 950: more than the replacement ratio allows, but the text's valid
    # multi-byte sequences ("ß", "ä", "ü") outnumber them: a damaged UTF-8 text, not ISO-8859-10
    text = ("Die Straßenbahnlinie fährt über die Brücke. " * 21).encode()
    damaged = text[:300] + b"\xb8\xfe" + text[300:]
    decoded = decode(damaged, cfg)
    assert decoded.encoding == "utf-8 (repaired)"
    assert decoded.text.count("\ufffd") == 2 and decoded.text.replace("\ufffd", "") == text.decode()


def test_a_legacy_code_page_text_is_not_taken_for_damaged_utf8(cfg):
    text = "Größere Städte wachsen schneller, sagte der Bürgermeister am Dienstag. " * 10
    assert decode(text.encode("cp1252"), cfg).text == text


def test_the_transports_charset_ranks_above_meta_charset(cfg):
    page = '<html><head><meta charset="utf-8"></head><body>Café déjà vu à Paris</body></html>'
    decoded = decode_bytes(page.encode("cp1252"), cfg.decode, html=True, charset="windows-1252")
    assert "Café déjà vu" in decoded.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", RejectReason.EMPTY),
        (b"  \n\t\r\n", RejectReason.EMPTY),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, RejectReason.BINARY),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", RejectReason.BINARY),
        (b"some text\x00\x00\x00with NULs", RejectReason.BINARY),
        (bytes([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0E, 0x0F, 0x10] * 50), RejectReason.UNDECODABLE),
    ],
)
def test_bad_bytes_are_rejected_with_a_reason(cfg, data, reason):
    with pytest.raises(RejectError) as err:
        decode(data, cfg)
    assert err.value.reason == reason
    assert err.value.detail


def test_bytes_that_only_look_like_a_bom_are_sniffed_instead(cfg):
    # \xff\xfe is the UTF-16 LE BOM, but what follows is no UTF-16: not a crash, a verdict
    with pytest.raises(RejectError) as err:
        decode(b"\xff\xfe\xfa" + bytes(range(128, 256)) * 20, cfg)
    assert err.value.reason == RejectReason.UNDECODABLE
