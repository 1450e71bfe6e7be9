"""Slugs and ids: every rule that turns a name into an id, one function per kind of id.

A neutral module (the standard library only: no Flask, no SQL, no parser), so that the parser,
which makes the ids, and the API, which turns a request's words into the same ids, share one rule.

==========  ========================  ==============================================================
kind of id  function                  rule → example
==========  ========================  ==============================================================
article     ``article_id(name)``      lower case; each run of characters outside ``[a-z0-9]``
                                      becomes one ``-`` (so accented letters are dropped); ``-``
                                      trimmed; at most 128 characters; ``""`` if nothing is left
                                      (the caller refuses the file).
                                      ``000_8cbe90a26df69869`` → ``000-8cbe90a26df69869``,
                                      ``Café Zoë`` → ``caf-zo``
section     ``section_id(heading)``   the article rule, at most 60 characters, ``section`` if
                                      nothing is left; the untitled opening section is ``opening``
                                      (:data:`OPENING_SECTION_ID`).
                                      ``US-China Trade Talks`` → ``us-china-trade-talks``,
                                      ``Café Zoë`` → ``caf-zo``, ``!!!`` → ``section``
entity      ``entity_slug(name)``     accents folded to ASCII (NFKD, the rest dropped), then the
                                      article rule, at most 80 characters, ``entity`` if nothing is
                                      left.
                                      ``Donald Trump`` → ``donald-trump``,
                                      ``Zoë Ball`` → ``zoe-ball``, ``習近平`` → ``entity``
entity key  ``entity_key(type, id)``  corpus-wide: the lower-cased type, ``:``, the entity id.
                                      (``PERSON``, ``donald-trump``) → ``person:donald-trump``
entity      ``entity_names(…)``       every name an entity is known by, for the filters that take
names       ``name_keys(word)``       any (``speaker``, ``entity``): its key, its id and the
                                      folded slugs of its name and aliases; a request's word is
                                      looked up as its slug and as itself, lower-cased.
                                      ``Trump`` → ``trump``, ``person:donald-trump`` → itself
bullet      ``bullet_id(position)``   ``b`` and the 1-based position in the article.
                                      0 → ``b1``
quote       ``quote_id(position)``    ``q`` and the 1-based position in the article.
                                      0 → ``q1``
source      ``file_source(name)``     the source owning an article id: ``file:`` and the seed file's
                                      name. ``000_8cbe90a26df69869.txt`` →
                                      ``file:000_8cbe90a26df69869.txt``
==========  ========================  ==============================================================

Section and entity ids are unique within their article: a repeat gets ``-2``, ``-3``, … in order
(:func:`unique_id`): ``opening``, ``opening-2``.

The article and section rules drop accented letters while the entity rule folds them: a known
difference, kept for now because changing it would change stored ids.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "OPENING_SECTION_ID",
    "article_id",
    "bullet_id",
    "entity_key",
    "entity_names",
    "entity_slug",
    "file_source",
    "name_keys",
    "quote_id",
    "section_id",
    "speaker_key",
    "unique_id",
]

#: The id of the section before the first heading (an article that opens without one).
OPENING_SECTION_ID = "opening"

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str, limit: int) -> str:
    """Lower case, each run outside ``[a-z0-9]`` as one ``-``, trimmed, cut at ``limit``."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:limit].rstrip("-")


#: What an article id looks like (what :func:`article_id` makes): a client naming an id to
#: write must send it in this form.
ARTICLE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

#: The longest article id (:func:`article_id` cuts a longer name here; a write naming a longer
#: id is a 400).
ARTICLE_ID_MAX_LENGTH = 128


def article_id(name: str) -> str:
    """An article's id from a file stem or a front-matter ``id``: ``000_8cbe90a26df69869`` ->
    ``000-8cbe90a26df69869``; ``""`` if the name has no letters or digits."""
    return _slug(name, ARTICLE_ID_MAX_LENGTH)


def section_id(heading: str | None) -> str:
    """A section's id from its heading; :data:`OPENING_SECTION_ID` for a section without one."""
    if not heading:
        return OPENING_SECTION_ID
    return _slug(heading, 60) or "section"


def _name_slug(name: str) -> str:
    """Accents folded to ASCII, then the slug rule at 80 characters; "" if nothing is left."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _slug(text, 80)


def entity_slug(name: str) -> str:
    """An entity's id from its name: accents folded to ASCII, then the slug rule."""
    return _name_slug(name) or "entity"


def entity_names(key: str, entity_id: str, name: str, aliases: list[str]) -> set[str]:
    """Every name an entity is known by in its article: its key, its id, and the slugs of its
    name and aliases (``person:donald-trump``, ``donald-trump``, ``trump``, …)."""
    slugs = {_name_slug(each) for each in [name, *aliases]}
    return {key, entity_id} | (slugs - {""})


def speaker_key(name: str) -> str:
    """The filter key of a speaker no entity matches: its name's slug (``Tomas Reyes`` ->
    ``tomas-reyes``), so that ``speaker=Tomas Reyes`` or ``speaker=tomas-reyes`` finds it."""
    return _name_slug(name)


def label_key(label: str) -> str:
    """A tag, author or section as a facet value and filter key: its slug (``Local Politics``
    -> ``local-politics``), so ``tag=Local Politics`` and ``tag=local-politics`` agree."""
    return _name_slug(label)


def name_keys(word: str) -> tuple[str, ...]:
    """What a filter's word is looked up as among :func:`entity_names`: its slug (a name, an
    alias or an id) and itself lower-cased (an entity key)."""
    word = word.strip()
    return tuple(sorted({_name_slug(word), word.lower()} - {""}))


def entity_key(entity_type: str, entity_id: str) -> str:
    """Corpus-wide key of an entity: ``person:donald-trump``."""
    return f"{entity_type.lower()}:{entity_id}"


def bullet_id(position: int) -> str:
    """The id of the article's bullet at 0-based ``position``: ``b1``, ``b2``, …"""
    return f"b{position + 1}"


def quote_id(position: int) -> str:
    """The id of the article's quote at 0-based ``position``: ``q1``, ``q2``, …"""
    return f"q{position + 1}"


def file_source(file_name: str) -> str:
    """The source id of a seed file, the owner of the article ids it brings."""
    return f"file:{file_name}"


def unique_id(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``, … the first not in ``used``; it is added to ``used``."""
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate
