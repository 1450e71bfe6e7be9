"""Named entities: spaCy NER spans cleaned, extended and merged into one entity per referent.

Steps, in order (all cheap, linear in the number of tokens and mentions):

1. **Spans.** ``doc.ents`` of the kept types (PERSON, ORG, GPE, LOC, NORP, EVENT, FAC,
   PRODUCT, LAW, WORK_OF_ART, LANGUAGE). Dates, times and numbers (DATE, TIME, PERCENT, MONEY,
   QUANTITY, ORDINAL, CARDINAL) are **dropped**: they are not named entities of the article.
2. **Cleaning.** A leading "the", a trailing possessive ('s / ’s), leading job titles
   ("President", "Commerce Secretary", "Judge"; remembered as the person's *role*) are cut off; an
   honorific directly before a person ("Mr", "Ms", "Professor", …) is kept in the mention text
   but not in the name. A span cut short on "of"/"the" is extended over the capitalised words
   that follow; "X’s Y" (a possessor in front of a name) and "Y in X" are split in two; a span
   running over a line break is cut at it; time zones are not entities; a single word that is
   capitalised only because it stands in a heading (its lower-case form is used in the text) is
   dropped. "<Person> administration" is an ORG. Party names without NER support (Tory, Labour, …)
   are found by form.
3. **Canonical names.** Standard expansions: US / U.S. / USA / the United States -> "United
   States", UK / U.K. / Britain -> "United Kingdom", Tory / Tories / Conservative(s) ->
   "Conservative Party", Labour -> "Labour Party", and a few more in :data:`.lexicon.EXPANSIONS`.
4. **Merging.** Mentions with the same name form one entity; a shorter name (a surname, a single
   name, "Xi" of "Xi Jinping") joins the *one* longer name that contains it as whole words (no
   merge when two longer names contain it); a person's full name absorbs its surname even when
   NER typed that surname ORG; an acronym joins the organisation whose initials it spells
   ("HWU" <-> "Harbour Workers Union").
5. **Repeats.** Every further occurrence in the text of a name or alias already recognised (for
   example in a heading, where NER missed it) becomes a mention too.
6. **Types** by vote over the mentions (a full name counts twice); an honorific means PERSON; an
   organisation head word ("Centre", "Association", "Committee", …) means ORG.

``name`` is the fullest form; ``aliases`` the other surface forms (surnames, "Ms X" forms, "US"),
never job titles or pronouns. ``id`` is the slug of ``name``, made unique with "-2", "-3".

**Salience** (0–1): ``raw = mentions × (1.5 − first_offset / len(text))``, so an entity named
first counts its mentions one and a half times and one named only at the very end half as much;
``salience = raw / max(raw)`` over the article, rounded to 3 places (the top entity gets 1.0).

Entities are listed in order of first mention.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..ids import entity_slug, unique_id
from .document import ArticleDocument, Entity, Mention
from .lexicon import (
    ABBREVIATIONS,
    CLUB_HEADS,
    COMPANY_HEADS,
    COMPANY_NOUNS,
    CORPORATE_SUFFIXES,
    CUE_LEMMAS,
    DATE_WORDS,
    DEMONYMS,
    EVENT_HEADS,
    EXPANSIONS,
    FEMALE_HONORIFICS,
    FEMALE_WORDS,
    FUNCTION_TAIL,
    GROUP_SUFFIXES,
    GROUP_WORDS,
    HONORIFICS,
    MALE_HONORIFICS,
    MALE_WORDS,
    MATCH_NOUNS,
    MATCH_VERBS,
    MEDIA_NOUNS,
    MEMBER_ROLES,
    NAME_FUNCTION_WORDS,
    NATIONALITY_ADJECTIVE_SUFFIXES,
    NATIONALITY_MODIFIER_SUFFIXES,
    ORG_HEADS,
    ORG_NOUNS,
    PARTY_FORM_ARTICLES,
    PARTY_FORMS,
    PERSON_ROLES,
    PLACE_NOUNS,
    PLACE_PREPOSITIONS,
    POLITICAL_NOUNS,
    PORTFOLIO_HEADS,
    REGION_ABBREVIATIONS,
    SAINT_WORDS,
    TEAM_NOUNS,
    TEAM_ROLES,
    TIME_ZONES,
    TITLE_MODIFIERS,
    TITLE_WORDS,
    TITLES_AND_HONORIFICS,
    WEAK_CUE_LEMMAS,
    WORK_NOUNS,
)
from .places import CITY, COUNTRY, REGION, place_kind

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

KEPT_TYPES = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "NORP",
        "EVENT",
        "FAC",
        "PRODUCT",
        "LAW",
        "WORK_OF_ART",
        "LANGUAGE",
    }
)

_EXTENDABLE = frozenset({"ORG", "WORK_OF_ART", "EVENT", "FAC", "PRODUCT", "LAW"})


def norm_key(text: str) -> str:
    """Comparison key of a name: NFKC, straight apostrophes, single spaces, case-folded."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return " ".join(text.split()).casefold()


@dataclass(slots=True)
class RawMention:
    """One mention before merging: its span in the text and what NER and the rules said."""

    start: int  # of the mention text (honorific included)
    end: int
    core_start: int  # of the name proper (honorific excluded)
    label: str
    tok_start: int
    tok_end: int
    honorific: str | None = None
    role: str | None = None
    source: str = "ner"
    canonical: str | None = None
    forced_type: str | None = None
    #: a job title stood in front of the name ("Foreign Minister X"), whatever NER typed it
    titled: bool = False


@dataclass(slots=True)
class _Group:
    key: str
    name: str
    mentions: list[RawMention] = field(default_factory=list)
    merged_into: _Group | None = None

    def root(self) -> _Group:
        group = self
        while group.merged_into is not None:
            group = group.merged_into
        return group


@dataclass(slots=True)
class EntityAnalysis:
    """The entities and the indexes the quote stage needs."""

    entities: list[Entity]
    #: token index -> index into ``entities`` (or -1)
    token_entity: list[int]
    #: (role key, char offset where introduced, entity index), in text order
    roles: list[tuple[str, int, int]]
    #: entity index -> "f" / "m" where an honorific tells
    gender: dict[int, str]
    #: (char start, entity index) of every mention, sorted
    mention_starts: list[tuple[int, int]]

    def entity_of_token(self, i: int) -> int:
        return self.token_entity[i] if 0 <= i < len(self.token_entity) else -1


# -- public ----------------------------------------------------------------------------------


def extract(document: ArticleDocument, doc: Doc) -> EntityAnalysis:
    text = document.text
    styled = _heading_ranges(document)
    raw = _raw_mentions(document, doc, text, styled)
    _trim_styled(raw, doc, document, styled)
    groups = _group(raw, text)
    _merge(groups)
    roots: dict[int, list[RawMention]] = defaultdict(list)
    root_of: dict[int, _Group] = {}
    for group in groups:
        root = group.root()
        roots[id(root)].extend(group.mentions)
        root_of[id(root)] = root
    clusters = [(root_of[k], ms) for k, ms in roots.items() if ms]
    clusters = _add_repeats(clusters, doc, text)
    return _build(document, doc, clusters, styled)


# -- raw mentions ----------------------------------------------------------------------------


def _raw_mentions(
    document: ArticleDocument, doc: Doc, text: str, headings: list[tuple[int, int]]
) -> list[RawMention]:
    """``headings``: the lines capitalised by style (:func:`_heading_ranges`)."""
    out: list[RawMention] = []
    lower_words: set[str] | None = None
    for ent in doc.ents:
        if ent.label_ not in KEPT_TYPES:
            continue
        for piece in _clean(ent, doc, text):
            if piece is None:
                continue
            if _capitalised_by_position(piece, doc, headings):
                # "Retailer warns on profits": a common word capitalised as a heading's or a
                # sentence's first word, used in lower case elsewhere in the text
                if lower_words is None:
                    lower_words = {t.lower_ for t in doc if t.is_lower}
                if text[piece.core_start : piece.end].lower() in lower_words:
                    continue
            if _in_credit(text, piece):
                continue
            out.append(piece)
    out.extend(_places_by_name(doc, out))
    out = _place_led_names(doc, out)
    out = _joined_firms(doc, text, out)
    out = _quoted_titles(doc, text, out)
    out.extend(_defined_acronyms(doc, out))
    out = _place_led_events(doc, out)
    out.extend(_party_forms(doc, text, out))
    out.extend(_places_after(doc, out))
    out = _split_modifiers(doc, text, out)
    out.sort(key=lambda m: m.start)
    return out


#: After a name, a photo credit's slash and agency: "(Jo Lee/Reuters)", "Jo Lee / AP".
_CREDIT_AFTER = re.compile(r"[ \t]*/[ \t]*[A-Z]")
#: After a name opening its line, the rest of a byline: "Jo Lee, The Associated Press".
_BYLINE_REST = re.compile(r",[ \t]+(?:[A-Z][\w.&'’-]*[ \t]*){1,5}")


def _in_credit(text: str, m: RawMention) -> bool:
    """A photographer's or wire reporter's name in a credit or byline is page furniture, not a
    person the article is about (nor an antecedent for "he" or "she")."""
    if m.label not in ("PERSON", "ORG"):
        return False  # "European / Mediterranean"
    if _CREDIT_AFTER.match(text, m.end):
        return True
    if m.label != "PERSON":
        return False  # "Toronto, Ont." opening a dateline is a place
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line_end = len(text) if line_end < 0 else line_end
    return (
        not text[line_start : m.start].strip()
        and _BYLINE_REST.fullmatch(text, m.end, line_end) is not None
    )


def _place_led_names(doc: Doc, found: list[RawMention]) -> list[RawMention]:
    """ "the Kelburn Otters", "the Velmora Treasury Department": a place NER typed on its own
    right before a body's name (a team's plural, a government department) is part of it."""
    ordered = sorted(found, key=lambda m: m.tok_start)
    out: list[RawMention] = []
    k = 0
    while k < len(ordered):
        m = ordered[k]
        nxt = ordered[k + 1] if k + 1 < len(ordered) else None
        if (
            nxt is not None
            and m.label == "GPE"
            and not m.honorific
            and nxt.label == "ORG"
            and nxt.tok_start == m.tok_end
            and nxt.start - m.end == 1
            and doc[m.tok_end - 1].whitespace_ == " "
            and not doc[nxt.tok_start].is_upper
            and (
                _plural_nickname(doc[nxt.tok_end - 1])
                or doc[nxt.tok_end - 1].lower_ in ("department", "ministry", "treasury")
            )
        ):
            out.append(
                RawMention(
                    m.start, nxt.end, m.core_start, "ORG", m.tok_start, nxt.tok_end, source="rule"
                )
            )
            k += 2
            continue
        out.append(m)
        k += 1
    return out


