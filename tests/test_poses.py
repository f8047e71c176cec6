"""Exercise figures drawn from pose files: the library, sources that use it, bad poses."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from booklet.errors import SourceError
from booklet.images import clean_svg
from booklet.poses import draw_pose, read_pose
from booklet.poses.anatomy import ANGLES
from booklet.poses.library import library_names, library_pose
from booklet.poses.placing import place
from booklet.poses.posefile import MAX_POSE_BYTES, PROPS
from tests.helpers import NS, OUR_SOURCE, ROOT, Epub, minimal_source, run, write_source

# The names issue 19 asks the library to have.
REQUIRED = [
    "glute-bridge",
    "clamshell",
    "bird-dog",
    "dead-bug",
    "plank",
    "side-plank",
    "squat",
    "mini-squat",
    "lunge",
    "calf-raise",
    "heel-drop",
    "hamstring-stretch",
    "quad-stretch",
    "hip-flexor-stretch",
    "piriformis-stretch",
    "cat-cow",
    "childs-pose",
    "wall-sit",
    "step-up",
    "straight-leg-raise",
    "heel-slide",
    "quad-set",
    "single-leg-balance",
    "donkey-kick",
    "deadlift",
    "sit-to-stand",
    "heel-to-toe-stand",
    "side-leg-raise",
    "chin-tuck",
    "wall-angel",
    "doorway-chest-stretch",
    "band-pull-apart",
    "seated-thoracic-twist",
    "knee-to-chest",
    "ankle-circles",
]

# Our article's figures, and the library poses they are drawn from.
ARTICLE_FIGURES = {
    "piriformis.svg": "piriformis-stretch",
    "clamshells.svg": "clamshell",
    "glute-bridges.svg": "glute-bridge",
    "donkey-kicks.svg": "donkey-kick",
    "deadlifts.svg": "deadlift",
}


def test_the_library_has_every_figure_asked_for_each_with_alt_text():
    names = library_names()
    assert len(names) >= 40
    assert not set(REQUIRED) - set(names)
    for name in names:
        assert len(read_pose(library_pose(name)).alt) > 30, name


@pytest.mark.parametrize("name", library_names())
def test_every_library_pose_draws_within_its_limits_small_and_clean(name):
    pose = read_pose(library_pose(name))
    placed = place(pose)
    for angle, degrees in placed.angles.items():
        limits = ANGLES[angle]
        assert limits.low - 1e-6 <= degrees <= limits.high + 1e-6, (angle, degrees)
    svg = draw_pose(pose, title=pose.alt)
    assert len(svg) < 4096
    assert _canonical(clean_svg(svg, f"{name}.svg")) == _canonical(svg), "cleaning drops nothing"
    root = etree.fromstring(svg)
    assert not [e for e in root.iter() if etree.QName(e).localname == "text"], "no text"
    colours = {e.get("stroke") for e in root.iter() if e.get("stroke")}
    assert colours <= {"#1a1a1a", "#8a8a8a", "#555555", "#a33600"}, colours


def test_the_same_pose_gives_the_same_bytes():
    path = library_pose("side-leg-raise")
    first = draw_pose(read_pose(path), title="A title")
    assert draw_pose(read_pose(path), title="A title") == first
    assert draw_pose(read_pose(path), title="Another title") != first


def test_feet_on_the_floor_touch_it_and_lying_figures_lie_on_it():
    bridge = place(read_pose(library_pose("glute-bridge")))
    floor = 2.0  # the top of the floor line
    for point in ("near_ankle", "near_toes", "far_ankle", "far_toes"):
        assert bridge.points[point][1] == pytest.approx(floor + 7.5, abs=1.5), point
    assert bridge.points["shoulders"][1] == pytest.approx(floor + 15, abs=1.5)
    wall_sit = place(read_pose(library_pose("wall-sit")))
    assert wall_sit.points["hips"][1] > 80, "sitting in the air, not on the floor"


def test_our_articles_figures_are_the_library_drawings_with_their_alt_text():
    text = OUR_SOURCE.read_text(encoding="utf-8")
    for file_name, pose_name in ARTICLE_FIGURES.items():
        alt = text.split(f"]({file_name})")[0].rsplit("![", 1)[1]
        drawn = draw_pose(read_pose(library_pose(pose_name)), title=alt)
        assert (ROOT / "images" / file_name).read_bytes() == drawn, (
            f"images/{file_name} is not the drawing of {pose_name}; redraw it"
        )


# ---- in a source ----

LIBRARY_SOURCE = minimal_source(
    "### Bridge\n\n![Lie on your back and lift the hips.](glute-bridge.pose.yaml)\n\nLift.\n\n"
    "### Clam\n\n![Lie on your side and open the knees.](clamshell.pose.yaml)\n\nOpen.\n"
)


def test_a_source_with_library_figures_builds_them_tagged_and_as_pictures(tmp_path):
    project = tmp_path / "project"
    source = write_source(project / "source", LIBRARY_SOURCE)
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 0, result.err
    assert result.err == ""
    pdf = pikepdf.open(tmp_path / "out" / "test.pdf")
    figures = sorted(str(e.Alt) for e in _structure(pdf) if e.S == "/Figure")
    assert figures == [
        "Lie on your back and lift the hips.",
        "Lie on your side and open the knees.",
    ]
    epub = Epub(tmp_path / "out" / "test.epub")
    for number, (href, alt) in enumerate(
        [
            ("images/glute-bridge.png", "Lie on your back and lift the hips."),
            ("images/clamshell.png", "Lie on your side and open the knees."),
        ],
        start=1,
    ):
        img = epub.xhtml(f"exercise-{number}.xhtml").find(".//x:img", NS)
        assert (img.get("src"), img.get("alt")) == (href, alt)
        assert epub.read(href).startswith(b"\x89PNG")


def test_a_copied_and_changed_pose_is_drawn_from_the_project(tmp_path):
    project = tmp_path / "project"
    source = write_source(project / "source", LIBRARY_SOURCE)
    assert run(source, "--out", tmp_path / "library", "--project", project).code == 0

    copied = run("figures", "--copy", "glute-bridge", project / "images")
    assert copied.code == 0, copied.err
    pose_file = project / "images" / "glute-bridge.pose.yaml"
    assert pose_file.read_bytes() == library_pose("glute-bridge").read_bytes()
    again = run("figures", "--copy", "glute-bridge", project / "images")
    assert again.code == 1 and "already exists" in again.err, "never overwrite a user's file"

    changed = pose_file.read_text().replace("trunk: -113", "trunk: -98")
    assert changed != pose_file.read_text()
    pose_file.write_text(changed, encoding="utf-8")
    assert run(source, "--out", tmp_path / "project-copy", "--project", project).code == 0
    picture = "images/glute-bridge.png"
    library_png = Epub(tmp_path / "library" / "test.epub").read(picture)
    project_png = Epub(tmp_path / "project-copy" / "test.epub").read(picture)
    assert project_png != library_png
    expected = draw_pose(read_pose(pose_file), title="Lie on your back and lift the hips.")
    assert _picture_aspect(project_png) == pytest.approx(_aspect(expected), rel=0.01)
    library = draw_pose(read_pose(library_pose("glute-bridge")))
    assert _picture_aspect(library_png) == pytest.approx(_aspect(library), rel=0.01)


def test_a_kept_pose_drawing_is_the_drawing_and_follows_each_edit(tmp_path, monkeypatch):
    """A pose drawn in an earlier build comes from the cache: the same bytes as drawn
    afresh, and an edit of the pose file (the same file) is drawn anew, a bad one
    refused."""
    project = tmp_path / "project"
    pose_file = project / "images" / "mine.pose.yaml"
    pose_file.parent.mkdir(parents=True)
    pose_file.write_bytes(library_pose("glute-bridge").read_bytes())
    source = write_source(project / "source", minimal_source("### One\n\n![Me.](mine.pose.yaml)\n"))

    def build(out: str) -> bytes:
        result = run(source, "--out", tmp_path / out, "--project", project, "--format", "pdf")
        assert result.code == 0, result.err
        return (tmp_path / out / "test.pdf").read_bytes()

    drawn = build("first")
    assert build("kept") == drawn
    monkeypatch.setenv("BOOKLET_CACHE", str(tmp_path / "empty-cache"))
    assert build("afresh") == drawn
    pose_file.write_text(pose_file.read_text().replace("trunk: -113", "trunk: -98"))
    assert build("edited") != drawn
    pose_file.write_text(pose_file.read_text() + "knee: [1, 2\n")
    result = run(source, "--out", tmp_path / "bad", "--project", project, "--format", "pdf")
    assert result.code == 2 and "mine.pose.yaml" in result.err


# ---- bad input ----

GOOD = "alt: A person stands.\nnear:\n  knee: 10\nprops:\n  floor: [feet]\n"
ARROW = GOOD + "arrows:\n  - push: head\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("alt: A person stands.\nnear: [knee\n", 3, "is not valid YAML"),
        ("alt: A person stands.\nnear:\n  knees: 10\n", 3, "unknown joint 'knees' in near"),
        ("alt: A person stands.\nprops:\n  chiar: hips\n", 3, "unknown prop 'chiar'"),
        ("alt: A person stands.\nnear:\n  knee: 170\n", 3, "near knee flex 170 is out of"),
        ("alt: A person stands.\nnear:\n  elbow: -20\n", 3, "near elbow flex -20 is out of"),
        ("alt: A person stands.\nprops:\n  floor: [left_foot]\n", 3, "unknown body part"),
        (
            ARROW + "    toward: up\n    offset: [0, 5000]\n",
            9,
            "offset up 5000 is out of its range",
        ),
        (ARROW + "    toward: up\n    offset: [-900, 0]\n", 9, "-120 to 120 units"),
        (ARROW + "    toward: 720\n", 8, "'toward' 720 is out of its range, -180 to 180"),
        (GOOD + "  dumbbell: [near_hand, far_foot]\n", 6, "held in the hand, not on the far foot"),
        (GOOD + "  barbell: [trunk]\n", 6, "put it on near_hand, far_hand or hands"),
    ],
    ids=[
        *("yaml", "joint", "prop", "knee", "elbow", "part", "offset-up", "offset-forward"),
        *("toward", "dumbbell-on-foot", "barbell-on-trunk"),
    ],
)
def test_a_bad_pose_file_is_one_line_with_its_file_and_line(tmp_path, text, line, message):
    project = tmp_path / "project"
    (project / "images").mkdir(parents=True)
    pose_file = project / "images" / "mine.pose.yaml"
    pose_file.write_text(text, encoding="utf-8")
    source = write_source(project / "source", minimal_source("### One\n\n![Me.](mine.pose.yaml)\n"))
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"error: {pose_file}:{line}: ")
    assert message in lines[0]
    assert "Traceback" not in result.err
    assert not (tmp_path / "out" / "test.pdf").exists()


BALL_UNDER_THE_BACK = (
    "alt: A person lies back over an exercise ball, feet on the floor.\n"
    "body: {trunk: -80}\nnear: {hip: 10, knee: 90}\nprops:\n  ball: [trunk]\n  floor: [feet]\n"
)


def test_a_ball_under_the_trunk_is_drawn_under_it(tmp_path):
    project = tmp_path / "project"
    (project / "images").mkdir(parents=True)
    pose_file = project / "images" / "over-ball.pose.yaml"
    pose_file.write_text(BALL_UNDER_THE_BACK, encoding="utf-8")
    source = write_source(
        project / "source", minimal_source("### One\n\n![Me.](over-ball.pose.yaml)\n")
    )
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert (result.code, result.err) == (0, "")
    pose = read_pose(pose_file)
    placed = place(pose)
    (ball,) = [
        e
        for e in etree.fromstring(draw_pose(pose)).iter()
        if etree.QName(e).localname == "circle" and float(e.get("r")) > 40
    ]
    hips, shoulders = placed.points["hips"][0], placed.points["shoulders"][0]
    assert min(hips, shoulders) < float(ball.get("cx")) < max(hips, shoulders)
    lowest = min(placed.points["hips"][1], placed.points["shoulders"][1])
    assert lowest > 100, "the back rests on the ball, not on the floor"


@pytest.mark.parametrize("prop", sorted(PROPS))
def test_any_prop_on_the_trunk_is_drawn_or_refused_with_its_line(tmp_path, prop):
    path = tmp_path / "mine.pose.yaml"
    for view in ("side", "front"):
        parts = "[trunk]" if PROPS[prop][0] == 1 else "[trunk, near_hand]"
        path.write_text(
            f"alt: A person.\nview: {view}\nprops:\n  floor: [feet]\n  {prop}: {parts}\n",
            encoding="utf-8",
        )
        try:
            svg = draw_pose(read_pose(path))
        except SourceError as err:
            assert str(err).startswith(f"{path}:5: "), str(err)
            assert "\n" not in str(err)
        else:
            assert etree.fromstring(svg).get("viewBox")


def test_the_known_names_are_given_with_an_unknown_one(tmp_path):
    path = tmp_path / "mine.pose.yaml"
    path.write_text("alt: A person stands.\nprops:\n  chiar: hips\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_pose(path)
    assert "the props are: ball, band, barbell, bench, chair" in str(caught.value)


def test_a_pose_found_nowhere_suggests_the_closest_library_names(tmp_path):
    project = tmp_path / "project"
    body = "### One\n\nIntro.\n\n![Bridge.](glute-brige.pose.yaml)\n"
    source = write_source(project / "source", minimal_source(body))
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err.count("\n") == 1
    line = _line_of(source, "glute-brige")
    assert result.err.startswith(f"error: {source}:{line}: pose 'glute-brige.pose.yaml' not found")
    assert result.err.endswith("; did you mean glute-bridge.pose.yaml?\n")


def test_a_pose_file_over_64_kb_is_refused(tmp_path):
    project = tmp_path / "project"
    (project / "images").mkdir(parents=True)
    big = project / "images" / "big.pose.yaml"
    big.write_text(GOOD + "# padding\n" * (MAX_POSE_BYTES // 10 + 1), encoding="utf-8")
    source = write_source(project / "source", minimal_source("### One\n\n![Me.](big.pose.yaml)\n"))
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    line = _line_of(source, "big.pose.yaml")
    assert result.err == (
        f"error: {source}:{line}: pose 'big.pose.yaml' is 64 KB; a pose file is at most 64 KB\n"
    )
    big.write_text(GOOD, encoding="utf-8")
    assert run(source, "--out", tmp_path / "out", "--project", project).code == 0


def test_a_pose_that_no_body_can_reach_says_which_contact_and_where(tmp_path):
    path = tmp_path / "reach.pose.yaml"
    path.write_text("alt: A person stands.\nprops:\n  floor: [feet, far_hand]\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        draw_pose(read_pose(path))
    message = str(caught.value)
    assert message.startswith(f"{path}:3: the ")
    assert " cannot " in message and "; change the " in message


# ---- make-booklet figures ----


def test_figures_lists_the_library_one_line_a_figure():
    result = run("figures")
    assert result.code == 0
    lines = result.out.splitlines()
    assert len(lines) == len(library_names())
    assert lines[0].startswith("ankle-circles: A person sits on a chair")
    assert all(": " in line for line in lines)


def test_figures_sheet_draws_every_figure_with_its_name(tmp_path):
    from pypdf import PdfReader

    result = run("figures", "--sheet", tmp_path / "sheet.pdf")
    assert result.code == 0, result.err
    reader = PdfReader(tmp_path / "sheet.pdf")
    assert 2 <= len(reader.pages) <= 6
    text = " ".join(page.extract_text() for page in reader.pages)
    for name in library_names():
        assert name in text


def test_figures_copy_of_an_unknown_name_suggests_names(tmp_path):
    result = run("figures", "--copy", "clamshel", tmp_path)
    assert result.code == 2
    assert "did you mean clamshell?" in result.err
    assert not list(tmp_path.iterdir())


# ---- helpers ----


def _canonical(svg: bytes) -> list[tuple]:
    root = etree.fromstring(svg)
    return [(e.tag, dict(e.attrib), (e.text or "").strip()) for e in root.iter()]


def _structure(pdf: pikepdf.Pdf) -> list:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
    return found


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, start=1) if needle in text)


def _aspect(svg: bytes) -> float:
    root = etree.fromstring(svg)
    return float(root.get("width")) / float(root.get("height"))


def _picture_aspect(png: bytes) -> float:
    from PIL import Image

    width, height = Image.open(BytesIO(png)).size
    return width / height
