"""The typesetter: lays handouts out with WeasyPrint and writes PDFs, in this process.

A handout is laid out one part at a time (cover, intro, each exercise, closing,
Notes pages, back cover), each part a small document of its own, and the parts'
pages are joined into one document (WeasyPrint's `Document.copy`). What a part
cannot know by itself (the page it starts on, the page count, the pages its links
lead to) it is given as CSS custom properties, worked out by export/pagination.py.

The typesetter keeps what it made (font configurations, parsed stylesheets, each
part's layout, keyed by everything that went into it): in a process that builds
again and again (--watch, or a worker building many sources) an edit lays out only
the parts it changed, and a change to a layout, an image or a font is never met
by a stale layout.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pydyf

from booklet import cache
from booklet.css import css_string
from booklet.export import engine
from booklet.export.engine import (
    FatalURLFetchingError,
    URLFetcher,
    URLFetcherResponse,
    weasyprint,
)
from booklet.export.handout import Asset, Handout, Metadata, Part, render_handout
from booklet.export.keep import Kept
from booklet.export.pagination import Guess, Numbers, paginate

if TYPE_CHECKING:
    from booklet.export import ExportJob

LOG = logging.getLogger("booklet")
# Relative URLs in the documents resolve against this base; the fetcher below serves
# only the files the handout declared (its images and fonts) and refuses the rest.
ASSET_BASE = "file:///booklet-assets/"
# Elements that exist in both outputs and begin a part or a section of one: the
# EPUB's page-break markers go there.
MARKABLE = re.compile(r"^(cover|intro|section-\d+|exercise-\d+|closing|back-cover)$")
# How much is kept. Part layouts: every part of the three handouts one build makes
# (handout, print-shop PDF, folded booklet) of a long article, so that --watch lays
# out only what an edit changed. Font configurations: --watch on a font file keeps
# the old one until the new one is in use.
KEPT_PARTS = 400
PARTS_OF_A_BUILD = 3  # the handout, the print-shop PDF, the folded booklet
KEPT_FONTS = 2
KEPT_STYLESHEETS = 6
KEPT_NUMBER_SHEETS = 1000
KEPT_GUESSES = 64
# At most this many exercises laid out as one document (see Typesetter._part).
MAX_RUN = 64
BODY = re.compile(r"<body\b[^>]*>")

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Laid:
    """A handout laid out: its pages joined into one WeasyPrint document."""

    source: Path  # named in errors and warnings
    document: object  # weasyprint.Document
    cover: object  # the cover part's own document (one page)
    cover_key: str  # changes with anything the cover's layout depends on

    @property
    def pages(self) -> int:
        return len(self.document.pages)

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


@dataclass(frozen=True)
class _Made:
    """Something WeasyPrint made, with the warnings it gave meanwhile (said again
    each time it is used)."""

    result: object
    warnings: tuple[str, ...]


class Typesetter:
    """Lays out handouts and writes PDFs, keeping fonts, stylesheets and layouts."""

    def __init__(self) -> None:
        self._fonts: Kept[bytes, object] = Kept(KEPT_FONTS)
        self._stylesheets: Kept[tuple, _Made] = Kept(KEPT_STYLESHEETS)
        self._number_sheets: Kept[str, object] = Kept(KEPT_NUMBER_SHEETS)
        self._parts: Kept[tuple, _Made] = Kept(KEPT_PARTS)
        self._guesses: Kept[tuple, Guess] = Kept(KEPT_GUESSES)
        # Which part layouts, and which parts' HTML, were made before (by any numbers).
        self._seen: Kept[tuple, bool] = Kept(KEPT_PARTS)
        self._drafts: Kept[str, bool] = Kept(KEPT_PARTS)
        self._laid_out = self._reused = 0
        kept = (self._parts, self._stylesheets, self._number_sheets, self._seen)
        self._finalizer = weakref.finalize(
            self, engine.release, lambda: [store.clear() for store in kept], self._fonts.clear
        )

    @property
    def parts_laid_out(self) -> int:
        """How many part layouts were made rather than reused (for tests and --verbose)."""
        return self._laid_out

    def close(self) -> None:
        """Let go of everything kept."""
        self._finalizer()

    def lay_out(self, handout: Handout, warn: Warn) -> Laid:
        # Every part of the handouts of one build stays kept while they are laid out
        # (a second pass reuses them); a long handout grows the store to hold them.
        for store in (self._parts, self._seen, self._drafts):
            store.keep_at_least(PARTS_OF_A_BUILD * (len(handout.parts) + len(handout.notes)))
        engine.hyphenation_for(handout.metadata.language)
        run = _Run(self, handout)
        guess = self._guesses.get(handout.identity, lambda: _stored_guess(handout))
        made, reused = self._laid_out, self._reused
        paginated = paginate(handout.parts, handout.notes, run.lay_out, guess, handout.pad_to)
        if paginated.found != guess:
            _store_guess(handout, paginated.found)
        self._guesses.put(handout.identity, paginated.found)
        LOG.debug(
            "%s, %s%s: %d parts on %d pages; part layouts: %d made, %d reused; %d pass%s (%s)",
            handout.source,
            handout.paper,
            " with bleed" if handout.press else "",
            len(paginated.parts),
            sum(len(doc.pages) for doc in paginated.layouts),
            self._laid_out - made,
            self._reused - reused,
            paginated.passes,
            "" if paginated.passes == 1 else "es",
            "page counts guessed from the last build" if guess.counts else "no page counts known",
        )
        if not paginated.settled:
            warn(
                f"the page numbers did not settle after {paginated.passes} layouts; "
                "check the page numbers in the list of exercises and the footers"
            )
        for message in dict.fromkeys(run.warnings):
            warn(message)
        for part, doc in zip(paginated.parts, paginated.layouts, strict=True):
            if part.kind == "exercise" and len(doc.pages) > 1:
                tried = " even with a smaller figure" if part.id in run.shrunk else ""
                warn(
                    f"{part.warn_as} does not fit on one page{tried} "
                    f"(it runs onto {len(doc.pages) - 1} more); shorten its text"
                )
        cover, cover_numbers = paginated.layouts[0], paginated.numbers[0]
        document = cover.copy([page for doc in paginated.layouts for page in doc.pages])
        document.metadata = _metadata(handout)
        return Laid(handout.source, document, cover, run.cover_key(cover_numbers))

    def write_pdf(
        self,
        document,
        source: Path,
        warn: Warn,
        target: Path | None = None,
        finisher: Callable | None = None,
        **options,
    ) -> bytes | None:
        """A laid-out document (a handout's, or one part's) as a tagged PDF, as bytes
        or into `target`. Every PDF shows its title in the viewer's title bar, its
        links are part of the printed page, and the running footers are page
        furniture, not text to read out (PDF/UA asks for all three)."""

        def finish(doc, pdf) -> None:
            _show_title(pdf)
            if options["pdf_tags"]:
                engine.mark_page_furniture(pdf)
            if finisher is not None:
                finisher(doc, pdf)

        options.setdefault("pdf_tags", True)
        return engine.carefully(
            source, warn, lambda: engine.write_pdf(document, target, finisher=finish, **options)
        )

    def lay_out_document(
        self,
        source: Path,
        html: str,
        stylesheet: str,
        assets: Iterable[Asset],
        metadata: Metadata,
        warn: Warn,
    ):
        """A document that is not a handout (a programme sheet: export/sheet.py) laid
        out whole, with the fonts (and their configuration) the handouts use, and
        only `assets` to fetch. Returns the WeasyPrint document, for write_pdf."""
        assets = tuple(assets)
        fonts = _fingerprint(asset for asset in assets if asset.path is not None)
        font_config = self._fonts.get(fonts, engine.FontConfiguration)
        fetcher = AssetFetcher(assets)
        engine.hyphenation_for(metadata.language)

        def make():
            css = weasyprint.CSS(
                string=stylesheet, base_url=ASSET_BASE, url_fetcher=fetcher, font_config=font_config
            )
            return weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher).render(
                stylesheets=[css], font_config=font_config
            )

        document = engine.carefully(source, warn, make)
        document.metadata = _metadata_of(metadata)
        return document

    def draw_figures(self, source: Path, figures: Iterable[Figure], warn: Warn) -> bytes:
        """SVG figures drawn into one PDF, a page each at the figure's own proportions."""
        figures = list(figures)
        rules, sections = [], []
        for number, figure in enumerate(figures):
            rules.append(
                f"@page figure{number} {{ size: {figure.width}px {figure.height}px; margin: 0 }}"
            )
            sections.append(
                f'<section style="page: figure{number}"><img src="{figure.href}"></section>'
            )
        html = (
            "<style>"
            + "\n".join(rules)
            + " section { break-before: page } img { display: block; width: 100%; height: 100% }"
            + "</style>"
            + "".join(sections)
        )
        fetcher = AssetFetcher(Asset(f.href, "image/svg+xml", data=f.svg) for f in figures)
        return engine.carefully(
            source,
            warn,
            lambda: weasyprint.HTML(
                string=html, base_url=ASSET_BASE, url_fetcher=fetcher
            ).write_pdf(),
        )

    # ---- what a layout is made with, kept ----

    def _font_config(self, handout: Handout):
        # Every font (an installed file, or a face cut for this book) is in the key: a
        # configuration knows each face it was given by its family name.
        fonts = _fingerprint(a for a in handout.assets if a.media_type.startswith("font/"))
        return self._fonts.get(fonts, engine.FontConfiguration)

    def _stylesheet(self, handout: Handout, assets: bytes, fetcher, font_config) -> _Made:
        """The handout's stylesheet, parsed once: its @font-face rules load the fonts
        into the font configuration, which is why the fonts are part of its key."""
        return self._stylesheets.get(
            (handout.stylesheet, assets),
            lambda: _made(
                handout.source,
                lambda: weasyprint.CSS(
                    string=handout.stylesheet,
                    base_url=ASSET_BASE,
                    url_fetcher=fetcher,
                    font_config=font_config,
                ),
            ),
        )

    def _number_sheet(self, css: str):
        return self._number_sheets.get(css, lambda: weasyprint.CSS(string=css))

    def _part(self, run: _Run, part: Part, html: str, numbers: Numbers):
        """`part` (as `html`) laid out with `numbers`: kept, or made now. A part never
        laid out before is laid out together with the exercises after it that were
        not either, each in the version tried first (each part a document of its own
        pays WeasyPrint's set-up of a document, about half of an exercise page's
        layout); each is kept under the numbers it came out with, which are the ones
        it is then asked for."""
        key = self._key(run, html, numbers)
        first = html == part.first
        if first and key not in self._parts and self._joinable(part) and html not in self._drafts:
            self._lay_out_run(run, part, numbers)
        made = self._parts.get(key, lambda: self._render(run, html, numbers_css(numbers)))
        if key in self._seen:
            self._reused += 1
        else:
            self._laid_out += 1
            self._seen.put(key, True)
        run.warnings += made.warnings
        return made.result

    def _key(self, run: _Run, html: str, numbers: Numbers) -> tuple:
        return (run.handout.stylesheet, run.assets, html, numbers_css(numbers))

    def _render(self, run: _Run, html: str, css: str) -> _Made:
        return _made(
            run.handout.source,
            lambda: weasyprint.HTML(
                string=html, base_url=ASSET_BASE, url_fetcher=run.fetcher
            ).render(
                stylesheets=[run.stylesheet, self._number_sheet(css)],
                font_config=run.font_config,
            ),
        )

    @staticmethod
    def _joinable(part: Part) -> bool:
        """An exercise, which links nowhere: its numbers are its start and the total,
        which a document of several parts gives each of them as it goes."""
        return part.kind == "exercise" and not part.links

    def _lay_out_run(self, run: _Run, first: Part, numbers: Numbers) -> None:
        """`first` and the exercises after it not laid out before, each in the version
        tried first, as one document; each part's pages kept as a document of its own."""
        parts = run.handout.parts
        index = parts.index(first)
        members, htmls = [first], [first.first]
        for part in parts[index + 1 : index + MAX_RUN]:
            html = part.first
            if not self._joinable(part) or html in self._drafts:
                break
            members.append(part)
            htmls.append(html)
        for html in htmls:
            self._drafts.put(html, True)
        if len(members) == 1:
            return
        wrapper = _Wrapper.of(htmls[0])
        if wrapper is None or any(_Wrapper.of(html) != wrapper for html in htmls):
            return  # a layout whose parts' documents differ around their bodies
        joined = wrapper.start + "".join(_Wrapper.body(html) for html in htmls) + wrapper.end
        made = self._render(run, joined, numbers_css(numbers))
        document, pages = made.result, made.result.pages
        firsts = [
            next((i for i, page in enumerate(pages) if part.id in page.anchors), None)
            for part in members
        ]
        if None in firsts or firsts != sorted(firsts) or firsts[0] != 0:
            return  # not one part after the other, each from a page of its own
        ends = [*firsts[1:], len(pages)]
        for html, start, end in zip(htmls, firsts, ends, strict=True):
            told = Numbers(numbers.start + start, numbers.total, ())
            key = self._key(run, html, told)
            self._parts.put(key, _Made(document.copy(pages[start:end]), made.warnings))


