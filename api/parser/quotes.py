"""Quotes and their speakers.

**Finding quotes** (:func:`find_quote_spans`, pure text, no spaCy): per paragraph (line of the
article text), double marks only: “…”, „…“, «…» and straight "…". A straight mark opens or
closes by its context (space before and a word after: opens; a word before and space or
punctuation after: closes; otherwise it toggles). Single marks (‘…’, '…') never start or end a
quote: inside a quote they are part of its text. A new opening mark while a quote is still open
(the British rule for run-on quotes) ends the open segment just before it, so each opened
segment is a quote; a segment still open at the end of the paragraph ends there; a closing mark
with nothing open is ignored. So one stray mark costs at most the segment it touches.

**Speaker** (:func:`extract`), from the dependency parse, for each quote in order:

1. the cue verb (say, tell, add, note, state, warn, insist, conclude, explain, argue, …) that
   governs the quote (the quote's outside head, climbing the tree: "X said the singer “threw…”");
   else one right after it ("“…,” said Mr Smith", "“…,” she added", "“…,” according to X");
   else one right before it ("He said: “…”");
2. the speaker is the subject of that verb; a participle cue without a subject ("…, stating,
   “…”") climbs to its governing verb; "according to X" gives X;
3. the subject becomes an entity: its own mention; he/she/it/they resolved to the most recent
   fitting candidate (subjects first, then any mention; a person for he/she, an organisation for
   it/they); a spokesperson's organisation ("a spokesman for X", "the X spokeswoman"); a person in
   apposition ("the lawyer Jo Hardy"); a role the article introduced a person with
   ("Deputy Mayor Ana Ruiz" … "the deputy mayor said");
4. a quote with no cue of its own that continues the previous quote (a run-on segment, or the
   next sentence after "“…,” he said.") keeps the previous quote's speaker; a speech-like quote
   opening a sentence after one with a cue takes that cue's speaker.

Where the parse is wrong or the cue is not a speech verb (1.4.0): the subject outside the quote
when the parser gives the cue two; the name between the closing mark and a cue that has no subject
("“…,” Okafor, 61, told the Courier"), or a known name the model mistagged beside it
("said Brannock"); a description of a person ("says the cheerful owner", "the 52-year-old")
is the person the last sentences were about; a speech verb in the future or a condition ("she
expects X to announce “…”") yields to the spoken one above it; a statement or video someone
issued speaks for them, a study by X for X; a subjectless speech verb continues its sentence's
speaker; a quoted sentence or paragraph after prose about a named person is theirs; an article's
first attribution to a group it describes ("campaigners have warned") goes to the body the next
sentences name as speaking; a lower-case fragment inside a speech verb's clause is its subject's.
A name given with a verb of naming is the namer's words ("a plan Ruiz calls “…”"); a cue joined
to a verb with a subject shares it ("Ruiz read it and accused Okafor of “…”"); "as Ruiz put
it" attributes; a capitalised subject the model misread is the person it names, if named before.
1.7.0: a paragraph of nothing but quotes signed by the next one ("- Ana Ruiz.") is the signer's;
a message someone sends ("an email from X", "X's newsletter") speaks for them; "X called the
plan “…”" and "X refers to it as “…”" name things in X's words; a verb joined to a passive one
shares its subject; "“….” Ruiz said." after a full stop, and a name with a description set off
by commas before the cue; "X said it was early but added, “…”" is X's; "Headline - Ana Ruiz:
“…”" is Ana Ruiz's.
1.8.0: a person the text describes but does not name ("said one harbour pilot", "A veteran
teacher said") speaks as that description (no entity, ``via: description``); a party's member
after the verb ("added an Ohio Democrat") speaks; a date or a dateline's place misread as the
subject yields to the person named between it and the verb; more verbs of speech (assure,
muse, grumble, …).
1.9.0: the stop of a short title ("said Lt. Cmdr. Ruiz. “…”") ends no attribution; a body that
only heads a person's title ("said Harbor Radio co-host Lee Sands") yields to the person; a
sentence led only by an adverb or a participle ("Instead, “…”", "Adding, “…”") continues the
speaker before; a clause after the quote led by "when", "after", … is not its attribution.
1.10.0: a fragment inside reported speech is the reporter's ("Ruiz said Okafor urged members to
be “…”"); a described speaker with a name ("the chief known as Bob") is that name; a dash or a
preposition misread as the subject names no one; "said, “We’ll see.”" and a chant are no titles
of works; "shot back", "weighed in" and "upon saying" are cues; no quote speaks itself.
1.11.0: a fragment in the clause of a verb that rates, likens or casts ("likened it to “…”",
"deemed it “…”") is its subject's.
1.12.0: the state of a party tag ("Sen. Ana Ruiz (D-MA) said") or a weekday misread as the
subject yields to the person tagged; a quote inside an open quote is its speaker's; a quote
after a sentence naming no one continues its paragraph's speaker; the source set off by a dash
before a colon ("Pollsters agree - Ana Ruiz: “…”") speaks when the verb's subject names no
one; a cue after a closing mark stays in the quote's paragraph; a cue may govern a quote from
further down a long reported clause.

**Kind**: ``term`` for a short quote (at most four words, no sentence punctuation) with no
attributed speaker, or one used as a word ("what “sustainable” means", "so-called “…”"); such
quotes get no speaker and no cue. Everything else is ``speech``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..ids import quote_id
from .document import ArticleDocument, Quote, Span, Speaker
from .entities import EntityAnalysis, ends_in_acronym
from .lexicon import (
    ABBREVIATIONS,
    CUE_LEMMAS,
    DATE_WORDS,
    DOCUMENT_NOUNS,
    MESSAGE_NOUNS,
    METALINGUISTIC_AFTER,
    METALINGUISTIC_BEFORE,
    NAMING_LEMMAS,
    NEUTER_PRONOUNS,
    ORG_HEADS,
    ORG_NOUN_DETERMINERS,
    ORG_NOUNS,
    PERSON_ROLES,
    PERSONAL_PRONOUNS,
    PHRASAL_CUES,
    PLURAL_PRONOUNS,
    SPEAKER_PREPOSITIONS,
    SPOKESPERSON_WORDS,
    TITLE_SMALL_WORDS,
    TITLE_WORDS,
    TITLES_AND_HONORIFICS,
    VERDICT_LEMMAS,
    WEAK_CUE_LEMMAS,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

_OPENERS = {"“": "open", "„": "open", "«": "open", "”": "close", "»": "close", '"': "either"}
_OPEN_CONTEXT = set("([{—–-/:;") | {"‘", "'"}
_CLOSE_FOLLOW = set(".,;:!?)]}—–-'’…")
_SENTENCE_PUNCT = re.compile(r"[.!?…]\s|[.!?…]$")
_METALINGUISTIC_BEFORE = re.compile(
    r"(?:" + "|".join(METALINGUISTIC_BEFORE) + r")\s*$", re.IGNORECASE
)
_METALINGUISTIC_AFTER = re.compile(
    r"^\s*(?:" + "|".join(METALINGUISTIC_AFTER) + r")\b", re.IGNORECASE
)
TERM_MAX_WORDS = 4
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"”’']|$)|\n")
_ABBREVIATION = re.compile(r"(?:\b(?:" + "|".join(ABBREVIATIONS) + r")|\b[A-Z])$")
_CLIMB = frozenset({"advcl", "xcomp", "conj", "ccomp", "acl", "pcomp", "relcl"})


# -- finding quotes (pure text) --------------------------------------------------------------


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Inner ``(start, end)`` of every double-quoted segment, paragraph by paragraph."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        spans.extend((pos + a, pos + b) for a, b in _line_quotes(line))
        pos += len(line) + 1
    return spans


def _line_quotes(line: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    open_at: int | None = None

    def emit(a: int, b: int) -> None:
        while a < b and line[a].isspace():
            a += 1
        while b > a and line[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))

    for p, ch in enumerate(line):
        kind = _OPENERS.get(ch)
        if kind is None:
            continue
        prev = line[p - 1] if p > 0 else None
        nxt = line[p + 1] if p + 1 < len(line) else None
        opener_ctx = (prev is None or prev.isspace() or prev in _OPEN_CONTEXT) and (
            nxt is not None and not nxt.isspace()
        )
        closer_ctx = (prev is not None and not prev.isspace()) and (
            nxt is None or nxt.isspace() or nxt in _CLOSE_FOLLOW
        )
        if kind == "either":
            if opener_ctx and not closer_ctx:
                kind = "open"
            elif closer_ctx and not opener_ctx:
                kind = "close"
            else:
                kind = "close" if open_at is not None else "open"
        elif kind == "close" and open_at is None and opener_ctx and not closer_ctx:
            kind = "open"  # a closing mark used as an opening one
        elif kind == "open" and open_at is not None and closer_ctx and not opener_ctx:
            kind = "close"  # an opening mark used as a closing one
        if kind == "open":
            if open_at is not None:
                emit(open_at, p)  # run-on: the open segment ends before the new mark
            open_at = p + 1
        elif open_at is not None:
            emit(open_at, p)
            open_at = None
    if open_at is not None:
        emit(open_at, len(line))
    return out


# -- speakers --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cue:
    token: Token
    span: Span
    speaker: int  # entity index or -1
    subject_pos: int
    via: str  # how the speaker was found: cue, according-to, pronoun or description


#: Parts of speech a misparsed subject may have that name no one.
_NOT_SUBJECT_POS = frozenset({"ADP", "CCONJ", "SCONJ", "PART"})


class _Resolver:
    """Speakers of cue verbs, resolved in text order so pronouns can look back."""

    def __init__(self, doc: Doc, analysis: EntityAnalysis, quote_tokens: set[int]) -> None:
        self.doc = doc
        self.an = analysis
        self.quote_tokens = quote_tokens
        self.sent_of = [0] * len(doc)
        for n, sent in enumerate(doc.sents):
            for k in range(sent.start, sent.end):
                self.sent_of[k] = n
        self.types = [e.type for e in analysis.entities]
        self.gender = dict(analysis.gender)
        # candidates for pronouns: (token index, entity index, is_subject)
        self.events: list[tuple[int, int, bool]] = []
        #: The document's text (spaCy builds ``doc.text`` anew on every read).
        self.text = doc.text
        credit_spans = [m.span() for m in _CREDIT.finditer(self.text)]
        last = -2
        for k, index in enumerate(analysis.token_entity):
            if index >= 0 and (k != last + 1 or analysis.token_entity[k - 1] != index):
                head = k
                while head + 1 < len(doc) and analysis.token_entity[head + 1] == index:
                    head += 1
                subj = doc[head].dep_ in ("nsubj", "nsubjpass")
                in_credit = any(a <= doc[k].idx < b for a, b in credit_spans)
                if k not in quote_tokens and not in_credit:
                    self.events.append((head, index, subj))
            last = k if index >= 0 else last
        self.events.sort()
        self.cache: dict[int, _Cue] = {}
        #: organisations that spoke through a spokesperson (they can be "he"/"she" later)
        self.spoke: set[int] = set()
        #: speakers the text names but no entity matches, by name: indexes past the entities
        self.unmatched: dict[str, int] = {}
        self.names = [e.name for e in analysis.entities]

    def via(self, subject: Token) -> str:
        """How a subject names its speaker: ``pronoun`` (he, she, they), ``cue`` (a name: the
        speaker is named at the cue) or ``description`` (a role or a spokesperson: "the
        minister said", "a spokeswoman for X said")."""
        if _is_pronoun(subject):
            return "pronoun"
        if self.an.entity_of_token(subject.i) >= 0 or subject.pos_ == "PROPN":
            return "cue"
        if self._known_subject(subject) is not None:
            return "cue"
        direct = [t for t, is_direct in _np_tokens(subject) if is_direct and t.i != subject.i]
        if self.proper_name(subject) is not None or any(
            self.an.entity_of_token(t.i) >= 0 for t in direct
        ):
            return "cue"  # "the union Unite said", "the lawyer Jo Hardy said"
        return "description"

    def speaker(self, index: int, via: str) -> Speaker | None:
        """The quote's ``speaker``: an entity, or a name no entity matches (``entity_id`` null),
        and how it was found."""
        if index < 0:
            return None
        if index < len(self.an.entities):
            entity = self.an.entities[index]
            return Speaker(entity.id, entity.name, via)
        return Speaker(None, self.names[index], via)

    # cue of a token
    def cue(self, tok: Token) -> _Cue:
        cached = self.cache.get(tok.i)
        if cached is not None:
            return cached
        speaker, subject_pos = self._speaker_of_verb(tok)
        if 0 <= speaker < len(self.types) and self.types[speaker] == "ORG":
            person = self._person_titled_by(speaker, subject_pos)
            if person is not None:
                speaker, subject_pos = person
        span = _cue_span(self.doc, tok)
        via = "according-to" if tok.lower_ == "according" else self.via(self.doc[subject_pos])
        cue = _Cue(tok, span, speaker, subject_pos, via)
        self.cache[tok.i] = cue
        if speaker >= 0:
            bisect.insort(self.events, (subject_pos, speaker, True))
            if self.types[speaker] != "PERSON":
                self.spoke.add(speaker)
        return cue

    def _speaker_of_verb(self, verb: Token) -> tuple[int, int]:
        doc = self.doc
        if verb.lower_ == "according":
            for child in verb.children:
                if child.lower_ == "to":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            return self.entity_of_np(obj), obj.i
            if verb.i + 2 < len(doc):
                return self.entity_of_np(doc[verb.i + 2]), verb.i + 2
            return -1, verb.i
        tok = verb
        first = True
        passive = False
        reported = self._reported_conj(verb)
        if reported is not None:
            tok = reported
        if not any(c.dep_ in ("nsubj", "csubj") for c in verb.children) and verb.tag_ in (
            "VBG",
            "VBN",
        ):
            # a participle cue ("…, stating, “…”") belongs to the nearest speech verb above it
            up = verb
            for _ in range(5):
                if up.dep_ not in _CLIMB or up.head.i == up.i:
                    break
                up = up.head
                if _is_cue(up, strong_only=True) and up.i not in self.quote_tokens:
                    tok, first = up, True
                    break
            if tok is verb:
                # "Hua shot back, saying …", "she was quoted as saying …": the participle's
                # subject is that of the verb it hangs from, speech verb or not, active or
                # passive
                up = verb
                while up.dep_ in ("advcl", "xcomp", "conj", "pcomp", "prep") and up.head.pos_ in (
                    "VERB",
                    "AUX",
                    "ADP",
                    "SCONJ",
                ):
                    up = up.head
                    if up.i in self.quote_tokens:
                        break
                    if up.pos_ in ("ADP", "SCONJ"):
                        continue  # "before asking her", "as saying", "upon saying"
                    if any(c.dep_ in ("nsubj", "nsubjpass") for c in up.children):
                        tok, first, passive = up, True, True
                        break
            if tok is verb and verb.dep_ in ("advcl", "acl") and verb.head.i < verb.i:
                # "Okafor defended the plan, calling it “…”" with the name read as the root
                # and the participle hung from it: the participle is the name's
                index = self.an.entity_of_token(verb.head.i)
                if index >= 0 and self.types[index] in ("PERSON", "ORG"):
                    return index, verb.head.i
        author = self._author_of(verb)
        if author is not None:
            return author
        for _ in range(5):
            subject_deps = ("nsubj", "csubj", "nsubjpass") if passive else ("nsubj", "csubj")
            # a dash or a preposition the parser read as a subject ("Okafor ― who … ― boasted",
            # "Of the plan, Okafor, who …, said") names no one
            subjects = [
                c
                for c in tok.children
                if c.dep_ in subject_deps and not c.is_punct and c.pos_ not in _NOT_SUBJECT_POS
            ]
            # “The more boats that sail …,” Okafor said: the parser may read a word of the
            # quote as a second subject; the one outside the quote is the speaker
            outside = [c for c in subjects if c.i not in self.quote_tokens]
            subjects = outside or subjects
            # "said Army Capt. Ana Ruiz" read as two subjects: the name, not the title
            named = [c for c in subjects if c.lower_.rstrip(".") not in TITLE_WORDS]
            subjects = named or subjects
            if subjects:
                index = self.entity_of_np(subjects[0])
                if index >= 0 and (
                    self.types[index] not in _SPEAKER_TYPES
                    or _dateline(subjects[0])
                    or subjects[0].lower_ in DATE_WORDS
                    or _before_party_tag(doc, subjects[0].i) != subjects[0].i
                ):
                    # "Saturday at the rally Sen. Ana Ruiz said", "KAMLOOPS — Ana Ruiz told":
                    # a date or place misread as the subject, a person named before the verb;
                    # "Sen. Ana Ruiz (R-OH) said": the state of a party tag, the person tagged
                    person = self._person_between(subjects[0], tok) or self._tagged_person(
                        subjects[0]
                    )
                    if person is not None:
                        return person
                if index >= 0 or first or _is_cue(tok, strong_only=False):
                    return index, subjects[0].i
            elif first and tok.tag_ != "VBG" and self.conj_subject(tok) is None:
                # “…,” Okafor, 61, told the Courier / “…,” novelist Ana Ruiz wrote: the words
                # between the closing mark and the verb name the speaker, however parsed
                named = self._name_before(tok) or self._name_right_before(tok)
                if named is not None:
                    return named
                # "said Mr Smith" parsed without a subject: a name right after the verb
                # (the person it names first: "said Army Capt. Ana Ruiz" is Ana Ruiz, not the
                # Army)
                after = []
                for k in range(tok.i + 1, min(tok.i + 8, len(doc))):
                    index = self.an.entity_of_token(k)
                    if index >= 0 and self.types[index] in _SPEAKER_TYPES:
                        # a person first, then a body, then a party's member ("a Democrat")
                        rank = ("PERSON", "ORG", "NORP").index(self.types[index])
                        after.append((rank, k, index))
                    if "\n" in doc[k].whitespace_ or k in self.quote_tokens:
                        break
                    if doc[k].is_punct and not _inside_word(doc[k]):
                        break  # "said Radio Harbor co-host Lee Sands": a hyphen ends nothing
                if after:
                    _, k, index = min(after)
                    return index, k
                known = self._known_name_at(tok.i + 1) or self._known_name_at(tok.i - 1)
                if known is not None:
                    return known
                described = self._description_after(tok)
                if described is not None:
                    return described
            if tok.head.i != tok.i and (
                tok.dep_ in _CLIMB
                or (tok.dep_ == "dep" and tok.head.pos_ == "VERB" and not subjects)
            ):
                # "Ruiz was cheered by the crowd and joked, “…”": a verb joined to a passive
                # one shares its subject, passive or not; "Okafor, exasperated, responded:"
                # read as a loose dependent of "exasperated" has its subject
                passive = tok.dep_ == "conj" and not subjects
                tok = tok.head
                first = False
                continue
            break
        if verb.tag_ in ("VB", "VBG", "VBN") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
        ):
            # "Okafor said, going on to add that …" parsed apart: a speech verb with no
            # subject of its own continues the last one of its sentence that has one
            earlier = self._earlier_speaker(verb)
            if earlier[0] < 0 and verb.tag_ == "VBG":
                # "footage of Ana Ruiz saying, “…”": the person named right before
                before = self.an.entity_of_token(verb.i - 1)
                if before >= 0 and self.types[before] in ("PERSON", "ORG"):
                    return before, verb.i - 1
                return self._clause_subject_before(verb)
            return earlier
        return -1, verb.i

    def _person_titled_by(self, org: int, k: int) -> tuple[int, int] | None:
        """ "Air Force 1st Lt. Ana Ruiz said", "said Harbor Radio co-host Lee Sands": a body
        that only heads a person's title (its name, then title words, then a person's name in
        the same phrase) is not the speaker; the person is."""
        doc = self.doc
        while k > 0 and self.an.entity_of_token(k - 1) == org:
            k -= 1  # from the start of the body's name
        while k < len(doc) and self.an.entity_of_token(k) == org:
            k += 1
        for m in range(k, min(k + 5, len(doc))):
            if m in self.quote_tokens or "\n" in doc[m - 1].whitespace_:
                return None
            index = self.an.entity_of_token(m)
            if index >= 0:
                return (index, m) if self.types[index] == "PERSON" and m > k else None
            t = doc[m]
            word = t.lower_.rstrip(".")
            if word in TITLE_WORDS or t.like_num or (t.tag_ in ("NN", "JJ") and t.is_lower):
                continue  # "1st Lt.", "co-host", "anchor", "chief strategist"
            if _inside_word(t) or (t.text == "." and m > k):
                continue
            return None
        return None

    def _reported_conj(self, verb: Token) -> Token | None:
        """ "Ruiz said the pier was safe but added, “…”": a speech verb with no subject that
        the parser joined to the reported clause (not a speech verb) belongs with the speech
        verb that reports it; that verb is returned, else None."""
        if verb.dep_ != "conj" or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return None
        joined = verb.head
        if _is_cue(joined, strong_only=False) or joined.dep_ != "ccomp":
            return None
        outer = joined.head
        if outer.i in self.quote_tokens or not _is_cue(outer, strong_only=True):
            return None
        if not any(c.dep_ == "nsubj" and c.i not in self.quote_tokens for c in outer.children):
            return None
        return outer

    def conj_subject(self, verb: Token) -> Token | None:
        """The subject of the first verb of a chain of joined verbs ("Ruiz read it, folded it
        and muttered …"), or None. A verb joined so shares it: in "Ruiz read the plan and
        accused Okafor of “…”" the name after the verb is its object, not an inverted subject."""
        head = verb
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
            for c in head.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i not in self.quote_tokens:
                    return c
        return None

    def _clause_subject_before(self, verb: Token) -> tuple[int, int]:
        """ "Ruiz shared the news, writing “…”": a participle after a comma, however parsed,
        speaks for the subject of the clause it follows (the nearest verb before it in its
        sentence that has a subject someone the text names)."""
        doc = self.doc
        if verb.i == 0 or doc[verb.i - 1].text != ",":
            return -1, verb.i
        sent = self.sent_of[verb.i]
        for k in range(verb.i - 2, -1, -1):
            if self.sent_of[k] != sent or k in self.quote_tokens:
                break
            tok = doc[k]
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            for c in tok.children:
                if c.dep_ == "nsubj" and c.i not in self.quote_tokens:
                    index = self.entity_of_np(c)
                    if index >= 0 and self.types[index] in ("PERSON", "ORG"):
                        return index, c.i
                    return -1, verb.i
        return -1, verb.i

    def _name_right_before(self, verb: Token) -> tuple[int, int] | None:
        """ "In a statement, her adviser, Ana Ruiz, said: …" parsed with no subject: the person
        or body named right before the verb (a comma between)."""
        k = verb.i - 1
        if k >= 0 and self.doc[k].text == ",":
            k -= 1
        k = _before_party_tag(self.doc, k)  # "Sen. Ana Ruiz (D-MA) said"
        if k < 0 or k in self.quote_tokens:
            return None
        index = self.an.entity_of_token(k)
        if index >= 0 and self.types[index] in ("PERSON", "ORG"):
            return index, k
        return None

    def _description_after(self, verb: Token) -> tuple[int, int] | None:
        """“…,” says the cheerful owner. — a description right after the verb, which the
        parser read as its object: the person it describes."""
        k = verb.i + 1
        while k < len(self.doc) and self.doc[k].dep_ == "prt" and self.doc[k].head.i == verb.i:
            k += 1  # "points out the …"
        if k >= len(self.doc) or k in self.quote_tokens:
            return None
        det = self.doc[k].lower_
        if det != "the" and det not in _INDEFINITE:
            return None
        noun = self.doc[k].head
        if noun.head.i != verb.i or noun.dep_ not in ("dobj", "attr", "npadvmod", "dep"):
            return None
        if not _names_a_person(noun):
            return None
        # "says the owner": the person the article introduced so; "says a pilot": that
        # description
        index = self.role(noun) if det == "the" else self.description(noun)
        return (index, noun.i) if index >= 0 else None

    def _known_subject(self, tok: Token) -> tuple[int, int] | None:
        """ "Ruiz tweeted, “…”" with "Ruiz" read as a common noun or a verb: a capitalised
        subject that is the name or surname of someone named before is them."""
        if tok.pos_ == "PROPN" or tok.dep_ not in ("nsubj", "nsubjpass"):
            return None
        return self._known_name_at(tok.i)

    def _known_name_at(self, k: int) -> tuple[int, int] | None:
        """“…,” said Brannock, … / “…,” Will wrote. — a capitalised word right after or before
        the verb that the model took for something else ("Will" for a modal), when it is the
        name or surname of a person or body named before."""
        if not 0 <= k < len(self.doc) or k in self.quote_tokens:
            return None
        word = self.doc[k]
        if not word.is_title or word.ent_type_ in ("DATE", "TIME"):
            return None
        key = word.text.lower()
        for start, index in reversed(self.an.mention_starts):
            if start >= word.idx or self.types[index] not in ("PERSON", "ORG"):
                continue
            entity = self.an.entities[index]
            forms = [entity.name, *entity.aliases]
            if any(f.lower() == key or f.lower().endswith(" " + key) for f in forms):
                return index, k
        return None

    def _author_of(self, verb: Token) -> tuple[int, int] | None:
        """ "X issued a statement saying …", "X posted a clip that said …": a speech verb
        whose subject is a thing someone made (the object of their verb) speaks for its maker."""
        if verb.dep_ not in ("acl", "relcl") or verb.head.pos_ != "NOUN":
            return None
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects and not (verb.dep_ == "relcl" and subjects[0].tag_ in ("WDT", "WP")):
            return None
        thing = verb.head
        if thing.dep_ != "dobj" or self.an.entity_of_token(thing.i) >= 0:
            return None
        maker = thing.head
        for c in maker.children:
            if c.dep_ == "nsubj" and c.i not in self.quote_tokens:
                index = self.entity_of_np(c)
                if index >= 0 and self.types[index] in ("PERSON", "ORG"):
                    return index, c.i
        return None

    def _earlier_speaker(self, verb: Token) -> tuple[int, int]:
        sent = self.sent_of[verb.i]
        for k in range(verb.i - 1, -1, -1):
            if self.sent_of[k] != sent:
                break
            cue = self.cache.get(k)
            if cue is not None and cue.speaker >= 0:
                return cue.speaker, cue.subject_pos
        return -1, verb.i

    def _name_before(self, verb: Token) -> tuple[int, int] | None:
        """The speaker named between a closing quote mark and its cue verb that the parser did
        not make the verb's subject: the first person or body named in that stretch (which
        holds no other verb and no sentence end), or a name heading it."""
        doc = self.doc
        if verb.is_title and not verb.is_sent_start:
            return None  # a headline in title case: “…” Mayor Asked Crews …
        k = verb.i - 1
        while k >= 0 and verb.i - k <= 12:
            t = doc[k]
            if k in self.quote_tokens or t.text in _OPENERS:
                break
            if (
                t.text in ".!?;:"
                or "\n" in t.whitespace_
                or (t.tag_ in ("VBD", "VBZ", "VBP", "MD") and t.dep_ not in ("relcl", "acl"))
            ):
                return None  # another clause (a relative clause about the speaker is fine)
            k -= 1
        if k < 0 or doc[k].text not in _OPENERS or k + 1 >= verb.i:
            return None
        head = k + 1
        while head < verb.i and doc[head].pos_ == "PROPN":
            head += 1
        if head > k + 1 and doc[head].text == ",":
            # “…” Ruiz, the head of the X Trust, wrote: the name the description follows
            index = self.entity_of_np(doc[head - 1])
            if index >= 0 and self.types[index] in ("PERSON", "ORG"):
                return index, head - 1
        for m in range(k + 1, verb.i):
            if doc[m].is_punct:
                continue
            index = self.an.entity_of_token(m)
            if index >= 0 and self.types[index] in ("PERSON", "ORG"):
                return index, m
        first = doc[k + 1] if doc[k + 1].text != "," else doc[min(k + 2, verb.i - 1)]
        if first.pos_ == "PROPN" or _is_pronoun(first):
            index = self.entity_of_np(first)
            if index >= 0:
                return index, first.i
        return None

    def entity_of_np(self, tok: Token) -> int:
        an = self.an
        index = an.entity_of_token(tok.i)
        if index >= 0:
            return index
        if tok.lower_.rstrip(".") in TITLE_WORDS:
            # "said Army Capt. Ana Ruiz" with the title read as the subject: the name after it
            for k in range(tok.i + 1, min(tok.i + 3, len(self.doc))):
                index = an.entity_of_token(k)
                if index >= 0 and self.types[index] == "PERSON":
                    return index
        low = tok.lower_
        if _is_pronoun(tok):
            return self.pronoun(tok)
        known = self._known_subject(tok)
        if known is not None:
            return known[0]
        if tok.pos_ == "PROPN" or self._capitalised_mid_sentence(tok):
            # the head is itself a name no entity span covers ("Varga said of the former
            # Otters captain": Varga, not the team named after "of")
            named = self.proper_name(tok)
            if named is not None and named[1].i <= tok.i:
                return self.named(*named)
        # a person named in apposition or compound with the head ("the lawyer Jo Hardy")
        people, orgs = [], []
        for t, direct in _np_tokens(tok):
            index = an.entity_of_token(t.i)
            if index < 0:
                continue
            if self.types[index] == "PERSON":
                people.append((not direct, index))
            elif self.types[index] in ("ORG", "GPE", "NORP", "FAC", "LOC"):
                orgs.append((self.types[index] != "ORG", not direct, index))
        direct_people = [index for indirect, index in people if not indirect]
        if tok.lemma_.lower() in DOCUMENT_NOUNS and tok.pos_ == "NOUN":
            # "a report by X", "X's statement", "a document on X's website": its maker
            if people or orgs:
                return min(people)[1] if people else min(orgs)[2]
            maker = self._maker(tok)
            return maker if maker >= 0 else self._issuer(tok)
        message = tok.lower_ in MESSAGE_NOUNS or tok.lemma_.lower() in MESSAGE_NOUNS
        if message and tok.pos_ == "NOUN":
            # "an email sent by X", "X's newsletter to members": its sender
            maker = self._maker(tok)
            if maker >= 0:
                return maker
        if tok.lemma_.lower() in SPOKESPERSON_WORDS or low in SPOKESPERSON_WORDS:
            # "a spokesman for X", "the X spokeswoman", "officials at X"
            if people:
                return min(people)[1]
            if orgs:
                return min(orgs)[2]
            return self._issuer(tok)
        return self._np_entity(tok, people, orgs, direct_people, low)

    def _maker(self, tok: Token) -> int:
        """Who made a document, as its phrase names them: by X ("e-mailed to the Courier by
        X"), then a possessor ("on X's website"); not whom it went to, nor its own title."""
        ranked = []
        for t in tok.subtree:
            index = self.an.entity_of_token(t.i)
            if index < 0 or t.i in self.quote_tokens or self.types[index] not in ("ORG", "PERSON"):
                continue
            path, up = [], t
            while up.i != tok.i and len(path) < 8:
                path.append(up)
                up = up.head
            if any(p.lower_ in ("to", "titled", "called", "named", "entitled") for p in path):
                continue
            by = any(p.dep_ == "agent" or p.lower_ in ("by", "from") for p in path)
            poss = any(p.dep_ == "poss" for p in path)
            if by or poss:
                ranked.append((not by, t.i, index))
        return min(ranked)[2] if ranked else -1

    def _issuer(self, tok: Token) -> int:
        """ "a statement released by X" is X's; "the statement also said" (with no maker named)
        is the one whoever spoke "in a statement" in the last sentences issued."""
        for child in tok.children:
            if child.dep_ != "acl":
                continue
            for agent in child.children:
                if agent.dep_ == "agent":
                    for obj in agent.children:
                        if obj.dep_ == "pobj":
                            index = self.an.entity_of_token(obj.i)
                            if index < 0:
                                index = self.entity_of_np(obj)
                            if index >= 0:
                                return index
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
            return -1
        noun = tok.lemma_.lower()
        sent = self.sent_of[tok.i]
        for k in sorted(self.cache, reverse=True):
            if k >= tok.i:
                continue
            if sent - self.sent_of[k] > 4:
                break
            cue = self.cache[k]
            if cue.speaker >= 0 and any(t.lemma_.lower() == noun for t in cue.token.subtree):
                return cue.speaker
        return -1

    def _np_entity(
        self,
        tok: Token,
        people: list[tuple[bool, int]],
        orgs: list[tuple[bool, bool, int]],
        direct_people: list[int],
        low: str,
    ) -> int:
        if direct_people:
            return direct_people[0]
        if people and low in TITLE_WORDS:
            # "Chair of the X Committee Ana Ruiz said" (the name parsed under "of")
            return min(people)[1]
        role = self.role(tok)
        if role >= 0:
            return role
        if tok.pos_ == "NOUN" and orgs:
            # "analysts at X", "a lawyer for X": the body they speak for
            return min(orgs)[2]
        named = self.proper_name(tok)
        if named is not None:
            # "Tarek said", "the union Unite said": a name that no entity span covers
            return self.named(*named)
        if any(t.pos_ == "PROPN" for t, _ in _np_tokens(tok) if t.i != tok.i):
            # a body named here in a way we cannot read: better no speaker than the wrong one
            return -1
        if tok.lemma_.lower() in ORG_NOUNS and any(
            c.dep_ == "det" and c.lower_ in ORG_NOUN_DETERMINERS for c in tok.children
        ):
            return self.recent_org(tok)
        return -1

    def proper_name(self, tok: Token) -> tuple[str, Token] | None:
        """The proper name heading this noun phrase, or in apposition or compound with its head
        ("Tarek", "the union Unite"), as ``(name, first token)``; None if there is none."""
        heads = [tok] if tok.pos_ == "PROPN" or self._capitalised_mid_sentence(tok) else []
        heads += [c for c in tok.children if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN"]
        for head in heads:
            # the run of capitalised proper nouns that ends at the head ("Tomas Reyes")
            words = [head]
            while words[0].i > 0 and head.pos_ == "PROPN":
                left = self.doc[words[0].i - 1]
                if left.pos_ != "PROPN" or left.i in self.quote_tokens or left.whitespace_ == "":
                    break
                words.insert(0, left)
            while words and (
                words[0].lower_.rstrip(".") in TITLES_AND_HONORIFICS
                or _past_cue_form(words[0].lower_)
            ):
                words = words[1:]  # "Stated Ruiz:" read as one name
            if not words or not all(t.text[:1].isupper() for t in words):
                continue  # (capitalised: "DeVane" and "Ta'wenna" are no title case)
            start, end = words[0].idx, words[-1].idx + len(words[-1].text)
            return self.text[start:end], words[0]
        return None

    def _capitalised_mid_sentence(self, tok: Token) -> bool:
        """“…?” Varga pressed: a capitalised word the model took for a common noun, right
        after a closing quote mark or a comma, is a name (nothing else is capitalised there)."""
        if tok.pos_ != "NOUN" or not tok.is_title or tok.i == 0:
            return False
        k = tok.idx - 1
        while k >= 0 and self.text[k] == " ":
            k -= 1
        return k >= 0 and self.text[k] in '”",;'

    def named(self, name: str, first: Token) -> int:
        """A speaker named in the text: the entity whose name or alias it is, or whose name
        ends with it (a surname: "Varga" → "Tom Varga"), most recently mentioned first; else
        a name of its own."""
        return self.named_at(name, first.idx)

    def named_at(self, name: str, offset: int) -> int:
        """:meth:`named` for a name read at ``offset`` of the text."""
        key = name.lower()
        best = -1
        for start, index in self.an.mention_starts:
            if start >= offset:
                break
            entity = self.an.entities[index]
            if entity.type not in ("PERSON", "ORG"):
                continue
            forms = [entity.name, *entity.aliases]
            if any(f.lower() == key or f.lower().endswith(" " + key) for f in forms):
                best = index
        if best >= 0:
            return best
        index = self.unmatched.get(key)
        if index is None:
            index = self.unmatched[key] = len(self.names)
            self.names.append(name)
            self.types.append("PERSON" if _looks_personal(name) else "ORG")
        return index

    def _tagged_person(self, tok: Token) -> tuple[int, int] | None:
        """ "Sen. Ana Ruiz (D-MA)", "Rep. Lee Osgood, R-Ky.,": ``tok`` is the state of a party
        tag; the person it tags, named right before it."""
        k = _before_party_tag(self.doc, tok.i)
        if k == tok.i:
            return None
        index = self.an.entity_of_token(k) if k >= 0 else -1
        if index >= 0 and self.types[index] == "PERSON":
            return index, k
        return None

    def _person_between(self, subject: Token, verb: Token) -> tuple[int, int] | None:
        """The last person named between a subject and its verb, in one clause (no other verb
        between), outside quotes: ``(entity index, token)``, or None."""
        lo, hi = sorted((subject.i, verb.i))
        found = None
        for k in range(lo + 1, hi):
            t = self.doc[k]
            if k in self.quote_tokens or (
                t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBG", "VBN")
            ):
                return None  # another clause ("after winning the vote" is not one)
            index = self.an.entity_of_token(k)
            if index >= 0 and self.types[index] == "PERSON" and not _possessor(t):
                found = (index, k)
        return found

    def description(self, noun: Token) -> int:
        """A speaker the text describes but does not name ("a Harbor Party veteran", "one
        pilot"): the indefinite noun phrase up to its head noun, as a name of its own (no
        entity), one per wording; -1 unless the phrase opens with "a", "an", "another" or "one"."""
        dets = [c for c in noun.children if c.dep_ in ("det", "nummod") and c.i < noun.i]
        if len(dets) != 1 or dets[0].lower_ not in _INDEFINITE:
            return -1
        words = self.doc[dets[0].i : noun.i + 1]
        if any(t.i in self.quote_tokens or t.is_punct for t in words):
            return -1
        key = "\0" + words.text.lower()  # never the same as a name's key
        index = self.unmatched.get(key)
        if index is None:
            index = self.unmatched[key] = len(self.names)
            self.names.append(words.text)
            self.types.append("PERSON")
        return index

    def recent_org(self, tok: Token) -> int:
        """ "the firm said": the organisation mentioned most recently (one named with that
        noun, "the committee" for "X Committee", first)."""
        noun = tok.lemma_.lower()
        k = bisect.bisect_left(self.events, (tok.i, -1, False))
        fallback = -1
        for pos, index, _subj in reversed(self.events[:k]):
            if self.sent_of[tok.i] - self.sent_of[pos] > 12:
                break
            if self.types[index] != "ORG" or pos in self.quote_tokens:
                continue
            if self.names[index].lower().split()[-1] in (noun, noun + "s"):
                return index
            if fallback < 0:
                fallback = index
        return fallback

    def role(self, tok: Token) -> int:
        words = [t.lower_ for t in tok.lefts if t.dep_ in ("compound", "amod") and not t.is_punct]
        key = " ".join([*words, tok.lower_])
        head = tok.lower_
        pos = tok.idx
        best = -1
        for role, start, index in self.an.roles:
            if start >= pos:
                break
            if role == key:
                best = index
        if best >= 0:
            return best
        if tok.pos_ != "NOUN" or (tok.is_title and tok.i > 0 and not tok.is_sent_start):
            return -1
        for role, start, index in self.an.roles:
            if start >= pos:
                break
            if role.split()[-1] == head:
                best = index
        if (
            best < 0
            and _names_a_person(tok)
            and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        ):
            # "the prime minister said", "says the shop's founder" with no introduction: the
            # person the last sentences were about (their subject first, else the last named)
            k = bisect.bisect_left(self.events, (tok.i, -1, False))
            near = [
                (p, index, subj)
                for p, index, subj in reversed(self.events[:k])
                if self.sent_of[tok.i] - self.sent_of[p] <= 2
                and self.types[index] == "PERSON"
                and p not in self.quote_tokens
            ]
            for _p, index, subj in near:
                if subj:
                    return index
            if near:
                return near[0][1]
        return best

    def pronoun(self, tok: Token) -> int:
        low = tok.lower_
        sent = self.sent_of[tok.i]
        if low in PERSONAL_PRONOUNS:
            want = PERSONAL_PRONOUNS[low]

            def fits(index: int) -> bool:
                g = self.gender.get(index)
                return self.types[index] == "PERSON" and g in (None, want)
        elif low in NEUTER_PRONOUNS:

            def fits(index: int) -> bool:
                return self.types[index] in ("ORG", "GPE", "NORP")
        elif low in PLURAL_PRONOUNS:

            def fits(index: int) -> bool:
                return self.types[index] in ("ORG", "NORP", "GPE")
        else:
            return -1
        k = bisect.bisect_left(self.events, (tok.i, -1, False))
        recent = [e for e in reversed(self.events[:k]) if e[0] not in self.quote_tokens]
        near = [e for e in recent if sent - self.sent_of[e[0]] <= 2]
        if low in PLURAL_PRONOUNS:
            # "the owners, Ana Ruiz and Jo Lee, said … “…,” they said": people named together
            # as the subject of these sentences' last attribution
            for pos, index, subj in near:
                if not subj or self.types[index] != "PERSON":
                    continue
                word = self.doc[pos]
                if word.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in word.children):
                    return index
                break
        if low not in PERSONAL_PRONOUNS:
            # "it said", "they said": a body that has spoken in these sentences first
            for _pos, index, subj in near:
                if subj and index in self.spoke and fits(index):
                    return index
            if low in NEUTER_PRONOUNS and not any(
                fits(index) and self.types[index] == "ORG" for _pos, index, _subj in near
            ):
                # a place rarely speaks: "“…,” it said" after "… in Lakeview" is the body
                # that spoke a few paragraphs back, if one did
                for pos, index, _subj in recent:
                    if sent - self.sent_of[pos] > 10:
                        break
                    if index in self.spoke and self.types[index] == "ORG":
                        return index
        # the nearest fitting subject; then the nearest fitting mention (a person named in
        # apposition, "Ana Ruiz, a harbour manager, said …", is "she" before an
        # organisation that spoke two sentences back); then a body that spoke through a person
        for _pos, index, subj in near:
            if subj and fits(index):
                return self._remember(index, low)
        for _pos, index, _subj in near:
            if fits(index):
                return self._remember(index, low)
        if low in PERSONAL_PRONOUNS:
            # a person who spoke a few sentences back before a body that spoke just now
            for pos, index, subj in recent:
                if sent - self.sent_of[pos] > 6:
                    break
                if subj and fits(index):
                    return self._remember(index, low)
        for _pos, index, subj in near:
            if subj and self._human_org(index, low):
                return index
        for _pos, index, _subj in recent:
            if fits(index):
                return self._remember(index, low)
        if low in PLURAL_PRONOUNS:
            for _pos, index, _subj in recent:
                if self.types[index] == "PERSON":
                    return index
        return -1

    def _human_org(self, index: int, pronoun: str) -> bool:
        """An organisation that spoke (through a spokesperson) can be "he"/"she" later."""
        return pronoun in PERSONAL_PRONOUNS and index in self.spoke

    def _remember(self, index: int, pronoun: str) -> int:
        if pronoun in PERSONAL_PRONOUNS and self.types[index] == "PERSON":
            self.gender.setdefault(index, PERSONAL_PRONOUNS[pronoun])
        return index


