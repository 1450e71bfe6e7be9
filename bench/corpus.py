"""Build a benchmark corpus of N articles by varying the repo's own test articles.

Each source article (``seeds/`` and ``tests/articles/``, our own text) is parsed once with the
full pipeline (spaCy included); the corpus is then made of variants of those parsed documents —
a new id, title and source file name each — each one dumped, hashed and rendered by
:class:`api.representation.Representation` (the ingest's own rule for what a version is) and
stored through the store's normal one-transaction-per-document ``save``. So building 100,000
articles costs the render and the store, not 100,000 NLP runs.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from api.representation import Representation
from api.store import ArticleStore

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    *sorted((ROOT / "seeds").glob("*.txt")),
    *sorted(p for p in (ROOT / "tests" / "articles").rglob("*") if p.suffix in (".txt", ".md")),
]


@dataclass(slots=True)
class IngestStats:
    parsed: int
    parse_seconds: float
    stored: int
    store_seconds: float

    @property
    def parse_rate(self) -> float:
        return self.parsed / self.parse_seconds if self.parse_seconds else 0.0

    @property
    def store_rate(self) -> float:
        return self.stored / self.store_seconds if self.store_seconds else 0.0


def parse_sources():
    """The source documents, fully parsed (the NLP stage runs here, once per source)."""
    from api.parser import parse_bytes

    return [parse_bytes(path.read_bytes(), file_name=path.name) for path in SOURCES]


def variant_id(i: int) -> str:
    return f"bench-{i:07d}"


def build(store: ArticleStore, n: int, *, progress=None) -> IngestStats:
    """Store ``n`` article variants (ids ``bench-0000000`` …); returns ingest throughput."""
    started = time.perf_counter()
    documents = parse_sources()
    parse_seconds = time.perf_counter() - started
    store.create_schema()
    started = time.perf_counter()
    for i in range(n):
        base = documents[i % len(documents)]
        document = dataclasses.replace(
            base,
            id=variant_id(i),
            title=f"{base.title} ({i})",
            source_file=f"{variant_id(i)}.txt",
        )
        representation = Representation(document)
        store.save(
            document.id,
            representation.output_hash,
            representation.render,
            source=representation.source,
        )
        if progress and (i + 1) % 10_000 == 0:
            progress(i + 1, time.perf_counter() - started)
    return IngestStats(len(documents), parse_seconds, n, time.perf_counter() - started)