def _places_by_name(doc: Doc, found: list[RawMention]) -> list[RawMention]:
    """Places NER missed: a country the gazetteer knows ("Velmora beat Tollmere" may hide one
    at a sentence's start), a standard form of one ("U.S."), and a name right after "the town
    of", "the region of" and the like. Not a country that is a first name too before another
    capitalised word ("Jordan Ellis"), nor a word inside a longer capitalised name."""
    taken = {k for m in found for k in range(m.tok_start, m.tok_end)}
    out = []
    n = len(doc)
    # only capitalised words outside NER's entities (most words are neither: no Token for them)
    flags = doc.to_array(["IS_TITLE", "IS_UPPER", "ENT_IOB"])
    candidates = [
        int(i)
        for i in ((flags[:, 0] | flags[:, 1]) & (flags[:, 2] != 1) & (flags[:, 2] != 3)).nonzero()[
            0
        ]
    ]
    skip_to = 0
    for k in candidates:
        if k < skip_to:
            continue
        tok = doc[k]
        if k in taken or tok.ent_type_:
            continue
        prev = doc[k - 1] if k > 0 else None
        if prev is not None and prev.is_title and prev.lower_ not in _function_words():
            continue  # inside a longer name ("Harbour Velmora Trust")
        found_here = 0
        for size in (3, 2, 1):
            e = k + size
            if e > n or any(j in taken or doc[j].ent_type_ for j in range(k, e)):
                continue
            if any("\n" in doc[j].whitespace_ for j in range(k, e - 1)):
                continue
            phrase = doc[k:e].text
            key = norm_key(phrase)
            expansion = EXPANSIONS.get(key)
            country = place_kind(phrase) == COUNTRY or (
                expansion is not None and expansion[1] == "GPE" and not tok.is_lower
            )
            if not country:
                continue
            after = doc[e] if e < n else None
            if after is not None and after.is_title and "\n" not in doc[e - 1].whitespace_:
                continue  # "Jordan Ellis", "Chad Harbour Trust"
            if after is not None and not doc[e - 1].whitespace_ and after.text in ("-", "’", "'"):
                continue  # "Velmora-based", a word of a longer one
            found_here = size
            break
        if not found_here and prev is not None and prev.lower_ == "of" and k >= 2:
            noun = doc[k - 2]
            if noun.is_lower and noun.lemma_.lower() in PLACE_NOUNS and tok.pos_ == "PROPN":
                e = k + 1
                while e < n and e - k < 5:
                    if doc[e].is_title and doc[e].pos_ == "PROPN":
                        e += 1
                    elif (
                        doc[e].text == "-"
                        and not doc[e - 1].whitespace_
                        and not doc[e].whitespace_
                        and e + 1 < n
                        and doc[e + 1].is_title
                    ):
                        e += 2  # "Corran-Ellis"
                    else:
                        break
                if not any(j in taken or doc[j].ent_type_ for j in range(k, e)):
                    found_here = e - k  # "the town of Pellow Creek"
        if found_here:
            e = k + found_here
            a, b = tok.idx, doc[e - 1].idx + len(doc[e - 1].text)
            out.append(RawMention(a, b, a, "GPE", k, e, source="rule"))
            skip_to = e
    return out


def _joined_firms(doc: Doc, text: str, found: list[RawMention]) -> list[RawMention]:
    """ "Harlow and Finch Ltd", "Marsh & Tolley Inc": a firm's name of two names joined by "and"
    or "&", where NER kept only the second (or made two of it), is one name."""
    out = sorted(found, key=lambda m: m.tok_start)
    for m in list(out):
        k = m.tok_start
        if m.label != "ORG" or k < 2 or doc[k - 1].lower_ not in ("and", "&"):
            continue
        if not _org_headed(text[m.core_start : m.end]):
            continue
        s = k - 1
        while (
            s > 0
            and k - 1 - s < 3
            and doc[s - 1].is_title
            and doc[s - 1].pos_ == "PROPN"
            and "\n" not in doc[s - 1].whitespace_
            and doc[s - 1].ent_type_ in ("", "ORG", "PERSON")
            and doc[s - 1].lower_.rstrip(".") not in TITLES_AND_HONORIFICS
        ):
            s -= 1
        if s == k - 1 or doc[s].lower_ in DATE_WORDS:
            continue
        if _org_headed(doc[s : k - 1].text) or doc[k - 2].text.rstrip(".") in CORPORATE_SUFFIXES:
            continue  # "Kelburn Mills Inc and Harlow Ltd": two firms
        if doc[s].is_sent_start and dictionary_word(doc[s].lower_):
            continue  # "Shares and Kelburn Ltd …"
        out = [x for x in out if x.tok_end <= s or x.tok_start >= m.tok_end or x is m]
        merged = RawMention(doc[s].idx, m.end, doc[s].idx, "ORG", s, m.tok_end, source="rule")
        out[out.index(m)] = merged
    return out


#: A double quotation mark before a capital: where a quoted title may open.
_OPENING_MARK = re.compile(r'["“](?=[A-Z])')


def _quoted_titles(doc: Doc, text: str, found: list[RawMention]) -> list[RawMention]:
    """ "the film “The Quiet Harbour of Kelburn”", "her novel “A House in Mossford”": a quoted
    title after a noun for a work (or a quoted title NER typed a work) is one work, whole,
    "The" included."""
    out = list(found)
    n = len(doc)
    for match in _OPENING_MARK.finditer(text):
        opener = doc.char_span(match.start(), match.end())
        if opener is None or len(opener) != 1:
            continue
        k = opener.start
        if k + 1 >= n:
            continue
        e = k + 1
        while e < n and e - k <= 10 and doc[e].text not in ('"', "”") and "\n" not in doc[e].text:
            e += 1
        if e >= n or doc[e].text not in ('"', "”") or e == k + 1:
            continue
        a, b = k + 1, e
        while b > a and doc[b - 1].is_punct:
            b -= 1
        if b <= a:
            continue
        words = [t for t in doc[a:b] if t.is_alpha]
        if not words or not words[0].is_title or any(t.is_space for t in doc[a:b]):
            continue
        if not all(t.is_title or t.is_upper or t.lower_ in _function_words() for t in words):
            continue
        work_before = k > 0 and doc[k - 1].lower_ in WORK_NOUNS
        ner_work = any(
            m.label == "WORK_OF_ART" and a <= m.tok_start and m.tok_end <= b for m in found
        )
        if not (work_before or ner_work):
            continue
        start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
        out = [m for m in out if m.end <= start or m.start >= end]
        out.append(RawMention(start, end, start, "WORK_OF_ART", a, b, source="rule"))
    return out


def _plural_nickname(tok: Token) -> bool:
    """A capitalised plural ("Otters", "Night Herons"'s last word): a team's nickname."""
    if tok.tag_ == "NNPS":
        return True
    word = tok.text
    return (
        tok.is_title
        and len(word) > 3
        and word.endswith("s")
        and not word.endswith("ss")
        and word[:-1].lower() in _dictionary_words()
    )


def _defined_acronyms(doc: Doc, found: list[RawMention]) -> list[RawMention]:
    """ "the Harbour Workers Union (HWU)": the acronym in brackets after a body's name is a
    mention of that body (it joins the name by its initials; its later uses are repeats)."""
    taken = {k for m in found for k in range(m.tok_start, m.tok_end)}
    out = []
    for m in found:
        k = m.tok_end
        if m.label in ("PERSON", "GPE", "NORP") or k + 2 >= len(doc):
            continue
        tok = doc[k + 1]
        letters = tok.text.replace(".", "")
        if (
            doc[k].text == "("
            and doc[k + 2].text == ")"
            and tok.i not in taken
            and 2 <= len(letters) <= 8
            and letters.isalpha()
            and letters.isupper()
        ):
            a, b = tok.idx, tok.idx + len(tok.text)
            out.append(RawMention(a, b, a, m.label, k + 1, k + 2, source="rule"))
    return out


def _place_led_events(doc: Doc, found: list[RawMention]) -> list[RawMention]:
    """ "the Velmoran Open", "the Kelburn Amateur Championship": a place or nationality NER
    typed on its own, then capitalised words ending in a competition's head word, are one
    event."""
    out: list[RawMention] = []
    skip_to = -1
    by_start = {m.tok_start: m for m in found}
    for m in sorted(found, key=lambda m: m.tok_start):
        if m.tok_start < skip_to:
            continue
        e = m.tok_end
        if m.label in ("GPE", "NORP") and not m.honorific:
            while (
                e < len(doc)
                and e - m.tok_end < 4
                and doc[e].is_title
                and "\n" not in doc[e - 1].whitespace_
                and (not doc[e].ent_type_ or e in by_start or doc[e].ent_iob_ == "I")
            ):
                e += 1
            while e > m.tok_end and doc[e - 1].lower_ not in EVENT_HEADS:
                e -= 1
        if e > m.tok_end:
            end = doc[e - 1].idx + len(doc[e - 1].text)
            out.append(RawMention(m.start, end, m.core_start, "EVENT", m.tok_start, e))
            skip_to = e
            continue
        out.append(m)
    return [m for m in out if m.tok_start >= 0]


def _places_after(doc: Doc, found: list[RawMention]) -> list[RawMention]:
    """ "the Harbour Lane Shopping Centre in Eastvale": a capitalised name after an organisation or
    facility and "in" is a place, where NER missed it."""
    out = []
    for m in found:
        k = m.tok_end
        if m.label not in ("ORG", "FAC") or k + 1 >= len(doc) or doc[k].lower_ != "in":
            continue
        e = k + 1
        while (
            e < len(doc)
            and e - k <= 3
            and doc[e].pos_ == "PROPN"
            and doc[e].is_title
            and (not doc[e].ent_type_)
        ):
            e += 1
        if e > k + 1:
            a, b = doc[k + 1].idx, doc[e - 1].idx + len(doc[e - 1].text)
            out.append(RawMention(a, b, a, "GPE", k + 1, e, source="rule"))
    return out


