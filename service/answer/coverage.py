"""The specific things a question names (places, organisations, programmes, years) that the
passages of an answer must mention for the answer to be about them.

Sentence embeddings blur specifics: "anti-subsidy duties on Chinese wind turbines" sits close
to sentences about duties on Chinese solar modules, and "rare earth mining in Greenland" close
to rare earth mining elsewhere. A near miss like these names something the cited passages never
mention; an answerable question names things its answer passages do mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .intent import PARTIES

# Capitalised words that name the corpus's common ground (or start questions), not a specific.
_GENERIC = frozenset(
    [
        "eu",
        "european",
        "europe",
        "europeans",
        "china",
        "chinese",
        "beijing",
        "brussels",
        "union",
        "commission",
        "council",
        "prc",
        "what",
        "which",
        "how",
        "why",
        "when",
        "where",
        "who",
        "whom",
        "whose",
        "does",
        "do",
        "did",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "should",
        "could",
        "would",
        "will",
        "can",
        "may",
        "might",
        "must",
        "the",
        "a",
        "an",
        "in",
        "on",
        "for",
        "to",
        "and",
        "or",
        "of",
        "if",
        "as",
        "at",
        "by",
        "with",
        "from",
        "about",
        "according",
        "brief",
        "briefs",
        "paper",
        "papers",
        "report",
        "reports",
        "policy",
        "northbridge",
        "member",
        "states",
        "state",
        "authors",
        "author",
        "recommendation",
        "recommendations",
        "position",
        "positions",
        "list",
        "give",
        "compare",
        "name",
        "i",
        "we",
        "they",
        "it",
        "this",
        "that",
        "these",
        "those",
        "there",
    ]
)


def generic_word(word: str) -> bool:
    """True for the corpus's common ground and question words ("EU", "Chinese", "which")."""
    return word.lower() in _GENERIC


_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*|\d[\d,.]*\d|\d")
_WORD = re.compile(r"[a-z0-9]+")
# Words compare on their first letters so "Hungary" meets "Hungarian" and "Serbia" "Serbian".
STEM_LETTERS = 5


# Names a brief may write another way.
_ALIASES = {
    "us": ("united states", "american", "washington", "u.s"),
    "usa": ("united states", "american", "washington"),
    "uk": ("united kingdom", "british", "britain"),
    "dutch": ("netherlands",),
    "netherlands": ("dutch",),
}


def specific_terms(question: str, ignore: Iterable[str] = ()) -> list[str]:
    """The names (runs of capitalised words) and numbers of two digits or more that
    the question names, leaving out words in `ignore` (e.g. the title words that named the
    brief). A run of several words is one term: "European Court of Auditors" -> "court auditors"."""
    ignored = {w.lower() for text in ignore for w in _WORD.findall(text.lower())}
    terms: list[str] = []
    run: list[str] = []
    for i, token in enumerate(_TOKEN.findall(question)):
        word = re.sub(r"['’]s$", "", token).strip("'’-")
        lowered = word.lower()
        # Acronyms are left out: briefs often spell them out ("deep ultraviolet" for DUV).
        is_name = (
            bool(word)
            and not word[0].isdigit()
            and word[0].isupper()
            and i > 0
            and not (word.isupper() and len(word) >= 2)
        )
        if is_name or (run and lowered in ("of", "for", "the", "de")):
            if lowered not in _GENERIC and lowered not in ignored:
                run.append(lowered)
            continue
        if run:
            terms.append(" ".join(run))
            run = []
        if word and word[0].isdigit() and len(re.sub(r"\D", "", word)) >= 2:
            terms.append(re.sub(r"[,.]$", "", lowered))
    if run:
        terms.append(" ".join(run))
    return list(dict.fromkeys(t for t in terms if t))


def _party_named_elsewise(word: str, text: str) -> bool:
    """True when `word` is one name of a party ("Tehran", "American") and the text uses
    another of its names ("Iran", "U.S.")."""
    for party in PARTIES:
        if word in party.aliases:
            return any(
                re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text)
                for alias in party.aliases
                if len(alias) > 2
            )
    return False


def missing_terms(terms: Iterable[str], texts: Iterable[str]) -> list[str]:
    """The terms no text mentions: numbers exactly; a name when one of its words (compared on
    their stems, or by a known alias) occurs nowhere."""
    joined = " ".join(texts).lower()
    stems = {w[:STEM_LETTERS] for w in _WORD.findall(joined)}
    missing = []
    for term in terms:
        if term[0].isdigit():
            found = term in joined
        else:
            words = [
                w
                for w in re.split(r"[-\s]", term)
                if w and w not in ("of", "and", "for", "the", "de")
            ]
            found = all(
                w[:STEM_LETTERS] in stems
                or any(a in joined for a in _ALIASES.get(w, ()))
                or _party_named_elsewise(w, joined)
                for w in words
            )
        if not found:
            missing.append(term)
    return missing


# Words of questions that carry no topic: question words, the corpus's common ground and the
# wording of asking for recommendations or positions.
_NOT_TOPICAL = _GENERIC | frozenset(
    [
        "brief's",
        "briefs'",
        "say",
        "says",
        "said",
        "tell",
        "think",
        "argue",
        "argues",
        "argued",
        "recommend",
        "recommends",
        "recommended",
        "propose",
        "proposes",
        "proposed",
        "suggest",
        "suggests",
        "should",
        "would",
        "could",
        "must",
        "want",
        "wants",
        "need",
        "needs",
        "make",
        "makes",
        "made",
        "take",
        "takes",
        "doing",
        "done",
        "main",
        "key",
        "kind",
        "sort",
        "way",
        "ways",
        "more",
        "most",
        "much",
        "many",
        "other",
        "others",
        "some",
        "such",
        "than",
        "then",
        "them",
        "their",
        "theirs",
        "into",
        "onto",
        "over",
        "under",
        "between",
        "after",
        "before",
        "during",
        "while",
        "also",
        "only",
        "just",
        "very",
        "whether",
        "respond",
        "response",
        "approach",
        "approaches",
        "deal",
        "deals",
        "handle",
        "address",
        "addresses",
        "regarding",
        "concerning",
        "about",
        "against",
        "towards",
        "toward",
    ]
)


def question_words(text: str) -> list[str]:
    """The words of four letters or more that say what a question is about, in order, once."""
    words = (w for w in _WORD.findall(text.lower()) if len(w) >= 4 and w not in _NOT_TOPICAL)
    return list(dict.fromkeys(words))


def topical_stems(text: str) -> set[str]:
    """Stems of the words of four letters or more that say what a question is about."""
    return {w[:STEM_LETTERS] for w in question_words(text)}
