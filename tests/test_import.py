"""`make-booklet import`: articles people already have, turned into sources that build.

Each kind of input is imported into a project of its own, then built unedited, and
the outputs are read back: the exercises, the author, the disclaimer on the back
cover, every sentence of the article, and none of the page around it.
"""

from __future__ import annotations

import http.server
import re
import shutil
import threading
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from tests.helpers import OUR_SOURCE, TEST_SOURCES, Epub, Pdf, run, run_within

# Our first article as scraped from its web page (a copy of ../shared/seed/), clutter and all.
SEED = TEST_SOURCES / "import" / "article-as-scraped.txt"
PAGE = Path(__file__).resolve().parent / "sources" / "import"
EXERCISES = ["Piriformis stretch", "Clamshells", "Glute bridges", "Donkey kicks", "Deadlifts"]
# What the scraped page carried around the article (seed file, line by line).
SEED_CLUTTER = [
    "Icons caret-sm-white",
    "caret-sm-white",
    "circle-drag",
    "United States Flag",
    "English Change",
    "Down Arrow",
    "Placeholder for inline image",
    "Written By",
    "Tonya Russell with her hands on her hips",
    "Two runners chat",
]
PAGE_CLUTTER = [
    "cookies",
    "Accept all",
    "Privacy policy",
    "Runner's Corner",
    "Nutrition",
    "Home \u203a Training",
    "4 min read",
    "Share on Facebook",
    "Tweet",
    "Advertisement",
    "newsletter",
    "weekly training tips",
    "Related articles",
    "Five foam roller moves",
    "3 comments",
    "Great article",
    "pigeon pose every morning",
    "All rights reserved",
    "About us",
    "tracked",
]


def import_(*args: str | Path):
    return run("import", *args)


def build(source: Path, out: Path, project: Path):
    result = run(source, "--out", out, "--project", project)
    assert result.code == 0, result.err
    assert result.err == "", "a clean build prints no warnings"
    return Pdf(out / f"{source.stem}.pdf"), Epub(out / f"{source.stem}.epub")


def flat(text: str) -> str:
    """Text as a reader sees it, whichever quotes and spaces the typesetter chose."""
    text = text.translate({0x2019: "'", 0x2018: "'", 0x201C: '"', 0x201D: '"', 0x2014: "--"})
    return " ".join(text.split())


def pdf_text(pdf: Pdf) -> str:
    return flat(" ".join(pdf.pages))


def epub_text(epub: Epub) -> str:
    return flat(" ".join(epub.text(href) for href in epub.spine_hrefs()))


def sentences(markdown: str) -> list[str]:
    """The sentences of Markdown prose (headings, figures and rules left aside)."""
    kept = [
        line
        for line in markdown.split("\n")
        if not line.startswith(("#", "![", "---")) and line.strip()
    ]
    prose = flat(" ".join(kept))
    return [s for s in re.split(r"(?<=[.!?)])\s+(?=[A-Z])", prose) if s]


