"""WeasyPrint, imported faster, and the only module that touches what it does not
publish. Import WeasyPrint through this module only.

The quick import. Two costs of `import weasyprint` are start-up work that never
changes, measured side by side (issue 13, 15 interleaved rounds):

- Finding libraries: 0.8 s of a 1.3 s import. WeasyPrint opens Pango, HarfBuzz,
  fontconfig and GObject by trying several names per library (one per platform);
  cffi hands every name that fails to open to `ctypes.util.find_library`, which on
  Linux runs `ldconfig -p`, then gcc and ld as subprocesses, once per name. Each of
  WeasyPrint's lists also holds the library's Linux file name (libpango-1.0.so.0),
  which the dynamic loader finds directly. So on Linux, find_library answers "not
  found" at once while WeasyPrint imports.
- Importing what it rarely uses: about 0.13 s of CPU. WeasyPrint imports fontTools'
  subsetter and variable-font instancer at start-up, and calls them only for a font
  HarfBuzz cannot subset or a variable font. They are imported when first used:
  the subsetter through the standard library's LazyLoader, the instancer's one
  function through a stand-in that imports it.

If the quick import fails for any reason (a system where only find_library finds a
library, HarfBuzz's subsetter included), WeasyPrint is imported the ordinary way,
and the reason is logged at debug level (`make-booklet -v`, or BOOKLET_DEBUG=1).

WeasyPrint's private surface. booklet uses what WeasyPrint does not publish in
these places only, all checked against the WeasyPrint version we know
(KNOWN_MAJOR): the page box's background layers (crop marks, see `write_pdf`),
pydyf's list of page references (made once per PDF, see `_page_references_kept`),
the cffi object of its font subsetting (arrays typed once, see `_UnsizedArrays`),
the shape of its tagged PDF before it is written (page margins as artifacts, see
`mark_page_furniture`), and the order in which kept layouts and font
configurations are let go (see `release`). Another version is refused with what
to do, rather than guessed at. One more, of pyphen, which WeasyPrint hyphenates
with: its dictionaries, read on demand (see `hyphenation_for`); another pyphen
reads them itself.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import gc
import importlib.util
import io
import logging
import re
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from booklet.errors import OutputError, SourceError, UsageError

LOG = logging.getLogger("booklet")
# The WeasyPrint whose private parts (below) we use; pyproject.toml pins it.
KNOWN_MAJOR = 70
SUBSETTER = "fontTools.subset"
INSTANCER = "fontTools.varLib.instancer"
T = TypeVar("T")


@contextlib.contextmanager
def _without_library_search() -> Iterator[None]:
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # WeasyPrint prints installation advice to stdout before it gives up on a
        # library; that advice is for the second, ordinary attempt to give.
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        ctypes.util.find_library = original


@contextlib.contextmanager
def _fonttools_on_first_use() -> Iterator[None]:
    """While WeasyPrint imports, its rarely used fontTools modules stay unloaded."""
    import fontTools

    real = {name: sys.modules.get(name) for name in (SUBSETTER, INSTANCER)}
    if real[SUBSETTER] is None:
        spec = importlib.util.find_spec(SUBSETTER)
        spec.loader = importlib.util.LazyLoader(spec.loader)
        subsetter = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(subsetter)  # runs the module on first attribute access
        sys.modules[SUBSETTER] = subsetter
        fontTools.subset = subsetter
    if real[INSTANCER] is None:
        stand_in = types.ModuleType(INSTANCER)
        stand_in.instantiateVariableFont = _instantiate_variable_font
        sys.modules[INSTANCER] = stand_in
    try:
        yield
    finally:
        # Later imports get the real instancer (the lazy subsetter is real already).
        if sys.modules.get(INSTANCER) is not real[INSTANCER]:
            del sys.modules[INSTANCER]


def _instantiate_variable_font(*args, **kwargs):
    """fontTools' instantiateVariableFont, imported on first call."""
    from fontTools.varLib.instancer import instantiateVariableFont

    return instantiateVariableFont(*args, **kwargs)


