"""Discover inputs under a folder or fsspec URL, and read them into records (or rejects)."""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone

import fsspec
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import task_run
from warcio.archiveiterator import ArchiveIterator

from docclean.tasks.config import Config, InputConfig
from docclean.tasks.decode import RejectError, decoded_text
from docclean.tasks.records import RawRecord, Reject, RejectReason
from docclean.tasks.text import optional_str


def discover(root: str, cfg: InputConfig) -> list[str]:
    """Every input file under ``root`` (recursively), sorted, as URIs or local paths."""
    fs, path = fsspec.core.url_to_fs(root)
    if not fs.exists(path):
        raise FileNotFoundError(f"input folder or file not found: {root}")
    if fs.isfile(path):
        found = [path]
    else:
        found = [p for p in fs.find(path) if not _hidden(p, path)]
    keep = sorted(p for p in found if p.lower().endswith(cfg.extensions))
    return [_to_uri(fs, p) for p in keep]


def _hidden(path: str, root: str) -> bool:
    return any(part.startswith(".") for part in path[len(root) :].split("/"))


def _to_uri(fs: fsspec.AbstractFileSystem, path: str) -> str:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return path if protocol in ("file", "local") else fs.unstrip_protocol(path)


def content_id(data: bytes) -> str:
    """A document id derived from its raw content: byte-identical inputs share it."""
    return hashlib.sha256(data).hexdigest()[:32]


# errno values of failures worth retrying: the next attempt may well succeed
_TRANSIENT_ERRNOS = {
    errno.EIO, errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.ETIMEDOUT, errno.ECONNRESET,
    errno.ECONNABORTED, errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH,
}  # fmt: skip


def is_transient(exc: BaseException) -> bool:
    """A failure that may pass on retry (a timeout, a dropped connection), unlike a missing file."""
    if isinstance(exc, (TimeoutError, ConnectionError)):
        return True
    return isinstance(exc, OSError) and exc.errno in _TRANSIENT_ERRNOS


def read_input(uri: str, cfg: Config, *, final_attempt: bool = True) -> Iterator[RawRecord | Reject]:
    """Read one input file: one record for an HTML page or a text (its bytes, decoded when it is
    cleaned), one per line for .jsonl (decoded here, to split it), one per HTML response of a WARC;
    ``.gz`` files are inflated first. Rejects carry reasons.

    Compressed input is untrusted: a file (or a WARC record) that inflates past ``input.max_bytes`` is
    rejected as ``too_large`` without inflating further. A transient I/O failure is raised (so that
    Prefect retries the batch) unless this is the final attempt, when it becomes an ``unreadable``
    reject like any other failure to read.
    """
    kind = input_kind(uri)
    if kind == "warc":
        yield from _read_warc(uri, cfg, final_attempt=final_attempt)
        return
    limit = cfg.input.max_bytes
    compressed = uri.lower().endswith(".gz")
    try:
        fs, path = fsspec.core.url_to_fs(uri)
        size = fs.size(path)
        if size is not None and size > limit:
            yield Reject(uri, RejectReason.TOO_LARGE, f"{size} bytes > {limit}", f"too_large:{uri}:{size}")
            return
        with fs.open(path, "rb") as fh:
            data = fh.read(limit + 1)
            if compressed and len(data) <= limit:
                with gzip.GzipFile(fileobj=io.BytesIO(data)) as inflating:
                    data = inflating.read(limit + 1)  # at most this much, however much the file would inflate to
    except Exception as exc:  # noqa: BLE001 - any filesystem's (or a cut gzip's) failure ends as a reject or a retry
        if is_transient(exc) and not final_attempt:
            raise
        yield Reject(uri, RejectReason.UNREADABLE, f"{type(exc).__name__}: {exc}")
        return
    if len(data) > limit:
        inflated = " once inflated" if compressed else ""
        yield Reject(uri, RejectReason.TOO_LARGE, f"more than {limit} bytes{inflated}", f"too_large:{uri}")
        return
    if kind != "jsonl":
        # decoded where it is cleaned, so that decoding runs in the workers beside the cleaning
        yield RawRecord(content_id(data), uri, kind, data, kind == "html")
        return
    try:
        text = decoded_text(data, cfg.decode, html=False)
    except RejectError as exc:
        yield Reject(uri, exc.reason, exc.detail, content_id(data))
        return
    yield from _jsonl_records(uri, text)


def input_kind(uri: str) -> str:
    """html, text, jsonl or warc, from the file's name (a ``.gz`` ending aside)."""
    name = uri.lower().removesuffix(".gz")
    if name.endswith((".html", ".htm")):
        return "html"
    return "jsonl" if name.endswith(".jsonl") else "warc" if name.endswith(".warc") else "text"


