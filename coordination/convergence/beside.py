"""Work done by a forked helper process beside this one: the tail of a bulk detection.

A bulk import finds and explains its overlaps once its parser process has finished, so one
of the machine's cores idles while this process does it all. `run_beside(helper, main)`
computes `helper()` in a forked copy of this process while this one computes `main()`; the
helper's answer comes back pickled through a pipe. `map_beside(work, chunks)` has the helper
compute `work(chunk)` chunk after chunk, each answer yielded here as it arrives, so this
process can use one (write it to the database) while the helper computes the next;
`map_shared(work, chunks)` has the helper compute every other chunk while this process
computes those between, for a caller with nothing else to do meanwhile. The fork
shares what is loaded (records, feature tables, the text model) without copying it, and the
helper never touches the database: its work is pure computation on what it inherited.

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
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from typing import BinaryIO, TypeVar

H = TypeVar("H")
M = TypeVar("M")
W = TypeVar("W")
R = TypeVar("R")


def may_fork() -> bool:
    """Whether a helper may be forked from here: fork exists and no other thread runs."""
    return hasattr(os, "fork") and threading.active_count() == 1


def run_beside(helper: Callable[[], H], main: Callable[[], M]) -> tuple[H, M]:
    """(helper(), main()), helper() computed in a forked process while this one computes main().

    main()'s exceptions propagate (the helper is killed); a helper that fails or dies is
    replaced by helper() computed here.
    """
    forked = _fork()
    if forked is None:
        mine = main()
        return helper(), mine
    pid, read_end, write_end = forked
    if pid == 0:  # the helper: answer through the pipe, then leave without running any cleanup
        code = 0
        try:
            os.close(read_end)
            try:
                payload = pickle.dumps((True, helper()), pickle.HIGHEST_PROTOCOL)
            except BaseException as err:  # noqa: BLE001 - told to the parent, which computes it itself
                payload = pickle.dumps((False, f"{type(err).__name__}: {err}"))
            _write_all(write_end, payload)
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


def _fork() -> tuple[int, int, int] | None:
    """(pid, read end, write end) of a pipe from a forked helper (pid 0 in the helper), or None
    where no helper may be forked or the fork was refused."""
    if not may_fork():
        return None
    read_end, write_end = os.pipe()
    try:
        return os.fork(), read_end, write_end
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def map_beside(work: Callable[[W], R], chunks: Sequence[W]) -> Iterator[R]:
    """work(chunk) for each chunk, in order, computed by a forked helper process and yielded
    here as each arrives: the helper computes the next while this process uses the last.

    The helper is at most about a chunk ahead (the pipe holds the rest), so memory stays that
    of a chunk or two. Where no helper may be forked, or from the chunk where the helper
    failed or died, work(chunk) is computed here. Stopping early (or an error while using an
    answer) kills the helper and reaps it.
    """
    if not chunks:
        return
    forked = _fork()
    if forked is None:
        yield from map(work, chunks)
        return
    pid, read_end, write_end = forked
    if pid == 0:  # the helper: one framed answer per chunk, then leave without running any cleanup
        code = 0
        try:
            os.close(read_end)
            for chunk in chunks:
                payload = pickle.dumps(work(chunk), pickle.HIGHEST_PROTOCOL)
                _write_all(write_end, _FRAME.pack(len(payload)))
                _write_all(write_end, payload)
        except BaseException:  # noqa: BLE001 - the parent computes from the chunk not received
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    received = 0
    reader = os.fdopen(read_end, "rb")
    try:
        for _ in chunks:
            answer = _receive(reader)
            if answer is _GONE:
                break
            received += 1
            yield answer  # type: ignore[misc]
        for chunk in chunks[received:]:  # the helper stopped: the rest is computed here
            yield work(chunk)
    finally:
        if received < len(chunks):
            os.kill(pid, signal.SIGKILL)  # stopped early, or the helper failed (a zombie takes it)
        reader.close()
        os.waitpid(pid, 0)


def map_shared(work: Callable[[W], R], chunks: Sequence[W]) -> Iterator[R]:
    """work(chunk) for each chunk, in order, the chunks shared with a forked helper process:
    it computes every other one (`map_beside`) while this process computes those between.
    For a caller with nothing else to do meanwhile; the same answers as `map(work, chunks)`."""
    theirs = chunks[::2]
    with closing(map_beside(work, theirs)) as answers:
        for i, chunk in enumerate(chunks):
            yield next(answers) if i % 2 == 0 else work(chunk)


_FRAME = struct.Struct("<Q")  # the length of each answer, before it
_GONE = object()  # what `_receive` gives when the helper stopped sending


def _receive(reader: BinaryIO) -> object:
    """The next answer on the pipe, or `_GONE` when the helper stopped (failed, died, cut)."""
    head = reader.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return _GONE
    size = _FRAME.unpack(head)[0]
    payload = reader.read(size)
    if len(payload) < size:
        return _GONE
    try:
        return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a cut or garbled answer: computed here instead
        return _GONE


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
