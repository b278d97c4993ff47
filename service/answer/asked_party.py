"""The party whose view a question asks for, read from its wording: "What did DOE dispute ...",
"How did the Energy Department respond ...", "According to the ISA, ...".

Real papers report agencies, courts, companies and groups that no list of countries names; the
question itself says who holds the view: the noun phrase between an auxiliary ("did", "does")
and a verb of saying or thinking.
"""

from __future__ import annotations

import re

# Verbs of saying, thinking and judging, as questions put them after "did X" / "does X".
STANCE_VERB = (
    r"(?:say|said|think|thought|argue|argued|claim|claimed|conclude|concluded|dispute|disputed|"
    r"object|objected|believe|believed|expect|expected|anticipate|anticipated|see|seen|view|"
    r"viewed|describe|described|respond|responded|add|added|contend|contended|maintain|"
    r"maintained|assert|asserted|warn|warned|state|stated|comment|commented|consider|considered|"
    r"deny|denied|acknowledge|acknowledged|agree|agreed|disagree|disagreed|allege|alleged|"
    r"assess|assessed|portray|portrayed|characteri[sz]e|characteri[sz]ed|justify|justified|"
    r"oppose|opposed|insist|insisted|reason|reasoned|posit|posited|explain|"
    r"explained|treat|regard|emphasi[sz]e|emphasi[sz]ed|note|noted|fear|feared|reject|"
    r"rejected|critici[sz]e|critici[sz]ed|welcome|welcomed|question|questioned|find|found|"
    r"concede|conceded|admit|admitted|credit|credited|judge|judged|offer|offered|point out|"
    r"pointed out|make of|made of|put|estimate|estimated|call|called)"
)
_AUX = r"(?:does|do|did|has|have|had|would|will|is|are|was|were)"
_ADVERB = r"(?:(?:not|never|generally|publicly|officially|also|still|ever|really|first)\s+)?"
_ASKED = re.compile(
    rf"\b{_AUX}\s+(?P<np>(?:[\w.,'’&-]+\s+){{0,8}}?[\w.'’&-]+)\s+{_ADVERB}{STANCE_VERB}\b",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"\b(?:[Aa]ccording to|[Ii]n the (?:view|opinion|eyes) of)\s+(?P<np>(?:the\s+)?[A-Z][\w.'’&-]*"
    r"(?:\s+(?:of|for|and|on|the|[A-Z][\w.'’&-]*))*)",
)
_A_DOCUMENT = re.compile(r"['’]?s?\s+(?:brief|briefs|paper|papers|report|reports|study|analysis)\b")
_IN_VIEW = re.compile(
    r"\b[Ii]n\s+(?P<np>(?:the\s+)?[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)['’]s?\s+(?:view|opinion|eyes)\b"
)
_ASKS_ACTION = re.compile(r"(?:suggest|recommend|propos|urg|advis|want)\w*$")
_FUNCTION_WORDS = frozenset(
    ["of", "for", "to", "in", "on", "at", "by", "the", "a", "an", "and", "or"]
)
# Who within a party voices its view: part of naming the party, not the party itself.
HOLDER_WORDS = frozenset(
    [
        "officials",
        "official",
        "president",
        "head",
        "representatives",
        "leaders",
        "leadership",
        "government",
        "authorities",
        "members",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "ministry",
        "minister",
        "staff",
    ]
)
# Words that open noun phrases which are never the holder of a view.
_NOT_PARTIES = frozenset(
    [
        "it",
        "its",
        "they",
        "them",
        "he",
        "she",
        "we",
        "you",
        "i",
        "this",
        "that",
        "these",
        "those",
        "there",
        "what",
        "which",
        "who",
        "whom",
        "how",
        "why",
        "when",
        "where",
        "any",
        "some",
        "many",
        "most",
        "all",
        "each",
        "either",
        "both",
        "one",
    ]
)
# Heads of noun phrases that are documents, laws or numbers, not parties with views.
_NOT_PARTY_HEADS = frozenset(
    [
        "brief",
        "briefs",
        "paper",
        "papers",
        "report",
        "reports",
        "study",
        "studies",
        "law",
        "laws",
        "act",
        "acts",
        "bill",
        "bills",
        "rule",
        "rules",
        "section",
        "sections",
        "plan",
        "plans",
        "data",
        "table",
        "figure",
        "chart",
        "estimate",
        "estimates",
        "analysis",
        "analyses",
        "model",
        "models",
        "survey",
        "surveys",
        "document",
        "documents",
        "guidelines",
        "guidance",
        "text",
        "treaty",
        "treaty's",
        "agreement",
        "program",
        "programme",
        "proposal",
        "proposals",
        "legislation",
        "provision",
        "provisions",
        "order",
        "orders",
        "article",
        "articles",
        "regulation",
        "regulations",
        "authors",
        "author",
        "literature",
        "evidence",
        "research",
        "results",
        "result",
        "number",
        "numbers",
        "rate",
        "rates",
        "points",
        "issues",
        "questions",
        "options",
        "measures",
        "steps",
        "risks",
    ]
)


