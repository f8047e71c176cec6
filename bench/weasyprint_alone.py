#!/usr/bin/env python3
"""WeasyPrint alone on a handout's pages: how much of a build is WeasyPrint's own work.

`record SOURCE PROJECT FOLDER` builds SOURCE's handout PDF once, in this process,
and writes down what booklet asked WeasyPrint for: each document it laid out (its
HTML and the text of its stylesheets, in order) and every file WeasyPrint fetched
(fonts, figures). `replay FOLDER PDF`, in a fresh process, does that work and no
other: WeasyPrint imported as booklet imports it, the same documents laid out with
the same stylesheets and fonts, their pages joined into one PDF and written. No
Markdown, no templates, no pagination, no EPUB. bench/run.py times `replay` beside
our builds and the reference: what is left between it and our build is booklet's
own work, and it is the least time a build of those pages can take in one process.
Run on a filled cache (the build lays each part out once, as a timed build does).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def record(source: Path, project: Path, folder: Path) -> None:
    from booklet import cli
    from booklet.export.engine import URLFetcher, URLFetcherResponse, weasyprint

    documents, files = [], {}
    html_init, css_init = weasyprint.HTML.__init__, weasyprint.CSS.__init__
    render, fetched = weasyprint.HTML.render, URLFetcher.__call__

    def html_kept(self, *args, string=None, **kwargs):
        html_init(self, *args, string=string, **kwargs)
        self.bench_string = string

    def css_kept(self, *args, string=None, **kwargs):
        css_init(self, *args, string=string, **kwargs)
        self.bench_string = string

    def render_kept(self, *args, stylesheets=(), **kwargs):
        documents.append([self.bench_string, [sheet.bench_string for sheet in stylesheets]])
        return render(self, *args, stylesheets=stylesheets, **kwargs)

    def fetch_kept(self, url):
        response = fetched(self, url)
        body = response.read()
        files.setdefault(url, (response.content_type, body))
        return URLFetcherResponse(url, body=body, headers=response.headers)

    weasyprint.HTML.__init__, weasyprint.CSS.__init__ = html_kept, css_kept
    weasyprint.HTML.render, URLFetcher.__call__ = render_kept, fetch_kept
    out = folder / "built"
    code = cli.main([str(source), "--project", str(project), "--out", str(out), "--format", "pdf"])
    if code:
        raise SystemExit(f"the build of {source} failed: exit {code}")
    names = {}
    for number, (url, (media_type, body)) in enumerate(files.items()):
        names[url] = [f"file-{number}", media_type]
        (folder / f"file-{number}").write_bytes(body)
    (folder / "documents.json").write_text(json.dumps({"documents": documents, "files": names}))


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
    first_html = recorded["documents"][0][0]
    language = first_html.split('lang="', 1)[1].split('"', 1)[0] if 'lang="' in first_html else "en"
    engine.hyphenation_for(language)
    base = "file:///booklet-assets/"
    for html, stylesheets in recorded["documents"]:
        for text in stylesheets:  # parsed once each, as the typesetter keeps them
            if text not in sheets:
                sheets[text] = weasyprint.CSS(
                    string=text, base_url=base, url_fetcher=fetcher, font_config=fonts
                )
        page = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
        documents.append(
            page.render(stylesheets=[sheets[text] for text in stylesheets], font_config=fonts)
        )
    joined = documents[0].copy([page for document in documents for page in document.pages])
    engine.write_pdf(joined, target)
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