#: Endings of nouns for a person by what they do or where they live ("sailor", "florist",
#: "fisherman", "librarian", "student").
_PERSON_NOUN_ENDINGS = ("or", "ist", "man", "woman", "ian", "ent")
_AGE = re.compile(r"^\d+-year-old$")


def _before_party_tag(doc: Doc, k: int) -> int:
    """The token before the party tag that ends at token ``k`` ("(D-MA)", ", R-Ky."), or ``k``
    when no tag ends there."""
    m = k
    if m >= 0 and doc[m].text == ")":
        m -= 1
    if m >= 0 and doc[m].text == ".":
        m -= 1  # "R-Ky." split apart
    if m < 3 or doc[m - 1].text not in ("-", "–") or doc[m - 2].text not in _PARTY_LETTERS:
        return k
    m -= 3
    while m >= 0 and doc[m].text in ("(", ","):
        m -= 1
    return m


def _names_a_person(tok: Token) -> bool:
    """ "the prime minister", "the cheerful owner", "the 52-year-old": a description of a
    person (a role word, an agent noun, an age), not of a body or a document."""
    low = tok.lower_
    if low in PERSON_ROLES:
        return True
    if tok.tag_ != "NN" or low in ORG_NOUNS or low.endswith("ment"):
        return False  # one person (not "the women"), not a body or a document
    if any(_AGE.match(t.lower_) for t in tok.lefts) or _AGE.match(low):
        return True
    return low.endswith(_PERSON_NOUN_ENDINGS)


