"""The client list: a UTF-8 CSV with a header row, one client a row.

Columns: name (required), email, exercises (names or numbers separated by `;`),
dose (one dose for all the client's exercises, or pairs `EXERCISE = DOSE`
separated by `;`), note (shown on the intro page). Problems with the file as a
whole raise a SourceError; problems with one row are kept with that row, so the
other clients can still be built.

The delimiter is read from the header row (comma, semicolon or tab), so the "CSV"
of a spreadsheet in any locale reads the same: a German one saves semicolons.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.policy import default as email_policy
from pathlib import Path

from booklet import slugs
from booklet.confine import present, special_file_problem
from booklet.errors import Problem, SourceError

COLUMNS = ("name", "email", "exercises", "dose", "note")
EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
MAX_FIELD = 2000
MAX_DOSE = 200  # as a source's Dose: line
DELIMITERS = ",;\t"
# A client list of thousands of rows is a few hundred KB.
MAX_FILE_BYTES = 8 * 1024 * 1024
# Control characters, and what Python's str.splitlines() breaks lines at. None may be
# in a name or an address (they go into e-mail headers); a note may hold line breaks
# and tabs, and nothing else of the kind.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
NOTE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Client:
    row: int  # line of the CSV file, for messages
    name: str
    slug: str  # folder name: clients/<slug>/
    email: str | None = None
    exercises: tuple[str, ...] = ()  # as written; empty means all
    dose: str | None = None  # one dose for all the client's exercises
    doses: tuple[tuple[str, str], ...] = ()  # or (exercise as written, dose) pairs
    note: str | None = None
    problems: list[Problem] = field(default_factory=list, compare=False)
    list_file: Path | None = field(default=None, compare=False)  # the CSV, for messages


def read_clients(path: Path) -> list[Client]:
    if not present(path):
        raise SourceError(path, "no such file; give the client list as a CSV file")
    refused = special_file_problem(path)
    if refused:
        raise SourceError(path, refused)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SourceError(
            path, f"is {size // 1048576} MB; a client list stays under {MAX_FILE_BYTES >> 20} MB"
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SourceError(path, Problem("is not UTF-8; save the CSV as UTF-8", line)) from None
    dialect = _dialect(path, text)
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        return _read_rows(path, reader, io.StringIO(text, newline="").readlines())
    except csv.Error as err:  # a cell over the csv module's limit (128 KB), a NUL...
        raise SourceError(
            path,
            Problem(
                f"cannot be read as CSV ({err}); a cell holds at most {MAX_FIELD} characters",
                reader.line_num + 1,  # the line it was reading
            ),
        ) from None


def _dialect(path: Path, text: str) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect of `text`, from its header row: comma, semicolon or tab
    between the column names (csv.Sniffer, limited to those three). A header of
    one column needs none."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    if header.strip().strip('"').strip().lower() in COLUMNS:
        return csv.excel
    try:
        delimiter = csv.Sniffer().sniff(header, delimiters=DELIMITERS).delimiter
    except csv.Error:
        raise SourceError(
            path,
            Problem(
                "the first row has no comma, semicolon or tab between the column names; "
                "save the client list as CSV (comma- or semicolon-separated) or as "
                "tab-separated text",
                1,
            ),
        ) from None
    # Only the delimiter is guessed: from a header the sniffer cannot tell how quotes
    # are escaped, and every spreadsheet doubles them ("Say ""stop""").
    return _excel_with(delimiter)


def _excel_with(delimiter: str) -> type[csv.Dialect]:
    return type("Sniffed", (csv.excel,), {"delimiter": delimiter})


def _read_rows(path: Path, reader: csv.DictReader, lines: list[str]) -> list[Client]:
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if "name" not in header:
        raise SourceError(path, Problem("has no 'name' column; the first row names the columns", 1))
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise SourceError(
            path,
            Problem(f"unknown column '{unknown[0]}'; the columns are: {', '.join(COLUMNS)}", 1),
        )
    reader.fieldnames = header
    clients: list[Client] = []
    seen: dict[str, int] = {}
    ended = reader.line_num  # the header's last line
    for values in reader:
        # A row may span lines (a quoted cell with line breaks): name the line it starts on.
        row, ended = _first_text_line(lines, ended), reader.line_num
        if not any((value or "").strip() for value in values.values() if isinstance(value, str)):
            continue  # a blank line
        clients.append(_client(values, row, seen, path, reader.reader.dialect.delimiter))
    if not clients:
        raise SourceError(path, "has no clients; add a row for each client under the header")
    return clients


def _first_text_line(lines: list[str], after: int) -> int:
    """The 1-based number of the first non-blank line after line `after`."""
    number = after + 1
    while number <= len(lines) and not lines[number - 1].strip():
        number += 1
    return number