def asked_holder(question: str) -> str | None:
    """The noun phrase naming whose view the question asks for, as written (without a leading
    "the"), or None when it names no such holder."""
    text = " ".join(question.split())
    for pattern in (_ACCORDING, _IN_VIEW, _ASKED):
        for match in pattern.finditer(text):
            if _A_DOCUMENT.match(text, match.end()):
                continue  # "according to the Northbridge brief": the brief, not a party
            phrase = _holder_phrase(match.group("np"))
            if phrase:
                return phrase
    return None


def _holder_phrase(phrase: str) -> str | None:
    if re.search(r"['’]s?$", phrase):
        return None  # "is China's view": a possessive before a noun, not a holder and a verb
    words = phrase.strip(" ,").split()
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    if not words or words[0].lower() in _NOT_PARTIES:
        return None
    bare = [w.strip(",.'’").lower() for w in words]
    if any(w in _NOT_PARTIES for w in bare[:1]) or bare[-1] in _NOT_PARTY_HEADS:
        return None
    # "the firms that applied to NOAA": the head noun phrase, before a relative clause.
    for i, word in enumerate(bare):
        if word in ("that", "which", "who", "whose") and i > 0:
            words, bare = words[:i], bare[:i]
            break
    if any(w in _NOT_PARTY_HEADS for w in bare) or any(w[:1].isdigit() for w in bare):
        return None
    if bare[-1] in _FUNCTION_WORDS or bare[0] in ("main", "key", "other"):
        return None  # "are the main points of dispute": a noun phrase, not a holder
    if any(_ASKS_ACTION.match(w) for w in bare):
        return None  # "did the office suggest lawmakers consider": a recommendation
    return " ".join(words).strip(",")


# Words an organisation's full name adds to what people call it ("the Interior Department"
# is what a paper calls "Interior" or "the Department of the Interior").
ORGANISATION_WORDS = frozenset(
    [
        "department",
        "agency",
        "office",
        "administration",
        "service",
        "bureau",
        "ministry",
        "commission",
        "authority",
        "board",
        "committee",
        "council",
        "u.s.",
        "us",
        "united",
        "states",
        "federal",
        "national",
    ]
)


def short_name(name: str) -> str:
    """A capitalised name without the words every organisation's name has: "Interior
    Department" -> "Interior" (empty when nothing capitalised is left)."""
    words = [w for w in name.split() if w.lower().strip(".") not in ORGANISATION_WORDS]
    if words and all(w[:1].isupper() for w in words) and len(words) < len(name.split()):
        return " ".join(words)
    return ""


def other_forms(name: str) -> list[str]:
    """Other ways a paper writes a holder: "Defense Secretary" as "Secretary of Defense",
    "Energy Department" as "Department of Energy"; "Louisiana and the oil industry" as each
    of its parts; "committee members" also as "members"."""
    words = name.split()
    forms: list[str] = []
    if len(words) == 2 and all(w[:1].isupper() for w in words):
        forms += [f"{words[1]} of {words[0]}", f"{words[1]} of the {words[0]}"]
    parts = re.split(r"\s+(?:and|&)\s+", name)
    if len(parts) > 1:
        forms += [re.sub(r"^the\s+", "", p, flags=re.IGNORECASE) for p in parts]
    if len(words) > 1 and words[-1].lower() in HOLDER_WORDS:
        forms.append(words[-1])
    return forms


def core_name(name: str) -> str:
    """The party a holder phrase names, without the people who voice its view: "Russian
    officials" -> "Russian", "Belarus's president" -> "Belarus", "renewable energy industry
    representatives" -> "renewable energy industry"."""
    words = [w for w in name.split() if w.lower() not in HOLDER_WORDS]
    return re.sub(r"['’]s$", "", " ".join(words))
