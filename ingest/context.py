"""What is embedded and keyword-indexed for a chunk: its text led by its brief's title and its
section, so a passage that never names its topic is still found by it. The stored and cited
text stays the chunk's verbatim text."""

from __future__ import annotations


def indexed_text(title: str, section: str | None, text: str) -> str:
    """`text` with its context in front ("Title. Section.\\n..."); a section heading the text
    already opens with is not repeated."""
    lead = [title.strip().rstrip(".")]
    if section and not text.lstrip().startswith(section.strip()):
        lead.append(section.strip().rstrip(".:"))
    context = ". ".join(part for part in lead if part)
    return f"{context}.\n{text}" if context else text
