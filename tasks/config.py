"""The one typed configuration object: every threshold of every stage lives here.

Defaults < ``DOCCLEAN_*`` environment variables (``DOCCLEAN_DEDUP__NEAR_THRESHOLD=0.5``)
< explicit overrides (``docclean run --set dedup.near_threshold=0.5``).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputConfig(_Section):
    extensions: tuple[str, ...] = (
        ".html", ".htm", ".txt", ".jsonl", ".warc",
        ".html.gz", ".htm.gz", ".txt.gz", ".jsonl.gz", ".warc.gz",
    )  # fmt: skip
    # cleaning an input costs about 7-9 times its size in memory (docs/operations.md): 50 MB, under 500 MiB
    max_bytes: int = Field(
        50_000_000, description="larger inputs (a WARC's records, a .gz file once inflated) are rejected as too_large"
    )
    batch_size: int = Field(100, ge=1, description="documents per Prefect task run")
    read_retries: int = Field(2, ge=0, description="Prefect retries of a read batch after a transient I/O error")
    retry_delay_seconds: float = Field(2.0, ge=0, description="pause before each retry")


class DecodeConfig(_Section):
    sniff_bytes: int = Field(8192, description="bytes inspected for NULs, magic numbers and <meta charset>")
    max_control_ratio: float = Field(0.01, description="decoded text with more control chars is rejected")
    max_replacement_ratio: float = Field(
        0.002, description="share of U+FFFD tolerated when rescuing mostly-valid UTF-8"
    )
    max_bad_utf8_ratio: float = Field(
        0.02, description="share of bad bytes tolerated in UTF-8 whose valid multi-byte sequences outnumber them"
    )
    repair_mojibake: bool = Field(
        True, description="undo UTF-8 that was decoded as cp1252/latin-1 before it was saved (Investorâ€™s)"
    )


class ExtractionConfig(_Section):
    include_tables: bool = True
    favor_precision: bool = False
    favor_recall: bool = Field(True, description="trafilatura keeps more; the line cleaner then restores precision")
    fallback_ratio: float = Field(
        0.35, description="ask trafilatura's balanced mode too when favor_recall kept less than this share of the page"
    )
    min_words: int = Field(25, description="clean texts with fewer words are rejected as too_short")
    stub_words: int = Field(
        200, description="a clean text this short with a paywall's wording (READ FULL ARTICLE) is a not_article"
    )
    max_link_share: float = Field(
        0.6, description="an HTML page whose extracted text is more link text than this is a not_article"
    )
    max_cpu_seconds: float = Field(
        60,
        ge=0,
        description="CPU seconds one record's decoding, extraction and cleaning may take, else timed_out (0: no limit)",
    )


class BoilerplateConfig(_Section):
    max_title_chars: int = Field(200, description="longest line taken as a headline or byline")
    max_prompt_words: int = Field(12, description="longest line (words) a keyword rule (prompt, share) may drop")
    max_furniture_words: int = Field(60, description="longest line (words) an anchored rule (disclosure) may drop")
    title_search_lines: int = Field(20, description="lines above the first paragraph searched for a text's headline")
    title_body_chars: int = Field(3000, description="characters of the article's opening a headline is compared with")
    min_block_lines: int = Field(2, description="shortest run of headline-like lines treated as a list")
    block_relatedness: float = Field(
        0.34, description="a headline run sharing less than this share of content words with the body is unrelated"
    )
    min_run_link_share: float = Field(
        0.5, description="in HTML, least mean share of link text for a headline run to go as unrelated"
    )
    inside_relatedness_factor: float = Field(
        0.5, description="inside the article a headline run must be this much less related to go"
    )
    # jusText's context classifier (its published defaults), used on plain text
    context_for_text: bool = Field(True, description="run the context classifier on plain-text inputs")
    context_for_html: bool = Field(False, description="run it on what the HTML extractor returns, too")
    line_model: bool = Field(
        False, description="the trained line model (tasks/linemodel.py) judges plain text's lines with jusText"
    )
    line_model_confidence: float = Field(
        0.5, ge=0.5, le=1.0, description="probability at which the line model overrules jusText's verdict"
    )
    length_low: int = Field(70, description="lines shorter than this (characters) are judged by their neighbours")
    length_high: int = Field(200, description="lines longer than this and rich in stop words are prose")
    stopwords_low: float = Field(0.30, description="stop-word share under which a line is furniture")
    stopwords_high: float = Field(0.32, description="stop-word share from which a line is prose")
    max_heading_distance: int = Field(200, description="characters within which a heading must meet prose")
    region_gap_lines: int = Field(8, description="furniture lines in a row that separate two regions of prose")
    related_after_words: int = Field(
        100, description="words of extracted article text before a 'Read next' heading that make it a tail's"
    )
    bio_tail_lines: int = Field(
        3, description="last lines of a text where a bio of its author (and what follows it) is cut"
    )
    repeated_run_lines: int = Field(
        4, ge=2, description="lines in a row already shown earlier in the text that go as a repeated rendering"
    )
    region_min_share: float = Field(0.25, description="regions with less prose than this share of the largest go")


class LanguageConfig(_Section):
    seed: int = 0
    sample_chars: int = Field(1500, description="characters of the clean text given to langdetect")
    min_chars: int = Field(20, description="shorter texts get language null")


class DedupConfig(_Section):
    num_perm: int = Field(256, description="MinHash permutations")
    shingle_words: int = Field(3, description="word n-gram size of MinHash shingles")
    seed: int = 1
    lsh_threshold: float = Field(0.15, description="Jaccard around which LSH starts proposing candidates")
    near_threshold: float = Field(0.6, description="estimated Jaccard at or above which texts are near-duplicates")
    containment_threshold: float = Field(
        0.85, description="share of the shorter text's shingles inside the longer one that makes it a copy"
    )
    jaccard_floor: float = Field(0.2, description="least Jaccard for the containment rule")
    short_copy_min_words: int = Field(
        8, description="a too_short text this long is checked for being a copy of a known article"
    )
    short_copy_min_matches: int = Field(
        2, ge=1, description="least MinHash values a too_short text must share with the article it copies"
    )


class StoryConfig(_Section):
    threshold: float = Field(
        0.17, description="mean TF-IDF cosine of two clusters' article pairs at or above which they are one story"
    )
    max_terms: int = Field(150, description="top-weighted terms kept per article vector")
    idf_power: float = Field(
        1.5,
        description="IDF raised to this power: rarer terms (an event's names, places) outweigh a topic's shared words",
    )
    name_weight: int = Field(4, description="extra count for a capitalised word inside a sentence (a name)")
    probe_terms: int = Field(20, description="strongest terms by which articles and stories find each other")
    max_candidates: int = Field(20, description="neighbours compared per article (those sharing most strong terms)")
    max_postings: int = Field(
        50,
        description="a term strong in more of a run's articles is not searched by; earlier stories per term searched",
    )
    centroid_terms: int = Field(300, description="terms kept per story centroid (bounds the index)")


class OutputConfig(_Section):
    compression: str = "zstd"
    lock_wait_seconds: float = Field(0, ge=0, description="how long a run waits for another run on the same output")
    keep_snapshots: int = Field(3, ge=1, description="snapshots kept for readers that resolved an older one")
    snapshot_grace_seconds: float = Field(
        600, ge=0, description="a replaced snapshot stays at least this long after it stopped being current"
    )
    max_files_per_partition: int = Field(
        8, ge=1, description="a table partition with more files is compacted into one file"
    )


class ExecutionConfig(_Section):
    executor: Literal["local", "dask"] = Field("local", description="where batches are cleaned")
    workers: int = Field(0, ge=0, description="local worker processes (0: one per core); Dask: local cluster size")
    dask_address: str | None = Field(None, description="scheduler of an existing Dask cluster, e.g. tcp://host:8786")


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOCCLEAN_", env_nested_delimiter="__", frozen=True)

    input: InputConfig = InputConfig()
    decode: DecodeConfig = DecodeConfig()
    extraction: ExtractionConfig = ExtractionConfig()
    boilerplate: BoilerplateConfig = BoilerplateConfig()
    language: LanguageConfig = LanguageConfig()
    dedup: DedupConfig = DedupConfig()
    stories: StoryConfig = StoryConfig()
    output: OutputConfig = OutputConfig()
    execution: ExecutionConfig = ExecutionConfig()

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), sort_keys=True)


def load_config(overrides: list[str] | None = None) -> Config:
    """Build the config from defaults, the environment and ``section.key=value`` overrides."""
    nested: dict[str, dict[str, Any]] = {}
    for item in overrides or []:
        key, sep, value = item.partition("=")
        section, dot, field = key.strip().partition(".")
        if not sep or not dot or section not in Config.model_fields:
            raise ValueError(f"bad override {item!r}: expected section.key=value")
        nested.setdefault(section, {})[field] = _parse_value(value)
    base = Config()
    merged = {name: {**getattr(base, name).model_dump(), **nested.get(name, {})} for name in nested}
    return Config.model_validate({**base.model_dump(), **merged})


def _parse_value(value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value