def front_and_body(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


# ---- our own article, as it was scraped ----


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> dict:
    project = tmp_path_factory.mktemp("seed-project")
    draft = project / "source" / "hamstrings.md"
    result = import_(SEED, "-o", draft)
    assert result.code == 0, result.err
    pdf, epub = build(draft, project / "build", project)
    return {"result": result, "draft": draft, "pdf": pdf, "epub": epub, "project": project}


def test_the_scraped_article_builds_with_its_five_exercises(seed):
    report = seed["result"].out
    for number, name in enumerate(EXERCISES, start=1):
        assert f"  {number}. {name}\n" in report
    pdf: Pdf = seed["pdf"]
    bookmarks = [title for title, _ in pdf.bookmarks()]
    assert [b for b in bookmarks if b in EXERCISES] == EXERCISES
    for number, name in enumerate(EXERCISES, start=1):
        assert name in pdf.text(pdf.page_of(f"EXERCISE {number} OF 5"))
    chapters = [h for h in seed["epub"].spine_hrefs() if h.startswith("exercise-")]
    assert len(chapters) == 5


def test_the_author_and_bio_come_from_the_written_by_block(seed):
    front, _ = front_and_body(seed["draft"])
    assert front["author"]["name"] == "Tonya Russell"
    assert front["author"]["bio"].startswith("I\u2019m a journalist, fit chick")
    assert "photo" not in front["author"], "no photo of a real person without its file"
    pdf: Pdf = seed["pdf"]
    assert "Tonya Russell" in pdf.text(1)
    closing = pdf.page_of("Eagles fan, not a Giants fan")
    assert "I\u2019m a journalist" in pdf.text(closing) or "I'm a journalist" in pdf.text(closing)
    assert "author: Tonya Russell (from the 'Written By' block), with a bio" in seed["result"].out


def test_the_disclaimer_is_on_the_back_cover_and_last_in_the_epub(seed):
    pdf: Pdf = seed["pdf"]
    last = flat(pdf.text(len(pdf.pages)))
    assert "Our writer's advice is intended for informational" in last
    assert len(pdf.pages) % 2 == 0
    epub: Epub = seed["epub"]
    assert "speak with your physician" in epub.text(epub.spine_hrefs()[-1])
    # Moved, not copied: the disclaimer is not also left in the closing text.
    assert pdf_text(pdf).count("Our writer's advice") == 1


def test_every_sentence_of_the_article_is_in_both_outputs(seed):
    front, body = front_and_body(OUR_SOURCE)  # the article as a person cleaned it by hand
    expected = sentences(body) + sentences(front["author"]["bio"])
    expected += sentences(front["disclaimer"])
    assert len(expected) >= 40
    in_pdf, in_epub = pdf_text(seed["pdf"]), epub_text(seed["epub"])
    for sentence in expected:
        assert sentence in in_pdf, sentence
        assert sentence in in_epub, sentence


def test_none_of_the_scraped_page_is_in_the_outputs(seed):
    draft = seed["draft"].read_text(encoding="utf-8")
    in_pdf, in_epub = pdf_text(seed["pdf"]), epub_text(seed["epub"])
    for clutter in SEED_CLUTTER:
        assert clutter not in draft, clutter
        assert clutter not in in_pdf, clutter
        assert clutter not in in_epub, clutter


def test_the_report_says_what_it_left_out(seed):
    report = seed["result"].out
    assert "dropped 6 lines as clutter (--show-dropped lists them)" in report
    assert "the lead image described as 'Two runners chat" in report
    assert "the author's photo described as 'Tonya Russell with her hands on her hips'" in report
    assert "language: en (none given; --language sets it)" in report
    assert "disclaimer: found in the text, by its wording: \"Our writer's advice is" in report


def test_show_dropped_lists_each_line(tmp_path):
    result = import_(SEED, "-o", tmp_path / "a.md", "--show-dropped")
    assert result.code == 0, result.err
    dropped = result.out.split("as clutter:\n", 1)[1].split("\nwrote ", 1)[0].split("\n")
    assert dropped[0].startswith("  line 1: Icons caret-sm-white") and "(icon names)" in dropped[0]
    assert (
        "  line 2: United States Flag United States English Change (a country or language picker)"
        in dropped
    )
    assert "  line 8: Down Arrow (icon names)" in dropped
    assert "  line 24: [Placeholder for inline image below] (a placeholder)" in dropped
    assert len(dropped) == 6


def test_language_option_and_default_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = import_(SEED, "--language", "en_US")
    assert result.code == 0, result.err
    draft = tmp_path / "source" / "5-of-the-best-hamstring-exercises-for-runners.md"
    assert front_and_body(draft)[0]["language"] == "en-US"
    assert f"wrote {Path('source') / draft.name}" in result.out
    again = import_(SEED)
    assert again.code == 2 and "exists; give another name with -o, or --force" in again.err
    bad = import_(SEED, "-o", tmp_path / "b.md", "--language", "English please")
    assert bad.code == 2 and "is not a language tag" in bad.err
    assert not (tmp_path / "b.md").exists()


# ---- a saved web page ----


class _Counter(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self):
        _Counter.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    _Counter.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def web_page(tmp_path_factory, server) -> dict:
    """The saved page (with its folder of files) whose remote parts point at a server
    on this machine that counts what it is asked for."""
    saved = tmp_path_factory.mktemp("downloads")
    shutil.copytree(PAGE / "stiff-hips_files", saved / "stiff-hips_files")
    page = saved / "stiff-hips.html"
    page.write_text((PAGE / "stiff-hips.html").read_text().replace("REMOTE", server))
    project = tmp_path_factory.mktemp("page-project")
    draft = project / "source" / "hips.md"
    result = import_(page, "-o", draft)
    assert result.code == 0, result.err
    pdf, epub = build(draft, project / "build", project)
    return {"result": result, "draft": draft, "pdf": pdf, "epub": epub, "project": project}


def test_a_web_page_builds_with_its_sections_exercises_and_images(web_page):
    report = web_page["result"].out
    assert "title: Three stretches for stiff hips\n" in report
    assert "language: en-GB (the page's lang)" in report
    assert "sections: Before you start; The stretches" in report
    assert 'disclaimer: found in the text, by its wording: "This article is for general' in report
    for name in ["Kneeling hip flexor stretch", "Pigeon pose", "Butterfly stretch"]:
        assert name in report
    front, body = front_and_body(web_page["draft"])
    assert front["cover"] == {
        "image": "hips-lead.png",
        "alt": "A runner kneels in a lunge, stretching the front of the hip.",
    }
    assert "![A runner kneels on one knee" in body and "](hip-flexor.png)" in body
    images = web_page["project"] / "images"
    assert sorted(p.name for p in images.iterdir()) == ["hip-flexor.png", "hips-lead.png"]
    assert (images / "hip-flexor.png").read_bytes() == (
        PAGE / "stiff-hips_files" / "hip-flexor.png"
    ).read_bytes()
    epub: Epub = web_page["epub"]
    figure = epub.xhtml("exercise-1.xhtml").find(".//{http://www.w3.org/1999/xhtml}img")
    assert figure.get("alt").startswith("A runner kneels on one knee")
    numbered = epub.xhtml("exercise-1.xhtml").find(".//{http://www.w3.org/1999/xhtml}ol")
    assert numbered is not None and len(numbered) == 3


def test_a_web_page_keeps_author_bio_and_disclaimer(web_page):
    front, body = front_and_body(web_page["draft"])
    assert front["author"] == {
        "name": "Priya Shah",
        "bio": "Priya Shah is a physiotherapist and ultrarunner based in Leeds.",
    }
    assert front["disclaimer"].startswith("*This article is for general information only")
    assert "general information only" not in body
    pdf: Pdf = web_page["pdf"]
    assert "Consult your doctor before starting" in flat(pdf.text(len(pdf.pages)))


def test_a_web_page_keeps_every_sentence_and_none_of_the_page(web_page):
    in_pdf, in_epub = pdf_text(web_page["pdf"]), epub_text(web_page["epub"])
    article = [
        "Tight hips are the quiet cause of many running niggles.",
        "These three stretches take ten minutes and need nothing but a mat.",
        "Stretch to mild tension, never to pain.",
        "Tuck your pelvis under and shift your weight forward",
        "Hold for 30 seconds.",
        "Keep your hips square and lower yourself as far as is comfortable.",
        "Gently press your knees toward the floor with your elbows.",
        "Do these three stretches after each run, and your hips will thank you.",
    ]
    for sentence in article:
        assert sentence in in_pdf, sentence
        assert sentence in in_epub, sentence
    draft = web_page["draft"].read_text(encoding="utf-8")
    for clutter in PAGE_CLUTTER:
        assert clutter not in draft, clutter
        assert clutter not in in_pdf, clutter
        assert clutter not in in_epub, clutter


def test_a_web_page_runs_nothing_and_fetches_nothing(web_page, server):
    assert _Counter.requests == []
    report = web_page["result"].out
    assert f"image left out: image {server}/butterfly.jpg: on the web, never fetched" in report
    assert "never run: 3 scripts, 1 embedded frame (left out)" in report
    draft = web_page["draft"].read_text(encoding="utf-8")
    assert server not in draft
    epub: Epub = web_page["epub"]
    everything = b"".join(epub.zip.read(name) for name in epub.zip.namelist())
    assert b"<script" not in everything and b"<iframe" not in everything
    assert server.encode() not in everything


# ---- a Word document ----


def make_docx(path: Path, image: Path | None = None) -> Path:
    from docx import Document
    from docx.shared import Inches

    document = Document()
    document.core_properties.author = "Sam Okoro"
    document.add_heading("Knee care for walkers", 0)
    document.add_paragraph(
        "Walking is kind to the knees, but a little strength work makes it kinder still."
    )
    document.add_heading("Why strength matters", 1)
    document.add_paragraph("Strong thighs take load off the knee joint when you walk downhill.")
    document.add_heading("The exercises", 1)
    document.add_heading("Wall sit", 2)
    if image is not None:
        document.add_picture(str(image), width=Inches(2))
        document.inline_shapes[0]._inline.docPr.set(
            "descr", "A walker leans against a wall with knees bent."
        )
    for step in [
        "Lean your back against a wall, feet a step away from it.",
        "Slide down until your knees are bent.",
        "Hold for twenty seconds, then stand up.",
    ]:
        document.add_paragraph(step, style="List Number")
    document.add_heading("Step-ups", 2)
    document.add_paragraph("Step onto a low stair and back down, ten times with each leg.")
    document.add_heading("Calf raises", 2)
    document.add_paragraph("Rise onto your toes, hold for a second, and lower slowly.")
    disclaimer = document.add_paragraph()
    disclaimer.add_run(
        "This handout is for general information only and is not medical advice."
    ).italic = True
    document.save(path)
    return path


@pytest.fixture(scope="module")
def word(tmp_path_factory) -> dict:
    from PIL import Image, ImageDraw

    folder = tmp_path_factory.mktemp("word")
    picture = folder / "wall.png"
    image = Image.new("L", (300, 200), 255)
    ImageDraw.Draw(image).line((40, 180, 150, 30, 260, 180), fill=0, width=5)
    image.save(picture)
    document = make_docx(folder / "knee.docx", picture)
    project = tmp_path_factory.mktemp("word-project")
    draft = project / "knee.md"  # not in a source/ folder: images/ goes beside it
    result = import_(document, "-o", draft)
    assert result.code == 0, result.err
    pdf, epub = build(draft, project / "build", project)
    return {"result": result, "draft": draft, "pdf": pdf, "epub": epub, "project": project}


def test_a_word_document_builds_with_headings_list_and_disclaimer(word):
    report = word["result"].out
    assert "read " in report and "(Word document)" in report
    assert "author: Sam Okoro (from the document's author), no bio" in report
    assert "sections: Why strength matters; The exercises" in report
    assert "exercises (3, from the level-2 headings):" in report
    front, body = front_and_body(word["draft"])
    assert front["title"] == "Knee care for walkers"
    assert front["language"] == "en-US"  # python-docx's template says so
    assert front["disclaimer"] == (
        "*This handout is for general information only and is not medical advice.*"
    )
    assert "1. Lean your back against a wall" in body and "3. Hold for twenty seconds" in body
    assert "![A walker leans against a wall with knees bent.](images/knee-1.png)" in body
    assert (word["project"] / "images" / "knee-1.png").is_file()
    epub: Epub = word["epub"]
    xhtml = "{http://www.w3.org/1999/xhtml}"
    wall_sit = epub.xhtml("exercise-1.xhtml")
    assert len(wall_sit.find(f".//{xhtml}ol")) == 3
    back = epub.xhtml(epub.spine_hrefs()[-1])
    assert "general information only" in "".join(back.find(f".//{xhtml}em").itertext())
    pdf: Pdf = word["pdf"]
    assert [t for t, _ in pdf.bookmarks() if t in ("Wall sit", "Step-ups", "Calf raises")] == [
        "Wall sit",
        "Step-ups",
        "Calf raises",
    ]
    assert "is not medical advice" in pdf.text(len(pdf.pages))
    assert "Strong thighs take load off the knee joint when you walk downhill." in pdf_text(pdf)


def test_a_libreoffice_document_builds_with_its_picture(tmp_path):
    import io

    from odfdo import Document, Frame, Header, List, Paragraph
    from PIL import Image

    document = Document("text")
    document.meta.title = "Morning mobility"
    document.meta.initial_creator = "Lena Berg"
    body = document.body
    body.append(Header(1, "Morning mobility"))
    body.append(Paragraph("Five minutes each morning loosen stiff joints before work."))
    body.append(Header(2, "The moves"))
    body.append(Header(3, "Cat-cow"))
    picture = io.BytesIO()
    Image.new("L", (60, 40), 255).save(picture, "PNG")
    picture.seek(0)
    frame = Frame.image_frame(document.add_file(picture), size=("3cm", "2cm"))
    frame.svg_title = "A person on all fours arches the back."
    holder = Paragraph("")
    holder.append(frame)
    body.append(holder)
    body.append(Paragraph("On all fours, arch and round your back slowly."))
    body.append(List(["Breathe in as you arch.", "Breathe out as you round."]))
    body.append(Header(3, "Neck rolls"))
    body.append(Paragraph("Roll your head gently from side to side."))
    body.append(Paragraph("Disclaimer: this is for general information only."))
    document.save(tmp_path / "mobility.odt")

    project = tmp_path / "project"
    result = import_(tmp_path / "mobility.odt", "-o", project / "source" / "mobility.md")
    assert result.code == 0, result.err
    assert "author: Lena Berg (from the document's author)" in result.out
    assert f"images copied to {project / 'images'}: mobility-1.png" in result.out
    front, body_text = front_and_body(project / "source" / "mobility.md")
    assert front["disclaimer"] == "Disclaimer: this is for general information only."
    assert "![A person on all fours arches the back.](mobility-1.png)" in body_text
    assert "- Breathe in as you arch.\n- Breathe out as you round." in body_text
    pdf, _ = build(project / "source" / "mobility.md", tmp_path / "build", project)
    assert [t for t, _ in pdf.bookmarks() if t in ("Cat-cow", "Neck rolls")] == [
        "Cat-cow",
        "Neck rolls",
    ]


# ---- Markdown without front matter, and what is missing ----


def test_markdown_without_front_matter_and_a_missing_disclaimer(tmp_path):
    article = tmp_path / "shoulders.md"
    article.write_text(
        "# Shoulder rolls for desk workers\n\n"
        "By Ana Lima\n\n"
        "Sitting all day stiffens the shoulders. Two moves help.\n\n"
        "- **Shoulder rolls:** Roll both shoulders back in slow circles, ten times.\n"
        "- **Wall angels:** Stand against a wall and slide your arms up and down it.\n\n"
        "Do them every hour or so.\n",
        encoding="utf-8",
    )
    draft = tmp_path / "project" / "source" / "shoulders.md"
    result = import_(article, "-o", draft)
    assert result.code == 0, result.err
    assert "disclaimer: none found: add one (the draft says where)" in result.out
    assert "author: Ana Lima (from the byline)" in result.out
    text = draft.read_text(encoding="utf-8")
    assert "# disclaimer: none found in the input; every handout needs one" in text
    assert "### Shoulder rolls\n\nRoll both shoulders back" in text
    assert "---\n\nDo them every hour or so.\n" in text
    built = run(draft, "--out", tmp_path / "build", "--project", tmp_path / "project")
    assert built.code == 2
    assert "'disclaimer' is required; add it to the front matter" in built.err
    again = import_(draft, "-o", tmp_path / "again.md")
    assert again.code == 2 and "already starts with front matter: it is a source" in again.err


# ---- the build points at the import ----


@pytest.mark.parametrize("name", ["article.docx", "article.odt", "page.html", "page.htm"])
def test_the_build_says_a_document_is_not_a_source(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 whatever")
    result = run(path, "--out", tmp_path / "build")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "not a source; import it first: make-booklet import" in result.err


def test_the_build_says_how_to_import_text_without_front_matter(tmp_path):
    result = run(SEED, "--out", tmp_path)
    assert result.code == 2 and result.err.count("\n") == 1
    assert f"for an article without it: make-booklet import {SEED}" in result.err


# ---- bad input: one line, exit 2, nothing written ----


def _zip(path: Path, parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _not_a_zip(folder: Path) -> Path:
    path = folder / "notes.docx"
    path.write_text("Just some notes saved with the wrong name.\n")
    return path


def _png_as_html(folder: Path) -> Path:
    path = folder / "page.html"
    path.write_bytes((PAGE / "stiff-hips_files" / "hip-flexor.png").read_bytes())
    return path


def _encrypted_docx(folder: Path) -> Path:
    path = folder / "locked.docx"  # Word writes a password-protected file as an OLE container
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    return path


def _corrupt_docx(folder: Path) -> Path:
    path = make_docx(folder / "broken.docx")
    data = bytearray(path.read_bytes())
    start = data.index(b"word/document.xml") + len(b"word/document.xml")
    for offset in range(start + 40, start + 240):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def _invalid_xml_docx(folder: Path) -> Path:
    with zipfile.ZipFile(make_docx(folder / "made.docx")) as made:
        parts = {name: made.read(name) for name in made.namelist()}
    (folder / "made.docx").unlink()
    parts["word/document.xml"] = b"<w:document xmlns:w='urn:x'><w:body><w:p"  # cut short
    return _zip(folder / "cut.docx", parts)


def _huge_docx(folder: Path) -> Path:
    return _zip(
        folder / "huge.docx",
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (51 * 1024 * 1024)},
    )


def _many_parts_docx(folder: Path) -> Path:
    parts = {f"word/media/p{n}.xml": b"" for n in range(10_001)}
    return _zip(folder / "many.docx", parts, zipfile.ZIP_STORED)


def _encrypted_odt(folder: Path) -> Path:
    manifest = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
        b"</manifest:file-entry></manifest:manifest>"
    )
    return _zip(
        folder / "locked.odt",
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": manifest,
            "content.xml": b"\x8f\x12 not xml at all",
        },
    )


