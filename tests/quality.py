"""A scored quality check of the language stages against hand-annotated articles.

Every ``X.txt`` in a folder that has an ``X.gold.json`` next to it is parsed with
:func:`api.parser.parse_article` (all stages) and compared with the gold::

    {"quotes":   [{"text": "<characters inside the marks>", "speaker": "<name>" | null}, …],
     "entities": [{"name": "…", "type": "PERSON|ORG|GPE|LOC|NORP|EVENT|OTHER",
                   "aliases": ["surname", "Ms X", …]}, …]}

Metrics (each a fraction in 0–1; a metric with nothing to count is 1.0):

* ``quotes.f1``: gold and predicted quotes paired one to one by normalised text (case folded,
  curly marks made straight, runs of white space made one space, outer punctuation and quote
  marks stripped), in document order;
* ``speaker.accuracy``: over paired gold quotes with a speaker, the share whose predicted
  speaker names the same referent (see :func:`speaker_matches`);
* ``speaker.null_kept_null``: over paired gold quotes without a speaker (titles, scare quotes,
  terms, unnamed speakers), the share the parser also left without one;
* ``entities.f1``: gold and predicted entities paired one to one when a name or alias of one
  equals a name or alias of the other (normalised as speaker names are); equal names pair first;
* ``entities.type_accuracy``: over paired entities, the share with the gold type. The parser's
  finer types are compared as the gold's coarser ones: FAC as LOC; WORK_OF_ART, PRODUCT, LAW and
  LANGUAGE as OTHER.

Command line (from the repository root)::

    python -m tests.quality tests/articles/nlp             # one line per metric
    python -m tests.quality tests/articles/nlp --detail    # and every error
    python -m tests.quality tests/articles/nlp --write-baseline
    python -m tests.quality tests/articles/nlp --check     # exit 1 below the baseline

The baseline (``quality-baseline.json`` in the folder) maps each metric to its value rounded to
three places; ``--check`` and the gate in ``tests/test_quality_gate.py`` allow
:data:`TOLERANCE` for that rounding.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

METRICS = (
    "quotes.f1",
    "speaker.accuracy",
    "speaker.null_kept_null",
    "entities.f1",
    "entities.type_accuracy",
)
BASELINE_NAME = "quality-baseline.json"
GOLD_SUFFIX = ".gold.json"
#: A metric may sit this far under its (rounded) baseline and still pass.
TOLERANCE = 0.0005
GOLD_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "OTHER"})
#: The parser's types as the gold's coarser set names them.
TYPE_MAP = {
    "FAC": "LOC",
    "WORK_OF_ART": "OTHER",
    "PRODUCT": "OTHER",
    "LAW": "OTHER",
    "LANGUAGE": "OTHER",
}
DEFAULT_FOLDER = Path(__file__).parent / "articles" / "nlp"

_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_OUTER = " \t\n\"'.,;:!?…-–—()[]"
_LEADING_TITLE = re.compile(r"^(?:mr|mrs|ms|dr|sir|the)\.?\s+")
_POSSESSIVE = re.compile(r"'s$")


# -- normalising ---------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """A quote's text for pairing: case folded, straight marks, one space, no outer punctuation."""
    text = " ".join(text.translate(_MARKS).casefold().split())
    return text.strip(_OUTER)


def normalise_name(name: str) -> str:
    """A speaker or entity name for comparing: as :func:`normalise_text`, then without a leading
    Mr/Mrs/Ms/Dr/Sir/the and a trailing 's."""
    name = normalise_text(name)
    while True:
        shorter = _LEADING_TITLE.sub("", name, count=1)
        if shorter == name:
            break
        name = shorter
    return _POSSESSIVE.sub("", name).strip(_OUTER)


def speaker_matches(predicted: str | None, gold: str, aliases: Iterable[str] = ()) -> bool:
    """Whether a predicted speaker name names the gold speaker: equal after
    :func:`normalise_name` to the gold name or one of its entity's aliases, or with the same
    last word as the gold name. A gold speaker "A and B" (two people speaking together) is
    matched by either."""
    if not predicted:
        return False
    if " and " in gold:
        return any(speaker_matches(predicted, part, aliases) for part in gold.split(" and "))
    got = normalise_name(predicted)
    want = normalise_name(gold)
    if not got or not want:
        return False
    if got == want or got in {normalise_name(a) for a in aliases}:
        return True
    return got.split()[-1] == want.split()[-1]


# -- loading -------------------------------------------------------------------------------


