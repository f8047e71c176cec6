#!/usr/bin/env python3
"""WeasyPrint alone on a handout's pages: how much of a build is WeasyPrint's own work.

`record SOURCE PROJECT FOLDER` builds SOURCE's handout PDF once, in this process,
and writes down what booklet asked WeasyPrint for: each document it laid out (its
HTML and the text of its stylesheets, in order) and every file WeasyPrint fetched
(fonts, figures). `replay FOLDER PDF`, in a fresh process, does that work and no
other: WeasyPrint imported as booklet imports it, the same documents laid out with
the same stylesheets and fonts, their pages joined into one PDF (in the order
they were laid out, not the book's: the same pages to draw) and written. No
Markdown, no templates, no pagination, no EPUB. bench/run.py times `replay` beside
our builds and the reference: what is left between it and our build is booklet's
own work, and it is the least time a build of those pages can take in one process.
Record on a cache an earlier build of the source has filled: then the build lays
each part out once, as a timed build does. Without the page counts kept there it
lays some parts out twice, and `replay` refuses a recording whose pages are not
those of the PDF the build wrote.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def record(source: Path, project: Path, folder: Path) -> None:
    import pypdf

    from booklet import cli
    from booklet.export import engine
    from booklet.export.engine import URLFetcher, URLFetcherResponse, weasyprint
    from booklet.export.typesetter import ASSET_BASE

    documents, files, languages = [], {}, []
    html_init, css_init = weasyprint.HTML.__init__, weasyprint.CSS.__init__
    render, fetched = weasyprint.HTML.render, URLFetcher.__call__
    hyphenation = engine.hyphenation_for

    def html_kept(self, *args, string=None, **kwargs):
        if string is None:
            raise SystemExit("booklet gave WeasyPrint a document that is not a string")
        html_init(self, *args, string=string, **kwargs)
        self.bench_string = string

    def css_kept(self, *args, string=None, **kwargs):
        css_init(self, *args, string=string, **kwargs)
        self.bench_string = string

    def render_kept(self, *args, stylesheets=(), **kwargs):
        if args:
            raise SystemExit("booklet gave HTML.render arguments by position")
        documents.append([self.bench_string, [sheet.bench_string for sheet in stylesheets]])
        return render(self, *args, stylesheets=stylesheets, **kwargs)

    def fetch_kept(self, url):
        response = fetched(self, url)
        body = response.read()
        files.setdefault(url, (response.content_type, body))
        return URLFetcherResponse(url, body=body, headers=response.headers)

    weasyprint.HTML.__init__, weasyprint.CSS.__init__ = html_kept, css_kept
    weasyprint.HTML.render, URLFetcher.__call__ = render_kept, fetch_kept
    engine.hyphenation_for = lambda language: languages.append(language) or hyphenation(language)
    out = folder / "built"
    code = cli.main([str(source), "--project", str(project), "--out", str(out), "--format", "pdf"])
    if code:
        raise SystemExit(f"the build of {source} failed: exit {code}")
    (built,) = out.glob("*.pdf")
    pages = len(pypdf.PdfReader(built).pages)
    names = {}
    for number, (url, (media_type, body)) in enumerate(files.items()):
        names[url] = [f"file-{number}", media_type]
        (folder / f"file-{number}").write_bytes(body)
    recording = {
        "documents": documents,
        "files": names,
        "pages": pages,
        "languages": languages,
        "base": ASSET_BASE,  # what relative URLs resolve against
    }
    (folder / "documents.json").write_text(json.dumps(recording))


def replay(folder: Path, target: Path) -> None:
    from booklet.export import engine
    from booklet.export.engine import URLFetcher, URLFetcherResponse, weasyprint

    recorded = json.loads((folder / "documents.json").read_text())
    files = recorded["files"]

    class Recorded(URLFetcher):
        def fetch(self, url, headers=None):
            name, media_type = files[url]
            body = (folder / name).read_bytes()
            return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})

    fetcher, fonts, sheets, documents = Recorded(), engine.FontConfiguration(), {}, []
    for language in dict.fromkeys(recorded["languages"]):
        engine.hyphenation_for(language)
    base = recorded["base"]
    for html, stylesheets in recorded["documents"]:
        for text in stylesheets:  # parsed once each, as the typesetter keeps them
            if text not in sheets:
                sheets[text] = weasyprint.CSS(
                    string=text, base_url=base, url_fetcher=fetcher, font_config=fonts
                )
        document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
        documents.append(
            document.render(stylesheets=[sheets[text] for text in stylesheets], font_config=fonts)
        )
    joined = documents[0].copy([page for document in documents for page in document.pages])
    if len(joined.pages) != recorded["pages"]:
        raise SystemExit(
            f"{folder}: the recording lays out {len(joined.pages)} pages for a PDF of "
            f"{recorded['pages']}; record it on a cache an earlier build of the source filled"
        )
    engine.write_pdf(joined, target, pdf_tags=True)  # tagged, as every PDF booklet writes
    print(len(joined.pages))
    sys.stdout.flush()
    os._exit(0)  # as booklet's own command leaves: without the interpreter's teardown


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) == 5 and sys.argv[1] == "record":
        record(*map(Path, sys.argv[2:]))
    elif len(sys.argv) == 4 and sys.argv[1] == "replay":
        replay(*map(Path, sys.argv[2:]))
    else:
        raise SystemExit(__doc__)