def _is_pronoun(tok: Token) -> bool:
    low = tok.lower_
    return (
        tok.pos_ == "PRON"
        or low in PERSONAL_PRONOUNS
        or low in NEUTER_PRONOUNS
        or low in PLURAL_PRONOUNS
    )


def _past_cue_form(word: str) -> bool:
    """ "stated", "continued", "added": the past form of a cue verb."""
    return word.endswith("ed") and (word[:-1] in CUE_LEMMAS or word[:-2] in CUE_LEMMAS)


def _looks_personal(name: str) -> bool:
    """A name of one to four words none of which names a kind of body ("Unite" could be either;
    "Unite Union" is not a person)."""
    words = name.lower().split()
    return (
        0 < len(words) <= 4
        and not any(w in ORG_HEADS or w in ORG_NOUNS for w in words)
        and not ends_in_acronym(name)
    )


def _np_tokens(tok: Token) -> list[tuple[Token, bool]]:
    """The head's name-like dependents, each with whether it is *direct* (compound, apposition,
    flat) or behind a "for"/"of"/"at"/"from" phrase. Possessors are left out ("Ms Ruiz's
    lawyer" is not Ms Ruiz)."""
    out = [(tok, True)]
    stack = [(tok, True)]
    while stack:
        t, direct = stack.pop()
        for child in t.children:
            named = _name_given(child)
            if named is not None:
                # "the base chief known as Bob", "a pilot named Ravi Sen": the name given
                out.append((named, direct))
                stack.append((named, direct))
                continue
            if child.dep_ in ("poss", "relcl", "acl", "punct", "cc", "det"):
                continue
            if child.dep_ == "prep":
                if child.lower_ not in SPEAKER_PREPOSITIONS:
                    continue
                out.append((child, False))
                stack.append((child, False))
            elif child.dep_ in (
                "compound",
                "appos",
                "flat",
                "pobj",
                "nmod",
                "amod",
                "npadvmod",
                "conj",
            ):
                out.append((child, direct and child.dep_ != "pobj"))
                stack.append((child, direct and child.dep_ != "pobj"))
    return out


