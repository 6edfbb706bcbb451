import gzip
import json
import os

import fsspec
import pytest

from docclean.tasks.config import load_config
from docclean.tasks.read import discover, parse_timestamp, read_input
from docclean.tasks.records import RawRecord, Reject, RejectReason
from tests.warcs import write_warc

BODY = "Paragraph one of a real article.\nParagraph two of the same article."


def test_discover_is_recursive_sorted_and_filtered(tmp_path, cfg):
    for name in ["b.txt", "a/z.HTML", "a/c.htm", "feed.jsonl", "notes.md", "img.png", ".hidden/x.txt", "a/.swap.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = [os.path.relpath(p, tmp_path) for p in discover(str(tmp_path), cfg.input)]
    assert found == ["a/c.htm", "a/z.HTML", "b.txt", "feed.jsonl"]


def test_discover_a_single_file(tmp_path, cfg):
    (tmp_path / "one.txt").write_text(BODY)
    assert discover(str(tmp_path / "one.txt"), cfg.input) == [str(tmp_path / "one.txt")]


def test_discover_and_read_through_fsspec_memory(cfg):
    fs = fsspec.filesystem("memory")
    fs.pipe({"/inbox/2026/a.txt": BODY.encode(), "/inbox/b.html": b"<p>x</p>", "/inbox/c.bin": b"\0"})
    uris = discover("memory://inbox", cfg.input)
    assert uris == ["memory:///inbox/2026/a.txt", "memory:///inbox/b.html"]
    (record,) = read_input(uris[0], cfg)
    # a file's bytes travel undecoded: the worker that cleans the record decodes it
    assert isinstance(record, RawRecord) and record.content == BODY.encode() and not record.is_html


def test_text_and_html_records(tmp_path, cfg):
    (tmp_path / "a.txt").write_bytes(BODY.encode())
    (tmp_path / "b.html").write_bytes(b"<html><body><p>Hi</p></body></html>")
    (text,) = read_input(str(tmp_path / "a.txt"), cfg)
    (page,) = read_input(str(tmp_path / "b.html"), cfg)
    assert (text.source_format, text.is_html) == ("text", False)
    assert (page.source_format, page.is_html) == ("html", True)


def test_doc_id_follows_content_not_name(tmp_path, cfg):
    (tmp_path / "a.txt").write_bytes(BODY.encode())
    (tmp_path / "copy-with-another-name.txt").write_bytes(BODY.encode())
    (tmp_path / "crlf.txt").write_bytes(BODY.replace("\n", "\r\n").encode())
    ids = [next(read_input(str(tmp_path / n), cfg)).doc_id for n in ["a.txt", "copy-with-another-name.txt", "crlf.txt"]]
    assert ids[0] == ids[1] != ids[2]


def test_jsonl_records_and_bad_lines(tmp_path, cfg):
    lines = [
        json.dumps(
            {
                "text": BODY,
                "url": "https://x.example/a",
                "title": "A title",
                "published_at": "2025-03-01T10:00:00+02:00",
            }
        ),
        "{not json",
        json.dumps({"html": "<p>Hello</p>"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"url": "https://x.example/no-body"}),
        json.dumps({"text": "   "}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    items = list(read_input(str(path), cfg))
    by_uri = {item.source_uri.rsplit("#", 1)[1]: item for item in items}
    assert sorted(by_uri, key=int) == ["1", "2", "3", "4", "6", "7"]  # line numbers, blank line 5 skipped
    first = by_uri["1"]
    assert isinstance(first, RawRecord)
    assert (first.source_format, first.url, first.title) == ("jsonl", "https://x.example/a", "A title")
    assert first.published_at.isoformat() == "2025-03-01T08:00:00+00:00"
    assert isinstance(by_uri["3"], RawRecord) and by_uri["3"].is_html
    assert [(k, by_uri[k].reason) for k in ["2", "4", "6", "7"]] == [
        ("2", RejectReason.BAD_RECORD),
        ("4", RejectReason.BAD_RECORD),
        ("6", RejectReason.BAD_RECORD),
        ("7", RejectReason.EMPTY),
    ]


def test_too_large_and_vanished_files_are_rejects(tmp_path, cfg):
    small = cfg.model_copy(update={"input": cfg.input.model_copy(update={"max_bytes": 10})})
    (tmp_path / "big.txt").write_text("x" * 11)
    (reject,) = read_input(str(tmp_path / "big.txt"), small)
    assert isinstance(reject, Reject) and reject.reason == RejectReason.TOO_LARGE
    (gone,) = read_input(str(tmp_path / "vanished.txt"), cfg)
    assert isinstance(gone, Reject) and gone.reason == RejectReason.UNREADABLE


def test_parse_timestamp():
    assert parse_timestamp("2025-10-28").isoformat() == "2025-10-28T00:00:00+00:00"
    assert parse_timestamp("2025-10-28T09:30:00+0900").isoformat() == "2025-10-28T00:30:00+00:00"
    assert parse_timestamp("2025-10-28T09:30:00Z").isoformat() == "2025-10-28T09:30:00+00:00"
    assert parse_timestamp("yesterday") is None
    assert parse_timestamp(None) is None


PAGE = "<html><head><title>Ferry fares</title></head><body><p>Ferry fares rise again.</p></body></html>"


def test_gzip_inputs_are_read_inflated(tmp_path, cfg):
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "notes.txt.gz").write_bytes(gzip.compress(BODY.encode()))
    feed = json.dumps({"text": BODY, "url": "https://example.org/a"}) + "\n"
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(feed.encode()))
    uris = discover(str(tmp_path), cfg.input)
    assert [os.path.basename(u) for u in uris] == ["feed.jsonl.gz", "notes.txt.gz", "page.html.gz"]
    feed_record, text, page = (next(iter(read_input(uri, cfg))) for uri in uris)
    assert (page.source_format, page.is_html, page.content) == ("html", True, PAGE.encode())
    assert (text.source_format, text.content) == ("text", BODY.encode())
    assert (feed_record.source_format, feed_record.url, feed_record.content) == ("jsonl", "https://example.org/a", BODY)


def test_a_gzip_bomb_is_too_large_and_is_not_inflated_past_the_limit(tmp_path, cfg, monkeypatch):
    cfg = load_config(["input.max_bytes=1000000"])
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b" " * 200_000_000))  # about 200 KB that inflate to 200 MB
    assert bomb.stat().st_size < cfg.input.max_bytes
    inflated = []
    real_read = gzip.GzipFile.read
    monkeypatch.setattr(gzip.GzipFile, "read", lambda self, size=-1: inflated.append(size) or real_read(self, size))
    (reject,) = read_input(str(bomb), cfg)
    assert isinstance(reject, Reject) and reject.reason == RejectReason.TOO_LARGE
    assert "once inflated" in reject.detail
    assert inflated == [cfg.input.max_bytes + 1]  # one bounded read, never the whole stream
    (broken,) = read_input(_write(tmp_path / "cut.txt.gz", gzip.compress(BODY.encode())[:-12]), cfg)
    assert broken.reason == RejectReason.UNREADABLE


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("compress", [True, False])
def test_each_html_response_of_a_warc_is_one_input(tmp_path, cfg, compress):
    name = "crawl.warc.gz" if compress else "crawl.warc"
    legacy = PAGE.replace("Ferry fares rise", "Café fares rise").encode("cp1252")
    uri = write_warc(
        tmp_path / name,
        [
            ("https://example.org/a", "text/html; charset=utf-8", PAGE.encode()),
            ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
            ("https://example.org/b", "text/html; charset=windows-1252", legacy),
        ],
        compress=compress,
    )
    assert discover(str(tmp_path), cfg.input) == [uri]
    first, image, second = read_input(uri, cfg)  # the warcinfo and request records are not documents
    assert (first.url, first.source_format, first.is_html, first.content) == (
        "https://example.org/a",
        "warc",
        True,
        PAGE.encode(),
    )
    assert first.source_uri.startswith(f"{uri}#urn:uuid:") and first.source_uri != second.source_uri
    assert (image.reason, image.source_uri.startswith(f"{uri}#urn:uuid:")) == (RejectReason.NOT_ARTICLE, True)
    assert (second.url, second.charset) == ("https://example.org/b", "windows-1252")


