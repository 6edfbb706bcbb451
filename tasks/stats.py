"""Each stage's own account of what it did: items in, items out, items dropped by reason, seconds.

A stage fills its entry as it works (as datatrove's ``stat_update`` does); the flow only adds up the
entries the batches bring back, in the order the stages first reported.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(slots=True)
class StageStat:
    stage: str
    items_in: int = 0
    items_out: int = 0
    seconds: float = 0.0
    dropped: Counter[str] = field(default_factory=Counter)  # reason -> items that did not go on


@dataclass(slots=True)
class Stages:
    """The stages of a batch or a run, by name, in the order they first reported."""

    by_name: dict[str, StageStat] = field(default_factory=dict)

    def __getitem__(self, name: str) -> StageStat:
        return self.by_name.setdefault(name, StageStat(name))

    def __iter__(self) -> Iterator[StageStat]:
        return iter(self.by_name.values())

    def count(self, name: str, items_in: int, items_out: int, dropped: Iterable[str] = ()) -> None:
        stat = self[name]
        stat.items_in += items_in
        stat.items_out += items_out
        stat.dropped.update(dropped)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        """Adds the seconds the block takes to the stage's."""
        stat = self[name]
        start = time.perf_counter()
        try:
            yield
        finally:
            stat.seconds += time.perf_counter() - start

    def add(self, other: Stages) -> None:
        for theirs in other:
            stat = self[theirs.stage]
            stat.items_in += theirs.items_in
            stat.items_out += theirs.items_out
            stat.seconds += theirs.seconds
            stat.dropped.update(theirs.dropped)