#: Participles that give a described person's name: "known as Bob", "named Ravi Sen".
_NAME_GIVING = frozenset({"know", "name", "call"})


def _name_given(child: Token) -> Token | None:
    """The name an ``acl`` participle of naming gives its noun, if it gives one."""
    if child.dep_ != "acl" or child.tag_ != "VBN" or child.lemma_.lower() not in _NAME_GIVING:
        return None
    for c in child.children:
        if c.dep_ in ("oprd", "attr", "dobj") and c.pos_ == "PROPN":
            return c
        if c.dep_ == "prep" and c.lower_ == "as":
            for obj in c.children:
                if obj.dep_ == "pobj" and obj.pos_ == "PROPN":
                    return obj
    return None


def _inside_word(tok: Token) -> bool:
    """A hyphen the tokenizer split out of a word ("co-host"): no space either side."""
    return (
        tok.text in ("-", "‐")
        and tok.i > 0
        and not tok.doc[tok.i - 1].whitespace_
        and not tok.whitespace_
    )


def _cue_span(doc: Doc, tok: Token) -> Span:
    if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
        end = doc[tok.i + 1]
        return Span(doc[tok.i : end.i + 1].text, tok.idx, end.idx + len(end.text))
    return Span(tok.text, tok.idx, tok.idx + len(tok.text))


def _as_put(tok: Token) -> bool:
    """ "as Ruiz put it, “…”": an attribution, though "put" is no speech verb."""
    if tok.lemma_.lower() != "put" or tok.pos_ != "VERB":
        return False
    children = {c.lower_ for c in tok.children}
    return "it" in children and "as" in children


def _phrasal_cue(tok: Token) -> bool:
    """ "Okafor shot back, “…”", "Ruiz weighed in": a verb that speaks only with its particle."""
    if tok.pos_ != "VERB":
        return False
    particles = PHRASAL_CUES.get(tok.lemma_.lower())
    if particles is None or tok.i + 1 >= len(tok.doc):
        return False
    particle = tok.doc[tok.i + 1]  # a particle or an adverb, as the model reads "back"
    return particle.lower_ in particles and particle.head.i == tok.i


def _is_cue(tok: Token, strong_only: bool) -> bool:
    if tok.lower_ == "according":
        return tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to"
    if _as_put(tok) or _phrasal_cue(tok):
        return True
    if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in CUE_LEMMAS:
        return False
    return not (strong_only and tok.lemma_.lower() in WEAK_CUE_LEMMAS)


