"""Write the draft and its images all or nothing: each file to a temporary name
beside it, then renamed; if anything fails, what this import wrote is removed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from booklet.errors import OutputError
from booklet.importer.figures import Figures


def write_all(out: Path, text: str, figures: Figures, force: bool) -> None:
    written: list[Path] = []
    try:
        for copy in figures.copies:
            if not copy.exists:
                target = figures.place.folder / copy.name
                if target.exists():  # appeared since the names were chosen: never overwrite
                    raise OutputError(target, "appeared while importing; run the import again")
                _write(target, copy.data)
                written.append(target)
        if out.exists() and not force:
            raise OutputError(out, "appeared while importing; run the import again")
        _write(out, text.encode("utf-8"))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _write(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as err:
        raise OutputError(
            target, f"cannot write here ({err.strerror}); choose another -o"
        ) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)
        os.replace(temporary, target)
    except OSError as err:
        raise OutputError(target, f"cannot write ({err.strerror}); nothing was replaced") from None
    finally:
        temporary.unlink(missing_ok=True)
