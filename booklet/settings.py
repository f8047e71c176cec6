"""A project's settings, `booklet.yaml` in the project folder: what every build of the
project uses unless the command line says otherwise (the paper, the layout, the
formats, the output folder), the clinic's or club's brand, and the e-mail drafts'
signature. Read as front matter is: every problem at once, each with its line.

```yaml
paper: a4                 # letter, a4 or a5; else the front matter's, else the region's
layout: default
formats: [pdf, epub]
out: build                # relative to the project folder
brand:
  name: Northside Physiotherapy
  logo: northside-logo.svg            # in images/ or beside booklet.yaml
  logo_alt: Northside Physiotherapy   # default "NAME logo"
  colour: "#00695c"                   # also `color`; one accent, #rrggbb
  address: |
    12 Mill Lane
    Leeds LS1 4AB
  phone: 0113 496 0000
  email: hello@northside.example
  website: northside.example
email:
  signature: |
    Priya Shah, physiotherapist
  from: Priya Shah <priya@northside.example>
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from booklet.colour import Accent, accent
from booklet.errors import BookletError, Problem, SourceError
from booklet.fields import Document, Located, Words, collect, compose
from booklet.paper import PAPERS

FILE = "booklet.yaml"
MAX_SETTINGS_BYTES = 64 * 1024
SETTINGS = {
    "paper": 10,
    "layout": 100,
    "formats": Words(200),
    "out": 500,
    "brand": {
        "name": 200,
        "logo": 500,
        "logo_alt": 500,
        "colour": 20,
        "color": 20,
        "address": 500,
        "phone": 50,
        "email": 200,
        "website": 200,
    },
    "email": {"signature": 1000, "from": 300},
}
LAYOUT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
WEBSITE = re.compile(r"^(https?://)?[^\s/@]+\.[^\s/@]+(/\S*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Brand:
    """A clinic's or club's identity, on every output."""

    name: str
    logo: Path | None = None  # the file, found and confined; checked as an image when used
    logo_alt: str = ""
    accent: Accent | None = None  # None: the layout's own colour
    address: str = ""  # one line per line of the address
    phone: str = ""
    email: str = ""
    website: str = ""  # as written: northside.example or https://northside.example/

    @property
    def website_url(self) -> str:
        return self.website if "://" in self.website else f"https://{self.website}"

    @property
    def contact_lines(self) -> list[str]:
        """The contact block, line by line: address, phone, e-mail, website."""
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        return lines + [value for value in (self.phone, self.email, self.website) if value]


@dataclass(frozen=True)
class Settings:
    """booklet.yaml's values; None where it names nothing."""

    path: Path | None = None  # the file they came from
    paper: str | None = None
    layout: str | None = None
    formats: tuple[str, ...] | None = None  # as written: see checked_formats
    formats_line: int | None = None
    out: Path | None = None  # resolved against the project folder
    brand: Brand | None = None
    signature: str = ""
    sender: str = ""  # the drafts' From: "Name <address>" or an address
    warnings: tuple[str, ...] = field(default=(), compare=False)  # said on every build


def checked_formats(settings: Settings, resolve) -> tuple[str, ...] | None:
    """The settings' formats through `resolve` (export.resolve_formats), an unknown
    name a problem of booklet.yaml with its line."""
    if settings.formats is None:
        return None
    try:
        return resolve(list(settings.formats))
    except BookletError as err:
        raise SourceError(settings.path, Problem(str(err), settings.formats_line)) from None


