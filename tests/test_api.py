"""The Python API and the commands that need no Prefect server, used as a user would."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from typer.testing import CliRunner

import docclean
from docclean.flows.cli import app

RAW = Path(__file__).resolve().parents[1] / "raw"
SEED_000 = next(RAW.glob("000_*.txt"))
SPANISH = RAW / "pages/diario-del-sur-ola-de-calor-sevilla.html"


def test_version_is_the_installed_distributions():
    from importlib.metadata import version

    assert docclean.__version__ == version("docclean")
    result = CliRunner().invoke(app, ["--version"])
    assert (result.exit_code, result.output.strip()) == (0, f"docclean {docclean.__version__}")


def test_clean_html_returns_one_article_with_its_metadata():
    article = docclean.clean_html(SPANISH.read_bytes(), url="https://diario.example/sevilla")
    assert isinstance(article, docclean.Article)
    assert (article.language, article.author, article.url) == ("es", "Lucía Romero", "https://diario.example/sevilla")
    assert article.published_at.isoformat() == "2025-07-29T16:40:00+00:00"
    assert "pepe_sev" not in article.text and article.word_count > 100
    assert all(isinstance(line, str) and reason for line, reason in article.boilerplate)
    assert article.metadata_sources["author"] and article.metadata_sources["url"] == "input"


def test_clean_text_strips_the_furniture_and_rejects_with_a_reason():
    article = docclean.clean_text(SEED_000.read_text(encoding="utf-8"))
    assert article.language == "en" and "Minamitori Island" in article.text
    assert {reason for _, reason in article.boilerplate} == {"unrelated_headlines"}
    assert "Dollar Slides to Five-Week Low" not in article.text
    with pytest.raises(docclean.RejectError) as rejected:
        docclean.clean_text("Subscribe to our newsletter")
    assert rejected.value.reason in (docclean.RejectReason.TOO_SHORT, docclean.RejectReason.NO_CONTENT)


def test_the_api_takes_a_config():
    strict = docclean.Config.model_validate({"extraction": {"min_words": 10_000}})
    with pytest.raises(docclean.RejectError) as rejected:
        docclean.clean_text(SEED_000.read_text(encoding="utf-8"), config=strict)
    assert rejected.value.reason == docclean.RejectReason.TOO_SHORT


def test_inspect_shows_every_line_with_its_verdict_and_the_metadata_sources(tmp_path):
    result = CliRunner().invoke(app, ["inspect", str(SEED_000)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert sum(line.startswith("keep ") for line in lines) == 5
    dropped = [line for line in lines if line.startswith("drop ")]
    assert len(dropped) == 16 and all("unrelated_headlines" in line for line in dropped)
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(SPANISH.read_bytes()))
    result = CliRunner().invoke(app, ["inspect", str(page)])
    assert result.exit_code == 0, result.output
    author = next(line for line in result.output.splitlines() if line.startswith("author"))
    assert "Lucía Romero" in author and "[" in author  # the value and where it was found


def test_inspect_picks_one_record_of_a_jsonl_file_and_says_why_a_record_is_rejected():
    feed = next((RAW / "feeds").glob("*.jsonl"))
    second = CliRunner().invoke(app, ["inspect", str(feed), "--record", "2"])
    assert second.exit_code == 0 and f"document: {feed}#2" in second.output and "rejected: too_short" in second.output
    beyond = CliRunner().invoke(app, ["inspect", str(feed), "--record", "99"])
    assert beyond.exit_code == 1


def test_a_missing_file_is_one_line_and_exit_code_1(tmp_path):
    result = CliRunner().invoke(app, ["inspect", str(tmp_path / "nope.html")])
    assert result.exit_code == 1 and "no input at" in result.output


def test_run_takes_a_config_or_settings_not_both(tmp_path):
    with pytest.raises(TypeError):
        docclean.run(str(RAW), str(tmp_path / "out"), config=docclean.Config(), dedup__near_threshold=0.5)
    with pytest.raises(TypeError):
        docclean.run(str(RAW), str(tmp_path / "out"), config={"dedup": {}})
    assert not (tmp_path / "out").exists()
