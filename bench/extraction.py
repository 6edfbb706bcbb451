"""Cleaning quality on the development sets, side by side with trafilatura alone on the same pages.

Sets (``../shared/data/README.md`` says which are for tuning and which for validation):
  extraction-dev        tune        400 WCXB article pages
  extraction-val        validation  393 more WCXB article pages
  news-tune, news-val   tune / validation halves of news-dev (real news and blog pages, many languages)

Modes, each over the same pages:
  trafilatura  trafilatura 2.3.1 alone (comments off, metadata on)
  html         docclean on the HTML page
  text         docclean on the page's visible text (tags, scripts and styles stripped; one line per
               block element): what a scraper hands over as plain text

Prints per set and mode: word precision / recall / F1 (bag of lowercased words, per page, averaged),
the share of `without` snippets that leak into the output and of `with` snippets kept (WCXB sets),
the pages more than 0.1 F1 below (and above) trafilatura alone, title / author / date accuracy on pages
whose gold has them, and pages per second (of one process).

    python bench/extraction.py [--sets extraction-val,news-val] [--modes html,text] [--set section.key=value]
                               [--worst N] [--dump FILE]

``--worst`` lists a tune set's lowest-scoring pages; it never lists validation pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura  # noqa: E402

from docclean.tasks.config import Config, load_config  # noqa: E402
from docclean.tasks.extract import extract_batch  # noqa: E402
from docclean.tasks.records import RawRecord  # noqa: E402
from docclean.tasks.sandbox import retire  # noqa: E402
from docclean.tasks.text import normalize  # noqa: E402
from docclean.tasks.visible import visible_text  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DATA = SHARED / "extraction-dev"
# name: (folder, news-dev split or None, role)
SETS = {
    "extraction-dev": ("extraction-dev", None, "tune"),
    "extraction-val": ("extraction-val", None, "validation"),
    "news-tune": ("news-dev", "tune", "tune"),
    "news-val": ("news-dev", "validation", "validation"),
}
DEFAULT_SETS = "extraction-dev,extraction-val,news-tune,news-val"
BELOW = 0.1  # a page this much F1 below trafilatura alone counts as a loss


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

    @property
    def f1(self) -> float:
        return sum(self.f) / len(self.f) if self.f else 0.0

    def row(self, name: str, baseline: Score | None = None) -> str:
        mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
        meta = "  ".join(
            f"{k} {self.meta[k] / self.meta_total[k]:.3f}" for k in ("title", "author", "date") if self.meta_total[k]
        )
        snippets = (
            f"leak {self.leaked / self.without:.4f}  with {self.kept / max(self.with_, 1):.4f}  "
            if self.without
            else ""
        )
        versus = ""
        if baseline is not None:
            below = sum(ours < theirs - BELOW for ours, theirs in zip(self.f, baseline.f))
            above = sum(ours > theirs + BELOW for ours, theirs in zip(self.f, baseline.f))
            versus = f"below {below} ({below / len(self.f):.1%})  above {above}  "
        pages_per_s = len(self.f) / self.seconds if self.seconds else 0.0
        return (
            f"  {name:<12} P {mean(self.p):.4f}  R {mean(self.r):.4f}  F1 {self.f1:.4f}  "
            f"{snippets}{versus}{meta}  pages/s {pages_per_s:.1f}"
        )


def load_pages(limit: int | None = None, name: str = "extraction-dev") -> list[Page]:
    folder, split, _ = SETS[name]
    root = SHARED / folder
    pages = []
    for line in (root / "gold.jsonl").open(encoding="utf-8"):
        gold = json.loads(line)
        if split and gold.get("split") != split:
            continue
        html = gzip.decompress((root / "html" / f"{gold['id']}.html.gz").read_bytes()).decode("utf-8", "replace")
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
    retire()  # the cleaning child outlives its batch: ended, its CPU is counted
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
    """docclean stores UTC; the gold has the page's local date, which may be a day either side. A gold
    that names only the month ("2015-11") needs the same month."""
    if len(gold) < 10:
        return out.startswith(gold)
    g, o = date.fromisoformat(gold[:10]), date.fromisoformat(out[:10])
    return abs((g - o).days) <= 1


# news-dev's gold author is the page's raw byline ("By Jane Doe, Staff Writer | May 3"): its label words
_BYLINE_WORDS = {"by", "and", "von", "par", "por", "de", "et", "und", "y", "e"}


def same_author(gold: str, out: str, *, raw_byline: bool = False) -> bool:
    """The same names ("Maria & Katerina" and "Maria; Katerina" agree). news-dev's gold is the page's raw
    byline ("By Jane Doe, Staff Writer"), so there every word of the output's name must be in it."""
    g, o = set(words(gold)) - {"and"}, set(words(out)) - {"and"}
    if raw_byline:
        g, o = g - _BYLINE_WORDS, o - _BYLINE_WORDS
        return bool(o) and o <= g
    return g == o


def score(pages: list[Page], outputs: list[Output]) -> Score:
    s = Score()
    for page, out in zip(pages, outputs):
        p, r, f = word_prf(out.text, page.gold["main_content"] or "")
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
            "author": (gold.get("author"), out.author, partial(same_author, raw_byline="split" in gold)),
            "date": (gold.get("publish_date"), out.date, same_day),
        }
        for key, (g, o, same) in checks.items():
            if g:
                s.meta_total[key] += 1
                s.meta[key] += bool(o) and same(g, o)
    return s


def evaluate(pages: list[Page], mode: str, cfg: Config) -> tuple[Score, list[Output]]:
    runners = {
        "trafilatura": lambda: run_trafilatura(pages, cfg),
        "html": lambda: run_docclean(pages, cfg, as_text=False),
        "text": lambda: run_docclean(pages, cfg, as_text=True),
    }
    start = _cpu_seconds()
    outputs = runners[mode]()
    s = score(pages, outputs)
    s.seconds = _cpu_seconds() - start
    return s, outputs


def _cpu_seconds() -> float:
    """This process's CPU and its finished children's: docclean cleans records in a child process."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=DEFAULT_SETS, help=f"comma-separated, of {', '.join(SETS)}")
    parser.add_argument("--modes", default="html,text", help="trafilatura alone always runs as the baseline")
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages of each tune set and mode")
    parser.add_argument("--dump", type=Path, help="write every page's output to this JSONL file")
    args = parser.parse_args()
    cfg = load_config(args.overrides)
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    for name in args.sets.split(","):
        pages = load_pages(args.limit, name)
        role = SETS[name][2]
        print(f"{name} ({role}): {len(pages)} pages", flush=True)
        baseline, _ = evaluate(pages, "trafilatura", cfg)
        print(baseline.row("trafilatura"), flush=True)
        for mode in [m for m in args.modes.split(",") if m != "trafilatura"]:
            s, outputs = evaluate(pages, mode, cfg)
            print(s.row(mode, baseline), flush=True)
            if dump:
                for page, out, f in zip(pages, outputs, s.f):
                    dump.write(json.dumps({"set": name, "mode": mode, "id": page.id, "f1": f, **asdict(out)}) + "\n")
            if args.worst and role == "tune":
                ranked = sorted(zip(s.f, baseline.f, pages), key=lambda t: t[0] - t[1])[: args.worst]
                for f, theirs, page in ranked:
                    print(f"    {page.id}  F1 {f:.3f}  trafilatura {theirs:.3f}  {page.url}")
    if dump:
        dump.close()


if __name__ == "__main__":
    main()
