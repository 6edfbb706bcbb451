"""Whole-pipeline cost per page against trafilatura alone, on one machine.

Builds a corpus of distinct HTML pages (the pages of extraction-dev, extraction-val and news-dev, then
variants of them: a paragraph left out and a generated paragraph added, so every page's bytes and text
differ), then in the same invocation measures, each in a fresh process:
  trafilatura   a plain loop of trafilatura.extract(html, include_comments=False): its text, no
                metadata (the floor)
  trafilatura+m the same with with_metadata=True (title, author, date by htmldate, site, tags), the
                part of docclean's job trafilatura can do alone
  docclean -w N `docclean run` (every stage, Prefect and its temporary server, Parquet) with N workers
  baseline -w N the same, with the docclean of git revision --baseline REF (a before/after comparison)

For each: pages per second (wall clock), CPU-seconds per page (the process and its children, Prefect's
temporary server included), peak memory (largest single process), and docclean's CPU relative to
trafilatura's. With --server, the docclean runs report to a `prefect server` started beforehand, as
scheduled runs do; that long-lived server's CPU is then not counted.

    python bench/throughput.py [--pages 1600] [--workers 1,2] [--server] [--repeat 3] [--baseline REF]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extraction import SHARED  # noqa: E402

PAGE_SETS = ("extraction-dev", "extraction-val", "news-dev")

_PARAGRAPH = re.compile(r"(<p\b[^>]*>)(.*?)(</p>)", re.S | re.I)
_WORDS = "harbour council ferry minister river budget station market school storm bridge museum".split()


def build_corpus(folder: Path, pages: int, seed: int = 11) -> int:
    """Write ``pages`` distinct HTML files into ``folder``: the dev pages, then variants of them."""
    rng = random.Random(seed)
    originals = [
        gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        for name in PAGE_SETS
        for path in sorted((SHARED / name / "html").glob("*.html.gz"))
    ]
    for n in range(pages):
        html = originals[n % len(originals)]
        if n >= len(originals):  # a variant: drop one paragraph, add one that no other page has
            paragraphs = list(_PARAGRAPH.finditer(html))
            if paragraphs:
                drop = rng.choice(paragraphs)
                html = html[: drop.start()] + html[drop.end() :]
            extra = " ".join(rng.choice(_WORDS) for _ in range(40)) + f" (edition {n})."
            html = html.replace("</body>", f"<p>{extra.capitalize()}</p></body>", 1)
        (folder / f"page-{n:05d}.html").write_text(html, encoding="utf-8")
    return pages


def trafilatura_alone(folder: Path, with_metadata: bool) -> None:
    import trafilatura

    for path in sorted(folder.glob("*.html")):
        trafilatura.extract(path.read_text(encoding="utf-8"), include_comments=False, with_metadata=with_metadata)


# Runs a command and prints the CPU seconds and peak RSS of its process tree. measure() starts each run
# under it, so that the peak is that run's alone: a process's RUSAGE_CHILDREN peak is the largest of
# every child it has ever waited for, and this script runs several.
_MEASURED = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
if done.returncode:
    sys.exit("exit code " + str(done.returncode) + ": " + done.stderr[-5000:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}))
"""


def baseline_package(ref: str, folder: Path) -> Path:
    """The docclean of git revision ``ref`` laid out as its installed package (``flows/`` and ``tasks/`` as
    ``docclean.flows`` and ``docclean.tasks``), for PYTHONPATH: it is found before the editable install."""
    source = folder / "source"
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    package = folder / "site" / "docclean"
    shutil.copytree(source / "docclean", package)
    for sub in ("flows", "tasks"):
        shutil.copytree(source / sub, package / sub)
    return folder / "site"


def measure(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> dict[str, float]:
    """Wall time, CPU seconds of the process tree, and the largest process's peak RSS."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURED, *cmd], env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed, {done.stderr}")
    return {"wall": time.perf_counter() - start, **json.loads(done.stdout)}


def _median(measured: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the rounds (this machine drifts by a fifth over minutes)."""
    return {key: statistics.median(m[key] for m in measured) for key in measured[0]}


def start_server(env: dict[str, str]) -> subprocess.Popen:
    """A `prefect server start` on a free port; sets PREFECT_API_URL in ``env`` once it is healthy."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{env['PREFECT_API_URL']}/health", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    raise RuntimeError("prefect server did not become healthy in 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1600)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--server", action="store_true", help="run docclean against a running prefect server")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds; the table shows medians")
    parser.add_argument("--baseline", metavar="REF", help="also run the docclean of this git revision")
    parser.add_argument("--trafilatura-only", dest="folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--with-metadata", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.folder:
        trafilatura_alone(args.folder, args.with_metadata)
        return
    work = Path(tempfile.mkdtemp(prefix="docclean-throughput-"))
    try:
        corpus = work / "pages"
        corpus.mkdir()
        pages = build_corpus(corpus, args.pages)
        env = {**os.environ, "PREFECT_HOME": str(work / "prefect")}
        versions = {"docclean": env}
        if args.baseline:
            site = baseline_package(args.baseline, work / "baseline")
            versions["baseline"] = {
                **env,
                "PYTHONPATH": os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")])),
            }
        server = start_server(env) if args.server else None
        runs: dict[str, list[dict[str, float]]] = {}
        try:
            # rounds interleave the runs, so that the machine's drift over minutes hits them all alike
            for _ in range(args.repeat):
                trafilatura_cmd = [sys.executable, __file__, "--trafilatura-only", str(corpus)]
                runs.setdefault("trafilatura", []).append(measure(trafilatura_cmd, env))
                runs.setdefault("trafilatura+m", []).append(measure([*trafilatura_cmd, "--with-metadata"], env))
                for workers in map(int, args.workers.split(",")):
                    for version, version_env in versions.items():
                        out = work / f"out-{version}-{workers}"
                        shutil.rmtree(out, ignore_errors=True)
                        cmd = [sys.executable, "-m", "docclean.flows.clean", str(corpus), "--output", str(out)]
                        runs.setdefault(f"{version} -w {workers}", []).append(
                            # not from the checkout, whose docclean/ would shadow the baseline's
                            measure([*cmd, "--workers", str(workers)], version_env, cwd=work)
                        )
        finally:
            if server:
                server.terminate()
                server.wait(30)
        results = {name: _median(measured) for name, measured in runs.items()}
        floor, with_meta = (results[name]["cpu"] / pages for name in ("trafilatura", "trafilatura+m"))
        rounds = f", median of {args.repeat} interleaved rounds" if args.repeat > 1 else ""
        print(f"{pages} distinct HTML pages, {os.cpu_count()} cores{rounds}")
        print(
            f"{'run':<16} {'pages/s':>8} {'CPU ms/page':>12} {'x trafilatura':>14} {'x trafilatura+m':>16} {'peak MiB':>9}"
        )
        for name, r in results.items():
            cpu = r["cpu"] / pages
            print(
                f"{name:<16} {pages / r['wall']:>8.1f} {1000 * cpu:>12.1f} {cpu / floor:>14.2f} "
                f"{cpu / with_meta:>16.2f} {r['peak_mib']:>9.0f}"
            )
        for version in versions:
            one, many = (
                results.get(f"{version} -w 1"),
                [r for k, r in results.items() if k.startswith(f"{version} -w ")],
            )
            if one and len(many) > 1:
                print(f"{version}: wall-clock speedup, most workers over one: {one['wall'] / many[-1]['wall']:.2f}x")
        print(
            json.dumps({k: [{m: round(v, 3) for m, v in r.items()} for r in measured] for k, measured in runs.items()})
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