def test_an_oversized_warc_record_is_too_large_and_the_others_are_read(tmp_path, cfg):
    cfg = load_config(["input.max_bytes=100000"])
    big = b"<p>" + b"x" * 200_000
    uri = write_warc(tmp_path / "crawl.warc", [("https://example.org/a", "text/html", PAGE.encode()),
                                          ("https://example.org/big", "text/html", big),
                                          ("https://example.org/c", "text/html", PAGE.encode())], compress=False)  # fmt: skip
    first, oversized, last = read_input(uri, cfg)
    assert (first.url, last.url) == ("https://example.org/a", "https://example.org/c")
    assert oversized.reason == RejectReason.TOO_LARGE and oversized.source_uri.startswith(f"{uri}#urn:uuid:")
    # compressed, the records after it cannot be reached without inflating it: rejected together
    uri = write_warc(tmp_path / "crawl.warc.gz", [("https://example.org/a", "text/html", PAGE.encode()),
                                             ("https://example.org/big", "text/html", big),
                                             ("https://example.org/c", "text/html", PAGE.encode())])  # fmt: skip
    first, oversized, rest = read_input(uri, cfg)
    assert first.url == "https://example.org/a"
    assert (oversized.reason, rest.reason) == (RejectReason.TOO_LARGE, RejectReason.TOO_LARGE)
    assert "after" in rest.source_uri


def test_a_truncated_warc_keeps_its_complete_records(tmp_path, cfg):
    uri = write_warc(tmp_path / "crawl.warc.gz", [("https://example.org/a", "text/html", PAGE.encode())] * 3)
    data = open(uri, "rb").read()
    (tmp_path / "crawl.warc.gz").write_bytes(data[: len(data) - 300])  # into the last request record
    *records, broken = read_input(uri, cfg)
    assert [r.url for r in records] == ["https://example.org/a"] * 2
    assert broken.reason == RejectReason.UNREADABLE and "#after-record-" in broken.source_uri