@dataclass(frozen=True)
class _Wrapper:
    """What a part's HTML document holds around its body's content (print.html)."""

    start: str
    end: str

    @staticmethod
    def of(html: str) -> _Wrapper | None:
        opening = BODY.search(html)
        closing = html.rfind("</body>")
        if opening is None or closing < opening.end():
            return None
        return _Wrapper(html[: opening.end()], html[closing:])

    @staticmethod
    def body(html: str) -> str:
        return html[BODY.search(html).end() : html.rfind("</body>")]


def laid_out(
    job: ExportJob,
    typesetter: Typesetter,
    paper: str | None = None,
    press: bool = False,
    pad_to: int = 2,
) -> Laid:
    """The handout of `job` on `paper` (the job's by default) laid out, once per build:
    the PDF, the EPUB's page numbers and its cover come from one layout."""
    key = ("laid", paper or job.paper, press, pad_to)
    if key not in job.cache:
        handout = render_handout(job, paper or job.paper, press, pad_to)
        job.cache[key] = typesetter.lay_out(handout, job.warn)
    return job.cache[key]


class _Run:
    """One handout being laid out."""

    def __init__(self, typesetter: Typesetter, handout: Handout):
        self.typesetter, self.handout = typesetter, handout
        self.assets = _fingerprint(handout.assets)  # changes when any image or font does
        self.fetcher = AssetFetcher(handout.assets)
        self.font_config = typesetter._font_config(handout)
        stylesheet = typesetter._stylesheet(handout, self.assets, self.fetcher, self.font_config)
        self.stylesheet = stylesheet.result
        self.warnings: list[str] = list(stylesheet.warnings)
        self.shrunk: set[str] = set()  # exercises whose figure was made smaller
        self.cover_html = ""

    def lay_out(self, part: Part, numbers: Numbers):
        """One part laid out. An exercise gets the largest figure that keeps it on its
        page: the larger one if that fits, else the usual one, and if it runs onto one
        more page, a smaller one step by step (a smaller figure frees a few inches: no
        help to pages of text)."""
        usual = 1 if part.larger else 0  # the index of the usual figure's version
        for step, html in enumerate(part.versions()):
            if step > usual:
                self.shrunk.add(part.id)
            if numbers.links:
                html = with_link_pages(html, numbers.links)
            doc = self.typesetter._part(self, part, html, numbers)
            if part.kind != "exercise":
                break
            if step < usual:  # the larger figure: kept only if the page holds it
                if len(doc.pages) == 1:
                    break
                continue
            if len(doc.pages) != 2:
                break
        if part.kind == "cover":
            self.cover_html = html
        return doc

    def cover_key(self, numbers: Numbers) -> str:
        """Names the cover's picture: its HTML, the stylesheet, the numbers it was
        given, and the files it shows (its own images, and the fonts)."""
        files = [
            asset
            for asset in self.handout.assets
            if asset.path is not None or f'"{asset.href}"' in self.cover_html
        ]
        return cache.key(
            "cover-layout",
            self.handout.stylesheet,
            self.cover_html,
            numbers_css(numbers),
            _fingerprint(files),
        )


