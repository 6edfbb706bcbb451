"""`python -m tests.stallfs run stall:///path ...`: the docclean CLI with one extra fsspec protocol,
``stall://``, a local filesystem on which opening a file named ``*stall*`` touches ``<file>.reached``
and then hangs. A crash test uses it to hold a real run still, mid-run, until it kills it."""

import sys
import time
from pathlib import Path

import fsspec
from fsspec.implementations.local import LocalFileSystem


class StallingFileSystem(LocalFileSystem):
    protocol = "stall"

    @classmethod
    def _strip_protocol(cls, path):
        return LocalFileSystem._strip_protocol(str(path).replace("stall://", "file://", 1))

    def _open(self, path, mode="rb", **kwargs):
        if "r" in mode and "stall" in Path(path).name:
            Path(f"{path}.reached").touch()
            time.sleep(3600)
        return super()._open(path, mode, **kwargs)


fsspec.register_implementation("stall", StallingFileSystem, clobber=True)

if __name__ == "__main__":
    from docclean.flows.cli import app

    sys.exit(app())
