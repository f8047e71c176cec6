"""The EPUB 3, built with ebooklib from the same partials as the PDF, one file per part."""

from __future__ import annotations

import dataclasses
import html.entities
import io
import re
import uuid
import zipfile
from pathlib import Path

from ebooklib import epub
from lxml import etree

from booklet.errors import OutputError
from booklet.export import ExportJob, Written
from booklet.export.cover import cover_jpeg
from booklet.export.epubfonts import embedded_faces
from booklet.export.handout import book_fonts
from booklet.export.pagemap import (
    XHTML,
    add_page_list_to_ncx,
    add_page_markers,
    finish_navigation,
    nest_headings,
)
from booklet.export.raster import figure_pictures, png_href
from booklet.export.typesetter import Typesetter, laid_out
from booklet.fonts import FontFace, FontStack
from booklet.model import Booklet, Image
from booklet.render import Page
from booklet.typography import writing_of

STYLESHEET = "ereader.css"
NAV = "nav.xhtml"
CLOSING, BACK_COVER = "closing.xhtml", "back-cover.xhtml"
COVER_IMAGE = "images/cover.jpg"
COVER_HEIGHT_PX = 1600  # large enough for every e-reader's library view
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# What a reader with a disability can expect, in the schema.org terms that reading
# systems and stores show (EPUB Accessibility 1.1).
ACCESSIBILITY = [
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityFeature", "pageBreakMarkers"),
    ("schema:accessibilityFeature", "pageNavigation"),
    ("schema:accessibilityHazard", "none"),
    (
        "schema:accessibilitySummary",
        "Every figure has a text description. Headings, a table of contents and page "
        "markers matching the printed handout support navigation. The text reflows and "
        "follows the reader's font and size settings.",
    ),
    ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"),
]
XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
SOURCE = re.compile(r'src="([^"]+)"')
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def export(job: ExportJob, target: Path, typesetter: Typesetter) -> Written:
    booklet = job.booklet
    writing = writing_of(booklet.language)
    pages = job.renderer.pages(booklet, "epub", _file_link)
    stylesheet = job.renderer.render("ereader.css")
    shown = {src for page in pages if page.kind != "cover" for src in SOURCE.findall(page.html)}
    shown |= set(CSS_URL.findall(stylesheet))  # a layout's own pictures, in its stylesheet
    used = [image for image in booklet.images if image.href in shown]
    # From the handout's layout: where its pages begin, and its front cover.
    laid = laid_out(job, typesetter)
    starts = laid.page_starts()
    pictures = figure_pictures(used, typesetter, booklet.source, job.warn)
    labels = job.renderer.labels(booklet.language)
    # SVG figures go as PNG pictures: their references, in the documents and the stylesheet.
    sources = {image.href: png_href(image.href) for image in used if image.href in pictures}

    book = epub.EpubBook()
    _describe(book, booklet)
    if writing.rtl:
        book.set_direction("rtl")  # the spine's page-progression-direction
    book.set_cover(
        COVER_IMAGE, cover_jpeg(laid, typesetter, job.warn, COVER_HEIGHT_PX), create_page=False
    )
    placed: list[tuple[int, str]] = []
    title_page = Page("title-page", "title-page", labels["title_page"], _title_page(job))
    parts = [_cover_page(job), title_page] + [page for page in pages if page.kind != "cover"]
    documents = [_document(job, page, starts, placed, sources) for page in parts]
    # Only the faces the stylesheet sets some text in, each cut to the characters it
    # draws there (epubfonts.py).
    fonts = book_fonts(job)
    faces = embedded_faces(
        job.renderer.render("ereader.css", booklet=booklet, fonts=fonts),
        [etree.fromstring(document.content) for document in documents],
        fonts,
    )
    fonts = dataclasses.replace(fonts, faces=faces)
    stylesheet = CSS_URL.sub(
        lambda match: match[0].replace(match[1], sources.get(match[1], match[1])),
        job.renderer.render("ereader.css", booklet=booklet, fonts=fonts),
    )
    book.add_item(
        epub.EpubItem(
            uid="style",
            file_name=STYLESHEET,
            media_type="text/css",
            content=stylesheet.encode("utf-8"),
        )
    )
    for face in faces:
        book.add_item(_packed(epub.EpubItem, "font", face))
    for licence in _licences(faces, job.fonts):
        book.add_item(licence)
    for image in used:
        if image.href in pictures:
            href = sources[image.href]
            book.add_item(
                epub.EpubImage(
                    uid=_uid("img", href),
                    file_name=href,
                    media_type="image/png",
                    content=pictures[image.href],
                )
            )
        else:
            book.add_item(_packed(epub.EpubImage, "img", image))
    for document in documents:
        book.add_item(document)
    _navigation(book, job, documents)

    # ebooklib writes into memory (zipfile takes a file object as well as a name): it
    # can swallow an error while writing a file, and the archive is rewritten anyway.
    packed = io.BytesIO()
    epub.write_epub(
        packed,
        book,
        {
            "epub3_pages": False,
            "mtime": booklet.modified,
            "landmark_title": "Landmarks",
            # Not compressed here: the archive is rewritten (and compressed) below,
            # and deflating the fonts twice was a third of the EPUB's time.
            "compresslevel": 0,
            "raise_exceptions": True,
        },
    )
    landmarks = [("backmatter", documents[-2].file_name, labels["closing"])]
    names = {"toc": labels["contents"], "landmarks": "Landmarks", "page-list": labels["pages"]}
    archive = _rewrite_archive(
        packed.getvalue(), booklet, placed, landmarks, labels["pages"], writing.direction, names
    )
    target.write_bytes(archive)  # an OSError is the build's to report, with the file's name
    return Written(target, target.stat().st_size)


