"""The typesetter: lays handouts out with WeasyPrint and writes the PDFs.

A handout is laid out one part at a time (cover, intro, each exercise, closing,
Notes pages, back cover), each part a small document of its own, and the parts'
pages are joined into one document (WeasyPrint's `Document.copy`). What a part
cannot know by itself, the page it starts on, the page count and the pages its
links lead to, it is given as CSS (see print.css); those numbers come from the
parts' page counts, so the typesetter guesses them (from the previous layout of
the same handout, else one page a part), lays out, and lays out again the parts
whose numbers turned out different, until nothing changes.

Each part's layout is kept, keyed by everything that went into it, and the fonts
and stylesheets stay loaded: in a process that builds again and again (--watch,
or a worker building many sources), an edit lays out only the parts it changed.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from booklet import cache
from booklet.css import css_string
from booklet.errors import OutputError, SourceError
from booklet.export.engine import (
    FatalURLFetchingError,
    URLFetcher,
    URLFetcherResponse,
    weasyprint,
)
from booklet.export.handout import Asset, Handout, Metadata, Part

# Relative URLs in the documents resolve against this base; the fetcher below serves
# only the files the handout declared (its images and fonts) and refuses the rest.
ASSET_BASE = "file:///booklet-assets/"
# Numbers settle in two passes at most in practice; a layout whose numbers keep
# changing (a page number whose digits make a list one line longer, and so on)
# stops here, as WeasyPrint's own repagination does.
MAX_PASSES = 4
# Layouts kept for this many handouts (a build makes up to three: handout, print-shop
# PDF and folded booklet): enough for --watch to reuse every part that did not change.
KEPT_HANDOUTS = 6
# Elements that exist in both outputs and begin a part or a section of one: the
# EPUB's page-break markers go there.
MARKABLE = re.compile(r"^(cover|intro|section-\d+|exercise-\d+|closing|back-cover)$")
INTERNAL_LINK = re.compile(r'href="#([^"]+)"')

Warn = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Numbers:
    """What a part is told about the rest of the handout."""

    start: int  # the page it begins on
    total: int  # the handout's page count
    links: tuple[tuple[str, int], ...]  # (anchor, page) for every link it holds

    def css(self) -> str:
        rules = [
            f"@page {{ --booklet-pages: {css_string(str(self.total))} }}",
            f"@page :first {{ counter-reset: page {self.start} }}",
        ]
        for anchor, page in self.links:
            link = f"a[href={css_string('#' + anchor)}]"
            rules.append(f"{link}, :has(> {link}) {{ --booklet-page: {css_string(str(page))} }}")
        return "\n".join(rules)


@dataclass
class Laid:
    """A handout laid out: its pages joined into one WeasyPrint document."""

    document: object  # weasyprint.Document
    cover: object  # the cover part's own document (one page)
    cover_key: str

    def page_starts(self) -> dict[str, int]:
        """For each page, the topmost markable element it begins with: {element id: page}.
        Pages that begin no element (a paragraph running on, a Notes page) are left out."""
        starts: dict[str, int] = {}
        for number, page in enumerate(self.document.pages, start=1):
            # WeasyPrint gives each anchor's box as (x1, y1, x2, y2): the topmost wins.
            candidates = [(box[1], a) for a, box in page.anchors.items() if MARKABLE.match(a)]
            if candidates:
                starts.setdefault(min(candidates)[1], number)
        return starts


@dataclass
class _Kept:
    """A layout, with the warnings WeasyPrint gave while making it (said again on reuse)."""

    result: object
    warnings: list[str]


class Typesetter:
    """Lays out handouts, keeping fonts, stylesheets and each part's layout between them."""

    def __init__(self) -> None:
        # One font configuration per set of font files (WeasyPrint loads a face once
        # per configuration, by its @font-face rule, whatever the file holds now),
        # with the stylesheets whose @font-face rules loaded the fonts into it.
        self._fonts: dict[bytes, _Fonts] = {}
        self._data_sheets: dict[str, object] = {}
        self._parts: dict[tuple, _Kept] = {}
        # The part layouts each handout used last time, for its most recent handouts:
        # what the next build of each may reuse. Everything else is let go.
        self._in_use: dict[tuple, set[tuple]] = {}
        self._guesses: dict[tuple, tuple[dict, dict]] = {}  # handout identity: counts, anchors
        self._laid: dict[tuple, Laid] = {}  # the handouts of this build, laid out
        self.parts_laid_out = 0  # how many part layouts were made, not reused

    def new_build(self) -> None:
        self._laid = {}

    def forget(self) -> None:
        """Drop every layout kept, then the stylesheets and fonts they were made with."""
        self._laid, self._parts, self._in_use, self._data_sheets = {}, {}, {}, {}
        gc.collect()
        self._fonts = {}

    def lay_out(self, handout: Handout, warn: Warn) -> Laid:
        """`handout` laid out, once per build (the EPUB's page numbers and the PDF come
        from one layout); its warnings are given the first time."""
        assets = _fingerprint(handout.assets)
        if (handout, assets) not in self._laid:
            self._laid[handout, assets] = self._lay_out(handout, assets, warn)
        return self._laid[handout, assets]

    # ---- one handout ----

    def _lay_out(self, handout: Handout, assets: bytes, warn: Warn) -> Laid:
        run = _Run(handout, assets, self._fonts_for(handout))
        stylesheet = self._stylesheet(run)
        guess = self._guesses.get(handout.identity) or _stored_guess(handout)
        plan = _Pagination(handout, dict(guess[0]), dict(guess[1]))
        laid: dict[str, object] = {}
        for _ in range(MAX_PASSES):
            asked: dict[str, Numbers] = {}
            for part in plan.in_layout_order():
                asked[part.id] = plan.numbers(part)
                laid[part.id] = self._part(run, stylesheet, part, asked[part.id])
                plan.learn(part, laid[part.id])
            # Settled when every part was told what the layout now says.
            parts = plan.parts()
            if all(asked.get(part.id) == plan.numbers(part) for part in parts):
                break
        else:
            # Numbers that keep changing the layout that makes them: one last pass
            # with the latest (every part laid out, the numbers right but for what
            # this pass changes again), and say so.
            for part in plan.parts():
                asked[part.id] = plan.numbers(part)
                laid[part.id] = self._part(run, stylesheet, part, asked[part.id])
            parts = plan.parts()
            warn(
                f"the page numbers did not settle after {MAX_PASSES + 1} layouts; "
                "check the page numbers in the list of exercises and the footers"
            )
        self._guesses[handout.identity] = (plan.counts, plan.anchors)
        if (plan.counts, plan.anchors) != guess:
            _store_guess(handout, plan.counts, plan.anchors)
        self._in_use.pop(handout.identity, None)
        self._in_use = {handout.identity: run.used, **self._in_use}
        while len(self._in_use) > KEPT_HANDOUTS:
            del self._in_use[next(reversed(self._in_use))]
        kept = set().union(*self._in_use.values())
        self._parts = {key: part for key, part in self._parts.items() if key in kept}

        for message in dict.fromkeys(run.warnings):
            warn(message)
        docs = [laid[part.id] for part in parts]
        for part, doc in zip(parts, docs, strict=True):
            if part.kind == "exercise" and len(doc.pages) > 1:
                tried = " even with a smaller figure" if part.id in run.shrunk else ""
                warn(
                    f"{part.warn_as} does not fit on one page{tried} "
                    f"(it runs onto {len(doc.pages) - 1} more); shorten its text"
                )
        # The cover's own images and the fonts are all of the files its picture shows.
        cover_files = [
            asset
            for asset in handout.assets
            if asset.path is not None or f'"{asset.href}"' in run.cover_html
        ]
        cover_key = cache.key(
            "cover-layout",
            handout.stylesheet,
            run.cover_html,
            asked[parts[0].id].css(),
            _fingerprint(cover_files),
        )
        document = docs[0].copy([page for doc in docs for page in doc.pages])
        document.metadata = _metadata(handout.metadata)
        return Laid(document, docs[0], cover_key)

    def _part(self, run: _Run, stylesheet, part: Part, numbers: Numbers):
        """One part laid out; an exercise that runs onto one more page gets a smaller
        figure (a smaller figure frees a few inches: no help to pages of text)."""
        versions = (part.html, *part.smaller)
        for step, html in enumerate(versions):
            doc = self._cached(run, stylesheet, html, numbers)
            if part.kind != "exercise" or len(doc.pages) != 2 or step + 1 == len(versions):
                break
            run.shrunk.add(part.id)
        if part.kind == "cover":
            run.cover_html = html
        return doc

    def _cached(self, run: _Run, stylesheet, html: str, numbers: Numbers):
        css = numbers.css()
        key = (run.handout.stylesheet, run.assets, html, css)
        run.used.add(key)
        if key not in self._parts:
            self.parts_laid_out += 1
            if css not in self._data_sheets:
                if len(self._data_sheets) > 1000:
                    self._data_sheets.clear()
                self._data_sheets[css] = weasyprint.CSS(string=css)
            sheets = [stylesheet, self._data_sheets[css]]
            self._parts[key] = _made(
                run.handout.source,
                lambda: weasyprint.HTML(
                    string=html, base_url=ASSET_BASE, url_fetcher=run.fetcher
                ).render(stylesheets=sheets, font_config=run.font_config),
            )
        run.warnings += self._parts[key].warnings
        return self._parts[key].result

    def _fonts_for(self, handout: Handout) -> _Fonts:
        key = _fingerprint(asset for asset in handout.assets if asset.path is not None)
        if key not in self._fonts:
            self._fonts = {key: _Fonts(), **self._fonts}
            while len(self._fonts) > KEPT_HANDOUTS:
                del self._fonts[next(reversed(self._fonts))]
        return self._fonts[key]

    def _stylesheet(self, run: _Run):
        """The handout's stylesheet, parsed once: its @font-face rules load the fonts."""
        sheets = run.fonts.stylesheets
        key = (run.handout.stylesheet, run.assets)
        if key not in sheets:
            while len(sheets) >= KEPT_HANDOUTS:  # --watch on a layout: the latest few
                del sheets[next(iter(sheets))]
            sheets[key] = _made(
                run.handout.source,
                lambda: weasyprint.CSS(
                    string=run.handout.stylesheet,
                    base_url=ASSET_BASE,
                    url_fetcher=run.fetcher,
                    font_config=run.font_config,
                ),
            )
        run.warnings += sheets[key].warnings
        return sheets[key].result


