# ruff: noqa: RUF001 (doses in every language, as they are written)
"""Client programmes a physio can trust (issue 16): a dose per exercise per client,
only their sections, a tick-off grid that matches the dose and fits its box, the
Dose: and Video: lines in the source's language, QR codes, link addresses on
paper, the programme sheet, the e-mail draft's signature and attachment names,
and CSV dialects. Every output is read back: PDFs by their text per page
(pypdf), drawn boxes and character boxes (pypdfium2), drafts with email.parser,
QR codes with zbar's zbarimg."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest

from booklet.clients import client_slug
from tests.helpers import ROOT, TEST_SOURCES, Epub, Pdf, minimal_source, run, write_source

KNEE = TEST_SOURCES / "knee-after-acl.md"
STEM = "knee-after-acl"
TITLE = "Your knee after ACL reconstruction"
EARLY = "Weeks 0 to 2: start these the day after your operation"
LATE = "Weeks 2 to 6: when you can walk without crutches"
# The source's exercises and doses, and the sessions each dose makes two weeks of
# (or its own period): the boxes of its grid.
SOURCE_DOSES = {
    "Quad sets": ("10 presses, hold each 5 seconds, 3 times a day", 42),
    "Heel slides": ("2 sets of 10, twice a day", 28),
    "Straight leg raises": ("3 sets of 10, twice a day", 28),
    "Mini squats": ("3 sets of 12, once a day for 3 weeks", 21),
    "Single-leg balance": ("hold 30 seconds, 3 times, every other day", 7),
    "Step-ups": ("2 sets of 10, twice a week", 4),
}
ALL = list(SOURCE_DOSES)
VIDEO = "https://northsidephysio.example/videos/straight-leg-raise"
EPOCH = "1795000000"  # 2026-11-18
SIGNATURE = "Priya Raman\nNorthside Physio, 0161 496 0000"
UNREADABLE = "2 sets of 8 when you can"

CLIENTS = {
    # name: (exercises cell, dose cell, {exercise: the dose it gets})
    "Ana Souza": (
        "quad sets;heel slides;3",
        "Quad sets = 15 presses, hold 5 seconds, 4 times a day; 3 = 2 sets of 15, 3 times a day",
        {
            "Quad sets": "15 presses, hold 5 seconds, 4 times a day",
            "Heel slides": SOURCE_DOSES["Heel slides"][0],
            "Straight leg raises": "2 sets of 15, 3 times a day",
        },
    ),
    "Ben Okafor": ("4;5;6", "", {name: SOURCE_DOSES[name][0] for name in ALL[3:]}),
    "Carl Jung": ("", UNREADABLE, dict.fromkeys(ALL, UNREADABLE)),
}


def csv_line(*cells: str, delimiter: str = ",") -> str:
    return delimiter.join('"' + cell.replace('"', '""') + '"' if cell else "" for cell in cells)


def signed_project(folder: Path) -> Path:
    """A project whose email.txt carries a signature, as a physio writes it."""
    layout = folder / "layouts" / "default"
    layout.mkdir(parents=True)
    template = (ROOT / "layouts" / "default" / "email.txt").read_text(encoding="utf-8")
    signed = template.replace(
        "{% set your_signature %}\n{% endset %}",
        "{% set your_signature %}\n" + SIGNATURE + "\n{% endset %}",
    )
    assert signed != template
    (layout / "email.txt").write_text(signed, encoding="utf-8")
    return folder


def with_epoch(make):
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH  # the workers inherit it
    try:
        return make()
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@pytest.fixture(scope="module")
def clients(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("programmes")
    rows = ["name,email,exercises,dose,note"]
    rows += [
        csv_line(name, f"{client_slug(name)}@example.com", cells[0], cells[1], "")
        for name, cells in CLIENTS.items()
    ]
    csv = folder / "clients.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    project = signed_project(folder / "project")
    result = with_epoch(
        lambda: run(
            KNEE,
            "--clients",
            csv,
            "--format",
            "pdf,sheet",
            "--eml",
            "--out",
            folder,
            "--project",
            project,
        )
    )
    assert result.code == 0, result.err
    assert result.err == ""
    return {"run": result, "out": folder / "clients"}


def handout(clients, name: str) -> Pdf:
    return Pdf(clients["out"] / client_slug(name) / f"{STEM}.pdf")


def sheet(clients, name: str) -> Pdf:
    return Pdf(clients["out"] / client_slug(name) / f"{STEM}-sheet.pdf")


def draft(clients, name: str) -> EmailMessage:
    with (clients["out"] / client_slug(name) / f"{STEM}.eml").open("rb") as file:
        return BytesParser(policy=default).parse(file)


@pytest.fixture(scope="module")
def knee(tmp_path_factory) -> Path:
    """The source itself, in every format a physio hands over."""
    out = tmp_path_factory.mktemp("knee")
    result = run(KNEE, "--format", "pdf,epub,sheet,booklet", "--out", out, "--project", out)
    assert result.code == 0 and result.err == "", result.err
    return out


# ---- a dose per exercise per client, only their sections ----


def test_each_client_gets_a_handout_a_sheet_and_a_draft(clients):
    assert clients["run"].out.splitlines()[-1] == "built handouts for 3 of 3 clients"
    for name in CLIENTS:
        folder = clients["out"] / client_slug(name)
        assert sorted(path.name for path in folder.iterdir()) == [
            f"{STEM}-sheet.pdf",
            f"{STEM}.eml",
            f"{STEM}.pdf",
        ]


@pytest.mark.parametrize("name", list(CLIENTS))
def test_every_exercise_page_carries_the_clients_dose(clients, name):
    pdf = handout(clients, name)
    doses = CLIENTS[name][2]
    for number, (exercise, dose) in enumerate(doses.items(), start=1):
        page = pdf.text(pdf.page_of(f"EXERCISE {number} OF {len(doses)}"))
        assert exercise in page
        assert f"DOSE {dose} " in page, page
        for other in {d for d, _ in SOURCE_DOSES.values()} | {UNREADABLE}:
            if other != dose:
                assert other not in page


def test_sections_whose_exercises_all_fall_away_are_left_out(clients):
    ana, ben, carl = (handout(clients, name) for name in CLIENTS)
    everything = {name: " ".join(pdf.text(n) for n in range(1, len(pdf.pages) + 1))
                  for name, pdf in zip(CLIENTS, (ana, ben, carl), strict=True)}  # fmt: skip
    assert EARLY in everything["Ana Souza"]
    assert "Weeks 2 to 6" not in everything["Ana Souza"]
    assert "Strength and balance" not in everything["Ana Souza"]  # its text goes too
    assert "Weeks 0 to 2" not in everything["Ben Okafor"]
    assert "Gentle work to get the knee straight" not in everything["Ben Okafor"]
    assert EARLY in everything["Carl Jung"] and LATE in everything["Carl Jung"]
    for pdf in (ana, ben, carl):  # the intro and the closing stay
        assert "Your new ligament needs movement" in pdf.text(2)
        assert "Keep going after six weeks" in " ".join(pdf.pages)
    # The intro's list: only the client's exercises, with the pages they are on.
    intro = ben.text(2)
    for number, exercise in enumerate(ALL[3:], start=1):
        assert f"{exercise} {ben.page_of(f'EXERCISE {number} OF 3')}" in intro
    for exercise in ALL[:3]:
        assert exercise not in intro
    bookmarks = [title for title, _ in ben.bookmarks()]
    assert LATE in bookmarks and EARLY not in bookmarks


# ---- the programme sheet ----


@pytest.mark.parametrize("name", list(CLIENTS))
def test_the_sheet_has_one_page_with_only_the_clients_exercises_doses_and_pages(clients, name):
    pdf, book = sheet(clients, name), handout(clients, name)
    assert len(pdf.pages) == 1
    text = pdf.text(1)
    assert TITLE in text
    assert f"Prepared for {name} on 18 November 2026" in text
    doses = CLIENTS[name][2]
    for number, (exercise, dose) in enumerate(doses.items(), start=1):
        page = book.page_of(f"EXERCISE {number} OF {len(doses)}")
        video = " VIDEO northsidephysio.example/videos/straight-leg-raise" * (exercise == ALL[2])
        assert f"{number} {exercise} DOSE {dose}{video} page {page}" in text, text
    for exercise in set(ALL) - set(doses):
        assert exercise not in text
    assert "This week: tick a box after each session" in text


def test_the_sheets_week_grid_matches_each_dose(clients, knee):
    # Ana's first week: 4 + 2 + 3 sessions a day, seven days.
    assert count_boxes(sheet(clients, "Ana Souza").path, 1) == 7 * (4 + 2 + 3)
    # The source: 3, 2, 2, 1 a day; every other day (days 1, 3, 5, 7); twice a week.
    assert count_boxes(knee / f"{STEM}-sheet.pdf", 1) == 7 * (3 + 2 + 2 + 1) + 4 + 2
    # A dose that says no frequency: a box a day.
    assert count_boxes(sheet(clients, "Carl Jung").path, 1) == 7 * 6


def many_exercises(folder: Path, count: int) -> Path:
    poses = ["quad-set", "heel-slide", "straight-leg-raise", "mini-squat", "step-up",
             "single-leg-balance", "calf-raise", "wall-sit", "clamshell", "bird-dog"]  # fmt: skip
    body = "".join(
        f"### Exercise number {n}, slowly\n\n"
        f"![A person doing exercise {n}.]({poses[(n - 1) % len(poses)]}.pose.yaml)\n\n"
        f"Dose: 3 sets of 12, hold the last one, twice a day for {n} weeks\n\n"
        "Do it slowly.\n\n"
        for n in range(1, count + 1)
    )
    text = KNEE.read_text(encoding="utf-8").split("\n## ", 1)[0] + "\n## All of them\n\n" + body
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "many.md").write_text(text, encoding="utf-8")
    return folder / "many.md"


@pytest.mark.parametrize("paper", ["letter", "a4", "a5"])
def test_eight_exercises_fit_one_page_and_sixteen_two(tmp_path, paper):
    for count, pages in ((8, 1), (16, 2)):
        source = many_exercises(tmp_path / str(count), count)
        out = tmp_path / f"out-{count}"
        result = run(source, "--format", "sheet", "--paper", paper, "--out", out, "--project", out)
        assert result.code == 0 and result.err == "", result.err
        pdf = Pdf(out / "many-sheet.pdf")
        assert len(pdf.pages) == pages, (paper, count)
        text = " ".join(pdf.pages)
        for n in range(1, count + 1):
            assert f"Exercise number {n}, slowly" in text


# ---- the tick-off grid: the dose's sessions, inside its box on every paper ----


@pytest.mark.parametrize("exercise", ALL)
def test_the_grid_has_a_box_per_session_of_the_dose(knee, exercise):
    pdf = Pdf(knee / f"{STEM}.pdf")
    page = pdf.page_of(f"EXERCISE {ALL.index(exercise) + 1} OF 6")
    assert count_boxes(pdf.path, page) == SOURCE_DOSES[exercise][1]
    assert "Week 1" in pdf.text(page)


def test_three_times_a_day_for_a_client_is_42_boxes(clients):
    pdf = handout(clients, "Ana Souza")
    page = pdf.page_of("EXERCISE 3 OF 3")  # Straight leg raises, 3 times a day for Ana
    assert count_boxes(pdf.path, page) == 42
    text = pdf.text(page)
    assert "Week 1 1 2 3 4 5 6 7 Week 2 8 9 10 11 12 13 14" in text


def test_a_dose_without_a_frequency_keeps_its_row_of_boxes(clients):
    pdf = handout(clients, "Carl Jung")
    page = pdf.page_of("EXERCISE 1 OF 6")
    assert count_boxes(pdf.path, page) == 14
    assert "Week 1" not in pdf.text(page)


@pytest.mark.parametrize("paper, formats", [("a5", "pdf"), ("letter", "booklet")])
def test_the_grid_stays_inside_its_box_on_small_pages(tmp_path, paper, formats):
    """A5 pages, and the half-letter pages of a folded Letter booklet: every box and
    every character that touches a dose box lies inside it. Ana's four a day and
    Carl's row of fourteen are the widest grids."""
    csv = tmp_path / "clients.csv"
    csv.write_text(
        "name,exercises,dose\n"
        + csv_line("Ana Souza", CLIENTS["Ana Souza"][0], CLIENTS["Ana Souza"][1])
        + "\n"
        + csv_line("Carl Jung", "1;2", UNREADABLE)
        + "\n",
        encoding="utf-8",
    )
    result = run(KNEE, "--clients", csv, "--format", formats, "--paper", paper,
                 "--out", tmp_path / "out", "--project", tmp_path)  # fmt: skip
    assert result.code == 0 and result.err == "", result.err
    suffix = "-booklet" if formats == "booklet" else ""
    checked = 0
    for name in ("ana-souza", "carl-jung"):
        checked += check_grids_inside(tmp_path / "out" / "clients" / name / f"{STEM}{suffix}.pdf")
    assert checked >= 5  # dose boxes with their grids


