"""What is not the article: the words a page puts around it.

Scraped or copied text carries the page with it: icon names read out of the page's
sprite sheet ("Icons caret-sm-white star-half ..."), "Down Arrow", a country and
language picker ("United States Flag United States English Change"), share bars,
"Advertisement", reading times, cookie banners, breadcrumbs, footers. Each rule
here matches a whole line (or, for placeholders, a bracketed fragment) and says
what it is, so that the report can say why a line was dropped.

The rules are narrow on purpose: a line that could be the author's words is kept.
None matches a line that ends a sentence, except a bracketed placeholder.
"""

from __future__ import annotations

import re

# Words of a page's controls and icon sprites: what a screen reader or a copy
# from the page reads out where the page shows a picture of a button.
_UI_WORDS = {
    "arrow",
    "arrows",
    "caret",
    "chevron",
    "close",
    "closed",
    "open",
    "expand",
    "collapse",
    "scroll",
    "down",
    "up",
    "left",
    "right",
    "back",
    "next",
    "previous",
    "prev",
    "play",
    "pause",
    "stop",
    "mute",
    "unmute",
    "volume",
    "menu",
    "hamburger",
    "search",
    "plus",
    "minus",
    "check",
    "checkmark",
    "info",
    "information",
    "filter",
    "sort",
    "icon",
    "icons",
    "squiggle",
    "long",
    "star",
    "half",
    "circle",
    "drag",
    "envelope",
    "quote",
    "marks",
    "toggle",
    "navigation",
    "dropdown",
    "logo",
    "spinner",
    "loading",
    "loader",
    "x",
    "cross",
    "burger",
    "share",
    "bookmark",
    "heart",
    "like",
    "print",
    "external",
    "link",
    "zoom",
    "fullscreen",
    "exit",
    "user",
    "account",
    "cart",
    "bag",
    "bell",
    "notification",
}
_KEBAB = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")  # caret-sm-white, icon_envelope
_SHARE_WORDS = {
    "share",
    "shares",
    "sharing",
    "this",
    "article",
    "story",
    "post",
    "page",
    "on",
    "via",
    "facebook",
    "twitter",
    "x",
    "pinterest",
    "linkedin",
    "whatsapp",
    "reddit",
    "telegram",
    "email",
    "e-mail",
    "mail",
    "print",
    "copy",
    "link",
    "copied",
    "tweet",
    "pin",
    "it",
    "messenger",
    "flipboard",
    "threads",
    "bluesky",
    "mastodon",
    "save",
    "send",
    "|",
    "·",
    "•",
}
_NETWORKS = {"facebook", "twitter", "pinterest", "linkedin", "whatsapp", "reddit", "tweet", "pin"}
_CHROME = re.compile(
    r"^(?:home|about(?: us)?|contact(?: us)?|careers|jobs|privacy(?: policy| notice)?|"
    r"terms(?: (?:of (?:use|service)|and conditions|& conditions))?|cookie (?:settings|policy|"
    r"preferences)|manage cookies|do not sell my (?:personal )?information|sitemap|"
    r"accessibility(?: statement)?|advertise(?: with us)?|help|faq|log ?in|log ?out|sign ?in|"
    r"sign ?up|register|subscribe|menu|search|shop|store|newsletter|skip to (?:main )?content|"
    r"skip to navigation|back to top|jump to (?:recipe|content)|print(?: this)?(?: page| article)?|"
    r"read more|show more|show less|load more|see more|continue reading|view all|see all|"
    r"scroll down|scroll to top|close|expand|collapse|play|pause|mute|unmute)$",
    re.IGNORECASE,
)
_RULES: list[tuple[str, re.Pattern]] = [
    (
        "an advertisement label",
        re.compile(
            r"^(?:advertisement|advert|ad|sponsored(?: content)?|"
            r"paid (?:post|content)|promoted|partner content)$",
            re.I,
        ),
    ),
    (
        "a reading time",
        re.compile(
            r"^(?:(?:estimated )?reading time:?\s*)?(?:about )?\d+(?:\s*[-\u2013]\s*"
            r"\d+)?\s*(?:min(?:ute)?s?|mins?)\.?(?: read| to read)?$",
            re.I,
        ),
    ),
    ("a comment count", re.compile(r"^(?:\d+|no)\s+(?:comments?|replies|responses)$", re.I)),
    (
        "a comments heading",
        re.compile(
            r"^(?:comments?|leave a (?:comment|reply)|join the "
            r"(?:conversation|discussion)|add a comment|reply)$",
            re.I,
        ),
    ),
    (
        "a related-links heading",
        re.compile(
            r"^(?:related(?: articles| posts| stories| reading|"
            r" content)?|you (?:may|might) also like|recommended"
            r"(?: for you| reading)?|read next|up next|more from"
            r" .{1,40}|more stories|popular(?: now| posts)?|"
            r"trending(?: now)?|most read)$",
            re.I,
        ),
    ),
    (
        "a copyright line",
        re.compile(r"^(?:©|\(c\)|copyright\b).{0,120}$|all rights reserved\.?$", re.I),
    ),
    (
        "a cookie banner",
        re.compile(
            r"^(?=.{0,300}$)(?=.*\bcookies?\b)(?=.*\b(?:accept|consent|"
            r"privacy|agree|preferences|improve your experience)\b).*$",
            re.I,
        ),
    ),
    (
        "a newsletter box",
        re.compile(
            r"^(?=.{0,160}$)(?=.*\bnewsletters?\b)(?=.*\b(?:sign up|"
            r"subscribe|join|get|never miss|inbox)\b).*$",
            re.I,
        ),
    ),
    (
        "a date line",
        re.compile(
            r"^(?:published|updated|posted|last updated|modified)(?: on)?:?\s"
            r"[\w ,./:-]{4,40}$",
            re.I,
        ),
    ),
    (
        "a tags line",
        re.compile(r"^(?:tags?|topics?|filed under|categories|category):\s.{1,200}$", re.I),
    ),
    (
        "a photo credit",
        re.compile(
            r"^(?:photo|image|illustration|photograph|picture)s?"
            r"(?: credit)?:\s.{1,80}$|^(?:credit|source):\s.{1,60}$|"
            r"^getty images$|^shutterstock$",
            re.I,
        ),
    ),
]
# "[Placeholder for inline image below]", "[Image]", "[Video: ...]": where the page had
# something the copy could not carry. Taken out of any line, even inside a paragraph.
# The spaces before it go too; `(?<!\s)` starts that run of spaces at its first one
# only, so that a long run without a bracket after it is scanned once, not once
# from each of its spaces.
PLACEHOLDER = re.compile(
    r"(?<!\s)\s*\[(?:placeholder|image|img|photo|picture|video|embed|embedded|advertisement|ad|"
    r"gallery|slideshow|graphic|chart|infographic|audio|podcast)\b[^\]\n]{0,80}\]",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…][\"'\u201d\u2019)]*$")
