"""Stage 1: the layout of an article — title, headings, paragraphs and bullet points.

Input is the normalised body of :mod:`api.parser.source`; output is the article's one plain
``text`` and the sections, paragraphs and bullets with code-point offsets into it.

Files come in three shapes, all handled by the same rules:

* one paragraph per line, no blank lines (the seed);
* blank-line separated blocks, possibly hard-wrapped (lines of a block are joined);
* Markdown: ``# title``, ``##``/``###`` headings and ``-``/``*``/``•``/``1.``/``1)`` lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ids import bullet_id, section_id, unique_id
from .document import Bullet, Paragraph, Section, Span
from .editorial import EDITORIAL_LINES, Editorial, byline_authors, date_line
from .lexicon import SPEECH_VERB_FORMS

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(?:[-*•‣◦–]|(\d{1,3})[.)])\s+(?=\S)")
_TERMINAL = re.compile(r"[.!?;:,…]['\"’”)\]]*$")
_SENTENCE_BREAK = re.compile(r"[.!?]['\"’”]?\s+(?=[\"“‘'(]?[A-Z0-9])")
_SPEECH_VERB = re.compile(r"\b(" + "|".join(SPEECH_VERB_FORMS) + r")$", re.IGNORECASE)
_QUOTES = "\"“”‘’'«»"

MAX_HEADING_CHARS = 100
MAX_HEADING_WORDS = 14
MAX_LABEL_CHARS = 50
MAX_LABEL_WORDS = 6
MAX_DERIVED_TITLE = 120
WRAP_MAX_LINE = 120


@dataclass(slots=True)
class Item:
    """One logical block of the source: a Markdown heading, a bullet item or a paragraph."""

    kind: str  # "md_heading", "bullet", "paragraph"
    text: str
    level: int = 0
    number: str | None = None


@dataclass(slots=True)
class Layout:
    text: str
    title: str | None
    title_span: Span | None
    sections: list[Section]
    bullets: list[Bullet]
    editorial: Editorial = field(default_factory=Editorial)


def parse_blocks(body: str, *, title_override: str | None = None) -> Layout:
    """Split a normalised body into title, sections, paragraphs and bullets with offsets."""
    items = _items(body)
    title: str | None = None
    if (items and items[0].kind == "md_heading" and items[0].level == 1) or (
        len(items) > 1
        and items[0].kind == "paragraph"
        and _is_headline(items[0].text)
        and items[1].kind in ("paragraph", "bullet")
        and (title_override is None or items[0].text == title_override)
    ):
        title = items.pop(0).text
    editorial = _editorial(items)
    layout = _assemble(items, title_override or title)
    layout.editorial = editorial
    return layout


def _editorial(items: list[Item]) -> Editorial:
    """Take a byline and a date line off the top of ``items`` when each is unambiguous (one of
    its kind among the first few paragraphs, and prose left after them)."""
    head = [i for i, item in enumerate(items[:EDITORIAL_LINES]) if item.kind == "paragraph"]
    bylines = [(i, found) for i in head if (found := byline_authors(items[i].text))]
    dates = [(i, found) for i in head if (found := date_line(items[i].text))]
    taken: list[int] = []
    editorial = Editorial()
    if len(bylines) == 1:
        taken.append(bylines[0][0])
        editorial.authors = bylines[0][1]
    if len(dates) == 1:
        taken.append(dates[0][0])
        editorial.published_at = dates[0][1]
    if len(taken) >= len(items):
        return Editorial()  # nothing but metadata: keep it as the text
    for index in sorted(taken, reverse=True):
        items.pop(index)
    return editorial


# -- items -----------------------------------------------------------------------------------


def _items(body: str) -> list[Item]:
    items: list[Item] = []
    for block in _blocks(body):
        items.extend(_block_items(block))
    return items


def _blocks(body: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in body.split("\n"):
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose: every line but the last is of similar, moderate length."""
    if len(lines) < 2:
        return False
    inner = lines[:-1]
    longest = max(len(line) for line in lines)
    return all(len(line) <= WRAP_MAX_LINE and len(line) >= 0.5 * longest for line in inner)