def _split_modifiers(doc: Doc, text: str, found: list[RawMention]) -> list[RawMention]:
    """ "the Kelshire Tidewell team", "the European Tidewell project": a place or
    nationality word in front of a name that occurs without it (or after another such word)."""
    cores = {text[m.core_start : m.end] for m in found}
    places = {
        text[m.core_start : m.end]
        for m in found
        if m.label in ("GPE", "NORP", "LOC") and m.tok_end - m.tok_start == 1
    }

    def modifier(m: RawMention) -> str | None:
        if m.label not in ("ORG", "FAC", "PRODUCT") or m.honorific or m.tok_end - m.tok_start < 2:
            return None
        if _plural_nickname(doc[m.tok_end - 1]):
            return None  # "the Kelburn Otters": a team is named with its town, "Otters" for short
        first = doc[m.tok_start]
        if first.text in places or (
            first.is_title and first.lower_.endswith(NATIONALITY_MODIFIER_SUFFIXES)
        ):
            return text[doc[m.tok_start + 1].idx : m.end]
        return None

    rests: Counter[str] = Counter(r for r in map(modifier, found) if r)
    out = []
    for m in found:
        rest = modifier(m)
        if rest and (rest in cores or rests[rest] >= 2):
            first = doc[m.tok_start]
            label = "GPE" if first.text in places and not first.lower_.endswith("an") else "NORP"
            for other in found:
                if text[other.core_start : other.end] == first.text and other.label in (
                    "GPE",
                    "NORP",
                    "LOC",
                ):
                    label = other.label
                    break
            a = doc[m.tok_start + 1].idx
            out.append(
                RawMention(
                    m.start,
                    m.start + len(first.text),
                    m.start,
                    label,
                    m.tok_start,
                    m.tok_start + 1,
                    source="split",
                )
            )
            out.append(RawMention(a, m.end, a, m.label, m.tok_start + 1, m.tok_end, source="split"))
        else:
            out.append(m)
    return out


def _heading_ranges(document: ArticleDocument) -> list[tuple[int, int]]:
    """The title line, the section headings and any other line in title case ("Ana Ruiz
    Answers Back"): words there are capitalised by style, not because they are names."""
    ranges = []
    if document.title_source != "derived" and document.text.startswith(document.title):
        ranges.append((0, len(document.title)))
    for section in document.sections:
        if section.heading_span is not None:
            ranges.append((section.heading_span.start, section.heading_span.end))
    offset = 0
    for line in document.text.split("\n"):
        words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
            ranges.append((offset, offset + len(line)))
        offset += len(line) + 1
    return sorted(ranges)