class _Fonts:
    def __init__(self) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.config = FontConfiguration()
        self.stylesheets: dict[tuple, _Kept] = {}


@dataclass
class _Run:
    """One handout being laid out."""

    handout: Handout
    assets: bytes  # changes when any image or font does
    fonts: _Fonts
    used: set[tuple] = field(default_factory=set)  # the part layouts it used
    shrunk: set[str] = field(default_factory=set)  # exercises whose figure shrank
    warnings: list[str] = field(default_factory=list)
    cover_html: str = ""

    def __post_init__(self) -> None:
        self.fetcher = AssetFetcher(self.handout.assets)
        self.font_config = self.fonts.config


def _metadata(metadata: Metadata):
    from weasyprint.document import DocumentMetadata

    return DocumentMetadata(
        title=metadata.title,
        authors=[metadata.author],
        description=metadata.description,
        generator=metadata.generator,
        created=metadata.created,
        modified=metadata.modified,
        lang=metadata.language,
    )


class _Pagination:
    """Which page each part starts on, from what is known of the parts' lengths: the
    real length of each part laid out so far, one page for the others."""

    # Parts whose length is hardest to guess are laid out first, so that the numbers
    # the others are given already count the real length of those.
    FIRST = ("intro", "closing")

    def __init__(self, handout: Handout, counts: dict, anchors: dict):
        self.handout = handout
        self.counts: dict[str, int] = counts  # part id -> pages
        # element id -> (part id, page within the part), from the latest layouts
        self.anchors: dict[str, tuple[str, int]] = anchors

    def parts(self) -> list[Part]:
        """The parts in reading order, with as many Notes pages before the back cover
        as make the page count a multiple of `pad_to`."""
        body, back = list(self.handout.parts[:-1]), self.handout.parts[-1]
        pages = sum(self.counts.get(part.id, 1) for part in (*body, back))
        missing = -pages % self.handout.pad_to
        return [*body, *self.handout.notes[:missing], back]

    def in_layout_order(self) -> Iterator[Part]:
        body = self.handout.parts[:-1]
        yield from sorted(body, key=lambda part: part.kind not in self.FIRST)
        # The Notes pages needed are known once everything before them is laid out.
        yield from self.parts()[len(body) :]

    def starts(self) -> dict[str, int]:
        parts = self.parts()
        sizes = [self.counts.get(part.id, 1) for part in parts]
        firsts = itertools.accumulate([1, *sizes[:-1]])
        return {part.id: first for part, first in zip(parts, firsts, strict=True)}

    def numbers(self, part: Part) -> Numbers:
        starts = self.starts()
        total = sum(self.counts.get(p.id, 1) for p in self.parts())
        pages = {}
        for anchor in dict.fromkeys(INTERNAL_LINK.findall(part.html)):
            # A part's own id is where it starts, even before it is laid out.
            owner, index = self.anchors.get(anchor, (anchor, 0))
            if owner in starts:
                pages[anchor] = starts[owner] + index
        return Numbers(starts[part.id], total, tuple(pages.items()))

    def learn(self, part: Part, doc) -> None:
        """Take the part's real length, and where its elements landed."""
        self.counts[part.id] = len(doc.pages)
        found: dict[str, tuple[str, int]] = {}
        for index, page in enumerate(doc.pages):
            for anchor in page.anchors:  # an element split over pages is on each
                found.setdefault(anchor, (part.id, index))
        self.anchors.update(found)


