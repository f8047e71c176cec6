"""Personalised handouts for a client list (--clients CSV [--eml]): every PDF and
every e-mail draft read back, and each kind of bad row."""

from __future__ import annotations

import os
import shutil
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest
from pypdf import PdfReader

from booklet.clients import client_slug, is_email_address
from tests.helpers import ROOT, TEST_SOURCES, Pdf, pdf_strings, run

SOURCE = TEST_SOURCES / "seven-moves.md"
STEM = "seven-moves"
TITLE = "Seven moves: a strength circuit"
ALL_EXERCISES = [
    "Leg swings",
    "Hip circles",
    "Walking lunges",
    "Squats",
    "Single-leg deadlifts",
    "Calf raises",
    "Side planks",
]
SOURCE_DOSE = "3 sets of 12, every other day"  # the source's own dose, on Squats
EPOCH = "1795000000"  # 2026-11-18
DATE = "November 18, 2026"
CYRILLIC_NAME = "Иван Петров"
GEORGIAN_NAME = "ანა ბერიძე"  # Georgian on purpose: no font of the stack has it

CLIENTS = {
    # name: (email, exercises cell, dose cell, note cell, the exercises they get)
    "Ana Souza": ("ana.souza@example.com", "squats;2", "", "", ["Hip circles", "Squats"]),
    "Ben Okafor": (
        "ben@example.com",
        "",
        "2 sets of 8, daily",
        "Stop if it *hurts*; see you on the 3rd.",
        ALL_EXERCISES,
    ),
    "Zoé O'Neil": ("", "Side planks", "", "", ["Side planks"]),
}


