"""`make-booklet import`: an article someone already has, turned into a draft source.

    input file ──read (webpage / documents / markdown_in / text)──▶ Article (document.py)
        ──recognise (title, byline, disclaimer, cover; structure: sections, exercises)──▶ Draft
        ──draft (front matter + Markdown), figures (images/)──▶ source/NAME.md + images
        ──report──▶ what it decided

Every reader fills the same plain Article, so everything after reading is the same
for a web page, a Word document, Markdown and scraped text. The author's words are
kept as written; only clutter is dropped, and the report lists what was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from booklet.errors import SourceError, UsageError
from booklet.importer.document import Article

# Suffix -> (reader module, function). Imported only when used.
READERS: dict[str, tuple[str, str]] = {
    ".html": ("booklet.importer.webpage", "read_web_page"),
    ".htm": ("booklet.importer.webpage", "read_web_page"),
    ".xhtml": ("booklet.importer.webpage", "read_web_page"),
    ".docx": ("booklet.importer.documents", "read_docx"),
    ".odt": ("booklet.importer.documents", "read_odt"),
    ".txt": ("booklet.importer.text", "read_text"),
    ".text": ("booklet.importer.text", "read_text"),
    "": ("booklet.importer.text", "read_text"),
    ".md": ("booklet.importer.markdown_in", "read_markdown"),
    ".markdown": ("booklet.importer.markdown_in", "read_markdown"),
}
OLD_FORMATS = {
    ".doc": "an old Word document; save it as .docx (Word: File > Save As) and import that",
    ".rtf": "an RTF document; save it as .docx and import that",
    ".pages": "a Pages document; export it as Word (.docx) and import that",
    ".pdf": "a PDF; copy its text into a .txt file and import that",
    ".mhtml": "a single-file web archive; save the page as 'Web Page, complete' (.html)",
    ".mht": "a single-file web archive; save the page as 'Web Page, complete' (.html)",
}
KINDS = (
    "a saved web page (.html, .htm), a Word or LibreOffice document (.docx, .odt), "
    "text (.txt) or Markdown (.md)"
)


def reader_for(path: Path) -> Callable[[Path], Article]:
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS:
        raise SourceError(path, f"is {OLD_FORMATS[suffix]}")
    if suffix not in READERS:
        raise UsageError(f"{path}: cannot import '{suffix}' files; give {KINDS}")
    import importlib

    module, function = READERS[suffix]
    return getattr(importlib.import_module(module), function)


@dataclass
class Imported:
    out: Path
    report: list[str]


def import_article(
    path: Path,
    out: Path | None,
    language: str | None = None,
    force: bool = False,
    show_dropped: bool = False,
) -> Imported:
    """Read `path`, write the draft (at `out`, or source/NAME.md) and its images."""
    from booklet.importer.draft import draft_text
    from booklet.importer.figures import Figures, ImagePlace
    from booklet.importer.recognise import recognise
    from booklet.importer.report import report_lines
    from booklet.importer.writing import write_all

    if out is not None and out.exists() and not out.is_dir() and not force:
        raise _exists(out)
    article = reader_for(path)(path)
    draft = recognise(article, language)
    out = _output_path(out, draft.title, path)
    if out.exists() and not force:
        raise _exists(out)
    if out.exists() and not out.is_file():
        raise UsageError(f"{out} is not a file; give a file name with -o")
    figures = Figures(article, ImagePlace.for_draft(out))
    text = draft_text(draft, figures)
    write_all(out, text, figures, force)
    return Imported(out, report_lines(article, draft, figures, out, show_dropped))


def _exists(out: Path) -> UsageError:
    return UsageError(f"{out} exists; give another name with -o, or --force to replace it")


def _output_path(out: Path | None, title: str | None, path: Path) -> Path:
    if out is not None and not out.is_dir():
        return out if out.suffix else out.with_suffix(".md")
    from booklet.slugs import slug

    name = slug(title or "", "") or slug(path.stem, "draft")
    return (out if out is not None else Path("source")) / f"{name}.md"
