import os
import re
import threading
import time
from functools import partial

import pytest

import docclean.tasks.decode
import docclean.tasks.metadata
from docclean.tasks import sandbox
from docclean.tasks.config import load_config
from docclean.tasks.decode import RejectError
from docclean.tasks.extract import extract_batch, extract_record
from docclean.tasks.records import RawRecord, Reject, RejectReason
from docclean.tasks.sandbox import sandboxed

PARAGRAPHS = [
    "The city council voted on Tuesday to extend the opening hours of all public libraries until ten in the evening.",
    "The measure, which costs about two million euros a year, was approved by a large majority after a long debate.",
    "Librarians welcomed the decision but said more staff would be needed to keep the buildings open safely.",
]

PAGE = f"""<!DOCTYPE html><html lang="en"><head>
<title>Libraries to stay open later | Riverside Gazette</title>
<meta property="og:site_name" content="Riverside Gazette">
<meta name="author" content="Maria Lopez">
<meta property="article:published_time" content="2025-05-06T14:00:00+02:00">
<meta name="keywords" content="libraries, council">
</head><body>
<div class="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Libraries to stay open later</h1>
<p class="byline">By Maria Lopez</p>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
<div class="newsletter"><p>Sign up for our newsletter</p></div>
</article>
<section class="related"><h3>More news</h3><ul>
<li><a href="/a">Local team wins cup final after penalty shoot-out</a></li>
<li><a href="/b">New bakery opens on the high street</a></li>
<li><a href="/c">Road works to close bridge for two weeks</a></li></ul></section>
<section id="comments"><h3>Comments</h3><div class="comment"><p>About time! The old hours were useless for anyone with a job.</p></div></section>
<footer><p>© 2025 Riverside Gazette. All rights reserved.</p></footer>
</body></html>"""


def record(content: str, is_html: bool = True, **kw) -> RawRecord:
    return RawRecord("id0", "mem://page.html", "html" if is_html else "text", content, is_html, **kw)


def test_html_main_text_and_metadata(cfg):
    doc = extract_record(record(PAGE), cfg)
    assert doc.text.split("\n") == PARAGRAPHS
    assert doc.title == "Libraries to stay open later"
    assert doc.author == "Maria Lopez"
    assert doc.site == "Riverside Gazette"
    assert doc.published_at.isoformat() == "2025-05-06T12:00:00+00:00"
    assert doc.tags == ["libraries", "council"]
    for furniture in ["cookies", "Home", "penalty", "bakery", "About time", "newsletter", "©"]:
        assert furniture not in doc.text


def test_record_metadata_wins_over_trafilatura_metadata(cfg):
    doc = extract_record(record(PAGE, url="https://gazette.example/libraries", title="Feed title"), cfg)
    assert doc.url == "https://gazette.example/libraries"
    assert doc.title == "Feed title"


def test_plain_text_gets_site_from_url(cfg):
    text = "\n".join(PARAGRAPHS)
    doc = extract_record(record(text, is_html=False, url="https://www.gazette.example/x"), cfg)
    assert doc.text == text and doc.site == "gazette.example"


def test_broken_html_still_yields_its_text(cfg):
    truncated = PAGE[: PAGE.index(PARAGRAPHS[2]) + 60]  # cut mid-paragraph, tags left open
    doc = extract_record(record(truncated), cfg)
    assert PARAGRAPHS[0] in doc.text and PARAGRAPHS[1] in doc.text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", RejectReason.NO_CONTENT),
        ("<html><body><p>Too short to be an article.</p></body></html>", RejectReason.TOO_SHORT),
        ("<<<>>><!--", RejectReason.NO_CONTENT),
    ],
)
def test_pages_without_an_article_are_rejected(cfg, content, reason):
    with pytest.raises(RejectError) as err:
        extract_record(record(content), cfg)
    assert err.value.reason == reason


def test_a_bad_record_does_not_cost_the_batch(cfg):
    good = record(PAGE)
    docs, rejects = extract_batch([record("<html></html>"), good, record("#only #tags", is_html=False)], cfg)
    assert [d.title for d in docs] == ["Libraries to stay open later"]
    assert [r.reason for r in rejects] == [RejectReason.NO_CONTENT, RejectReason.NO_CONTENT]


