"""Write outputs safely: to a temporary file beside the target, then rename.

A failed or interrupted build never leaves a half-written file in place of an
earlier good one, and a reader never sees a partial file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from booklet.errors import OutputError


def prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(
            folder, f"cannot create the output folder ({err.strerror}); choose another with --out"
        ) from None
    if not os.access(folder, os.W_OK):
        raise OutputError(folder, "the output folder is not writable; choose another with --out")


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces `target`."""
    prepare_folder(target.parent)
    try:
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as err:
        raise OutputError(target, f"cannot write here ({err.strerror})") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        if not temporary.is_file() or temporary.stat().st_size == 0:
            raise OutputError(target, "the writer produced no data; nothing was replaced")
        # mkstemp makes the file private; outputs are ordinary documents.
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)
        os.replace(temporary, target)
    except OSError as err:
        raise OutputError(
            target, f"cannot write ({err.strerror}); earlier output left as it was"
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
