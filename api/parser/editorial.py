"""Editorial metadata: who wrote an article, when, under which section and tags.

Front matter (or a write's JSON fields) states them; an as-is article may instead open with a
byline (``By Jane Smith and Tom Reid``) or a date line (``Published 1 December 2026``,
``2026-12-01``), which are used only when they are unambiguous: one such line each, among the
first lines after the title, and nothing else on it. Those lines are metadata, not prose, so
they leave the text (like a title line) and every offset points into the prose alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .errors import ParseError

#: Front-matter keys holding a list (a YAML list, or one string separated by commas).
LIST_KEYS = ("authors", "tags")
#: At most this many authors or tags; each at most this many characters.
MAX_LIST_ITEMS = 20
MAX_ITEM_CHARS = 100
#: Byline and date lines are looked for among this many first blocks after the title.
EDITORIAL_LINES = 3

_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|der|da|di|le|la|bin|al))*"
_BYLINE = re.compile(rf"^(?:By|BY)\s+({_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)$")
_BYLINE_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_LEAD = (
    r"^(?:(?:Published|Posted|Updated|Date)\s*:?\s*)?(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?\s+)?"
)
_DAY_MONTH_YEAR = re.compile(rf"{_LEAD}(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})$", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"{_LEAD}{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})$", re.IGNORECASE)
_ISO_DATE = re.compile(rf"{_LEAD}(\d{{4}})-(\d{{2}})-(\d{{2}})$", re.IGNORECASE)


@dataclass(slots=True)
class Editorial:
    """What a byline and a date line at the top of the text said."""

    authors: list[str] = field(default_factory=list)
    published_at: str | None = None


def byline_authors(line: str) -> list[str] | None:
    """The names of a byline (``By A, B and C``), or None when the line is not one."""
    match = _BYLINE.match(line.strip())
    if match is None:
        return None
    names = [name.strip() for name in _BYLINE_SPLIT.split(match.group(1)) if name.strip()]
    if not names or any(len(name.split()) > 5 or len(name) > MAX_ITEM_CHARS for name in names):
        return None
    return names


def date_line(line: str) -> str | None:
    """A line that is only a calendar date, as RFC 3339 midnight UTC; else None."""
    text = line.strip()
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy"), (_ISO_DATE, "ymd")):
        match = pattern.match(text)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = parts["m"]
        month_number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
        try:
            day = dt.date(int(parts["y"]), month_number, int(parts["d"]))
        except ValueError:
            return None
        return f"{day.isoformat()}T00:00:00Z"
    return None


def list_field(key: str, value: object) -> list[str]:
    """A front-matter list (``authors``, ``tags``): a YAML list of strings or one string with
    commas, each item stripped, empty ones dropped, duplicates kept once."""
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list | tuple):
        if not all(isinstance(item, str | int | float) for item in value):
            raise ParseError(f"front matter '{key}' must be a list of strings")
        items = [str(item) for item in value]
    else:
        raise ParseError(f"front matter '{key}' must be a list or a comma-separated string")
    cleaned = list(dict.fromkeys(" ".join(item.split()) for item in items if item.strip()))
    if len(cleaned) > MAX_LIST_ITEMS:
        raise ParseError(f"front matter '{key}' has {len(cleaned)} items; at most {MAX_LIST_ITEMS}")
    long = next((item for item in cleaned if len(item) > MAX_ITEM_CHARS), None)
    if long is not None:
        raise ParseError(f"front matter '{key}' item is over {MAX_ITEM_CHARS} characters")
    return cleaned
