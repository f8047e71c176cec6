"""Hostile and odd input: every source builds safely or fails with one clear line."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from typing import ClassVar

import pypdfium2
import pytest
from lxml import etree

from booklet.images import clean_svg
from tests.helpers import ROOT, Epub, Pdf, minimal_source, run, write_source

SVG_NS = {"s": "http://www.w3.org/2000/svg"}
TINY_PNG = (  # one white pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAsTj2FAAAAABJRU5ErkJggg=="
)


# ---- SVG cleaning ----

HOSTILE_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="100" height="50" onload="alert(1)">
  <script>alert(2)</script>
  <style>@import url(http://evil.example/x.css);
    .a { fill: url(#grad); background: url(http://evil.example/b.png) }</style>
  <defs><linearGradient id="grad"/></defs>
  <image href="http://evil.example/track.png" width="10" height="10"/>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <image href="data:image/png;base64,TINY_PNG" width="10" height="10"/>
  <use href="#grad"/>
  <a href="javascript:alert(3)"><rect width="10" height="10" onclick="x()"/></a>
  <foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="http://evil.example"/></foreignObject>
  <rect style="fill: red; background-image: url('http://evil.example/c.png')" width="5" height="5"/>
</svg>""".replace(b"TINY_PNG", TINY_PNG.encode())


def test_svg_scripts_handlers_and_outside_references_are_removed():
    cleaned = clean_svg(HOSTILE_SVG, "x.svg")
    text = cleaned.decode()
    for gone in [
        "script",
        "onload",
        "onclick",
        "evil.example",
        "file:",
        "javascript:",
        "foreignObject",
        "iframe",
        "@import",
    ]:
        assert gone not in text, gone
    root = etree.fromstring(cleaned)
    assert root.find("s:use", SVG_NS).get("href") == "#grad", "references inside the SVG stay"
    hrefs = [i.get("href") for i in root.iterfind("s:image", SVG_NS)]
    assert f"data:image/png;base64,{TINY_PNG}" in hrefs, "inline raster data stays"
    assert "url(#grad)" in text


def test_svg_entities_are_never_expanded():
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/hostname">'
        b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;&b;</text></svg>'
    )
    cleaned = clean_svg(xxe, "x.svg")
    host = Path("/etc/hostname").read_bytes().strip()
    assert host not in cleaned
    assert b"aaaaaaaaaa" not in cleaned


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        (
            "broken.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>",
            "is not a valid SVG file",
        ),
        ("html.svg", b"<html><body>hi</body></html>", "is not an SVG image"),
        ("fake.png", b"this is text, not a PNG", "cannot be read as an image"),
    ],
)
def test_images_that_are_not_what_they_claim(project, tmp_path, name, data, words):
    (project / "source").mkdir(parents=True)
    (project / "source" / name).write_bytes(data)
    source = write_source(project / "source", minimal_source(f"### One\n\n![A figure.]({name})\n"))
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 2
    assert result.err.startswith(f"error: {source}:10: ")
    assert words in result.err


# ---- links and raw HTML ----


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "file:///etc/passwd", "other.md", "#top", "data:text/html,<b>x</b>"],
)
def test_links_must_be_web_or_mail_addresses(project, tmp_path, link):
    source = write_source(project / "source", minimal_source(f"### One\n\nSee [here]({link}).\n"))
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 2
    assert f":10: link '{link}' is not a web or mail address" in result.err


def test_web_and_mail_links_work_in_both_outputs(project, tmp_path):
    source = write_source(
        project / "source",
        minimal_source(
            "### One\n\nAsk [the clinic](https://clinic.example/) "
            "or <mailto:desk@clinic.example>.\n"
        ),
    )
    assert run(source, "--out", tmp_path, "--project", project).code == 0
    annotations = Pdf(tmp_path / "test.pdf").reader.pages[2].get("/Annots")
    uris = [a.get_object()["/A"]["/URI"] for a in annotations]
    assert "https://clinic.example/" in uris
    assert b'href="https://clinic.example/"' in Epub(tmp_path / "test.epub").read(
        "exercise-1.xhtml"
    )


# ---- nothing leaves the machine ----