def read_settings(project: Path) -> Settings:
    """The settings in `project`'s booklet.yaml; none when there is no such file."""
    path = project / FILE
    if not path.exists():
        return Settings()
    from booklet.confine import special_file_problem

    refused = special_file_problem(path)
    if refused:
        raise SourceError(path, refused)
    data = path.read_bytes()
    if len(data) > MAX_SETTINGS_BYTES:
        raise SourceError(path, f"is {len(data) // 1024} KB; settings fit in 64 KB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SourceError(path, Problem("is not UTF-8; save it as UTF-8", line)) from None
    document = Document(
        path,
        name="booklet.yaml",
        field="setting",
        too_large="keep to the settings",
        how_deep="the settings nest two deep (brand: then name:)",
        example="paper: a4",
    )
    values: dict[str, Located] = {}
    problems: list[Problem] = []
    collect(document, compose(document, text.replace("\r\n", "\n")), SETTINGS, values, problems)
    settings = _settings(path, values, problems)
    if problems:
        raise SourceError(path, sorted(problems, key=lambda p: p.line or 0))
    return settings


def _settings(path: Path, values: dict[str, Located], problems: list[Problem]) -> Settings:
    def text(name: str) -> str:
        return values[name].value if name in values else ""

    paper = values.get("paper")
    if paper and paper.value.lower() not in PAPERS:
        problems.append(Problem(f"paper '{paper.value}': choose {', '.join(PAPERS)}", paper.line))
    layout = values.get("layout")
    if layout and not LAYOUT_NAME.match(layout.value):
        problems.append(
            Problem(f"layout '{layout.value}' is not a folder name in layouts/", layout.line)
        )
    formats = _formats(values.get("formats"), problems)
    out = values.get("out")
    brand = _brand(path, values, problems) if "brand" in values else None
    sender = values.get("email.from")
    if sender and not _is_sender(sender.value):
        problems.append(
            Problem(
                f"email.from '{sender.value}' is not an address; write e.g. "
                "Priya Shah <priya@northside.example>",
                sender.line,
            )
        )
    warnings = ()
    if brand and brand.accent and brand.accent.darkened:
        warnings = (f"{path}:{values['brand.' + brand.accent.key].line}: {brand.accent.warning}",)
    return Settings(
        path=path,
        paper=paper.value.lower() if paper else None,
        layout=layout.value if layout else None,
        formats=formats,
        formats_line=values["formats"].line if "formats" in values else None,
        out=(path.parent / out.value) if out and out.value else None,
        brand=brand,
        signature=text("email.signature"),
        sender=text("email.from"),
        warnings=warnings,
    )


def _formats(located: Located | None, problems: list[Problem]) -> tuple[str, ...] | None:
    """The format names as written; whether each exists is the exporters' to say
    (Settings.checked_formats), this module knowing none of them."""
    if located is None:
        return None
    names = tuple(name.strip() for name in located.value.split(",") if name.strip())
    if not names:
        problems.append(Problem("'formats' names no format; e.g. [pdf, epub]", located.line))
    return names or None


def _brand(path: Path, values: dict[str, Located], problems: list[Problem]) -> Brand | None:
    def text(name: str) -> str:
        return values[f"brand.{name}"].value if f"brand.{name}" in values else ""

    name = text("name")
    if not name:
        problems.append(Problem("'brand.name' is required with a brand", values["brand"].line))
    colour = None
    if "brand.colour" in values and "brand.color" in values:
        problems.append(
            Problem("brand has both 'colour' and 'color'; keep one", values["brand.color"].line)
        )
    for key in ("colour", "color"):
        located = values.get(f"brand.{key}")
        if located:
            colour = accent(located.value, key)
            if colour is None:
                problems.append(
                    Problem(
                        f"brand.{key} '{located.value}' is not a colour; write one #rrggbb, "
                        'e.g. "#00695c" (quoted: YAML reads # as a comment)',
                        located.line,
                    )
                )
    logo = None
    if "brand.logo" in values:
        logo = _logo(path.parent, values["brand.logo"], problems)
    email = values.get("brand.email")
    if email:
        from booklet.clients import is_email_address

        if not is_email_address(email.value):
            problems.append(
                Problem(f"brand.email '{email.value}' is not an e-mail address", email.line)
            )
    website = values.get("brand.website")
    if website and not WEBSITE.match(website.value):
        problems.append(
            Problem(
                f"brand.website '{website.value}' is not a web address; write e.g. "
                "northside.example or https://northside.example/",
                website.line,
            )
        )
    return Brand(
        name=name,
        logo=logo,
        logo_alt=text("logo_alt") or f"{name} logo",
        accent=colour,
        address=text("address"),
        phone=text("phone"),
        email=text("email"),
        website=text("website"),
    )


def _logo(project: Path, located: Located, problems: list[Problem]) -> Path | None:
    """The logo's file: in the project's images/, or beside booklet.yaml; a plain
    file name or a path inside those folders, never outside them."""
    from booklet.confine import present, special_file_problem

    relative = Path(located.value)
    if relative.is_absolute() or ".." in relative.parts or "://" in located.value:
        problems.append(
            Problem(
                f"brand.logo '{located.value}' must be a file in images/ or beside booklet.yaml",
                located.line,
            )
        )
        return None
    for folder in (project / "images", project):
        candidate = folder / relative
        if present(candidate):
            refused = special_file_problem(candidate)
            real = candidate.resolve()
            if refused or not real.is_relative_to(project.resolve()):
                problems.append(
                    Problem(
                        f"brand.logo '{located.value}' "
                        + (refused or "leads out of the project; copy the file into images/"),
                        located.line,
                    )
                )
                return None
            return real
    problems.append(
        Problem(
            f"brand.logo '{located.value}' is not in {project / 'images'} or {project}; "
            "check the file name",
            located.line,
        )
    )
    return None


def _is_sender(text: str) -> bool:
    from email.headerregistry import Address
    from email.utils import parseaddr

    from booklet.clients import is_email_address

    name, address = parseaddr(text)
    if not is_email_address(address):
        return False
    try:
        Address(display_name=name, addr_spec=address)
    except (ValueError, IndexError):
        return False
    return True
