"""booklet: one Markdown article in, a print-ready PDF handout and an EPUB out."""

__version__ = "0.1.0"