def write_csv(folder: Path, text: str, name: str = "clients.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def csv_line(*cells: str) -> str:
    return ",".join('"' + cell.replace('"', '""') + '"' if cell else "" for cell in cells)


@pytest.fixture(scope="module")
def clients_build(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("clients")
    rows = ["name,email,exercises,dose,note"]
    rows += [csv_line(name, *cells[:4]) for name, cells in CLIENTS.items()]
    csv = write_csv(folder, "\n".join(rows) + "\n")
    project = tmp_path_factory.mktemp("empty-project")
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH  # the workers inherit it
    try:
        result = run(SOURCE, "--clients", csv, "--eml", "--out", folder, "--project", project)
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    return {"run": result, "out": folder / "clients"}


def client_pdf(clients_build, name: str) -> Pdf:
    return Pdf(clients_build["out"] / client_slug(name) / f"{STEM}.pdf")


def client_eml(clients_build, name: str) -> EmailMessage:
    path = clients_build["out"] / client_slug(name) / f"{STEM}.eml"
    with path.open("rb") as file:
        return BytesParser(policy=default).parse(file)


def test_every_client_gets_a_folder_and_the_run_ends_with_a_summary(clients_build):
    result = clients_build["run"]
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.splitlines()[-1] == "built handouts for 3 of 3 clients"
    folders = sorted(path.name for path in clients_build["out"].iterdir())
    assert folders == ["ana-souza", "ben-okafor", "zoe-o-neil"]
    for folder in clients_build["out"].iterdir():
        assert sorted(path.name for path in folder.iterdir()) == [f"{STEM}.eml", f"{STEM}.pdf"]


@pytest.mark.parametrize("name", list(CLIENTS))
def test_the_cover_says_who_it_is_for_and_when(clients_build, name):
    pdf = client_pdf(clients_build, name)
    assert f"Prepared for {name} on {DATE}" in pdf.text(1)
    assert TITLE in pdf.text(1)


@pytest.mark.parametrize("name", list(CLIENTS))
def test_only_the_chosen_exercises_renumbered_in_source_order(clients_build, name):
    pdf = client_pdf(clients_build, name)
    chosen = CLIENTS[name][4]
    outline = [title for title, _ in pdf.bookmarks() if title in ALL_EXERCISES]
    assert outline == chosen
    for number, exercise in enumerate(chosen, start=1):
        page = pdf.text(pdf.page_of(f"EXERCISE {number} OF {len(chosen)}"))
        assert exercise in page
    left_out = set(ALL_EXERCISES) - set(chosen)
    for page in range(1, len(pdf.pages) + 1):
        for exercise in left_out:
            assert exercise not in pdf.text(page), f"{exercise} is in {name}'s handout"


def test_doses_from_the_source_unless_the_client_has_one(clients_build):
    ana = client_pdf(clients_build, "Ana Souza")
    squats = ana.text(ana.page_of("EXERCISE 2 OF 2"))
    assert f"DOSE {SOURCE_DOSE} Tick a box after each session" in squats
    assert "DOSE" not in ana.text(ana.page_of("EXERCISE 1 OF 2"))  # Hip circles has none

    ben = client_pdf(clients_build, "Ben Okafor")
    for number in range(1, len(ALL_EXERCISES) + 1):
        page = ben.text(ben.page_of(f"EXERCISE {number} OF {len(ALL_EXERCISES)}"))
        assert "DOSE 2 sets of 8, daily" in page
        assert SOURCE_DOSE not in page


def test_the_note_is_on_the_intro_page_only_for_the_client_who_has_one(clients_build):
    ben = client_pdf(clients_build, "Ben Okafor")
    assert "A note for you Stop if it hurts; see you on the 3rd." in ben.text(2)
    for name in ("Ana Souza", "Zoé O'Neil"):
        assert "A note for you" not in " ".join(client_pdf(clients_build, name).pages)


@pytest.mark.parametrize("name", list(CLIENTS))
def test_even_pages_and_the_disclaimer_on_the_back_cover(clients_build, name):
    pdf = client_pdf(clients_build, name)
    assert len(pdf.pages) % 2 == 0
    assert pdf.page_of("Disclaimer Check with a health professional") == len(pdf.pages)


@pytest.mark.parametrize("name", list(CLIENTS))
def test_the_name_is_on_the_page_but_not_in_the_metadata(clients_build, name):
    pdf = client_pdf(clients_build, name)
    info = PdfReader(pdf.path).metadata
    assert info.title == TITLE
    for value in info.values():
        assert name not in str(value)
    # Nor anywhere else a file browser, a PDF reader or a screen reader shows without
    # reading the pages: XMP, bookmarks, the structure tree, annotations, names.
    for text in pdf_strings(pdf.path):
        assert name.split()[0] not in text, text


def test_the_privacy_check_sees_a_name_in_a_bookmark(tmp_path):
    """The check above can fail: a layout that makes the cover's "Prepared for" line
    a bookmark puts the name in the outline, which the check reads."""
    project = tmp_path / "project"
    layout = project / "layouts" / "default"
    layout.mkdir(parents=True)
    cover = (ROOT / "layouts" / "default" / "cover.html").read_text(encoding="utf-8")
    (layout / "cover.html").write_text(
        cover.replace(
            'class="prepared-for"',
            'class="prepared-for" style="bookmark-level: 1; bookmark-label: content(text)"',
        ),
        encoding="utf-8",
    )
    csv = write_csv(tmp_path, "name\nAna Souza\n")
    result = run(SOURCE, "--clients", csv, "--out", tmp_path / "out", "--project", project)
    assert result.code == 0, result.err
    strings = pdf_strings(tmp_path / "out" / "clients" / "ana-souza" / f"{STEM}.pdf")
    assert any("Ana" in text for text in strings)


@pytest.mark.parametrize("name", list(CLIENTS))
def test_the_email_draft_is_addressed_and_carries_the_same_pdf(clients_build, name):
    message = client_eml(clients_build, name)
    address = CLIENTS[name][0]
    if address:
        assert message["To"].addresses[0].addr_spec == address
        assert message["To"].addresses[0].display_name == name
    else:
        assert message["To"] is None  # the physio fills it in
    assert message["Subject"] == f"Your exercises: {TITLE}"
    assert message["X-Unsent"] == "1"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"Dear {name}," in body
    attachments = list(message.iter_attachments())
    assert [part.get_content_type() for part in attachments] == ["application/pdf"]
    assert attachments[0].get_filename() == "Seven moves - a strength circuit.pdf"  # its title
    assert attachments[0].get_content() == client_pdf(clients_build, name).path.read_bytes()


def test_the_example_in_source_builds(tmp_path):
    root = Path(__file__).resolve().parents[1]
    result = run(
        root / "source" / "hamstring-exercises-for-runners.md",
        "--clients",
        root / "source" / "clients-example.csv",
        "--out",
        tmp_path,
        "--project",
        root,
    )
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "built handouts for 3 of 3 clients"
    assert not list(tmp_path.rglob("*.eml"))  # drafts only with --eml


# ---- bad input: one clear line per problem, with the row ----


def build_clients(tmp_path: Path, csv_text: str | bytes, *extra: str):
    csv = write_csv(tmp_path, csv_text)
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    result = run(SOURCE, "--clients", csv, "--out", tmp_path / "out", "--project", project, *extra)
    return result, csv


@pytest.mark.parametrize(
    "csv_text, line, message",
    [
        ("email\nana@example.com\n", 1, "has no 'name' column"),
        ("name,phone\nAna,555\n", 1, "unknown column 'phone'; the columns are: name, email"),
        ("name\nAna\nJos\xe9\n".encode("latin-1"), 3, "is not UTF-8; save the CSV as UTF-8"),
        ("name\n\n", None, "has no clients; add a row for each client"),
    ],
)
def test_a_bad_client_list_is_one_line_and_builds_nothing(tmp_path, csv_text, line, message):
    result, csv = build_clients(tmp_path, csv_text)
    assert result.code == 2
    assert result.err.startswith(f"error: {csv}:{line}: " if line else f"error: {csv}: ")
    assert message in result.err
    assert len(result.err.splitlines()) == 1
    assert "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "row, message",
    [
        (",ana@example.com,,,", "the name is empty; every client needs a name"),
        ("Ana,ana@example,,,", "'ana@example' is not an e-mail address"),
        ("Ana,ana souza@example.com,,,", "is not an e-mail address"),
        ("Ana,,Squat,,", "the source has no exercise 'Squat'; did you mean 'Squats'?"),
        ("Ana,,calf-raises,,", "did you mean 'Calf raises'?"),
        ("Ana,,9,,", "there is no exercise 9; the source has 7"),
        ("Ana,,,,,extra", "has 6 cells but the header has 5 columns; put a cell that holds a comma"),  # noqa: E501
        ("Zoe O Neil,,,,", "gets the same folder as the client in row 2; make the names different"),
    ],
)
def test_a_bad_row_is_reported_with_its_row_and_the_others_are_built(tmp_path, row, message):
    csv_text = f"name,email,exercises,dose,note\nZoé O'Neil,,1,,\n{row}\nBen,,2,,\n"
    result, csv = build_clients(tmp_path, csv_text)
    assert result.code == 2
    assert result.err == f"error: {csv}:3: " + result.err.split(": ", 2)[2]
    assert message in result.err
    assert len(result.err.splitlines()) == 1
    built = sorted(path.parent.name for path in (tmp_path / "out").rglob("*.pdf"))
    assert built == ["ben", "zoe-o-neil"]
    assert "built handouts for 2 of 3 clients; 1 failed" in result.out


def test_every_problem_of_a_row_is_reported_in_row_order(tmp_path):
    csv_text = "name,email,exercises\nAna,ana@x,Squat\nBen,,Lunges\n"
    result, csv = build_clients(tmp_path, csv_text)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"error: {csv}:2: 'ana@x' is not an e-mail address",
        f"error: {csv}:2: the source has no exercise 'Squat'; did you mean 'Squats'?",
        f"error: {csv}:3: the source has no exercise 'Lunges'; did you mean 'Walking lunges'?",
    ]
    assert "built handouts for 0 of 2 clients; 2 failed" in result.out


