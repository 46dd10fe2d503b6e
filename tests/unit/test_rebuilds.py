"""What a preview rebuild keeps from the last one (hooks/huatuopin/rebuilds.py)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from huatuopin.rebuilds import CollectorPause


class Node:
    """Garbage only the cycle collector frees: it points at itself."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector() -> Iterator[CollectorPause]:
    was_enabled = gc.isenabled()
    pause = CollectorPause(delay=0.0)
    yield pause
    if was_enabled:
        gc.enable()


def cyclic_garbage() -> weakref.ref[Node]:
    node = Node()
    gone = weakref.ref(node)
    del node
    return gone


def test_a_rebuild_is_not_interrupted_by_full_collections(collector: CollectorPause) -> None:
    collector.pause()
    gone = cyclic_garbage()
    for _ in range(100_000):
        Node()
    assert not gc.isenabled()
    assert gone() is not None


def test_after_the_rebuild_its_garbage_is_collected_and_collection_resumes(
    collector: CollectorPause,
) -> None:
    collector.pause()
    gone = cyclic_garbage()
    timer = collector.resume_later()
    assert timer is not None
    timer.join(5)
    assert gone() is None
    assert gc.isenabled()
    assert not collector.paused


def test_a_rebuild_started_before_the_collection_keeps_it_paused(
    collector: CollectorPause,
) -> None:
    slow = CollectorPause(delay=30.0)
    slow.pause()
    timer = slow.resume_later()
    assert timer is not None
    slow.pause()  # the contributor saved again
    timer.join(5)
    assert not timer.is_alive()  # cancelled, not waiting 30 s
    assert not gc.isenabled()
    again = slow.resume_later()
    assert again is not None
    again.cancel()


def test_a_build_that_paused_nothing_resumes_nothing(collector: CollectorPause) -> None:
    assert collector.resume_later() is None
    assert gc.isenabled()
