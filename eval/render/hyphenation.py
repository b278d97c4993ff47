"""Where a long word may break at a line end, and the "fi"/"fl" ligatures of body text."""

from __future__ import annotations

import re

LIG_FI, LIG_FL = "\ufb01", "\ufb02"

_VOWELS = set("aeiouyAEIOUYéèàöüä")
# Consonant pairs that may start a syllable: a break goes before them (neu-tral, mi-cro).
_ONSETS = frozenset(
    ["pr", "tr", "br", "cr", "dr", "gr", "fr", "pl", "bl", "cl", "gl", "ch", "sh", "th", "ph", "wh"]
)
_S_CLUSTERS = frozenset(("st", "sp", "sc"))  # may start the right part; split after a vowel
_NO_SPLIT = frozenset(["ch", "ck", "gh", "ph", "sh", "th", "wh", "qu", "ng", "fi", "fl"])
_COMPOUND = re.compile(r"(?<=[A-Za-z0-9]{2})-(?=[A-Za-z]{2})")
_LONG_RUN = re.compile(r"[A-Za-z]{8,}")
_ING = re.compile(r"ings?$")


def apply_ligatures(text: str) -> str:
    """`text` with "fi" and "fl" next to a letter set as the single ligature characters."""
    text = re.sub(r"(?<=[A-Za-z])fi|fi(?=[A-Za-z])", LIG_FI, text)
    return re.sub(r"(?<=[A-Za-z])fl|fl(?=[A-Za-z])", LIG_FL, text)


def _is_vowel(word: str, i: int) -> bool:
    c = word[i]
    if c in "yY":
        return i > 0
    return c in _VOWELS


def hyphenation_points(token: str) -> list[tuple[int, bool]]:
    """Break positions in `token` as (index, explicit) pairs, in order.

    `explicit` is True for a break after an existing hyphen (no hyphen is added). Other breaks
    are syllable-like boundaries inside a run of at least 8 letters with at least 3 letters on
    each side; acronyms are never split.
    """
    points = [(m.end(), True) for m in _COMPOUND.finditer(token)]
    for m in _LONG_RUN.finditer(token):
        word = m.group(0)
        if not word.isupper():
            points += [(m.start() + i, False) for i in _syllable_breaks(word)]
    points.sort()
    return points


def _syllable_breaks(word: str) -> list[int]:
    low = word.lower()
    return [i for i in range(3, len(word) - 2) if _breaks_before(low, i)]


def _breaks_before(low: str, i: int) -> bool:
    """Whether the lower-case word `low` may break before its letter `i`."""
    n = len(low)
    right = low[i:]
    if low[i - 1 : i + 1] in _NO_SPLIT or low[i - 1] == low[i] == "e":
        return False
    # Both parts need a vowel; the right one a vowel that is not just a silent final "e"
    # (except consonant + "le").
    if not any(_is_vowel(low, j) for j in range(i)):
        return False
    right_core = right[:-1] if right.endswith("e") else right
    if not any(ch in "aeiouy" for ch in right_core) and not re.fullmatch(r"[^aeiouy]le", right):
        return False
    if right in ("ed", "es", "ly") or len(right) < 3:
        return False
    if right[0] in "xw" or (right[0] == "y" and not _is_vowel(low, min(i + 1, n - 1))):
        return False  # appro-ximately, follo-wing
    ing = _ING.search(low)
    if ing and i > ing.start() - 3 and i != ing.start():
        return False  # distinguish-ing, not distingui-shing
    a, b = _is_vowel(low, i - 1), _is_vowel(low, i)
    nxt = _is_vowel(low, i + 1) if i + 1 < n else False
    pair = low[i : i + 2]
    if a and not b and nxt:
        return True  # V-CV    (na-tion)
    if a and pair in _ONSETS and i + 2 < n and _is_vowel(low, i + 2):
        return True  # V-CCV   (neu-tral, mi-cro)
    if not a and not b:
        # C-C: a vowel close before the break, and the right part starts with a syllable
        # onset; never split an onset cluster that is itself followed by a vowel (neut-ral).
        near_v = any(_is_vowel(low, j) for j in range(max(0, i - 3), i))
        split_cluster = low[i - 1 : i + 1] in _ONSETS and nxt
        if near_v and not split_cluster and (nxt or pair in _ONSETS or pair in _S_CLUSTERS):
            return True  # VC-CV   (sec-tor, con-trol, sanc-tions)
    # strengthen-ing
    return bool(
        ing
        and i == ing.start()
        and n - len(ing.group(0)) >= 5
        and not a
        and not low.endswith(("thing", "things"))
    )