class _Counter(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self):
        _Counter.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Counter.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_remote_references_reach_no_server(project, tmp_path, server):
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30">'
        f"<style>@import url({server}/style.css);</style>"
        f'<image href="{server}/svg-image.png" width="10" height="10"/>'
        f'<rect width="60" height="30" style="fill: url({server}/fill)"/></svg>'
    )
    (project / "images" / "remote.svg").write_text(svg)
    source = write_source(
        project / "source",
        minimal_source(
            f'Intro <iframe src="{server}/iframe"></iframe> and <img src="{server}/raw.png">.\n\n'
            f'<script src="{server}/script.js"></script>\n\n'
            f'### One\n\n![A figure.](remote.svg)\n\n<object data="{server}/object"></object>\n'
        ),
    )
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 0, result.err
    assert _Counter.requests == []
    epub = Epub(tmp_path / "test.epub")
    everything = b"".join(epub.zip.read(name) for name in epub.zip.namelist())
    for href in epub.spine_hrefs():  # the address may show as text, never as a reference
        for element in epub.xhtml(href).iter():
            assert not any(server in value for value in element.attrib.values()), href
    assert b"<iframe" not in everything and b"<script" not in everything
    pdf_text = " ".join(Pdf(tmp_path / "test.pdf").pages)
    assert "<iframe" in pdf_text, "raw HTML is shown as text, harmless"


def test_a_remote_image_is_an_error_and_not_fetched(project, tmp_path, server):
    source = write_source(
        project / "source", minimal_source(f"### One\n\n![A figure.]({server}/a.png)\n")
    )
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 2 and "is not a local file" in result.err
    assert _Counter.requests == []


# ---- decoding, YAML, size ----


def test_yaml_alias_bomb_is_refused(project, tmp_path):
    bomb = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n---\n"
    )
    source = write_source(project / "source", bomb)
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 2
    assert "alias" in result.err


def test_an_oversized_source_is_refused(project, tmp_path):
    source = write_source(project / "source", minimal_source("### One\n\n" + "word " * 500_000))
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 2
    assert "a source is text and stays under 2048 KB" in result.err


# ---- layout safety ----


def test_long_words_and_urls_wrap_inside_the_page(project, tmp_path):
    long_word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
    url = "https://example.org/" + "very-long-path-segment/" * 8
    source = write_source(
        project / "source",
        minimal_source(f"### {long_word}\n\n{long_word} and <{url}> and {long_word}.\n"),
    )
    assert run(source, "--out", tmp_path, "--project", project, "--format", "pdf").code == 0
    document = pypdfium2.PdfDocument(str(tmp_path / "test.pdf"))
    try:
        for page in document:
            width = page.get_width()
            text = page.get_textpage()
            rights = [text.get_charbox(i)[2] for i in range(text.count_chars())]
            assert max(rights, default=0) < width - 0.5 * 72, "text stays inside the margin"
    finally:
        document.close()


def test_characters_the_fonts_lack_are_named(project, tmp_path):
    source = write_source(project / "source", minimal_source("### Привет\n\n你好 ✓ ანა\n"))
    result = run(source, "--out", tmp_path, "--project", project, "--format", "epub")
    assert result.code == 0
    # Cyrillic and the check mark are in the fallback fonts; Chinese and Georgian not.
    assert "have no glyphs for 你好ან (U+4F60, U+597D," in result.err
    strict = run(source, "--out", tmp_path, "--project", project, "--format", "epub", "--strict")
    assert strict.code == 2


def test_duplicate_exercise_names_get_their_own_pages_and_files(project, tmp_path):
    source = write_source(
        project / "source", minimal_source("### Plank\n\nA.\n\n### Plank\n\nB.\n")
    )
    assert run(source, "--out", tmp_path, "--project", project).code == 0
    pdf = Pdf(tmp_path / "test.pdf")
    assert [title for title, _ in pdf.bookmarks()].count("Plank") == 2
    assert pdf.page_of("EXERCISE 2 OF 2") == pdf.page_of("EXERCISE 1 OF 2") + 1
    epub = Epub(tmp_path / "test.epub")
    assert {"exercise-1.xhtml", "exercise-2.xhtml"} <= set(epub.spine_hrefs())


# ---- nothing lost ----


