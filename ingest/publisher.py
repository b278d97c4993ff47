"""Who published a brief: the organisation named in the PDF's author field or on its first and
last pages ("Congressional Research Service", "European Data Protection Board"), and the
acronym the document itself uses for it ("CRS", "EDPB")."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_ORGANISATION_WORDS = (
    "Academy|Administration|Agency|Assembly|Association|Authority|Bank|Board|Bureau|Center|"
    "Centre|Commission|Committee|Council|Court|Department|Forum|Foundation|Fund|Institute|"
    "Institution|Ministry|Network|Observatory|Office|Organisation|Organization|Parliament|"
    "Programme|Program|Secretariat|Service|Society|Trust|University"
)
_LINKS = r"(?:of|for|on|and|the|de|du|des|la|le|für|&)"
# Up to six capitalised words on one line (joined by short links) ending in an organisation
# word, which "of/for ..." may follow ("Bank for International Settlements").
_ORGANISATION = re.compile(
    rf"\b(?:[A-Z][\w’'.-]+ +(?:{_LINKS} +)?){{0,6}}(?:{_ORGANISATION_WORDS})"
    rf"(?:[ ]+(?:of|for|on)[ ]+(?:the[ ]+)?(?:[A-Z][\w’'-]+)(?:[ ]+[A-Z][\w’'-]+){{0,3}})?\b"
)
_MASTHEAD, _IMPRINT = 300, 800  # characters
_CLAIM = re.compile(
    r"(?:\b(?:prepared|published|produced|issued) by|©|\([cC]\)|\bcopyright)\s+(?:\d{4}\s+)?"
    r"(?:the\s+)?([^\n.,;()]{4,90})"
)
_LEADING_NOISE = re.compile(r"^(?:The|A|An|By|From|Published|Prepared|Copyright|This)\s+")


@dataclass(frozen=True)
class Publisher:
    name: str
    acronym: str | None


def find_publisher(
    author_field: str | None, pages: tuple[str, ...], running_lines: tuple[str, ...] = ()
) -> Publisher | None:
    """The organisation that says it published the brief: named in the PDF's author field,
    in "prepared by ..." or "© ...", or in the running headers and footers; else the one named
    most on the first two and last pages, a mention in the masthead or the imprint counting
    three times (ties: the longer name)."""
    if not pages:
        return None
    text = "\n".join(pages)
    claims = [m.group(1) for m in _CLAIM.finditer(text)]
    for source in (author_field or "", "\n".join(claims), "\n".join(running_lines)):
        # The first source that names an organisation wins; within it, the most named.
        named = Counter(_organisations(source))
        if named:
            return with_acronym(named.most_common(1)[0][0], text)
    edges = sorted({0, 1, len(pages) - 1} & set(range(len(pages))))
    counts = Counter(_organisations("\n".join(pages[i] for i in edges)))
    # Elsewhere than masthead and imprint, the organisations named are mostly the subjects.
    counts.update(3 * _organisations(pages[0][:_MASTHEAD] + "\n" + pages[-1][-_IMPRINT:]))
    if not counts:
        return None
    return with_acronym(max(counts, key=lambda n: (counts[n], len(n))), text)


def _organisations(text: str) -> list[str]:
    names = []
    for match in _ORGANISATION.finditer(text):
        name = " ".join(_LEADING_NOISE.sub("", match.group(0)).split())
        if len(name.split()) >= 2:
            names.append(name)
    return names


def with_acronym(name: str, text: str) -> Publisher:
    """The acronym the text uses for `name`: given in brackets after it, or the initials of its
    capitalised words (or their tail: "GAO" for "U.S. Government Accountability Office") when
    the text uses them as a word."""
    stated = re.search(re.escape(name) + r"\s*\(([A-Z]{2,8})\)", text)
    if stated:
        return Publisher(name, stated.group(1))
    initials = "".join(w[0] for w in re.findall(r"[\w’'.-]+", name) if w[0].isupper())
    for start in range(len(initials) - 1):
        candidate = initials[start:]
        if len(re.findall(rf"\b{candidate}\b", text)) >= 2:
            return Publisher(name, candidate)
    return Publisher(name, None)