def _forget_weasyprint() -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
        del sys.modules[name]


def _import_weasyprint():
    if sys.platform.startswith("linux") and "weasyprint" not in sys.modules:
        try:
            with _without_library_search(), _fonttools_on_first_use():
                import weasyprint
                from weasyprint.text import ffi

            # HarfBuzz's subsetter is optional to WeasyPrint, which makes do without
            # it (worse fonts, a warning): if it did not open, let find_library look.
            if ffi.harfbuzz_subset is not None:
                return weasyprint
            LOG.debug("quick WeasyPrint import: HarfBuzz's subsetter did not open; importing again")
        except Exception as err:  # any failure of the quick way: the ordinary way
            LOG.debug(
                "quick WeasyPrint import failed (%s: %s); importing again", type(err).__name__, err
            )
        _forget_weasyprint()
    import weasyprint

    return weasyprint


weasyprint = _import_weasyprint()

# Imported here, after WeasyPrint itself, so that no module reaches WeasyPrint first.
from weasyprint.document import DocumentMetadata  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import (  # noqa: E402
    FatalURLFetchingError,
    URLFetcher,
    URLFetcherResponse,
)


def _check_version() -> None:
    major = int(weasyprint.__version__.split(".")[0])
    if major != KNOWN_MAJOR:
        raise UsageError(
            f"booklet works with WeasyPrint {KNOWN_MAJOR}, and WeasyPrint "
            f"{weasyprint.__version__} is installed; reinstall booklet's dependencies "
            "(make test, or pip install -e .) to get the version it knows"
        )


# ---- the private surface ----


def write_pdf(document, target: Path | None = None, **options) -> bytes | None:
    """`document` as PDF (bytes, or into `target`). WeasyPrint 70 inserts the crop
    marks into a page's background layers each time it draws the page: the layers
    are put back as they were, so that a layout kept for the next build still draws
    its marks once."""
    _check_version()
    backgrounds = [page._page_box.background for page in document.pages]
    layers = [list(background.layers) if background else None for background in backgrounds]
    try:
        with _page_references_kept(), _arrays_typed_once():
            return document.write_pdf(target, **options)
    finally:
        for background, kept in zip(backgrounds, layers, strict=True):
            if background:
                background.layers[:] = kept


@contextlib.contextmanager
def _page_references_kept() -> Iterator[None]:
    """pydyf's `PDF.page_references` makes the list of every page's reference each
    time it is read, and WeasyPrint's tagging reads it for each structure element
    (its page): writing a tagged PDF took time growing with pages x elements (39 s
    of 186 for 1,000 exercises). While a PDF is written, the list is made once per
    page count."""
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property):  # another pydyf: leave it be
        yield
        return

    def kept(pdf) -> tuple:
        count = len(pdf.pages["Kids"])
        made = pdf.__dict__.get("_booklet_page_references")
        if made is None or made[0] != count:
            made = pdf.__dict__["_booklet_page_references"] = (count, original.fget(pdf))
        return made[1]

    pydyf.PDF.page_references = property(kept)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


_SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")


class _UnsizedArrays:
    """WeasyPrint's cffi, except that `new("T[N]", values)` of N values is made as
    `new("T[]", values)`: the same array. WeasyPrint's font subsetting names its
    arrays by size (`hb_codepoint_t[44]`, `[134]`, ...), and cffi parses each new type
    string against every declaration WeasyPrint made, 3-5 ms a string: 0.04 s of our
    article's build, one size per font and table list."""

    def __init__(self, ffi) -> None:
        self._ffi = ffi

    def new(self, cdecl, init=None):
        sized = _SIZED_ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if sized and isinstance(init, (list, tuple)) and len(init) == int(sized[2]):
            return self._ffi.new(f"{sized[1]}[]", init)
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name: str):
        return getattr(self._ffi, name)


@contextlib.contextmanager
def _arrays_typed_once() -> Iterator[None]:
    """While a PDF is written, WeasyPrint's font module makes its arrays unsized."""
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi

    if fonts.__dict__.get("ffi") is not ffi:  # laid out otherwise: leave it be
        yield
        return
    fonts.ffi = _UnsizedArrays(ffi)
    try:
        yield
    finally:
        fonts.ffi = ffi


