"""Memory between phases of a big computation: freed memory given back, long-lived objects set aside.

glibc keeps freed heap memory for reuse, and numpy arrays of a few MB (chunks of features,
block tables, slices of candidate pairs) live on its heap: at 1M initiatives the batch would
otherwise keep GBs it no longer uses between phases, and they count in its peak. Elsewhere
(other C libraries, other systems) this does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def _libc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _libc_trim()
_settled = False  # a long-lived structure was set aside (`settle_long_lived`): keep it so


def return_freed_memory() -> None:
    """Hand the memory freed since the last call back to the operating system."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Within: no cyclic collection (enabled again on exit if it was). For work that makes
    hundreds of thousands of objects and no garbage (a batch's overlaps, an unpickled index):
    each collection it set off would walk every object made so far."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def old_objects_spared() -> Iterator[None]:
    """Within: the cyclic garbage collector leaves alone every object that existed on entry.

    A long job (an import) allocates objects that outlive a collection (the records kept
    for its overlap detection), and those trigger full collections, each of which walks
    every object of the process: the gazetteer, the text model, the app (at 4,000 imported
    activities, three full collections cost ~0.7 s of CPU). The objects that existed on
    entry are set aside (`gc.freeze`) and given back to the collector on exit
    (`gc.unfreeze`); garbage made within is collected as usual. The collector is the
    process's: another thread's old objects are spared too for that long, and a job ending
    within another one ends the sparing for both (only speed depends on it). In a process that
    set a long-lived structure aside (`settle_long_lived`), it is set aside again on exit.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if _settled:
            settle_long_lived()


def settle_long_lived() -> None:
    """Set every object alive (a long-lived structure just built among them) out of the cyclic
    collector's reach, after collecting what is garbage.

    A kept analytics state (`coordination.maintained`) holds millions of objects for hours, and
    each full collection walked them all: 15-30 ms of a request after a write at 50k
    initiatives. Frozen objects are still freed by reference counting when dropped (a state
    holds no cycles); what was set aside before is first given back and collected, so cyclic
    garbage set aside with it is not kept past the next call.
    """
    global _settled
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _settled = True
