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

`FilesAhead` does the same for a command's whole list of files with one process started
before the first: publishers' files are small (~600 activities), and a process forked per file
once this one holds the overlap index costs more than it saves, so without it small files were
parsed here, on the importer's own core, while the other one idled.
"""
from __future__ import annotations

import multiprocessing
import os
import queue as queues
import time
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


def _sender(out: Any, reader: int) -> Callable[[tuple], None]:
    """put(message) on the channel, stopping (`_ReaderGone`) once the reader is gone."""

    def send(message: tuple) -> None:
        while True:
            try:
                out.put(message, timeout=POLL)
                return
            except queues.Full:
                if os.getppid() != reader:  # the reader was killed: stop, do not wait forever
                    raise _ReaderGone from None

    return send


def _all_read(out: Any, reader: int) -> None:
    """Wait until the reader has taken every message (`_ReaderGone` if it is killed first).

    A process leaving waits for its queue's last messages to be written to the pipe; were the
    reader killed meanwhile, nobody would read them and the parser would never leave."""
    while True:
        try:
            if out.qsize() == 0:
                return
        except NotImplementedError:  # no queue size here (macOS): leave as before
            return
        if os.getppid() != reader:
            raise _ReaderGone
        time.sleep(POLL / 20)


def _send_file(parse: Callable[..., Iterator[ImportItem]], source: Path, kwargs: dict[str, Any],
               out: Any, send: Callable[[tuple], None], prepare: Callable[[ImportItem], Any] | None) -> None:
    """Send one file's chunks of items, then ("end",) or the error that stopped it."""

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


def parsed_ahead(parse: Callable[..., Iterator[ImportItem]], source: Path,
                 prepare: Callable[[ImportItem], Any] | None = None, **kwargs: Any) -> Iterator[Any]:
    """The items of `parse(source, **kwargs)`, parsed in a second process; with `prepare`,
    `prepare(item)` of each, worked out there or here (it must not need the database, and
    gives the same wherever it runs). `FilesAhead` of this one file."""
    with FilesAhead(parse, [(source, kwargs)], prepare) as ahead:
        yield from ahead.items(source)


def _next_message(channel: Any, worker: Any, source: Path) -> tuple:
    """The parser process's next message (an error if it stopped without sending one)."""
    while True:
        try:
            return channel.get(timeout=POLL)
        except queues.Empty:
            if not worker.is_alive() and channel.empty():
                raise RuntimeError(f"the parser of {source} stopped (exit code {worker.exitcode})") from None


def _received(channel: Any, worker: Any, source: Path,
              prepare: Callable[[ImportItem], Any] | None) -> Iterator[Any]:
    """One file's items from the parser process, up to its ("end",); its error raised here."""
    while True:
        message = _next_message(channel, worker, source)
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


def _stop(worker: Any, channel: Any) -> None:
    """Stop the parser process if it still runs, and wait for it."""
    if worker.is_alive():
        worker.kill()
    worker.join()
    channel.close()
    channel.join_thread()


def _produce_files(parse: Callable[..., Iterator[ImportItem]], sources: list[tuple[Path, dict[str, Any]]],
                   out: Any, reader: int, prepare: Callable[[ImportItem], Any] | None) -> None:
    """The parser process of `FilesAhead`: each file's ("file", position), then its messages."""
    send = _sender(out, reader)
    try:
        for position, (source, kwargs) in enumerate(sources):
            send(("file", position))
            _send_file(parse, source, kwargs, out, send, prepare)
        _all_read(out, reader)
    except _ReaderGone:
        out.cancel_join_thread()


class FilesAhead:
    """The items of a command's files, parsed in file order by one second process started
    before the first (`parsed_ahead` for many files).

    Start it before this process loads much of its own (the overlap index, built at the first
    file's detection): the fork then copies little, and this process's later writes do not
    copy pages it shares with the parser. `items(source)` gives one file's items (with
    `prepare`, as `parsed_ahead` gives them); files are asked for in the order given, and one
    left unread (or half read: a refusal) is skipped. Where no process can be forked, each
    file is parsed here when asked for. Use it as a context manager: leaving stops the parser.
    """

    def __init__(self, parse: Callable[..., Iterator[ImportItem]], sources: list[tuple[Path, dict[str, Any]]],
                 prepare: Callable[[ImportItem], Any] | None = None) -> None:
        """`sources`: (path, keyword arguments of `parse` for it), in the order they will be read."""
        self.parse, self.sources, self.prepare = parse, sources, prepare
        self._next = 0  # position of the next file whose messages have not been reached
        self._worker: Any = None
        self._channel: Any = None
        try:
            context = multiprocessing.get_context("fork")
            self._channel = context.Queue(maxsize=AHEAD)
            self._worker = context.Process(target=_produce_files,
                                           args=(parse, sources, self._channel, os.getpid(), prepare))
            self._worker.start()
        except (ValueError, OSError):  # no fork here, or no process to be had: read in process
            self._worker = None

    def __enter__(self) -> FilesAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def holds(self, source: Path) -> bool:
        """Whether `source` is one of the files still to come."""
        return any(path == source for path, _ in self.sources[self._next:])

    def items(self, source: Path) -> Iterator[Any]:
        """The items of `source`, one of the files still to come (earlier ones are skipped)."""
        position = next(i for i in range(self._next, len(self.sources)) if self.sources[i][0] == source)
        _, kwargs = self.sources[position]
        if self._worker is None:
            self._next = position + 1
            items = self.parse(source, **kwargs)
            yield from items if self.prepare is None else map(self.prepare, items)
            return
        self._skip_to(position)
        self._next = position + 1
        yield from _received(self._channel, self._worker, source, self.prepare)

    def _skip_to(self, position: int) -> None:
        """Read and drop messages up to the ("file", position) marker."""
        source = self.sources[position][0]
        while _next_message(self._channel, self._worker, source) != ("file", position):
            pass

    def close(self) -> None:
        """Stop the parser process (if any) and wait for it."""
        if self._worker is not None:
            _stop(self._worker, self._channel)
            self._worker = None
