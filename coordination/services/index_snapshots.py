"""The overlap index kept on disk, so a new process need not read every stored initiative.

A process that holds no overlap index (a CLI command, a web worker after a restart) builds
one from every live initiative: seconds per 50,000, a minute per million, paid by its first
write or import. A snapshot is that index as a file, written by a process that has just
built it (`overlap_index.current_index`) and read by the next one, which then replays the
change log from the snapshot's place on, as a long-running process catches up with others'
writes. So a snapshot is exactly as current as the change log makes any process's index.

A snapshot is used only when all of these hold, else it is ignored (and the index built):
- it was written for this database (its URL) with this deployment's secret: an HMAC of the
  whole file with a key derived from SECRET_KEY is checked before anything is unpickled, so
  a file placed or changed by someone without the secret is never loaded;
- it was written by the same code and data (`code_fingerprint`: every source and data file
  of the `coordination` package, the engine's settings, Python's, numpy's and scipy's
  versions): a new release rebuilds rather than trusting an old featurisation;
- its place in the change log still names the same entry (id and time): a database reset or
  restored from a backup is not taken for the one the snapshot saw.

Files are written to a temporary name and renamed (readers never see half a file), readable
by their owner only, in a folder made the owner's only; the signature is checked and the
index read through one open file. A failure to write is logged and costs nothing but the next build.
`save_aside` writes from a forked process (a copy of this one's memory at that moment), so
the process that built the index goes on at once: after an import's build the parser's core
is free, and pickling 50,000 initiatives takes ~1.3 s. A process waits for its writers before
it exits.
"""
from __future__ import annotations

import atexit
import gc
import hashlib
import hmac
import logging
import os
import pickle
import sys
import tempfile
import threading
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import numpy
import scipy

from ..convergence import OverlapConfig, OverlapIndex
from ..convergence.memory import collector_paused
from ..convergence.text_model import TextModel

log = logging.getLogger(__name__)

MAGIC = b"coordination overlap index snapshot 1\n"
MAC_SIZE = 32  # bytes of the HMAC-SHA256 trailer
PACKAGE = Path(__file__).resolve().parents[1]  # coordination/


@dataclass(frozen=True)
class SnapshotSettings:
    """Where one database's snapshots go, the secret they are signed with, and the size from
    which an index is worth keeping on disk (below it a build takes well under a second)."""

    folder: Path
    secret: bytes
    minimum: int


@dataclass
class Snapshot:
    """What a snapshot holds: the index and where in the change log it is caught up to."""

    index: OverlapIndex
    last_change: int
    last_change_at: object


def _package_digest() -> bytes:
    """A digest of the package's code and data files."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


# Taken when the process loads its code (~15 ms), not when it first writes or reads: files
# replaced by an upgrade while it runs must not make its index pass for the new code's.
_PACKAGE_DIGEST = _package_digest()


@cache
def code_fingerprint(config: OverlapConfig) -> str:
    """A digest of what shapes an index: the package's code and data as this process loaded
    them, the engine's settings, and the versions of Python and of the numeric libraries."""
    digest = hashlib.sha256(_PACKAGE_DIGEST)
    for part in (sys.version, numpy.__version__, scipy.__version__, repr(config)):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def signing_key(secret_key: str) -> bytes:
    """The snapshots' HMAC key, derived from the app's SECRET_KEY (never the key itself)."""
    return hmac.new(secret_key.encode(), b"overlap index snapshot", hashlib.sha256).digest()


def path_for(folder: Path, database: str) -> Path:
    """The snapshot file of a database (its URL, password hidden)."""
    return folder / f"overlap-index-{hashlib.sha256(database.encode()).hexdigest()[:24]}.pickle"


def _header(fingerprint: str, database: str) -> bytes:
    return MAGIC + fingerprint.encode() + b"\n" + hashlib.sha256(database.encode()).hexdigest().encode() + b"\n"


class _Signed:
    """A binary file that signs what is written to it."""

    def __init__(self, file: BinaryIO, key: bytes) -> None:
        self.file, self.mac = file, hmac.new(key, digestmod=hashlib.sha256)

    def write(self, data: Any) -> int:
        self.mac.update(data)
        return self.file.write(data)


def save(settings: SnapshotSettings, database: str, snapshot: Snapshot, config: OverlapConfig) -> Path | None:
    """Write `snapshot` for `database`; the file's path, or None when it could not be written
    (logged). The index's text model is not stored: the loader gives it the process's own."""
    target = path_for(settings.folder, database)
    parts = {name: value for name, value in vars(snapshot.index).items() if name != "model"}
    payload = {"parts": parts, "last_change": snapshot.last_change, "last_change_at": snapshot.last_change_at}
    temporary = None
    try:
        settings.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=settings.folder, prefix=".overlap-index-", suffix=".part")
        with os.fdopen(handle, "wb") as file:  # mkstemp: readable by the owner only
            signed = _Signed(file, settings.secret)
            signed.write(_header(code_fingerprint(config), database))
            pickle.dump(payload, signed, protocol=pickle.HIGHEST_PROTOCOL)
            file.write(signed.mac.digest())
        os.replace(temporary, target)
        return target
    except (OSError, pickle.PicklingError) as err:
        log.warning("overlap index snapshot not written to %s: %s", target, err)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return None