def _block_items(lines: list[str]) -> list[Item]:
    items: list[Item] = []
    prose: list[str] = [line for line in lines if not _MD_HEADING.match(line)]
    wrapped = _is_wrapped([line for line in prose if not _BULLET.match(line)])
    for line in lines:
        heading = _MD_HEADING.match(line)
        bullet = _BULLET.match(line)
        if heading:
            items.append(Item("md_heading", heading.group(2), level=len(heading.group(1))))
        elif bullet:
            items.append(Item("bullet", line[bullet.end() :], number=bullet.group(1)))
        elif wrapped and items and items[-1].kind in ("paragraph", "bullet") and items[-1].text:
            items[-1].text = f"{items[-1].text} {line}"
        else:
            items.append(Item("paragraph", line))
    return [item for item in items if item.text]


# -- classification --------------------------------------------------------------------------


def _is_headline(line: str) -> bool:
    """A short line with no terminal punctuation, starting like a title."""
    words = line.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and len(line) <= MAX_HEADING_CHARS
        and not _TERMINAL.search(line)
        and not _SENTENCE_BREAK.search(line)
        and (line[0].isupper() or line[0].isdigit() or line[0] in _QUOTES)
    )


def _split_label(text: str) -> tuple[str | None, str]:
    """``"Trade Truce: The call…"`` -> ``("Trade Truce", "The call…")``.

    No short capitalised lead before ": " means no label.
    """
    lead, sep, rest = text.partition(": ")
    if not sep or not rest.strip():
        return None, text
    words = lead.split()
    if (
        len(words) > MAX_LABEL_WORDS
        or len(lead) > MAX_LABEL_CHARS
        or not (lead[0].isupper() or lead[0].isdigit())
        or any(ch in _QUOTES for ch in lead)
        or _TERMINAL.search(lead)
        or _SPEECH_VERB.search(lead)
    ):
        return None, text
    return lead, rest.strip()


def derive_title(lede: str) -> str:
    """The lede's first sentence, shortened at a word boundary if it is long."""
    match = _SENTENCE_BREAK.search(lede)
    sentence = lede[: match.start() + 1] if match else lede
    sentence = sentence.strip()
    if len(sentence) <= MAX_DERIVED_TITLE:
        return sentence
    cut = sentence[: MAX_DERIVED_TITLE - 1].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return f"{cut}…"


# -- assembly --------------------------------------------------------------------------------


class _TextBuilder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str, separator: str) -> int:
        if self.parts:
            self.parts.append(separator)
            self.length += len(separator)
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def text(self) -> str:
        return "".join(self.parts)


def _assemble(items: list[Item], title: str | None) -> Layout:
    out = _TextBuilder()
    title_span = None
    if title:
        start = out.add(title, "")
        title_span = Span(title, start, start + len(title))

    sections: list[Section] = []
    bullets: list[Bullet] = []
    used_ids: set[str] = set()

    def new_section(heading: str | None, heading_span: Span | None, start: int) -> Section:
        unique = unique_id(section_id(heading), used_ids)
        section = Section(unique, len(sections), heading, start, start, heading_span)
        sections.append(section)
        return section

    previous_kind = None
    for index, item in enumerate(items):
        following = items[index + 1] if index + 1 < len(items) else None
        is_heading = item.kind == "md_heading" or (
            item.kind == "paragraph"
            and following is not None
            and following.kind in ("paragraph", "bullet")
            and _is_headline(item.text)
            and not (following.kind == "paragraph" and _is_headline(following.text))
        )
        separator = "\n" if item.kind == previous_kind == "bullet" else "\n\n"
        previous_kind = item.kind
        if is_heading:
            start = out.add(item.text, separator)
            new_section(item.text, Span(item.text, start, start + len(item.text)), start)
            sections[-1].end = start + len(item.text)
            continue
        section = sections[-1] if sections else None
        if item.kind == "bullet":
            label, body = _split_label(item.text)
            marker = f"{item.number}. " if item.number else "- "
            prefix = f"{marker}{label}: " if label else marker
            line_start = out.add(prefix + body, separator)
            if section is None:
                section = new_section(None, None, line_start)
            start = line_start + len(prefix)
            bullet = Bullet(
                id=bullet_id(len(bullets)),
                section_id=section.id,
                position=len(bullets),
                label=label,
                text=body,
                start=start,
                end=start + len(body),
            )
            bullets.append(bullet)
            section.bullet_ids.append(bullet.id)
            section.end = bullet.end
        else:
            start = out.add(item.text, separator)
            if section is None:
                section = new_section(None, None, start)
            end = start + len(item.text)
            section.paragraphs.append(Paragraph(len(section.paragraphs), item.text, start, end))
            section.end = end
    return Layout(out.text(), title, title_span, sections, bullets)