def extract(document: ArticleDocument, doc: Doc, analysis: EntityAnalysis) -> list[Quote]:
    text = document.text
    spans = find_quote_spans(text)
    if not spans:
        return []
    tok_starts = [t.idx for t in doc]
    quote_tokens: set[int] = set()
    marks: set[int] = set()
    token_ranges: list[tuple[int, int]] = []
    for a, b in spans:
        i = bisect.bisect_left(tok_starts, a)
        j = bisect.bisect_left(tok_starts, b)
        token_ranges.append((i, j))
        quote_tokens.update(range(i, j))
    for k, t in enumerate(doc):
        if t.text in _OPENERS:
            marks.add(k)
    resolver = _Resolver(doc, analysis, quote_tokens)
    boundaries = _Boundaries(text, spans)
    for tok in doc:  # every attribution in text order, so that pronouns can look back
        if tok.i not in quote_tokens and _is_cue(tok, strong_only=True):
            resolver.cue(tok)
    section_of = document.section_finder()
    quotes: list[Quote] = []
    speaker_indexes: list[int] = []  # each quote's speaker, as the resolver indexes it (or -1)
    previous: tuple[Quote, int, int | None] | None = None  # quote, speaker index, cue token
    for n, ((a, b), (i, j)) in enumerate(zip(spans, token_ranges, strict=True)):
        inner = text[a:b]
        words = len(inner.split())
        short = words <= TERM_MAX_WORDS and not _SENTENCE_PUNCT.search(inner.rstrip(",;:"))
        before = text[max(0, a - 40) : a - 1] if a > 0 else ""
        after = text[b + 1 : b + 30]
        metalinguistic = (
            _METALINGUISTIC_BEFORE.search(before) is not None
            or _METALINGUISTIC_AFTER.search(after) is not None
            or _looks_like_title(inner, text, a)
        )
        # a “sextortion” scam: a word used as a word, unless it is inside reported speech
        # ("According to Haley, the threats were an evolution of the “sextortion” scam")
        modifier = short and _modifies_a_noun(doc, i, j)
        cue_tok = None
        caller = _caller(doc, i, resolver) if metalinguistic else None
        if caller is not None:
            # "a plan Ruiz calls “…”": a name for something, but the text says whose it is
            metalinguistic = False
        labelled = -1 if metalinguistic else _transcript_label(inner, a, resolver)
        if labelled < 0 and not metalinguistic:
            labelled = _signature(text, b, resolver)
        if labelled >= 0 or caller is not None:
            pass  # "OLSEN: We will…" names its speaker itself
        elif not metalinguistic:
            governing = _governing_cues(doc, i, j, quote_tokens, boundaries)
            cue_tok = _pick_cue(governing, resolver, inner[:1].islower())
            if modifier and (cue_tok is None or resolver.cue(cue_tok).speaker < 0):
                metalinguistic, cue_tok = True, None
            if cue_tok is None and not metalinguistic:
                cue_tok = _tail_cue(doc, text, b, j, quote_tokens)
            if cue_tok is None and not metalinguistic:
                cue_tok = _lead_cue(doc, text, a, i, quote_tokens)
            if cue_tok is None and not metalinguistic:
                cue_tok = _manner_cue(doc, text, a, b, i, j, resolver)
            if cue_tok is None and not short and not metalinguistic:
                cue_tok = _holder(doc, i, j, resolver, boundaries)
            elif cue_tok is None and not metalinguistic and _fragment(inner, modifier):
                # a fragment inside a speech verb's clause ("she urged voters to “stay
                # home”", "he decried the board for “turning its back”"), whoever the verb's
                # subject names
                held = _holder(doc, i, j, resolver, boundaries)
                if held is not None and (
                    _is_cue(held, strong_only=False) or held.lemma_.lower() in VERDICT_LEMMAS
                ):
                    cue_tok = held
        speaker, cue, via = -1, None, "continuation"
        if labelled >= 0:
            speaker, via = labelled, "cue"
        elif caller is not None:
            cue_tok, speaker = caller[0], caller[1]
            cue, via = _cue_span(doc, cue_tok), resolver.via(doc[caller[2]])
        elif cue_tok is not None:
            c = resolver.cue(cue_tok)
            speaker, cue, via = c.speaker, c.span, c.via
            if _named_inside(doc, resolver, c, i, j):
                speaker = -1  # "according to the “Harbour First” plan": no quote speaks itself
            if speaker < 0:
                speaker = _named_next(doc, resolver, c)
            if speaker < 0 and cue_tok.tag_ == "VBG" and _lead_only(doc, cue_tok.i):
                # "Ruiz said it was late. Adding, “…”": a participle opening its sentence
                # speaks for the speaker of the sentence before
                speaker, _ = _previous_sentence_cue(doc, resolver, cue_tok.i, quote_tokens, text, a)
                via = "continuation"
            if speaker < 0 and not short:
                speaker = _described(doc, resolver, c)
                via = "description" if speaker >= 0 else via
            if (
                (speaker < 0 or speaker >= len(resolver.an.entities))
                and not short
                and cue_tok.i < i
            ):
                # "Pollsters agree - Ana Ruiz: “…”": a cue with no one (or only a name no
                # entity has) for its subject, and the source named between it and the colon
                # that opens the quote
                signed, colon_via = _colon_subject(doc, resolver, text, a, i)
                if signed >= 0 and (speaker < 0 or signed < len(resolver.an.entities)):
                    speaker, via, cue = signed, colon_via, None  # the verb is not theirs
        elif (
            not metalinguistic
            and previous is not None
            and (_continues(text, previous[0], a, previous[2], doc))
        ):
            speaker = previous[1]
        elif not metalinguistic and not short:
            speaker, cue = _previous_sentence_cue(doc, resolver, i, quote_tokens, text, a)
            if speaker < 0:
                speaker, via = _colon_subject(doc, resolver, text, a, i)
            if speaker < 0:
                speaker = _last_speaker(text, resolver, quotes, speaker_indexes, a)
                via = "continuation"
            if speaker < 0:
                speaker = _previous_subject(doc, resolver, i, quote_tokens, text, a)
        if speaker < 0 and cue is None and labelled < 0:
            # "The shed was, in her words, “a museum.”": the words are hers
            speaker, via = _in_their_words(doc, resolver, i, via)
        if speaker < 0 and labelled < 0 and n > 0 and _nested(text, spans[n - 1], a):
            # “… isn’t about “Equal Justice” anymore …”: a quote inside an open quote is part
            # of those words, a term or not, and its speaker's
            speaker, via, cue = speaker_indexes[-1], "continuation", None
            metalinguistic = metalinguistic and speaker < 0
        kind = "speech"
        if metalinguistic or (short and speaker < 0):
            kind = "term"
            speaker, cue = -1, None
        quote = Quote(
            id=quote_id(n),
            section_id=section_of(a),
            text=inner,
            kind=kind,
            start=a,
            end=b,
            speaker=resolver.speaker(speaker, via),
            cue=cue,
        )
        quotes.append(quote)
        speaker_indexes.append(speaker)
        if kind == "speech":
            previous = (quote, speaker, cue_tok.i if cue_tok is not None else None)
    # a run-on segment with no cue takes the speaker of the segment it runs into
    for n in range(len(quotes) - 2, -1, -1):
        quote, following = quotes[n], quotes[n + 1]
        if (
            quote.kind == "speech"
            and quote.speaker is None
            and quote.cue is None
            and following.speaker is not None
            and not text[quote.end : following.start].strip(' \n"“”„«»')
            and text[quote.end : quote.end + 1] not in ("”", "»", '"')  # left open, run on
        ):
            quote.speaker = Speaker(
                following.speaker.entity_id, following.speaker.name, "continuation"
            )
    return quotes


def _nested(text: str, previous: tuple[int, int], a: int) -> bool:
    """The quote opening at ``a`` is inside the ``previous`` one: that segment was cut short by
    this quote's opening mark, not closed (see :func:`_line_quotes`)."""
    return a > 0 and text[a - 1] in _OPENERS and not text[previous[1] : a - 1].strip()


_LABEL = re.compile(r"^\s*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}):\s+\S")


def _caller(doc: Doc, i: int, resolver: _Resolver) -> tuple[Token, int, int] | None:
    """ "what Ruiz called “…”", "a levy he calls “…”", "was branded “…” by Ruiz": a verb of
    naming right before the opening mark, whose subject (or, in the passive, whose "by" phrase)
    names a person or body, gives the quote its speaker (the verb, the speaker, the word naming
    them). A name with no namer stays a term: "so-called", "known as", "a group called “…”",
    and "they" or "it" (too often a crowd or a thing)."""
    k = i - 1
    while k >= 0 and (doc[k].text in _OPENERS or doc[k].is_space):
        k -= 1
    if k < 0 or k in resolver.quote_tokens:
        return None
    verb = doc[k]
    if verb.tag_ == "PRP" and verb.head.i == k - 1:
        verb = verb.head  # "she calls herself “…”", "he called it “…”"
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in NAMING_LEMMAS:
        verb = _naming_verb_above(doc, i, resolver)
        if verb is None:
            return None
    if any(c.lower_ == "so" for c in verb.lefts):
        return None  # "so called"
    namers = [c for c in verb.children if c.dep_ == "nsubj" and c.i not in resolver.quote_tokens]
    if not namers:
        for agent in verb.children:
            if agent.dep_ == "agent":
                namers += [c for c in agent.children if c.dep_ == "pobj"]
    if not namers:
        return None
    namer = namers[0]
    if namer.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        # "the pilot who calls herself “…”": who the relative clause is about
        namer = verb.head.head if verb.head.dep_ == "appos" else verb.head
    if _is_pronoun(namer) and namer.lower_ not in PERSONAL_PRONOUNS:
        return None
    if not _names_holder(namer, resolver):
        return None
    return verb, resolver.entity_of_np(namer), namer.i


#: Verbs that name something only with "as": "she refers to the pier as “…”".
_NAMING_WITH_AS = frozenset({"refer", "describe"})


def _naming_verb_above(doc: Doc, i: int, resolver: _Resolver) -> Token | None:
    """ "Ruiz called the ferry “…”", "Ruiz refers to the pier as “…”": a verb of naming a few
    words before the quote, with its object between, whose naming complement the quote is (the
    second object, the object predicate, or the object of "as")."""
    k = i
    while k < len(doc) and doc[k].text in _OPENERS:
        k += 1
    if k >= len(doc) or k not in resolver.quote_tokens:
        return None
    j = k
    while j in resolver.quote_tokens:
        j += 1
    roots = [t for t in _quote_roots(doc, k, j) if not t.is_punct]
    if len(roots) != 1:
        return None
    tok, via_as = roots[0], False
    if tok.dep_ not in ("oprd", "dobj", "pobj", "attr"):
        return None
    for _ in range(5):
        if tok.head.i == tok.i:
            return None
        if tok.dep_ == "pobj":
            if tok.head.lower_ not in ("as", "to"):
                return None
            via_as = via_as or tok.head.lower_ == "as"
        elif tok.dep_ not in ("oprd", "dobj", "attr", "prep"):
            return None
        tok = tok.head
        if tok.i in resolver.quote_tokens or tok.i > i:
            return None
        if tok.pos_ == "VERB":
            lemma = tok.lemma_.lower()
            if lemma in NAMING_LEMMAS or (via_as and lemma in _NAMING_WITH_AS):
                return tok
            return None
    return None


def _in_their_words(doc: Doc, resolver: _Resolver, i: int, via: str) -> tuple[int, str]:
    """ "in her words", "in Ruiz's own words" shortly before the quote, in its sentence: the
    words are the possessor's."""
    if i >= len(doc):
        return -1, via
    sent = resolver.sent_of[i]
    for k in range(i - 1, max(i - 12, -1), -1):
        if resolver.sent_of[k] != sent:
            break
        tok = doc[k]
        if tok.lower_ != "words" or k in resolver.quote_tokens or tok.head.lower_ != "in":
            continue
        for c in tok.children:
            if c.dep_ == "poss":
                index = resolver.entity_of_np(c)
                if index >= 0:
                    return index, resolver.via(c)
    return -1, via