def test_two_builds_into_one_folder_at_once_leave_whole_files(project, tmp_path):
    source = write_source(project / "source", minimal_source())
    tmp_path = tmp_path / "out"
    command = [
        sys.executable,
        str(ROOT / "make_booklet.py"),
        str(source),
        "--out",
        str(tmp_path),
        "--project",
        str(project),
    ]
    builds = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
    ]
    for build in builds:
        _, err = build.communicate(timeout=120)
        assert build.returncode == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test.epub", "test.pdf"]
    assert len(Pdf(tmp_path / "test.pdf").pages) == 6
    assert zipfile.ZipFile(tmp_path / "test.epub").testzip() is None


# ---- scale ----


def test_three_hundred_exercises(project, tmp_path):
    body = "## Many\n\n" + "".join(
        f"### Move {n}\n\n![A runner on their back.](piriformis.svg)\n\nDo move {n} ten times.\n\n"
        for n in range(1, 301)
    )
    source = write_source(project / "source", minimal_source(body))
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 0 and result.err == ""
    pdf = Pdf(tmp_path / "test.pdf")
    assert pdf.text(pdf.page_of("EXERCISE 300 OF 300")).endswith(
        "Do move 300 ten times. A test handout page "
        f"{pdf.page_of('EXERCISE 300 OF 300')} of {len(pdf.pages)} 300"  # its numeral last
    )
    assert len(pdf.pages) % 2 == 0
    assert len(pdf.bookmarks()) >= 300
    epub = Epub(tmp_path / "test.epub")
    assert sum(h.startswith("exercise-") for h in epub.spine_hrefs()) == 300


# ---- found by trying hostile sources by hand ----


def test_deep_nesting_is_a_clear_error(project, tmp_path):
    source = write_source(project / "source", minimal_source("### One\n\n" + ">" * 500 + " deep\n"))
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 2
    assert (
        result.err
        == f"error: {source}:10: lists or quotes are nested more than 40 deep; flatten them\n"
    )


def test_image_names_with_spaces_and_accents(project, tmp_path):
    (project / "source").mkdir(parents=True)
    (project / "source" / "mon étirement 1.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">'
        '<rect width="5" height="5"/></svg>'
    )
    source = write_source(
        project / "source",
        minimal_source('### One\n\n![A stretch.](mon%20étirement%201.svg "a title")\n\nA.\n'),
    )
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 0, result.err
    epub = Epub(tmp_path / "test.epub")
    assert "images/mon-etirement-1.png" in {i.get("href") for i in epub.manifest.values()}


def test_utf16_says_so(project, tmp_path):
    source = project / "source" / "wide.md"
    source.parent.mkdir(parents=True)
    source.write_bytes(minimal_source().encode("utf-16"))
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.err == f"error: {source}:1: is saved as UTF-16; save it as UTF-8 instead\n"


def test_character_references_xml_cannot_hold_are_errors_with_their_line(project, tmp_path):
    """&#x0B; passes through Markdown as written, and would make the EPUB malformed;
    in code it is text, shown as written."""
    body = "Fine `&#x0B;` in code.\n\n### One\n\nBad &#x0B; here, &#12; too, &#x1F600; fine.\n"
    source = write_source(project / "source", minimal_source(body))
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"error: {source}:12: &#x0B; stands for a character that cannot be shown (U+000B); "
        "delete it",
        f"error: {source}:12: &#12; stands for a character that cannot be shown (U+000C); "
        "delete it",
    ]
    assert not (tmp_path / "out").exists()


def test_pages_of_text_are_not_laid_out_again_and_the_warning_says_how_far(project, tmp_path):
    source = write_source(
        project / "source",
        minimal_source(
            "### Endless\n\n![A pose.](piriformis.svg)\n\n"
            + "Breathe in and out slowly. " * 900
            + "\n"
        ),
    )
    result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
    assert result.code == 0
    assert "exercise 1 'Endless' does not fit on one page (it runs onto " in result.err
    assert "smaller figure" not in result.err, "shrinking the figure was not tried: it cannot help"


def test_tables(project, tmp_path):
    source = write_source(
        project / "source",
        minimal_source(
            "### One\n\n| Week | Sets | Reps |\n|---|---|---|\n| 1 | 2 | 10 |\n| 2 | 3 | 12 |\n"
        ),
    )
    assert run(source, "--out", tmp_path, "--project", project).code == 0
    assert "Week Sets Reps 1 2 10 2 3 12" in Pdf(tmp_path / "test.pdf").text(3)
    table = Epub(tmp_path / "test.epub").xhtml("exercise-1.xhtml").find(".//{*}table")
    assert table is not None and len(table.findall(".//{*}td")) == 6
