"""Ingest throughput next to spaCy's bare ``nlp.pipe`` over the same texts, in one run.

    .venv/bin/python bench/ingest_throughput.py [--copies 20]

The corpus is our own test articles (tests/articles, tests/articles/nlp) and the seed, each
written ``--copies`` times under new names. It measures, best of three:

* bare:   ``nlp.pipe`` over the laid-out texts (the model alone);
* ingest: ``ingest_files`` into a fresh SQLite store — reading, layout, the model, our entity
          and quote stages, rendering and one transaction per article.

and prints articles/s for both and their ratio (the target is ≥ 0.7: our own stages and the store
must cost little next to the model).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.ingest import ingest_files, seed_files  # noqa: E402
from api.parser import nlp, parse_bytes  # noqa: E402
from api.store import ArticleStore  # noqa: E402


def sources() -> list[Path]:
    found = [ROOT / "seeds" / "000_8cbe90a26df69869.txt"]
    for folder in (ROOT / "tests" / "articles", ROOT / "tests" / "articles" / "nlp"):
        found += sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md"))
    return found


def build_corpus(folder: Path, copies: int) -> None:
    for n in range(copies):
        for path in sources():
            text = path.read_text(encoding="utf-8")
            if text.startswith("---\n"):  # front matter ids must stay unique
                text = text.replace("\nid: ", f"\nid: copy{n}-", 1)
            (folder / f"copy{n:03d}-{path.name}").write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="article-api-ingest-bench-"))
    try:
        corpus = work / "seeds"
        corpus.mkdir()
        build_corpus(corpus, args.copies)
        files = seed_files(corpus)
        texts = [
            parse_bytes(p.read_bytes(), file_name=p.name, with_language=False).text for p in files
        ]
        model = nlp.load_model()
        list(model.pipe(texts[:16]))  # warm up
        bare = ours = float("inf")
        for attempt in range(3):
            started = time.perf_counter()
            for _ in model.pipe(texts, batch_size=16):
                pass
            bare = min(bare, time.perf_counter() - started)
            store = ArticleStore(f"sqlite:///{work / f'store-{attempt}.sqlite3'}")
            store.create_schema()
            started = time.perf_counter()
            results = list(ingest_files(store, files, corpus, max_bytes=2_000_000))
            ours = min(ours, time.perf_counter() - started)
            store.dispose()
            assert all(r.status == "created" for r in results), [r.line() for r in results][:5]
        words = sum(len(t.split()) for t in texts)
        print(f"corpus: {len(files)} articles, {words} words (best of 3 runs)")
        print(f"bare nlp.pipe: {len(files) / bare:8.1f} articles/s  ({bare:.2f} s)")
        print(f"full ingest:   {len(files) / ours:8.1f} articles/s  ({ours:.2f} s)")
        print(f"ratio ingest/bare: {bare / ours:.2f}  (target >= 0.70)")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