def load_gold(path: Path) -> dict[str, Any]:
    """A gold file, checked for shape (a malformed gold must not quietly score)."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    if set(gold) != {"quotes", "entities"}:
        raise ValueError(f"{path}: keys must be 'quotes' and 'entities', got {sorted(gold)}")
    for q in gold["quotes"]:
        if set(q) != {"text", "speaker"} or not isinstance(q["text"], str) or not q["text"]:
            raise ValueError(f"{path}: a quote needs 'text' and 'speaker': {q!r}")
        if q["speaker"] is not None and not isinstance(q["speaker"], str):
            raise ValueError(f"{path}: 'speaker' must be a string or null: {q!r}")
    for e in gold["entities"]:
        if set(e) != {"name", "type", "aliases"} or e["type"] not in GOLD_TYPES:
            raise ValueError(f"{path}: an entity needs 'name', a gold 'type', 'aliases': {e!r}")
    return gold


def prediction_of(document: Any) -> dict[str, Any]:
    """An :class:`~api.parser.ArticleDocument` in the gold's shape."""
    return {
        "quotes": [
            {"text": q.text, "speaker": q.speaker.name if q.speaker else None}
            for q in document.quotes
        ],
        "entities": [
            {"name": e.name, "type": TYPE_MAP.get(e.type, e.type), "aliases": list(e.aliases)}
            for e in document.entities
        ],
    }


def gold_files(folder: Path) -> list[tuple[Path, Path]]:
    """``(article, gold)`` for every article in ``folder`` with a gold file."""
    pairs = []
    for text in sorted(folder.glob("*.txt")):
        gold = text.with_name(text.stem + GOLD_SUFFIX)
        if gold.is_file():
            pairs.append((text, gold))
    return pairs


# -- scoring -------------------------------------------------------------------------------


@dataclass
class Count:
    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0


@dataclass
class Pairing:
    """One-to-one pairing counts: ``matched`` of ``gold`` and of ``predicted``."""

    matched: int = 0
    gold: int = 0
    predicted: int = 0

    @property
    def f1(self) -> float:
        if not self.gold and not self.predicted:
            return 1.0
        return 2 * self.matched / (self.gold + self.predicted)


@dataclass
class Score:
    quotes: Pairing = field(default_factory=Pairing)
    speakers: Count = field(default_factory=Count)
    nulls: Count = field(default_factory=Count)
    entities: Pairing = field(default_factory=Pairing)
    types: Count = field(default_factory=Count)
    articles: int = 0
    #: ``(article, kind, what, expected, got)``
    errors: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    @property
    def metrics(self) -> dict[str, float]:
        return {
            "quotes.f1": self.quotes.f1,
            "speaker.accuracy": self.speakers.value,
            "speaker.null_kept_null": self.nulls.value,
            "entities.f1": self.entities.f1,
            "entities.type_accuracy": self.types.value,
        }

    def lines(self) -> list[str]:
        """One line per metric, with its counts."""
        q, e = self.quotes, self.entities
        counts = {
            "quotes.f1": f"matched {q.matched}, gold {q.gold}, predicted {q.predicted}",
            "speaker.accuracy": f"{self.speakers.hits} of {self.speakers.total} right",
            "speaker.null_kept_null": f"{self.nulls.hits} of {self.nulls.total} null",
            "entities.f1": f"matched {e.matched}, gold {e.gold}, predicted {e.predicted}",
            "entities.type_accuracy": f"{self.types.hits} of {self.types.total} right",
        }
        return [f"{m:<24} {v:.3f}  ({counts[m]})" for m, v in self.metrics.items()]

    def detail(self) -> list[str]:
        """Every error, one a line."""
        out = []
        width = max((len(article) for article, *_ in self.errors), default=0) + 1
        for article, kind, what, expected, got in self.errors:
            line = f"{article + ':':<{width}} {kind:<16}  {what}"
            if expected or got:
                line += f"  expected {expected}, got {got}"
            out.append(line)
        return out


def _short(text: str, width: int = 48) -> str:
    return "“" + (text if len(text) <= width else text[: width - 1] + "…") + "”"


def _keys(entity: dict[str, Any]) -> set[str]:
    return {normalise_name(n) for n in [entity["name"], *entity["aliases"]]} - {""}


def _pair_entities(gold: list[dict], predicted: list[dict]) -> dict[int, int]:
    """Gold index -> predicted index, one to one: equal names first, then a maximum pairing
    over shared names or aliases."""
    gold_keys = [_keys(e) for e in gold]
    pred_keys = [_keys(e) for e in predicted]
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for g, entity in enumerate(gold):
        name = normalise_name(entity["name"])
        for p, other in enumerate(predicted):
            if p not in taken and normalise_name(other["name"]) == name:
                pairs[g] = p
                taken.add(p)
                break
    edges = {
        g: [p for p in range(len(predicted)) if p not in taken and gold_keys[g] & pred_keys[p]]
        for g in range(len(gold))
        if g not in pairs
    }
    owner: dict[int, int] = {}  # predicted -> gold, for the augmenting search

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in edges:
        augment(g, set())
    pairs.update({g: p for p, g in owner.items()})
    return pairs