def _stored_guess(handout: Handout) -> tuple[dict, dict]:
    """The page counts of the previous build of this handout, kept in the booklet
    cache: a first pass with them is usually the only one, even in a new process.
    Only a guess: anything of the wrong shape is no guess at all."""
    try:
        counts, anchors = json.loads(cache.load(_guess_name(handout)) or "[{}, {}]")
        counts = {str(part): count for part, count in counts.items() if _whole(count)}
        anchors = {
            str(anchor): (str(part), index)
            for anchor, (part, index) in anchors.items()
            if _whole(index, 0)
        }
        return counts, anchors
    except (ValueError, TypeError, AttributeError):
        return {}, {}


def _whole(value, least: int = 1) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _store_guess(handout: Handout, counts: dict, anchors: dict) -> None:
    cache.store(_guess_name(handout), json.dumps([counts, anchors]).encode())


def _guess_name(handout: Handout) -> str:
    return cache.key("pages", *handout.identity)


def _fingerprint(assets: Iterable[Asset]) -> bytes:
    """Changes whenever any of the files does (fonts are files: a font, a stylesheet)."""
    digest = hashlib.sha256()
    for asset in assets:
        digest.update(asset.href.encode() + b"\0" + asset.fingerprint() + b"\0")
    return digest.digest()