def _no_article(folder: Path) -> Path:
    path = folder / "empty.html"
    path.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Loading...</title>'
        '<script src="https://example.com/app.js"></script></head>'
        '<body><div id="root"></div><noscript>Enable JavaScript to read this.</noscript>'
        "</body></html>"
    )
    return path


def _latin1_text(folder: Path) -> Path:
    path = folder / "latin1.txt"
    path.write_bytes("Stretches\n\nA caf\xe9 is no place to stretch.\n".encode("latin-1"))
    return path


def _latin1_declared_wrongly(folder: Path) -> Path:
    path = folder / "page.html"
    path.write_bytes(b'<html><head><meta charset="utf-8"></head><body><p>Caf\xe9</p></body></html>')
    return path


def _old_word(folder: Path) -> Path:
    path = folder / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    return path


BAD_INPUTS = [
    (_not_a_zip, "notes.docx: is not a Word document (.docx): it is not a zip archive"),
    (_png_as_html, "page.html: is not a web page: it is a PNG image"),
    (_encrypted_docx, "locked.docx: is password-protected (encrypted)"),
    (_corrupt_docx, "broken.docx: is damaged"),
    (_invalid_xml_docx, "cut.docx: is damaged (a part of it is not valid XML: unclosed token"),
    (_huge_docx, "huge.docx: would unpack to 51 MB, over 50 MB"),
    (_many_parts_docx, "many.docx: has 10001 parts, over 10000"),
    (_encrypted_odt, "locked.odt: is encrypted"),
    (_no_article, "empty.html: has no article text that could be found"),
    (
        _latin1_text,
        "latin1.txt:3: is not UTF-8 (byte 0xe9 at offset 16) and declares no character set",
    ),
    (_latin1_declared_wrongly, "page.html:1: says it is utf-8 (its <meta charset>), but byte 0xe9"),
    (_old_word, "old.doc: is an old Word document; save it as .docx"),
]


