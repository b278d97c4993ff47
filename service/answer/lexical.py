"""Content words of questions and sentences, compared on their first letters."""

from __future__ import annotations

import re

# Words that carry no content: articles, pronouns, auxiliaries, prepositions, conjunctions and
# question words.
_FUNCTION_WORDS = frozenset(
    """a an the of and or nor but if then than so as at by for from in into on onto to with
    without about above below over under between among after before during while since until
    is are was were be been being am do does did done has have had having will would shall
    should can could may might must ought not no yes it its this that these those there here
    what which who whom whose when where why how i we you he she they me us him her them my
    our your his their all any each every both either neither some such other others more most
    much many also only very just too own same""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z0-9]+")
# Words compare on their first letters, so "subsidies" meets "subsidised" ("Hungary" meets
# "Hungarian").
STEM_LETTERS = 5


def content_words(text: str) -> frozenset[str]:
    """Stems of the words of three letters or more that are not function words."""
    return frozenset(
        w[:STEM_LETTERS]
        for w in _WORD.findall(text.lower())
        if len(w) > 2 and w not in _FUNCTION_WORDS
    )
