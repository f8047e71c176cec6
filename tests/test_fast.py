"""Speed features that must not change what is built: several sources in parallel,
--watch, the cache, layouts kept between builds, and the quicker WeasyPrint
import. Timings are for bench/run.py, not for tests: these check behaviour only."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from booklet.build import BuildOptions
from booklet.watch import watch
from tests.helpers import OUR_SOURCE, ROOT, Epub, Pdf, minimal_source, run, write_source


def test_several_sources_build_in_parallel_with_a_summary(project, tmp_path):
    sources = [
        write_source(project / "source", minimal_source(f"### Move {n}\n\nDo it.\n"), f"s{n}.md")
        for n in range(4)
    ]
    bad = write_source(project / "source", "", "bad.md")
    out = tmp_path / "out"
    result = run(*sources, bad, "--out", out, "--project", project, "--format", "pdf")
    assert result.code == 2
    assert (
        result.err == f"error: {bad}: is empty; start it with front matter between two --- lines\n"
    )
    assert sorted(path.name for path in out.iterdir()) == [f"s{n}.pdf" for n in range(4)]
    lines = result.out.splitlines()
    assert sorted(lines[:-1]) == sorted(line for line in lines if line.startswith("wrote ")), (
        "one line per file written, then the summary"
    )
    assert len(lines) == 5
    assert lines[-1].startswith("built 4 of 5 sources in ")
    assert lines[-1].endswith(" s; 1 failed (see above)")


def test_one_source_prints_no_summary(project, tmp_path):
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project, "--format", "pdf")
    assert result.code == 0
    assert [line.split(" (")[0] for line in result.out.splitlines()] == [
        f"wrote {tmp_path / 'out' / 'test.pdf'}"
    ]


def test_parallel_builds_warn_and_fail_under_strict_like_one(project, tmp_path):
    text = minimal_source("### ანა\n\nDo it.\n")  # Georgian: no font of the stack has it
    sources = [write_source(project / "source", text, f"w{n}.md") for n in range(2)]
    args = ["--out", tmp_path / "out", "--project", project, "--format", "pdf"]
    result = run(*sources, *args)
    assert result.code == 0
    assert sorted(result.err.splitlines())[0].startswith(f"warning: {sources[0]}: the fonts")
    assert len(result.err.splitlines()) == 2
    strict = run(*sources, *args, "--strict")
    assert strict.code == 2
    assert "(an error because of --strict)" in strict.err


# ---- the figure cache ----


def test_figures_from_the_cache_are_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    epubs = {}
    for name, cache in [("off", "off"), ("fill", tmp_path / "c"), ("hit", tmp_path / "c")]:
        monkeypatch.setenv("BOOKLET_CACHE", str(cache))
        out = tmp_path / name
        result = run(OUR_SOURCE, "--out", out, "--project", ROOT, "--format", "epub")
        assert result.code == 0, result.err
        epubs[name] = (out / "hamstring-exercises-for-runners.epub").read_bytes()
        if name == "fill":
            assert len(list((tmp_path / "c").glob("figure-*"))) == 5
    assert epubs["off"] == epubs["fill"] == epubs["hit"]


def test_a_changed_figure_is_drawn_again(project, tmp_path, monkeypatch):
    monkeypatch.setenv("BOOKLET_CACHE", str(tmp_path / "c"))
    source = write_source(project / "source", minimal_source("### One\n\n![A pose.](pose.svg)\n"))
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="{}" height="50" fill="#000"/></svg>'  # noqa: E501
    pictures = []
    for width in (10, 90):
        (project / "images" / "pose.svg").write_text(svg.format(width), encoding="utf-8")
        assert run(source, "--out", tmp_path / "out", "--project", project).code == 0
        pictures.append(_epub_png(tmp_path / "out" / "test.epub"))
    assert pictures[0] != pictures[1]
    assert len(list((tmp_path / "c").glob("figure-*"))) == 2


def test_an_unwritable_cache_is_no_error(project, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BOOKLET_CACHE", str(blocker / "cache"))
    text = minimal_source("### One\n\n![A pose.](clamshells.svg)\n")
    source = write_source(project / "source", text)
    result = run(source, "--out", tmp_path / "out", "--project", project, "--format", "epub")
    assert result.code == 0 and result.err == ""


def test_epub_figures_are_small_palette_pngs_on_white(tmp_path):
    import io

    from PIL import Image

    result = run(OUR_SOURCE, "--out", tmp_path, "--project", ROOT, "--format", "epub")
    assert result.code == 0
    import zipfile

    archive = zipfile.ZipFile(tmp_path / "hamstring-exercises-for-runners.epub")
    pngs = [name for name in archive.namelist() if name.endswith(".png")]
    assert len(pngs) == 5
    for name in pngs:
        picture = Image.open(io.BytesIO(archive.read(name)))
        assert picture.mode == "P" and picture.width == 1200
        assert picture.convert("RGB").getpixel((0, 0)) == (255, 255, 255)
        assert archive.getinfo(name).file_size < 20_000


def _epub_png(path: Path) -> bytes:
    import zipfile

    archive = zipfile.ZipFile(path)
    return next(archive.read(name) for name in archive.namelist() if name.endswith(".png"))


# ---- --watch ----


class Lines:
    """A thread-safe text sink that tests can wait on."""

    def __init__(self):
        self.text = ""
        self.lock = threading.Lock()

    def write(self, text: str) -> int:
        with self.lock:
            self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def wait_for(self, needle: str, count: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.text.count(needle) < count:
            assert time.monotonic() < deadline, f"no {needle!r} x{count} in:\n{self.text}"
            time.sleep(0.05)


@pytest.fixture
def watching(project, tmp_path):
    """A watch running in a thread on a one-exercise source; stopped at the end."""
    source = write_source(project / "source", minimal_source("### One\n\nFirst text.\n"))
    out, err, stop = Lines(), Lines(), threading.Event()
    options = BuildOptions(
        sources=[source], out=project / "build", formats=("pdf",), project=project
    )
    thread = threading.Thread(target=watch, args=(options, [source], out, err, stop))
    thread.start()
    try:
        out.wait_for("watching")
        yield {"source": source, "out": out, "err": err, "pdf": project / "build" / "test.pdf"}
    finally:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()


def test_watch_rebuilds_on_a_change_and_keeps_going_after_a_bad_edit(watching):
    from pypdf import PdfReader

    source, out, err, pdf = (watching[k] for k in ("source", "out", "err", "pdf"))
    assert "First text." in PdfReader(pdf).pages[2].extract_text()
    source.write_text(minimal_source("### One\n\nSecond text.\n"), encoding="utf-8")
    out.wait_for("rebuilt in ")
    assert "Second text." in PdfReader(pdf).pages[2].extract_text()
    assert "(test.md changed)" in out.text

    source.write_text("---\ntitle: [broken\n", encoding="utf-8")
    err.wait_for("still watching")
    assert f"error: {source}:" in err.text
    assert "Second text." in PdfReader(pdf).pages[2].extract_text(), "the last good PDF stays"

    source.write_text(minimal_source("### One\n\nThird text.\n"), encoding="utf-8")
    out.wait_for("rebuilt in ", count=2)
    assert "Third text." in PdfReader(pdf).pages[2].extract_text()


def test_watch_rebuilds_when_a_layout_changes_and_ignores_its_own_outputs(watching, project):
    out = watching["out"]
    layout = project / "layouts" / "default"
    layout.mkdir(parents=True)
    (layout / "labels.yaml").write_text(
        "en:\n  exercise_count: 'Move {number} of {total}'\n", encoding="utf-8"
    )
    out.wait_for("rebuilt in ")
    from pypdf import PdfReader

    assert "MOVE 1 OF 1" in PdfReader(watching["pdf"]).pages[2].extract_text()
    time.sleep(1.0)  # writing the PDF into the watched project must not trigger a rebuild
    assert out.text.count("rebuilt in ") == 1


def test_the_watch_flag_from_the_command_line(project, tmp_path):
    import queue

    source = write_source(project / "source", minimal_source())
    command = [
        *(sys.executable, "-u", str(ROOT / "make_booklet.py"), str(source), "--watch"),
        *("--out", str(tmp_path / "out"), "--project", str(project)),  # PDF and EPUB
    ]
    lines: queue.Queue[str] = queue.Queue()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout])
        reader.daemon = True
        reader.start()
        try:
            assert lines.get(timeout=60).startswith(f"wrote {tmp_path / 'out' / 'test.pdf'}")
            assert lines.get(timeout=60).startswith(f"wrote {tmp_path / 'out' / 'test.epub'}")
            assert lines.get(timeout=60).startswith("watching 1 source and ")
            source.write_text(minimal_source("### Two\n\nNew.\n"), encoding="utf-8")
            assert lines.get(timeout=60).startswith("rebuilt in ")

        finally:
            process.send_signal(2)  # Ctrl-C
            process.wait(timeout=30)
        errors = process.stderr.read()
        reader.join(timeout=10)
    assert process.returncode == 0
    assert "Traceback" not in errors


# ---- the quicker WeasyPrint import ----


QUICK_IMPORT = """
import ctypes.util, importlib.abc, logging, sys
calls = []
original = ctypes.util.find_library
ctypes.util.find_library = lambda name: calls.append(name) or original(name)
said = []
logging.getLogger("booklet").addHandler(logging.Handler())
logging.getLogger("booklet").handlers[-1].emit = lambda record: said.append(record.getMessage())
logging.getLogger("booklet").setLevel(logging.DEBUG)