@pytest.mark.parametrize(("make", "message"), BAD_INPUTS, ids=[m.__name__ for m, _ in BAD_INPUTS])
def test_bad_input_is_one_clear_line_and_writes_nothing(tmp_path, make, message):
    folder = tmp_path / "in"
    folder.mkdir()
    path = make(folder)
    project = tmp_path / "project"
    result = import_(path, "-o", project / "source" / "draft.md")
    assert result.code == 2
    assert result.err.startswith(f"error: {folder}/") and message in result.err, result.err
    assert result.err.count("\n") == 1, "one line"
    assert result.out == ""
    assert not project.exists(), "nothing written"


def test_a_declared_character_set_is_used(tmp_path):
    text = tmp_path / "declared.txt"
    text.write_bytes(
        "-*- coding: latin-1 -*-\n\nCalf stretches\n\n- Wall stretch: Lean on a wall, one "
        "foot back, heel down, and feel the caf\xe9-table calf.\n- Step stretch: Let one heel "
        "drop off a step until the calf stretches.\n".encode("latin-1")
    )
    result = import_(text, "-o", tmp_path / "a.md")
    assert result.code == 0, result.err
    assert "caf\xe9-table calf" in (tmp_path / "a.md").read_text(encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_bytes(
        b'<html lang="fr"><head><meta http-equiv="Content-Type" content="text/html; '
        b'charset=windows-1252"><title>Etirements</title></head><body><article><h1>'
        b"\xc9tirements du matin</h1><p>Un r\xe9veil en douceur pour les mollets et les "
        b"cuisses, chaque matin avant le caf\xe9.</p><ol><li><b>Mollets.</b> Appuyez-vous "
        b"contre un mur, une jambe en arri\xe8re, talon au sol.</li><li><b>Cuisses.</b> "
        b"Debout, ramenez un talon vers la fesse et tenez la cheville.</li></ol></article>"
        b"</body></html>"
    )
    result = import_(page, "-o", tmp_path / "b.md")
    assert result.code == 0, result.err
    assert "title: \xc9tirements du matin" in result.out
    assert "language: fr (the page's lang)" in result.out
    assert "### Mollets\n" in (tmp_path / "b.md").read_text(encoding="utf-8")


def test_a_short_xhtml_page_keeps_its_structure(tmp_path):
    page = tmp_path / "hips.xhtml"
    page.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'lang="en"><body><h1>Hip openers for runners</h1><p>Two easy moves for tight hips '
        "after long runs on the road.</p><ul><li><strong>Frog stretch.</strong> Kneel wide and "
        "sink your hips back gently.</li><li><strong>Lizard.</strong> Lunge deep with both "
        "hands inside the front foot.</li></ul><p>Not medical advice.</p></body></html>",
        encoding="utf-8",
    )
    result = import_(page, "-o", tmp_path / "hips.md")
    assert result.code == 0, result.err
    assert "  1. Frog stretch\n  2. Lizard\n" in result.out
    front, body = front_and_body(tmp_path / "hips.md")
    assert front["disclaimer"] == "Not medical advice."
    assert body.startswith("\nTwo easy moves for tight hips after long runs on the road.\n")


