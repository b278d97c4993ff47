"""A brief's statements: its recommendations (to whom), the positions it reports (whose) and the
authors' own findings, each a verbatim span of the document text with its citation fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .sections import is_back_matter
from .sentences import paragraph_spans, sentence_spans
from .types import BODY, Document, Statement, statement_id

# Sections whose list items are recommendations.
_RECOMMENDATION_SECTION = re.compile(
    r"recommend|policy (?:implications|options|actions|proposals|responses?)|"
    r"what (?:the )?[\w ]{0,30} (?:should|can|must) do|the way forward|next steps|"
    r"proposals for action|agenda for",
    re.IGNORECASE,
)
_CONCLUSION_SECTION = re.compile(r"conclu|summary|key (?:points|messages|findings)", re.I)
# List markers: bullets, "1." "1)" "(1)" "a." "a)" "(a)" "i." "(iv)".
_ITEM = re.compile(r"(?:[•▪◦‣∙·●○■□➢►\-–—*]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*$")
# Wording that makes a sentence a recommendation.
_MODAL = re.compile(
    r"\b(?:should|must|ought to|needs? to|has to|have to|is urged to|are urged to)\b", re.I
)
_PERFORMATIVE = re.compile(
    r"\b(?:we|i|the authors?|this (?:brief|paper|report|analysis)|the (?:brief|paper|report))\s+"
    r"(?:therefore\s+|also\s+|strongly\s+)?"
    r"(?:recommends?|urges?|proposes?|suggests?|advises?|calls? (?:on|for)|encourages?)\b",
    re.IGNORECASE,
)
# "X should ..." at the start of an item or sentence: X is the addressee (a few words at most).
_ADDRESSEE = re.compile(
    r"^(?:(?:we|the authors?|this brief) (?:recommend|urge|propose|suggest)s? that\s+)?"
    r"(?P<who>[A-Z\"'“][^,;:.()]{1,80}?)\s+"
    r"(?:should|must|ought to|needs? to|is urged to|are urged to|has to|have to)\b",
)
_PASSIVE = re.compile(r"\s+(?:also\s+|not\s+|therefore\s+)?be\s+\w+(?:ed|en|wn|lt|nt)\b")
_RECOMMEND_THAT = re.compile(
    r"\b(?i:we|the authors?|this (?:brief|paper))\s+(?i:recommend|urge|propose|suggest)s?\s+"
    r"that\s+(?P<who>(?:the\s+)?[A-Z][\w\-]*(?:\s+(?:[A-Z][\w\-]*|and|its|member|states))*)"
)
_URGED = re.compile(
    r"\b(?:we|this brief)\s+(?:urge|urges|call on|calls on|encourage|encourages|advise|advises)"
    r"\s+(?P<who>(?:the\s+)?[A-Z][^,;:.()]{1,60}?)\s+to\b"
)
# Positions: a named party (or the authors) asserting something.
_ATTRIBUTION_VERB = (
    r"(?:argues?|argued|claims?|claimed|insists?|insisted|maintains?|maintained|contends?|"
    r"contended|says|said|states|stated|asserts?|asserted|denies|denied|rejects?|rejected|"
    r"opposes|opposed|describes?|described|presents?|presented|portrays?|portrayed|"
    r"sees|saw|views?|viewed|regards?|regarded|considers?|considered|accuses?|accused|"
    r"invokes?|invoked|denounces?|denounced|demands?|demanded|wants?|wanted|favou?rs?|"
    r"calls? for|called for|blames?|blamed|warns?|warned|frames?|framed|defends?|defended|"
    r"emphasi[sz]es|emphasi[sz]ed|stresses|stressed|judges|judged|believes|believed|"
    r"concluded|announced|signals|signalled|promised|pledged|refused|declined|acknowledged|"
    r"recognised|recognized|positions itself|positioned itself|avoided|chose|sought|seeks|"
    r"opted|has supported|have supported|"
    r"has (?:long )?(?:argued|insisted|said|claimed|maintained|called for|framed|presented|"
    r"described)|"
    r"have (?:long )?(?:argued|insisted|said|claimed|maintained|called for))"
)
_ACTOR_WORDS = (
    r"[A-Z][\w'’\-]*(?:\s+(?:of|for|and|the|on|[A-Z][\w'’\-]*))*"
    r"(?:['’]s\s+(?:president|government|prime minister|foreign ministry|foreign minister|"
    r"leadership|leaders|officials|minister|ambassador|envoy|spokesperson|central bank))?"
)
_POSITION = re.compile(
    rf"(?:^|[,;:]\s+|\b(?i:that|while|and|but|when|as|whereas|although|though|since|because|"
    rf"even if|if)\s+)"
    rf"(?P<actor>(?:the\s+|The\s+)?[A-Z][\w\-]*\s+(?:government|authorities|leadership)|"
    rf"(?:the\s+|The\s+)?{_ACTOR_WORDS}|Chinese officials|Chinese leaders|"
    rf"European officials|European leaders|Russian officials|officials in [A-Z]\w+|critics|"
    rf"supporters|proponents|opponents)"
    rf"(?:\s*(?:,[^,]{{1,60}},|\([^)]{{1,60}}\)))?\s+(?:(?:also|still|repeatedly|publicly|"
    rf"consistently|now|often|officially|deliberately|explicitly|openly)\s+)?"
    rf"{_ATTRIBUTION_VERB}\b"
)
_POSSESSIVE_POSITION = re.compile(
    r"(?P<actor>(?:the\s+|The\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*)['’]s\s+"
    r"(?:(?:official|stated|standard|declared|public|own)\s+)?"
    r"(?:position|stance|view|claim|reply|argument|narrative|line|demand|proposal|"
    r"position paper|response)\b"
)
_ACCORDING = re.compile(
    r"\b(?:According to|In the view of)\s+(?P<actor>(?:the\s+)?[A-Z][\w\-]*"
    r"(?:\s+[A-Z][\w\-]*)*),"
)
# "That phrase, used by the President of the Commission, ...": a party's words quoted.
_USED_BY = re.compile(
    r"\b(?:phrase|words?|term|formula|message|argument|line|slogan)\b[^.;]{0,20}?\b"
    r"(?:used|coined|adopted|voiced|put forward|repeated)\s+by\s+"
    r"(?P<actor>(?:the\s+)?[A-Z][\w\-]*(?:\s+(?:of|the|[A-Z][\w\-]*))*)"
)
_AUTHORS = re.compile(
    r"^(?:we|i|our|the authors?|this (?:brief|paper|report|analysis)|the (?:brief|paper|report))$",
    re.IGNORECASE,
)
# Capitalised words that start sentences but are not parties.
_NOT_ACTORS = frozenset(
    [
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "there",
        "here",
        "such",
        "some",
        "many",
        "most",
        "several",
        "few",
        "each",
        "every",
        "yet",
        "however",
        "moreover",
        "in",
        "on",
        "at",
        "for",
        "by",
        "as",
        "if",
        "when",
        "while",
        "although",
        "but",
        "and",
        "or",
        "so",
        "thus",
        "a",
        "an",
        "the",
        "one",
        "two",
        "three",
        "both",
        "either",
        "neither",
        "all",
        "no",
        "not",
        "they",
        "he",
        "she",
        "we",
        "i",
        "you",
        "member",
        "policy",
        "section",
        "figure",
        "table",
        "chapter",
        "box",
    ]
)
_NOT_ADDRESSEES = _NOT_ACTORS - {"the", "each", "every", "member", "we"}
# Items whose own heading precedes a dash or colon: "Reaffirm core principles – The EU must ...".
_LABEL = re.compile(r"^(?P<label>[^.!?:–—]{3,80}?)\s*(?:[:–—]|\s-\s)\s+(?=[A-Z])")
MAX_STATEMENT_CHARS = 1500


@dataclass(frozen=True)
class _Block:
    """A paragraph or a list item, with continuations across line and page breaks joined."""

    start: int  # after any list marker
    end: int
    item: bool


def extract_statements(document: Document) -> list[Statement]:
    """Every recommendation, reported position and stated finding of a brief, in text order."""
    text = document.text
    found: list[tuple[int, int, str, str | None, str | None, str | None]] = []
    default_addressee = _default_addressee(document)
    headings = {s.start for s in document.sections}
    blocks = [b for b in _blocks(text) if not _is_heading(text, b, headings)]
    # Where a recommendations section lists its items, its prose is a lead-in, not an item.
    listed = {document.section_at(b.start) for b in blocks if b.item}
    for block in blocks:
        section = document.section_at(block.start)
        if is_back_matter(section) or document.role_at(block.start) != BODY:
            continue
        in_recommendations = bool(section and _RECOMMENDATION_SECTION.search(section))
        if block.item and in_recommendations:
            item = text[block.start : block.end]
            label = _label(item)
            found.append(
                (
                    block.start,
                    block.end,
                    "recommendation",
                    "the authors",
                    _addressee(item[len(label) :].lstrip(" :–—-") if label else item)
                    or default_addressee,
                    label,
                )
            )
            continue
        lead_in = in_recommendations and section in listed
        in_summary = bool(section and _CONCLUSION_SECTION.search(section))
        for start, end in sentence_spans(text, block.start, block.end):
            sentence = text[start:end]
            if len(sentence.split()) < 5 or sentence.endswith(":"):
                continue
            if not block.item and not _SENTENCE_END.search(sentence):
                continue  # a heading or a title line, not a sentence
            if sentence[0].islower():
                continue  # the tail of a sentence whose start the layout put elsewhere
            statement = _classify(
                sentence, in_recommendations, in_summary, block.item, default_addressee
            )
            if lead_in and statement is not None and statement[0] == "recommendation":
                continue
            if statement is not None:
                found.append((start, end, *statement))
    statements = []
    for ordinal, (start, end, kind, actor, addressee, label) in enumerate(found):
        end = min(end, start + MAX_STATEMENT_CHARS)
        statements.append(
            Statement(
                id=statement_id(document.id, ordinal),
                doc_id=document.id,
                ordinal=ordinal,
                kind=kind,
                text=text[start:end],
                page_start=document.page_of(start),
                page_end=document.page_of(max(start, end - 1)),
                section=document.section_at(start),
                char_start=start,
                char_end=end,
                actor=actor,
                addressee=addressee,
                label=label,
            )
        )
    return statements


def is_recommendation_section(heading: str | None) -> bool:
    """True for "Policy recommendations", "Recommended policy actions", "What the EU should do"."""
    return bool(heading and _RECOMMENDATION_SECTION.search(heading))


def _classify(
    sentence: str,
    in_recommendations: bool,
    in_summary: bool,
    item: bool,
    default_addressee: str | None,
) -> tuple[str, str | None, str | None, str | None] | None:
    """(kind, actor, addressee, label) for a sentence that is a statement, else None."""
    performative = _PERFORMATIVE.search(sentence)
    addressee = _addressee(sentence)
    if performative or (addressee and (in_recommendations or item or in_summary)):
        return (
            "recommendation",
            "the authors",
            addressee or _urged(sentence) or default_addressee,
            None,
        )
    if in_recommendations and _MODAL.search(sentence):
        return ("recommendation", "the authors", default_addressee, None)
    actor = _actor(sentence)
    if actor is None:
        return None
    if _AUTHORS.match(actor):
        return ("finding", "the authors", None, None)
    return ("position", actor, None, None)


def _is_heading(text: str, block: _Block, headings: set[int]) -> bool:
    """A numbered heading ("5. What the EU should do") looks like a list item: it is neither."""
    line_start = text.rfind("\n", 0, block.start) + 1
    return line_start in headings or block.start in headings


def _blocks(text: str) -> Iterator[_Block]:
    """Paragraphs and list items; a paragraph that starts in lower case after one that has no
    final punctuation continues it (a line or page break inside a sentence)."""
    pending: _Block | None = None
    for start, end in paragraph_spans(text):
        marker = _ITEM.match(text, start, end)
        body_start = marker.end() if marker else start
        continues = (
            pending is not None
            and not marker
            and text[start].islower()
            and not _TERMINAL.search(text[pending.start : pending.end])
        )
        if pending is not None and continues:
            pending = _Block(pending.start, end, pending.item)
            continue
        if pending is not None:
            yield pending
        pending = _Block(body_start, end, marker is not None)
    if pending is not None:
        yield pending


def _addressee(sentence: str) -> str | None:
    match = _ADDRESSEE.match(sentence) or _RECOMMEND_THAT.search(sentence)
    if not match:
        return None
    if _PASSIVE.match(sentence, match.end()):
        return None  # "Tariffs should be harmonised": the subject is not whom it addresses
    who = match.group("who").strip("\"'“” ")
    if len(who.split()) > 8 or who.split()[0].lower() in _NOT_ADDRESSEES:
        return None
    return _lower_article(who)


def _urged(sentence: str) -> str | None:
    match = _URGED.search(sentence)
    return _lower_article(match.group("who")) if match else None


def _actor(sentence: str) -> str | None:
    for pattern in (_POSITION, _POSSESSIVE_POSITION, _ACCORDING, _USED_BY):
        for match in pattern.finditer(sentence):
            actor = re.sub(r"['’]s$", "", " ".join(match.group("actor").split()))
            first = actor.split()[0].lower()
            if first in _NOT_ACTORS and first != "the":
                continue
            if first == "the" and len(actor.split()) == 1:
                continue
            return _lower_article(actor)
    start = sentence.split(" ", 1)[0].lower()
    if start in ("we", "our") and re.match(
        r"^(?:We|Our)\s+(?:\w+\s+)?(?:argue|conclude|find|show|believe|judge|assess|think|"
        r"estimate|expect|consider)\b",
        sentence,
    ):
        return "we"
    return None


def _label(item: str) -> str | None:
    match = _LABEL.match(item)
    if not match:
        return None
    label = match.group("label").strip()
    words = label.split()
    if not 1 <= len(words) <= 10 or _MODAL.search(label):
        return None
    capitalised = sum(w[0].isupper() for w in words if w[0].isalpha())
    return label if capitalised >= max(1, len(words) // 2) or len(words) <= 4 else None


def _default_addressee(document: Document) -> str | None:
    """Whom the brief's recommendations address when an item does not say (imperative items):
    the first "X should" in its recommendations section, else in the whole brief."""
    text = document.text
    fallback = None
    for block in _blocks(text):
        section = document.section_at(block.start) or ""
        if is_back_matter(section):
            continue
        for start, end in sentence_spans(text, block.start, block.end):
            sentence = text[start:end]
            who = _addressee_anywhere(sentence)
            if who is None:
                continue
            if _RECOMMENDATION_SECTION.search(section):
                return who
            fallback = fallback or who
    return fallback


def _addressee_anywhere(sentence: str) -> str | None:
    match = re.search(
        r"\b(?P<who>(?i:the) (?:EU|European Union|Commission|Council|member states|United States|"
        r"G7|G20|IMF|UK|government|administration|Congress)|(?:EU|European) (?:leaders|"
        r"institutions|policymakers|governments)|[Mm]ember states|Brussels|Europe|Congress|"
        r"Washington)\s+(?:should|must|ought to|needs? to)\b",
        sentence,
    )
    return _lower_article(match.group("who")) if match else None


def _lower_article(phrase: str) -> str:
    phrase = " ".join(phrase.split())
    return "the " + phrase[4:] if phrase.startswith("The ") else phrase
