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
   apposition ("the lawyer Howard Weitzman"); a role the article introduced a person with
   ("Deputy Prime Minister John Prescott" … "the deputy prime minister said");
4. a quote with no cue of its own that continues the previous quote (a run-on segment, or the
   next sentence after "“…,” he said.") keeps the previous quote's speaker; a speech-like quote
   opening a sentence after one with a cue takes that cue's speaker.

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
from .entities import EntityAnalysis
from .lexicon import (
    ABBREVIATIONS,
    CUE_LEMMAS,
    METALINGUISTIC_AFTER,
    METALINGUISTIC_BEFORE,
    NEUTER_PRONOUNS,
    ORG_NOUN_DETERMINERS,
    ORG_NOUNS,
    PERSON_ROLES,
    PERSONAL_PRONOUNS,
    PLURAL_PRONOUNS,
    SPEAKER_PREPOSITIONS,
    SPOKESPERSON_WORDS,
    TITLE_WORDS,
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
        last = -2
        for k, index in enumerate(analysis.token_entity):
            if index >= 0 and (k != last + 1 or analysis.token_entity[k - 1] != index):
                head = k
                while head + 1 < len(doc) and analysis.token_entity[head + 1] == index:
                    head += 1
                subj = doc[head].dep_ in ("nsubj", "nsubjpass")
                if k not in quote_tokens:
                    self.events.append((head, index, subj))
            last = k if index >= 0 else last
        self.events.sort()
        self.cache: dict[int, _Cue] = {}
        #: organisations that spoke through a spokesperson (they can be "he"/"she" later)
        self.spoke: set[int] = set()

    # cue of a token
    def cue(self, tok: Token) -> _Cue:
        cached = self.cache.get(tok.i)
        if cached is not None:
            return cached
        speaker, subject_pos = self._speaker_of_verb(tok)
        span = _cue_span(self.doc, tok)
        cue = _Cue(tok, span, speaker, subject_pos)
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
        if not any(c.dep_ in ("nsubj", "csubj") for c in verb.children) and verb.tag_ in (
            "VBG",
            "VBN",
        ):
            # a participle cue ("…, stating, “…”") belongs to the nearest speech verb above it
            up = verb
            for _ in range(5):
                if up.dep_ not in _CLIMB or up.head is up:
                    break
                up = up.head
                if _is_cue(up, strong_only=True) and up.i not in self.quote_tokens:
                    tok, first = up, True
                    break
        for _ in range(5):
            subjects = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
            if subjects:
                index = self.entity_of_np(subjects[0])
                if index >= 0 or first or _is_cue(tok, strong_only=False):
                    return index, subjects[0].i
            elif first:
                # "said Mr Smith" parsed without a subject: a name right after the verb
                for k in range(tok.i + 1, min(tok.i + 5, len(doc))):
                    index = self.an.entity_of_token(k)
                    if index >= 0 and self.types[index] in ("PERSON", "ORG"):
                        return index, k
                    if doc[k].is_punct:
                        break
            if tok.dep_ in _CLIMB and tok.head is not tok:
                tok = tok.head
                first = False
                continue
            break
        return -1, verb.i

    def entity_of_np(self, tok: Token) -> int:
        an = self.an
        index = an.entity_of_token(tok.i)
        if index >= 0:
            return index
        low = tok.lower_
        if (
            tok.pos_ == "PRON"
            or low in PERSONAL_PRONOUNS
            or low in NEUTER_PRONOUNS
            or low in PLURAL_PRONOUNS
        ):
            return self.pronoun(tok)
        # a person named in apposition or compound with the head ("the lawyer Howard Weitzman")
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
        if tok.lemma_.lower() in SPOKESPERSON_WORDS or low in SPOKESPERSON_WORDS:
            # "a spokesman for X", "the X spokeswoman", "officials at X"
            if people:
                return min(people)[1]
            return min(orgs)[2] if orgs else -1
        if direct_people:
            return direct_people[0]
        if people and low in TITLE_WORDS:
            # "Chairman of the X Committee Peter Ainsworth said" (the name parsed under "of")
            return min(people)[1]
        role = self.role(tok)
        if role >= 0:
            return role
        if tok.pos_ == "NOUN" and orgs:
            # "analysts at X", "a lawyer for X": the body they speak for
            return min(orgs)[2]
        if any(t.pos_ == "PROPN" for t, _ in _np_tokens(tok) if t.i != tok.i):
            # "the union Unite said": a body named here that is no entity we know; better no
            # speaker than the wrong organisation
            return -1
        if tok.lemma_.lower() in ORG_NOUNS and any(
            c.dep_ == "det" and c.lower_ in ORG_NOUN_DETERMINERS for c in tok.children
        ):
            return self.recent_org(tok)
        return -1

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
            if self.an.entities[index].name.lower().split()[-1] in (noun, noun + "s"):
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
            and head in PERSON_ROLES
            and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        ):
            # "the prime minister said" with no introduction: the person the last sentences
            # were about
            k = bisect.bisect_left(self.events, (tok.i, -1, False))
            for p, index, subj in reversed(self.events[:k]):
                if self.sent_of[tok.i] - self.sent_of[p] > 2:
                    break
                if subj and self.types[index] == "PERSON" and p not in self.quote_tokens:
                    return index
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
        for pos, index, subj in recent:
            if sent - self.sent_of[pos] > 2:
                break
            if subj and (fits(index) or self._human_org(index, low)):
                return self._remember(index, low)
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