def test_a_client_whose_name_the_fonts_lack_is_warned_about_with_the_row(tmp_path):
    result, csv = build_clients(tmp_path, f"name\nAna\n{GEORGIAN_NAME}\n")
    assert result.code == 0
    assert result.err.startswith(f"warning: {csv}:3: the fonts (Atkinson Hyperlegible) have no")
    assert (tmp_path / "out" / "clients" / "ana-berize" / f"{STEM}.pdf").is_file()
    shutil.rmtree(tmp_path / "out")
    strict, csv = build_clients(tmp_path, f"name\n{GEORGIAN_NAME}\n", "--strict", "--eml")
    assert strict.code == 2
    assert strict.err.startswith(f"error: {csv}:2: the fonts (Atkinson Hyperlegible) have no")
    assert strict.err.rstrip().endswith("(an error because of --strict)")
    assert not (tmp_path / "out" / "clients" / "ana-berize").exists(), "nothing written"


def test_clients_need_exactly_one_source_and_eml_needs_clients(tmp_path):
    csv = write_csv(tmp_path, "name\nAna\n")
    two = run(SOURCE, SOURCE, "--clients", csv, "--out", tmp_path)
    assert two.code == 2 and "--clients needs exactly one SOURCE.md" in two.err
    alone = run(SOURCE, "--eml", "--out", tmp_path)
    assert alone.code == 2 and "--eml goes with --clients" in alone.err


def test_slugs_and_addresses():
    assert client_slug("Zoé O'Neil") == "zoe-o-neil"
    assert client_slug(CYRILLIC_NAME) == "ivan-petrov"
    assert client_slug("!!!") == "client"
    assert is_email_address("x.y+tag@sub.example.co.uk")
    assert is_email_address("ana@exämple.com")
    for bad in ("ana@x", "a b@c.de", "a@b@c.de", 'a"b@c.de', "a..b@c.de", "<a@b.cd>"):
        assert not is_email_address(bad), bad


# ---- nothing forged, nothing crashes ----

FORGED_TITLE = "=?utf-8?q?Hello=0D=0ABcc:_thief@evil.example?="


