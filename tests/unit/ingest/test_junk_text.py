"""Junk refused, real text in any common encoding kept (ingest.text.decode, ingest.detect).

The non-English sentences are Article 1 of the Universal Declaration of Human Rights (United
Nations, 1948) in its official Russian and French texts and the German translation of the UN's
Office of the High Commissioner for Human Rights."""

from __future__ import annotations

import base64
import random

import pytest

from ingest.detect import UnsupportedTypeError, detect
from ingest.errors import BadFileError
from ingest.text import decode

RUSSIAN = ("Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены разумом и "
           "совестью и должны поступать в отношении друг друга в духе братства.")
FRENCH = ("Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués de raison "
          "et de conscience et doivent agir les uns envers les autres dans un esprit de fraternité.")
GERMAN = ("Alle Menschen sind frei und gleich an Würde und Rechten geboren. Sie sind mit Vernunft und "
          "Gewissen begabt und sollen einander im Geist der Brüderlichkeit begegnen.")
ENGLISH = ("A federal grand jury charged 26 members of the violent gang known as MS-13 with federal "
           "racketeering and related crimes occurring in the United States and El Salvador.")
CSV = "\n".join(f"{i},{i * 37 % 101}.25,2024-01-{i % 28 + 1:02d},case-{i:04d}" for i in range(200))

REAL = [
    (RUSSIAN, "cp1251"), (RUSSIAN, "koi8_r"), (RUSSIAN, "utf_8"), (RUSSIAN, "utf_16"), (RUSSIAN, "utf_16_le"),
    (FRENCH, "latin_1"), (FRENCH, "cp1252"), (FRENCH, "utf_16"), (FRENCH, "utf_16_be"),
    (GERMAN, "latin_1"), (GERMAN, "cp1252"), (GERMAN, "utf_16_le"),
    (ENGLISH, "ascii"), (ENGLISH, "utf_16"), (CSV, "ascii"),
    (f"{ENGLISH}\n\n{RUSSIAN}\n\n{GERMAN}", "utf_8"),
]


@pytest.mark.parametrize(("text", "encoding"), REAL, ids=[f"{t[:12]}-{e}" for t, e in REAL])
def test_real_text_in_any_common_encoding_is_read(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    assert detect("letter.txt", data[:4096], data) == "text"  # not refused as binary (UTF-16's NULs)
    assert decode(data) == text


def _random(seed: int, size: int, low: int, high: int) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(low, high) for _ in range(size))


_RND = random.Random(4)
JUNK = {
    "random bytes": _random(1, 50_000, 0, 256),
    "random bytes without NUL": _random(2, 50_000, 1, 256),
    "random printable ASCII": _random(3, 50_000, 32, 127),
    "control characters": bytes(_RND.choice(b"\x01\x02\x03\x07\x08\x0b\x0e\x10\x1bAB") for _ in range(5000)),
    "random code points": "".join(chr(_RND.randrange(0x20, 0x2FFF)) for _ in range(5000)).encode("utf-8", "ignore"),
    "text read in no code page": RUSSIAN.encode("utf_8")[1:].replace(b"\xd0", b"\x98") * 20,
}


@pytest.mark.parametrize("name", list(JUNK))
def test_junk_is_refused_as_undecodable_text(name: str) -> None:
    data = JUNK[name]
    with pytest.raises((BadFileError, UnsupportedTypeError), match=r"^undecodable text: "):
        detect("notes.txt", data[:4096], data)
        decode(data)


def test_text_at_the_edge_of_junk() -> None:
    """Base64 and long runs of one letter are odd but they are text: no entities come of them
    (bounded extractions see to that), and they are not refused."""
    assert decode(base64.b64encode(_random(6, 3000, 0, 256)))
    assert decode(b"A" * 100_000) == "A" * 100_000


def test_junk_in_the_middle_of_a_long_text_is_seen() -> None:
    junk = _random(7, 40_000, 32, 127).decode()
    text = f"{ENGLISH}\n" * 1000 + junk + f"\n{ENGLISH}" * 1000
    with pytest.raises(BadFileError, match="reads as noise"):
        decode(text.encode())
