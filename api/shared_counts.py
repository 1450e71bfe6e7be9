"""Fixed-window counters shared by the worker processes of one server (rate limiting's
``local://`` storage).

Counting in each process's memory (``memory://``) lets N gunicorn workers admit N times the
advertised limit. Here the counters live in one shared memory map: gunicorn's master makes it
before forking (:func:`share_with_workers`, from gunicorn.conf.py) and every worker inherits it;
each update holds a thread lock and a process-shared semaphore (``multiprocessing.Lock``, made
with the map). Taking a free semaphore is an atomic operation in memory: no system call, so the
request thread keeps the GIL (a file lock cost two system calls a request, each a release of the
GIL that the worker's event loop then held). The holder's pid is written beside the slots; a
worker that finds the semaphore held past :data:`HOLD_SECONDS` by a process that no longer
exists (killed mid-update) releases it and goes on. Where the system has no process-shared
semaphores (``sem_open`` needs ``/dev/shm``, absent in some containers), the map's own file is
locked with ``fcntl.lockf`` instead (:class:`_FileLock`: two system calls an update; the kernel
frees a dead holder's lock), with a warning at start. A process that was not forked from such a
master (tests, a single process) gets a table of its own.

Layout: :data:`SLOTS` slots of 32 bytes — a 16-byte digest of the key, the window's end (Unix
time, float64) and its count (int64) — found by open addressing over :data:`PROBES` slots from
the key's hash. An expired slot is free (reused); a never-used one ends the search. When every
probed slot holds a live window (more clients in one window than the table holds, near one
slot), the one ending first is taken over.

Standard library only: the gunicorn master imports it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import mmap
import multiprocessing
import os
import struct
import tempfile
import threading
import time

SLOTS = 1 << 16
PROBES = 32
_SLOT = struct.Struct("<16sdq")
_EMPTY = b"\0" * 16
#: Where the semaphore's holder writes its pid: after the slots.
_HOLDER = SLOTS * _SLOT.size
_PID = struct.Struct("<q")
_SIZE = _HOLDER + _PID.size
#: How long a worker waits for the semaphore before it asks whether its holder still lives.
HOLD_SECONDS = 0.5

log = logging.getLogger(__name__)


class WindowTable:
    """Fixed windows by key: ``hit`` adds to the key's live window (opening one if none)."""

    def __init__(self, memory: mmap.mmap, process_lock=None) -> None:
        self._memory = memory
        self._process_lock = process_lock
        self._thread_lock = threading.Lock()

    @classmethod
    def private(cls) -> WindowTable:
        """A table for this process alone."""
        return cls(mmap.mmap(-1, _SIZE))

    @classmethod
    def shared(cls) -> WindowTable:
        """A table that processes forked after this call share: a file mapped ``MAP_SHARED``,
        unlinked at once (nothing to clean up; it lives while a process holds it), and its
        semaphore."""
        fd, path = tempfile.mkstemp(prefix="article-api-rate-")
        try:
            os.unlink(path)
            os.ftruncate(fd, _SIZE)
            memory = mmap.mmap(fd, _SIZE, mmap.MAP_SHARED)
            lock = _process_lock(fd)
        except BaseException:
            os.close(fd)
            raise
        if not isinstance(lock, _FileLock):
            os.close(fd)  # the map holds the file
        return cls(memory, lock)

    def _locked(self):
        return _Locked(self._thread_lock, self._process_lock, self._memory)

    def _find(self, digest: bytes, now: float) -> tuple[int, float, int]:
        """The slot holding ``digest``'s live window ``(offset, end, count)``, else the slot to
        open one in with ``count`` 0."""
        start = int.from_bytes(digest[:8], "little") % SLOTS
        free = None
        oldest = None
        for probe in range(PROBES):
            offset = ((start + probe) % SLOTS) * _SLOT.size
            key, end, count = _SLOT.unpack_from(self._memory, offset)
            if key == digest and end > now:
                return offset, end, count
            if key == _EMPTY:  # never used: the key is not further along
                return (free if free is not None else offset), 0.0, 0
            if end <= now:
                if free is None:
                    free = offset
            elif oldest is None or end < oldest[1]:
                oldest = (offset, end)
        return (free if free is not None else oldest[0]), 0.0, 0  # type: ignore[index]

    def hit(self, key: str, seconds: float, amount: int = 1) -> int:
        """Add ``amount`` to ``key``'s window (a new one of ``seconds`` if none is open); the
        count after it."""
        return self.hit_window(key, seconds, amount)[0]

    def hit_window(self, key: str, seconds: float, amount: int = 1) -> tuple[int, float]:
        """:meth:`hit`, and the end of the window it counted in: ``(count, end)``, under one
        lock (a rate-limited request's count and its ``RateLimit-Reset``)."""
        digest = _digest(key)
        with self._locked():
            now = time.time()
            offset, end, count = self._find(digest, now)
            if count == 0:
                end = now + seconds
            count += amount
            _SLOT.pack_into(self._memory, offset, digest, end, count)
        return count, end

    def window(self, key: str) -> tuple[float, int]:
        """``(end, count)`` of ``key``'s live window; ``(now, 0)`` when none is open."""
        digest = _digest(key)
        with self._locked():
            now = time.time()
            _, end, count = self._find(digest, now)
        return (end, count) if count else (now, 0)

    def clear(self, key: str | None = None) -> None:
        """Forget ``key``'s window, or every window."""
        with self._locked():
            if key is None:
                self._memory[:_HOLDER] = b"\0" * _HOLDER
                return
            offset, _, count = self._find(_digest(key), time.time())
            if count:
                _SLOT.pack_into(self._memory, offset, _EMPTY, 0.0, 0)


