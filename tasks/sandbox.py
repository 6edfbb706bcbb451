"""Records cleaned in a child process under a CPU limit the kernel enforces.

A pathological page (a huge or deeply nested document, a line that sends a regular expression into
catastrophic backtracking) must cost itself, not its batch or the run. A signal timer cannot stop
code that runs inside C (lxml, ``re``): Python only handles signals between bytecodes. Here a forked
child cleans records one after the other; before each record it sets its own ``RLIMIT_CPU`` to the
CPU it has used plus the limit, and the kernel ends it with SIGXCPU when a record goes over, wherever
the time is spent. The record is then rejected as ``timed_out`` and the next one gets a new child.

The child outlives its batch: the next batch of the same process, cleaned the same way, goes to it.
The libraries' caches it has filled (dateparser's locales, compiled patterns) would cost a fresh child
about a quarter of its batch's time again. It retires once its memory has grown by
``_RETIRE_GROWTH`` bytes (a huge page leaves its high-water mark behind), and it ends when this
process closes the pipe or exits. A record and its document cross the pipe.
"""

from __future__ import annotations

import atexit
import gc
import math
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection

from docclean.tasks.records import Document, RawRecord, Reject, RejectReason

Outcome = Document | Reject
Cleaner = Callable[[RawRecord], Outcome]
# past this many times the CPU limit in wall-clock time, a child that neither answers nor uses CPU
# (blocked, or stopped) is ended too
_WALL_FACTOR, _WALL_FLOOR = 10, 60.0
_RETIRE_GROWTH = 512 * 2**20


def can_sandbox() -> bool:
    """Forking is safe from the main thread of a POSIX process (local worker processes, the flow's own
    process); in a Dask worker's threads records are cleaned in place, without a limit."""
    return hasattr(os, "fork") and threading.current_thread() is threading.main_thread()


@dataclass(slots=True)
class _Child:
    process: multiprocessing.Process
    conn: Connection
    clean: Cleaner
    seconds: float

    def serves(self, clean: Cleaner, seconds: float) -> bool:
        return self.process.is_alive() and self.seconds == seconds and _same_cleaner(self.clean, clean)


_child: _Child | None = None


def _same_cleaner(a: Cleaner, b: Cleaner) -> bool:
    """The same function with equal arguments (a ``partial`` is made anew for every batch)."""
    if isinstance(a, partial) and isinstance(b, partial):
        return a.func is b.func and a.args == b.args and a.keywords == b.keywords
    return a is b


def sandboxed(records: list[RawRecord], clean: Cleaner, seconds: float) -> Iterator[Outcome]:
    """``clean(record)`` for each record, in order, in a child process; a record whose cleaning takes
    over ``seconds`` of CPU (rounded up to the second, the kernel's unit) is a ``timed_out`` reject."""
    global _child
    for record in records:
        if _child is None or not _child.serves(clean, seconds):
            retire()
            _child = _start(clean, seconds)
        outcome, retiring = _ask(_child, record)
        if retiring:  # ended at the limit, crashed, or grown too big: the next record gets a new child
            retire()
        yield outcome


def retire() -> None:
    """End the cleaning child, if any: the next record is cleaned by a new fork of this process as it is
    now (tests that patch the cleaner's modules call this)."""
    global _child
    if _child is None:
        return
    child, _child = _child, None
    child.conn.close()  # the child sees the pipe end and exits
    child.process.join(5)
    if child.process.is_alive():
        child.process.kill()
        child.process.join()


atexit.register(retire)


def _start(clean: Cleaner, seconds: float) -> _Child:
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child, parent, clean, seconds), daemon=True)
    # the child's garbage collector would walk, and so copy, every page of the parent's heap
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()
    child.close()
    return _Child(process, parent, clean, seconds)


def _ask(child: _Child, record: RawRecord) -> tuple[Outcome, bool]:
    """The record's outcome, and whether the child is done (ended, or retiring after this record)."""
    child.conn.send(record)
    if child.conn.poll(max(_WALL_FLOOR, _WALL_FACTOR * child.seconds)):
        try:
            return child.conn.recv()
        except EOFError:  # the child died: the kernel ended it at the limit, or it crashed
            pass
    child.process.kill()
    child.process.join()
    if child.process.exitcode in (-signal.SIGXCPU, -signal.SIGKILL, None):
        reject = Reject(record.source_uri, RejectReason.TIMED_OUT, f"over {child.seconds:g} CPU seconds", record.doc_id)
        return reject, True
    detail = f"the cleaning process ended with exit code {child.process.exitcode}"
    return Reject(record.source_uri, RejectReason.EXTRACTION_FAILED, detail, record.doc_id), True


def _serve(conn: Connection, parents_end: Connection, clean: Cleaner, seconds: float) -> None:
    """The child: clean each record it is sent under a fresh CPU limit, until the parent closes the pipe
    or its memory has grown past the bound (it says so with its last answer)."""
    parents_end.close()  # the fork's copy: kept open, the pipe would never end
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an ended child leaves no core file
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    start_rss = _rss()
    try:
        while True:
            try:
                record = conn.recv()
            except EOFError:
                break
            usage = resource.getrusage(resource.RUSAGE_SELF)
            soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
            resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
            outcome = clean(record)
            retiring = _rss() - start_rss > _RETIRE_GROWTH
            conn.send((outcome, retiring))
            if retiring:
                break
    finally:
        # no atexit handlers and no flushing of what the parent process had buffered: this is its fork
        os._exit(0)


def _rss() -> int:
    """This process's resident memory in bytes (0 where /proc is not there: the child then never retires)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