def _describe(book: epub.EpubBook, booklet: Booklet) -> None:
    book.set_identifier(stable_identifier(booklet))
    book.set_title(booklet.title)
    book.set_language(booklet.language)
    book.add_author(booklet.author.name)
    book.add_metadata("DC", "date", booklet.date.isoformat())
    if booklet.subtitle:
        book.add_metadata("DC", "description", booklet.subtitle)
    source = f"{booklet.stem}.pdf (handout)"
    book.add_metadata("DC", "source", source)
    for prop, value in [*ACCESSIBILITY, ("pageBreakSource", source)]:
        book.add_metadata(None, "meta", value, {"property": prop})


def _packed(kind: type, prefix: str, asset: Image | FontFace) -> epub.EpubItem:
    """A file of the booklet (image or font) as an item of the EPUB, at its href:
    images as checked at parse time (SVGs cleaned), fonts as cut for the book."""
    content = asset.data if isinstance(asset, Image) else asset.read()
    return kind(
        uid=_uid(prefix, asset.href),
        file_name=asset.href,
        media_type=asset.media_type,
        content=content,
    )


def _navigation(book: epub.EpubBook, job: ExportJob, documents: list[epub.EpubHtml]) -> None:
    """Reading order, table of contents (nav and NCX) nested by section, landmarks and
    the guide. The navigation document is in the spine too, after the title page and
    out of the reading order (linear="no"), and the guide names it as the contents:
    Calibre's conversion to Kindle formats then uses it rather than append a contents
    page of its own after the disclaimer."""
    booklet = job.booklet
    labels = job.renderer.labels(booklet.language)
    by_name = {doc.file_name: doc for doc in documents}
    # The intro's sections under the introduction, where their text is; each section's
    # exercises under its title, which leads to its first exercise (the contents
    # follow the reading order, as EPUB asks).
    titled = [s for s in booklet.sections if s.title]
    toc: list = [
        (
            _link(by_name["intro.xhtml"], labels["introduction"]),
            [epub.Link(f"intro.xhtml#{s.anchor}", s.title, s.anchor) for s in titled],
        )
        if titled
        else _link(by_name["intro.xhtml"], labels["introduction"])
    ]
    for section in booklet.sections:
        exercises = [
            _link(by_name[f"{e.anchor}.xhtml"], f"{e.number}. {e.name}") for e in section.exercises
        ]
        if section.title and exercises:
            first = by_name[f"{section.exercises[0].anchor}.xhtml"]
            heading = epub.Link(first.file_name, section.title, f"{section.anchor}-exercises")
            toc.append((heading, exercises))
        else:
            toc.extend(exercises)
    toc += [_link(doc, doc.title) for doc in documents if doc.file_name in (CLOSING, BACK_COVER)]
    book.toc = toc
    book.guide = [
        {"type": "cover", "href": documents[0].file_name, "title": labels["cover"]},
        {"type": "title-page", "href": documents[1].file_name, "title": labels["title_page"]},
        {"type": "toc", "href": NAV, "title": labels["contents"]},
        {"type": "text", "href": documents[2].file_name, "title": labels["start"]},
    ]
    writing = writing_of(booklet.language)
    nav = epub.EpubNav(title=labels["contents"], direction=writing.direction)
    nav.add_link(href=STYLESHEET, rel="stylesheet", type="text/css")
    book.add_item(epub.EpubNcx())
    book.add_item(nav)
    book.spine = [*documents[:2], (nav, "no"), *documents[2:]]