@dataclass(frozen=True)
class Figure:
    """An SVG figure to draw as a picture, at its own size in CSS pixels."""

    href: str
    svg: bytes
    width: float
    height: float


def numbers_css(numbers: Numbers) -> str:
    """What a part is told of the pages, as CSS (see print.css): the page count as
    --booklet-pages on the page context, its first page number as the page counter's
    start. (The pages its links lead to are in its HTML: with_link_pages.)"""
    return "\n".join(
        [
            f"@page {{ --booklet-pages: {css_string(str(numbers.total))} }}",
            f"@page :first {{ counter-reset: page {numbers.start} }}",
        ]
    )


def with_link_pages(html: str, links: tuple[tuple[str, int], ...]) -> str:
    """`html` with the page each internal link leads to, as --booklet-page in the style
    of the link and of the element that holds it (print.css shows it in the intro's
    list). In style attributes, not in CSS rules: a rule per link made every element
    of a long list be matched against every rule (time growing with its square)."""
    import lxml.html

    pages = dict(links)
    document = lxml.html.document_fromstring(html)
    for link in document.iter("a"):
        page = pages.get(link.get("href", "").removeprefix("#"))
        if page is None:
            continue
        for element in (link, link.getparent()):
            style = (element.get("style") or "").strip().rstrip(";")
            told = f"--booklet-page: {css_string(str(page))}"
            element.set("style", f"{style}; {told}" if style else told)
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")