class FailOnce(importlib.abc.MetaPathFinder):
    failed = False
    def find_spec(self, name, path, target=None):
        if name == "weasyprint.text.ffi" and not FailOnce.failed and MODE == "fail":
            FailOnce.failed = True
            raise OSError("cannot load library 'libpango-1.0-0'")
        return None

MODE = sys.argv[1]
sys.meta_path.insert(0, FailOnce())
from booklet.export.engine import weasyprint
deferred = type(sys.modules["fontTools.subset"]).__name__ == "_LazyModule"
assert weasyprint.HTML(string="<p>x</p>").write_pdf().startswith(b"%PDF")
print(MODE, FailOnce.failed, len(calls) > 0, deferred, "libpango" in " ".join(said))
"""


@pytest.mark.parametrize(
    "mode, expected",
    [
        ("quick", "quick False False True False"),
        # The ordinary import, after all, and the reason said at debug level.
        ("fail", "fail True True True True"),
    ],
)
def test_weasyprint_imports_quickly_or_the_ordinary_way(mode, expected):
    """The quick import needs no find_library and leaves fontTools' subsetter for
    later; if it fails (a system where only find_library finds a library), the
    ordinary import runs and works, and says why when asked (-v)."""
    done = subprocess.run(
        [sys.executable, "-c", QUICK_IMPORT, mode], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


def test_fonttools_modules_weasyprint_defers_work_when_used():
    """The subsetter (for fonts HarfBuzz cannot subset) and the instancer (for
    variable fonts) are the real ones when WeasyPrint calls them."""
    script = """