def test_bytes_are_decoded_where_the_record_is_cleaned(cfg, monkeypatch):
    """A file's bytes reach the clean task undecoded; what cannot be decoded is a reject keyed by the
    record's content id, and a decoder bug costs its record only."""
    decode_bytes = docclean.tasks.decode.decode_bytes

    def buggy(data, *args, **kwargs):
        if data.startswith(b"<p>bug"):
            raise IndexError("decoder bug")
        return decode_bytes(data, *args, **kwargs)

    monkeypatch.setattr(docclean.tasks.decode, "decode_bytes", buggy)
    page = PAGE.replace("Riverside Gazette", "Gazette du Rivière").encode("utf-16")  # with its BOM
    inputs = {"a": b"   ", "b": b"%PDF-1.7\n%\xe2\xe3", "c": b"<p>bug</p>", "d": page}
    records = [RawRecord(key, f"mem://{key}.html", "html", data, True) for key, data in inputs.items()]
    docs, rejects = extract_batch(records, cfg)
    assert [(d.doc_id, d.title, d.site) for d in docs] == [("d", "Libraries to stay open later", "Gazette du Rivière")]
    assert [(r.input_key, r.reason) for r in rejects] == [
        ("a", RejectReason.EMPTY),
        ("b", RejectReason.BINARY),
        ("c", RejectReason.UNDECODABLE),
    ]
    assert "IndexError: decoder bug" in rejects[2].detail


def test_word_count_counts_cjk_characters(cfg):
    text = "市議会は火曜日、図書館の開館時間を延長することを決めた。" * 3
    doc = extract_record(record(text, is_html=False), cfg)
    assert doc.word_count == 3 * 26  # every kana and kanji counts; punctuation does not


def _slow_page(paragraphs: int) -> str:
    body = "".join(f"<p>Paragraph {i} of a long report on the council's budget, the libraries and the roads.</p>"
                   for i in range(paragraphs))  # fmt: skip
    return f"<html><body><article>{body}</article></body></html>"


def test_a_page_over_the_cpu_limit_is_rejected_and_its_batch_goes_on():
    cfg = load_config(["extraction.max_cpu_seconds=0.2"])  # the slow page needs about two seconds here
    slow = RawRecord("slow", "mem://slow.html", "html", _slow_page(6000), True)
    started = time.process_time()
    docs, rejects = extract_batch([record(PAGE), slow, record(PAGE.replace("later", "longer"))], cfg)
    assert [(r.source_uri, r.reason) for r in rejects] == [("mem://slow.html", RejectReason.TIMED_OUT)]
    assert [d.title for d in docs] == ["Libraries to stay open later", "Libraries to stay open longer"]
    assert time.process_time() - started < 1  # the cleaning ran in the child, not in this process


def test_the_cpu_limit_stops_code_running_inside_c():
    """A regular expression in catastrophic backtracking never returns to the interpreter, where a
    signal handler would run; the kernel's limit ends it all the same."""

    def clean(record: RawRecord):
        if record.doc_id == "backtracks":
            re.match(r"(a+)+$", "a" * 64 + "b")  # hours of backtracking inside re's C code
        return Reject(record.source_uri, RejectReason.TOO_SHORT, "cleaned", record.doc_id)

    records = [RawRecord(name, f"mem://{name}", "text", b"", False) for name in ("first", "backtracks", "last")]
    outcomes = list(sandboxed(records, clean, 1))
    assert [(o.source_uri, o.reason) for o in outcomes] == [
        ("mem://first", RejectReason.TOO_SHORT),
        ("mem://backtracks", RejectReason.TIMED_OUT),
        ("mem://last", RejectReason.TOO_SHORT),  # a new child took over
    ]


def test_a_crashing_cleaner_costs_its_record_only():
    def clean(record: RawRecord):
        if record.doc_id == "crash":
            os._exit(3)  # as a segfault in an extension would end the process
        return Reject(record.source_uri, RejectReason.TOO_SHORT, "cleaned", record.doc_id)

    records = [RawRecord(name, f"mem://{name}", "text", b"", False) for name in ("crash", "next")]
    crashed, following = sandboxed(records, clean, 5)
    assert (crashed.reason, crashed.detail) == (
        RejectReason.EXTRACTION_FAILED,
        "the cleaning process ended with exit code 3",
    )
    assert following.reason == RejectReason.TOO_SHORT


def _pid_of_cleaner(record: RawRecord, tag: str = "") -> Reject:
    return Reject(record.source_uri, RejectReason.TOO_SHORT, f"{tag}{os.getpid()}", record.doc_id)


