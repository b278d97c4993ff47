"""Positions found in the retrieved passages at answer time: sentences in which the asked party
says, argues, finds or holds something ("DOE commented that ...", "According to the ISA, ...").

Statements extracted at ingest cover the parties briefs name with a clear verb of saying at the
start of a sentence; real papers also report views mid-sentence, after a date or a clause, and
by acronyms the paper defines. Reading the few retrieved passages costs well under a
millisecond and finds those too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from index.statements import StatementHit
from index.types import Hit
from ingest.sections import is_back_matter
from ingest.types import BODY, Statement

from .coverage import topical_stems
from .intent import Party
from .sentence_pick import candidates

# Verbs and phrases that report a view, a finding or a reaction.
_REPORTS = re.compile(
    r"\b(?:said|says|stated|states that|argued|argues|argument|claimed|claims|contends|"
    r"contended|maintained|maintains|asserted|asserts|warned|warns|commented|comments that|"
    r"comment on|"
    r"noted|notes that|emphasi[sz]ed|emphasi[sz]es|stressed|stresses|reasoned|posited|posits|"
    r"concluded|concludes|believes?|believed|expects?|expected|anticipates?|anticipated|sees|"
    r"saw|views? (?:it|that|the)|viewed|described|describes|describing|considers?|considered|"
    r"disputed|disputes|"
    r"objected|objects|alleging|alleged|alleges|agreed|agrees|disagreed|disagrees|acknowledged|"
    r"acknowledges|reported|reports? that|rejected|rejects|rejecting|insisted|insists|responded|"
    r"told|testified|wrote|estimated|predicted|predicts|assessed|assesses|expressed|"
    r"indicated|indicates|explained|explains|found|finds|cautioned|cautions|opposed|opposes|"
    r"contested|questioned|critici[sz]ed|recommended|recommends|position|"
    r"according to|in (?:its|their|his|her) view)\b",
    re.IGNORECASE,
)
# An "according to" this many characters before the name introduces the name's view.
_LEAD_IN = 6
# The holder's name ends at most this many characters before its verb ("Russia has rejected",
# "the State of Louisiana and industry groups sued NMFS in ..., alleging" is too far).
_SUBJECT_GAP = 60


@dataclass(frozen=True)
class AttributionSettings:
    """Which attributed sentences answer: their passage's cosine with the question reaches
    `threshold` (the statements' position threshold), within `margin` of the best, at most
    `per_brief` from a brief and `max_items` in all."""

    threshold: float = 0.30
    margin: float = 0.12
    per_brief: int = 3
    max_items: int = 4
    lexical_bonus: float = 0.02


def name_pattern(party: Party) -> re.Pattern[str]:
    """The party's names as whole words; used as proper names (capitalised), as a paper writes
    a party, so "Interior" matches but "the interior of" does not."""
    names = sorted({a for a in party.aliases if len(a) >= 2}, key=len, reverse=True)
    alternatives = "|".join(
        # A country's adjective names it too ("Belarusian President ...").
        re.escape(n) + (r"(?:ian|an|n|ese)?" if n.isalpha() and len(n) > 4 else "")
        for n in names
    )
    return re.compile(rf"(?<![\w-])(?:the\s+)?(?:{alternatives})(?:['’]s)?(?![\w-])", re.I)


def _holder_at(sentence: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """Where the sentence names the party as the holder of a view: just before its first
    reporting verb ("DOE commented", "a 2025 DIA statement posited"), or just after an opening
    "according to". A name after the first reporting verb is inside what someone else said."""
    first = _REPORTS.search(sentence)
    if first is None:
        return None
    lead_in = first.group(0).lower() == "according to"
    for match in pattern.finditer(sentence):
        core = re.sub(r"^the\s+", "", match.group(0), flags=re.I)
        if not (core[:1].isupper() or " " in core.strip()):
            continue
        if lead_in:
            if 0 <= match.start() - first.end() <= _LEAD_IN:
                return match
        elif 0 <= first.start() - match.end() <= _SUBJECT_GAP:
            return match
    return None


def passage_positions(
    party: Party,
    hits: Sequence[Hit],
    closeness: Mapping[str, float],
    topic: set[str],
    settings: AttributionSettings | None = None,
) -> list[StatementHit]:
    """Sentences of the retrieved body passages that report the party's view, as position
    statements (verbatim spans with the passage's pages and section), best first."""
    settings = settings or AttributionSettings()
    pattern = name_pattern(party)
    found: list[StatementHit] = []
    for hit in hits:
        chunk = hit.chunk
        if chunk.role != BODY or is_back_matter(chunk.section):
            continue
        similarity = closeness.get(chunk.id, 0.0)
        if similarity < settings.threshold:
            continue
        for candidate in candidates(0, chunk.text):
            holder = _holder_at(candidate.text, pattern)
            if holder is None:
                continue
            actor = re.sub(r"['’]s$", "", holder.group(0))
            actor = re.sub(r"^The\s+", "the ", actor)
            statement = Statement(
                id=f"{chunk.id}@{candidate.start}",
                doc_id=chunk.doc_id,
                ordinal=chunk.ordinal,
                kind="position",
                text=candidate.text,
                page_start=chunk.page_start,
                page_end=chunk.page_end,
                section=chunk.section,
                char_start=chunk.char_start + candidate.start,
                char_end=chunk.char_start + candidate.end,
                actor=actor,
            )
            shared = len(topic & topical_stems(candidate.text))
            score = similarity + settings.lexical_bonus * shared
            found.append(StatementHit(statement, hit.document, score))
    return _best(found, settings)


def _best(found: Sequence[StatementHit], settings: AttributionSettings) -> list[StatementHit]:
    if not found:
        return []
    ranked = sorted(found, key=lambda h: -h.score)
    floor = ranked[0].score - settings.margin
    per_doc: dict[str, int] = {}
    kept: list[StatementHit] = []
    for hit in ranked:
        doc_id = hit.statement.doc_id
        if hit.score < floor or per_doc.get(doc_id, 0) >= settings.per_brief:
            continue
        per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
        kept.append(hit)
    return kept[: settings.max_items]


# A position answer lists at most this many views.
MAX_POSITIONS = 4


def ranked_positions(
    statements: Sequence[StatementHit],
    found: Sequence[StatementHit],
    margin: float,
    fill_only: bool = False,
) -> list[StatementHit]:
    """Statements found at ingest and passage sentences (both scored by their cosine with the
    question), best first: a passage sentence that overlaps a statement is dropped, and only
    those within `margin` of the best are kept, at most MAX_POSITIONS. With `fill_only`,
    passage sentences count only when no statement does."""
    if fill_only and statements:
        return list(statements)
    kept = list(statements)
    for hit in found:
        s = hit.statement
        if not any(
            k.statement.doc_id == s.doc_id
            and k.statement.char_start < s.char_end
            and s.char_start < k.statement.char_end
            for k in kept
        ):
            kept.append(hit)
    if not kept:
        return []
    kept.sort(key=lambda h: -h.score)
    floor = kept[0].score - margin
    return [h for h in kept if h.score >= floor][:MAX_POSITIONS]