# pyphen, which WeasyPrint hyphenates with: the version whose HyphDict we fill.
KNOWN_PYPHEN = "0.18."


def hyphenation_for(language: str) -> None:
    """Have `language`'s hyphenation patterns ready for WeasyPrint, read lazily.

    pyphen parses a whole dictionary the first time a language is hyphenated: 11,000
    patterns, 0.065 s for en_US (66,000 and 0.63 s for de_DE), in every build, for
    the few hundred a handout's words look up. Here the dictionary's lines are only
    filed under their letters (the pattern without its digits), and a line is parsed
    the first time a word looks it up, as pyphen would parse it. pyphen keeps its
    dictionaries in `hdcache`, by file; the one put there is a HyphDict with its three
    attributes (`patterns`, `cache`, `maxlen`) set, for the pyphen we know. Another
    pyphen, a dictionary with nonstandard hyphenation (`/` alternatives), characters
    by their codes (`^^hh`) or digits of another script, or one already read: left to
    pyphen."""
    import pyphen

    if not pyphen.__version__.startswith(KNOWN_PYPHEN):
        LOG.debug("pyphen %s, not %s*: it reads its dictionaries", pyphen.__version__, KNOWN_PYPHEN)
        return
    found = pyphen.language_fallback(language)
    path = pyphen.LANGUAGES.get(found) if found else None
    if path is None or path in pyphen.hdcache:
        return
    try:
        with path.open("rb") as file:
            encoding = file.readline().decode().strip()
        text = path.read_text("cp1251" if encoding.lower() == "microsoft-cp1251" else encoding)
    except (OSError, LookupError, UnicodeDecodeError):  # pyphen's own error is the clearer
        return
    # Each line without the spaces around it first, as pyphen reads it ("1 ab" is the
    # letters " ab").
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    lines = lines[1:]
    if "^^" in text or ("/" in text and any("/" in line and "=" in line for line in lines)):
        return  # characters by their codes (^^hh), nonstandard hyphenation: pyphen's
    if any(character.isdecimal() and not character.isascii() for character in set(text)):
        return  # digits of another script, which pyphen reads as digits: pyphen's
    # Each line as its letters and as its digits other than 0, made for the whole text
    # at once: a pattern of zeros only is left out, as pyphen does, and of two patterns
    # of the same letters the last one counts.
    # (in UTF-8, where a digit is a byte of its own: bytes.translate is 30 times faster)
    data = text.encode("utf-8")
    letters = data.translate(None, b"0123456789").decode("utf-8").split("\n")[1:]
    digits = data.translate(None, _ALL_BUT_NON_ZERO_DIGITS).split(b"\n")[1:]
    patterns = _Patterns(
        (key, line)
        for line, key, nonzero in zip(lines, letters, digits, strict=True)
        if nonzero and not line.startswith(pyphen.ignored)
    )
    if not patterns:
        return
    dictionary = pyphen.HyphDict.__new__(pyphen.HyphDict)
    dictionary.patterns, dictionary.cache = patterns, {}
    dictionary.maxlen = max(map(len, patterns))
    pyphen.hdcache[path] = dictionary


_ALL_BUT_NON_ZERO_DIGITS = bytes(set(range(256)) - set(b"123456789\n"))


class _Patterns(dict):
    """pyphen's patterns, {letters: (offset, values)}, each parsed from its line
    (the `digits and letters` pyphen reads) the first time it is looked up."""

    def get(self, letters: str, default=None):
        pattern = dict.get(self, letters)
        if isinstance(pattern, str):
            import pyphen

            values = [int(digit or "0") for digit, _ in pyphen.parse(pattern)]
            start, end = 0, len(values)
            while not values[start]:
                start += 1
            while not values[end - 1]:
                end -= 1
            pattern = self[letters] = (start, tuple(values[start:end]))
        return default if pattern is None else pattern