def test_an_existing_output_is_refused_unless_forced(tmp_path):
    draft = tmp_path / "source" / "draft.md"
    draft.parent.mkdir()
    draft.write_text("my own work\n")
    refused = import_(SEED, "-o", draft)
    assert refused.code == 2
    assert refused.err == (
        f"error: {draft} exists; give another name with -o, or --force to replace it\n"
    )
    assert draft.read_text() == "my own work\n"
    forced = import_(SEED, "-o", draft, "--force")
    assert forced.code == 0, forced.err
    assert draft.read_text(encoding="utf-8").startswith("---\ntitle: 5 of the best")


def test_an_image_already_in_the_project_is_kept_and_a_different_one_is_not_overwritten(
    tmp_path,
):
    project = tmp_path / "project"
    (project / "images").mkdir(parents=True)
    lead = PAGE / "stiff-hips_files" / "hips-lead.png"
    shutil.copy(lead, project / "images" / "hips-lead.png")  # the same file: used as it is
    (project / "images" / "hip-flexor.png").write_bytes(b"someone else's picture")
    result = import_(PAGE / "stiff-hips.html", "-o", project / "source" / "hips.md")
    assert result.code == 0, result.err
    assert (project / "images" / "hip-flexor.png").read_bytes() == b"someone else's picture"
    assert (project / "images" / "hip-flexor-2.png").read_bytes() == (
        PAGE / "stiff-hips_files" / "hip-flexor.png"
    ).read_bytes()
    assert f"images copied to {project / 'images'}: hip-flexor-2.png" in result.out
    assert f"images already in {project / 'images'}: hips-lead.png" in result.out


# ---- the rules, one by one ----


def test_clutter_rules_match_the_page_and_never_the_article():
    from booklet.importer.clutter import clutter_reason

    scraped = SEED.read_text(encoding="utf-8").split("\n")
    assert clutter_reason(scraped[0]) == "icon names"
    assert clutter_reason(scraped[1]) == "a country or language picker"
    assert clutter_reason("Down Arrow") == "icon names"
    assert clutter_reason("[Placeholder for inline image below]") == "a placeholder"
    for line, reason in [
        ("4 min read", "a reading time"),
        ("Share on Facebook", "a share bar"),
        ("Advertisement", "an advertisement label"),
        ("Home \u203a Training \u203a Stretching", "breadcrumbs"),
        ("We use cookies to improve your experience. Accept all", "a cookie banner"),
        ("Sign up for our newsletter and never miss a plan.", "a newsletter box"),
        ("Related articles", "a related-links heading"),
        ("3 comments", "a comment count"),
        ("\u00a9 2025 Runner's Corner. All rights reserved.", "a copyright line"),
        ("Skip to main content", "a site link"),
    ]:
        assert clutter_reason(line) == reason, line
    front, body = front_and_body(OUR_SOURCE)
    article = sentences(body) + sentences(front["author"]["bio"]) + sentences(front["disclaimer"])
    headings = [line.lstrip("# ") for line in body.split("\n") if line.startswith("#")]
    for line in [*article, *headings, "Step-ups", "Push-ups", "Close-grip press", "Tonya Russell"]:
        assert clutter_reason(line) is None, line