def test_one_child_cleans_batch_after_batch_and_a_new_one_serves_other_settings():
    """The child's warm caches are the point of keeping it: the same cleaner's next batch goes to the
    same process; another cleaner (other settings) gets a child of its own and sees its settings."""
    records = [RawRecord(name, f"mem://{name}", "text", b"", False) for name in ("a", "b")]
    first = list(sandboxed(records, partial(_pid_of_cleaner, tag="x"), 5))
    second = list(sandboxed(records, partial(_pid_of_cleaner, tag="x"), 5))
    other = list(sandboxed(records, partial(_pid_of_cleaner, tag="y"), 5))
    pids = {o.detail for o in first + second}
    assert len(pids) == 1 and pids != {f"x{os.getpid()}"}  # one child, not this process
    assert {o.detail[0] for o in other} == {"y"} and {o.detail[1:] for o in other}.isdisjoint(p[1:] for p in pids)


def test_a_child_whose_memory_grew_past_the_bound_retires(monkeypatch):
    monkeypatch.setattr(sandbox, "_RETIRE_GROWTH", -1)  # every record leaves it "too big"
    records = [RawRecord(name, f"mem://{name}", "text", b"", False) for name in ("a", "b", "c")]
    outcomes = list(sandboxed(records, _pid_of_cleaner, 5))
    assert [o.reason for o in outcomes] == [RejectReason.TOO_SHORT] * 3  # retiring costs no record
    assert len({o.detail for o in outcomes}) == 3


def test_the_cpu_limit_is_skipped_outside_the_main_thread():
    # forking is safe from the main thread only; a Dask worker runs tasks in other threads, without a limit
    cfg = load_config(["extraction.max_cpu_seconds=0.001"])
    found: list = []
    worker = threading.Thread(target=lambda: found.append(extract_batch([record(PAGE)], cfg)))
    worker.start()
    worker.join()
    ((docs, rejects),) = found
    assert [d.title for d in docs] == ["Libraries to stay open later"] and rejects == []


def test_a_failing_metadata_reader_costs_the_metadata_not_the_text(cfg, monkeypatch, caplog):
    def broken(tree, url):
        raise ValueError("htmldate choked")

    monkeypatch.setattr(
        docclean.tasks.metadata, "trafilatura_metadata", broken
    )  # a bug in a third-party metadata reader
    doc = extract_record(record(PAGE), cfg)
    assert all(p in doc.text for p in PARAGRAPHS)
    assert doc.title == "Libraries to stay open later"  # read from the text, as for plain text
    assert "text kept: ValueError: htmldate choked" in caplog.text


def _html(body: str) -> RawRecord:
    page = f"<!DOCTYPE html><html><head><title>Page</title></head><body>{body}</body></html>"
    return RawRecord("p", "page.html", "html", page.encode(), True)


def test_a_paywall_teaser_is_not_an_article():
    teaser = (
        "<article><h1>Markets rally as the central bank holds rates</h1>"
        f"<p>{PARAGRAPHS[0]} {PARAGRAPHS[1]}</p><p>+ FOLLOW</p>"
        "<p>Why you can trust our reporting</p><p><a href='/full'>READ FULL ARTICLE</a></p></article>"
    )
    with pytest.raises(RejectError) as caught:
        extract_record(_html(teaser), load_config())
    assert caught.value.reason == RejectReason.NOT_ARTICLE
    # the same wording under a whole article does not condemn it
    article = teaser.replace("</p><p>+ FOLLOW", " ".join(PARAGRAPHS * 6) + "</p><p>+ FOLLOW")
    assert extract_record(_html(article), load_config()).word_count > 200


def test_a_page_that_is_mostly_links_to_other_pages_is_not_an_article():
    headlines = [f"{p.split(',')[0]} in district number {n}" for n in range(8) for p in PARAGRAPHS]
    links = "".join(f"<p><a href='/story/{k}'>{text}</a></p>" for k, text in enumerate(headlines))
    with pytest.raises(RejectError) as caught:
        extract_record(_html(f"<main><h1>Latest news</h1>{links}</main>"), load_config())
    assert caught.value.reason == RejectReason.NOT_ARTICLE
    # an article with links in its sentences is one
    linked = "".join(f"<p>{p} <a href='/more'>More on this</a> as reported.</p>" for p in PARAGRAPHS * 3)
    assert extract_record(_html(f"<article><h1>Libraries open later</h1>{linked}</article>"), load_config())