def _link(document: epub.EpubHtml, title: str) -> epub.Link:
    return epub.Link(document.file_name, title, document.id)


def stable_identifier(booklet: Booklet) -> str:
    """The same title and author always give the same identifier, so e-readers see a
    rebuilt EPUB as a new edition of the same book rather than a different book."""
    return "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"booklet:{booklet.title}\n{booklet.author.name}")
    )


def _document(
    job: ExportJob,
    page: Page,
    starts: dict[str, int],
    placed: list[tuple[int, str]],
    sources: dict[str, str],
) -> epub.EpubHtml:
    """One part as an EPUB content document, with page-break markers where pages of
    the handout begin (`placed` collects (page, href) for the page-list), and each
    SVG figure's source turned to its PNG picture (`sources`)."""
    root = _xml(job, page)
    nest_headings(root, top=1 if page.kind == "title-page" else 2)
    for img in root.iter(f"{{{XHTML}}}img"):
        img.set("src", sources.get(img.get("src", ""), img.get("src", "")))
    file_name = f"{page.id}.xhtml"
    document = epub.EpubHtml(
        uid=page.id,
        file_name=file_name,
        title=page.title,
        lang=job.booklet.language,
        direction=writing_of(job.booklet.language).direction,
    )
    placed += [(n, f"{file_name}#page-{n}") for n in add_page_markers(root, starts)]
    document.content = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    document.add_link(href=STYLESHEET, rel="stylesheet", type="text/css")
    return document


def _xml(job: ExportJob, page: Page) -> etree._Element:
    xhtml = job.renderer.render("epub-page.xhtml", booklet=job.booklet, page=page)
    return _well_formed(xhtml, page.id)


def _cover_page(job: ExportJob) -> Page:
    """The cover page: the raster cover (the PDF's front cover as a picture), with its
    text in the alt, so the library view and the first page match the printed handout."""
    booklet = job.booklet
    labels = job.renderer.labels(booklet.language)
    alt = labels["cover_alt"].format(title=booklet.title, author=booklet.author.name)
    if booklet.cover:
        alt += f" {booklet.cover.alt}"
    body = (
        f'<section class="cover-page" id="cover" epub:type="cover">'
        f'<img src="{COVER_IMAGE}" alt="{_attr(alt)}" role="doc-cover"/></section>'
    )
    return Page("cover", "cover", labels["cover"], body)


def _title_page(job: ExportJob) -> str:
    return job.renderer.render("title-page.html", booklet=job.booklet)