# ---- the Dose: and Video: lines in the source's language; links on paper ----

GERMAN = """---
title: "Ihr Knie nach der Kreuzband-OP: Übungen"
language: de-DE
author:
  name: Jana Müller
disclaimer: Fragen Sie Ihre Ärztin oder Ihren Physiotherapeuten.
---

Jeden Tag ein wenig.

### Kniestrecken

Dosierung: 3 Sätze à 10, dreimal täglich

Video: https://physio-mueller.example/videos/kniestrecken

Das Knie langsam strecken.
"""

FRENCH = """---
title: Votre genou après une ligamentoplastie
language: fr-FR
author:
  name: Zoé Lefèvre
disclaimer: Parlez-en à votre kinésithérapeute.
---

Un peu chaque jour.

### Extension du genou

Posologie : 3 séries de 10, deux fois par jour pendant 3 semaines

Vidéo : https://kine.example/videos/extension

Tendez lentement le genou.
"""


@pytest.mark.parametrize(
    "text, label, dose, week, boxes, video",
    [
        (GERMAN, "DOSIERUNG", "3 Sätze à 10, dreimal täglich", "Woche 1", 42,
         "physio-mueller.example/videos/kniestrecken"),
        (FRENCH, "DOSAGE", "3 séries de 10, deux fois par jour pendant 3 semaines",
         "Semaine 3", 42, "kine.example/videos/extension"),
    ],
)  # fmt: skip
def test_a_dose_and_a_video_line_in_the_sources_language(
    tmp_path, text, label, dose, week, boxes, video
):
    source = tmp_path / "src" / "knie.md"
    source.parent.mkdir()
    source.write_text(text, encoding="utf-8")
    result = run(source, "--format", "pdf,epub", "--out", tmp_path / "out", "--project", tmp_path)
    assert result.code == 0 and result.err == "", result.err
    pdf = Pdf(tmp_path / "out" / "knie.pdf")
    page = pdf.page_of(dose)
    words = pdf.text(page)
    assert f"{label} {dose}" in words.upper() or f"{label} {dose.upper()}" in words.upper()
    assert "Dosierung:" not in words and "Posologie" not in words.replace("POSOLOGIE", "")
    assert "Video:" not in words and "Vidéo :" not in words
    assert week in words
    assert video in "".join(words.split())  # under the QR code, in a narrow column
    assert count_boxes(pdf.path, page) == boxes
    epub = Epub(tmp_path / "out" / "knie.epub")
    exercise = next(href for href in epub.spine_hrefs() if "exercise" in href)
    links = epub.xhtml(exercise).iterfind(".//{http://www.w3.org/1999/xhtml}a")
    assert f"https://{video}" in [link.get("href") for link in links]


