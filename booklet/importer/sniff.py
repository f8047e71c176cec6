"""What a file really is, and its text decoded the way it says it is written.

A file's name can lie (a PNG saved as page.html, a PDF renamed to .docx): the
first bytes tell. Text is decoded by the character set it declares (a byte-order
mark, a `coding:` line, an HTML `<meta charset>`), else as UTF-8; anything else is
refused with the line of the first byte that does not fit, never guessed.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from booklet.errors import Problem, SourceError

# A saved page with its styles inline can be a few MB; a book-length text is far less.
MAX_TEXT_BYTES = 20 * 1024 * 1024

_MAGIC: list[tuple[bytes, int, str]] = [  # (signature, offset, what it is)
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"WEBP", 8, "a WebP image"),
    (b"%PDF-", 0, "a PDF"),
    (b"PK\x03\x04", 0, "a zip archive (a .docx, .odt or .zip)"),
    (b"PK\x05\x06", 0, "an empty zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an old Word .doc or a password-protected document"),
    (b"\x1f\x8b", 0, "a gzip archive"),
    (b"{\\rtf", 0, "an RTF document"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!", 0, "a RAR archive"),
]
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# PEP 263 / Emacs / Vim: "-*- coding: latin-1 -*-", "vim: set fileencoding=cp1252".
# A word of its own: "decoding: ..." or "transcoding: ..." in the text declares nothing.
# The name stops before a dash that the next word does not follow ("latin-1-*-").
_CODING_LINE = re.compile(rb"(?<!\w)(?:file)?(?:en)?coding[:=]\s*([\w.]+(?:-[\w.]+)*)")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+(?<![\w-])charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def what_it_is(data: bytes) -> str | None:
    """The kind of file `data` starts like, for the ones that are not text."""
    for signature, offset, kind in _MAGIC:
        if data[offset : offset + len(signature)] == signature:
            if signature == b"WEBP" and not data.startswith(b"RIFF"):
                continue
            return kind
    return None


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    if not path.exists():
        raise SourceError(path, "no such file; check the path")
    if not path.is_file():
        raise SourceError(path, "is not a file; give the saved page, document or text file")
    size = path.stat().st_size
    if size > limit:
        raise SourceError(
            path, f"is {size // 1048576} MB; an article to import stays under {limit // 1048576} MB"
        )
    return path.read_bytes()


def decode_text(path: Path, data: bytes, expected: str, html: bool = False) -> str:
    """`data` as text with LF line ends, or a SourceError that says what it is instead."""
    kind = what_it_is(data)
    if kind is not None:
        raise SourceError(path, f"is not {expected}: it is {kind}; give the file itself")
    declared, how = _declared_charset(data, html)
    if declared is None and b"\x00" in data[:4096]:
        raise SourceError(path, f"is not {expected}: it holds binary data; give the file itself")
    encoding = declared or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise SourceError(
            path,
            Problem(
                f"declares the character set '{encoding}', which is unknown; save it as UTF-8", 1
            ),
        ) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        byte = f"byte 0x{data[err.start]:02x} at offset {err.start}"
        message = (
            f"says it is {encoding} ({how}), but {byte} is not; save it as UTF-8"
            if declared
            else f"is not UTF-8 ({byte}) and declares no character set; save it as UTF-8"
        )
        raise SourceError(path, Problem(message, line)) from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Invisible controls (form feeds, escape codes) come with copied text; the build
    # refuses them, so they go here. Tabs and newlines stay.
    return _CONTROL.sub("", text.replace("\f", "\n"))


def _declared_charset(data: bytes, html: bool) -> tuple[str | None, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, "its byte-order mark"
    head = data[:4096]
    if html:
        match = _META_CHARSET.search(head)
        if match:
            return match.group(1).decode("ascii", "replace").lower(), "its <meta charset>"
        return None, ""
    first_lines = b"\n".join(head.split(b"\n")[:2])
    match = _CODING_LINE.search(first_lines)
    if match:
        return match.group(1).decode("ascii", "replace").lower(), "its coding: line"
    return None, ""