def _title_case_line(line: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _trim_styled(
    raw: list[RawMention], doc: Doc, document: ArticleDocument, styled: list[tuple[int, int]]
) -> None:
    """A mention in a title-case line ("Mayor Lena Park Defends Budget") may have run the next
    capitalised word into the name: cut it back to the longest of its leading words that prose
    elsewhere in the article writes as such ("Lena Park")."""
    text = document.text
    # only in lines in title case: a short line of prose the layout took for a heading ("…
    # said coach Ana Ruiz.") keeps its names whole
    titled = [(a, b) for a, b in styled if _title_case_line(text[a:b])]
    if not titled:
        return
    prose = list(text)
    for a, b in styled:
        prose[a:b] = " " * (b - a)
    prose_text = "".join(prose)
    for m in raw:
        if m.tok_end - m.tok_start < 2 or not any(a <= m.start < b for a, b in titled):
            continue
        full = text[m.core_start : m.end]
        for k in range(m.tok_end - 1, m.tok_start, -1):
            end = doc[k - 1].idx + len(doc[k - 1].text)
            if end <= m.core_start:
                break
            prefix = text[m.core_start : end]
            if prefix != full and re.search(r"\b" + re.escape(prefix) + r"\b", prose_text):
                if not re.search(r"\b" + re.escape(full) + r"\b", prose_text):
                    m.end, m.tok_end = end, k
                break


def _capitalised_by_position(m: RawMention, doc: Doc, headings: list[tuple[int, int]]) -> bool:
    if m.tok_end - m.tok_start != 1 or m.honorific:
        return False
    return doc[m.tok_start].is_sent_start or any(a <= m.start < b for a, b in headings)


def _clean(ent: Span, doc: Doc, text: str) -> list[RawMention | None]:
    label = ent.label_
    i, j = ent.start, ent.end
    # cut at a line break, and at a slash ("Jo Lee/Reuters": a name and an agency)
    for k in range(i, j):
        if "\n" in doc[k].text_with_ws and k + 1 < j:
            j = k + 1
            break
        if doc[k].text in ("/", "(") and k > i:
            j = k  # and at a bracket: "Harbour Workers Union (HWU"
            break
        verb = doc[k].tag_ in ("VBD", "VBZ", "VBP", "MD") or (
            label == "PERSON" and doc[k].tag_.startswith("VB")
        )  # "Ruiz assured Okafor", its verb read as a participle
        if doc[k].is_lower and verb and not _quoted(doc, ent):
            # a name holds no verb: "Ruiz told The Daily Courier …" run on after a closing
            # quote mark is "Ruiz" and a clause
            if label == "WORK_OF_ART":
                return [None]
            j = k
            break
    while i < j and (
        doc[i].is_space or (doc[i].is_punct and doc[i].text not in "&") or doc[i].tag_ == "POS"
    ):
        i += 1  # and a possessive NER began the span with ("’s Office")
    while j > i and (doc[j - 1].is_space or doc[j - 1].is_punct or doc[j - 1].tag_ == "POS"):
        j -= 1
    forced = None
    while j - i > 1:
        w = j - 1  # the last word: the tokens after the last white space ("3-1" may be three)
        while w > i and not doc[w - 1].whitespace_:
            w -= 1
        if w == i or not _trailing_non_name(doc[w:j].text, doc[w], label):
            break
        if doc[w].lower_ in MEDIA_NOUNS or doc[w].lower_ in ORG_NOUNS:
            forced = "ORG"  # "the Corran Wire news agency": a body, whatever NER typed it
        j = w  # "Harbour Wire news agency", "Kelburn 3-1", "Dana Whitlock 45"
        while j > i and (doc[j - 1].is_space or doc[j - 1].is_punct):
            j -= 1
    if i > 0 and doc[i - 1].lower_ in MEDIA_NOUNS and doc[i - 1].is_lower:
        forced = "ORG"  # "the daily Kelburn Courier", "the news weekly Der Blick"
    if (
        label in ("PERSON", "ORG")
        and j < len(doc)
        and doc[j].is_lower
        and doc[j].lower_ in MEDIA_NOUNS
    ):
        forced = "ORG"  # "the Kelburn Courier daily"
    if j - i > 1 and doc[i].lower_ in DATE_WORDS and doc[i + 1].is_title and label != "EVENT":
        i += 1  # "the Friday Harbour Bulletin": a date word in front of a name
    while (
        label == "PERSON"
        and j + 1 < len(doc)
        and j == ent.end
        and doc[j - 1].whitespace_ == ""
        and doc[j].text == "-"
        and doc[j].whitespace_ == ""
        and doc[j + 1].is_alpha
    ):
        j += 2  # "Park Seo-yeon": a hyphenated given name NER cut at the hyphen
    if _role_before_name(doc, i, j):
        return [None]
    if label == "PERSON" and j > i and _abbreviated_title(doc, j - 1):
        return [None]  # "Navy Lt.", "Ohio Gov.": a title, the name (if any) after it
    if i < j and doc[i].lower_ == "the":
        i += 1
        while i < j and doc[i].is_punct and doc[i].text not in "&":
            i += 1  # "the “Harbour First” plan": the mark after the article
    elif i > 0 and norm_key(f"{doc[i - 1].text} {doc[i:j].text}") in EXPANSIONS:
        i -= 1  # "Liberal" + "Democrat"
    elif (
        label in ("PERSON", "ORG")
        and j - i == 1
        and i > 0
        and doc[i - 1].pos_ == "PROPN"
        and doc[i - 1].is_title
        and not doc[i - 1].ent_type_
        and "\n" not in doc[i - 1].whitespace_
        and given_name(doc[i - 1].text)
        and doc[i - 1].lower_ not in TITLES_AND_HONORIFICS
        and doc[i - 1].lower_ not in PERSON_ROLES  # "Queen", "King": a title
    ):
        # "Ana Brill, 43, said": a first name NER left out in front of a lone surname it then
        # took for a body; the two are a person
        i -= 1
        label = "PERSON"
    elif label in _EXTENDABLE:
        # a capitalised proper noun NER left out in front ("Go" of "Go Harbour")
        while (
            i > 0
            and i - ent.start < 2
            and doc[i - 1].pos_ == "PROPN"
            and doc[i - 1].is_title
            and not doc[i - 1].is_sent_start
            and not doc[i - 1].ent_type_
            and doc[i - 1].lower_.rstrip(".") not in TITLES_AND_HONORIFICS
            and "\n" not in doc[i - 1].whitespace_
        ):
            i -= 1
    # extend "The Office of the" over the capitalised words that follow
    if i < j and doc[j - 1].lower_ in FUNCTION_TAIL:
        k = j
        while (
            k < len(doc)
            and (doc[k].is_title or doc[k].is_upper or (doc[k].lower_ in FUNCTION_TAIL and k > j))
            and "\n" not in doc[k - 1].whitespace_
        ):
            k += 1
        while k > j and doc[k - 1].lower_ in FUNCTION_TAIL:
            k -= 1
        if k > j:
            j = k
            label = "ORG" if label not in ("ORG", "FAC") else label
        else:
            while j > i and doc[j - 1].lower_ in FUNCTION_TAIL:
                j -= 1
    # leading job titles: "Commerce Secretary", "President", "Deputy Prime Minister"; a name
    # starts with a capital, so lower-case words in front of one are a role ("spokesperson")
    role = None
    lower_end = i
    if label == "PERSON":
        while lower_end < j - 1 and doc[lower_end].is_lower and doc[lower_end].is_alpha:
            lower_end += 1
    if lower_end > i:
        role = " ".join(t.lower_ for t in doc[i:lower_end])
        i = lower_end
    if (
        label == "PERSON"
        and j - i >= 3
        and doc[i].is_title
        and not doc[i].is_upper
        and dictionary_word(doc[i].lower_)
        and _given_as(doc[i].text) == "unknown"
        and _given_as(doc[i + 1].text) in ("female", "male", "mostly_female", "mostly_male")
    ):
        role = doc[i].lower_  # "Gardener Maria Okafor": a trade written capitalised
        i += 1
    title_end = _title_prefix(doc, i, j)
    if (
        title_end > i
        and label != "PERSON"
        and doc[title_end - 1].lower_.rstrip(".") in TITLE_MODIFIERS
    ):
        # "Senior Citizens Council", "First Harbour Bank": a modifier opening a body's name
        title_end = i
    titled = False
    if title_end > i:
        role = " ".join(t.lower_ for t in doc[i:title_end])
        i = title_end
        # "Foreign Minister" names a person's office; "General" or "Executive" may head a
        # body's name too ("General Works Fund")
        titled = doc[title_end - 1].lower_.rstrip(".") not in TITLE_MODIFIERS
    honorific = None
    if i < j and doc[i].lower_.rstrip(".") in HONORIFICS and j - i > 1:
        honorific = doc[i].lower_.rstrip(".")
        core = i + 1
    else:
        core = i
    if i >= j or not any(ch.isupper() for ch in doc[core:j].text):
        return [None]
    span_text = doc[core:j].text
    if span_text in TIME_ZONES or any(t.like_url for t in doc[core:j]):
        return [None]  # "pic.twitter.com/…", "cbc.ca": an address names no entity
    if (
        label in ("ORG", "NORP")
        and j - core == 1
        and j < len(doc)
        and doc[j].lower_ in PORTFOLIO_HEADS
        and not honorific
    ):
        return [None]
    # an honorific in front of the span ("Professor" + "Kerstin Dautenhahn")
    if (
        honorific is None
        and core > 0
        and doc[core - 1].lower_.rstrip(".") in HONORIFICS
        and doc[core - 1].is_title
        and label in ("PERSON", "ORG", "WORK_OF_ART", "GPE", "NORP")
    ):
        honorific = doc[core - 1].lower_.rstrip(".")
        i = core - 1
    if honorific and label != "PERSON":
        label = "PERSON"
    # "<Person> administration" is the government of that person
    if label == "PERSON" and j < len(doc) and doc[j].lower_ == "administration":
        j += 1
        label = "ORG"
        i = core
        honorific = None
    pieces = _split(doc, i, core, j, label)
    out: list[RawMention | None] = []
    for a, c, b, lab in pieces:
        m = RawMention(
            start=doc[a].idx,
            end=doc[b - 1].idx + len(doc[b - 1].text),
            core_start=doc[c].idx,
            label=lab,
            tok_start=a,
            tok_end=b,
            honorific=honorific if c > a else None,
            role=role if lab == "PERSON" else None,
            titled=titled,
            forced_type=forced if len(pieces) == 1 else None,
        )
        out.append(m)
    return out


_SCORE = re.compile(r"\d+(?:[-–/]\d+)+|\d+(?:st|nd|rd|th)")


def _trailing_non_name(word: str, tok: Token, label: str) -> bool:
    """A word at the end of a span that is no part of the name: a lower-case common word
    ("news agency", "days"; a title of a work may end in one), a score or ordinal ("3-1",
    "79th") and, after a person or a place, a number ("Dana Whitlock 45")."""
    if label == "WORK_OF_ART":
        return False
    if word.isalpha() and word.islower() and tok.lower_ not in FUNCTION_TAIL:
        return True
    if _SCORE.fullmatch(word):
        return True
    return label in ("PERSON", "GPE", "LOC", "NORP") and word.isdigit()


def _role_before_name(doc: Doc, i: int, j: int) -> bool:
    """ "Army Capt." before "Ana Ruiz", "Kelshire Gov." before "Tom Varga": a span that
    ends in an abbreviated job title right before a person's name is that person's role, not a
    body or a person of its own."""
    if j - i < 2 or j >= len(doc) or doc[j - 1].lower_.rstrip(".") not in TITLE_WORDS:
        return False
    if doc[j - 1].lower_.rstrip(".") in HONORIFICS:
        return False
    k = j
    while k < len(doc) and doc[k].text == "." and k - j < 1:
        k += 1
    return (
        k < len(doc)
        and (doc[j - 1].text.endswith(".") or k > j)
        and doc[k].ent_type_ == "PERSON"
        and doc[k].ent_iob_ == "B"
    )


#: Titles written short ("Lt", "Gov", "Sen").
_ABBREVIATED_TITLES = frozenset(a.lower() for a in ABBREVIATIONS) & TITLES_AND_HONORIFICS


def _abbreviated_title(doc: Doc, k: int) -> bool:
    """Token ``k`` is a short title with its full stop ("Lt.", "Gov."): a person's name never
    ends in one ("Hun Sen", with no stop, may)."""
    tok = doc[k]
    if tok.lower_.rstrip(".") not in _ABBREVIATED_TITLES:
        return False
    return tok.text.endswith(".") or (
        not tok.whitespace_ and k + 1 < len(doc) and doc[k + 1].text == "."
    )


def _quoted(doc: Doc, ent: Span) -> bool:
    """The span stands inside quote marks (a title: “The Salt Orchard Diaries”), the opening
    mark against its first word (not a closing mark and a space: “…,” Ruiz assured Okafor)."""
    before = doc[ent.start - 1] if ent.start > 0 else None
    after = doc[ent.end].text if ent.end < len(doc) else ""
    return (
        before is not None
        and before.text in ('"', "“", "‘", "'")
        and not before.whitespace_
        and after in ('"', "”", "’", "'", ",", ".")
    )


def _title_prefix(doc: Doc, i: int, j: int) -> int:
    """End of a leading job title inside a span (capitalised words ending in a title word)."""
    end = i
    for k in range(i, j - 1):
        word = doc[k].lower_.rstrip(".")
        if not (doc[k].is_title or doc[k].is_upper):
            break
        if doc[k + 1].tag_ == "POS":
            break  # "the Premier’s Office": the office holder owns the name, no title of it
        if word in TITLE_WORDS and word not in HONORIFICS:
            end = k + 1
    return end


def _split(doc: Doc, i: int, core: int, j: int, label: str) -> list[tuple[int, int, int, str]]:
    """Split "Eastvale’s Harbour Lane Centre" and "Saltmarsh in Kelshire" into two mentions."""
    pieces = _coordinated(doc, core, j, label)
    if len(pieces) > 1:
        first, *rest = pieces
        return [(i, core, first[1], label), *((a, a, b, label) for a, b in rest)]
    if label in ("ORG", "PERSON", "GPE") and j - core >= 3:
        for k in range(core + 1, j - 1):
            if doc[k].lower_ == "at" and doc[k + 1].is_title and doc[k - 1].is_title:
                # "Kelburn at Mossford Park": a side and the ground it plays at
                return [(i, core, k, label), (k + 1, k + 1, j, "LOC")]
    if label in ("ORG", "FAC", "GPE", "LOC") and j - core >= 3:
        for k in range(core + 1, j - 1):
            tok = doc[k]
            if tok.tag_ == "POS" and k - core == 1:
                owner = doc[k - 1]
                if owner.lower_.rstrip(".") in SAINT_WORDS | TITLE_WORDS or not owner.is_title:
                    continue  # "St Anne’s Centre", "the Premier’s Office": one name
                owner_label = "ORG" if owner.lower_ in ORG_HEADS else "GPE"
                return [(core, core, k, owner_label), (k + 1, k + 1, j, label)]
            if tok.lower_ == "in" and doc[k + 1].is_title and j - (k + 1) <= 3:
                return [(i, core, k, label), (k + 1, k + 1, j, "GPE")]
    if label == "ORG" and j - core >= 2 and doc[core].tag_ == "JJ" and doc[core].is_title:
        # "European Tidewell": a nationality adjective in front of a name
        word = doc[core].lower_
        if word.endswith(NATIONALITY_ADJECTIVE_SUFFIXES) and doc[core + 1].is_title:
            return [(core, core, core + 1, "NORP"), (core + 1, core + 1, j, label)]
    return [(i, core, j, label)]


def _coordinated(doc: Doc, core: int, j: int, label: str) -> list[tuple[int, int]]:
    """ "Harbour Bank or Tollmere Trust", "Ana Ruiz and Jo Hardy": names that NER ran into one
    span, split at "or", at a comma before a name (not "…, Inc."), and for people at "and"
    between two full names. A company called "A and B" stays whole."""
    if label not in ("ORG", "PERSON"):
        return [(core, j)]
    cuts = []
    for k in range(core + 1, j - 1):
        tok, nxt = doc[k], doc[k + 1]
        if not nxt.is_title or not doc[k - 1].text[:1].isupper():
            continue
        if (
            tok.lower_ == "or"
            or (
                tok.text == ","
                and not (
                    nxt.lower_.rstrip(".") in ORG_HEADS
                    or nxt.text.rstrip(".") in CORPORATE_SUFFIXES
                )
            )
            or (label == "PERSON" and tok.lower_ == "and")
        ):
            cuts.append(k)
    if not cuts and label == "ORG":
        ands = [k for k in range(core + 1, j - 1) if doc[k].lower_ == "and"]
        if len(ands) == 1 and all(
            _looks_like_person(doc[a:b].text) for a, b in ((core, ands[0]), (ands[0] + 1, j))
        ):
            cuts = ands  # "Ana Ruiz and Jo Hardy" typed as one body: two people
    if not cuts:
        return [(core, j)]
    out, a = [], core
    for k in cuts:
        out.append((a, k))
        a = k + 1
    out.append((a, j))
    if label == "PERSON" and any(b - a < 2 for a, b in out):
        return [(core, j)]  # "Simon and Garfunkel": no two full names
    return out


def _party_forms(doc: Doc, text: str, found: list[RawMention]) -> list[RawMention]:
    taken = {k for m in found for k in range(m.tok_start, m.tok_end)}
    out = []
    for tok in doc:
        if tok.i in taken or tok.text not in PARTY_FORMS:
            continue
        if tok.ent_type_ and tok.ent_type_ not in KEPT_TYPES:
            continue  # "Labour Day": a date
        if tok.is_sent_start and not (
            tok.pos_ == "PROPN"
            or tok.head.lower_ in POLITICAL_NOUNS
            or (
                tok.head.i > tok.i
                and any(t.lower_ in POLITICAL_NOUNS for t in tok.head.subtree if t.i > tok.i)
            )
        ):
            continue
        if (
            tok.i > 0
            and doc[tok.i - 1].is_title
            and doc[tok.i - 1].lower_ not in PARTY_FORM_ARTICLES
        ):
            continue
        out.append(
            RawMention(
                tok.idx, tok.idx + len(tok.text), tok.idx, "ORG", tok.i, tok.i + 1, source="rule"
            )
        )
    return out


# -- grouping and merging --------------------------------------------------------------------


def _group(raw: list[RawMention], text: str) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for m in raw:
        name = text[m.core_start : m.end]
        key = norm_key(name)
        if key.startswith("the "):
            key = key[4:]
        expansion = EXPANSIONS.get(key.replace("’", "'"))
        if (
            expansion is not None
            and m.label in ("GPE", "ORG", "NORP", "LOC", "PERSON")
            and not (m.label == "NORP" and expansion[1] == "GPE")
        ):
            m.canonical, m.forced_type = expansion
            name = expansion[0]
            key = norm_key(name)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key, name)
        group.mentions.append(m)
    return list(groups.values())


