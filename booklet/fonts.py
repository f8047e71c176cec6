"""The font stack: which families the layout uses, and the files behind them.

Declared in the project's `fonts/fonts.yaml` (roles `body` and `headings`). A family
is looked up first among font files the user dropped into `fonts/`, then among the
installed fontpkg-* packages. The same files are embedded in the PDF and the EPUB.

Behind the roles stands a chain of open fallback families, installed as dependencies
(FALLBACK_FAMILIES), so that text in a script the chosen fonts lack still prints in a
real, embedded font: each book gets static faces of them cut to its own characters
(booklet/coverage.py).
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from booklet import cache
from booklet.assets import Project
from booklet.confine import is_inside, present, special_file_problem
from booklet.errors import Problem, SourceError

DEFAULT_STACK = {"body": "Atkinson Hyperlegible", "headings": "Atkinson Hyperlegible"}
FONT_SUFFIXES = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
STACK_FILE = "fonts.yaml"
# A family name goes into every stylesheet: letters, digits, spaces and - _ . only
# (every real family name fits), so that no name can carry CSS of its own.
FAMILY_NAME = re.compile(r"[\w .-]{1,100}")
# Open families (SIL OFL 1.1) behind every stack, in the order they are tried: Noto
# Sans for Latin, Greek, Cyrillic and Devanagari; IBM Plex Sans Arabic for Arabic,
# Persian and Urdu (each letter a glyph of its own, so that text copied from the PDF
# is the text: Noto Sans Arabic builds dotted letters from shared shapes, which
# WeasyPrint's PDFs then read back as other letters); Assistant (humanist, like
# Atkinson Hyperlegible) for Hebrew.
FALLBACK_FAMILIES = ("Noto Sans", "IBM Plex Sans Arabic", "Assistant")


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str  # "normal" or "italic"
    path: Path  # the installed (or the user's) file; for a cut face, the file it was cut from
    href: str  # inside the outputs, e.g. "fonts/AtkinsonHyperlegible-Bold.ttf"
    # A face cut from `path` for one book (coverage.py): its bytes, a static TrueType font.
    data: bytes = field(default=b"", repr=False, compare=False)

    @property
    def media_type(self) -> str:
        return "font/ttf" if self.data else FONT_SUFFIXES[self.path.suffix.lower()]

    def read(self) -> bytes:
        return self.data or self.path.read_bytes()


@dataclass(frozen=True)
class FallbackFile:
    """One file of a fallback family, as installed (often a variable font)."""

    family: str
    style: str  # "normal" or "italic"
    weight: int | None  # None: a variable font, every weight
    path: Path
    licence: Path | None  # the licence file that came with it


@dataclass(frozen=True)
class FontStack:
    body: str
    headings: str
    faces: list[FontFace]
    fallbacks: tuple[FallbackFile, ...] = ()
    # A fallback family that draws most of the book's letters (a Russian book, and
    # Atkinson Hyperlegible has no Cyrillic): tried first, so that the digits and
    # punctuation match the words around them.
    leading: str | None = None

    @property
    def fallback_families(self) -> list[str]:
        """The fallback families that have faces in this stack (cut for a book)."""
        own = {self.body, self.headings}
        return list(dict.fromkeys(f.family for f in self.faces if f.family not in own))

    def families(self, role: str) -> list[str]:
        """The families text of `role` is set in, in the order they are tried."""
        chain = [getattr(self, role), *self.fallback_families]
        if self.leading in chain:
            chain.remove(self.leading)
            chain.insert(0, self.leading)
        return chain


def load_font_stack(project: Project) -> FontStack:
    if present(project.fonts) and not is_inside(project.fonts, project.root):
        raise SourceError(
            project.fonts, "links to a folder outside the project; copy the fonts into fonts/"
        )
    roles = _read_roles(project.fonts / STACK_FILE)
    local = _local_faces(project.fonts)
    faces: list[FontFace] = []
    for family in dict.fromkeys(roles.values()):
        found = [face for face in local if face.family.casefold() == family.casefold()]
        faces.extend(found or _packaged_faces(project, family))
    return FontStack(
        body=roles["body"], headings=roles["headings"], faces=faces, fallbacks=_fallbacks()
    )


@functools.lru_cache(maxsize=1)
def _fallbacks() -> tuple[FallbackFile, ...]:
    found = []
    for name in FALLBACK_FAMILIES:
        family = installed_family(name)
        if family is None:  # a dependency: only a broken install lacks it
            continue
        for file in family.files:
            if not file.variable and file.weight not in (400, 700):
                continue  # a static family's regular and bold are all a book uses
            path = file.path
            licence = next(
                (
                    p
                    for p in (path.parent.parent / "LICENSE", path.parent / "LICENSE")
                    if p.is_file()
                ),
                None,
            )
            weight = None if file.variable else file.weight
            found.append(FallbackFile(family.name, file.style, weight, path, licence))
    return tuple(found)


def _read_roles(path: Path) -> dict[str, str]:
    if not present(path):
        return dict(DEFAULT_STACK)
    refused = special_file_problem(path)
    if refused:
        raise SourceError(path, refused)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        line = err.problem_mark.line + 1 if getattr(err, "problem_mark", None) else None
        raise SourceError(path, Problem(f"is not valid YAML: {err}", line)) from None
    if not isinstance(data, dict):
        raise SourceError(path, "must hold the roles 'body' and 'headings', each a family name")
    unknown = sorted(set(data) - set(DEFAULT_STACK))
    if unknown:
        raise SourceError(path, f"unknown role {unknown[0]!r}; the roles are: body, headings")
    roles = dict(DEFAULT_STACK)
    for role, family in data.items():
        if not isinstance(family, str) or not family.strip():
            raise SourceError(path, f"'{role}' must be a font family name")
        if not FAMILY_NAME.fullmatch(family.strip()):
            raise SourceError(path, f"'{role}': {_bad_family(family.strip())}")
        roles[role] = family.strip()
    return roles


def _bad_family(family: str) -> str:
    return (
        f"the family name {family[:60]!r} has characters a family name does not have; "
        "a family name is letters, digits, spaces and - _ . (at most 100)"
    )


def _packaged_faces(project: Project, family: str) -> list[FontFace]:
    found = installed_family(family)
    if found is None:
        import fontpkg

        raise SourceError(
            project.fonts / STACK_FILE,
            f"font family '{family}' is neither in fonts/ nor installed; drop its files into "
            f"fonts/ or install the package fontpkg-{fontpkg.slugify(family)}",
        )
    # Static files where the family has them: e-readers handle them better than
    # variable fonts. A variable-only family is used as one regular face.
    files = [file for file in found.files if not file.variable] or list(found.files)
    return [
        FontFace(
            found.name,
            file.weight or 400,
            file.style,
            file.path,
            f"fonts/{file.path.name}",
        )
        for file in files
    ]


@dataclass(frozen=True)
class InstalledFile:
    path: Path
    weight: int | None
    style: str
    variable: bool


@dataclass(frozen=True)
class InstalledFamily:
    name: str
    files: tuple[InstalledFile, ...]


def installed_family(name: str) -> InstalledFamily | None:
    """The installed fontpkg-* package's family `name`, or None.

    fontpkg finds a family by reading the entry points of every installed package:
    0.025 s of each build, with its import. Its answer is kept in the cache by the
    family's name and the identities of the folders Python imports from (which
    change when a package is installed, upgraded or removed), and used only while
    every file it names is still a file."""
    folders = [cache.identity(folder) for folder in sys.path if os.path.isdir(folder)]
    name_in_cache = cache.key("fontpkg", name, *folders)
    kept = cache.load(name_in_cache)
    if kept is not None:
        data = json.loads(kept)
        family = InstalledFamily(
            data["name"], tuple(InstalledFile(Path(f[0]), *f[1:]) for f in data["files"])
        )
        if all(file.path.is_file() for file in family.files):
            return family
    import fontpkg

    try:
        found = fontpkg.family(name)
    except fontpkg.FamilyNotInstalled:
        return None
    family = InstalledFamily(
        found.name,
        tuple(InstalledFile(Path(f.path), f.weight, f.style, f.variable) for f in found.files),
    )
    files = [[str(f.path), f.weight, f.style, f.variable] for f in family.files]
    cache.store(name_in_cache, json.dumps({"name": family.name, "files": files}).encode())
    return family


def _local_faces(folder: Path) -> list[FontFace]:
    files = (
        sorted(p for p in folder.glob("*") if p.suffix.lower() in FONT_SUFFIXES)
        if folder.is_dir()
        else []
    )
    if not files:
        return []
    from fontTools.ttLib import TTFont  # only when the user has font files of their own

    faces = []
    for path in files:
        if not is_inside(path, folder):
            raise SourceError(path, "links to a file outside fonts/; copy the font itself here")
        refused = special_file_problem(path)
        if refused:
            raise SourceError(path, refused)
        try:
            with TTFont(path, lazy=True) as font:
                names = font["name"]
                family = str(names.getDebugName(16) or names.getDebugName(1))
                weight = font["OS/2"].usWeightClass
                italic = bool(font["OS/2"].fsSelection & 1)
        except Exception as err:  # fontTools raises many kinds for a damaged file
            raise SourceError(
                path, f"cannot be read as a font ({err}); remove or replace it"
            ) from None
        if not FAMILY_NAME.fullmatch(family):
            raise SourceError(path, f"{_bad_family(family)}; remove or replace this font")
        faces.append(
            FontFace(family, weight, "italic" if italic else "normal", path, f"fonts/{path.name}")
        )
    return faces


def missing_characters(text: str, stack: FontStack) -> list[str]:
    """Characters of `text` that no face of the stack can draw, in order of appearance.

    WeasyPrint then falls back to whatever system font has them, and e-readers to
    their own, or draws empty boxes: either way not the booklet's font, so say so.
    """
    return uncovered(
        (ch for ch in text if not ch.isspace() and ch.isprintable()),
        [*(face.path for face in stack.faces), *(f.path for f in stack.fallbacks)],
    )


def uncovered(chars: Iterable[str], paths: Iterable[Path]) -> list[str]:
    """The characters of `chars` (each once, in order) that none of the font files at
    `paths` has. A file is read only while some character is still wanted: the first
    faces mostly cover a text, and reading the large fallback fonts' character maps
    would be most of the time."""
    wanted = list(dict.fromkeys(chars))
    for path in paths:
        if not wanted:
            break
        covered = characters_of(path)
        wanted = [ch for ch in wanted if ord(ch) not in covered]
    return wanted


def characters_of(path: Path) -> frozenset[int]:
    """The code points the font file at `path` has glyphs for."""
    stat = path.stat()
    return _characters(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _characters(path: Path, size: int, mtime_ns: int) -> frozenset[int]:
    """The code points a font file has glyphs for; read once per version of the file
    (every build asks, and --watch builds again and again)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})
