"""The README's reading examples run as written, against a stored output (tests/data/output-v2)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts Prefect, servers or subprocesses; runs whole flows

ROOT = Path(__file__).resolve().parents[1]
SECTION = re.search(
    r"<!-- readme-examples:.*?-->(.*?)<!-- /readme-examples -->", (ROOT / "README.md").read_text(), re.S
).group(1)
EXAMPLES = re.findall(r"```python\n(.*?)```", SECTION, re.S)


def test_the_readme_has_an_example_per_reader():
    assert [e.splitlines()[0] for e in EXAMPLES] == ["# pyarrow", "# DuckDB", "# Polars", "# pandas"]


@pytest.mark.parametrize("code", EXAMPLES, ids=[e.splitlines()[0][2:] for e in EXAMPLES])
def test_readme_example_runs(code, tmp_path):
    shutil.copytree(Path(__file__).parent / "data" / "output-v2", tmp_path / "output", symlinks=True)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    printed = done.stdout
    # the stored output: 2 English articles (seeds 000 and 003), a copy of 003, an empty file
    expected = {
        "# pyarrow": "2 articles; ['doc_id', 'source_uri', 'source_format', 'url']",
        "# DuckDB": "[('en', 2)]",
        "# Polars": "shape: (2, 3)",
        "# pandas": "empty",
    }[code.splitlines()[0]]
    assert expected in printed
