"""Refusing hostile XML before lxml sees it, and opening paths or file objects alike.

IATI files never need a DTD. A DOCTYPE that declares entities is the vehicle of
expansion bombs ("billion laughs") and external-entity reads (XXE), so the prolog is
sniffed and such files are refused outright; the parser is also configured not to
resolve entities nor touch the network, as a second line of defence.

The sniffing reads the prolog in the file's own encoding, found as the XML parser finds
it (the XML specification's Appendix F: a byte-order mark, else the byte pattern of the
first characters, else the encoding declaration), so a DOCTYPE written in UTF-16 or
UTF-32, with or without a byte-order mark, is seen as well as one in UTF-8.
"""
from __future__ import annotations

import codecs
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
_ROOT_START_TEXT = re.compile(r"<[A-Za-z_]")
_DOCTYPE_TEXT = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY_TEXT = re.compile(r"<!ENTITY", re.IGNORECASE)
_DECLARED = re.compile(r"""^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
# Byte-order marks and the patterns of "<", "<?" or any ASCII character in each encoding
# (Appendix F of the XML specification), most specific first; None: an encoding Python
# cannot read (UCS-4 in the unusual byte orders 2143 and 3412), refused outright.
_SIGNATURES: tuple[tuple[re.Pattern[bytes], str | None], ...] = tuple(
    (re.compile(pattern, re.DOTALL), codec) for pattern, codec in (
        (rb"\A\x00\x00\xfe\xff", "utf-32-be"),
        (rb"\A\xff\xfe\x00\x00", "utf-32-le"),
        (rb"\A(\x00\x00\xff\xfe|\xfe\xff\x00\x00)", None),
        (rb"\A\xfe\xff", "utf-16-be"),
        (rb"\A\xff\xfe", "utf-16-le"),
        (rb"\A\xef\xbb\xbf", "utf-8-sig"),
        (rb"\A\x00\x00\x00[^\x00]", "utf-32-be"),
        (rb"\A[^\x00]\x00\x00\x00", "utf-32-le"),
        (rb"\A(\x00\x00[^\x00]\x00|\x00[^\x00]\x00\x00)", None),
        (rb"\A\x00[^\x00]\x00[^\x00]", "utf-16-be"),
        (rb"\A[^\x00]\x00[^\x00]\x00", "utf-16-le"),
        (rb"\A\x4c\x6f\xa7\x94", "cp037"),  # "<?xm" in EBCDIC
    ))
_WIDE = {"utf-16-be": "UTF-16", "utf-16-le": "UTF-16", "utf-32-be": "UTF-32", "utf-32-le": "UTF-32"}

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


def _prolog_text(text: str) -> str | None:
    """`_prolog` for decoded text."""
    text = re.sub(r"<!--.*?-->|<\?.*?\?>", "", text, flags=re.DOTALL)
    root = _ROOT_START_TEXT.search(text)
    return text[: root.start()] if root else None


def detect_encoding(head: bytes) -> str | None:
    """The codec the first bytes reveal (a byte-order mark or Appendix F's patterns), "utf-8"
    when they reveal none; None for UCS-4 in an unusual byte order."""
    for pattern, codec in _SIGNATURES:
        if pattern.match(head):
            return codec
    return "utf-8"


def _readings(head: bytes, codec: str) -> list[str]:
    """The head decoded as the first bytes say and, if it names another encoding that Python
    knows, as its declaration says too (a parser may follow either)."""
    text = head.decode(codec, errors="replace")
    readings = [text]
    declared = _DECLARED.match(text)
    if declared:
        try:
            other = codecs.lookup(declared.group(1)).name
        except LookupError:
            other = None
        if other and other != codecs.lookup(codec).name:
            readings.append(head.decode(other, errors="replace"))
    return readings


def check_prolog(head: bytes) -> None:
    """Raise ImportFileError when the prolog has a DTD internal subset or is too long.

    Entities can only be declared in a DOCTYPE's internal subset ("[...]") or in an
    external DTD (never loaded here), so any internal subset is refused, in whichever
    encoding the file is written. Files in UTF-16 or UTF-32 are refused as well (IATI
    files are UTF-8), after a hostile one has been named as such.
    """
    codec = detect_encoding(head)
    if codec is None:
        raise ImportFileError("UCS-4 XML is not accepted; save the file as UTF-8")
    for text in _readings(head, codec):
        prolog = _prolog_text(text)
        if prolog is None:
            prolog = text
        doctype = _DOCTYPE_TEXT.search(prolog)
        if doctype and ("[" in prolog[doctype.start():] or _ENTITY_TEXT.search(prolog)):
            raise ImportFileError(
                "refused: the XML has a DOCTYPE declaring entities (entity expansion and "
                "external entities are not accepted in IATI files)",
                line=prolog.count("\n", 0, doctype.start()) + 1,
            )
    if codec in _WIDE:
        # The parser would read it, but IATI files are UTF-8.
        raise ImportFileError(f"{_WIDE[codec]} XML is not accepted; save the file as UTF-8")
    if _prolog(head) is None and len(head) >= MAX_PROLOG_BYTES:
        raise ImportFileError("refused: no root element within the first 1 MB of the file")


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