# A dose as a physio writes it in each language of the layout, after the language's
# own Dose: word (and its colon: full width in Chinese and Japanese), each three a
# day for three weeks (not two: that is also the grid of a dose without a period),
# in digits or in words, as the language writes them.
DOSES_BY_LANGUAGE = {
    "en": "Dose: 2 sets of 10, three times a day for 3 weeks",
    "fr": "Posologie\u00a0: 2 séries de 10, 3 fois par jour pendant trois semaines",
    "de": "Dosierung: 2 Sätze à 10, dreimal täglich für 3 Wochen",
    "es": "Dosis: 2 series de 10, 3 veces al día durante tres semanas",
    "it": "Dosaggio: 2 serie da 10, 3 volte al giorno per tre settimane",
    "pt": "Dose: 2 séries de 10, três vezes por dia durante 3 semanas",
    "nl": "Dosering: 2 series van 10, 3 keer per dag gedurende drie weken",
    "bg": "Дозировка: 2 серии по 10, три пъти дневно в продължение на 3 седмици",
    "cs": "Dávkování: 2 série po 10, třikrát denně po dobu 3 týdnů",
    "da": "Dosering: 2 sæt af 10, 3 gange dagligt i tre uger",
    "el": "Δοσολογία: 2 σετ των 10, τρεις φορές την ημέρα για 3 εβδομάδες",
    "et": "Koormus: 2 seeriat 10 kordusega, 3 korda päevas kolme nädala jooksul",
    "fi": "Annostus: 2 sarjaa 10 toistoa, kolme kertaa päivässä 3 viikon ajan",
    "ga": "Dáileog: 2 shraith de 10, trí huaire sa lá ar feadh 3 seachtaine",
    "hr": "Doziranje: 2 serije po 10, tri puta dnevno tijekom 3 tjedna",
    "hu": "Adagolás: 2 sorozat 10 ismétléssel, naponta háromszor 3 hétig",
    "lt": "Dozavimas: 2 serijos po 10, 3 kartus per dieną tris savaites",
    "lv": "Slodze: 2 sērijas pa 10, trīs reizes dienā 3 nedēļas",
    "mt": "Doża: 2 settijiet ta' 10, tliet darbiet kuljum għal 3 ġimgħat",
    "pl": "Dawkowanie: 2 serie po 10, 3 razy dziennie przez trzy tygodnie",
    "ro": "Dozare: 2 serii a câte 10, de trei ori pe zi timp de 3 săptămâni",
    "sk": "Dávkovanie: 2 série po 10, trikrát denne počas 3 týždňov",
    "sl": "Doziranje: 2 seriji po 10, 3-krat na dan 3 tedne",
    "sv": "Dosering: 2 set om 10, tre gånger om dagen i 3 veckor",
    "ar": "الجرعة: مجموعتان من 10 تكرارات، 3 مرات يوميًا لمدة ثلاثة أسابيع",
    "fa": "میزان تمرین: ۲ ست ۱۰تایی، روزی ۳ بار به مدت ۳ هفته",
    "he": "מינון: 2 סטים של 10, שלוש פעמים ביום במשך 3 שבועות",
    "hi": "मात्रा: 10 के 2 सेट, दिन में तीन बार, 3 हफ़्ते तक",
    "ja": "回数と頻度：10回×2セットを1日3回、3週間続けてください",
    "ru": "Дозировка: 2 подхода по 10 раз, 3 раза в день в течение трёх недель",
    "tr": "Dozaj: 10 tekrarlı 2 set, günde üç kez, 3 hafta boyunca",
    "uk": "Дозування: 2 підходи по 10 разів, тричі на день протягом 3 тижнів",
    "ur": "مقدار: 10 کے 2 سیٹ، دن میں تین بار، 3 ہفتے تک",
    "zh": "训练量：每组10次，共2组，每天3次，持续三周",
}
# A number word that starts a sentence, whose capital casefold() does not undo.
CAPITAL_TURKISH = "Dozaj: İki hafta boyunca günde üç kez, 10 tekrarlı 2 set"


