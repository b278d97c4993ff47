"""Questions that ask for a value (an amount, a count, a date, a name), and whether an answer
gives one: an answer that talks about the subject without the value does not answer them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .coverage import STEM_LETTERS, generic_word, missing_terms

_AMOUNT_START = re.compile(
    r"^\s*(?:roughly\s+|approximately\s+|about\s+)?(?:how (?:many|much|long|large|big|high|far|"
    r"fast|old)|what (?:[\w'’-]+\s+){0,3}?(?P<noun>rate|price|share|percentage|proportion|amount|"
    r"number|fine|fee|sum|value|volume|capacity|cost|tariff level|level|revenue|budget|"
    r"turnover|profit|premium|payment|spending|expenditure)s?\b|by how (?:much|many))",
    re.IGNORECASE,
)
# "What did the training run cost in US dollars?": the unit names an amount wherever it stands.
_AMOUNT_UNIT = re.compile(
    r"\b(?:in|how many) (?:us |american )?(?:dollars|euros|yuan|renminbi|per ?cent|percent|"
    r"tonnes|tons|gigawatts|megawatts|kilometres|kilometers|miles)\b|\bwhat did .{1,80} cost\b",
    re.IGNORECASE,
)
# An amount of money is asked for ("How much does Russia spend", "what premium ... paying"):
# the answer must give one, not any number.
_MONEY_ASKED = re.compile(
    r"\b(?:spend|spends|spent|spending|cost|costs|costing|dollars|euros|yuan|rubles|roubles|"
    r"premiums?|prices?|fees?|fines?|budgets?|revenues?|pay|paid|paying|payments?|wages?|"
    r"salar(?:y|ies)|expenditures?|worth)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\b(?:US\$|USD|EUR|RMB|CNY|GBP)\s?\d|\d[\d,.]*\s*(?:million|billion|trillion|bn|m|"
    r"k)?\s*(?:US |U\.S\. |American )?(?:dollars|euros|yuan|renminbi|rubles|roubles|pounds)\b",
    re.IGNORECASE,
)
# A rate or a share is asked for: the answer gives a percentage or a fraction.
_SHARE_ASKED = re.compile(
    r"\b(?:rates?|shares?|percentages?|proportions?|per ?cent)\b", re.IGNORECASE
)
_SHARE = re.compile(
    r"%|\bper ?cent\b|\bpercentage points?\b|\b(?:half|third|quarter|fifth|tenth)s?\b|"
    r"\bone in \w+\b|\bper (?:\d|one|every|capita)",
    re.IGNORECASE,
)
_DATE_START = re.compile(
    r"^\s*(?:when|on what date|in what year|in which year|what year|by when|since when)\b",
    re.IGNORECASE,
)
_NAME_START = re.compile(
    r"^\s*(?:what (?:is|was) the name of|who (?:is|was|are|were|heads|headed|leads|led|runs))\b",
    re.IGNORECASE,
)
# "How many freight trains ran ...": the counted thing, up to a verb or a preposition.
_COUNTED = re.compile(
    r"^\s*how many (?P<thing>(?:[\w-]+ ){0,3}?[\w-]+)(?= (?:are|were|is|was|"
    r"did|do|does|has|have|had|will|would|can|could|of|in|on|at|for|from|"
    r"between|across|to|by|per|ran|run|operate|operated)\b)",
    re.IGNORECASE,
)
# "How much subsidy did ...": the thing measured, named right after "how much".
_MEASURED = re.compile(
    r"^\s*how much (?P<thing>[\w-]+(?: [\w-]+)?) (?=did|does|do|has|have|had|was|is|will)\b",
    re.IGNORECASE,
)
_SECOND_QUESTION = re.compile(
    r"\band (?:why|what|how|which|who|when|where|by when)\b", re.IGNORECASE
)
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
)
_MONTH = re.compile(rf"\b{_MONTHS}\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# A number standing alone: not part of a name like "H800" or "V3", and not a day of a month.
_NUMBER = re.compile(rf"(?<![\w.,])\d[\d,.]*(?![\w])(?! {_MONTHS}\b)", re.IGNORECASE)
_NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|sixty|hundred|thousand|million|billion|trillion|dozen|half|third|quarter|"
    r"fifth|tenth|per cent|percent)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Names compare on fewer letters: "Asian" meets "Asia".
NAME_LETTERS = 4
# Words after a number that still belong to it ("4.5 million tonnes").
_WITHIN = 3


def lacks_asked_value(
    question: str, answer_texts: Iterable[str], names: Sequence[str] = ()
) -> bool:
    """True when the question asks for an amount, a count, a date or a name and no answer
    sentence gives one: an amount is a number that is not a year (or a number word); a count of
    things is such a number within a few words before the things, and an amount of a thing
    ("how much subsidy") one in a sentence naming it; a date a year or a month; a name a run of
    capitalised words the question does not contain. With `names` (the places and bodies the
    question names, as `specific_terms` gives them), the sentence giving the value must
    mention one of them: a date of another plant does not date this one."""
    texts = list(answer_texts)
    if _SECOND_QUESTION.search(question):
        return False  # "how much ..., and why ...": the answer may rightly lead with the why
    if names:
        texts = [t for t in texts if len(missing_terms(names, [t])) < len(names)]
    text = " ".join(texts)
    counted = _COUNTED.match(question)
    if counted:
        return not _counts(counted.group("thing"), text)
    measured = _MEASURED.match(question)
    if measured:
        return not any(_amounts(t) and _names_thing(measured.group("thing"), t) for t in texts)
    amount = _AMOUNT_START.match(question)
    noun = amount.group("noun") if amount else None
    if amount and noun and noun.isupper():
        amount = None  # "What would the PRICE Act require": a name, not a price
    if amount or _AMOUNT_UNIT.search(question):
        kind = _asked_kind(question, noun.lower() if noun else None)
        if kind == "money":
            return not _MONEY.search(text)
        if kind == "share":
            return not _SHARE.search(text)
        return not _amounts(text) and not _NUMBER_WORDS.search(text)
    if _DATE_START.match(question):
        years = [n for n in _NUMBER.findall(text) if _YEAR.match(n.strip(",."))]
        return not years and not _MONTH.search(text)
    if _NAME_START.match(question):
        return not _new_names(question, texts)
    return False


_SHARE_NOUNS = frozenset(["rate", "share", "percentage", "proportion"])
_MONEY_NOUNS = frozenset(
    [
        "price",
        "fine",
        "fee",
        "cost",
        "revenue",
        "budget",
        "turnover",
        "profit",
        "premium",
        "payment",
        "spending",
        "expenditure",
    ]
)


def _asked_kind(question: str, noun: str | None) -> str | None:
    """What kind of amount the question asks for: "share" (a rate, a share), "money", or None
    (any number). The noun after "what" decides ("what corporate rate"); after "how much" the
    question's other words do ("how much does Russia spend")."""
    if noun in _SHARE_NOUNS:
        return "share"
    if noun in _MONEY_NOUNS:
        return "money"
    if noun is None and _MONEY_ASKED.search(question):
        return "money"
    if noun is None and _SHARE_ASKED.search(question):
        return "share"
    return None