def _transcript_label(inner: str, a: int, resolver: _Resolver) -> int:
    """ "OLSEN: The ferry runs…", "Ana Ruiz: We will…": a quoted passage of a transcript, each
    turn opened by its speaker's name and a colon. The name in capitals (the transcript
    convention), or one a person of the article is known by."""
    match = _LABEL.match(inner)
    if match is None:
        return -1
    label = match.group(1)
    key = label.lower()
    known = any(
        entity.type == "PERSON"
        and any(
            f.lower() == key or f.lower().endswith(" " + key)
            for f in (entity.name, *entity.aliases)
        )
        for entity in resolver.an.entities
    )
    letters = [ch for ch in label if ch.isalpha()]
    if known or (len(letters) >= 3 and label.isupper()):
        return resolver.named_at(label if known else label.title(), a)
    return -1


#: After a closing mark, a dash and a name ending the paragraph: “…” ― Ana Ruiz
_SIGNATURE = re.compile(
    r"[”\"][ \t]*[―—]{1,2}[ \t]*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3}?)\.?[ \t]*(?=\n|$)"
)


#: A paragraph that only signs the quote paragraph above it: "― Ana Ruiz.", "-Ana Ruiz, Fairport."
#: (a dash, a name of one to four capitalised words, then at most a short description).
_SIGNATURE_LINE = re.compile(
    r"[ \t]*[―—–-]{1,2}[ \t]*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}?)\.?"
    r"(?:,[^\n]{0,80}?)?\.?[ \t]*(?=\n|$)"
)
#: What may stand in a quote paragraph beside its quotes: marks, spaces, punctuation.
_QUOTE_PARAGRAPH_REST = re.compile(r"[\s\"“”„«».,;:!?…—–-]*")


def _signature(text: str, b: int, resolver: _Resolver) -> int:
    """“I will vote for the first time.” ― Ana Ruiz: a quote signed with a dash and the name of
    who said it, the name ending the paragraph (a list of readers' or voters' words); or a
    paragraph that is nothing but quotes, signed by the paragraph after it ("― Ana Ruiz.",
    "-Mayor Ana Ruiz, on the ferry vote.")."""
    match = _SIGNATURE.match(text, b)
    if match is not None:
        # read at the end of the name, so that its own mention there is the entity it names
        return resolver.named_at(match.group(1).rstrip("."), match.end(1))
    end = text.find("\n", b)
    if end < 0:
        return -1
    if _QUOTE_PARAGRAPH_REST.fullmatch(text, b, end) is None:
        return -1  # not the paragraph's last words
    start = _line_start(text, b)
    rest = text[start:end]
    for a2, b2 in reversed(find_quote_spans(rest)):
        rest = rest[: max(a2 - 1, 0)] + rest[b2 + 1 :]
    if _QUOTE_PARAGRAPH_REST.fullmatch(rest) is None:
        return -1  # prose beside the quotes: the paragraph after is not their signature
    nxt = end
    while nxt < len(text) and text[nxt] == "\n":
        nxt += 1
    if nxt - end > 2:
        return -1
    match = _SIGNATURE_LINE.match(text, nxt)
    if match is None:
        return -1
    words = match.group(1).rstrip(".").split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES_AND_HONORIFICS:
        words = words[1:]  # "-President Ana Ruiz": the name after the title
    name = " ".join(words)
    if len(name) < 2:
        return -1
    return resolver.named_at(name, match.end(1))


#: Auxiliaries that put a verb in the future or a condition: "she expects the board to announce …",
#: "voters will say …" report no words anyone has spoken.
_IRREALIS_AUX = frozenset(
    {"will", "would", "could", "can", "may", "might", "should", "must", "shall"}
    | {"'ll", "'d", "wo", "ca"}
)


def _named_next(doc: Doc, resolver: _Resolver, cue: _Cue) -> int:
    """“…,” campaigners have warned. … the Ferry Users Group said …: the article's first
    attribution, to a group it describes ("campaigners", "residents"), is to the body the next
    sentences name as speaking."""
    subject = doc[cue.subject_pos]
    if subject.tag_ != "NNS" or subject.pos_ != "NOUN" or subject.i == cue.token.i:
        return -1
    if any(c.dep_ in ("det", "poss", "prep") and c.lower_ != "the" for c in subject.children):
        return -1  # "some residents", "residents of both towns"
    if any(k < cue.token.i and c.speaker >= 0 for k, c in resolver.cache.items()):
        return -1
    sent = resolver.sent_of[cue.token.i]
    for k in sorted(resolver.cache):
        later = resolver.cache[k]
        if k <= cue.token.i or later.speaker < 0:
            continue
        if resolver.sent_of[k] - sent > 3:
            break
        if resolver.types[later.speaker] == "ORG":
            return later.speaker
        break
    return -1


def _possessor(tok: Token) -> bool:
    """A word of a name in the possessive ("Brandt's dad"): the name is not the subject."""
    doc, k = tok.doc, tok.i + 1
    while k < len(doc) and doc[k].ent_iob_ == "I" and doc[k].tag_ != "POS":
        k += 1
    return k < len(doc) and doc[k].tag_ == "POS"


def _dateline(tok: Token) -> bool:
    """A word in capitals opening its line ("KAMLOOPS, June 3 —"): a dateline's place."""
    start = tok.i
    while start > 0 and tok.doc[start - 1].is_upper and tok.doc[start - 1].is_alpha:
        start -= 1
    return (
        tok.is_upper
        and len(tok.text) > 1
        and (start == 0 or "\n" in tok.doc[start - 1].text or tok.doc[start - 1].is_space)
    )


#: The party letters of a tag after a legislator's name ("(D-MA)", ", R-Ky.,").
_PARTY_LETTERS = frozenset({"R", "D", "I"})
#: Entity types that speak; a subject of another type (a date, a place) may be a misparse.
_SPEAKER_TYPES = frozenset({"PERSON", "ORG", "NORP"})
#: Determiners of a person described, not named: "a", "another", "one".
_INDEFINITE = frozenset({"a", "an", "another", "one"})


def _described(doc: Doc, resolver: _Resolver, cue: _Cue) -> int:
    """“…,” added a Harbor Party veteran: a cue whose subject describes one person the text
    does not name (an indefinite noun phrase headed by a role, a spokesperson word or a
    party member's "Democrat") speaks as that description, with no entity. A group
    ("residents"), a definite role ("the mayor", resolved elsewhere) and a thing do not."""
    subject = doc[cue.subject_pos]
    if subject.i == cue.token.i or subject.i in resolver.quote_tokens:
        return -1
    if subject.pos_ not in ("NOUN", "PROPN") or subject.tag_ in ("NNS", "NNPS"):
        return -1
    if not (_names_a_person(subject) or subject.lemma_.lower() in SPOKESPERSON_WORDS):
        return -1
    return resolver.description(subject)


def _irrealis(tok: Token) -> bool:
    """A speech verb in the infinitive, the future or a condition ("to announce", "would say"):
    no utterance is reported."""
    return any(
        c.dep_ == "aux" and (c.lower_ in _IRREALIS_AUX or c.tag_ == "TO") for c in tok.children
    )


def _pick_cue(governing: list[Token], resolver: _Resolver, fragment: bool) -> Token | None:
    """The nearest cue above the quote whose subject is someone, else the nearest; but a cue in
    the future or a condition inside the clause of a spoken one yields to it ("Ruiz says she
    expects the board to announce a “…”": Ruiz's words), and a ``fragment`` (a quote going on
    in lower case) inside reported speech is the reporter's ("Ruiz said Okafor urged members to
    be “…”")."""
    found = [c for c in governing if resolver.cue(c).speaker >= 0]
    if not found:
        return governing[0] if governing else None
    if _irrealis(found[0]):
        for outer in found[1:]:
            if not _irrealis(outer):
                return outer
    if fragment:
        for outer in reversed(found[1:]):
            if _reports(outer, found[0]):
                return outer
    return found[0]


#: How a reported clause hangs from the verb that reports it ("said Okafor urged …").
_REPORTED_DEPS = frozenset({"ccomp", "xcomp"})


def _named_inside(doc: Doc, resolver: _Resolver, cue: _Cue, i: int, j: int) -> bool:
    """The cue's speaker is named only by words of the quote itself (tokens ``i`` to ``j``)."""
    if cue.speaker < 0 or cue.subject_pos < 0:
        return False
    named = [
        t.i for t in doc[cue.subject_pos].subtree if resolver.an.token_entity[t.i] == cue.speaker
    ]
    return bool(named) and all(i <= k < j for k in named)


def _reports(outer: Token, inner: Token) -> bool:
    """ "Ruiz said Okafor urged members to be “…”": the inner cue lies in the clause an earlier,
    affirmed cue reports, so a fragment is quoted as the outer speaker tells it (not "Ruiz
    cannot say that “…”", nor a cue after the quote)."""
    if outer.i > inner.i or any(c.dep_ == "neg" for c in outer.children):
        return False
    tok = inner
    while tok.i != outer.i:
        if tok.head.i == tok.i:
            return False
        # "Ruiz says the town asked the board to wait, calling it “…”": a participle or an
        # infinitive is still the reported clause; "while Okafor said …" is a clause of its own
        if tok.dep_ not in _REPORTED_DEPS and not (
            tok.dep_ == "advcl" and tok.tag_ in ("VBG", "VB") and not _opens_own_clause(tok)
        ):
            return False
        tok = tok.head
    return True


#: How many steps up the tree a cue may govern a quote from: a long reported clause ("Ruiz
#: said the mayor sees the fair as a chance to talk about the plans that … offer, in contrast to
#: “…”") may hang the quote a dozen steps below its speech verb.
_CUE_REACH = 14


def _governing_cues(
    doc: Doc, i: int, j: int, quote_tokens: set[int], boundary: _Boundaries
) -> list[Token]:
    """The cue verbs above the quote in the tree, nearest first (or one hanging off the quote's
    root), in the same sentence as the quote."""
    if i >= j:
        return []
    found: list[Token] = []
    a, b = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
    roots = _quote_roots(doc, i, j)
    for root in roots:
        for tok in _ancestors_outside(root, quote_tokens, _CUE_REACH):
            cue = tok if _is_cue(tok, strong_only=True) else _according_child(tok)
            if cue is None or cue in found or not boundary.same_sentence(cue.idx, a, b):
                continue
            if not (cue.i >= j and _opens_own_clause(cue)):
                found.append(cue)
    if found:
        return found
    for root in roots:
        # "The plan, Reyes said, is a “…”": a reporting clause set in the sentence
        # the quote belongs to, with its own subject, governs the whole sentence
        for tok in _ancestors_outside(root, quote_tokens, 10):
            for child in tok.children:
                if (
                    (child.dep_ == "parataxis" or (child.dep_ == "advcl" and _as_put(child)))
                    and child.i not in quote_tokens
                    and _is_cue(child, strong_only=False)
                    and any(c.dep_ == "nsubj" for c in child.children)
                    and boundary.same_sentence(child.idx, a, b)
                ):
                    return [child]
    for root in roots:
        hanging = []
        for child in root.children:
            if child.lower_ == "according" and child.i not in quote_tokens:
                return [child]  # “…” inside the quote's own clause, "according to X"
            if (
                child.i not in quote_tokens
                and child.dep_ in ("parataxis", "ccomp", "advcl", "conj")
                and _is_cue(child, strong_only=False)
                and boundary.same_sentence(child.idx, a, b)
                and not (child.i >= j and _opens_own_clause(child))
            ):
                hanging.append(child)
        if hanging:
            # "Stressing the point, Ruiz said, “…”": the speech verb with a subject of its own
            # before a participle that only leads into it
            hanging.sort(key=lambda t: not any(c.dep_ == "nsubj" for c in t.children))
            return [hanging[0]]
    return []


def _opens_own_clause(verb: Token) -> bool:
    """ "“…,” when Okafor blasted him": a verb after the quote led by a conjunction of its own
    clause (``_CLAUSE_AFTER``)."""
    return any(c.dep_ in ("advmod", "mark") and c.lower_ in _CLAUSE_AFTER for c in verb.lefts)


