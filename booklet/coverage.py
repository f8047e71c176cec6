"""Fonts cut to a book: the fallback faces that cover the characters the stack's own
fonts lack, and any face cut down to the characters it draws.

The fallback families (fonts.FALLBACK_FAMILIES) are installed as variable fonts,
which e-readers handle badly and which WeasyPrint lays out at their default weight
whatever the CSS asks: each book gets static faces of them (regular and bold, and
italic where the text has emphasis), cut to the characters the book needs from them
and instanced at each weight by HarfBuzz's subsetter (about a millisecond a face);
the results are kept in the booklet cache.

Every cut keeps the font's name table whole: its copyright, licence and licence URL
(name IDs 0, 13, 14) travel with it, as the SIL Open Font License asks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from booklet import cache
from booklet.errors import SourceError
from booklet.fonts import FallbackFile, FontFace, FontStack, characters_of, uncovered

WEIGHTS = (400, 700)
# Characters every layout adds (list numbers, bullets, page numbers, separators).
LAYOUT_CHARACTERS = "0123456789 .,:;()/\u00b7\u2022\u2013\u2014\u00ab\u00bb\u00a0\u202f"
EMPHASIS = re.compile(r"<(em|i|cite)\b")


def needed_characters(text: str) -> set[str]:
    """The characters `text` shows, in either case (CSS may set a label in capitals)."""
    chars = set(text) | set(LAYOUT_CHARACTERS)
    chars |= {variant for ch in chars for variant in (ch.upper(), ch.lower()) if len(variant) == 1}
    return {ch for ch in chars if ch.isprintable() or ch in "\u00a0\u202f"}


def with_fallback_faces(stack: FontStack, text: str, html: str = "") -> FontStack:
    """`stack` with static faces of the fallback families for the characters of `text`
    that its own faces lack; italic faces too when `html` has emphasis."""
    own = (face.path for face in stack.faces)
    wanted = set(uncovered((ch for ch in needed_characters(text) if not ch.isspace()), own))
    if not wanted:
        return stack
    italic = bool(EMPHASIS.search(html))
    letters = {ch for ch in text if ch.isalpha()}
    leading = None
    faces = list(stack.faces)
    families: dict[str, list[FallbackFile]] = {}
    for file in stack.fallbacks:
        families.setdefault(file.family, []).append(file)
    for family, files in families.items():
        covered = characters_of(files[0].path)
        mine = {ch for ch in wanted if ord(ch) in covered}
        if not mine:
            continue
        wanted -= mine
        if leading is None and len(letters & mine) * 2 > len(letters):
            leading = family
        # Spaces, digits and punctuation too, so that a line in this script stays in
        # this font rather than switching at every space.
        common = {ch for ch in needed_characters(text) if _common(ch) and ord(ch) in covered}
        for style in ("normal", "italic"):
            if style == "italic" and not italic:
                continue
            for weight in WEIGHTS:
                file = _file_for(files, style, weight)
                if file is None:
                    continue
                data = cut(file.path, mine | common, weight)
                name = f"{_slug(family)}-{weight}{'-italic' if style == 'italic' else ''}"
                digest = hashlib.sha256(data).hexdigest()[:10]
                faces.append(
                    FontFace(family, weight, style, file.path, f"fonts/{name}-{digest}.ttf", data)
                )
        if not wanted:
            break
    return dataclasses.replace(stack, faces=faces, leading=leading)


def cut_faces(faces: Iterable[tuple[FontFace, set[str]]]) -> list[FontFace]:
    """Each face cut to the characters given with it (static, as it was or instanced)."""
    cut_down = []
    for face, chars in faces:
        data = cut(face.path, chars, face.weight, face.data)
        cut_down.append(dataclasses.replace(face, data=data))
    return cut_down


def cut(path: Path, chars: Iterable[str], weight: int, data: bytes = b"") -> bytes:
    """The font at `path` (or `data`) with only the glyphs for `chars` (and what its
    layout features reach from them), as a static font at `weight`: kept in the cache."""
    text = "".join(sorted(set(chars)))
    source = data or path.read_bytes()
    name = cache.key("font-cut", "harfbuzz", hashlib.sha256(source).digest(), text, weight)

    def make() -> bytes:
        try:
            return _cut(source, text, weight)
        except RuntimeError:  # HarfBuzz says no more than "Subsetting failed"
            raise SourceError(
                path, "cannot be cut to the booklet's characters (a damaged font?); replace it"
            ) from None

    return cache.made(name, make)


def _cut(source: bytes, text: str, weight: int) -> bytes:
    """HarfBuzz's subsetter (uharfbuzz): every layout feature (ligatures, Arabic
    joining, Devanagari conjuncts), every name record in every language (copyright,
    licence, licence URL), a drawn .notdef; a variable font pinned to `weight` (and
    its other axes to their defaults), which leaves a static font. About 1 ms a face,
    where fontTools' subsetter and instancer took 0.1 s for a static face and 1 s for
    Noto Sans."""
    import uharfbuzz as hb

    face = hb.Face(source)
    wanted = hb.SubsetInput()
    for ch in text:
        wanted.unicode_set.add(ord(ch))
    for every in (
        hb.SubsetInputSets.LAYOUT_FEATURE_TAG,
        hb.SubsetInputSets.NAME_ID,
        hb.SubsetInputSets.NAME_LANG_ID,
    ):
        kept = wanted.sets(every)
        kept.clear()  # an empty set inverted is every one (HarfBuzz's own idiom)
        kept.invert()
    wanted.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    for axis in face.axis_infos:
        if axis.tag == "wght":
            wanted.pin_axis_location(face, "wght", weight)
        else:
            wanted.pin_axis_to_default(face, axis.tag)
    return hb.subset(face, wanted).blob.data  # RuntimeError: HarfBuzz could not


def _file_for(files: list[FallbackFile], style: str, weight: int) -> FallbackFile | None:
    """The variable file of `style`, else its static file nearest `weight`."""
    of_style = [file for file in files if file.style == style]
    if not of_style:
        return None
    return min(of_style, key=lambda f: (f.weight is not None, abs((f.weight or weight) - weight)))


def _common(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "NPZS"


def _slug(family: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "", family)
