"""Refusing hostile XML before lxml sees it, and opening paths or file objects alike.

IATI files never need a DTD. A DOCTYPE that declares entities is the vehicle of
expansion bombs ("billion laughs") and external-entity reads (XXE), so the prolog is
sniffed and such files are refused outright; the parser is also configured not to
resolve entities nor touch the network, as a second line of defence.
"""
from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, BinaryIO

from .items import ImportFileError

# How far into a file the root element must have started; a longer prolog is refused.
MAX_PROLOG_BYTES = 1 << 20
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

Source = str | os.PathLike[str] | IO[bytes]


class _Prefixed(io.RawIOBase):
    """A readable stream that first replays the sniffed prefix, then the rest."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        """Say that this stream can be read."""
        return True

    def read(self, size: int = -1) -> bytes:
        """Read from the prefix first, then from the underlying stream."""
        if self._prefix:
            if size is None or size < 0:
                data, self._prefix = self._prefix + self._rest.read(), b""
                return data
            data, self._prefix = self._prefix[:size], self._prefix[size:]
            return data
        return self._rest.read(size if size is not None else -1)

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        """Fill `buffer` from `read`, for io.BufferedReader."""
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _prolog(head: bytes) -> bytes | None:
    """Return the bytes before the root element (comments and PIs removed), None if unseen."""
    text = re.sub(rb"<!--.*?-->|<\?.*?\?>", b"", head, flags=re.DOTALL)
    root = _ROOT_START.search(text)
    return text[: root.start()] if root else None


def check_prolog(head: bytes) -> None:
    """Raise ImportFileError when the prolog has a DTD internal subset or is too long.

    Entities can only be declared in a DOCTYPE's internal subset ("[...]") or in an
    external DTD (never loaded here), so any internal subset is refused.
    """
    if head.startswith(_UTF16_BOMS):
        # The byte checks would not see UTF-16 markup; IATI files are UTF-8.
        raise ImportFileError("UTF-16 XML is not accepted; save the file as UTF-8")
    prolog = _prolog(head)
    if prolog is None:
        if len(head) >= MAX_PROLOG_BYTES:
            raise ImportFileError("refused: no root element within the first 1 MB of the file")
        prolog = head
    doctype = _DOCTYPE.search(prolog)
    if doctype and (b"[" in prolog[doctype.start():] or _ENTITY.search(prolog)):
        raise ImportFileError(
            "refused: the XML has a DOCTYPE declaring entities (entity expansion and "
            "external entities are not accepted in IATI files)",
            line=prolog.count(b"\n", 0, doctype.start()) + 1,
        )


def _sniff(stream: IO[bytes]) -> bytes:
    """Read until the root element starts (or 1 MB) and return what was read."""
    head = b""
    while len(head) < MAX_PROLOG_BYTES:
        chunk = stream.read(min(64 * 1024, MAX_PROLOG_BYTES - len(head)))
        if not chunk:
            break
        if isinstance(chunk, str):
            raise ImportFileError("the file must be opened in binary mode")
        head += chunk
        if _prolog(head) is not None:
            break
    return head


@contextmanager
def open_checked(source: Source) -> Iterator[tuple[BinaryIO, str]]:
    """Yield (a safe binary stream, a display name) for a path or a binary file object."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            handle: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise ImportFileError(f"cannot open {path.name}: {exc.strerror}") from exc
        name, owned = path.name, True
    else:
        handle = source
        name = Path(str(getattr(source, "name", "upload.xml"))).name
        owned = False
    try:
        prefix = _sniff(handle)
        check_prolog(prefix)
        yield io.BufferedReader(_Prefixed(prefix, handle)), name  # type: ignore[arg-type]
    finally:
        if owned:
            handle.close()
