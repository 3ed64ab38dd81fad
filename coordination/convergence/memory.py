"""Giving freed memory back to the operating system between phases of a big computation.

glibc keeps freed heap memory for reuse, and numpy arrays of a few MB (chunks of features,
block tables, slices of candidate pairs) live on its heap: at 1M initiatives the batch would
otherwise keep GBs it no longer uses between phases, and they count in its peak. Elsewhere
(other C libraries, other systems) this does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable


def _libc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _libc_trim()


def return_freed_memory() -> None:
    """Hand the memory freed since the last call back to the operating system."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