import sys
from booklet.export.engine import weasyprint
import weasyprint.pdf.fonts as fonts
import fontTools.subset, fontTools.varLib.instancer as instancer
assert fonts.subset.Subsetter is fontTools.subset.Subsetter
assert "stand" not in type(sys.modules["fontTools.varLib.instancer"]).__name__
from fontTools.fontBuilder import FontBuilder
from fontTools.ttLib import TTFont
import io
builder = FontBuilder(1000, isTTF=True)
builder.setupGlyphOrder([".notdef"])
builder.setupCharacterMap({})
from fontTools.pens.ttGlyphPen import TTGlyphPen
builder.setupGlyf({".notdef": TTGlyphPen(None).glyph()})
builder.setupHorizontalMetrics({".notdef": (500, 0)})
builder.setupHorizontalHeader()
builder.setupNameTable({"familyName": "Var", "styleName": "Regular"})
builder.setupOS2()
builder.setupPost()
builder.setupFvar([("wght", 100, 400, 900, "Weight")], [])
font = fonts.instantiateVariableFont(builder.font, {"wght": 700}, static=True)
assert "fvar" not in font
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def test_an_input_error_is_said_before_weasyprint_is_imported(project, tmp_path):
    """WeasyPrint takes a good part of a second to import: a bad source does not wait."""
    source = write_source(project / "source", "---\ntitle: [broken\n")
    script = (
        "import sys; from booklet.cli import main; "
        f"code = main([{str(source)!r}, '--out', {str(tmp_path)!r}, '--project', "
        f"{str(project)!r}]); print(code, 'weasyprint' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "2 False", done.stderr
    assert done.stderr.startswith(f"error: {source}:")


# ---- layouts kept between builds ----


def test_a_rebuild_lays_out_only_what_changed_and_matches_a_fresh_build(tmp_path, monkeypatch):
    """A warm typesetter (--watch, a pool worker) reuses the layout of every part an
    edit left alone; every format comes out the same bytes as a fresh build's."""
    from booklet.build import Builder
    from booklet.export import FORMATS
    from booklet.export.typesetter import Typesetter

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = tmp_path / "project"
    shutil.copytree(ROOT / "images", project / "images")
    source = write_source(project / "source", OUR_SOURCE.read_text(encoding="utf-8"), "h.md")

    def build(out: Path, typesetter: Typesetter) -> None:
        options = BuildOptions(out=out, project=project, formats=tuple(FORMATS))
        Builder(options, warn=lambda source, message: None, typesetter=typesetter).build(source)

    warm = Typesetter()
    build(tmp_path / "first", warm)
    first = warm.parts_laid_out
    # Every part, for the handout, the print-shop PDF and the booklet (11 parts, and
    # its Notes page laid out twice: a first guess of one page a part gives 10).
    assert first >= 10 + 10 + 11
    text = source.read_text(encoding="utf-8")
    # The intro and the first exercise. A fresh build lays the exercises out as one
    # document; the warm one lays out the first on its own, and takes the others
    # from the first build: the pages must be the same either way.
    text = text.replace("fired up", "switched on").replace("take it slowly", "go slowly")
    source.write_text(text, encoding="utf-8")
    build(tmp_path / "warm", warm)
    # Those two, once for each handout (the exercise's page holds its larger figure:
    # no other version is tried).
    assert warm.parts_laid_out - first == 6, "only those two, once for each handout"
    build(tmp_path / "warm", warm)
    assert warm.parts_laid_out - first == 6, "nothing changed: nothing laid out"

    build(tmp_path / "fresh", Typesetter())
    for name in ("h.pdf", "h.epub", "h-print.pdf", "h-booklet.pdf"):
        assert (tmp_path / "warm" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
    assert (tmp_path / "warm" / "h.pdf").read_bytes() != (tmp_path / "first" / "h.pdf").read_bytes()


def test_the_page_counts_of_the_last_build_are_the_next_builds_guess(project, tmp_path):
    """A new process guesses each part's length from the last build of the same
    source (kept in the cache): a long intro then needs one layout pass, not two."""
    long = "\n\n".join(["A paragraph that goes on for a while, so it runs long. " * 5] * 10)
    source = write_source(project / "source", minimal_source(f"{long}\n\n### Move\n\nDo it.\n"))
    said = []
    for _ in range(2):
        result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf", "-v")
        assert result.code == 0
        said.append([line for line in result.err.splitlines() if "part layouts" in line])
    assert len(said[0]) == len(said[1]) == 1
    assert "2 passes (no page counts known)" in said[0][0]
    assert "1 pass (page counts guessed from the last build)" in said[1][0]


def test_the_cover_picture_is_drawn_again_only_when_the_cover_changes(
    project, tmp_path, monkeypatch
):
    monkeypatch.setenv("BOOKLET_CACHE", str(tmp_path / "c"))
    source = write_source(project / "source", minimal_source())
    covers = []
    for title in ("A test handout", "A test handout", "Another title"):
        source.write_text(minimal_source().replace("A test handout", title), encoding="utf-8")
        assert run(source, "--out", tmp_path / "out", "--project", project).code == 0
        covers.append(Epub(tmp_path / "out" / "test.epub").read("images/cover.jpg"))
        assert len(list((tmp_path / "c").glob("cover-*"))) == (1 if len(covers) < 3 else 2)
    assert covers[0] == covers[1] != covers[2]


@pytest.mark.parametrize(
    "stored", [b'{"intro": "2"}', b'[{"intro": "x", "cover": true}, {"a": [1, 2, 3]}]', b"\xff"]
)
def test_page_counts_of_the_wrong_shape_in_the_cache_are_no_guess(
    project, tmp_path, monkeypatch, stored
):
    from booklet import cache

    monkeypatch.setenv("BOOKLET_CACHE", str(tmp_path / "cache"))
    source = write_source(project / "source", minimal_source())
    identity = (str(source), "letter", False, 2)
    cache.store(cache.key("pages", *identity), stored)
    result = run(source, "--out", tmp_path / "out", "--project", project, "--format", "pdf")
    assert result.code == 0 and result.err == ""
    assert len(Pdf(tmp_path / "out" / "test.pdf").pages) == 6
