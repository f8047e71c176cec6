"""The EPUB 3, built with ebooklib from the same partials as the PDF, one file per part."""

from __future__ import annotations

import html.entities
import io
import re
import uuid
import zipfile
from pathlib import Path

from ebooklib import epub
from lxml import etree

from booklet.errors import OutputError
from booklet.export import ExportJob, Plan, Written
from booklet.export.cover import cover_jpeg, known_covers
from booklet.export.handout import render_handout
from booklet.export.pagemap import add_page_markers, finish_navigation
from booklet.export.raster import cached_pictures, drawn_pictures, png_href
from booklet.export.tasks import DrawFigures, Facts, HandoutFacts
from booklet.fonts import FontFace
from booklet.model import Booklet, Image
from booklet.output import atomic_write
from booklet.render import Page

STYLESHEET = "ereader.css"
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


def plan(job: ExportJob, target: Path) -> Plan:
    """The EPUB needs from the typesetter the handout's page numbers and cover, and
    the figures not yet in the cache drawn; the rest it makes meanwhile."""
    pages = job.renderer.pages(job.booklet, "epub", _file_link)
    shown = {src for page in pages if page.kind != "cover" for src in SOURCE.findall(page.html)}
    used = [image for image in job.booklet.images if image.href in shown]
    pictures, to_draw = cached_pictures(used)
    tasks: list = [HandoutFacts(render_handout(job), known_covers(COVER_HEIGHT_PX))]
    if to_draw:
        tasks.append(DrawFigures(job.booklet.source, to_draw))
    made = _Epub(job, target, pages, used, pictures, to_draw)
    return Plan(tasks, finish=made.finish, prepare=made.prepare)


class _Epub:
    def __init__(self, job, target, pages, used, pictures, to_draw):
        self.job, self.target, self.pages = job, target, pages
        self.used, self.pictures, self.to_draw = used, pictures, to_draw

    def prepare(self) -> None:
        """What needs nothing from the typesetter: the package, the stylesheet, the
        fonts, every document as XML."""
        job, booklet = self.job, self.job.booklet
        self.book = epub.EpubBook()
        _describe(self.book, booklet)
        self.book.add_item(
            epub.EpubItem(
                uid="style",
                file_name=STYLESHEET,
                media_type="text/css",
                content=job.renderer.render("ereader.css").encode("utf-8"),
            )
        )
        for face in job.fonts.faces:
            self.book.add_item(_packed(epub.EpubItem, "font", face))
        documents = [_cover_page(job)] + [page for page in self.pages if page.kind != "cover"]
        self.documents = [(page, _xml(job, page)) for page in documents]

    def finish(self, answers: list) -> Written:
        job, booklet, book = self.job, self.job.booklet, self.book
        facts: Facts = answers[0]
        book.set_cover(COVER_IMAGE, cover_jpeg(facts, COVER_HEIGHT_PX), create_page=False)
        placed: list[tuple[int, str]] = []
        documents = [
            _document(job, page, root, facts.page_starts, placed) for page, root in self.documents
        ]
        pictures = dict(self.pictures)
        if self.to_draw:
            pictures.update(drawn_pictures(answers[1], self.to_draw))
        for image in self.used:
            if image.href in pictures:
                href = png_href(image.href)
                book.add_item(
                    epub.EpubImage(
                        uid=_uid("img", href),
                        file_name=href,
                        media_type="image/png",
                        content=pictures[image.href],
                    )
                )
                for document in documents:
                    document.content = document.content.replace(
                        f'src="{image.href}"'.encode(), f'src="{href}"'.encode()
                    )
            else:
                book.add_item(_packed(epub.EpubImage, "img", image))
        for document in documents:
            book.add_item(document)
        _navigation(book, job, documents)

        with atomic_write(self.target) as temporary:
            try:
                epub.write_epub(
                    str(temporary),
                    book,
                    {
                        "epub3_pages": False,
                        "mtime": booklet.modified,
                        "landmark_title": "Landmarks",
                        # Not compressed here: the archive is rewritten (and
                        # compressed) below, and deflating the fonts twice was a
                        # third of the EPUB's time.
                        "compresslevel": 0,
                    },
                )
            except OSError as err:
                raise OutputError(self.target, f"cannot write the EPUB ({err.strerror})") from None
            labels = job.renderer.labels(booklet.language)
            landmarks = [("backmatter", documents[-2].file_name, labels["closing"])]
            _rewrite_archive(temporary, booklet, placed, landmarks)
        return Written(self.target, self.target.stat().st_size)


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
    images as checked at parse time (SVGs cleaned), fonts as installed."""
    content = asset.data if isinstance(asset, Image) else asset.path.read_bytes()
    return kind(
        uid=_uid(prefix, asset.href),
        file_name=asset.href,
        media_type=asset.media_type,
        content=content,
    )


def _navigation(book: epub.EpubBook, job: ExportJob, documents: list[epub.EpubHtml]) -> None:
    """Reading order, table of contents (nav and NCX) and landmarks."""
    exercises = [doc for doc in documents if doc.file_name.startswith("exercise-")]
    book.toc = [
        epub.Link(doc.file_name, _toc_title(doc, exercises), doc.id) for doc in documents[1:]
    ]
    labels = job.renderer.labels(job.booklet.language)
    book.guide = [
        {"type": "cover", "href": documents[0].file_name, "title": labels["cover"]},
        {"type": "text", "href": documents[1].file_name, "title": labels["start"]},
    ]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = documents


def stable_identifier(booklet: Booklet) -> str:
    """The same title and author always give the same identifier, so e-readers see a
    rebuilt EPUB as a new edition of the same book rather than a different book."""
    return "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"booklet:{booklet.title}\n{booklet.author.name}")
    )


def _document(
    job: ExportJob,
    page: Page,
    root: etree._Element,
    starts: dict[str, int],
    placed: list[tuple[int, str]],
) -> epub.EpubHtml:
    """One part as an EPUB content document, with page-break markers where pages of
    the handout begin; `placed` collects (page, href) for the page-list."""
    file_name = f"{page.id}.xhtml"
    document = epub.EpubHtml(
        uid=page.id, file_name=file_name, title=page.title, lang=job.booklet.language
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


def _toc_title(document: epub.EpubHtml, exercises: list[epub.EpubHtml]) -> str:
    if document in exercises:
        return f"{exercises.index(document) + 1}. {document.title}"
    return document.title


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
    path: Path,
    booklet: Booklet,
    pages: list[tuple[int, str]],
    landmarks: list[tuple[str, str, str]],
) -> None:
    """Rewrite the archive: the navigation document gets the page-list and the back
    matter landmark (ebooklib writes neither), and every entry fixed timestamps and a
    stable order, `mimetype` first and stored, so the same source gives the same bytes."""
    stamp = max(booklet.modified.timetuple()[:6], ZIP_EPOCH)  # zip cannot store dates before 1980
    with zipfile.ZipFile(path) as original:
        entries = {info.filename: original.read(info) for info in original.infolist()}
    nav = next(name for name in entries if name.endswith("/nav.xhtml"))
    entries[nav] = finish_navigation(entries[nav], pages, landmarks)
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
    path.write_bytes(buffer.getvalue())
