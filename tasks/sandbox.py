"""Records cleaned in a child process under a CPU limit the kernel enforces.

A pathological page (a huge or deeply nested document, a line that sends a regular expression into
catastrophic backtracking) must cost itself, not its batch or the run. A signal timer cannot stop
code that runs inside C (lxml, ``re``): Python only handles signals between bytecodes. Here a forked
child cleans the batch's records one after the other; before each record it sets its own
``RLIMIT_CPU`` to the CPU it has used plus the limit, and the kernel ends it with SIGXCPU when a
record goes over, wherever the time is spent. The record is then rejected as ``timed_out`` and the
next one gets a new child. Forking costs milliseconds (the child shares the parent's imported
modules); a record and its document cross a pipe.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection

from docclean.tasks.records import Document, RawRecord, Reject, RejectReason

Outcome = Document | Reject
# past this many times the CPU limit in wall-clock time, a child that neither answers nor uses CPU
# (blocked, or stopped) is ended too
_WALL_FACTOR, _WALL_FLOOR = 10, 60.0


def can_sandbox() -> bool:
    """Forking is safe from the main thread of a POSIX process (local worker processes, the flow's own
    process); in a Dask worker's threads records are cleaned in place, without a limit."""
    return hasattr(os, "fork") and threading.current_thread() is threading.main_thread()


def sandboxed(records: list[RawRecord], clean: Callable[[RawRecord], Outcome], seconds: float) -> Iterator[Outcome]:
    """``clean(record)`` for each record, in order, in a child process; a record whose cleaning takes
    over ``seconds`` of CPU (rounded up to the second, the kernel's unit) is a ``timed_out`` reject."""
    context = multiprocessing.get_context("fork")
    done = 0
    while done < len(records):
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child, parent, clean, seconds), daemon=True)
        # the child's garbage collector would walk, and so copy, every page of the parent's heap
        gc.freeze()
        try:
            process.start()
        finally:
            gc.unfreeze()
        child.close()
        try:
            for record in records[done:]:
                outcome = _ask(parent, process, record, seconds)
                done += 1
                yield outcome
                if not process.is_alive():
                    break  # ended at the limit, or crashed: the next record gets a new child
        finally:
            parent.close()
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()


def _ask(parent: Connection, process: multiprocessing.Process, record: RawRecord, seconds: float) -> Outcome:
    parent.send(record)
    if parent.poll(max(_WALL_FLOOR, _WALL_FACTOR * seconds)):
        try:
            return parent.recv()
        except EOFError:  # the child died: the kernel ended it at the limit, or it crashed
            pass
    process.kill()
    process.join()
    if process.exitcode in (-signal.SIGXCPU, -signal.SIGKILL, None):
        return Reject(record.source_uri, RejectReason.TIMED_OUT, f"over {seconds:g} CPU seconds", record.doc_id)
    detail = f"the cleaning process ended with exit code {process.exitcode}"
    return Reject(record.source_uri, RejectReason.EXTRACTION_FAILED, detail, record.doc_id)


def _serve(conn: Connection, parents_end: Connection, clean: Callable[[RawRecord], Outcome], seconds: float) -> None:
    """The child: clean each record it is sent under a fresh CPU limit, until the parent closes the pipe."""
    parents_end.close()  # the fork's copy: kept open, the pipe would never end
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an ended child leaves no core file
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    try:
        while True:
            try:
                record = conn.recv()
            except EOFError:
                break
            usage = resource.getrusage(resource.RUSAGE_SELF)
            soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
            resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
            conn.send(clean(record))
    finally:
        # no atexit handlers and no flushing of what the parent process had buffered: this is its fork
        os._exit(0)