def _process_lock(fd: int):
    """A process-shared semaphore; where the system cannot make one, a lock on ``fd``."""
    try:
        return multiprocessing.get_context("fork").Lock()
    except (OSError, ImportError) as error:  # no sem_open: no /dev/shm, or not built with it
        log.warning(
            "rate limit: no process-shared semaphore here (%s); the shared counters are "
            "locked with fcntl.lockf instead (slower: two system calls a request)",
            error,
        )
        return _FileLock(fd)


class _FileLock:
    """``fcntl.lockf`` on the map's file, with a semaphore's ``acquire``/``release``. POSIX
    record locks belong to a process, so the thread lock taken first keeps threads apart, and
    the kernel releases the lock of a process that exits holding it (nothing to recover)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd  # kept open for the life of the process (and its forks)

    def acquire(self, timeout: float | None = None) -> bool:
        fcntl.lockf(self._fd, fcntl.LOCK_EX)
        return True

    def release(self) -> None:
        fcntl.lockf(self._fd, fcntl.LOCK_UN)


class _Locked:
    def __init__(self, thread_lock: threading.Lock, process_lock, memory: mmap.mmap) -> None:
        self._thread_lock = thread_lock
        self._process_lock = process_lock
        self._memory = memory

    def __enter__(self) -> None:
        self._thread_lock.acquire()
        lock = self._process_lock
        if lock is None:
            return
        try:
            if not lock.acquire(timeout=HOLD_SECONDS) and not self._recover(lock):
                raise OSError("the shared rate-limit counters are held by a live process")
        except BaseException:
            self._thread_lock.release()
            raise
        _PID.pack_into(self._memory, _HOLDER, _OWN_PID[0])

    def _recover(self, lock) -> bool:
        """The semaphore, taken from a holder that died holding it; False if it lives."""
        (holder,) = _PID.unpack_from(self._memory, _HOLDER)
        if holder and _alive(holder):
            return False
        # Only a process that exited mid-update leaves it held: release it for the dead.
        _PID.pack_into(self._memory, _HOLDER, 0)
        with contextlib.suppress(ValueError):  # released meanwhile by another worker
            lock.release()
        return lock.acquire(timeout=HOLD_SECONDS)

    def __exit__(self, *exc) -> None:
        if self._process_lock is not None:
            _PID.pack_into(self._memory, _HOLDER, 0)
            self._process_lock.release()
        self._thread_lock.release()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


#: This process's pid, kept current across forks (``os.getpid`` is a system call).
_OWN_PID = [os.getpid()]
os.register_at_fork(after_in_child=lambda: _OWN_PID.__setitem__(0, os.getpid()))


def _digest(key: str) -> bytes:
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return digest if digest != _EMPTY else b"\1" + digest[1:]


_SHARED: WindowTable | None = None


def share_with_workers() -> None:
    """Make the table that processes forked from this one (gunicorn's workers) count into."""
    global _SHARED
    if _SHARED is None:
        _SHARED = WindowTable.shared()


def table() -> WindowTable:
    """The table shared with this process's siblings, or one of its own."""
    return _SHARED if _SHARED is not None else WindowTable.private()