def _client(values: dict, row: int, seen: dict[str, int], path: Path, separator: str) -> Client:
    problems: list[Problem] = []
    refused: set[str] = set()

    def cell(column: str) -> str | None:
        value = values.get(column)
        value = value.strip() if isinstance(value, str) else None
        if value and len(value) > MAX_FIELD:
            problems.append(Problem(f"the {column} is over {MAX_FIELD} characters", row))
            return None
        if value and column == "note":
            value = value.replace("\r\n", "\n")
            found = NOTE_CONTROL.search(value)
        elif value:
            found = CONTROL.search(value) or CONTROL.search(header_text(value))
        if value and found:
            hidden = "" if found.group() in value else " once its =?...?= encoded words are decoded"
            problems.append(
                Problem(
                    f"the {column} holds a control character (U+{ord(found.group()):04X}){hidden}; "
                    "remove it",
                    row,
                )
            )
            refused.add(column)
        return value or None

    if None in values:
        columns = len(values) - 1
        shown = {"\t": "a tab", ",": "a comma", ";": "a semicolon"}.get(separator, separator)
        problems.append(
            Problem(
                f"has {columns + len(values[None])} cells but the header has {columns} "
                f"columns; put a cell that holds {shown} in double quotes "
                '("Chin tuck;Wall angel"), as a spreadsheet saves it',
                row,
            )
        )
    name = cell("name") or ""
    if not name:
        problems.append(Problem("the name is empty; every client needs a name", row))
    email = cell("email")
    if email and "email" not in refused and not is_email_address(email):
        problems.append(Problem(f"'{email}' is not an e-mail address", row))
    slug = client_slug(name)
    if name and slug in seen:
        problems.append(
            Problem(
                f"'{name}' gets the same folder as the client in row {seen[slug]}; "
                "make the names different",
                row,
            )
        )
    elif name:
        seen[slug] = row
    chosen = tuple(part.strip() for part in (cell("exercises") or "").split(";") if part.strip())
    dose, doses = _doses(cell("dose"), row, problems)
    return Client(row, name, slug, email, chosen, dose, doses, cell("note"), problems, path)


def _doses(
    text: str | None, row: int, problems: list[Problem]
) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The dose cell as one dose for all, or as (exercise, dose) pairs: a cell with an
    `=` holds pairs `EXERCISE = DOSE` separated by `;`. Which exercises the pairs
    name is checked against the source (personal.py)."""
    if not text:
        return None, ()
    if "=" not in text:
        if len(text) > MAX_DOSE:
            problems.append(Problem(f"the dose is over {MAX_DOSE} characters; shorten it", row))
        return text, ()
    pairs = []
    for part in (part.strip() for part in text.split(";")):
        if not part:
            continue
        exercise, equals, dose = (piece.strip() for piece in part.partition("="))
        if not equals:
            problems.append(
                Problem(
                    f"the dose '{part[:60]}' has no '='; give each exercise its dose as "
                    "EXERCISE = DOSE, the pairs separated by ';' (or one dose for all, "
                    "without '=')",
                    row,
                )
            )
        elif not exercise:
            problems.append(
                Problem(f"the dose '= {dose[:60]}' names no exercise; write EXERCISE = DOSE", row)
            )
        elif not dose:
            problems.append(
                Problem(f"the dose for '{exercise}' is empty; write it after the '='", row)
            )
        elif len(dose) > MAX_DOSE:
            problems.append(
                Problem(f"the dose for '{exercise}' is over {MAX_DOSE} characters; shorten it", row)
            )
        else:
            pairs.append((exercise, dose))
    return None, tuple(pairs)


def is_email_address(text: str) -> bool:
    """An address a mail program will take in a To: header: the standard library's
    own header parser must read it back unchanged, and the domain must have a dot."""
    if not EMAIL.match(text):
        return False
    try:
        text.rsplit("@", 1)[1].encode("idna")  # a domain in any script, as mail.py sends it
        return str(Address(addr_spec=text)) == text
    except (UnicodeError, ValueError, IndexError, HeaderParseError):
        return False


def client_slug(name: str) -> str:
    """A folder name from a person's name, transliterated so that every script gives
    one: "Zoé O'Neil" -> "zoe-o-neil", "Иван Петров" -> "ivan-petrov"."""
    return slugs.slug(name, "client")


def header_text(value: str) -> str:
    """`value` as a mail program shows it in a header: RFC 2047 encoded words such as
    `=?utf-8?q?A=0D=0AB?=` decoded, which is where a line break can hide."""
    return str(email_policy.header_factory("Subject", value))
