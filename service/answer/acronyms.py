"""Acronyms a paper defines ("the Department of Energy (DOE)") and the names of a party they
join: a question about "the Energy Department" is about what the paper calls DOE."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .asked_party import HOLDER_WORDS, ORGANISATION_WORDS
from .intent import Party

_DEFINED = re.compile(
    r"((?:[A-Z][\w’'.&-]*|of|for|and|the|on|de|du)(?:\s+(?:[A-Z][\w’'.&-]*|of|for|and|the|on|de|"
    r"du)){0,8})\s+\(([A-Z][A-Za-z&]{1,7})\)"
)
_MINOR = frozenset(["of", "for", "and", "the", "on", "de", "du"])


def acronym_definitions(texts: Iterable[str]) -> dict[str, str]:
    """Acronym -> the full name it stands for, as the texts define them ("Court of
    International Trade (CIT)"); the first definition of an acronym wins."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _DEFINED.finditer(text):
            acronym = match.group(2)
            if acronym in found:
                continue
            name = _spelled_out(match.group(1).split(), acronym)
            if name:
                found[acronym] = name
    return found


def _initial(word: str) -> str:
    letters = [p[0] for p in word.split(".") if p] if "." in word.rstrip(".") else [word[0]]
    return "".join(letters)


def _spelled_out(words: list[str], acronym: str) -> str | None:
    """The shortest tail of `words` whose initials spell the acronym (minor words counted or
    not: "Department of Energy" gives DOE, "Court of International Trade" CIT)."""
    wanted = acronym.upper()
    for start in range(len(words) - 1, -1, -1):
        tail = words[start:]
        if tail[0].lower() in _MINOR:
            continue
        for with_minor in (False, True):
            initials = "".join(
                _initial(w) for w in tail if with_minor or w.lower() not in _MINOR
            ).upper()
            if initials == wanted:
                return " ".join(tail)
    return None


def _content(name: str) -> frozenset[str]:
    words = (w.strip(".,'’").lower() for w in name.split())
    return frozenset(w for w in words if w and w not in _MINOR and w not in HOLDER_WORDS)


def widened(party: Party, definitions: dict[str, str]) -> Party:
    """The party with the acronyms and full names the texts define for it: an alias that is an
    acronym adds its full name, and a name that is a full name (its words, give or take the
    words every organisation's name has) adds the acronym."""
    aliases = list(party.aliases)
    for acronym, name in definitions.items():
        full = _content(name)
        for alias in party.aliases:
            asked = _content(alias) - {"u.s", "us"}
            # Two words of the full name are enough ("the trade court" is the Court of
            # International Trade); one must be all but the organisation words.
            same = alias == acronym.lower() or (
                bool(asked)
                and asked <= full
                and (len(asked) >= 2 or full - asked <= ORGANISATION_WORDS)
            )
            if same:
                aliases += [acronym.lower(), name.lower()]
                break
    return Party(party.name, tuple(dict.fromkeys(aliases)))