def test_list_items_that_open_with_a_name_are_exercises():
    from booklet.importer.document import Block
    from booklet.importer.structure import split_item

    def item(text: str, lead: str = "") -> tuple[str, str] | None:
        return split_item(
            Block.from_plain("item", text)
            if not lead
            else Block("item", plain=text, text=text, lead=lead)
        )

    assert item("Clamshells. This exercise is great for the upper hamstring.") == (
        "Clamshells",
        "This exercise is great for the upper hamstring.",
    )
    assert item("Glute bridges: Start by lying on your back with your knees bent.")[0] == (
        "Glute bridges"
    )
    assert item("**Wall angels:** Stand against a wall.", lead="Wall angels:") == (
        "Wall angels",
        "Stand against a wall.",
    )
    assert item("Lie on your back. Lift your hips slowly off the floor.") is None, "a step"
    assert item("Hold for 30 seconds.") is None
    assert item("Repeat. Twice.") is None, "too little after the name"


def test_wording_of_disclaimers_and_bylines():
    from booklet.importer.wording import byline_name, is_disclaimer

    assert is_disclaimer("This is not medical advice.", strong_only=True)
    assert is_disclaimer("For general information only.", strong_only=True)
    assert is_disclaimer("Medical disclaimer: ask first.", strong_only=True)
    assert is_disclaimer("Always consult your doctor before you start.")
    assert not is_disclaimer("Always consult your doctor before you start.", strong_only=True)
    closing = "it may be best to pay a visit to your doctor or physical therapist"
    assert not is_disclaimer(closing)
    assert byline_name("By Priya Shah \u00b7 2 March 2025 \u00b7 4 min read") == "Priya Shah"
    assert byline_name("Written by Tonya Russell") == "Tonya Russell"
    assert byline_name("By the end of the week you will feel it") is None


def test_text_wrapped_at_a_fixed_width_is_joined_into_paragraphs(tmp_path):
    text = tmp_path / "wrapped.txt"
    text.write_text(
        "Home\nTraining\n\n"
        "Ankle strength for trail runners\n\n"
        "Trail runners roll their ankles more than road runners do, and a weak ankle\n"
        "rolls again. Two minutes a day of these moves, from the Danish physio Karen\n"
        "Holm, builds the small muscles that catch you.\n\n"
        "The moves\n\n"
        "- Heel raises: Stand on one leg on a step and rise onto your toes, then lower\n"
        "  slowly, fifteen times a side.\n"
        "- Alphabet: Sit with one foot off the floor and write the alphabet in the air\n"
        "  with your big toe.\n\n"
        "Written by Jo Park\n",
        encoding="utf-8",
    )
    result = import_(text, "-o", tmp_path / "ankles.md")
    assert result.code == 0, result.err
    assert "title: Ankle strength for trail runners\n" in result.out
    assert "author: Jo Park (from the byline)" in result.out
    draft = (tmp_path / "ankles.md").read_text(encoding="utf-8")
    _, body = front_and_body(tmp_path / "ankles.md")
    assert body.startswith(
        "\nTrail runners roll their ankles more than road runners do, and a weak ankle\n"
        "rolls again. Two minutes a day"
    )
    assert "from the Danish physio Karen Holm, builds the small muscles" in flat(body)
    assert "\n\nHolm" not in body, "one paragraph"
    assert "## The moves" in draft
    assert (
        "### Heel raises Stand on one leg on a step and rise onto your toes, then lower slowly, "
        "fifteen times a side. ### Alphabet Sit with one foot"
    ) in flat(draft)
    assert "Home" not in body and "Training" not in body


def test_what_looks_like_markup_stays_text(tmp_path):
    page = tmp_path / "odd.html"
    long = " ".join(["Keep going"] * 7) + " - then stop - and " + " ".join(["rest"] * 12)
    # Words that would start a line of their own in the draft, at 80 columns: "dose:"
    # (the build takes such a line out as the exercise's dose) and "#2" (a heading).
    dose = "Start gently, and build up over two or three weeks; ask your physio for the " + (
        "dose: three sets of ten suit most people."
    )
    number = "Hold each plank for as long as the previous one, then rest a little; it is your " + (
        "#2 move."
    )
    page.write_text(
        "<html><body><article><h1>Odd characters in an article</h1>"
        "<p>1. This line starts with a number and a full stop, as written.</p>"
        "<p># This one starts with a hash sign.</p>"
        "<p>Use *asterisks* and _underscores_ and [brackets] as written &amp;amp; so on.</p>"
        f"<p>{long}.</p>"
        "<h2>Moves</h2><h3>Plank</h3><p>Hold a straight line from head to heels.</p>"
        f"<p>{dose}</p><p>{number}</p>"
        "<h3>Side plank</h3><p>Turn on one side and hold.</p>"
        "<p>Not medical advice.</p></article></body></html>",
        encoding="utf-8",
    )
    draft = tmp_path / "project" / "source" / "odd.md"
    result = import_(page, "-o", draft, "--language", "en")
    assert result.code == 0, result.err
    text = draft.read_text(encoding="utf-8")
    assert "# author: no author found" in text
    draft.write_text(text.replace("---\n\n", "author:\n  name: A. Writer\n---\n\n", 1))
    pdf, epub = build(draft, tmp_path / "build", tmp_path / "project")
    in_pdf, in_epub = pdf_text(pdf), epub_text(epub)
    for written in [
        "1. This line starts with a number and a full stop, as written.",
        "# This one starts with a hash sign.",
        "Use *asterisks* and _underscores_ and [brackets] as written &amp; so on.",
        flat(long) + ".",
        dose,
        number,
    ]:
        assert written in in_pdf, written
        assert written in in_epub, written


# ---- input that once hung the import or broke it ----

IN_TIME = 30  # seconds: generous for a machine under load; each case takes well under one