def score_article(name: str, gold: dict[str, Any], predicted: dict[str, Any], score: Score) -> None:
    """Add one article's comparison to ``score``."""
    score.articles += 1
    aliases_of: dict[str, list[str]] = {}
    for entity in gold["entities"]:
        for key in _keys(entity):
            aliases_of.setdefault(key, [entity["name"], *entity["aliases"]])

    # quotes: paired in document order by normalised text
    gq, pq = gold["quotes"], predicted["quotes"]
    score.quotes.gold += len(gq)
    score.quotes.predicted += len(pq)
    used: set[int] = set()
    for quote in gq:
        want = normalise_text(quote["text"])
        match = next(
            (i for i, p in enumerate(pq) if i not in used and normalise_text(p["text"]) == want),
            None,
        )
        if match is None:
            score.errors.append((name, "quote missed", _short(quote["text"]), "", ""))
            continue
        used.add(match)
        score.quotes.matched += 1
        expected, got = quote["speaker"], pq[match]["speaker"]
        if expected is None:
            score.nulls.total += 1
            if got is None:
                score.nulls.hits += 1
            else:
                score.errors.append((name, "speaker not null", _short(quote["text"]), "null", got))
        else:
            score.speakers.total += 1
            aliases = aliases_of.get(normalise_name(expected), [])
            if speaker_matches(got, expected, aliases):
                score.speakers.hits += 1
            else:
                score.errors.append(
                    (name, "speaker wrong", _short(quote["text"]), expected, got or "null")
                )
    for i, p in enumerate(pq):
        if i not in used:
            score.errors.append((name, "quote extra", _short(p["text"]), "", ""))

    # entities
    ge, pe = gold["entities"], predicted["entities"]
    score.entities.gold += len(ge)
    score.entities.predicted += len(pe)
    pairs = _pair_entities(ge, pe)
    score.entities.matched += len(pairs)
    for g, entity in enumerate(ge):
        if g not in pairs:
            score.errors.append(
                (name, "entity missed", f"{entity['name']} ({entity['type']})", "", "")
            )
            continue
        other = pe[pairs[g]]
        score.types.total += 1
        if other["type"] == entity["type"]:
            score.types.hits += 1
        else:
            what = (
                entity["name"]
                if other["name"] == entity["name"]
                else (f"{entity['name']} (as {other['name']})")
            )
            score.errors.append((name, "entity mistyped", what, entity["type"], other["type"]))
    matched = set(pairs.values())
    for p, other in enumerate(pe):
        if p not in matched:
            score.errors.append(
                (name, "entity extra", f"{other['name']} ({other['type']})", "", "")
            )


def score_folder(folder: Path) -> Score:
    """Parse and score every article in ``folder`` that has a gold file."""
    from api.parser import parse_article  # here: importing this module must not load spaCy

    score = Score()
    for text_path, gold_path in gold_files(folder):
        gold = load_gold(gold_path)
        document = parse_article(text_path.read_text(encoding="utf-8"), file_name=text_path.name)
        score_article(text_path.stem, gold, prediction_of(document), score)
    return score


# -- baseline ------------------------------------------------------------------------------


def baseline_values(score: Score) -> dict[str, float]:
    return {m: round(v, 3) for m, v in score.metrics.items()}


def read_baseline(folder: Path) -> dict[str, float]:
    return json.loads((folder / BASELINE_NAME).read_text(encoding="utf-8"))


def write_baseline(folder: Path, score: Score) -> Path:
    path = folder / BASELINE_NAME
    path.write_text(json.dumps(baseline_values(score), indent=2) + "\n", encoding="utf-8")
    return path


def regressions(score: Score, baseline: dict[str, float]) -> list[str]:
    """A sentence for every metric below its baseline (beyond :data:`TOLERANCE`), or missing
    from it."""
    out = []
    for metric, value in score.metrics.items():
        if metric not in baseline:
            out.append(f"{metric}: not in the baseline (now {value:.3f}); write it again")
        elif value < baseline[metric] - TOLERANCE:
            out.append(f"{metric} fell to {value:.3f}, below its baseline {baseline[metric]:.3f}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.quality", description=__doc__.split("\n")[0]
    )
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--detail", action="store_true", help="list every error")
    parser.add_argument("--write-baseline", action="store_true", help=f"write {BASELINE_NAME}")
    parser.add_argument("--check", action="store_true", help="exit 1 below the baseline")
    args = parser.parse_args(argv)
    if not gold_files(args.folder):
        print(f"no article with a {GOLD_SUFFIX} file in {args.folder}", file=sys.stderr)
        return 2
    score = score_folder(args.folder)
    print(f"{score.articles} articles in {args.folder}")
    for line in score.lines():
        print(line)
    if args.detail:
        print()
        for line in score.detail():
            print(line)
    status = 0
    if args.check:
        problems = regressions(score, read_baseline(args.folder))
        for problem in problems:
            print(f"BELOW BASELINE: {problem}", file=sys.stderr)
        status = 1 if problems else 0
    if args.write_baseline:
        print(f"wrote {write_baseline(args.folder, score)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