@pytest.fixture(scope="module")
def doses_by_language(tmp_path_factory) -> Path:
    """A source per language with one exercise and its dose, built in one run."""
    folder = tmp_path_factory.mktemp("doses-by-language")
    cases = {**DOSES_BY_LANGUAGE, "tr-capital": CAPITAL_TURKISH}
    sources = [
        write_source(
            folder / "src",
            minimal_source(f"Every day.\n\n### One\n\n{line}\n\nDo it slowly.\n").replace(
                "title: A test handout", f"title: A test handout\nlanguage: {name[:2]}"
            ),
            f"{name}.md",
        )
        for name, line in cases.items()
    ]
    result = run(*sources, "--format", "pdf", "--out", folder / "out", "--project", folder)
    # The bundled fonts have no Chinese or Japanese: their glyph warnings only.
    others = [line for line in result.err.splitlines() if not re.search(r"/(zh|ja)\.md:", line)]
    assert result.code == 0 and others == [], result.err
    return folder / "out"


@pytest.mark.parametrize(
    "name, per_day, weeks", [*((name, 3, 3) for name in DOSES_BY_LANGUAGE), ("tr-capital", 3, 2)]
)
def test_a_dose_in_each_language_draws_its_sessions_and_weeks(
    doses_by_language, name, per_day, weeks
):
    pdf = Pdf(doses_by_language / f"{name}.pdf")
    pages = [number for number in range(1, len(pdf.pages) + 1) if count_boxes(pdf.path, number)]
    assert len(pages) == 1, pages
    # A row of boxes a week, the boxes of each of its seven days side by side.
    assert box_rows(pdf.path, pages[0]) == [7 * per_day] * weeks


