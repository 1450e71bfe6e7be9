"""Stray C0 control characters in otherwise good text are dropped and reported; only text that
really is binary is refused.

A real 8,700-character article with one stray ESC (U+001B) was refused as "binary".
"""

from __future__ import annotations

import json

import pytest

from api.cli import main
from api.parser import ParseError, parse_bytes

PARAGRAPHS = [
    "The river ferry between the two old quarters will run every ten minutes from Monday, "
    "the transport office said, after a winter of repairs to both landing stages.",
    "Commuters had waited up to forty minutes at the eastern landing in January, when one of "
    "the two boats was out of service for a new engine and a repainted hull.",
    "A spokesperson for the office said the timetable would be reviewed in the autumn, once "
    "the figures for the summer season were known and the tourist boats had gone.",
]


def article(control: str = "", at: int = 0, repeats: int = 20) -> bytes:
    """About 8,700 characters of our own text; ``control`` inserted in paragraph ``at``."""
    paragraphs = [f"{p} (Part {n}.)" for n in range(repeats) for p in PARAGRAPHS]
    if control:
        words = paragraphs[at].split(" ")
        words[5] = words[5] + control
        paragraphs[at] = " ".join(words)
    return ("Ferry timetable returns to normal\n\n" + "\n\n".join(paragraphs) + "\n").encode()


@pytest.mark.parametrize("control", ["\x1b", "\x07", "\x08", "\x0c", "\x0b", "\x7f", "\x1b[0m"])
def test_a_stray_control_is_dropped_and_reported(control):
    raw = article(control, at=7)
    assert len(raw) > 8000
    document = parse_bytes(raw, file_name="ferry.txt", with_language=False)
    without = article(control.lstrip("\x1b\x07\x08\x0c\x0b\x7f"), at=7)
    clean = parse_bytes(without, file_name="ferry.txt", with_language=False)
    assert document.text == clean.text
    assert not any(ch in document.text for ch in "\x1b\x07\x08\x0c\x0b\x7f")
    for section in document.sections:
        for paragraph in section.paragraphs:
            assert document.text[paragraph.start : paragraph.end] == paragraph.text
    assert len(document.warnings) == 1
    warning = document.warnings[0]
    assert "control character" in warning and f"U+{ord(control[0]):04X}" in warning
    assert "line 17" in warning  # the title, a blank line, then two lines per paragraph


def test_several_stray_controls_are_one_warning():
    raw = article("\x1b", at=3).replace(b"transport office", b"transport\x07 office", 1)
    document = parse_bytes(raw, file_name="ferry.txt", with_language=False)
    assert len(document.warnings) == 1
    assert "2 control characters" in document.warnings[0]
    assert "U+0007" in document.warnings[0] and "U+001B" in document.warnings[0]


@pytest.mark.parametrize(
    "raw",
    [
        bytes(range(1, 32)) * 50,
        b"GIF89a" + bytes([1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15]) * 40 + b"text" * 10,
        ("Header line\n" + "\x01\x02\x03\x04 data \x05\x06\x07\x08\n" * 100).encode(),
    ],
)
def test_text_that_really_is_binary_is_refused(raw):
    with pytest.raises(ParseError, match="looks binary"):
        parse_bytes(raw, file_name="blob.txt", with_language=False)


def test_the_ingest_summary_reports_the_warning(runner, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "ferry.txt").write_bytes(article("\x1b", at=7))
    result = runner.invoke(main, ["ingest", "--json", str(seeds)])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout.splitlines()[0])
    assert line["status"] == "created"
    assert len(line["warnings"]) == 1 and "U+001B" in line["warnings"][0]
    assert "1 with warnings" in result.stderr
    text = runner.invoke(main, ["ingest", str(seeds)])
    assert "ferry.txt: unchanged" in text.output and "warning:" in text.output


def test_parse_prints_the_warning_apart_from_the_json(runner, tmp_path):
    path = tmp_path / "ferry.txt"
    path.write_bytes(article("\x1b", at=7))
    result = runner.invoke(main, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning: dropped 1 control character (U+001B) at line 17" in result.stderr
    assert json.loads(result.stdout)["text"].count("\x1b") == 0