def _np_tokens(tok: Token) -> list[tuple[Token, bool]]:
    """The head's name-like dependents, each with whether it is *direct* (compound, apposition,
    flat) or behind a "for"/"of"/"at"/"from" phrase. Possessors are left out ("Ms Love's
    lawyer" is not Ms Love)."""
    out = [(tok, True)]
    stack = [(tok, True)]
    while stack:
        t, direct = stack.pop()
        for child in t.children:
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


def _cue_span(doc: Doc, tok: Token) -> Span:
    if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
        end = doc[tok.i + 1]
        return Span(doc.text[tok.idx : end.idx + len(end.text)], tok.idx, end.idx + len(end.text))
    return Span(tok.text, tok.idx, tok.idx + len(tok.text))


def _is_cue(tok: Token, strong_only: bool) -> bool:
    if tok.lower_ == "according":
        return tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to"
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
    previous: tuple[Quote, int, int | None] | None = None  # quote, speaker index, cue token
    for n, ((a, b), (i, j)) in enumerate(zip(spans, token_ranges, strict=True)):
        inner = text[a:b]
        words = len(inner.split())
        short = words <= TERM_MAX_WORDS and not _SENTENCE_PUNCT.search(inner.rstrip(",;:"))
        before = text[max(0, a - 40) : a - 1] if a > 0 else ""
        after = text[b + 1 : b + 30]
        metalinguistic = _METALINGUISTIC_BEFORE.search(before) is not None or (
            _METALINGUISTIC_AFTER.search(after) is not None
        )
        cue_tok = None
        if not metalinguistic:
            cue_tok = _governing_cue(doc, i, j, quote_tokens, boundaries)
            if cue_tok is None:
                cue_tok = _tail_cue(doc, text, b, j, quote_tokens)
            if cue_tok is None:
                cue_tok = _lead_cue(doc, text, a, i, quote_tokens)
        speaker, cue = -1, None
        if cue_tok is not None:
            c = resolver.cue(cue_tok)
            speaker, cue = c.speaker, c.span
        elif (
            not metalinguistic
            and previous is not None
            and (_continues(text, previous[0], a, previous[2], doc))
        ):
            speaker = previous[1]
        elif not metalinguistic and not short:
            speaker, cue = _previous_sentence_cue(doc, resolver, i, quote_tokens, text, a)
        kind = "speech"
        if metalinguistic or (short and speaker < 0):
            kind = "term"
            speaker, cue = -1, None
        entity = analysis.entities[speaker] if speaker >= 0 else None
        quote = Quote(
            id=quote_id(n),
            section_id=section_of(a),
            text=inner,
            kind=kind,
            start=a,
            end=b,
            speaker=Speaker(entity.id, entity.name) if entity else None,
            cue=cue,
        )
        quotes.append(quote)
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
        ):
            quote.speaker = following.speaker
    return quotes


def _governing_cue(
    doc: Doc, i: int, j: int, quote_tokens: set[int], boundary: _Boundaries
) -> Token | None:
    """A cue verb above the quote in the tree (or hanging off the quote's root), in the same
    sentence as the quote."""
    if i >= j:
        return None
    a, b = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
    roots = [doc[k] for k in range(i, j) if not (i <= doc[k].head.i < j) or doc[k].head.i == k]
    for root in roots:
        tok = root
        for _ in range(10):
            if tok.head.i == tok.i:
                break
            tok = tok.head
            if tok.i in quote_tokens:
                continue
            cue = tok if _is_cue(tok, strong_only=True) else _according_child(tok)
            if cue is not None and boundary.same_sentence(cue.idx, a, b):
                return cue
    for root in roots:
        for child in root.children:
            if child.lower_ == "according" and child.i not in quote_tokens:
                return child  # “…” inside the quote's own clause, "according to X"
            if (
                child.i not in quote_tokens
                and child.dep_ in ("parataxis", "ccomp", "advcl", "conj")
                and _is_cue(child, strong_only=False)
                and boundary.same_sentence(child.idx, a, b)
            ):
                return child
    return None


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
    if k >= len(doc) or "\n" in text[b : doc[k].idx]:
        return None
    inner_end = text[max(0, b - 1) : b]
    if inner_end == "." and not doc[k].is_lower:
        return None
    for m in range(k, min(k + 9, len(doc))):
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


def _lead_cue(doc: Doc, text: str, a: int, i: int, quote_tokens: set[int]) -> Token | None:
    """He said: “…” — a cue right before the opening mark (after ":" or "," or directly)."""
    k = i - 1
    while k >= 0 and doc[k].text in _OPENERS:
        k -= 1
    if k < 0 or "\n" in text[doc[k].idx : a]:
        return None
    if doc[k].text in (":", ","):
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
        stop = re.search(r"[.!?]", rest)
        if stop is None:
            return False
        return len(gap) <= 160 and not rest[stop.end() :].strip(' \n"“”„«»')
    return False


def _previous_sentence_cue(
    doc: Doc, resolver: _Resolver, i: int, quote_tokens: set[int], text: str, a: int
) -> tuple[int, Span | None]:
    """A speech-like quote opening a sentence after "He said the plan would work.": that
    sentence's speaker."""
    if i >= len(doc) or i == 0:
        return -1, None
    sent = doc[i].sent
    if sent.start < i - 1:
        return -1, None
    prev_end = sent.start - 1
    if prev_end < 0 or "\n\n" in text[doc[prev_end].idx : a]:
        return -1, None
    prev = doc[prev_end].sent
    for tok in prev:
        if tok.dep_ == "ROOT" and tok.i not in quote_tokens and _is_cue(tok, strong_only=True):
            cue = resolver.cue(tok)
            return cue.speaker, cue.span
    return -1, None
