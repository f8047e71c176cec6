"""Word (.docx) and LibreOffice (.odt) documents into the intermediate form.

.docx goes through mammoth (Word to clean HTML, by paragraph style: Title,
Heading 1-6, lists, bold and italic), then the same HTML reading as everything
else. .odt goes through odfdo's Markdown export, then the Markdown path. Both are
checked as zip archives before anything is unpacked (archive.py). Images stay in
memory until the draft is written; an image the document only links to (a file on
the author's disk, a web address) is never opened.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.parsers.expat import ExpatError

import lxml.html
from lxml import etree

from booklet.errors import SourceError
from booklet.importer.archive import open_archive, read_xml
from booklet.importer.document import Article, EmbeddedImage, squeeze
from booklet.importer.html_blocks import blocks_from_html
from booklet.importer.languages import language_tag
from booklet.slugs import slug

DOCX_FIX = "open it in Word or LibreOffice and save it again as .docx"
ODT_FIX = "open it in LibreOffice and save it again as .odt"
NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
# Word's own styles for a title; the rest of mammoth's default map stays.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Titre'] => h1:fresh
p[style-name='Titel'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
"""
_IMAGE_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
}
_PLACEHOLDER_TITLES = re.compile(r"^(?:document\s*\d*|untitled|microsoft word - .*|doc\d+)$", re.I)


def read_docx(path: Path) -> Article:
    import mammoth  # only for Word documents

    with open_archive(path, "Word document (.docx)", DOCX_FIX) as archive:
        if "word/document.xml" not in archive.namelist():
            raise SourceError(path, f"is a zip archive but not a Word document; {DOCX_FIX}")
        core = read_xml(archive, "docProps/core.xml")
        styles = read_xml(archive, "word/styles.xml")
        data = path.read_bytes()
    article = Article(path=path, kind="Word document", blocks=[])
    images = _ImageCatcher(article, slug(path.stem, "image"))
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(images),
            external_file_access=False,  # a linked image is never opened or fetched
        )
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as err:
        raise SourceError(path, f"is damaged ({err}); {DOCX_FIX}") from None
    except ExpatError as err:  # mammoth reads the parts with the standard library's parser
        raise SourceError(
            path, f"is damaged (a part of it is not valid XML: {err}); {DOCX_FIX}"
        ) from None
    html = lxml.html.fragment_fromstring(result.value or "", create_parent="div")
    article.blocks = blocks_from_html(html)
    if core is not None:
        article.title = _text(core, "dc:title")
        article.author = _text(core, "dc:creator")
        article.author_from = "the document's author" if article.author else ""
        article.language = language_tag(_text(core, "dc:language") or "")
    if not article.language and styles is not None:
        lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        if lang is not None:
            article.language = language_tag(lang.get(f"{{{NS['w']}}}val", ""))
    article.language_from = "the document's language" if article.language else ""
    if article.title and _PLACEHOLDER_TITLES.match(article.title):
        article.title = None
    return article


class _ImageCatcher:
    """mammoth calls this for every image: keep its bytes under a name of our own."""

    def __init__(self, article: Article, stem: str):
        self.article = article
        self.stem = stem

    def __call__(self, image) -> dict[str, str]:
        extension = _IMAGE_EXTENSIONS.get(image.content_type or "")
        name = f"{self.stem}-{len(self.article.embedded) + 1}{extension or ''}"
        try:
            with image.open() as file:
                data = file.read()
        except (OSError, ValueError):  # a linked image: external access is off
            return {"src": "linked:" + name}
        self.article.embedded["embedded:" + name] = EmbeddedImage(name, data)
        return {"src": "embedded:" + name}


def read_odt(path: Path) -> Article:
    import odfdo  # only for OpenDocument files

    from booklet.importer.markdown_in import blocks_from_markdown

    with open_archive(path, "LibreOffice document (.odt)", ODT_FIX) as archive:
        names = set(archive.namelist())
        mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
        if mimetype != b"application/vnd.oasis.opendocument.text" or "content.xml" not in names:
            raise SourceError(path, f"is a zip archive but not an OpenDocument text; {ODT_FIX}")
        manifest = read_xml(archive, "META-INF/manifest.xml")
        if manifest is not None and manifest.find(".//manifest:encryption-data", NS) is not None:
            raise SourceError(path, f"is encrypted; remove the password, then {ODT_FIX}")
        pictures = {
            name: archive.read(name)
            for name in names
            if name.startswith("Pictures/") and not name.endswith("/")
        }
        meta = read_xml(archive, "meta.xml")
        styles = read_xml(archive, "styles.xml")
    try:
        markdown = odfdo.Document(str(path)).to_markdown()
    except (KeyError, ValueError, TypeError, AttributeError, etree.XMLSyntaxError) as err:
        raise SourceError(path, f"is damaged ({err}); {ODT_FIX}") from None
    blocks = blocks_from_markdown(markdown, path, lines_are_the_file=False)
    article = Article(path=path, kind="LibreOffice document", blocks=blocks)
    stem = slug(path.stem, "image")
    for block in article.blocks:
        if block.kind == "image" and block.src in pictures:
            name = f"{stem}-{len(article.embedded) + 1}"  # LibreOffice names them by hash
            article.embedded[block.src] = EmbeddedImage(name, pictures[block.src])
            if block.alt == "image":  # odfdo's word for an image without a title
                block.alt = ""
    if meta is not None:
        article.title = _text(meta, ".//dc:title")
        article.author = _text(meta, ".//dc:creator") or _text(meta, ".//meta:initial-creator")
        article.author_from = "the document's author" if article.author else ""
        article.language = language_tag(_text(meta, ".//dc:language") or "")
    if not article.language and styles is not None:
        props = styles.find(".//style:default-style/style:text-properties", NS)
        if props is not None:
            language = props.get(f"{{{NS['fo']}}}language")
            country = props.get(f"{{{NS['fo']}}}country")
            if language:
                article.language = language_tag(
                    language + (f"-{country}" if country and country.lower() != "none" else "")
                )
    article.language_from = "the document's language" if article.language else ""
    return article


def _text(root: etree._Element, path: str) -> str | None:
    element = root.find(path if path.startswith(".") else f"./{path}", NS)
    if element is None or not element.text:
        return None
    return squeeze(element.text) or None