def _licences(faces: list[FontFace], stack: FontStack) -> list[epub.EpubItem]:
    """The licence of every family whose faces the EPUB embeds, as it came with the
    font (the SIL Open Font License asks that it travel with the font)."""
    licences: dict[str, Path] = {}
    fallback = {file.path: file.licence for file in stack.fallbacks}
    for face in faces:
        licence = fallback.get(face.path) or _package_licence(face.path)
        if licence is not None:
            licences.setdefault(face.family, licence)
    return [
        epub.EpubItem(
            uid=_uid("licence", family),
            file_name=f"fonts/LICENSE-{re.sub(r'[^A-Za-z0-9]+', '', family)}.txt",
            media_type="text/plain",
            content=path.read_bytes(),
        )
        for family, path in licences.items()
    ]


def _package_licence(font: Path) -> Path | None:
    """The licence that came with a font: a fontpkg package's (files/NAME.ttf beside
    LICENSE), or an OFL.txt or LICENSE.txt beside a font of the user's."""
    candidates = [font.parent / "OFL.txt", font.parent / "LICENSE.txt"]
    if font.parent.name == "files":
        candidates.insert(0, font.parent.parent / "LICENSE")
    return next((path for path in candidates if path.is_file()), None)


def _file_link(page_id: str, anchor: str | None = None) -> str:
    return f"{page_id}.xhtml" + (f"#{anchor}" if anchor and anchor != page_id else "")


def _uid(prefix: str, href: str) -> str:
    return prefix + "-" + re.sub(r"[^A-Za-z0-9]+", "-", Path(href).name)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _well_formed(xhtml: str, page_id: str) -> etree._Element:
    """XHTML must be XML: named HTML entities (&nbsp;) become characters, and anything
    a layout override made malformed is caught here rather than by the e-reader."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in XML_ENTITIES:
            return match.group(0)
        character = html.entities.html5.get(name + ";")
        return character if character else match.group(0)

    text = re.sub(r"&([A-Za-z][A-Za-z0-9]*);", replace, xhtml.lstrip())
    try:
        return etree.fromstring(text.encode("utf-8"))
    except etree.XMLSyntaxError as err:
        raise OutputError(
            f"{page_id}.xhtml", f"the layout produced malformed XHTML: {err}"
        ) from None


def _with_language(package: bytes, language: str) -> bytes:
    """The package document's own language (xml:lang on <package>), which ebooklib
    leaves out and accessibility checkers (Ace) require."""
    root = etree.fromstring(package)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _rewrite_archive(
    packed: bytes,
    booklet: Booklet,
    pages: list[tuple[int, str]],
    landmarks: list[tuple[str, str, str]],
    pages_label: str,
    direction: str,
    names: dict[str, str],
) -> bytes:
    """Rewrite the archive: the navigation document gets the page-list and the back
    matter landmark (ebooklib writes neither), and every entry fixed timestamps and a
    stable order, `mimetype` first and stored, so the same source gives the same bytes."""
    stamp = max(booklet.modified.timetuple()[:6], ZIP_EPOCH)  # zip cannot store dates before 1980
    with zipfile.ZipFile(io.BytesIO(packed)) as original:
        entries = {info.filename: original.read(info) for info in original.infolist()}
    nav = next(name for name in entries if name.endswith("/nav.xhtml"))
    entries[nav] = finish_navigation(entries[nav], pages, landmarks, direction, names)
    ncx = next(name for name in entries if name.endswith(".ncx"))
    entries[ncx] = add_page_list_to_ncx(entries[ncx], pages, pages_label)
    package = next(name for name in entries if name.endswith(".opf"))
    entries[package] = _with_language(entries[package], booklet.language)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as rebuilt:
        names = ["mimetype", *sorted(name for name in entries if name != "mimetype")]
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            rebuilt.writestr(info, entries[name])
    return buffer.getvalue()
