"""Cleaning quality on ../shared/data/extraction-dev, side by side with trafilatura alone.

Modes, each over the same pages:
  trafilatura  trafilatura 2.3.1 alone (comments off, metadata on)
  html         docclean on the HTML page
  text         docclean on the page's visible text (tags, scripts and styles stripped; one line per
               block element): what a scraper hands over as plain text

Prints per mode: word precision / recall / F1 (bag of lowercased words, per page, averaged), the
share of `without` snippets that leak into the output, the share of `with` snippets kept,
title / author / date accuracy on pages whose gold has them (same words, ignoring punctuation and
case; the same day, give or take the one that converting to UTC may shift), and pages per second.

    python bench/extraction.py [--limit N] [--modes trafilatura,html,text] [--set section.key=value]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura  # noqa: E402

from tasks.config import Config, load_config  # noqa: E402
from tasks.extract import extract_batch  # noqa: E402
from tasks.records import RawRecord  # noqa: E402
from tasks.text import normalize  # noqa: E402
from tasks.visible import visible_text  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction-dev"


@dataclass
class Page:
    id: str
    url: str
    html: str
    gold: dict


@dataclass
class Output:
    text: str = ""
    title: str | None = None
    author: str | None = None
    date: str | None = None


@dataclass
class Score:
    p: list[float] = field(default_factory=list)
    r: list[float] = field(default_factory=list)
    f: list[float] = field(default_factory=list)
    leaked: int = 0
    without: int = 0
    kept: int = 0
    with_: int = 0
    meta: Counter = field(default_factory=Counter)
    meta_total: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def row(self, name: str, pages: int) -> str:
        mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
        meta = "  ".join(
            f"{k} {self.meta[k] / self.meta_total[k]:.3f}" for k in ("title", "author", "date") if self.meta_total[k]
        )
        return (
            f"{name:<12} P {mean(self.p):.4f}  R {mean(self.r):.4f}  F1 {mean(self.f):.4f}  "
            f"leak {self.leaked / max(self.without, 1):.4f}  with {self.kept / max(self.with_, 1):.4f}  "
            f"{meta}  pages/s {pages / self.seconds:.1f}"
        )


def load_pages(limit: int | None) -> list[Page]:
    pages = []
    for line in (DATA / "gold.jsonl").open(encoding="utf-8"):
        gold = json.loads(line)
        html = gzip.decompress((DATA / "html" / f"{gold['id']}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append(Page(gold["id"], gold["url"], html, gold))
        if limit and len(pages) >= limit:
            break
    return pages


def words(text: str) -> list[str]:
    """The benchmark's own word definition, fixed so that pipeline changes cannot move the yardstick."""
    return re.findall(r"\w+", text.lower())


def word_prf(predicted: str, gold: str) -> tuple[float, float, float]:
    pred, ref = Counter(words(predicted)), Counter(words(gold))
    if not pred and not ref:
        # A page with no article (gold empty) and nothing extracted is a right answer: 1.0, as in the
        # ScrapingHub evaluation that WCXB follows (precision and recall are 1 when fp == fn == 0).
        return 1.0, 1.0, 1.0
    overlap = sum((pred & ref).values())
    p = overlap / sum(pred.values()) if pred else 0.0
    r = overlap / sum(ref.values()) if ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_trafilatura(pages: list[Page], cfg: Config) -> list[Output]:
    outputs = []
    for page in pages:
        doc = trafilatura.bare_extraction(
            page.html, url=page.url, include_comments=False, deduplicate=False, with_metadata=True
        )
        outputs.append(Output(doc.text or "", doc.title, doc.author, doc.date) if doc else Output())
    return outputs


def run_docclean(pages: list[Page], cfg: Config, *, as_text: bool) -> list[Output]:
    """docclean on each page's bytes (in text mode, its visible text as a scraper saves it), decoded by
    the pipeline's decoder in ``extract_batch`` as in a run; a page it rejects scores as empty output."""
    records = [
        RawRecord(p.id, p.id, "text" if as_text else "html", _saved(p, as_text), not as_text, url=p.url) for p in pages
    ]
    docs, _ = extract_batch(records, cfg)
    by_id = {d.doc_id: d for d in docs}
    return [
        Output(d.text, d.title, d.author, d.published_at.date().isoformat() if d.published_at else None)
        if (d := by_id.get(p.id))
        else Output()
        for p in pages
    ]


def _saved(page: Page, as_text: bool) -> bytes:
    return (visible_text(page.html) if as_text else page.html).encode()


def same_day(gold: str, out: str) -> bool:
    """docclean stores UTC; the gold has the page's local date, which may be a day either side."""
    g, o = date.fromisoformat(gold[:10]), date.fromisoformat(out[:10])
    return abs((g - o).days) <= 1


def score(pages: list[Page], outputs: list[Output]) -> Score:
    s = Score()
    for page, out in zip(pages, outputs):
        p, r, f = word_prf(out.text, page.gold["main_content"])
        s.p.append(p), s.r.append(r), s.f.append(f)
        text = normalize(out.text)
        for snippet in page.gold.get("without") or []:
            s.without += 1
            s.leaked += normalize(snippet) in text
        for snippet in page.gold.get("with") or []:
            s.with_ += 1
            s.kept += normalize(snippet) in text
        gold = page.gold
        # "Right" means the same words, whatever the punctuation, quote style or name separators
        # ("Maria & Katerina" and "Maria; Katerina"); dates must agree on the day (see same_day).
        checks = {
            "title": (gold.get("title"), out.title, lambda g, o: words(g) == words(o)),
            "author": (gold.get("author"), out.author, lambda g, o: set(words(g)) - {"and"} == set(words(o)) - {"and"}),
            "date": (gold.get("publish_date"), out.date, same_day),
        }
        for key, (g, o, same) in checks.items():
            if g:
                s.meta_total[key] += 1
                s.meta[key] += bool(o) and same(g, o)
    return s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--modes", default="trafilatura,html,text")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--worst", type=int, default=0, help="also list the N worst pages of the last mode")
    args = parser.parse_args()
    cfg = load_config(args.overrides)
    pages = load_pages(args.limit)
    runners = {
        "trafilatura": lambda: run_trafilatura(pages, cfg),
        "html": lambda: run_docclean(pages, cfg, as_text=False),
        "text": lambda: run_docclean(pages, cfg, as_text=True),
    }
    print(f"extraction-dev: {len(pages)} pages")
    for mode in args.modes.split(","):
        start = time.perf_counter()
        outputs = runners[mode]()
        s = score(pages, outputs)
        s.seconds = time.perf_counter() - start
        print(s.row(mode, len(pages)), flush=True)
    if args.worst:
        ranked = sorted(zip(s.f, s.p, s.r, pages), key=lambda t: t[0])[: args.worst]
        for f, p, r, page in ranked:
            print(f"  {page.id}  F1 {f:.3f}  P {p:.3f}  R {r:.3f}  {page.url}")


if __name__ == "__main__":
    main()