def _words(key: str) -> list[str]:
    return key.replace("'s ", " ").split()


def _group_type(group: _Group) -> str:
    return _entity_type(group.mentions, group.name)


def _entity_type(mentions: list[RawMention], name: str) -> str:
    """The mentions' vote, except that a first name and a surname typed ORG is a person."""
    etype = _vote(mentions, name)
    if etype == "ORG" and _looks_like_person(name) and not any(m.forced_type for m in mentions):
        return "PERSON"  # "Kevin Dalgety" typed ORG
    return etype


def _merge(groups: list[_Group]) -> None:
    # acronyms
    for g in groups:
        letters = g.key.replace(".", "")
        if not (2 <= len(letters) <= 6 and g.name.replace(".", "").isupper() and " " not in g.key):
            continue
        matches = [
            h
            for h in groups
            if h is not g and len(_words(h.key)) >= 2 and _initials(h.name).lower() == letters
        ]
        if len(matches) == 1:
            g.merged_into = matches[0]
    # partial names: a shorter name joins the one longer name that contains it
    multi = [g for g in groups if len(_words(g.key)) >= 2]
    for g in sorted(groups, key=lambda g: len(g.key)):
        if g.merged_into is not None:
            continue
        words = _words(g.key)
        g_type = _group_type(g)
        honorific = any(m.honorific for m in g.mentions)
        candidates = []
        short_forms: list[_Group] = []
        for h in multi:
            h_words = _words(h.key)
            if h is g or len(h_words) <= len(words) or not _contains_words(h_words, words):
                continue
            h_type = _group_type(h)
            person_part = h_type == "PERSON" and (
                honorific or (len(words) == 1 and words[0] in (h_words[0], h_words[-1]))
            )
            # "Tollco" of "Tollco Holdings Inc": a company's short name is its first words
            company_part = (
                h_type == "ORG"
                and g_type in ("PERSON", "ORG")
                and not honorific
                and h_words[: len(words)] == words
                and _org_headed(h.name)
            )
            if h_type == g_type == "ORG" and _named_after(g, h):
                continue  # "Trump" of "the Trump Train": the man the body is named after
            if h_type == g_type or person_part:
                candidates.append(h.root())
            elif company_part:
                short_forms.append(h.root())
        if not candidates:
            candidates = short_forms  # only where no person or same-typed name contains it
        candidates = list({id(c): c for c in candidates}.values())
        # a candidate contained in another candidate is the same referent (keep the longest)
        if len(candidates) > 1:
            longest = max(candidates, key=lambda c: len(c.key))
            if all(_contains_words(_words(longest.key), _words(c.key)) for c in candidates):
                candidates = [longest]
        if len(candidates) == 1 and candidates[0] is not g:
            g.merged_into = candidates[0]
        elif len(words) == 1 and not any(m.forced_type for m in g.mentions):
            # "Nadal" with both "Rafael Nadal" and "Toni Nadal" about: no merge, but a person
            surnames = [
                h for h in multi if _words(h.key)[-1] == words[0] and _group_type(h) == "PERSON"
            ]
            # or the family name written first: "Ryu" with "Ryu Tae-han" and "Ryu Min-ji"
            families = [
                h
                for h in multi
                if _words(h.key)[0] == words[0]
                and "-" in h.key
                and g_type == "PERSON"
                and _group_type(h) == "PERSON"
            ]
            sharing = surnames or families
            first_bare = min(m.start for m in g.mentions)
            before = [h for h in sharing if min(m.start for m in h.mentions) < first_bare]
            if len(sharing) > 1 and len(before) == 1:
                # only one of the people sharing the surname was named before the bare surname
                # first appears: it is that person (the others come later, named in full)
                g.merged_into = before[0].root()
            elif len(surnames) > 1:
                for m in g.mentions:
                    m.forced_type = "PERSON"
            elif words[0] in DEMONYMS:
                for m in g.mentions:
                    m.forced_type = "NORP"


def _named_after(short: _Group, org: _Group) -> bool:
    """A one-word name the model reads as a person in places (twice or more) and a body
    named with it that it never does: the body is named after the person ("Trump" and "the
    Trump Train"), not a short form of it."""
    return (
        len(_words(short.key)) == 1
        and sum(m.label == "PERSON" for m in short.mentions) >= 2
        and not any(m.label == "PERSON" for m in org.mentions)
        and not _org_headed(org.name)
    )


def _org_headed(name: str) -> bool:
    """The name ends in a company's head word ("… Holdings Inc", "… Industries", "… SpA")."""
    words = name.split()
    return len(words) > 1 and (
        norm_key(words[-1]).rstrip(".") in COMPANY_HEADS or words[-1] in CORPORATE_SUFFIXES
    )


def _contains_words(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[k : k + n] == shorter for k in range(len(longer) - n + 1))


def _initials(name: str) -> str:
    return "".join(
        w[0]
        for w in re.split(r"[\s-]+", name)
        if w and w[0].isupper() and w.lower() not in NAME_FUNCTION_WORDS
    )


def _looks_like_group(name: str) -> bool:
    """A nationality, religion or political group word ("Chinese", "Muslims", "Democrats")."""
    words = norm_key(name).split()
    if not words:
        return False
    last = words[-1]
    return last in GROUP_WORDS or (len(words) <= 2 and last.endswith(GROUP_SUFFIXES))


def _vote(mentions: list[RawMention], name: str) -> str:
    forced = [m.forced_type for m in mentions if m.forced_type]
    if forced:
        return Counter(forced).most_common(1)[0][0]
    if any(m.honorific for m in mentions):
        return "PERSON"
    counts: Counter[str] = Counter()
    longest = max((m.end - m.core_start for m in mentions), default=0)
    full_person = any(
        m.label == "PERSON" and m.end - m.core_start == longest and m.tok_end - m.tok_start >= 2
        for m in mentions
    )
    for m in mentions:
        if full_person and m.label != "PERSON" and m.end - m.core_start < longest:
            continue  # "Adebayo" typed ORG after "Tolu Adebayo": the surname of a person
        counts[m.label] += 2 if m.end - m.core_start == longest else 1
    if not counts:
        return "ORG"
    best = max(counts.values())
    tied = [label for label, n in counts.items() if n == best]
    order = [
        "ORG",
        "GPE",
        "PERSON",
        "LOC",
        "NORP",
        "FAC",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "PRODUCT",
        "LANGUAGE",
    ]
    label = min(tied, key=lambda t: order.index(t) if t in order else len(order))
    head = norm_key(name).split()[-1] if name.strip() else ""
    last = name.split()[-1] if name.strip() else ""
    if label in ("GPE", "FAC", "LOC", "PERSON", "NORP", "PRODUCT") and (
        head in ORG_HEADS or (len(name.split()) > 1 and last in CORPORATE_SUFFIXES)
    ):
        label = "ORG"
    elif label != "EVENT" and head in EVENT_HEADS and len(name.split()) > 1:
        label = "EVENT"  # "the Kelburn Cup", "the Harbour Open": a competition
    elif label == "PERSON" and len(name.split()) > 1 and head in CLUB_HEADS:
        label = "ORG"  # "Harwick Athletic", "Kelburn Rovers": a club
    elif label == "PERSON" and ends_in_acronym(name):
        label = "ORG"  # "Harbour City PD", "Northfield FC": a body, not a person
    elif label == "NORP" and not _looks_like_group(name):
        label = "ORG"  # "Analyst Peter Cole of Investec": not a nationality, religion or party
    return label


_ROMAN = re.compile(r"^(?:[IVX]+|JR|SR)\.?$")


def ends_in_acronym(name: str) -> bool:
    """A mixed-case name whose last word is in capitals (an acronym, not a numeral or "Jr")."""
    words = name.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    last = words[-1]
    letters = [ch for ch in last if ch.isalpha()]
    return (
        len(letters) >= 2
        and last.isupper()
        and _ROMAN.match(last) is None
        and any(not w.isupper() for w in words[:-1])
    )


# -- repeats ---------------------------------------------------------------------------------


def _add_repeats(
    clusters: list[tuple[_Group, list[RawMention]]], doc: Doc, text: str
) -> list[tuple[_Group, list[RawMention]]]:
    forms: dict[str, int] = {}
    for index, (_, mentions) in enumerate(clusters):
        for m in mentions:
            for form in (text[m.start : m.end], text[m.core_start : m.end]):
                if len(form) >= 2 and any(ch.isupper() for ch in form):
                    forms.setdefault(form, index)
    # a company's short name ("Tollco" of "Tollco Leisure Holdings Inc"), which the model often
    # does not tag: the first word of a company's name, when it is no English word nor a place
    shorts: dict[str, set[int]] = defaultdict(set)
    for index, (_, mentions) in enumerate(clusters):
        core = text[mentions[0].core_start : mentions[0].end]
        words = core.split()
        if len(words) >= 3 and _org_headed(core) and mentions[0].label == "ORG":
            first = words[0]
            if (
                len(first) >= 4
                and first.isalpha()
                and first[0].isupper()
                and not first.isupper()
                and not dictionary_word(first.lower())
                and place_kind(first) is None
                and _given_as(first) == "unknown"
            ):
                shorts[first].add(index)
    short_forms = set()
    for first, owners in shorts.items():
        if len(owners) == 1 and first not in forms:
            forms[first] = next(iter(owners))
            short_forms.add(first)
    # bare surnames of the people named in full ("Dalgety" after "Kevin Dalgety"), which the
    # model often does not tag: (first offset, cluster) of each person with that surname
    surnames: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, (_, mentions) in enumerate(clusters):
        core = text[mentions[0].core_start : mentions[0].end].split()
        if len(core) >= 2 and _entity_type(mentions, " ".join(core)) == "PERSON":
            last = core[-1]
            if len(last) >= 3 and last[0].isupper() and last.lower() not in TITLE_WORDS:
                surnames[last].append((min(m.start for m in mentions), index))
    surnames = {k: v for k, v in surnames.items() if k not in forms}
    if not forms:
        return clusters
    taken = sorted((m.start, m.end) for _, ms in clusters for m in ms)
    starts = [a for a, _ in taken]
    pattern = re.compile(
        r"(?<![\w’'])(?:"
        + "|".join(re.escape(f) for f in sorted([*forms, *surnames], key=len, reverse=True))
        + r")(?!\w)"
    )
    tok_starts = [t.idx for t in doc]
    for match in pattern.finditer(text):
        a, b = match.span()
        k = bisect.bisect_right(starts, b) - 1
        if k >= 0 and any(taken[x][1] > a for x in range(max(0, k - 3), k + 1)):
            continue
        ti = bisect.bisect_right(tok_starts, a) - 1
        tj = bisect.bisect_left(tok_starts, b)
        if ti < 0 or doc[ti].idx != a:
            continue
        if (
            tj - ti == 1
            and doc[ti].is_sent_start
            and doc[ti].pos_ != "PROPN"
            and match.group(0) not in short_forms
        ):
            continue
        if (
            doc[ti].ent_type_ in ("DATE", "TIME", "EVENT")
            and tj < len(doc)
            and doc[tj].ent_iob_ == "I"
        ):
            continue  # "Labour" of "Labour Day": a word of a longer name
        found = match.group(0)
        if found in forms:
            index = forms[found]
        else:
            # the one person with that surname named before this point, if there is one
            before = [index for start, index in surnames[found] if start < a]
            if len(before) != 1 or doc[ti].pos_ != "PROPN":
                continue
            index = before[0]
        first = clusters[index][1][0]
        honorific = doc[ti].lower_.rstrip(".")
        if tj - ti > 1 and honorific in HONORIFICS:
            core = doc[ti + 1].idx
        else:
            core, honorific = a, None
        clusters[index][1].append(
            RawMention(
                a,
                b,
                core,
                first.label,
                ti,
                tj,
                honorific=honorific,
                source="repeat",
                canonical=first.canonical,
                forced_type=first.forced_type,
            )
        )
    return clusters


