"""Ingest: read seed files, parse each once, store a new version where the output changed.

Each file is its own transaction. A file that fails is reported with its reason and changes
nothing stored; the other files still go in. An article id belongs to the file that first stored
it: another file claiming it (a copied front-matter ``id``) is refused, unless the operator
reassigns that id (``article-api ingest --reassign ID``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .parser import (
    ArticleDocument,
    ParseError,
    annotate_language,
    check_language_length,
    parse_bytes,
)
from .parser.nlp import ModelMissingError
from .representation import Representation
from .store import ArticleRetracted, ArticleStore, SourceConflict

log = logging.getLogger(__name__)

SEED_SUFFIXES = (".txt", ".md")
BATCH_SIZE = 16


@dataclass(slots=True, frozen=True)
class FileResult:
    file: str
    status: str  # "created", "unchanged", "retracted" (skipped) or "failed"
    article_id: str | None = None
    version: int | None = None
    reason: str | None = None
    #: What the parser changed in a file it stored (dropped control characters, …).
    warnings: tuple[str, ...] = ()

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.file}: failed: {self.reason}"
        if self.status == "retracted":
            return f"{self.file}: skipped: {self.reason}"
        if self.status == "created":
            line = f"{self.file}: new version {self.version} of {self.article_id}"
        else:
            line = f"{self.file}: unchanged ({self.article_id} version {self.version})"
        return line + "".join(f" (warning: {warning})" for warning in self.warnings)

    def as_dict(self) -> dict:
        found = {k: getattr(self, k) for k in self.__slots__}
        return {k: list(v) if k == "warnings" else v for k, v in found.items() if v}


def display_name(path: Path) -> str:
    """The file name as printable text: undecodable bytes and control characters escaped."""
    name = path.name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in name)


def seed_files(folder: Path) -> list[Path]:
    """Seed files directly in ``folder``, in name order (README files are not articles)."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() in SEED_SUFFIXES and path.name.lower() != "readme.md"
    )


def read_seed(path: Path, folder: Path, max_bytes: int) -> bytes:
    if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
        raise ParseError("symlink points outside the seeds folder")
    if not path.is_file():
        raise ParseError("not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise ParseError(f"file is {size} bytes, over the {max_bytes}-byte limit")
    return path.read_bytes()


def ingest_files(
    store: ArticleStore,
    paths: Iterable[Path],
    folder: Path,
    *,
    max_bytes: int,
    batch_size: int = BATCH_SIZE,
    reassign: Iterable[str] = (),
) -> Iterator[FileResult]:
    """Parse and store each file; yields one result per file, in order.

    Files are laid out one by one, then run through the language model in batches (spaCy's
    ``nlp.pipe``), then stored one transaction each. The ids in ``reassign`` may move to the
    file that now claims them; any other id owned by another file is refused for this one.
    """
    reassign = frozenset(reassign)
    claimed: dict[str, str] = {}
    paths = list(paths)
    for start in range(0, len(paths), batch_size):
        batch = [_lay_out(path, folder, max_bytes) for path in paths[start : start + batch_size]]
        _annotate([item for item in batch if isinstance(item, _Laid)])
        for item in batch:
            if isinstance(item, FileResult):
                yield item
            elif item.failure is not None:
                yield item.failure
            elif (owner := claimed.get(item.document.id)) is not None:
                yield FileResult(
                    item.name,
                    "failed",
                    article_id=item.document.id,
                    reason=f"id {item.document.id!r} is already used by {owner}",
                )
            else:
                result = _store(store, item, reassign=item.document.id in reassign)
                if result.status != "failed":
                    claimed[item.document.id] = item.name
                yield result


@dataclass(slots=True)
class _Laid:
    """A file laid out and waiting for the language stages."""

    name: str
    document: ArticleDocument
    failure: FileResult | None = None


def _lay_out(path: Path, folder: Path, max_bytes: int) -> _Laid | FileResult:
    name = display_name(path)
    try:
        raw = read_seed(path, folder, max_bytes)
        document = parse_bytes(raw, file_name=path.name, with_language=False)
        check_language_length(document)
    except ParseError as error:
        return FileResult(name, "failed", reason=str(error))
    except OSError as error:
        return FileResult(name, "failed", reason=f"cannot read file: {error.strerror}")
    except Exception as error:  # a parser bug must cost one file, not the whole ingest
        log.exception("parser failed on %s", name)
        return FileResult(name, "failed", reason=f"parser error ({type(error).__name__})")
    return _Laid(name, document)


def _annotate(items: list[_Laid]) -> None:
    """Language stages for a batch; if the batch fails, find the file(s) at fault one by one."""
    try:
        annotate_language([item.document for item in items])
        return
    except ModelMissingError:
        raise
    except Exception:
        if len(items) == 1:
            log.exception("language stages failed on %s", items[0].name)
            items[0].failure = FileResult(items[0].name, "failed", reason="language stage error")
            return
    for item in items:
        _annotate([item])


def _store(store: ArticleStore, item: _Laid, *, reassign: bool = False) -> FileResult:
    representation = Representation(item.document)
    try:
        saved = store.save(
            item.document.id,
            representation.output_hash,
            representation.render,
            source=representation.source,
            reassign=reassign,
        )
    except ArticleRetracted as retracted:
        return FileResult(
            item.name,
            "retracted",
            article_id=item.document.id,
            reason=f"{item.document.id} was retracted at {retracted.retracted_at} "
            f"({retracted.reason}); a PUT by its owner restores it",
        )
    except SourceConflict as conflict:
        owner = conflict.owner.removeprefix("file:")
        return FileResult(
            item.name,
            "failed",
            article_id=item.document.id,
            reason=f"id {item.document.id!r} belongs to {owner}; another file cannot take it "
            f"over (`article-api ingest --reassign {item.document.id}` moves it to this file)",
        )
    return FileResult(
        item.name,
        "created" if saved.created else "unchanged",
        article_id=saved.article_id,
        version=saved.version,
        warnings=tuple(item.document.warnings),
    )
