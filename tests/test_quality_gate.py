"""The quality gate: the language stages scored against our annotated articles may not fall
below the recorded baseline (``tests/articles/nlp/quality-baseline.json``).

After a parser change that improves a metric, raise the baseline with
``python -m tests.quality tests/articles/nlp --write-baseline``.
"""

from __future__ import annotations

import pytest

from . import quality
from .conftest import NLP_ARTICLES


@pytest.mark.nlp
def test_quality_is_not_below_the_baseline() -> None:
    baseline = quality.read_baseline(NLP_ARTICLES)
    assert set(baseline) == set(quality.METRICS), sorted(baseline)
    scored = {text.stem for text, _ in quality.gold_files(NLP_ARTICLES)}
    no_gold = sorted(p.name for p in NLP_ARTICLES.glob("*.txt") if p.stem not in scored)
    assert not no_gold, f"articles without a {quality.GOLD_SUFFIX} file: {no_gold}"
    score = quality.score_folder(NLP_ARTICLES)
    below = [
        f"{metric}: {value:.3f} < baseline {baseline[metric]:.3f}"
        for metric, value in score.metrics.items()
        if value < baseline[metric] - quality.TOLERANCE
    ]
    assert not below, (
        "quality fell below the baseline: " + "; ".join(below) + "\n" + "\n".join(score.detail())
    )


def _entity(name: str, etype: str, *aliases: str) -> dict:
    return {"name": name, "type": etype, "aliases": list(aliases)}


def test_the_scorer_counts_hits_and_misses() -> None:
    gold = {
        "quotes": [
            {"text": "We will fight on,", "speaker": "Hemi Rautangata"},
            {"text": "It is over.", "speaker": "Hemi Rautangata"},
            {"text": "safe hands", "speaker": None},
            {"text": "never predicted", "speaker": "Hemi Rautangata"},
        ],
        "entities": [
            _entity("Hemi Rautangata", "PERSON", "Rautangata", "Mr Rautangata"),
            _entity("Kestrel Bank", "ORG"),
            _entity("Ostrava", "GPE"),
        ],
    }
    predicted = {
        "quotes": [
            # a right speaker, by an alias with a title; curly marks and case do not matter
            {"text": "“we will fight on”", "speaker": "Mr Rautangata"},
            # a wrong one
            {"text": "It is over.", "speaker": "Kestrel Bank"},
            # a null kept null
            {"text": "safe hands", "speaker": None},
            # a quote the gold does not have
            {"text": "an extra quote", "speaker": None},
        ],
        "entities": [
            _entity("Rautangata", "PERSON"),  # pairs by the gold's alias
            _entity("Kestrel Bank", "PERSON"),  # pairs, wrong type
            _entity("Nowhere Land", "GPE"),  # extra
        ],
    }
    score = quality.Score()
    quality.score_article("synthetic", gold, predicted, score)
    m = score.metrics
    assert (score.quotes.matched, score.quotes.gold, score.quotes.predicted) == (3, 4, 4)
    assert m["quotes.f1"] == pytest.approx(0.75)
    assert (score.speakers.hits, score.speakers.total) == (1, 2)
    assert m["speaker.accuracy"] == pytest.approx(0.5)
    assert m["speaker.null_kept_null"] == 1.0
    assert m["entities.f1"] == pytest.approx(2 / 3)
    assert m["entities.type_accuracy"] == pytest.approx(0.5)
    assert sorted(kind for _, kind, *_ in score.errors) == [
        "entity extra",
        "entity missed",
        "entity mistyped",
        "quote extra",
        "quote missed",
        "speaker wrong",
    ]

    # a speaker that is only wrongly non-null is counted, and a perfect prediction scores 1.0
    predicted["quotes"][2]["speaker"] = "Hemi Rautangata"
    worse = quality.Score()
    quality.score_article("synthetic", gold, predicted, worse)
    assert worse.metrics["speaker.null_kept_null"] == 0.0
    perfect = quality.Score()
    quality.score_article("synthetic", gold, gold, perfect)
    assert set(perfect.metrics.values()) == {1.0} and not perfect.errors


def test_the_baseline_check_names_the_metric() -> None:
    score = quality.Score()
    score.quotes = quality.Pairing(matched=1, gold=2, predicted=2)  # f1 0.5
    baseline = dict.fromkeys(quality.METRICS, 1.0)
    baseline["quotes.f1"] = 0.5004  # within the rounding tolerance
    assert quality.regressions(score, baseline) == []
    baseline["quotes.f1"] = 0.6
    assert quality.regressions(score, baseline) == [
        "quotes.f1 fell to 0.500, below its baseline 0.600"
    ]


def test_speaker_names_compare_loosely_but_not_blindly() -> None:
    assert quality.speaker_matches("Dr Owain Pettifer", "Owain Pettifer")
    assert quality.speaker_matches("the Tamar Crossing Company", "Tamar Crossing Company")
    assert quality.speaker_matches("Hallett", "Fergus Hallett")  # the same last word
    assert quality.speaker_matches("Fairbairn's", "Joanna Fairbairn")
    assert quality.speaker_matches("Fed", "Federal Reserve", ["Federal Reserve", "Fed"])
    assert not quality.speaker_matches("Marcus Oyelaran", "Joanna Fairbairn")
    assert not quality.speaker_matches(None, "Joanna Fairbairn")


def test_the_gold_files_fit_their_articles() -> None:
    """A typo in a gold file would cost the parser a point it cannot earn: every gold quote is
    found, in order, right after a double mark; every name is in the text; every speaker is a
    gold entity's name or alias (or, for people speaking together, "A and B", each part one)."""
    pairs = quality.gold_files(NLP_ARTICLES)
    assert pairs
    for text_path, gold_path in pairs:
        text = text_path.read_text(encoding="utf-8")
        gold = quality.load_gold(gold_path)
        at = 0
        for q in gold["quotes"]:
            found = text.find(q["text"], at)
            assert found > 0 and text[found - 1] in '“„«"', (gold_path.name, q["text"])
            at = found + len(q["text"])
        names = set()
        for e in gold["entities"]:
            for name in [e["name"], *e["aliases"]]:
                assert name.casefold() in text.casefold(), (gold_path.name, name)
                names.add(name)
        for q in gold["quotes"]:
            parts = q["speaker"].split(" and ") if q["speaker"] else []
            assert all(part in names for part in parts), (gold_path.name, q)
