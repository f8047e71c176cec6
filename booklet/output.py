"""Write outputs safely: to temporary files beside the targets, then rename.

A failed or interrupted build never leaves a half-written file in place of an
earlier good one, and a reader never sees a partial file. The outputs of one
source are renamed into place together, only once every one of them is made: a
failure leaves the previous set as it was. A temporary file carries the number of
the process writing it; one left behind by a process that was killed is removed
by the next build into that folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from booklet.errors import OutputError

PART_SUFFIX = ".part"
# .NAME.PID.RANDOM.part
LEFT_BEHIND = re.compile(r"^\..+\.(\d+)\.[^.]+\.part$")


def prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(
            folder, f"cannot create the output folder ({err.strerror}); choose another with --out"
        ) from None
    if not os.access(folder, os.W_OK):
        raise OutputError(folder, "the output folder is not writable; choose another with --out")
    remove_left_behind(folder)


def remove_left_behind(folder: Path) -> None:
    """Temporary files of builds into `folder` whose process is gone."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            match = LEFT_BEHIND.match(entry.name)
            if match and not _running(int(match[1])) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@contextlib.contextmanager
def staged(targets: Iterable[Path]) -> Iterator[dict[Path, Path]]:
    """{target: temporary path} to write; when the block ends without an error, every
    target is replaced by its temporary file, else none is and they are removed."""
    temporaries: dict[Path, Path] = {}
    try:
        for target in targets:
            temporaries[target] = _temporary(target)
        yield temporaries
        for target, temporary in temporaries.items():
            if not temporary.is_file() or temporary.stat().st_size == 0:
                raise OutputError(target, "the writer produced no data; nothing was replaced")
        for target, temporary in temporaries.items():
            _publish(temporary, target)
    except OSError as err:
        raise OutputError(
            next(iter(temporaries), Path(".")),
            f"cannot write ({err.strerror}); earlier outputs left as they were",
        ) from None
    finally:
        for temporary in temporaries.values():
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces `target`."""
    with staged([target]) as temporaries:
        yield temporaries[target]


def _temporary(target: Path) -> Path:
    prepare_folder(target.parent)
    try:
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=PART_SUFFIX
        )
    except OSError as err:
        raise OutputError(target, f"cannot write here ({err.strerror})") from None
    os.close(handle)
    return Path(name)


def _publish(temporary: Path, target: Path) -> None:
    # mkstemp makes the file private; outputs are ordinary documents.
    umask = os.umask(0)
    os.umask(umask)
    temporary.chmod(0o666 & ~umask)
    os.replace(temporary, target)