class _Boundaries:
    """Sentence ends (. ! ?) outside quotes, to keep a cue in its quote's sentence."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        inside = [False] * (len(text) + 1)
        for a, b in spans:
            for k in range(max(a - 1, 0), min(b + 1, len(text))):
                inside[k] = True
        self.ends = [
            m.start()
            for m in _SENTENCE_END.finditer(text)
            if not inside[m.start()]
            and not _ABBREVIATION.search(text, max(0, m.start() - 6), m.start())
        ]

    def same_sentence(self, cue: int, a: int, b: int) -> bool:
        lo, hi = (b, cue) if cue >= b else (cue, a)
        k = bisect.bisect_left(self.ends, lo)
        return not (k < len(self.ends) and self.ends[k] < hi)


def _according_child(tok: Token) -> Token | None:
    for child in tok.children:
        if child.lower_ == "according" and child.dep_ == "prep":
            return child
    return None


def _tail_cue(doc: Doc, text: str, b: int, j: int, quote_tokens: set[int]) -> Token | None:
    """“…,” she added / said Mr Smith / according to X — right after the closing mark. Not
    after a full stop (a new sentence starts), nor a cue that leads in the next quote."""
    k = j
    while k < len(doc) and doc[k].is_punct and doc[k].text not in ".!?" and k - j < 3:
        if doc[k].text in "“„«" or (doc[k].text == '"' and k > j):
            return None
        k += 1
    if k >= len(doc) or "\n" in text[b : doc[k].idx + len(doc[k].text)]:
        return None  # the paragraph ends with the quote (a space token may hold the break)
    inner_end = text[max(0, b - 1) : b]
    if inner_end == "." and not doc[k].is_lower and not _name_then_cue(doc, k):
        return None
    if doc[k].lower_ in _CLAUSE_AFTER:
        return None  # “…,” when Okafor blasted him: another clause, not the attribution
    window = 9
    if inner_end in (",", "?", "!", ".") and _apposition_follows(doc, k):
        # “…?” Ruiz, a ferry pilot for twenty years, said quietly: the name, its description
        # set off by commas, then the verb
        window = 20
    for m in range(k, min(k + window, len(doc))):
        tok = doc[m]
        if m in quote_tokens or tok.text in ".!?;" or tok.text in _OPENERS:
            break
        if _is_cue(tok, strong_only=False):
            for n in range(m + 1, min(m + 12, len(doc))):
                nxt = doc[n]
                if nxt.text in ".!?;" or "\n" in nxt.whitespace_:
                    break
                if nxt.text == ":" or nxt.text in _OPENERS:
                    return None
            return tok
    return None


#: Conjunctions that open a clause of their own right after a closing mark ("said, “…,” when
#: Okafor blasted him"): its verb does not attribute the quote ("as Ruiz put it" does).
_CLAUSE_AFTER = frozenset({"when", "after", "before", "because", "while", "since", "until", "if"})


def _name_then_cue(doc: Doc, k: int) -> bool:
    """“… for good.” Ruiz said. — after a full stop inside the quote, a new sentence that is
    only a name (up to four words) and a cue verb in the past or present, then its end."""
    m = k
    while m < len(doc) and m - k < 4 and doc[m].pos_ == "PROPN":
        m += 1
    if m == k or m + 1 >= len(doc):
        return False
    verb = doc[m]
    return (
        verb.tag_ in ("VBD", "VBZ")
        and _is_cue(verb, strong_only=True)
        and doc[m + 1].text in (".", ",")
    )


def _apposition_follows(doc: Doc, k: int) -> bool:
    """A name right after the closing mark, then a comma: a description of the speaker (set off
    by commas) may stand between the name and the verb."""
    m = k
    if m < len(doc) and doc[m].lower_ == "the":
        m += 1
    start = m
    while m < len(doc) and m - start < 6 and doc[m].pos_ == "PROPN":
        m += 1
    return m > start and m < len(doc) and doc[m].text == ","


def _lead_cue(doc: Doc, text: str, a: int, i: int, quote_tokens: set[int]) -> Token | None:
    """He said: “…” — a cue right before the opening mark (after ":", "," or "that", or
    directly): "Okafor told supporters on Tuesday that “…”", however the clause was parsed."""
    k = i - 1
    while k >= 0 and doc[k].text in _OPENERS:
        k -= 1
    if k < 0 or "\n" in text[doc[k].idx : a]:
        return None
    if doc[k].text in (":", ",") or (doc[k].lower_ == "that" and doc[k].tag_ == "IN"):
        k -= 1
    elif not _is_cue(doc[k], strong_only=False):
        return None
    for m in range(k, max(k - 12, -1), -1):
        tok = doc[m]
        if m in quote_tokens or tok.text in ".!?;" or tok.text in _OPENERS:
            break
        if _is_cue(tok, strong_only=False):
            return tok
    return None


def _continues(text: str, previous: Quote, a: int, cue_i: int | None, doc: Doc) -> bool:
    """This quote carries on the previous one: only marks, spaces and the previous quote's
    attribution lie between them."""
    gap = text[previous.end : a]
    if gap.count("\n\n") > 1 or gap.count("\n") > 2:
        return False
    bare = gap.strip(' \n"“”„«»,.:;—–-')
    if not bare:
        return True
    if previous.cue is not None and previous.cue.start >= previous.end and previous.cue.end <= a:
        # “…,” he said. “…” — the gap is that one attribution clause and nothing else
        rest = gap[previous.cue.end - previous.end :]
        # the clause's full stop, not an abbreviation's ("said Navy Lt. Cmdr. Ana Ruiz.")
        stop = next(
            (m for m in re.finditer(r"[.!?]", rest) if not _ABBREVIATION.search(rest[: m.start()])),
            None,
        )
        if stop is None:
            return False
        return len(gap) <= 160 and not rest[stop.end() :].strip(' \n"“”„«»')
    return False


#: Parts of speech of the words that may open a sentence before its quote without saying who
#: speaks ("Instead, “…”", "But “…”").
_LEAD_POS = frozenset({"ADV", "CCONJ", "INTJ", "PUNCT", "SPACE"})


def _lead_only(doc: Doc, i: int) -> bool:
    """Token ``i`` opens its sentence but for an opening mark and at most two adverbs or
    conjunctions ("Instead, “…”", "And yet “…”")."""
    start = doc[i].sent.start
    words = [t for t in doc[start:i] if not (t.is_punct or t.is_space)]
    return len(words) <= 2 and all(t.pos_ in _LEAD_POS for t in doc[start:i])


def _previous_sentence_cue(
    doc: Doc, resolver: _Resolver, i: int, quote_tokens: set[int], text: str, a: int
) -> tuple[int, Span | None]:
    """A speech-like quote opening a sentence after "He said the plan would work.": that
    sentence's speaker."""
    if i >= len(doc) or i == 0:
        return -1, None
    sent = doc[i].sent
    if not _lead_only(doc, i):
        return -1, None
    prev_end = sent.start - 1
    if prev_end < 0 or "\n\n" in text[doc[prev_end].idx : a]:
        return -1, None
    prev = doc[prev_end].sent
    cues = [t for t in prev if t.i not in quote_tokens and _is_cue(t, strong_only=True)]
    # the main verb first; else any speech verb of the sentence with a speaker ("Ruiz
    # announced the levy …" read as a clause of a longer sentence)
    cues.sort(key=lambda t: t.dep_ != "ROOT")
    for tok in cues:
        cue = resolver.cue(tok)
        if cue.speaker >= 0 or tok.dep_ == "ROOT":
            return cue.speaker, cue.span
    return -1, None


def _previous_subject(
    doc: Doc, resolver: _Resolver, i: int, quote_tokens: set[int], text: str, a: int
) -> int:
    """A quoted sentence standing alone after one about someone ("Marsh backs the levy.
    “I have seen the bills …”"): the person the sentence before is about, its subject (a name,
    or he/she), in the same paragraph or closing the one before."""
    if i >= len(doc) or i == 0:
        return -1
    sent = doc[i].sent
    if not _lead_only(doc, i):
        return -1
    prev_end = sent.start - 1
    while prev_end >= 0 and (doc[prev_end].is_space or doc[prev_end].text in _OPENERS):
        prev_end -= 1
    if prev_end < 0 or text[doc[prev_end].idx : a].count("\n") > 2:
        return -1
    # the sentence before, or failing a person there, the sentences of its paragraph before it
    # ("Marsh sold the boat in May. It was a hard winter. “I miss it …”")
    paragraph_start = _line_start(text, doc[prev_end].idx)
    prev = doc[prev_end].sent
    for _ in range(3):
        roots = [t for t in prev if t.dep_ == "ROOT" and t.i not in quote_tokens]
        for root in roots:
            for child in root.children:
                if child.dep_ not in ("nsubj", "nsubjpass") or child.i in quote_tokens:
                    continue
                if _is_pronoun(child) and child.lower_ not in PERSONAL_PRONOUNS:
                    return -1
                index = resolver.entity_of_np(child)
                if index >= 0:
                    return index if resolver.types[index] == "PERSON" else -1
        if prev.start == 0 or doc[prev.start].idx <= paragraph_start:
            break
        prev = doc[prev.start - 1].sent
    return -1


def _colon_subject(doc: Doc, resolver: _Resolver, text: str, a: int, i: int) -> tuple[int, str]:
    """Martell, the town's doctor, is more blunt: “…” — a quote a colon introduces, with no cue
    verb: the subject of the clause before the colon. The colon may end the paragraph before
    the quote's ("The minister replied:" then a paragraph of her words); a clause with no
    subject, or a name set off from the clause by a dash, gives the name right before the colon
    ("Stated Smith:", "Not all agree — Ana Ruiz:"), unless it is the object of a preposition
    ("a word for Ruiz:")."""
    k = i - 1
    while k >= 0 and (doc[k].text in _OPENERS or doc[k].is_space):
        k -= 1
    if k < 1 or doc[k].text != ":":
        return -1, "cue"
    gap = text[doc[k].idx + 1 : a]
    if gap.strip(' \n"“„«') or gap.count("\n") > 2:
        return -1, "cue"
    if "\n" in gap and text[_line_start(text, a) : a].strip(' "“„«'):
        return -1, "cue"  # the quote must open its paragraph
    signed = _dash_name_before_colon(doc, resolver, text, doc[k].idx)
    if signed >= 0:
        return signed, "cue"
    # the clause before the colon: climb from its last word to a verb with a subject
    tok, subjects = doc[k - 1], []
    for _ in range(6):
        if tok.i in resolver.quote_tokens:
            break
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < k]
        if subjects or tok.head.i == tok.i:
            break
        tok = tok.head
    if subjects:
        index = resolver.entity_of_np(subjects[0])
        if index >= 0 and resolver.types[index] in ("PERSON", "ORG"):
            return index, resolver.via(subjects[0])
    last = doc[k - 1]
    # the name alone before the colon: no clause, or set off from one by a dash
    named_alone = not subjects or any(
        t.text in "—–-" for t in doc[max(subjects[0].i, last.i - 5) : last.i]
    )
    # "More from Ruiz:" names the source; "a word for Ruiz:" does not
    source_object = last.dep_ != "pobj" or last.head.lower_ == "from"
    if last.i not in resolver.quote_tokens and source_object and not last.is_punct:
        index = resolver.an.entity_of_token(last.i)
        if index < 0 and last.pos_ == "PROPN" and named_alone:
            index = resolver.entity_of_np(last)
        if index >= 0 and (
            (named_alone and resolver.types[index] in ("PERSON", "ORG"))
            # "The result did not surprise pollster Dan Ruiz:" — the clause's subject is a
            # thing, the person it ends on speaks
            or resolver.types[index] == "PERSON"
        ):
            return index, "cue"
    return -1, "cue"


#: "A headline - Ana Ruiz:", "Tide tables - More from Ruiz:" — a name after a dash, ending at
#: the colon that opens a quote (a digest of others' words, each headed by its source).
_DASH_NAME = re.compile(
    r"(?:^|\s)[-–—]\s*(?:More from\s+)?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s*$"
)


def _dash_name_before_colon(doc: Doc, resolver: _Resolver, text: str, colon: int) -> int:
    """The source named after a dash right before the colon (see :data:`_DASH_NAME`): a person
    or body the text names, or a name of two words or more that looks like a person's."""
    start = _line_start(text, colon)
    match = _DASH_NAME.search(text, max(start, colon - 120), colon)
    if match is None:
        return -1
    name = match.group(1)
    words = name.split()
    if words[0].lower().rstrip(".") in TITLES_AND_HONORIFICS:
        return -1
    end = match.end(1)
    for tok in doc.char_span(match.start(1), end, alignment_mode="expand") or []:
        index = resolver.an.entity_of_token(tok.i)
        if index >= 0 and resolver.types[index] in ("PERSON", "ORG"):
            return index
    # a person or body named before (by name or surname), else a new name that looks personal
    index = resolver.named_at(name, end)
    if index < len(resolver.an.entities) or (len(words) >= 2 and _looks_personal(name)):
        return index
    return -1