# The forked writers' pids, reaped once done. No thread waits for them: a helper process is
# forked only from a process with no other thread (`convergence.beside`), and an import's
# detection, just after its index was written, forks one to share its work.
_writers: list[int] = []
_writers_lock = threading.Lock()


def save_aside(settings: SnapshotSettings, database: str, snapshot: Snapshot, config: OverlapConfig) -> None:
    """`save` in a forked process: this one goes on at once (where there is no fork, `save` here).

    The child holds this process's memory as it was at the fork, so the index may change here
    meanwhile. It touches nothing but the index and the file, and leaves without running any
    exit handler (the database connections it shares are this process's)."""
    _reap(block=False)
    try:
        with warnings.catch_warnings():
            # Python 3.12 warns of forking with threads alive (a child may find a lock held);
            # the writer only pickles and writes a file (logging renews its own locks at a fork).
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except (AttributeError, OSError):  # no fork here, or no process to be had
        save(settings, database, snapshot, config)
        return
    if pid == 0:  # the writer
        status = 1
        try:
            gc.disable()  # a collection would walk, and so copy, every object of the parent
            status = 0 if save(settings, database, snapshot, config) is not None else 1
        finally:
            os._exit(status)
    with _writers_lock:
        _writers.append(pid)


def _reap(block: bool) -> None:
    """Reap the writers that are done (`block`: wait for every one)."""
    with _writers_lock:
        for pid in list(_writers):
            try:
                done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
            except ChildProcessError:  # reaped by someone else
                done = pid
            if done:
                _writers.remove(pid)


def wait_for_writers() -> None:
    """Wait until every snapshot this process set writing is written (or failed)."""
    _reap(block=True)


atexit.register(wait_for_writers)


def load(settings: SnapshotSettings, database: str, config: OverlapConfig, model: TextModel) -> Snapshot | None:
    """The snapshot of `database` written by this code with this secret, else None."""
    path = path_for(settings.folder, database)
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            header = _header(code_fingerprint(config), database)
            if size < len(header) + MAC_SIZE or file.read(len(header)) != header:
                return None  # another release's, or another database's
            if not _signature_holds(file, settings.secret, header, size - MAC_SIZE):
                log.warning("overlap index snapshot %s is not signed with this deployment's secret: ignored", path)
                return None
            file.seek(len(header))
            with collector_paused():  # hundreds of thousands of objects, no garbage
                payload = pickle.load(_Bounded(file, size - MAC_SIZE - len(header)))
                # Set aside as soon as made: the index lives as long as the process's state, and
                # the first collection after the pause would walk all of it (~0.15 s at 50,000),
                # then the next ones again. It holds no cycles: dropped, it is freed all the same.
                # What else lives now is set aside with it, until an `old_objects_spared` ends.
                gc.freeze()
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError) as err:
        log.warning("overlap index snapshot %s not read: %s", path, err)
        return None
    index = OverlapIndex.__new__(OverlapIndex)
    vars(index).update(payload["parts"])
    index.config, index.model = config, model
    return Snapshot(index, payload["last_change"], payload["last_change_at"])


def present(settings: SnapshotSettings, database: str, config: OverlapConfig) -> bool:
    """Whether a snapshot of `database` by this code is on disk: its header only (`load` checks
    the rest, and may still refuse it)."""
    header = _header(code_fingerprint(config), database)
    try:
        with open(path_for(settings.folder, database), "rb") as file:
            return file.read(len(header)) == header
    except OSError:
        return False


def _signature_holds(file: BinaryIO, key: bytes, header: bytes, end: int) -> bool:
    """Whether the trailer at `end` is the HMAC of everything before it."""
    mac = hmac.new(key, header, hashlib.sha256)
    left = end - len(header)
    while left > 0:
        chunk = file.read(min(left, 1 << 20))
        if not chunk:
            return False
        mac.update(chunk)
        left -= len(chunk)
    return hmac.compare_digest(mac.digest(), file.read(MAC_SIZE))


class _Bounded:
    """The file up to `left` more bytes (the pickle, not the trailer after it)."""

    def __init__(self, file: BinaryIO, left: int) -> None:
        self.file, self.left = file, left

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.file.read(size)
        self.left -= len(data)
        return data

    def readline(self) -> bytes:
        data = self.file.readline(self.left)
        self.left -= len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)[:self.left]
        count = self.file.readinto(view)  # type: ignore[attr-defined]
        self.left -= count
        return count
