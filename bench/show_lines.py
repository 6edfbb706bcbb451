"""Debug view: a page's lines as docclean's text mode classifies them, marked against the gold.

    python bench/show_lines.py PAGE_ID [--html]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.extraction import load_pages  # noqa: E402
from tasks.boilerplate import clean_lines  # noqa: E402
from tasks.config import Config  # noqa: E402
from tasks.text import normalize  # noqa: E402
from tasks.visible import visible_text  # noqa: E402


def main() -> None:
    page_id = sys.argv[1]
    (page,) = [p for p in load_pages(None) if p.id == page_id]
    cleaned = clean_lines(visible_text(page.html), Config().boilerplate)
    gold = normalize(page.gold["main_content"])
    removed = {r.line: r.reason for r in cleaned.removed}
    for line in visible_text(page.html).splitlines():
        in_gold = "G" if len(line) > 15 and normalize(line) in gold else " "
        print(f"{in_gold} {removed.get(line.strip(), ''):<20} {line[:120]}")


if __name__ == "__main__":
    main()
