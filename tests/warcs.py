"""WARC files as crawlers write them, for the tests: a warcinfo record, then a request and a response
per page."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def write_warc(path: Path, responses: list[tuple[str, str, bytes]], *, compress: bool = True,
               record_ids: list[str] | None = None) -> str:  # fmt: skip
    """``responses`` are (url, Content-Type, body); ``record_ids`` name the response records (warcio
    makes up UUIDs otherwise). Returns the file's path as a string."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "docclean tests"}))
        for n, (url, content_type, body) in enumerate(responses):
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(request)
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            ids = {"WARC-Record-ID": f"<{record_ids[n]}>"} if record_ids else None
            response = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict=ids
            )
            writer.write_record(response)
    return str(path)
