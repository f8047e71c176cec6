"""Open a .docx or .odt (both zip archives) only after checking it is safe to unpack.

A zip's central directory says how many parts it has and how big each unpacks to;
Python's zipfile never inflates a part past the size it declares, so checking the
declared sizes before anything is unpacked stops a zip bomb. Password-protected
Word files are not zips at all (they are OLE containers); encrypted zip parts and
an encrypted OpenDocument manifest are refused too.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from lxml import etree

from booklet.errors import SourceError
from booklet.importer.sniff import what_it_is

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 10_000
MAX_PART_XML_BYTES = 20 * 1024 * 1024  # one XML part read whole for its metadata
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def open_archive(path: Path, kind: str, fix: str) -> zipfile.ZipFile:
    """The checked archive. `kind` names the format ("Word document"), `fix` says how
    to get a good file ("open it in Word and save it again")."""
    if not path.is_file():
        raise SourceError(path, "no such file; check the path")
    if path.stat().st_size > MAX_UNPACKED_BYTES:
        raise SourceError(path, f"is over {MAX_UNPACKED_BYTES // 1048576} MB; {fix}")
    with path.open("rb") as file:
        head = file.read(16)
    if head.startswith(_OLE):
        raise SourceError(
            path,
            f"is password-protected (encrypted) or an old-format file, not a {kind}; "
            "remove the password and save it again",
        )
    if not head.startswith(b"PK\x03\x04"):
        found = what_it_is(head)
        said = f"it is {found}" if found else "it is not a zip archive, which every one is"
        raise SourceError(path, f"is not a {kind}: {said}; {fix}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise SourceError(path, f"is damaged ({err}); {fix}") from None
    try:
        _check(path, archive, fix)
    except BaseException:
        archive.close()
        raise
    return archive


def _check(path: Path, archive: zipfile.ZipFile, fix: str) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise SourceError(
            path, f"has {len(parts)} parts, over {MAX_PARTS}: not a document to import; {fix}"
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise SourceError(
            path,
            f"would unpack to {unpacked // 1048576} MB, over {MAX_UNPACKED_BYTES // 1048576} MB: "
            f"not a document to import; {fix}",
        )
    if any(part.flag_bits & 0x1 for part in parts):
        raise SourceError(path, f"is encrypted; remove the password, then {fix}")
    bad = _first_bad_part(archive)
    if bad:
        raise SourceError(path, f"is damaged (its part {bad} cannot be read); {fix}")


def _first_bad_part(archive: zipfile.ZipFile) -> str | None:
    """Read every part once (bounded by the sizes checked above) to check its CRC."""
    try:
        return archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error) as err:
        return f"({err})"


def read_xml(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    """A part of the archive as XML (no entities, no DTD, no network), or None."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_XML_BYTES:
        return None
    try:
        return etree.fromstring(archive.read(info), SAFE_XML)
    except etree.XMLSyntaxError:
        return None
