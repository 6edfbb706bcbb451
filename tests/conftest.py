"""Test settings: a private Prefect home per session, and quiet, patient ephemeral servers.

These are set before anything imports Prefect (pytest imports conftest first)."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="docclean-prefect-")
# registered before Prefect's own exit handlers, so it runs after them (atexit runs last in, first out)
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ.pop("PREFECT_API_URL", None)  # tests always use their own ephemeral server

from docclean.tasks import sandbox  # noqa: E402
from docclean.tasks.config import Config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"


@pytest.fixture(scope="session")
def cfg() -> Config:
    return Config()


@pytest.fixture(autouse=True)
def _fresh_cleaning_child():
    """The cleaning child is a fork of this process as it was when first needed: a test that patches a
    module the cleaner uses gets a child that sees its patch."""
    sandbox.retire()
    yield
    sandbox.retire()