def _made(source: Path, make: Callable[[], object]) -> _Made:
    result, warnings = engine.with_warnings(source, make)
    return _Made(result, tuple(warnings))


def _metadata(handout: Handout):
    return _metadata_of(handout.metadata)


def _metadata_of(metadata: Metadata):
    return engine.DocumentMetadata(
        title=metadata.title,
        authors=[metadata.author],
        description=metadata.description,
        generator=metadata.generator,
        created=metadata.created,
        modified=metadata.modified,
        lang=metadata.language,
    )


def _show_title(pdf) -> None:
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Annot":
            obj["F"] = 4  # the Print flag: WeasyPrint leaves link annotations without it


def _stored_guess(handout: Handout) -> Guess:
    """The page counts of the previous build of this handout, kept in the booklet
    cache: a first pass with them is usually the only one, even in a new process.
    Only a guess: anything of the wrong shape is no guess at all."""
    try:
        counts, anchors = json.loads(cache.load(_guess_name(handout)) or b"[{}, {}]")
        return Guess(
            {str(part): count for part, count in counts.items() if _whole(count)},
            {
                str(anchor): (str(part), index)
                for anchor, (part, index) in anchors.items()
                if _whole(index, 0)
            },
        )
    except (ValueError, TypeError, AttributeError):
        return Guess()


def _whole(value, least: int = 1) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _store_guess(handout: Handout, found: Guess) -> None:
    cache.store(_guess_name(handout), json.dumps([found.counts, found.anchors]).encode())


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