class AssetFetcher(URLFetcher):
    """Serves the booklet's own images and fonts; refuses every other URL, local or remote."""

    def __init__(self, assets: Iterable[Asset]):
        super().__init__(allowed_protocols=["file", "data"])
        self.assets = {asset.href: asset for asset in assets}

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):  # self-contained, e.g. the Notes page's ruled lines
            return super().fetch(url, headers)
        name = url.removeprefix(ASSET_BASE) if url.startswith(ASSET_BASE) else None
        asset = self.assets.get(name) if name else None
        if asset is None:
            raise FatalURLFetchingError(f"'{url}' is not one of the booklet's images or fonts")
        return URLFetcherResponse(
            url, body=asset.read(), headers={"Content-Type": asset.media_type}
        )


def carefully(source: Path, warn: Warn, make: Callable[[], T]) -> T:
    """`make()`, which calls WeasyPrint: its warnings are said once it is done (so that
    --strict fails the build without WeasyPrint in the way), its failures are ours."""
    made = _made(source, make)
    for message in made.warnings:
        warn(message)
    return made.result


def _made(source: Path, make: Callable[[], T]) -> _Kept:
    """`make()`, with the warnings WeasyPrint gives while at it."""
    warnings: list[str] = []
    with weasyprint_warnings(warnings.append), weasyprint_failures(source):
        result = make()
    return _Kept(result, warnings)


@contextmanager
def weasyprint_failures(source: Path) -> Iterator[None]:
    try:
        yield
    except FatalURLFetchingError as err:
        raise SourceError(source, f"the layout refers to a file it may not read: {err}") from None
    except (SourceError, OutputError):
        raise
    except Exception as err:  # WeasyPrint's own failures: report, do not hide the type
        raise OutputError(source, f"WeasyPrint failed: {type(err).__name__}: {err}") from err


@contextmanager
def weasyprint_warnings(warn: Warn) -> Iterator[None]:
    """Pass WeasyPrint's warnings (ignored CSS, unloadable images) on as build warnings."""
    handler = _Relay(warn)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class _Relay(logging.Handler):
    def __init__(self, warn: Warn):
        super().__init__(logging.WARNING)
        self._warn = warn

    def emit(self, record: logging.LogRecord) -> None:
        self._warn(f"WeasyPrint: {record.getMessage()}")
