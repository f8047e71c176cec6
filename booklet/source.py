"""Read a source file and split it into front matter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from booklet.errors import Problem, SourceError

FENCE = "---"
# C0 controls other than tab and newline: invisible, and not allowed in XML (EPUB).
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Three hundred exercises are about 150 KB; anything near this is not an article.
MAX_SOURCE_BYTES = 2 * 1024 * 1024
# Articles in other forms, which `make-booklet import` turns into a source.
IMPORTABLE = {
    ".docx": "a Word document",
    ".odt": "a LibreOffice document",
    ".html": "a web page",
    ".htm": "a web page",
    ".xhtml": "a web page",
}


@dataclass(frozen=True)
class SourceText:
    path: Path
    front_matter: str
    front_matter_line: int  # file line of the front matter's first line
    body: str
    body_line: int  # file line of the body's first line


def read_source(path: Path) -> SourceText:
    """Read `path` as UTF-8 (with or without BOM, LF or CRLF) and split off the front matter."""
    if not path.exists():
        raise SourceError(path, "no such file; check the path")
    if not path.is_file():
        raise SourceError(path, "is not a file; give a Markdown (.md) file")
    kind = IMPORTABLE.get(path.suffix.lower())
    if kind:
        raise SourceError(path, f"is {kind}, not a source; import it first: {_import(path)}")
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise SourceError(
            path,
            f"is {size // 1024} KB; a source is text and stays under {MAX_SOURCE_BYTES // 1024} KB",
        )
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise SourceError(
            path, f"is a zip archive (a .docx or .odt?), not a source; import it: {_import(path)}"
        )
    text = _decode(path, data)
    return split_front_matter(path, text)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(path, Problem("is saved as UTF-16; save it as UTF-8 instead", 1))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SourceError(
            path,
            Problem(
                f"is not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
                "save the file as UTF-8",
                line,
            ),
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL_CHARACTER.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise SourceError(
            path,
            Problem(
                f"has an invisible control character (U+{ord(control.group()):04X}); "
                "delete it (it often comes with text copied from elsewhere)",
                line,
            ),
        )
    return text


def split_front_matter(path: Path, text: str) -> SourceText:
    if not text.strip():
        raise SourceError(path, "is empty; start it with front matter between two --- lines")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raise SourceError(
            path,
            Problem(
                "must start with front matter: a --- line, the YAML fields, another ---; "
                f"for an article without it: {_import(path)}",
                1,
            ),
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in (FENCE, "..."):
            return SourceText(
                path=path,
                front_matter="\n".join(lines[1:index]),
                front_matter_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    raise SourceError(
        path, Problem("front matter opened here is never closed; add a --- line after it", 1)
    )


def _import(path: Path) -> str:
    return f"make-booklet import {path}"