def _names_thing(thing: str, sentence: str) -> bool:
    wanted = {w.lower()[:STEM_LETTERS] for w in _WORD.findall(thing) if not generic_word(w)}
    return not wanted or bool(wanted & {w.lower()[:STEM_LETTERS] for w in _WORD.findall(sentence)})


def _amounts(text: str) -> list[str]:
    return [n for n in _NUMBER.findall(text) if not _YEAR.match(n.strip(",."))]


def _counts(thing: str, text: str) -> bool:
    """A number (or number word) followed within a few words by a word of the counted thing."""
    wanted = {w.lower()[:STEM_LETTERS] for w in _WORD.findall(thing) if not generic_word(w)}
    if not wanted:
        return bool(_amounts(text) or _NUMBER_WORDS.search(text))
    for match in list(_NUMBER.finditer(text)) + list(_NUMBER_WORDS.finditer(text)):
        if _YEAR.match(match.group(0).strip(",.")):
            continue
        after = _WORD.findall(text[match.end() : match.end() + 80])[:_WITHIN]
        if wanted & {w.lower()[:STEM_LETTERS] for w in after}:
            return True
    return False


def _new_names(question: str, sentences: list[str]) -> bool:
    """Whether a sentence names someone or something the question does not: a run of two or
    more capitalised words (not opening the sentence), one of them new and not generic."""
    asked = {w.lower()[:NAME_LETTERS] for w in _WORD.findall(question)}
    for sentence in sentences:
        run: list[str] = []
        for word in [*_WORD.findall(sentence)[1:], "."]:
            if word[0].isupper():
                run.append(word)
                continue
            if len(run) >= 2 and any(
                w.lower()[:NAME_LETTERS] not in asked and not generic_word(w) for w in run
            ):
                return True
            run = []
    return False
