"""Results that are slow to make and depend only on their inputs (an SVG figure drawn
as a PNG for the EPUB, the cover's picture, a handout's page counts), kept on disk
between builds and shared by parallel ones.

Data only: nothing in the cache is ever run. An entry's name is the SHA-256 of
everything that made it, its inputs and the installed booklet and libraries
that drew it, so an upgrade never serves an old picture; entries are looked up by
that exact name. Each entry holds the SHA-256 of its data, checked on every read:
a damaged entry (a full disk, a crash mid-write, a bad sector) is dropped and made
again, never used. Entries are regular files, opened without following links.

The folder is the user's own: created private (0700), and not used at all when
another user owns it or others may write to it (said once; builds go on without
it). The cache holds at most MAX_BYTES; the entries used longest ago go first.
The cache is only ever an optimisation: the outputs are the same bytes without it.

Where: $BOOKLET_CACHE, else $XDG_CACHE_HOME/booklet, else ~/.cache/booklet.
BOOKLET_CACHE=off turns it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import logging
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

LOG = logging.getLogger("booklet")
OFF = "off"
MAGIC = b"booklet-cache-1\n"
DIGEST_BYTES = 32
MAX_BYTES = 200 * 1024 * 1024
MAX_ENTRY_BYTES = 50 * 1024 * 1024  # larger than any picture or page count we store
# The size is checked at the first store of a process, then every so many stores:
# looking at every entry on every store would cost more than the pictures save.
EVICT_EVERY = 64
MADE_BY = ("booklet", "weasyprint", "pypdfium2", "PIL")  # as they are imported
_stored = 0


def folder() -> Path | None:
    """The cache folder, made if need be, or None: off, or not safe to use."""
    chosen = os.environ.get("BOOKLET_CACHE", "").strip()
    if chosen.lower() == OFF:
        return None
    if chosen:
        where = Path(chosen)
    else:
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
        where = Path(base) / "booklet"
    return _usable(str(where.absolute()))


@functools.lru_cache(maxsize=8)
def _usable(where: str) -> Path | None:
    """Checked once per folder and process: a private folder of ours, or None (said once)."""
    path = Path(where)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
        info = path.lstat()
    except OSError as err:
        LOG.debug("no cache: cannot make %s (%s)", path, err.strerror)
        return None
    problem = None
    if not stat.S_ISDIR(info.st_mode):
        problem = "is not a folder"
    elif info.st_uid != os.getuid():
        problem = "belongs to another user"
    elif info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        problem = "may be written by other users"
    if problem:
        LOG.warning(
            "the cache folder %s %s, so it is not used (builds are slower); make it your "
            "own with chmod 700, or set BOOKLET_CACHE to another folder",
            path,
            problem,
        )
        return None
    if info.st_mode & 0o077:  # ours, from an older booklet that made it 0755: private now
        with contextlib.suppress(OSError):
            path.chmod(0o700)
    return path


def key(kind: str, *inputs: bytes | str | int | float) -> str:
    digest = hashlib.sha256()
    for part in (kind, *_versions(), *inputs):
        data = part if isinstance(part, bytes) else str(part).encode()
        digest.update(len(data).to_bytes(8, "big") + data)  # lengths: no two inputs run together
    return f"{kind}-{digest.hexdigest()}"


def load(name: str) -> bytes | None:
    """The data stored under `name`, if it is there and whole; a damaged entry is
    removed (the caller makes the data again and stores it)."""
    where = folder()
    if where is None:
        return None
    path = where / name
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None  # not there, or a link
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES + len(MAGIC) + 32:
            return _drop(path, "not a regular file of a sensible size")
        with os.fdopen(os.dup(handle), "rb") as file:
            stored = file.read()
    except OSError:
        return None
    finally:
        os.close(handle)
    header = len(MAGIC) + DIGEST_BYTES
    data = stored[header:]
    if (
        stored[: len(MAGIC)] != MAGIC
        or hashlib.sha256(data).digest() != stored[len(MAGIC) : header]
    ):
        return _drop(path, "damaged")
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: the last to be evicted
    return data


def store(name: str, data: bytes) -> None:
    """Keep `data` under `name`. A cache that cannot be written is no cache, not an
    error; entries are written whole (temporary file, then rename)."""
    where = folder()
    if where is None or len(data) > MAX_ENTRY_BYTES:
        return
    entry = MAGIC + hashlib.sha256(data).digest() + data
    try:
        handle, temporary = tempfile.mkstemp(dir=where, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(entry)
            os.replace(temporary, where / name)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        global _stored
        if _stored % EVICT_EVERY == 0:
            _evict(where)
        _stored += 1
    except OSError as err:
        LOG.debug("cache entry %s not stored (%s)", name, err.strerror)


def _split(stored: bytes) -> tuple[bytes, bytes, bytes]:
    """An entry's magic line, the SHA-256 of its data, and the data."""
    header = len(MAGIC) + DIGEST_BYTES
    return stored[: len(MAGIC)], stored[len(MAGIC) : header], stored[header:]


def _drop(path: Path, why: str) -> None:
    LOG.debug("cache entry %s dropped: %s", path.name, why)
    with contextlib.suppress(OSError):
        path.unlink()
    return None


def _evict(where: Path) -> None:
    """Remove the entries used longest ago while the cache holds more than MAX_BYTES."""
    entries = []
    with os.scandir(where) as found:
        for entry in found:
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode):
                    entries.append((info.st_mtime_ns, info.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= MAX_BYTES:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            total -= size


def made(name: str, make: Callable[[], bytes]) -> bytes:
    """The data stored under `name`, else what `make()` makes, stored there for the
    next build."""
    data = load(name)
    if data is None:
        data = make()
        store(name, data)
    return data


def identity(path: str | os.PathLike) -> str:
    """A file (or folder) as it is installed: its path, inode, size, modification and
    change times. An install, upgrade or reinstall makes a file anew (adding to a
    folder changes it): a new inode and change time, which no installer sets back (one
    that keeps a wheel's modification times would otherwise go unseen). "?" when
    there is no such file."""
    try:
        status = os.stat(path)
    except (TypeError, OSError):
        return f"{path} ?"
    return (
        f"{path} {status.st_ino} {status.st_size} {status.st_mtime_ns} {status.st_ctime_ns}"
    )


@functools.cache
def _versions() -> tuple[str, ...]:
    """The packages that make the entries, each by the identity of its __init__ file.
    (Their versions, from importlib.metadata, took 0.01 s of every build.)"""
    found = []
    for package in MADE_BY:
        spec = importlib.util.find_spec(package)
        found.append(f"{package} {identity(spec.origin) if spec else '?'}")
    return tuple(found)
