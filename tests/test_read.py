import json
import os

import fsspec

from tasks.read import discover, parse_timestamp, read_input
from tasks.records import RawRecord, Reject, RejectReason

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
        json.dumps({"text": BODY, "url": "https://x.example/a", "title": "A title", "published_at": "2025-03-01T10:00:00+02:00"}),
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