def test_lines_that_nearly_look_like_breadcrumbs_are_read_in_time(tmp_path):
    # Separators with runs of spaces on both sides and a last part that does not fit:
    # a pattern that shares the spaces out between its parts tries every way of
    # doing so. The second line is 200 KB of the same (a run of spaces without a
    # bracket after it once cost the placeholder pattern time with its square).
    near = "Home" + "    /    Training" * 14 + "    /    see example.com"
    long = "Home" + "    /    Training" * 12_000
    assert len(near) <= 300 and len(long) > 200_000
    text = tmp_path / "crumbs.txt"
    text.write_text(
        f"{near}\n\nStretches for the road\n\n{long}\n\nLean on a wall and hold it.\n",
        encoding="utf-8",
    )
    result = run_within(IN_TIME, "import", text, "-o", tmp_path / "a.md")
    assert result.code == 0, result.err
    assert "Lean on a wall and hold it." in (tmp_path / "a.md").read_text(encoding="utf-8")


def test_a_page_with_thousands_of_comments_is_read_in_time(tmp_path):
    # Each "Reply" opens a zone of comments; finding a block's zone once looked
    # through every zone for every block.
    text = tmp_path / "comments.txt"
    text.write_text(
        "Stretches for the road\n\nLean on a wall and hold it for a while.\n\n"
        + "Reply\n\nA comment from a reader who liked it.\n\n" * 40_000
        + "Written by Jo Park\n\nJo Park is a physiotherapist who runs to work.\n",
        encoding="utf-8",
    )
    result = run_within(IN_TIME, "import", text, "-o", tmp_path / "a.md")
    assert result.code == 0, result.err
    assert "author: Jo Park (from the byline)" in result.out
    draft = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "Lean on a wall" in draft and "A comment from a reader" not in draft


MARKDOWN_OVER_THE_LIMITS = ["300,000 [", "*_ x 100,000", "[ spread over a paragraph"]


@pytest.mark.parametrize("case", MARKDOWN_OVER_THE_LIMITS)
def test_markdown_over_the_builds_limits_is_refused_in_one_line(tmp_path, case):
    from tests.test_bounds import ISSUE_SOURCES

    markdown = tmp_path / "notes.md"
    markdown.write_text("# Stretches\n\nLean on a wall.\n\n" + ISSUE_SOURCES[case] + "\n")
    result = run_within(IN_TIME, "import", markdown, "-o", tmp_path / "project" / "a.md")
    assert result.code == 2, result.err[:300]
    assert re.match(rf"error: {re.escape(str(markdown))}:5: \S", result.err), result.err[:300]
    assert result.err.count("\n") == 1, "one line"
    assert not (tmp_path / "project").exists(), "nothing written"


def test_a_list_whose_first_item_holds_only_a_list_is_read(tmp_path):
    page = tmp_path / "hips.xhtml"
    page.write_text(
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><body><h1>Hip openers</h1>'
        "<p>Two easy moves for tight hips after long runs on the road.</p>"
        "<ul><li><ul><li>Warm up first for a few minutes.</li></ul></li>"
        "<li><strong>Frog stretch.</strong> Kneel wide and sink your hips back gently.</li>"
        "<li><strong>Lizard.</strong> Lunge deep with both hands inside the front foot.</li>"
        "</ul><p>Not medical advice.</p></body></html>",
        encoding="utf-8",
    )
    result = import_(page, "-o", tmp_path / "hips.md")
    assert result.code == 0, result.err
    assert "  1. Frog stretch\n  2. Lizard\n" in result.out
    _, body = front_and_body(tmp_path / "hips.md")
    assert "- Warm up first for a few minutes." in body
    assert body.index("Warm up first") < body.index("### Frog stretch")


def test_coding_and_charset_inside_other_words_declare_nothing(tmp_path):
    body = (
        "\n\nCalf stretches\n\n- Wall stretch: Lean on a wall, one foot back, heel down, "
        "and feel the caf\xe9-table calf.\n- Step stretch: Let one heel drop off a step "
        "until the calf stretches.\n"
    )
    for first_line in ["Notes on decoding: latin-1 and more", "Video transcoding: fast"]:
        text = tmp_path / "notes.txt"
        text.write_text(first_line + body, encoding="utf-8")
        result = import_(text, "-o", tmp_path / "a.md", "--force")
        assert result.code == 0, result.err
        assert "caf\xe9-table calf" in (tmp_path / "a.md").read_text(encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><meta name="description" content="When a page\'s mycharset=latin-1 is '
        'wrong"></head><body><article><h1>Calf stretches</h1><p>Lean on a wall and feel the '
        "caf\xe9-table calf, one foot back and the heel down.</p></article></body></html>",
        encoding="utf-8",
    )
    result = import_(page, "-o", tmp_path / "b.md")
    assert result.code == 0, result.err
    assert "caf\xe9-table calf" in (tmp_path / "b.md").read_text(encoding="utf-8")