def _last_speaker(
    text: str, resolver: _Resolver, quotes: list[Quote], speaker_indexes: list[int], a: int
) -> int:
    """A quote with no attribution of its own, opening its paragraph, continues the last
    attribution of the paragraph before (news style: “X said …” then a paragraph of X's
    words). Furniture between the two (“READ MORE: …”, a photo credit, a short line with no
    sentence end) is passed over; a paragraph of prose with no attribution ends the chain."""
    line_start = _line_start(text, a)
    if text[line_start:a].strip(' "“„«'):
        return _paragraph_speaker(text, resolver, quotes, speaker_indexes, line_start, a)
    previous_end = line_start - 1
    skipped = 0
    while previous_end > 0:
        previous_start = _line_start(text, previous_end)
        line = text[previous_start:previous_end].strip()
        if line and _FURNITURE.match(line) is None and _SENTENCE_CLOSE.search(line):
            break  # a paragraph of prose
        if line:
            skipped += 1
            if skipped > 2:
                return -1
        previous_end = previous_start - 1
    if previous_end <= 0:
        return -1
    best_pos, best = -1, -1
    for cue in resolver.cache.values():
        pos = cue.token.idx
        if cue.speaker >= 0 and previous_start <= pos < previous_end and pos > best_pos:
            best_pos, best = pos, cue.speaker
    for quote, index in zip(quotes, speaker_indexes, strict=True):
        if previous_start <= quote.start < previous_end and index >= 0 and quote.start > best_pos:
            best_pos, best = quote.start, index
    if best < 0 and not any(
        previous_start <= start < previous_end and resolver.types[index] == "PERSON"
        for start, index in resolver.an.mention_starts
    ):
        # an interview: “…” (X), a paragraph of facts that names nobody, then more of X's
        # words: the quote paragraph before the facts gives the speaker
        before_end = previous_start - 1
        while before_end > 0 and not text[_line_start(text, before_end) : before_end].strip():
            before_end = _line_start(text, before_end) - 1
        before_start = _line_start(text, max(before_end, 0))
        if before_end > 0 and text[before_start:before_end].lstrip()[:1] in '"“„«':
            for quote, index in zip(quotes, speaker_indexes, strict=True):
                if before_start <= quote.start < before_end and index >= 0:
                    best = index
    return best


#: A sentence's end inside a paragraph: a stop, then a space.
_SENTENCE_STOP = re.compile(r"[.!?][\"”’')\]]*\s")


def _paragraph_speaker(
    text: str,
    resolver: _Resolver,
    quotes: list[Quote],
    speaker_indexes: list[int],
    line_start: int,
    a: int,
) -> int:
    """“…,” Ruiz said. It is a small town. “…” — a quote opening a sentence inside a paragraph,
    with no attribution of its own, after a sentence that names no one: the speaker of the
    paragraph's last quote that has one."""
    if not _SENTENCE_CLOSE.search(text[line_start:a].rstrip(' "“„«')):
        return -1
    last = next(
        (
            (quote, index)
            for quote, index in zip(reversed(quotes), reversed(speaker_indexes), strict=True)
            if quote.start >= line_start and quote.kind == "speech"
        ),
        None,
    )
    if last is None or last[1] < 0:
        return -1
    # from the end of the last quote's own sentence (its attribution may name others: "said
    # Lee Osgood, who runs the Frick campaign.")
    since = last[0].end
    cue = last[0].cue
    if cue is not None and cue.start >= last[0].end:
        stop = _SENTENCE_STOP.search(text, cue.end, a)
        since = stop.end() if stop is not None else a
    if any(
        since <= start < a and resolver.types[index] in ("PERSON", "ORG") and index != last[1]
        for start, index in resolver.an.mention_starts
    ):
        return -1  # someone else named since
    return last[1]


#: A photo credit or caption note: "(Jo Hardy/Eastvale Courier)", "(Submitted by …)"; the
#: people named there are no antecedents for "he" or "she".
_CREDIT = re.compile(
    r"\([^()\n]{0,80}/[^()\n]{0,80}\)|\((?:Submitted|Photo|Image|Credit|Getty)[^()\n]{0,80}\)"
)
#: A line that is page furniture, not prose: "READ MORE: …", "WATCH: …", "(Photo: …)".
_FURNITURE = re.compile(r"^(?:[A-Z][A-Z ]{2,}:|\(.*\)$|\[.*\]$)")
#: Prose ends its paragraph with a sentence end (or a closing quote mark).
_SENTENCE_CLOSE = re.compile(r"[.!?…][\"”’')\]]*\s*$|[\"”]\s*$")


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _manner_cue(
    doc: Doc, text: str, a: int, b: int, i: int, j: int, resolver: _Resolver
) -> Token | None:
    """A verb of any kind in the place of a cue: “…,” scolded Ruiz. / She sighed, “…” — right
    after the closing mark (with its subject, then the end of the clause) or right before the
    opening mark and a comma or colon; only when its subject is someone the text names."""
    candidates = []
    k = j
    while k < len(doc) and (doc[k].text in ",—–" or doc[k].text in _OPENERS) and k - j < 3:
        k += 1
    closes_clause = text[b - 1 : b] in (",", "—", "–", "?", "!") or "," in text[b : b + 3]
    if k > j and k < len(doc) and closes_clause and "\n" not in text[b : doc[k].idx]:
        candidates += [doc[m] for m in range(k, min(k + 2, len(doc)))]
    k = i - 1
    while k >= 0 and doc[k].text in _OPENERS:
        k -= 1
    if k >= 1 and doc[k].text in (",", ":") and "\n" not in text[doc[k].idx : a]:
        candidates.append(doc[k - 1])
    for tok in candidates:
        if (
            tok.pos_ != "VERB"
            or tok.tag_ not in ("VBD", "VBZ", "VBP")
            or tok.i in resolver.quote_tokens
        ):
            continue
        subjects = [
            c for c in tok.children if c.dep_ == "nsubj" and c.i not in resolver.quote_tokens
        ]
        if not subjects and tok.i < i:
            # "she folded it and muttered, “…”": the subject of the verb it is joined to
            shared = resolver.conj_subject(tok)
            subjects = [shared] if shared is not None else []
        if tok.i >= j:
            # “…,” beamed Priya Raman, … : the name right after the verb is its subject,
            # whatever the parser made of it; “…,” Elyse scolded. likewise before it
            after = tok.i + 1
            while after < len(doc) and doc[after].pos_ == "PROPN":
                after += 1
            if after > tok.i + 1:
                subjects = [doc[after - 1]]
            if not subjects:
                continue
            # inverted, the clause must end right after the name: not “…,” beamed Priya as
            # she left; in the usual order the verb may take an object ("“…,” LeVell assured
            # the crowd.")
            end = max(tok.i, subjects[0].i) + 1
            if subjects[0].i < j:
                continue  # the subject before the quote: “…” is in apposition to it
            if subjects[0].i > tok.i and end < len(doc) and not doc[end].is_punct:
                continue
        if subjects and resolver.entity_of_np(subjects[0]) >= 0:
            return tok
    return None


def _holder(doc: Doc, i: int, j: int, resolver: _Resolver, boundary: _Boundaries) -> Token | None:
    """Varga grumbled that she was “making it up as she went” — a quote inside the clause of a verb
    of any kind whose subject is someone the text names: the words are that subject's."""
    if i >= j:
        return None
    a, b = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
    for root in _quote_roots(doc, i, j):
        found = None
        for tok in _ancestors_outside(root, resolver.quote_tokens, 8):
            if not boundary.same_sentence(tok.idx, a, b):
                break
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            subjects = [
                c for c in tok.children if c.dep_ == "nsubj" and c.i not in resolver.quote_tokens
            ]
            if subjects:
                if not _names_holder(subjects[0], resolver):
                    break
                # and the holder of a clause that reports this one's ("Ruiz questions
                # whether the board would have gone “…”": Ruiz's words), not of one beside it
                # ("Ruiz calls it “…”, while Okafor calls it “…”")
                if found is None or _complement_of(found, tok):
                    found = tok
                else:
                    break
        if found is not None:
            return found
    return None


def _complement_of(inner: Token, outer: Token) -> bool:
    """``inner``'s clause is the object of ``outer`` (a complement, a whether-clause)."""
    tok = inner
    while tok.i != outer.i:
        if tok.dep_ not in ("ccomp", "xcomp", "pcomp", "prep", "pobj") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return True


def _names_holder(subject: Token, resolver: _Resolver) -> bool:
    """Only a subject that names someone (or "he"/"she" for a person) holds words: a thing or
    a description does not ("disclosures blew up under the tag “…”")."""
    index = resolver.entity_of_np(subject)
    if index < 0 or resolver.types[index] not in ("PERSON", "ORG"):
        return False
    via = resolver.via(subject)
    return (
        (via == "cue")
        or (via == "pronoun" and subject.lower_ not in NEUTER_PRONOUNS)
        or (via == "description" and _is_role_word(subject))
    )


def _fragment(inner: str, modifier: bool) -> bool:
    """A short quote that continues a sentence in lower case ("accused him of being “too
    soft on crime”"), not a word standing before a noun: a fragment of what someone said."""
    return not modifier and inner[:1].islower()


def _modifies_a_noun(doc: Doc, i: int, j: int) -> bool:
    """A “tidejacking” scam, the “Dear Neighbour” letters: a short quote that is a word standing
    before the noun it qualifies is a term, whoever else speaks in the sentence."""
    if i >= j or j >= len(doc):
        return False
    last = doc[j - 1]
    if last.is_punct and j - 1 > i:
        last = doc[j - 2]
    head = last.head
    return (
        last.dep_ in ("compound", "amod", "nmod")
        and head.i >= j
        and head.pos_ in ("NOUN", "PROPN")
        and head.i - j <= 2
    )


def _looks_like_title(inner: str, text: str, a: int) -> bool:
    """On Channel Nine's “Harbour Hour.”, in “The Salt Orchard”: a few words in title case inside a
    sentence (not opening it) name a work, not words anyone spoke."""
    words = inner.strip(" .,;:!?").split()
    if not 2 <= len(words) <= 6:
        return False
    long = [w for w in words if len(w.strip("'’")) >= 4]
    if not long or not all(w[:1].isupper() for w in long) or not words[0][:1].isupper():
        return False
    if any(w[:1].islower() and w.lower() not in TITLE_SMALL_WORDS for w in words):
        return False  # "Thank you Ohio": words someone spoke
    if sum(w[:1].isupper() for w in words) < 2:
        return False  # "said, “We’ll see.”": one capital, that of a sentence
    if _SENTENCE_PUNCT.search(inner.strip().rstrip(".!?…")):
        return False  # “U-S-A! U-S-A!”: a chant of two sentences, not one title
    before = text[max(0, a - 3) : a - 1].rstrip()
    # inside a sentence: the mark follows a word or a comma, not a sentence end or line start
    if not before or not (before[-1].isalnum() or before[-1] in ",’'s"):
        return False
    # and not in a line whose every word is capitalised by style (a headline)
    end = text.find("\n", a)
    line = text[_line_start(text, a) : end if end >= 0 else len(text)]
    words_in_line = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) >= 4]
    return not (words_in_line and all(w[0].isupper() for w in words_in_line))


def _is_role_word(tok: Token) -> bool:
    """A subject that names a person by office or trade, or a spokesperson."""
    lemma = tok.lemma_.lower()
    return lemma in PERSON_ROLES or lemma in SPOKESPERSON_WORDS or tok.lower_ in PERSON_ROLES


def _quote_roots(doc: Doc, i: int, j: int) -> list[Token]:
    """The quote's tokens whose head lies outside it (or that head themselves)."""
    return [doc[k] for k in range(i, j) if not (i <= doc[k].head.i < j) or doc[k].head.i == k]


def _ancestors_outside(root: Token, quote_tokens: set[int], limit: int):
    """``root``'s ancestors, nearest first, up to ``limit`` steps, passing over quoted words."""
    tok = root
    for _ in range(limit):
        if tok.head.i == tok.i:
            return
        tok = tok.head
        if tok.i not in quote_tokens:
            yield tok
