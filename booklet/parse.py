"""Source file -> Booklet model. Knows Markdown and YAML, nothing about layout or PDF."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from booklet.assets import AssetRefused, ImageFinder, Project
from booklet.body import BodyParts, Chunk, split_body
from booklet.bounds import markdown_problems
from booklet.clock import source_date_epoch
from booklet.errors import Problem, SourceError
from booklet.fields import Located
from booklet.frontmatter import FrontMatter, parse_front_matter
from booklet.markup import MarkdownRenderer, Rendered, plain_text
from booklet.model import Author, Booklet, Exercise, Figure, Image, Section
from booklet.source import read_source
from booklet.typography import writing_of


def parse_booklet(
    path: Path, project: Project, accent: str | None = None, labels: Labels | None = None
) -> Booklet:
    """Read, check and structure one source file. Raises SourceError listing every
    problem. `accent` colours the arrows of the poses it draws (a brand's colour).
    `labels` gives the layout's words for a language (Renderer.labels; by default the
    bundled layout's): a `Dose:` or `Video:` line may be written in the source's language."""
    source = read_source(path)
    front = parse_front_matter(path, source.front_matter, source.front_matter_line)
    # Before any Markdown is rendered: limits that keep Python-Markdown quick.
    too_much = markdown_problems(source.body, source.body_line)
    for field in (front.author_bio, front.disclaimer):
        if field is not None:
            too_much += markdown_problems(field.value, field.line)
    if too_much:
        raise SourceError(path, sorted(too_much, key=lambda p: p.line or 0))
    parts = split_body(source.body, source.body_line)
    exercises = [exercise for section in parts.sections for exercise in section.exercises]
    if len(exercises) > MAX_EXERCISES:
        raise SourceError(
            path,
            Problem(
                f"has {len(exercises):,} exercises; a booklet holds at most {MAX_EXERCISES:,}: "
                "split it into several sources",
                exercises[MAX_EXERCISES].line,
            ),
        )
    if labels is None:
        from booklet.render import bundled_labels as labels
    lines = ExerciseLines.of(labels(FALLBACK_LANGUAGE), labels(front.language))
    return _Assembler(path, project, accent, lines, front.language).assemble(front, parts)


class _Assembler:
    def __init__(
        self,
        path: Path,
        project: Project,
        accent: str | None,
        lines: ExerciseLines,
        language: str,
    ):
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []
        self.finder = ImageFinder(path.parent.resolve(), project, accent)
        # Quotation marks as the source's language writes them.
        self.markdown = MarkdownRenderer(self._find_image, writing_of(language))

    def _find_image(self, src: str, alt: str) -> Image:
        try:
            return self.finder.find(src, alt)
        except AssetRefused as err:
            raise ValueError(str(err)) from None

    def assemble(self, front: FrontMatter, parts: BodyParts) -> Booklet:
        for line in parts.top_level_headings:
            self.problems.append(
                Problem(
                    "a '#' heading is not used: the title comes from the front matter; "
                    "use ## for a section or ### for an exercise",
                    line,
                )
            )
        cover = self._front_image(front.cover_image, front.cover_alt)
        photo = self._front_image(front.author_photo, front.author_photo_alt)
        intro = self._render(parts.intro)
        sections = self._sections(parts)
        closing = self._render(parts.closing)
        if not any(section.exercises for section in sections):
            self.problems.append(
                Problem("has no exercises; start each exercise with a ### heading", None)
            )
        if self.problems:
            raise SourceError(self.path, sorted(self.problems, key=lambda p: p.line or 0))
        modified = _build_moment(self.path)
        return Booklet(
            source=self.path,
            stem=self.path.stem,
            title=plain_text(self.markdown.inline(front.title.value)),
            subtitle=plain_text(self.markdown.inline(front.subtitle.value))
            if front.subtitle
            else None,
            language=front.language,
            author=Author(
                name=front.author_name.value,
                bio_html=self.markdown.render(front.author_bio.value).html
                if front.author_bio
                else "",
                photo=photo,
            ),
            cover=cover,
            disclaimer_html=self.markdown.render(front.disclaimer.value).html,
            date=front.date or modified.date(),
            paper=front.paper,
            modified=modified,
            intro_html=intro.html,
            sections=sections,
            closing_html=closing.html,
            images=self.finder.images,
        )

    def _sections(self, parts: BodyParts) -> list[Section]:
        sections: list[Section] = []
        number = 0
        for s_index, part in enumerate(parts.sections, start=1):
            exercises = []
            for exercise in part.exercises:
                number += 1
                if not exercise.name:
                    self.problems.append(
                        Problem(
                            "an exercise heading has no name; write ### and the name", exercise.line
                        )
                    )
                dose = self._dose(exercise.body)
                video = self._video(exercise.body)
                rendered = self._render(exercise.body, take_figure=True)
                name_html = self.markdown.inline(exercise.name)
                exercises.append(
                    Exercise(
                        number=number,
                        name=plain_text(name_html),
                        name_html=name_html,
                        anchor=f"exercise-{number}",
                        figure=rendered.figure,
                        figures=tuple(
                            Figure(image, caption) for image, caption in rendered.figures
                        ),
                        html=rendered.html,
                        dose=dose,
                        video=video,
                    )
                )
            title_html = self.markdown.inline(part.title)
            sections.append(
                Section(
                    title=plain_text(title_html),
                    title_html=title_html,
                    anchor=f"section-{s_index}",
                    html=self._render(part.lead).html,
                    exercises=exercises,
                )
            )
        return sections

    def _one_line(self, chunk: Chunk, pattern, name: str):
        """The exercise's `name:` line (line number, match), taken out of the text; a
        second one is a problem."""
        lines = chunk.take_lines(pattern)
        if len(lines) > 1:
            self.problems.append(
                Problem(f"an exercise has more than one {name}: line; keep one", lines[1][0])
            )
        return lines[0] if lines else None

    def _dose(self, chunk: Chunk) -> str | None:
        """The exercise's default dose, from its `Dose:` line (taken out of the text)."""
        line = self._one_line(chunk, self.lines.dose, "Dose")
        if line is None:
            return None
        number, match = line
        dose = match.group(2).strip()
        if not dose:
            word = match.group(1)
            self.problems.append(
                Problem(f"the {word}: line is empty; write e.g. {word}: 3 sets of 10", number)
            )
        if len(dose) > MAX_DOSE:
            self.problems.append(
                Problem(f"the dose is over {MAX_DOSE} characters; shorten it", number)
            )
        return plain_text(self.markdown.inline(dose)) or None

    def _video(self, chunk: Chunk) -> str | None:
        """The address of the exercise's demonstration video, from its `Video:` line
        (taken out of the text): on paper a QR code, in the PDF and EPUB a link."""
        line = self._one_line(chunk, self.lines.video, "Video")
        if line is None:
            return None
        number, match = line
        address = match.group(2).strip().removeprefix("<").removesuffix(">")
        parts = urlsplit(address) if " " not in address else None
        if (
            parts is None
            or parts.scheme.lower() not in ("http", "https")
            or not parts.netloc
            or len(address) > MAX_VIDEO_ADDRESS
        ):
            self.problems.append(
                Problem(
                    f"the {match.group(1)}: line needs one web address of at most "
                    f"{MAX_VIDEO_ADDRESS} characters; write e.g. {match.group(1)}: "
                    "https://example.com/squat-video",
                    number,
                )
            )
            return None
        return address

    def _render(self, chunk: Chunk, take_figure: bool = False) -> Rendered:
        rendered = self.markdown.render(chunk.text, take_figure=take_figure)
        for src, message in rendered.problems:
            self.problems.append(Problem(message, chunk.line_containing(src)))
        return rendered

    def _front_image(self, image: Located | None, alt: Located | None) -> Image | None:
        if image is None:
            return None
        try:
            return self.finder.find(image.value, alt.value if alt else "")
        except AssetRefused as err:
            self.problems.append(Problem(str(err), image.line))
            return None


# Far more than a handout has; every exercise is a page of the PDF and a file of the EPUB.
MAX_EXERCISES = 5_000

MAX_DOSE = 200
# A QR code of a longer address gets too dense to scan from a printed page.
MAX_VIDEO_ADDRESS = 300
FALLBACK_LANGUAGE = "en"
Labels = Callable[[str], Mapping[str, str]]


@dataclass(frozen=True)
class ExerciseLines:
    """The lines of an exercise that say something about it rather than being its
    text: "Dose: 3 sets of 10, twice a day" and "Video: https://...", each on a line of
    its own, in English or in the words of the source's language (labels.yaml's
    `dose_line` and `video_line`; `Dosierung:`, `Posologie :`...), in any case; the
    colon may be the full-width one (U+FF1A) that Chinese and Japanese write."""

    dose: re.Pattern
    video: re.Pattern

    @staticmethod
    def of(english: Mapping[str, str], own: Mapping[str, str]) -> ExerciseLines:
        def line(key: str, default: str) -> re.Pattern:
            words = [default]
            for table in (english, own):
                words += [word.strip() for word in table.get(key, "").split("|")]
            alternatives = "|".join(
                re.escape(word) for word in sorted(set(filter(None, words)), key=len, reverse=True)
            )
            return re.compile(rf"^\s{{0,3}}({alternatives})\s*[:\uff1a](.*)$", re.IGNORECASE)

        return ExerciseLines(line("dose_line", "Dose"), line("video_line", "Video"))


def _build_moment(path: Path) -> dt.datetime:
    """When the source was last changed, in UTC, so that rebuilding an unchanged source
    gives the same dates. SOURCE_DATE_EPOCH, when set, wins (reproducible-builds.org)."""
    return source_date_epoch() or dt.datetime.fromtimestamp(int(path.stat().st_mtime), tz=dt.UTC)
