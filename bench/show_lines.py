"""Debug view: a page's lines as docclean classifies them, marked against the gold ("G": in the gold).

python bench/show_lines.py PAGE_ID          # text mode: the page's visible text, cleaned
python bench/show_lines.py PAGE_ID --html   # HTML mode: trafilatura's main text, cleaned
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.extraction import load_pages  # noqa: E402
from docclean.tasks.boilerplate import clean_lines  # noqa: E402
from docclean.tasks.config import Config  # noqa: E402
from docclean.tasks.extract import clean_extracted  # noqa: E402
from docclean.tasks.html import extract_html  # noqa: E402
from docclean.tasks.text import normalize  # noqa: E402
from docclean.tasks.visible import visible_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page_id")
    parser.add_argument("--html", action="store_true", help="the HTML mode's lines (before any visible-text fallback)")
    args = parser.parse_args()
    (page,) = [p for p in load_pages(None) if p.id == args.page_id]
    cfg = Config()
    if args.html:
        extracted = extract_html(page.html, page.url, cfg.extraction)
        text = extracted.text
        meta = extracted.meta
        cleaned = clean_extracted(text, meta.title, meta.author, cfg)
    else:
        text = visible_text(page.html)
        cleaned = clean_lines(text, cfg.boilerplate)
    gold = normalize(page.gold["main_content"])
    removed = {r.line: r.reason for r in cleaned.removed}
    for line in text.splitlines():
        in_gold = "G" if len(line) > 15 and normalize(line.strip(" -|")) in gold else " "
        print(f"{in_gold} {removed.get(line.strip(), ''):<20} {line[:120]}")


if __name__ == "__main__":
    main()