# "Home > Training > Stretching", with any of these between the links. Split on
# them and checked part by part: a pattern with the parts' spaces on both sides of
# each separator backtracks exponentially on a line that nearly matches.
_CRUMB = re.compile(r"[\u203a\u00bb>/|]")
_NOT_IN_A_CRUMB = re.compile(r"[.!?]")
_FLAG = re.compile(r"\bflag\b", re.IGNORECASE)


def clutter_reason(line: str) -> str | None:
    """What the whole `line` is if it is not the author's words, else None."""
    text = line.strip()
    if not text:
        return None
    if not PLACEHOLDER.sub("", text).strip():
        return "a placeholder"
    if len(text) > 300:
        return None
    for reason, pattern in _RULES:
        if pattern.search(text):
            return reason
    if _SENTENCE_END.search(text):
        return None
    words = text.split()
    if _CHROME.match(text.rstrip(":")):
        return "a site link"
    lowered = [w.lower().strip(",:;") for w in words]
    if len(words) <= 40 and _icon_names(words):
        return "icon names"
    if len(words) <= 12 and _FLAG.search(text):
        return "a country or language picker"
    if (
        len(words) <= 12
        and all(w in _SHARE_WORDS for w in lowered)
        and any(w in _NETWORKS or w == "share" for w in lowered)
    ):
        return "a share bar"
    if len(words) <= 15 and _breadcrumbs(text):
        return "breadcrumbs"
    return None


def _breadcrumbs(text: str) -> bool:
    """Three or more short links between separators, none of them a sentence."""
    parts = [part.strip() for part in _CRUMB.split(text)]
    return len(parts) >= 3 and all(
        1 <= len(part) <= 40 and not _NOT_IN_A_CRUMB.search(part) for part in parts
    )


def _icon_names(words: list[str]) -> bool:
    """Most words are control or sprite names, and it is plain that they are: a word
    such as "Arrow" or "Icon", or two sprite names in lower case ("caret-sm-white").
    An exercise's name can be hyphenated too ("Step-ups"), so one such word is not enough."""
    lowered = [w.lower().strip(",:;") for w in words]
    iconish = [w in _UI_WORDS or bool(_KEBAB.match(w)) for w in lowered]
    sprites = sum(1 for w in words if _KEBAB.match(w))  # case-sensitive: lower case only
    telling = sprites >= 2 or any(
        w in ("arrow", "icon", "icons", "caret", "chevron") for w in lowered
    )
    return telling and sum(iconish) >= 0.75 * len(words)


def without_placeholders(text: str) -> tuple[str, list[str]]:
    """`text` with bracketed placeholders taken out, and the placeholders."""
    found = [match.group().strip() for match in PLACEHOLDER.finditer(text)]
    return (PLACEHOLDER.sub("", text).strip() if found else text), found
