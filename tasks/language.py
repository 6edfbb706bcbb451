"""Language identification with langdetect, made deterministic with a private seeded factory."""

from __future__ import annotations

from functools import cache

from langdetect import DetectorFactory, LangDetectException
from langdetect.detector_factory import PROFILES_DIRECTORY

from docclean.tasks.config import LanguageConfig
from docclean.tasks.records import Document


@cache
def _factory(seed: int) -> DetectorFactory:
    # Our own factory rather than langdetect's module-global one, so that results depend only
    # on the text and the seed, never on what else ran in the process.
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = seed
    return factory


def detect_language(text: str, cfg: LanguageConfig) -> tuple[str | None, float]:
    """ISO 639-1 code and probability of the text's language; (None, 0.0) when it cannot tell."""
    sample = text[: cfg.sample_chars]
    if len(sample.strip()) < cfg.min_chars:
        return None, 0.0
    detector = _factory(cfg.seed).create()
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None, 0.0
    # langdetect tells zh-cn from zh-tw; ISO 639-1 has only zh.
    return best.lang.split("-")[0], round(float(best.prob), 6)


def detect_batch(docs: list[Document], cfg: LanguageConfig) -> list[Document]:
    for doc in docs:
        doc.language, doc.language_prob = detect_language(doc.text, cfg)
    return docs