# -- output ----------------------------------------------------------------------------------


def _build(
    document: ArticleDocument,
    doc: Doc,
    clusters: list[tuple[_Group, list[RawMention]]],
    styled: list[tuple[int, int]],
) -> EntityAnalysis:
    text = document.text
    section_of = document.section_finder()
    built: list[tuple[int, Entity, list[RawMention]]] = []
    for _, mentions in clusters:
        mentions.sort(key=lambda m: m.start)
        # drop overlapping duplicates
        unique: list[RawMention] = []
        for m in mentions:
            if unique and m.start < unique[-1].end:
                continue
            unique.append(m)
        canonical = next((m.canonical for m in unique if m.canonical), None)
        if canonical:
            name = canonical
        else:
            # the name as prose writes it: a title-case line may have run a verb into it
            prose = [m for m in unique if not any(a <= m.start < b for a, b in styled)]
            cores = [text[m.core_start : m.end] for m in prose or unique]
            name = max(cores, key=lambda c: (len(c.split()), len(c), -cores.index(c)))
        etype = _entity_type(unique, name)
        if etype == "PERSON" and _not_a_person(doc, text, unique, name, styled):
            continue
        if etype == "PERSON" and _body_not_person(doc, unique, name):
            etype = "ORG"
        if etype not in ("PERSON", "NORP") and _person_by_role(doc, unique, name):
            etype = "PERSON"
        if etype == "ORG" and _group_by_use(doc, unique):
            etype = "NORP"
        if etype == "PERSON" and _acronym_not_person(doc, text, unique, name):
            etype = "ORG"
        if etype == "PERSON" and _collective_not_person(doc, unique, name):
            etype = "ORG"
        if etype == "PERSON" and _company_not_person(doc, unique, name):
            etype = "ORG"
        if etype == "PERSON" and _nationality_not_person(doc, unique, name):
            etype = "NORP"
        if etype == "PERSON" and _place_not_person(doc, unique, name):
            etype = "GPE"
        if etype == "ORG" and _place_not_org(doc, unique, name):
            etype = "GPE"
        if _team_not_place(doc, unique, name, etype):
            etype = "ORG"
        aliases: list[str] = []
        seen = {norm_key(name)}
        for m in unique:
            for form in (text[m.start : m.end], text[m.core_start : m.end]):
                key = norm_key(form)
                if key not in seen:
                    seen.add(key)
                    aliases.append(form)
        mention_objs = [
            Mention(
                text[m.start : m.end],
                m.start,
                m.end,
                section_of(m.start),
            )
            for m in unique
        ]
        entity = Entity(id="", name=name, type=etype, aliases=aliases, mentions=mention_objs)
        built.append((unique[0].start, entity, unique))
    built.sort(key=lambda item: item[0])
    _retype_members(built, doc)
    # ids and salience
    used: set[str] = set()
    length = max(len(text), 1)
    raws = []
    for first, entity, _ in built:
        entity.id = unique_id(entity_slug(entity.name), used)
        raws.append(len(entity.mentions) * (1.5 - first / length))
    top = max(raws, default=1.0) or 1.0
    for (_, entity, _), raw in zip(built, raws, strict=True):
        entity.salience = round(raw / top, 3)
    entities = [entity for _, entity, _ in built]
    # indexes for the quote stage
    token_entity = [-1] * len(doc)
    roles: list[tuple[str, int, int]] = []
    gender: dict[int, str] = {}
    mention_starts: list[tuple[int, int]] = []
    for index, (_, entity, mentions) in enumerate(built):
        for m in mentions:
            for k in range(m.tok_start, m.tok_end):
                token_entity[k] = index
            mention_starts.append((m.start, index))
            if m.honorific in FEMALE_HONORIFICS:
                gender.setdefault(index, "f")
            elif m.honorific in MALE_HONORIFICS:
                gender.setdefault(index, "m")
        if entity.type == "PERSON" and index not in gender:
            told = _gendered_noun(doc, mentions) or first_name_gender(entity.name)
            if told:
                gender[index] = told
        if entity.type == "PERSON":
            for m in mentions:
                for role in _roles_of(doc, m, token_entity):
                    roles.append((role, m.start, index))
    mention_starts.sort()
    roles.sort(key=lambda r: r[1])
    return EntityAnalysis(entities, token_entity, roles, gender, mention_starts)


@functools.cache
def _dictionary_words() -> frozenset[str]:
    """The English words of the model's lemmatizer tables (WordNet's nouns, verbs, adjectives
    and adverbs, lower case), or none where the pipeline has no such tables."""
    from .nlp import load_model

    try:
        table = load_model().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError, OSError):
        return frozenset()
    return frozenset(word for pos in table for word in table[pos])