def test_a_refused_image_is_not_copied(tmp_path):
    from PIL import Image

    Image.effect_noise((300, 200), 60).save(tmp_path / "whole.png")
    whole = (tmp_path / "whole.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(whole[: len(whole) // 2])  # cut off half-way
    page = tmp_path / "hips.html"
    page.write_text(
        '<html lang="en"><body><article><h1>Hip openers for runners</h1><p>Two easy moves '
        "for tight hips after long runs on the road, done slowly.</p><h2>The moves</h2>"
        '<h3>Frog stretch</h3><p><img src="cut.png" alt="A runner kneels wide."></p><p>Kneel wide '
        "and sink your hips back gently, holding for thirty seconds.</p><h3>Lizard</h3>"
        "<p>Lunge deep with both hands inside the front foot and hold.</p>"
        "<p>Not medical advice.</p></article></body></html>",
        encoding="utf-8",
    )
    project = tmp_path / "project"
    result = import_(page, "-o", project / "source" / "hips.md")
    assert result.code == 0, result.err
    assert "image left out: image cut.png: " in result.out
    assert "images copied: none" in result.out
    assert not (project / "images").exists()
    assert "cut.png" not in (project / "source" / "hips.md").read_text(encoding="utf-8")


def test_the_bio_ends_where_the_next_part_begins(tmp_path):
    markdown = tmp_path / "knees.md"
    markdown.write_text(
        "# Knee care for walkers\n\nBy Sam Okoro\n\n"
        "Walking is kind to the knees, but a little strength work makes it kinder still.\n\n"
        "## The exercises\n\n### Wall sit\n\nLean on a wall and slide down until your "
        "knees bend.\n\n### Step-ups\n\nStep onto a low stair and back down, ten times.\n\n"
        "## About the author\n\nSam Okoro is a physiotherapist who walks to work.\n\n"
        "This handout is for general information only and is not medical advice.\n\n"
        "Thanks for reading, and see you on the next walk.\n\n"
        "## Questions\n\nThe clinic's front desk answers them every weekday.\n",
        encoding="utf-8",
    )
    result = import_(markdown, "-o", tmp_path / "a.md")
    assert result.code == 0, result.err
    front, body = front_and_body(tmp_path / "a.md")
    assert front["author"] == {
        "name": "Sam Okoro",
        "bio": "Sam Okoro is a physiotherapist who walks to work.",
    }
    assert front["disclaimer"] == (
        "This handout is for general information only and is not medical advice."
    )
    assert "Thanks for reading, and see you on the next walk." in body
    assert "## Questions\n\nThe clinic's front desk answers them every weekday." in body


def test_a_figure_caption_is_kept_as_the_images_caption(tmp_path):
    import markdown
    from PIL import Image

    Image.new("L", (300, 200), 128).save(tmp_path / "frog.png")
    page = tmp_path / "hips.html"
    page.write_text(
        '<html lang="en"><body><article><h1>Hip openers for runners</h1><p>Two easy moves '
        "for tight hips after long runs on the road, done slowly.</p><h2>The moves</h2>"
        '<h3>Frog stretch</h3><figure><img src="frog.png" alt="A runner kneels wide.">'
        '<figcaption>The frog stretch (seen from the side), "slowly"</figcaption></figure>'
        "<p>Kneel wide and sink your hips back gently, holding for thirty seconds.</p>"
        "<h3>Lizard</h3><p>Lunge deep with both hands inside the front foot and hold.</p>"
        "<p>Not medical advice.</p></article></body></html>",
        encoding="utf-8",
    )
    result = import_(page, "-o", tmp_path / "hips.md", "--show-dropped")
    assert result.code == 0, result.err
    assert "The frog stretch" not in result.out, "not dropped as clutter"
    _, body = front_and_body(tmp_path / "hips.md")
    image = next(line for line in body.split("\n") if line.startswith("!["))
    html = markdown.markdown(image, extensions=["smarty"])  # as the build reads it
    assert 'alt="A runner kneels wide."' in html
    assert 'title="The frog stretch (seen from the side), &quot;slowly&quot;"' in html


@pytest.mark.parametrize(
    ("headings", "closing"),
    [
        (("##", "##", "##"), "Final thoughts"),  # one level: every heading would be an exercise
        (("###", "###", "###"), "In summary"),  # under a section, at the exercises' level
        (("##", "##", "##"), "Fazit"),  # in the article's own language
    ],
)
def test_a_closing_heading_after_the_exercises_starts_the_closing(tmp_path, headings, closing):
    first, second, last = headings
    markdown = tmp_path / "knees.md"
    markdown.write_text(
        "# Knee care for walkers\n\nWalking is kind to the knees, and strength work helps.\n\n"
        + ("## The exercises\n\n" if first == "###" else "")
        + f"{first} Wall sit\n\nLean on a wall and slide down until your knees bend.\n\n"
        f"{second} Step-ups\n\nStep onto a low stair and back down, ten times.\n\n"
        f"{last} {closing}\n\nDo both every day and your knees will thank you.\n\n"
        "Not medical advice.\n",
        encoding="utf-8",
    )
    result = import_(markdown, "-o", tmp_path / "a.md")
    assert result.code == 0, result.err
    assert "  1. Wall sit\n  2. Step-ups\nclosing: 2 blocks\n" in result.out
    _, body = front_and_body(tmp_path / "a.md")
    closing_text = body.split("\n---\n", 1)[1]
    assert f"## {closing}\n\nDo both every day and your knees will thank you." in closing_text


def test_a_word_list_broken_by_a_picture_is_one_list_of_exercises(tmp_path):
    from docx import Document
    from docx.shared import Inches
    from PIL import Image

    Image.new("L", (300, 200), 128).save(tmp_path / "wall.png")
    document = Document()
    document.add_heading("Knee care for walkers", 0)
    document.add_paragraph("Walking is kind to the knees, and strength work makes it kinder.")
    document.add_paragraph(
        "Wall sit: Lean your back against a wall and slide down until your knees bend.",
        style="List Bullet",
    )
    document.add_picture(str(tmp_path / "wall.png"), width=Inches(2))
    document.inline_shapes[0]._inline.docPr.set("descr", "A walker leans against a wall.")
    document.add_paragraph(
        "Step-ups: Step onto a low stair and back down, ten times with each leg.",
        style="List Bullet",
    )
    document.add_paragraph("This handout is for general information only.")
    document.save(tmp_path / "knee.docx")
    result = import_(tmp_path / "knee.docx", "-o", tmp_path / "knee.md")
    assert result.code == 0, result.err
    assert "exercises (2, from list items that open with a name):" in result.out
    assert "  1. Wall sit\n  2. Step-ups\n" in result.out
    _, body = front_and_body(tmp_path / "knee.md")
    wall_sit = body.split("### Wall sit", 1)[1].split("### Step-ups", 1)[0]
    assert "![A walker leans against a wall.](images/knee-1.png)" in wall_sit


def test_numbered_exercise_headings_are_noted_once(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='en'><head><title>Moves</title></head><body><article>"
        "<p>Intro text for the moves.</p>"
        + "".join(f"<h2>{n}. Move {n}</h2><p>Do move {n} slowly.</p>" for n in (1, 2, 3))
        + "</article></body></html>",
        encoding="utf-8",
    )
    result = import_(page, "-o", tmp_path / "source" / "moves.md")
    assert result.code == 0, result.err
    assert result.out.count("the numbers before exercise names went") == 1