def test_a_links_address_follows_its_text_on_paper_not_in_the_epub(knee):
    intro = Pdf(knee / f"{STEM}.pdf").text(2)
    assert "Watch our videos (northsidephysio.example/videos) before you start" in intro
    # A telephone link written as its number is not said twice.
    assert "call us on 0161 496 0000 with any question" in intro
    booklet = " ".join(Pdf(knee / f"{STEM}-booklet.pdf").pages)
    assert "our videos (northsidephysio.example/videos)" in " ".join(booklet.split())
    epub = Epub(knee / f"{STEM}.epub")
    intro_file = next(href for href in epub.spine_hrefs() if "intro" in href)
    assert "our videos before you start" in epub.text(intro_file)
    assert "(northsidephysio.example/videos)" not in epub.text(intro_file)


def test_the_qr_code_decodes_to_the_videos_address(knee):
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.skip("zbarimg (Debian's zbar-tools) is not installed; .ci/run installs it")
    pdf = Pdf(knee / f"{STEM}.pdf")
    page_number = pdf.page_of("EXERCISE 3 OF 6")
    assert VIDEO.removeprefix("https://") in "".join(pdf.text(page_number).split())
    document = pdfium.PdfDocument(pdf.path)
    picture = knee / "page.png"
    document[page_number - 1].render(scale=200 / 72).to_pil().save(picture)
    done = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(picture)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [VIDEO]