@functools.cache
def _function_words() -> frozenset[str]:
    """English function words ("the", "of", "will"), which the lemmatizer's tables leave out:
    spaCy's English stop words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def dictionary_word(word: str) -> bool:
    """An English word (lower case), in a base form or with a regular ending ("named",
    "beats", "talks")."""
    words = _dictionary_words()
    if word in words or word in _function_words():
        return True
    for ending, base in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if (
            word.endswith(ending)
            and len(word) > len(ending) + 2
            and word[: -len(ending)] + base in words
        ):
            return True
    return word.endswith("ies") and word[:-3] + "y" in words


def given_name(word: str) -> bool:
    """A first name the name list gives to women or to men ("Dana", not "Lee")."""
    return _given_as(word.capitalize()) in ("female", "male")


#: A line that tells who wrote the article or the files it used, not whom it is about: "Jo Lee
#: is an Eastvale-based writer", "With files from Jo Lee".
_AUTHOR_NOTE = re.compile(
    r"(?:[ \t]+is[ \t]+(?:an?|the)[ \t]+(?:[\w-]+[ \t]+){0,4}?"
    r"(?:writer|journalist|columnist|editor|reporter|correspondent|contributor|author|"
    r"freelancer|blogger)\b)"
)
_FILES_FROM = re.compile(r"(?:[Ww]ith )?files from[ \t]+$")


def _not_a_person(
    doc: Doc, text: str, mentions: list[RawMention], name: str, styled: list[tuple[int, int]]
) -> bool:
    """A PERSON that names no one the article is about:

    - a job title alone ("MLA", "Cpl", "UCP MLA"), which the name it stood before left behind;
    - a common English word capitalised only because it opens a sentence or a line ("Harsh
      winter …", "Article continues …"): one word, not a first name, every mention at the
      start of a sentence, line or heading, never speaking;
    - the author of a note closing the article ("Jo Lee is an Eastvale-based writer") or the
      reporter whose files it used ("With files from Jo Lee"), like a byline."""
    if any(m.honorific for m in mentions):
        return False
    words = [w.lower().rstrip(".") for w in name.split()]
    if (
        words
        and words[-1] in TITLE_WORDS
        and all(
            w in TITLE_WORDS or (len(src) <= 5 and src.isupper())
            for w, src in zip(words, name.split(), strict=True)
        )
    ):
        return True
    if all(_author_note(text, m) for m in mentions):
        return True
    if len(words) != 1 or any(m.role or m.titled for m in mentions):
        return False
    if _given_as(name) != "unknown" or place_kind(name) is not None:
        return False  # a first name, or a place (typed as one elsewhere)
    for m in mentions:
        tok = doc[m.tok_start]
        # what comes before it on its line: nothing, an opening mark, a label ("READ MORE:")
        before = text[text.rfind("\n", 0, m.start) + 1 : m.start]
        opens_line = not before.strip(" \t\"“‘'(") or before.rstrip().endswith(":")
        if not (tok.is_sent_start or opens_line or any(a <= m.start < b for a, b in styled)):
            return False
        head = doc[m.tok_end - 1]
        verb = head.head.lemma_.lower()
        if head.dep_ in ("nsubj", "nsubjpass") and verb in CUE_LEMMAS - WEAK_CUE_LEMMAS:
            return False
    return words[0] in _dictionary_words()


def _body_not_person(doc: Doc, mentions: list[RawMention], name: str) -> bool:
    """A name typed PERSON that is a body's by its form, its first word no first name: it ends
    in a country or province ("Quilting Canada": a national body), or it is a plural noun that
    the text writes mostly with "the" ("the Otters", "the Night Herons": a team) and whose
    singular names no one ("the Okafors" is a family)."""
    words = name.split()
    if any(m.honorific or m.role or m.titled for m in mentions) or _given_as(words[0]) != "unknown":
        return False
    if len(words) > 1 and place_kind(words[-1]) in (COUNTRY, REGION):
        return True
    last = words[-1]
    if not (last.endswith("s") and last[:1].isupper() and last[:-1].lower() in _dictionary_words()):
        return False
    with_the = sum(m.tok_start > 0 and doc[m.tok_start - 1].lower_ == "the" for m in mentions)
    # mostly with "the" ("Ana Ruiz" may follow "the" once); not a family ("the Okafors")
    singular = last[:-1].lower()
    family = any(t.lower_ == singular and t.ent_type_ == "PERSON" for t in doc)
    return with_the * 2 >= len(mentions) and not family


#: After a name, a contact label's colon and a handle or address: "Twitter: @jolee".
_CONTACT = re.compile(r":[ \t]*(?:@[\w.-]+|[A-Za-z][\w.-]*_[\w.-]*)[ \t]*(?:\n|$|\|)")


def _author_note(text: str, m: RawMention) -> bool:
    line_end = text.find("\n", m.end)
    line = text[text.rfind("\n", 0, m.start) + 1 : line_end if line_end >= 0 else len(text)]
    if _CONTACT.match(text, m.end) or (text[m.end : m.end + 1] == ":" and "@" in line):
        return True  # "Email: … | Twitter: jolee"
    line_start = text.rfind("\n", 0, m.start) + 1
    if _FILES_FROM.search(text, line_start, m.start) is not None:
        return True
    return not text[line_start : m.start].strip() and _AUTHOR_NOTE.match(text, m.end) is not None


def _place_not_person(doc: Doc, mentions: list[RawMention], name: str) -> bool:
    """ "Penticton", "North Carolina" typed PERSON: a name the gazetteer knows as a place, with
    nothing that makes it a person: no honorific or job title, no first name in front ("Sydney",
    "Austin" are given names too), never the subject of a speech verb ("Hamilton said")."""
    if any(m.honorific or m.role for m in mentions):
        return False
    if place_kind(name) == COUNTRY and not any(m.titled for m in mentions):
        return True  # a country that is a first name too, and that speaks as a state does
    for m in mentions:
        head = doc[m.tok_end - 1]
        if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in CUE_LEMMAS:
            return False
    if any(_set_among_places(doc, m, strong_only=True) for m in mentions):
        return True  # "Brannock, Ont.", "the Tiller Bay area": a place, whoever else is so named
    if _given_as(name.split()[0]) != "unknown":
        return False
    if place_kind(name) is None:
        # a town too small for the gazetteer: only where the text sets it among places
        # ("Calgary and Pellow Creek", "the Marsh Hollow and Tiller Bay area")
        return any(_set_among_places(doc, m) for m in mentions)
    # a one-word town's name is also a surname ("Obama" is a town too): the text must use it
    # as a place somewhere ("in Penticton", "Kamloops, B.C.")
    return (
        len(name.split()) > 1
        or place_kind(name) == COUNTRY
        or any(_used_as_place(doc, m) for m in mentions)
    )


def _region_abbreviation(tok: Token) -> bool:
    """ "Ont.", "N.S.", "Calif." (a province or state as news copy abbreviates it), ending its
    phrase ("Brannock, Ont., high school"; not "NL MVP Ana Ruiz")."""
    if not (tok.is_title or tok.is_upper):
        return False
    if tok.text.replace(".", "").lower() not in REGION_ABBREVIATIONS:
        return False
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return (
        tok.text.endswith(".")
        or nxt is None
        or "\n" in tok.whitespace_
        or nxt.text in (".", ",", ";", ":", ")", "—", "–")
    )


def _set_among_places(doc: Doc, m: RawMention, strong_only: bool = False) -> bool:
    """The mention is a region's abbreviation after a town ("Brannock, Ont."), a town before one,
    a place noun's modifier with its conjuncts ("the Marsh Hollow and Tiller Bay area"); or (not
    ``strong_only``) a conjunct of a known place ("Edmonton, Calgary and Pellow Creek")."""
    if m.tok_end - m.tok_start == 1 and _region_abbreviation(doc[m.tok_start]):
        k = m.tok_start
        return k >= 2 and doc[k - 1].text == "," and doc[k - 2].is_title
    k = m.tok_end
    if k + 1 < len(doc) and doc[k].text == "," and _region_abbreviation(doc[k + 1]):
        return True
    head = doc[m.tok_end - 1]
    first = head
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if first.dep_ in ("appos", "compound", "nmod") and first.head.lemma_.lower() in PLACE_NOUNS:
        return True
    if any(c.dep_ == "appos" and c.lemma_.lower() in PLACE_NOUNS for c in first.children):
        return True  # "Corran Falls and Pellow Creek, two small towns east of …"
    up = first.head
    if first.dep_ == "pobj" and up.lower_ == "of" and up.head.lemma_.lower() in PLACE_NOUNS:
        return True  # "the towns of Corran Falls and Pellow Creek'
    if strong_only:
        return False
    # every other conjunct a known place (not a list of people with a "Sydney" among them)
    others = [_compound_phrase(t) for t in (first, *first.conjuncts) if t.i != head.i]
    return any(place_kind(p) is not None for _, p in others) and all(
        t.ent_type_ in ("GPE", "LOC") or (place_kind(p) and t.ent_type_ != "PERSON")
        for t, p in others
    )


def _compound_phrase(tok: Token) -> tuple[Token, str]:
    """A token with the compound words in front of it ("Pellow Creek")."""
    start = tok.i
    while (
        start > 0 and tok.doc[start - 1].dep_ == "compound" and tok.doc[start - 1].head.i == tok.i
    ):
        start -= 1
    return tok, tok.doc[start : tok.i + 1].text


def _used_as_place(doc: Doc, m: RawMention) -> bool:
    """ "in Penticton", "the town of Lethbridge", "the capital Whitehorse", "Kamloops, B.C." """
    head = doc[m.tok_end - 1]
    if head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPOSITIONS:
        return True
    if (
        m.tok_start > 0
        and doc[m.tok_start - 1].lower_ in PLACE_PREPOSITIONS
        and not (
            m.tok_end < len(doc)
            and (doc[m.tok_end].tag_ == "POS" or doc[m.tok_end].pos_ in ("VERB", "AUX"))
        )
    ):
        # "in Penticton" that the parser read as a compound ("in Penticton change"); not "in
        # Obama's", "from Obama being"
        return True
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in PLACE_NOUNS:
        return True
    if head.dep_ in ("appos", "compound") and head.head.lemma_.lower() in PLACE_NOUNS:
        return True
    k = m.tok_end
    return (
        k + 1 < len(doc)
        and doc[k].text == ","
        and doc[k + 1].ent_type_ == "GPE"
        and doc[k + 1].is_title | doc[k + 1].is_upper
    )


def _named_as_place(doc: Doc, m: RawMention) -> bool:
    """ "the town of X", "the X region", "the capital X": a place noun names the kind of place."""
    head = doc[m.tok_end - 1]
    up = head.head
    if head.dep_ == "pobj" and up.lower_ == "of" and up.head.lemma_.lower() in PLACE_NOUNS:
        return up.head.i == up.i - 1  # "the town of X", not "the mayor of the town of …"
    if head.dep_ in ("appos", "compound") and up.lemma_.lower() in PLACE_NOUNS and up.is_lower:
        return abs(up.i - head.i) <= 2
    return m.tok_start > 0 and doc[m.tok_start - 1].lemma_.lower() in ("capital", "town", "city")


def _place_not_org(doc: Doc, mentions: list[RawMention], name: str) -> bool:
    """ "the Bucharest stock exchange", "Portugal": a country or US state typed ORG is the place
    (its government or side too, as spaCy's own GPE), a city only where the text also uses it as
    a place; not one that plays a match (a club), nor a name with an organisation's head word."""
    if any(m.canonical or m.forced_type or m.honorific for m in mentions):
        return False
    kind = place_kind(name)
    words = [norm_key(w) for w in name.split()] or [""]
    if words[-1] in ORG_HEADS or (kind is None and any(w in ORG_HEADS for w in words)):
        return False
    if kind != COUNTRY and any(_plays(doc, m) for m in mentions):
        return False  # a town's club; a country's side is named as the country
    if kind is None:
        # a place too small for the gazetteer, where the text names it as one ("the town of
        # Pellow", "the Tiller region", "the capital Corran")
        return any(_named_as_place(doc, m) for m in mentions)
    return kind != CITY or any(
        _used_as_place(doc, m) or _set_among_places(doc, m) or _named_as_place(doc, m)
        for m in mentions
    )


def _team_not_place(doc: Doc, mentions: list[RawMention], name: str, etype: str) -> bool:
    """ "Kelburn beat Mossford", "Kelburn captain Jo Hardy", "a win over Mossford": a city,
    county or state that plays is the club named after it (a country stays a place: its
    national side is named as the country). Most of its mentions must be in such a role, or
    one where no mention is a place."""
    if not any(m.canonical is None for m in mentions):
        return False
    kind = place_kind(name)
    # a one-word name that is no first name and plays is a club, whatever NER typed it
    bare = (
        etype == "PERSON"
        and len(name.split()) == 1
        and _given_as(name) == "unknown"
        and not any(_after_first_name(doc, m) for m in mentions)
    )
    if (
        kind == COUNTRY
        or (etype == "PERSON" and kind is None and not bare)
        or etype
        not in (
            "GPE",
            "LOC",
            "PERSON",
        )
    ):
        return False
    if any(m.honorific or m.role for m in mentions):
        return False  # "Mr Obama" (a town in Japan too)
    # a person typed so may beat a rival or hold a lead: only a team role makes one a club
    playing = sum(_plays(doc, m, roles_only=etype == "PERSON" and not bare) for m in mentions)
    if playing * 2 > len(mentions):
        return True
    # one match is enough where the text never uses the name as a place ("in Leeds")
    return playing > 0 and not any(_used_as_place(doc, m) for m in mentions)


def _plays(doc: Doc, m: RawMention, roles_only: bool = False) -> bool:
    head = doc[m.tok_end - 1]
    up = head.head
    if roles_only:
        return _team_role_after(doc, m)
    if head.dep_ in ("nsubj", "dobj", "nsubjpass") and up.lemma_.lower() in MATCH_VERBS:
        return True
    if head.dep_ == "pobj" and up.lower_ in ("over", "against", "to", "for"):
        noun = up.head
        return noun.lower_ in MATCH_NOUNS or (
            up.lower_ != "over" and noun.lemma_.lower() in MATCH_VERBS | {"play", "loan", "move"}
        )
    if head.dep_ == "appos" and up.lower_ in TEAM_NOUNS:
        return True  # "second-division club Kelburn"
    if head.dep_ == "poss" and up.lower_ in MATCH_NOUNS:
        return True  # "Kelburn's lead over the Otters"
    return _team_role_after(doc, m)


def _team_role_after(doc: Doc, m: RawMention) -> bool:
    """The role right after the name ("Surrey captain", "Norwich's striker"), not further on
    ("the Dole campaign manager")."""
    nxt = m.tok_end + (1 if m.tok_end < len(doc) and doc[m.tok_end].tag_ == "POS" else 0)
    return nxt < len(doc) and doc[nxt].lower_ in TEAM_ROLES


def _gendered_noun(doc: Doc, mentions: list[RawMention]) -> str | None:
    """ "f" / "m" when a mention stands with a noun for a woman or a man: "her father Sami",
    "Sami, her father,", "the actress Lena Park"."""
    for m in mentions:
        words = []
        if m.tok_start > 0:
            words.append(doc[m.tok_start - 1])
        head = doc[m.tok_end - 1]
        words += [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos":
            words.append(head.head)
        for word in words:
            if word.lower_ in FEMALE_WORDS:
                return "f"
            if word.lower_ in MALE_WORDS:
                return "m"
    return None


def _retype_members(built: list[tuple[int, Entity, list[RawMention]]], doc: Doc) -> None:
    """A GPE/LOC used only as the modifier of a band or company role is an organisation."""
    for _, entity, mentions in built:
        if entity.type not in ("GPE", "LOC") or any(m.canonical for m in mentions):
            continue
        ok = True
        for m in mentions:
            nxt = m.tok_end
            if nxt >= len(doc) or doc[nxt].lower_ not in MEMBER_ROLES:
                ok = False
                break
        if ok:
            entity.type = "ORG"


def _roles_of(doc: Doc, m: RawMention, token_entity: list[int]) -> list[str]:
    """Role words that introduce a person: "Deputy Mayor Ana Ruiz", "singer X",
    "X, project leader at Y"."""
    out = []
    role_tokens: list[Token] = []
    k = m.tok_start - 1
    if m.honorific:
        k = m.tok_start - 1
    inside = set(range(m.tok_start, m.tok_end))
    while k >= 0:
        tok = doc[k]
        if (
            tok.pos_ in ("NOUN", "PROPN", "ADJ")
            and tok.head.i in inside | {t.i for t in role_tokens}
            and tok.dep_ in ("compound", "amod", "nmod", "npadvmod", "appos")
        ):
            if token_entity[k] < 0 and tok.ent_type_ not in ("NORP", "GPE", "ORG"):
                role_tokens.insert(0, tok)
            inside.add(k)
            k -= 1
            continue
        break
    if role_tokens:
        out.append(" ".join(t.lower_ for t in role_tokens if not t.is_punct))
    if m.role:
        out.append(m.role)
    head = doc[m.tok_end - 1]
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            words = [t.lower_ for t in child.lefts if t.dep_ in ("compound", "amod")]
            out.append(" ".join([*words, child.lower_]))
    return [r for r in out if r]


@functools.cache
def _first_names():
    """gender-guesser's list of some 40,000 first names, loaded on first use."""
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


@functools.lru_cache(maxsize=8192)
def _given_as(word: str) -> str:
    """What gender-guesser says of a first name: female, mostly_female, male, … or unknown
    (cached: merging asks of the same few names again and again)."""
    return _first_names().get_gender(word)


def first_name_gender(name: str) -> str | None:
    """``"f"`` or ``"m"`` when the name's first word is a first name given to women or to men;
    None for one given to both ("Lee", "Robin", "Kim": gender-guesser's mostly_…), where the
    pronouns of the text decide."""
    words = name.split()
    if len(words) < 2:
        return None
    told = _given_as(words[0].strip(".,"))
    if told == "female":
        return "f"
    if told == "male":
        return "m"
    return None


def _person_by_role(doc: Doc, mentions: list[RawMention], name: str) -> bool:
    """A name NER typed as a place, body or thing that the text treats as a person: it has a
    job title in front ("Foreign Minister Ana Ruiz"), an age beside it ("Ruiz, 58,") or speaks
    ("Ruiz said"), and its form is a person's (one to three capitalised words, none a word for a
    body or group, not a place the gazetteer knows; a single word must be a known first name)."""
    if any(m.canonical or m.forced_type for m in mentions):
        return False
    words = name.split()
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return False
    if any(norm_key(w) in ORG_HEADS or norm_key(w) in GROUP_WORDS for w in words):
        return False
    if ends_in_acronym(name) or any(ch.isdigit() for ch in name):
        return False
    given = _given_as(words[0]) in ("female", "male", "mostly_female", "mostly_male")
    given = given and words[0].lower() not in TITLE_WORDS  # "General" is in the name list
    if (len(words) == 1 and not given) or (len(words) > 1 and place_kind(name) is not None):
        return False
    if sum(_used_as_place(doc, m) for m in mentions) * 3 >= len(mentions):
        return False  # "in Port Ellis"
    for m in mentions:
        if m.titled and m.tok_end - m.tok_start >= 2:
            return True
        head = doc[m.tok_end - 1]
        if any(c.dep_ == "appos" and _an_age(c) for c in head.children):
            return True  # "Ruiz, 58, …"
        if given and head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in CUE_LEMMAS:
            return True  # "Colton said" (bodies speak too: only a first name tells)
    return False


def _group_by_use(doc: Doc, mentions: list[RawMention]) -> bool:
    """A one-word name NER typed NORP that no ending marks as a group ("Sorbian", "Karaites")
    is one still when the text uses it as an adjective or a plural ("Sorbian villages", "the
    Karaites")."""
    if any(m.tok_end - m.tok_start != 1 or m.canonical for m in mentions):
        return False
    if sum(m.label == "NORP" for m in mentions) * 2 < len(mentions):
        return False  # at least half of them typed so ("Velmorian" NORP once, ORG once)
    return any(
        doc[m.tok_start].tag_ in ("JJ", "NNPS")
        or doc[m.tok_start].dep_ == "amod"
        or _modifies_common_noun(doc[m.tok_start])
        for m in mentions
    )


def _modifies_common_noun(tok: Token) -> bool:
    """The word stands in front of a lower-case noun it modifies ("Sorbian villages", "the
    Karaite community")."""
    head = tok.head
    return (
        tok.dep_ in ("compound", "amod", "nmod")
        and tok.i < head.i <= tok.i + 3
        and head.pos_ == "NOUN"
        and all(t.is_lower for t in tok.doc[tok.i + 1 : head.i + 1])
    )


def _an_age(tok: Token) -> bool:
    """A person's age set off by commas: "Ruiz, 58, said" (not a year or a date)."""
    return (
        tok.text.isdigit()
        and 0 < int(tok.text) < 120
        and tok.i > 0
        and tok.doc[tok.i - 1].text == ","
        and (tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].is_punct)
    )


def _looks_like_person(name: str) -> bool:
    """Two or three capitalised words, the first a first name (not one also given as a family
    or place name often), none a word for a kind of body ("Kevin Dalgety", not "Victoria
    Trust")."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and w[1:].islower() for w in words):
        return False
    if any(w.lower() in ORG_HEADS or w.lower() in GROUP_WORDS for w in words):
        return False
    if words[0].lower() in TITLE_WORDS:
        return False  # "General …": a title word that a first-name list holds too
    return first_name_gender(name) is not None and _given_as(words[0]) in ("female", "male")


def _acronym_not_person(doc: Doc, text: str, mentions: list[RawMention], name: str) -> bool:
    """ "HRTA said …": one word in capitals, in a line of mixed case, is an acronym (a body's),
    not a person's name (a line all in capitals, like a headline, tells nothing)."""
    if len(name.split()) != 1 or any(m.honorific or m.role or m.titled for m in mentions):
        return False
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) < 2 or not name.isupper() or _ROMAN.match(name):
        return False
    for m in mentions:
        a = text.rfind("\n", 0, m.start) + 1
        b = text.find("\n", m.end)
        line = text[a : b if b >= 0 else len(text)]
        if any(ch.islower() for ch in line):
            return True
    return False


def _nationality_not_person(doc: Doc, mentions: list[RawMention], name: str) -> bool:
    """ "Velmorian refugees", "the Dravic community": one word that no first name is, formed as
    a nationality ("-an", "-ese", "-ish", "-i"; or a country less "-istan"), that the text uses
    as the modifier of a common noun at least as often as not, is a nationality, not a person."""
    if len(name.split()) != 1 or any(m.honorific or m.role or m.titled for m in mentions):
        return False
    word = name.casefold()
    if _given_as(name) != "unknown":
        return False
    formed = (
        word in GROUP_WORDS
        or word in DEMONYMS
        or word.endswith(NATIONALITY_ADJECTIVE_SUFFIXES)
        or place_kind(name + "istan") == COUNTRY
    )
    if not formed:
        return False
    used = sum(
        _modifies_common_noun(doc[m.tok_start]) or doc[m.tok_start].tag_ in ("JJ", "NNPS")
        for m in mentions
    )
    return used * 2 >= len(mentions) and used > 0


def _after_first_name(doc: Doc, m: RawMention) -> bool:
    """A capitalised first name stands right before the mention (NER left it out: "Ana" of
    "Ana Ruiz")."""
    if m.tok_start == 0:
        return False
    prev = doc[m.tok_start - 1]
    return prev.is_title and _given_as(prev.text) != "unknown"


def _company_not_person(doc: Doc, mentions: list[RawMention], name: str) -> bool:
    """ "Tollco shares rose", "Tollco's earnings": a one-word name that is no first name, with a
    company's noun right after it, is a company."""
    if len(name.split()) != 1 or any(m.honorific or m.role or m.titled for m in mentions):
        return False
    if _given_as(name) != "unknown":
        return False
    for m in mentions:
        k = m.tok_end + (1 if m.tok_end < len(doc) and doc[m.tok_end].tag_ == "POS" else 0)
        if k < len(doc) and doc[k].is_lower and doc[k].lower_ in COMPANY_NOUNS:
            return True
    return False


def _collective_not_person(doc: Doc, mentions: list[RawMention], name: str) -> bool:
    """ "Kelburn are bottom of the table", "Kelburn have won": a one-word name that is no first name
    and takes a plural verb names a body (a team, a company), not a person."""
    if len(name.split()) != 1 or any(m.honorific or m.role or m.titled for m in mentions):
        return False
    if _given_as(name) != "unknown":
        return False
    plural = 0
    for m in mentions:
        if m.tok_end - m.tok_start != 1:
            continue
        tok = doc[m.tok_start]
        if tok.dep_ != "nsubj" or tok.tag_ != "NNP" or any(c.dep_ == "conj" for c in tok.children):
            continue
        verb = tok.head
        forms = [verb, *(c for c in verb.children if c.dep_ == "aux")]
        if any(v.tag_ == "VBP" or v.lower_ == "were" for v in forms if v.i > tok.i):
            plural += 1
    return plural > 0