def _read_warc(uri: str, cfg: Config, *, final_attempt: bool) -> Iterator[RawRecord | Reject]:
    """Each response record of a WARC (as Common Crawl, wget, Heritrix and Browsertrix write them) is one
    input, named ``FILE#<WARC-Record-ID>``; other record types (requests, metadata, warcinfo) are not
    documents. A response that is not HTML is rejected as ``not_article``; a record over
    ``input.max_bytes`` as ``too_large``. In a compressed WARC the records after an oversized one cannot
    be reached without inflating it: they are rejected together, and the file is read no further."""
    limit = cfg.input.max_bytes
    done = 0
    try:
        fs, path = fsspec.core.url_to_fs(uri)
        with fs.open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                done += 1
                record_id = (record.rec_headers.get_header("WARC-Record-ID") or f"response-{done}").strip("<>")
                source = f"{uri}#{record_id}"
                declared = int(record.rec_headers.get_header("Content-Length") or 0)
                if declared > limit:
                    yield Reject(
                        source, RejectReason.TOO_LARGE, f"a {declared}-byte record > {limit}", f"too_large:{source}"
                    )
                    if uri.lower().endswith(".gz"):
                        yield Reject(f"{uri}#after-{record_id}", RejectReason.TOO_LARGE,
                                     "records after an oversized record of a compressed WARC are not read")  # fmt: skip
                        return
                    continue
                yield _warc_response(source, record, limit)
    except Exception as exc:  # noqa: BLE001 - a broken WARC costs its unread records, reported as one reject
        if is_transient(exc) and not final_attempt and done == 0:
            raise
        where = f"{uri}#after-record-{done}" if done else uri
        yield Reject(where, RejectReason.UNREADABLE, f"{type(exc).__name__}: {exc}")


def _warc_response(source: str, record, limit: int) -> RawRecord | Reject:
    url = record.rec_headers.get_header("WARC-Target-URI")
    content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or ""
    if "html" not in content_type.lower():
        return Reject(
            source,
            RejectReason.NOT_ARTICLE,
            f"a {content_type or 'untyped'} response, not an HTML page",
            f"not_html:{source}",
        )
    data = record.content_stream().read(limit + 1)  # undoes chunked and gzip transfer encodings, bounded
    if len(data) > limit:
        return Reject(
            source, RejectReason.TOO_LARGE, f"payload inflates to more than {limit} bytes", f"too_large:{source}"
        )
    charset = _CHARSET.search(content_type)
    return RawRecord(content_id(data), source, "warc", data, True, url=url, charset=charset[1] if charset else None)


_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def _jsonl_records(uri: str, text: str) -> Iterator[RawRecord | Reject]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{uri}#{number}"
        try:
            yield _jsonl_record(source, line)
        except RejectError as exc:
            yield Reject(source, exc.reason, exc.detail, _line_id(line))


def _line_id(line: str) -> str:
    return content_id(line.strip().encode("utf-8"))


def _jsonl_record(source: str, line: str) -> RawRecord:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RejectError(RejectReason.BAD_RECORD, f"invalid JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise RejectError(RejectReason.BAD_RECORD, f"a JSON {type(obj).__name__}, not an object")
    body = obj.get("html") if obj.get("html") is not None else obj.get("text")
    if not isinstance(body, str):
        raise RejectError(RejectReason.BAD_RECORD, "no string field 'html' or 'text'")
    if not body.strip():
        raise RejectError(RejectReason.EMPTY, "empty 'html'/'text' field")
    return RawRecord(
        doc_id=_line_id(line),
        source_uri=source,
        source_format="jsonl",
        content=body,
        is_html=obj.get("html") is not None,
        url=optional_str(obj.get("url")),
        title=optional_str(obj.get("title")),
        published_at=parse_timestamp(obj.get("published_at")),
    )


def parse_timestamp(value: object) -> datetime | None:
    """ISO 8601 date or datetime to an aware UTC datetime; naive values are taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


@task(name="discover", cache_policy=NO_CACHE)
def discover_task(root: str, cfg: Config) -> list[str]:
    return discover(root, cfg.input)


def read_batch(uris: list[str], cfg: Config, *, final_attempt: bool = True) -> tuple[list[RawRecord], list[Reject]]:
    records: list[RawRecord] = []
    rejects: list[Reject] = []
    for uri in uris:
        for item in read_input(uri, cfg, final_attempt=final_attempt):
            (rejects if isinstance(item, Reject) else records).append(item)
    return records, rejects


@task(name="read", cache_policy=NO_CACHE)
def read_task(uris: list[str], cfg: Config) -> tuple[list[RawRecord], list[Reject]]:
    """Read a batch. The flow gives it ``input.read_retries``: transient failures raise until the last try."""
    return read_batch(uris, cfg, final_attempt=task_run.run_count > cfg.input.read_retries)
