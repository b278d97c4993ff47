"""What a question asks for: recommendations, an actor's position, a comparison, or a fact."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from .asked_party import asked_holder, core_name, other_forms, short_name


class Intent(str, Enum):  # noqa: UP042 (StrEnum would change str() of members)
    recommendations = "recommendations"
    position = "position"
    comparison = "comparison"
    fact = "fact"


@dataclass(frozen=True)
class Party:
    """A party questions ask about, with the names briefs use for it."""

    name: str
    aliases: tuple[str, ...]


# Parties whose positions briefs report. Aliases match whole words, case-insensitively; the
# adjectives ("Chinese") count because briefs write "Chinese officials argue ...".
PARTIES: tuple[Party, ...] = (
    Party("China", ("china", "beijing", "chinese", "prc", "people's republic of china", "xi")),
    Party("Russia", ("russia", "moscow", "kremlin", "russian", "putin")),
    Party("the United States", ("united states", "us", "u.s.", "washington", "american")),
    Party(
        "the EU",
        ("eu", "european union", "brussels", "european commission", "the commission", "council"),
    ),
    Party("Ukraine", ("ukraine", "kyiv", "ukrainian")),
    Party("Japan", ("japan", "tokyo", "japanese")),
    Party("India", ("india", "new delhi", "indian")),
    Party("Germany", ("germany", "berlin", "german")),
    Party("France", ("france", "paris", "french")),
    Party("the United Kingdom", ("united kingdom", "uk", "britain", "london", "british")),
    Party("Kazakhstan", ("kazakhstan", "astana", "kazakh")),
    Party("Hungary", ("hungary", "budapest", "hungarian")),
    Party("Brazil", ("brazil", "brasilia", "brazilian")),
    Party("Vietnam", ("vietnam", "hanoi", "vietnamese")),
    Party("the African Union", ("african union",)),
    Party("the IMF", ("imf", "international monetary fund")),
    Party("Iran", ("iran", "tehran", "iranian")),
    Party("Israel", ("israel", "israeli")),
    Party("Taiwan", ("taiwan", "taipei", "taiwanese")),
    Party("NATO", ("nato", "north atlantic treaty organization")),
    Party("North Korea", ("north korea", "pyongyang", "dprk")),
)

_COMPARISON = re.compile(
    r"\bwhich (?:of the )?(?:briefs?|papers?|reports?|publications?|authors?)\b|\bcompar\w*|"
    r"\b(?:dis)?agree(?:s|d|ment)?\b|\bdiffer\w*\b|\bacross (?:the )?(?:briefs|papers)\b|"
    r"\b(?:do|does) (?:the|any|all|both|other) (?:briefs|papers)\b|\bhow do (?:the )?briefs\b|"
    r"\bbriefs? (?:that )?(?:discuss|mention|cover|address|deal with)\b|\bcontrast\w*",
    re.IGNORECASE,
)
_RECOMMENDATION = re.compile(
    r"\brecommend\w*|\bpropos\w*|\bsuggest\w*|\badvi[cs]\w*|\burg(?:e|es|ing)\b|\bshould\b|"
    r"\bmust\b|\bought\b|\bcalls? (?:for|on)\b|\bpolicy (?:options|actions|implications|"
    r"responses?)\b|\bwhat (?:can|could|must|to) .{0,60}\bdo\b|\bwhat to do\b|\bway forward\b|"
    r"\bnext steps\b|\bprescri\w*|\bremed\w*|\bhow (?:could|can|should|might|ought) |"
    r"\bwhose (?:job|responsibility|task|role)\b|"
    r"\b(?:brief|paper|report|authors?)\s+(?:\w+\s+)?wants?\b|"
    r"\bwants? (?:the )?[\w-]+(?: [\w-]+)? to\b",
    re.IGNORECASE,
)
_POSITION = re.compile(
    r"\bpositions?\b|\bstance\b|\bviews?\b|\bthinks?\b|\bargues?\b|\bargument\b|\bclaims?\b|"
    r"\bsays?\b|\bstand\b|\bsees?\b|\bperceiv\w*|\battitude\b|\breaction\b|\bnarrative\b|"
    r"\bofficial line\b|\binsists?\b|\bwants?\b|\bobject\w*|\bjustif\w*|\bdescribes?\b|"
    r"\bportray\w*|\bpresents? itself\b|\bdefends?\b|\bresponded\b",
    re.IGNORECASE,
)
# "all the recommendations", "what does the brief recommend (the EU do)?" with no topic after.
_WANTS_ALL = re.compile(
    r"\b(?:list|summari[sz]e|enumerate|every|all|full|complete|each)\b|"
    r"\b(?:which|what) (?:measures|steps|actions|proposals|policies)\b|"
    r"\b(?:all|every|full list of|list (?:of )?|main|key|complete)\b.{0,20}"
    r"\b(?:recommendations|proposals)\b|\bwhat are (?:the|its|their) (?:policy )?"
    r"(?:recommendations|proposals)\b|\brecommendations (?:of|in|from|made (?:by|in))\b|"
    r"\bwhat (?:does|do) .{0,80}\brecommend(?: (?:that )?(?:the )?[\w-]+(?: [\w-]+){0,2} "
    r"(?:do|does|to do))?\s*\??\s*$|\bwhat .{0,60}\b(?:recommend|propose)s?\s*\??\s*$",
    re.IGNORECASE,
)
_ABOUT_AUTHORS = re.compile(
    r"^(?:what|how) (?:does|do) (?:the )?(?:brief|briefs|paper|report|authors?)\b", re.I
)


@dataclass(frozen=True)
class ReadQuestion:
    """What the answer layer needs to know about a question."""

    intent: Intent
    party: Party | None = None  # the actor of a position question
    wants_all: bool = False  # every recommendation of the named brief(s), not the closest few
    # The party was read from how the question asks ("What did DOE dispute"), not from a word
    # for a position ("China's stance"): with no view of it reported, the sentences that answer
    # may still come from passages that name it.
    asked_by_verb: bool = False


def read_question(question: str, actors: Collection[str] = ()) -> ReadQuestion:
    """The question's intent, its party, and whether it asks for a brief's whole list.
    `actors` are the holders of the positions the briefs report: a question naming one of them
    ("What did NMFS find?") asks about that party even when we keep no aliases for it."""
    text = " ".join(question.split())
    holder = asked_holder(text)
    asked = _party_named(holder) if holder else None
    reported = _reported_party(text, actors)
    if (
        asked is not None
        and asked not in PARTIES
        and reported is not None
        and reported.name.lower() in asked.aliases
    ):
        asked = reported  # the name as the briefs print it ("Center for Biological Diversity")
    party = asked or _party(text) or reported
    comparison = _COMPARISON.search(text)
    if comparison and not (asked is not None and comparison.group(0).lower().startswith("compar")):
        # "How does EIA judge X compared with Y" asks EIA's view, not for a comparison of briefs.
        return ReadQuestion(Intent.comparison, party)
    asks_recommendation = bool(_RECOMMENDATION.search(text))
    # "What should the EU do about China's position?" asks for recommendations.
    if asked is not None and holder is not None:
        # "How did DOE respond to GAO's recommendation?" asks DOE's view; "What should the EU
        # recommend ... say" asks for a recommendation.
        recommendation = _RECOMMENDATION.search(text)
        if recommendation is None or recommendation.start() > text.find(holder):
            return ReadQuestion(Intent.position, party, asked_by_verb=True)
    if party is not None and _WHY_PARTY.search(text) and _known_party(text) is party:
        # "Why will Moscow not negotiate ...": the party's reasons are its position.
        return ReadQuestion(Intent.position, party)
    if (
        party is not None
        and _holds_position(text, party)
        and not (asks_recommendation and _recommendation_first(text))
    ):
        return ReadQuestion(Intent.position, party)
    if asks_recommendation:
        return ReadQuestion(Intent.recommendations, party, bool(_WANTS_ALL.search(text)))
    return ReadQuestion(Intent.fact, party)


# Words naming a part of a government ("foreign ministry", "trade officials").
_ORGAN_WORDS = frozenset(
    [
        "foreign",
        "trade",
        "commerce",
        "finance",
        "economy",
        "economic",
        "defence",
        "defense",
        "state",
        "central",
        "military",
        "diplomatic",
        "affairs",
        "security",
        "ministry",
    ]
)

_WHY_PARTY = re.compile(
    r"^[Ww]hy (?:will|would|does|do|did|has|have|is|are|was|were|won['’]t|doesn['’]t|didn['’]t)\s+"
    r"(?:the\s+)?[A-Z]",
)


def _party_named(holder: str) -> Party:
    """The party a holder phrase names: a known party when the phrase is one of its names
    ("Russian officials", "Beijing"), else the phrase itself, with its core as a second name
    ("Agriculture officials" -> "Agriculture")."""
    core = core_name(holder)
    for party in PARTIES:
        if core.lower() in party.aliases or holder.lower() in party.aliases:
            return party
    # "the head of the European Commission", "the president of Russia".
    owner = re.search(r"\bof (?:the )?(.+)$", core.lower())
    if owner:
        for party in PARTIES:
            if owner.group(1) in party.aliases:
                return party
    # "the Chinese foreign ministry", "Russian defence officials": a known party's organ.
    first, *rest = core.lower().split() or [""]
    if rest and all(w in _ORGAN_WORDS for w in rest):
        for party in PARTIES:
            if first in party.aliases:
                return party
    names = [holder, core, short_name(core), *other_forms(core), *other_forms(holder)]
    # "the head of the seabed authority": the body the holder heads speaks through it.
    owner = re.search(r"\bof (?:the )?(.+)$", core)
    if owner:
        names.append(owner.group(1))
    return Party(holder, tuple(dict.fromkeys(n.lower() for n in names if n)))


_NAMED_HOLDER = re.compile(
    r"(?P<name>[A-Z][\w-]+(?: [A-Z][\w-]+)*)['’]s\s+(?:official\s+|stated\s+|own\s+)?"
    r"(?:position|stance|views?|attitude|reaction|response)\b"
)


def _party(text: str) -> Party | None:
    # "Brazil's position": a party we keep no aliases for still holds the position asked about.
    holder = _NAMED_HOLDER.search(text)
    if holder and not _known_party(holder.group("name")):
        name = holder.group("name")
        return Party(name, (name.lower(),))
    return _known_party(text)


# Words that open sentences and get caught as the holder of a position ("To view ...").
_NOT_HOLDERS = frozenset(
    [
        "to",
        "having",
        "it",
        "this",
        "that",
        "these",
        "those",
        "they",
        "we",
        "he",
        "she",
        "there",
        "here",
        "in",
        "on",
        "as",
        "by",
        "for",
        "with",
        "according",
        "however",
        "while",
        "although",
        "when",
        "government",
        "authors",
    ]
)


@dataclass(frozen=True)
class _Holder:
    party: Party
    pattern: re.Pattern[str]


@lru_cache(maxsize=8)
def _holders(actors: frozenset[str]) -> dict[str, tuple[_Holder, ...]]:
    """The reported holders by the first word of their name (lower case), each with its
    compiled pattern: built once per set of actors, not once per question."""
    found: dict[str, list[_Holder]] = {}
    for actor in actors:
        core = re.sub(r"^the\s+", "", actor.strip(), flags=re.IGNORECASE)
        first = re.match(r"[\w-]+", core)
        if len(core) < 2 or core.lower() in _NOT_HOLDERS or not core[0].isupper() or not first:
            continue
        flags = 0 if core.isupper() else re.IGNORECASE
        pattern = re.compile(rf"(?<![\w-]){re.escape(core)}(?:['’]s)?(?![\w-])", flags)
        holder = _Holder(Party(core, (core.lower(),)), pattern)
        found.setdefault(first.group(0).lower(), []).append(holder)
    return {word: tuple(holders) for word, holders in found.items()}


def _reported_party(text: str, actors: Collection[str]) -> Party | None:
    """The earliest (then longest) reported holder the question names: acronyms as written,
    other names in any case."""
    if not actors:
        return None
    holders = _holders(frozenset(actors))
    words = {w.lower() for w in re.findall(r"[\w-]+", text)}
    best: tuple[int, int, Party] | None = None
    for word in words & holders.keys():
        for holder in holders[word]:
            match = holder.pattern.search(text)
            name = holder.party.name
            if match and (best is None or (match.start(), -len(name)) < (best[0], -best[1])):
                best = (match.start(), len(name), holder.party)
    return best[2] if best else None


def _known_party(text: str) -> Party | None:
    lowered = text.lower()
    best: tuple[int, Party] | None = None
    for party in PARTIES:
        for alias in party.aliases:
            match = re.search(rf"(?<![\w-]){re.escape(alias)}(?:['’]s)?(?![\w-])", lowered)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), party)
    return best[1] if best else None


_STANCE_NOUNS = (
    r"(?:position|stance|views?|attitude|narrative|line|reaction|response|claims?|argument|"
    r"objections?|interests?|reasoning|rationale|justification|demands?)"
)
_STANCE_VERBS = (
    r"(?:say|said|think|argue|want|see|view|claim|insist|describe|portray|present|justify|"
    r"object|respond|responded|react|reacted|stand|regard|perceive|characteri[sz]e|defend|"
    r"demand|demanded|treat|take|taken|frame|explain)"
)
_HOLDS = (
    r"{a}(?:['’]s)?\s+(?:official\s+|stated\s+|own\s+|public\s+)?" + _STANCE_NOUNS + r"\b",
    r"\b(?:does|do|did|has|have|would|is|are|was|were)\s+"
    r"(?:(?!brief|paper|report|authors?\b)[\w'’-]+\s+){{0,5}}?{a}\s+"
    r"(?:(?:foreign\s+|trade\s+|commerce\s+)?(?:government|officials|leaders|leadership|"
    r"authorities|president|ministry|minister|spokesperson)\s+)?" + _STANCE_VERBS + r"\b",
    r"\b" + _STANCE_NOUNS + r" (?:has|have|does|did|do) (?:the\s+)?{a}\b",
    r"\bposition of (?:the\s+)?{a}\b|\baccording to (?:the\s+)?{a}\b",
    r"^(?:the\s+)?{a}\s+(?:says|said|argues|claims|insists|maintains)\b",
)


def _holds_position(text: str, party: Party) -> bool:
    """True when the question asks what the party itself holds ("China's position", "what does
    Beijing say"), not what a brief says about it ("the brief's position on China")."""
    lowered = text.lower()
    for alias in party.aliases:
        a = rf"(?<![\w-]){re.escape(alias)}(?![\w-])"
        if any(re.search(p.format(a=a), lowered) for p in _HOLDS):
            return True
    return False


def _recommendation_first(text: str) -> bool:
    rec = _RECOMMENDATION.search(text)
    pos = _POSITION.search(text)
    return rec is not None and (pos is None or rec.start() < pos.start())


def actor_matches(actor: str | None, party: Party) -> bool:
    """True when a statement's actor ("Beijing", "Chinese officials") is the party."""
    if not actor:
        return False
    lowered = actor.lower()
    return any(
        re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", lowered) for alias in party.aliases
    )
