"""Name folding for search: case and accents folded, every script kept.

"Zoë" and "Zoe" find each other; "Nguyễn" is found by "nguyen"; Arabic and Bengali names are
kept in their own script and found by what was typed.
"""

from __future__ import annotations

import re
import unicodedata

# Apostrophes join (O'Brien is "obrien", D’Souza "dsouza"); other punctuation separates.
_JOINERS = re.compile(r"['’‘`]")
_SEPARATORS = re.compile(r"[\s\-.,]+")


# Latin letters that Unicode does not decompose into a base letter and an accent, written as
# people without them on their keyboard would type them.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "đ": "d", "ð": "d", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ħ": "h"}
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    # Drop combining accents from Latin letters only: in Bengali, Arabic and other scripts
    # the combining marks are vowel signs and part of the name.
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and _is_latin(kept[-1]):
            continue
        kept.append(char)
    folded = unicodedata.normalize("NFC", "".join(kept))
    return _SEPARATORS.sub(" ", _JOINERS.sub("", folded)).strip()


def _is_latin(char: str) -> bool:
    return char.isascii() or "LATIN" in unicodedata.name(char, "")


def folded_name(given: str, family: str) -> dict[str, str]:
    """The folded columns of a PersonName row, as search reads them."""
    return {
        "given_folded": fold(given)[:100],
        "family_folded": fold(family)[:100],
        "full_folded": fold(f"{given} {family}")[:201],
    }


def tokens(text: str) -> list[str]:
    return [t for t in fold(text).split(" ") if t]
