"""Handing memory back to the system once a build no longer needs it.

Python frees objects into its allocator's arenas, and glibc keeps freed heap pages for the
process that had them: a process that held a province's pages (about 1.5 GB at 50,000
stories) keeps that much resident after dropping them. The search indexer, started next,
then needs its own memory beside it. `malloc_trim(0)` gives the free pages back to the
system; elsewhere than glibc it is absent and the memory simply stays with the process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


def release_memory() -> None:
    """Free what nothing refers to any more (cycles included) and return it to the system."""
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to hand back explicitly
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)


__all__ = ["release_memory"]
