"""Stage 0: bytes in, normalised lines and front matter out.

Accepts UTF-8 with or without a BOM, CRLF or CR line ends, and optional front matter between
``---`` lines. Anything that is not text is a :class:`ParseError` with a reason a person can act on.

Stray C0 control characters (an ESC pasted from a terminal, a form feed) in otherwise good text
are dropped before anything is laid out, so every offset points into the text as stored, and
reported in :attr:`Source.warnings`. Text with a NUL, or dense with controls, is binary: refused.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from ..ids import article_id
from .editorial import LIST_KEYS, MAX_ITEM_CHARS, list_field
from .errors import ParseError

FRONT_MATTER_KEYS = {
    "id",
    "title",
    "published_at",
    "source_url",
    "canonical_url",  # another name for source_url
    "language",
    "authors",
    "tags",
    "section",
    "image",
}
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Control characters are strays to drop while fewer than this many, or at most one in this many
#: characters of the text; more, and the file is binary.
BINARY_MIN_CONTROLS = 4
BINARY_ONE_IN = 100
#: How many line numbers a warning lists.
_LINES_SHOWN = 5
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(slots=True)
class Source:
    body: str
    front_matter: dict[str, object]
    warnings: list[str] = field(default_factory=list)


def decode(raw: bytes) -> str:
    """Decode a seed file: UTF-8 (a BOM is dropped); a UTF-16/32 BOM or invalid bytes are errors."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError("file is UTF-16 encoded; save it as UTF-8")
    if b"\x00" in raw:
        raise ParseError("file contains NUL bytes: it looks binary, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(f"file is not valid UTF-8 (byte offset {error.start})") from None
    return text


def split_front_matter(text: str) -> Source:
    """Normalise line ends and spacing; split off front matter if the text opens with ``---``."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\ufeff", "")
    text, warnings = drop_stray_controls(text)
    front: dict[str, object] = {}
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        try:
            close = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
        except StopIteration:
            raise ParseError("front matter opened with '---' is never closed") from None
        front = _read_front_matter("\n".join(lines[1:close]))
        lines = lines[close + 1 :]
    body = "\n".join(_INLINE_SPACE.sub(" ", line).strip() for line in lines)
    return Source(body=body, front_matter=front, warnings=warnings)


def drop_stray_controls(text: str) -> tuple[str, list[str]]:
    """``text`` without its C0 control characters (tab and line ends are text), and a warning
    naming them and their lines; a :class:`ParseError` when there are so many the file is binary."""
    found = list(_CONTROL.finditer(text))
    if not found:
        return text, []
    if len(found) >= BINARY_MIN_CONTROLS and len(found) * BINARY_ONE_IN > len(text):
        raise ParseError(
            f"file contains {len(found)} control characters in {len(text)}: it looks binary, "
            "not text"
        )
    codes = sorted({f"U+{ord(match.group()):04X}" for match in found})
    lines = sorted({text.count("\n", 0, match.start()) + 1 for match in found})
    shown = ", ".join(map(str, lines[:_LINES_SHOWN])) + (", …" if len(lines) > _LINES_SHOWN else "")
    plural = "s" if len(found) > 1 else ""
    warning = (
        f"dropped {len(found)} control character{plural} ({', '.join(codes)}) at "
        f"line{'s' if len(lines) > 1 else ''} {shown}"
    )
    return _CONTROL.sub("", text), [warning]


def _read_front_matter(block: str) -> dict[str, object]:
    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as error:
        raise ParseError(f"front matter is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ParseError("front matter must be 'key: value' lines")
    return checked_fields(data)


def checked_fields(data: dict) -> dict[str, object]:
    """Front-matter fields (from the file, or given beside it, as by an API write) checked and
    normalised: unknown keys dropped, ``published_at`` as RFC 3339 UTC, ``id`` as a slug,
    ``authors`` and ``tags`` as lists of strings, ``canonical_url`` as ``source_url``."""
    front: dict[str, object] = {}
    for key, value in data.items():
        if key not in FRONT_MATTER_KEYS or value is None:
            continue
        if key == "published_at":
            front[key] = _iso_timestamp(value)
        elif key in LIST_KEYS:
            front[key] = list_field(key, value)
        elif key == "canonical_url":
            front.setdefault("source_url", str(value).strip())
        elif isinstance(value, str | int | float):
            front[key] = str(value).strip()
        else:
            raise ParseError(f"front matter '{key}' must be a single value")
    if "id" in front:
        slug = article_id(front["id"])
        if not slug:
            raise ParseError("front matter 'id' has no letters or digits")
        front["id"] = slug
    if len(str(front.get("section", ""))) > MAX_ITEM_CHARS:
        raise ParseError(f"front matter 'section' is over {MAX_ITEM_CHARS} characters")
    if "language" in front and not _LANGUAGE.match(front["language"]):
        raise ParseError(f"front matter 'language' is not a language tag: {front['language']!r}")
    return front


def _iso_timestamp(value: object) -> str:
    """A date or date-time as RFC 3339 in UTC (a bare date is midnight UTC)."""
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        raise ParseError(f"front matter 'published_at' is not an ISO 8601 date or time: {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
