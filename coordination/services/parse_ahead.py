"""Reading a big file in a second process while this one checks, writes and detects.

Parsing needs no database: `parsed_ahead(parse, path)` runs `parse(path)` in a forked
process (which shares the loaded gazetteer and code tables) and yields the same items, in
the same order, as `parse(path)` would here. Items cross a pipe in chunks of `CHUNK`, at
most `AHEAD` chunks ahead of the reader, so memory stays flat in the file size. A file that
cannot be read to its end raises the same `ImportFileError` (reason, line, items read
before) after the items read before the break, as in process. The parser is stopped when
the reader stops early (a refusal, an error) and always waited for; it stops by itself when
the reader is killed. Where `fork` does not
exist, or the second process cannot start, the file is parsed in this process.

With `prepare`, each item's `prepare(item)` is worked out in the parser process too, but a
chunk finished while the reader waits for work (nothing queued) crosses unprepared and is
prepared by the reader: whichever process is behind, the other takes over some of its work.
"""
from __future__ import annotations

import multiprocessing
import os
import queue as queues
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..formats import ImportFileError
from ..formats.items import ImportItem

CHUNK = 200  # items per message
AHEAD = 8  # messages the parser may be ahead of the reader
POLL = 1.0  # seconds between checks that a silent parser is still alive


class _ReaderGone(Exception):
    """The process that started the parser is gone (killed): nobody will read what it sends."""


def _produce(parse: Callable[..., Iterator[ImportItem]], source: Path, kwargs: dict[str, Any],
             out: Any, reader: int, prepare: Callable[[ImportItem], Any] | None = None) -> None:
    """The parser process: send chunks of items, then ("end",) or the error that stopped it."""

    def send(message: tuple) -> None:
        while True:
            try:
                out.put(message, timeout=POLL)
                return
            except queues.Full:
                if os.getppid() != reader:  # the reader was killed: stop, do not wait forever
                    raise _ReaderGone from None

    def finished(chunk: list[ImportItem]) -> tuple:
        """The chunk's message: prepared here, or left for the reader to prepare when it is
        waiting for work (nothing queued), so neither process waits while the other works."""
        if prepare is None:
            return ("items", chunk)
        try:
            waiting = out.qsize() == 0
        except NotImplementedError:  # no queue size here (macOS): prepare every chunk here
            waiting = False
        return ("raw", chunk) if waiting else ("items", [prepare(item) for item in chunk])

    chunk: list[ImportItem] = []
    try:
        try:
            for item in parse(source, **kwargs):
                chunk.append(item)
                if len(chunk) >= CHUNK:
                    send(finished(chunk))
                    chunk = []
            send(finished(chunk))
            send(("end",))
        except ImportFileError as err:
            send(("raw", chunk))  # prepared by the reader
            send(("file_error", err.reason, err.line, err.parsed_before))
        except _ReaderGone:
            raise
        except Exception as err:  # noqa: BLE001 - told to the reader, raised there
            send(("raw", chunk))  # prepared by the reader (a failing `prepare` fails there again)
            send(("error", f"{type(err).__name__}: {err}"))
    except _ReaderGone:
        out.cancel_join_thread()  # what is still buffered for the pipe is dropped


def parsed_ahead(parse: Callable[..., Iterator[ImportItem]], source: Path,
                 prepare: Callable[[ImportItem], Any] | None = None, **kwargs: Any) -> Iterator[Any]:
    """The items of `parse(source, **kwargs)`, parsed in a second process; with `prepare`,
    `prepare(item)` of each, worked out there or here (it must not need the database, and
    gives the same wherever it runs)."""
    try:
        context = multiprocessing.get_context("fork")
        channel = context.Queue(maxsize=AHEAD)
        worker = context.Process(target=_produce, args=(parse, source, kwargs, channel, os.getpid(), prepare))
        worker.start()
    except (ValueError, OSError):  # no fork here, or no process to be had: read in process
        items = parse(source, **kwargs)
        yield from items if prepare is None else map(prepare, items)
        return
    try:
        while True:
            try:
                message = channel.get(timeout=POLL)
            except queues.Empty:
                if not worker.is_alive() and channel.empty():
                    raise RuntimeError(f"the parser of {source} stopped (exit code {worker.exitcode})") from None
                continue
            if message[0] == "items":
                yield from message[1]
            elif message[0] == "raw":
                yield from message[1] if prepare is None else map(prepare, message[1])
            elif message[0] == "end":
                return
            elif message[0] == "file_error":
                raise ImportFileError(message[1], line=message[2], parsed_before=message[3])
            else:
                raise RuntimeError(f"reading {source} failed: {message[1]}")
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        channel.close()
        channel.join_thread()