def test_the_handout_with_a_grid_and_a_qr_code_is_pdf_ua(tmp_path):
    import sys

    result = run(
        KNEE, "--format", "pdf,sheet", "--pdf-ua", "--out", tmp_path, "--project", tmp_path
    )
    assert result.code == 0, result.err
    checker = Path(sys.executable).with_name("outloud")
    for name in (f"{STEM}.pdf", f"{STEM}-sheet.pdf"):
        done = subprocess.run(
            [str(checker), "--fail-on", "error", str(tmp_path / name)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert " 0 error(s)" in done.stdout, done.stdout


# ---- the e-mail draft ----


@pytest.mark.parametrize("name", list(CLIENTS))
def test_the_draft_ends_with_the_signature_and_attaches_by_title(clients, name):
    message = draft(clients, name)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.rstrip().endswith("Best wishes,\n" + SIGNATURE), body
    attachments = list(message.iter_attachments())
    assert [part.get_filename() for part in attachments] == [
        f"{TITLE}.pdf",
        f"{TITLE} - programme.pdf",
    ]
    assert attachments[0].get_content() == handout(clients, name).path.read_bytes()
    assert attachments[1].get_content() == sheet(clients, name).path.read_bytes()


def test_a_non_ascii_attachment_name_is_rfc_2231(tmp_path):
    source = tmp_path / "src" / "knie.md"
    source.parent.mkdir()
    source.write_text(GERMAN, encoding="utf-8")
    csv = tmp_path / "clients.csv"
    csv.write_text("name;email\nJörg Weiß;joerg@example.com\n", encoding="utf-8")
    result = run(source, "--clients", csv, "--eml", "--format", "pdf,sheet",
                 "--out", tmp_path / "out", "--project", tmp_path)  # fmt: skip
    assert result.code == 0, result.err
    raw = (tmp_path / "out" / "clients" / "jorg-weiss" / "knie.eml").read_bytes()
    assert re.search(rb"filename\*(0\*)?=utf-8''", raw), raw[-600:]
    message = BytesParser(policy=default).parsebytes(raw)
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == [
        "Ihr Knie nach der Kreuzband-OP - Übungen.pdf",
        "Ihr Knie nach der Kreuzband-OP - Übungen - Übungsplan.pdf",
    ]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.rstrip().endswith("Best wishes,")  # no signature: none written


SETTINGS = """\
brand:
  name: Northside Physiotherapy
  phone: 0113 496 0000
  website: northside.example
email:
  signature: |
    Priya Shah, physiotherapist
    Northside Physiotherapy
  from: Priya Shah <priya@northside.example>
"""


def test_the_project_settings_sign_the_draft_and_brand_the_sheet(tmp_path):
    """booklet.yaml's email.signature wins over email.txt's, its email.from is the
    draft's From:, and its brand's name and contact head the programme sheet."""
    project = signed_project(tmp_path / "project")
    (project / "booklet.yaml").write_text(SETTINGS, encoding="utf-8")
    csv = tmp_path / "clients.csv"
    csv.write_text("name,email,exercises\nAna Souza,ana@example.com,1;2\n", encoding="utf-8")
    result = run(KNEE, "--clients", csv, "--eml", "--format", "pdf,sheet",
                 "--out", tmp_path / "out", "--project", project)  # fmt: skip
    assert result.code == 0, result.err
    folder = tmp_path / "out" / "clients" / "ana-souza"
    with (folder / f"{STEM}.eml").open("rb") as file:
        message = BytesParser(policy=default).parse(file)
    assert str(message["From"]) == "Priya Shah <priya@northside.example>"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.rstrip().endswith(
        "Best wishes,\nPriya Shah, physiotherapist\nNorthside Physiotherapy"
    ), body
    assert SIGNATURE not in body
    sheet_text = Pdf(folder / f"{STEM}-sheet.pdf").text(1)
    assert sheet_text.startswith("Northside Physiotherapy 0113 496 0000 northside.example"), (
        sheet_text
    )


# ---- client lists from any spreadsheet ----


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_csv_with_commas_semicolons_or_tabs_reads_the_same(tmp_path, delimiter):
    header = delimiter.join(["Name", "E-mail".replace("E-mail", "email"), "exercises", "dose"])
    row = csv_line("Ana Souza", "ana@example.com", "1;2", "1 = 4 sets of 5, daily",
                   delimiter=delimiter)  # fmt: skip
    csv = tmp_path / "clients.csv"
    csv.write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = run(KNEE, "--clients", csv, "--out", tmp_path / "out", "--project", tmp_path)
    assert result.code == 0, result.err
    pdf = Pdf(tmp_path / "out" / "clients" / "ana-souza" / f"{STEM}.pdf")
    assert "DOSE 4 sets of 5, daily" in pdf.text(pdf.page_of("EXERCISE 1 OF 2"))
    assert "DOSE 2 sets of 10, twice a day" in pdf.text(pdf.page_of("EXERCISE 2 OF 2"))


# ---- bad input: the file, the row and what to do; the others still built ----


@pytest.mark.parametrize(
    "exercises, dose, message",
    [
        ("1;2", "3 = 2 sets of 15", "the dose column gives 'Straight leg raises' a dose, but it "
         "is not among this client's exercises; add it to the exercises column or remove its dose"),
        ("", "1 = 3 sets of 5; twice a day", "the dose 'twice a day' has no '='; give each "
         "exercise its dose as EXERCISE = DOSE, the pairs separated by ';'"),
        ("", "1 = 3 sets; Quad Sets = 2 sets", "the dose column names 'Quad sets' twice (as '1' "
         "and 'Quad Sets'); give each exercise one dose"),
        ("", "x" * 201, "the dose is over 200 characters; shorten it"),
        ("", "2 = " + "x" * 201, "the dose for '2' is over 200 characters; shorten it"),
        ("", "Quad set = 3 sets", "the dose column: the source has no exercise 'Quad set'; "
         "did you mean 'Quad sets'?"),
        ("", "1 =", "the dose for '1' is empty; write it after the '='"),
    ],
)  # fmt: skip
def test_a_bad_dose_is_an_error_for_its_row(tmp_path, exercises, dose, message):
    csv = tmp_path / "clients.csv"
    csv.write_text(
        "name,exercises,dose\nBen,4,\n" + csv_line("Ana", exercises, dose) + "\nZoe,5,\n",
        encoding="utf-8",
    )
    result = run(KNEE, "--clients", csv, "--out", tmp_path / "out", "--project", tmp_path)
    assert result.code == 2
    assert result.err.splitlines() == [f"error: {csv}:3: {message}"] or (
        result.err.startswith(f"error: {csv}:3: {message}") and len(result.err.splitlines()) == 1
    ), result.err
    built = sorted(path.parent.name for path in (tmp_path / "out").rglob("*.pdf"))
    assert built == ["ben", "zoe"]
    assert "built handouts for 2 of 3 clients; 1 failed" in result.out


def test_a_header_without_a_delimiter_is_one_line_and_builds_nothing(tmp_path):
    csv = tmp_path / "clients.csv"
    csv.write_text("name email exercises\nAna ana@example.com 1\n", encoding="utf-8")
    result = run(KNEE, "--clients", csv, "--out", tmp_path / "out", "--project", tmp_path)
    assert result.code == 2
    assert result.err == (
        f"error: {csv}:1: the first row has no comma, semicolon or tab between the column "
        "names; save the client list as CSV (comma- or semicolon-separated) or as "
        "tab-separated text\n"
    )
    assert not (tmp_path / "out").exists()


def test_clients_get_pdf_sheet_and_booklet_and_nothing_else(tmp_path):
    csv = tmp_path / "clients.csv"
    csv.write_text("name\nAna\n", encoding="utf-8")
    for formats in ("epub", "pdf,print", "all"):
        result = run(KNEE, "--clients", csv, "--format", formats, "--out", tmp_path / "out")
        assert result.code == 2
        assert "error: --clients builds pdf, sheet, booklet, not " in result.err
        assert not (tmp_path / "out").exists()
    alone = run(KNEE, "--clients", csv, "--format", "sheet", "--eml", "--out", tmp_path / "out")
    assert alone.code == 2 and "--eml attaches the client's handout: add pdf" in alone.err
    both = run(KNEE, "--clients", csv, "--format", "sheet,booklet", "--out", tmp_path / "out",
               "--project", tmp_path)  # fmt: skip
    assert both.code == 0, both.err
    folder = tmp_path / "out" / "clients" / "ana"
    assert sorted(p.name for p in folder.iterdir()) == [f"{STEM}-booklet.pdf", f"{STEM}-sheet.pdf"]


@pytest.mark.parametrize(
    "line, message",
    [
        ("Video: ftp://example.com/x", "the Video: line needs one web address"),
        ("Video: see the clinic's page", "the Video: line needs one web address"),
        ("Video: https://a.example/1\nVideo: https://a.example/2", "an exercise has more than "
         "one Video: line; keep one"),
    ],
)  # fmt: skip
def test_a_bad_video_line_is_one_line_with_its_line_number(tmp_path, line, message):
    text = GERMAN.replace("Video: https://physio-mueller.example/videos/kniestrecken", line)
    source = tmp_path / "knie.md"
    source.write_text(text, encoding="utf-8")
    result = run(source, "--format", "pdf", "--out", tmp_path / "out", "--project", tmp_path)
    assert result.code == 2
    where = 16 if "more than one" in message else 15  # the second one
    assert result.err.startswith(f"error: {source}:{where}: {message}"), result.err
    assert len(result.err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


# ---- reading the drawn page ----

TICK_SIZES = (7.0, 20.0)  # the side of a tick box, in points, on every paper


def _squares(page) -> list[tuple[float, float, float, float]]:
    """Square paths of straight lines the size of a tick box (the round heads of
    the figures are curves; the QR code is one large path)."""
    found = []
    for obj in page.get_objects(max_depth=5):
        if obj.type == pdfium_raw.FPDF_PAGEOBJ_PATH:
            left, bottom, right, top = obj.get_bounds()
            width, height = right - left, top - bottom
            square = TICK_SIZES[0] <= width <= TICK_SIZES[1] and abs(width - height) < 0.2
            if square and _straight(obj):
                found.append((left, bottom, right, top))
    return found


def _straight(obj) -> bool:
    segments = pdfium_raw.FPDFPath_CountSegments(obj.raw)
    return segments > 0 and all(
        pdfium_raw.FPDFPathSegment_GetType(pdfium_raw.FPDFPath_GetPathSegment(obj.raw, index))
        != pdfium_raw.FPDF_SEGMENT_BEZIERTO
        for index in range(segments)
    )


def count_boxes(path: Path, page_number: int) -> int:
    """The tick boxes drawn on a page: square paths the size of a tick box (the QR
    code is one path of its own, the figures are larger)."""
    document = pdfium.PdfDocument(path)
    return len(_squares(document[page_number - 1]))


def box_rows(path: Path, page_number: int) -> list[int]:
    """The tick boxes of a page by row, top to bottom: boxes whose tops are within
    a few points of each other share a row."""
    document = pdfium.PdfDocument(path)
    tops = sorted((square[3] for square in _squares(document[page_number - 1])), reverse=True)
    rows: list[list[float]] = []
    for top in tops:
        if rows and rows[-1][-1] - top < 3:
            rows[-1].append(top)
        else:
            rows.append([top])
    return [len(row) for row in rows]


def check_grids_inside(path: Path) -> int:
    """On every page: each tick box lies inside a dose box (the smallest larger path
    around it), and each character that touches a dose box lies inside it. Returns
    how many dose boxes held boxes."""
    document = pdfium.PdfDocument(path)
    boxes_seen = 0
    for page in document:
        squares = _squares(page)
        if not squares:
            continue
        paths = [
            obj.get_bounds()
            for obj in page.get_objects(max_depth=5)
            if obj.type == pdfium_raw.FPDF_PAGEOBJ_PATH
        ]
        doses = set()
        for square in squares:
            middle = ((square[0] + square[2]) / 2, (square[1] + square[3]) / 2)
            around = [
                box
                for box in paths
                if box[2] - box[0] > 100
                and box[0] <= middle[0] <= box[2]
                and box[1] <= middle[1] <= box[3]
            ]
            assert around, f"{path}: a tick box at {square} is in no dose box"
            dose = min(around, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
            assert inside(square, dose), f"{path}: tick box {square} sticks out of {dose}"
            doses.add(tuple(round(value, 1) for value in dose))
        boxes_seen += len(doses)
        text = page.get_textpage()
        for index in range(text.count_chars()):
            char = text.get_charbox(index)
            if char[2] - char[0] <= 0 or text.get_text_range(index, 1).isspace():
                continue
            for dose in doses:
                if overlaps(char, dose):
                    assert inside(char, dose), (
                        f"{path}: '{text.get_text_range(index, 1)}' at {char} sticks out of {dose}"
                    )
    return boxes_seen


def inside(box, outer, slack: float = 0.5) -> bool:
    return (
        box[0] >= outer[0] - slack
        and box[1] >= outer[1] - slack
        and box[2] <= outer[2] + slack
        and box[3] <= outer[3] + slack
    )


def overlaps(box, outer) -> bool:
    return box[0] < outer[2] and box[2] > outer[0] and box[1] < outer[3] and box[3] > outer[1]
