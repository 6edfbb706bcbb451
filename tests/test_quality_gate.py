"""Quality gates on ../shared/data: word F1 on fixed samples of the validation sets (the first 80 pages of
extraction-val, news-dev's validation half) in both modes, near-duplicate ARI and precision on
neardup-dev, story ARI on stories-dev through `docclean run`. Each fails when its measure drops below a floor pinned a little
under the measured score (the full benchmarks are the scripts in bench/)."""

import json
import os

import pytest

from bench import neardup, stories
from bench.extraction import (
    SHARED,
    load_pages,
    run_docclean,
    run_trafilatura,
    score,
    word_prf,
)
from docclean.tasks.config import Config

pytestmark = pytest.mark.slow  # scores hundreds of pages in both modes

SAMPLES = {"extraction-val": 80, "news-val": None}
# measured on these samples (bench functions, default config): HTML 0.9500 / 0.9380, text 0.9456 / 0.8851
FLOORS = {
    ("extraction-val", "html"): 0.94,
    ("news-val", "html"): 0.93,
    ("extraction-val", "text"): 0.935,
    ("news-val", "text"): 0.875,
}

if not (SHARED / "extraction-val" / "gold.jsonl").exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"the quality gate needs {SHARED}")  # in CI a missing corpus is a failure
    pytest.skip(f"development data not found at {SHARED}", allow_module_level=True)


@pytest.fixture(scope="module", params=list(SAMPLES))
def sample(request):
    return request.param, load_pages(SAMPLES[request.param], request.param)


def mean_f1(pages, outputs) -> float:
    s = score(pages, outputs)
    return sum(s.f) / len(s.f)


@pytest.mark.parametrize("mode", ["html", "text"])
def test_word_f1_stays_above_its_floor(sample, mode):
    name, pages = sample
    outputs = run_docclean(pages, Config(), as_text=(mode == "text"))
    assert mean_f1(pages, outputs) >= FLOORS[name, mode]


def test_html_mode_is_more_precise_than_trafilatura_alone_on_article_pages():
    pages = load_pages(SAMPLES["extraction-val"], "extraction-val")
    ours = score(pages, run_docclean(pages, Config(), as_text=False))
    alone = score(pages, run_trafilatura(pages, Config()))
    assert sum(ours.p) > sum(alone.p)
    assert sum(ours.r) >= sum(alone.r)


def test_word_scores_follow_the_benchmark_conventions():
    assert word_prf("", "") == (1.0, 1.0, 1.0)  # no article on the page and none extracted: right
    assert word_prf("", "The article.") == (0.0, 0.0, 0.0)
    assert word_prf("Subscribe now", "") == (0.0, 0.0, 0.0)
    p, r, f = word_prf("the cat sat", "The cat sat down")
    assert (p, r) == (1.0, 0.75) and abs(f - 6 / 7) < 1e-9


def _rows(path):
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def test_near_duplicate_clusters_stay_accurate():
    scores, _ = neardup.evaluate(_rows(neardup.DEFAULT), Config())
    assert scores["ari"] >= 0.95  # measured 0.963
    assert scores["precision"] >= 0.98  # measured 0.988


def test_story_clusters_stay_accurate_through_the_product():
    from prefect.testing.utilities import prefect_test_harness

    from bench.metrics import cluster_scores
    from bench.product import run_product

    rows = _rows(stories.DEFAULT)
    with prefect_test_harness(server_startup_timeout=90):  # a server stopped outside pytest's captured streams
        outcome = run_product(rows, [])  # every article a file, `docclean run`, the stories read back
    scores = cluster_scores([r["story"] for r in rows], [outcome[r["doc_id"]][2] or r["doc_id"] for r in rows])
    assert scores["ari"] >= 0.81  # measured 0.8325 (0.8325-0.8347 over eight file orders)
