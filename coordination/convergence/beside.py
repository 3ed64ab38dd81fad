"""Work done by a forked helper process beside this one: the tail of a bulk detection.

A bulk import finds and explains its overlaps once its parser process has finished, so one
of the machine's cores idles while this process does it all. `run_beside(helper, main)`
computes `helper()` in a forked copy of this process while this one computes `main()`; the
helper's answer comes back pickled through a pipe. The fork shares what is loaded (records,
feature tables, the text model) without copying it, and the helper never touches the
database: its work is pure computation on what it inherited.

A fork copies only the calling thread, and a lock another thread held at that moment would
stay held in the copy, so the helper is only forked from a process with no other thread (the
CLI, a benchmark, a one-thread worker). Wherever it is not (no fork here, other threads, the
fork refused, the helper failed), `helper()` runs in this process after `main()`: the answer
is the same, it only takes longer.
"""
from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import TypeVar

H = TypeVar("H")
M = TypeVar("M")


def may_fork() -> bool:
    """Whether a helper may be forked from here: fork exists and no other thread runs."""
    return hasattr(os, "fork") and threading.active_count() == 1


def run_beside(helper: Callable[[], H], main: Callable[[], M]) -> tuple[H, M]:
    """(helper(), main()), helper() computed in a forked process while this one computes main().

    main()'s exceptions propagate (the helper is killed); a helper that fails or dies is
    replaced by helper() computed here.
    """
    if not may_fork():
        mine = main()
        return helper(), mine
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        mine = main()
        return helper(), mine
    if pid == 0:  # the helper: answer through the pipe, then leave without running any cleanup
        code = 0
        try:
            os.close(read_end)
            try:
                payload = pickle.dumps((True, helper()), pickle.HIGHEST_PROTOCOL)
            except BaseException as err:  # noqa: BLE001 - told to the parent, which computes it itself
                payload = pickle.dumps((False, f"{type(err).__name__}: {err}"))
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view):]
        except BaseException:  # noqa: BLE001 - the parent reads no answer and computes it itself
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        mine = main()
        data = _read_all(read_end)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    try:
        ok, answer = pickle.loads(data)
    except Exception:  # noqa: BLE001 - nothing, or a cut answer: the helper died
        ok, answer = False, None
    return (answer if ok else helper()), mine


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