def test_a_title_that_decodes_to_a_header_is_refused_for_every_draft(tmp_path):
    text = SOURCE.read_text(encoding="utf-8").replace(f'"{TITLE}"', f'"{FORGED_TITLE}"', 1)
    source = tmp_path / "src" / "forged.md"
    source.parent.mkdir()
    source.write_text(text, encoding="utf-8")
    for pose in TEST_SOURCES.glob("*.svg"):
        shutil.copy(pose, source.parent)
    csv = write_csv(tmp_path, "name,email\nAna,ana@example.com\nBen,ben@example.com\n")
    project = tmp_path / "project"
    project.mkdir()
    result = run(source, "--clients", csv, "--eml", "--out", tmp_path / "out", "--project", project)
    assert result.code == 2, result.err
    lines = sorted(result.err.splitlines())
    assert len(lines) == 2, result.err
    for line, row in zip(lines, (2, 3), strict=True):
        assert line.startswith(f"error: {csv}:{row}: the e-mail Subject header cannot be written")
        assert "U+000D" in line
    assert "Traceback" not in result.err
    for draft in (tmp_path / "out").rglob("*.eml"):
        assert b"\nBcc:" not in draft.read_bytes()
    assert not list((tmp_path / "out").rglob("*.eml"))


@pytest.mark.parametrize(
    "name, shown",
    [
        ("Ana\r\nBcc: thief@evil.example", "U+000D"),
        ("Ana\nSouza", "U+000A"),
        ("=?utf-8?q?Ana=0D=0ABcc:_thief@evil.example?=", "U+000D) once its =?...?= encoded"),
        ("Ana\x00", "U+0000"),
        ("Ana\u2028Souza", "U+2028"),
    ],
)
def test_a_name_that_would_break_a_header_is_a_row_error(tmp_path, name, shown):
    csv_text = "name,email\nBen,ben@example.com\n" + csv_line(name, "ana@example.com") + "\n"
    result, csv = build_clients(tmp_path, csv_text.encode("utf-8"), "--eml")
    assert result.code == 2
    assert result.err.startswith(f"error: {csv}:3: the name holds a control character ({shown}")
    assert len(result.err.splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    assert "built handouts for 1 of 2 clients; 1 failed" in result.out
    draft = (tmp_path / "out" / "clients" / "ben" / f"{STEM}.eml").read_bytes()
    assert b"Bcc" not in draft


def test_a_draft_reads_back_with_exactly_its_headers(tmp_path):
    result, _ = build_clients(tmp_path, "name,email\nZoé O'Neil,zoe@exämple.com\n", "--eml")
    assert result.code == 0, result.err
    with next((tmp_path / "out").rglob("*.eml")).open("rb") as file:
        message = BytesParser(policy=default).parse(file)
    assert sorted(message.keys()) == ["Content-Type", "MIME-Version", "Subject", "To", "X-Unsent"]
    assert message["To"].addresses[0].display_name == "Zoé O'Neil"


def test_a_note_over_the_csv_modules_limit_is_one_line(tmp_path):
    result, csv = build_clients(tmp_path, "name,note\nAna,short\nBen," + "x" * 140_000 + "\n")
    assert result.code == 2
    assert result.err.startswith(f"error: {csv}:3: cannot be read as CSV (field larger than")
    assert len(result.err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("wanted", ["²", "٣", "9" * 30])
def test_an_exercise_number_in_other_digits_is_a_row_error(tmp_path, wanted):
    result, csv = build_clients(tmp_path, f"name,exercises\nAna,{wanted}\nBen,1\n")
    assert result.code == 2, result.err
    assert result.err.startswith(f"error: {csv}:2: the source has no exercise '{wanted[:20]}")
    assert len(result.err.splitlines()) == 1
    assert "built handouts for 1 of 2 clients; 1 failed" in result.out


def test_a_client_note_gets_the_quotation_marks_of_the_handout_s_language(tmp_path):
    german = tmp_path / "source" / "übungen.md"
    shutil.copytree(SOURCE.parent, german.parent)  # the source's figures come along
    german.write_text(
        SOURCE.read_text(encoding="utf-8").replace("\ntitle:", "\nlanguage: de\ntitle:", 1),
        encoding="utf-8",
    )
    csv = write_csv(tmp_path, 'name,note\nAna,"Sag ""Stopp"", wenn es wehtut."\n')
    result = run(german, "--clients", csv, "--out", tmp_path / "out", "--project", tmp_path)
    assert result.code == 0, result.err
    handout = Pdf(tmp_path / "out" / "clients" / client_slug("Ana") / "übungen.pdf")
    assert "Sag \u201eStopp\u201c, wenn es wehtut." in handout.text(2)