def mark_page_furniture(pdf) -> None:
    """The text of the page margins (running title, page numbers, the numeral of an
    exercise page) as artifacts, so that a screen reader does not read "page 3 of 10"
    on every page (PDF/UA-1, 7.8). A finisher: `pdf` is WeasyPrint's pydyf document,
    before it is written.

    WeasyPrint 70 tags the content of margin boxes with marked-content ids whose
    structure elements it leaves out of the structure tree (an artifact inside the
    tree is PDF 2.0 only). Those sequences become /Artifact ones here, and their ids
    leave the parent tree."""
    _check_version()
    import pydyf

    objects = {obj.number: obj for obj in pdf.objects if obj is not None}

    def target(reference) -> object | None:
        if isinstance(reference, bytes) and reference.endswith(b" R"):
            return objects.get(int(reference.split()[0]))
        return None

    if "StructTreeRoot" not in pdf.catalog:
        return
    root = target(pdf.catalog["StructTreeRoot"])
    in_tree: set[int] = set()
    pending = list(root["K"])
    while pending:
        element = target(pending.pop())
        if isinstance(element, pydyf.Dictionary) and element.number not in in_tree:
            in_tree.add(element.number)
            pending.extend(element.get("K", ()))
    nums = target(root["ParentTree"])["Nums"]
    for number in pdf.pages["Kids"][::3]:  # pydyf writes them as "N 0 R", flat
        page = objects[number]
        if "StructParents" not in page:
            continue
        owners = nums[nums.index(page["StructParents"]) + 1]
        furniture = {
            mcid for mcid, owner in enumerate(owners) if target(owner).number not in in_tree
        }
        if not furniture:
            continue
        stream = target(page["Contents"]).stream
        for index, item in enumerate(stream):
            if (
                isinstance(item, pydyf.Dictionary)
                and item.get("MCID") in furniture
                and index + 1 < len(stream)
                and stream[index + 1] == b"BDC"
            ):
                owners[item["MCID"]] = b"null"
                stream[index - 1] = "/Artifact"
                stream[index] = pydyf.Dictionary({"Type": "/Pagination"})


def release(layouts: Callable[[], None], fonts: Callable[[], None]) -> None:
    """Let go of kept layouts, then of the font configurations they were made with.
    In the other order, or left to the end of the interpreter, Pango objects can be
    freed after what they hang on, and the process crashes on its way out."""
    layouts()
    gc.collect()
    fonts()
    gc.collect()


# ---- WeasyPrint's warnings and failures, as ours ----


def carefully(source: Path, warn: Callable[[str], None], make: Callable[[], T]) -> T:
    """`make()`, which calls WeasyPrint: its warnings are said once it is done (so that
    --strict fails the build without WeasyPrint in the way), its failures are ours."""
    result, warnings = with_warnings(source, make)
    for message in warnings:
        warn(message)
    return result


def with_warnings(source: Path, make: Callable[[], T]) -> tuple[T, list[str]]:
    """`make()`, and the warnings WeasyPrint gave while at it."""
    warnings: list[str] = []
    handler = _Relay(warnings.append)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        return make(), warnings
    except FatalURLFetchingError as err:
        raise SourceError(source, f"the layout refers to a file it may not read: {err}") from None
    except (SourceError, OutputError, OSError):  # OSError: the build names the file
        raise
    except Exception as err:  # WeasyPrint's own failures: report, do not hide the type
        raise OutputError(source, f"WeasyPrint failed: {type(err).__name__}: {err}") from err
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class _Relay(logging.Handler):
    def __init__(self, warn: Callable[[str], None]):
        super().__init__(logging.WARNING)
        self._warn = warn

    def emit(self, record: logging.LogRecord) -> None:
        self._warn(f"WeasyPrint: {record.getMessage()}")


__all__ = [
    "DocumentMetadata",
    "FatalURLFetchingError",
    "FontConfiguration",
    "URLFetcher",
    "URLFetcherResponse",
    "carefully",
    "hyphenation_for",
    "release",
    "weasyprint",
    "with_warnings",
    "write_pdf",
]
