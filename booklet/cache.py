"""Results that are slow to make and depend only on their inputs (an SVG figure drawn
as a PNG for the EPUB), kept on disk between builds and shared by parallel ones.

An entry's name is the SHA-256 of everything that made it: its inputs, and the
versions of booklet, WeasyPrint and pypdfium2, so an upgrade never serves an old
picture. Entries are written whole (temporary file, then rename), so concurrent
builds never read half an entry. The cache is only ever an optimisation: when its
folder cannot be written, builds go on without it.

Where: $BOOKLET_CACHE, else $XDG_CACHE_HOME/booklet, else ~/.cache/booklet.
BOOKLET_CACHE=off turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from booklet.errors import OutputError
from booklet.output import atomic_write

OFF = "off"


def folder() -> Path | None:
    chosen = os.environ.get("BOOKLET_CACHE", "").strip()
    if chosen.lower() == OFF:
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
    return Path(base) / "booklet"


def key(kind: str, *inputs: bytes | str | int | float) -> str:
    digest = hashlib.sha256()
    for part in (kind, *_versions(), *inputs):
        data = part if isinstance(part, bytes) else str(part).encode()
        digest.update(len(data).to_bytes(8, "big") + data)  # lengths: no two inputs run together
    return f"{kind}-{digest.hexdigest()}"


def load(name: str) -> bytes | None:
    where = folder()
    if where is None:
        return None
    try:
        return (where / name).read_bytes()
    except OSError:
        return None


def names(prefix: str) -> list[str]:
    """The entries whose name starts with `prefix`."""
    where = folder()
    if where is None:
        return []
    try:
        return [path.name for path in where.glob(f"{prefix}*") if path.is_file()]
    except OSError:
        return []


def store(name: str, data: bytes) -> None:
    where = folder()
    if where is None:
        return
    # A cache that cannot be written is no cache, not an error.
    with contextlib.suppress(OSError, OutputError):
        where.mkdir(parents=True, exist_ok=True)
        with atomic_write(where / name) as temporary:
            temporary.write_bytes(data)


@cache
def _versions() -> tuple[str, ...]:
    found = []
    for package in ("booklet", "weasyprint", "pypdfium2", "pillow"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} ?")
    return tuple(found)
